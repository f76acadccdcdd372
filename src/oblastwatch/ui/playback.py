"""The Playback page's widgets: step and window, the animated map, the GIF/MP4 download.

The frame itself is not a widget: the browser moves it (see
:mod:`oblastwatch.present.playback.component`) and writes it into the URL, and
:mod:`oblastwatch.ui.url_state` reads it back into ``state.PLAYBACK_FRAME`` on the next run.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import streamlit as st

from oblastwatch.i18n import N_, Translator
from oblastwatch.present.playback import animation
from oblastwatch.present.playback.component import HEIGHT, playback_html
from oblastwatch.present.playback.payload import playback_payload
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters
from oblastwatch.query.index_cache import Fingerprint, data_fingerprint
from oblastwatch.query.playback import DEFAULT_WINDOW, MAX_WINDOW, STEPS, FrameValues, frame_values
from oblastwatch.ui import data, state
from oblastwatch.ui.language import t

STEP_LABELS = {"day": N_("Day"), "week": N_("Week"), "month": N_("Month")}
# Frames the page turns into a file; more take minutes (the CLI has no such cap).
MAX_FILE_FRAMES = 400


def step_and_window() -> tuple[str, int | None]:
    """Step and window selectors, seeded from (and stored in) the shared state.

    The window is a number of days up to each frame's last day, or ``None`` (cumulative).
    """
    ss = st.session_state
    ss.setdefault(state.PLAYBACK_STEP, "week")
    ss.setdefault(state.PLAYBACK_WINDOW, DEFAULT_WINDOW[ss[state.PLAYBACK_STEP]])
    ss.setdefault(state.PLAYBACK_STEP_WIDGET, ss[state.PLAYBACK_STEP])
    ss.setdefault(state.PLAYBACK_CUMULATIVE_WIDGET, ss[state.PLAYBACK_WINDOW] is None)
    ss.setdefault(
        state.PLAYBACK_WINDOW_WIDGET,
        ss[state.PLAYBACK_WINDOW] or DEFAULT_WINDOW[ss[state.PLAYBACK_STEP]],
    )
    _ = t().gettext
    step_column, window_column, cumulative_column = st.columns([2, 2, 1.4])
    step = step_column.segmented_control(
        _("Step"),
        STEPS,
        key=state.PLAYBACK_STEP_WIDGET,
        format_func=lambda step: _(STEP_LABELS[step]),
        required=True,
        on_change=_step_changed,
        help=_("One frame per day, per week (counted from the range's first day) or per month."),
    )
    cumulative = cumulative_column.toggle(
        _("Cumulative"),
        key=state.PLAYBACK_CUMULATIVE_WIDGET,
        help=_("Each frame adds up everything since the start of the date range."),
    )
    days = window_column.number_input(
        _("Window (days up to the frame)"),
        min_value=1,
        max_value=MAX_WINDOW,
        step=1,
        key=state.PLAYBACK_WINDOW_WIDGET,
        disabled=cumulative,
        help=_("A sliding window: each frame shows this many days up to its last day."),
    )
    ss[state.PLAYBACK_STEP] = step or ss[state.PLAYBACK_STEP]
    ss[state.PLAYBACK_WINDOW] = None if cumulative else int(days)
    return ss[state.PLAYBACK_STEP], ss[state.PLAYBACK_WINDOW]


def _step_changed() -> None:
    """A new step brings its own window (a day, a week, a month) unless cumulative."""
    ss = st.session_state
    step = ss.get(state.PLAYBACK_STEP_WIDGET)
    if step:
        ss[state.PLAYBACK_WINDOW_WIDGET] = DEFAULT_WINDOW[step]


def mark_on_page() -> None:
    """Let this run write the frame, step and window into the URL (only this page's runs do)."""
    st.session_state[state.PLAYBACK_ON_PAGE] = True


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(
    fingerprint: Fingerprint, flt: Filters, metric: str, step: str, window: int | None
) -> FrameValues:
    return frame_values(data.prepared_at(fingerprint), flt, metric, step=step, window=window)


def frames_for(flt: Filters, metric: str, step: str, window: int | None) -> FrameValues:
    """Every frame's region values for the shared filters (one pass, see query.playback)."""
    return _frames(data_fingerprint(), flt, metric, step, window)


@st.cache_data(show_spinner=False, max_entries=8)
def _payload(
    fingerprint: Fingerprint,
    flt: Filters,
    metric: str,
    step: str,
    window: int | None,
    tr: Translator,
) -> dict[str, Any]:
    info = metric_info(metric, tr)
    return playback_payload(
        _frames(fingerprint, flt, metric, step, window),
        data.region_shapes(),
        diplomatic_events(data.prepared_at(fingerprint), flt),
        label=info.label,
        unit=info.unit,
        t=tr,
    )


def show_player(flt: Filters, frames: FrameValues) -> None:
    """The animated map: sent once, played in the browser, opening on the URL's frame."""
    frame_day: date | None = st.session_state.get(state.PLAYBACK_FRAME)
    tr = t()
    payload = _payload(data_fingerprint(), flt, frames.metric, frames.step, frames.window, tr)
    payload["initial"] = frames.frame_at(frame_day) if frame_day else 0
    st.iframe(
        playback_html(payload, tr),
        height=HEIGHT,
        alt=tr.gettext("Playback of the regions map"),
    )


def file_download(flt: Filters, frames: FrameValues) -> None:
    """Make a GIF or an MP4 of these frames on request, then offer it for download."""
    ss = st.session_state
    tr = t()
    _ = tr.gettext
    count = len(frames)
    fmt_column, make_column, download_column = st.columns([1, 1, 2])
    fmt = fmt_column.radio(
        _("File"), animation.FORMATS, horizontal=True, key="playback_file_format"
    )
    key = (flt, frames.metric, frames.step, frames.window, fmt, tr.language)
    too_many = count > MAX_FILE_FRAMES
    if make_column.button(
        _("Make {format}").format(format=fmt.upper()),
        key="playback_make_file",
        disabled=too_many,
        help=tr.ngettext(
            "{count} frame; the page makes files of up to {limit}.",
            "{count} frames; the page makes files of up to {limit}.",
            count,
        ).format(count=count, limit=MAX_FILE_FRAMES),
    ):
        drawing = tr.ngettext("Drawing {count} frame…", "Drawing {count} frames…", count)
        with st.spinner(drawing.format(count=count)):
            # Drawn in the page's language, as the map above it.
            info = metric_info(frames.metric, tr)
            content = animation.animation_bytes(
                frames,
                data.region_shapes(),
                diplomatic_events(data.prepared_events(), flt),
                label=info.label,
                unit=info.unit,
                fmt=fmt,
                t=tr,
            )
        ss[state.PLAYBACK_FILE] = (key, content)
    if too_many:
        download_column.caption(
            _(
                "{count} frames: choose a week or month step (at most {limit} frames), or use "
                "`oblastwatch animate`."
            ).format(count=count, limit=MAX_FILE_FRAMES)
        )
    made = ss.get(state.PLAYBACK_FILE)
    if made and made[0] == key:
        window = "cumulative" if frames.window is None else f"{frames.window}d"
        download_column.download_button(
            _("Download {format}").format(format=fmt.upper()),
            data=made[1],
            file_name=f"oblastwatch_{frames.metric}_{flt.start}_{flt.end}_{frames.step}_{window}.{fmt}",
            mime=animation.MIME_TYPES[fmt],
            key="playback_download_file",
            on_click="ignore",
            icon=":material/download:",
        )
