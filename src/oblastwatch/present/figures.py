"""Plotly figure builders: pure functions returning a fresh ``go.Figure`` each call.

Inputs are the aggregates of :mod:`oblastwatch.query.series` and
:mod:`oblastwatch.query.diplomacy` (one row per day or week, one row per diplomatic event),
never raw events, so a figure stays small at any event count: four years of daily bars plus
every talks round serialise to well under 500 KB.

Every string that comes from data is passed through :func:`html.escape` before it reaches a
hover text, label or title: Plotly renders a subset of HTML in those, so an event description
such as ``<img src=x onerror=alert(1)>`` must arrive as text, not markup.

Clicks: with ``st.plotly_chart(fig, on_select="rerun", selection_mode="points")`` a click on a
daily bar or a talks marker/span comes back as a selection point; :func:`timeline_selection`
turns it into ``("day", "YYYY-MM-DD")`` or ``("talk", event_id)``. Talks traces carry the
event id in ``customdata``; daily bars carry none (their ``x`` is the day).

Every builder takes a translator ``t`` (English by default) for its titles, axes, trace names
and hover texts (:mod:`oblastwatch.present.plot_locale` for dates and numbers).
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from oblastwatch.domain.rules import LANES
from oblastwatch.i18n import ENGLISH, N_, Translator
from oblastwatch.present.plot_locale import hover_date, localise
from oblastwatch.present.vocabulary import category_labels, kind_labels, label_of, lane_labels
from oblastwatch.query.alerts import NATIONWIDE as NATIONWIDE_ALERTS
from oblastwatch.query.freshness import CoverageGap

DAY_MS = 86_400_000
WEEK_MS = 7 * DAY_MS
HALF_DAY = pd.Timedelta(hours=12)
BAND_KINDS = ("talks", "summit")
# Marker legend groups of diplomatic kinds: (label, symbol, colour). The lane is the y
# position, so colour and symbol both tell the kind.
KIND_GROUPS: dict[str, tuple[str, str, str]] = {
    "talks": (N_("Talks and summits"), "diamond", "#1d4e89"),
    "summit": (N_("Talks and summits"), "diamond", "#1d4e89"),
    "call": (N_("Calls"), "circle", "#d95f02"),
    "exchange": (N_("Exchanges and returns"), "square", "#7b3294"),
    "return": (N_("Exchanges and returns"), "square", "#7b3294"),
    "agreement": (N_("Agreements and announcements"), "star", "#1b9e77"),
    "announcement": (N_("Agreements and announcements"), "star", "#1b9e77"),
}
OTHER_KIND_GROUP = (N_("Other diplomacy"), "triangle-up", "#6b6b6b")
DRONE_COLORS = ("#f4a261", "#9c5a1c")  # launched, destroyed
MISSILE_COLORS = ("#e76f73", "#8e1b20")
OTHER_COLOR = "#9e9e9e"
ALERT_COLORS = ("#6a51a3", "#d95f02")  # average region, selected region
ALERT_LANE_TITLE = N_("Air-raid alert hours per day (Kyiv days)")
DAY_MS = 86_400_000  # one day on a Plotly date axis
BAND_COLOR = "#1f78b4"
SELECTED_COLOR = "#d62728"
GAP_COLOR = "#7f7f7f"
HOVER_WIDTH = 70
HOVER_MAX_CHARS = 900
_DESCRIPTION_PARTS = re.compile(r"\s+(?=(?:Outcome|Lead negotiators|Curator's confidence): )")


# --- text ------------------------------------------------------------------------------------


def escape(value: Any) -> str:
    """Data text made safe for Plotly's HTML-like labels (``""`` for missing values).

    >>> escape("<img src=x onerror=alert(1)>")
    '&lt;img src=x onerror=alert(1)&gt;'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return html.escape(str(value), quote=True)


def _wrapped(text: Any, width: int = HOVER_WIDTH) -> str:
    """Escaped text wrapped into ``<br>``-joined lines, cut at :data:`HOVER_MAX_CHARS`."""
    raw = "" if text is None or (not isinstance(text, str) and pd.isna(text)) else str(text)
    if len(raw) > HOVER_MAX_CHARS:
        raw = raw[: HOVER_MAX_CHARS - 1] + "…"
    return "<br>".join(escape(line) for line in textwrap.wrap(raw, width) or [""])


def _day_span_label(first: pd.Timestamp, last: pd.Timestamp, t: Translator = ENGLISH) -> str:
    if t.language != ENGLISH.language:
        return t.day_range(first.date(), last.date())
    if first == last:
        return f"{first:%d %b %Y}"
    return f"{first:%d %b %Y} – {last:%d %b %Y}"


def talk_hover(row: Mapping[str, Any], t: Translator = ENGLISH) -> str:
    """Hover text of one diplomatic event, all escaped.

    Title, days, kind, venue, parties, description (summary, outcome and lead negotiators on
    their own lines), source URL. The labels, kind and lane are in ``t``'s language; the
    title, venue, parties and description as the source wrote them.
    """
    kind = escape(label_of(kind_labels(t), row.get("kind"))) if row.get("kind") else ""
    lines = [f"<b>{_wrapped(row.get('title')) if row.get('title') else kind}</b>"]
    lines.append(_day_span_label(pd.Timestamp(row["first_day"]), pd.Timestamp(row["last_day"]), t))
    fmt = escape(row.get("format"))
    lines.append(f"{kind} · {fmt}" if fmt else kind)
    lanes = lane_labels(t)
    for label, key in (
        (t.gettext("Venue"), "venue"),
        (t.gettext("Parties"), "parties"),
        (t.gettext("Lane"), "lane"),
    ):
        value = row.get(key)
        if value is not None and not pd.isna(value) and str(value):
            text = label_of(lanes, value) if key == "lane" else str(value).replace(";", ", ")
            lines.append(f"{label}: {_wrapped(text)}")
    description = row.get("description")
    if description is not None and not pd.isna(description) and str(description):
        for part in _DESCRIPTION_PARTS.split(str(description)):
            lines.append(_wrapped(part))
    url = row.get("source_url")
    if url is not None and not pd.isna(url) and str(url):
        lines.append(t.gettext("Source: {url}").format(url=escape(url)))
    return "<br>".join(lines)


# --- timeline --------------------------------------------------------------------------------


def _day_strings(index: Iterable[Any]) -> list[str]:
    return [f"{pd.Timestamp(d):%Y-%m-%d}" for d in index]


def _iso(ts: pd.Timestamp) -> str:
    return ts.strftime("%Y-%m-%dT%H:%M:%S")


def _talk_traces(
    talks: pd.DataFrame, *, showlegend: bool = True, t: Translator = ENGLISH
) -> list[go.BaseTraceType]:
    """Span bars (multi-day events) and one marker trace per kind group, on lane categories."""
    traces: list[go.BaseTraceType] = []
    if talks.empty:
        return traces
    hover = [talk_hover(r, t) for r in talks.to_dict("records")]
    ids = talks["event_id"].astype(str).to_numpy()
    first = pd.to_datetime(talks["first_day"])
    last = pd.to_datetime(talks["last_day"])
    lanes = talks["lane"].astype(str).to_numpy()
    multi = (last > first).to_numpy()
    if multi.any():
        days = ((last - first).dt.days.to_numpy() + 1)[multi]
        traces.append(
            go.Bar(
                name=t.gettext("Multi-day rounds"),
                orientation="h",
                base=[_iso(t - HALF_DAY) for t in first[multi]],
                x=(days * DAY_MS).astype(np.int64),
                y=lanes[multi],
                width=0.5,
                marker={"color": KIND_GROUPS["talks"][2], "opacity": 0.35},
                customdata=ids[multi][:, None],
                hovertext=[h for h, m in zip(hover, multi, strict=True) if m],
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
            )
        )
    groups = [KIND_GROUPS.get(k, OTHER_KIND_GROUP) for k in talks["kind"].astype(str)]
    for label, symbol, color in dict.fromkeys(groups):
        sel = np.array([g[0] == label for g in groups])
        traces.append(
            go.Scatter(
                name=t.gettext(label),
                mode="markers",
                x=_day_strings(first[sel]),
                y=lanes[sel],
                marker={
                    "symbol": symbol,
                    "size": 11,
                    "color": color,
                    "line": {"width": 1, "color": "white"},
                },
                customdata=ids[sel][:, None],
                hovertext=[h for h, s in zip(hover, sel, strict=True) if s],
                hovertemplate="%{hovertext}<extra></extra>",
                legendgroup="diplomacy",
                showlegend=showlegend,
            )
        )
    return traces


def _bar(
    daily: pd.DataFrame,
    column: str,
    name: str,
    color: str,
    x: list[str],
    t: Translator = ENGLISH,
    *,
    weekly: bool = False,
) -> go.Bar:
    when = f"%{{x|{hover_date(t)}}}"
    if weekly:
        when = t.gettext("Week of {date}").format(date=when)
    return go.Bar(
        name=name,
        x=x,
        y=daily[column].to_numpy(dtype=np.float64),
        marker={"color": color, "line": {"width": 0}},
        hovertemplate=f"{when}<br>{name}: %{{y:,.0f}}<extra></extra>",
    )


def _lane_axis(t: Translator = ENGLISH) -> dict[str, Any]:
    """The lanes as categories (their codes), labelled in ``t``'s language."""
    order = list(reversed(LANES))
    names = lane_labels(t)
    return {
        "type": "category",
        "categoryorder": "array",
        "categoryarray": order,
        "range": [-0.5, len(LANES) - 0.5],
        "fixedrange": True,
        "tickmode": "array",
        "tickvals": order,
        "ticktext": [names[lane] for lane in order],
    }


def _band_shapes(
    talks: pd.DataFrame, *, xref: str, y0: float, y1: float, kinds: Sequence[str] = BAND_KINDS
) -> list[dict[str, Any]]:
    if talks.empty:
        return []
    rounds = talks[talks["kind"].isin(kinds)]
    return [
        {
            "type": "rect",
            "xref": xref,
            "yref": "paper",
            "x0": _iso(pd.Timestamp(first) - HALF_DAY),
            "x1": _iso(pd.Timestamp(last) + HALF_DAY),
            "y0": y0,
            "y1": y1,
            "fillcolor": BAND_COLOR,
            "opacity": 0.12,
            "line": {"width": 0},
            "layer": "below",
        }
        for first, last in zip(rounds["first_day"], rounds["last_day"], strict=True)
    ]


def timeline_figure(
    daily: pd.DataFrame,
    talks: pd.DataFrame,
    *,
    selected_day: date | str | None = None,
    selected_talk: str | None = None,
    gaps: Sequence[CoverageGap] = (),
    alerts: pd.DataFrame | None = None,
    region_label: str | None = None,
    t: Translator = ENGLISH,
) -> go.Figure:
    """Diplomacy lanes above daily drone and missile bars, on one shared date axis.

    ``alerts`` (:func:`oblastwatch.query.alerts.daily_alert_series`, same days as ``daily``)
    adds a lane of air-raid alert hours per day below the bars: the average region, and the
    selected region (its column ``region``, shown as ``region_label``) when it has data. None
    (no alerts loaded) leaves the lane out.

    ``daily`` comes from :func:`oblastwatch.query.series.daily_attack_counts` (NaN days are gaps:
    no report), ``talks`` from :func:`oblastwatch.query.diplomacy.diplomatic_events`. Every talks
    round (kinds talks and summit) is also a faint band behind the bars. ``selected_day``
    and ``selected_talk`` (an event id) are outlined in red. Each of ``gaps``
    (:func:`oblastwatch.query.freshness.coverage_gaps`) is a grey band over its days, labelled
    with the source that has no rows there.
    """
    with_alerts = alerts is not None
    _ = t.gettext
    titles = (
        _("Diplomacy"),
        _("Drones per day (launched, destroyed)"),
        _("Missiles per day (launched, destroyed)"),
    )
    fig = make_subplots(
        rows=4 if with_alerts else 3,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.05,
        row_heights=[0.25, 0.27, 0.27, 0.21] if with_alerts else [0.30, 0.35, 0.35],
        subplot_titles=(*titles, _(ALERT_LANE_TITLE)) if with_alerts else titles,
    )
    for trace in _talk_traces(talks, t=t):
        fig.add_trace(trace, row=1, col=1)

    x = _day_strings(daily.index)
    bars = (
        ("drones_launched", _("Drones launched"), DRONE_COLORS[0], 2),
        ("drones_destroyed", _("Drones destroyed"), DRONE_COLORS[1], 2),
        ("missiles_launched", _("Missiles launched"), MISSILE_COLORS[0], 3),
        ("missiles_destroyed", _("Missiles destroyed"), MISSILE_COLORS[1], 3),
    )
    for column, name, color, row in bars:
        fig.add_trace(_bar(daily, column, name, color, x, t), row, 1)
    if "other_launched" in daily and (daily["other_launched"].fillna(0) > 0).any():
        name = _("Other or unknown weapons launched")
        fig.add_trace(_bar(daily, "other_launched", name, OTHER_COLOR, x, t), 3, 1)
        fig.data[-1].visible = "legendonly"  # overlaid on missiles it would hide them

    if alerts is not None:
        for trace in _alert_traces(alerts, region_label, t):
            fig.add_trace(trace, 4, 1)

    attack_top = fig.layout.yaxis2.domain[1]
    shapes = _band_shapes(talks, xref="x3", y0=0.0, y1=attack_top)
    if selected_day is not None:
        day = pd.Timestamp(selected_day).normalize()
        shapes.append(_selection_shape(day, day))
    if selected_talk is not None and not talks.empty:
        chosen = talks[talks["event_id"].astype(str) == str(selected_talk)]
        for first, last in zip(chosen["first_day"], chosen["last_day"], strict=True):
            shapes.append(_selection_shape(pd.Timestamp(first), pd.Timestamp(last)))
    shapes.extend(_gap_shape(gap) for gap in gaps)
    localise(fig, t, daily.index)

    fig.update_layout(
        height=680,
        barmode="overlay",
        bargap=0.1,
        shapes=shapes,
        hovermode="closest",
        clickmode="event+select",
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.04, "x": 0},
        margin={"l": 110, "r": 20, "t": 70, "b": 20},
        yaxis=_lane_axis(t),
        yaxis2={"title": {"text": _("drones")}, "rangemode": "tozero"},
        yaxis3={"title": {"text": _("missiles")}, "rangemode": "tozero"},
    )
    bottom = 4 if with_alerts else 3
    if with_alerts:
        # A Kyiv day has at most 25 hours (the night the clocks go back).
        fig.update_layout(yaxis4={"title": {"text": _("hours")}, "range": [0, 25]})
    fig.update_xaxes(type="date")
    fig.update_xaxes(rangeslider={"visible": True, "thickness": 0.06}, row=bottom, col=1)
    if len(daily.index):
        first_day = pd.Timestamp(daily.index[0]) - HALF_DAY
        last_day = pd.Timestamp(daily.index[-1]) + HALF_DAY
        window = [_iso(first_day), _iso(last_day)]
        fig.update_xaxes(range=window)
        fig.update_xaxes(rangeslider={"range": window}, row=bottom, col=1)
    for i, gap in enumerate(gaps):
        fig.add_annotation(_gap_label(gap, y=attack_top - 0.035 * i, t=t))
    # A day with strike reports has waves; its counts may all be unknown (NaN).
    reported = daily.get("waves", daily)
    if reported.isna().all(axis=None):
        fig.add_annotation(
            text=_("No strike reports in this range"),
            xref="paper",
            yref="paper",
            x=0.5,
            y=attack_top / 2,
            showarrow=False,
        )
    return fig


def _alert_traces(
    alerts: pd.DataFrame, region_label: str | None, t: Translator = ENGLISH
) -> list[go.Scatter]:
    """The alert lane's lines: the average region, and the selected region when it has data.

    The days are evenly spaced, so the lines carry a first day and a step instead of a date
    per point (two lines over four years would add about 60 KB of dates to the chart).
    """
    days = {"x0": _day_strings(alerts.index[:1])[0] if len(alerts) else None, "dx": DAY_MS}
    day = f"%{{x|{hover_date(t)}}}"
    under_alert = t.gettext("{hours} h under alert").format(hours="%{y:.1f}")
    average = t.gettext("Average region")
    traces = [
        go.Scatter(
            name=t.gettext("Alert hours, average region"),
            **days,
            y=_hours_shown(alerts[NATIONWIDE_ALERTS]),
            mode="lines",
            line={"color": ALERT_COLORS[0], "width": 1.5},
            connectgaps=False,
            hovertemplate=f"{day}<br>{average}: {under_alert}<extra></extra>",
        )
    ]
    if region_label is not None and alerts["region"].notna().any():
        name = escape(region_label)
        traces.append(
            go.Scatter(
                name=t.gettext("Alert hours, {region}").format(region=name),
                **days,
                y=_hours_shown(alerts["region"]),
                mode="lines",
                line={"color": ALERT_COLORS[1], "width": 1.5},
                connectgaps=False,
                hovertemplate=f"{day}<br>{name}: {under_alert}<extra></extra>",
            )
        )
    return traces


def _hours_shown(hours: pd.Series) -> np.ndarray:
    # Hundredths of an hour (36 s) are finer than the hover shows, and keep the JSON small.
    return np.round(hours.to_numpy(dtype=np.float64), 2)


def _gap_shape(gap: CoverageGap) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "x3",
        "yref": "paper",
        "x0": _iso(pd.Timestamp(gap.first) - HALF_DAY),
        "x1": _iso(pd.Timestamp(gap.last) + HALF_DAY),
        "y0": 0.0,
        "y1": 1.0,
        "fillcolor": GAP_COLOR,
        "opacity": 0.08,
        "line": {"width": 1, "color": GAP_COLOR, "dash": "dot"},
        "layer": "below",
    }


def _gap_label(gap: CoverageGap, *, y: float, t: Translator = ENGLISH) -> dict[str, Any]:
    return {
        "text": t.gettext("no {source} rows after {date}").format(
            source=escape(gap.source), date=gap.source_end.isoformat()
        ),
        "xref": "x3",
        "yref": "paper",
        "x": _iso(pd.Timestamp(gap.first) - HALF_DAY),
        "xanchor": "left",
        "y": y,
        "yanchor": "top",
        "showarrow": False,
        "font": {"size": 11, "color": "#4d4d4d"},
    }


def _selection_shape(first: pd.Timestamp, last: pd.Timestamp) -> dict[str, Any]:
    return {
        "type": "rect",
        "xref": "x3",
        "yref": "paper",
        "x0": _iso(first - HALF_DAY),
        "x1": _iso(last + HALF_DAY),
        "y0": 0.0,
        "y1": 1.0,
        "fillcolor": SELECTED_COLOR,
        "opacity": 0.10,
        "line": {"width": 1.5, "color": SELECTED_COLOR},
        "layer": "below",
    }


def timeline_selection(points: Sequence[Mapping[str, Any]]) -> tuple[str, str] | None:
    """The selection a timeline click made.

    ``("talk", event_id)``, ``("day", "YYYY-MM-DD")`` or None. ``points`` is
    ``event.selection["points"]`` from ``st.plotly_chart``; the first usable point wins.

    >>> timeline_selection([{"x": "2026-02-26", "y": 420.0}])
    ('day', '2026-02-26')
    >>> timeline_selection([{"x": "2026-02-17", "y": "trilateral", "customdata": ["talks:E052"]}])
    ('talk', 'talks:E052')
    """
    for point in points:
        custom = point.get("customdata")
        if isinstance(custom, list | tuple):
            custom = custom[0] if custom else None
        if custom is not None and str(custom):
            return "talk", str(custom)
        x = point.get("x")
        if x is None:
            continue
        try:
            stamp = pd.Timestamp(x, unit="ms") if isinstance(x, int | float) else pd.Timestamp(x)
        except (ValueError, TypeError):
            continue
        if pd.isna(stamp):
            continue
        # Bars are centred on their day; a click reported anywhere within it maps back.
        return "day", (stamp + HALF_DAY).normalize().strftime("%Y-%m-%d")
    return None


# --- region views ----------------------------------------------------------------------------


def region_weekly_figure(
    series: pd.DataFrame, talks: pd.DataFrame, t: Translator = ENGLISH
) -> go.Figure:
    """Weekly attack waves that hit one region, with the talks above and as bands behind.

    ``series`` comes from :func:`oblastwatch.query.series.weekly_region_series` (NaN weeks: no
    strike report at all that week), ``talks`` from ``diplomatic_events``.
    """
    fig = make_subplots(
        rows=2,
        cols=1,
        shared_xaxes=True,
        vertical_spacing=0.06,
        row_heights=[0.3, 0.7],
        subplot_titles=(
            t.gettext("Diplomacy"),
            t.gettext("Attack waves that hit the region, per week"),
        ),
    )
    for trace in _talk_traces(talks, t=t):
        fig.add_trace(trace, row=1, col=1)
    # Bars centred on the middle of each Monday-to-Sunday week, one week wide.
    starts = pd.DatetimeIndex(series.index)
    middles = [_iso(w + pd.Timedelta(days=3, hours=12) - HALF_DAY) for w in starts]
    if t.language == ENGLISH.language:
        labels = [f"{w:%d %b %Y}" for w in starts]
    else:
        labels = [t.date(w.date()) for w in starts]
    week_of = t.gettext("Week of {date}").format(date="%{customdata[0]}")
    custom = np.empty((len(series), 3), dtype=object)
    custom[:, 0] = labels
    custom[:, 1] = series["strike_days"].to_numpy(dtype=np.float64)
    custom[:, 2] = series["launched"].to_numpy(dtype=np.float64)
    fig.add_trace(
        go.Bar(
            name=t.gettext("Attack waves"),
            x=middles,
            y=series["waves"].to_numpy(dtype=np.float64),
            width=WEEK_MS * 0.85,
            customdata=custom,
            marker={"color": MISSILE_COLORS[0], "opacity": 0.85},
            hovertemplate=(
                f"{week_of}<br>{t.gettext('Attack waves')}: %{{y}}<br>"
                f"{t.gettext('Days with hits')}: %{{customdata[1]}}<br>"
                f"{t.gettext('Weapons reported in those waves')}: %{{customdata[2]:,.0f}}"
                "<extra></extra>"
            ),
        ),
        row=2,
        col=1,
    )
    if "incidents" in series and series["incidents"].notna().any():
        fig.add_trace(
            go.Scatter(
                name=t.gettext("Incidents"),
                mode="lines+markers",
                x=middles,
                y=series["incidents"].to_numpy(dtype=np.float64),
                customdata=np.array(labels, dtype=object)[:, None],
                line={"color": OTHER_COLOR},
                hovertemplate=(f"{week_of}<br>{t.gettext('Incidents')}: %{{y}}<extra></extra>"),
            ),
            row=2,
            col=1,
        )
    top = fig.layout.yaxis2.domain[1]
    fig.update_layout(
        height=480,
        shapes=_band_shapes(talks, xref="x2", y0=0.0, y1=top),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.06, "x": 0},
        margin={"l": 110, "r": 20, "t": 70, "b": 30},
        yaxis=_lane_axis(t),
        yaxis2={"title": {"text": t.gettext("waves")}, "rangemode": "tozero"},
    )
    fig.update_xaxes(type="date")
    return localise(fig, t, starts)


def weapons_breakdown_figure(df: pd.DataFrame, t: Translator = ENGLISH) -> go.Figure:
    """Horizontal bars of launched and destroyed per weapon model (from ``weapons_breakdown``).

    The models are named as the source wrote them; their categories in ``t``'s language.
    """
    _ = t.gettext
    fig = go.Figure()
    categories = category_labels(t)
    labels = [
        f"{escape(model)} ({escape(label_of(categories, category))})"
        for model, category in zip(df["weapon_model"], df["weapon_category"], strict=True)
    ]
    rows_and_waves = _("rows: {rows}, waves: {waves}").format(
        rows="%{customdata[0]}", waves="%{customdata[1]}"
    )
    for column, name, color in (
        ("launched", _("Launched"), MISSILE_COLORS[0]),
        ("destroyed", _("Destroyed"), MISSILE_COLORS[1]),
    ):
        fig.add_trace(
            go.Bar(
                name=name,
                orientation="h",
                y=labels,
                x=df[column].to_numpy(dtype=np.float64),
                marker={"color": color},
                customdata=np.column_stack(
                    [df["events"].to_numpy(), df["waves"].to_numpy()]
                ).astype(np.float64)
                if len(df)
                else None,
                hovertemplate=f"%{{y}}<br>{name}: %{{x:,.0f}}<br>{rows_and_waves}<extra></extra>",
            )
        )
    fig.update_layout(
        barmode="group",
        height=max(240, 60 + 28 * len(df)),
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"title": {"text": _("weapons reported")}, "rangemode": "tozero"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        margin={"l": 10, "r": 20, "t": 40, "b": 40},
    )
    localise(fig, t)
    if df.empty:
        fig.add_annotation(
            text=_("No strike reports in this range"),
            x=0.5,
            y=0.5,
            xref="paper",
            yref="paper",
            showarrow=False,
        )
    return fig
