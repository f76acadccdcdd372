"""The shared filters and the masks that apply them to a :class:`PreparedEvents`.

Decisions, stated once here and on the About page:

* ``None`` or an empty tuple means "no filter". The date range is inclusive and applies to
  ``date`` (the Kyiv day an attack wave ended, or the talks day); diplomatic events are kept
  when their span overlaps the range (:mod:`oblastwatch.query.diplomacy`).
* The **weapon filter** applies to ``strike`` rows only: talks, incidents and other kinds pass
  it unchanged. A strike row without a weapon category counts as ``unknown``.
* The **region filter** (``Filters.region``) keeps events that name the region in any role.
  The choropleth and the not-on-map summary (:mod:`oblastwatch.query.metrics`) ignore it: the
  map shows every region and highlights the selected one.

A mask is ``(lo, hi, mask)``: rows ``lo:hi`` of a day-sorted table are in the date range, and
``mask`` (``None`` = all of them) selects those passing the other filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np

from oblastwatch.domain.model import EVENT_KINDS, WEAPON_CATEGORIES
from oblastwatch.query.codes import (
    KIND_CODE,
    MISSING_WEAPON,
    N_WEAPON_CODES,
    REGION_INDEX,
    STRIKE,
    day_number,
)
from oblastwatch.query.index import PreparedEvents


@dataclass(frozen=True)
class Filters:
    """The shared filters. ``None`` (or an empty tuple) means no filter on that field.

    ``start`` and ``end`` are inclusive calendar days.
    """

    start: date
    end: date
    kinds: tuple[str, ...] | None = None
    weapon_categories: tuple[str, ...] | None = None
    sources: tuple[str, ...] | None = None
    region: str | None = None

    def __post_init__(self) -> None:
        """Raise ``ValueError`` for a range that ends before it starts or an unknown region."""
        if self.end < self.start:
            raise ValueError(f"date range ends ({self.end}) before it starts ({self.start})")
        if self.region is not None and self.region not in REGION_INDEX:
            raise ValueError(f"unknown region code {self.region!r}")


def date_slice(days: np.ndarray, filters: Filters) -> tuple[int, int]:
    """``(lo, hi)``: rows ``lo:hi`` of the sorted day numbers ``days`` are in the range."""
    lo = int(np.searchsorted(days, day_number(filters.start), side="left"))
    hi = int(np.searchsorted(days, day_number(filters.end), side="right"))
    return lo, hi


def kinds_ok(filters: Filters) -> np.ndarray:
    """Whether each kind (by code) passes the kinds filter."""
    ok = np.ones(len(EVENT_KINDS), dtype=bool)
    if filters.kinds:
        ok[:] = False
        ok[[KIND_CODE[k] for k in filters.kinds if k in KIND_CODE]] = True
    return ok


def _weapons_ok(filters: Filters) -> np.ndarray | None:
    if not filters.weapon_categories:
        return None
    ok = np.zeros(N_WEAPON_CODES, dtype=bool)
    ok[
        [WEAPON_CATEGORIES.index(w) for w in filters.weapon_categories if w in WEAPON_CATEGORIES]
    ] = True
    ok[MISSING_WEAPON] = ok[WEAPON_CATEGORIES.index("unknown")]
    return ok


def sources_ok(p: PreparedEvents, filters: Filters) -> np.ndarray | None:
    """Whether each source (by code) passes the sources filter; None when there is none."""
    if not filters.sources:
        return None
    wanted = set(filters.sources)
    return np.array([s in wanted for s in p.sources], dtype=bool)


def _and(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray:
    return other if mask is None else mask & other


def event_mask(
    p: PreparedEvents, filters: Filters, *, use_region: bool
) -> tuple[int, int, np.ndarray | None]:
    """``(lo, hi, mask)`` over the events, for the date range and the other filters.

    ``lo:hi`` are in the date range; ``mask`` (None = all) selects those passing the other
    filters (the region too when ``use_region``).
    """
    lo, hi = date_slice(p.day, filters)
    mask = None
    if filters.kinds or filters.weapon_categories:
        table = np.repeat(kinds_ok(filters), N_WEAPON_CODES)
        weapons = _weapons_ok(filters)
        if weapons is not None:  # the weapon filter applies to strike rows only
            table[STRIKE * N_WEAPON_CODES : (STRIKE + 1) * N_WEAPON_CODES] &= weapons
        mask = table[p.kind_weapon[lo:hi]]
    sources = sources_ok(p, filters)
    if sources is not None:
        mask = _and(mask, sources[p.source[lo:hi]])
    if use_region and filters.region is not None:
        mask = _and(mask, _names_region(p, lo, hi, REGION_INDEX[filters.region]))
    return lo, hi, mask


def strike_mask(p: PreparedEvents, filters: Filters) -> tuple[int, int, np.ndarray | None] | None:
    """Like :func:`event_mask` over the strike table (region ignored).

    None when strikes are filtered out.
    """
    if not kinds_ok(filters)[STRIKE]:
        return None
    s = p.strikes
    lo, hi = date_slice(s.day, filters)
    mask = None
    weapons = _weapons_ok(filters)
    if weapons is not None:
        mask = weapons[s.weapon[lo:hi]]
    sources = sources_ok(p, filters)
    if sources is not None:
        mask = _and(mask, sources[s.source[lo:hi]])
    return lo, hi, mask


def _names_region(p: PreparedEvents, lo: int, hi: int, region: int) -> np.ndarray:
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    out = np.zeros(hi - lo, dtype=bool)
    out[p.er_event[a:b][p.er_region[a:b] == region] - lo] = True
    return out
