"""The Map page's widgets: metric and normalisation choice, map options, the map, legend, clicks.

The map is drawn as a base that is the same for every filter (background and outlines) and
layers that change (colours, points, the selected region's outline), passed to ``st_folium`` as
``feature_group_to_add``: ``st_folium`` keys its component on the base's script, so a change of
dates, metric or region recolours the mounted map instead of remounting it (docs/performance.md).

Map clicks: ``st_folium`` returns the clicked feature as ``last_active_drawing`` (its
``properties.code`` is the region code). Its change callback selects the region before the
rerun starts, so a click costs one rerun; a value that arrives without the callback (AppTest
sets it directly) is handled after the map is drawn. "Clear selection" gives the component a
new key so the next click on the same region counts again (a repeated click on one polygon
would otherwise not change the value).
"""

from __future__ import annotations

import html
import os
from dataclasses import dataclass
from typing import Any

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from oblastwatch.domain import model
from oblastwatch.domain.denominators import NORMALISATIONS, RAW
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present import denominators as denominator_text
from oblastwatch.present import maps
from oblastwatch.present.maps.legend import LegendEntry, format_number, is_hex_colour
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query import rates
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS, NO_DATA_METRICS, RAW_ONLY_METRICS, region_metric
from oblastwatch.query.rows import filter_events
from oblastwatch.ui import data, state, static
from oblastwatch.ui.language import t

TILES_ENV = "OBLASTWATCH_TILES_URL"
MAP_HEIGHT = 560
MAP_SEEN = "ow_map_seen"  # the region code of the last click handled
MAP_GENERATION = "ow_map_generation"  # bumped by "clear selection" to remount the map
POINT_COLUMNS = ["lat", "lon", "title", "date", "description"]
PER_FIXED_WIDGET = "per_input_count_only"  # the disabled choice of a metric shown raw only
# The selected region's chart shows days up to this range, weeks beyond (a quarter of a year).
REGION_CHART_MAX_DAYS = 92


@dataclass(frozen=True)
class MapView:
    """Everything the page shows about the current map.

    ``values`` are what is coloured (counts or rates), ``shown`` the counts and rates with
    their denominator; ``title`` names the metric as shown ("Attack waves per 100,000
    residents"), ``legend_title`` its unit and, for a rate, the denominator and its date(s).
    """

    base: folium.Map
    layers: list[folium.FeatureGroup]
    points_shown: bool
    values: pd.Series
    legend: list[LegendEntry]
    metric: str
    tiles_error: str | None
    shown: rates.RegionValues
    title: str
    legend_title: str

    def whole_map(self) -> folium.Map:
        """The base with this view's layers on it, for an export (``st_folium`` adds them)."""
        for layer in self.layers:
            layer.add_to(self.base)
        if self.points_shown:
            folium.LayerControl(collapsed=False).add_to(self.base)
        return self.base


def metric_selector() -> str:
    """A selectbox of the map metrics, seeded from and stored in the shared state."""
    ss = st.session_state
    if state.METRIC_WIDGET not in ss:
        ss[state.METRIC_WIDGET] = ss[state.METRIC]
    tr = t()
    metric = st.selectbox(
        tr.gettext("Metric"),
        list(METRICS),
        key=state.METRIC_WIDGET,
        format_func=lambda m: metric_info(m, tr).label,
        help=metric_info(ss[state.METRIC_WIDGET], tr).description,
    )
    ss[state.METRIC] = metric
    return metric


def per_selector(metric: str) -> str:
    """Count, per 100,000 residents or per 1,000 km²; the caveats of a rate one click away.

    The choice is kept in the shared state (and the URL) across metrics; a metric that is
    shown raw only (``RAW_ONLY_METRICS``) shows a disabled "Count". Returns the
    normalisation the map uses.
    """
    ss = st.session_state
    tr = t()
    info = metric_info(metric, tr)
    label = tr.gettext("Show")

    def normalisation_label(key: str) -> str:
        return tr.gettext(denominator_text.NORMALISATION_LABELS[key])

    if metric in RAW_ONLY_METRICS:
        st.radio(
            label,
            [RAW],
            key=PER_FIXED_WIDGET,
            format_func=normalisation_label,
            horizontal=True,
            disabled=True,
            help=tr.gettext("{metric} is a count of calendar days, shown as a count only.").format(
                metric=info.label
            ),
        )
        return RAW
    if state.PER_WIDGET not in ss:
        ss[state.PER_WIDGET] = ss[state.PER]
    per = st.radio(
        label,
        list(NORMALISATIONS),
        key=state.PER_WIDGET,
        format_func=normalisation_label,
        horizontal=True,
        help=tr.gettext(
            "Divide each region's count by its residents or its area, so that regions of "
            "different size can be compared."
        ),
    )
    ss[state.PER] = per
    by = data.denominator(per)
    if by is not None:
        with st.popover(tr.gettext("About these rates"), icon=":material/info:"):
            note = denominator_text.sentence(denominator_text.denominator_note(by, tr))
            st.markdown(f"**{note}.**")
            st.markdown("\n".join(f"- {line}" for line in denominator_text.caveats(by, tr)))
    return per


def map_options() -> tuple[bool, str | None]:
    """Sidebar options of the map: clustered points and an optional tile server URL."""
    ss = st.session_state
    ss.setdefault(state.SHOW_POINTS, False)
    ss.setdefault(state.TILES_URL, os.environ.get(TILES_ENV, ""))
    _ = t().gettext
    with st.sidebar.expander(_("Map options")):
        if state.POINTS_WIDGET not in ss:
            ss[state.POINTS_WIDGET] = ss[state.SHOW_POINTS]
        ss[state.SHOW_POINTS] = st.toggle(
            _("Located events as clustered points"), key=state.POINTS_WIDGET
        )
        if state.TILES_WIDGET not in ss:
            ss[state.TILES_WIDGET] = ss[state.TILES_URL]
        ss[state.TILES_URL] = st.text_input(
            _("Tile server URL (optional)"),
            key=state.TILES_WIDGET,
            placeholder="https://tile.example.org/{z}/{x}/{y}.png",
            help=_(
                "Leave empty for a plain background (works offline). Default: ${variable}."
            ).format(variable=TILES_ENV),
        ).strip()
    return ss[state.SHOW_POINTS], ss[state.TILES_URL] or None


def located_events(filters: Filters) -> pd.DataFrame:
    """Attack-track events in range with coordinates (for the points layer)."""
    events = filter_events(data.prepared_events(), filters)
    events = events[~events["kind"].isin(model.DIPLOMATIC_KINDS)]
    return events.loc[events["lat"].notna() & events["lon"].notna(), POINT_COLUMNS]


def build_map(
    filters: Filters,
    metric: str,
    *,
    normalisation: str = RAW,
    selected: str | None = None,
    show_points: bool = False,
    tiles_url: str | None = None,
    standalone: bool = False,
) -> MapView:
    """The choropleth of ``metric`` for ``filters`` (region filter ignored by design).

    ``normalisation`` (raw, people, area) divides the counts; a metric shown raw only is
    drawn raw whatever it says. ``selected`` adds that region's outline to the layers (for an
    export: :func:`show_map` draws the page's own selection as it changes). ``standalone``
    keeps the outlines in the map's own script, as a file needs them; the page's map loads
    them from the app's static files.
    """
    prepared = data.prepared_events()
    counts = region_metric(prepared, filters, metric)
    normalisation = rates.applicable_normalisation(metric, normalisation)
    shown = rates.normalise(counts, metric, normalisation, by=data.denominator(normalisation))
    values = shown.values
    tr = t()
    unit = METRICS[metric].unit  # English: value texts put it in the form a count takes
    info = metric_info(metric, tr)
    by = shown.denominator
    title = denominator_text.metric_title(info, by, tr)
    points = located_events(filters) if show_points else None
    boundaries = data.region_shapes()
    layers = maps.choropleth_layers(
        values,
        boundaries,
        metric_label=title,
        unit=unit if by is None else "",
        points=points,
        no_data=shown.no_figure,
        details=denominator_text.region_details(shown, unit, tr),
        missing_text=tr.gettext("no data") if metric in NO_DATA_METRICS else None,
        t=tr,
    )
    if selected is not None:
        layers.append(maps.highlight_layer(selected, boundaries))
    tiles_error = None
    outlines_url = None if standalone else static.outlines_url(boundaries)
    try:
        base = maps.region_base_map(
            boundaries, tiles_url=tiles_url, outlines_url=outlines_url, t=tr
        )
    except ValueError as error:
        if not tiles_url:
            raise
        tiles_error = str(error)
        base = maps.region_base_map(boundaries, outlines_url=outlines_url, t=tr)
    no_data_label = (
        tr.gettext(denominator_text.NO_FIGURE_LABELS[by.key]) if by and shown.no_figure else None
    )
    missing_label = tr.gettext("No data") if metric in NO_DATA_METRICS else None
    legend = maps.legend_bins(
        values, no_data_label=no_data_label, missing_label=missing_label, t=tr
    )
    legend_title = denominator_text.legend_title(info, by, tr)
    return MapView(
        base, layers, show_points, values, legend, metric, tiles_error, shown, title, legend_title
    )


def _clicked_region(returned: Any) -> str | None:
    feature = (returned or {}).get("last_active_drawing") or {}
    code = (feature.get("properties") or {}).get("code")
    return code if code in REGION_CODES else None


def _select_clicked(clicked: str | None) -> bool:
    """Select a newly clicked region; True when the selection changed."""
    ss = st.session_state
    if clicked is None or clicked == ss.get(MAP_SEEN):
        return False
    ss[MAP_SEEN] = clicked
    if clicked == ss.get(state.REGION):
        return False
    ss[state.REGION] = clicked
    ss.pop(state.REGION_WIDGET, None)
    return True


def show_map(view: MapView) -> None:
    """Draw the map; a click on a region selects it (session state and ``?region=``)."""
    ss = st.session_state
    selected = ss.get(state.REGION)
    generation = ss.get(MAP_GENERATION, 0)
    # The points' script (markercluster) is loaded when the map mounts: toggling them mounts
    # a map of its own.
    key = f"{state.MAP}-{generation}-{'points' if view.points_shown else 'regions'}"
    layers = list(view.layers)
    if selected:
        layers.append(maps.highlight_layer(selected, data.region_shapes()))
    returned = st_folium(
        view.base,
        key=key,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=["last_active_drawing"],
        feature_group_to_add=layers,
        layer_control=folium.LayerControl(collapsed=False) if view.points_shown else None,
        on_change=lambda: _select_clicked(_clicked_region(ss.get(key))),
    )
    if _select_clicked(_clicked_region(returned)):
        st.rerun()


def clear_selection() -> None:
    """Button callback: deselect the region and remount the map so any region can be clicked."""
    ss = st.session_state
    ss[state.REGION] = None
    ss.pop(state.REGION_WIDGET, None)
    ss[MAP_SEEN] = None
    ss[MAP_GENERATION] = ss.get(MAP_GENERATION, 0) + 1


def legend_markdown(entries: list[LegendEntry], unit: str) -> str:
    """The legend as one line of colour swatches; labels escaped, colours validated."""
    parts = []
    for entry in entries:
        colour = entry.colour if is_hex_colour(entry.colour) else "#000000"
        border = {"no-reports": "1px dashed #7a7a7a", "no-data": "1px dotted #7a7a7a"}.get(
            entry.kind, "1px solid #888"
        )
        parts.append(
            f'<span style="display:inline-block;margin-right:14px;white-space:nowrap">'
            f'<span style="display:inline-block;width:14px;height:14px;background:{colour};'
            f'border:{border};vertical-align:middle;margin-right:4px"></span>'
            f"{html.escape(entry.label)}</span>"
        )
    return (
        f'<div data-testid="ow-legend" style="font-size:0.9rem">'
        f"<strong>{html.escape(unit)}:</strong> {''.join(parts)}</div>"
    )


def show_legend(view: MapView) -> None:
    """The legend under the map, drawn by Streamlit (not inside the map: no CDN assets)."""
    st.markdown(legend_markdown(view.legend, view.legend_title), unsafe_allow_html=True)


def not_on_map_text(summary: dict[str, int]) -> str:
    """A plain statement of the events in range that the choropleth cannot show."""
    tr = t()
    ngettext = tr.ngettext
    parts = []
    if n := summary.get("national"):
        parts.append(
            ngettext(
                "{count} concerns Ukraine as a whole or names no place",
                "{count} concern Ukraine as a whole or name no place",
                n,
            ).format(count=format_number(n, tr))
        )
    if n := summary.get("macro-region"):
        parts.append(
            ngettext(
                "{count} names only a part of the country (such as “south”)",
                "{count} name only a part of the country (such as “south”)",
                n,
            ).format(count=format_number(n, tr))
        )
    if n := summary.get("outside"):
        parts.append(
            ngettext(
                "{count} is placed outside Ukraine's regions",
                "{count} are placed outside Ukraine's regions",
                n,
            ).format(count=format_number(n, tr))
        )
    if n := summary.get("abroad"):
        parts.append(
            ngettext("{count} took place abroad", "{count} took place abroad", n).format(
                count=format_number(n, tr)
            )
        )
    if not parts:
        return tr.gettext(
            "Every attack-track event in this range is tied to at least one region on the map."
        )
    total = sum(summary.values())
    lead = ngettext(
        "Not on the map: {count} event in this range",
        "Not on the map: {count} events in this range",
        total,
    ).format(count=format_number(total, tr))
    return f"{lead} — " + "; ".join(parts) + "."
