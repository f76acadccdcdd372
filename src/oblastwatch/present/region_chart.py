"""The Map page's small chart of a region's weapons per day or week, in Vega-Lite.

The Map page shows this chart as soon as a reader clicks a region. A page's first chart cost
it 1.7 s of CPU with Plotly, whose browser module is large, and 0.45 s with Vega-Lite
(docs/performance.md). The Map page therefore draws this chart with Vega-Lite
(``st.vega_lite_chart``), with a spec that stays the same when the range changes. Plotly
stays for the pages that need its interaction (the timeline, the studies).

Text in a Vega-Lite chart is drawn as text, never read as HTML, and the tooltips are escaped
by Vega's tooltip handler: no escaping is needed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd
from babel.dates import format_skeleton, get_month_names

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.figures import DRONE_COLORS, MISSILE_COLORS, OTHER_COLOR

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
CHART_HEIGHT = 220
DATA_COLUMNS = ("start", "end", "bottom", "top", "group", "tip")


@dataclass(frozen=True)
class RegionChart:
    """A Vega-Lite ``spec`` and its ``data`` (one row per bar, :data:`DATA_COLUMNS`).

    The spec depends only on the language, the title and days or weeks, not on the range:
    when only the range changes, Streamlit swaps the data into the chart already drawn instead
    of building a new one.
    """

    spec: dict[str, Any]
    data: pd.DataFrame


def _groups(t: Translator) -> list[tuple[str, str, str]]:
    """(column, name, colour) of the stacked groups, bottom first."""
    return [
        ("drones_launched", t.gettext("Drones"), DRONE_COLORS[0]),
        ("missiles_launched", t.gettext("Missiles"), MISSILE_COLORS[0]),
        ("other_launched", t.gettext("Other"), OTHER_COLOR),
    ]


def _utc_ms(day: date) -> int:
    return int(pd.Timestamp(day, tz="UTC").timestamp() * 1000)


def tick_label_expression(t: Translator) -> str:
    """A Vega expression naming a time tick in ``t``'s language (Vega's own names are English).

    A year's first day shows the year, a month's first day the month, any other day the day
    and month in the language's order (``Feb 2``, ``2 лют.``).
    """
    months = json.dumps(
        [
            get_month_names("abbreviated", context="format", locale=t.language)[m]
            for m in range(1, 13)
        ],
        ensure_ascii=False,
    )
    month = f"{months}[utcmonth(datum.value)]"
    day = "utcdate(datum.value)"
    day_first = format_skeleton("MMMd", date(2026, 2, 15), locale=t.language).startswith("15")
    day_and_month = f"{day} + ' ' + {month}" if day_first else f"{month} + ' ' + {day}"
    return (
        f"{day} == 1 ? (utcmonth(datum.value) == 0 ? '' + utcyear(datum.value) : {month})"
        f" : {day_and_month}"
    )


def region_daily_chart(
    daily: pd.DataFrame,
    *,
    title: str | None = None,
    weekly: bool = False,
    t: Translator = ENGLISH,
) -> RegionChart:
    """Weapons reported per day (or per week, with ``weekly``) in the waves that named a region.

    ``daily`` is ``daily_attack_counts`` with ``Filters.region`` set, or its ``weekly_sums``
    (the index then holds each week's Monday). Bars are stacked drones, missiles, other; a
    day or week without reports has no bar (a gap, not a zero). Axis ticks and hover texts
    are in ``t``'s language.
    """
    span = timedelta(days=7 if weekly else 1)
    groups = [g for g in _groups(t) if g[0] in daily]
    rows: list[dict[str, Any]] = []
    for day_value, counts in daily.iterrows():
        day = pd.Timestamp(day_value).date()
        when = t.date(day)
        if weekly:
            when = t.gettext("Week of {date}").format(date=when)
        below = 0.0  # stacked here, so each bar's bottom and top are plain numbers
        for column, name, _colour in groups:
            value = counts[column]
            if pd.isna(value):
                continue
            rows.append(
                {
                    "start": _utc_ms(day),
                    "end": _utc_ms(day + span),
                    "bottom": below,
                    "top": below + float(value),
                    "group": name,
                    "tip": f"{when} · {name}: {t.number(float(value), 0)}",
                }
            )
            below += float(value)
    x_axis = {"title": None, "labelExpr": tick_label_expression(t), "labelAngle": 0}
    spec: dict[str, Any] = {
        "$schema": VEGA_LITE_SCHEMA,
        "height": CHART_HEIGHT,
        "mark": {"type": "rect", "stroke": "white", "strokeWidth": 0.5},
        "encoding": {
            "x": {"field": "start", "type": "temporal", "scale": {"type": "utc"}, "axis": x_axis},
            "x2": {"field": "end"},
            "y": {
                "field": "bottom",
                "type": "quantitative",
                "title": t.gettext("launched"),
                "axis": {"format": "d"},
            },
            "y2": {"field": "top"},
            "color": {
                "field": "group",
                "type": "nominal",
                "scale": {
                    "domain": [name for _, name, _ in groups],
                    "range": [colour for _, _, colour in groups],
                },
                "legend": {"orient": "top", "title": None, "offset": 4},
            },
            "tooltip": {"field": "tip", "type": "nominal"},
        },
    }
    if title:
        spec["title"] = {"text": title, "anchor": "start", "fontSize": 14, "offset": 4}
    return RegionChart(spec, pd.DataFrame(rows, columns=list(DATA_COLUMNS)))
