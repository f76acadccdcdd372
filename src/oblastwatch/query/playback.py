"""The playback's frames: a date range cut into steps, and every region's map value per frame.

A **frame** ends on the last day of a step (a day, a week counted from the range's first day,
or a calendar month; the last frame ends on the range's last day) and covers either a sliding
window of ``window`` days up to that day or, with ``window=None``, every day since the start
of the range. A window never reaches before the range's first day: the shared date range is a
filter like the others.

:func:`frame_values` gives, for every frame, what
:func:`~oblastwatch.query.metrics.region_metric` gives for that frame's date range, with the
same filters and the same missing-versus-zero rule, but computed for all frames at once: each
count is a per-day, per-region table summed over windows through running sums, and the
distinct attack waves (which cannot be summed over days: a wave may run over several days)
are counted with one interval per (wave, region) row. Four years of daily frames cost one
pass over the rows in range instead of 1,461 calls.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

import numpy as np

from oblastwatch.query.codes import INCIDENT, N_REGIONS, as_date, day_number
from oblastwatch.query.filters import Filters, date_slice, kinds_ok, sources_ok, strike_mask
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.metrics import METRICS

STEPS = ("day", "week", "month")
# The window a step gets unless one is chosen: one step's worth of days.
DEFAULT_WINDOW = {"day": 1, "week": 7, "month": 30}
MAX_WINDOW = 366


@dataclass(frozen=True, eq=False)
class FrameValues:
    """The map value of every region in every frame.

    ``starts`` and ``ends`` are the inclusive day numbers (days since 1970-01-01) of each
    frame's date range; ``values`` is ``(n_frames, 27)`` in the order of
    :data:`~oblastwatch.domain.regions.REGION_CODES`, ``NaN`` where no report names the region
    in the frame.
    """

    metric: str
    step: str
    window: int | None
    starts: np.ndarray
    ends: np.ndarray
    values: np.ndarray

    def __len__(self) -> int:
        """The number of frames."""
        return len(self.ends)

    def frame_range(self, k: int) -> tuple[date, date]:
        """The first and last day of frame ``k``."""
        return as_date(self.starts[k]), as_date(self.ends[k])

    def frame_at(self, day: date) -> int:
        """The frame whose step ends on or after ``day`` (clipped to the first and last frame).

        >>> f = FrameValues("waves", "week", 7, np.array([0, 7]), np.array([6, 13]), np.zeros((2, 27)))
        >>> f.frame_at(date(1970, 1, 7)), f.frame_at(date(1970, 1, 8)), f.frame_at(date(2000, 1, 1))
        (0, 1, 1)
        """
        k = int(np.searchsorted(self.ends, day_number(day), side="left"))
        return min(k, len(self.ends) - 1)


def check_step(step: str, window: int | None) -> None:
    """Raise ``ValueError`` naming the value for an unknown step or a window out of range."""
    if step not in STEPS:
        raise ValueError(f"unknown step {step!r}; expected one of {', '.join(STEPS)}")
    if window is not None and not 1 <= window <= MAX_WINDOW:
        raise ValueError(f"window must be 1 to {MAX_WINDOW} days, or cumulative; got {window}")


def frame_ends(start: date, end: date, step: str) -> np.ndarray:
    """Day numbers of the last day of every step from ``start`` to ``end`` (int64).

    Weeks count from ``start``; months are calendar months. The last frame ends on ``end``.

    >>> [str(as_date(d)) for d in frame_ends(date(2026, 1, 30), date(2026, 3, 2), "month")]
    ['2026-01-31', '2026-02-28', '2026-03-02']
    >>> [str(as_date(d)) for d in frame_ends(date(2026, 1, 1), date(2026, 1, 10), "week")]
    ['2026-01-07', '2026-01-10']
    """
    check_step(step, None)
    if end < start:
        raise ValueError(f"date range ends ({end}) before it starts ({start})")
    first, last = day_number(start), day_number(end)
    if step == "day":
        return np.arange(first, last + 1, dtype=np.int64)
    if step == "week":
        ends = np.arange(first + 6, last + 1, 7, dtype=np.int64)
    else:
        month_ends = []
        year, month = start.year, start.month
        while True:
            month_end = date(year, month, calendar.monthrange(year, month)[1])
            if month_end >= end:
                break
            month_ends.append(day_number(month_end))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        ends = np.array(month_ends, dtype=np.int64)
    if not len(ends) or ends[-1] != last:
        ends = np.append(ends, last)
    return ends


def frame_ranges(
    start: date, end: date, step: str, window: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """``(starts, ends)``: inclusive day numbers of every frame (see the module doc).

    >>> starts, ends = frame_ranges(date(2026, 1, 1), date(2026, 1, 3), "day", 2)
    >>> [(str(as_date(a)), str(as_date(b))) for a, b in zip(starts, ends)]
    [('2026-01-01', '2026-01-01'), ('2026-01-01', '2026-01-02'), ('2026-01-02', '2026-01-03')]
    """
    check_step(step, window)
    ends = frame_ends(start, end, step)
    first = day_number(start)
    if window is None:
        starts = np.full(len(ends), first, dtype=np.int64)
    else:
        starts = np.maximum(ends - (window - 1), first)
    return starts, ends


def frame_values(
    prepared: PreparedEvents,
    filters: Filters,
    metric: str,
    *,
    step: str,
    window: int | None,
) -> FrameValues:
    """Every region's ``metric`` in every frame of ``filters``' date range.

    Frame ``k`` holds ``region_metric(prepared, replace(filters, start=..., end=...), metric)``
    for its range (kinds, weapons and sources filters applied; ``filters.region`` ignored).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    starts, ends = frame_ranges(filters.start, filters.end, step, window)
    windows = _Windows(day_number(filters.start), starts, ends)
    if metric == "incidents":
        values = _incident_frames(prepared, filters, windows)
    elif metric == "alert_hours":
        values = _alert_frames(prepared, windows)
    else:
        values = _strike_frames(prepared, filters, metric, windows)
    return FrameValues(metric, step, window, starts, ends, values)


class _Windows:
    """Sums of per-day, per-region tables over the frames' windows."""

    def __init__(self, first: int, starts: np.ndarray, ends: np.ndarray) -> None:
        self.first = first
        self.n_days = int(ends[-1]) - first + 1
        self.starts = starts
        self.ends = ends

    def empty(self) -> np.ndarray:
        return np.full((len(self.ends), N_REGIONS), np.nan)

    def table(self, days: np.ndarray, regions: np.ndarray, weights=None) -> np.ndarray:
        """Per-day, per-region sums of ``weights`` (default: row counts) over the range."""
        key = (days.astype(np.int64) - self.first) * N_REGIONS + regions
        size = self.n_days * N_REGIONS
        return np.bincount(key, weights=weights, minlength=size).reshape(self.n_days, N_REGIONS)

    def sums(self, table: np.ndarray) -> np.ndarray:
        """``(n_frames, 27)`` sums of ``table``'s rows over each frame's days."""
        running = np.zeros((self.n_days + 1, N_REGIONS))
        np.cumsum(table, axis=0, out=running[1:])
        return running[self.ends - self.first + 1] - running[self.starts - self.first]

    def distinct(self, keys: np.ndarray, days: np.ndarray, regions: np.ndarray) -> np.ndarray:
        """Per frame and region, the number of distinct ``keys`` with a row in the window.

        Rows are in day order. A row counts for the frames whose window holds its day but
        not its key's previous row: a contiguous run of frames, since the windows' starts and
        ends both only move forward. Each row adds +1 at the first such frame and -1 after
        the last, and a running sum over frames gives the counts.
        """
        n_frames = len(self.ends)
        order = np.argsort(keys, kind="stable")
        previous = np.full(len(keys), np.iinfo(np.int64).min // 2, dtype=np.int64)
        same = keys[order[1:]] == keys[order[:-1]]
        previous[order[1:][same]] = days[order[:-1][same]]
        first_holding = np.searchsorted(self.ends, days, side="left")
        last_holding = np.searchsorted(self.starts, days, side="right") - 1
        first_without_previous = np.searchsorted(self.starts, previous, side="right")
        begin = np.maximum(first_holding, first_without_previous)
        counted = begin <= last_holding
        changes = np.zeros((n_frames + 1) * N_REGIONS)
        regions = regions.astype(np.int64)[counted]
        np.add.at(changes, begin[counted] * N_REGIONS + regions, 1.0)
        np.add.at(changes, (last_holding[counted] + 1) * N_REGIONS + regions, -1.0)
        return np.cumsum(changes.reshape(n_frames + 1, N_REGIONS), axis=0)[:n_frames]


def _strike_frames(
    p: PreparedEvents, filters: Filters, metric: str, windows: _Windows
) -> np.ndarray:
    selected = strike_mask(p, filters)
    if selected is None:  # strikes filtered out: no reports anywhere
        return windows.empty()
    lo, hi, mask = selected
    s = p.strikes
    keep = np.ones(hi - lo, dtype=bool) if mask is None else mask
    na, nb = s.named_indptr[lo], s.named_indptr[hi]
    named_keep = np.repeat(keep, np.diff(s.named_indptr[lo : hi + 1]))
    named_day = np.repeat(s.day[lo:hi], np.diff(s.named_indptr[lo : hi + 1]))
    reported = windows.sums(windows.table(named_day[named_keep], s.named_region[na:nb][named_keep]))
    a, b = s.hit_indptr[lo], s.hit_indptr[hi]
    hit_rows = s.hit_idx[a:b]
    hit_keep = keep[hit_rows - lo]
    days = s.day[hit_rows[hit_keep]]
    regions = s.hit_region[a:b][hit_keep]
    values: np.ndarray
    if metric == "waves":
        values = windows.distinct(s.hit_wave_region[a:b][hit_keep], days, regions)
    elif metric == "days":
        values = windows.sums(windows.table(days, regions) > 0)
    else:
        launched = s.hit_launched[a:b][hit_keep]
        counted = ~np.isnan(launched)
        values = windows.sums(windows.table(days[counted], regions[counted], launched[counted]))
        hits = windows.sums(windows.table(days, regions))
        with_count = windows.sums(windows.table(days[counted], regions[counted]))
        values[(hits > 0) & (with_count == 0)] = np.nan
    values[~(reported > 0)] = np.nan
    return values


def _alert_frames(p: PreparedEvents, windows: _Windows) -> np.ndarray:
    """Alert hours summed over each frame's days; NaN where no day in the frame has data."""
    rows = np.arange(windows.first, windows.first + windows.n_days) - p.alert_first_day
    inside = (rows >= 0) & (rows < len(p.alert_hours))
    table = np.full((windows.n_days, N_REGIONS), np.nan)
    table[inside] = p.alert_hours[rows[inside]]
    known = ~np.isnan(table)
    values = windows.sums(np.where(known, table, 0.0))
    values[~(windows.sums(known.astype(np.float64)) > 0)] = np.nan
    return values


def _incident_frames(p: PreparedEvents, filters: Filters, windows: _Windows) -> np.ndarray:
    if not kinds_ok(filters)[INCIDENT]:
        return windows.empty()
    lo, hi = date_slice(p.incident_day, filters)
    sources = sources_ok(p, filters)
    keep = (
        np.ones(hi - lo, dtype=bool)
        if sources is None
        else sources[p.source[p.incident_pos[lo:hi]]]
    )
    counts = np.diff(p.inc_named_indptr[lo : hi + 1])
    na, nb = p.inc_named_indptr[lo], p.inc_named_indptr[hi]
    named_keep = np.repeat(keep, counts)
    named_day = np.repeat(p.incident_day[lo:hi], counts)
    reported = windows.sums(
        windows.table(named_day[named_keep], p.inc_named_region[na:nb][named_keep])
    )
    a, b = p.loc_indptr[lo], p.loc_indptr[hi]
    rows = p.loc_idx[a:b]
    located = keep[rows - lo]
    values = windows.sums(windows.table(p.incident_day[rows[located]], p.loc_region[a:b][located]))
    values[~(reported > 0)] = np.nan
    return values
