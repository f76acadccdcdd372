"""Plotly builders and display tables for the talks-vs-attacks event study (no Streamlit).

Inputs are the outputs of :mod:`oblastwatch.study.analysis`: the per-event table of
:func:`~oblastwatch.study.analysis.talks_effect` (one row per event or cluster), the aligned matrix of
:func:`~oblastwatch.study.analysis.event_time_matrix` (rows: ``event_ids``, columns: day ``-N ... +N``
from the event's first day) and the profile of :func:`~oblastwatch.study.analysis.event_time_profile`.

Every builder returns a fresh object. Titles, venues and other text from the data go through
:func:`html.escape` before they reach a hover, label or subplot title: Plotly renders a subset
of HTML there, so ``<img src=x onerror=...>`` in a title must arrive as text.

Days without data are NaN and stay gaps in every line: a missing day is never drawn as zero.
"""

from __future__ import annotations

import html
import math
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale
from plotly.subplots import make_subplots

from oblastwatch.domain.regions import REGION_CODES, REGIONS_BY_CODE

METRIC_LABELS: dict[str, str] = {
    "drones_launched": "Drones launched per day",
    "missiles_launched": "Missiles launched per day",
    "waves": "Attack waves per day",
    "regions_hit": "Regions hit per day",
}
WINDOW_NAMES = ("before", "during", "after")
EVENT_COLOR = "rgba(90, 90, 90, 0.22)"
MEAN_COLOR = "#1d4e89"
BAND_FILL = "rgba(29, 78, 137, 0.18)"
DURING_FILL = "rgba(217, 95, 2, 0.12)"
DIFF_COLORS = ("#2166ac", "#b2182b")  # fewer in period B, more in period B
DIFF_SCALE = "RdBu_r"  # blue below zero, white at zero, red above
NO_REPORTS_FILL = "#bdbdbd"
DEFAULT_MAX_PANELS = 24
TITLE_CHARS = 60

# Columns of :func:`effect_table`, in display order, with their headers.
EFFECT_TABLE_COLUMNS: dict[str, str] = {
    "first_day": "From",
    "last_day": "To",
    "title": "Event",
    "n_events": "Events",
    "venue": "Venue",
    "format": "Format",
    "parties": "Parties",
    "before_mean": "Before (mean/day)",
    "during_mean": "During (mean/day)",
    "after_mean": "After (mean/day)",
    "baseline_mean": "Baseline (mean/day)",
    "ratio_before": "Ratio before",
    "interval_before": "Interval before",
    "p_before": "p before",
    "ratio_during": "Ratio during",
    "interval_during": "Interval during",
    "p_during": "p during",
    "ratio_after": "Ratio after",
    "interval_after": "Interval after",
    "p_after": "p after",
    "n_days_missing": "Days without data",
    "event_ids": "Event ids",
}


# --- text ------------------------------------------------------------------------------------


def _text(value: Any, limit: int | None = None) -> str:
    """Data text made safe for Plotly labels (``""`` for missing values), cut to ``limit``.

    >>> _text("<b>Geneva</b> talks")
    '&lt;b&gt;Geneva&lt;/b&gt; talks'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    raw = " ".join(str(value).split())
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return html.escape(raw, quote=True)


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _span_label(first: date, last: date) -> str:
    return f"{first:%d %b %Y}" if first == last else f"{first:%d %b %Y} – {last:%d %b %Y}"


def metric_label(metric: str) -> str:
    """Axis title of an analysis metric (its column name when unknown).

    >>> metric_label("waves")
    'Attack waves per day'
    """
    return METRIC_LABELS.get(metric, metric)


def _unit_labels(units: pd.DataFrame | None) -> dict[str, str]:
    """event_ids -> escaped "title (day span)" for hovers."""
    if units is None or units.empty:
        return {}
    labels = {}
    for row in units.itertuples(index=False):
        span = _span_label(_day(row.start), _day(row.end))
        title = _text(row.title, TITLE_CHARS) or _text(row.event_ids, TITLE_CHARS)
        labels[str(row.event_ids)] = f"{title} ({span})"
    return labels


# --- the per-event table ---------------------------------------------------------------------


def _interval(low: float, high: float) -> str | None:
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return f"{low:.2f}–{high:.2f}"


def effect_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-event table of :func:`~oblastwatch.study.analysis.talks_effect` for display.

    One row per event or cluster, newest first, with the columns of
    :data:`EFFECT_TABLE_COLUMNS` (keys): ``first_day``/``last_day`` as dates, each window's
    interval as text ``"low–high"`` (``None`` when it is undefined). Values stay unformatted
    numbers otherwise, NaN where undefined; the text columns are plain text (``st.dataframe``
    never parses them as HTML).
    """
    out = pd.DataFrame(index=table.index)
    out["first_day"] = pd.to_datetime(table["start"]).dt.date
    out["last_day"] = pd.to_datetime(table["end"]).dt.date
    for column in ("title", "n_events", "venue", "format", "parties"):
        out[column] = table[column]
    out["parties"] = out["parties"].astype("string").str.replace(";", ", ", regex=False)
    for column in ("before_mean", "during_mean", "after_mean", "baseline_mean"):
        out[column] = table[column].astype("float64")
    for window in WINDOW_NAMES:
        out[f"ratio_{window}"] = table[f"ratio_{window}"].astype("float64")
        out[f"interval_{window}"] = pd.array(
            [
                _interval(lo, hi)
                for lo, hi in zip(
                    table[f"ci_low_{window}"].astype("float64"),
                    table[f"ci_high_{window}"].astype("float64"),
                    strict=True,
                )
            ],
            dtype="string",
        )
        out[f"p_{window}"] = table[f"p_{window}"].astype("float64")
    out["n_days_missing"] = table["n_days_missing"]
    out["event_ids"] = table["event_ids"]
    out = out.iloc[::-1]
    return out[list(EFFECT_TABLE_COLUMNS)].reset_index(drop=True)


POOLED_TABLE_COLUMNS: dict[str, str] = {
    "window": "Window",
    "n_units": "Events with a ratio",
    "mean_window": "Mean/day in window",
    "mean_baseline": "Mean/day baseline",
    "mean_ratio": "Mean ratio",
    "interval": "Interval",
    "p_value": "p-value",
}


def pooled_table(pooled: pd.DataFrame) -> pd.DataFrame:
    """The pooled summary of :func:`~oblastwatch.study.analysis.pooled_effect` for display: one row
    per window with the interval as text; columns :data:`POOLED_TABLE_COLUMNS` (keys)."""
    out = pooled[["window", "n_units", "mean_window", "mean_baseline", "mean_ratio"]].copy()
    out["interval"] = pd.array(
        [
            _interval(lo, hi)
            for lo, hi in zip(
                pooled["ci_low"].astype("float64"), pooled["ci_high"].astype("float64"), strict=True
            )
        ],
        dtype="string",
    )
    out["p_value"] = pooled["p_value"].astype("float64")
    return out[list(POOLED_TABLE_COLUMNS)].reset_index(drop=True)


def zoom_range(first_day: date, last_day: date, window: int) -> tuple[date, date]:
    """The days an event's study covers: ``window`` days before its first day to ``window``
    days after its last.

    >>> zoom_range(date(2026, 2, 26), date(2026, 2, 26), 7)
    (datetime.date(2026, 2, 19), datetime.date(2026, 3, 5))
    """
    return first_day - timedelta(days=window), last_day + timedelta(days=window)


# --- the aligned event-time chart ------------------------------------------------------------


def _days(matrix: pd.DataFrame) -> np.ndarray:
    return matrix.columns.to_numpy(dtype=np.int64)


def event_time_figure(
    matrix: pd.DataFrame,
    profile: pd.DataFrame,
    *,
    metric: str,
    units: pd.DataFrame | None = None,
    confidence: float = 0.95,
) -> go.Figure:
    """Day ``-N ... +N`` around each event's first day: every event as a faint line, the mean
    across events as a bold line inside its bootstrap band.

    ``matrix`` from :func:`~oblastwatch.study.analysis.event_time_matrix`, ``profile`` from
    :func:`~oblastwatch.study.analysis.event_time_profile` over the same matrix, ``units`` (the
    per-event table, for hover titles) optional. NaN days are gaps in the lines.
    """
    labels = _unit_labels(units)
    days = _days(matrix)
    fig = go.Figure()
    for n, (event_ids, values) in enumerate(matrix.iterrows()):
        label = labels.get(str(event_ids)) or _text(event_ids, TITLE_CHARS)
        fig.add_trace(
            go.Scatter(
                x=days,
                y=values.to_numpy(dtype=np.float64),
                mode="lines+markers",
                line={"color": EVENT_COLOR, "width": 1},
                marker={"color": EVENT_COLOR, "size": 4},
                name="Single events",
                legendgroup="events",
                showlegend=n == 0,
                text=[label] * len(days),
                hovertemplate="%{text}<br>day %{x:+d}: %{y:,.0f}<extra></extra>",
                connectgaps=False,
            )
        )
    band_low = profile["ci_low"].to_numpy(dtype=np.float64)
    band_high = profile["ci_high"].to_numpy(dtype=np.float64)
    profile_days = profile["day"].to_numpy(dtype=np.int64)
    share = f"{confidence:.0%}"
    band_x, band_y = band_polygons(profile_days, band_low, band_high)
    fig.add_trace(
        go.Scatter(
            x=band_x,
            y=band_y,
            mode="lines",
            line={"width": 0},
            fill="toself",
            fillcolor=BAND_FILL,
            name=f"{share} band of the mean",
            hoverinfo="skip",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=profile_days,
            y=profile["mean"].to_numpy(dtype=np.float64),
            mode="lines+markers",
            line={"color": MEAN_COLOR, "width": 3},
            marker={"size": 5},
            name="Mean across events",
            customdata=np.column_stack(
                [profile["n_events"].to_numpy(dtype=np.int64), band_low, band_high]
            ),
            hovertemplate=(
                "day %{x:+d}: mean %{y:,.1f}<br>"
                f"{share} band %{{customdata[1]:,.1f}}–%{{customdata[2]:,.1f}}<br>"
                "%{customdata[0]} events with data<extra></extra>"
            ),
        )
    )
    fig.add_vline(x=0, line={"color": "#d95f02", "width": 1.5, "dash": "dash"})
    fig.add_annotation(
        x=0, y=1, yref="paper", text="first day of the event", showarrow=False, yanchor="bottom"
    )
    fig.update_layout(
        height=440,
        hovermode="closest",
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0},
        xaxis={"title": {"text": "days from the event's first day"}, "dtick": _tick_step(days)},
        yaxis={"title": {"text": metric_label(metric)}, "rangemode": "tozero"},
    )
    if not np.isfinite(matrix.to_numpy(dtype=np.float64)).any():
        fig.add_annotation(
            text="No strike data in the windows of the selected events",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
        )
    return fig


def band_polygons(
    days: np.ndarray, low: np.ndarray, high: np.ndarray, *, half_width: float = 0.3
) -> tuple[list[float | None], list[float | None]]:
    """x and y of closed shapes covering ``low ... high`` over each run of consecutive days
    where both are defined, separated by ``None`` (a ``fill="toself"`` trace fills each shape
    on its own, so the band never bridges a day without data). A run of one day becomes a
    box ``half_width`` days wide.

    >>> band_polygons(np.array([0, 1, 2]), np.array([1.0, np.nan, 2.0]), np.array([3.0, 4.0, 5.0]))
    ([-0.3, 0.3, 0.3, -0.3, None, 1.7, 2.3, 2.3, 1.7], [3.0, 3.0, 1.0, 1.0, None, 5.0, 5.0, 2.0, 2.0])
    """
    ok = np.isfinite(low) & np.isfinite(high)
    xs: list[float | None] = []
    ys: list[float | None] = []
    i = 0
    while i < len(days):
        if not ok[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(days) and ok[j + 1] and days[j + 1] == days[j] + 1:
            j += 1
        run_days = days[i : j + 1].astype(float)
        if len(run_days) == 1:
            run_x = [float(run_days[0] - half_width), float(run_days[0] + half_width)]
            top, bottom = [high[i]] * 2, [low[i]] * 2
        else:
            run_x = run_days.tolist()
            top, bottom = high[i : j + 1].tolist(), low[i : j + 1].tolist()
        if xs:
            xs.append(None)
            ys.append(None)
        xs.extend(run_x + run_x[::-1])
        ys.extend([float(v) for v in top] + [float(v) for v in bottom[::-1]])
        i = j + 1
    return xs, ys


def _tick_step(days: np.ndarray) -> int:
    span = int(days.max() - days.min()) if len(days) else 0
    return 1 if span <= 16 else 2 if span <= 30 else 5


# --- small multiples -------------------------------------------------------------------------


def small_multiples_figure(
    matrix: pd.DataFrame,
    units: pd.DataFrame,
    *,
    metric: str,
    max_panels: int = DEFAULT_MAX_PANELS,
    columns: int = 4,
) -> go.Figure:
    """One small panel per event (or cluster) with data: its daily values from day ``-N`` to
    ``+N``, the event's own days shaded.

    Panels are the rows of ``matrix`` that have at least one day with data, the most recent
    ``max_panels`` of them, oldest first. The figure title says how many events were left out
    and why, so nothing disappears silently. ``units`` (the per-event table) gives titles and
    event lengths.
    """
    if max_panels < 1 or columns < 1:
        raise ValueError("max_panels and columns must be at least 1")
    spans = {
        str(row.event_ids): (_day(row.start), _day(row.end), row.title)
        for row in units.itertuples(index=False)
    }
    has_data = np.isfinite(matrix.to_numpy(dtype=np.float64)).any(axis=1)
    with_data = matrix.loc[has_data]
    shown = with_data.iloc[-max_panels:] if len(with_data) > max_panels else with_data
    n_empty = int((~has_data).sum())
    n_cut = len(with_data) - len(shown)
    notes = [f"{len(shown)} of {len(matrix)} events"]
    if n_empty:
        notes.append(f"{n_empty} without data in their windows")
    if n_cut:
        notes.append(f"{n_cut} older ones not drawn (narrow the selection to see them)")
    title = "; ".join(notes)

    n = max(len(shown), 1)
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    titles = []
    for event_ids in shown.index:
        first, last, name = spans.get(str(event_ids), (None, None, None))
        head = _text(name, 34) or _text(event_ids, 34)
        titles.append(f"{head}<br>{_span_label(first, last)}" if first is not None else head)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles or None,
        shared_xaxes=True,
        vertical_spacing=min(0.5 / rows, 0.12) if rows > 1 else 0.1,
        horizontal_spacing=0.04,
    )
    days = _days(matrix)
    for i, (event_ids, values) in enumerate(shown.iterrows()):
        row, col = divmod(i, cols)
        first, last, name = spans.get(str(event_ids), (None, None, None))
        label = _text(name, TITLE_CHARS) or _text(event_ids, TITLE_CHARS)
        fig.add_trace(
            go.Scatter(
                x=days,
                y=values.to_numpy(dtype=np.float64),
                mode="lines+markers",
                line={"color": MEAN_COLOR, "width": 1.5},
                marker={"size": 3},
                showlegend=False,
                text=[label] * len(days),
                hovertemplate="%{text}<br>day %{x:+d}: %{y:,.0f}<extra></extra>",
                connectgaps=False,
            ),
            row=row + 1,
            col=col + 1,
        )
        length = (last - first).days + 1 if first is not None else 1
        fig.add_vrect(
            x0=-0.5,
            x1=length - 0.5,
            fillcolor=DURING_FILL,
            line_width=0,
            layer="below",
            row=row + 1,
            col=col + 1,
        )
    fig.update_annotations(font_size=10)
    fig.update_layout(
        height=max(260, 190 * rows + 60),
        title={"text": title, "font": {"size": 13}},
        margin={"l": 40, "r": 10, "t": 90, "b": 30},
        hovermode="closest",
    )
    fig.update_yaxes(rangemode="tozero")
    fig.update_xaxes(range=[days.min() - 0.5, days.max() + 0.5] if len(days) else None)
    fig.layout.meta = {"metric": metric, "shown": [str(i) for i in shown.index]}
    return fig


# --- comparing two periods on the map --------------------------------------------------------


def week_before_and_of(first_day: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """Period A: the 7 days before ``first_day``; period B: ``first_day`` and the 6 after.

    >>> week_before_and_of(date(2026, 2, 26))
    ((datetime.date(2026, 2, 19), datetime.date(2026, 2, 25)), (datetime.date(2026, 2, 26), \
datetime.date(2026, 3, 4)))
    """
    before = (first_day - timedelta(days=7), first_day - timedelta(days=1))
    week_of = (first_day, first_day + timedelta(days=6))
    return before, week_of


def period_comparison(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """Per-region values of two periods and their difference ``b - a``.

    ``a`` and ``b`` are :func:`oblastwatch.query.metrics.region_metric` results (index: region
    codes, NaN = no reports). The difference is NaN when either period has no reports for
    the region: "no reports" is not zero. Rows: all 27 regions in registry order; columns
    region_code, region, period_a, period_b, difference.
    """
    a = a.reindex(REGION_CODES).astype("float64")
    b = b.reindex(REGION_CODES).astype("float64")
    return pd.DataFrame(
        {
            "region_code": list(REGION_CODES),
            "region": [REGIONS_BY_CODE[c].name_en for c in REGION_CODES],
            "period_a": a.to_numpy(),
            "period_b": b.to_numpy(),
            "difference": (b - a).to_numpy(),
        }
    )


def difference_figure(comparison: pd.DataFrame, *, unit: str, labels: tuple[str, str]) -> go.Figure:
    """Horizontal bars of ``period B - period A`` per region (from :func:`period_comparison`),
    diverging colours: red where B is higher, blue where it is lower. Regions without
    reports in either period are listed on the axis with no bar and "no reports" in the hover.
    """
    frame = comparison.sort_values("difference", na_position="first", kind="stable")
    diff = frame["difference"].to_numpy(dtype=np.float64)
    colors = [DIFF_COLORS[1] if d > 0 else DIFF_COLORS[0] for d in np.nan_to_num(diff)]
    a_text, b_text = _text(labels[0]), _text(labels[1])
    hover = []
    for row in frame.itertuples(index=False):
        if math.isnan(row.difference):
            hover.append(f"{_text(row.region)}: no reports in one of the periods")
        else:
            hover.append(
                f"{_text(row.region)}<br>{a_text}: {row.period_a:,.0f}<br>"
                f"{b_text}: {row.period_b:,.0f}<br>difference: {row.difference:+,.0f}"
            )
    fig = go.Figure(
        go.Bar(
            x=diff,
            y=[_text(r) for r in frame["region"]],
            orientation="h",
            marker={"color": colors},
            hovertext=hover,
            hovertemplate="%{hovertext}<extra></extra>",
        )
    )
    fig.add_vline(x=0, line={"color": "#444", "width": 1})
    fig.update_layout(
        height=640,
        margin={"l": 150, "r": 20, "t": 30, "b": 40},
        xaxis={"title": {"text": f"{b_text} minus {a_text} ({_text(unit)})"}, "zeroline": True},
        yaxis={"automargin": True},
    )
    return fig


def _diverging_colour(value: float, limit: float) -> str:
    if math.isnan(value):
        return NO_REPORTS_FILL
    if limit <= 0:
        return sample_colorscale(DIFF_SCALE, [0.5])[0]
    share = 0.5 + 0.5 * max(-1.0, min(1.0, value / limit))
    return sample_colorscale(DIFF_SCALE, [share])[0]


def _rings(geometry: Any) -> list[np.ndarray]:
    """Exterior rings of a (multi)polygon as (n, 2) lon/lat arrays (holes are drawn over by
    the region inside them, which comes later in drawing order)."""
    parts = getattr(geometry, "geoms", [geometry])
    return [np.asarray(part.exterior.coords) for part in parts if not part.is_empty]


def difference_map_figure(
    comparison: pd.DataFrame,
    boundaries: Any,
    *,
    unit: str,
    labels: tuple[str, str],
    tolerance: float = 0.01,
) -> go.Figure:
    """A difference choropleth drawn with Plotly: each region filled by ``period B - period A``
    on a diverging scale (red: more in B, blue: fewer, white: no change), grey with a dashed
    outline where either period has no reports.

    ``comparison`` from :func:`period_comparison`; ``boundaries`` the GeoDataFrame of
    :func:`oblastwatch.domain.geo.load_boundaries` (columns code, name_en, geometry; EPSG:4326),
    simplified by ``tolerance`` degrees for drawing. Plain x/y axes (longitude, latitude)
    instead of a geo subplot: nothing is fetched from the network.
    """
    by_code = comparison.set_index("region_code")
    finite = by_code["difference"].to_numpy(dtype=np.float64)
    finite = finite[np.isfinite(finite)]
    limit = float(np.abs(finite).max()) if finite.size else 0.0
    a_text, b_text = _text(labels[0]), _text(labels[1])
    unit_text = _text(unit)
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
        name = _text(row["region"])
        if math.isnan(diff):
            hover = f"<b>{name}</b><br>no reports in one of the periods"
        else:
            hover = (
                f"<b>{name}</b><br>{a_text}: {row['period_a']:,.0f} {unit_text}<br>"
                f"{b_text}: {row['period_b']:,.0f} {unit_text}<br>"
                f"difference: {diff:+,.0f}"
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
        title={"text": f"{b_text} minus {a_text}", "font": {"size": 13}},
        xaxis={"visible": False},
        # One degree of latitude is about 1.5 degrees of longitude at 48.5° N.
        yaxis={"visible": False, "scaleanchor": "x", "scaleratio": 1.5},
    )
    fig.layout.meta = {"limit": limit}
    return fig
