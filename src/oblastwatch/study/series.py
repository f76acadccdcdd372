"""The daily series the event study reads, and the check that a series can be studied.

The series has one row per calendar day (naive Kyiv days) and the columns of
:data:`~oblastwatch.study.settings.METRICS`; NaN means "no data that day", never zero. It comes
from the query layer's daily engine, the one behind the timeline, so the two cannot count a
day differently; the study adds only what a silent day means (``absent_days``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.query.build import prepare
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.series import daily_strike_series
from oblastwatch.study.settings import METRICS

ABSENT_DAY_POLICIES = ("zero", "missing")


def prepared_series(
    prepared: PreparedEvents,
    *,
    source: str | None = None,
    absent_days: str = "missing",
) -> pd.DataFrame:
    """The daily series of the strikes of one ``source`` (None: every strike).

    From a prepared index, through the query layer's daily engine, the one the timeline reads
    (:func:`oblastwatch.query.series.daily_strike_series`).

    Columns :data:`~oblastwatch.study.settings.METRICS`, one row per calendar day from the
    first to the last strike date (the Kyiv day each wave ended):

    * ``drones_launched``: sum of ``launched`` over rows with ``weapon_category == "drone"``;
    * ``missiles_launched``: the same over the rows :func:`oblastwatch.domain.rules.is_missile`
      counts (typed missiles, and ``unknown`` rows whose model says "missile");
    * ``waves``: distinct attack waves (:func:`oblastwatch.domain.rules.wave_keys`: a row
      without a ``wave_id`` is its own wave);
    * ``regions_hit``: distinct region codes named in a hit role
      (:data:`oblastwatch.domain.rules.HIT_ROLES`).

    A day that has rows of a category but no known count for any of them gets NaN for that
    category (the count is unknown, not zero); known counts are summed.

    ``absent_days`` says what silence means: a day in that span without any strike row, and a
    day whose strike rows include no row of a category (no drone row, no region named).
    ``"zero"`` suits a source that reports every day (the Air Force daily reports in the
    Massive Missile Attacks dataset): nothing reported is taken as nothing launched.
    ``"missing"`` (NaN) suits a sparse curated list of major strikes, which says nothing
    about the days it skips and leaves a count blank when no page gave it.
    """
    if absent_days not in ABSENT_DAY_POLICIES:
        raise ValueError(f"absent_days must be one of {ABSENT_DAY_POLICIES}, got {absent_days!r}")
    silent = 0.0 if absent_days == "zero" else np.nan
    sources = None if source is None else (source,)
    series = daily_strike_series(prepared, sources=sources, silent=silent)
    return series[list(METRICS)]


def daily_series(
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    *,
    absent_days: str = "missing",
) -> pd.DataFrame:
    """:func:`prepared_series` of every strike in the canonical ``events`` and ``event_regions``.

    The tables are prepared here; pass a prepared index to :func:`prepared_series` when one is
    at hand.

    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "event_id": ["a", "b"], "source": "list", "kind": ["strike", "strike"],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-03"]), "scope": "regions",
    ...     "weapon_category": ["drone", "ballistic missile"], "launched": [10.0, 2.0],
    ...     "wave_id": ["w1", "w2"]})
    >>> regions = pd.DataFrame({"event_id": ["a"], "region_code": ["UA-30"], "role": ["target"]})
    >>> daily_series(events, regions, absent_days="zero")["drones_launched"].tolist()
    [10.0, 0.0, 0.0]
    >>> daily_series(events, regions)["missiles_launched"].tolist()
    [nan, nan, 2.0]
    """
    if absent_days not in ABSENT_DAY_POLICIES:
        raise ValueError(f"absent_days must be one of {ABSENT_DAY_POLICIES}, got {absent_days!r}")
    # Region rows of events outside ``events`` (a subset of a dataset) name nothing here.
    regions = event_regions.loc[event_regions["event_id"].isin(events["event_id"])]
    prepared = prepare(conform_events(events), conform_event_regions(regions))
    return prepared_series(prepared, absent_days=absent_days)


def metric_values(series: pd.DataFrame, metric: str) -> np.ndarray:
    """The ``metric`` column of a daily series as floats (NaN for days without data).

    Raises ``ValueError`` unless the series is indexed by every naive calendar day once, in
    order, and has the column.
    """
    if metric not in series.columns:
        raise ValueError(
            f"metric {metric!r} is not a column of the series "
            f"(columns: {', '.join(map(str, series.columns))})"
        )
    index = series.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("the series must be indexed by day (a DatetimeIndex)")
    if index.tz is not None:
        raise ValueError("the series index must hold naive Kyiv calendar days, not tz-aware times")
    if len(index) > 1:
        steps = index[1:] - index[:-1]
        if (index != index.normalize()).any() or (steps != pd.Timedelta(days=1)).any():
            raise ValueError(
                "the series index must list every calendar day once, in order "
                "(use NaN for days without data)"
            )
    column = series[metric]
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return column.to_numpy(dtype=float, na_value=np.nan)
    return column.to_numpy(dtype=float)


def series_origin(series: pd.DataFrame) -> pd.Timestamp:
    """The day of the series' first row (day index 0 of the study's arrays)."""
    return series.index[0] if len(series) else pd.Timestamp("1970-01-01")
