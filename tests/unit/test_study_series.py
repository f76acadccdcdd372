"""The study's daily strike series (oblastwatch.study.series) on tables built in the test."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oblastwatch.study.series import daily_series
from oblastwatch.study.settings import METRICS

# --------------------------------------------------------------------------- daily series


def strike_tables():
    events = pd.DataFrame(
        {
            "event_id": ["s1", "s2", "s3", "s4", "s5", "t1"],
            "source": "curated",
            "scope": "regions",
            "kind": ["strike", "strike", "strike", "strike", "strike", "talks"],
            "date": pd.to_datetime(
                ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-04", "2025-01-04", "2025-01-02"]
            ),
            "weapon_category": ["drone", "cruise missile", "unknown", "drone", "drone", None],
            "weapon_model": ["Shahed", "Kh-101", "missiles (all types)", "Shahed", "Gerbera", None],
            "launched": [100.0, 10.0, 5.0, np.nan, np.nan, np.nan],
            "wave_id": ["w1", "w1", "w2", None, None, None],
        }
    )
    regions = pd.DataFrame(
        {
            "event_id": ["s1", "s1", "s2", "s2", "s4"],
            "region_code": ["UA-30", "UA-32", "UA-30", "UA-46", "UA-51"],
            "role": ["target", "affected", "target", "intercepted", "target"],
        }
    )
    return events, regions


def test_daily_series_sums_counts_and_counts_waves_and_regions():
    events, regions = strike_tables()
    series = daily_series(events, regions, absent_days="zero")
    assert list(series.columns) == list(METRICS)
    assert list(series.index) == list(pd.date_range("2025-01-01", "2025-01-04"))
    first = series.loc["2025-01-01"]
    assert first["drones_launched"] == 100
    # Cruise missile plus the curated "missiles (all types)" row of category unknown.
    assert first["missiles_launched"] == 15
    assert first["waves"] == 2
    # UA-46 is only an interception, not a hit.
    assert first["regions_hit"] == 2
    # The talks day is not a strike day: zero under "zero".
    assert series.loc["2025-01-02"].tolist() == [0.0, 0.0, 0.0, 0.0]
    # Drone rows without any count: unknown, not zero. Rows without wave_id are own waves.
    fourth = series.loc["2025-01-04"]
    assert np.isnan(fourth["drones_launched"])
    assert fourth["waves"] == 2
    assert fourth["missiles_launched"] == 0
    assert fourth["regions_hit"] == 1


def test_daily_series_missing_policy_leaves_silent_days_and_categories_unknown():
    events, regions = strike_tables()
    series = daily_series(events, regions, absent_days="missing")
    assert series.loc["2025-01-02":"2025-01-03"].isna().all().all()
    # A strike day with no missile row says nothing about missiles under "missing".
    assert np.isnan(series.loc["2025-01-04", "missiles_launched"])
    assert series.loc["2025-01-01", "drones_launched"] == 100


def test_daily_series_without_strikes_is_empty_and_rejects_unknown_policy():
    events, regions = strike_tables()
    empty = daily_series(events[events["kind"] != "strike"], regions)
    assert empty.empty
    assert list(empty.columns) == list(METRICS)
    with pytest.raises(ValueError, match="absent_days"):
        daily_series(events, regions, absent_days="zeros")


def test_a_row_without_a_wave_id_is_its_own_wave_even_when_its_id_is_a_wave_id():
    events = pd.DataFrame(
        {
            "event_id": ["w1", "s2"],
            "source": "curated",
            "scope": "regions",
            "kind": ["strike", "strike"],
            "date": pd.to_datetime(["2025-01-01", "2025-01-01"]),
            "weapon_category": ["drone", "drone"],
            "launched": [10.0, 20.0],
            "wave_id": [None, "w1"],
        }
    )
    empty = pd.DataFrame(columns=["event_id", "region_code", "role"])
    assert daily_series(events, empty).loc["2025-01-01", "waves"] == 2
