"""The prepared index every query reads: :class:`PreparedEvents` and its :class:`StrikeTable`.

Every view asks the same question of the canonical tables (``events``, ``event_regions``; see
:mod:`oblastwatch.domain.model`): *which events pass the shared filters, and what do they add up
to per region or per day?* To answer it at interactive speed on a million events, the tables
are turned once per dataset (:func:`oblastwatch.query.build.prepare`) into plain numpy arrays
of integer codes (:mod:`oblastwatch.query.codes`), sorted by day, with the ``event_regions``
rows joined to integer event positions (a CSR-like layout). A date range is then two
``searchsorted`` calls and a slice; kinds, weapons and sources are one lookup-table gather
each; aggregations are ``np.bincount`` over small integer keys. The index is immutable (every
array is read-only), so the UI caches one per dataset and
:mod:`oblastwatch.query.index_cache` keeps it on disk between starts.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from oblastwatch.query.codes import N_REGIONS

# Columns of PreparedEvents.daily and of daily_attack_counts.
DAILY_COLUMNS = (
    "drones_launched",
    "drones_destroyed",
    "missiles_launched",
    "missiles_destroyed",
    "other_launched",
    "waves",
)


def _no_alert_days() -> np.ndarray:
    return np.zeros((0, N_REGIONS))


def _no_alert_regions() -> np.ndarray:
    return np.zeros(N_REGIONS + 1, dtype=np.int64)


@dataclass(frozen=True, eq=False)
class StrikeTable:
    """The strike events of a :class:`PreparedEvents`, in day order, with their hit rows.

    ``pos`` maps a strike row to its event position. ``named_*`` are every ``event_regions``
    row of a strike (any role); ``hit_*`` the distinct (strike, region) pairs with a hit role
    (target or affected). ``*_indptr[i]:*_indptr[i + 1]`` are strike ``i``'s rows.
    """

    pos: np.ndarray  # int32 event position
    day: np.ndarray  # int32
    weapon: np.ndarray  # int8 code into WEAPON_CATEGORIES, MISSING_WEAPON when blank
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
    """Integer-coded, day-sorted arrays of one dataset.

    Built once by :func:`~oblastwatch.query.build.prepare`.

    Position ``i`` in every per-event array is row ``i`` of :attr:`events` (the input rows
    sorted by ``date``, original index kept), i.e. row ``order[i]`` of :attr:`input_events`.
    ``er_*`` arrays hold the ``event_regions`` rows sorted by event position,
    ``er_indptr[i]:er_indptr[i + 1]`` being event ``i``'s rows. :attr:`strikes` holds the
    strike events; ``loc_*`` the (incident, region) rows with role ``location`` and
    ``inc_named_*`` every region row of an incident.

    Views filtered only by date range and kinds (the common case) read pre-aggregated
    tables: :attr:`daily` (one row per day of the data span, columns :data:`DAILY_COLUMNS`)
    and cumulative per-day, per-region counts in :attr:`cumulative`
    (:mod:`oblastwatch.query.rollups`), so a date change costs O(days + regions) instead of
    O(events).

    The event rows themselves (:attr:`input_events`) come from ``load_events``, called on
    first use: an index read back from disk (:mod:`oblastwatch.query.index_cache`) answers the
    map and the timeline without them, and only views that show rows load the frames.
    """

    load_events: Callable[[], pd.DataFrame] = field(repr=False)  # the input frame, input order
    order: np.ndarray  # int64 input row of each event position (a stable sort by day)
    day: np.ndarray  # int32 days since 1970-01-01
    kind: np.ndarray  # int8 index into EVENT_KINDS
    kind_weapon: np.ndarray  # int16 kind * N_WEAPON_CODES + weapon code
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
    # Air-raid alerts (oblastwatch.query.alert_hours): hours per Kyiv day from
    # alert_first_day (rows) and region (columns), NaN where there is no data, the hours
    # only imputed ends cover, and each region's merged intervals (UTC ns, CSR by region).
    alert_first_day: int = 0
    alert_hours: np.ndarray = field(default_factory=_no_alert_days)
    alert_imputed: np.ndarray = field(default_factory=_no_alert_days)
    alert_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    alert_end: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    alert_indptr: np.ndarray = field(default_factory=_no_alert_regions)

    def __len__(self) -> int:
        """The number of events indexed."""
        return len(self.day)

    @cached_property
    def input_events(self) -> pd.DataFrame:
        """The events frame the index was built from, in input order (loaded on first use)."""
        return self.load_events()

    @cached_property
    def events(self) -> pd.DataFrame:
        """The input rows sorted by ``date`` (original index kept), built on first use.

        The views only ever take a few rows (:func:`event_rows`), so sorting every column of a
        million events up front would be wasted.
        """
        return self.input_events.iloc[self.order]


def event_rows(p: PreparedEvents, positions: np.ndarray) -> pd.DataFrame:
    """Rows ``positions`` of ``p.events``, taken from the unsorted input."""
    return p.input_events.iloc[p.order[positions]]
