"""A user's own talks and strikes tables: checked like the bundled ones, merged into them.

The test tables reuse the values of real bundled rows under new ids (``MY-...``), so nothing
here states a fact that no source gave.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from oblastwatch.cli import main
from oblastwatch.domain import resources
from oblastwatch.storage import store
from oblastwatch.storage.bundled import STRIKES_SOURCE, TALKS_SOURCE
from oblastwatch.storage.curated_additions import template_csv
from oblastwatch.study.inputs import CURATED_LIST, find_source, strike_sources

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _rows(path: Path) -> tuple[list[str], list[list[str]]]:
    with path.open(encoding="utf-8", newline="") as table:
        header, *rows = list(csv.reader(table))
    return header, rows


def _table(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _last_strike_as(ident: str, day: str | None = None, url: str | None = None) -> list[str]:
    header, rows = _rows(resources.STRIKES_PATH)
    row = dict(zip(header, rows[-1], strict=True))
    row["attack_id"] = ident
    if day is not None:
        row["date"] = row["source_date"] = day
    if url is not None:
        row["source_url"] = url
    return [row[column] for column in header]


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(directory))
    return directory


def test_templates_are_the_bundled_headers():
    for fmt, bundled in (("talks", resources.TALKS_PATH), ("strikes", resources.STRIKES_PATH)):
        header = bundled.read_text(encoding="utf-8").splitlines()[0]
        assert template_csv(fmt) == header + "\n"
        assert (DOCS / "templates" / f"{fmt}.csv").read_text(encoding="utf-8") == header + "\n"


def test_a_user_strikes_table_is_checked_and_joins_the_bundled_list(data_dir, tmp_path, capsys):
    header, _ = _rows(resources.STRIKES_PATH)
    table = _table(
        tmp_path / "my_strikes.csv",
        header,
        [
            _last_strike_as("MY-001", day="2026-04-02"),
            _last_strike_as("RUA-053"),  # the bundled table's id
            _last_strike_as("MY-002", url=""),  # no source
            _last_strike_as("MY-003", day="2026-02-30"),  # no such day
            _last_strike_as("MY-001"),  # repeats the first row
        ],
    )
    assert main(["import", str(table)]) == 0
    printed = capsys.readouterr().out
    assert "my_strikes (curated-strikes): 5 rows in, 1 imported, 4 rejected" in printed
    assert (
        "rejected row 1, column attack_id: id RUA-053 is already in the bundled strikes table"
        in (printed)
    )
    assert "rejected row 2, column source_url: expected an http(s) URL" in printed
    assert "rejected row 3, column date: expected a date YYYY-MM-DD" in printed
    assert "rejected row 4, column attack_id: id MY-001 repeats row 0" in printed

    dataset = store.load_all()
    mine = dataset.events[dataset.events["event_id"].str.startswith("my_strikes/")]
    assert set(mine["source"]) == {STRIKES_SOURCE}
    assert len(mine) == 2  # one event per weapon class of the one wave
    # The Data page's table shows one curated strikes list, grown by the user's row.
    sources = dataset.sources.set_index("name")
    assert "my_strikes" not in sources.index
    assert sources.loc[STRIKES_SOURCE, "end"].date().isoformat() == "2026-04-02"
    assert (
        "with 1 row added from your table 'my_strikes'"
        in sources.loc[STRIKES_SOURCE, "description"]
    )
    # The talks study reads the merged table as the curated list (its span now longer).
    source = find_source(strike_sources(dataset), STRIKES_SOURCE)
    assert source.kind == CURATED_LIST


def test_ids_of_another_user_table_are_taken_but_reimporting_the_same_table_is_not(
    data_dir, tmp_path, capsys
):
    header, _ = _rows(resources.STRIKES_PATH)
    first = _table(tmp_path / "first.csv", header, [_last_strike_as("MY-001", day="2026-04-02")])
    assert main(["import", str(first)]) == 0
    # The same table imported again replaces itself: its own ids are not "taken".
    assert main(["import", str(first)]) == 0
    assert "1 imported, 0 rejected" in capsys.readouterr().out
    second = _table(tmp_path / "second.csv", header, [_last_strike_as("MY-001", day="2026-04-03")])
    assert main(["import", str(second)]) == 0
    assert "rejected row 0, column attack_id: id MY-001 is already in your table 'first'" in (
        capsys.readouterr().out
    )


def test_a_user_talks_table_joins_the_bundled_talks(data_dir, tmp_path, capsys):
    header, rows = _rows(resources.TALKS_PATH)
    copied = dict(zip(header, rows[-1], strict=True))
    copied["event_id"] = "MY-T1"
    table = _table(tmp_path / "talks_2026.csv", header, [[copied[c] for c in header]])
    assert main(["import", str(table)]) == 0
    dataset = store.load_all()
    mine = dataset.events[dataset.events["event_id"].str.startswith("talks_2026/")]
    assert mine["source"].tolist() == [TALKS_SOURCE]
    bundled_rows = int((dataset.events["source"] == TALKS_SOURCE).sum())
    assert int(dataset.sources.set_index("name").loc[TALKS_SOURCE, "rows"]) == bundled_rows


def test_an_id_the_bundled_table_takes_later_is_left_out_with_a_notice(data_dir, tmp_path):
    # Saved with --out elsewhere, the bundled ids are still refused at import; a table saved
    # before a newer bundled table took one of its ids is caught when the data loads.
    from oblastwatch.importers import import_file
    from oblastwatch.storage.imported import save_dataset

    header, _ = _rows(resources.STRIKES_PATH)
    table = _table(
        tmp_path / "old.csv",
        header,
        [_last_strike_as("RUA-053", day="2026-04-02"), _last_strike_as("MY-9", day="2026-04-03")],
    )
    result = import_file(table, source_name="old")  # as an older oblastwatch saved it
    save_dataset(data_dir / "old", result, name="old")
    dataset = store.load_all()
    assert tuple(map(str, dataset.notices)) == (
        "Your strikes table 'old' repeats ids now in the bundled table or an earlier table "
        "(RUA-053); those rows are not shown. Give them new ids and import the table again.",
    )
    kept = dataset.events[dataset.events["event_id"].str.startswith("old/")]
    assert set(kept["wave_id"]) == {"old/old:MY-9"}
