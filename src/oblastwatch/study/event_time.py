"""Event time: the daily series aligned on each event's first day.

Also its mean across events with a bootstrap band (the page's aligned chart and small
multiples).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.study.events import event_windows
from oblastwatch.study.series import metric_values, series_origin
from oblastwatch.study.settings import DEFAULT_SETTINGS, StudySettings


def event_time_matrix(
    series: pd.DataFrame,
    events: pd.DataFrame,
    settings: StudySettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Daily ``settings.metric`` aligned on each event's (or cluster's) first day.

    Rows are the units of :func:`oblastwatch.study.events.event_windows` under
    ``settings.overlap`` (index ``event_ids``), columns the days ``-window ... +window``
    relative to the start; days outside the series or without data are NaN. For events
    lasting several days, days 0, 1, ... are the event's own days.
    """
    window = settings.window
    values = metric_values(series, settings.metric)
    units = event_windows(events, window=window, overlap=settings.overlap)
    offsets = np.arange(-window, window + 1)
    origin = series_origin(series)
    start = ((units["start"] - origin) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    days = start[:, None] + offsets[None, :]
    inside = (days >= 0) & (days < len(values))
    matrix = np.full(days.shape, np.nan)
    matrix[inside] = values[days[inside]]
    return pd.DataFrame(
        matrix,
        index=pd.Index(units["event_ids"], name="event_ids"),
        columns=pd.Index(offsets, name="day"),
    )


def event_time_profile(
    matrix: pd.DataFrame,
    settings: StudySettings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Mean across events for each event-time day, with a percentile bootstrap band.

    Events (rows of :func:`event_time_matrix`) are resampled with replacement; a day's mean
    uses the events with data that day; ``settings`` gives the number of replicates, the
    seed and the confidence level. Columns: day, mean, ci_low, ci_high, n_events.
    """
    data = matrix.to_numpy(dtype=float)
    valid = np.isfinite(data)
    filled = np.where(valid, data, 0.0)
    n_rows = data.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / valid.sum(axis=0)
    low = np.full(data.shape[1], np.nan)
    high = np.full(data.shape[1], np.nan)
    if n_rows:
        rng = np.random.default_rng(settings.seed)
        weights = rng.multinomial(n_rows, np.full(n_rows, 1.0 / n_rows), size=settings.n_bootstrap)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = (weights @ filled) / (weights @ valid)
        alpha = 1.0 - settings.confidence
        has_data = valid.any(axis=0)
        if has_data.any():
            bounds = np.nanquantile(boot[:, has_data], [alpha / 2, 1 - alpha / 2], axis=0)
            low[has_data], high[has_data] = bounds
    return pd.DataFrame(
        {
            "day": matrix.columns.to_numpy(dtype=np.int64),
            "mean": mean,
            "ci_low": low,
            "ci_high": high,
            "n_events": valid.sum(axis=0).astype(np.int64),
        }
    )
