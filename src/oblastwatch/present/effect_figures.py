"""Plotly builders for the talks-vs-attacks event study (no Streamlit).

Inputs are the outputs of :mod:`oblastwatch.study`: the per-event table of
:func:`~oblastwatch.study.effects.talks_effect` (one row per event or cluster), the aligned
matrix of :func:`~oblastwatch.study.event_time.event_time_matrix` (rows: ``event_ids``,
columns: day ``-N ... +N`` from the event's first day) and the profile of
:func:`~oblastwatch.study.event_time.event_time_profile`.

Every builder returns a fresh figure. Text from the data goes through
:func:`~oblastwatch.present.plot_text.plot_text`. Days without data are NaN and stay gaps in
every line: a missing day is never drawn as zero.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from oblastwatch.i18n import ENGLISH, N_, Translator
from oblastwatch.present.plot_locale import localise
from oblastwatch.present.plot_text import plot_text

METRIC_LABELS: dict[str, str] = {
    "drones_launched": N_("Drones launched per day"),
    "missiles_launched": N_("Missiles launched per day"),
    "waves": N_("Attack waves per day"),
    "regions_hit": N_("Regions hit per day"),
}
EVENT_COLOR = "rgba(90, 90, 90, 0.22)"
MEAN_COLOR = "#1d4e89"
BAND_FILL = "rgba(29, 78, 137, 0.18)"
DURING_FILL = "rgba(217, 95, 2, 0.12)"
DEFAULT_MAX_PANELS = 24
TITLE_CHARS = 60


def _day(value: Any) -> date:
    return pd.Timestamp(value).date()


def _span_label(first: date, last: date, t: Translator = ENGLISH) -> str:
    if t.language != ENGLISH.language:
        return t.day_range(first, last)
    return f"{first:%d %b %Y}" if first == last else f"{first:%d %b %Y} – {last:%d %b %Y}"


def metric_label(metric: str, t: Translator = ENGLISH) -> str:
    """Axis title of a study metric (its column name when unknown).

    >>> metric_label("waves")
    'Attack waves per day'
    """
    return t.gettext(METRIC_LABELS[metric]) if metric in METRIC_LABELS else metric


def _unit_labels(units: pd.DataFrame | None, t: Translator = ENGLISH) -> dict[str, str]:
    """event_ids -> escaped "title (day span)" for hovers."""
    if units is None or units.empty:
        return {}
    labels = {}
    for row in units.itertuples(index=False):
        span = _span_label(_day(row.start), _day(row.end), t)
        title = plot_text(row.title, TITLE_CHARS) or plot_text(row.event_ids, TITLE_CHARS)
        labels[str(row.event_ids)] = f"{title} ({span})"
    return labels


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
    t: Translator = ENGLISH,
) -> go.Figure:
    """Day ``-N ... +N`` around each event's first day, every event and their mean.

    Every event is a faint line, the mean across events a bold line inside its bootstrap band.

    ``matrix`` from :func:`~oblastwatch.study.event_time.event_time_matrix`, ``profile`` from
    :func:`~oblastwatch.study.event_time.event_time_profile` over the same matrix, ``units`` (the
    per-event table, for hover titles) optional. NaN days are gaps in the lines.
    """
    _ = t.gettext
    labels = _unit_labels(units, t)
    days = _days(matrix)
    day_value = _("day {day}: {value}").format(day="%{x:+d}", value="%{y:,.0f}")
    fig = go.Figure()
    for n, (event_ids, values) in enumerate(matrix.iterrows()):
        label = labels.get(str(event_ids)) or plot_text(event_ids, TITLE_CHARS)
        fig.add_trace(
            go.Scatter(
                x=days,
                y=values.to_numpy(dtype=np.float64),
                mode="lines+markers",
                line={"color": EVENT_COLOR, "width": 1},
                marker={"color": EVENT_COLOR, "size": 4},
                name=_("Single events"),
                legendgroup="events",
                showlegend=n == 0,
                text=[label] * len(days),
                hovertemplate=f"%{{text}}<br>{day_value}<extra></extra>",
                connectgaps=False,
            )
        )
    band_low = profile["ci_low"].to_numpy(dtype=np.float64)
    band_high = profile["ci_high"].to_numpy(dtype=np.float64)
    profile_days = profile["day"].to_numpy(dtype=np.int64)
    share = t.percent(confidence)
    band_x, band_y = band_polygons(profile_days, band_low, band_high)
    fig.add_trace(
        go.Scatter(
            x=band_x,
            y=band_y,
            mode="lines",
            line={"width": 0},
            fill="toself",
            fillcolor=BAND_FILL,
            name=_("{share} band of the mean").format(share=share),
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
            name=_("Mean across events"),
            customdata=np.column_stack(
                [profile["n_events"].to_numpy(dtype=np.int64), band_low, band_high]
            ),
            hovertemplate=(
                _("day {day}: mean {mean}").format(day="%{x:+d}", mean="%{y:,.1f}")
                + "<br>"
                + _("{share} band {low}–{high}").format(
                    share=share, low="%{customdata[1]:,.1f}", high="%{customdata[2]:,.1f}"
                )
                + "<br>"
                + _("{count} events with data").format(count="%{customdata[0]}")
                + "<extra></extra>"
            ),
        )
    )
    fig.add_vline(x=0, line={"color": "#d95f02", "width": 1.5, "dash": "dash"})
    fig.add_annotation(
        x=0,
        y=1,
        yref="paper",
        text=_("first day of the event"),
        showarrow=False,
        yanchor="bottom",
    )
    fig.update_layout(
        height=440,
        hovermode="closest",
        margin={"l": 60, "r": 20, "t": 40, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.08, "x": 0},
        xaxis={"title": {"text": _("days from the event's first day")}, "dtick": _tick_step(days)},
        yaxis={"title": {"text": metric_label(metric, t)}, "rangemode": "tozero"},
    )
    localise(fig, t)
    if not np.isfinite(matrix.to_numpy(dtype=np.float64)).any():
        fig.add_annotation(
            text=_("No strike data in the windows of the selected events"),
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
    """X and y of closed shapes covering ``low ... high``, one per run of defined days.

    A run is consecutive days where both are defined; the shapes are separated by ``None`` (a
    ``fill="toself"`` trace fills each shape on its own, so the band never bridges a day
    without data). A run of one day becomes a box ``half_width`` days wide.

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
    t: Translator = ENGLISH,
) -> go.Figure:
    """One small panel per event (or cluster) with data, the event's own days shaded.

    Each panel shows the unit's daily values from day ``-N`` to ``+N``.

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
    _ = t.gettext
    notes = [
        t.ngettext("{shown} of {total} event", "{shown} of {total} events", len(matrix)).format(
            shown=len(shown), total=len(matrix)
        )
    ]
    if n_empty:
        notes.append(_("{count} without data in their windows").format(count=n_empty))
    if n_cut:
        notes.append(
            _("{count} older ones not drawn (narrow the selection to see them)").format(count=n_cut)
        )
    title = "; ".join(notes)

    n = max(len(shown), 1)
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    titles = []
    for event_ids in shown.index:
        first, last, name = spans.get(str(event_ids), (None, None, None))
        head = plot_text(name, 34) or plot_text(event_ids, 34)
        if first is not None and last is not None:
            head = f"{head}<br>{_span_label(first, last, t)}"
        titles.append(head)
    fig = make_subplots(
        rows=rows,
        cols=cols,
        subplot_titles=titles or None,
        shared_xaxes=True,
        vertical_spacing=min(0.5 / rows, 0.12) if rows > 1 else 0.1,
        horizontal_spacing=0.04,
    )
    days = _days(matrix)
    day_value = _("day {day}: {value}").format(day="%{x:+d}", value="%{y:,.0f}")
    for i, (event_ids, values) in enumerate(shown.iterrows()):
        row, col = divmod(i, cols)
        first, last, name = spans.get(str(event_ids), (None, None, None))
        label = plot_text(name, TITLE_CHARS) or plot_text(event_ids, TITLE_CHARS)
        fig.add_trace(
            go.Scatter(
                x=days,
                y=values.to_numpy(dtype=np.float64),
                mode="lines+markers",
                line={"color": MEAN_COLOR, "width": 1.5},
                marker={"size": 3},
                showlegend=False,
                text=[label] * len(days),
                hovertemplate=f"%{{text}}<br>{day_value}<extra></extra>",
                connectgaps=False,
            ),
            row=row + 1,
            col=col + 1,
        )
        length = (last - first).days + 1 if first is not None and last is not None else 1
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
    return localise(fig, t)
