"""AppTest: the Timeline page (plotly selection injected as the browser would send it)."""

from __future__ import annotations

import json
from datetime import date, timedelta

from apptest_helpers import texts

from oblastwatch.ui import state
from oblastwatch.ui.talks import talk_ids, talk_window

PAGE = "pages/timeline.py"


def _select(at, point):
    at.session_state[state.TIMELINE] = {
        "selection": {"points": [point], "point_indices": [0], "box": [], "lasso": []}
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _chart_days(at) -> tuple[str, str]:
    """First and last day on the chart's date axis."""
    chart = next(e for e in at.main if getattr(e, "type", None) == "plotly_chart")
    first, last = json.loads(chart.proto.spec)["layout"]["xaxis"]["range"]
    return (str(date.fromisoformat(first[:10]) + timedelta(days=1)), last[:10])


def test_timeline_page_loads_with_chart_and_talks_table(app_test):
    at = app_test(page=PAGE)
    assert at.title[0].value == "Talks and attacks"
    assert any(getattr(e, "type", None) == "plotly_chart" for e in at.main)
    talks = at.dataframe[0].value
    assert len(talks) > 0


def test_changing_the_date_range_changes_the_chart_and_table(app_test):
    at = app_test(page=PAGE)
    days_before = _chart_days(at)
    rows_before = len(at.dataframe[0].value)
    at.date_input(key=state.DATE_WIDGET).set_value((date(2026, 2, 1), date(2026, 2, 28))).run()
    assert not at.exception
    days_after = _chart_days(at)
    assert days_after == ("2026-02-01", "2026-02-28")
    assert days_after != days_before
    assert len(at.dataframe[0].value) != rows_before
    assert "2026-02-01 to 2026-02-28" in texts(at)


def test_clicking_a_day_sets_the_shared_range_and_url(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    _select(at, {"x": "2026-02-26", "y": 420, "curve_number": 5, "point_index": 25})
    assert at.session_state[state.DATE_RANGE] == (date(2026, 2, 26), date(2026, 2, 26))
    assert at.query_params["day"] == "2026-02-26"
    assert at.query_params["start"] == "2026-02-26"
    assert "Selected: 2026" in texts(at)
    # The chart keeps showing the range the day was picked from.
    assert _chart_days(at)[0] == "2026-02-01"


def _talk_in(first_day: date, last_day: date) -> str:
    ids = sorted(talk_ids())
    return next(i for i in ids if first_day <= talk_window(i)[0][0] <= last_day)


def test_clicking_a_talk_selects_its_window_and_reset_restores(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    event_id = _talk_in(date(2026, 2, 1), date(2026, 2, 28))
    (first, last), _label = talk_window(event_id)
    _select(at, {"x": first.isoformat(), "y": "trilateral", "customdata": [event_id]})
    assert at.query_params["talk"] == event_id
    assert at.session_state[state.DATE_RANGE] == (first, last)
    at.button(key="reset_selection").click().run()
    assert at.session_state[state.DATE_RANGE] == (date(2026, 2, 1), date(2026, 2, 28))
    assert "talk" not in at.query_params


def test_talk_in_url_restores_the_selection(app_test):
    app_test()  # loads the data for talk_ids()
    event_id = sorted(talk_ids())[-1]
    (first, last), _label = talk_window(event_id)
    at = app_test(page=PAGE, talk=event_id)
    assert at.session_state[state.DATE_RANGE] == (first, last)
    assert at.session_state[state.SELECTION]["value"] == event_id


def test_unknown_talk_in_url_shows_a_notice(app_test):
    at = app_test(page=PAGE, talk="E999999")
    assert any("talk" in w.value for w in at.warning)
    assert at.session_state[state.SELECTION] is None
