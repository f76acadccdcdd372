"""Bundled boundaries and point location (oblastwatch.domain.geo)."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from oblastwatch.domain import geo
from oblastwatch.domain.regions import REGION_CODES, REGIONS_BY_CODE
from oblastwatch.domain.resources import BOUNDARIES_PATH, COUNTRIES_PATH


def test_boundaries_file_has_the_27_regions_once_each_and_is_small():
    assert BOUNDARIES_PATH.stat().st_size <= 300_000
    features = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))["features"]
    codes = [f["properties"]["code"] for f in features]
    assert sorted(codes) == sorted(REGION_CODES)
    for feature in features:
        region = REGIONS_BY_CODE[feature["properties"]["code"]]
        assert feature["properties"]["name_en"] == region.name_en
        assert feature["properties"]["name_uk"] == region.name_uk


def test_boundaries_are_valid_and_form_one_coverage():
    frame = geo.load_boundaries()
    assert list(frame.columns) == ["code", "name_en", "name_uk", "geometry"]
    assert frame.crs.to_epsg() == 4326
    assert frame.geometry.is_valid.all()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    # Neighbours share borders exactly: no overlaps, no slivers between them.
    assert shapely.coverage_is_valid(frame.geometry.values)


def test_kyiv_city_and_sevastopol_are_their_own_features():
    frame = geo.load_boundaries().set_index("code")
    for city, around in (("UA-30", "UA-32"), ("UA-40", "UA-43")):
        assert frame.geometry[city].area > 0
        assert frame.geometry[city].intersection(frame.geometry[around]).area == pytest.approx(0)
        assert frame.geometry[around].touches(frame.geometry[city])


def test_load_boundaries_returns_a_copy_callers_may_change():
    frame = geo.load_boundaries()
    frame.loc[0, "code"] = "changed"
    assert geo.load_boundaries().loc[0, "code"] != "changed"


def test_countries_file_names_the_neighbours_and_leaves_crimea_to_ukraine():
    assert COUNTRIES_PATH.stat().st_size <= 300_000
    countries = geo.load_countries()
    names = set(countries["name"])
    assert {"Russia", "Belarus", "Poland", "Slovakia", "Hungary", "Romania", "Moldova"} <= names
    assert "Ukraine" not in names
    assert countries.geometry.is_valid.all()
    # The regions' area is cut out of the neighbours: what is left in common is the
    # width of the 1e-4 degree grid along the borders (a few metres), nothing more.
    regions = geo.load_boundaries().to_crs(geo.METRIC_CRS)
    metric = countries.to_crs(geo.METRIC_CRS)
    overlap_km2 = metric.geometry.intersection(regions.union_all()).area.sum() / 1e6
    assert overlap_km2 < 5
    crimea = regions.set_index("code").geometry[["UA-43", "UA-40"]].union_all()
    assert metric.geometry.intersection(crimea).area.sum() / 1e6 < 0.5


KNOWN_POINTS = [
    # name, lat, lon, region_code, scope, country, method
    ("Kyiv", 50.45, 30.52, "UA-30", "regions", None, "inside"),
    ("Brovary (Kyiv Oblast)", 50.51, 30.79, "UA-32", "regions", None, "inside"),
    ("Lviv", 49.84, 24.03, "UA-46", "regions", None, "inside"),
    ("Odesa", 46.48, 30.73, "UA-51", "regions", None, "inside"),
    ("Simferopol", 44.95, 34.10, "UA-43", "regions", None, "inside"),
    ("Sevastopol", 44.60, 33.52, "UA-40", "regions", None, "inside"),
    (
        "Dnipro river off Kherson",
        46.64,
        32.62,
        "UA-65",
        "regions",
        None,
        "nearest-within-tolerance",
    ),
    ("Kherson city centre", 46.635, 32.617, "UA-65", "regions", None, "nearest-within-tolerance"),
    ("Belgorod", 50.60, 36.60, None, "outside", "Russia", "outside"),
    ("Chisinau", 47.01, 28.86, None, "outside", "Moldova", "outside"),
    ("Minsk", 53.90, 27.56, None, "outside", "Belarus", "outside"),
    ("Black Sea, far offshore", 44.0, 32.0, None, "outside", None, "outside"),
    ("Kyiv, swapped", 30.52, 50.45, "UA-30", "regions", None, "swapped"),
    ("Null island", 0.0, 0.0, None, None, None, "invalid"),
    ("Latitude out of range", 95.0, 30.0, None, None, None, "invalid"),
    ("Longitude out of range", 50.0, 190.0, None, None, None, "invalid"),
    ("Missing", np.nan, 30.0, None, None, None, "invalid"),
]


def _value(x):
    return None if pd.isna(x) else x


@pytest.mark.parametrize(
    ("name", "lat", "lon", "code", "scope", "country", "method"),
    KNOWN_POINTS,
    ids=[p[0] for p in KNOWN_POINTS],
)
def test_known_points(name, lat, lon, code, scope, country, method):
    row = geo.locate_points([lat], [lon]).iloc[0]
    assert (_value(row.region_code), _value(row.scope), _value(row.country), row.method) == (
        code,
        scope,
        country,
        method,
    )


def test_known_points_in_one_call_keep_order_and_index():
    lat = pd.Series([p[1] for p in KNOWN_POINTS], index=[p[0] for p in KNOWN_POINTS])
    lon = [p[2] for p in KNOWN_POINTS]
    located = geo.locate_points(lat, lon)
    assert list(located.index) == list(lat.index)
    assert list(located.columns) == list(geo.LOCATE_COLUMNS)
    assert [_value(c) for c in located["region_code"]] == [p[3] for p in KNOWN_POINTS]
    assert list(located["method"]) == [p[6] for p in KNOWN_POINTS]


def test_distance_is_zero_inside_measured_near_and_missing_far():
    located = geo.locate_points([50.45, 46.64, 44.0, 0.0], [30.52, 32.62, 32.0, 0.0])
    distance = located["distance_km"]
    assert distance[0] == 0
    assert 0 < distance[1] < geo.DEFAULT_TOLERANCE_KM
    assert pd.isna(distance[2])
    assert pd.isna(distance[3])


def test_tolerance_decides_between_nearest_region_and_outside():
    # 0.08 km off the Kherson bank: pulled in at 5 km, left outside at 0.01 km.
    assert geo.locate_points([46.64], [32.62])["method"][0] == "nearest-within-tolerance"
    strict = geo.locate_points([46.64], [32.62], tolerance_km=0.01)
    assert strict["method"][0] == "outside"
    assert pd.isna(strict["region_code"][0])


def test_point_on_neighbouring_land_is_never_pulled_into_a_region():
    # Russian land about 1.5 km north of the Kharkiv Oblast border: within the tolerance
    # of Ukraine, still Russia.
    regions = geo.load_boundaries().set_index("code")
    countries = geo.load_countries().set_index("name")
    border = regions.geometry["UA-63"].boundary.intersection(countries.geometry["Russia"])
    probe = shapely.Point(36.60, 50.45)
    anchor = shapely.ops.nearest_points(border, probe)[0]
    lat, lon = anchor.y + 0.015, anchor.x
    assert countries.geometry["Russia"].contains(shapely.Point(lon, lat))
    row = geo.locate_points([lat], [lon]).iloc[0]
    assert row.method == "outside"
    assert row.country == "Russia"
    assert row.distance_km < geo.DEFAULT_TOLERANCE_KM


def test_numeric_strings_are_read_and_junk_is_invalid():
    located = geo.locate_points(["50.45", "abc", ""], ["30.52", "30.52", "30.52"])
    assert list(located["method"]) == ["inside", "invalid", "invalid"]


def test_empty_input_and_mismatched_lengths():
    assert geo.locate_points([], []).empty
    with pytest.raises(ValueError, match="lat has 2 values but lon has 1"):
        geo.locate_points([1.0, 2.0], [1.0])


def test_locating_many_points_is_vectorised():
    # 200,000 random points around Ukraine in one call (no timing assertion: the call is
    # vectorised end to end, and every row is accounted for).
    rng = np.random.default_rng(7)
    n = 200_000
    lat, lon = rng.uniform(43.0, 54.0, n), rng.uniform(20.0, 42.0, n)
    located = geo.locate_points(lat, lon)
    assert len(located) == n
    counts = located["method"].value_counts()
    assert counts["inside"] > n * 0.2
    assert counts["outside"] > n * 0.4
    assert set(counts.index) <= set(geo.METHODS)
    inside = located["method"] == "inside"
    assert located.loc[inside, "region_code"].notna().all()
    assert (located.loc[inside, "distance_km"] == 0).all()
