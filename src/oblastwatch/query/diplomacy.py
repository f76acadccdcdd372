"""Diplomatic events: their Kyiv day span, their timeline lane, and the ones a date range shows.

Diplomatic events are talks, summits, calls, agreements, exchanges, returns and announcements.

The index keeps one small table of them (:func:`diplomatic_table`, built with the index), so
the timeline never reads the event frames.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.domain.rules import kyiv_day, talks_lane
from oblastwatch.query.codes import KIND_CODE
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents

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


def diplomatic_table(events: pd.DataFrame, order: np.ndarray, kind: np.ndarray) -> pd.DataFrame:
    """The diplomatic rows of ``events`` in day order, with columns :data:`DIPLOMATIC_COLUMNS`.

    ``order`` and ``kind`` are the index's. The columns hold the inclusive Kyiv days from
    ``start``/``end`` (else ``date``; :func:`~oblastwatch.domain.rules.kyiv_day`) and the lane
    (:func:`~oblastwatch.domain.rules.talks_lane`).
    """
    diplomatic_codes = [KIND_CODE[k] for k in DIPLOMATIC_KINDS]
    positions = np.flatnonzero(np.isin(kind, diplomatic_codes))
    rows = events.iloc[order[positions]]
    first = pd.to_datetime(rows["date"]).dt.normalize()
    if "start" in rows.columns:
        start_day = kyiv_day(rows["start"])
        first = first.where(start_day.isna(), start_day)
    last = first.copy()
    if "end" in rows.columns:
        # ``end`` is an instant; a round that ends at midnight ends on the day before.
        end_day = kyiv_day(rows["end"], exclusive_end=True)
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


def diplomatic_events(prepared: PreparedEvents, filters: Filters) -> pd.DataFrame:
    """Diplomatic events whose span overlaps the range, oldest first.

    Diplomatic: talks, summits, calls, agreements, exchanges, returns, announcements.

    Columns :data:`DIPLOMATIC_COLUMNS`; ``first_day`` and ``last_day`` are the inclusive Kyiv
    calendar days of the event (from ``start``/``end``, else ``date``); ``lane`` from
    :func:`~oblastwatch.domain.rules.talks_lane`. Kinds and sources filters apply; weapons and region do not.
    """
    table = prepared.diplomatic
    start = pd.Timestamp(filters.start)
    end = pd.Timestamp(filters.end)
    keep = (table["last_day"] >= start) & (table["first_day"] <= end)
    if filters.kinds:
        keep &= table["kind"].isin(filters.kinds)
    if filters.sources:
        keep &= table["source"].isin(filters.sources)
    out = table.loc[keep.to_numpy(dtype=bool), list(DIPLOMATIC_COLUMNS)]
    return out.sort_values(["first_day", "last_day", "event_id"]).reset_index(drop=True)
