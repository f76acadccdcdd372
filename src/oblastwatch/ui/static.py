"""Local Leaflet assets under ./static, served by Streamlit at /app/static/ (no CDN)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from oblastwatch.maps import assets
from oblastwatch.paths import PROJECT_ROOT

STATIC_DIR = PROJECT_ROOT / "static"


@st.cache_resource(show_spinner=False)
def ensure_static_assets() -> Path:
    """Make sure ./static holds the map's assets (normally committed; copied if missing).

    ``scripts/install_static.py`` writes the committed copy; this is the fallback for a
    checkout where the files were deleted. It copies only when a file is missing or differs.
    """
    try:
        assets.install_static(STATIC_DIR)
    except OSError as error:  # read-only checkout: the committed files must do
        st.warning(f"Could not update the map assets in {STATIC_DIR}: {error.strerror}")
    return STATIC_DIR
