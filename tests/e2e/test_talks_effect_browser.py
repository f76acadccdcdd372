"""Browser tests of the Talks vs attacks and Compare periods pages (real streamlit run, chromium).

Clicking a row of the events table must open the Timeline page zoomed to that event: the
shared range (and so the URL's start/end) becomes the event's days with N days on each side.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from e2e_helpers import MAP_IFRAME, open_app, screenshot, wait_idle

from oblastwatch.query.build import prepare
from oblastwatch.query.coverage import data_date_span
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.study.events import event_windows, select_events
from oblastwatch.study.settings import DEFAULT_WINDOW_DAYS

EVENTS_TABLE = ".st-key-effect_events_table"
WINDOW = DEFAULT_WINDOW_DAYS  # the page's default N
# st.dataframe (glide-data-grid) geometry: header row, then rows of this height; the
# row-selection marker is the narrow first column.
HEADER_PX, ROW_PX, MARKER_PX = 35, 35, 18


def _expected_zoom() -> tuple[date, date]:
    """The range the newest row of the default study opens: bundled strikes, kind talks,
    overlapping windows merged, N days either side, within the data's span."""
    bundled = load_bundled()
    talks = select_events(bundled.events, kinds=["talks"])
    units = event_windows(talks, window=WINDOW, overlap="merge")
    newest = units.sort_values("start").iloc[-1]
    first_day, last_day = data_date_span(prepare(bundled.events, bundled.event_regions))
    start = max(newest["start"].date() - timedelta(days=WINDOW), first_day)
    end = min(newest["end"].date() + timedelta(days=WINDOW), last_day)
    return start, end


@pytest.mark.e2e
def test_clicking_an_event_opens_the_timeline_zoomed_to_it(page, server):
    start, end = _expected_zoom()
    open_app(page, server, "talks_effect")
    page.get_by_text("Association is not cause").wait_for()
    grid = page.locator(f'{EVENTS_TABLE} [data-testid="stDataFrame"]')
    grid.wait_for()
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    assert box["height"] > HEADER_PX + ROW_PX
    screenshot(page, "talks_effect_page")

    # Select the first (newest) row through its row marker.
    page.mouse.click(box["x"] + MARKER_PX, box["y"] + HEADER_PX + ROW_PX / 2)
    page.wait_for_url(re.compile(rf"/timeline\?(.*&)?start={start}&end={end}(&|$)"))
    wait_idle(page)
    page.get_by_role("heading", name="Talks and attacks").wait_for()
    page.get_by_text(f"Diplomatic events, {start} to {end}").wait_for()
    screenshot(page, "talks_effect_opened_timeline")


@pytest.mark.e2e
def test_compare_page_draws_two_maps_and_the_difference(page, server):
    open_app(page, server, "compare?start=2026-02-01&end=2026-02-28")
    maps = page.locator(MAP_IFRAME)
    maps.nth(1).wait_for()
    assert maps.count() == 2
    for i in range(2):
        polygons = page.frame_locator(MAP_IFRAME).nth(i).locator("path.leaflet-interactive")
        polygons.first.wait_for()
        assert polygons.count() >= 27
    page.get_by_text("B (2026-02-01 to 2026-02-28)", exact=True).wait_for()
    screenshot(page, "compare_side_by_side")

    page.get_by_text("Difference (B minus A)").click()
    wait_idle(page)
    difference = page.locator('.st-key-compare_difference_map [data-testid="stPlotlyChart"]')
    difference.wait_for()
    difference.scroll_into_view_if_needed()
    assert page.locator(MAP_IFRAME).count() == 0
    # The difference map is Plotly shapes on plain axes: filled region paths, no tiles.
    difference.locator("path.js-fill").first.wait_for()
    assert difference.locator("path.js-fill").count() >= 27
    screenshot(page, "compare_difference")
