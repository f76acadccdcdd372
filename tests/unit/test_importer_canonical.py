"""The canonical CSV (the app's events export): round trip, detection, row-level rejects."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rejections import english

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, canonical, import_file
from oblastwatch.importers.detect import detect_format
from oblastwatch.present import exports
from oblastwatch.storage.imported import load_dataset, save_dataset

HEADER = ",".join(canonical.COLUMNS)


def _events() -> tuple[pd.DataFrame, pd.DataFrame]:
    events = pd.DataFrame(
        {
            "event_id": ["mma:1", "mma:2", "talks:E1", "pts:7"],
            "source": ["mma", "mma", "talks", "pts"],
            "source_row": [1, 2, 0, 7],
            "kind": ["strike", "strike", "talks", "incident"],
            "start": pd.to_datetime(
                ["2025-03-01T16:00:00Z", "2025-03-01T17:30:00Z", "2025-05-16T08:00:00Z", None],
                utc=True,
            ),
            "end": pd.to_datetime(
                ["2025-03-02T04:00:00Z", "2025-03-02T04:00:00Z", "2025-05-16T14:00:00Z", None],
                utc=True,
            ),
            "date": pd.to_datetime(["2025-03-02", "2025-03-02", "2025-05-16", "2025-04-01"]),
            "title": [None, None, "Istanbul round", "=SUM(A1) looks like a formula"],
            "description": [None, '-3 drones lost, "quoted", comma', "Talks, day one", None],
            "weapon_model": ["Shahed-136/131", "Iskander-M", None, None],
            "weapon_category": ["drone", "ballistic missile", None, None],
            "launched": [120.0, 2.0, None, None],
            "destroyed": [100.0, 0.0, None, None],
            "killed": [None, None, None, 2.0],
            "injured": [None, None, None, 5.0],
            "scope": ["regions", "regions", "outside", "regions"],
            "place_text": ["Odesa oblast and Mykolaiv oblast", "Kharkiv", "Istanbul", "Odesa"],
            "lat": [None, None, None, 46.48],
            "lon": [None, None, None, 30.72],
            "source_url": ["https://example.org/a", None, "https://example.org/t", None],
            "wave_id": ["mma:w1", "mma:w1", None, None],
            "parties": [None, None, "Russia;Ukraine;Turkey", None],
            "format": [None, None, "bilateral", None],
            "venue": [None, None, "Istanbul", None],
        }
    )
    regions = pd.DataFrame(
        {
            "event_id": ["mma:1", "mma:1", "mma:1", "mma:2", "pts:7"],
            "region_code": ["UA-51", "UA-48", "UA-51", "UA-63", "UA-51"],
            "role": ["target", "affected", "intercepted", "target", "location"],
        }
    )
    return model.conform_events(events), model.conform_event_regions(regions)


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(list(frame.columns)).reset_index(drop=True)


def _assert_round_trip(result, events, regions) -> None:
    got = result.events.drop(columns="source_row").reset_index(drop=True)
    pd.testing.assert_frame_equal(got, events.drop(columns="source_row"), check_dtype=True)
    assert result.events["source_row"].tolist() == [0, 1, 2, 3]  # rows of this file
    pd.testing.assert_frame_equal(_sorted(result.event_regions), _sorted(regions))


def test_the_apps_export_round_trips_through_auto_detection(tmp_path):
    events, regions = _events()
    path = tmp_path / "export.csv"
    path.write_bytes(exports.events_csv(events, regions))
    assert path.read_text().splitlines()[0] == HEADER  # the exporter's header is ours
    result = import_file(path)
    assert result.report.format == "canonical"
    assert (result.report.rows_in, result.report.rows_rejected) == (4, 0)
    # The formula guard the export adds (a leading apostrophe) is removed again.
    assert result.events.loc[3, "title"] == "=SUM(A1) looks like a formula"
    _assert_round_trip(result, events, regions)


def test_the_fast_writer_matches_the_exporter_cell_for_cell(tmp_path):
    events, regions = _events()
    path = tmp_path / "fast.csv"
    canonical.write_csv(events, regions, path)
    fast = pd.read_csv(path, dtype=str, keep_default_na=False)
    reference = pd.read_csv(
        io.BytesIO(exports.events_csv(events, regions)),
        dtype=str,
        keep_default_na=False,
    )
    assert list(fast.columns) == list(reference.columns)
    for column in ("region_codes", "region_roles", "title", "description", "date", "event_id"):
        assert fast[column].tolist() == reference[column].tolist(), column
    _assert_round_trip(import_file(path, fmt="canonical"), events, regions)


def test_an_imported_canonical_file_saves_and_loads(tmp_path):
    events, regions = _events()
    path = tmp_path / "export.csv"
    canonical.write_csv(events, regions, path)
    save_dataset(tmp_path / "data" / "again", import_file(path, source_name="again"))
    loaded = load_dataset(tmp_path / "data" / "again")
    assert loaded.events["event_id"].tolist() == [f"again/{e}" for e in events["event_id"]]
    assert len(loaded.event_regions) == len(regions)


def test_detection_by_header():
    assert detect_format(canonical.COLUMNS) == "canonical"
    assert detect_format(["event_id", "kind", "date", "scope", "region_roles"]) == "canonical"
    # Without the regions column it is not ours (points still claims date/lat/lon).
    assert detect_format(["event_id", "kind", "date", "scope", "lat", "lon"]) == "points"


def test_semicolon_delimited_copy_goes_through_the_generic_reader(tmp_path):
    events, regions = _events()
    text = exports.events_csv(events, regions).decode()
    frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    path = tmp_path / "semicolon.csv"
    frame.to_csv(path, sep=";", index=False)
    result = import_file(path)
    assert result.report.format == "canonical"
    _assert_round_trip(result, events, regions)


def _write(tmp_path, rows: list[dict[str, str]], name: str = "bad.csv"):
    frame = pd.DataFrame(rows, columns=list(canonical.COLUMNS), dtype=object).fillna("")
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


GOOD = {
    "event_id": "x:0",
    "kind": "strike",
    "date": "2025-03-02",
    "scope": "regions",
    "launched": "10",
    "region_roles": "UA-51:target",
}


@pytest.mark.parametrize(
    ("change", "column", "reason"),
    [
        ({"kind": "airstrike"}, "kind", "not one of"),
        ({"scope": ""}, "scope", "blank"),
        ({"date": "02.03.2025"}, "date", "not a date"),
        ({"date": "2025-02-30"}, "date", "not a date"),
        ({"date": ""}, "date", "blank"),
        ({"start": "2025-03-01 16:00"}, "start", "offset"),
        ({"start": "2025-03-02T05:00:00Z", "end": "2025-03-02T04:00:00Z"}, "end", "before start"),
        ({"launched": "-1"}, "launched", "negative"),
        ({"launched": "inf"}, "launched", "finite"),
        ({"launched": "ten"}, "launched", "not a number"),
        ({"launched": "2.5"}, "launched", "whole number"),
        ({"launched": "1e9"}, "launched", "plausible count"),
        ({"date": "9999-12-31"}, "date", "plausible dates"),
        ({"date": "1800-01-01"}, "date", "plausible dates"),
        ({"lat": "46.4"}, "lon", "go together"),
        ({"lat": "146.4", "lon": "30.7"}, "lat", "outside"),
        ({"weapon_category": "rocket"}, "weapon_category", "not one of"),
        ({"region_roles": "UA-99:target"}, "region_roles", "unknown region code"),
        ({"region_roles": "UA-51:hit"}, "region_roles", "unknown role"),
        ({"region_roles": "UA-51"}, "region_roles", "unknown role"),
    ],
)
def test_a_bad_cell_rejects_its_row_naming_row_and_column(tmp_path, change, column, reason):
    rows = [GOOD, {**GOOD, "event_id": "x:1", **change}, {**GOOD, "event_id": "x:2"}]
    result = import_file(_write(tmp_path, rows))
    report = result.report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (3, 2, 1)
    [rejected] = report.rejected
    assert (rejected["row"], rejected["column"]) == (1, column)
    assert reason in rejected["reason"]
    assert result.events["event_id"].tolist() == ["x:0", "x:2"]
    assert set(result.event_regions["event_id"]) == {"x:0", "x:2"}


def test_an_identical_row_is_rejected_and_blank_ids_are_generated(tmp_path):
    rows = [GOOD, {**GOOD, "event_id": ""}, {**GOOD}]
    result = import_file(_write(tmp_path, rows, "ids.csv"), source_name="ids")
    assert result.events["event_id"].tolist() == ["x:0", "ids:1"]
    assert english(result.report.rejected) == [
        {
            "row": 2,
            "column": "event_id",
            "reason": "duplicate of row 0: every column is the same",
        }
    ]


def test_a_repeated_id_on_a_different_row_is_kept_as_its_own_event(tmp_path):
    rows = [GOOD, {**GOOD, "launched": "12", "region_roles": "UA-48:target"}, {**GOOD}]
    result = import_file(_write(tmp_path, rows, "joined.csv"), source_name="joined")
    assert result.events["event_id"].tolist() == ["x:0", "x:0#2"]
    assert result.events["launched"].tolist() == [10, 12]
    regions = result.event_regions.set_index("event_id")["region_code"].to_dict()
    assert regions == {"x:0": "UA-51", "x:0#2": "UA-48"}
    assert [r["row"] for r in result.report.rejected] == [2]
    assert "row 0 as 'x:0', row 1 as 'x:0#2'" in " ".join(result.report.notes)


def test_a_blank_id_whose_made_up_id_is_taken_is_rejected(tmp_path):
    rows = [{**GOOD, "event_id": "ids:1"}, {**GOOD, "event_id": "", "launched": "3"}]
    result = import_file(_write(tmp_path, rows, "ids.csv"), source_name="ids")
    assert result.events["event_id"].tolist() == ["ids:1"]
    [rejected] = result.report.rejected
    assert (rejected["row"], rejected["column"]) == (1, "event_id")
    assert "made for it, 'ids:1', is another row's event_id" in rejected["reason"]


def test_ragged_rows_are_rejected_or_fail_naming_the_row(tmp_path):
    good = ",".join(GOOD.get(column, "") for column in canonical.COLUMNS)
    short = tmp_path / "short.csv"
    short.write_text(HEADER + "\n" + good + "\n" + "x:1,src,1,strike\n")
    report = import_file(short).report  # missing trailing cells are blanks
    assert (report.rows_imported, report.rows_rejected) == (1, 1)
    assert report.rejected[0]["row"] == 1
    assert report.rejected[0]["column"] in ("date", "scope")
    long = tmp_path / "long.csv"
    long.write_text(HEADER + "\n" + good + "\n" + good.replace("x:0", "x:1") + ",extra\n")
    with pytest.raises(
        UnusableInput, match=r"long.csv: row 1, .*27 fields where the header has 26"
    ):
        import_file(long, fmt="canonical")


def test_unusable_files_raise_one_line_errors(tmp_path):
    header_only = tmp_path / "empty.csv"
    header_only.write_text(HEADER + "\n")
    missing = tmp_path / "missing.csv"
    missing.write_text("event_id,kind,date\nx,strike,2025-01-01\n")
    latin = tmp_path / "latin.csv"
    row = ",".join(GOOD.get(column, "") for column in canonical.COLUMNS).encode()
    latin.write_bytes((HEADER + "\n").encode() + row.replace(b"x:0", b"x:\xff\xfe") + b"\n")
    cases = [
        (lambda: import_file(header_only), "header only"),
        (lambda: canonical.read_path(missing, source_name="m"), "column region_roles: missing"),
        (lambda: canonical.read_path(latin, source_name="l"), "not valid UTF-8"),
    ]
    for call, message in cases:
        with pytest.raises(UnusableInput, match=message) as caught:
            call()
        assert "\n" not in str(caught.value)


def test_quoted_line_breaks_are_read(tmp_path):
    rows = [{**GOOD, "description": "line one\nline two"}, {**GOOD, "event_id": "x:1"}]
    result = import_file(_write(tmp_path, rows, "newlines.csv"))
    assert result.events["description"].tolist()[0] == "line one\nline two"
    assert result.report.rows_imported == 2


def test_unknown_columns_are_noted_and_ignored(tmp_path):
    frame = pd.DataFrame([GOOD]).assign(comment="mine")
    path = tmp_path / "extra.csv"
    frame.to_csv(path, index=False)
    result = import_file(path)
    assert result.report.notes == ["ignored columns not in the canonical format: comment"]
    assert result.events["wave_id"].isna().all()


def test_a_text_repeated_on_many_rows_is_judged_alike_on_every_row(tmp_path):
    # Dates, instants and region pairs are read once per distinct text: every row holding
    # a text gets its value or its rejection.
    bad = {"date": "2025-02-30", "start": "2025-03-01 16:00", "region_roles": "UA-51:hit"}
    rows = []
    for number in range(12):
        row = {**GOOD, "event_id": f"x:{number}", "start": "2025-03-01T16:00:00+02:00"}
        if number % 4 == 3:
            column = list(bad)[number // 4]
            row[column] = bad[column]
        rows.append(row)
    result = import_file(_write(tmp_path, rows))
    assert [(r["row"], r["column"]) for r in result.report.rejected] == [
        (3, "date"),
        (7, "start"),
        (11, "region_roles"),
    ]
    events = result.events
    assert events["start"].eq(pd.Timestamp("2025-03-01T14:00:00Z")).all()
    assert events["date"].eq(pd.Timestamp("2025-03-02")).all()
    assert len(result.event_regions) == len(events) == 9


def test_a_blank_date_and_a_date_of_spaces_are_told_apart(tmp_path):
    rows = [GOOD, {**GOOD, "event_id": "x:1", "date": ""}, {**GOOD, "event_id": "x:2", "date": " "}]
    reasons = [r["reason"] for r in import_file(_write(tmp_path, rows)).report.rejected]
    assert reasons[0].startswith("blank; required")
    assert reasons[1].startswith("not a date")


def test_a_file_of_several_read_blocks_imports_every_row_in_order(tmp_path):
    # Larger than one block of the Arrow reader, so it is parsed in pieces.
    events, regions = _events()
    many = pd.concat([events] * 1500, ignore_index=True)
    many["event_id"] = [f"e:{number}" for number in range(len(many))]
    many["description"] = "x" * 200
    first = dict(zip(events["event_id"], range(len(events)), strict=True))
    copies = [
        regions.assign(event_id=regions["event_id"].map(lambda e, c=copy: f"e:{4 * c + first[e]}"))
        for copy in range(1500)
    ]
    path = tmp_path / "big.csv"
    canonical.write_csv(many, pd.concat(copies, ignore_index=True), path)
    assert path.stat().st_size > 2 * 1024**2
    result = import_file(path, source_name="big")
    assert result.report.rows_imported == len(many)
    assert result.events["event_id"].tolist() == many["event_id"].tolist()
    assert result.events["source_row"].tolist() == list(range(len(many)))
    assert len(result.event_regions) == 1500 * len(regions.drop_duplicates())
