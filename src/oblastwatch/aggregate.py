"""Filters and aggregations behind every view (pure pandas / numpy, no Streamlit).

Every view asks the same question of the canonical tables (``events``, ``event_regions``; see
:mod:`oblastwatch.model`): *which events pass the shared filters, and what do they add up to
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
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

import numpy as np
import pandas as pd

from oblastwatch.model import (
    DIPLOMATIC_KINDS,
    EVENT_KINDS,
    MISSILE_CATEGORIES,
    ROLES,
    SCOPES,
    WEAPON_CATEGORIES,
)
from oblastwatch.regions import REGION_CODES

N_REGIONS = len(REGION_CODES)
HIT_ROLES = ("target", "affected")
NOT_ON_MAP_SCOPES = ("national", "macro-region", "outside", "abroad")
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
    "launched",
    "destroyed",
    "killed",
    "injured",
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
class PreparedEvents:
    """Integer-coded, day-sorted arrays of one dataset, built once by :func:`prepare`.

    Position ``i`` in every per-event array is row ``i`` of :attr:`events` (the input rows
    sorted by ``date``, original index kept). ``er_*`` arrays hold the ``event_regions`` rows
    sorted by event position, ``er_indptr[i]:er_indptr[i + 1]`` being event ``i``'s rows.
    ``hit_*`` arrays hold the distinct (strike event, region) pairs with a hit role;
    ``loc_*`` the (incident event, region) pairs with role ``location``.
    """

    events: pd.DataFrame
    day: np.ndarray  # int32 days since 1970-01-01
    kind: np.ndarray  # int8 index into EVENT_KINDS
    kind_weapon: np.ndarray  # int16 kind * _N_WEAPON_CODES + weapon code
    weapon_group: np.ndarray  # int8 drone / missile / other (strike rows)
    source: np.ndarray  # int32 index into ``sources``
    sources: tuple[str, ...]
    scope: np.ndarray  # int8 index into SCOPES
    wave: np.ndarray  # int32 factorised wave_id (event_id where blank)
    n_waves: int
    launched: np.ndarray  # float64, NaN where not reported
    destroyed: np.ndarray  # float64, NaN where not reported
    day_wave: np.ndarray  # int32 factorised (day, wave) of strike events, -1 elsewhere
    day_wave_day: np.ndarray  # int32 day of each (day, wave) code
    er_event: np.ndarray  # int32
    er_region: np.ndarray  # int8 index into REGION_CODES
    er_role: np.ndarray  # int8 index into ROLES
    er_indptr: np.ndarray  # int64, len n + 1
    hit_event: np.ndarray  # int32
    hit_region: np.ndarray  # int8
    hit_launched: np.ndarray  # float64 launched of hit_event
    hit_wave_region: np.ndarray  # int32 factorised (wave, region)
    wave_region_region: np.ndarray  # int8 region of each (wave, region) code
    hit_indptr: np.ndarray  # int64
    loc_event: np.ndarray  # int32
    loc_region: np.ndarray  # int8
    loc_indptr: np.ndarray  # int64
    diplomatic: pd.DataFrame = field(repr=False)  # rows for diplomatic_events, lane added

    def __len__(self) -> int:
        return len(self.day)


# --- preparing -----------------------------------------------------------------------------


def _codes(values: pd.Series, levels: Iterable[str], table: str, column: str) -> np.ndarray:
    """Integer codes of ``values`` in ``levels``; one-line error on anything else."""
    codes = pd.Categorical(values, categories=list(levels)).codes
    bad = np.flatnonzero(codes < 0)
    if len(bad):
        row = bad[0]
        raise ValueError(
            f"{table} row {values.index[row]}, column {column}: "
            f"{values.iloc[row]!r} is not one of {', '.join(levels)}"
        )
    return codes


def _indptr(sorted_positions: np.ndarray, n: int) -> np.ndarray:
    return np.concatenate(([0], np.cumsum(np.bincount(sorted_positions, minlength=n)))).astype(
        np.int64
    )


def _kyiv_days(instants: pd.Series) -> pd.Series:
    return instants.dt.tz_convert("Europe/Kyiv").dt.tz_localize(None).dt.normalize()


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

    dates = pd.to_datetime(events["date"])
    if dates.isna().any():
        row = events.index[np.flatnonzero(dates.isna().to_numpy())[0]]
        raise ValueError(f"events row {row}, column date: missing date")
    raw_day = (dates.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]") - _EPOCH).astype(
        np.int32
    )
    order = np.argsort(raw_day, kind="stable")
    ev = events.iloc[order]
    n = len(ev)
    day = raw_day[order]

    kind = _codes(ev["kind"], EVENT_KINDS, "events", "kind").astype(np.int8)
    category = ev["weapon_category"]
    weapon = pd.Categorical(category, categories=list(WEAPON_CATEGORIES)).codes.astype(np.int16)
    blank_category = category.isna().to_numpy()
    if ((weapon < 0) & ~blank_category).any():
        _codes(category.dropna(), WEAPON_CATEGORIES, "events", "weapon_category")
    weapon[blank_category] = _MISSING_WEAPON
    kind_weapon = (kind.astype(np.int16) * _N_WEAPON_CODES + weapon).astype(np.int16)

    is_missile = np.isin(weapon, [WEAPON_CATEGORIES.index(c) for c in MISSILE_CATEGORIES])
    model_text = ev["weapon_model"].astype("string").fillna("")
    unknown_missile = (weapon == WEAPON_CATEGORIES.index("unknown")) & model_text.str.contains(
        _MISSILE_MODEL
    ).to_numpy(dtype=bool)
    weapon_group = np.full(n, _OTHER_GROUP, dtype=np.int8)
    weapon_group[weapon == WEAPON_CATEGORIES.index("drone")] = _DRONE_GROUP
    weapon_group[is_missile | unknown_missile] = _MISSILE_GROUP

    source_codes, source_levels = pd.factorize(ev["source"].astype("string").fillna(""), sort=True)
    scope = _codes(ev["scope"], SCOPES, "events", "scope").astype(np.int8)

    wave_text = ev["wave_id"].astype("string")
    wave_key = wave_text.where(wave_text.notna(), "\x00event:" + ev["event_id"].astype("string"))
    wave_codes, wave_levels = pd.factorize(wave_key)
    wave = wave_codes.astype(np.int32)
    n_waves = len(wave_levels)

    launched = ev["launched"].to_numpy(dtype=np.float64, na_value=np.nan)
    destroyed = ev["destroyed"].to_numpy(dtype=np.float64, na_value=np.nan)

    strike = kind == _STRIKE
    day_wave = np.full(n, -1, dtype=np.int32)
    dw_codes, dw_levels = pd.factorize(
        day[strike].astype(np.int64) * max(n_waves, 1) + wave[strike]
    )
    day_wave[strike] = dw_codes
    day_wave_day = (np.asarray(dw_levels, dtype=np.int64) // max(n_waves, 1)).astype(np.int32)

    # event_regions joined once to integer positions of the sorted events.
    positions = pd.Index(ev["event_id"].astype("string"))
    if not positions.is_unique:
        dup = positions[positions.duplicated()][0]
        raise ValueError(f"events: event_id {dup!r} repeated")
    er_pos = positions.get_indexer(event_regions["event_id"].astype("string"))
    if (er_pos < 0).any():
        row = np.flatnonzero(er_pos < 0)[0]
        raise ValueError(
            f"event_regions row {event_regions.index[row]}, column event_id: "
            f"{event_regions['event_id'].iloc[row]!r} is not in events"
        )
    er_region = _codes(event_regions["region_code"], REGION_CODES, "event_regions", "region_code")
    er_role = _codes(event_regions["role"], ROLES, "event_regions", "role")
    er_order = np.argsort(er_pos, kind="stable")
    er_event = er_pos[er_order].astype(np.int32)
    er_region = er_region[er_order].astype(np.int8)
    er_role = er_role[er_order].astype(np.int8)

    hit_rows = np.isin(er_role, [_ROLE_CODE[r] for r in HIT_ROLES]) & strike[er_event]
    hit_key = np.unique(er_event[hit_rows].astype(np.int64) * N_REGIONS + er_region[hit_rows])
    hit_event = (hit_key // N_REGIONS).astype(np.int32)
    hit_region = (hit_key % N_REGIONS).astype(np.int8)
    wr_codes, wr_levels = pd.factorize(wave[hit_event].astype(np.int64) * N_REGIONS + hit_region)
    wave_region_region = (np.asarray(wr_levels, dtype=np.int64) % N_REGIONS).astype(np.int8)

    loc_rows = (er_role == _ROLE_CODE["location"]) & (kind[er_event] == _INCIDENT)

    prepared = PreparedEvents(
        events=ev,
        day=day,
        kind=kind,
        kind_weapon=kind_weapon,
        weapon_group=weapon_group,
        source=source_codes.astype(np.int32),
        sources=tuple(str(s) for s in source_levels),
        scope=scope,
        wave=wave,
        n_waves=n_waves,
        launched=launched,
        destroyed=destroyed,
        day_wave=day_wave,
        day_wave_day=day_wave_day,
        er_event=er_event,
        er_region=er_region,
        er_role=er_role,
        er_indptr=_indptr(er_event, n),
        hit_event=hit_event,
        hit_region=hit_region,
        hit_launched=launched[hit_event],
        hit_wave_region=wr_codes.astype(np.int32),
        wave_region_region=wave_region_region,
        hit_indptr=_indptr(hit_event, n),
        loc_event=er_event[loc_rows],
        loc_region=er_region[loc_rows],
        loc_indptr=_indptr(er_event[loc_rows], n),
        diplomatic=_diplomatic_table(ev, kind),
    )
    for value in vars(prepared).values():
        if isinstance(value, np.ndarray):
            _freeze(value)
    return prepared


_NEEDED_EVENT_COLUMNS = (
    "event_id",
    "source",
    "kind",
    "start",
    "end",
    "date",
    "weapon_model",
    "weapon_category",
    "launched",
    "destroyed",
    "scope",
    "wave_id",
)


def _diplomatic_table(ev: pd.DataFrame, kind: np.ndarray) -> pd.DataFrame:
    diplomatic_codes = [_KIND_CODE[k] for k in DIPLOMATIC_KINDS]
    positions = np.flatnonzero(np.isin(kind, diplomatic_codes))
    rows = ev.iloc[positions]
    first = pd.to_datetime(rows["date"]).dt.normalize()
    if "start" in rows and rows["start"].notna().any():
        start_day = _kyiv_days(pd.to_datetime(rows["start"], utc=True))
        first = first.where(start_day.isna(), start_day)
    last = first.copy()
    if "end" in rows:
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
    out.insert(0, "position", positions)
    return out


def _column(frame: pd.DataFrame, name: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype("string")
    return pd.Series(pd.NA, index=frame.index, dtype="string")


def _prepared(
    events: PreparedEvents | pd.DataFrame, event_regions: pd.DataFrame | None
) -> PreparedEvents:
    if isinstance(events, PreparedEvents):
        return events
    if event_regions is None:
        from oblastwatch.model import empty_event_regions

        event_regions = empty_event_regions()
    return prepare(events, event_regions)


# --- filtering -----------------------------------------------------------------------------


def _day_number(value: date) -> int:
    return int((np.datetime64(value, "D") - _EPOCH).astype(np.int64))


def _day_slice(p: PreparedEvents, start: date, end: date) -> tuple[int, int]:
    lo = int(np.searchsorted(p.day, _day_number(start), side="left"))
    hi = int(np.searchsorted(p.day, _day_number(end), side="right"))
    return lo, hi


def _kind_weapon_table(filters: Filters) -> np.ndarray | None:
    """Lookup table over ``kind_weapon`` codes, or None when neither filter is set."""
    if not filters.kinds and not filters.weapon_categories:
        return None
    kinds_ok = np.ones(len(EVENT_KINDS), dtype=bool)
    if filters.kinds:
        kinds_ok[:] = False
        for k in filters.kinds:
            if k in _KIND_CODE:
                kinds_ok[_KIND_CODE[k]] = True
    weapons_ok = np.ones(_N_WEAPON_CODES, dtype=bool)
    if filters.weapon_categories:
        weapons_ok[:] = False
        for w in filters.weapon_categories:
            if w in WEAPON_CATEGORIES:
                weapons_ok[WEAPON_CATEGORIES.index(w)] = True
        weapons_ok[_MISSING_WEAPON] = weapons_ok[WEAPON_CATEGORIES.index("unknown")]
    table = np.repeat(kinds_ok, _N_WEAPON_CODES)
    strike = slice(_STRIKE * _N_WEAPON_CODES, (_STRIKE + 1) * _N_WEAPON_CODES)
    table[strike] &= weapons_ok  # the weapon filter applies to strike rows only
    return table


def _event_mask(
    p: PreparedEvents, filters: Filters, *, use_region: bool
) -> tuple[int, int, np.ndarray | None]:
    """``(lo, hi, mask)``: events ``lo:hi`` are in the date range; ``mask`` (None = all)
    selects those passing the other filters."""
    lo, hi = _day_slice(p, filters.start, filters.end)
    mask = None
    table = _kind_weapon_table(filters)
    if table is not None:
        mask = table[p.kind_weapon[lo:hi]]
    if filters.sources:
        wanted = set(filters.sources)
        ok = np.fromiter((s in wanted for s in p.sources), dtype=bool, count=len(p.sources))
        source_mask = ok[p.source[lo:hi]]
        mask = source_mask if mask is None else mask & source_mask
    if use_region and filters.region is not None:
        names = _names_region(p, lo, hi, _REGION_INDEX[filters.region])
        mask = names if mask is None else mask & names
    return lo, hi, mask


def _names_region(p: PreparedEvents, lo: int, hi: int, region: int) -> np.ndarray:
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    out = np.zeros(hi - lo, dtype=bool)
    out[p.er_event[a:b][p.er_region[a:b] == region] - lo] = True
    return out


def _positions(p: PreparedEvents, filters: Filters, *, use_region: bool = True) -> np.ndarray:
    lo, hi, mask = _event_mask(p, filters, use_region=use_region)
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
    if (
        filters.region is not None
        and event_regions is None
        and not isinstance(events, PreparedEvents)
    ):
        raise ValueError("filtering by region needs event_regions")
    p = _prepared(events, event_regions)
    return p.events.iloc[_positions(p, filters)]


def data_date_span(events: PreparedEvents | pd.DataFrame) -> tuple[date, date]:
    """First and last ``date`` in the data. Raises ``ValueError`` when there are no events."""
    if isinstance(events, PreparedEvents):
        if not len(events):
            raise ValueError("no events loaded")
        return _as_date(events.day[0]), _as_date(events.day[-1])
    dates = pd.to_datetime(events["date"]).dropna()
    if dates.empty:
        raise ValueError("no events loaded")
    return dates.min().date(), dates.max().date()


def _as_date(day_number: int | np.integer) -> date:
    return date(1970, 1, 1) + timedelta(days=int(day_number))


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
    return last - timedelta(days=days - 1), last


def default_range(events: PreparedEvents | pd.DataFrame, days: int = 30) -> tuple[date, date]:
    """The latest ``days`` days of the loaded data (the app's opening range)."""
    return preset_range(events, days)


# --- region metrics ------------------------------------------------------------------------


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
    lo, hi, mask = _event_mask(p, filters, use_region=False)

    # Regions named (any role) by a filtered event of the metric's kind: the rest have no
    # reports.
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    er_event = p.er_event[a:b] - lo
    named = p.kind[lo:hi] == _METRIC_KIND[metric]
    if mask is not None:
        named &= mask
    reported = np.bincount(p.er_region[a:b][named[er_event]], minlength=N_REGIONS) > 0

    if metric == "incidents":
        a, b = p.loc_indptr[lo], p.loc_indptr[hi]
        regions = p.loc_region[a:b]
        if mask is not None:
            regions = regions[mask[p.loc_event[a:b] - lo]]
        values = np.bincount(regions, minlength=N_REGIONS).astype(np.float64)
    else:
        a, b = p.hit_indptr[lo], p.hit_indptr[hi]
        keep = None if mask is None else mask[p.hit_event[a:b] - lo]
        values = _hit_metric(p, metric, slice(a, b), keep, lo)
    values[~reported] = np.nan
    return pd.Series(values, index=pd.Index(REGION_CODES, name="region_code"), name=metric)


def _hit_metric(
    p: PreparedEvents, metric: str, rows: slice, keep: np.ndarray | None, lo: int
) -> np.ndarray:
    def take(array: np.ndarray) -> np.ndarray:
        return array[rows] if keep is None else array[rows][keep]

    if metric == "waves":
        seen = np.zeros(len(p.wave_region_region), dtype=bool)
        seen[take(p.hit_wave_region)] = True
        return np.bincount(p.wave_region_region[seen], minlength=N_REGIONS).astype(np.float64)
    regions = take(p.hit_region)
    if metric == "days":
        days = p.day[take(p.hit_event)]
        if not len(days):
            return np.zeros(N_REGIONS)
        first = int(days.min())
        key = (days - first).astype(np.int64) * N_REGIONS + regions
        span = int(days.max()) - first + 1
        pairs = np.bincount(key, minlength=span * N_REGIONS).reshape(span, N_REGIONS) > 0
        return pairs.sum(axis=0).astype(np.float64)
    # weapons: full count of every hit event, NaN where none of them gives a count.
    launched = take(p.hit_launched)
    counted = ~np.isnan(launched)
    values = np.bincount(regions[counted], weights=launched[counted], minlength=N_REGIONS)
    hit = np.bincount(regions, minlength=N_REGIONS) > 0
    with_count = np.bincount(regions[counted], minlength=N_REGIONS) > 0
    values[hit & ~with_count] = np.nan
    return values


def not_on_map_summary(events: PreparedEvents | pd.DataFrame, filters: Filters) -> dict[str, int]:
    """How many filtered non-diplomatic events in range have a scope the map cannot show.

    Keys: ``national``, ``macro-region``, ``outside``, ``abroad`` (always present). Diplomatic
    events are left out: they are never meant to be on the choropleth. ``filters.region`` is
    ignored.
    """
    p = _prepared(events, None) if not isinstance(events, PreparedEvents) else events
    lo, hi, mask = _event_mask(p, filters, use_region=False)
    keep = ~np.isin(p.kind[lo:hi], [_KIND_CODE[k] for k in DIPLOMATIC_KINDS])
    if mask is not None:
        keep &= mask
    counts = np.bincount(p.scope[lo:hi][keep], minlength=len(SCOPES))
    return {scope: int(counts[SCOPES.index(scope)]) for scope in NOT_ON_MAP_SCOPES}


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
    of :data:`oblastwatch.model.ROLES`; ``date`` is a ``datetime.date``.
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
    frame = p.events.iloc[unique]
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
    events naming the region (full counts, never divided) and days with strikes elsewhere
    only are 0; this needs ``event_regions`` or a :class:`PreparedEvents`.
    """
    if (
        filters.region is not None
        and event_regions is None
        and not isinstance(events, PreparedEvents)
    ):
        raise ValueError("a region's daily counts need event_regions")
    p = _prepared(events, event_regions)
    index = _day_index(filters)
    n_days = len(index)
    first = _day_number(filters.start)
    lo, hi, mask = _event_mask(p, filters, use_region=False)

    strike = p.kind[lo:hi] == _STRIKE
    if mask is not None:
        strike &= mask
    offset = p.day[lo:hi] - first
    covered = np.bincount(offset[strike], minlength=n_days) > 0
    if filters.region is not None:
        strike &= _names_region(p, lo, hi, _REGION_INDEX[filters.region])

    rows = np.flatnonzero(strike)
    key = offset[rows].astype(np.intp) * 3 + p.weapon_group[lo:hi][rows]
    launched = p.launched[lo:hi][rows]
    destroyed = p.destroyed[lo:hi][rows]
    launched_sum = np.bincount(key, weights=np.nan_to_num(launched), minlength=3 * n_days).reshape(
        n_days, 3
    )
    destroyed_sum = np.bincount(
        key, weights=np.nan_to_num(destroyed), minlength=3 * n_days
    ).reshape(n_days, 3)

    seen = np.zeros(len(p.day_wave_day), dtype=bool)
    seen[p.day_wave[lo:hi][rows]] = True
    waves = np.bincount(p.day_wave_day[seen] - first, minlength=n_days).astype(np.float64)

    table = np.column_stack(
        [
            launched_sum[:, _DRONE_GROUP],
            destroyed_sum[:, _DRONE_GROUP],
            launched_sum[:, _MISSILE_GROUP],
            destroyed_sum[:, _MISSILE_GROUP],
            launched_sum[:, _OTHER_GROUP],
            waves,
        ]
    )
    table[~covered] = np.nan
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
    lo, hi, mask = _event_mask(p, filters, use_region=False)
    monday0 = filters.start - timedelta(days=filters.start.weekday())
    base = _day_number(monday0)
    weeks = pd.date_range(monday0, filters.end, freq="7D", name="week")
    n_weeks = len(weeks)

    def week_of(day_numbers: np.ndarray) -> np.ndarray:
        return ((day_numbers - base) // 7).astype(np.intp)

    kind = p.kind[lo:hi]
    passes = np.ones(hi - lo, dtype=bool) if mask is None else mask
    strike_weeks = np.bincount(week_of(p.day[lo:hi][passes & (kind == _STRIKE)]), minlength=n_weeks)
    incident_weeks = np.bincount(
        week_of(p.day[lo:hi][passes & (kind == _INCIDENT)]), minlength=n_weeks
    )

    a, b = p.hit_indptr[lo], p.hit_indptr[hi]
    rows = np.flatnonzero(p.hit_region[a:b] == r) + a
    rows = rows[passes[p.hit_event[rows] - lo]]
    hit_days = p.day[p.hit_event[rows]]
    hits = pd.DataFrame(
        {
            "week": week_of(hit_days),
            "day": hit_days,
            "wave": p.wave[p.hit_event[rows]],
            "launched": p.hit_launched[rows],
        }
    )
    grouped = hits.groupby("week")
    waves = grouped["wave"].nunique().reindex(range(n_weeks), fill_value=0)
    strike_days = grouped["day"].nunique().reindex(range(n_weeks), fill_value=0)
    launched = grouped["launched"].sum(min_count=1).reindex(range(n_weeks))
    has_hits = waves.to_numpy() > 0
    launched = launched.to_numpy(dtype=np.float64, copy=True)
    launched[~has_hits] = 0.0  # no hit that week: no weapons reported over the region

    a, b = p.loc_indptr[lo], p.loc_indptr[hi]
    loc = np.flatnonzero(p.loc_region[a:b] == r) + a
    loc = loc[passes[p.loc_event[loc] - lo]]
    incidents = np.bincount(week_of(p.day[p.loc_event[loc]]), minlength=n_weeks)

    week_days = np.array(
        [
            (min(w.date() + timedelta(days=6), filters.end) - max(w.date(), filters.start)).days + 1
            for w in weeks
        ]
    )
    out = pd.DataFrame(
        {
            "waves": waves.to_numpy(dtype=np.float64),
            "strike_days": strike_days.to_numpy(dtype=np.float64),
            "launched": launched,
            "incidents": incidents.astype(np.float64),
            "days_in_range": week_days,
        },
        index=weeks,
    )
    silent = strike_weeks == 0
    out.loc[silent, ["waves", "strike_days", "launched"]] = np.nan
    out.loc[incident_weeks == 0, "incidents"] = np.nan
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
    lo, hi, mask = _event_mask(p, filters, use_region=False)
    strike = p.kind[lo:hi] == _STRIKE
    if mask is not None:
        strike &= mask
    if region is not None:
        r = _region_index(region)
        a, b = p.hit_indptr[lo], p.hit_indptr[hi]
        hit = np.zeros(hi - lo, dtype=bool)
        hit[p.hit_event[a:b][p.hit_region[a:b] == r] - lo] = True
        strike &= hit
    positions = lo + np.flatnonzero(strike)
    rows = p.events.iloc[positions]
    frame = pd.DataFrame(
        {
            "weapon_category": rows["weapon_category"].astype("string").fillna("not given"),
            "weapon_model": rows["weapon_model"].astype("string").fillna("not given"),
            "launched": p.launched[positions],
            "destroyed": p.destroyed[positions],
            "wave": p.wave[positions],
        }
    )
    grouped = frame.groupby(["weapon_category", "weapon_model"], sort=False)
    out = grouped.agg(
        launched=("launched", lambda s: s.sum(min_count=1)),
        destroyed=("destroyed", lambda s: s.sum(min_count=1)),
        events=("wave", "size"),
        waves=("wave", "nunique"),
    ).reset_index()
    out = out.sort_values(
        ["launched", "events", "weapon_model"], ascending=[False, False, True], na_position="last"
    )
    return out.reset_index(drop=True)


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
