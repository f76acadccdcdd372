"""Counts per 100,000 residents and per 1,000 km², checked against hand computations.

The expected rates are computed here from the bundled files read directly (data/population.csv
with the csv module, data/oblasts.geojson with geopandas in another equal-area projection), not
through the code under test.
"""

from __future__ import annotations

import csv
import math

import geopandas as gpd
import pandas as pd
import pytest
from query_tables import FEB, hand_built_tables

from oblastwatch.domain import resources
from oblastwatch.domain.denominators import (
    area_denominator,
    denominator,
    population_denominator,
)
from oblastwatch.domain.population import load_population
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query import metrics
from oblastwatch.query.build import prepare
from oblastwatch.query.rates import (
    applicable_normalisation,
    divide,
    normalise,
    region_values,
)


@pytest.fixture(scope="module")
def prepared():
    return prepare(*hand_built_tables())


@pytest.fixture(scope="module")
def population_by_hand() -> dict[str, int]:
    with resources.POPULATION_PATH.open(encoding="utf-8", newline="") as handle:
        return {row["iso_code"]: int(row["population"]) for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def area_by_hand() -> dict[str, float]:
    # EASE-Grid 2.0 (EPSG:6933), another equal-area projection than the code's Lambert one.
    frame = gpd.read_file(resources.BOUNDARIES_PATH).to_crs("EPSG:6933")
    return dict(zip(frame["code"], frame.geometry.area / 1e6, strict=True))


def test_waves_per_100k_residents_match_a_hand_computation(prepared, population_by_hand):
    # The hand-built tables: Kyiv City (UA-30) is hit by 1 wave, Kyiv oblast (UA-32) by 2.
    shown = region_values(prepared, FEB, "waves", "people")
    assert shown.values["UA-30"] == pytest.approx(1 / population_by_hand["UA-30"] * 100_000)
    assert shown.values["UA-32"] == pytest.approx(2 / population_by_hand["UA-32"] * 100_000)
    assert shown.values["UA-32"] == pytest.approx(0.111416, abs=1e-6)  # 2 / 1,795,079 * 1e5
    assert shown.counts["UA-32"] == 2


def test_weapons_per_1000_km2_match_a_hand_computation(prepared, area_by_hand):
    counts = metrics.region_metric(prepared, FEB, "weapons")
    shown = region_values(prepared, FEB, "weapons", "area")
    for code in ("UA-30", "UA-32"):
        assert counts[code] > 0
        expected = counts[code] / area_by_hand[code] * 1_000
        assert shown.values[code] == pytest.approx(expected, rel=1e-3)


def test_areas_are_equal_area_measures_of_the_map_outlines(area_by_hand):
    areas = area_denominator().figures
    assert sorted(areas.index) == sorted(REGION_CODES)
    for code, area in areas.items():
        # Two equal-area projections agree to well under 0.1 %; Web Mercator would be ~2.3x.
        assert area == pytest.approx(area_by_hand[code], rel=1e-3), code


def test_no_reports_stays_nan_and_zero_stays_zero(prepared):
    shown = region_values(prepared, FEB, "waves", "people")
    assert shown.values["UA-51"] == 0  # named, but only as intercepted: 0 waves
    assert math.isnan(shown.values["UA-05"])  # no report names it
    assert shown.no_figure == ()


def test_a_region_without_population_is_no_data_never_zero_or_infinite():
    population = load_population().drop(index=["UA-30", "UA-43"])
    people = population_denominator(population)
    counts = pd.Series(float("nan"), index=pd.Index(REGION_CODES, name="region_code"))
    counts[["UA-30", "UA-32"]] = [0.0, 2.0]
    shown = normalise(counts, "waves", "people", by=people)
    assert math.isnan(shown.values["UA-30"])
    assert shown.no_figure == ("UA-30",)  # reported, but no figure to divide by
    assert math.isnan(shown.values["UA-43"])  # no reports and no figure: stays "no reports"
    assert shown.values["UA-32"] > 0
    assert not any(math.isinf(v) for v in shown.values.dropna())


def test_a_zero_figure_is_treated_as_no_figure():
    people = population_denominator(
        pd.DataFrame({"population": [0], "reference_date": [None]}, index=["UA-05"])
    )
    rates, missing = divide(pd.Series({"UA-05": 4.0}), people)
    assert math.isnan(rates["UA-05"])
    assert missing == ("UA-05",)


def test_days_are_shown_raw_only(prepared):
    assert applicable_normalisation("days", "people") == "raw"
    with pytest.raises(ValueError, match="raw only"):
        region_values(prepared, FEB, "days", "area")
    assert region_values(prepared, FEB, "days", "raw").denominator is None


def test_a_count_metric_added_later_gets_both_denominators(monkeypatch):
    # Another metric (say, alert hours) needs no change here to be divided.
    extended = dict(metrics.METRICS, alert_hours=metrics.METRICS["waves"])
    monkeypatch.setattr(metrics, "METRICS", extended)
    monkeypatch.setattr("oblastwatch.query.rates.METRICS", extended)
    counts = pd.Series({"UA-05": 12.0})
    people = normalise(counts, "alert_hours", "people")
    area = normalise(counts, "alert_hours", "area")
    assert people.values["UA-05"] == pytest.approx(12 / 1_509_515 * 100_000)
    assert area.denominator is not None
    assert area.values["UA-05"] == pytest.approx(12 / area.denominator.figures["UA-05"] * 1_000)


def test_unknown_normalisation_is_refused():
    with pytest.raises(ValueError, match="unknown normalisation 'households'"):
        denominator("households")
    with pytest.raises(ValueError, match="no 'area' denominator"):
        normalise(pd.Series({"UA-05": 1.0}), "waves", "area", by=population_denominator())
