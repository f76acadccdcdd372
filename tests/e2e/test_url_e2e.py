"""Browser: a URL with parameters restores the view; bad parameters give a notice."""

from __future__ import annotations

from e2e_helpers import open_app, screenshot, wait_map_polygons
from playwright.sync_api import expect


def test_url_parameters_restore_region_range_and_metric(page, server):
    open_app(page, server, "region?region=UA-51&start=2026-02-01&end=2026-02-28&metric=days")
    heading = "Odesa Oblast (Одеська область), 2026-02-01 to 2026-02-28"
    page.get_by_role("heading", name=heading).wait_for()
    dates = page.locator('[data-testid="stDateInput"] input[type="date"]')
    dates.first.wait_for(state="attached")
    assert [dates.nth(i).input_value() for i in range(dates.count())] == [
        "2026-02-01",
        "2026-02-28",
    ]
    screenshot(page, "url_region_restored")

    page.get_by_test_id("stSidebarNav").get_by_text("Map", exact=True).click()
    page.get_by_role("heading", name="Odesa Oblast (Одеська область)").wait_for()
    wait_map_polygons(page)
    expect(page.get_by_role("combobox", name="Metric")).to_have_value("Days with strikes")
    assert "region=UA-51" in page.url
    assert "metric=days" in page.url


def test_invalid_url_parameters_show_a_notice_and_no_script_runs(page, server):
    payload = '<img src=x onerror="window.__xss=1">'
    open_app(page, server, f"?region=UA-99&metric={payload}&start=2026-13-01&end=2026-02-01")
    notice = page.get_by_test_id("stAlert").filter(has_text="Ignored URL parameter")
    notice.wait_for()
    text = notice.inner_text()
    assert "region=UA-99" in text
    assert '<img src=x onerror="window.__xss=1">' in text  # shown literally
    assert page.evaluate("() => window.__xss") is None
    assert page.dialogs == []
    wait_map_polygons(page)
    screenshot(page, "url_invalid_notice")
