"""Browser: the map renders offline, and clicking a region shows its details."""

from __future__ import annotations

import io
import re
import time

from e2e_helpers import (
    MAP_IFRAME,
    OUTPUT_DIR,
    click_a_region,
    map_frame,
    open_app,
    repeat_until_visible,
    screenshot,
    wait_idle,
    wait_map_polygons,
)
from PIL import Image
from playwright.sync_api import expect

from oblastwatch.domain.regions import REGIONS_BY_CODE
from oblastwatch.present.maps.layers import SELECTED_STYLE


def _coloured_share(png: bytes) -> float:
    """Share of pixels in the choropleth's warm colours (YlOrRd: red clearly above blue)."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    pixels = list(image.get_flattened_data())
    warm = sum(1 for r, g, b in pixels if r > 200 and r - b > 60)
    return warm / len(pixels)


def test_map_polygons_render_offline_with_region_colours(page, server, offline):
    open_app(page, server)
    wait_map_polygons(page)
    paths = map_frame(page).locator("path.leaflet-interactive")
    assert paths.count() >= 27
    png = page.locator(MAP_IFRAME).screenshot(path=str(screenshot_path("map_offline")))
    assert _coloured_share(png) > 0.01, "no region shaded in the map frame"
    assert page.get_by_text(re.compile(r"\d+ of 27 regions")).is_visible()
    # The app asked for nothing outside 127.0.0.1 (every such request would have been
    # aborted), and the map rendered.
    assert offline.blocked == []


def screenshot_path(name: str):
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR / f"{name}.png"


def test_clicking_a_region_shows_its_details(page, server):
    open_app(page, server)
    wait_map_polygons(page)
    click_a_region(page)
    page.wait_for_url(re.compile(r"region=UA-\d\d"))
    code = re.search(r"region=(UA-\d\d)", page.url).group(1)
    name = REGIONS_BY_CODE[code].name_en
    page.get_by_role("heading", name=re.compile(re.escape(name))).wait_for()
    wait_idle(page)
    assert (
        page.get_by_text("Events in range").is_visible()
        or page.get_by_text("No events in this range").is_visible()
    )
    link = page.get_by_test_id("stPageLink-NavLink").filter(has_text="Open the region page")
    link.wait_for()
    # The link the app makes carries the region and the language (issue 15).
    href = link.get_attribute("href")
    assert f"region?region={code}" in href
    assert "lang=en" in href
    screenshot(page, "map_region_clicked")
    page.get_by_role("button", name="Clear selection").click()
    page.get_by_text("Click a region on the map to see its events.").wait_for()
    assert "region=" not in page.url


def test_rates_name_their_denominator_in_tooltip_legend_and_caveats(page, server, offline):
    open_app(page, server, "?per=people")
    wait_map_polygons(page)
    legend = page.get_by_test_id("ow-legend")
    assert "per 100,000 residents, 1 Jan 2022 estimate, pre-war" in legend.inner_text()
    paths = map_frame(page).locator("path.leaflet-interactive")
    tooltip = map_frame(page).locator(".leaflet-tooltip", has_text="per 100,000 residents").last
    repeat_until_visible(lambda: paths.nth(paths.count() // 2).hover(), tooltip)
    assert re.search(
        r"residents \(1 Jan 20(22|14) estimate, pre-war\)|no reports", tooltip.inner_text()
    )
    caveats = page.get_by_text(re.compile("Millions of people have been displaced"))
    about = page.get_by_role("button", name=re.compile("About these rates"))
    repeat_until_visible(about.click, caveats)
    screenshot(page, "map_per_people")
    assert offline.blocked == []


def test_the_exported_map_outlines_the_selected_region(page, server, tmp_path):
    # The Map page draws the selection as it changes; a file must carry it on its own.
    open_app(page, server, "data?start=2026-02-01&end=2026-03-14&region=UA-51")
    button = page.get_by_role("button", name=re.compile("Map as HTML"))
    button.wait_for()
    with page.expect_download() as download_info:
        button.click()
    exported = tmp_path / "map.html"
    download_info.value.save_as(exported)
    # The page's map loads its outlines from the app; a file must carry them itself.
    assert "/app/static/outlines/" not in exported.read_text(encoding="utf-8")
    viewer = page.context.new_page()
    viewer.set_content(exported.read_text(encoding="utf-8"), wait_until="load")
    viewer.locator("path.leaflet-interactive").first.wait_for()
    outline = viewer.locator(f'path[stroke="{SELECTED_STYLE["color"]}"]')
    expect(outline).to_have_count(1, timeout=30_000)
    assert "leaflet-interactive" not in (outline.get_attribute("class") or "")


def _fills(frame) -> list[str]:
    return frame.locator("path.leaflet-interactive").evaluate_all(
        "paths => paths.map(p => p.getAttribute('fill'))"
    )


def test_a_new_range_recolours_the_mounted_map(page, server):
    # A change of dates recolours the map in place: the same Leaflet map, new colours, and
    # st_folium's list of added layers does not grow with every change.
    open_app(page, server, "?start=2026-03-08&end=2026-03-14")
    wait_map_polygons(page)
    frame = page.frame_locator(MAP_IFRAME).locator("body")
    frame.evaluate("() => { window.owMounted = 'first'; }")
    week = _fills(frame)
    # The presets' first days on the bundled data (its span ends on 2026-03-22).
    for preset, first_day in (("All", "2022-02-28"), ("30d", "2026-02-21"), ("All", "2022-02-28")):
        page.get_by_test_id("stSidebar").get_by_role("button", name=preset, exact=True).click()
        page.wait_for_url(re.compile(f"start={first_day}"))
        wait_idle(page)
    # The colours reach the map's frame a moment after the run, and while a rerun marks the
    # map stale the live frame is not found (no paths): wait for the new colours.
    deadline = time.monotonic() + 30
    while (whole := _fills(frame)) in ([], week) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(whole) == len(week) >= 27
    assert whole != week, "the whole span must colour the regions differently from one week"
    assert frame.evaluate("() => window.owMounted") == "first"
    assert frame.evaluate("() => window.feature_group.length") == 1
