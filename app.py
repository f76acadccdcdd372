"""oblastwatch: the Streamlit frame. Run with ``streamlit run app.py``.

The frame sets up the page, seeds the shared state (from the URL on first load), draws the
shared sidebar filters and routes to the pages in ``pages/`` (a page opened without the frame
hands over to it: see ``oblastwatch/ui/frame.py``). It writes the state back to the URL after the
page has run, so every view can be bookmarked.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import streamlit as st

from oblastwatch.ui import data, filters, fragment, frame, freshness, language, notices, url_state
from oblastwatch.ui.static import apply_page_style, ensure_static_assets
from oblastwatch.ui.talks import talk_ids, talk_window

# The favicon is an inline SVG (a map pin): a Material icon would come from fonts.gstatic.com,
# and an emoji makes Streamlit load its emoji catalogue (0.13 s of the cold start).
FAVICON = "data:image/svg+xml," + quote(
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path fill="#08306b" d="M12 2C8.1'
    " 2 5 5.1 5 9c0 5.2 7 13 7 13s7-7.8 7-13c0-3.9-3.1-7-7-7zm0 9.5A2.5 2.5 0 1 1 12 6.5a2.5 2.5 0"
    ' 0 1 0 5z"/></svg>'
)
st.set_page_config(page_title="oblastwatch", page_icon=FAVICON, layout="wide")
# Streamlit serves static/ next to this script at /app/static/.
ensure_static_assets(Path(__file__).resolve().parent / "static")
apply_page_style()

options = data.filter_options()
filters.ensure_defaults(options)
url_state.apply_query_params(options, talk_window, talk_ids())

_ = language.t().gettext
navigation = st.navigation(
    [
        st.Page("pages/map.py", title=_("Map"), icon=":material/map:", default=True),
        st.Page("pages/timeline.py", title=_("Timeline"), icon=":material/timeline:"),
        st.Page("pages/playback.py", title=_("Playback"), icon=":material/play_circle:"),
        st.Page("pages/region.py", title=_("Region"), icon=":material/location_on:"),
        st.Page(
            "pages/talks_effect.py", title=_("Talks vs attacks"), icon=":material/query_stats:"
        ),
        st.Page("pages/compare.py", title=_("Compare periods"), icon=":material/compare:"),
        st.Page("pages/data.py", title=_("Data"), icon=":material/database:"),
        st.Page("pages/about.py", title=_("About"), icon=":material/info:"),
    ]
)
with st.sidebar:
    language.language_switch()
freshness.show_data_age()
filters.sidebar_filters(options)
url_state.show_url_notices()
notices.show_new_load_notices()
frame.mark_frame_run()
fragment.remember_data_version()
navigation.run()
# Pages never call st.stop() (only ui/frame.py does, after it ran this frame in a page's place):
# the state must reach the URL after every complete run.
url_state.write_query_params()
