"""Render event tables and source lists with ``st.dataframe``: text is shown as text.

``st.dataframe`` draws cells on a canvas, so an event description such as
``<img src=x onerror=...>`` is displayed literally and never parsed as HTML. Links go through
``LinkColumn`` and only http(s) URLs are kept as links (``javascript:`` and the like are
dropped).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from oblastwatch.domain.regions import REGIONS_BY_CODE

# Column -> header, in display order; columns absent from a frame are skipped.
EVENT_COLUMNS: dict[str, str] = {
    "date": "Date",
    "kind": "Kind",
    "role": "Role",
    "roles": "Role",
    "title": "Title",
    "description": "Description",
    "weapon_model": "Weapons",
    "weapon_category": "Category",
    "launched": "Launched",
    "destroyed": "Destroyed",
    "killed": "Killed",
    "injured": "Injured",
    "place_text": "Place (as reported)",
    "source": "Dataset",
    "source_url": "Source",
}


def http_links(urls: pd.Series) -> pd.Series:
    """``urls`` with everything that is not an absolute http(s) URL replaced by ``<NA>``.

    >>> http_links(pd.Series(["https://a.org/x", "javascript:alert(1)", None])).tolist()
    ['https://a.org/x', <NA>, <NA>]
    """
    text = urls.astype("string").str.strip()
    return text.where(text.str.match(r"(?i)^https?://[^\s]+$").fillna(False).astype(bool))


# Rows of a summary events table (the map's selected region) sent with each rerun.
SUMMARY_EVENTS_SHOWN = 500


def events_table(
    events: pd.DataFrame,
    *,
    key: str,
    height: int | None = None,
    limit: int | None = None,
    more: str = "",
) -> None:
    """Events newest first: date, weapons, counts, role, place and a link to the source.

    With ``limit``, only the newest ``limit`` rows are sent to the browser (a million-event
    range would send tens of thousands on every rerun), and a caption says so and where to
    find the rest (``more``).
    """
    if events.empty:
        st.caption("No events in this range.")
        return
    columns = [c for c in EVENT_COLUMNS if c in events.columns]
    frame = events[columns]
    if "date" in frame:
        frame = frame.sort_values("date", ascending=False, kind="stable")
    if limit is not None and len(frame) > limit:
        st.caption(f"The newest {limit:,} of {len(frame):,} events are shown. {more}".strip())
        frame = frame.head(limit)
    frame = frame.copy()
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
    if "source_url" in frame:
        frame["source_url"] = http_links(frame["source_url"])
    config = {c: st.column_config.Column(EVENT_COLUMNS[c]) for c in columns}
    for count in ("launched", "destroyed", "killed", "injured"):
        if count in frame:
            config[count] = st.column_config.NumberColumn(EVENT_COLUMNS[count], format="%d")
    if "source_url" in frame:
        config["source_url"] = st.column_config.LinkColumn("Source", display_text="source ↗")
    if "date" in frame:
        config["date"] = st.column_config.DateColumn("Date", format="YYYY-MM-DD")
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        column_config=config,
        height=height or "auto",
    )


def sources_table(events: pd.DataFrame, *, key: str) -> None:
    """Every distinct source URL behind ``events`` with how many events cite it."""
    if events.empty or "source_url" not in events:
        st.caption("No sources in this range.")
        return
    urls = events["source_url"].astype("string").str.strip()
    counts = urls.dropna().value_counts().rename_axis("url").reset_index(name="events")
    counts["link"] = http_links(counts["url"])
    st.dataframe(
        counts[["link", "url", "events"]],
        key=key,
        hide_index=True,
        column_config={
            "link": st.column_config.LinkColumn("Link", display_text="open ↗"),
            "url": st.column_config.TextColumn("Source URL"),
            "events": st.column_config.NumberColumn("Events", format="%d"),
        },
    )
    missing = int(urls.isna().sum())
    if missing:
        st.caption(f"{missing} event(s) in range carry no source URL.")


def region_label(code: str | None) -> str:
    """``"Odesa Oblast (Одеська область)"`` for a code, ``"—"`` for ``None``."""
    if code is None or code not in REGIONS_BY_CODE:
        return "—"
    region = REGIONS_BY_CODE[code]
    return f"{region.name_en} ({region.name_uk})"


DIPLOMACY_COLUMNS: dict[str, str] = {
    "first_day": "From",
    "last_day": "To",
    "kind": "Kind",
    "lane": "Lane",
    "title": "Event",
    "venue": "Venue",
    "parties": "Parties",
    "format": "Format",
    "description": "Summary",
    "source_url": "Source",
}


def diplomacy_table(talks: pd.DataFrame, *, key: str) -> None:
    """Diplomatic events (from ``query.diplomacy.diplomatic_events``), newest first, with links."""
    if talks.empty:
        st.caption("No diplomatic events in this range.")
        return
    columns = [c for c in DIPLOMACY_COLUMNS if c in talks.columns]
    frame = talks[columns].iloc[::-1].copy()
    for day in ("first_day", "last_day"):
        if day in frame:
            frame[day] = pd.to_datetime(frame[day]).dt.date
    if "source_url" in frame:
        frame["source_url"] = http_links(frame["source_url"])
    config = {c: st.column_config.Column(DIPLOMACY_COLUMNS[c]) for c in columns}
    config["first_day"] = st.column_config.DateColumn("From", format="YYYY-MM-DD")
    config["last_day"] = st.column_config.DateColumn("To", format="YYYY-MM-DD")
    config["source_url"] = st.column_config.LinkColumn("Source", display_text="source ↗")
    st.dataframe(frame, key=key, hide_index=True, column_config=config)


def format_value(value: float) -> str:
    """A metric value for display: ``"no reports"`` for NaN, thousands separated otherwise.

    >>> format_value(float("nan")), format_value(1234.0)
    ('no reports', '1,234')
    """
    if pd.isna(value):
        return "no reports"
    return f"{value:,.0f}"
