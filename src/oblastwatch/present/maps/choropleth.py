"""The region choropleth: a pure function from values to a ``folium.Map``.

The map loads nothing but Leaflet (and Leaflet.markercluster when points are drawn) from the
app's own static files: folium's default jQuery, Bootstrap and awesome-markers CDN links are
dropped, and there is no branca colormap (``st_folium`` would add d3 from a CDN for it). The
legend is returned separately by :func:`oblastwatch.present.maps.legend.legend_bins`. Tiles are off by
default (plain background); a tile URL can be given.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import folium
import pandas as pd

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps import assets
from oblastwatch.present.maps.geometry import RegionShapes, region_shapes
from oblastwatch.present.maps.layers import (
    NO_DATA_STYLE,
    NO_REPORTS_STYLE,
    REGION_STYLE,
    FocusWithoutScroll,
    RegionColours,
    RegionsLayer,
    region_tooltip,
    selected_outline,
)
from oblastwatch.present.maps.legend import (
    NO_DATA_COLOUR,
    Classification,
    classify,
    value_text,
)
from oblastwatch.present.maps.points import ClusteredPoints, select_points

if TYPE_CHECKING:  # geopandas is imported only where shapes are built (maps.geometry)
    import geopandas as gpd

_TILE_PLACEHOLDERS = re.compile(r"\{[zxy]\}")
MIN_ZOOM = 4
MAX_ZOOM = 13


def leaflet_only(m: folium.Map, asset_base: str = assets.STATIC_URL_BASE) -> folium.Map:
    """Make ``m`` load only the local Leaflet (no jQuery, Bootstrap, awesome-markers, CDN)."""
    m.default_js = [("leaflet", assets.asset_url(assets.LEAFLET_JS, asset_base))]
    m.default_css = [("leaflet_css", assets.asset_url(assets.LEAFLET_CSS, asset_base))]
    return m


def _checked_values(values: pd.Series, shapes: RegionShapes) -> pd.Series:
    if not isinstance(values, pd.Series):
        raise TypeError(f"values must be a pandas Series indexed by region code, got {values!r}")
    if values.index.has_duplicates:
        raise ValueError(f"values: region {values.index[values.index.duplicated()][0]} repeats")
    unknown = [code for code in values.index if code not in shapes.geometries]
    if unknown:
        raise ValueError(f"values: unknown region code {unknown[0]!r}")
    numbers = pd.to_numeric(values, errors="raise").astype("Float64")
    return numbers.reindex(list(shapes.codes))


def _checked_tiles(tiles_url: str) -> str:
    parts = urlsplit(tiles_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"tile URL must start with http:// or https://, got {tiles_url!r}")
    if len(set(_TILE_PLACEHOLDERS.findall(tiles_url))) != 3:
        raise ValueError(f"tile URL needs {{z}}, {{x}} and {{y}}, got {tiles_url!r}")
    return parts.netloc


def region_styles(
    values: pd.Series,
    shapes: RegionShapes,
    classification: Classification,
    *,
    metric_label: str,
    unit: str,
    no_data: Collection[str] = (),
    details: Mapping[str, str] | None = None,
    missing_text: str | None = None,
    t: Translator = ENGLISH,
) -> dict[str, dict[str, object]]:
    """Per region: Leaflet ``style``, escaped ``tooltip`` HTML and plain ``value_text``.

    Regions in ``no_data`` (reports, but no figure to divide by) read "no data" in their own
    grey; ``details`` adds a line to a region's tooltip; ``missing_text`` replaces "no reports"
    (alert hours: no data). Texts are in ``t``'s language.
    """
    table: dict[str, dict[str, object]] = {}
    for code in shapes.codes:
        value = values.get(code)
        missing = value is None or pd.isna(value)
        style = dict(REGION_STYLE, fillColor=classification.colour(None if missing else value))
        if code in no_data:
            style.update(NO_DATA_STYLE, fillColor=NO_DATA_COLOUR)
            text = t.gettext("no data")
        else:
            if missing:
                style.update(NO_REPORTS_STYLE)
            text = value_text(None if missing else float(value), unit, t, missing=missing_text)
        name_en, name_uk = shapes.names[code]
        detail = (details or {}).get(code)
        table[code] = {
            "style": style,
            "tooltip": region_tooltip(
                name_en, name_uk, metric_label, text, detail, language=t.language
            ),
            "value_text": text,
        }
    return table


def region_base_map(
    boundaries: gpd.GeoDataFrame | RegionShapes,
    *,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    asset_base: str = assets.STATIC_URL_BASE,
    outlines_url: str | None = None,
    t: Translator = ENGLISH,
) -> folium.Map:
    """The map without its data: background or tiles, and the region outlines uncoloured.

    Its script is the same for every filter and metric, so ``st_folium`` keeps it mounted
    and takes what changes from :func:`choropleth_layers` (``feature_group_to_add``). With
    ``outlines_url`` the outlines are loaded from that script (the app serves it:
    :func:`oblastwatch.present.maps.assets.install_outlines`); without it they are in the map's
    own script, as a standalone file needs them. Raises ``ValueError`` for a tile URL that is
    not http(s) with ``{z}``, ``{x}`` and ``{y}``.
    """
    shapes = _shapes(boundaries)
    south, west, north, east = shapes.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=6,
        tiles=None,
        zoom_snap=0.25,
    )
    # Map-level zoom limits (folium passes min_zoom/max_zoom to tiles only); markercluster
    # needs the map's maxZoom.
    m.options.update(min_zoom=MIN_ZOOM, max_zoom=MAX_ZOOM)
    leaflet_only(m, asset_base)
    FocusWithoutScroll().add_to(m)  # clicks inside st_folium's iframe must not scroll the page
    if tiles_url:
        host = _checked_tiles(tiles_url)
        folium.TileLayer(
            tiles=tiles_url,
            attr=html.escape(tiles_attribution or t.gettext("Tiles: {host}").format(host=host)),
            name="Tiles",
            control=False,
            max_zoom=MAX_ZOOM,
        ).add_to(m)
    RegionsLayer(
        shapes, attribution=t.gettext("Boundaries: Natural Earth"), outlines_url=outlines_url
    ).add_to(m)
    m.fit_bounds([[south, west], [north, east]])
    return m


def choropleth_layers(
    values: pd.Series,
    boundaries: gpd.GeoDataFrame | RegionShapes,
    *,
    metric_label: str,
    unit: str,
    bins: Sequence[float] | None = None,
    asset_base: str = assets.STATIC_URL_BASE,
    points: pd.DataFrame | None = None,
    no_data: Collection[str] = (),
    details: Mapping[str, str] | None = None,
    missing_text: str | None = None,
    t: Translator = ENGLISH,
) -> list[folium.FeatureGroup]:
    """What :func:`region_base_map` shows of ``values``: the regions' colours, then the points.

    The parameters are :func:`choropleth_map`'s. The points group is listed in a layer
    control under a name saying how many are shown.
    """
    shapes = _shapes(boundaries)
    numbers = _checked_values(values, shapes)
    table = region_styles(
        numbers,
        shapes,
        classify(numbers, bins),
        metric_label=metric_label,
        unit=unit,
        no_data=no_data,
        missing_text=missing_text,
        details=details,
        t=t,
    )
    colours = folium.FeatureGroup(name="Region colours", control=False)
    RegionColours(shapes, table).add_to(colours)
    layers = [colours]
    if points is not None:
        selection = select_points(points)
        group = folium.FeatureGroup(name=html.escape(selection.caption(t)), control=True)
        ClusteredPoints(selection, asset_base=asset_base, t=t).add_to(group)
        layers.append(group)
    return layers


def choropleth_map(
    values: pd.Series,
    boundaries: gpd.GeoDataFrame | RegionShapes,
    *,
    metric_label: str,
    unit: str,
    bins: Sequence[float] | None = None,
    selected: str | None = None,
    tiles_url: str | None = None,
    tiles_attribution: str | None = None,
    asset_base: str = assets.STATIC_URL_BASE,
    points: pd.DataFrame | None = None,
    no_data: Collection[str] = (),
    details: Mapping[str, str] | None = None,
    missing_text: str | None = None,
    t: Translator = ENGLISH,
) -> folium.Map:
    """A map of ``values`` over ``boundaries``, whole (for a file or a page of its own).

    ``values`` is indexed by region code (NaN or absent = no reports); ``boundaries`` is a
    boundaries table, or the :class:`RegionShapes` built from one.

    ``metric_label`` and ``unit`` go into the tooltips (escaped). ``bins`` are the upper edges
    of the colour classes (:func:`oblastwatch.present.maps.legend.classify`). ``selected`` draws a
    non-interactive outline of that region. ``asset_base`` is the URL prefix of
    the static files (:func:`oblastwatch.present.maps.assets.static_base_url`). ``points`` (lat, lon,
    title, date, description) adds a clustered layer of the newest located events that fit the
    size cap; its name in the layer control says how many are shown. ``no_data``,
    ``missing_text`` and ``details`` are passed to :func:`region_styles` (for rates: regions without a figure,
    and each region's count and figure). ``t`` gives the tooltips' and layers' language.

    In Streamlit draw :func:`region_base_map` with :func:`choropleth_layers` and
    :func:`highlight_layer` as ``st_folium``'s ``feature_group_to_add`` instead: a change of
    data then recolours the mounted map rather than remounting it.
    """
    shapes = _shapes(boundaries)
    layers = choropleth_layers(
        values,
        shapes,
        metric_label=metric_label,
        unit=unit,
        bins=bins,
        asset_base=asset_base,
        points=points,
        no_data=no_data,
        details=details,
        missing_text=missing_text,
        t=t,
    )
    m = region_base_map(
        shapes, tiles_url=tiles_url, tiles_attribution=tiles_attribution, asset_base=asset_base, t=t
    )
    for layer in layers:
        layer.add_to(m)
    if selected is not None:
        selected_outline(selected, shapes).add_to(m)
    if points is not None:
        folium.LayerControl(collapsed=False).add_to(m)
    return m


def highlight_layer(
    selected: str, boundaries: gpd.GeoDataFrame | RegionShapes
) -> folium.FeatureGroup:
    """A non-interactive outline of region ``selected``, for ``st_folium``.

    Used as::

        st_folium(m, key="map", feature_group_to_add=highlight_layer(code, boundaries), ...)

    Drawing the selection this way leaves the map's own script unchanged, so ``st_folium``
    does not remount the map (and lose the click) when the selection changes. Raises
    ``ValueError`` for an unknown code.
    """
    return selected_outline(selected, _shapes(boundaries))


def _shapes(boundaries: gpd.GeoDataFrame | RegionShapes) -> RegionShapes:
    return boundaries if isinstance(boundaries, RegionShapes) else region_shapes(boundaries)
