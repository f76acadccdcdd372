"""Local Leaflet assets in the app's static/ folder, served by Streamlit at /app/static/ (no CDN)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from oblastwatch.present.maps import assets


@st.cache_resource(show_spinner=False)
def ensure_static_assets(static_dir: Path) -> Path:
    """Make sure ``static_dir`` holds the map's assets, copied from the installed packages.

    ``static_dir`` is ``static/`` next to the app's entry script, which Streamlit serves.

    Leaflet comes from the django-js-lib-leaflet wheel and markercluster from the copy vendored
    in the package, so nothing is duplicated in the repository. Streamlit serves ./static at
    /app/static/; the map iframe asks for the files only after this first run has copied them.
    It copies only when a file is missing or differs.
    """
    try:
        assets.install_static(static_dir)
    except OSError as error:  # read-only checkout: the map cannot load its assets
        st.warning(f"Could not update the map assets in {static_dir}: {error.strerror}")
    return static_dir
