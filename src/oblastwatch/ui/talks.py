"""Diplomatic events as the timeline selection needs them: ids, windows and labels."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from oblastwatch import model
from oblastwatch.ui.data import Fingerprint, _dataset, data_fingerprint

KYIV = "Europe/Kyiv"


@st.cache_data(show_spinner=False, max_entries=4)
def _windows(fingerprint: Fingerprint) -> dict[str, tuple[tuple[date, date], str]]:
    events = _dataset(fingerprint).events
    talks = events[events["kind"].isin(model.DIPLOMATIC_KINDS)]
    first = pd.to_datetime(talks["date"]).dt.date
    # A round that spans several days ends on the Kyiv date of its ``end``.
    ends = talks["end"].dt.tz_convert(KYIV).dt.date
    windows: dict[str, tuple[tuple[date, date], str]] = {}
    for event_id, day, end, title, venue in zip(
        talks["event_id"], first, ends, talks["title"], talks["venue"], strict=True
    ):
        last = end if isinstance(end, date) and end >= day else day
        name = title if isinstance(title, str) and title else "Diplomatic event"
        where = f", {venue}" if isinstance(venue, str) and venue else ""
        span = day.isoformat() if last == day else f"{day.isoformat()} to {last.isoformat()}"
        windows[str(event_id)] = ((day, last), f"{name}{where} ({span})")
    return windows


def talk_ids() -> frozenset[str]:
    """Ids of every loaded diplomatic event."""
    return frozenset(_windows(data_fingerprint()))


def talk_window(event_id: str) -> tuple[tuple[date, date], str] | None:
    """``((first_day, last_day), label)`` of a diplomatic event, ``None`` if unknown."""
    return _windows(data_fingerprint()).get(event_id)
