"""The app's static/ folder, served by Streamlit at /app/static/: Leaflet (no CDN), outlines.

The region outlines are written there too: the app's maps load them from it.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from oblastwatch.present.maps import assets
from oblastwatch.present.maps.geometry import RegionShapes


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


def app_static_dir() -> Path | None:
    """``static/`` next to the running app's entry script (what Streamlit serves).

    ``None`` outside a script run.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return None
    return Path(ctx.main_script_path).resolve().parent / "static"


@st.cache_resource(show_spinner=False)
def _outlines_installed(static_dir: Path, name: str, _shapes: RegionShapes) -> bool:
    # Keyed by the outlines' name, which their content decides.
    try:
        assets.install_outlines(static_dir, _shapes)
    except OSError:
        return False
    return True


def outlines_url(shapes: RegionShapes) -> str | None:
    """Where the app's maps load ``shapes`` from (written there once per process).

    ``None`` when it cannot be written: the map then carries the outlines in its own script.
    """
    static_dir = app_static_dir()
    name = assets.outlines_name(shapes)
    if static_dir is None or not _outlines_installed(static_dir, name, shapes):
        return None
    return assets.asset_url(name)


# While a run is going, Streamlit fades the elements it has not re-sent yet: after 0.5 s, over
# 1 s, redrawing them about 60 times a second. With many readers on one machine runs take
# longer than 0.5 s more often, and the fades take CPU from the runs themselves
# (docs/performance.md). A step keeps the cue (stale content turns pale after 0.5 s) with one
# redraw.
PAGE_STYLE = '[data-stale="true"] { transition-duration: 0s !important; }'


def apply_page_style() -> None:
    """The app's style rules; a style-only ``st.html`` takes no room on the page."""
    st.html(f"<style>{PAGE_STYLE}</style>")
