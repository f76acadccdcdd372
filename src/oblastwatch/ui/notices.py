"""Notices from loading the data (a dataset migrated from an older store format).

The frame shows each one once per session, on whatever page the reader opened first: a
reader who never visits the Data page still learns that a dataset's codes were corrected.
The Data page keeps listing them for the life of the process.
"""

from __future__ import annotations

import streamlit as st

from oblastwatch.ui import data, language, state

LOAD_NOTICE_ICON = ":material/update:"


def show_new_load_notices() -> None:
    """Show the load notices this session has not seen yet."""
    # Kept by their English line: plain text in session state, the same in either language.
    seen = st.session_state.setdefault(state.LOAD_NOTICES_SEEN, [])
    new = [notice for notice in data.load_notices() if str(notice) not in seen]
    for notice in new:
        st.info(language.t().message(notice), icon=LOAD_NOTICE_ICON)
    seen.extend(str(notice) for notice in new)
