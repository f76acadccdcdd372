"""Hours under air-raid alert per region and Kyiv day, from the alerts table.

The rules (docs/alerts.md):

* **Merged, never summed.** The alerts of one region (its oblast-level alerts and those of
  any raion or hromada in it, from every loaded alert file) are merged into the union of
  their intervals: an oblast alert and three of its raions at once count once ("any part of
  the oblast under alert").
* **Kyiv days.** Merged intervals are cut at each midnight in Europe/Kyiv, so a day has 23
  hours on the night clocks go forward and 25 on the night they go back, and an alert from
  23:00 to 01:00 gives one hour to each day.
* **No data is not zero.** A region-day is NaN when the day lies outside the alerts' span
  (the first start to the last end, Kyiv days), when the region has no alert at all in the
  loaded files (Crimea and Sevastopol are not in the sirens dataset), or from the day a
  permanent alert left the region out of the files
  (:data:`oblastwatch.domain.alerts.PERMANENT_ALERTS`, Luhansk from 4 April 2022).
* **Imputed ends.** ``imputed_hours`` are the hours that only alerts with an imputed end
  cover: the merged hours minus the merged hours of the alerts whose end was observed.

Everything is vectorised: one sort, a per-region running maximum of the end times to find
where a new merged interval begins, and ``np.repeat``/``np.bincount`` to cut at midnights.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from oblastwatch.domain.alerts import PERMANENT_ALERTS, PermanentAlert
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.domain.rules import KYIV_TZ
from oblastwatch.query.codes import EPOCH, N_REGIONS, as_date

_NS_PER_HOUR = 3_600 * 10**9
HOURS_COLUMNS = ("region_code", "date", "alert_hours", "imputed_hours")


@dataclass(frozen=True)
class MergedAlerts:
    """The union of each region's alert intervals, as UTC nanoseconds.

    Region ``r``'s merged intervals are ``start[indptr[r]:indptr[r + 1]]`` (sorted, disjoint,
    not touching) and the same slice of ``end`` (exclusive).
    """

    start: np.ndarray  # int64 ns
    end: np.ndarray  # int64 ns
    indptr: np.ndarray  # int64, len N_REGIONS + 1

    def under_alert(self, region: int, instants: np.ndarray) -> np.ndarray:
        """True for each instant (int64 ns) at which ``region`` is under alert."""
        lo, hi = int(self.indptr[region]), int(self.indptr[region + 1])
        starts, ends = self.start[lo:hi], self.end[lo:hi]
        block = np.searchsorted(starts, instants, side="right") - 1
        inside = block >= 0
        inside[inside] = instants[inside] < ends[block[inside]]
        return inside

    def overlaps(self, region: int, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """True for each span ``starts[i]..ends[i]`` (int64 ns, inclusive) that meets an alert.

        The merged intervals are disjoint and sorted, so the last one starting at or before
        a span's end reaches furthest of those that could meet it.
        """
        lo, hi = int(self.indptr[region]), int(self.indptr[region + 1])
        first, last = self.start[lo:hi], self.end[lo:hi]
        block = np.searchsorted(first, ends, side="right") - 1
        meets = block >= 0
        meets[meets] = last[block[meets]] > starts[meets]
        return meets


@dataclass(frozen=True)
class DailyAlertHours:
    """Alert hours per Kyiv day (rows, from ``first_day``) and region (columns, REGION_CODES).

    ``hours`` and ``imputed`` are NaN where there is no data (see the module doc).
    """

    first_day: int  # days since 1970-01-01
    hours: np.ndarray  # float64 (n_days, N_REGIONS)
    imputed: np.ndarray  # float64 (n_days, N_REGIONS)


def merge_alerts(alerts: pd.DataFrame, *, observed_only: bool = False) -> MergedAlerts:
    """The union of the alert intervals of each region (``observed_only``: imputed ends left out)."""
    keep = ~alerts["imputed_end"].to_numpy(dtype=bool) if observed_only else slice(None)
    region = _region_codes(alerts["region_code"])[keep]
    start = _ns(alerts["start"])[keep]
    end = _ns(alerts["end"])[keep]
    order = np.lexsort((start, region))
    region, start, end = region[order], start[order], end[order]
    if not len(start):
        empty = np.zeros(0, dtype=np.int64)
        return MergedAlerts(empty, empty, np.zeros(N_REGIONS + 1, dtype=np.int64))
    # Running maximum of the ends within each region: a new merged interval begins where a
    # start lies after every earlier end of its region (or the region changes).
    reach = pd.Series(end).groupby(region).cummax().to_numpy()
    new_region = np.r_[True, region[1:] != region[:-1]]
    begins = new_region | np.r_[True, start[1:] > reach[:-1]]
    first = np.flatnonzero(begins)
    last = np.r_[first[1:], len(start)] - 1
    merged_region = region[first]
    indptr = np.searchsorted(merged_region, np.arange(N_REGIONS + 1)).astype(np.int64)
    return MergedAlerts(start[first], reach[last], indptr)


def daily_alert_hours(
    alerts: pd.DataFrame, permanent: Iterable[PermanentAlert] = PERMANENT_ALERTS
) -> DailyAlertHours:
    """Hours under alert per Kyiv day and region (see the module doc for every rule)."""
    if not len(alerts):
        empty = np.zeros((0, N_REGIONS))
        return DailyAlertHours(0, empty, empty.copy())
    start, end = _ns(alerts["start"]), _ns(alerts["end"])
    first_day = _kyiv_day(int(start.min()))
    last_day = _kyiv_day(int(end.max()) - 1)
    n_days = last_day - first_day + 1
    midnights = _kyiv_midnights(first_day, n_days + 1)
    hours = _hours_per_day(merge_alerts(alerts), midnights, n_days)
    observed = _hours_per_day(merge_alerts(alerts, observed_only=True), midnights, n_days)
    imputed = hours - observed
    present = np.bincount(_region_codes(alerts["region_code"]), minlength=N_REGIONS) > 0
    no_data = np.broadcast_to(~present, hours.shape).copy()
    for alert in permanent:
        column = REGION_CODES.index(alert.region_code)
        from_row = max(_kyiv_day(int(alert.start.value)) - first_day, 0)
        no_data[from_row:, column] = True
    hours[no_data] = np.nan
    imputed[no_data] = np.nan
    return DailyAlertHours(first_day, hours, imputed)


def alert_hours_table(
    alerts: pd.DataFrame, permanent: Iterable[PermanentAlert] = PERMANENT_ALERTS
) -> pd.DataFrame:
    """One row per region and Kyiv day of the alerts' span: :data:`HOURS_COLUMNS`.

    Sorted by region code, then date; ``alert_hours`` and ``imputed_hours`` are NaN where
    there is no data.
    """
    daily = daily_alert_hours(alerts, permanent)
    n_days = len(daily.hours)
    days = np.arange(daily.first_day, daily.first_day + n_days)
    dates = (EPOCH + days.astype("timedelta64[D]")).astype("datetime64[s]")
    order = np.argsort(np.asarray(REGION_CODES), kind="stable")
    return pd.DataFrame(
        {
            "region_code": np.repeat(np.asarray(REGION_CODES, dtype=object)[order], n_days),
            "date": np.tile(pd.to_datetime(dates).date, N_REGIONS),
            "alert_hours": daily.hours[:, order].T.reshape(-1),
            "imputed_hours": daily.imputed[:, order].T.reshape(-1),
        }
    )


def _hours_per_day(merged: MergedAlerts, midnights: np.ndarray, n_days: int) -> np.ndarray:
    """Hours of ``merged`` in each Kyiv day, cut at ``midnights`` (UTC ns, n_days + 1)."""
    regions = np.repeat(np.arange(N_REGIONS), np.diff(merged.indptr))
    first = np.searchsorted(midnights, merged.start, side="right") - 1
    last = np.searchsorted(midnights, merged.end, side="left") - 1  # the end is exclusive
    pieces = last - first + 1
    owner = np.repeat(np.arange(len(first)), pieces)
    offset = np.arange(len(owner)) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    day = first[owner] + offset
    begin = np.maximum(merged.start[owner], midnights[day])
    finish = np.minimum(merged.end[owner], midnights[day + 1])
    key = day * N_REGIONS + regions[owner]
    ns = np.bincount(key, weights=(finish - begin).astype(np.float64), minlength=n_days * N_REGIONS)
    return ns.reshape(n_days, N_REGIONS) / _NS_PER_HOUR


def _kyiv_midnights(first_day: int, count: int) -> np.ndarray:
    """UTC nanoseconds of the Kyiv midnights that begin ``count`` days from ``first_day``."""
    days = pd.date_range(as_date(first_day), periods=count, freq="D")
    # A Kyiv midnight always exists and is never ambiguous (the clocks change at 03:00/04:00).
    return days.tz_localize(KYIV_TZ).tz_convert("UTC").as_unit("ns").asi8


def _kyiv_day(instant_ns: int) -> int:
    """The Kyiv calendar day (days since 1970-01-01) of a UTC instant."""
    local = pd.Timestamp(instant_ns, unit="ns", tz="UTC").tz_convert(KYIV_TZ)
    return (local.date() - as_date(0)).days


def _ns(values: pd.Series) -> np.ndarray:
    return np.asarray(values.dt.as_unit("ns").array.asi8, dtype=np.int64)


def _region_codes(codes: pd.Series) -> np.ndarray:
    found = pd.Categorical(codes, categories=REGION_CODES).codes.astype(np.int64)
    if (found < 0).any():
        bad = codes.iloc[int(np.flatnonzero(found < 0)[0])]
        raise ValueError(f"alerts: unknown region code {bad!r}")
    return found
