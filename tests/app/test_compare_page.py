"""AppTest: the Compare periods page (two choropleths, or the difference)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
from apptest_helpers import frame_with, texts

from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.ui import state

PAGE = "pages/compare.py"
ROUND = "curated-talks:E054"  # Geneva: US–Ukraine talks, 26 February 2026


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _table(at) -> pd.DataFrame:
    return frame_with(at, "difference")


def _maps(at) -> list:
    return [e for e in at.main if getattr(e, "type", None) == "component_instance"]


def _expected(start: date, end: date, metric: str = "waves") -> pd.Series:
    bundled = load_bundled()
    prepared = prepare(bundled.events, bundled.event_regions)
    return region_metric(prepared, Filters(start=start, end=end), metric)


def test_page_loads_with_two_maps_and_the_table(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    assert at.title[0].value == "Compare periods"
    assert len(_maps(at)) == 2
    table = _table(at)
    assert len(table) == 27
    # Defaults: B is the shared range, A the same number of days just before it.
    assert at.date_input(key=state.COMPARE_WIDGETS["period_b"]).value == (
        date(2026, 2, 1),
        date(2026, 2, 28),
    )
    assert at.date_input(key=state.COMPARE_WIDGETS["period_a"]).value == (
        date(2026, 1, 4),
        date(2026, 1, 31),
    )
    b = _expected(date(2026, 2, 1), date(2026, 2, 28))
    np.testing.assert_array_equal(table["period_b"].to_numpy(), b.to_numpy())
    assert "Regions with reports" in texts(at)


def test_changing_a_period_changes_the_numbers(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    before = _table(at)["period_a"].copy()
    at.date_input(key=state.COMPARE_WIDGETS["period_a"]).set_value(
        (date(2025, 7, 1), date(2025, 7, 31))
    ).run()
    _ok(at)
    after = _table(at)["period_a"]
    assert not after.equals(before)
    expected = _expected(date(2025, 7, 1), date(2025, 7, 31))
    np.testing.assert_array_equal(after.to_numpy(), expected.to_numpy())


def test_talks_round_preset_compares_the_week_before_with_the_week_of(app_test):
    at = app_test(page=PAGE)
    preset = at.selectbox(key=state.COMPARE_WIDGETS["preset"])
    assert any("Geneva: US–Ukraine talks" in label for label in preset.options)
    preset.set_value(ROUND).run()
    _ok(at)
    # A preset replaces the two custom ranges.
    assert not [d for d in at.date_input if d.key in state.COMPARE_WIDGETS.values()]
    shown = texts(at)
    assert "Week before (2026-02-19 to 2026-02-25)" in shown
    assert "Week of (2026-02-26 to 2026-03-04)" in shown
    table = _table(at)
    a = _expected(date(2026, 2, 19), date(2026, 2, 25))
    b = _expected(date(2026, 2, 26), date(2026, 3, 4))
    np.testing.assert_array_equal(table["period_a"].to_numpy(), a.to_numpy())
    np.testing.assert_array_equal(table["period_b"].to_numpy(), b.to_numpy())
    both = table.dropna(subset=["difference"])
    np.testing.assert_array_equal(both["difference"], both["period_b"] - both["period_a"])


def test_difference_view_draws_the_difference_map_and_bars(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    at.radio(key=state.COMPARE_WIDGETS["view"]).set_value("difference").run()
    _ok(at)
    assert not _maps(at)
    charts = [e for e in at.main if getattr(e, "type", None) == "plotly_chart"]
    assert len(charts) == 2
    table = _table(at)
    both = table.dropna(subset=["difference"])
    np.testing.assert_array_equal(both["difference"], both["period_b"] - both["period_a"])
    # Missing stays missing: a region without reports in one period has no difference.
    one_missing = table["period_a"].isna() ^ table["period_b"].isna()
    assert table.loc[one_missing, "difference"].isna().all()


def test_choices_survive_a_trip_to_another_page(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    at.radio(key=state.COMPARE_WIDGETS["view"]).set_value("difference").run()
    at.date_input(key=state.COMPARE_WIDGETS["period_a"]).set_value(
        (date(2025, 7, 1), date(2025, 7, 31))
    ).run()
    at.switch_page("pages/timeline.py").run()
    _ok(at)
    at.switch_page(PAGE).run()
    _ok(at)
    assert at.radio(key=state.COMPARE_WIDGETS["view"]).value == "difference"
    assert at.date_input(key=state.COMPARE_WIDGETS["period_a"]).value == (
        date(2025, 7, 1),
        date(2025, 7, 31),
    )
    assert at.session_state[state.DATE_RANGE] == (date(2026, 2, 1), date(2026, 2, 28))
