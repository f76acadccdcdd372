"""Session-state keys shared by the frame (app.py) and the pages, in one place.

Canonical values live under plain keys that no widget owns, so they survive page switches
(Streamlit drops a widget's state when a page without that widget runs). Widgets use their own
``*_WIDGET`` keys and copy their value into the canonical key in an ``on_change`` callback.
"""

from __future__ import annotations

# Set once per session after the URL has been read.
INITIALISED = "ow_initialised"
# Notices about ignored URL parameters, shown once on the page that was opened.
URL_NOTICES = "ow_url_notices"
# Load notices (a migrated dataset) this session has been shown.
LOAD_NOTICES_SEEN = "ow_load_notices_seen"
# Set by the frame in every run before the page runs; a page without it hands over (ui/frame.py).
FRAME_RUN = "ow_frame_run"
# True while a page run without the frame runs the frame in its place (ui/frame.py).
HANDING_OVER = "ow_handing_over"
# The data version the last full run showed (ui/fragment.py).
DATA_VERSION = "ow_data_version"

# The interface language (a key of oblastwatch.i18n.LANGUAGES) and its sidebar switch.
LANG = "ow_lang"
LANG_WIDGET = "lang_input"

# Shared filters (canonical values).
DATE_RANGE = "ow_date_range"  # tuple[date, date]
KINDS = "ow_kinds"  # tuple[str, ...]; empty means all
WEAPON_CATEGORIES = "ow_weapon_categories"  # tuple[str, ...]; empty means all
SOURCES = "ow_sources"  # tuple[str, ...]; empty means all
REGION = "ow_region"  # str | None, an ISO 3166-2:UA code
METRIC = "ow_metric"  # str, one of query.metrics.METRICS
PER = "ow_per"  # str, one of domain.denominators.NORMALISATIONS ("raw", "people", "area")

# Timeline selection: {"kind": "day" | "talk", "value": str, "label": str} or None, and the
# range that was active before it (restored by "reset").
SELECTION = "ow_selection"
BASE_RANGE = "ow_base_range"
TIMELINE_SEEN = "ow_timeline_seen"  # last processed timeline selection (to act on changes only)

# Map page options.
SHOW_POINTS = "ow_show_points"
TILES_URL = "ow_tiles_url"

# Widget keys.
DATE_WIDGET = "date_range_input"
KINDS_WIDGET = "kinds_input"
WEAPONS_WIDGET = "weapon_categories_input"
SOURCES_WIDGET = "sources_input"
METRIC_WIDGET = "metric_input"
PER_WIDGET = "per_input"
REGION_WIDGET = "region_input"
POINTS_WIDGET = "show_points_input"
TILES_WIDGET = "tiles_url_input"

# Keys of components whose value the app reads back.
MAP = "map"  # st_folium (copied to session state by its on_change wrapper)
TIMELINE = "timeline"  # st.plotly_chart selection

# Data page.
IMPORT_RESULT = "ow_import_result"  # last import report to show after the rerun
REMOVE_ERROR = "ow_remove_error"  # one-line error from the last "remove dataset"
FETCH_RESULT = "ow_fetch_result"  # one-line outcome of the last "get the latest figures"

# Talks vs attacks page: the saved value of each control ({name: value}), each control's
# widget key, and the events table (its row selection opens the timeline).
EFFECT_PARAMS = "ow_effect_params"
EFFECT_WIDGETS = {
    "window": "effect_window_input",
    "metric": "effect_metric_input",
    "source": "effect_source_input",
    "kinds": "effect_kinds_input",
    "formats": "effect_formats_input",
    "parties": "effect_parties_input",
    "baseline": "effect_baseline_input",
    "overlap": "effect_overlap_input",
    "absent_days": "effect_absent_days_input",
    "seed": "effect_seed_input",
}
EFFECT_TABLE = "effect_events_table"

# Playback page: the frame (its last day, moved by the browser through the URL), the step and
# the window (days, None for cumulative), their widget keys, a mark set while the page runs
# (the URL carries the playback parameters only then), and the last animation file made.
PLAYBACK_FRAME = "ow_playback_frame"
PLAYBACK_STEP = "ow_playback_step"
PLAYBACK_WINDOW = "ow_playback_window"
PLAYBACK_ON_PAGE = "ow_playback_on_page"
PLAYBACK_FILE = "ow_playback_file"
PLAYBACK_STEP_WIDGET = "playback_step_input"
PLAYBACK_CUMULATIVE_WIDGET = "playback_cumulative_input"
PLAYBACK_WINDOW_WIDGET = "playback_window_input"

# Compare periods page: the saved value of each control and each control's widget key.
COMPARE_PARAMS = "ow_compare_params"
COMPARE_WIDGETS = {
    "preset": "compare_preset_input",
    "period_a": "compare_period_a_input",
    "period_b": "compare_period_b_input",
    "view": "compare_view_input",
}
