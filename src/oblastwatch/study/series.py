"""The daily series the event study reads, and the check that a series can be studied.

The series has one row per calendar day (naive Kyiv days) and the columns of
:data:`~oblastwatch.study.settings.METRICS`; NaN means "no data that day", never zero.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.domain import rules
from oblastwatch.study.settings import METRICS

ABSENT_DAY_POLICIES = ("zero", "missing")


def daily_series(
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    *,
    absent_days: str = "missing",
) -> pd.DataFrame:
    """Daily strike metrics from the canonical ``events`` and ``event_regions`` tables.

    Only rows with ``kind == "strike"`` count, grouped by ``date`` (the Kyiv day the wave
    ended):

    * ``drones_launched``: sum of ``launched`` over rows with ``weapon_category == "drone"``;
    * ``missiles_launched``: the same over the rows :func:`oblastwatch.domain.rules.is_missile`
      counts (typed missiles, and ``unknown`` rows whose model says "missile");
    * ``waves``: distinct attack waves (:func:`oblastwatch.domain.rules.wave_keys`: a row
      without a ``wave_id`` is its own wave);
    * ``regions_hit``: distinct region codes named in a hit role
      (:data:`oblastwatch.domain.rules.HIT_ROLES`).

    A day that has rows of a category but no known count for any of them gets NaN for that
    category (the count is unknown, not zero); known counts are summed.

    The index runs over every calendar day from the first to the last strike date.
    ``absent_days`` says what silence means: a day in that span without any strike row, and a
    day whose strike rows include no row of a category (no drone row, no region named).
    ``"zero"`` suits a source that reports every day (the Air Force daily reports in the
    Massive Missile Attacks dataset): nothing reported is taken as nothing launched.
    ``"missing"`` (NaN) suits a sparse curated list of major strikes, which says nothing
    about the days it skips and leaves a count blank when no page gave it.

    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "event_id": ["a", "b"], "kind": ["strike", "strike"],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-03"]),
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
    missing = [c for c in ("event_id", "kind", "date") if c not in events.columns]
    if missing:
        raise ValueError(f"events table lacks column(s) {', '.join(missing)}")
    is_strike = events["kind"].astype("string").eq("strike").fillna(False).to_numpy(bool)
    strikes = events.loc[is_strike]
    if strikes.empty:
        empty_index = pd.DatetimeIndex([], name="date")
        return pd.DataFrame({m: pd.Series(dtype="float64") for m in METRICS}, index=empty_index)

    day = pd.to_datetime(strikes["date"]).dt.normalize()
    if day.isna().any():
        bad = strikes.loc[day.isna(), "event_id"].iloc[0]
        raise ValueError(f"strike event {bad!r} has no date")
    category = _column(strikes, "weapon_category", "string")
    launched = _column(strikes, "launched", "Float64").to_numpy(dtype=float, na_value=np.nan)
    wave = rules.wave_keys(_column(strikes, "wave_id", "string"), strikes["event_id"])
    rows = pd.DataFrame(
        {
            "date": day.to_numpy(),
            "event_id": strikes["event_id"].astype("string").to_numpy(),
            "is_drone": category.eq("drone").fillna(False).to_numpy(bool),
            "is_missile": rules.is_missile(category, _column(strikes, "weapon_model", "string")),
            "launched": launched,
            "wave": wave.to_numpy(zero_copy_only=False),
        }
    )
    strike_days = pd.DatetimeIndex(np.sort(rows["date"].unique()), name="date")

    # What silence means: a day without strike rows, or a day whose rows have none of a
    # category (a curated row without a missile count), is zero or unknown by the same rule.
    fill = 0.0 if absent_days == "zero" else np.nan
    out = pd.DataFrame(index=strike_days)
    for column, mask in (("drones_launched", "is_drone"), ("missiles_launched", "is_missile")):
        subset = rows.loc[rows[mask]]
        # min_count=1: a day whose rows of this category all lack a count stays NaN.
        totals = subset.groupby("date")["launched"].sum(min_count=1)
        out[column] = totals.reindex(strike_days).where(strike_days.isin(totals.index), fill)
    out["waves"] = rows.groupby("date")["wave"].nunique().reindex(strike_days).astype(float)
    out["regions_hit"] = _regions_hit(rows, event_regions).reindex(strike_days, fill_value=fill)

    full_days = pd.date_range(strike_days[0], strike_days[-1], freq="D", name="date")
    series = out.reindex(full_days, fill_value=fill).astype("float64")
    return series[list(METRICS)]


def _column(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(dtype)
    return pd.Series(pd.NA, index=frame.index, dtype=dtype)


def _regions_hit(rows: pd.DataFrame, event_regions: pd.DataFrame) -> pd.Series:
    if event_regions is None or event_regions.empty:
        return pd.Series(dtype="float64")
    links = event_regions.loc[
        event_regions["role"].astype("string").isin(rules.HIT_ROLES).fillna(False).to_numpy(bool),
        ["event_id", "region_code"],
    ].astype("string")
    joined = rows[["event_id", "date"]].merge(links, on="event_id", how="inner")
    return joined.groupby("date")["region_code"].nunique().astype(float)


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
