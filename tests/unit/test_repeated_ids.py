"""Rows that share a source id (issue 10): separate events unless identical in every column.

Public point exports reuse ids for different incidents (Bellingcat's civilian-harm export has
pairs like that). Each importer of other people's files keeps every row that differs, under
``<id>``, ``<id>#2``, ``<id>#3``..., and rejects only a row identical to an earlier one.
The files here are tiny, made up for the test, shaped like the exports.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rejections import english

from oblastwatch.cli import main as cli_main
from oblastwatch.importers import import_file
from oblastwatch.importers.report import MAX_CLASH_NOTES, MAX_CLASH_ROWS

POINTS_HEADER = "id,date,latitude,longitude,location,description,sources"
# Three ids used twice each for different incidents, and row 6 an exact copy of row 0.
POINTS_ROWS = (
    "A1,03/01/2024,46.48,30.73,Odesa,first incident under A1,https://example.org/a1",
    "A1,03/02/2024,50.45,30.52,Kyiv,second incident under A1,https://example.org/a1b",
    "B2,03/03/2024,49.99,36.23,Kharkiv,first incident under B2,https://example.org/b2",
    "C3,03/04/2024,46.64,32.61,Kherson,first incident under C3,https://example.org/c3",
    "B2,03/03/2024,49.84,24.03,Lviv,second incident under B2,https://example.org/b2",
    "C3,03/05/2024,47.84,35.14,Zaporizhzhia,second incident under C3,https://example.org/c3b",
    "A1,03/01/2024,46.48,30.73,Odesa,first incident under A1,https://example.org/a1",
)
POINTS_IDS = {  # description -> event id
    "first incident under A1": "incidents:A1",
    "second incident under A1": "incidents:A1#2",
    "first incident under B2": "incidents:B2",
    "second incident under B2": "incidents:B2#2",
    "first incident under C3": "incidents:C3",
    "second incident under C3": "incidents:C3#2",
}
POINTS_REGIONS = {
    "incidents:A1": "UA-51",
    "incidents:A1#2": "UA-30",
    "incidents:B2": "UA-63",
    "incidents:B2#2": "UA-46",
    "incidents:C3": "UA-65",
    "incidents:C3#2": "UA-23",
}


def _write(tmp_path: Path, name: str, header: str, rows: tuple[str, ...] | list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _assert_every_row_accounted_for(result) -> None:
    report = result.report
    assert report.rows_in == report.rows_imported + report.rows_rejected
    kept = set(result.events["source_row"].astype(int))
    rejected = {record["row"] for record in report.rejected}
    assert kept | rejected == set(range(report.rows_in))
    assert not kept & rejected


# ---------------------------------------------------------------- points (Bellingcat shape)


@pytest.fixture
def incidents(tmp_path) -> Path:
    return _write(tmp_path, "incidents.csv", POINTS_HEADER, POINTS_ROWS)


def test_points_keep_every_distinct_incident_under_its_own_id(incidents):
    result = import_file(incidents)
    assert result.report.format == "points"
    assert (result.report.rows_in, result.report.rows_imported) == (7, 6)
    _assert_every_row_accounted_for(result)
    events = result.events
    assert dict(zip(events["description"], events["event_id"], strict=True)) == POINTS_IDS
    assert events["wave_id"].tolist() == events["event_id"].tolist()  # six incidents, not three
    regions = result.event_regions.set_index("event_id")["region_code"].to_dict()
    assert regions == POINTS_REGIONS  # each keeps its own coordinates


def test_points_reject_only_the_exact_duplicate_naming_the_first_row(incidents):
    report = import_file(incidents).report
    assert english(report.rejected) == [
        {"row": 6, "column": "id", "reason": "duplicate of row 0: every column is the same"}
    ]


def test_points_report_lists_each_shared_id(incidents):
    notes = import_file(incidents).report.notes
    assert (
        "repeated ids: 3 ids shared by rows that differ, kept as separate events (3 rows "
        "renamed <id>#2, <id>#3, ...); 1 row identical to an earlier row with the same id "
        "rejected as duplicate"
    ) in notes
    for line in (
        "id 'A1' is shared by 2 rows that differ, kept as separate events: "
        "row 0 as 'A1', row 1 as 'A1#2'",
        "id 'B2' is shared by 2 rows that differ, kept as separate events: "
        "row 2 as 'B2', row 4 as 'B2#2'",
        "id 'C3' is shared by 2 rows that differ, kept as separate events: "
        "row 3 as 'C3', row 5 as 'C3#2'",
    ):
        assert line in notes


def test_points_give_the_same_ids_on_every_import(incidents, tmp_path):
    first = import_file(incidents).events
    again = import_file(incidents).events
    pd.testing.assert_frame_equal(first, again)
    copy = tmp_path / "copy" / incidents.name
    copy.parent.mkdir()
    copy.write_bytes(incidents.read_bytes())
    assert import_file(copy).events["event_id"].tolist() == first["event_id"].tolist()


def test_the_cli_prints_the_clashes(incidents, tmp_path, capsys):
    assert cli_main(["import", str(incidents), "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "7 rows in, 6 imported, 1 rejected" in out
    assert "rejected row 6, column id: duplicate of row 0" in out
    assert "note: id 'B2' is shared by 2 rows that differ" in out


def test_cells_differing_only_in_surrounding_spaces_are_the_same(tmp_path):
    # Every importer trims cells before reading them, so such rows are one incident.
    rows = [POINTS_ROWS[0], POINTS_ROWS[0].replace(",Odesa,", ", Odesa ,")]
    report = import_file(_write(tmp_path, "spaces.csv", POINTS_HEADER, rows)).report
    assert report.rows_imported == 1
    assert report.rejected[0]["reason"].startswith("duplicate of row 0")


def test_a_suffix_never_takes_an_id_the_file_uses(tmp_path):
    rows = [
        "X,2024-03-01,46.48,30.73,Odesa,first X,",
        "X,2024-03-02,46.48,30.73,Odesa,second X,",
        "X#2,2024-03-03,46.48,30.73,Odesa,the file's own X#2,",
        "X,2024-03-04,46.48,30.73,Odesa,third X,",
    ]
    events = import_file(_write(tmp_path, "own.csv", POINTS_HEADER, rows)).events
    assert dict(zip(events["description"], events["event_id"], strict=True)) == {
        "first X": "own:X",
        "second X": "own:X#3",
        "the file's own X#2": "own:X#2",
        "third X": "own:X#4",
    }


def test_fixing_a_rejected_row_does_not_rename_the_others(tmp_path):
    bad_date = "A1,02/30/2024,46.48,30.73,Odesa,first incident under A1,"
    rows = [bad_date, *POINTS_ROWS[1:6]]
    result = import_file(_write(tmp_path, "incidents.csv", POINTS_HEADER, rows))
    assert [(r["row"], r["column"]) for r in result.report.rejected] == [(0, "date")]
    assert "incidents:A1#2" in set(result.events["event_id"])
    assert "row 0 as 'A1' (rejected), row 1 as 'A1#2'" in " ".join(result.report.notes)
    fixed = import_file(_write(tmp_path, "incidents.csv", POINTS_HEADER, POINTS_ROWS[:6]))
    kept = set(result.events["event_id"])
    assert kept <= set(fixed.events["event_id"])


def test_a_blank_id_is_never_a_repeat(tmp_path):
    rows = [",2024-03-01,46.48,30.73,Odesa,no id,", ",2024-03-01,46.48,30.73,Odesa,no id,"]
    result = import_file(_write(tmp_path, "blank.csv", POINTS_HEADER, rows))
    assert result.events["event_id"].tolist() == ["blank:0", "blank:1"]
    assert not any(note.startswith("repeated ids") for note in result.report.notes)


def test_the_report_lists_a_bounded_number_of_ids_and_rows(tmp_path):
    many_ids = [f"M{n},2024-03-0{day},46.48,30.73,Odesa,," for n in range(60) for day in (1, 2)]
    one_id = [f"ONE,2024-03-01,46.48,30.73,Odesa,version {n}," for n in range(15)]
    rows = many_ids + one_id
    result = import_file(_write(tmp_path, "many.csv", POINTS_HEADER, rows))
    assert result.report.rows_imported == len(rows)
    assert result.events["event_id"].is_unique
    notes = result.report.notes
    assert notes.count("... and 11 more repeated ids") == 1  # 61 ids, 50 listed
    listed = [note for note in notes if note.startswith("id '")]
    assert len(listed) == MAX_CLASH_NOTES == 50
    assert "repeated ids: 61 ids shared by rows that differ" in " ".join(notes)
    result = import_file(_write(tmp_path, "one.csv", POINTS_HEADER, one_id))
    [line] = [note for note in result.report.notes if note.startswith("id 'ONE'")]
    assert line.endswith(f"and {15 - MAX_CLASH_ROWS} more rows")
    assert "row 9 as 'ONE#10'" in line


# ---------------------------------------------------------------- ACLED

ACLED_HEADER = (
    "event_id_cnty,event_date,event_type,sub_event_type,admin1,location,latitude,longitude,"
    "source,notes,fatalities,timestamp"
)
ACLED_ROWS = (
    "UKR1,2024-03-15,Explosions/Remote violence,Air/drone strike,Odesa,Odesa,46.48,30.73,"
    "Outlet,first event under UKR1,0,1710800000",
    "UKR1,2024-03-15,Explosions/Remote violence,Air/drone strike,Kharkiv,Kharkiv,49.99,36.23,"
    "Outlet,second event under UKR1,1,1710800000",
    "UKR2,2024-03-16,Explosions/Remote violence,Shelling/artillery/missile attack,Sumy,Sumy,"
    "50.91,34.80,Outlet,first event under UKR2,0,1710800000",
    "UKR2,2024-03-16,Explosions/Remote violence,Shelling/artillery/missile attack,Sumy,Sumy,"
    "50.91,34.80,Outlet,first event under UKR2,0,1710800000",
    "UKR2,2024-03-17,Explosions/Remote violence,Shelling/artillery/missile attack,Sumy,Sumy,"
    "50.91,34.80,Outlet,second event under UKR2,0,1710800000",
    "UKR3,2024-03-18,Battles,Armed clash,Donetsk,Pokrovsk,48.28,37.18,"
    "Outlet,first event under UKR3,0,1710800000",
    "UKR3,2024-03-18,Battles,Armed clash,Donetsk,Pokrovsk,48.28,37.18,"
    "Outlet,first event under UKR3,0,1710900000",
)


def test_acled_keeps_rows_that_share_an_event_id_but_differ(tmp_path):
    path = _write(tmp_path, "acled.csv", ACLED_HEADER, ACLED_ROWS)
    result = import_file(path)
    assert result.report.format == "acled"
    assert (result.report.rows_in, result.report.rows_imported) == (7, 6)
    _assert_every_row_accounted_for(result)
    assert english(result.report.rejected) == [
        {
            "row": 3,
            "column": "event_id_cnty",
            "reason": "duplicate of row 2: every column is the same",
        }
    ]
    events = result.events.set_index("source_row")
    assert events["event_id"].to_dict() == {
        0: "acled:UKR1",
        1: "acled:UKR1#2",
        2: "acled:UKR2",
        4: "acled:UKR2#2",
        5: "acled:UKR3",
        6: "acled:UKR3#2",  # only ACLED's timestamp differs: still not identical
    }
    regions = result.event_regions.set_index("event_id")["region_code"]
    assert (regions["acled:UKR1"], regions["acled:UKR1#2"]) == ("UA-51", "UA-63")
    notes = " ".join(result.report.notes)
    assert "id 'UKR1' is shared by 2 rows that differ" in notes
    assert "row 2 as 'UKR2', row 4 as 'UKR2#2'" in notes
    assert import_file(path).events["event_id"].tolist() == result.events["event_id"].tolist()


# ---------------------------------------------------------------- any CSV with a mapping

GENERIC_HEADER = "When;Where;Ref;Note;Extra"
GENERIC_MAPPING = {"date": "When", "place": "Where", "event_id": "Ref", "description": "Note"}
GENERIC_ROWS = (
    "2025-04-04;Odesa oblast;R-1;first under R-1;",
    "2025-04-05;Kharkiv oblast;R-1;second under R-1;",
    "2025-04-06;Sumy oblast;R-2;only R-2;a",
    "2025-04-06;Sumy oblast;R-2;only R-2;b",
    "2025-04-06;Sumy oblast;R-2;only R-2;a",
)


def test_generic_compares_every_column_of_the_file_mapped_or_not(tmp_path):
    path = _write(tmp_path, "mine.csv", GENERIC_HEADER, GENERIC_ROWS)
    result = import_file(path, fmt="csv", mapping=GENERIC_MAPPING)
    assert (result.report.rows_in, result.report.rows_imported) == (5, 4)
    _assert_every_row_accounted_for(result)
    assert english(result.report.rejected) == [
        {"row": 4, "column": "Ref", "reason": "duplicate of row 2: every column is the same"}
    ]
    events = result.events.set_index("source_row")["event_id"].to_dict()
    assert events == {0: "mine:id:R-1", 1: "mine:id:R-1#2", 2: "mine:id:R-2", 3: "mine:id:R-2#2"}
    regions = result.event_regions.set_index("event_id")["region_code"]
    assert (regions["mine:id:R-1"], regions["mine:id:R-1#2"]) == ("UA-51", "UA-63")
    notes = result.report.notes
    assert any("row 0 as 'R-1', row 1 as 'R-1#2'" in note for note in notes)
    again = import_file(path, fmt="csv", mapping=GENERIC_MAPPING)
    assert again.events["event_id"].tolist() == result.events["event_id"].tolist()
