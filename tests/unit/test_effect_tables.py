"""The event study's display tables (oblastwatch.present.effect_tables)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from oblastwatch.present.effect_tables import (
    EFFECT_TABLE_COLUMNS,
    POOLED_TABLE_COLUMNS,
    effect_table,
    pooled_table,
)

XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def effect_table_input() -> pd.DataFrame:
    """Two rows shaped like analysis.talks_effect output, oldest first."""
    return pd.DataFrame(
        {
            "event_ids": ["a", "b;c"],
            "n_events": [1, 2],
            "title": ["Old talks", XSS],
            "kind": ["talks", "talks"],
            "start": pd.to_datetime(["2025-01-10", "2025-05-01"]),
            "end": pd.to_datetime(["2025-01-10", "2025-05-03"]),
            "venue": ["Geneva", None],
            "format": ["bilateral", "trilateral"],
            "parties": ["Russia;Ukraine", "US;Russia;Ukraine"],
            "before_mean": [10.0, np.nan],
            "during_mean": [12.0, 5.0],
            "after_mean": [8.0, 6.0],
            "baseline_mean": [10.0, 5.0],
            "ratio_before": [1.0, np.nan],
            "ratio_during": [1.2, 1.0],
            "ratio_after": [0.8, 1.2],
            "ci_low_before": [0.5, np.nan],
            "ci_high_before": [1.5, np.nan],
            "ci_low_during": [0.9, 0.25],
            "ci_high_during": [1.444, 2.0],
            "ci_low_after": [0.1, 0.2],
            "ci_high_after": [1.0, 3.0],
            "p_before": [1.0, np.nan],
            "p_during": [0.04, 0.9],
            "p_after": [0.5, 0.6],
            "n_days_missing": [0, 3],
            "n_placebo": [100, 90],
        }
    )


# --- tables ----------------------------------------------------------------------------------


def test_effect_table_is_newest_first_with_intervals_as_text(effect_table_input):
    out = effect_table(effect_table_input)
    assert list(out.columns) == list(EFFECT_TABLE_COLUMNS)
    assert out["event_ids"].tolist() == ["b;c", "a"]
    assert out["first_day"].tolist() == [date(2025, 5, 1), date(2025, 1, 10)]
    assert out["last_day"].tolist() == [date(2025, 5, 3), date(2025, 1, 10)]
    assert out.loc[1, "interval_during"] == "0.90–1.44"
    assert pd.isna(out.loc[0, "interval_before"])  # undefined interval stays empty
    assert math.isnan(out.loc[0, "before_mean"])  # missing stays missing, never 0
    assert out.loc[0, "parties"] == "US, Russia, Ukraine"
    assert out.loc[0, "title"] == XSS  # st.dataframe shows text as text: no escaping here


def test_pooled_table_formats_the_interval():
    pooled = pd.DataFrame(
        {
            "window": ["before", "during", "after"],
            "n_units": [3, 3, 0],
            "n_clusters": [3, 3, 0],
            "mean_window": [1.0, 2.0, np.nan],
            "mean_baseline": [1.0, 1.0, np.nan],
            "mean_ratio": [1.0, 2.0, np.nan],
            "ci_low": [0.5, 1.25, np.nan],
            "ci_high": [1.5, 3.0, np.nan],
            "p_value": [0.9, 0.01, np.nan],
        }
    )
    out = pooled_table(pooled)
    assert list(out.columns) == list(POOLED_TABLE_COLUMNS)
    assert out["interval"].tolist()[:2] == ["0.50–1.50", "1.25–3.00"]
    assert pd.isna(out["interval"].iloc[2])
