"""Time series of strikes: for the timeline, the event study and one region.

Daily strike totals over a date range (the timeline), the daily series of a whole source (the
event study), and one region's weeks.

**Missing versus zero.** A day (week) is ``NaN`` when no strike event at all passes the
filters that day (the data is silent), and ``0`` when strikes were reported but none concerned
the region. A count is ``NaN`` when the rows that would give it all leave it blank (unknown,
not zero). Missiles are counted as :mod:`oblastwatch.query.build` groups them. The timeline
and the study read one engine, :func:`oblastwatch.query.rollups.daily_table`.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from oblastwatch.query.codes import INCIDENT, REGION_INDEX, as_date, day_number, region_index
from oblastwatch.query.filters import Filters, date_slice, kinds_ok, sources_ok, strike_mask
from oblastwatch.query.index import DAILY_COLUMNS, PreparedEvents
from oblastwatch.query.rollups import daily_regions_hit, daily_table, span_rows

# Columns of daily_strike_series: what the event study measures per day.
STRIKE_SERIES_COLUMNS = ("drones_launched", "missiles_launched", "waves", "regions_hit")
_WAVES = DAILY_COLUMNS.index("waves")


def _day_index(filters: Filters) -> pd.DatetimeIndex:
    return pd.date_range(filters.start, filters.end, freq="D", name="date")


def daily_attack_counts(prepared: PreparedEvents, filters: Filters) -> pd.DataFrame:
    """Daily strike totals over every day of the range (index named ``date``).

    Columns :data:`DAILY_COLUMNS`: sums of ``launched`` / ``destroyed`` by weapon group and
    the number of distinct attack waves. A day is NaN in every column when no strike event
    passes the filters that day; a sum is NaN when the rows of its weapon group that day all
    leave the count blank, and 0 when the day has no row of that group. With ``filters.region`` set, the sums cover the strike
    events naming the region in any role (full counts, never divided) and days with strikes
    elsewhere only are 0.
    """
    p = prepared
    index = _day_index(filters)
    n_days = len(index)
    first = day_number(filters.start)
    table = np.full((n_days, len(DAILY_COLUMNS)), np.nan)
    selected = strike_mask(p, filters)
    if selected is not None:
        lo, hi, mask = selected
        if mask is None and filters.region is None:
            # Pre-aggregated: copy the overlapping days.
            i, j = span_rows(p, filters)
            start = p.first_day + i - first
            table[start : start + j - i] = p.daily[i:j]
        else:
            s = p.strikes
            rows = np.arange(lo, hi) if mask is None else lo + np.flatnonzero(mask)
            covered = np.bincount(s.day[rows] - first, minlength=n_days) > 0
            if filters.region is not None:
                region = REGION_INDEX[filters.region]
                na, nb = s.named_indptr[lo], s.named_indptr[hi]
                owner = np.repeat(np.arange(lo, hi), np.diff(s.named_indptr[lo : hi + 1]))
                named = np.zeros(hi - lo, dtype=bool)
                named[owner[s.named_region[na:nb] == region] - lo] = True
                rows = rows[named[rows - lo]]
            table = daily_table(s, rows, first, n_days)
            # Strikes that day, none naming the region: zero, not silence.
            table[covered & np.isnan(table[:, _WAVES])] = 0.0
    return pd.DataFrame(table, index=index, columns=list(DAILY_COLUMNS))


def weekly_sums(daily: pd.DataFrame) -> pd.DataFrame:
    """A daily table (:func:`daily_attack_counts`) added up by week, Monday to Sunday.

    The index holds each week's Monday (named ``week``); a week none of whose days has a
    figure is NaN, not 0. The first and last weeks may be partial.
    """
    weeks = daily.resample("W-MON", label="left", closed="left").sum(min_count=1)
    return weeks.rename_axis("week")


def daily_strike_series(
    prepared: PreparedEvents,
    *,
    sources: tuple[str, ...] | None = None,
    silent: float,
) -> pd.DataFrame:
    """The event study's daily series of the strikes of ``sources`` (None: every source).

    One row per day from their first to their last day (index ``date``; empty without
    strikes).

    Columns :data:`STRIKE_SERIES_COLUMNS`: ``drones_launched`` and ``missiles_launched`` as in
    :func:`daily_attack_counts` (the same engine), ``waves``, and ``regions_hit``, the
    distinct regions named in a hit role that day. ``silent`` is what silence means, the
    caller's choice (0.0 for a source that reports every day, NaN for one that does not): it
    fills the days without strike rows, and on a day with rows, a weapon group without a row
    and a day that names no region hit. A count the rows leave blank stays NaN either way.
    """
    p = prepared
    s = p.strikes
    rows = np.zeros(0, dtype=np.intp)
    if len(s.day):
        whole_span = Filters(as_date(s.day[0]), as_date(s.day[-1]), sources=sources)
        selected = strike_mask(p, whole_span)
        if selected is not None:
            lo, hi, mask = selected
            rows = np.arange(lo, hi) if mask is None else lo + np.flatnonzero(mask)
    if not len(rows):
        empty = pd.DatetimeIndex([], name="date")
        columns = {c: pd.Series(dtype="float64") for c in STRIKE_SERIES_COLUMNS}
        return pd.DataFrame(columns, index=empty)
    first = int(s.day[rows[0]])
    n_days = int(s.day[rows[-1]]) - first + 1
    table = pd.DataFrame(
        daily_table(s, rows, first, n_days, absent_group=silent), columns=list(DAILY_COLUMNS)
    )
    strike_day = table["waves"].notna().to_numpy()
    regions = daily_regions_hit(s, rows, first, n_days)
    table["regions_hit"] = np.where(regions > 0, regions, silent)
    out = table[list(STRIKE_SERIES_COLUMNS)].to_numpy()
    out[~strike_day] = silent
    days = pd.date_range(as_date(first), periods=n_days, freq="D", name="date", unit="ns")
    return pd.DataFrame(out, index=days, columns=list(STRIKE_SERIES_COLUMNS))


def weekly_region_series(prepared: PreparedEvents, filters: Filters, region: str) -> pd.DataFrame:
    """Weekly series of one region over the range (index: Monday of each week, ``week``).

    Columns: ``waves`` (distinct waves that hit the region), ``strike_days`` (days with a
    hit), ``launched`` (weapons reported in those waves, full counts), ``incidents``
    (incident events located in the region) and ``days_in_range`` (the first and last weeks
    may be partial). ``waves``, ``strike_days`` and ``launched`` are NaN in weeks without any
    strike event passing the filters; ``incidents`` is NaN in weeks without any incident.
    """
    r = region_index(region)
    p = prepared
    monday0 = filters.start - timedelta(days=filters.start.weekday())
    base = day_number(monday0)
    weeks = pd.date_range(monday0, filters.end, freq="7D", name="week")
    n_weeks = len(weeks)

    def week_of(day_numbers: np.ndarray) -> np.ndarray:
        return ((day_numbers - base) // 7).astype(np.intp)

    out = pd.DataFrame(
        {
            "waves": np.nan,
            "strike_days": np.nan,
            "launched": np.nan,
            "incidents": np.nan,
            "days_in_range": [
                (min(w.date() + timedelta(days=6), filters.end) - max(w.date(), filters.start)).days
                + 1
                for w in weeks
            ],
        },
        index=weeks,
    )
    selected = strike_mask(p, filters)
    if selected is not None:
        lo, hi, mask = selected
        s = p.strikes
        passes = np.ones(hi - lo, dtype=bool) if mask is None else mask
        strike_weeks = np.bincount(week_of(s.day[lo:hi][passes]), minlength=n_weeks) > 0
        a, b = s.hit_indptr[lo], s.hit_indptr[hi]
        rows = np.flatnonzero(s.hit_region[a:b] == r) + a
        rows = rows[passes[s.hit_idx[rows] - lo]]
        hit_days = s.day[s.hit_idx[rows]]
        hits = pd.DataFrame(
            {
                "week": week_of(hit_days),
                "day": hit_days,
                "wave": s.wave[s.hit_idx[rows]],
                "launched": s.hit_launched[rows],
            }
        )
        grouped = hits.groupby("week")
        waves = grouped["wave"].nunique().reindex(range(n_weeks), fill_value=0).to_numpy()
        launched = grouped["launched"].sum(min_count=1).reindex(range(n_weeks)).to_numpy()
        launched = np.where(waves > 0, launched, 0.0)  # no hit: no weapons over the region
        days = grouped["day"].nunique().reindex(range(n_weeks), fill_value=0).to_numpy()
        for column, values in (("waves", waves), ("strike_days", days), ("launched", launched)):
            out[column] = np.where(strike_weeks, values.astype(np.float64), np.nan)
    if kinds_ok(filters)[INCIDENT]:
        lo, hi = date_slice(p.incident_day, filters)
        sources = sources_ok(p, filters)
        passes = (
            np.ones(hi - lo, dtype=bool)
            if sources is None
            else sources[p.source[p.incident_pos[lo:hi]]]
        )
        incident_weeks = np.bincount(week_of(p.incident_day[lo:hi][passes]), minlength=n_weeks)
        a, b = p.loc_indptr[lo], p.loc_indptr[hi]
        loc = np.flatnonzero(p.loc_region[a:b] == r) + a
        loc = loc[passes[p.loc_idx[loc] - lo]]
        incidents = np.bincount(week_of(p.incident_day[p.loc_idx[loc]]), minlength=n_weeks)
        out["incidents"] = np.where(incident_weeks > 0, incidents.astype(np.float64), np.nan)
    return out
