"""What a region's count can be divided by: its residents or its area.

A map metric that counts things (attack waves, weapons, incidents, ...) can be shown raw, per
100,000 residents or per 1,000 km². :func:`denominator` gives the figure of every region for
one choice, with its date and source; a region without a figure is absent from
``Denominator.figures`` and its rate is "no data", never 0 or infinity.

* ``people``: the SSSU present-population estimate (:mod:`oblastwatch.domain.population`),
  1 January 2022 for 25 regions and 1 January 2014 for Crimea and Sevastopol; every figure
  predates the full-scale invasion.
* ``area``: the area of the map's own outlines (:func:`oblastwatch.domain.geo.region_areas_km2`),
  measured in an equal-area projection. geopandas is imported only when this is asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

RAW = "raw"
PEOPLE = "people"
AREA = "area"
NORMALISATIONS = (RAW, PEOPLE, AREA)
# The start of the full-scale invasion: population figures dated before it are "pre-war".
FULL_SCALE_INVASION = date(2022, 2, 24)


@dataclass(frozen=True)
class Denominator:
    """The figure every region's count is divided by, and where it comes from.

    ``figures`` (float, index: region code) holds only regions with a figure above 0;
    ``reference_dates`` the date of each figure (empty when the figure has none, as areas);
    a rate is ``count / figure * per``.
    """

    key: str
    per: int
    unit: str
    figures: pd.Series
    reference_dates: pd.Series
    source: str

    def figure(self, code: str) -> float | None:
        """The figure of region ``code``, ``None`` when it has none."""
        value = self.figures.get(code)
        return None if value is None or pd.isna(value) else float(value)

    def reference_date(self, code: str) -> date | None:
        """The date of region ``code``'s figure, ``None`` when it has none."""
        value = self.reference_dates.get(code)
        return None if value is None or pd.isna(value) else value


def population_denominator(population: pd.DataFrame | None = None) -> Denominator:
    """Residents, per 100,000.

    ``population`` is a :func:`~oblastwatch.domain.population.load_population` table (the
    bundled one when ``None``).

    >>> d = population_denominator()
    >>> d.per, d.figure("UA-05"), str(d.reference_date("UA-40"))
    (100000, 1509515.0, '2014-01-01')
    """
    if population is None:
        from oblastwatch.domain.population import load_population

        population = load_population()
    figures = population["population"].astype("float64")
    keep = figures > 0
    return Denominator(
        key=PEOPLE,
        per=100_000,
        unit="residents",
        figures=figures[keep],
        reference_dates=population["reference_date"][keep],
        source="State Statistics Service of Ukraine, present-population estimates",
    )


def area_denominator(areas: pd.Series | None = None) -> Denominator:
    """Area in km² (``areas``; the map's outlines when ``None``), per 1,000 km²."""
    if areas is None:
        from oblastwatch.domain.geo import region_areas_km2

        areas = region_areas_km2()
    figures = areas.astype("float64")
    return Denominator(
        key=AREA,
        per=1_000,
        unit="km²",
        figures=figures[figures > 0],
        reference_dates=pd.Series(dtype=object),
        source="area of the map's simplified Natural Earth outlines, equal-area projection",
    )


def denominator(key: str) -> Denominator | None:
    """The denominator of normalisation ``key`` (one of :data:`NORMALISATIONS`; raw: None)."""
    if key == RAW:
        return None
    if key == PEOPLE:
        return population_denominator()
    if key == AREA:
        return area_denominator()
    raise ValueError(f"unknown normalisation {key!r}; expected one of {', '.join(NORMALISATIONS)}")
