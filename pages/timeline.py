"""Timeline: diplomacy lanes above daily drone and missile bars; a click narrows the range."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from oblastwatch.present import figures
from oblastwatch.present.url_params import escape_markdown
from oblastwatch.query.alerts import daily_alert_series, has_alerts
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.series import daily_attack_counts
from oblastwatch.ui import data, filters, language, state, tables
from oblastwatch.ui.frame import ensure_frame
from oblastwatch.ui.freshness import show_coverage_notes, view_gaps
from oblastwatch.ui.talks import talk_ids
from oblastwatch.ui.timeline import apply_timeline_click

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("Talks and attacks"))
st.caption(
    _(
        "Upper lanes: talks, calls, summits and exchanges by who sat at the table. Lower rows: "
        "drones and missiles launched and destroyed per day (Air Force figures are claims). "
        "Click a day's bar or a talks marker to show that day or that round on every page."
    )
)

options = data.filter_options()
selection = st.session_state.get(state.SELECTION)
# While a day or round is selected the chart keeps showing the range it was picked from.
context_range = st.session_state.get(state.BASE_RANGE) or st.session_state[state.DATE_RANGE]
context = replace(filters.current_filters(), start=context_range[0], end=context_range[1])
prepared = data.prepared_events()
daily = daily_attack_counts(prepared, context)
talks = diplomatic_events(prepared, context)
gaps = view_gaps(context)
alert_region = st.session_state.get(state.REGION)  # chosen on the map or the region page
alerts = daily_alert_series(prepared, context, alert_region) if has_alerts(prepared) else None

figure = figures.timeline_figure(
    daily,
    talks,
    selected_day=selection["value"] if selection and selection["kind"] == "day" else None,
    selected_talk=selection["value"] if selection and selection["kind"] == "talk" else None,
    gaps=gaps,
    alerts=alerts,
    region_label=tables.region_label(alert_region) if alert_region else None,
    t=t,
)
event = st.plotly_chart(
    figure, on_select="rerun", selection_mode="points", key=state.TIMELINE, width="stretch"
)
apply_timeline_click(event, talk_ids(), (options.first_day, options.last_day))
show_coverage_notes(gaps)
if alerts is not None:
    if alert_region:
        lane = _(
            "Alert lane: hours with an air-raid alert anywhere in a region per Kyiv day "
            "(overlapping alerts count once), averaged over the regions with data, and for "
            "{region}. Days without alert data are gaps. See About for the rules."
        ).format(region=tables.region_label(alert_region))
    else:
        lane = _(
            "Alert lane: hours with an air-raid alert anywhere in a region per Kyiv day "
            "(overlapping alerts count once), averaged over the regions with data. Days "
            "without alert data are gaps. See About for the rules."
        )
    st.caption(lane)

if selection:
    start, end = st.session_state[state.DATE_RANGE]
    st.info(
        _("Selected: {label}. The map, region and data pages now show {range}.").format(
            label=escape_markdown(selection["label"]), range=t.day_range(start, end)
        ),
        icon=":material/push_pin:",
    )
    st.button(
        _("Reset to the previous range"), key="reset_selection", on_click=filters.clear_selection
    )
    st.page_link(
        "pages/map.py",
        label=_("Open the map for this selection"),
        icon=":material/map:",
        query_params={"lang": t.language},
    )

st.subheader(
    _("Diplomatic events, {range}").format(range=t.day_range(context_range[0], context_range[1]))
)
tables.diplomacy_table(talks, key="talks_table")
