"""The "Compare periods" page's controls and maps.

Two date ranges, or the week before a round of talks against the week of it, side by side or as
a difference.

Control values are kept under plain session keys that no widget owns
(:data:`oblastwatch.ui.state.COMPARE_PARAMS`), so they survive a trip to another page.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from oblastwatch.i18n import N_
from oblastwatch.present import maps
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS, region_metric
from oblastwatch.query.periods import week_before_and_of
from oblastwatch.ui import data, mapview, state, static, talks
from oblastwatch.ui.language import t

CUSTOM = "custom"
PRESET_KINDS = ("talks", "summit")
VIEWS = {"side": N_("Side by side"), "difference": N_("Difference (B minus A)")}
MAP_HEIGHT = 460


@dataclass(frozen=True)
class Periods:
    """Two inclusive date ranges to compare and how to name them."""

    a: tuple[date, date]
    b: tuple[date, date]
    label_a: str
    label_b: str


def _compare_widget(name: str, default: Any, valid: Any = None) -> str:
    ss = st.session_state
    saved = ss.setdefault(state.COMPARE_PARAMS, {})
    key = state.COMPARE_WIDGETS[name]
    if key not in ss:
        value = saved.get(name, default)
        ss[key] = value if valid is None or valid(value) else default
    return key


def _rounds_newest_first() -> list[str]:
    """Ids of the loaded talks rounds and summits, newest first."""
    table = data.prepared_events().diplomatic
    rounds = table.loc[table["kind"].isin(PRESET_KINDS).fillna(False).to_numpy(bool)]
    rounds = rounds.sort_values(["first_day", "event_id"], ascending=False, kind="stable")
    return [str(i) for i in rounds["event_id"]]


def _preceding(rng: tuple[date, date], first_day: date) -> tuple[date, date]:
    """The range of the same length just before ``rng`` (not before ``first_day``)."""
    length = rng[1] - rng[0]
    end = max(rng[0] - timedelta(days=1), first_day)
    return max(end - length, first_day), end


def _range_input(label: str, name: str, default: tuple[date, date], options) -> tuple[date, date]:
    def within(value: Any) -> bool:
        return (
            isinstance(value, tuple | list)
            and len(value) == 2
            and options.first_day <= value[0] <= value[1] <= options.last_day
        )

    picked = st.date_input(
        label,
        key=_compare_widget(name, default, within),
        min_value=options.first_day,
        max_value=options.last_day,
        format="YYYY-MM-DD",
    )
    saved = st.session_state[state.COMPARE_PARAMS]
    # While only the first day of a new range is picked the widget returns a 1-tuple.
    if isinstance(picked, tuple | list) and len(picked) == 2:
        saved[name] = (picked[0], picked[1])
    return tuple(saved.get(name, default))


def period_controls(options: data.FilterOptions) -> Periods:
    """A talks-round preset (the week before it against the week of it) or two date ranges."""
    ids = _rounds_newest_first()
    choices = [CUSTOM, *ids]
    tr = t()
    _ = tr.gettext

    def describe(value: str) -> str:
        if value == CUSTOM:
            return _("Two date ranges of my choice")
        found = talks.talk_window(value)
        return _("Week before vs week of: {round}").format(round=found[1]) if found else value

    preset = st.selectbox(
        _("Compare"),
        choices,
        format_func=describe,
        key=_compare_widget("preset", CUSTOM, lambda v: v in choices),
        help=_(
            "Pick a round of talks or a summit to compare the 7 days before its first day "
            "with its first day and the 6 days after."
        ),
    )
    st.session_state[state.COMPARE_PARAMS]["preset"] = preset
    found = talks.talk_window(preset) if preset != CUSTOM else None
    if found is not None:
        (first, _last), _label = found
        a, b = week_before_and_of(first)
        return Periods(
            a,
            b,
            _("Week before ({range})").format(range=tr.day_range(*a)),
            _("Week of ({range})").format(range=tr.day_range(*b)),
        )
    shared = st.session_state[state.DATE_RANGE]
    left, right = st.columns(2)
    with left:
        a = _range_input(_("Period A"), "period_a", _preceding(shared, options.first_day), options)
    with right:
        b = _range_input(_("Period B"), "period_b", tuple(shared), options)
    return Periods(
        a,
        b,
        _("A ({range})").format(range=tr.day_range(*a)),
        _("B ({range})").format(range=tr.day_range(*b)),
    )


def view_selector() -> str:
    """Side-by-side maps or one difference map; returns a key of :data:`VIEWS`."""
    _ = t().gettext
    view = st.radio(
        _("Show"),
        tuple(VIEWS),
        format_func=lambda view: _(VIEWS[view]),
        horizontal=True,
        key=_compare_widget("view", "side", lambda v: v in VIEWS),
    )
    st.session_state[state.COMPARE_PARAMS]["view"] = view
    return view


def region_values(base: Filters, rng: tuple[date, date], metric: str) -> pd.Series:
    """The choropleth values of ``metric`` over ``rng`` with the sidebar's other filters."""
    period = replace(base, start=rng[0], end=rng[1], region=None)
    return region_metric(data.prepared_events(), period, metric)


def side_by_side_maps(a: pd.Series, b: pd.Series, metric: str, periods: Periods) -> None:
    """Two choropleths on one colour scale, and the legend they share."""
    tr = t()
    info = metric_info(metric, tr)
    unit = METRICS[metric].unit
    both = pd.concat([a, b], ignore_index=True)
    edges = list(maps.classify(both).upper_edges) or None
    boundaries = data.region_shapes()
    for column, values, label, key in zip(
        st.columns(2),
        (a, b),
        (periods.label_a, periods.label_b),
        ("compare_map_a", "compare_map_b"),
        strict=True,
    ):
        with column:
            st.markdown(f"**{label}**")
            # The outlines stay mounted; a change of periods or metric recolours them.
            st_folium(
                maps.region_base_map(
                    boundaries, outlines_url=static.outlines_url(boundaries), t=tr
                ),
                key=key,
                height=MAP_HEIGHT,
                use_container_width=True,
                returned_objects=[],
                feature_group_to_add=maps.choropleth_layers(
                    values, boundaries, metric_label=info.label, unit=unit, bins=edges, t=tr
                ),
            )
    legend = maps.legend_bins(both, edges, t=tr)
    # Labels are escaped and colours validated by legend_markdown.
    st.markdown(mapview.legend_markdown(legend, info.unit), unsafe_allow_html=True)


def comparison_column_config(periods: Periods, unit: str) -> dict[str, Any]:
    """Headers of :func:`oblastwatch.query.periods.period_comparison` for ``st.dataframe``."""
    _ = t().gettext
    return {
        "region_code": st.column_config.TextColumn(_("Code")),
        "region": st.column_config.TextColumn(_("Region")),
        "period_a": st.column_config.NumberColumn(f"{periods.label_a}, {unit}", format="%.0f"),
        "period_b": st.column_config.NumberColumn(f"{periods.label_b}, {unit}", format="%.0f"),
        "difference": st.column_config.NumberColumn(_("B minus A"), format="%+.0f"),
    }
