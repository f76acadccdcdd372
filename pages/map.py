"""Map: the regions hit in the shared date range; click a region for its events."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from oblastwatch.present.denominators import region_details, region_value_text
from oblastwatch.present.region_chart import region_daily_chart
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.metrics import METRICS, not_on_map_summary
from oblastwatch.query.rows import newest_region_events
from oblastwatch.query.series import daily_attack_counts, weekly_sums
from oblastwatch.ui import data, filters, fragment, language, mapview, state, tables
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("Regions hit"))
show_points, tiles_url = mapview.map_options()


@fragment.page_view
def regions_hit() -> None:
    """The map and the selected region: a metric, normalisation or click reruns this alone."""
    flt = filters.current_filters()
    metric_column, per_column, range_column = st.columns([1, 1, 2])
    with metric_column:
        metric = mapview.metric_selector()
    with per_column:
        per = mapview.per_selector(metric)
    info = metric_info(metric, t)
    range_column.markdown(f"**{t.day_range(flt.start, flt.end)}** · {info.description}")

    selected = st.session_state.get(state.REGION)
    view = mapview.build_map(
        flt, metric, normalisation=per, show_points=show_points, tiles_url=tiles_url
    )
    if view.tiles_error:
        st.warning(_("Tile server not used: {error}").format(error=view.tiles_error))
    mapview.show_map(view)
    mapview.show_legend(view)
    prepared = data.prepared_events()
    st.caption(mapview.not_on_map_text(not_on_map_summary(prepared, flt)))
    hit = int((view.shown.counts > 0).sum())
    st.markdown(
        t.ngettext(
            "**{hit} of 27 regions** with {metric} in range.",
            "**{hit} of 27 regions** with {metric} in range.",
            hit,
        ).format(hit=hit, metric=info.label.lower())
    )

    if selected is None:
        st.info(_("Click a region on the map to see its events."))
    else:
        st.header(tables.region_label(selected))
        unit = METRICS[metric].unit
        if view.shown.denominator is None:
            st.metric(info.label, tables.format_value(view.values[selected]), help=info.description)
        else:
            value = region_value_text(view.shown, selected, unit, t)
            st.metric(view.title, value, help=info.description)
            st.caption(region_details(view.shown, unit, t).get(selected, _("No reports.")))
        region_filters = replace(flt, region=selected)
        daily = daily_attack_counts(prepared, region_filters)
        if daily.notna().any().any():
            # Over a long range a day's bar is under a pixel wide: weeks can be read.
            weekly = len(daily) > mapview.REGION_CHART_MAX_DAYS
            if weekly:
                daily = weekly_sums(daily)
                title = _("Weapons reported per week in the waves that named the region")
            else:
                title = _("Weapons reported per day in the waves that named the region")
            chart = region_daily_chart(daily, title=title, weekly=weekly, t=t)
            st.vega_lite_chart(chart.data, chart.spec, key="region_daily", width="stretch")
        else:
            st.caption(_("No strike reports in this range, so no daily chart."))
        events, total = newest_region_events(prepared, flt, selected, tables.SUMMARY_EVENTS_SHOWN)
        st.subheader(_("Events in range ({count}), newest first").format(count=total))
        tables.events_table(
            events,
            key="map_region_events",
            height=320,
            limit=tables.SUMMARY_EVENTS_SHOWN,
            total=total,
            more=_("The region page lists them all."),
        )
        link_column, clear_column = st.columns(2)
        link_column.page_link(
            "pages/region.py",
            label=_("Open the region page"),
            icon=":material/location_on:",
            query_params={"region": selected, "lang": t.language},
        )
        clear_column.button(
            _("Clear selection"), key="clear_region", on_click=mapview.clear_selection
        )


regions_hit()
