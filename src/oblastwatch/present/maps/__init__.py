"""Folium map builders, local Leaflet assets and the standalone HTML export (no Streamlit)."""

from oblastwatch.present.maps.choropleth import (
    choropleth_layers,
    choropleth_map,
    highlight_layer,
    leaflet_only,
    region_base_map,
)
from oblastwatch.present.maps.export import standalone_map_html
from oblastwatch.present.maps.layers import BOUNDARIES_ATTRIBUTION
from oblastwatch.present.maps.legend import LegendEntry, classify, legend_bins, value_text
from oblastwatch.present.maps.points import PointSelection, select_points

__all__ = [
    "BOUNDARIES_ATTRIBUTION",
    "LegendEntry",
    "PointSelection",
    "choropleth_layers",
    "choropleth_map",
    "classify",
    "highlight_layer",
    "leaflet_only",
    "legend_bins",
    "region_base_map",
    "select_points",
    "standalone_map_html",
    "value_text",
]
