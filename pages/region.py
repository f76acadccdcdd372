"""Region: one region's events in the shared range, weekly series, weapons, talks, sources."""

from __future__ import annotations

import streamlit as st

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present import figures
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.metrics import METRICS, region_metric
from oblastwatch.query.rows import region_events
from oblastwatch.query.series import weekly_region_series
from oblastwatch.query.weapons import weapons_breakdown
from oblastwatch.ui import data, filters, state, tables
from oblastwatch.ui.alerts import strikes_under_alert_metric
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
st.title("Region")
ss = st.session_state
if state.REGION_WIDGET not in ss:
    ss[state.REGION_WIDGET] = ss.get(state.REGION)
code = st.selectbox(
    "Region",
    REGION_CODES,
    key=state.REGION_WIDGET,
    format_func=tables.region_label,
    placeholder="Choose a region (or click one on the map)",
)
ss[state.REGION] = code
if code is None:
    st.info("Choose a region above, or click one on the map.")
else:
    flt = filters.current_filters()
    prepared = data.prepared_events()
    events = region_events(prepared, flt, code)
    st.header(f"{tables.region_label(code)}, {flt.start} to {flt.end}")

    columns = st.columns(len(METRICS))
    for column, (metric, info) in zip(columns, METRICS.items(), strict=True):
        value = region_metric(prepared, flt, metric)[code]
        column.metric(info.label, tables.format_value(value), help=info.description)
    strikes_under_alert_metric(prepared, flt, code)

    talks = diplomatic_events(prepared, flt)
    weekly = weekly_region_series(prepared, flt, code)
    st.plotly_chart(
        figures.region_weekly_figure(weekly, talks), key="region_weekly", width="stretch"
    )

    st.subheader("Weapons reported in the waves that hit the region")
    breakdown = weapons_breakdown(prepared, flt, region=code)
    if breakdown.empty:
        st.caption("No strike reports with weapons for this region in the range.")
    else:
        figure = figures.weapons_breakdown_figure(breakdown)
        st.plotly_chart(figure, key="region_weapons", width="stretch")

    st.subheader(f"Events ({len(events)}), newest first")
    tables.events_table(events, key="region_events")

    st.subheader("Sources")
    tables.sources_table(events, key="region_sources")
