"""Questions asked of the air-raid alerts in the index: the timeline's lane, the region page.

* :func:`daily_alert_series`: hours under alert per Kyiv day of the range, for the average
  region (the mean over the regions with data that day: a number on the same 0-24 scale as
  one region's) and for one region.
* :func:`strikes_under_alert`: of the attack waves that hit a region, how many came with an
  alert running in that region at the time.

Both read the alert arrays of :class:`~oblastwatch.query.index.PreparedEvents` (see
:mod:`oblastwatch.query.alert_hours` for the rules). The kind, weapon and source filters do
not apply to the alerts; they do choose the strikes.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from oblastwatch.domain.rules import KYIV_TZ
from oblastwatch.query.alert_hours import MergedAlerts
from oblastwatch.query.codes import day_number, region_index
from oblastwatch.query.filters import Filters, strike_mask
from oblastwatch.query.index import PreparedEvents, event_rows

NATIONWIDE = "average_region"
ALERT_SERIES_COLUMNS = (NATIONWIDE, "region")


def has_alerts(prepared: PreparedEvents) -> bool:
    """True when any alert is loaded."""
    return len(prepared.alert_hours) > 0


def daily_alert_series(
    prepared: PreparedEvents, filters: Filters, region: str | None = None
) -> pd.DataFrame:
    """Alert hours per day of the range (index ``date``), columns :data:`ALERT_SERIES_COLUMNS`.

    ``average_region`` is the mean over the regions with data that day; ``region`` the hours
    of ``region`` (all NaN when None). NaN where there is no data.
    """
    index = pd.date_range(filters.start, filters.end, freq="D", name="date")
    out = np.full((len(index), 2), np.nan)
    rows = prepared.alert_hours
    offset = day_number(filters.start) - prepared.alert_first_day
    lo, hi = max(offset, 0), min(offset + len(index), len(rows))
    if lo < hi:
        table = rows[lo:hi]
        known = ~np.isnan(table)
        counted = known.sum(axis=1)
        total = np.where(known, table, 0.0).sum(axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            out[lo - offset : hi - offset, 0] = np.where(counted > 0, total / counted, np.nan)
        if region is not None:
            out[lo - offset : hi - offset, 1] = table[:, region_index(region)]
    return pd.DataFrame(out, index=index, columns=list(ALERT_SERIES_COLUMNS))


@dataclass(frozen=True)
class StrikesUnderAlert:
    """Attack waves that hit a region in range, and how many came with an alert running.

    ``judged``: waves with a start time on a day the alert files cover for the region;
    ``under_alert``: of those, waves whose time span overlaps an alert in the region. The
    rest lack a time (``untimed``: the source gives only a date) or fall on days without
    alert data (``no_alert_data``).
    """

    waves: int
    judged: int
    under_alert: int
    untimed: int
    no_alert_data: int

    @property
    def share(self) -> float:
        """``under_alert / judged``; NaN when no wave could be judged."""
        return self.under_alert / self.judged if self.judged else float("nan")


def strikes_under_alert(
    prepared: PreparedEvents, filters: Filters, region: str
) -> StrikesUnderAlert:
    """How many of the waves that hit ``region`` in range came with an alert running there.

    A wave is under alert when its span (``start`` to ``end``, or the instant ``start`` when
    it has no end) overlaps one of the region's merged alert intervals.
    """
    p, r = prepared, region_index(region)
    selected = strike_mask(p, filters)
    if selected is None:
        return StrikesUnderAlert(0, 0, 0, 0, 0)
    lo, hi, mask = selected
    s = p.strikes
    a, b = s.hit_indptr[lo], s.hit_indptr[hi]
    hits = np.flatnonzero(s.hit_region[a:b] == r) + a
    strike_rows = s.hit_idx[hits]
    if mask is not None:
        strike_rows = strike_rows[mask[strike_rows - lo]]
    # One row per wave: the rows of a wave share its time span.
    _, first = np.unique(s.wave[strike_rows], return_index=True)
    strike_rows = np.sort(strike_rows[first])
    if not len(strike_rows):
        return StrikesUnderAlert(0, 0, 0, 0, 0)
    frame = event_rows(p, s.pos[strike_rows])
    start = _ns(frame["start"])
    end = _ns(frame["end"])
    timed = start != _NAT
    end = np.where(end == _NAT, start, end)
    covered = timed & _has_alert_data(p, r, start)
    merged = MergedAlerts(p.alert_start, p.alert_end, p.alert_indptr)
    running = merged.overlaps(r, start[covered], end[covered])
    return StrikesUnderAlert(
        waves=len(strike_rows),
        judged=int(covered.sum()),
        under_alert=int(running.sum()),
        untimed=int((~timed).sum()),
        no_alert_data=int((timed & ~covered).sum()),
    )


_NAT = np.iinfo(np.int64).min


def _ns(values: pd.Series) -> np.ndarray:
    stamps = pd.to_datetime(values, utc=True)
    return np.asarray(stamps.dt.as_unit("ns").array.asi8, dtype=np.int64)


def _has_alert_data(p: PreparedEvents, region: int, instants: np.ndarray) -> np.ndarray:
    """True where the Kyiv day of each instant has alert data for ``region``."""
    out = np.zeros(len(instants), dtype=bool)
    known = instants != _NAT
    if not known.any() or not len(p.alert_hours):
        return out
    local = pd.to_datetime(instants[known], utc=True).tz_convert(KYIV_TZ).tz_localize(None)
    days = (local.normalize().asi8 // (86_400 * 10**9)) - p.alert_first_day
    inside = (days >= 0) & (days < len(p.alert_hours))
    has_data = np.zeros(len(days), dtype=bool)
    has_data[inside] = ~np.isnan(p.alert_hours[days[inside], region])
    out[known] = has_data
    return out
