"""Compare periods: the regions hit in two date ranges, side by side or as a difference."""

from __future__ import annotations

import streamlit as st

from oblastwatch.domain.regions import region_name
from oblastwatch.present.period_figures import difference_figure, difference_map_figure
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.periods import period_comparison
from oblastwatch.ui import compare, data, filters, language, mapview
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("Compare periods"))
st.caption(
    _(
        "The same map measure over two date ranges, for example the week before a round of "
        "talks against the week of it. The sidebar's kinds, weapons and sources filters apply "
        "to both; its date range is replaced by the two periods chosen here."
    )
)

options = data.filter_options()
metric_column, view_column = st.columns([1, 2])
with metric_column:
    metric = mapview.metric_selector()
with view_column:
    view = compare.view_selector()
periods = compare.period_controls(options)
info = metric_info(metric, t)

base = filters.current_filters()
values_a = compare.region_values(base, periods.a, metric)
values_b = compare.region_values(base, periods.b, metric)
comparison = period_comparison(values_a, values_b)
# Region names in the reader's language (the comparison names them in English).
comparison["region"] = [region_name(code, t.language) for code in comparison["region_code"]]
labels = (periods.label_a, periods.label_b)

if view == "side":
    compare.side_by_side_maps(values_a, values_b, metric, periods)
else:
    st.plotly_chart(
        difference_map_figure(
            comparison, data.load_boundaries(), unit=info.unit, labels=labels, t=t
        ),
        key="compare_difference_map",
        width="stretch",
    )
    st.plotly_chart(
        difference_figure(comparison, unit=info.unit, labels=labels, t=t),
        key="compare_difference_bars",
        width="stretch",
    )

reported = comparison[["period_a", "period_b"]].notna().sum()
st.markdown(
    _("Regions with reports: **{a} of 27** in {label_a}, **{b} of 27** in {label_b}.").format(
        a=reported["period_a"],
        label_a=periods.label_a,
        b=reported["period_b"],
        label_b=periods.label_b,
    )
)
st.caption(
    info.description
    + " "
    + _(
        "Grey regions have no reports in that period: no report is not the same as zero, so "
        "the difference is left empty when either period has none. The two periods may differ "
        "in length; the values are totals, not daily means."
    )
)
st.dataframe(
    comparison,
    hide_index=True,
    column_config=compare.comparison_column_config(periods, info.unit),
    key="compare_table",
)
