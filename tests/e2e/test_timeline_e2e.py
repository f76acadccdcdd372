"""Browser: a click on the timeline narrows the shared range, and the map follows."""

from __future__ import annotations

import re

from e2e_helpers import open_app, screenshot, wait_idle, wait_map_polygons


def test_clicking_a_day_on_the_timeline_applies_to_the_map(page, server):
    open_app(page, server, "timeline?start=2026-02-01&end=2026-02-28")
    chart = page.get_by_test_id("stPlotlyChart")
    bars = chart.locator(".barlayer .point path")
    bars.first.wait_for()
    # Bars of zero height are hidden; pick the tallest bar and click inside its bottom edge
    # (plotly's drag layer takes the pointer events, so click by coordinates).
    boxes = [bars.nth(i).bounding_box() for i in range(bars.count())]
    tallest = max((b for b in boxes if b), key=lambda b: b["height"])
    assert tallest["height"] > 3
    page.mouse.click(tallest["x"] + tallest["width"] / 2, tallest["y"] + tallest["height"] - 2)
    page.wait_for_url(re.compile(r"day=2026-02-\d\d"))
    day = re.search(r"day=(2026-02-\d\d)", page.url).group(1)
    page.get_by_text(re.compile(rf"now show {day} to {day}")).wait_for()
    assert f"start={day}" in page.url
    assert f"end={day}" in page.url
    screenshot(page, "timeline_day_selected")

    page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
    page.get_by_role("heading", name="Regions hit").wait_for()
    wait_idle(page)
    page.get_by_text(f"{day} to {day}").first.wait_for()
    wait_map_polygons(page)
    assert page.get_by_text(re.compile(r"Range set on the timeline")).is_visible()
    assert f"day={day}" in page.url
    screenshot(page, "timeline_day_on_map")

    page.get_by_role("button", name="Reset to the previous range").click()
    page.get_by_text("2026-02-01 to 2026-02-28").first.wait_for()
    page.wait_for_url(lambda url: "day=" not in url and "start=2026-02-01" in url)
