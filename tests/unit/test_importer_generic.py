"""The generic CSV importer driven by a column mapping."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from rejections import english

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, import_file

DATA = Path(__file__).resolve().parents[1] / "data" / "generic"
MAPPING = json.loads((DATA / "mapping.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def result():
    return import_file(DATA / "events.csv", fmt="csv", mapping=MAPPING, source_name="mine")


def test_every_row_is_imported_or_rejected_with_row_and_column(result):
    model.validate_events(result.events)
    model.validate_event_regions(result.event_regions)
    report = result.report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (9, 5, 4)
    assert [(r["row"], r["column"]) for r in report.rejected] == [
        (4, "When"),
        (5, "Launched"),
        (6, "What"),
        (7, "Link"),
    ]


def test_a_reused_event_id_on_another_row_is_another_event(result):
    # Row 8 reuses KR-1 for a different strike (Odesa, another day): both are kept.
    events = result.events.set_index("event_id")
    assert events.at["mine:id:KR-1", "source_row"] == 0
    assert events.at["mine:id:KR-1#2", "source_row"] == 8
    assert "row 0 as 'KR-1', row 8 as 'KR-1#2'" in " ".join(result.report.notes)


def test_fields_are_mapped(result):
    events = result.events.set_index("source_row")
    kryvyi_rih = events.loc[0]
    assert kryvyi_rih["event_id"] == "mine:id:KR-1"
    assert kryvyi_rih["kind"] == "strike"
    assert kryvyi_rih["killed"] == 20
    assert kryvyi_rih["launched"] == 1
    assert kryvyi_rih["weapon_category"] == "ballistic missile"
    assert kryvyi_rih["source_url"] == "https://example.org/kryvyi-rih"
    assert kryvyi_rih["start"] == pd.Timestamp("2025-04-04 15:45", tz="UTC")
    assert kryvyi_rih["date"] == pd.Timestamp("2025-04-04")
    assert kryvyi_rih["title"] == "Strike: Kryvyi Rih"
    # Day-first dates as written in Ukraine; a date alone covers the day.
    assert events.loc[1, "date"] == pd.Timestamp("2025-04-13")
    assert events.loc[1, "end"] == pd.Timestamp("2025-04-13 20:59", tz="UTC")


def test_regions_roles_and_unresolved(result):
    table = result.event_regions.merge(result.events[["event_id", "source_row"]], on="event_id")
    by_row = table.groupby("source_row")["region_code"].apply(set).to_dict()
    assert by_row[0] == {"UA-12"}
    assert by_row[1] == {"UA-59"}
    assert by_row[2] == {"UA-30"}
    assert set(table["role"]) == {"target"}  # strikes only
    assert 3 not in by_row  # "Atlantis" is not a place in Ukraine
    assert result.report.unresolved == {"Atlantis": 1}


def test_points_fill_in_when_no_place(tmp_path):
    path = tmp_path / "points.csv"
    path.write_text(
        "day,lat,lng,what\n2025-01-01,46.48,30.73,incident\n2025-01-02,abc,30.0,incident\n",
        encoding="utf-8",
    )
    result = import_file(path, mapping={"date": "day", "lat": "lat", "lon": "lng", "kind": "what"})
    assert result.report.rows_imported == 1
    assert english(result.report.rejected) == [
        {"row": 1, "column": "lat", "reason": "'abc' is not a number"}
    ]
    assert result.event_regions.to_dict("records") == [
        {"event_id": "points:0", "region_code": "UA-51", "role": "location"}
    ]
    assert result.events.loc[0, "scope"] == "regions"


@pytest.mark.parametrize(
    ("mapping", "expected"),
    [
        ({"place": "Where"}, "column date: the mapping needs date=COLUMN"),
        ({"date": "When"}, "column place: the mapping needs place=COLUMN"),
        ({"date": "When", "place": "Nowhere"}, "column Nowhere: mapping place=Nowhere"),
        ({"date": "When", "place": "Where", "colour": "What"}, "column colour: unknown mapping"),
    ],
)
def test_bad_mappings_are_unusable(mapping, expected):
    with pytest.raises(UnusableInput) as caught:
        import_file(DATA / "events.csv", fmt="csv", mapping=mapping)
    assert str(caught.value).startswith("events.csv: row header, ")
    assert expected in str(caught.value)


def test_csv_format_without_mapping_is_unusable():
    with pytest.raises(UnusableInput, match="needs a column mapping"):
        import_file(DATA / "events.csv", fmt="csv")


def test_rows_that_name_no_region_import_with_no_region_rows(tmp_path):
    path = tmp_path / "national.csv"
    path.write_text("When,Where,Launched\n2024-01-02,Ukraine,10\n2024-01-03,,5\n")
    result = import_file(path, fmt="csv", mapping={"date": "When", "place": "Where"})
    assert result.report.rows_imported == 2
    assert result.event_regions.empty
    assert result.events["scope"].tolist() == ["national", "national"]
    model.validate_event_regions(result.event_regions)


def test_implausible_dates_and_counts_are_rejected(tmp_path):
    path = tmp_path / "odd.csv"
    path.write_text(
        "When,Where,Launched\n"
        "9999-12-31,Odesa oblast,1\n"
        "01.01.0001,Odesa oblast,1\n"
        "2024-01-02T08:00+02:00,Odesa oblast,2.5\n"
        "2024-01-02,Odesa oblast,5000000\n"
        "2024-01-02,Odesa oblast,7\n"
    )
    mapping = {"date": "When", "place": "Where", "launched": "Launched"}
    report = import_file(path, fmt="csv", mapping=mapping).report
    assert [(r["row"], r["column"]) for r in report.rejected] == [
        (0, "When"),
        (1, "When"),
        (2, "Launched"),
        (3, "Launched"),
    ]
    assert "outside the plausible dates" in report.rejected[0]["reason"]
    assert report.rows_imported == 1
