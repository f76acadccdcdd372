"""Time series over the date range: daily strike totals, and one region's weeks.

**Missing versus zero.** A day (week) is ``NaN`` when no strike event at all passes the
filters that day (the data is silent), and ``0`` when strikes were reported but none concerned
the region. Missiles are counted as :mod:`oblastwatch.query.build` groups them.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pandas as pd

from oblastwatch.query.codes import INCIDENT, REGION_INDEX, day_number, region_index
from oblastwatch.query.filters import Filters, date_slice, kinds_ok, sources_ok, strike_mask
from oblastwatch.query.index import DAILY_COLUMNS, PreparedEvents
from oblastwatch.query.rollups import daily_table, span_rows


def _day_index(filters: Filters) -> pd.DatetimeIndex:
    return pd.date_range(filters.start, filters.end, freq="D", name="date")


def daily_attack_counts(prepared: PreparedEvents, filters: Filters) -> pd.DataFrame:
    """Daily strike totals over every day of the range (index named ``date``).

    Columns :data:`DAILY_COLUMNS`: sums of ``launched`` / ``destroyed`` by weapon group and
    the number of distinct attack waves. A day is NaN in every column when no strike event
    passes the filters that day. With ``filters.region`` set, the sums cover the strike
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
            table[covered & np.isnan(table[:, 0])] = 0.0
    return pd.DataFrame(table, index=index, columns=list(DAILY_COLUMNS))


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
