"""Daily strike totals and one region's weekly series, on tables with known answers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from query_tables import FEB, hand_built_tables, random_tables

from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import DAILY_COLUMNS, PreparedEvents
from oblastwatch.query.series import daily_attack_counts, weekly_region_series


@pytest.fixture
def prepared() -> PreparedEvents:
    return prepare(*hand_built_tables())


def test_daily_attack_counts(prepared):
    daily = daily_attack_counts(prepared, FEB)
    assert list(daily.columns) == list(DAILY_COLUMNS)
    assert len(daily) == 28
    assert daily.index[0] == pd.Timestamp("2026-02-01")
    day10 = daily.loc["2026-02-10"]
    assert day10["drones_launched"] == 100
    assert day10["drones_destroyed"] == 90
    assert day10["missiles_launched"] == 10
    assert day10["missiles_destroyed"] == 8
    assert day10["waves"] == 1  # s1 and s2 are one wave
    day13 = daily.loc["2026-02-13"]
    # o1: category unknown but a missile model -> missiles; m1: category other.
    assert day13["missiles_launched"] == 4
    assert day13["other_launched"] == 20
    assert day13["waves"] == 2
    # A strike without a count: the day is reported (one wave), its drone count unknown (NaN,
    # not 0: the rule the event study reads too); no missile row that day: 0.
    assert np.isnan(daily.loc["2026-02-14", "drones_launched"])
    assert np.isnan(daily.loc["2026-02-14", "drones_destroyed"])
    assert daily.loc["2026-02-14", "missiles_launched"] == 0
    assert daily.loc["2026-02-14", "waves"] == 1
    # Days with no strike event (the 15th has only an incident) are NaN, not 0.
    assert daily.loc["2026-02-15"].isna().all()
    assert daily.loc["2026-02-01"].isna().all()


def test_daily_attack_counts_outside_the_data_are_nan(prepared):
    daily = daily_attack_counts(prepared, Filters(date(2026, 3, 1), date(2026, 3, 3)))
    assert len(daily) == 3
    assert daily.isna().all().all()


def test_daily_counts_for_one_region(prepared):
    kyiv = Filters(FEB.start, FEB.end, region="UA-30")
    daily = daily_attack_counts(prepared, kyiv)
    assert daily.loc["2026-02-10", "drones_launched"] == 100
    assert daily.loc["2026-02-10", "missiles_launched"] == 10
    assert daily.loc["2026-02-11", "drones_launched"] == 0  # strikes elsewhere that day
    assert daily.loc["2026-02-15"].isna().all()


@pytest.mark.parametrize("seed", [0, 3])
def test_daily_fast_path_matches_masked_path(seed):
    events, regions = random_tables(seed)
    prepared = prepare(events, regions)
    filters = Filters(date(2025, 12, 25), date(2026, 3, 5))
    fast = daily_attack_counts(prepared, filters)
    masked = daily_attack_counts(prepared, Filters(filters.start, filters.end, sources=("a", "b")))
    pd.testing.assert_frame_equal(fast, masked)
    strikes = events[events["kind"] == "strike"]
    assert (
        fast["drones_launched"].sum()
        == strikes.loc[strikes["weapon_category"] == "drone", "launched"].sum()
    )


def test_weekly_region_series(prepared):
    weekly = weekly_region_series(prepared, FEB, "UA-32")
    assert weekly.index[0] == pd.Timestamp("2026-01-26")  # Monday of the first week
    assert weekly.loc["2026-02-09", "waves"] == 2
    assert weekly.loc["2026-02-09", "launched"] == 150
    assert weekly.loc["2026-02-09", "strike_days"] == 2
    assert np.isnan(weekly.loc["2026-02-16", "waves"])  # no strike reported that week
    assert weekly.loc["2026-01-26", "days_in_range"] == 1
    odesa = weekly_region_series(prepared, FEB, "UA-51")
    assert odesa.loc["2026-02-09", "waves"] == 0  # intercepted only
    assert odesa.loc["2026-02-09", "incidents"] == 2
