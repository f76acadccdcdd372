"""AppTest: the Region page (deep link ?region=UA-51)."""

from __future__ import annotations

from datetime import date

from apptest_helpers import frame_with, texts

from oblastwatch.ui import state

PAGE = "pages/region.py"
RANGE = {"start": "2026-02-01", "end": "2026-03-14"}


def _metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_region_page_without_a_region_asks_for_one(app_test):
    at = app_test(page=PAGE)
    assert at.selectbox(key=state.REGION_WIDGET).value is None
    assert "Choose a region" in texts(at)


def test_region_in_url_restores_the_region(app_test):
    at = app_test(page=PAGE, region="UA-51", **RANGE)
    assert at.selectbox(key=state.REGION_WIDGET).value == "UA-51"
    assert "Odesa Oblast" in at.header[0].value
    events = frame_with(at, "roles")
    assert len(events) > 0
    assert events["date"].is_monotonic_decreasing
    sources = frame_with(at, "link")
    assert sources["link"].str.startswith("https://").all()
    assert at.query_params["region"] == "UA-51"


def test_changing_the_date_range_changes_the_numbers(app_test):
    at = app_test(page=PAGE, region="UA-30", start="2025-01-01", end="2026-03-14")
    wide = _metrics(at)
    rows_wide = len(frame_with(at, "roles"))
    at.date_input(key=state.DATE_WIDGET).set_value((date(2026, 2, 1), date(2026, 2, 28))).run()
    assert not at.exception
    narrow = _metrics(at)
    assert narrow != wide
    assert len(frame_with(at, "roles")) < rows_wide


def test_choosing_another_region_updates_state_and_url(app_test):
    at = app_test(page=PAGE, region="UA-51", **RANGE)
    at.selectbox(key=state.REGION_WIDGET).set_value("UA-46").run()
    assert at.session_state[state.REGION] == "UA-46"
    assert at.query_params["region"] == "UA-46"
    assert "Lviv Oblast" in at.header[0].value


def test_invalid_region_in_url_shows_a_notice_and_no_crash(app_test):
    at = app_test(page=PAGE, region="<script>alert(1)</script>")
    notice = " ".join(w.value for w in at.warning)
    assert "region" in notice
    assert "\\<script\\>" in notice  # escaped, rendered literally
    assert at.selectbox(key=state.REGION_WIDGET).value is None
