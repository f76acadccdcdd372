"""What a reader sees of a rate: legend and tooltip name the denominator and its date, no data
is not zero, the exported map carries the caveats, the values CSV the figures."""

from __future__ import annotations

import csv
import io
import re

import pandas as pd
import pytest
from map_script import region_table

from oblastwatch.domain.denominators import area_denominator, population_denominator
from oblastwatch.domain.geo import load_boundaries
from oblastwatch.domain.population import load_population
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present import denominators as text
from oblastwatch.present.exports import REGION_VALUE_COLUMNS, region_values_csv
from oblastwatch.present.maps import choropleth_map, legend_bins, standalone_map_html
from oblastwatch.present.maps.legend import NO_DATA, format_number
from oblastwatch.query.metrics import METRICS
from oblastwatch.query.rates import normalise

WAVES = METRICS["waves"]


@pytest.fixture(scope="module")
def boundaries():
    return load_boundaries()


def counts(**by_code: float) -> pd.Series:
    series = pd.Series(float("nan"), index=pd.Index(REGION_CODES, name="region_code"))
    for code, value in by_code.items():
        series[code.replace("_", "-")] = value
    return series


def tooltips(m) -> dict[str, str]:
    table = region_table(m.get_root().render())
    return {code: row["tooltip"] for code, row in table.items()}


def rate_map(shown, boundaries):
    by = shown.denominator
    return choropleth_map(
        shown.values,
        boundaries,
        metric_label=text.metric_title(WAVES, by),
        unit="",
        no_data=shown.no_figure,
        details=text.region_details(shown, WAVES.unit),
    )


def test_legend_title_names_the_denominator_and_both_dates():
    title = text.legend_title(WAVES, population_denominator())
    assert title.startswith("waves per 100,000 residents, 1 Jan 2022 estimate, pre-war")
    assert "Autonomous Republic of Crimea and Sevastopol: 1 Jan 2014 estimate" in title
    area = text.legend_title(WAVES, area_denominator())
    assert area == "waves per 1,000 km², area of the simplified map outlines"
    assert text.legend_title(WAVES, None) == "waves"


def test_tooltips_give_the_rate_the_count_and_the_dated_figure(boundaries):
    shown = normalise(counts(UA_05=3.0, UA_43=2.0), "waves", "people")
    tips = tooltips(rate_map(shown, boundaries))
    # 3 / 1,509,515 * 100,000 = 0.19874
    assert "Attack waves per 100,000 residents: 0.2<br>" in tips["UA-05"]
    assert "3 waves; 1,509,515 residents (1 Jan 2022 estimate, pre-war)" in tips["UA-05"]
    # 2 / 1,967,200 * 100,000 = 0.10167
    assert "Attack waves per 100,000 residents: 0.1<br>" in tips["UA-43"]
    assert "2 waves; 1,967,200 residents (1 Jan 2014 estimate, pre-war)" in tips["UA-43"]
    assert tips["UA-07"].endswith("Attack waves per 100,000 residents: no reports</div>")


def test_area_tooltips_give_the_outline_area(boundaries):
    shown = normalise(counts(UA_30=5.0), "waves", "area")
    tip = tooltips(rate_map(shown, boundaries))["UA-30"]
    area = area_denominator().figure("UA-30")
    assert f"5 waves; {format_number(round(area))} km² (simplified map outline)" in tip
    assert f": {format_number(5 / area * 1000)}<br>" in tip


def test_a_region_without_population_reads_no_data_in_map_and_legend(boundaries):
    people = population_denominator(load_population().drop(index="UA-30"))
    shown = normalise(counts(UA_30=4.0, UA_32=0.0), "waves", "people", by=people)
    m = rate_map(shown, boundaries)
    tips = tooltips(m)
    assert "residents: no data<br>" in tips["UA-30"]
    assert "4 waves; no population figure" in tips["UA-30"]
    assert "residents: 0<br>" in tips["UA-32"]
    page = m.get_root().render()
    assert "inf" not in re.findall(r"residents: (\w+)", page)
    legend = legend_bins(shown.values, no_data_label=text.NO_FIGURE_LABELS["people"])
    assert [(e.label, e.kind) for e in legend[:2]][1] == ("No data (no population figure)", NO_DATA)
    assert text.region_value_text(shown, "UA-30", "waves") == "no data"
    assert text.region_value_text(shown, "UA-07", "waves") == "no reports"


def test_exported_map_keeps_the_denominator_and_caveats_one_click_away(boundaries):
    by = population_denominator()
    shown = normalise(counts(UA_05=3.0), "waves", "people")
    page = standalone_map_html(
        rate_map(shown, boundaries),
        offline=True,
        legend=legend_bins(shown.values),
        legend_title="Attack waves per 100,000 residents, 2026-02-01 to 2026-02-28",
        legend_note=text.denominator_note(by),
        caveats=text.caveats(by),
    )
    assert '<div class="ow-legend-note">per 100,000 residents, 1 Jan 2022 estimate' in page
    details = re.search(r"<details><summary>About these rates</summary>(.*?)</details>", page)
    assert details, "caveats block missing"
    assert "displaced" in details.group(1)
    assert "1 Jan 2014" in details.group(1)
    assert "Kyiv City&#x27;s" not in details.group(1)  # area caveats only for area


def test_caveats_name_displacement_occupation_and_the_simplified_outlines():
    people = " ".join(text.caveats(population_denominator()))
    for phrase in ("displaced", "pre-war", "Occupied areas", "2001 census", "1 Jan 2014"):
        assert phrase in people
    area = " ".join(text.caveats(area_denominator()))
    for phrase in ("simplified", "equal-area", "Kyiv City"):
        assert phrase in area


def test_values_csv_carries_rate_denominator_date_and_status():
    people = population_denominator(load_population().drop(index="UA-30"))
    shown = normalise(counts(UA_05=3.0, UA_30=1.0), "waves", "people", by=people)
    rows = {
        r["region_code"]: r
        for r in csv.DictReader(io.StringIO(region_values_csv(shown).decode("utf-8")))
    }
    assert tuple(next(iter(rows.values()))) == REGION_VALUE_COLUMNS
    assert len(rows) == 27
    vinnytsia = rows["UA-05"]
    assert (vinnytsia["count"], vinnytsia["per"], vinnytsia["denominator"]) == (
        "3",
        "people",
        "1509515",
    )
    assert float(vinnytsia["value"]) == pytest.approx(3 / 1_509_515 * 100_000)
    assert vinnytsia["denominator_date"] == "2022-01-01"
    assert vinnytsia["status"] == "reported"
    assert (rows["UA-30"]["value"], rows["UA-30"]["status"]) == ("", "no data")
    assert (rows["UA-07"]["value"], rows["UA-07"]["status"]) == ("", "no reports")


def test_small_rates_never_print_as_zero():
    assert format_number(0.0042) == "0.0042"
    assert format_number(0.126) == "0.13"
