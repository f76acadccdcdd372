"""The event rows behind tables and downloads: every filtered event, or one region's."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.domain.model import COUNT_COLUMNS, ROLES
from oblastwatch.query.codes import region_index
from oblastwatch.query.filters import Filters, event_mask
from oblastwatch.query.index import PreparedEvents, event_rows

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


def _positions(p: PreparedEvents, filters: Filters) -> np.ndarray:
    lo, hi, mask = event_mask(p, filters, use_region=True)
    if mask is None:
        return np.arange(lo, hi)
    return lo + np.flatnonzero(mask)


def filter_events(prepared: PreparedEvents, filters: Filters) -> pd.DataFrame:
    """The events rows passing ``filters`` (the region too), oldest first.

    The original index is kept.
    """
    return event_rows(prepared, _positions(prepared, filters))


def region_events(prepared: PreparedEvents, filters: Filters, region: str) -> pd.DataFrame:
    """Filtered events naming ``region`` in any role, newest first.

    Columns: :data:`REGION_EVENT_COLUMNS`; ``roles`` joins the roles with ``;`` in the order
    of :data:`oblastwatch.domain.model.ROLES`; ``date`` is a ``datetime.date``.
    """
    positions, role_bits = _region_positions(prepared, filters, region)
    return _region_table(prepared, positions, role_bits)


def newest_region_events(
    prepared: PreparedEvents, filters: Filters, region: str, limit: int
) -> tuple[pd.DataFrame, int]:
    """The newest ``limit`` rows of :func:`region_events`, and how many there are in all.

    Only those rows are read from the events table: a region's events over a million-event
    range are tens of thousands of rows, and taking them all was most of a map rerun's server
    time.
    """
    positions, role_bits = _region_positions(prepared, filters, region)
    return _region_table(prepared, positions[:limit], role_bits[:limit]), len(positions)


def _region_table(p: PreparedEvents, positions: np.ndarray, role_bits: np.ndarray) -> pd.DataFrame:
    frame = event_rows(p, positions)
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


def _region_positions(
    p: PreparedEvents, filters: Filters, region: str
) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the events naming ``region``, newest first, with each one's role bits."""
    r = region_index(region)
    lo, hi, mask = event_mask(p, filters, use_region=False)
    a, b = p.er_indptr[lo], p.er_indptr[hi]
    rows = np.flatnonzero(p.er_region[a:b] == r) + a
    if mask is not None:
        rows = rows[mask[p.er_event[rows] - lo]]
    unique, inverse = np.unique(p.er_event[rows], return_inverse=True)
    role_bits = np.zeros(len(unique), dtype=np.int16)
    np.bitwise_or.at(role_bits, inverse, (1 << p.er_role[rows].astype(np.int16)))
    return unique[::-1], role_bits[::-1]  # newest first (sorted by day)
