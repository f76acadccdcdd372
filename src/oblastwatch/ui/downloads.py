"""Download buttons: the filtered events, the current map and its values per region.

Events as CSV and GeoJSON, the map as standalone HTML, its values per region as CSV (with the
denominator of a rate).

Files are produced only when a button is clicked (deferred ``data`` callables); the callables
close over plain values computed in the script run, never over Streamlit state.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from oblastwatch.domain.denominators import RAW
from oblastwatch.present import denominators as denominator_text
from oblastwatch.present import exports, maps
from oblastwatch.present.maps.legend import format_number
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS
from oblastwatch.query.rows import filter_events
from oblastwatch.ui import data, filters, mapview, state
from oblastwatch.ui.language import t


def _file_stem(flt: Filters) -> str:
    return f"oblastwatch_{flt.start}_{flt.end}"


def _events_and_regions(flt: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    events = filter_events(data.prepared_events(), flt)
    dataset = data.load_dataset()
    regions = dataset.event_regions
    return events, regions[regions["event_id"].isin(events["event_id"])]


def download_buttons() -> None:
    """Four download buttons for the current filters, metric, normalisation and map options."""
    ss = st.session_state
    flt = filters.current_filters()
    events, regions = _events_and_regions(flt)
    stem = _file_stem(flt)
    boundaries = data.load_boundaries()
    tr = t()
    _ = tr.gettext
    st.caption(
        tr.ngettext(
            "{count} event passes the filters ({range}).",
            "{count} events pass the filters ({range}).",
            len(events),
        ).format(count=format_number(len(events), tr), range=tr.day_range(flt.start, flt.end))
    )
    csv_column, geojson_column, map_column, values_column = st.columns(4)
    csv_column.download_button(
        _("Events as CSV"),
        data=lambda: exports.events_csv(events, regions),
        file_name=f"{stem}_events.csv",
        mime="text/csv",
        key="download_csv",
        on_click="ignore",
        icon=":material/table:",
    )
    geojson_column.download_button(
        _("Events as GeoJSON"),
        data=lambda: exports.events_geojson(events, regions, boundaries),
        file_name=f"{stem}_events.geojson",
        mime="application/geo+json",
        key="download_geojson",
        on_click="ignore",
        icon=":material/public:",
    )
    metric = ss.get(state.METRIC) or next(iter(METRICS))
    view = mapview.build_map(
        flt,
        metric,
        normalisation=ss.get(state.PER) or RAW,
        selected=ss.get(state.REGION),
        show_points=bool(ss.get(state.SHOW_POINTS)),
        tiles_url=ss.get(state.TILES_URL) or None,
        standalone=True,
    )
    by = view.shown.denominator
    legend_title = f"{view.title}, {tr.day_range(flt.start, flt.end)}"
    legend_note = (
        denominator_text.sentence(denominator_text.denominator_note(by, tr)) if by else None
    )
    caveats = denominator_text.caveats(by, tr) if by else ()
    per_suffix = f"_per_{by.key}" if by else ""
    whole_map = view.whole_map()
    map_column.download_button(
        _("Map as HTML (works offline)"),
        data=lambda: maps.standalone_map_html(
            whole_map,
            offline=True,
            legend=view.legend,
            legend_title=legend_title,
            legend_note=legend_note,
            caveats=caveats,
            title=f"oblastwatch: {legend_title}",
            t=tr,
        ),
        file_name=f"{stem}_{metric}{per_suffix}_map.html",
        mime="text/html",
        key="download_map",
        on_click="ignore",
        icon=":material/map:",
    )
    values_column.download_button(
        _("Map values as CSV"),
        data=lambda: exports.region_values_csv(view.shown),
        file_name=f"{stem}_{metric}{per_suffix}_by_region.csv",
        mime="text/csv",
        key="download_region_values",
        on_click="ignore",
        icon=":material/table_chart:",
    )
