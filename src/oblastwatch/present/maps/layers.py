"""Folium elements of the choropleth: the region layer and the selected-region overlay.

The region layer is a small custom element rather than ``folium.GeoJson``: the outlines are a
cached, pre-serialised string (:mod:`oblastwatch.present.maps.geometry`), drawn uncoloured, and
:class:`RegionColours` applies a 27-entry table of styles and tooltips to them, the only part
built per call. Each feature keeps the properties ``code``, ``name_en``, ``name_uk`` and gets
``value_text``, so ``st_folium``'s ``last_active_drawing`` returns them. Tooltips are HTML
built here with every string escaped.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import folium
from branca.element import MacroElement
from folium.elements import JSCSSMixin
from folium.map import Layer
from jinja2 import Template

from oblastwatch.present.maps.geometry import RegionShapes, script_safe_json

BOUNDARIES_ATTRIBUTION = "Boundaries: Natural Earth"

REGION_STYLE = {"color": "#555555", "weight": 0.8, "opacity": 1.0, "fillOpacity": 0.85}
NO_REPORTS_STYLE = {"dashArray": "4 3", "color": "#7a7a7a", "fillOpacity": 0.6}
NO_DATA_STYLE = {"dashArray": "1 3", "color": "#7a7a7a", "fillOpacity": 0.6}
HOVER_STYLE = {"weight": 2.5, "color": "#222222"}
SELECTED_STYLE = {"color": "#08306b", "weight": 3.5, "opacity": 1.0, "fill": False}


def region_tooltip(
    name_en: str,
    name_uk: str,
    metric_label: str,
    value_text: str,
    detail: str | None = None,
    *,
    language: str = "en",
) -> str:
    """Tooltip HTML of one region; every part escaped.

    ``detail`` is a further line (for a rate: the count and the figure it is divided by).
    The name in the reader's ``language`` comes first, the other under it.

    >>> region_tooltip("Kyiv", "Київ", "Waves <b>", "3 waves")
    '<div class="ow-tt"><strong>Kyiv</strong><br><span lang="uk">Київ</span><br>Waves &lt;b&gt;: 3 waves</div>'
    """
    extra = f'<br><span class="ow-tt-detail">{html.escape(detail)}</span>' if detail else ""
    names = [(name_en, "en"), (name_uk, "uk")]
    if language == "uk":
        names.reverse()
    (first, first_lang), (second, second_lang) = names
    lang = f' lang="{first_lang}"' if first_lang == "uk" else ""
    return (
        f'<div class="ow-tt"><strong{lang}>{html.escape(first)}</strong><br>'
        f'<span lang="{second_lang}">{html.escape(second)}</span><br>'
        f"{html.escape(metric_label)}: {html.escape(value_text)}{extra}</div>"
    )


class RegionsLayer(JSCSSMixin, Layer):
    """The region outlines, with a hover outline; coloured by :class:`RegionColours`.

    The outlines are the same for every filter, so a map holding only them has the same
    script whatever is shown: ``st_folium`` keeps such a map mounted and only swaps the
    colours in (a new script remounts its iframe, which cost a reader's browser about a second
    of CPU per change under load: docs/performance.md). The layer is registered on its map as
    ``owRegions``; ``owShow(table)`` applies a table of styles, tooltips and value texts.

    With ``outlines_url`` the outlines come from that script (``window.owOutlines``,
    :func:`oblastwatch.present.maps.assets.outlines_script`), loaded before the map's script
    runs, instead of sitting in the map's script: ``st_folium`` sends the script on every
    rerun, a page loads the file once. Without it (exported maps) they are inline.
    """

    _template = Template(
        """
        {% macro header(this, kwargs) %}
        <style>
        .ow-tt { font: 13px/1.35 system-ui, sans-serif; }
        .ow-tt-detail { color: #555555; font-size: 12px; }
        .leaflet-container { background: #f4f6f8; }
        .leaflet-container path.leaflet-interactive:focus:not(:focus-visible) { outline: none; }
        </style>
        {% endmacro %}
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson({{ this.outlines_js }}, {
            attribution: {{ this.attribution_json }},
            style: function (feature) {
                // Called while L.geoJson builds, before the variable holds the layer.
                var table = ({{ this.get_name() }} || {}).owTable;
                return table ? table[feature.properties.code].style : {{ this.outline_json }};
            },
            onEachFeature: function (feature, layer) {
                layer.bindTooltip("", {sticky: true});
                layer.on({
                    mouseover: function (e) { e.target.setStyle({{ this.hover_json }}); },
                    mouseout: function (e) { {{ this.get_name() }}.resetStyle(e.target); }
                });
            }
        });
        {{ this.get_name() }}.owShow = function (table) {
            var regions = {{ this.get_name() }};
            regions.owTable = table;
            regions.eachLayer(function (layer) {
                var region = table[layer.feature.properties.code];
                layer.feature.properties.value_text = region.value_text;
                layer.setTooltipContent(region.tooltip);
                regions.resetStyle(layer);
            });
        };
        {{ this._parent.get_name() }}.owRegions = {{ this.get_name() }};
        {% endmacro %}
        """
    )

    def __init__(
        self,
        shapes: RegionShapes,
        *,
        name: str = "Regions",
        attribution: str = BOUNDARIES_ATTRIBUTION,
        outlines_url: str | None = None,
    ):
        super().__init__(name=name, overlay=True, control=False, show=True)
        self._name = "RegionsLayer"
        self.shapes = shapes
        self.default_js = [("ow_outlines", outlines_url)] if outlines_url else []
        self.outlines_js = "window.owOutlines" if outlines_url else shapes.feature_collection
        self.attribution_json = script_safe_json(html.escape(attribution))
        self.hover_json = script_safe_json(HOVER_STYLE)
        self.outline_json = script_safe_json({**REGION_STYLE, **NO_DATA_STYLE, "fillOpacity": 0})


class RegionColours(MacroElement):
    """Each region's style, tooltip and value text, applied to its map's :class:`RegionsLayer`.

    Placed in a ``FeatureGroup`` on the map (``st_folium``'s ``feature_group_to_add``, or the
    group added to an exported map) or on the map itself; either way it runs after the
    outlines exist.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        // st_folium removes its earlier groups from the map before it runs new ones, but
        // keeps them in this list: without forgetting them a long session would hold every
        // earlier colour table and points layer. (Absent outside st_folium.)
        if (window.feature_group) { window.feature_group.length = 0; }
        {{ this.map_name() }}.owRegions.owShow({{ this.regions_json }});
        {% endmacro %}
        """
    )

    def __init__(self, shapes: RegionShapes, regions: Mapping[str, Mapping[str, Any]]):
        super().__init__()
        self._name = "RegionColours"
        missing = set(shapes.codes) - set(regions)
        if missing:
            raise ValueError(f"no style for region(s) {', '.join(sorted(missing))}")
        self.regions = {code: dict(regions[code]) for code in shapes.codes}
        self.regions_json = script_safe_json(self.regions)

    def map_name(self) -> str:
        """The script name of the map this element is on, through any groups between."""
        element = self._parent
        while not isinstance(element, folium.Map):
            if element is None:
                raise ValueError("RegionColours must be on a map, or in a group on one")
            element = element._parent
        return element.get_name()


class FocusWithoutScroll(MacroElement):
    """Let a click focus the map without scrolling the page that holds it.

    Leaflet's keyboard handler calls ``container.focus()`` on every mousedown on the map; a
    plain ``focus()`` scrolls each ancestor document until the container is in view. Inside
    ``st_folium``'s iframe, when the map is partly scrolled out of view, that scrolls the
    Streamlit page between mousedown and mouseup: the mouseup lands on another element, the
    browser sends no click, and the click is lost (no marker popup, no region selected).
    This replaces the handler with ``focus({preventScroll: true})``; keyboard panning and
    zooming work as before.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (map) {
            var keyboard = map.keyboard;
            if (!keyboard) { return; }
            // Unbind the original listener first: disable() looks it up by reference.
            var enabled = keyboard.enabled();
            if (enabled) { keyboard.disable(); }
            keyboard._onMouseDown = function () {
                if (this._focused) { return; }
                this._map._container.focus({preventScroll: true});
            };
            if (enabled) { keyboard.enable(); }
        })({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "FocusWithoutScroll"


def selected_outline(selected: str, shapes: RegionShapes) -> folium.FeatureGroup:
    """A non-interactive outline of region ``selected`` in a ``FeatureGroup``.

    Clicks and hovers pass through to the region below.
    """
    if selected not in shapes.geometries:
        raise ValueError(f"unknown region code {selected!r}")
    name_en, name_uk = shapes.names[selected]
    feature = {
        "type": "Feature",
        "properties": {"code": selected, "name_en": name_en, "name_uk": name_uk},
        "geometry": shapes.geometries[selected],
    }
    group = folium.FeatureGroup(name="Selected region", control=False)
    folium.GeoJson(
        feature,
        style_function=lambda _feature: dict(SELECTED_STYLE),
        interactive=False,
        control=False,
    ).add_to(group)
    return group
