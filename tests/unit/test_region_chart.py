"""The Map page's region chart (a Vega-Lite spec): stacked groups, gaps, weeks, language."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.i18n import translator
from oblastwatch.present.region_chart import region_daily_chart
from oblastwatch.query.series import weekly_sums

COLUMNS = ("drones_launched", "missiles_launched", "other_launched")


def _daily(start="2026-02-02", end="2026-03-01") -> pd.DataFrame:
    index = pd.date_range(start, end, name="date")
    values = np.arange(len(index) * 3, dtype=float).reshape(len(index), 3)
    return pd.DataFrame(values, index=index, columns=list(COLUMNS))


def _bars(chart) -> list[dict]:
    return chart.data.to_dict("records")


def test_each_day_stacks_drones_then_missiles_then_other_and_a_day_without_reports_is_a_gap():
    daily = _daily()
    daily.iloc[3] = np.nan
    chart = region_daily_chart(daily, title="Weapons per day")
    spec, bars = chart.spec, _bars(chart)
    first_day = [b for b in bars if b["start"] == bars[0]["start"]]
    assert [b["group"] for b in first_day] == ["Drones", "Missiles", "Other"]
    # Each group sits on the one below it: 0..0, 0..1, 1..3 for the first day (0, 1, 2).
    assert [(b["bottom"], b["top"]) for b in first_day] == [(0, 0), (0, 1), (1, 3)]
    day_ms = 86_400_000
    assert all(b["end"] - b["start"] == day_ms for b in bars)
    shown_days = {b["start"] for b in bars}
    assert len(shown_days) == len(daily) - 1  # the fourth day has no bar, not a zero bar
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Drones", "Missiles", "Other"]
    assert spec["title"]["text"] == "Weapons per day"
    assert bars[1]["tip"] == "Feb 2, 2026 · Missiles: 1"


def test_weeks_span_seven_days_and_say_so_on_hover_in_the_readers_language():
    weeks = weekly_sums(_daily())
    chart = region_daily_chart(weeks, weekly=True, t=translator("uk"))
    spec, bars = chart.spec, _bars(chart)
    assert {b["end"] - b["start"] for b in bars} == {7 * 86_400_000}
    assert bars[0]["group"] == translator("uk").gettext("Drones")
    assert bars[0]["tip"].startswith("Тиждень від 2 лют. 2026")
    # Big numbers take the language's grouping (a non-breaking space in Ukrainian).
    big = region_daily_chart(weeks * 1000, weekly=True, t=translator("uk"))
    assert "\xa0" in _bars(big)[-1]["tip"]
    assert spec["encoding"]["y"]["title"] == translator("uk").gettext("launched")


def test_axis_ticks_are_named_in_the_readers_language_not_by_vega():
    uk = region_daily_chart(_daily(), t=translator("uk")).spec["encoding"]["x"]["axis"]
    assert '"лют."' in uk["labelExpr"]
    assert "utcdate(datum.value) + ' ' + [" in uk["labelExpr"]  # 2 лют.: the day first
    english = region_daily_chart(_daily()).spec["encoding"]["x"]["axis"]["labelExpr"]
    assert '"Feb"' in english
    assert "] + ' ' + utcdate(datum.value)" in english  # Feb 2: the month first


def test_a_new_range_changes_the_data_not_the_spec():
    # Streamlit swaps new data into the chart it has drawn when the spec is the same; a new
    # spec makes it build the chart anew.
    month = region_daily_chart(_daily(), title="t")
    week = region_daily_chart(_daily("2026-02-23", "2026-03-01"), title="t")
    assert week.spec == month.spec
    assert len(week.data) < len(month.data)


def test_an_empty_range_gives_an_empty_chart_not_an_error():
    chart = region_daily_chart(_daily().iloc[:0])
    assert chart.data.empty
    assert list(chart.data.columns) == ["start", "end", "bottom", "top", "group", "tip"]
