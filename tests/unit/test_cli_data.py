"""``oblastwatch import``, ``resolve`` and ``regions`` through the CLI entry point."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
from rejections import english

from oblastwatch.cli import main
from oblastwatch.storage.dataset import Dataset
from oblastwatch.storage.imported import load_dataset

DATA = Path(__file__).resolve().parents[1] / "data"


def test_import_mma_writes_the_dataset_and_a_summary(tmp_path, capsys):
    out = tmp_path / "mma-current"
    code = main(["import", str(DATA / "mma" / "current.csv"), "--out", str(out)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "current (mma): 10 rows in, 7 imported, 3 rejected" in printed
    assert "unresolved place mentions: 0 (0 distinct)" in printed
    assert "scopes: macro-region 1, national 4, regions 2" in printed
    assert "rejected row 6, column launched: 'many' is not a number" in printed
    assert {p.name for p in out.iterdir()} >= {
        "events.parquet",
        "event_regions.parquet",
        "report.json",
    }
    events = pd.read_parquet(out / "events.parquet")
    assert len(events) == 7
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert (report["rows_in"], report["rows_imported"], report["rows_rejected"]) == (10, 7, 3)
    assert english(report["rejected"])[0] == {
        "row": 6,
        "column": "launched",
        "reason": "'many' is not a number",
    }
    loaded = load_dataset(out)
    assert len(loaded.event_regions) == len(pd.read_parquet(out / "event_regions.parquet"))


def test_import_generic_with_map_options_and_mapping_file(tmp_path, capsys):
    source = DATA / "generic" / "events.csv"
    by_options = tmp_path / "by-options"
    args = ["import", str(source), "--format", "csv", "--out", str(by_options)]
    for pair in ("date=When", "place=Where", "kind=What", "event_id=Id"):
        args += ["--map", pair]
    assert main(args) == 0
    by_file = tmp_path / "by-file"
    assert (
        main(
            [
                "import",
                str(source),
                "--mapping",
                str(DATA / "generic" / "mapping.json"),
                "--out",
                str(by_file),
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "events (csv): 9 rows in" in printed
    assert "unresolved 'Atlantis' x1" in printed
    # Row 8 reuses the id KR-1 for another strike: kept, as KR-1#2.
    assert len(pd.read_parquet(by_file / "events.parquet")) == 5
    assert "note: id 'KR-1' is shared by 2 rows that differ" in printed


def test_unusable_file_exits_2_with_one_line(tmp_path, capsys):
    bad = tmp_path / "quote.csv"
    bad.write_text('time_start,time_end\n"2024-01-01,2024-01-01\n', encoding="utf-8")
    code = main(["import", str(bad), "--out", str(tmp_path / "never")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("oblastwatch import: error: quote.csv: row 0, column time_start:")
    assert not (tmp_path / "never").exists()


def test_bad_map_option_exits_2(tmp_path, capsys):
    code = main(
        [
            "import",
            str(DATA / "generic" / "events.csv"),
            "--map",
            "date",
            "--out",
            str(tmp_path / "x"),
        ]
    )
    assert code == 2
    assert "expected FIELD=COLUMN" in capsys.readouterr().err


def test_resolve_prints_code_and_name_or_suggestions(capsys):
    code = main(["resolve", "Odesa oblast", "Kryvyi Rih", "Odesa oblastt"])
    lines = capsys.readouterr().out.splitlines()
    assert code == 1  # one text did not resolve
    assert lines[0] == "Odesa oblast\tUA-51\tOdesa Oblast"
    assert lines[1] == "Kryvyi Rih\tUA-12\tDnipropetrovsk Oblast"
    text, status, hint = lines[2].split("\t")
    assert (text, status) == ("Odesa oblastt", "unresolved")
    assert hint.startswith("did you mean ")
    assert "UA-51" in hint
    assert main(["resolve", "Kyiv"]) == 0


def test_regions_table(capsys):
    assert main(["regions"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 28
    assert lines[0].split() == ["code", "English", "Ukrainian", "kind"]
    crimea = next(line for line in lines if line.startswith("UA-43"))
    assert "Autonomous Republic of Crimea" in crimea
    assert "Автономна Республіка Крим" in crimea


def test_console_script_reports_an_unusable_file_without_traceback(tmp_path):
    script = Path(sys.executable).with_name("oblastwatch")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "oblastwatch.cli"]
    empty = tmp_path / "empty.csv"
    empty.write_text("\n\n", encoding="utf-8")
    completed = subprocess.run(
        [*command, "import", str(empty), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )
    assert completed.returncode == 2
    assert completed.stderr == (
        "oblastwatch import: error: empty.csv: row header, column (none): file is empty\n"
    )
    assert completed.stdout == ""


def test_import_into_the_app_data_dir_indexes_the_data_for_the_app(tmp_path, capsys, monkeypatch):
    from oblastwatch.query import index_cache

    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OBLASTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["import", str(DATA / "mma" / "current.csv"), "--name", "mma-current"])
    assert code == 0
    assert "indexed the data for the app in" in capsys.readouterr().out

    def frames_not_needed() -> Dataset:
        raise AssertionError("the index was built again instead of read")

    prepared = index_cache.prepared_events(index_cache.data_fingerprint(), frames_not_needed)
    assert "mma-current" in prepared.sources


def test_import_elsewhere_leaves_the_app_index_alone(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OBLASTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    code = main(["import", str(DATA / "mma" / "current.csv"), "--out", str(tmp_path / "x")])
    assert code == 0
    assert "indexed" not in capsys.readouterr().out
    assert not list((tmp_path / "cache").glob("index-*"))


def test_a_reader_that_stops_early_gets_no_traceback():
    # `oblastwatch regions | head -1`: the pipe closes before the command has written.
    import subprocess
    import sys

    child = subprocess.Popen(
        [sys.executable, "-m", "oblastwatch.cli", "regions"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child.stdout.close()
    _, stderr = child.communicate(timeout=120)
    assert b"Traceback" not in stderr, stderr.decode()
    assert b"BrokenPipeError" not in stderr, stderr.decode()
