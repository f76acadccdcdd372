"""Per-day tables built with the index, so a date change costs O(days + regions).

:func:`daily_table` sums strike rows by day and weapon group (the index keeps it for every
strike; :func:`oblastwatch.query.series.daily_attack_counts` builds it again for a masked
subset, and the event study's series comes from it too); :func:`daily_regions_hit` counts the
regions hit per day. :func:`cumulative_tables` keeps running per-day, per-region sums: a date range is then
the difference of two rows (:func:`range_sum` over :func:`span_rows`).
"""

from __future__ import annotations

import numpy as np

from oblastwatch.domain.model import EVENT_KINDS, SCOPES
from oblastwatch.query.codes import DRONE_GROUP, MISSILE_GROUP, N_REGIONS, OTHER_GROUP, day_number
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents, StrikeTable


def daily_table(
    s: StrikeTable,
    rows: np.ndarray | slice | None,
    first_day: int,
    n_days: int,
    *,
    absent_group: float = 0.0,
) -> np.ndarray:
    """Daily sums (:data:`~oblastwatch.query.index.DAILY_COLUMNS`) of strike rows ``rows``.

    Over ``n_days`` days from ``first_day``; ``rows`` None means all.

    This is the one daily engine: the timeline's
    :func:`~oblastwatch.query.series.daily_attack_counts` and the event study's
    :func:`~oblastwatch.query.series.daily_strike_series` both read it. A day without any of those rows is NaN in every
    column. On a day with rows, a weapon group's launched (destroyed) sum adds the known
    counts; it is NaN when the group has rows but none of them gives the count (unknown, not
    zero), and ``absent_group`` when the group has no row that day (the timeline shows 0: the
    day's reports named no such weapon).
    """
    take = slice(None) if rows is None else rows
    key = s.group_key[take] - first_day * 3
    size = 3 * n_days
    count = np.bincount(key, minlength=size).reshape(n_days, 3)

    def group_sums(values: np.ndarray) -> np.ndarray:
        known = ~np.isnan(values)
        weighted = np.bincount(key[known], weights=values[known], minlength=size)
        # (bincount returns integers when no row is known)
        sums = weighted.astype(np.float64).reshape(n_days, 3)
        counted = np.bincount(key[known], minlength=size).reshape(n_days, 3)
        sums[(count > 0) & (counted == 0)] = np.nan
        sums[count == 0] = absent_group
        return sums

    launched_sum = group_sums(s.launched[take])
    destroyed_sum = group_sums(s.destroyed[take])
    seen = np.zeros(len(s.day_wave_day), dtype=bool)
    seen[s.day_wave[take]] = True
    waves = np.bincount(s.day_wave_day[seen] - first_day, minlength=n_days)
    table = np.column_stack(
        [
            launched_sum[:, DRONE_GROUP],
            destroyed_sum[:, DRONE_GROUP],
            launched_sum[:, MISSILE_GROUP],
            destroyed_sum[:, MISSILE_GROUP],
            launched_sum[:, OTHER_GROUP],
            waves[:n_days].astype(np.float64),
        ]
    )
    table[count.sum(axis=1) == 0] = np.nan
    return table


def daily_regions_hit(s: StrikeTable, rows: np.ndarray, first_day: int, n_days: int) -> np.ndarray:
    """Distinct regions hit (named in a hit role) per day by strike rows ``rows``.

    Over ``n_days`` days from ``first_day``; 0 on days without such a region.
    """
    selected = np.zeros(len(s.day), dtype=bool)
    selected[rows] = True
    hits = selected[s.hit_idx]
    days = s.day[s.hit_idx[hits]].astype(np.intp) - first_day
    key = days * N_REGIONS + s.hit_region[hits]
    present = np.zeros(n_days * N_REGIONS, dtype=bool)
    present[key] = True
    return present.reshape(n_days, N_REGIONS).sum(axis=1).astype(np.float64)


def _running(table: np.ndarray) -> np.ndarray:
    """Running sums along axis 0 with a leading zero row (``out[j] - out[i]`` = rows i..j-1)."""
    out = np.zeros((table.shape[0] + 1, *table.shape[1:]), dtype=np.float64)
    np.cumsum(table, axis=0, out=out[1:])
    return out


def cumulative_tables(p: PreparedEvents, n_span: int) -> dict[str, np.ndarray]:
    """Running per-day sums behind unmasked region metrics and the not-on-map summary."""
    s = p.strikes
    size = n_span * N_REGIONS

    def per_day_region(days: np.ndarray, regions: np.ndarray, weights=None) -> np.ndarray:
        key = (days - p.first_day).astype(np.intp) * N_REGIONS + regions
        return np.bincount(key, weights=weights, minlength=size).reshape(n_span, N_REGIONS)

    named_day = np.repeat(s.day, np.diff(s.named_indptr))
    hit_day = s.day[s.hit_idx]
    counted = ~np.isnan(s.hit_launched)
    inc_named_day = np.repeat(p.incident_day, np.diff(p.inc_named_indptr))
    kind_scope = (p.day - p.first_day).astype(np.intp) * (len(EVENT_KINDS) * len(SCOPES)) + (
        p.kind.astype(np.intp) * len(SCOPES) + p.scope
    )
    return {
        "strike_named": _running(per_day_region(named_day, s.named_region)),
        "hit_days": _running(per_day_region(hit_day, s.hit_region) > 0),
        "hits": _running(per_day_region(hit_day, s.hit_region)),
        "hits_counted": _running(per_day_region(hit_day[counted], s.hit_region[counted])),
        "launched": _running(
            per_day_region(hit_day[counted], s.hit_region[counted], s.hit_launched[counted])
        ),
        "incident_named": _running(per_day_region(inc_named_day, p.inc_named_region)),
        "incidents": _running(per_day_region(p.incident_day[p.loc_idx], p.loc_region)),
        "kind_scope": _running(
            np.bincount(kind_scope, minlength=n_span * len(EVENT_KINDS) * len(SCOPES)).reshape(
                n_span, len(EVENT_KINDS), len(SCOPES)
            )
        ),
    }


def span_rows(p: PreparedEvents, filters: Filters) -> tuple[int, int]:
    """Rows ``i:j`` of the pre-aggregated tables covering the range (clipped to the data)."""
    n_span = len(p.daily)
    i = min(max(day_number(filters.start) - p.first_day, 0), n_span)
    j = min(max(day_number(filters.end) - p.first_day + 1, 0), n_span)
    return i, max(i, j)


def range_sum(p: PreparedEvents, name: str, i: int, j: int) -> np.ndarray:
    """Sum of rows ``i:j`` of the per-day table ``name`` (two rows of its running sums)."""
    table = p.cumulative[name]
    return table[j] - table[i]
