"""Playback: the regions map frame by frame over the shared date range, the talks beside it."""

from __future__ import annotations

import streamlit as st

from oblastwatch.query.metrics import METRICS
from oblastwatch.ui import filters, mapview, playback
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
playback.mark_on_page()
st.title("Playback")
st.caption(
    "Play the map through the shared date range: each frame colours the regions by the "
    "metric over a window of days up to the frame's last day (or since the start), on one "
    "scale for all frames. Diplomatic events of the frame are listed beside the map; the "
    "strip under the map counts the regions with reports in each frame and marks the talks."
)
flt = filters.current_filters()
metric_column, _ = st.columns([1, 2])
with metric_column:
    metric = mapview.metric_selector()
step, window = playback.step_and_window()
frames = playback.frames_for(flt, metric, step, window)
window_text = "cumulative since the start" if window is None else f"a {window}-day window"
st.markdown(
    f"**{flt.start} to {flt.end}** · {len(frames):,} frames, one per {step}, "
    f"{window_text} · {METRICS[metric].description}"
)
playback.show_player(flt, frames)
st.subheader("Save as an animation")
playback.file_download(flt, frames)
