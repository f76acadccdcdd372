"""Region: one region's events in the shared range, weekly series, weapons, talks, sources."""

from __future__ import annotations

import streamlit as st

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present import figures
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.metrics import METRICS, region_metric
from oblastwatch.query.rows import region_events
from oblastwatch.query.series import weekly_region_series
from oblastwatch.query.weapons import weapons_breakdown
from oblastwatch.ui import data, filters, language, state, tables
from oblastwatch.ui.alerts import strikes_under_alert_metric
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("Region"))
ss = st.session_state
if state.REGION_WIDGET not in ss:
    ss[state.REGION_WIDGET] = ss.get(state.REGION)
code = st.selectbox(
    _("Region"),
    REGION_CODES,
    key=state.REGION_WIDGET,
    format_func=lambda region: tables.region_label(region, t),
    placeholder=_("Choose a region (or click one on the map)"),
)
ss[state.REGION] = code
if code is None:
    st.info(_("Choose a region above, or click one on the map."))
else:
    flt = filters.current_filters()
    prepared = data.prepared_events()
    events = region_events(prepared, flt, code)
    st.header(f"{tables.region_label(code)}, {t.day_range(flt.start, flt.end)}")

    columns = st.columns(len(METRICS))
    for column, metric in zip(columns, METRICS, strict=True):
        info = metric_info(metric, t)
        value = region_metric(prepared, flt, metric)[code]
        column.metric(info.label, tables.format_value(value), help=info.description)
    strikes_under_alert_metric(prepared, flt, code)

    talks = diplomatic_events(prepared, flt)
    weekly = weekly_region_series(prepared, flt, code)
    st.plotly_chart(
        figures.region_weekly_figure(weekly, talks, t), key="region_weekly", width="stretch"
    )

    st.subheader(_("Weapons reported in the waves that hit the region"))
    breakdown = weapons_breakdown(prepared, flt, region=code)
    if breakdown.empty:
        st.caption(_("No strike reports with weapons for this region in the range."))
    else:
        figure = figures.weapons_breakdown_figure(breakdown, t)
        st.plotly_chart(figure, key="region_weapons", width="stretch")

    st.subheader(_("Events ({count}), newest first").format(count=len(events)))
    tables.events_table(events, key="region_events")

    st.subheader(_("Sources"))
    tables.sources_table(events, key="region_sources")
