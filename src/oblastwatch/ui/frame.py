"""Keep every page inside the frame, also on the very first request after a server start.

Streamlit 1.67 decides once per server process how to route: until some run calls
``st.navigation`` (app.py does), an app with a ``pages/`` folder next to its entry script is
routed by that folder, its old multipage mode. A deep link such as ``/region?region=UA-51`` as
the first request therefore runs ``pages/region.py`` on its own: no page config, no shared
filters, no URL state; and so does every such link until someone opens the app's root. (Every
AppTest run starts in that mode too.)

A page that finds itself without the frame hands over to the entry script: it runs ``app.py``
in its place, in the same run. The frame's ``st.navigation`` ends the old mode for the process
and resolves the requested page from the URL, so the frame runs that page with the link's
query parameters. Running the frame in place, rather than switching to it and back, keeps the
page's widget state: Streamlit clears widget state whenever a run changes page.
"""

from __future__ import annotations

import runpy
from pathlib import Path

import streamlit as st

from oblastwatch.ui import state

ENTRY_SCRIPT = "app.py"


class FrameNotRunError(RuntimeError):
    """The entry script ran but did not run the page (it must call :func:`mark_frame_run`)."""


def mark_frame_run() -> None:
    """Record that the frame runs this run; app.py calls it just before it runs the page."""
    st.session_state[state.FRAME_RUN] = True


def ensure_frame(page_file: str) -> None:
    """Return when the frame runs this run; otherwise run the frame in the page's place.

    ``page_file`` is the calling page's ``__file__`` (the entry script sits one folder up).
    After a hand-over the frame has run this page, so the page's own run stops there.
    """
    ss = st.session_state
    # Popped, not read: the mark must come from this run's frame, not from an earlier run.
    if ss.pop(state.FRAME_RUN, False):
        return
    if ss.get(state.HANDING_OVER):
        raise FrameNotRunError(f"{ENTRY_SCRIPT} ran but did not run {Path(page_file).name}")
    entry = Path(page_file).resolve().parent.parent / ENTRY_SCRIPT
    ss[state.HANDING_OVER] = True
    try:
        runpy.run_path(str(entry), run_name="__main__")
    finally:
        ss.pop(state.HANDING_OVER, None)
    st.stop()
