"""What a reader is told about a rate: its denominator, that figure's date, and the caveats.

The legend and every tooltip name the denominator and its date ("per 100,000 residents, 1 Jan
2022 estimate, pre-war"), and figures of another date are named with their regions (Crimea
and Sevastopol: 1 Jan 2014). :func:`caveats` are the sentences shown one click away from the
metric choice and in the exported map. Plain text: callers escape it for HTML or Markdown.
Every function writes in the language of its translator ``t`` (English by default, as the
CLI writes).
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
from oblastwatch.domain.regions import REGIONS_BY_CODE, region_name
from oblastwatch.i18n import ENGLISH, N_, Translator
from oblastwatch.present.maps.legend import format_number, value_text
from oblastwatch.query.metrics import MetricInfo
from oblastwatch.query.rates import RegionValues

NORMALISATION_LABELS = {
    RAW: N_("Count"),
    PEOPLE: N_("Per 100,000 residents"),
    AREA: N_("Per 1,000 km²"),
}
NO_FIGURE_LABELS = {PEOPLE: N_("No data (no population figure)"), AREA: N_("No data (no area)")}


def short_date(day: date, t: Translator = ENGLISH) -> str:
    """``1 Jan 2022`` (``1 січ. 2022 р.`` in Ukrainian).

    >>> short_date(date(2022, 1, 1))
    '1 Jan 2022'
    """
    if t.language == ENGLISH.language:
        return f"{day.day} {day:%b %Y}"
    return t.date(day)


def figure_date_text(day: date, t: Translator = ENGLISH) -> str:
    """How a population figure's date is named: ``1 Jan 2022 estimate, pre-war``.

    >>> figure_date_text(date(2014, 1, 1))
    '1 Jan 2014 estimate, pre-war'
    """
    if day < FULL_SCALE_INVASION:
        return t.gettext("{date} estimate, pre-war").format(date=short_date(day, t))
    return t.gettext("{date} estimate").format(date=short_date(day, t))


def per_text(by: Denominator, t: Translator = ENGLISH) -> str:
    """``per 100,000 residents`` or ``per 1,000 km²``."""
    per = format_number(by.per, t)
    if by.key == AREA:
        return t.gettext("per {number} km²").format(number=per)
    return t.gettext("per {number} residents").format(number=per)


def _names(codes: list[str], t: Translator) -> str:
    names = sorted(region_name(c, t.language) if c in REGIONS_BY_CODE else c for c in codes)
    if len(names) == 1:
        return names[0]
    return t.gettext("{names} and {last}").format(names=", ".join(names[:-1]), last=names[-1])


def denominator_note(by: Denominator, t: Translator = ENGLISH) -> str:
    """The denominator and its date(s), for a legend or a title.

    ``per 100,000 residents, 1 Jan 2022 estimate, pre-war; Autonomous Republic of Crimea and
    Sevastopol: 1 Jan 2014 estimate, pre-war``; ``per 1,000 km², area of the simplified map
    outlines``.
    """
    if by.key == AREA:
        return t.gettext("{per}, area of the simplified map outlines").format(per=per_text(by, t))
    dates = by.reference_dates.dropna()
    if dates.empty:
        return per_text(by, t)
    main = Counter(dates.tolist()).most_common(1)[0][0]
    text = f"{per_text(by, t)}, {figure_date_text(main, t)}"
    others: dict[date, list[str]] = {}
    for code, day in dates.items():
        if day != main:
            others.setdefault(day, []).append(str(code))
    for day in sorted(others):
        text += f"; {_names(others[day], t)}: {figure_date_text(day, t)}"
    return text


def sentence(text: str) -> str:
    """``text`` with its first letter in upper case (``str.capitalize`` lowers the rest).

    >>> sentence("per 100,000 residents, 1 Jan 2022")
    'Per 100,000 residents, 1 Jan 2022'
    """
    return text[:1].upper() + text[1:]


def metric_title(info: MetricInfo, by: Denominator | None, t: Translator = ENGLISH) -> str:
    """``Attack waves`` or ``Attack waves per 100,000 residents`` (``info`` in ``t``'s language)."""
    return info.label if by is None else f"{info.label} {per_text(by, t)}"


def legend_title(info: MetricInfo, by: Denominator | None, t: Translator = ENGLISH) -> str:
    """The legend's heading: the unit, and for a rate its denominator and date(s)."""
    return info.unit if by is None else f"{info.unit} {denominator_note(by, t)}"


def figure_text(by: Denominator, code: str, t: Translator = ENGLISH) -> str:
    """One region's figure: ``1,509,515 residents (1 Jan 2022 estimate, pre-war)``."""
    figure = by.figure(code)
    if figure is None:
        return (
            t.gettext("no population figure") if by.key == PEOPLE else t.gettext("no area figure")
        )
    if by.key == AREA:
        return t.gettext("{number} km² (simplified map outline)").format(
            number=format_number(round(figure), t)
        )
    day = by.reference_date(code)
    number = format_number(figure, t)
    if day is None:
        return t.gettext("{number} residents").format(number=number)
    return t.gettext("{number} residents ({date})").format(
        number=number, date=figure_date_text(day, t)
    )


def region_details(shown: RegionValues, unit: str, t: Translator = ENGLISH) -> dict[str, str]:
    """Each region's tooltip line for a rate: its count and the figure it is divided by.

    ``unit`` is the metric's English unit. Empty for raw counts; regions without reports get
    none (their tooltip says so).
    """
    by = shown.denominator
    if by is None:
        return {}
    details = {}
    for code, count in shown.counts.items():
        if pd.isna(count):
            continue
        details[str(code)] = f"{value_text(float(count), unit, t)}; {figure_text(by, str(code), t)}"
    return details


def region_value_text(shown: RegionValues, code: str, unit: str, t: Translator = ENGLISH) -> str:
    """One region's value as the page states it.

    ``"0.2"`` for a rate, ``"3 waves"`` for a count, ``"no reports"``, or ``"no data"``
    (reports, but no figure to divide by).
    """
    if code in shown.no_figure:
        return t.gettext("no data")
    value = shown.values.get(code)
    missing = value is None or pd.isna(value)
    return value_text(None if missing else float(value), "" if shown.denominator else unit, t)


def caveats(by: Denominator, t: Translator = ENGLISH) -> tuple[str, ...]:
    """What a reader should know before comparing these rates (plain sentences)."""
    _ = t.gettext
    if by.key == AREA:
        kyiv = by.figure("UA-30")
        kyiv_text = (
            " "
            + _(
                "(Kyiv City's outline here covers {area} km², wider than the city's own boundary)"
            ).format(area=format_number(round(kyiv), t))
            if kyiv is not None
            else ""
        )
        return (
            _(
                "Areas are measured on the map's own outlines (Natural Earth 1:10m, simplified "
                "to about 200–300 m) in an equal-area projection, not taken from an official "
                "register, so they differ from official areas; small regions differ most"
            )
            + kyiv_text
            + ".",
            _("Each region's whole area is used, whoever controls it."),
        )
    dates = by.reference_dates.dropna()
    main = Counter(dates.tolist()).most_common(1)[0][0] if len(dates) else None
    displaced = _(
        "Millions of people have been displaced since, to other regions and abroad, unevenly "
        "by region: these are rates per 100,000 pre-war residents, not per current resident."
    )
    if main is not None:
        estimates = _(
            "Residents are the State Statistics Service of Ukraine's present-population "
            "estimates for {date}, before the full-scale invasion."
        ).format(date=short_date(main, t))
    else:
        estimates = _(
            "Residents are the State Statistics Service of Ukraine's present-population "
            "estimates, before the full-scale invasion."
        )
    lines = [f"{estimates} {displaced}"]
    older: dict[date, list[str]] = {}
    for code, day in dates.items():
        if day != main:
            older.setdefault(day, []).append(str(code))
    for day in sorted(older):
        lines.append(
            _(
                "{regions}: figures for {date}, the Service's latest found for them; it has "
                "estimated the other regions without them since 2014."
            ).format(regions=_names(older[day], t), date=short_date(day, t))
        )
    lines += [
        _(
            "Occupied areas: parts of Donetsk and Luhansk oblasts have been outside government "
            "control since 2014, and more territory since 2022; each figure covers its whole "
            "region and does not reflect this."
        ),
        _("The figures are estimates rolled forward from the 2001 census, not counts."),
    ]
    return tuple(lines)
