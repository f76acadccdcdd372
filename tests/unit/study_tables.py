"""Small synthetic inputs of the event study, built in code (shared by the test_study_* modules)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.study.effects import EffectStudy, event_study
from oblastwatch.study.settings import METRICS, StudySettings

DAY = pd.Timedelta(days=1)


def poisson_series(seed: int, n_days: int = 1000, level: float = 50.0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-01", periods=n_days, freq="D", name="date")
    values = rng.poisson(level, size=n_days).astype(float)
    return pd.DataFrame({metric: values for metric in METRICS}, index=days)


def talks(starts, ends=None, **columns) -> pd.DataFrame:
    starts = pd.to_datetime(list(starts))
    ends = starts if ends is None else pd.to_datetime(list(ends))
    frame = pd.DataFrame(
        {
            "event_id": [f"E{i:03d}" for i in range(len(starts))],
            "kind": "talks",
            "start": starts,
            "end": ends,
            "title": [f"Round {i}" for i in range(len(starts))],
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def spaced_events(series: pd.DataFrame, n: int = 10, first: int = 60, step: int = 90):
    return talks(series.index[first + step * i] for i in range(n))


def study(series: pd.DataFrame, events: pd.DataFrame, **settings) -> EffectStudy:
    """The event study with fewer draws than the defaults unless the test asks for more."""
    settings.setdefault("n_permutations", 999)
    settings.setdefault("n_bootstrap", 500)
    return event_study(series, events, StudySettings(**settings))
