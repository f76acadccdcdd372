"""Browser: a deep link is the very first request to a fresh server, for every page.

Streamlit routes the first runs of a server by the ``pages/`` folder and would run the page
without the frame (ui/frame.py). The ``server`` fixture starts a new server for each test and
the link below is the first page the browser opens on it.
"""

from __future__ import annotations

import pytest
from e2e_helpers import wait_idle
from playwright.sync_api import expect

QUERY = "region=UA-51&start=2026-02-01&end=2026-02-28"
# url path -> the page's st.title
PAGES = {
    "map": "Regions hit",
    "timeline": "Talks and attacks",
    "region": "Region",
    "talks_effect": "Talks vs attacks",
    "compare": "Compare periods",
    "data": "Data",
    "about": "About oblastwatch",
}


@pytest.mark.parametrize("path", PAGES)
def test_a_deep_link_on_a_fresh_server_opens_its_page_inside_the_frame(page, server, path):
    page.goto(f"{server.url}/{path}?{QUERY}")
    page.get_by_role("heading", name=PAGES[path], exact=True, level=1).wait_for()
    sidebar = page.get_by_test_id("stSidebar")
    dates = sidebar.locator('[data-testid="stDateInput"] input[type="date"]')
    dates.first.wait_for(state="attached")
    wait_idle(page)

    # The frame's own navigation (its titles), not the one Streamlit builds from pages/.
    nav = page.get_by_test_id("stSidebarNav")
    for title in ("Map", "Talks vs attacks", "Compare periods"):
        expect(nav.get_by_text(title, exact=True)).to_be_visible()
    # The shared filters took the link's range...
    assert [dates.nth(i).input_value() for i in range(dates.count())] == [
        "2026-02-01",
        "2026-02-28",
    ]
    # ...and the frame wrote the state back: the link's parameters plus the metric it adds.
    # Streamlit shows the default page (Map) at the root.
    shown_path = "" if path == "map" else path
    assert page.url.startswith(f"{server.url}/{shown_path}?"), page.url
    for param in ("region=UA-51", "start=2026-02-01", "end=2026-02-28", "metric=waves"):
        assert param in page.url, page.url
    if path == "region":
        heading = "Odesa Oblast (Одеська область), 2026-02-01 to 2026-02-28"
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
    errors = page.get_by_test_id("stException")
    assert errors.count() == 0, errors.all_inner_texts()
