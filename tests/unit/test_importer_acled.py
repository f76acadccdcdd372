"""ACLED exports (oblastwatch.importers.acled)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.acled import admin1_region, parse
from oblastwatch.importers.detect import detect_format

DATA = Path(__file__).resolve().parents[1] / "data" / "acled"


@pytest.fixture(scope="module")
def sample():
    return import_file(DATA / "ukraine_sample.csv")


def regions_of(result) -> dict[str, list[str]]:
    return {
        event_id: sorted(group["region_code"])
        for event_id, group in result.event_regions.groupby("event_id", sort=False)
    }


def test_header_is_detected_as_acled_not_points():
    header = pd.read_csv(DATA / "ukraine_sample.csv", nrows=0).columns
    assert detect_format(header) == "acled"


@pytest.mark.parametrize(
    ("admin1", "code"),
    [
        ("Kyiv", "UA-32"),  # ACLED's "Kyiv" is the oblast
        ("Kyiv City", "UA-30"),
        ("Odesa", "UA-51"),
        ("Dnipropetrovsk", "UA-12"),
        ("Zaporizhia", "UA-23"),
        ("Crimea", "UA-43"),
        ("Sevastopol", "UA-40"),
        ("Belgorod", None),
        ("", None),
    ],
)
def test_admin1_names(admin1, code):
    assert admin1_region(admin1) == code


def test_every_row_is_accounted_for(sample):
    report = sample.report
    assert report.format == "acled"
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (10, 7, 3)
    model.validate_events(sample.events)
    model.validate_event_regions(sample.event_regions)


def test_rejections_name_row_and_column(sample):
    assert [(r["row"], r["column"]) for r in sample.report.rejected] == [
        (4, "event_date"),
        (7, "fatalities"),
        (8, "latitude"),
    ]
    reasons = [r["reason"] for r in sample.report.rejected]
    assert reasons[0].startswith("'2024-02-31' is not a date")
    assert reasons[1] == "'three' is not a number"


def test_kinds_titles_descriptions_and_counts(sample):
    events = sample.events.set_index("event_id")
    shelling = events.loc["ukraine_sample:UKR1001"]
    assert shelling["kind"] == "strike"
    assert shelling["title"] == "Shelling/artillery/missile attack: Kharkiv"
    assert shelling["killed"] == 2
    assert shelling["description"].endswith("(Sources: Suspilne)")
    assert pd.isna(shelling["source_url"])
    assert shelling["place_text"] == "Kharkiv, Kharkiv"
    assert events.loc["ukraine_sample:UKR1004", "kind"] == "incident"  # Battles
    # "15 March 2024" is read as well as ISO.
    assert events.loc["ukraine_sample:UKR1002", "date"] == pd.Timestamp("2024-03-15")
    assert set(sample.event_regions["role"]) == {"location"}


def test_region_comes_from_admin1_and_disagreements_are_listed(sample):
    regions = regions_of(sample)
    assert regions["ukraine_sample:UKR1002"] == ["UA-32"]  # Irpin: admin1 Kyiv
    assert regions["ukraine_sample:UKR1003"] == ["UA-30"]
    assert regions["ukraine_sample:UKR1004"] == ["UA-59"]  # admin1 Sumy, point in Kharkiv
    assert regions["ukraine_sample:UKR1007"] == ["UA-43"]  # admin1 Crimea, point Sevastopol
    notes = sample.report.notes
    assert "admin1_vs_point_disagreements: 3" in notes
    assert "row 3: admin1 'Sumy' (UA-59) but the point lies in UA-63 (inside)" in notes


def test_admin1_places_a_row_without_coordinates_and_swaps_are_fixed():
    frame = pd.read_csv(DATA / "ukraine_sample.csv", dtype=str, keep_default_na=False)
    frame.loc[7, "fatalities"] = "0"  # make the no-coordinates row importable
    result = parse(frame, source_name="acled", path="acled.csv")
    assert regions_of(result)["acled:UKR1008"] == ["UA-23"]
    events = result.events.set_index("event_id")
    assert pd.isna(events.loc["acled:UKR1008", "lat"])
    lviv = events.loc["acled:UKR1010"]
    assert (lviv["lat"], lviv["lon"]) == (49.8397, 24.0316)
    line = next(n for n in result.report.notes if n.startswith("locate_methods: "))
    methods = json.loads(line.removeprefix("locate_methods: "))
    assert methods["admin1-text"] == 1
    assert methods["swapped"] == 1
    assert sum(methods.values()) == result.report.rows_imported


def test_russian_admin1_follows_the_point(sample):
    events = sample.events.set_index("event_id")
    assert events.loc["ukraine_sample:UKR1006", "scope"] == "outside"
    assert "ukraine_sample:UKR1006" not in regions_of(sample)


def test_missing_required_column_is_one_line_error():
    frame = pd.DataFrame({"event_id_cnty": ["X1"], "event_date": ["2024-01-01"]}, dtype=str)
    with pytest.raises(UnusableInput) as caught:
        parse(frame, source_name="a", path="a.csv")
    assert str(caught.value).startswith("a.csv: row header, column ")
