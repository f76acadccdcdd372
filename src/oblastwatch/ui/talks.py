"""Diplomatic events as the timeline selection needs them: ids, and windows with labels."""

from __future__ import annotations

from datetime import date

import streamlit as st

from oblastwatch.ui.data import Fingerprint, data_fingerprint, prepared_at


@st.cache_data(show_spinner=False, max_entries=4)
def _windows(fingerprint: Fingerprint) -> dict[str, tuple[tuple[date, date], str]]:
    table = prepared_at(fingerprint).diplomatic
    windows: dict[str, tuple[tuple[date, date], str]] = {}
    for row in table.itertuples(index=False):
        first, last = row.first_day.date(), row.last_day.date()
        name = row.title if isinstance(row.title, str) and row.title else str(row.kind)
        where = f", {row.venue}" if isinstance(row.venue, str) and row.venue else ""
        span = first.isoformat() if last == first else f"{first} – {last}"
        windows[str(row.event_id)] = ((first, last), f"{name}{where} ({span})")
    return windows


def talk_ids() -> frozenset[str]:
    """Ids of every loaded diplomatic event."""
    return frozenset(_windows(data_fingerprint()))


def talk_window(event_id: str) -> tuple[tuple[date, date], str] | None:
    """``((first_day, last_day), label)`` of a diplomatic event, ``None`` if unknown.

    The label can hold text from the data: escape it before rendering as Markdown.
    """
    return _windows(data_fingerprint()).get(event_id)


__all__ = ["talk_ids", "talk_window"]
