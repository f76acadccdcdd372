"""Plotly figures in the reader's language: date ticks, hover dates and number signs.

Plotly names months in English whatever the page's language (its other locales are separate
scripts that Streamlit does not load), so for any other language the date axes get tick
labels written by Babel, hover dates are numeric (``05.02.2026``, the Ukrainian way of
writing a date), and numbers take the language's decimal and group signs (``separators``).
English keeps Plotly's own ticks, which also re-space when a reader zooms.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from oblastwatch.i18n import ENGLISH, Translator

MAX_TICKS = 10
# Month steps tried in order, after day steps of 1, 2 and 7 days.
_MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60)
_DAY_STEPS = (1, 2, 7, 14)
# Plotly's separators: the decimal sign, then the group sign.
_SEPARATORS = {"en": ".,", "uk": ", "}


def hover_date(t: Translator = ENGLISH) -> str:
    """The d3 format of a day in hover texts: ``05 Feb 2026``, or ``05.02.2026``."""
    return "%d %b %Y" if t.language == ENGLISH.language else "%d.%m.%Y"


def _month_starts(first: date, last: date, step: int) -> list[date]:
    months = first.year * 12 + first.month - 1
    if first.day != 1:
        months += 1
    months += (-months) % step  # ticks on months a step divides (Jan, Apr, Jul, Oct for 3)
    ticks: list[date] = []
    while True:
        day = date(months // 12, months % 12 + 1, 1)
        if day > last:
            return ticks
        ticks.append(day)
        months += step


def date_ticks(first: date, last: date, t: Translator = ENGLISH) -> tuple[list[str], list[str]]:
    """Tick positions (ISO days) and labels between ``first`` and ``last``, at most 10.

    Days or weeks are labelled ``5 лют.``, months ``лют. 2026 р.``, decades of years by year.

    >>> date_ticks(date(2025, 11, 20), date(2026, 4, 10))[1]
    ['Dec 2025', 'Jan 2026', 'Feb 2026', 'Mar 2026', 'Apr 2026']
    >>> date_ticks(date(2026, 2, 1), date(2026, 2, 4), Translator("uk"))[1]
    ['1 лют.', '2 лют.', '3 лют.', '4 лют.']
    """
    span = (last - first).days
    for step in _DAY_STEPS:
        if span // step + 1 <= MAX_TICKS:
            days = [first + timedelta(days=i) for i in range(0, span + 1, step)]
            return [d.isoformat() for d in days], [t.day_month(d) for d in days]
    for step in _MONTH_STEPS:
        months = _month_starts(first, last, step)
        if len(months) <= MAX_TICKS:
            labels = [str(d.year) for d in months] if step >= 12 else [t.month(d) for d in months]
            return [d.isoformat() for d in months], labels
    years = [date(y, 1, 1) for y in range(first.year + 1, last.year + 1, 10)]
    return [d.isoformat() for d in years], [str(d.year) for d in years]


def localise(fig: go.Figure, t: Translator, days: Any = None) -> go.Figure:
    """Set ``fig``'s number signs and, outside English, its date ticks over ``days``.

    ``days`` is anything ``pd.DatetimeIndex`` takes (the days the figure shows); without it
    the date axes keep Plotly's ticks.
    """
    fig.update_layout(separators=_SEPARATORS.get(t.language, _SEPARATORS["en"]))
    if t.language == ENGLISH.language or days is None:
        return fig
    index = pd.DatetimeIndex(days)
    if index.empty:
        return fig
    values, labels = date_ticks(index.min().date(), index.max().date(), t)
    fig.update_xaxes(tickmode="array", tickvals=values, ticktext=labels)
    return fig
