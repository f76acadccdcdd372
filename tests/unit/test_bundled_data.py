"""The bundled curated tables: faithful to the reference, every row sourced, fully importable."""

from __future__ import annotations

import csv
import importlib.util
import re
from pathlib import Path

import pandas as pd
import pytest
from shared_reference import CURATED_TALKS, SHARED_REFERENCE, needs

from oblastwatch.domain import model, resources
from oblastwatch.domain.places import classify_place
from oblastwatch.importers import import_file
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.storage.dataset import Dataset

REPO = Path(__file__).resolve().parents[2]
REFERENCE_DIR = SHARED_REFERENCE
URL = re.compile(r"^https?://\S+$")

needs_reference = needs(CURATED_TALKS)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def by_id(rows: list[dict[str, str]], column: str) -> dict[str, dict[str, str]]:
    table = {row[column]: row for row in rows}
    assert len(table) == len(rows), f"repeated {column}"
    return table


@pytest.fixture(scope="module")
def bundled() -> Dataset:
    return load_bundled()


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location(
        "build_bundled_data", REPO / "scripts/build_bundled_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- every row is sourced and faithful -----------------------------------------------------


@pytest.mark.parametrize(
    "path", [resources.TALKS_PATH, resources.STRIKES_PATH], ids=["talks", "strikes"]
)
def test_every_bundled_row_has_an_http_source_url(path):
    rows = read_rows(path)
    assert rows
    missing = [i for i, row in enumerate(rows) if not URL.match(row["source_url"])]
    assert not missing, f"{path.name}: rows without an http(s) source_url: {missing}"


@needs_reference
@pytest.mark.parametrize(
    ("name", "id_column"), [("talks.csv", "event_id"), ("strikes.csv", "attack_id")]
)
def test_bundled_rows_equal_reference_rows_by_id(name, id_column):
    reference = by_id(read_rows(REFERENCE_DIR / name), id_column)
    bundled = by_id(read_rows(resources.BUNDLED_DATA_DIR / name), id_column)
    assert set(bundled) == set(reference), "rows added or dropped"
    for ident, ref_row in reference.items():
        row = bundled[ident]
        for column, value in ref_row.items():
            # Same URL, dates, counts, places and text; blank stays blank.
            assert row[column] == value.strip(), f"{name} {ident} {column}"


@needs_reference
def test_reference_table_sizes_are_the_ones_documented():
    assert len(read_rows(REFERENCE_DIR / "talks.csv")) == 113
    assert len(read_rows(REFERENCE_DIR / "strikes.csv")) == 53


def test_region_codes_match_the_region_names():
    for row in read_rows(resources.STRIKES_PATH):
        names = [n for n in row["oblasts_hit"].split(";") if n]
        expected = []
        for name in names:
            match = classify_place(name)
            assert not match.unresolved, f"{row['attack_id']}: {name!r} unresolved"
            assert len(match.region_codes) == 1, f"{row['attack_id']}: {name!r}"
            expected.extend(match.region_codes)
        assert row["region_codes"] == ";".join(expected), row["attack_id"]


def test_kyiv_city_and_kyiv_oblast_stay_apart():
    rows = by_id(read_rows(resources.STRIKES_PATH), "attack_id")
    assert rows["RUA-003"]["oblasts_hit"].split(";")[-3:] == [
        "Kyiv Oblast",
        "Zaporizhzhia",
        "Kyiv City",
    ]
    assert rows["RUA-003"]["region_codes"].split(";")[-3:] == ["UA-32", "UA-23", "UA-30"]


@needs_reference
def test_build_script_check_reports_data_up_to_date(build_script, capsys):
    assert build_script.main(["--check"]) == 0, capsys.readouterr().err


@needs_reference
def test_build_script_refuses_a_row_without_url(build_script, tmp_path):
    for name in ("talks.csv", "strikes.csv"):
        (tmp_path / name).write_text(
            (REFERENCE_DIR / name).read_text(encoding="utf-8"), encoding="utf-8"
        )
    rows = (tmp_path / "strikes.csv").read_text(encoding="utf-8").splitlines()
    rows[5] = rows[5].replace("https://", "ftp://", 1)
    (tmp_path / "strikes.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    assert build_script.main(["--reference", str(tmp_path), "--out", str(out)]) == 2
    assert not out.exists()


# --- the bundled data imports completely ---------------------------------------------------


@pytest.mark.parametrize(
    ("path", "fmt", "rows"),
    [(resources.TALKS_PATH, "talks", 113), (resources.STRIKES_PATH, "strikes", 53)],
)
def test_bundled_tables_import_without_loss(path, fmt, rows):
    result = import_file(path)  # auto-detected from the header
    report = result.report
    assert report.format == f"curated-{fmt}"
    assert report.rows_in == rows
    assert report.rows_in == report.rows_imported + report.rows_rejected
    assert report.rows_rejected == 0, report.rejected
    assert report.unresolved == {}
    model.validate_events(result.events)
    model.validate_event_regions(result.event_regions)


def test_bundled_strikes_resolved_from_names_give_the_same_regions(bundled):
    # Without region_codes the importer resolves oblasts_hit itself; both paths must agree.
    frame = pd.read_csv(resources.STRIKES_PATH, dtype=str, keep_default_na=False)
    from oblastwatch.importers.curated import parse_strikes

    by_names = parse_strikes(
        frame.drop(columns="region_codes"),
        source_name="curated-strikes",
        path=resources.STRIKES_PATH,
    )
    assert by_names.report.unresolved == {}
    ours = bundled.event_regions[bundled.event_regions.event_id.str.startswith("curated-strikes:")]
    pd.testing.assert_frame_equal(
        by_names.event_regions.sort_values(["event_id", "region_code"], ignore_index=True),
        ours.sort_values(["event_id", "region_code"], ignore_index=True),
    )


def test_bundled_sources(bundled):
    sources = bundled.sources.set_index("name")
    assert list(sources.index) == ["curated-talks", "curated-strikes"]
    assert set(sources["kind"]) == {"bundled"}
    assert sources.loc["curated-talks", "rows"] == 113
    assert sources.loc["curated-strikes", "start"] == pd.Timestamp("2025-01-15")
    assert all("Natural Earth" in text for text in sources["licence"])
    assert set(bundled.events["source"]) == set(sources.index)


# --- the rounds and waves the app is about ------------------------------------------------


def talks_on(events: pd.DataFrame, start: str, end: str, venue: str) -> pd.DataFrame:
    talks = events[events["kind"] == "talks"]
    kyiv_start = talks["start"].dt.tz_convert("Europe/Kyiv").dt.date.astype(str)
    kyiv_last = (
        (talks["end"] - pd.Timedelta(days=1)).dt.tz_convert("Europe/Kyiv").dt.date.astype(str)
    )
    found = talks[(kyiv_start == start) & (kyiv_last == end) & talks["venue"].str.startswith(venue)]
    return found


@pytest.mark.parametrize(
    ("start", "end", "venue", "parties"),
    [
        ("2026-02-26", "2026-02-26", "Geneva", "US;Ukraine"),
        ("2026-02-17", "2026-02-18", "Geneva", "US;Russia;Ukraine"),
        ("2026-01-23", "2026-01-24", "Abu Dhabi", "US;Russia;Ukraine"),
        ("2026-02-04", "2026-02-05", "Abu Dhabi", "US;Russia;Ukraine"),
    ],
)
def test_key_rounds_are_present(bundled, start, end, venue, parties):
    found = talks_on(bundled.events, start, end, venue)
    assert len(found) == 1, found[["event_id", "title"]]
    row = found.iloc[0]
    assert row["parties"] == parties
    assert row["scope"] == "abroad"
    assert row["date"] == pd.Timestamp(start)
    assert URL.match(row["source_url"])


def test_geneva_round_of_26_february_is_titled_and_timed(bundled):
    row = bundled.events.set_index("event_id").loc["curated-talks:E054"]
    assert row["title"] == "Geneva: US–Ukraine talks"
    assert row["start"] == pd.Timestamp("2026-02-25 22:00", tz="UTC")
    assert row["end"] == pd.Timestamp("2026-02-26 22:00", tz="UTC")
    assert row["venue"] == "Geneva, Switzerland"
    assert float(row["lat"]) == pytest.approx(46.2044)


def test_wave_of_26_february_carries_the_reported_counts(bundled):
    events = bundled.events.set_index("event_id")
    drones = events.loc["curated-strikes:RUA-051/drones"]
    missiles = events.loc["curated-strikes:RUA-051/missiles"]
    assert (drones["launched"], drones["destroyed"]) == (420, 374)
    assert (missiles["launched"], missiles["destroyed"]) == (39, 32)
    assert missiles["weapon_category"] == "unknown"
    assert drones["wave_id"] == missiles["wave_id"] == "curated-strikes:RUA-051"
    assert drones["date"] == pd.Timestamp("2026-02-26")


def test_counts_and_casualties_are_never_double_counted(bundled):
    rows = read_rows(resources.STRIKES_PATH)
    strikes = bundled.events[bundled.events["kind"] == "strike"]

    def table_sum(column):
        return sum(int(r[column]) for r in rows if r[column])

    drones = strikes[strikes["weapon_category"] == "drone"]
    missiles = strikes[strikes["weapon_model"] == "missiles (all types)"]
    assert drones["launched"].sum() == table_sum("drones_launched")
    assert missiles["launched"].sum() == table_sum("missiles_launched")
    assert drones["destroyed"].sum() == table_sum("drones_destroyed")
    assert missiles["destroyed"].sum() == table_sum("missiles_destroyed")
    assert strikes["killed"].sum() == table_sum("killed")
    assert strikes["injured"].sum() == table_sum("injured")
    assert strikes["wave_id"].nunique() == len(rows)
    per_wave = strikes.groupby("wave_id")["killed"].count()
    assert per_wave.max() == 1


def test_diplomatic_events_are_never_on_the_regional_map(bundled):
    diplomatic = bundled.events[bundled.events["kind"].isin(model.DIPLOMATIC_KINDS)]
    assert len(diplomatic) == 113
    assert not bundled.event_regions["event_id"].isin(diplomatic["event_id"]).any()
    assert set(diplomatic["scope"]) == {"abroad", "national"}
    no_venue = diplomatic["venue"].isna()
    assert (diplomatic.loc[no_venue, "scope"] == "national").all()
    assert (diplomatic.loc[~no_venue, "scope"] == "abroad").all()  # no venue is in Ukraine


def test_every_strike_wave_names_its_regions_as_targets(bundled):
    rows = by_id(read_rows(resources.STRIKES_PATH), "attack_id")
    regions = bundled.event_regions
    assert set(regions["role"]) == {"target"}
    for ident, row in rows.items():
        wave = bundled.events[bundled.events["wave_id"] == f"curated-strikes:{ident}"]
        assert len(wave) >= 1, ident
        for event_id in wave["event_id"]:
            codes = regions.loc[regions["event_id"] == event_id, "region_code"]
            assert sorted(codes) == sorted(c for c in row["region_codes"].split(";") if c), ident
        assert set(wave["scope"]) == {"regions" if row["region_codes"] else "national"}
