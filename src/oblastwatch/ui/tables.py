"""Render event tables and source lists with ``st.dataframe``: text is shown as text.

``st.dataframe`` draws cells on a canvas, so an event description such as
``<img src=x onerror=...>`` is displayed literally and never parsed as HTML. Links go through
``LinkColumn`` and only http(s) URLs are kept as links (``javascript:`` and the like are
dropped). Headers and the data's codes (kind, role, weapon category, lane) are shown in the
reader's language; titles, descriptions and places stay as the source wrote them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from oblastwatch.domain.regions import REGIONS_BY_CODE
from oblastwatch.i18n import N_, Translator
from oblastwatch.present import vocabulary
from oblastwatch.present.maps.legend import format_number
from oblastwatch.ui.language import t

# Column -> header, in display order; columns absent from a frame are skipped.
EVENT_COLUMNS: dict[str, str] = {
    "date": N_("Date"),
    "kind": N_("Kind"),
    "role": N_("Role"),
    "roles": N_("Role"),
    "title": N_("Title"),
    "description": N_("Description"),
    "weapon_model": N_("Weapons"),
    "weapon_category": N_("Category"),
    "launched": N_("Launched"),
    "destroyed": N_("Destroyed"),
    "killed": N_("Killed"),
    "injured": N_("Injured"),
    "place_text": N_("Place (as reported)"),
    "source": N_("Dataset"),
    "source_url": N_("Source"),
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
    total: int | None = None,
    more: str = "",
) -> None:
    """Events newest first: date, weapons, counts, role, place and a link to the source.

    With ``limit``, only the newest ``limit`` rows are sent to the browser (a million-event
    range would send tens of thousands on every rerun), and a caption says so and where to
    find the rest (``more``, in the reader's language). ``total`` is the number of events
    when ``events`` holds only the newest of them.
    """
    tr = t()
    _ = tr.gettext
    if events.empty:
        st.caption(_("No events in this range."))
        return
    columns = [c for c in EVENT_COLUMNS if c in events.columns]
    frame = events[columns]
    if "date" in frame:
        frame = frame.sort_values("date", ascending=False, kind="stable")
    total = len(frame) if total is None else total
    if limit is not None and total > limit:
        # English keeps one form; Ukrainian declines the total ("з 1 001 події", "з 1 234 подій").
        shown = tr.ngettext(
            "The newest {limit} of {total} events are shown.",
            "The newest {limit} of {total} events are shown.",
            total,
        ).format(limit=format_number(limit, tr), total=format_number(total, tr))
        st.caption(f"{shown} {more}".strip())
        frame = frame.head(limit)
    frame = frame.copy()
    codes = {
        "kind": vocabulary.kind_labels(tr),
        "role": vocabulary.role_labels(tr),
        "roles": vocabulary.role_labels(tr),
        "weapon_category": vocabulary.category_labels(tr),
    }
    for column, labels in codes.items():
        if column in frame:
            frame[column] = frame[column].map(lambda v, named=labels: vocabulary.labelled(v, named))
    if "date" in frame:
        frame["date"] = pd.to_datetime(frame["date"]).dt.date
    if "source_url" in frame:
        frame["source_url"] = http_links(frame["source_url"])
    config = {c: st.column_config.Column(_(EVENT_COLUMNS[c])) for c in columns}
    for count in ("launched", "destroyed", "killed", "injured"):
        if count in frame:
            config[count] = st.column_config.NumberColumn(_(EVENT_COLUMNS[count]), format="%d")
    if "source_url" in frame:
        config["source_url"] = st.column_config.LinkColumn(_("Source"), display_text=_("source ↗"))
    if "date" in frame:
        config["date"] = st.column_config.DateColumn(_("Date"), format="YYYY-MM-DD")
    st.dataframe(
        frame,
        key=key,
        hide_index=True,
        column_config=config,
        height=height or "auto",
    )


def sources_table(events: pd.DataFrame, *, key: str) -> None:
    """Every distinct source URL behind ``events`` with how many events cite it."""
    tr = t()
    _ = tr.gettext
    if events.empty or "source_url" not in events:
        st.caption(_("No sources in this range."))
        return
    urls = events["source_url"].astype("string").str.strip()
    counts = urls.dropna().value_counts().rename_axis("url").reset_index(name="events")
    counts["link"] = http_links(counts["url"])
    st.dataframe(
        counts[["link", "url", "events"]],
        key=key,
        hide_index=True,
        column_config={
            "link": st.column_config.LinkColumn(_("Link"), display_text=_("open ↗")),
            "url": st.column_config.TextColumn(_("Source URL")),
            "events": st.column_config.NumberColumn(_("Events"), format="%d"),
        },
    )
    missing = int(urls.isna().sum())
    if missing:
        st.caption(
            tr.ngettext(
                "{count} event in range carries no source URL.",
                "{count} events in range carry no source URL.",
                missing,
            ).format(count=format_number(missing, tr))
        )


def region_label(code: str | None, tr: Translator | None = None) -> str:
    """``"Odesa Oblast (Одеська область)"`` in English, ``"Одеська область"`` in Ukrainian.

    ``"—"`` for ``None``. ``tr`` defaults to the session's language; a widget's
    ``format_func`` passes it, since Streamlit may call that function outside the run.
    """
    if code is None or code not in REGIONS_BY_CODE:
        return "—"
    region = REGIONS_BY_CODE[code]
    if (tr or t()).language == "uk":
        return region.name_uk
    return f"{region.name_en} ({region.name_uk})"


DIPLOMACY_COLUMNS: dict[str, str] = {
    "first_day": N_("From"),
    "last_day": N_("To"),
    "kind": N_("Kind"),
    "lane": N_("Lane"),
    "title": N_("Event"),
    "venue": N_("Venue"),
    "parties": N_("Parties"),
    "format": N_("Format"),
    "description": N_("Summary"),
    "source_url": N_("Source"),
}


def diplomacy_table(talks: pd.DataFrame, *, key: str) -> None:
    """Diplomatic events (from ``query.diplomacy.diplomatic_events``), newest first, with links."""
    tr = t()
    _ = tr.gettext
    if talks.empty:
        st.caption(_("No diplomatic events in this range."))
        return
    columns = [c for c in DIPLOMACY_COLUMNS if c in talks.columns]
    frame = talks[columns].iloc[::-1].copy()
    if "kind" in frame:
        frame["kind"] = frame["kind"].map(vocabulary.kind_labels(tr).get).fillna(frame["kind"])
    if "lane" in frame:
        frame["lane"] = frame["lane"].map(vocabulary.lane_labels(tr).get).fillna(frame["lane"])
    for day in ("first_day", "last_day"):
        if day in frame:
            frame[day] = pd.to_datetime(frame[day]).dt.date
    if "source_url" in frame:
        frame["source_url"] = http_links(frame["source_url"])
    config = {c: st.column_config.Column(_(DIPLOMACY_COLUMNS[c])) for c in columns}
    config["first_day"] = st.column_config.DateColumn(_("From"), format="YYYY-MM-DD")
    config["last_day"] = st.column_config.DateColumn(_("To"), format="YYYY-MM-DD")
    config["source_url"] = st.column_config.LinkColumn(_("Source"), display_text=_("source ↗"))
    st.dataframe(frame, key=key, hide_index=True, column_config=config)


def format_value(value: float) -> str:
    """A metric value for display: ``"no reports"`` for NaN, thousands separated otherwise.

    In the session's language (``1,234`` in English, ``1 234`` in Ukrainian).
    """
    tr = t()
    if pd.isna(value):
        return tr.gettext("no reports")
    return tr.number(round(float(value)), 0) if tr.language != "en" else f"{value:,.0f}"
