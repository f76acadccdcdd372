"""The curated talks and strikes importers, on tiny tables built here."""

from __future__ import annotations

import pandas as pd
import pytest

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.curated import (
    HEADER_SIGNATURE_STRIKES,
    HEADER_SIGNATURE_TALKS,
    parse_strikes,
    parse_talks,
)
from oblastwatch.importers.detect import detect_format

TALKS_HEADER = [
    "event_id",
    "start_date",
    "end_date",
    "kind",
    "format",
    "parties",
    "city",
    "country",
    "latitude",
    "longitude",
    "lead_negotiators",
    "summary",
    "outcome",
    "source_url",
    "source_date",
    "confidence",
]
STRIKES_HEADER = [
    "attack_id",
    "date",
    "drones_launched",
    "missiles_launched",
    "drones_destroyed",
    "missiles_destroyed",
    "oblasts_hit",
    "killed",
    "injured",
    "notable_targets",
    "source_url",
    "source_date",
    "dataset_launched_total",
    "confidence",
]


def talks_frame(*rows: dict[str, str]) -> pd.DataFrame:
    base = dict.fromkeys(TALKS_HEADER, "")
    base.update(
        event_id="T1",
        start_date="2026-02-26",
        kind="talks",
        format="bilateral",
        parties="US;Ukraine",
        summary="Delegations met",
        source_url="https://example.org/a",
        confidence="high",
    )
    return pd.DataFrame([{**base, **row} for row in rows], dtype=object)


def strikes_frame(*rows: dict[str, str], codes: bool = False) -> pd.DataFrame:
    header = STRIKES_HEADER + (["region_codes"] if codes else [])
    base = dict.fromkeys(header, "")
    base.update(attack_id="S1", date="2026-02-26", source_url="https://example.org/s")
    return pd.DataFrame([{**base, **row} for row in rows], dtype=object)


def rejected(result) -> list[tuple[int, str]]:
    return [(r["row"], r["column"]) for r in result.report.rejected]


def check_invariants(result) -> None:
    report = result.report
    assert report.rows_in == report.rows_imported + report.rows_rejected
    model.validate_events(result.events)
    model.validate_event_regions(result.event_regions)
    assert result.event_regions["event_id"].isin(result.events["event_id"]).all()


# --- detection ------------------------------------------------------------------------------


def test_headers_are_detected():
    assert frozenset(TALKS_HEADER) == HEADER_SIGNATURE_TALKS
    assert frozenset(STRIKES_HEADER) == HEADER_SIGNATURE_STRIKES
    assert detect_format(TALKS_HEADER) == "talks"
    assert detect_format([*STRIKES_HEADER, "region_codes"]) == "strikes"


def test_import_file_reads_a_talks_csv(tmp_path):
    path = tmp_path / "my talks.csv"
    talks_frame({"city": "Geneva", "country": "Switzerland"}).to_csv(path, index=False)
    result = import_file(path)
    assert result.report.format == "curated-talks"
    assert result.events["event_id"].tolist() == ["my talks:T1"]


# --- talks ----------------------------------------------------------------------------------


def test_talks_row_becomes_one_event():
    frame = talks_frame(
        {
            "end_date": "2026-02-27",
            "city": "Geneva",
            "country": "Switzerland",
            "latitude": "46.2044",
            "longitude": "6.1432",
            "lead_negotiators": "Rustem Umerov;Steve Witkoff",
            "outcome": "Next round planned",
        }
    )
    result = parse_talks(frame, source_name="talks", path="talks.csv")
    check_invariants(result)
    event = result.events.iloc[0]
    assert event["event_id"] == "talks:T1"
    assert event["kind"] == "talks"
    assert event["title"] == "Geneva: US–Ukraine talks"
    assert event["description"] == (
        "Delegations met. Outcome: Next round planned. "
        "Lead negotiators: Rustem Umerov, Steve Witkoff. Curator's confidence: high."
    )
    assert event["start"] == pd.Timestamp("2026-02-25 22:00", tz="UTC")  # Kyiv midnight
    assert event["end"] == pd.Timestamp("2026-02-27 22:00", tz="UTC")  # exclusive
    assert event["date"] == pd.Timestamp("2026-02-26")
    assert (event["venue"], event["place_text"]) == ("Geneva, Switzerland",) * 2
    assert (event["lat"], event["lon"]) == (46.2044, 6.1432)
    assert event["scope"] == "abroad"
    assert (event["parties"], event["format"]) == ("US;Ukraine", "bilateral")
    assert pd.isna(event["wave_id"])
    assert pd.isna(event["launched"])
    assert result.event_regions.empty


def test_talks_without_venue_or_in_ukraine_are_national_and_never_regional():
    frame = talks_frame(
        {"event_id": "C1", "kind": "Call", "parties": "US;Russia"},
        {"event_id": "K1", "city": "Kyiv", "country": "Ukraine", "format": "multilateral"},
    )
    result = parse_talks(frame, source_name="t", path="t.csv")
    check_invariants(result)
    assert result.events["scope"].tolist() == ["national", "national"]
    assert result.events["title"].tolist() == ["US–Russia call", "Kyiv: multilateral talks"]
    assert result.events["kind"].tolist() == ["call", "talks"]
    assert pd.isna(result.events["venue"].iloc[0])
    assert result.event_regions.empty


def test_talks_summer_time_day_starts_at_21_utc():
    result = parse_talks(talks_frame({"start_date": "2025-08-15"}), source_name="t", path="t")
    assert result.events["start"].iloc[0] == pd.Timestamp("2025-08-14 21:00", tz="UTC")


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"start_date": "26/02/2026"}, "start_date"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "2026-02-30"}, "start_date"),
        ({"end_date": "2026-02-25"}, "end_date"),
        ({"kind": "strike"}, "kind"),
        ({"kind": "meeting"}, "kind"),
        ({"source_url": ""}, "source_url"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"latitude": "46.2"}, "longitude"),
        ({"latitude": "north", "longitude": "6"}, "latitude"),
        ({"latitude": "95", "longitude": "6"}, "latitude"),
        ({"event_id": ""}, "event_id"),
    ],
)
def test_bad_talks_rows_are_rejected_with_row_and_column(change, column):
    frame = talks_frame({"event_id": "OK"}, change)
    result = parse_talks(frame, source_name="t", path="t.csv")
    check_invariants(result)
    assert result.events["event_id"].tolist() == ["t:OK"]
    assert rejected(result) == [(1, column)]


def test_repeated_talks_id_is_rejected():
    frame = talks_frame({}, {"start_date": "2026-03-01"})
    result = parse_talks(frame, source_name="t", path="t.csv")
    assert rejected(result) == [(1, "event_id")]
    assert "repeats row 0" in result.report.rejected[0]["reason"]


def test_missing_talks_column_makes_the_file_unusable():
    frame = talks_frame({}).drop(columns=["source_url"])
    with pytest.raises(UnusableInput) as caught:
        parse_talks(frame, source_name="t", path="/data/t.csv")
    assert str(caught.value) == "t.csv: row header, column source_url: missing required column"


def test_missing_cells_read_as_blank():
    frame = talks_frame({"outcome": None, "city": None, "country": float("nan")})
    result = parse_talks(frame, source_name="t", path="t")
    assert result.report.rows_imported == 1
    assert result.events["scope"].iloc[0] == "national"


# --- strikes --------------------------------------------------------------------------------

FULL = {
    "drones_launched": "420",
    "drones_destroyed": "374",
    "missiles_launched": "39",
    "missiles_destroyed": "32",
    "killed": "2",
    "injured": "24",
    "oblasts_hit": "Kyiv City;Kharkiv",
    "notable_targets": "energy facilities",
    "confidence": "high",
}


def test_strike_row_becomes_one_event_per_weapon_class():
    result = parse_strikes(strikes_frame(FULL), source_name="s", path="s.csv")
    check_invariants(result)
    events = result.events.set_index("event_id")
    assert list(events.index) == ["s:S1/drones", "s:S1/missiles"]
    drones, missiles = events.loc["s:S1/drones"], events.loc["s:S1/missiles"]
    assert (drones["weapon_model"], drones["weapon_category"]) == ("drones (all types)", "drone")
    assert (missiles["weapon_model"], missiles["weapon_category"]) == (
        "missiles (all types)",
        "unknown",
    )
    assert (drones["launched"], drones["destroyed"]) == (420, 374)
    assert (missiles["launched"], missiles["destroyed"]) == (39, 32)
    # Casualties belong to the wave and are stored once.
    assert (drones["killed"], drones["injured"]) == (2, 24)
    assert pd.isna(missiles["killed"])
    assert pd.isna(missiles["injured"])
    assert set(events["wave_id"]) == {"s:S1"}
    assert set(events["kind"]) == {"strike"}
    assert set(events["date"]) == {pd.Timestamp("2026-02-26")}
    assert events["start"].isna().all()
    assert events["end"].isna().all()
    assert set(events["scope"]) == {"regions"}
    assert set(events["place_text"]) == {"Kyiv City;Kharkiv"}
    assert (
        drones["description"] == "Notable targets: energy facilities. Curator's confidence: high."
    )
    regions = result.event_regions
    assert sorted(regions.itertuples(index=False, name=None)) == [
        ("s:S1/drones", "UA-30", "target"),
        ("s:S1/drones", "UA-63", "target"),
        ("s:S1/missiles", "UA-30", "target"),
        ("s:S1/missiles", "UA-63", "target"),
    ]
    assert result.report.rows_imported == 1
    assert result.report.scopes == {"regions": 1}


def test_strike_row_with_only_missiles_keeps_its_casualties():
    row = {"missiles_launched": "2", "killed": "21", "injured": "83", "oblasts_hit": "Sumy"}
    result = parse_strikes(strikes_frame(row), source_name="s", path="s")
    check_invariants(result)
    assert result.events["event_id"].tolist() == ["s:S1/missiles"]
    assert result.events[["killed", "injured"]].iloc[0].tolist() == [21, 83]


def test_explicit_zero_missiles_is_an_event_blank_is_not():
    rows = (
        {"attack_id": "A", "drones_launched": "273", "missiles_launched": "0"},
        {"attack_id": "B", "drones_launched": "100"},
    )
    result = parse_strikes(strikes_frame(*rows), source_name="s", path="s")
    assert result.events["event_id"].tolist() == ["s:A/drones", "s:A/missiles", "s:B/drones"]
    assert result.events["launched"].tolist() == [273, 0, 100]


def test_strike_row_without_counts_is_one_wave_event():
    row = {"killed": "5", "injured": "14", "oblasts_hit": "Lviv"}
    result = parse_strikes(strikes_frame(row), source_name="s", path="s")
    check_invariants(result)
    event = result.events.iloc[0]
    assert len(result.events) == 1
    assert event["event_id"] == "s:S1/wave"
    assert pd.isna(event["weapon_model"])
    assert event["weapon_category"] == "unknown"
    assert pd.isna(event["launched"])
    assert (event["killed"], event["injured"]) == (5, 14)
    assert result.event_regions["region_code"].tolist() == ["UA-46"]


def test_strike_row_without_regions_is_national():
    result = parse_strikes(strikes_frame({"drones_launched": "472"}), source_name="s", path="s")
    check_invariants(result)
    assert result.events["scope"].tolist() == ["national"]
    assert result.event_regions.empty


def test_unresolved_region_name_is_reported_not_guessed():
    row = {"drones_launched": "10", "oblasts_hit": "Odesa;Qwertyland"}
    result = parse_strikes(strikes_frame(row), source_name="s", path="s")
    check_invariants(result)
    assert result.report.unresolved == {"Qwertyland": 1}
    assert result.event_regions["region_code"].tolist() == ["UA-51"]


def test_region_codes_column_is_used_and_checked():
    rows = (
        {
            "attack_id": "A",
            "drones_launched": "1",
            "oblasts_hit": "Kyiv Oblast",
            "region_codes": "UA-32",
        },
        {"attack_id": "B", "drones_launched": "1", "oblasts_hit": "Lviv", "region_codes": "UA-99"},
        {
            "attack_id": "C",
            "drones_launched": "1",
            "oblasts_hit": "Lviv;Volyn",
            "region_codes": "UA-46",
        },
        {"attack_id": "D", "drones_launched": "1", "oblasts_hit": "Rivne", "region_codes": ""},
    )
    result = parse_strikes(strikes_frame(*rows, codes=True), source_name="s", path="s")
    check_invariants(result)
    assert rejected(result) == [(1, "region_codes"), (2, "region_codes")]
    assert "unknown region code UA-99" in result.report.rejected[0]["reason"]
    codes = dict(
        result.event_regions[["event_id", "region_code"]].itertuples(index=False, name=None)
    )
    assert codes == {"s:A/drones": "UA-32", "s:D/drones": "UA-56"}  # D resolved from its name


@pytest.mark.parametrize(
    ("change", "column"),
    [
        ({"drones_launched": "many"}, "drones_launched"),
        ({"missiles_destroyed": "-3"}, "missiles_destroyed"),
        ({"killed": "2.5"}, "killed"),
        ({"date": "2026-13-01"}, "date"),
        ({"source_url": "www.example.org"}, "source_url"),
        ({"attack_id": "OK"}, "attack_id"),
    ],
)
def test_bad_strike_rows_are_rejected_with_row_and_column(change, column):
    frame = strikes_frame({"attack_id": "OK", "drones_launched": "5"}, change)
    result = parse_strikes(frame, source_name="s", path="s")
    check_invariants(result)
    assert rejected(result) == [(1, column)]
    assert result.report.rows_imported == 1


def test_missing_strikes_column_makes_the_file_unusable():
    frame = strikes_frame({}).drop(columns=["oblasts_hit", "killed"])
    with pytest.raises(UnusableInput, match=r"column killed,oblasts_hit: missing required column"):
        parse_strikes(frame, source_name="s", path="s.csv")
