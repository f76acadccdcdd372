"""Geolocated events as clustered points (Leaflet.markercluster, served locally).

Markers are built in the browser from one compact JSON array, not one folium element each,
and the array is capped (:data:`POINTS_BUDGET_BYTES`, :data:`MAX_POINTS`): the newest events
are drawn and the layer's name says how many are not, so the map HTML stays small at any
event count and nothing is left out silently. Titles, dates and descriptions are HTML-escaped
here, before they reach the page.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps import assets
from oblastwatch.present.maps.geometry import script_safe_json
from oblastwatch.present.maps.legend import format_number

POINT_COLUMNS = ("lat", "lon", "title", "date", "description")
POINTS_BUDGET_BYTES = 120_000
MAX_POINTS = 2_000
TITLE_CHARS = 120
DESCRIPTION_CHARS = 240


@dataclass(frozen=True)
class PointSelection:
    """The points drawn and what was left out.

    ``rows`` are ``[lat, lon, title, date, description]`` with the text HTML-escaped, newest
    first. ``not_drawn`` counts located events beyond the size cap; ``unlocated`` counts rows
    without usable coordinates.
    """

    rows: list[list[object]]
    total: int
    not_drawn: int
    unlocated: int

    @property
    def shown(self) -> int:
        """The number of points drawn."""
        return len(self.rows)

    def caption(self, t: Translator = ENGLISH) -> str:
        """``"Located events: 1,500 newest of 9,000 shown"`` style summary for the layer name."""
        located = self.total - self.unlocated
        shown = format_number(self.shown, t)
        if self.not_drawn:
            text = t.gettext("Located events: {shown} newest of {located} shown").format(
                shown=shown, located=format_number(located, t)
            )
        else:
            text = t.gettext("Located events: {shown}").format(shown=shown)
        if self.unlocated:
            text += " " + t.gettext("({count} without coordinates)").format(
                count=format_number(self.unlocated, t)
            )
        return text


def _clip(text: object, limit: int) -> str:
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    value = " ".join(str(text).split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _day(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    try:
        return pd.Timestamp(value).strftime("%Y-%m-%d")
    except (TypeError, ValueError):
        return str(value)


def select_points(
    points: pd.DataFrame,
    *,
    budget_bytes: int = POINTS_BUDGET_BYTES,
    max_points: int = MAX_POINTS,
) -> PointSelection:
    """The newest located points that fit the size budget (see the module doc).

    ``points`` needs columns lat, lon, title, date, description (description may be missing).
    """
    missing = [c for c in ("lat", "lon", "title", "date") if c not in points.columns]
    if missing:
        raise ValueError(f"points lack column(s) {', '.join(missing)}")
    lat = pd.to_numeric(points["lat"], errors="coerce").astype("Float64")
    lon = pd.to_numeric(points["lon"], errors="coerce").astype("Float64")
    lat_a = lat.to_numpy(dtype=float, na_value=np.nan)
    lon_a = lon.to_numpy(dtype=float, na_value=np.nan)
    usable = (
        np.isfinite(lat_a) & np.isfinite(lon_a) & (np.abs(lat_a) <= 90) & (np.abs(lon_a) <= 180)
    )
    located = points.loc[usable]
    lat_u, lon_u = lat_a[usable], lon_a[usable]
    dates = pd.to_datetime(located["date"], errors="coerce").reset_index(drop=True)
    order = dates.sort_values(ascending=False, na_position="last", kind="stable").index
    titles = located["title"].reset_index(drop=True)
    days = located["date"].reset_index(drop=True)
    descriptions = (
        located["description"].reset_index(drop=True)
        if "description" in located.columns
        else pd.Series("", index=titles.index)
    )
    rows: list[list[object]] = []
    size = 2  # the brackets of the array
    for position in order[:max_points]:
        row = [
            round(float(lat_u[position]), 5),
            round(float(lon_u[position]), 5),
            html.escape(_clip(titles.iloc[position], TITLE_CHARS)),
            html.escape(_day(days.iloc[position])),
            html.escape(_clip(descriptions.iloc[position], DESCRIPTION_CHARS)),
        ]
        row_size = len(json.dumps(row, ensure_ascii=False).encode("utf-8")) + 1
        if size + row_size > budget_bytes:
            break
        rows.append(row)
        size += row_size
    return PointSelection(
        rows=rows,
        total=len(points),
        not_drawn=int(usable.sum()) - len(rows),
        unlocated=int((~usable).sum()),
    )


class ClusteredPoints(JSCSSMixin, Layer):
    """A marker-cluster layer of :class:`PointSelection` rows, with popups and tooltips."""

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .ow-point { background: #08306b; border: 2px solid #ffffff; border-radius: 50%;
                    box-shadow: 0 0 2px rgba(0, 0, 0, 0.6); }
        .ow-cluster { background: rgba(8, 48, 107, 0.85); color: #ffffff; border-radius: 50%;
                      border: 2px solid #ffffff; display: flex; align-items: center;
                      justify-content: center; font: 600 12px/1 system-ui, sans-serif; }
        .ow-popup { font: 13px/1.35 system-ui, sans-serif; max-width: 300px; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.markerClusterGroup({
            showCoverageOnHover: false,
            maxClusterRadius: 40,
            chunkedLoading: true,
            iconCreateFunction: function (cluster) {
                var n = cluster.getChildCount();
                var size = n < 10 ? 26 : (n < 100 ? 32 : 40);
                return L.divIcon({html: String(n), className: "ow-cluster",
                                  iconSize: [size, size]});
            }
        });
        (function (group, rows) {
            // rows: [lat, lon, title, date, description], text already HTML-escaped.
            var icon = L.divIcon({className: "ow-point", iconSize: [12, 12]});
            var markers = [];
            for (var i = 0; i < rows.length; i++) {
                var r = rows[i];
                var marker = L.marker([r[0], r[1]], {icon: icon, keyboard: false});
                marker.bindPopup('<div class="ow-popup"><strong>' + r[2] + '</strong><br>' +
                                 r[3] + (r[4] ? '<br>' + r[4] : '') + '</div>');
                // Its own class tells a point's tooltip from the region tooltip under it.
                marker.bindTooltip(r[2] + ' (' + r[3] + ')', {className: "ow-point-tooltip"});
                markers.push(marker);
            }
            group.addLayers(markers);
        })({{ this.get_name() }}, {{ this.rows_json }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        selection: PointSelection,
        *,
        asset_base: str = assets.STATIC_URL_BASE,
        t: Translator = ENGLISH,
    ):
        super().__init__(name=html.escape(selection.caption(t)), overlay=True, control=True)
        self._name = "ClusteredPoints"
        self.selection = selection
        self.rows_json = script_safe_json(selection.rows)
        # Instance lists: never mutate JSCSSMixin's class-level defaults.
        self.default_js = [
            ("leaflet_markercluster", assets.asset_url(assets.MARKERCLUSTER_JS, asset_base))
        ]
        self.default_css = [
            ("leaflet_markercluster_css", assets.asset_url(assets.MARKERCLUSTER_CSS, asset_base))
        ]
