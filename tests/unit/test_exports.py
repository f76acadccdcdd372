"""CSV and GeoJSON exports of events."""

from __future__ import annotations

import csv
import io
import json

import pandas as pd
import pytest

from oblastwatch.domain import model
from oblastwatch.domain.geo import load_boundaries
from oblastwatch.present.exports import (
    EXPORT_COLUMNS,
    events_csv,
    events_geojson,
    events_table,
    neutralise_formula,
)


def _events() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "event_id": ["t:1", "t:2", "t:3"],
            "source": ["t", "t", "t"],
            "source_row": [0, 1, 2],
            "kind": ["strike", "incident", "talks"],
            "start": pd.to_datetime(["2025-03-01 01:30", None, None], utc=True),
            "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03"]),
            "title": ['=HYPERLINK("http://x")', "Удар по Одесі", "@SUM(A1)"],
            "description": ["+cmd|' /C calc'!A0", "\tleading tab", "-2+3"],
            "place_text": ["\rcarriage", "Odesa", "Istanbul"],
            "launched": [-3.0, 12.0, None],
            "lat": [None, 46.4825, 41.0082],
            "lon": [None, 30.7233, 28.9784],
            "source_url": ["https://example.org/a", "https://example.org/b", None],
        }
    )
    return model.conform_events(frame)


def _event_regions() -> pd.DataFrame:
    return model.conform_event_regions(
        pd.DataFrame(
            {
                "event_id": ["t:1", "t:1", "t:1", "t:2"],
                "region_code": ["UA-51", "UA-48", "UA-48", "UA-51"],
                "role": ["target", "intercepted", "target", "location"],
            }
        )
    )


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def test_formula_cells_are_neutralised_but_numbers_stay_numbers():
    rows = _rows(events_csv(_events(), _event_regions()))
    first, second, third = rows
    assert first["title"] == '\'=HYPERLINK("http://x")'
    assert first["description"] == "'+cmd|' /C calc'!A0"
    assert first["place_text"] == "'\rcarriage"
    assert second["description"] == "'\tleading tab"
    assert third["title"] == "'@SUM(A1)"
    assert third["description"] == "'-2+3"
    assert first["launched"] == "-3"  # numeric column: a number, no apostrophe
    assert second["title"] == "Удар по Одесі"  # plain text untouched
    assert first["source_url"] == "https://example.org/a"


def test_csv_joins_regions_and_formats_dates():
    data = events_csv(_events(), _event_regions())
    assert not data.startswith(b"\xef\xbb\xbf")  # plain UTF-8
    rows = _rows(data)
    assert len(rows) == 3
    assert rows[0]["region_codes"] == "UA-48;UA-51"
    assert rows[0]["region_roles"] == "UA-48:target;UA-48:intercepted;UA-51:target"
    assert rows[2]["region_codes"] == ""
    assert rows[2]["region_roles"] == ""
    assert rows[0]["start"] == "2025-03-01T01:30:00+00:00"
    assert rows[1]["start"] == ""
    assert rows[0]["date"] == "2025-03-01"
    assert list(rows[0])[: len(model.EVENT_COLUMNS)] == list(model.EVENT_COLUMNS)


def test_neutralise_formula_prefixes():
    for prefix in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralise_formula(prefix + "x") == "'" + prefix + "x"
    assert neutralise_formula("x=1") == "x=1"
    assert neutralise_formula("") == ""


def test_geojson_points_where_located_and_null_geometry_otherwise():
    text = events_geojson(_events(), _event_regions(), load_boundaries())

    def refuse(constant: str) -> None:
        raise AssertionError(f"invalid JSON constant {constant}")

    collection = json.loads(text, parse_constant=refuse)
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["properties"]["event_id"] for f in features] == ["t:1", "t:2", "t:3"]
    assert features[0]["geometry"] is None
    assert features[1]["geometry"] == {"type": "Point", "coordinates": [30.7233, 46.4825]}
    first = features[0]["properties"]
    assert first["regions"] == ["UA-48", "UA-51"]
    assert first["region_names"] == ["Mykolaiv Oblast", "Odesa Oblast"]
    assert {"code": "UA-48", "role": "intercepted"} in first["region_roles"]
    assert first["launched"] == -3.0
    assert features[2]["properties"]["launched"] is None
    assert first["date"] == "2025-03-01"
    assert first["start"] == "2025-03-01T01:30:00+00:00"
    # Data, not HTML: text is kept as it is.
    assert first["title"] == '=HYPERLINK("http://x")'
    assert features[1]["properties"]["title"] == "Удар по Одесі"


def test_empty_events_export_cleanly():
    assert _rows(events_csv(model.empty_events(), model.empty_event_regions())) == []
    collection = json.loads(events_geojson(model.empty_events(), model.empty_event_regions()))
    assert collection == {"type": "FeatureCollection", "features": []}


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="role"):
        events_csv(_events(), pd.DataFrame({"event_id": [], "region_code": []}))


def test_the_export_is_the_canonical_writer_byte_for_byte(tmp_path):
    from oblastwatch.importers import canonical

    path = tmp_path / "fast.csv"
    canonical.write_csv(_events(), _event_regions(), path)
    assert path.read_bytes() == events_csv(_events(), _event_regions())
    header = path.read_bytes().split(b"\r\n", 1)[0].decode()
    assert header == ",".join(EXPORT_COLUMNS)


def _reference_cells(events: pd.DataFrame, event_regions: pd.DataFrame) -> list[dict[str, str]]:
    """The CSV cells as the first, per-cell implementation made them (slow, obviously right)."""
    roles = {role: i for i, role in enumerate(model.ROLES)}
    rows = []
    for record in events.to_dict(orient="records"):
        pairs = {
            (code, role)
            for event_id, code, role in event_regions.itertuples(index=False)
            if event_id == record["event_id"]
        }
        pairs = sorted(pairs, key=lambda pair: (pair[0], roles[pair[1]]))
        cells = {}
        for column in model.EVENT_COLUMNS:
            value = record[column]
            if pd.isna(value):
                cells[column] = ""
            elif column in ("start", "end"):
                cells[column] = value.isoformat()
            elif column == "date":
                cells[column] = value.strftime("%Y-%m-%d")
            elif column in model.COUNT_COLUMNS or column in ("lat", "lon", "source_row"):
                cells[column] = value  # compared as numbers
            else:
                cells[column] = neutralise_formula(value)
        cells["region_codes"] = ";".join(dict.fromkeys(code for code, _ in pairs))
        cells["region_roles"] = ";".join(f"{code}:{role}" for code, role in pairs)
        rows.append(cells)
    return rows


def test_csv_cells_match_a_per_cell_reference():
    events = _events()
    events.loc[1, "end"] = pd.Timestamp("2025-03-02T10:00:00.25", tz="UTC")  # a fraction
    events.loc[2, "start"] = pd.Timestamp("2025-03-03T08:00:00.000000001", tz="UTC")
    events.loc[2, "description"] = 'two\nlines, a "quote" and\r\na CRLF'
    events.loc[0, "event_id"] = "-t:1"  # ids and sources are text cells too
    events.loc[1, "venue"] = ""  # an empty string reads back as blank
    regions = _event_regions()
    regions.loc[0, "event_id"] = "-t:1"
    stray = pd.DataFrame({"event_id": ["gone"], "region_code": ["UA-30"], "role": ["target"]})
    regions = model.conform_event_regions(pd.concat([regions, stray], ignore_index=True))
    rows = _rows(events_csv(events, regions))
    expected = _reference_cells(events, regions)
    assert len(rows) == len(expected) == 3
    for got, want in zip(rows, expected, strict=True):
        assert list(got) == list(EXPORT_COLUMNS)
        for column, value in want.items():
            if isinstance(value, str):
                assert got[column] == value, column
            else:
                assert float(got[column]) == float(value), column
    assert rows[2]["description"] == 'two\nlines, a "quote" and\r\na CRLF'
    assert rows[0]["event_id"] == "'-t:1"
    assert rows[1]["end"] == "2025-03-02T10:00:00.250000+00:00"


def test_events_table_joins_regions_by_event_id_for_every_row():
    events = pd.concat([_events(), _events().iloc[[0]]], ignore_index=True)  # t:1 twice
    table = events_table(events, _event_regions())
    assert table["region_codes"].tolist() == ["UA-48;UA-51", "UA-51", "", "UA-48;UA-51"]
    assert table["region_roles"].iloc[3] == "UA-48:target;UA-48:intercepted;UA-51:target"
