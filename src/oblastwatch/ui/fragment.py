"""A page's main view as a fragment: a change made inside it reruns that view only.

A metric, normalisation or map click then runs the view's code alone, not the frame and the
sidebar, and the browser redraws only the view: under 20 readers on two cores that work was
most of what a rerun cost (docs/performance.md). What the frame does after a page, the view
does itself: it writes the URL state. And a view never shows a newer data version than the
frame around it: when the data changed since the last full run (an operator's import), it
asks for a full run instead.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec

import streamlit as st

from oblastwatch.query.index_cache import data_fingerprint
from oblastwatch.ui import state, url_state

P = ParamSpec("P")


def remember_data_version() -> None:
    """Record the data version a full run shows; app.py calls it before the page runs."""
    st.session_state[state.DATA_VERSION] = data_fingerprint()


def page_view(body: Callable[P, None]) -> Callable[P, None]:
    """``body`` as a fragment that keeps the URL and the data version in step with the page."""

    @st.fragment
    @functools.wraps(body)
    def view(*args: P.args, **kwargs: P.kwargs) -> None:
        if st.session_state.get(state.DATA_VERSION) != data_fingerprint():
            st.rerun(scope="app")
        body(*args, **kwargs)
        url_state.write_query_params()

    return view
