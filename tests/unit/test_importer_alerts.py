"""The sirens-dataset importer on the real excerpts (tests/data/alerts) and on broken rows."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rejections import english

from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.detect import detect_format

DATA = Path(__file__).resolve().parents[1] / "data" / "alerts"
OFFICIAL = DATA / "official_data_en_sample.csv"
VOLUNTEER = DATA / "volunteer_data_en_sample.csv"
OFFICIAL_HEADER = "oblast,raion,hromada,level,started_at,finished_at,source"
VOLUNTEER_HEADER = "region,started_at,finished_at,naive"


def _write(tmp_path: Path, name: str, header: str, rows: list[str]) -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_both_headers_are_detected():
    assert detect_format(OFFICIAL_HEADER.split(",")) == "alerts"
    assert detect_format(VOLUNTEER_HEADER.split(",")) == "alerts"


def test_the_official_excerpt_imports_every_row():
    result = import_file(OFFICIAL)
    report, alerts = result.report, result.alerts
    assert (report.format, report.rows_in, report.rows_imported, report.rows_rejected) == (
        "alerts",
        927,
        927,
        0,
    )
    assert alerts is not None
    assert len(alerts) == 927
    assert result.events.empty
    assert result.event_regions.empty
    assert alerts["level"].value_counts().to_dict() == {"oblast": 661, "hromada": 196, "raion": 70}
    counts = alerts["region_code"].value_counts()
    assert counts["UA-30"] == 38  # "Kyiv City" is the city, not Kyiv oblast (66 rows, UA-32)
    assert counts["UA-32"] == 66
    assert counts["UA-53"] == 32  # Poltavska oblast: 31 rows plus the swapped one
    assert not {"UA-09", "UA-40", "UA-43"} & set(counts.index)
    assert not alerts["imputed_end"].any()


def test_the_swapped_row_is_placed_by_its_raion_column_and_noted():
    result = import_file(OFFICIAL)
    row = result.alerts.set_index("source_row").loc[16]
    assert row["region_code"] == "UA-53"
    assert row["level"] == "hromada"
    assert row["start"] == pd.Timestamp("2022-03-15 16:46:43", tz="UTC")
    [note] = [n for n in result.report.notes if "swapped" in n]
    assert "1 row whose oblast column" in note
    assert "(rows 16)" in note


def test_the_volunteer_excerpt_imports_every_row_and_flags_imputed_ends():
    result = import_file(VOLUNTEER)
    report, alerts = result.report, result.alerts
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (834, 834, 0)
    assert int(alerts["imputed_end"].sum()) == 127
    imputed = alerts[alerts["imputed_end"]]
    assert ((imputed["end"] - imputed["start"]) == pd.Timedelta(minutes=30)).all()
    assert set(alerts["level"]) == {"unspecified"}
    assert alerts["region_code"].value_counts()["UA-09"] == 1  # Luhansk, early rows only
    assert any("imputed end times: 127 alerts" in note for note in report.notes)


def test_the_ukrainian_files_read_the_same(tmp_path):
    # Rows of datasets/official_data_uk.csv (commit 016d8b2e) and volunteer_data_uk.csv
    # (commit 0080088b) of Vadimkin/ukrainian-air-raid-sirens-dataset, MIT.
    official = [
        "м. Київ,,,oblast,2022-03-15 16:19:20+00:00,2022-03-15 18:52:28+00:00,official",
        "Лубенський район,Полтавська область,Гребінківська територіальна громада,hromada,"
        "2022-03-15 16:46:43+00:00,2022-03-15 16:58:17+00:00,official",
        "Черкаська область,Уманський район,Уманська територіальна громада,hromada,"
        "2022-03-15 16:11:50+00:00,2022-03-15 16:54:47+00:00,official",
    ]
    volunteer = [
        "Київ,2022-02-25 16:36:22+00:00,2022-02-25 17:06:22+00:00,True",
        "Черкаська область,2022-02-25 18:36:21+00:00,2022-02-25 19:32:11+00:00,False",
    ]
    uk = import_file(_write(tmp_path, "official_data_uk.csv", OFFICIAL_HEADER, official))
    vol = import_file(_write(tmp_path, "volunteer_data_uk.csv", VOLUNTEER_HEADER, volunteer))
    assert uk.alerts["region_code"].tolist() == ["UA-30", "UA-53", "UA-71"]
    assert vol.alerts["region_code"].tolist() == ["UA-30", "UA-71"]
    assert vol.alerts["imputed_end"].tolist() == [True, False]


def test_a_row_without_a_region_is_placed_by_the_gazetteer(tmp_path):
    rows = [
        ",Nikopolskyi raion,m. Nikopol ta Nikopolska terytorialna hromada,hromada,"
        "2023-12-18 11:03:13+00:00,2023-12-18 11:39:20+00:00,official",
    ]
    result = import_file(_write(tmp_path, "official.csv", OFFICIAL_HEADER, rows))
    assert result.alerts["region_code"].tolist() == ["UA-12"]
    assert any(
        note.startswith("placed by the gazetteer: 1 row whose") for note in result.report.notes
    )


def test_bad_rows_are_rejected_naming_row_and_column(tmp_path):
    rows = [
        "Odeska oblast,,,oblast,2022-03-16 00:55:03+00:00,2022-03-16 02:35:50+00:00,official",
        "Odeska oblast,,,oblast,2022-03-16 00:55:03+00:00,,official",
        "Odeska oblast,,,oblast,2022-03-16 03:00:00+00:00,2022-03-16 02:00:00+00:00,official",
        "Atlantis oblast,Nowhere raion,,raion,2022-03-16 03:00:00+00:00,"
        "2022-03-16 04:00:00+00:00,official",
        "Odeska oblast,,,region,2022-03-16 03:00:00+00:00,2022-03-16 04:00:00+00:00,official",
        "Odeska oblast,,,oblast,yesterday,2022-03-16 04:00:00+00:00,official",
    ]
    result = import_file(_write(tmp_path, "official.csv", OFFICIAL_HEADER, rows))
    report = result.report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (6, 1, 5)
    by_row = {r["row"]: (r["column"], r["reason"]) for r in report.rejected}
    assert by_row[1] == ("finished_at", "blank finished_at")
    assert by_row[2] == ("finished_at", "is not after started_at")
    assert by_row[3][0] == "oblast"
    assert "'Atlantis oblast' is not a region" in by_row[3][1]
    assert by_row[4] == ("level", "'region' is not oblast, raion or hromada")
    assert by_row[5][0] == "started_at"
    assert "'yesterday' is not a date and time" in by_row[5][1]
    assert report.unresolved == {"Atlantis oblast": 1, "Nowhere raion": 1}


def test_a_bad_naive_flag_rejects_the_row(tmp_path):
    rows = [
        "Kyiv City,2022-02-25 16:36:22+00:00,2022-02-25 17:06:22+00:00,maybe",
        "Kyiv City,2022-02-25 18:36:22+00:00,2022-02-25 19:06:22+00:00,False",
    ]
    report = import_file(_write(tmp_path, "volunteer.csv", VOLUNTEER_HEADER, rows)).report
    assert (report.rows_imported, report.rows_rejected) == (1, 1)
    assert english(report.rejected) == [
        {"row": 0, "column": "naive", "reason": "'maybe' is not True or False"}
    ]


def test_a_file_with_only_bad_rows_still_reports_every_row(tmp_path):
    rows = ["Nowhere,2022-02-25 16:36:22+00:00,2022-02-25 17:06:22+00:00,True"] * 3
    report = import_file(_write(tmp_path, "volunteer.csv", VOLUNTEER_HEADER, rows)).report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (3, 0, 3)


def test_forcing_the_alerts_format_on_another_file_is_one_line(tmp_path):
    path = _write(tmp_path, "other.csv", "date,place", ["2024-01-01,Kyiv"])
    with pytest.raises(UnusableInput, match=r"^other.csv: row header, column .*alerts$"):
        import_file(path, fmt="alerts")
