"""Read a click on the timeline and apply it to the shared date range.

A clicked point is either a day (an attack bar) or a diplomatic event; see
:func:`oblastwatch.present.figures.timeline_selection`. The selection is applied only when it changes, so a
rerun that returns the same chart selection does nothing; deselecting (clicking the same bar
again) keeps the range, which the "reset" button restores.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

import streamlit as st

from oblastwatch.present import figures
from oblastwatch.ui import filters, state
from oblastwatch.ui.talks import talk_window


def selected_points(event: Any) -> list[dict[str, Any]]:
    """The points of a ``st.plotly_chart`` selection (dict access works for AppTest too)."""
    if not event:
        return []
    selection = event.get("selection") if isinstance(event, Mapping) else event["selection"]
    if not selection:
        return []
    points = selection.get("points") if isinstance(selection, Mapping) else selection["points"]
    return list(points or [])


def apply_timeline_click(event: Any, talk_ids: Collection[str], bounds: tuple[date, date]) -> None:
    """Narrow the shared range to the clicked day or round; rerun when it changed."""
    points = selected_points(event)
    signature = json.dumps(points, sort_keys=True, default=str)
    if signature == st.session_state.get(state.TIMELINE_SEEN):
        return
    st.session_state[state.TIMELINE_SEEN] = signature
    if not points:
        return
    target = figures.timeline_selection(points)
    if target is None:
        return
    kind, value = target
    if kind == "talk":
        if value not in talk_ids:
            return
        window = talk_window(value)
        if window is None:
            return
        (first, last), label = window
    else:
        first = last = date.fromisoformat(value)
        label = value
    first, last = max(first, bounds[0]), min(last, bounds[1])
    if first > last:
        return
    current = st.session_state.get(state.SELECTION) or {}
    if current.get("kind") == kind and current.get("value") == value:
        return
    filters.select_on_timeline(kind, value, label, (first, last))
    st.rerun()
