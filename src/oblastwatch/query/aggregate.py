"""Filters and aggregations behind every view (pure pandas / numpy, no Streamlit).

Every view asks the same question of the canonical tables (``events``, ``event_regions``; see
:mod:`oblastwatch.domain.model`): *which events pass the shared filters, and what do they add up to
per region or per day?* To answer it at interactive speed on a million events, the tables are
turned once per dataset into a :class:`PreparedEvents`: plain numpy arrays of integer codes,
sorted by day, with the ``event_regions`` rows joined to integer event positions (a CSR-like
layout). A date range is then two ``searchsorted`` calls and a slice; kinds, weapons and
sources are one lookup-table gather each; aggregations are ``np.bincount`` over small integer
keys. The UI caches the prepared object (it is immutable: every array is read-only) and every
function here accepts either it or the two DataFrames (prepared on the fly).

Decisions, stated once here and on the About page:

* **Filters.** ``None`` or an empty tuple means "no filter". The date range is inclusive and
  applies to ``date`` (the Kyiv day an attack wave ended, or the talks day); diplomatic events
  in :func:`diplomatic_events` are kept when their span overlaps the range.
* **Weapon filter** applies to ``strike`` rows only: talks, incidents and other kinds pass it
  unchanged. A strike row without a weapon category counts as ``unknown``.
* **Region filter** (``Filters.region``) keeps events that name the region in any role. The
  choropleth (:func:`region_metric`) and :func:`not_on_map_summary` ignore it: the map shows
  every region and highlights the selected one.
* **Hits.** A region is *hit* by a strike event that names it as ``target`` or ``affected``.
  ``intercepted`` means weapons were shot down over the region, which is not a hit.
* **Counts are never divided.** Launched/destroyed counts live on the event; every region a
  strike event names gets the event's full count. Summing a metric over regions therefore
  does not give the national total.
* **Missing versus zero.** In :func:`region_metric` a region is ``NaN`` ("no reports") when no
  filtered event of the kind the metric counts names it in any role, and ``0`` when such
  events name it but none counts (e.g. only interceptions over it). In daily and weekly
  series a day (week) is ``NaN`` when no strike event at all passes the filters that day
  (the data is silent), and ``0`` when strikes were reported but none concerned the region.
* **Missiles** in daily series are the cruise, ballistic and guided categories, plus rows of
  category ``unknown`` whose weapon model says "missile" (the curated strikes table reports
  missiles without splitting them by type). Everything else that is not a drone goes to
  ``other_launched``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cached_property
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oblastwatch.domain.model import (
    COUNT_COLUMNS,
    DIPLOMATIC_KINDS,
    EVENT_KINDS,
    MISSILE_CATEGORIES,
    NOT_ON_MAP_SCOPES,
    ROLES,
    SCOPES,
    WEAPON_CATEGORIES,
    arrow_strings,
    empty_event_regions,
)
from oblastwatch.domain.regions import REGION_CODES

N_REGIONS = len(REGION_CODES)
HIT_ROLES = ("target", "affected")
LANES = ("Russia–Ukraine", "US–Ukraine", "US–Russia", "trilateral", "other")
PRESETS: tuple[int | str, ...] = (7, 30, 90, "all")
DAILY_COLUMNS = (
    "drones_launched",
    "drones_destroyed",
    "missiles_launched",
    "missiles_destroyed",
    "other_launched",
    "waves",
)
WEEKLY_COLUMNS = ("waves", "strike_days", "launched", "incidents")
REGION_EVENT_COLUMNS = (
    "event_id",
    "date",
    "kind",
    "weapon_model",
    "weapon_category",
    *COUNT_COLUMNS,
    "roles",
    "source",
    "source_url",
    "title",
    "description",
)
DIPLOMATIC_COLUMNS = (
    "event_id",
    "kind",
    "first_day",
    "last_day",
    "lane",
    "title",
    "description",
    "venue",
    "parties",
    "format",
    "source",
    "source_url",
)

_EPOCH = np.datetime64("1970-01-01", "D")
_MISSING_WEAPON = len(WEAPON_CATEGORIES)  # code of a strike row without a category
_N_WEAPON_CODES = len(WEAPON_CATEGORIES) + 1
_KIND_CODE = {kind: i for i, kind in enumerate(EVENT_KINDS)}
_STRIKE = _KIND_CODE["strike"]
_INCIDENT = _KIND_CODE["incident"]
_ROLE_CODE = {role: i for i, role in enumerate(ROLES)}
_REGION_INDEX = {code: i for i, code in enumerate(REGION_CODES)}
_DRONE_GROUP, _MISSILE_GROUP, _OTHER_GROUP = 0, 1, 2
_MISSILE_MODEL = re.compile(r"missile", re.IGNORECASE)


class MetricInfo(NamedTuple):
    label: str
    unit: str
    description: str


METRICS: dict[str, MetricInfo] = {
    "waves": MetricInfo(
        "Attack waves",
        "waves",
        "Distinct attack waves (one Air Force report, or one curated strike) with at least "
        "one weapon reported to have targeted or affected the region. Weapons only shot "
        "down over the region (intercepted) do not count as a hit.",
    ),
    "days": MetricInfo(
        "Days with strikes",
        "days",
        "Distinct days (Kyiv date the attack wave ended) with at least one strike that "
        "targeted or affected the region.",
    ),
    "weapons": MetricInfo(
        "Weapons reported",
        "weapons launched",
        "Weapons reported launched in the waves that named the region as targeted or "
        "affected. Counts are never divided across regions: each region named gets the full "
        "count of the wave rows it was named in, so regions do not add up to the national "
        "total. Empty where those waves give no count.",
    ),
    "incidents": MetricInfo(
        "Incidents",
        "incidents",
        "Incident reports (geolocated events such as ACLED rows or civilian-harm records) "
        "located in the region.",
    ),
}
# The event kind each metric counts; "no reports" means no filtered event of this kind names
# the region.
_METRIC_KIND = {"waves": _STRIKE, "days": _STRIKE, "weapons": _STRIKE, "incidents": _INCIDENT}


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
        if self.end < self.start:
            raise ValueError(f"date range ends ({self.end}) before it starts ({self.start})")
        if self.region is not None and self.region not in _REGION_INDEX:
            raise ValueError(f"unknown region code {self.region!r}")


def _freeze(array: np.ndarray) -> np.ndarray:
    array.setflags(write=False)
    return array


@dataclass(frozen=True, eq=False)
class StrikeTable:
    """The strike events of a :class:`PreparedEvents`, in day order, with their hit rows.

    ``pos`` maps a strike row to its event position. ``named_*`` are every ``event_regions``
    row of a strike (any role); ``hit_*`` the distinct (strike, region) pairs with a hit role
    (target or affected). ``*_indptr[i]:*_indptr[i + 1]`` are strike ``i``'s rows.
    """

    pos: np.ndarray  # int32 event position
    day: np.ndarray  # int32
    weapon: np.ndarray  # int8 code into WEAPON_CATEGORIES, _MISSING_WEAPON when blank
    source: np.ndarray  # int32 code into PreparedEvents.sources
    group_key: np.ndarray  # int32 day * 3 + weapon group (drone / missile / other)
    launched: np.ndarray  # float64, NaN where not reported
    destroyed: np.ndarray  # float64, NaN where not reported
    wave: np.ndarray  # int32
    day_wave: np.ndarray  # int32 factorised (day, wave)
    day_wave_day: np.ndarray  # int32 day of each (day, wave) code
    named_region: np.ndarray  # int8
    named_indptr: np.ndarray  # int64
    hit_idx: np.ndarray  # int32 strike row
    hit_region: np.ndarray  # int8
    hit_launched: np.ndarray  # float64
    hit_wave_region: np.ndarray  # int32 factorised (wave, region)
    wave_region_region: np.ndarray  # int8 region of each (wave, region) code
    hit_prev: np.ndarray  # int64 previous hit row of the same (wave, region), -1 if none
    hit_indptr: np.ndarray  # int64


@dataclass(frozen=True, eq=False)
class PreparedEvents:
    """Integer-coded, day-sorted arrays of one dataset, built once by :func:`prepare`.

    Position ``i`` in every per-event array is row ``i`` of :attr:`events` (the input rows
    sorted by ``date``, original index kept), i.e. row ``order[i]`` of :attr:`input_events`. ``er_*`` arrays hold the ``event_regions`` rows
    sorted by event position, ``er_indptr[i]:er_indptr[i + 1]`` being event ``i``'s rows.
    :attr:`strikes` holds the strike events; ``loc_*`` the (incident, region) rows with role
    ``location`` and ``inc_named_*`` every region row of an incident.

    Views filtered only by date range and kinds (the common case) read pre-aggregated
    tables: :attr:`daily` (one row per day of the data span, columns :data:`DAILY_COLUMNS`)
    and cumulative per-day, per-region counts in :attr:`cumulative`, so a date change costs
    O(days + regions) instead of O(events).

    The event rows themselves (:attr:`input_events`) come from ``load_events``, called on
    first use: an index read back from disk (:mod:`oblastwatch.query.index_cache`) answers the
    map and the timeline without them, and only views that show rows load the frames.
    """

    load_events: Callable[[], pd.DataFrame] = field(repr=False)  # the input frame, input order
    order: np.ndarray  # int64 input row of each event position (a stable sort by day)
    day: np.ndarray  # int32 days since 1970-01-01
    kind: np.ndarray  # int8 index into EVENT_KINDS
    kind_weapon: np.ndarray  # int16 kind * _N_WEAPON_CODES + weapon code
    source: np.ndarray  # int32 index into ``sources``
    sources: tuple[str, ...]
    scope: np.ndarray  # int8 index into SCOPES
    er_event: np.ndarray  # int32
    er_region: np.ndarray  # int8 index into REGION_CODES
    er_role: np.ndarray  # int8 index into ROLES
    er_indptr: np.ndarray  # int64, len n + 1
    strikes: StrikeTable
    incident_pos: np.ndarray  # int32 event positions of incidents (day order)
    incident_day: np.ndarray  # int32
    loc_idx: np.ndarray  # int32 incident row
    loc_region: np.ndarray  # int8
    loc_indptr: np.ndarray  # int64 over incident rows
    inc_named_region: np.ndarray  # int8
    inc_named_indptr: np.ndarray  # int64 over incident rows
    first_day: int  # day number of daily[0] / cumulative[...][1]
    daily: np.ndarray  # float64 (n_span, len(DAILY_COLUMNS)), NaN on days without strikes
    cumulative: dict[str, np.ndarray]  # name -> (n_span + 1, ...) running sums
    diplomatic: pd.DataFrame = field(repr=False)  # rows for diplomatic_events, lane added

    def __len__(self) -> int:
        return len(self.day)

    @cached_property
    def input_events(self) -> pd.DataFrame:
        """The events frame the index was built from, in input order (loaded on first use)."""
        return self.load_events()

    @cached_property
    def events(self) -> pd.DataFrame:
        """The input rows sorted by ``date`` (original index kept), built on first use: the
        views only ever take a few rows (:func:`_event_rows`), so sorting every column of a
        million events up front would be wasted."""
        return self.input_events.iloc[self.order]


def _event_rows(p: PreparedEvents, positions: np.ndarray) -> pd.DataFrame:
    """Rows ``positions`` of ``p.events``, taken from the unsorted input."""
    return p.input_events.iloc[p.order[positions]]


# --- preparing -----------------------------------------------------------------------------


def _codes(
    values: pd.Series,
    levels: Iterable[str],
    table: str,
    column: str,
    order: np.ndarray | None = None,
) -> np.ndarray:
    """Integer codes of ``values`` in ``levels`` (-1 for blanks), taken in ``order`` when
    given; one-line error on anything else, naming the first bad row in that order."""
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
    """Position of each value in ``levels``, -1 where it is blank or not there (a hash
    lookup in Arrow; pandas' get_indexer on Arrow strings costs 0.6 s per million)."""
    if isinstance(values, pd.Series):
        values = arrow_strings(values)
    found = pc.index_in(values, value_set=pa.array(levels, type=values.type))
    return pc.fill_null(found, -1).to_numpy(zero_copy_only=False).astype(np.int64)


def _indptr(sorted_positions: np.ndarray, n: int) -> np.ndarray:
    counts = np.bincount(sorted_positions, minlength=n)
    return np.concatenate(([0], np.cumsum(counts))).astype(np.int64)


def _kyiv_days(instants: pd.Series) -> pd.Series:
    return instants.dt.tz_convert("Europe/Kyiv").dt.tz_localize(None).dt.normalize()


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


def prepare(events: pd.DataFrame, event_regions: pd.DataFrame) -> PreparedEvents:
    """Build the integer index of one dataset (O(n log n); cache the result).

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
    raw_day = (dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]") - _EPOCH).astype(
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
    weapon[blank_category] = _MISSING_WEAPON
    kind_weapon = (kind.astype(np.int16) * _N_WEAPON_CODES + weapon).astype(np.int16)
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

    incident_pos = np.flatnonzero(kind == _INCIDENT).astype(np.int32)
    incident_index = np.full(n, -1, dtype=np.int32)
    incident_index[incident_pos] = np.arange(len(incident_pos), dtype=np.int32)
    inc_rows = incident_index[er_event] >= 0
    loc_rows = inc_rows & (er_role == _ROLE_CODE["location"])
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
        daily=_daily_table(strikes, None, first_day, n_span),
        cumulative={},
        diplomatic=_diplomatic_table(events, order, kind),
    )
    prepared.cumulative.update(_cumulative_tables(prepared, n_span))
    for value in (*vars(prepared).values(), *vars(strikes).values()):
        if isinstance(value, np.ndarray):
            _freeze(value)
    for value in prepared.cumulative.values():
        _freeze(value)
    return prepared


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
    pos = np.flatnonzero(kind == _STRIKE).astype(np.int32)
    rows = order[pos]  # input rows of the strikes, in day order
    s_day = day[pos]
    s_weapon = weapon[pos]

    model_text = events["weapon_model"].iloc[rows].astype("string").fillna("")
    unknown_missile = (s_weapon == WEAPON_CATEGORIES.index("unknown")) & _contains_missile(
        model_text
    )
    missile = np.isin(s_weapon, [WEAPON_CATEGORIES.index(c) for c in MISSILE_CATEGORIES])
    group = np.full(len(pos), _OTHER_GROUP, dtype=np.int32)
    group[s_weapon == WEAPON_CATEGORIES.index("drone")] = _DRONE_GROUP
    group[missile | unknown_missile] = _MISSILE_GROUP

    # A strike without a wave id is its own wave ("\x00event:<id>" cannot clash with an id).
    wave_text = arrow_strings(events["wave_id"]).take(pa.array(rows))
    text = pa.large_string()
    own_wave = pc.binary_join_element_wise(
        pa.scalar("\x00event:", text),
        arrow_strings(events["event_id"]).take(pa.array(rows)),
        pa.scalar("", text),
    )
    wave_key = pc.coalesce(wave_text, own_wave)
    # Codes in order of first appearance, as pd.factorize numbers them.
    wave = _first_appearance_codes(wave_key)
    n_waves = max(int(wave.max(initial=-1)) + 1, 1)
    day_wave, dw_levels = pd.factorize(s_day.astype(np.int64) * n_waves + wave)
    day_wave_day = (np.asarray(dw_levels, dtype=np.int64) // n_waves).astype(np.int32)

    strike_index = np.full(len(day), -1, dtype=np.int32)
    strike_index[pos] = np.arange(len(pos), dtype=np.int32)
    s_of_er = strike_index[er_event]
    named = s_of_er >= 0
    hit = named & np.isin(er_role, [_ROLE_CODE[r] for r in HIT_ROLES])
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


def _contains_missile(model_text: pd.Series) -> np.ndarray:
    """Whether each weapon model says "missile" (the regex runs once per distinct model)."""
    codes, distinct = pd.factorize(model_text)
    said = pd.Series(distinct, dtype="string").str.contains(_MISSILE_MODEL).to_numpy(dtype=bool)
    return said[codes] if len(codes) else np.zeros(0, dtype=bool)


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
    """``np.unique(keys)``; the keys come nearly sorted (by event), which a stable sort
    exploits (radix sort for integers)."""
    keys = np.sort(keys, kind="stable")
    if len(keys) == 0:
        return keys
    return keys[np.concatenate(([True], keys[1:] != keys[:-1]))]


def _daily_table(
    s: StrikeTable, rows: np.ndarray | slice | None, first_day: int, n_days: int
) -> np.ndarray:
    """Daily sums (:data:`DAILY_COLUMNS`) of strike rows ``rows`` (None = all) over
    ``n_days`` days from ``first_day``; NaN on days without any of those rows."""
    take = slice(None) if rows is None else rows
    key = s.group_key[take] - first_day * 3
    launched = s.launched[take]
    destroyed = s.destroyed[take]
    size = 3 * n_days
    count = np.bincount(key, minlength=size).reshape(n_days, 3)
    launched_sum = np.bincount(key, weights=np.nan_to_num(launched), minlength=size)
    destroyed_sum = np.bincount(key, weights=np.nan_to_num(destroyed), minlength=size)
    launched_sum = launched_sum.reshape(n_days, 3)
    destroyed_sum = destroyed_sum.reshape(n_days, 3)
    seen = np.zeros(len(s.day_wave_day), dtype=bool)
    seen[s.day_wave[take]] = True
    waves = np.bincount(s.day_wave_day[seen] - first_day, minlength=n_days)
    table = np.column_stack(
        [
            launched_sum[:, _DRONE_GROUP],
            destroyed_sum[:, _DRONE_GROUP],
            launched_sum[:, _MISSILE_GROUP],
            destroyed_sum[:, _MISSILE_GROUP],
            launched_sum[:, _OTHER_GROUP],
            waves[:n_days].astype(np.float64),
        ]
    )
    table[count.sum(axis=1) == 0] = np.nan
    return table


def _running(table: np.ndarray) -> np.ndarray:
    """Running sums along axis 0 with a leading zero row (``out[j] - out[i]`` = rows i..j-1)."""
    out = np.zeros((table.shape[0] + 1, *table.shape[1:]), dtype=np.float64)
    np.cumsum(table, axis=0, out=out[1:])
    return out


def _cumulative_tables(p: PreparedEvents, n_span: int) -> dict[str, np.ndarray]:
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


def _diplomatic_table(events: pd.DataFrame, order: np.ndarray, kind: np.ndarray) -> pd.DataFrame:
    diplomatic_codes = [_KIND_CODE[k] for k in DIPLOMATIC_KINDS]
    positions = np.flatnonzero(np.isin(kind, diplomatic_codes))
    rows = events.iloc[order[positions]]
    first = pd.to_datetime(rows["date"]).dt.normalize()
    if "start" in rows.columns:
        start_day = _kyiv_days(pd.to_datetime(rows["start"], utc=True))
        first = first.where(start_day.isna(), start_day)
    last = first.copy()
    if "end" in rows.columns:
        # ``end`` is an instant; a round that ends at midnight ends on the day before.
        end = pd.to_datetime(rows["end"], utc=True) - pd.Timedelta(1, "ns")
        end_day = _kyiv_days(end)
        last = last.where(end_day.isna() | (end_day < first), end_day)
    out = pd.DataFrame(
        {
            "event_id": rows["event_id"].astype("string"),
            "kind": rows["kind"].astype("string"),
            "first_day": first.to_numpy(dtype="datetime64[ns]"),
            "last_day": last.to_numpy(dtype="datetime64[ns]"),
            "lane": [talks_lane(p) for p in _column(rows, "parties")],
            "title": _column(rows, "title"),
            "description": _column(rows, "description"),
            "venue": _column(rows, "venue"),
            "parties": _column(rows, "parties"),
            "format": _column(rows, "format"),
            "source": rows["source"].astype("string"),
            "source_url": _column(rows, "source_url"),
        },
        index=rows.index,
    )
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("string")
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def _prepared(
    events: PreparedEvents | pd.DataFrame, event_regions: pd.DataFrame | None = None
) -> PreparedEvents:
    if isinstance(events, PreparedEvents):
        return events
    if event_regions is None:
        event_regions = empty_event_regions()
    return prepare(events, event_regions)


# --- filtering -----------------------------------------------------------------------------


def _day_number(value: date) -> int:
    return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))


def _slice(days: np.ndarray, filters: Filters) -> tuple[int, int]:
    lo = int(np.searchsorted(days, _day_number(filters.start), side="left"))
    hi = int(np.searchsorted(days, _day_number(filters.end), side="right"))
    return lo, hi


def _kinds_ok(filters: Filters) -> np.ndarray:
    ok = np.ones(len(EVENT_KINDS), dtype=bool)
    if filters.kinds:
        ok[:] = False
        ok[[_KIND_CODE[k] for k in filters.kinds if k in _KIND_CODE]] = True
    return ok


def _weapons_ok(filters: Filters) -> np.ndarray | None:
    if not filters.weapon_categories:
        return None
    ok = np.zeros(_N_WEAPON_CODES, dtype=bool)
    ok[
        [WEAPON_CATEGORIES.index(w) for w in filters.weapon_categories if w in WEAPON_CATEGORIES]
    ] = True
    ok[_MISSING_WEAPON] = ok[WEAPON_CATEGORIES.index("unknown")]
    return ok


def _sources_ok(p: PreparedEvents, filters: Filters) -> np.ndarray | None:
    if not filters.sources:
        return None
    wanted = set(filters.sources)
    return np.array([s in wanted for s in p.sources], dtype=bool)


def _and(mask: np.ndarray | None, other: np.ndarray) -> np.ndarray:
    return other if mask is None else mask & other


def _event_mask(
    p: PreparedEvents, filters: Filters, *, use_region: bool
) -> tuple[int, int, np.ndarray | None]:
    """``(lo, hi, mask)``: events ``lo:hi`` are in the date range; ``mask`` (None = all)
    selects those passing the other filters."""
    lo, hi = _slice(p.day, filters)
    mask = None
    if filters.kinds or filters.weapon_categories:
        table = np.repeat(_kinds_ok(filters), _N_WEAPON_CODES)
        weapons = _weapons_ok(filters)
        if weapons is not None:  # the weapon filter applies to strike rows only
            table[_STRIKE * _N_WEAPON_CODES : (_STRIKE + 1) * _N_WEAPON_CODES] &= weapons
        mask = table[p.kind_weapon[lo:hi]]
    sources = _sources_ok(p, filters)
    if sources is not None:
        mask = _and(mask, sources[p.source[lo:hi]])
    if use_region and filters.region is not None:
        mask = _and(mask, _names_region(p, lo, hi, _REGION_INDEX[filters.region]))
    return lo, hi, mask


def _strike_mask(p: PreparedEvents, filters: Filters) -> tuple[int, int, np.ndarray | None] | None:
    """Like :func:`_event_mask` over the strike table; None when strikes are filtered out."""
    if not _kinds_ok(filters)[_STRIKE]:
        return None
    s = p.strikes
    lo, hi = _slice(s.day, filters)
    mask = None
    weapons = _weapons_ok(filters)
    if weapons is not None:
        mask = weapons[s.weapon[lo:hi]]
    sources = _sources_ok(p, filters)
    if sources is not None:
        mask = _and(mask, sources[s.source[lo:hi]])
    return lo, hi, mask


def _names_region(p: PreparedEvents, lo: int, hi: int, region: int) -> np.ndarray:
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    out = np.zeros(hi - lo, dtype=bool)
    out[p.er_event[a:b][p.er_region[a:b] == region] - lo] = True
    return out


def _positions(p: PreparedEvents, filters: Filters) -> np.ndarray:
    lo, hi, mask = _event_mask(p, filters, use_region=True)
    if mask is None:
        return np.arange(lo, hi)
    return lo + np.flatnonzero(mask)


def filter_events(
    events: PreparedEvents | pd.DataFrame,
    filters: Filters,
    event_regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The events rows passing ``filters``, oldest first, original index kept.

    ``filters.region`` needs the regions: pass ``event_regions`` or a :class:`PreparedEvents`.
    """
    if filters.region is not None and event_regions is None:
        if not isinstance(events, PreparedEvents):
            raise ValueError("filtering by region needs event_regions")
    p = _prepared(events, event_regions)
    return _event_rows(p, _positions(p, filters))


def data_date_span(events: PreparedEvents | pd.DataFrame) -> tuple[date, date]:
    """First ``date`` and last day in the data. Raises ``ValueError`` when there are no events.

    The last day includes the last day of a talks round that runs past every other event's
    ``date`` (a round on 21-22 March ends the span on the 22nd), so the date filter can show
    the whole round.
    """
    if isinstance(events, PreparedEvents):
        if not len(events):
            raise ValueError("no events loaded")
        last = _as_date(events.day[-1])
        if len(events.diplomatic):
            last = max(last, events.diplomatic["last_day"].max().date())
        return _as_date(events.day[0]), last
    dates = pd.to_datetime(events["date"]).dropna()
    if dates.empty:
        raise ValueError("no events loaded")
    last = dates.max().date()
    if "end" in events:
        # As in _diplomatic_table: an ``end`` at midnight ends on the day before.
        ends = pd.to_datetime(events["end"], utc=True) - pd.Timedelta(1, "ns")
        end_days = _kyiv_days(ends).dropna()
        if not end_days.empty:
            last = max(last, end_days.max().date())
    return dates.min().date(), last


def _as_date(day_number: int | np.integer) -> date:
    return date(1970, 1, 1) + timedelta(days=int(day_number))


def kinds_present(p: PreparedEvents) -> tuple[str, ...]:
    """The event kinds found in the data, in :data:`EVENT_KINDS` order."""
    counts = np.bincount(p.kind, minlength=len(EVENT_KINDS))
    return tuple(kind for kind, n in zip(EVENT_KINDS, counts, strict=False) if n)


def weapon_categories_present(p: PreparedEvents) -> tuple[str, ...]:
    """The weapon categories given on any event, in :data:`WEAPON_CATEGORIES` order."""
    weapon = p.kind_weapon % _N_WEAPON_CODES  # _MISSING_WEAPON (blank) is the last code
    counts = np.bincount(weapon, minlength=_N_WEAPON_CODES)
    return tuple(c for c, n in zip(WEAPON_CATEGORIES, counts, strict=False) if n)


def preset_range(events: PreparedEvents | pd.DataFrame, preset: int | str) -> tuple[date, date]:
    """The range of a sidebar preset: the latest ``preset`` days of the data, or ``"all"``.

    >>> frame = pd.DataFrame({"date": pd.to_datetime(["2026-01-01", "2026-02-28"])})
    >>> preset_range(frame, 7)
    (datetime.date(2026, 2, 22), datetime.date(2026, 2, 28))
    >>> preset_range(frame, "all")
    (datetime.date(2026, 1, 1), datetime.date(2026, 2, 28))
    """
    first, last = data_date_span(events)
    if preset == "all":
        return first, last
    try:
        days = int(preset)
    except (TypeError, ValueError):
        raise ValueError(f"unknown preset {preset!r}; expected a number of days or 'all'") from None
    if days < 1:
        raise ValueError(f"preset needs at least one day, got {days}")
    return max(first, last - timedelta(days=days - 1)), last


def default_range(events: PreparedEvents | pd.DataFrame, days: int = 30) -> tuple[date, date]:
    """The latest ``days`` days of the loaded data (the app's opening range)."""
    return preset_range(events, days)


# --- region metrics ------------------------------------------------------------------------


def _span_rows(p: PreparedEvents, filters: Filters) -> tuple[int, int]:
    """Rows ``i:j`` of the pre-aggregated tables covering the range (clipped to the data)."""
    n_span = len(p.daily)
    i = min(max(_day_number(filters.start) - p.first_day, 0), n_span)
    j = min(max(_day_number(filters.end) - p.first_day + 1, 0), n_span)
    return i, max(i, j)


def _range_sum(p: PreparedEvents, name: str, i: int, j: int) -> np.ndarray:
    table = p.cumulative[name]
    return table[j] - table[i]


def region_metric(
    events: PreparedEvents | pd.DataFrame,
    event_regions: pd.DataFrame | None,
    filters: Filters,
    metric: str = "waves",
) -> pd.Series:
    """The choropleth value of every region (index: all 27 codes; NaN = no reports).

    ``metric`` is a key of :data:`METRICS`. ``filters.region`` is ignored (see module doc).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    p = _prepared(events, event_regions)
    if metric == "incidents":
        values, reported = _incident_metric(p, filters)
    else:
        values, reported = _strike_metric(p, filters, metric)
    values[~reported] = np.nan
    return pd.Series(values, index=pd.Index(REGION_CODES, name="region_code"), name=metric)


def _strike_metric(
    p: PreparedEvents, filters: Filters, metric: str
) -> tuple[np.ndarray, np.ndarray]:
    selected = _strike_mask(p, filters)
    if selected is None:  # strikes filtered out: no reports anywhere
        return np.zeros(N_REGIONS), np.zeros(N_REGIONS, dtype=bool)
    lo, hi, mask = selected
    s = p.strikes
    a, b = s.hit_indptr[lo], s.hit_indptr[hi]
    if mask is None:
        # Fast path: pre-aggregated running sums, and distinct waves from each hit row's
        # previous row of the same (wave, region): a pair counts once, at its first row in
        # the slice.
        i, j = _span_rows(p, filters)
        reported = _range_sum(p, "strike_named", i, j) > 0
        if metric == "waves":
            first = s.hit_prev[a:b] < a
            values = np.bincount(s.hit_region[a:b][first], minlength=N_REGIONS)
        elif metric == "days":
            values = _range_sum(p, "hit_days", i, j)
        else:
            values = _range_sum(p, "launched", i, j)
            uncounted = (_range_sum(p, "hits", i, j) > 0) & (
                _range_sum(p, "hits_counted", i, j) == 0
            )
            values = np.where(uncounted, np.nan, values)
        return values.astype(np.float64), reported

    na, nb = s.named_indptr[lo], s.named_indptr[hi]
    named_mask = np.repeat(mask, np.diff(s.named_indptr[lo : hi + 1]))
    reported = np.bincount(s.named_region[na:nb][named_mask], minlength=N_REGIONS) > 0
    keep = mask[s.hit_idx[a:b] - lo]
    regions = s.hit_region[a:b][keep]
    if metric == "waves":
        seen = np.zeros(len(s.wave_region_region), dtype=bool)
        seen[s.hit_wave_region[a:b][keep]] = True
        values = np.bincount(s.wave_region_region[seen], minlength=N_REGIONS)
    elif metric == "days":
        days = s.day[s.hit_idx[a:b][keep]]
        if len(days):
            base = int(days.min())
            span = int(days.max()) - base + 1
            key = (days - base).astype(np.intp) * N_REGIONS + regions
            pairs = np.bincount(key, minlength=span * N_REGIONS).reshape(span, N_REGIONS) > 0
            values = pairs.sum(axis=0)
        else:
            values = np.zeros(N_REGIONS)
    else:
        launched = s.hit_launched[a:b][keep]
        counted = ~np.isnan(launched)
        values = np.bincount(regions[counted], weights=launched[counted], minlength=N_REGIONS)
        hit = np.bincount(regions, minlength=N_REGIONS) > 0
        with_count = np.bincount(regions[counted], minlength=N_REGIONS) > 0
        values[hit & ~with_count] = np.nan
    return values.astype(np.float64), reported


def _incident_metric(p: PreparedEvents, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
    if not _kinds_ok(filters)[_INCIDENT]:
        return np.zeros(N_REGIONS), np.zeros(N_REGIONS, dtype=bool)
    sources = _sources_ok(p, filters)
    if sources is None:
        i, j = _span_rows(p, filters)
        reported = _range_sum(p, "incident_named", i, j) > 0
        return _range_sum(p, "incidents", i, j), reported
    lo, hi = _slice(p.incident_day, filters)
    mask = sources[p.source[p.incident_pos[lo:hi]]]
    na, nb = p.inc_named_indptr[lo], p.inc_named_indptr[hi]
    named_mask = np.repeat(mask, np.diff(p.inc_named_indptr[lo : hi + 1]))
    reported = np.bincount(p.inc_named_region[na:nb][named_mask], minlength=N_REGIONS) > 0
    a, b = p.loc_indptr[lo], p.loc_indptr[hi]
    regions = p.loc_region[a:b][mask[p.loc_idx[a:b] - lo]]
    return np.bincount(regions, minlength=N_REGIONS).astype(np.float64), reported


def not_on_map_summary(events: PreparedEvents | pd.DataFrame, filters: Filters) -> dict[str, int]:
    """How many filtered non-diplomatic events in range have a scope the map cannot show.

    Keys: ``national``, ``macro-region``, ``outside``, ``abroad`` (always present). Diplomatic
    events are left out: they are never meant to be on the choropleth. ``filters.region`` is
    ignored.
    """
    p = _prepared(events)
    wanted = [SCOPES.index(scope) for scope in NOT_ON_MAP_SCOPES]
    counted_kinds = _kinds_ok(filters).copy()
    counted_kinds[[_KIND_CODE[k] for k in DIPLOMATIC_KINDS]] = False
    if not filters.weapon_categories and not filters.sources:
        i, j = _span_rows(p, filters)
        table = _range_sum(p, "kind_scope", i, j)  # (kinds, scopes)
        counts = table[counted_kinds].sum(axis=0)
    else:
        lo, hi, mask = _event_mask(p, filters, use_region=False)
        keep = counted_kinds[p.kind[lo:hi]]
        if mask is not None:
            keep &= mask
        counts = np.bincount(p.scope[lo:hi][keep], minlength=len(SCOPES))
    return {scope: int(counts[k]) for scope, k in zip(NOT_ON_MAP_SCOPES, wanted, strict=True)}


# --- one region ----------------------------------------------------------------------------


def _region_index(region: str) -> int:
    try:
        return _REGION_INDEX[region]
    except KeyError:
        raise ValueError(f"unknown region code {region!r}") from None


def region_events(
    events: PreparedEvents | pd.DataFrame,
    event_regions: pd.DataFrame | None,
    filters: Filters,
    region: str,
) -> pd.DataFrame:
    """Filtered events naming ``region`` in any role, newest first.

    Columns: :data:`REGION_EVENT_COLUMNS`; ``roles`` joins the roles with ``;`` in the order
    of :data:`oblastwatch.domain.model.ROLES`; ``date`` is a ``datetime.date``.
    """
    r = _region_index(region)
    p = _prepared(events, event_regions)
    lo, hi, mask = _event_mask(p, filters, use_region=False)
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    rows = np.flatnonzero(p.er_region[a:b] == r) + a
    if mask is not None:
        rows = rows[mask[p.er_event[rows] - lo]]
    unique, inverse = np.unique(p.er_event[rows], return_inverse=True)
    role_bits = np.zeros(len(unique), dtype=np.int16)
    np.bitwise_or.at(role_bits, inverse, (1 << p.er_role[rows].astype(np.int16)))
    unique, role_bits = unique[::-1], role_bits[::-1]  # newest first (sorted by day)
    frame = _event_rows(p, unique)
    role_names = [
        ";".join(role for i, role in enumerate(ROLES) if bits >> i & 1) for bits in role_bits
    ]
    out = pd.DataFrame(index=frame.index)
    for column in REGION_EVENT_COLUMNS:
        if column == "roles":
            out[column] = pd.array(role_names, dtype="string")
        elif column == "date":
            out[column] = pd.to_datetime(frame["date"]).dt.date
        elif column in frame.columns:
            out[column] = frame[column]
        else:
            out[column] = pd.Series(pd.NA, index=frame.index, dtype="string")
    return out.reset_index(drop=True)


def _day_index(filters: Filters) -> pd.DatetimeIndex:
    return pd.date_range(filters.start, filters.end, freq="D", name="date")


def daily_attack_counts(
    events: PreparedEvents | pd.DataFrame,
    filters: Filters,
    event_regions: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Daily strike totals over every day of the range (index named ``date``).

    Columns :data:`DAILY_COLUMNS`: sums of ``launched`` / ``destroyed`` by weapon group and
    the number of distinct attack waves. A day is NaN in every column when no strike event
    passes the filters that day. With ``filters.region`` set, the sums cover the strike
    events naming the region in any role (full counts, never divided) and days with strikes
    elsewhere only are 0; this needs ``event_regions`` or a :class:`PreparedEvents`.
    """
    if filters.region is not None and event_regions is None:
        if not isinstance(events, PreparedEvents):
            raise ValueError("a region's daily counts need event_regions")
    p = _prepared(events, event_regions)
    index = _day_index(filters)
    n_days = len(index)
    first = _day_number(filters.start)
    table = np.full((n_days, len(DAILY_COLUMNS)), np.nan)
    selected = _strike_mask(p, filters)
    if selected is not None:
        lo, hi, mask = selected
        if mask is None and filters.region is None:
            # Pre-aggregated: copy the overlapping days.
            i, j = _span_rows(p, filters)
            start = p.first_day + i - first
            table[start : start + j - i] = p.daily[i:j]
        else:
            s = p.strikes
            rows = np.arange(lo, hi) if mask is None else lo + np.flatnonzero(mask)
            covered = np.bincount(s.day[rows] - first, minlength=n_days) > 0
            if filters.region is not None:
                region = _REGION_INDEX[filters.region]
                na, nb = s.named_indptr[lo], s.named_indptr[hi]
                owner = np.repeat(np.arange(lo, hi), np.diff(s.named_indptr[lo : hi + 1]))
                named = np.zeros(hi - lo, dtype=bool)
                named[owner[s.named_region[na:nb] == region] - lo] = True
                rows = rows[named[rows - lo]]
            table = _daily_table(s, rows, first, n_days)
            table[covered & np.isnan(table[:, 0])] = 0.0
    return pd.DataFrame(table, index=index, columns=list(DAILY_COLUMNS))


def weekly_region_series(
    events: PreparedEvents | pd.DataFrame,
    event_regions: pd.DataFrame | None,
    filters: Filters,
    region: str,
) -> pd.DataFrame:
    """Weekly series of one region over the range (index: Monday of each week, ``week``).

    Columns: ``waves`` (distinct waves that hit the region), ``strike_days`` (days with a
    hit), ``launched`` (weapons reported in those waves, full counts), ``incidents``
    (incident events located in the region) and ``days_in_range`` (the first and last weeks
    may be partial). ``waves``, ``strike_days`` and ``launched`` are NaN in weeks without any
    strike event passing the filters; ``incidents`` is NaN in weeks without any incident.
    """
    r = _region_index(region)
    p = _prepared(events, event_regions)
    monday0 = filters.start - timedelta(days=filters.start.weekday())
    base = _day_number(monday0)
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
    selected = _strike_mask(p, filters)
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
    if _kinds_ok(filters)[_INCIDENT]:
        lo, hi = _slice(p.incident_day, filters)
        sources = _sources_ok(p, filters)
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


def weapons_breakdown(
    events: PreparedEvents | pd.DataFrame,
    event_regions: pd.DataFrame | None,
    filters: Filters,
    region: str | None = None,
) -> pd.DataFrame:
    """Launched and destroyed per weapon category and model over the filtered strike events.

    With ``region``, only strike events that hit it (target or affected; full counts).
    Columns: ``weapon_category``, ``weapon_model`` (blank shown as ``"not given"``),
    ``launched``, ``destroyed`` (NaN when no row gives the count), ``events``, ``waves``;
    sorted by launched, largest first.
    """
    p = _prepared(events, event_regions)
    columns = ["weapon_category", "weapon_model", "launched", "destroyed", "events", "waves"]
    selected = _strike_mask(p, filters)
    if selected is None:
        return pd.DataFrame({c: [] for c in columns})
    lo, hi, mask = selected
    s = p.strikes
    keep = np.ones(hi - lo, dtype=bool) if mask is None else mask.copy()
    if region is not None:
        r = _region_index(region)
        a, b = s.hit_indptr[lo], s.hit_indptr[hi]
        hit = np.zeros(hi - lo, dtype=bool)
        hit[s.hit_idx[a:b][s.hit_region[a:b] == r] - lo] = True
        keep &= hit
    rows = lo + np.flatnonzero(keep)
    # Group on integer codes first: one pass over the rows, strings only per group.
    weapon_codes, model_levels = pd.factorize(
        p.input_events["weapon_model"]
        .iloc[p.order[s.pos[rows]]]
        .astype("string")
        .fillna("not given")
    )
    frame = pd.DataFrame(
        {
            "weapon": s.weapon[rows],
            "model": weapon_codes,
            "launched": s.launched[rows],
            "destroyed": s.destroyed[rows],
            "wave": s.wave[rows],
        }
    )
    grouped = frame.groupby(["weapon", "model"], sort=False)
    out = pd.DataFrame(
        {
            "launched": grouped["launched"].sum(min_count=1),
            "destroyed": grouped["destroyed"].sum(min_count=1),
            "events": grouped["wave"].size(),
            "waves": grouped["wave"].nunique(),
        }
    ).reset_index()
    categories = np.array([*WEAPON_CATEGORIES, "not given"], dtype=object)
    out.insert(0, "weapon_category", categories[out.pop("weapon").to_numpy()])
    out.insert(1, "weapon_model", np.asarray(model_levels, dtype=object)[out.pop("model")])
    out = out.sort_values(
        ["launched", "events", "weapon_model"], ascending=[False, False, True], na_position="last"
    )
    return out[columns].reset_index(drop=True)


# --- diplomacy -----------------------------------------------------------------------------

_PARTY_ALIASES = {
    "us": "US",
    "u.s.": "US",
    "usa": "US",
    "u.s.a.": "US",
    "united states": "US",
    "united states of america": "US",
    "russia": "Russia",
    "russian federation": "Russia",
    "ukraine": "Ukraine",
}
# A party entry that stands for many participants ("others", "about 65 countries").
_COLLECTIVE = re.compile(r"\b(others?|countries|organi[sz]ations|leaders)\b", re.IGNORECASE)
MAX_NAMED_PARTIES = 10


def talks_lane(parties: str | None) -> str:
    """The timeline lane of a diplomatic event from its ``;``-joined parties.

    The lane names which of Russia, Ukraine and the US sat at the table; hosts, chairs and
    mediators (Turkey, the UN, European advisers) do not change it. Broad multilateral
    gatherings (a collective entry such as "about 65 countries", or more than
    :data:`MAX_NAMED_PARTIES` parties) go to ``"other"``.

    >>> talks_lane("Russia;Ukraine;Turkey;UN")
    'Russia–Ukraine'
    >>> talks_lane("US;Russia;Ukraine")
    'trilateral'
    >>> talks_lane("United States;Ukraine")
    'US–Ukraine'
    >>> talks_lane("Ukraine;Malta;about 65 countries")
    'other'
    """
    if parties is None or pd.isna(parties):
        return "other"
    entries = [p.strip() for p in str(parties).split(";") if p.strip()]
    if len(entries) > MAX_NAMED_PARTIES or any(_COLLECTIVE.search(p) for p in entries):
        return "other"
    present = {_PARTY_ALIASES.get(p.casefold()) for p in entries} - {None}
    if present >= {"US", "Russia", "Ukraine"}:
        return "trilateral"
    if present >= {"Russia", "Ukraine"}:
        return "Russia–Ukraine"
    if present >= {"US", "Ukraine"}:
        return "US–Ukraine"
    if present >= {"US", "Russia"}:
        return "US–Russia"
    return "other"


def diplomatic_events(events: PreparedEvents | pd.DataFrame, filters: Filters) -> pd.DataFrame:
    """Diplomatic events (talks, summits, calls, agreements, exchanges, returns,
    announcements) whose span overlaps the range, oldest first.

    Columns :data:`DIPLOMATIC_COLUMNS`; ``first_day`` and ``last_day`` are the inclusive Kyiv
    calendar days of the event (from ``start``/``end``, else ``date``); ``lane`` from
    :func:`talks_lane`. Kinds and sources filters apply; weapons and region do not.
    """
    p = _prepared(events, None) if not isinstance(events, PreparedEvents) else events
    table = p.diplomatic
    start = pd.Timestamp(filters.start)
    end = pd.Timestamp(filters.end)
    keep = (table["last_day"] >= start) & (table["first_day"] <= end)
    if filters.kinds:
        keep &= table["kind"].isin(filters.kinds)
    if filters.sources:
        keep &= table["source"].isin(filters.sources)
    out = table.loc[keep.to_numpy(dtype=bool), list(DIPLOMATIC_COLUMNS)]
    return out.sort_values(["first_day", "last_day", "event_id"]).reset_index(drop=True)


def talks_window(events: PreparedEvents | pd.DataFrame, event_id: str) -> tuple[date, date] | None:
    """The inclusive day span of one diplomatic event (for "select a round"), or None."""
    p = _prepared(events, None) if not isinstance(events, PreparedEvents) else events
    found = p.diplomatic[p.diplomatic["event_id"] == event_id]
    if found.empty:
        return None
    row = found.iloc[0]
    return row["first_day"].date(), row["last_day"].date()


def metric_label(metric: str) -> str:
    """``"Attack waves (waves)"`` for legends."""
    info = METRICS[metric]
    return f"{info.label} ({info.unit})"
