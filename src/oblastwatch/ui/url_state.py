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
from oblastwatch.ui import filters, language, state
from oblastwatch.ui.data import FilterOptions

LAST_WRITTEN = "ow_url_last_written"

TalkWindow = Callable[[str], tuple[tuple[date, date], str] | None]


def apply_query_params(options: FilterOptions, talk_window: TalkWindow, talk_ids) -> None:
    """Adopt the URL's parameters when they are new (a fresh session or a followed link).

    ``talk_window(event_id)`` gives a talks round's ``((first_day, last_day), label)``.
    Invalid parameters are dropped; their notices are kept in session state for display.
    The language is settled first (the link's, else the browser's) so the notices are
    written in it.
    """
    ss = st.session_state
    current = st.query_params.to_dict()
    last_written = ss.get(LAST_WRITTEN)
    if ss.get(state.INITIALISED) and (not current or current == last_written):
        language.ensure_language()
        return
    language.ensure_language(url_params.parse_language(current.get("lang")))
    if (
        ss.get(state.INITIALISED)
        and last_written is not None
        and url_params.only_playback_moved(current, last_written)
    ):
        # The Playback component moved its frame in the browser: adopt that, nothing else.
        _apply_playback(
            url_params.parse_query_params(
                {k: v for k, v in current.items() if k in url_params.PLAYBACK_PARAMS},
                metrics=METRICS,
                bounds=(options.first_day, options.last_day),
            )
        )
        return
    ss[state.INITIALISED] = True
    parsed = url_params.parse_query_params(
        current,
        metrics=METRICS,
        talk_ids=talk_ids,
        bounds=(options.first_day, options.last_day),
        t=language.t(),
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
    _apply_playback(parsed)
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


def _apply_playback(parsed: url_params.UrlState) -> None:
    ss = st.session_state
    if parsed.frame is not None:
        ss[state.PLAYBACK_FRAME] = parsed.frame
    if parsed.step is not None:
        ss[state.PLAYBACK_STEP] = parsed.step
        ss.pop(state.PLAYBACK_STEP_WIDGET, None)
    if parsed.window is not None:
        ss[state.PLAYBACK_WINDOW] = (
            None if parsed.window == url_params.CUMULATIVE else parsed.window
        )
        ss.pop(state.PLAYBACK_CUMULATIVE_WIDGET, None)
        ss.pop(state.PLAYBACK_WINDOW_WIDGET, None)


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
        playback=_playback_params(),
        lang=language.current_language(),
    )
    if params != st.query_params.to_dict():
        st.query_params.from_dict(params)
    ss[LAST_WRITTEN] = params


def _playback_params() -> tuple[date | None, str, int | None] | None:
    """The Playback page's frame, step and window while that page runs, else ``None``."""
    ss = st.session_state
    if not ss.pop(state.PLAYBACK_ON_PAGE, False) or state.PLAYBACK_STEP not in ss:
        return None
    return (ss.get(state.PLAYBACK_FRAME), ss[state.PLAYBACK_STEP], ss.get(state.PLAYBACK_WINDOW))


def show_url_notices() -> None:
    """Show the notices about ignored URL parameters until the user dismisses them."""
    notices = st.session_state.get(state.URL_NOTICES) or []
    if not notices:
        return
    # Notices quote URL values only through url_params.preview (Markdown-escaped).
    st.warning("\n\n".join(notices), icon=":material/warning:")
    st.button(language.t().gettext("Dismiss"), key="dismiss_url_notices", on_click=_dismiss)


def _dismiss() -> None:
    st.session_state[state.URL_NOTICES] = []
