"""A map as one standalone HTML file, with its legend drawn in HTML/CSS (no d3).

``offline=True`` inlines Leaflet (and Leaflet.markercluster when used) with its images as
``data:`` URIs, so the file opens with no network at all; ``offline=False`` loads the same
versions from unpkg with subresource integrity. The map must load only assets of
:mod:`oblastwatch.present.maps.assets` (as :func:`oblastwatch.present.maps.choropleth.choropleth_map` does);
any other external script or stylesheet is an error rather than a silent network dependency.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Sequence

import folium

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps import assets
from oblastwatch.present.maps.legend import NO_DATA, NO_REPORTS, LegendEntry, is_hex_colour

_SCRIPT_TAG = re.compile(r'<script\s+src="([^"]*)"\s*>\s*</script>', re.IGNORECASE)
_LINK_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]*)"\s*/?>', re.IGNORECASE)
_EXTERNAL_REFERENCE = re.compile(r"<(?:script|link)\b[^>]*\b(?:src|href)\s*=", re.IGNORECASE)
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_ST_FOLIUM_MAP_ID = "div"  # streamlit_folium.generate_leaflet_string's base_id for the map
_CSS_IMAGE = re.compile(r"url\((['\"]?)(images/[\w.-]+\.png)\1\)")

LEGEND_CSS = """
.ow-legend { position: absolute; right: 10px; bottom: 28px; z-index: 1000;
  background: rgba(255, 255, 255, 0.92); padding: 8px 10px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font: 12px/1.4 system-ui, sans-serif; }
.ow-legend-title { font-weight: 600; margin-bottom: 4px; }
.ow-legend ul { list-style: none; margin: 0; padding: 0; }
.ow-legend li { display: flex; align-items: center; gap: 6px; }
.ow-swatch { display: inline-block; width: 14px; height: 14px; border: 1px solid #555; }
.ow-swatch.ow-no-reports { border: 1px dashed #555; }
.ow-swatch.ow-no-data { border: 1px dotted #555; }
.ow-legend-note { max-width: 22em; color: #444; margin-bottom: 4px; }
.ow-legend details { max-width: 22em; margin-top: 4px; }
.ow-legend summary { cursor: pointer; }
.ow-legend details ul { list-style: disc; padding-left: 1.2em; }
"""


def legend_html(
    legend: Sequence[LegendEntry],
    title: str | None = None,
    *,
    note: str | None = None,
    caveats: Sequence[str] = (),
    t: Translator = ENGLISH,
) -> str:
    """The legend as an HTML block (labels, title, note and caveats escaped, colours checked).

    ``note`` is a line under the title (for a rate: its denominator and date); ``caveats``
    are listed in a collapsed "About these rates" block, one click away.

    >>> "&lt;b&gt;" in legend_html([LegendEntry("0", "#ffffff", "zero")], "<b>")
    True
    """
    rows = []
    for entry in legend:
        if not is_hex_colour(entry.colour):
            raise ValueError(f"legend colour must look like #a1b2c3, got {entry.colour!r}")
        extra = {NO_REPORTS: " ow-no-reports", NO_DATA: " ow-no-data"}.get(entry.kind, "")
        rows.append(
            f'<li><span class="ow-swatch{extra}" style="background:{entry.colour}"></span>'
            f"{html.escape(entry.label)}</li>"
        )
    heading = f'<div class="ow-legend-title">{html.escape(title)}</div>' if title else ""
    if note:
        heading += f'<div class="ow-legend-note">{html.escape(note)}</div>'
    about = ""
    if caveats:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in caveats)
        summary = html.escape(t.gettext("About these rates"))
        about = f"<details><summary>{summary}</summary><ul>{items}</ul></details>"
    label = html.escape(t.gettext("Legend"), quote=True)
    return (
        f'<div class="ow-legend" role="group" aria-label="{label}">{heading}'
        f"<ul>{''.join(rows)}</ul>{about}</div>"
    )


def _inline_css(name: str) -> str:
    css = assets.read_asset(name).decode("utf-8")
    if name == assets.LEAFLET_CSS:
        files = assets.static_files()

        def data_uri(match: re.Match[str]) -> str:
            image = files[f"leaflet/{match.group(2)}"].read_bytes()
            return f"url(data:image/png;base64,{base64.b64encode(image).decode('ascii')})"

        css = _CSS_IMAGE.sub(data_uri, css)
    return css.replace("</style", "<\\/style")


def _inline_js(name: str) -> str:
    script = _SOURCE_MAP.sub("", assets.read_asset(name).decode("utf-8"))
    # "</script" cannot occur in valid code outside strings and comments; escaping it keeps
    # the inline block intact either way.
    return script.replace("</script", "<\\/script")


def _asset(url: str) -> str:
    name = assets.asset_name(url)
    if name is None:
        raise ValueError(f"the map loads {url}, which the export cannot serve offline")
    return name


def _replace_assets(document: str, *, offline: bool) -> str:
    def script(match: re.Match[str]) -> str:
        name = _asset(match.group(1))
        if offline:
            return f"<script>{_inline_js(name)}</script>"
        return (
            f'<script src="{assets.CDN_URLS[name]}" integrity="{assets.sri_hash(name)}" '
            'crossorigin=""></script>'
        )

    def stylesheet(match: re.Match[str]) -> str:
        name = _asset(match.group(1))
        if offline:
            return f"<style>{_inline_css(name)}</style>"
        return (
            f'<link rel="stylesheet" href="{assets.CDN_URLS[name]}" '
            f'integrity="{assets.sri_hash(name)}" crossorigin=""/>'
        )

    head_end = document.index("</head>")
    head = _LINK_TAG.sub(stylesheet, _SCRIPT_TAG.sub(script, document[:head_end]))
    body = document[head_end:]
    if _EXTERNAL_REFERENCE.search(body) or (offline and _EXTERNAL_REFERENCE.search(head)):
        raise ValueError("the map references an external script or stylesheet")
    return head + body


def standalone_map_html(
    m: folium.Map,
    *,
    offline: bool,
    legend: Sequence[LegendEntry] | None = None,
    legend_title: str | None = None,
    legend_note: str | None = None,
    caveats: Sequence[str] = (),
    title: str = "oblastwatch map",
    t: Translator = ENGLISH,
) -> str:
    """``m`` as a complete HTML document with the legend drawn over the map.

    ``offline=True``: no ``http(s)://`` script or stylesheet at all. ``offline=False``: Leaflet
    from unpkg (same version, integrity-checked). ``legend_note`` and ``caveats`` go into the
    legend (:func:`legend_html`). Raises ``ValueError`` when the map loads an
    asset that is not one of ours, or when ``m`` has been drawn by ``st_folium``.

    ``st_folium`` renames the map's elements in place (and adds its ``feature_group_to_add``),
    after which rendering ``m`` again would add every layer twice: build a fresh map for the
    export (``choropleth_map`` is cheap; the outlines are cached).
    """
    if m._id == _ST_FOLIUM_MAP_ID:
        raise ValueError("this map was drawn by st_folium; build a fresh map for the export")
    document = m.get_root().render()
    document = _replace_assets(document, offline=offline)
    head = f'<meta charset="utf-8">\n<title>{html.escape(title)}</title>\n'
    if legend:
        head += f"<style>{LEGEND_CSS}</style>\n"
    document = document.replace("<html>", f'<html lang="{t.language}">', 1)
    document = document.replace("<head>", "<head>\n" + head, 1)
    if legend:
        at = document.rindex("</body>")
        block = legend_html(legend, legend_title, note=legend_note, caveats=caveats, t=t)
        document = document[:at] + block + "\n" + document[at:]
    return document
