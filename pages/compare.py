"""Compare periods: the regions hit in two date ranges, side by side or as a difference."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.period_figures import difference_figure, difference_map_figure
from oblastwatch.query.metrics import METRICS
from oblastwatch.query.periods import period_comparison
from oblastwatch.ui import compare, data, filters, mapview
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
st.title("Compare periods")
st.caption(
    "The same map measure over two date ranges, for example the week before a round of talks "
    "against the week of it. The sidebar's kinds, weapons and sources filters apply to both; "
    "its date range is replaced by the two periods chosen here."
)

options = data.filter_options()
metric_column, view_column = st.columns([1, 2])
with metric_column:
    metric = mapview.metric_selector()
with view_column:
    view = compare.view_selector()
periods = compare.period_controls(options)
info = METRICS[metric]

base = filters.current_filters()
values_a = compare.region_values(base, periods.a, metric)
values_b = compare.region_values(base, periods.b, metric)
comparison = period_comparison(values_a, values_b)
labels = (periods.label_a, periods.label_b)

if view == "side":
    compare.side_by_side_maps(values_a, values_b, metric, periods)
else:
    st.plotly_chart(
        difference_map_figure(comparison, data.load_boundaries(), unit=info.unit, labels=labels),
        key="compare_difference_map",
        width="stretch",
    )
    st.plotly_chart(
        difference_figure(comparison, unit=info.unit, labels=labels),
        key="compare_difference_bars",
        width="stretch",
    )

reported = comparison[["period_a", "period_b"]].notna().sum()
st.markdown(
    f"Regions with reports: **{reported['period_a']} of 27** in {periods.label_a}, "
    f"**{reported['period_b']} of 27** in {periods.label_b}."
)
st.caption(
    f"{info.description} Grey regions have no reports in that period: no report is not the "
    "same as zero, so the difference is left empty when either period has none. The two "
    "periods may differ in length; the values are totals, not daily means."
)
st.dataframe(
    comparison,
    hide_index=True,
    column_config=compare.comparison_column_config(periods, info.unit),
    key="compare_table",
)
