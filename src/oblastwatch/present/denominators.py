"""What a reader is told about a rate: its denominator, that figure's date, and the caveats.

The legend and every tooltip name the denominator and its date ("per 100,000 residents, 1 Jan
2022 estimate, pre-war"), and figures of another date are named with their regions (Crimea
and Sevastopol: 1 Jan 2014). :func:`caveats` are the sentences shown one click away from the
metric choice and in the exported map. Plain text: callers escape it for HTML or Markdown.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd

from oblastwatch.domain.denominators import (
    AREA,
    FULL_SCALE_INVASION,
    PEOPLE,
    RAW,
    Denominator,
)
from oblastwatch.domain.population import PUBLISHER
from oblastwatch.domain.regions import REGIONS_BY_CODE
from oblastwatch.present.maps.legend import format_number, value_text
from oblastwatch.query.metrics import MetricInfo
from oblastwatch.query.rates import RegionValues

NORMALISATION_LABELS = {
    RAW: "Count",
    PEOPLE: "Per 100,000 residents",
    AREA: "Per 1,000 km²",
}
NO_FIGURE_LABELS = {PEOPLE: "No data (no population figure)", AREA: "No data (no area)"}


def short_date(day: date) -> str:
    """``1 Jan 2022``.

    >>> short_date(date(2022, 1, 1))
    '1 Jan 2022'
    """
    return f"{day.day} {day:%b %Y}"


def figure_date_text(day: date) -> str:
    """How a population figure's date is named: ``1 Jan 2022 estimate, pre-war``.

    >>> figure_date_text(date(2014, 1, 1))
    '1 Jan 2014 estimate, pre-war'
    """
    pre_war = ", pre-war" if day < FULL_SCALE_INVASION else ""
    return f"{short_date(day)} estimate{pre_war}"


def per_text(by: Denominator) -> str:
    """``per 100,000 residents`` or ``per 1,000 km²``."""
    return f"per {by.per:,} {by.unit}"


def _names(codes: list[str]) -> str:
    names = sorted(REGIONS_BY_CODE[c].name_en if c in REGIONS_BY_CODE else c for c in codes)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def denominator_note(by: Denominator) -> str:
    """The denominator and its date(s), for a legend or a title.

    ``per 100,000 residents, 1 Jan 2022 estimate, pre-war; Autonomous Republic of Crimea and
    Sevastopol: 1 Jan 2014 estimate, pre-war``; ``per 1,000 km², area of the simplified map
    outlines``.
    """
    if by.key == AREA:
        return f"{per_text(by)}, area of the simplified map outlines"
    dates = by.reference_dates.dropna()
    if dates.empty:
        return per_text(by)
    main = Counter(dates.tolist()).most_common(1)[0][0]
    text = f"{per_text(by)}, {figure_date_text(main)}"
    others: dict[date, list[str]] = {}
    for code, day in dates.items():
        if day != main:
            others.setdefault(day, []).append(str(code))
    for day in sorted(others):
        text += f"; {_names(others[day])}: {figure_date_text(day)}"
    return text


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case (``str.capitalize`` lowers the rest).

    >>> sentence("per 100,000 residents, 1 Jan 2022")
    'Per 100,000 residents, 1 Jan 2022'
    """
    return text[:1].upper() + text[1:]


def metric_title(info: MetricInfo, by: Denominator | None) -> str:
    """``Attack waves`` or ``Attack waves per 100,000 residents``."""
    return info.label if by is None else f"{info.label} {per_text(by)}"


def legend_title(info: MetricInfo, by: Denominator | None) -> str:
    """The legend's heading: the unit, and for a rate its denominator and date(s)."""
    return info.unit if by is None else f"{info.unit} {denominator_note(by)}"


def figure_text(by: Denominator, code: str) -> str:
    """One region's figure: ``1,509,515 residents (1 Jan 2022 estimate, pre-war)``."""
    figure = by.figure(code)
    if figure is None:
        return "no population figure" if by.key == PEOPLE else "no area figure"
    if by.key == AREA:
        return f"{format_number(round(figure))} km² (simplified map outline)"
    day = by.reference_date(code)
    when = f" ({figure_date_text(day)})" if day is not None else ""
    return f"{format_number(figure)} {by.unit}{when}"


def region_details(shown: RegionValues, unit: str) -> dict[str, str]:
    """Each region's tooltip line for a rate: its count and the figure it is divided by.

    Empty for raw counts; regions without reports get none (their tooltip says so).
    """
    by = shown.denominator
    if by is None:
        return {}
    details = {}
    for code, count in shown.counts.items():
        if pd.isna(count):
            continue
        details[str(code)] = f"{value_text(float(count), unit)}; {figure_text(by, str(code))}"
    return details


def region_value_text(shown: RegionValues, code: str, unit: str) -> str:
    """One region's value as the page states it.

    ``"0.2"`` for a rate, ``"3 waves"`` for a count, ``"no reports"``, or ``"no data"``
    (reports, but no figure to divide by).
    """
    if code in shown.no_figure:
        return "no data"
    value = shown.values.get(code)
    missing = value is None or pd.isna(value)
    return value_text(None if missing else float(value), "" if shown.denominator else unit)


def caveats(by: Denominator) -> tuple[str, ...]:
    """What a reader should know before comparing these rates (plain sentences)."""
    if by.key == AREA:
        kyiv = by.figure("UA-30")
        kyiv_text = (
            f" (Kyiv City's outline here covers {format_number(round(kyiv))} km², wider than "
            "the city's own boundary)"
            if kyiv is not None
            else ""
        )
        return (
            "Areas are measured on the map's own outlines (Natural Earth 1:10m, simplified to "
            "about 200–300 m) in an equal-area projection, not taken from an official register, "
            f"so they differ from official areas; small regions differ most{kyiv_text}.",
            "Each region's whole area is used, whoever controls it.",
        )
    dates = by.reference_dates.dropna()
    main = Counter(dates.tolist()).most_common(1)[0][0] if len(dates) else None
    lines = [
        f"Residents are the {PUBLISHER}'s present-population estimates"
        + (f" for {short_date(main)}" if main is not None else "")
        + ", before the full-scale invasion. Millions of people have been displaced since, "
        "to other regions and abroad, unevenly by region: these are rates per 100,000 "
        "pre-war residents, not per current resident.",
    ]
    older: dict[date, list[str]] = {}
    for code, day in dates.items():
        if day != main:
            older.setdefault(day, []).append(str(code))
    for day in sorted(older):
        lines.append(
            f"{_names(older[day])}: figures for {short_date(day)}, the Service's latest found "
            "for them; it has estimated the other regions without them since 2014."
        )
    lines += [
        "Occupied areas: parts of Donetsk and Luhansk oblasts have been outside government "
        "control since 2014, and more territory since 2022; each figure covers its whole "
        "region and does not reflect this.",
        "The figures are estimates rolled forward from the 2001 census, not counts.",
    ]
    return tuple(lines)
