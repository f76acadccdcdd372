"""The air-raid alerts table, its checks, and the regions the alert files do not describe.

One row per alert: the region it counts for (ISO 3166-2:UA), the level it was announced for,
when it started and ended (UTC instants), and whether the end time is an observation or was
imputed by the source (``imputed_end``: the volunteer file's ``naive`` rows, whose end was
set to start + 30 minutes because no end-of-alert message was posted). An alert for a raion
or a hromada counts for its oblast: hours per region follow the rule "any part of the oblast
under alert" (docs/alerts.md).

The columns and their rules are plain data, checked with vectorised numpy
(:func:`check_alerts`), as :mod:`oblastwatch.domain.model` does for the event tables.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oblastwatch.domain.regions import REGION_CODES

# The level an alert was announced for. The official file names one of the first three; the
# volunteer file is kept per oblast without saying whether the whole oblast was under alert
# ("unspecified": an alert somewhere in the oblast).
ALERT_LEVELS = ("oblast", "raion", "hromada", "unspecified")

ALERT_COLUMNS = ("source", "source_row", "region_code", "level", "start", "end", "imputed_end")
ALERT_DTYPES: dict[str, str] = {
    "source": "string",
    "source_row": "int64",
    "region_code": "string",
    "level": "string",
    "start": "datetime64[ns, UTC]",
    "end": "datetime64[ns, UTC]",
    "imputed_end": "bool",
}


class AlertTableError(ValueError):
    """An alerts table that breaks a rule; ``str()`` is one line naming row and column."""


@dataclass(frozen=True)
class PermanentAlert:
    """A region under one alert that never ended, left out of the alert files.

    From ``start`` on, the files say nothing about the region: its hours are "no data".
    """

    region_code: str
    start: pd.Timestamp
    source: str


_SIRENS_README = "https://github.com/Vadimkin/ukrainian-air-raid-sirens-dataset#readme"

# The dataset's README: "Luhansk oblast has permanent air raid alert since 04 April, 16:45 UTC";
# Crimea "since 10 December, 22:22 UTC" (no year given; the files begin in 2022, so 2022).
# Neither region is in the files after those instants (Crimea and Sevastopol never are).
PERMANENT_ALERTS: tuple[PermanentAlert, ...] = (
    PermanentAlert("UA-09", pd.Timestamp("2022-04-04 16:45", tz="UTC"), _SIRENS_README),
    PermanentAlert("UA-43", pd.Timestamp("2022-12-10 22:22", tz="UTC"), _SIRENS_README),
)


def empty_alerts() -> pd.DataFrame:
    """An alerts table without rows, with the canonical columns and dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=ALERT_DTYPES[c]) for c in ALERT_COLUMNS})


def conform_alerts(frame: pd.DataFrame | None) -> pd.DataFrame:
    """``frame`` with exactly the canonical columns, in order, and dtypes (None: no rows).

    Raises :class:`AlertTableError` when a column is missing.
    """
    if frame is None:
        return empty_alerts()
    missing = [c for c in ALERT_COLUMNS if c not in frame.columns]
    if missing:
        raise AlertTableError(f"alerts: missing columns {', '.join(missing)}")
    if [str(t) for t in frame[list(ALERT_COLUMNS)].dtypes] == list(ALERT_DTYPES.values()):
        return frame[list(ALERT_COLUMNS)].reset_index(drop=True)
    out = pd.DataFrame({c: frame[c].astype(ALERT_DTYPES[c]) for c in ALERT_COLUMNS})
    return out.reset_index(drop=True)


def check_alerts(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` conformed and checked; :class:`AlertTableError` names the first bad row.

    Every row has a source, a region code among the 27, a level of :data:`ALERT_LEVELS`, a
    start and an end, and ends after it starts.
    """
    alerts = conform_alerts(frame)
    for column in ALERT_COLUMNS:
        _fail_where(alerts, column, alerts[column].isna().to_numpy(), "is blank")
    _fail_where(
        alerts, "region_code", ~alerts["region_code"].isin(REGION_CODES).to_numpy(), "unknown"
    )
    _fail_where(alerts, "level", ~alerts["level"].isin(ALERT_LEVELS).to_numpy(), "unknown")
    _fail_where(alerts, "source_row", alerts["source_row"].to_numpy() < 0, "is negative")
    ends_first = (alerts["end"] <= alerts["start"]).to_numpy(dtype=bool)
    _fail_where(alerts, "end", ends_first, "is not after start")
    return alerts


def _fail_where(frame: pd.DataFrame, column: str, bad: np.ndarray, problem: str) -> None:
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        value = frame[column].iloc[row]
        raise AlertTableError(f"alerts row {row}, column {column}: {value!r} {problem}")
