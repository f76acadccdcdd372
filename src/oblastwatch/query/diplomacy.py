"""Diplomatic events (talks, summits, calls, agreements, exchanges, returns, announcements):
their Kyiv day span, their timeline lane, and the ones a date range shows.

The index keeps one small table of them (:func:`diplomatic_table`, built with the index), so
the timeline never reads the event frames.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.query.codes import KIND_CODE
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents

LANES = ("Russia–Ukraine", "US–Ukraine", "US–Russia", "trilateral", "other")
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


def _kyiv_days(instants: pd.Series) -> pd.Series:
    return instants.dt.tz_convert("Europe/Kyiv").dt.tz_localize(None).dt.normalize()


def diplomatic_table(events: pd.DataFrame, order: np.ndarray, kind: np.ndarray) -> pd.DataFrame:
    """The diplomatic rows of ``events`` in day order (``order``, ``kind``: the index's), with
    columns :data:`DIPLOMATIC_COLUMNS`: the inclusive Kyiv days from ``start``/``end`` (else
    ``date``) and the :func:`talks_lane`."""
    diplomatic_codes = [KIND_CODE[k] for k in DIPLOMATIC_KINDS]
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


def diplomatic_events(prepared: PreparedEvents, filters: Filters) -> pd.DataFrame:
    """Diplomatic events (talks, summits, calls, agreements, exchanges, returns,
    announcements) whose span overlaps the range, oldest first.

    Columns :data:`DIPLOMATIC_COLUMNS`; ``first_day`` and ``last_day`` are the inclusive Kyiv
    calendar days of the event (from ``start``/``end``, else ``date``); ``lane`` from
    :func:`talks_lane`. Kinds and sources filters apply; weapons and region do not.
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


def talks_window(prepared: PreparedEvents, event_id: str) -> tuple[date, date] | None:
    """The inclusive day span of one diplomatic event (for "select a round"), or None."""
    found = prepared.diplomatic[prepared.diplomatic["event_id"] == event_id]
    if found.empty:
        return None
    row = found.iloc[0]
    return row["first_day"].date(), row["last_day"].date()
