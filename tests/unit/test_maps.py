"""Map builders, local assets and the standalone export, tested through the rendered HTML."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path

import folium
import numpy as np
import pandas as pd
import pytest
from map_script import region_table

from oblastwatch.domain.geo import load_boundaries
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.domain.resources import BOUNDARIES_PATH
from oblastwatch.present.maps import (
    assets,
    choropleth_map,
    highlight_layer,
    legend_bins,
    region_base_map,
    select_points,
    standalone_map_html,
)
from oblastwatch.present.maps.geometry import cached_region_shapes, region_shapes
from oblastwatch.present.maps.legend import NO_REPORTS_COLOUR, YLORRD, ZERO_COLOUR, classify

ROOT = Path(__file__).resolve().parents[2]
CDN_HOSTS = ("jsdelivr", "unpkg", "cdnjs", "code.jquery", "bootstrapcdn", "d3js", "fontawesome")
XSS_IMG = "<img src=x onerror=alert(1)>"
XSS_SCRIPT = "<script>alert(1)</script>"
MAX_MAP_BYTES = 350 * 1024


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


def render(m: folium.Map) -> str:
    return m.get_root().render()


def small_values() -> pd.Series:
    return pd.Series({"UA-05": 0.0, "UA-07": 1.0, "UA-09": 4.0, "UA-12": 9.0, "UA-14": np.nan})


def xss_points(n: int = 2) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "lat": [50.45 + i * 1e-4 for i in range(n)],
            "lon": [30.52] * n,
            "title": [XSS_IMG] * n,
            "date": pd.date_range("2025-01-01", periods=n, freq="h"),
            "description": [XSS_SCRIPT] * n,
        }
    )


# --- assets ----------------------------------------------------------------------------------


def test_rendered_map_loads_only_local_leaflet(boundaries):
    page = render(
        choropleth_map(small_values(), boundaries, metric_label="Attack waves", unit="waves")
    )
    for host in CDN_HOSTS:
        assert host not in page
    assert "jquery" not in page.lower()
    assert "bootstrap" not in page.lower()
    assert re.findall(r'<script src="([^"]+)"', page) == ["/app/static/leaflet/leaflet.js"]
    assert re.findall(r'<link rel="stylesheet" href="([^"]+)"', page) == [
        "/app/static/leaflet/leaflet.css"
    ]
    assert "colormap" not in page.lower()


def test_points_add_local_markercluster_and_base_path(boundaries):
    base = assets.static_base_url("/sub/path/")
    page = render(
        choropleth_map(
            small_values(),
            boundaries,
            metric_label="m",
            unit="u",
            asset_base=base,
            points=xss_points(),
        )
    )
    assert re.findall(r'<script src="([^"]+)"', page) == [
        "/sub/path/app/static/leaflet/leaflet.js",
        "/sub/path/app/static/markercluster/leaflet.markercluster.js",
    ]
    assert not any(host in page for host in CDN_HOSTS)


def test_static_files_exist_and_install_is_idempotent(tmp_path):
    files = assets.static_files()
    for name in (*assets.SCRIPTS, *assets.STYLESHEETS, "leaflet/images/layers.png"):
        assert files[name].is_file()
    assert b"Leaflet 1.9.4" in files[assets.LEAFLET_JS].read_bytes()
    written = assets.install_static(tmp_path / "static")
    assert sorted(p.relative_to(tmp_path / "static").as_posix() for p in written) == sorted(files)
    assert (tmp_path / "static" / "leaflet" / "leaflet.js").read_bytes() == files[
        assets.LEAFLET_JS
    ].read_bytes()
    assert assets.install_static(tmp_path / "static") == []
    (tmp_path / "static" / "leaflet" / "leaflet.css").write_text("stale")
    assert assets.install_static(tmp_path / "static") == [
        tmp_path / "static" / "leaflet" / "leaflet.css"
    ]


def test_the_outlines_script_is_named_by_its_content_and_written_once(boundaries, tmp_path):
    shapes = region_shapes(boundaries)
    script = assets.outlines_script(shapes)
    prefix = "window.owOutlines = "
    assert script.startswith(prefix)
    outlines = json.loads(script[len(prefix) :].rstrip().rstrip(";"))
    assert sorted(f["properties"]["code"] for f in outlines["features"]) == sorted(REGION_CODES)
    name = assets.outlines_name(shapes)
    assert re.fullmatch(r"outlines/[0-9a-f]{16}\.js", name)
    path = assets.install_outlines(tmp_path / "static", shapes)
    assert path == tmp_path / "static" / name
    assert path.read_text(encoding="utf-8") == script
    written = path.stat().st_mtime_ns
    assert assets.install_outlines(tmp_path / "static", shapes) == path
    assert path.stat().st_mtime_ns == written  # unchanged outlines are not written again
    fewer = region_shapes(boundaries[boundaries["code"] != "UA-43"])
    assert assets.outlines_name(fewer) != name  # other outlines, another file: no stale cache


def test_a_base_map_given_the_outlines_url_loads_them_instead_of_carrying_them(boundaries):
    shapes = region_shapes(boundaries)
    url = assets.asset_url(assets.outlines_name(shapes))
    served = render(region_base_map(shapes, outlines_url=url))
    carried = render(region_base_map(shapes))
    # The outlines are most of a page's map script: sent once as a file, not on every rerun.
    assert shapes.feature_collection not in served
    assert shapes.feature_collection in carried
    assert len(served) < len(carried) - 100_000
    assert "L.geoJson(window.owOutlines" in served
    # Loaded after Leaflet and before the map's script runs (st_folium loads js_links first).
    assert re.findall(r'<script src="([^"]+)"', served) == [
        "/app/static/leaflet/leaflet.js",
        url,
    ]
    assert re.findall(r'<script src="([^"]+)"', carried) == ["/app/static/leaflet/leaflet.js"]


def test_vendored_markercluster_matches_pinned_hashes():
    spec = importlib.util.spec_from_file_location("vendor", ROOT / "scripts" / "vendor_assets.py")
    vendor = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(vendor)
    assert vendor.check() == 0
    js = (vendor.TARGET / "leaflet.markercluster.js").read_bytes()
    assert assets.sri_hash(assets.MARKERCLUSTER_JS) == vendor.sri(js)
    assert (vendor.TARGET / "LICENSE").read_text().startswith("Copyright 2012 David Leaver")


def test_leaflet_sri_matches_the_published_1_9_4_file():
    # The hash unpkg's leaflet@1.9.4/dist/leaflet.js is published with.
    assert assets.sri_hash(assets.LEAFLET_JS) == (
        "sha256-20nQCchB9co0qIjJZRGuk2/Z9VM+kNiyxNV1lvTlZBo="
    )


# --- regions, values, colours ----------------------------------------------------------------


def test_all_27_regions_with_properties(boundaries):
    page = render(choropleth_map(small_values(), boundaries, metric_label="m", unit="waves"))
    table = region_table(page)
    assert sorted(table) == sorted(REGION_CODES)
    for code in REGION_CODES:
        assert f'"code":"{code}"' in page
    collection = json.loads(region_shapes(boundaries).feature_collection)
    properties = [f["properties"] for f in collection["features"]]
    assert {p["code"] for p in properties} == set(REGION_CODES)
    assert all(set(p) == {"code", "name_en", "name_uk"} for p in properties)
    assert table["UA-09"]["value_text"] == "4 waves"
    assert table["UA-14"]["value_text"] == "no reports"
    assert "Boundaries: Natural Earth" in page


def test_zero_and_no_reports_are_distinct_and_bins_are_right(boundaries):
    page = render(choropleth_map(small_values(), boundaries, metric_label="m", unit="u"))
    table = region_table(page)
    fill = {code: row["style"]["fillColor"] for code, row in table.items()}
    assert fill["UA-05"] == ZERO_COLOUR
    assert fill["UA-14"] == NO_REPORTS_COLOUR  # NaN
    assert fill["UA-18"] == NO_REPORTS_COLOUR  # absent from the Series
    assert ZERO_COLOUR != NO_REPORTS_COLOUR
    assert table["UA-14"]["style"]["dashArray"]
    assert "dashArray" not in table["UA-05"]["style"]
    # Three distinct positive values -> three classes of YlOrRd, low to high.
    assert [fill["UA-07"], fill["UA-09"], fill["UA-12"]] == list(YLORRD[3])
    assert [(e.label, e.colour) for e in legend_bins(small_values())] == [
        ("No reports", NO_REPORTS_COLOUR),
        ("0", ZERO_COLOUR),
        ("1", YLORRD[3][0]),
        ("2–4", YLORRD[3][1]),
        ("5–9", YLORRD[3][2]),
    ]


def test_quantile_bins_and_user_bins():
    values = pd.Series(np.arange(0, 101, dtype=float), index=[f"r{i}" for i in range(101)])
    auto = classify(values)
    assert len(auto.upper_edges) == 5
    assert auto.upper_edges[-1] == 100
    assert auto.colour(1) == YLORRD[5][0]
    assert auto.colour(100) == YLORRD[5][-1]
    fixed = classify(values, [10, 50])
    assert fixed.upper_edges == (10.0, 50.0, 100.0)  # a class up to the maximum is added
    assert [e.label for e in fixed.entries()][2:] == ["1–10", "11–50", "51–100"]
    assert fixed.colour(10) == YLORRD[3][0]
    assert fixed.colour(11) == YLORRD[3][1]
    floats = classify(pd.Series([0.5, 1.25]))
    assert [e.label for e in floats.entries()][2:] == ["up to 0.5", "0.5–1.25"]
    assert classify(pd.Series([np.nan, 0.0])).entries()[-1].label == "0"  # no positive class


@pytest.mark.parametrize(
    ("values", "bins", "message"),
    [
        (pd.Series([1.0, -2.0]), None, "negative"),
        (pd.Series([1.0]), [5, 3], "increase"),
        (pd.Series([1.0]), [0, 3], "above zero"),
        (pd.Series([np.inf]), None, "infinite"),
    ],
)
def test_bad_values_or_bins_raise(values, bins, message):
    with pytest.raises(ValueError, match=message):
        classify(values, bins)


def test_unknown_region_code_raises(boundaries):
    with pytest.raises(ValueError, match="UA-99"):
        choropleth_map(pd.Series({"UA-99": 1.0}), boundaries, metric_label="m", unit="u")


# --- escaping --------------------------------------------------------------------------------


def test_metric_label_and_unit_are_escaped(boundaries):
    page = render(choropleth_map(small_values(), boundaries, metric_label=XSS_SCRIPT, unit=XSS_IMG))
    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    tooltip = region_table(page)["UA-09"]["tooltip"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tooltip
    assert "&lt;img src=x onerror=alert(1)&gt;" in tooltip


def test_point_popups_are_escaped(boundaries):
    page = render(
        choropleth_map(small_values(), boundaries, metric_label="m", unit="u", points=xss_points())
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page
    assert "<script>alert(1)" not in page


# --- size ------------------------------------------------------------------------------------


def test_map_html_stays_small_at_any_event_count(boundaries):
    n = 50_000
    rng = np.random.default_rng(7)
    points = pd.DataFrame(
        {
            "lat": rng.uniform(45, 52, n),
            "lon": rng.uniform(23, 40, n),
            "title": [f"Strike report number {i} on a named settlement" for i in range(n)],
            "date": pd.Timestamp("2022-02-24") + pd.to_timedelta(rng.integers(0, 1400, n), "D"),
            "description": ["Long description of what happened. " * 20] * n,
        }
    )
    values = pd.Series(rng.integers(0, 5000, 27).astype(float), index=list(REGION_CODES))
    m = choropleth_map(values, boundaries, metric_label="Weapons", unit="weapons", points=points)
    page = render(m)
    assert len(page.encode("utf-8")) <= MAX_MAP_BYTES
    selection = select_points(points)
    assert selection.shown > 100
    assert selection.shown + selection.not_drawn == n
    assert f"newest of {n:,} shown" in page
    newest = points["date"].max().strftime("%Y-%m-%d")
    assert selection.rows[0][3] == newest


def test_points_without_coordinates_are_counted_not_dropped():
    points = pd.DataFrame(
        {
            "lat": [50.0, None, 95.0],
            "lon": [30.0, 30.0, 30.0],
            "title": ["a", "b", "c"],
            "date": ["2025-01-01", "2025-01-02", "2025-01-03"],
        }
    )
    selection = select_points(points)
    assert (selection.shown, selection.unlocated, selection.not_drawn) == (1, 2, 0)
    assert "2 without coordinates" in selection.caption()


def test_boundaries_are_serialised_once(boundaries):
    first = region_shapes(boundaries)
    assert region_shapes(load_boundaries()) is first  # a fresh copy hits the cache
    assert len(first.feature_collection.encode("utf-8")) < 200_000


def test_shapes_kept_on_disk_draw_the_same_map(boundaries, tmp_path):
    calls = []

    def load():
        calls.append(1)
        return boundaries

    built = cached_region_shapes(BOUNDARIES_PATH, tmp_path, load)
    read = cached_region_shapes(BOUNDARIES_PATH, tmp_path, load)
    assert len(calls) == 1  # the second start read the file
    assert read == built
    kwargs = {"metric_label": "m", "unit": "u", "selected": "UA-46"}
    from_disk = render(choropleth_map(small_values(), read, **kwargs))
    from_table = render(choropleth_map(small_values(), boundaries, **kwargs))
    element_id = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")  # folium names every element at random
    assert element_id.sub("_id", from_disk) == element_id.sub("_id", from_table)
    (cache,) = tmp_path.glob("region-shapes-*/shapes.json")
    cache.write_text("{not json", encoding="utf-8")
    assert cached_region_shapes(BOUNDARIES_PATH, tmp_path, load) == built
    assert len(calls) == 2  # a damaged file is built again
    assert cached_region_shapes(BOUNDARIES_PATH, tmp_path, load) == built
    assert len(calls) == 2  # and replaced


def test_shapes_are_drawn_when_the_cache_cannot_be_written(boundaries, tmp_path):
    not_a_directory = tmp_path / "cache"
    not_a_directory.write_text("a file where the cache directory should be", encoding="utf-8")
    shapes = cached_region_shapes(BOUNDARIES_PATH, not_a_directory, lambda: boundaries)
    assert shapes == region_shapes(boundaries)
    assert [p.name for p in tmp_path.iterdir()] == ["cache"]


def test_the_first_map_page_does_not_import_geopandas():
    # geopandas, shapely and pyproj cost about 0.05 s of every cold start; the first map
    # draws the region shapes kept on disk and needs none of them.
    modules = (
        "oblastwatch.ui.data, oblastwatch.ui.filters, oblastwatch.ui.url_state, "
        "oblastwatch.ui.static, oblastwatch.ui.talks, oblastwatch.ui.mapview, "
        "oblastwatch.ui.tables, oblastwatch.present.figures"
    )
    code = f"import sys, {modules}; print(sorted({{'geopandas', 'shapely'}} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert done.stdout.strip() == "[]"


# --- selection and tiles ---------------------------------------------------------------------


def test_highlight_layer_is_a_non_interactive_outline(boundaries):
    group = highlight_layer("UA-46", boundaries)
    assert isinstance(group, folium.FeatureGroup)
    (geojson,) = group._children.values()
    assert geojson.options["interactive"] is False
    assert geojson.data["features"][0]["properties"]["code"] == "UA-46"
    with pytest.raises(ValueError, match="UA-00"):
        highlight_layer("UA-00", boundaries)
    page = render(
        choropleth_map(small_values(), boundaries, metric_label="m", unit="u", selected="UA-46")
    )
    assert '"interactive": false' in page


def test_tiles_are_optional_and_checked(boundaries):
    plain = render(choropleth_map(small_values(), boundaries, metric_label="m", unit="u"))
    assert "L.tileLayer" not in plain
    url = "https://tiles.example.org/{z}/{x}/{y}.png"
    tiled = render(
        choropleth_map(small_values(), boundaries, metric_label="m", unit="u", tiles_url=url)
    )
    assert url in tiled
    assert "Tiles: tiles.example.org" in tiled
    with pytest.raises(ValueError, match="z"):
        choropleth_map(
            small_values(), boundaries, metric_label="m", unit="u", tiles_url="https://x.org/a"
        )
    with pytest.raises(ValueError, match="http"):
        choropleth_map(
            small_values(),
            boundaries,
            metric_label="m",
            unit="u",
            tiles_url="javascript:{z}{x}{y}",
        )


# --- standalone export -----------------------------------------------------------------------


def test_offline_export_needs_no_network(boundaries):
    values = small_values()
    m = choropleth_map(values, boundaries, metric_label="m", unit="u", points=xss_points())
    page = standalone_map_html(
        m, offline=True, legend=legend_bins(values), legend_title="<b>Attack waves</b>"
    )
    assert not re.search(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=", page, re.IGNORECASE)
    # Nothing is fetched: no remote src, stylesheet or CSS url() (Leaflet's attribution keeps
    # a plain <a href> to leafletjs.com, which loads nothing).
    assert not re.search(r"""\bsrc\s*=\s*["']?https?://""", page, re.IGNORECASE)
    assert not re.search(r"""(?:url\(|@import)\s*["']?https?://""", page, re.IGNORECASE)
    assert "Leaflet 1.9.4" in page
    assert "L.MarkerClusterGroup" in page
    assert "url(images/" not in page
    assert "data:image/png;base64," in page
    assert "sourceMappingURL" not in page
    assert "Boundaries: Natural Earth" in page
    assert 'class="ow-legend"' in page
    assert "&lt;b&gt;Attack waves&lt;/b&gt;" in page
    assert "<img src=x" not in page
    assert "<script>alert(1)" not in page


def test_online_export_uses_pinned_cdn_with_integrity(boundaries):
    m = choropleth_map(small_values(), boundaries, metric_label="m", unit="u")
    page = standalone_map_html(m, offline=False, legend=legend_bins(small_values()))
    leaflet = hashlib.sha256(assets.read_asset(assets.LEAFLET_JS)).digest()
    assert 'src="https://unpkg.com/leaflet@1.9.4/dist/leaflet.js"' in page
    assert 'href="https://unpkg.com/leaflet@1.9.4/dist/leaflet.css"' in page
    assert len(leaflet) == 32
    assert assets.sri_hash(assets.LEAFLET_JS) in page
    assert "/app/static" not in page


def test_export_refuses_a_map_with_foreign_assets():
    with pytest.raises(ValueError, match="cannot serve offline"):
        standalone_map_html(folium.Map(tiles=None), offline=True)


def test_export_refuses_a_map_st_folium_has_drawn(boundaries):
    from streamlit_folium import generate_leaflet_string

    m = choropleth_map(small_values(), boundaries, metric_label="m", unit="u")
    m.render()
    generate_leaflet_string(m)  # what st_folium does to the map it draws
    with pytest.raises(ValueError, match="fresh map"):
        standalone_map_html(m, offline=True)


def test_legend_colours_are_checked():
    from oblastwatch.present.maps.legend import LegendEntry

    m = folium.Map(tiles=None)
    m.default_js, m.default_css = [], []
    with pytest.raises(ValueError, match="legend colour"):
        standalone_map_html(m, offline=True, legend=[LegendEntry("x", "red;}</style>", "range")])


def test_a_missing_value_can_read_no_data_instead_of_no_reports():
    from oblastwatch.present.maps.choropleth import region_styles

    shapes = region_shapes(load_boundaries())
    values = pd.Series(2.0, index=list(REGION_CODES))
    values["UA-43"] = np.nan  # Crimea: no alert records
    classification = classify(values)
    alerts = region_styles(
        values, shapes, classification, metric_label="Alert hours", unit="hours under alert",
        missing_text="no data",
    )  # fmt: skip
    assert alerts["UA-43"]["value_text"] == "no data"
    assert "no data" in alerts["UA-43"]["tooltip"]
    assert alerts["UA-51"]["value_text"] == "2 hours under alert"
    waves = region_styles(values, shapes, classification, metric_label="Waves", unit="waves")
    assert waves["UA-43"]["value_text"] == "no reports"
