"""Browser: the map renders offline, and clicking a region shows its details."""

from __future__ import annotations

import io
import re

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
    viewer = page.context.new_page()
    viewer.set_content(exported.read_text(encoding="utf-8"), wait_until="load")
    viewer.locator("path.leaflet-interactive").first.wait_for()
    outline = viewer.locator(f'path[stroke="{SELECTED_STYLE["color"]}"]')
    expect(outline).to_have_count(1)
    assert "leaflet-interactive" not in (outline.get_attribute("class") or "")
