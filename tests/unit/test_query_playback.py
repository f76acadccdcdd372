"""Playback frames: the steps and windows, and every frame's values against region_metric."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from query_tables import FEB, hand_built_tables, random_tables

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.build import prepare
from oblastwatch.query.codes import as_date
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS, region_metric
from oblastwatch.query.playback import frame_ends, frame_ranges, frame_values


def _days(numbers) -> list[str]:
    return [str(as_date(n)) for n in numbers]


def test_daily_frames_cover_every_day_of_the_range():
    ends = frame_ends(date(2024, 2, 27), date(2024, 3, 2), "day")
    assert _days(ends) == ["2024-02-27", "2024-02-28", "2024-02-29", "2024-03-01", "2024-03-02"]


def test_weeks_count_from_the_first_day_and_the_last_frame_ends_on_the_last_day():
    ends = frame_ends(date(2026, 2, 4), date(2026, 2, 20), "week")
    assert _days(ends) == ["2026-02-10", "2026-02-17", "2026-02-20"]


def test_months_are_calendar_months_clipped_to_the_range():
    ends = frame_ends(date(2025, 12, 15), date(2026, 3, 31), "month")
    assert _days(ends) == ["2025-12-31", "2026-01-31", "2026-02-28", "2026-03-31"]


def test_sliding_windows_never_reach_before_the_range_and_cumulative_starts_there():
    starts, ends = frame_ranges(date(2026, 2, 1), date(2026, 2, 10), "day", 7)
    assert _days(starts[:2]) == ["2026-02-01", "2026-02-01"]
    assert _days(starts[-1:]) == ["2026-02-04"]
    cumulative, _ = frame_ranges(date(2026, 2, 1), date(2026, 2, 10), "week", None)
    assert set(_days(cumulative)) == {"2026-02-01"}


@pytest.mark.parametrize(
    ("step", "window", "message"),
    [("fortnight", 7, "unknown step"), ("day", 0, "window must be"), ("week", 400, "window")],
)
def test_bad_step_or_window_is_a_clear_error(step, window, message):
    with pytest.raises(ValueError, match=message):
        frame_ranges(date(2026, 2, 1), date(2026, 2, 10), step, window)


def test_hand_built_frames_hold_the_known_waves():
    prepared = prepare(*hand_built_tables())
    frames = frame_values(prepared, FEB, "waves", step="day", window=1)
    assert len(frames) == 28
    ua30 = REGION_CODES.index("UA-30")
    feb10 = frames.frame_at(date(2026, 2, 10))
    # s1 and s2 are one wave (W1) over UA-30 on 10 February; nothing names UA-30 on the 11th.
    assert frames.values[feb10, ua30] == 1.0
    assert np.isnan(frames.values[feb10 + 1, ua30])


def _expected(prepared, filters, metric, starts, ends) -> np.ndarray:
    rows = [
        region_metric(
            prepared, replace(filters, start=as_date(a), end=as_date(b)), metric
        ).to_numpy()
        for a, b in zip(starts, ends, strict=True)
    ]
    return np.vstack(rows)


FILTER_VARIANTS = [
    {},
    {"sources": ("a",)},
    {"weapon_categories": ("drone",)},
    {"kinds": ("incident",)},
    {"kinds": ("talks",)},
]


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("metric", list(METRICS))
@pytest.mark.parametrize("variant", FILTER_VARIANTS)
@pytest.mark.parametrize(
    ("step", "window"), [("day", 1), ("day", 5), ("week", None), ("month", 10)]
)
def test_every_frame_equals_region_metric_over_its_range(seed, metric, variant, step, window):
    # random_tables has waves running over several days: the distinct counting is exercised.
    prepared = prepare(*random_tables(seed))
    filters = Filters(date(2026, 1, 3), date(2026, 2, 25), **variant)
    frames = frame_values(prepared, filters, metric, step=step, window=window)
    expected = _expected(prepared, filters, metric, frames.starts, frames.ends)
    np.testing.assert_array_equal(frames.values, expected)


def test_a_range_beyond_the_data_gives_frames_without_reports():
    prepared = prepare(*random_tables(4))
    filters = Filters(date(2025, 11, 1), date(2026, 4, 30))
    frames = frame_values(prepared, filters, "waves", step="month", window=None)
    assert np.isnan(frames.values[0]).all()  # November 2025: before the data
    expected = _expected(prepared, filters, "waves", frames.starts, frames.ends)
    np.testing.assert_array_equal(frames.values, expected)
