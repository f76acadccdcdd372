"""Files whose shape is the problem: rows glued on one line, a row or a header with hundreds of
thousands of fields. Each is refused with one line naming the file, the row and the field count.

Built here at the sizes that stalled the import (a 2 MB glued file took 101 s, a 300,000-field
row 77 s); how long the refusal takes is measured by ``bench/hostile.py``, not here.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.read import MAX_COLUMNS, read_table

REPO = Path(__file__).resolve().parents[2]
POINTS = "id,date,latitude,longitude,location,title,description,killed,injured,sources"
POINTS_ROW = "p1,2024-01-02,50.45,30.52,Kyiv,Strike,text,1,2,"
MMA = "time_start,time_end,model,launch_place,target,carrier,launched,destroyed"
MMA_ROW = "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Iran,Odesa oblast,,40,35"
GLUED_HINT = "are line breaks missing"


def _refusal(path: Path, **kwargs) -> str:
    with pytest.raises(UnusableInput) as caught:
        import_file(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message, message
    assert "Traceback" not in message, message
    return message


def _glued(header: str, row: str, rows: int) -> str:
    """``rows`` copies of ``row`` on one line: the last field of one runs into the first of
    the next, so the line has ``rows * (fields - 1) + 1`` fields."""
    return header + "\n" + row * rows + "\n"


@pytest.mark.parametrize(
    ("header", "row", "rows"),
    [(POINTS, POINTS_ROW, 42_000), (MMA, MMA_ROW, 27_000)],
    ids=["points-2MB", "mma-2MB"],
)
def test_rows_glued_on_one_line_are_one_row_with_its_field_count(tmp_path, header, row, rows):
    path = tmp_path / "glued.csv"
    path.write_text(_glued(header, row, rows))
    width = header.count(",") + 1
    fields = rows * (width - 1) + 1
    message = _refusal(path)
    assert message.startswith(f"glued.csv: row 0, column field {width + 1}: line 2: ")
    assert f"{fields:,} fields where the header has {width}" in message
    assert GLUED_HINT in message


def test_a_row_of_300000_fields_is_named_by_row_and_count(tmp_path):
    path = tmp_path / "huge.csv"
    path.write_text(POINTS + "\n" + POINTS_ROW + "\n" + ",".join(["x"] * 300_000) + "\n")
    message = _refusal(path)
    assert message.startswith("huge.csv: row 1, column field 11: line 3: 300,000 fields")
    assert "where the header has 10" in message


def test_the_row_is_counted_after_blank_lines_and_quoted_line_breaks(tmp_path):
    path = tmp_path / "late.csv"
    quoted = 'p2,2024-01-02,50.45,30.52,Kyiv,"two\nlines",text,1,2,'
    path.write_text(POINTS + "\n\n" + POINTS_ROW + "\n" + quoted + "\n" + POINTS_ROW * 1_000 + "\n")
    message = _refusal(path)
    assert "late.csv: row 2, column field 11: line 6: 9,001 fields" in message  # physical line


def test_one_extra_field_on_the_first_row_is_refused_not_shifted(tmp_path):
    """pandas used to take the first field as the row label and move every value one column
    left: the id became the date, the latitude the longitude."""
    path = tmp_path / "extra.csv"
    path.write_text(POINTS + "\n" + POINTS_ROW + ",extra\n" + POINTS_ROW + "\n")
    message = _refusal(path)
    assert "extra.csv: row 0, column field 11: line 2: 11 fields where the header has 10" in message
    assert GLUED_HINT not in message  # one field too many is not several rows


def test_a_header_of_300000_fields_is_refused_before_a_frame_is_built(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text(",".join("c" * 300_000) + "\n" + ",".join("1" * 300_000) + "\n")
    message = _refusal(path, mapping={"date": "c", "place": "c"})
    assert message.startswith("wide.csv: row header, column field 1001: the header has 300,000")
    assert "more than the 1,000 a table may have" in message


def test_a_file_with_no_line_break_at_all_is_a_header_far_too_wide(tmp_path):
    """20 MB on one line: the header is read from the first 1,000,000 characters, so its
    field count is a lower bound and says so."""
    path = tmp_path / "one_line.csv"
    path.write_text(POINTS + POINTS_ROW * 400_000)
    message = _refusal(path)
    assert "one_line.csv: row header, column field 1001: the header has at least " in message
    assert GLUED_HINT in message


def test_a_header_of_exactly_the_limit_is_read(tmp_path):
    path = tmp_path / "widest.csv"
    names = [f"c{i}" for i in range(MAX_COLUMNS)]
    path.write_text(",".join(names) + "\n" + ",".join("v" * MAX_COLUMNS) + "\n")
    frame = read_table(path)
    assert list(frame.columns) == names
    assert frame.shape == (1, MAX_COLUMNS)


def test_json_records_with_300000_keys_are_refused_at_the_record(tmp_path):
    path = tmp_path / "wide.json"
    records = [{"date": "2024-01-02"}, {f"k{i}": i for i in range(300_000)}]
    path.write_text(json.dumps(records))
    message = _refusal(path)
    assert message.startswith("wide.json: row 1, column (none): the records have more than the")
    assert "(300,000 in this record)" in message


def test_the_header_row_still_names_the_columns(tmp_path):
    """The header is now read as the first row of the table: blank lines before it, a BOM,
    blank and padded names come out as before."""
    path = tmp_path / "named.csv"
    path.write_bytes(b"\xef\xbb\xbf\n\n id ,date,,sources\nr1,2024-01-02,x,\n")
    frame = read_table(path)
    assert list(frame.columns) == ["id", "date", "column_3", "sources"]
    assert frame.to_dict("records") == [
        {"id": "r1", "date": "2024-01-02", "column_3": "x", "sources": ""}
    ]


def test_json_records_that_add_keys_one_by_one_are_refused_where_they_pass_the_limit(tmp_path):
    path = tmp_path / "drifting.json"
    path.write_text(json.dumps([{"date": "2024-01-02", f"k{i}": i} for i in range(2_000)]))
    message = _refusal(path)
    assert message.startswith("drifting.json: row 999, column (none): the records have more")
    assert "(2 in this record)" in message


def test_the_hostile_benchmark_runs_and_every_shape_is_refused_by_row_and_count(tmp_path):
    """bench/hostile.py, small, so that it cannot rot; its times are not checked here."""
    out = tmp_path / "hostile.json"
    subprocess.run(
        [sys.executable, "bench/hostile.py", "--sizes", "0.1", "--wide", "5000", "--runs", "1"]
        + ["--json", str(out)],
        cwd=REPO,
        capture_output=True,
        timeout=600,
    )
    cases = {case["name"]: case for case in json.loads(out.read_text())["cases"]}
    assert len(cases) == 7
    for case in cases.values():
        assert case["normal_s"] > 0, case
        assert case["refusal_s"] > 0, case
    messages = {name: case["message"] for name, case in cases.items()}
    glued = messages["points, rows on one line, 0.1 MB"]
    assert "row 0, column field 11: line 2: " in glued
    assert "where the header has 10" in glued
    wide = messages["points, a first row of 5,000 fields"]
    assert "row 0, column field 11: line 2: 5,000 fields" in wide
    assert "the header has 5,000 fields" in messages["a header of 5,000 fields"]
    assert "(5,000 in this record)" in messages["JSON, a record of 5,000 keys"]
