"""Property-based tests (hypothesis): region resolution, date parsing, and the import invariant
``rows_in == rows_imported + rows_rejected`` on generated files with garbage cells."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pandas as pd
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from oblastwatch.domain import regions
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.generic import parse_event_times
from oblastwatch.importers.points import parse_incident_dates
from oblastwatch.importers.report import RejectCollector

KYIV = ZoneInfo("Europe/Kyiv")
SETTINGS = settings(max_examples=60, deadline=None)
FILE_SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

REGION_NAMES = sorted(
    {
        name
        for region in regions.REGIONS
        for name in (region.name_en, region.name_uk, *region.aliases)
    }
)
APOSTROPHES = "'’ʼ`‘"
# Latin letter -> Cyrillic letter that looks the same.
HOMOGLYPHS = {"a": "а", "e": "е", "o": "о", "p": "р", "c": "с", "x": "х", "y": "у", "i": "і",
              "O": "О", "A": "А", "K": "К", "M": "М", "T": "Т", "H": "Н", "C": "С", "P": "Р"}  # fmt: skip


# ---------------------------------------------------------------- resolve


@SETTINGS
@given(st.text(max_size=200))
def test_resolve_never_crashes_and_returns_a_known_code_or_none(text):
    resolution = regions.resolve(text)
    assert resolution.code is None or resolution.code in regions.REGION_CODES
    assert len(resolution.suggestions) <= 3
    for code, name, score in resolution.suggestions:
        assert code in regions.REGION_CODES
        assert name
        assert 0 <= score <= 100


@st.composite
def spelled_variant(draw):
    """A region name, and the same name with changed case, spacing and apostrophes."""
    name = draw(st.sampled_from(REGION_NAMES))
    chars = []
    for char in name:
        if char in APOSTROPHES:
            chars.append(draw(st.sampled_from(APOSTROPHES)))
        elif char == " ":
            chars.append(draw(st.sampled_from([" ", "  ", "\t", " \u00a0"])))
        else:
            upper = draw(st.booleans())
            chars.append(char.upper() if upper else char.lower())
            if draw(st.integers(0, 9)) == 0:
                chars.append(draw(st.sampled_from(["\u200b", "\u00ad", "'", "’"])))
    padding = draw(st.sampled_from(["", " ", "  \t", "\n"]))
    return name, padding + "".join(chars) + padding


@SETTINGS
@given(spelled_variant())
def test_resolve_is_stable_under_case_whitespace_and_apostrophes(pair):
    name, variant = pair
    assert regions.resolve(name).code is not None, name
    assert regions.resolve(variant).code == regions.resolve(name).code, (name, variant)


@SETTINGS
@given(st.sampled_from([n for n in REGION_NAMES if n.isascii()]), st.data())
def test_homoglyphs_never_resolve_to_another_region(name, data):
    positions = [i for i, c in enumerate(name) if c in HOMOGLYPHS]
    assume(positions)
    at = data.draw(st.sampled_from(positions))
    spoofed = name[:at] + HOMOGLYPHS[name[at]] + name[at + 1 :]
    resolution = regions.resolve(spoofed)
    assert resolution.code in (None, regions.resolve(name).code), (name, spoofed, resolution)
    if resolution.code is None and len(name) > 5:
        suggested = [code for code, _, _ in resolution.suggestions]
        assert regions.resolve(name).code in suggested, (spoofed, suggested)


# ---------------------------------------------------------------- date parsing

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
DATE_SHAPES = {
    "points": ("%Y-%m-%d", "%m/%d/%Y", "%d.%m.%Y", "%d %B %Y"),
    "generic": ("%Y-%m-%d", "%d.%m.%Y"),
}
PARSERS = {"points": parse_incident_dates, "generic": parse_event_times}


def _parse(kind: str, texts: list[str]):
    series = pd.Series(texts, dtype="string")
    rejects = RejectCollector(series.index)
    start, end, day = PARSERS[kind](series, rejects, column="date")
    return start, end, day, rejects


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)), DAYS, st.data())
def test_a_date_in_any_accepted_shape_is_that_kyiv_day(kind, day, data):
    shape = data.draw(st.sampled_from(DATE_SHAPES[kind]))
    start, end, parsed, rejects = _parse(kind, [day.strftime(shape)])
    assert rejects.records() == []
    assert parsed.iloc[0].date() == day
    assert start.iloc[0] <= end.iloc[0]


@SETTINGS
@given(
    st.sampled_from(sorted(PARSERS)),
    st.datetimes(min_value=datetime(1990, 1, 2), max_value=datetime(2100, 12, 30)),
    st.integers(-12 * 4, 14 * 4),
)
def test_a_timestamp_with_an_offset_lands_on_the_kyiv_day_of_that_instant(kind, moment, quarters):
    offset = timezone(timedelta(minutes=15 * quarters))
    aware = moment.replace(second=0, microsecond=0, tzinfo=offset)
    _, _, parsed, rejects = _parse(kind, [aware.isoformat()])
    assert rejects.records() == [], aware.isoformat()
    assert parsed.iloc[0].date() == aware.astimezone(UTC).astimezone(KYIV).date()


DATEISH = st.one_of(
    st.text(max_size=30),
    st.from_regex(r"\A[0-9]{1,5}[-./][0-9]{1,3}[-./][0-9]{1,5}( [0-9]{1,2}:[0-9]{2})?\Z"),
    st.dates(min_value=date(1, 1, 1)).map(date.isoformat),
)


@SETTINGS
@given(st.sampled_from(sorted(PARSERS)), st.lists(DATEISH, min_size=1, max_size=8))
def test_date_parsing_never_crashes_and_accounts_for_every_row(kind, texts):
    _, _, parsed, rejects = _parse(kind, texts)
    rejected = {record["row"] for record in rejects.records()}
    for row in range(len(texts)):
        assert (row in rejected) != pd.notna(parsed.iloc[row]), (texts[row], rejects.records())
        if pd.notna(parsed.iloc[row]):  # the events table holds nanosecond timestamps
            assert pd.Timestamp.min < parsed.iloc[row] < pd.Timestamp.max, texts[row]


# ---------------------------------------------------------------- the import invariant

GARBAGE = st.one_of(
    st.text(max_size=40),
    st.sampled_from(
        [
            "",
            "NaN",
            "inf",
            "-1",
            "1e400",
            "=1+1",
            "<script>x</script>",
            '"',
            "\n",
            "0001-01-01",
            "9999-12-31 08:00",
        ]
    ),
)
POINTS_CELLS = {
    "id": st.one_of(st.sampled_from(["a", "b", ""]), GARBAGE),
    "date": st.one_of(DAYS.map(date.isoformat), GARBAGE),
    "latitude": st.one_of(st.floats(44, 53).map(str), GARBAGE),
    "longitude": st.one_of(st.floats(22, 41).map(str), GARBAGE),
    "location": st.one_of(st.sampled_from(["Odesa oblast", "Kyiv", "south", ""]), GARBAGE),
    "description": GARBAGE,
    "killed": st.one_of(st.integers(0, 50).map(str), GARBAGE),
}
GENERIC_CELLS = {
    "When": st.one_of(DAYS.map(date.isoformat), GARBAGE),
    "Where": st.one_of(st.sampled_from(["Odesa oblast", "Kharkiv", "Black Sea", ""]), GARBAGE),
    "Launched": st.one_of(st.integers(0, 500).map(str), GARBAGE),
    "Link": st.one_of(st.just("https://example.org/x"), GARBAGE),
}
MMA_CELLS = {
    "time_start": st.one_of(DAYS.map(lambda d: f"{d} 18:00"), GARBAGE),
    "time_end": st.one_of(DAYS.map(lambda d: f"{d} 08:00"), GARBAGE),
    "model": st.one_of(st.sampled_from(["Shahed-136/131", "X-101/X-555", ""]), GARBAGE),
    "target": st.one_of(st.sampled_from(["Odesa oblast", "south", "Ukraine"]), GARBAGE),
    "launched": st.one_of(st.integers(0, 500).map(str), GARBAGE),
    "destroyed": st.one_of(st.integers(0, 500).map(str), GARBAGE),
}
TABLES = {
    "points": (POINTS_CELLS, None),
    "generic": (
        GENERIC_CELLS,
        {"date": "When", "place": "Where", "launched": "Launched", "url": "Link"},
    ),  # fmt: skip
    "mma": (MMA_CELLS, None),
}


@st.composite
def generated_table(draw):
    kind = draw(st.sampled_from(sorted(TABLES)))
    cells, mapping = TABLES[kind]
    rows = draw(
        st.lists(st.fixed_dictionaries(cells), min_size=1, max_size=12).filter(
            # A row of blank cells is written as a line of commas; keep at least one value.
            lambda rows: all(any(v.strip() for v in row.values()) for row in rows)
        )
    )
    buffer = io.StringIO()
    # "\r\n" as terminator makes the writer quote cells holding a bare CR or LF.
    writer = csv.DictWriter(buffer, fieldnames=list(cells), lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return kind, mapping, rows, buffer.getvalue()


@FILE_SETTINGS
@given(generated_table())
def test_every_generated_row_is_imported_or_rejected(tmp_path_factory, table):
    kind, mapping, rows, text = table
    path = tmp_path_factory.mktemp("gen") / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    try:
        result = import_file(path, fmt="csv" if mapping else kind, mapping=mapping)
    except UnusableInput as error:
        message = str(error)
        assert "\n" not in message
        assert path.name in message
        assert "row" in message
        assert "column" in message
        return
    report = result.report
    assert report.rows_in == len(rows)
    assert report.rows_in == report.rows_imported + report.rows_rejected
    assert len(result.events) == report.rows_imported
    kept = set(result.events["source_row"].astype(int))
    assert kept | {r["row"] for r in report.rejected} == set(range(len(rows)))
    assert result.events["event_id"].is_unique
