"""Browser: ?lang=uk opens in Ukrainian; the sidebar switch changes language and keeps the view."""

from __future__ import annotations

import re

from e2e_helpers import open_app, screenshot
from playwright.sync_api import expect

VIEW = "region=UA-51&start=2026-02-01&end=2026-02-28"
UKRAINIAN_HEADING = re.compile(r"^Одеська область, 1.28 лют\. 2026")
ENGLISH_HEADING = "Odesa Oblast (Одеська область), 2026-02-01 to 2026-02-28"


def _date_inputs(page) -> list[str]:
    dates = page.locator('[data-testid="stDateInput"] input[type="date"]')
    dates.first.wait_for(state="attached")
    return [dates.nth(i).input_value() for i in range(dates.count())]


def _switch_to(page, language: str) -> None:
    page.get_by_test_id("stSidebar").get_by_text(language, exact=True).click()


def test_language_switch_keeps_the_filters_and_the_link(page, server):
    open_app(page, server, f"region?lang=uk&{VIEW}")
    page.get_by_role("heading", name=UKRAINIAN_HEADING).wait_for()
    expect(page.get_by_test_id("stSidebar").get_by_text("Фільтри", exact=True)).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Мапа", exact=True)).to_be_visible()
    screenshot(page, "language_uk_region")

    _switch_to(page, "English")
    page.get_by_role("heading", name=ENGLISH_HEADING).wait_for()
    expect(page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True)).to_be_visible()
    assert _date_inputs(page) == ["2026-02-01", "2026-02-28"]
    expect(page).to_have_url(re.compile(r"lang=en"))
    for kept in ("region=UA-51", "start=2026-02-01", "end=2026-02-28"):
        assert kept in page.url

    _switch_to(page, "Українська")
    page.get_by_role("heading", name=UKRAINIAN_HEADING).wait_for()
    assert _date_inputs(page) == ["2026-02-01", "2026-02-28"]
    expect(page).to_have_url(re.compile(r"lang=uk"))
    assert "region=UA-51" in page.url

    # A page link made by the app carries the language: the Map page stays Ukrainian.
    page.get_by_test_id("stSidebarNav").get_by_text("Мапа", exact=True).click()
    page.get_by_role("heading", name="Регіони під ударами").wait_for()
    expect(page).to_have_url(re.compile(r"lang=uk"))
    screenshot(page, "language_uk_map")
