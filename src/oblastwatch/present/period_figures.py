"""Plotly builders of the Compare periods page (no Streamlit).

The difference between two periods per region, as bars and as a map.

Inputs are :func:`oblastwatch.query.periods.period_comparison` tables. Text from the data
goes through :func:`~oblastwatch.present.plot_text.plot_text`; a region without reports in
either period has no difference, never a zero one.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps.legend import format_number
from oblastwatch.present.plot_locale import localise
from oblastwatch.present.plot_text import plot_text

DIFF_COLORS = ("#2166ac", "#b2182b")  # fewer in period B, more in period B
DIFF_SCALE = "RdBu_r"  # blue below zero, white at zero, red above
NO_REPORTS_FILL = "#bdbdbd"


def difference_figure(
    comparison: pd.DataFrame, *, unit: str, labels: tuple[str, str], t: Translator = ENGLISH
) -> go.Figure:
    """Horizontal bars of ``period B - period A`` per region (from :func:`period_comparison`).

    Diverging colours: red where B is higher, blue where it is lower. Regions without reports
    in either period are listed on the axis with no bar and "no reports" in the hover.
    """
    frame = comparison.sort_values("difference", na_position="first", kind="stable")
    diff = frame["difference"].to_numpy(dtype=np.float64)
    colors = [DIFF_COLORS[1] if d > 0 else DIFF_COLORS[0] for d in np.nan_to_num(diff)]
    a_text, b_text = plot_text(labels[0]), plot_text(labels[1])
    none_text = t.gettext("no reports in one of the periods")
    difference_text = t.gettext("difference")
    hover = []
    for row in frame.itertuples(index=False):
        if math.isnan(row.difference):
            hover.append(f"{plot_text(row.region)}: {none_text}")
        else:
            hover.append(
                f"{plot_text(row.region)}<br>{a_text}: {format_number(row.period_a, t)}<br>"
                f"{b_text}: {format_number(row.period_b, t)}<br>"
                f"{difference_text}: {_signed(row.difference, t)}"
            )
    fig = go.Figure(
        go.Bar(
            x=diff,
            y=[plot_text(r) for r in frame["region"]],
            orientation="h",
            marker={"color": colors},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": "#444", "width": 1})
    minus = t.gettext("{b} minus {a}").format(b=b_text, a=a_text)
    fig.update_layout(
        height=640,
        margin={"l": 150, "r": 20, "t": 30, "b": 40},
        xaxis={"title": {"text": f"{minus} ({plot_text(unit)})"}, "zeroline": True},
        yaxis={"automargin": True},
    )
    return localise(fig, t)


def _signed(value: float, t: Translator) -> str:
    """A rounded difference with its sign: ``+1,234``, ``-3``, ``0``."""
    rounded = round(float(value))
    sign = "+" if rounded > 0 else "-" if rounded < 0 else ""
    return sign + format_number(abs(rounded), t)


def _diverging_colour(value: float, limit: float) -> str:
    if math.isnan(value):
        return NO_REPORTS_FILL
    if limit <= 0:
        return sample_colorscale(DIFF_SCALE, [0.5])[0]
    share = 0.5 + 0.5 * max(-1.0, min(1.0, value / limit))
    return sample_colorscale(DIFF_SCALE, [share])[0]


def _rings(geometry: Any) -> list[np.ndarray]:
    """Exterior rings of a (multi)polygon as (n, 2) lon/lat arrays.

    Holes are drawn over by the region inside them, which comes later in drawing order.
    """
    parts = getattr(geometry, "geoms", [geometry])
    return [np.asarray(part.exterior.coords) for part in parts if not part.is_empty]


def difference_map_figure(
    comparison: pd.DataFrame,
    boundaries: Any,
    *,
    unit: str,
    labels: tuple[str, str],
    tolerance: float = 0.01,
    t: Translator = ENGLISH,
) -> go.Figure:
    """A difference choropleth drawn with Plotly.

    Each region is filled by ``period B - period A`` on a diverging scale (red: more in B,
    blue: fewer, white: no change), grey with a dashed outline where either period has no
    reports.

    ``comparison`` from :func:`period_comparison`; ``boundaries`` the GeoDataFrame of
    :func:`oblastwatch.domain.geo.load_boundaries` (columns code, name_en, geometry; EPSG:4326),
    simplified by ``tolerance`` degrees for drawing. Plain x/y axes (longitude, latitude)
    instead of a geo subplot: nothing is fetched from the network.
    """
    by_code = comparison.set_index("region_code")
    finite = by_code["difference"].to_numpy(dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    limit = float(np.abs(finite).max()) if finite.size else 0.0
    a_text, b_text = plot_text(labels[0]), plot_text(labels[1])
    unit_text = plot_text(unit)
    shapes = boundaries[["code", "geometry"]].copy()
    shapes["area"] = [g.area for g in shapes.geometry]  # ordering only: degrees² will do
    # Larger regions first: a region inside another's hole (Kyiv city) is drawn over it.
    shapes = shapes.sort_values("area", ascending=False, kind="stable")
    fig = go.Figure()
    for code, geometry in zip(shapes["code"], shapes.geometry.simplify(tolerance), strict=True):
        if code not in by_code.index:
            continue
        row = by_code.loc[code]
        diff = float(row["difference"])
        name = plot_text(row["region"])
        if math.isnan(diff):
            hover = f"<b>{name}</b><br>{t.gettext('no reports in one of the periods')}"
        else:
            hover = (
                f"<b>{name}</b><br>{a_text}: {format_number(row['period_a'], t)} {unit_text}<br>"
                f"{b_text}: {format_number(row['period_b'], t)} {unit_text}<br>"
                f"{t.gettext('difference')}: {_signed(diff, t)}"
            )
        line = (
            {"color": "#7a7a7a", "width": 1, "dash": "dash"}
            if math.isnan(diff)
            else {"color": "#555555", "width": 0.8}
        )
        for ring in _rings(geometry):
            fig.add_trace(
                go.Scatter(
                    x=ring[:, 0],
                    y=ring[:, 1],
                    mode="lines",
                    fill="toself",
                    fillcolor=_diverging_colour(diff, limit),
                    line=line,
                    hoveron="fills",
                    text=hover,
                    hoverinfo="text",
                    name=str(code),
                    showlegend=False,
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker={
                "color": [0.0],
                "colorscale": DIFF_SCALE,
                "cmin": -limit if limit else -1,
                "cmax": limit if limit else 1,
                "showscale": True,
                "colorbar": {"title": {"text": f"B − A<br>({unit_text})"}, "thickness": 14},
            },
            hoverinfo="skip",
            showlegend=False,
        )
    )
    fig.update_layout(
        height=560,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        plot_bgcolor="white",
        hovermode="closest",
        title={
            "text": t.gettext("{b} minus {a}").format(b=b_text, a=a_text),
            "font": {"size": 13},
        },
        xaxis={"visible": False},
        # One degree of latitude is about 1.5 degrees of longitude at 48.5° N.
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.5},
    )
    fig.layout.meta = {"limit": limit}
    return localise(fig, t)
