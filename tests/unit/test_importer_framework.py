"""Reading files robustly, format detection and the import report."""

from __future__ import annotations

import codecs
import json

import pandas as pd
import pytest
from rejections import english

from oblastwatch.i18n import Message
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.detect import detect_format
from oblastwatch.importers.read import choose_delimiter, read_table
from oblastwatch.importers.report import (
    ImportReport,
    PlaceLookup,
    RejectCollector,
    build_result,
    reason_message,
)

UKRAINIAN = "date,place,kind\n2024-01-02,Київська область,strike\n2024-01-03,Харків,strike\n"


def write(tmp_path, name: str, data: bytes | str):
    path = tmp_path / name
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.write_bytes(data)
    return path


def one_line_error(path, **kwargs) -> str:
    with pytest.raises(UnusableInput) as caught:
        read_table(path, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{path.name}: row ")
    assert ", column " in message
    return message


# ---------------------------------------------------------------- encodings


@pytest.mark.parametrize(
    ("encoded", "encoding"),
    [
        (UKRAINIAN.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + UKRAINIAN.encode("utf-8"), "utf-8-sig"),
        (UKRAINIAN.encode("utf-16"), "utf-16"),
        (UKRAINIAN.encode("cp1251"), "cp1251"),
    ],
)
def test_reads_each_encoding_to_the_same_text(tmp_path, encoded, encoding):
    frame = read_table(write(tmp_path, "in.csv", encoded))
    assert list(frame.columns) == ["date", "place", "kind"]  # no BOM left in the first name
    assert frame["place"].tolist() == ["Київська область", "Харків"]
    assert frame.attrs["encoding"] == encoding


def test_short_cp1251_with_semicolons_is_not_mistaken_for_another_code_page(tmp_path):
    text = "date;place\n2024-01-02;Одеса\n"
    frame = read_table(write(tmp_path, "in.csv", text.encode("cp1251")))
    assert frame.loc[0, "place"] == "Одеса"


# ---------------------------------------------------------------- delimiters, rows, quoting


@pytest.mark.parametrize(("sep", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiter_is_chosen_from_the_header(tmp_path, sep, name):
    text = sep.join(["date", "place", "launched"]) + "\n" + sep.join(["2024-01-02", "Kyiv", "3"])
    frame = read_table(write(tmp_path, "in.csv", text + "\n"))
    assert frame.attrs["delimiter"] == name
    assert frame.loc[0].tolist() == ["2024-01-02", "Kyiv", "3"]


def test_choose_delimiter_ignores_delimiters_inside_quotes():
    assert choose_delimiter('date;"place, with comma";kind') == ";"
    assert choose_delimiter("single") == ","


def test_blank_lines_are_not_rows_and_index_is_the_data_row(tmp_path):
    text = "a,b\n\n1,x\n   \n\n2,y\r\n3,z\r4,w\n\n"
    frame = read_table(write(tmp_path, "in.csv", text))
    assert frame.index.tolist() == [0, 1, 2, 3]
    assert frame["a"].tolist() == ["1", "2", "3", "4"]
    assert frame["b"].tolist() == ["x", "y", "z", "w"]


def test_values_stay_strings_and_quoted_literals_stay_intact(tmp_path):
    text = (
        "n,flag,regions,details\n"
        "007,NA,\"['Kharkiv oblast', 'Donetsk oblast']\",\"{'south': 49, 'east': NaN}\"\n"
        "1.0,,\"['Kyiv']\",\n"
    )
    frame = read_table(write(tmp_path, "in.csv", text))
    assert frame.loc[0, "n"] == "007"
    assert frame.loc[0, "flag"] == "NA"
    assert frame.loc[1, "flag"] == ""
    assert frame.loc[0, "regions"] == "['Kharkiv oblast', 'Donetsk oblast']"
    assert frame.loc[0, "details"] == "{'south': 49, 'east': NaN}"
    assert frame.loc[1, "details"] == ""


def test_missing_trailing_fields_are_empty_strings(tmp_path):
    frame = read_table(write(tmp_path, "in.csv", "a,b,c\n1\n2,3,4\n"))
    assert frame.loc[0].tolist() == ["1", "", ""]


def test_json_records_and_data_wrapper(tmp_path):
    records = [
        {"date": "2024-01-02", "launched": 3, "place": None},
        {"date": "2024-01-03", "x": [1]},
    ]
    for payload in (records, {"data": records}):
        frame = read_table(write(tmp_path, "in.json", json.dumps(payload)))
        assert frame.attrs["delimiter"] == "json"
        assert frame.columns.tolist() == ["date", "launched", "place", "x"]
        assert frame.loc[0].tolist() == ["2024-01-02", "3", "", ""]
        assert frame.loc[1, "x"] == "[1]"


# ---------------------------------------------------------------- unusable files


def test_empty_file(tmp_path):
    assert "file is empty" in one_line_error(write(tmp_path, "empty.csv", "  \n\n"))


def test_header_only(tmp_path):
    message = one_line_error(write(tmp_path, "header.csv", "date,place\n\n"))
    assert "no data rows" in message


def test_binary_garbage(tmp_path):
    garbage = bytes(range(256)) * 20
    assert "not a text file" in one_line_error(write(tmp_path, "garbage.csv", garbage))


def test_unclosed_quote_names_row_line_and_column(tmp_path):
    path = write(tmp_path, "quote.csv", 'a,b\n1,2\n\n3,"4\n5,6\n')
    message = one_line_error(path)
    assert message == "quote.csv: row 1, column b: line 4: quote opened here is never closed"


def test_too_many_fields_names_the_row(tmp_path):
    path = write(tmp_path, "extra.csv", "a,b\n1,2\n3,4,5\n")
    message = one_line_error(path)
    assert message.startswith("extra.csv: row 1, column field 3:")
    assert "3 fields where the header has 2" in message


def test_size_cap(tmp_path):
    path = write(tmp_path, "big.csv", "a,b\n" + "1,2\n" * 1000)
    assert "limit" in one_line_error(path, max_bytes=1000)
    assert len(read_table(path, max_bytes=None)) == 1000


def test_invalid_json_and_non_object_records(tmp_path):
    assert "invalid JSON" in one_line_error(write(tmp_path, "bad.json", "[{]"))
    message = one_line_error(write(tmp_path, "list.json", '[{"a": 1}, 5]'))
    assert message.startswith("list.json: row 1, ")


def test_missing_file(tmp_path):
    assert "cannot read file" in one_line_error(tmp_path / "nowhere.csv")


# ---------------------------------------------------------------- detection


def test_detect_format_from_header():
    assert detect_format(["time_start", "time_end", "model", "launched", "destroyed"]) == "mma"
    assert detect_format([" Time_Start", "TIME_END", "model", "launched"]) == "mma"
    assert detect_format(["When", "Where"]) is None


def test_unknown_header_names_file_and_expected_columns(tmp_path):
    path = write(tmp_path, "mystery.csv", "When,Where\n2024-01-02,Kyiv\n")
    with pytest.raises(UnusableInput) as caught:
        import_file(path)
    message = str(caught.value)
    assert message.startswith("mystery.csv: row header, column (none): unknown format")
    assert "When, Where" in message
    assert "mma (" in message
    assert "time_start" in message
    assert "--map" in message


def test_unknown_format_name(tmp_path):
    path = write(tmp_path, "x.csv", "a\n1\n")
    with pytest.raises(UnusableInput, match="unknown format 'xml'"):
        import_file(path, fmt="xml")


# ---------------------------------------------------------------- report helpers


def test_reject_collector_keeps_first_reason_and_counts():
    rejects = RejectCollector(pd.RangeIndex(4))
    rejects.reject(pd.Series([False, True, False, False]), "launched", Message("not a number"))
    rejects.reject(
        pd.Series([False, True, True, False]),
        "date",
        Message("'{value}' is not a date"),
        value=pd.Series(["a", "b", "c\nd", "e"]),
    )
    rejects.reject_row(3, "url", Message("bad"))
    assert len(rejects) == 3
    assert rejects.accepted.tolist() == [True, False, False, False]
    records = rejects.records()
    assert english(records) == [
        {"row": 1, "column": "launched", "reason": "not a number"},
        {"row": 2, "column": "date", "reason": "'c d' is not a date"},
        {"row": 3, "column": "url", "reason": "bad"},
    ]
    # Beside the English, the reason as a message: its template once, the row's own value.
    assert [record["reason_message"] for record in records] == [
        {"text": "not a number"},
        {"text": "'{value}' is not a date", "values": {"value": "c d"}},
        {"text": "bad"},
    ]
    assert reason_message(records[1]) == Message("'{value}' is not a date", {"value": "c d"})
    old = {"row": 2, "column": "date", "reason": "stored before messages"}
    assert str(reason_message(old)) == "stored before messages"


def test_report_invariant_is_enforced():
    with pytest.raises(AssertionError, match="rows_in 3"):
        ImportReport(
            "s", "p.csv", "mma", rows_in=3, rows_imported=1, rows_rejected=1, rejected=[{}]
        )


def test_build_result_counts_scopes_and_round_trips_to_json():
    rejects = RejectCollector(pd.RangeIndex(3))
    rejects.reject_row(2, "date", Message("blank date"))
    events = pd.DataFrame(
        {
            "event_id": ["s:0", "s:1"],
            "source": "s",
            "kind": "strike",
            "date": pd.to_datetime(["2024-01-02", "2024-01-03"]),
            "scope": ["national", "regions"],
        }
    )
    regions = pd.DataFrame(
        {"event_id": ["s:1", "s:1"], "region_code": ["UA-51", "UA-51"], "role": "target"}
    )
    result = build_result(
        events=events,
        event_regions=regions,
        rows_in=3,
        rejects=rejects,
        source_name="s",
        path="p.csv",
        fmt="mma",
    )
    assert len(result.event_regions) == 1  # duplicates dropped
    data = json.loads(json.dumps(result.report.to_dict()))
    assert data["rows_in"] == 3
    assert data["rows_imported"] == 2
    assert data["rows_rejected"] == 1
    assert english(data["rejected"]) == [{"row": 2, "column": "date", "reason": "blank date"}]
    assert data["scopes"] == {"national": 1, "regions": 1}
    assert data["unresolved"] == {}
    assert ImportReport.from_dict(data) == result.report

    with pytest.raises(AssertionError):
        build_result(
            events=events,
            event_regions=regions,
            rows_in=4,
            rejects=rejects,
            source_name="s",
            path="p.csv",
            fmt="mma",
        )


def test_place_lookup_tallies_unresolved_mentions_with_suggestions():
    places = PlaceLookup()
    matches = places.classify_counts({"Odesa oblast": 3, "Odesa oblastt": 2})
    assert matches["Odesa oblast"].region_codes == ("UA-51",)
    assert places.unresolved == {"Odesa oblastt": 2}
    assert any("UA-51" in s for s in places.suggestions["Odesa oblastt"])


# ---------------------------------------------------------------- shared rules: header, JSON keys


def test_a_repeated_column_name_is_refused_not_renamed(tmp_path):
    path = write(tmp_path, "dup.csv", "id,date,place, date\nd1,2024-01-02,Kyiv,2024-01-03\n")
    message = one_line_error(path)
    assert "row header, column date:" in message
    assert "appears twice" in message
    assert "fields 2 and 4" in message


def test_blank_header_fields_are_not_duplicates(tmp_path):
    frame = read_table(write(tmp_path, "blank.csv", "a,,,b\n1,2,3,4\n"))
    assert list(frame.columns) == ["a", "column_2", "column_3", "b"]


def test_a_repeated_json_key_is_refused(tmp_path):
    text = '[{"date": "2024-01-02"}, {"date": "2024-01-02", "place": "Kyiv", "date": "x"}]'
    message = one_line_error(write(tmp_path, "dup.json", text))
    assert "row 1, column date:" in message
    assert "appears twice" in message
    spaced = '[{"date": "2024-01-02", " date": "2024-01-03"}]'
    assert "row 0, column date:" in one_line_error(write(tmp_path, "spaced.json", spaced))


def test_geojson_is_refused_as_an_import_format(tmp_path):
    text = json.dumps({"type": "FeatureCollection", "features": []})
    message = one_line_error(write(tmp_path, "shapes.geojson", text))
    assert "GeoJSON FeatureCollection is not a supported import format" in message


def test_rows_split_by_another_delimiter_say_so_in_their_rejection(tmp_path):
    text = "id,date,latitude,longitude,location\na1;2024-01-02;50.45;30.52;Kyiv\n"
    text += "a2,2024-01-03,50.45,30.52,Kyiv\n"
    report = import_file(write(tmp_path, "mixed.csv", text)).report
    assert report.rows_imported == 1
    [record] = report.rejected
    assert (record["row"], record["column"]) == (0, "date")
    assert record["reason"].startswith("blank date; ")
    assert "split by semicolons, while the header is split by commas" in record["reason"]


# ---------------------------------------------------------------- shared rules: days and counts


def test_days_outside_the_window_are_rejected_before_nanoseconds():
    from oblastwatch.importers.dates import read_times, reject_implausible

    text = pd.Series(
        ["1990-01-01", "2100-12-31", "1989-12-31", "2101-01-01", "0000-01-01", "9999-12-31", ""]
    )
    rejects = RejectCollector(text.index)
    kept = reject_implausible(read_times(text), text, rejects, column="date")
    assert str(kept.dtype) == "datetime64[ns]"
    assert kept.notna().tolist() == [True, True, False, False, False, False, False]
    assert [r["row"] for r in rejects.records()] == [2, 3, 4, 5]
    assert all("outside the plausible dates" in r["reason"] for r in rejects.records())


def test_the_window_applies_to_the_kyiv_day_of_an_instant():
    from oblastwatch.importers.dates import read_times, reject_implausible

    # 22:30 UTC on 31 December 1989 is already 1 January 1990 in Kyiv (UTC+3 then).
    text = pd.Series(["1989-12-31T22:30Z", "1989-12-31T20:00Z", "9999-12-31T00:00+05:00"])
    rejects = RejectCollector(text.index)
    kept = reject_implausible(read_times(text, utc=True), text, rejects, column="when")
    assert str(kept.dtype) == "datetime64[ns, UTC]"
    assert kept.notna().tolist() == [True, False, False]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-3", "'-3' is a negative count"),
        ("2.5", "'2.5' is not a whole number"),
        ("inf", "'inf' is not a finite number"),
        ("NaN", "'NaN' is not a number"),
        ("1,000", "'1,000' is not a number (write a count without thousands separators)"),
        ("1000001", "'1000001' is more than 1,000,000, not a plausible count"),
        ("1e400", "'1e400' is not a finite number"),
    ],
)
def test_one_count_rule_for_every_importer(text, reason):
    from oblastwatch.importers.counts import parse_counts

    values = pd.Series(["12", "12.0", "", "1000000", text])
    rejects = RejectCollector(values.index)
    counts = parse_counts(values, rejects, column="launched")
    assert counts.iloc[:4].tolist() == [12.0, 12.0, pd.NA, 1_000_000.0]
    assert english(rejects.records()) == [{"row": 4, "column": "launched", "reason": reason}]


def test_region_rows_of_events_that_name_no_region_is_an_empty_table():
    from oblastwatch.importers.report import region_rows

    table = region_rows(pd.Series(["a", "b"]), pd.Series([(), ()]), "target")
    assert table.empty
    assert list(table.columns) == ["event_id", "region_code", "role"]
    roles = region_rows(
        pd.Series(["a", "b"]),
        pd.Series([("UA-51",), ("UA-63", "UA-48")]),
        pd.Series(["target", "location"]),
    )
    assert roles.values.tolist() == [
        ["a", "UA-51", "target"],
        ["b", "UA-63", "location"],
        ["b", "UA-48", "location"],
    ]
