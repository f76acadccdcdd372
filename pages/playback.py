"""Playback: the regions map frame by frame over the shared date range, the talks beside it."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.vocabulary import metric_info
from oblastwatch.ui import filters, language, mapview, playback
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
playback.mark_on_page()
t = language.t()
_ = t.gettext
st.title(_("Playback"))
st.caption(
    _(
        "Play the map through the shared date range: each frame colours the regions by the "
        "metric over a window of days up to the frame's last day (or since the start), on one "
        "scale for all frames. Diplomatic events of the frame are listed beside the map; the "
        "strip under the map counts the regions with reports in each frame and marks the talks."
    )
)
flt = filters.current_filters()
metric_column, _rest = st.columns([1, 2])
with metric_column:
    metric = mapview.metric_selector()
step, window = playback.step_and_window()
frames = playback.frames_for(flt, metric, step, window)
count = len(frames)
steps = {
    "day": t.ngettext("{count} frame, one per day", "{count} frames, one per day", count),
    "week": t.ngettext("{count} frame, one per week", "{count} frames, one per week", count),
    "month": t.ngettext("{count} frame, one per month", "{count} frames, one per month", count),
}
if window is None:
    window_text = _("cumulative since the start")
else:
    window_text = t.ngettext("a {days}-day window", "a {days}-day window", window).format(
        days=window
    )
st.markdown(
    f"**{t.day_range(flt.start, flt.end)}** · {steps[step].format(count=count)}, "
    f"{window_text} · {metric_info(metric, t).description}"
)
playback.show_player(flt, frames)
st.subheader(_("Save as an animation"))
playback.file_download(flt, frames)
