"""Mirror the shared state in the URL: read it when a link is opened, write it after each run.

Parsing and validation live in :mod:`oblastwatch.present.url_params` (pure, unit-tested); this module
moves values between ``st.query_params`` and session state.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import streamlit as st

from oblastwatch.present import url_params
from oblastwatch.query.metrics import METRICS
from oblastwatch.ui import filters, state
from oblastwatch.ui.data import FilterOptions

LAST_WRITTEN = "ow_url_last_written"

TalkWindow = Callable[[str], tuple[tuple[date, date], str] | None]


def apply_query_params(options: FilterOptions, talk_window: TalkWindow, talk_ids) -> None:
    """Adopt the URL's parameters when they are new (a fresh session or a followed link).

    ``talk_window(event_id)`` gives a talks round's ``((first_day, last_day), label)``.
    Invalid parameters are dropped; their notices are kept in session state for display.
    """
    ss = st.session_state
    current = st.query_params.to_dict()
    if ss.get(state.INITIALISED) and (not current or current == ss.get(LAST_WRITTEN)):
        return
    ss[state.INITIALISED] = True
    parsed = url_params.parse_query_params(
        current,
        metrics=METRICS,
        talk_ids=talk_ids,
        bounds=(options.first_day, options.last_day),
    )
    ss[state.URL_NOTICES] = list(parsed.notices)
    if parsed.region is not None:
        ss[state.REGION] = parsed.region
        ss.pop(state.REGION_WIDGET, None)
    if parsed.metric is not None:
        ss[state.METRIC] = parsed.metric
        ss.pop(state.METRIC_WIDGET, None)
    if parsed.per is not None:
        ss[state.PER] = parsed.per
        ss.pop(state.PER_WIDGET, None)
    if parsed.date_range is not None:
        filters.set_date_range(parsed.date_range)
        ss[state.SELECTION] = None
    selected = None
    if parsed.talk is not None:
        window = talk_window(parsed.talk)
        if window is not None:
            rng, label = window
            selected = ("talk", parsed.talk, label, rng)
    elif parsed.day is not None:
        day = parsed.day.isoformat()
        selected = ("day", day, day, (parsed.day, parsed.day))
    if selected is not None:
        # The range before the selection is unknown for a link: "reset" goes to the default.
        ss[state.SELECTION] = None
        filters.select_on_timeline(*selected)
        ss[state.BASE_RANGE] = filters.default_range(options)


def write_query_params() -> None:
    """Write the shared state to the URL (only when it changed)."""
    ss = st.session_state
    selection = ss.get(state.SELECTION) or {}
    params = url_params.to_query_params(
        date_range=ss.get(state.DATE_RANGE),
        region=ss.get(state.REGION),
        metric=ss.get(state.METRIC),
        per=ss.get(state.PER),
        day=date.fromisoformat(selection["value"]) if selection.get("kind") == "day" else None,
        talk=selection["value"] if selection.get("kind") == "talk" else None,
    )
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    ss[LAST_WRITTEN] = params


def show_url_notices() -> None:
    """Show the notices about ignored URL parameters until the user dismisses them."""
    notices = st.session_state.get(state.URL_NOTICES) or []
    if not notices:
        return
    # Notices quote URL values only through url_params.preview (Markdown-escaped).
    st.warning("\n\n".join(notices), icon=":material/warning:")
    st.button("Dismiss", key="dismiss_url_notices", on_click=_dismiss)


def _dismiss() -> None:
    st.session_state[state.URL_NOTICES] = []
