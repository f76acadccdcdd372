"""Geolocated incident lists (oblastwatch.importers.points)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from rejections import english

from oblastwatch.domain import model
from oblastwatch.importers import import_file
from oblastwatch.importers.detect import detect_format
from oblastwatch.importers.points import parse

DATA = Path(__file__).resolve().parents[1] / "data" / "points"


def frame_of(rows: list[dict[str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, dtype=str)


def regions_of(result) -> dict[str, list[str]]:
    table = result.event_regions
    return {
        event_id: sorted(group["region_code"])
        for event_id, group in table.groupby("event_id", sort=False)
    }


def locate_methods(result) -> dict[str, int]:
    line = next(n for n in result.report.notes if n.startswith("locate_methods: "))
    return json.loads(line.removeprefix("locate_methods: "))


@pytest.fixture(scope="module")
def civilian_harm():
    return import_file(DATA / "civilian_harm.csv")


def test_header_is_detected_as_points():
    assert detect_format(["id", "date", "latitude", "longitude", "location"]) == "points"
    assert detect_format(["Date", "Lat", "Lng"]) == "points"


def test_every_row_is_accounted_for(civilian_harm):
    report = civilian_harm.report
    assert report.format == "points"
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (10, 8, 2)
    assert report.rows_in == report.rows_imported + report.rows_rejected
    model.validate_events(civilian_harm.events)
    model.validate_event_regions(civilian_harm.event_regions)


def test_rejections_name_row_and_column(civilian_harm):
    rejected = {r["row"]: r for r in civilian_harm.report.rejected}
    assert rejected[2]["column"] == "date"
    assert rejected[2]["reason"].startswith("'02/30/2022' is not a date")
    assert rejected[7]["column"] == "latitude"
    assert "no location text" in rejected[7]["reason"]
    assert 9 not in rejected  # shares CIV0002 with row 1 but is another incident


def test_a_reused_id_with_other_content_is_a_second_event(civilian_harm):
    events = civilian_harm.events.set_index("event_id")
    assert events.at["civilian_harm:CIV0002", "place_text"] == "Kyiv"
    assert events.at["civilian_harm:CIV0002#2", "place_text"] == "Lviv"
    assert events.at["civilian_harm:CIV0002#2", "source_row"] == 9
    assert (
        "id 'CIV0002' is shared by 2 rows that differ, kept as separate events: "
        "row 1 as 'CIV0002', row 9 as 'CIV0002#2'"
    ) in civilian_harm.report.notes


def test_events_carry_ids_dates_urls_and_kind(civilian_harm):
    events = civilian_harm.events.set_index("event_id")
    first = events.loc["civilian_harm:CIV0001"]
    assert first["kind"] == "incident"
    assert first["source"] == "civilian_harm"
    assert first["source_row"] == 0
    assert first["date"] == pd.Timestamp("2022-02-24")  # MM/DD/YYYY, the Kyiv day
    assert first["start"] == pd.Timestamp("2022-02-23 22:00", tz="UTC")
    assert first["source_url"] == "https://example.org/chuhuiv-1"  # first path in the JSON list
    assert first["place_text"] == "Chuhuiv, south of Kharkiv"
    assert first["description"] == "Apartment block hit."
    assert set(civilian_harm.event_regions["role"]) == {"location"}


def test_points_are_placed_by_their_coordinates(civilian_harm):
    regions = regions_of(civilian_harm)
    assert regions["civilian_harm:CIV0001"] == ["UA-63"]
    assert regions["civilian_harm:CIV0002"] == ["UA-30"]
    # The Dnipro off Kherson: 0.08 km from the outline, taken as Kherson Oblast.
    assert regions["civilian_harm:CIV0006"] == ["UA-65"]


def test_swapped_coordinates_are_corrected_and_noted(civilian_harm):
    events = civilian_harm.events.set_index("event_id")
    swapped = events.loc["civilian_harm:CIV0004"]
    assert (swapped["lat"], swapped["lon"]) == (50.45, 30.52)
    assert regions_of(civilian_harm)["civilian_harm:CIV0004"] == ["UA-30"]
    assert any(n.startswith("row 3: latitude/longitude") for n in civilian_harm.report.notes)


def test_point_on_russian_land_is_outside_without_a_region(civilian_harm):
    events = civilian_harm.events.set_index("event_id")
    assert events.loc["civilian_harm:CIV0007", "scope"] == "outside"
    assert "civilian_harm:CIV0007" not in regions_of(civilian_harm)
    assert any("row 6:" in n and "Russia" in n for n in civilian_harm.report.notes)


def test_impossible_coordinates_fall_back_to_the_place_text(civilian_harm):
    events = civilian_harm.events.set_index("event_id")
    regions = regions_of(civilian_harm)
    assert regions["civilian_harm:CIV0005"] == ["UA-46"]  # latitude 95.2, location Lviv
    assert regions["civilian_harm:CIV0009"] == ["UA-40"]  # (0, 0), location Sevastopol
    assert events.loc[["civilian_harm:CIV0005", "civilian_harm:CIV0009"], "lat"].isna().all()
    notes = civilian_harm.report.notes
    assert any(n.startswith("row 4: coordinates ('95.2', '30.5') unusable") for n in notes)


def test_locate_methods_count_every_imported_row(civilian_harm):
    methods = locate_methods(civilian_harm)
    assert methods == {
        "inside": 3,
        "nearest-within-tolerance": 1,
        "outside": 1,
        "place-text": 2,
        "swapped": 1,
    }
    assert sum(methods.values()) == civilian_harm.report.rows_imported
    assert civilian_harm.report.scopes == {"regions": 7, "outside": 1}


def test_json_records_with_iso_dates_offsets_and_numbers():
    result = import_file(DATA / "incidents.json")
    report = result.report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (3, 2, 1)
    assert report.rejected[0]["row"] == 2
    assert report.rejected[0]["column"] == "date"
    events = result.events.set_index("event_id")
    # 01:30 at +03:00 is 22:30 UTC the day before, still 2 April in Kyiv.
    sevastopol = events.loc["incidents:CIV0102"]
    assert sevastopol["start"] == pd.Timestamp("2022-04-01 22:30", tz="UTC")
    assert sevastopol["date"] == pd.Timestamp("2022-04-02")
    assert regions_of(result) == {"incidents:CIV0101": ["UA-43"], "incidents:CIV0102": ["UA-40"]}
    assert pd.isna(sevastopol["source_url"])


def test_unresolved_place_text_is_tallied_when_coordinates_are_unusable():
    frame = frame_of(
        [
            {
                "date": "2024-01-02",
                "latitude": "abc",
                "longitude": "30",
                "location": "Nowhereville",
            },
            {"date": "2024-01-02", "latitude": "", "longitude": "", "location": "Nowhereville"},
        ]
    )
    result = parse(frame, source_name="t", path="t.csv")
    assert result.report.rows_imported == 2
    assert result.report.unresolved == {"Nowhereville": 2}
    assert result.event_regions.empty
    # Without an id column the row number is the id.
    assert list(result.events["event_id"]) == ["t:0", "t:1"]


def test_blank_and_negative_counts():
    frame = frame_of(
        [
            {"date": "2024-01-02", "lat": "50.45", "lon": "30.52", "killed": "3", "injured": ""},
            {"date": "2024-01-02", "lat": "50.45", "lon": "30.52", "killed": "-1", "injured": ""},
        ]
    )
    result = parse(frame, source_name="t", path="t.csv")
    assert result.events["killed"].tolist() == [3.0]
    assert english(result.report.rejected) == [
        {"row": 1, "column": "killed", "reason": "'-1' is a negative count"}
    ]


def test_counts_follow_the_shared_rule_and_dates_the_window():
    base = {"lat": "50.45", "lon": "30.52", "injured": ""}
    frame = frame_of(
        [
            {**base, "date": "2024-01-02", "killed": "3.0"},
            {**base, "date": "2024-01-02", "killed": "inf"},
            {**base, "date": "2024-01-02", "killed": "1.5"},
            {**base, "date": "2024-01-02", "killed": "1e300"},
            {**base, "date": "12/31/9999", "killed": ""},
            {**base, "date": "0001-01-01T00:00Z", "killed": ""},
        ]
    )
    result = parse(frame, source_name="t", path="t.csv")
    assert result.events["killed"].tolist() == [3.0]
    assert [(r["row"], r["column"]) for r in result.report.rejected] == [
        (1, "killed"),
        (2, "killed"),
        (3, "killed"),
        (4, "date"),
        (5, "date"),
    ]
    model.validate_events(result.events)
