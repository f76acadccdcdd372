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


def _bars(spec) -> list[dict]:
    return spec["data"]["values"]


def test_each_day_stacks_drones_then_missiles_then_other_and_a_day_without_reports_is_a_gap():
    daily = _daily()
    daily.iloc[3] = np.nan
    spec = region_daily_chart(daily, title="Weapons per day")
    bars = _bars(spec)
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
    spec = region_daily_chart(weeks, weekly=True, t=translator("uk"))
    bars = _bars(spec)
    assert {b["end"] - b["start"] for b in bars} == {7 * 86_400_000}
    assert bars[0]["group"] == translator("uk").gettext("Drones")
    assert bars[0]["tip"].startswith("Тиждень від 2 лют. 2026")
    # Big numbers take the language's grouping (a non-breaking space in Ukrainian).
    big = region_daily_chart(weeks * 1000, weekly=True, t=translator("uk"))
    assert "\xa0" in _bars(big)[-1]["tip"]
    assert spec["encoding"]["y"]["title"] == translator("uk").gettext("launched")


def test_axis_ticks_are_named_by_the_translator_not_by_vega():
    spec = region_daily_chart(_daily(), t=translator("uk"))
    axis = spec["encoding"]["x"]["axis"]
    assert axis["values"][0] == {"year": 2026, "month": 2, "date": 2, "utc": True}
    # The label lookup holds each tick's Ukrainian name, keyed by its UTC time.
    assert '"1769990400000": "2 лют."' in axis["labelExpr"]
    english = region_daily_chart(_daily())["encoding"]["x"]["axis"]["labelExpr"]
    assert '"1769990400000": "Feb 2"' in english


def test_an_empty_range_gives_an_empty_chart_not_an_error():
    spec = region_daily_chart(_daily().iloc[:0])
    assert _bars(spec) == []
    assert "values" not in spec["encoding"]["x"]["axis"]
