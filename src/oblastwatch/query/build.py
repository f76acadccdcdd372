"""Building the prepared index (:class:`~oblastwatch.query.index.PreparedEvents`) of one dataset.

O(n log n) once per dataset, then cached (:mod:`oblastwatch.query.index_cache`).

The rules of counting (:mod:`oblastwatch.domain.rules`, shared with the event study) are
applied here, when the strike table is built:

* **Hits.** A region is *hit* by a strike event that names it in one of
  :data:`~oblastwatch.domain.rules.HIT_ROLES` (``target`` or ``affected``). ``intercepted``
  means weapons were shot down over the region, which is not a hit.
* **Missiles** in daily series are the rows :func:`~oblastwatch.domain.rules.is_missile`
  counts: the cruise, ballistic and guided categories, plus rows of category ``unknown`` whose
  weapon model says "missile". Everything else that is not a drone goes to
  ``other_launched``.
* **Waves.** A strike row without a wave id is its own wave
  (:func:`~oblastwatch.domain.rules.wave_keys`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oblastwatch.domain import rules
from oblastwatch.domain.model import (
    EVENT_KINDS,
    ROLES,
    SCOPES,
    WEAPON_CATEGORIES,
    arrow_strings,
)
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.alert_hours import daily_alert_hours, merge_alerts
from oblastwatch.query.codes import (
    DRONE_GROUP,
    EPOCH,
    INCIDENT,
    MISSILE_GROUP,
    MISSING_WEAPON,
    N_REGIONS,
    N_WEAPON_CODES,
    OTHER_GROUP,
    ROLE_CODE,
    STRIKE,
)
from oblastwatch.query.diplomacy import diplomatic_table
from oblastwatch.query.index import PreparedEvents, StrikeTable
from oblastwatch.query.rollups import cumulative_tables, daily_table


def _freeze(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


def _codes(
    values: pd.Series,
    levels: Iterable[str],
    table: str,
    column: str,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Integer codes of ``values`` in ``levels`` (-1 for blanks), taken in ``order`` when given.

    A one-line error on anything else, naming the first bad row in that order.
    """
    levels = list(levels)
    codes = _lookup(values, levels)
    if order is not None:
        codes = codes[order]
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        row = bad[0] if order is None else order[bad[0]]
        raise ValueError(
            f"{table} row {values.index[row]}, column {column}: "
            f"{values.iloc[row]!r} is not one of {', '.join(levels)}"
        )
    return codes


def _lookup(values: pd.Series | pa.Array, levels: list[str]) -> np.ndarray:
    """Position of each value in ``levels``, -1 where it is blank or not there.

    A hash lookup in Arrow; pandas' get_indexer on Arrow strings costs 0.6 s per million.
    """
    if isinstance(values, pd.Series):
        values = arrow_strings(values)
    found = pc.index_in(values, value_set=pa.array(levels, type=values.type))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _indptr(sorted_positions: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(sorted_positions, minlength=n)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def _previous_same(codes: np.ndarray) -> np.ndarray:
    """For each row, the index of the previous row with the same code, or -1."""
    order = np.argsort(codes, kind="stable")
    prev = np.full(len(codes), -1, dtype=np.int64)
    same = codes[order][1:] == codes[order][:-1]
    prev[order[1:][same]] = order[:-1][same]
    return prev


_NEEDED_EVENT_COLUMNS = (
    "event_id",
    "source",
    "kind",
    "date",
    "weapon_model",
    "weapon_category",
    "launched",
    "destroyed",
    "scope",
    "wave_id",
)


def prepare(
    events: pd.DataFrame, event_regions: pd.DataFrame, alerts: pd.DataFrame | None = None
) -> PreparedEvents:
    """Build the integer index of one dataset (O(n log n); cache the result).

    ``alerts``: the air-raid alerts (:mod:`oblastwatch.domain.alerts`), turned into hours per
    Kyiv day and region and each region's merged intervals
    (:mod:`oblastwatch.query.alert_hours`).

    Raises ``ValueError`` with one line naming table, row and column when a value is outside
    the model (unknown kind, scope, category, role or region code, a missing date, or an
    ``event_regions`` row whose event is not in ``events``).
    """
    missing = [c for c in _NEEDED_EVENT_COLUMNS if c not in events.columns]
    if missing:
        raise ValueError(f"events: missing columns {', '.join(missing)}")
    missing = [c for c in ("event_id", "region_code", "role") if c not in event_regions.columns]
    if missing:
        raise ValueError(f"event_regions: missing columns {', '.join(missing)}")

    # Copy-on-write: a shallow copy is a snapshot the caller's later edits cannot reach.
    events = events.copy(deep=False)
    dates = pd.to_datetime(events["date"])
    if dates.isna().any():
        row = events.index[np.flatnonzero(dates.isna().to_numpy())[0]]
        raise ValueError(f"events row {row}, column date: missing date")
    raw_day = (dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]") - EPOCH).astype(
        np.int32
    )
    # Only integer columns are put in day order; text stays in the input (see _event_rows).
    order = np.argsort(raw_day, kind="stable")
    n = len(order)
    day = raw_day[order]

    kind = _codes(events["kind"], EVENT_KINDS, "events", "kind", order).astype(np.int8)
    category = events["weapon_category"]
    blank_category = category.isna().to_numpy()[order]
    weapon = _lookup(category, list(WEAPON_CATEGORIES))[order].astype(np.int8)
    if ((weapon < 0) & ~blank_category).any():
        _codes(category.iloc[order].dropna(), WEAPON_CATEGORIES, "events", "weapon_category")
    weapon[blank_category] = MISSING_WEAPON
    kind_weapon = (kind.astype(np.int16) * N_WEAPON_CODES + weapon).astype(np.int16)
    source_text = arrow_strings(events["source"]).fill_null("")
    source_levels = sorted(pc.unique(source_text).to_pylist())
    source = _lookup(source_text, source_levels)[order]
    source = source.astype(np.int32)
    scope = _codes(events["scope"], SCOPES, "events", "scope", order).astype(np.int8)

    # event_regions joined once to integer positions of the sorted events.
    er_pos = _event_positions(events, event_regions, order)
    er_region = _codes(event_regions["region_code"], REGION_CODES, "event_regions", "region_code")
    er_role = _codes(event_regions["role"], ROLES, "event_regions", "role")
    er_order = np.argsort(er_pos, kind="stable")
    er_event = er_pos[er_order].astype(np.int32)
    er_region = er_region[er_order].astype(np.int8)
    er_role = er_role[er_order].astype(np.int8)
    er_indptr = _indptr(er_event, n)

    strikes = _strike_table(events, order, day, kind, weapon, source, er_event, er_region, er_role)

    incident_pos = np.flatnonzero(kind == INCIDENT).astype(np.int32)
    incident_index = np.full(n, -1, dtype=np.int32)
    incident_index[incident_pos] = np.arange(len(incident_pos), dtype=np.int32)
    inc_rows = incident_index[er_event] >= 0
    loc_rows = inc_rows & (er_role == ROLE_CODE["location"])
    loc_idx = incident_index[er_event[loc_rows]]

    first_day = int(day[0]) if n else 0
    n_span = int(day[-1]) - first_day + 1 if n else 0
    prepared = PreparedEvents(
        load_events=lambda: events,
        order=order,
        day=day,
        kind=kind,
        kind_weapon=kind_weapon,
        source=source,
        sources=tuple(str(s) for s in source_levels),
        scope=scope,
        er_event=er_event,
        er_region=er_region,
        er_role=er_role,
        er_indptr=er_indptr,
        strikes=strikes,
        incident_pos=incident_pos,
        incident_day=day[incident_pos],
        loc_idx=loc_idx,
        loc_region=er_region[loc_rows],
        loc_indptr=_indptr(loc_idx, len(incident_pos)),
        inc_named_region=er_region[inc_rows],
        inc_named_indptr=_indptr(incident_index[er_event[inc_rows]], len(incident_pos)),
        first_day=first_day,
        daily=daily_table(strikes, None, first_day, n_span),
        cumulative={},
        diplomatic=diplomatic_table(events, order, kind),
        **_alert_fields(alerts),
    )
    prepared.cumulative.update(cumulative_tables(prepared, n_span))
    for value in (*vars(prepared).values(), *vars(strikes).values()):
        if isinstance(value, np.ndarray):
            _freeze(value)
    for value in prepared.cumulative.values():
        _freeze(value)
    return prepared


def _alert_fields(alerts: pd.DataFrame | None) -> dict[str, Any]:
    """The alert fields of :class:`PreparedEvents` (none: the defaults, no alerts)."""
    if alerts is None or not len(alerts):
        return {}
    daily = daily_alert_hours(alerts)
    merged = merge_alerts(alerts)
    return {
        "alert_first_day": daily.first_day,
        "alert_hours": daily.hours,
        "alert_imputed": daily.imputed,
        "alert_start": merged.start,
        "alert_end": merged.end,
        "alert_indptr": merged.indptr,
    }


def _event_positions(
    events: pd.DataFrame, event_regions: pd.DataFrame, order: np.ndarray
) -> np.ndarray:
    """The day-order position of each ``event_regions`` row's event.

    One hash pass over both id columns (Arrow's dictionary encoding) checks that event ids
    are unique and finds every region row's event; the error messages come from pandas.
    """
    n = len(events)
    ids = arrow_strings(events["event_id"])
    er_ids = arrow_strings(event_regions["event_id"])
    both = pa.concat_arrays([ids, er_ids])
    encoded = pc.dictionary_encode(both, null_encoding="encode")
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    n_codes = len(encoded.dictionary)
    if n_codes and np.bincount(codes[:n], minlength=n_codes).max(initial=0) > 1:
        ids = pd.Index(events["event_id"].iloc[order].astype("string"))
        raise ValueError(f"events: event_id {ids[ids.duplicated()][0]!r} repeated")
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    position_of_code = np.full(n_codes, -1, dtype=np.int64)
    position_of_code[codes[:n]] = rank
    er_pos = position_of_code[codes[n:]]
    if (er_pos < 0).any():
        row = np.flatnonzero(er_pos < 0)[0]
        raise ValueError(
            f"event_regions row {event_regions.index[row]}, column event_id: "
            f"{event_regions['event_id'].iloc[row]!r} is not in events"
        )
    return er_pos


def _strike_table(
    events: pd.DataFrame,
    order: np.ndarray,
    day: np.ndarray,
    kind: np.ndarray,
    weapon: np.ndarray,
    source: np.ndarray,
    er_event: np.ndarray,
    er_region: np.ndarray,
    er_role: np.ndarray,
) -> StrikeTable:
    pos = np.flatnonzero(kind == STRIKE).astype(np.int32)
    rows = order[pos]  # input rows of the strikes, in day order
    s_day = day[pos]
    s_weapon = weapon[pos]

    missile = rules.is_missile(
        events["weapon_category"].iloc[rows], events["weapon_model"].iloc[rows]
    )
    group = np.full(len(pos), OTHER_GROUP, dtype=np.int32)
    group[s_weapon == WEAPON_CATEGORIES.index("drone")] = DRONE_GROUP
    group[missile] = MISSILE_GROUP

    taken = pa.array(rows)
    wave_key = rules.wave_keys(
        arrow_strings(events["wave_id"]).take(taken), arrow_strings(events["event_id"]).take(taken)
    )
    # Codes in order of first appearance, as pd.factorize numbers them.
    wave = _first_appearance_codes(wave_key)
    n_waves = max(int(wave.max(initial=-1)) + 1, 1)
    day_wave, dw_levels = pd.factorize(s_day.astype(np.int64) * n_waves + wave)
    day_wave_day = (np.asarray(dw_levels, dtype=np.int64) // n_waves).astype(np.int32)

    strike_index = np.full(len(day), -1, dtype=np.int32)
    strike_index[pos] = np.arange(len(pos), dtype=np.int32)
    s_of_er = strike_index[er_event]
    named = s_of_er >= 0
    hit = named & np.isin(er_role, [ROLE_CODE[r] for r in rules.HIT_ROLES])
    hit_key = _sorted_unique(s_of_er[hit].astype(np.int64) * N_REGIONS + er_region[hit])
    hit_idx = (hit_key // N_REGIONS).astype(np.int32)
    hit_region = (hit_key % N_REGIONS).astype(np.int8)
    wave_region, wr_levels = pd.factorize(wave[hit_idx].astype(np.int64) * N_REGIONS + hit_region)
    launched = events["launched"].iloc[rows].to_numpy(dtype=np.float64, na_value=np.nan)
    return StrikeTable(
        pos=pos,
        day=s_day,
        weapon=s_weapon,
        source=source[pos],
        group_key=(s_day.astype(np.int32) * 3 + group).astype(np.int32),
        launched=launched,
        destroyed=events["destroyed"].iloc[rows].to_numpy(dtype=np.float64, na_value=np.nan),
        wave=wave,
        day_wave=day_wave.astype(np.int32),
        day_wave_day=day_wave_day,
        named_region=er_region[named],
        named_indptr=_indptr(s_of_er[named], len(pos)),
        hit_idx=hit_idx,
        hit_region=hit_region,
        hit_launched=launched[hit_idx],
        hit_wave_region=wave_region.astype(np.int32),
        wave_region_region=(np.asarray(wr_levels, dtype=np.int64) % N_REGIONS).astype(np.int8),
        hit_prev=_previous_same(wave_region),
        hit_indptr=_indptr(hit_idx, len(pos)),
    )


def _first_appearance_codes(values: pa.Array) -> np.ndarray:
    """int32 code of each value, numbered in order of first appearance (as pd.factorize)."""
    encoded = pc.dictionary_encode(values, null_encoding="encode")
    codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    # Arrow numbers new values as it meets them; verified (each code at most one above every
    # code before it) rather than assumed, with pandas as the fallback.
    seen_max = np.maximum.accumulate(codes)
    if len(codes) and (codes[0] != 0 or (codes[1:] > seen_max[:-1] + 1).any()):
        codes, _ = pd.factorize(pd.Series(pd.array(values, dtype="string")))
    return codes.astype(np.int32)


def _sorted_unique(keys: np.ndarray) -> np.ndarray:
    """``np.unique(keys)`` for keys that come nearly sorted.

    The keys come nearly sorted (by event), which a stable sort exploits (radix sort for
    integers).
    """
    keys = np.sort(keys, kind="stable")
    if len(keys) == 0:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
