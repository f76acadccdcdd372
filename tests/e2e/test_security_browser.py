"""Browser: hostile event text shows as text and runs nowhere; sessions stay apart.

Events whose title, description and place are ``<img src=x onerror=window.__xss=1>`` and
``<script>window.__xss=1</script>`` are imported into the test's private data directory
before the app loads them. Every view that renders them (map tooltip and popup, region
details table, timeline hover, the exported HTML map opened in Chromium) must leave
``window.__xss`` undefined, create no ``<img src=x>``/``<script>`` from data and open no
dialog; the literal text must be visible where the view shows text.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from e2e_helpers import (
    MAP_IFRAME,
    POINT_TOOLTIP,
    map_frame,
    open_app,
    repeat_until_visible,
    screenshot,
    scroll_map_top_out_of_view,
    wait_idle,
    wait_map_polygons,
)
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from oblastwatch.importers import import_file
from oblastwatch.storage.imported import save_dataset

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
RANGE = "start=2024-01-01&end=2024-01-31"


def _import_payloads(data_dir: Path, tmp_path: Path) -> None:
    points = tmp_path / "xss_points.csv"
    points.write_text(
        "id,date,latitude,longitude,location,title,description\n"
        f'p0,2024-01-02,46.48,30.73,Odesa oblast,"{IMG}","{SCRIPT}"\n'
        f'p1,2024-01-03,49.99,36.23,"{SCRIPT}","{SCRIPT}","{IMG}"\n',
        encoding="utf-8",
    )
    talks = tmp_path / "xss_talks.csv"
    talks.write_text(
        f'When,Where,What,Title,Note\n2024-01-10,Kyiv,talks,"{IMG}","{SCRIPT}"\n',
        encoding="utf-8",
    )
    mapping = {"date": "When", "place": "Where", "kind": "What", "title": "Title",
               "description": "Note"}  # fmt: skip
    save_dataset(data_dir / "xss-points", import_file(points))
    save_dataset(data_dir / "xss-talks", import_file(talks, mapping=mapping))


def _assert_nothing_ran(page, where: str) -> None:
    assert page.evaluate("() => window.__xss") is None, f"payload ran: {where}"
    assert page.locator('img[src="x"]').count() == 0, f"<img src=x> injected: {where}"
    assert page.locator("svg[onload]").count() == 0, where
    assert page.dialogs == [], f"dialog opened: {where}"


def _assert_frame_clean(page, where: str) -> None:
    body = map_frame(page).locator("body")
    assert body.evaluate("() => window.__xss") is None, f"payload ran in map frame: {where}"
    assert map_frame(page).locator('img[src="x"]').count() == 0, where


def _show_points(page) -> None:
    page.get_by_test_id("stSidebar").get_by_text("Map options").click()
    page.get_by_test_id("stSidebar").get_by_text("Located events as clustered points").click()
    wait_idle(page)


def test_payloads_show_as_text_on_the_map_and_in_the_details_table(page, server, tmp_path):
    _import_payloads(server.data_dir, tmp_path)
    open_app(page, server, f"?{RANGE}&region=UA-51")
    _show_points(page)
    wait_map_polygons(page)
    frame = map_frame(page)
    marker = frame.locator(".ow-point").first
    marker.wait_for()
    wait_idle(page)
    marker.hover()
    # The region under the pointer shows its own tooltip too; take the point's.
    tooltip = frame.locator(POINT_TOOLTIP)
    tooltip.wait_for()
    assert IMG in tooltip.inner_text() or SCRIPT in tooltip.inner_text()
    # A real click opens the popup, also with the top of the map scrolled out of view (Leaflet
    # used to focus the map with a scrolling focus(): the page jumped under the mouse and the
    # click was lost).
    top = scroll_map_top_out_of_view(page, marker)
    marker.click()
    popup = frame.locator(".leaflet-popup-content").first
    popup.wait_for()
    assert page.locator(MAP_IFRAME).bounding_box()["y"] == top, "the click scrolled the page"
    assert IMG in popup.inner_text() or SCRIPT in popup.inner_text()
    # Region tooltips (hover a polygon) are built from names; still nothing may run.
    frame.locator("path.leaflet-interactive").first.hover()
    _assert_frame_clean(page, "map tooltip and popup")
    # The details table of the selected region (canvas grid: text is drawn, never parsed).
    page.get_by_test_id("stDataFrame").first.wait_for()
    _assert_nothing_ran(page, "map page and details table")
    screenshot(page, "xss_map")


def test_payloads_show_as_text_in_the_timeline_hover(page, server, tmp_path):
    _import_payloads(server.data_dir, tmp_path)
    open_app(page, server, f"timeline?{RANGE}")
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for()
    points = chart.locator(".scatterlayer .point")
    wanted = re.sub(r"\s", "", IMG)  # the hover wraps long lines; compare without spaces
    shown, seen = "", []
    for index in range(points.count()):
        box = points.nth(index).bounding_box()
        if box is None:
            continue
        page.mouse.move(0, 0)
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2, steps=5)
        hover = page.locator(".hoverlayer .hovertext").first
        try:
            hover.wait_for(timeout=2_000)
        except PlaywrightTimeout:
            continue
        seen.append((hover.text_content() or "")[:60])
        if wanted in re.sub(r"\s", "", hover.text_content() or ""):
            shown = hover.text_content()
            break
    assert shown, f"no talks marker's hover text showed the title as text ({seen})"
    _assert_nothing_ran(page, "timeline hover")
    screenshot(page, "xss_timeline")


def test_exported_html_map_shows_payloads_as_text(page, server, tmp_path):
    _import_payloads(server.data_dir, tmp_path)
    open_app(page, server, f"?{RANGE}")
    _show_points(page)  # session state: the exported map then carries the points too
    page.get_by_test_id("stSidebar").get_by_role("link", name="Data").click()
    page.get_by_role("button", name=re.compile("Map as HTML")).wait_for()
    wait_idle(page)
    with page.expect_download() as download_info:
        page.get_by_role("button", name=re.compile("Map as HTML")).click()
    exported = tmp_path / "map.html"
    download_info.value.save_as(exported)
    document = exported.read_text(encoding="utf-8")
    assert IMG not in document
    assert SCRIPT not in document
    viewer = page.context.new_page()
    viewer.dialogs = []
    viewer.on("dialog", lambda dialog: (viewer.dialogs.append(dialog.message), dialog.dismiss()))
    viewer.set_content(document, wait_until="load")
    viewer.locator("path.leaflet-interactive").first.wait_for()
    marker = viewer.locator(".ow-point").first
    # A map laid out before its page had a size fits the country at a tiny zoom, where the
    # two points cluster: open the cluster as a reader would.
    viewer.locator(".ow-point, .ow-cluster").first.wait_for()
    if not marker.is_visible():
        repeat_until_visible(viewer.locator(".ow-cluster").first.click, marker)
    popup = viewer.locator(".leaflet-popup-content").first
    # The clustered markers are drawn in chunks: a click during a redraw is lost.
    repeat_until_visible(marker.click, popup)
    assert IMG in popup.inner_text() or SCRIPT in popup.inner_text()
    _assert_nothing_ran(viewer, "exported HTML map")
    viewer.screenshot(path=str(screenshot(page, "xss_export_app").with_name("xss_export.png")))
    viewer.close()


def test_two_sessions_with_different_filters_do_not_affect_each_other(browser, page, server):
    open_app(page, server, f"?{RANGE}&region=UA-51")
    other_context = browser.new_context(viewport={"width": 1400, "height": 1000})
    other_context.route(
        "**/*",
        lambda r: (
            r.continue_() if urlsplit(r.request.url).hostname in (None, "127.0.0.1") else r.abort()
        ),
    )
    try:
        other = other_context.new_page()
        other.set_default_timeout(30_000)
        open_app(other, server, "?start=2025-01-01&end=2025-02-28&region=UA-63")
        # Session A clears its region; session B reruns and must keep its own state.
        page.get_by_role("button", name="Clear selection").click()
        # Right after the click the app can still look idle; the URL shows the rerun is done.
        page.wait_for_url(lambda url: "region=" not in url)
        wait_idle(page)
        other.get_by_role("button", name="Clear selection").wait_for()
        other.get_by_test_id("stSidebar").get_by_text("Map options").click()
        wait_idle(other)
        mine = parse_qs(urlsplit(page.url).query)
        theirs = parse_qs(urlsplit(other.url).query)
        assert "region" not in mine
        assert mine.get("start") == ["2024-01-01"]
        assert theirs.get("region") == ["UA-63"]
        assert theirs.get("start") == ["2025-01-01"]
        assert other.get_by_text(re.compile("Kharkiv")).first.is_visible()
    finally:
        other_context.close()
