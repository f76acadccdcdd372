"""The data's age in the sidebar of every page, and the sources' coverage gaps in a view.

The frame calls :func:`show_data_age` on every run: a caption with the newest attack and the
newest diplomatic event and how long ago they were, a warning with the refreshing step when
the data is older than :data:`~oblastwatch.query.freshness.STALE_AFTER_DAYS` days. "Today" is
the calendar day in Kyiv (:func:`today`), the day the data's dates are counted in.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import streamlit as st

from oblastwatch.domain.rules import KYIV_TZ
from oblastwatch.present.freshness import coverage_note, freshness_line, stale_warning
from oblastwatch.query.filters import Filters
from oblastwatch.query.freshness import (
    CoverageGap,
    Freshness,
    SourceSpan,
    coverage_gaps,
    data_freshness,
)
from oblastwatch.query.freshness import source_spans as index_source_spans
from oblastwatch.query.index_cache import Fingerprint, data_fingerprint
from oblastwatch.ui import data
from oblastwatch.ui.language import t

STALE_ICON = ":material/history:"
GAP_ICON = ":material/event_busy:"


def today() -> date:
    """Today's date in Kyiv (tests replace this function to fix the day)."""
    return datetime.now(ZoneInfo(KYIV_TZ)).date()


@st.cache_data(show_spinner=False, max_entries=4)
def _freshness(fingerprint: Fingerprint, on: date) -> Freshness:
    return data_freshness(data.prepared_at(fingerprint), on)


@st.cache_data(show_spinner=False, max_entries=4)
def _spans(fingerprint: Fingerprint) -> tuple[SourceSpan, ...]:
    return index_source_spans(data.prepared_at(fingerprint))


def show_data_age() -> None:
    """The newest event dates in the sidebar: a caption, or a warning when the data is stale."""
    freshness = _freshness(data_fingerprint(), today())
    tr = t()
    line = freshness_line(freshness, tr)
    if line is None:
        return
    warning = stale_warning(freshness, tr)
    if warning is None:
        st.sidebar.caption(line)
    else:
        st.sidebar.warning(f"{line}\n\n{warning}", icon=STALE_ICON)


def view_gaps(view: Filters) -> tuple[CoverageGap, ...]:
    """The gaps of the sources in ``view`` within its range (see :func:`coverage_gaps`)."""
    spans = _spans(data_fingerprint())
    return coverage_gaps(spans, start=view.start, end=view.end, sources=view.sources or None)


def show_coverage_notes(gaps: Iterable[CoverageGap]) -> None:
    """One note per gap: the source ends before another, its missing days are not quiet."""
    for gap in gaps:
        st.info(coverage_note(gap, t=t()), icon=GAP_ICON)
