"""The bad-input corpus (tests/data/bad/): every file either imports with its rejects listed or
fails with one line naming file, row and column; nothing crashes, nothing is lost.

Expected outcomes live in tests/data/bad/EXPECTED.json, one entry per file. Each file is run
through ``oblastwatch.importers.import_file`` and through ``oblastwatch import``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from oblastwatch.cli import main as cli_main
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.read import read_table

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
EXPECTED: dict[str, dict] = json.loads((BAD / "EXPECTED.json").read_text(encoding="utf-8"))["files"]
NOT_CORPUS = {"EXPECTED.json", "generate.py"}
CORPUS = sorted(EXPECTED)


def _corpus_files() -> list[str]:
    return sorted(p.name for p in BAD.iterdir() if p.is_file() and p.name not in NOT_CORPUS)


def _import(name: str, **kwargs):
    return import_file(BAD / name, mapping=EXPECTED[name].get("mapping"), **kwargs)


def _cli_args(name: str, out: Path) -> list[str]:
    args = ["import", str(BAD / name), "--out", str(out)]
    for field, column in (EXPECTED[name].get("mapping") or {}).items():
        args += ["--map", f"{field}={column}"]
    return args


def _assert_one_line_error(message: str, name: str, spec: dict) -> None:
    assert "\n" not in message.strip(), message
    assert "Traceback" not in message
    assert name in message, message
    assert "row" in message, message
    assert "column" in message, message
    assert f"row {spec['row']}, column {spec['column']}" in message, message
    assert spec["reason"].lower() in message.lower(), message


# ---------------------------------------------------------------- the corpus itself


def test_corpus_is_complete_and_small():
    files = _corpus_files()
    assert len(files) >= 30
    assert files == CORPUS, "every corpus file needs an entry in EXPECTED.json and vice versa"
    total = sum((BAD / name).stat().st_size for name in files)
    assert total < 200_000, f"the committed corpus is {total} bytes"


def test_corpus_files_match_their_generator(tmp_path):
    """The committed bytes are what generate.py writes (editors 'fix' BOMs and line endings)."""
    script = (BAD / "generate.py").read_text(encoding="utf-8")
    copy = tmp_path / "generate.py"
    copy.write_text(script, encoding="utf-8")
    subprocess.run([sys.executable, str(copy)], check=True, timeout=60)
    for name in CORPUS:
        assert (tmp_path / name).read_bytes() == (BAD / name).read_bytes(), name


# ---------------------------------------------------------------- through import_file


@pytest.mark.parametrize("name", CORPUS)
def test_import_file_outcome(name):
    spec = EXPECTED[name]
    if spec["outcome"] == "error":
        with pytest.raises(UnusableInput) as caught:
            _import(name)
        _assert_one_line_error(str(caught.value), name, spec)
        return
    result = _import(name)
    report = result.report
    assert report.rows_in == spec["rows_in"]
    assert [[r["row"], r["column"]] for r in report.rejected] == spec["rejected"]
    assert report.rows_imported == spec["rows_imported"] == len(result.events)
    assert report.rows_in == report.rows_imported + report.rows_rejected
    for record in report.rejected:
        assert record["reason"].strip(), record
        assert "\n" not in record["reason"], record
    kept = set(result.events["source_row"].astype(int))
    rejected = {r["row"] for r in report.rejected}
    assert kept | rejected == set(range(report.rows_in)), "a row was neither imported nor rejected"
    assert not kept & rejected
    for text in spec.get("unresolved", []):
        assert text in report.unresolved, (text, report.unresolved)


# ---------------------------------------------------------------- through the CLI


@pytest.mark.parametrize("name", CORPUS)
def test_cli_import_outcome(name, tmp_path, capsys):
    spec = EXPECTED[name]
    out = tmp_path / "dataset"
    code = cli_main(_cli_args(name, out))
    captured = capsys.readouterr()
    if spec["outcome"] == "error":
        assert code == 2
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1, captured.err
        _assert_one_line_error(lines[0], name, spec)
        assert not out.exists()
        return
    assert code == 0, captured.err
    assert captured.err == ""
    assert f"{spec['rows_in']} rows in, {spec['rows_imported']} imported" in captured.out
    saved = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [[r["row"], r["column"]] for r in saved["rejected"]] == spec["rejected"]
    for record in saved["rejected"][:5]:
        assert f"rejected row {record['row']}, column {record['column']}" in captured.out


def test_cli_subprocess_prints_one_line_and_no_traceback(tmp_path):
    env = dict(os.environ, OBLASTWATCH_DATA_DIR=str(tmp_path / "data"))
    done = subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "import", str(BAD / "unclosed_quote.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().count("\n") == 0
    assert "Traceback" not in done.stderr
    assert "unclosed_quote.csv: row 1, column title" in done.stderr


# ---------------------------------------------------------------- the size limit


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    path = tmp_path / "big.csv"
    row = "b0,2024-01-02,50.45,30.52,Kyiv,Big file,padding,,,\n"
    path.write_text(
        "id,date,latitude,longitude,location,title,description,killed,injured,sources\n" + row * 200
    )
    with pytest.raises(UnusableInput) as caught:
        read_table(path, max_bytes=1_000)
    _assert_one_line_error(
        str(caught.value), "big.csv", {"row": "header", "column": "(none)", "reason": "limit"}
    )
    with pytest.raises(UnusableInput, match="limit"):
        import_file(path, max_bytes=1_000)


def test_cli_refuses_a_file_over_the_default_limit(tmp_path, capsys):
    from oblastwatch.importers.read import DEFAULT_MAX_BYTES

    path = tmp_path / "huge.csv"
    with path.open("wb") as handle:  # sparse: the size is what counts, nothing is written
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    code = cli_main(["import", str(path), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1
    assert "huge.csv: row header, column (none)" in err
    assert "limit" in err


# ---------------------------------------------------------------- what the partial imports hold


def test_encodings_decode_to_the_same_cyrillic_text():
    places = {}
    for name in ("cp1251.csv", "utf16_bom.csv", "utf8_bom.csv"):
        result = _import(name)
        assert list(result.events.columns[:2]) == ["event_id", "source"]
        places[name] = result.events["place_text"].tolist()
        assert result.events["description"].iloc[0] == "Опис «з лапками» — тире №1"
        codes = result.event_regions.sort_values("event_id")["region_code"].tolist()
        assert codes == ["UA-51", "UA-63"], name
    assert len(set(map(tuple, places.values()))) == 1
    assert places["cp1251.csv"] == ["Одеська область", "Харківська область"]


def test_utf8_bom_does_not_stick_to_the_first_column():
    assert read_table(BAD / "utf8_bom.csv").columns[0] == "id"


def test_mixed_line_endings_keep_every_row_and_the_quoted_newline():
    events = _import("mixed_line_endings.csv").events
    assert events["title"].tolist() == [
        "crlf",
        "lf",
        "cr",
        "quoted\r\nnewline inside",
        "last no newline",
    ]


def test_timestamps_with_offsets_land_on_the_kyiv_day():
    events = _import("timestamps_offsets.csv").events.set_index("source_row")
    day = events["date"].dt.strftime("%Y-%m-%d")
    assert day[0] == "2024-01-02"  # 23:30 UTC is 01:30 in Kyiv (UTC+2 in winter)
    assert day[1] == "2024-06-02"  # 22:00 UTC is 01:00 in Kyiv (UTC+3 in summer)
    assert day[2] == "2024-01-02"
    assert events.at[3, "start"] == pd.Timestamp("2024-01-02 13:00", tz="UTC")
    assert events.at[5, "start"] == pd.Timestamp("2024-03-31 01:00", tz="UTC")  # shifted
    assert day[6] == "2024-10-27"


def test_several_date_formats_mean_the_same_day():
    events = _import("dates_several_formats.csv").events
    assert set(events["date"].dt.strftime("%Y-%m-%d")) == {"2024-01-02"}


def test_leap_day_is_kept():
    events = _import("dates_impossible.csv").events
    assert events["date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-02-29"]


def test_blank_count_is_missing_not_zero():
    events = _import("counts_mma.csv").events.set_index("source_row")
    assert pd.isna(events.at[9, "launched"])
    assert events.at[0, "launched"] == 40


def test_coordinates_are_corrected_or_listed():
    result = _import("coordinates_bad.csv")
    events = result.events.set_index("source_row")
    regions = result.event_regions.set_index("event_id")["region_code"]
    assert (events.at[1, "lat"], events.at[1, "lon"]) == (50.45, 30.52)  # swapped back
    assert regions[events.at[1, "event_id"]] == "UA-30"
    assert regions[events.at[3, "event_id"]] == "UA-51"  # out of range: place text decides
    assert regions[events.at[8, "event_id"]] == "UA-63"
    for row in (4, 5, 6):  # Moscow, Warsaw, the Atlantic: kept, outside every region
        assert events.at[row, "scope"] in ("outside", "abroad")
        assert events.at[row, "event_id"] not in regions.index
    notes = " ".join(result.report.notes)
    assert "row 1:" in notes
    assert "swapped" in notes
    assert "row 5:" in notes
    assert "Poland" in notes


def test_region_names_resolve_or_stay_unresolved_with_a_suggestion():
    result = _import("regions_names.csv")
    events = result.events.set_index("source_row")
    codes = result.event_regions.groupby("event_id")["region_code"].apply(sorted)

    def region_of(row: int) -> list[str]:
        return codes.get(events.at[row, "event_id"], [])

    assert region_of(0) == ["UA-51"]
    assert region_of(1) == []  # unknown
    assert region_of(2) == []  # misspelled: fuzzy matching never resolves
    assert region_of(3) == ["UA-51"]  # Ukrainian Cyrillic
    assert region_of(4) == ["UA-63"]  # Russian Cyrillic
    assert region_of(5) == ["UA-51"]  # zero-width space removed
    # homoglyphs: never a silent match
    assert region_of(6) == []
    assert region_of(7) == []
    assert region_of(8) == ["UA-51"]
    assert region_of(9) == ["UA-48"]
    suggestions = result.report.suggestions
    assert suggestions["Odesa oblastt"][0] == "Odesa Oblast (UA-51)"
    assert suggestions["\u041edesa oblast"][0] == "Odesa Oblast (UA-51)"
    assert suggestions["Kh\u0430rkiv oblast"][0] == "Kharkiv Oblast (UA-63)"


def test_a_repeated_id_drops_only_the_identical_row():
    result = _import("duplicate_ids.csv")
    events = result.events
    assert events["title"].tolist() == [
        "first",
        "second",
        "third",
        "fourth",
        "blank id",
        "own id dup#2",
    ]
    assert events["event_id"].tolist() == [
        "duplicate_ids:dup",
        "duplicate_ids:dup#3",  # dup#2 is the file's own id for the last row
        "duplicate_ids:uniq",
        "duplicate_ids:dup#4",
        "duplicate_ids:5",
        "duplicate_ids:dup#2",
    ]
    assert result.report.rejected[0]["reason"].startswith("duplicate of row 0")


def test_long_text_is_kept_whole():
    events = _import("long_text.csv").events
    assert len(events["description"].iloc[0]) == 100_000


def test_html_and_formula_payloads_are_stored_verbatim_and_links_only_http():
    events = _import("html_js_payloads.csv").events
    assert events["title"].iloc[0] == "<img src=x onerror=window.__xss=1>"
    assert events["description"].iloc[0] == "<script>window.__xss=1</script>"
    assert pd.isna(events["source_url"].iloc[0])  # javascript: is never a link
    assert str(events["source_url"].iloc[1]).startswith("https://")
    formulas = _import("formula_payloads.csv").events
    assert formulas["title"].iloc[0].startswith("=HYPERLINK(")
    assert formulas["description"].iloc[0].startswith("+cmd")
