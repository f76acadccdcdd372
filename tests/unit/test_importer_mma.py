"""The Massive Missile Attacks importer on small fixtures in the current and an older schema."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rejections import english

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, import_file
from oblastwatch.importers.mma import (
    parse_dict_literal,
    parse_kyiv_times,
    parse_list_literal,
    weapon_categories,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "mma"


@pytest.fixture(scope="module")
def current():
    return import_file(DATA / "current.csv", source_name="mma")


@pytest.fixture(scope="module")
def older():
    return import_file(DATA / "older.csv", source_name="old")


def regions_of(result, row: int, role: str) -> set[str]:
    event_id = result.events.loc[result.events["source_row"] == row, "event_id"].iloc[0]
    table = result.event_regions
    return set(table.loc[(table["event_id"] == event_id) & (table["role"] == role), "region_code"])


def event(result, row: int) -> pd.Series:
    return result.events.set_index("source_row").loc[row]


def test_tables_validate_and_every_row_is_accounted_for(current):
    model.validate_events(current.events)
    model.validate_event_regions(current.event_regions)
    report = current.report
    assert report.format == "mma"
    assert report.rows_in == 10
    assert report.rows_imported == 7
    assert report.rows_in == report.rows_imported + report.rows_rejected


def test_broken_rows_are_rejected_with_row_and_column(current):
    assert english(current.report.rejected) == [
        {"row": 6, "column": "launched", "reason": "'many' is not a number"},
        {
            "row": 7,
            "column": "time_end",
            "reason": "'yesterday' is not a Kyiv time like 2026-02-26 or 2026-02-26 08:00",
        },
        {"row": 8, "column": "destroyed", "reason": "'-3' is a negative count"},
    ]


def test_times_are_kyiv_local_converted_to_utc(current):
    shahed = event(current, 0)
    assert shahed["start"] == pd.Timestamp("2026-02-25 16:00", tz="UTC")  # UTC+2 in winter
    assert shahed["end"] == pd.Timestamp("2026-02-26 08:00", tz="UTC")
    assert shahed["date"] == pd.Timestamp("2026-02-26")
    summer = event(current, 4)
    assert summer["end"] == pd.Timestamp("2025-06-29 02:00", tz="UTC")  # UTC+3 in summer
    day_only = event(current, 3)
    assert day_only["start"] == pd.Timestamp("2026-02-25 22:00", tz="UTC")
    assert day_only["end"] == pd.Timestamp("2026-02-26 21:59", tz="UTC")
    assert day_only["date"] == pd.Timestamp("2026-02-26")


def test_counts_stay_on_the_event_and_blank_count_is_missing(current):
    shahed = event(current, 0)
    assert (shahed["launched"], shahed["destroyed"]) == (420, 374)
    kalibr = event(current, 9)
    assert pd.isna(kalibr["launched"])
    assert kalibr["destroyed"] == 2
    assert kalibr["title"] == "Kalibr: 2 destroyed"
    assert shahed["title"] == "Shahed-136/131: 420 launched, 374 destroyed"


def test_weapon_categories_from_built_in_mapping(current):
    categories = current.events.set_index("source_row")["weapon_category"]
    assert categories[0] == "drone"
    assert categories[1] == "cruise missile"
    assert categories[2] == "ballistic missile"  # C-400 and Iskander-M: ballistic wins
    assert categories[4] == "ballistic missile"
    assert categories[9] == "cruise missile"


def test_catalogue_categories(tmp_path):
    result = import_file(DATA / "current.csv", catalog=DATA / "catalog.csv", source_name="mma")
    categories = result.events.set_index("source_row")["weapon_category"]
    assert categories[0] == "drone"
    assert categories[2] == "ballistic missile"  # "surface-to-air and ballistic"
    models = pd.Series(["C-400", "GBU", "Kalibr and C-400", "Something new"])
    catalog = pd.read_csv(DATA / "catalog.csv", dtype=str, keep_default_na=False)
    assert weapon_categories(models, catalog).tolist() == [
        "guided missile",
        "other",
        "cruise missile",
        "unknown",
    ]
    bad = tmp_path / "catalog.csv"
    bad.write_text("name,kind\nX,UAV\n", encoding="utf-8")
    with pytest.raises(UnusableInput, match=r"catalog.csv: row header, column model"):
        import_file(DATA / "current.csv", catalog=bad)


def test_built_in_categories_for_models_seen_in_the_data():
    models = [
        "Shahed-136/131",
        "Молнія",
        "Фенікс",
        "Orlan-10 and ZALA",
        "X-101/X-555 and Kalibr",
        "3M22 Zircon",
        "P-800 Oniks",
        "Iskander-K",
        "Iskander-M/KN-23",
        "X-47 Kinzhal",
        "Ballistic Missile",
        "C-300/C-400",
        "GBU",
        "Mystery",
        "",
    ]
    assert weapon_categories(pd.Series(models)).tolist() == [
        "drone",
        "drone",
        "drone",
        "drone",
        "cruise missile",
        "cruise missile",
        "cruise missile",
        "cruise missile",
        "ballistic missile",
        "ballistic missile",
        "ballistic missile",
        "guided missile",
        "other",
        "unknown",
        "unknown",
    ]


def test_wave_groups_rows_of_one_post_on_one_kyiv_day(current):
    events = current.events.set_index("source_row")
    wave = events.loc[0, "wave_id"]
    assert events.loc[[1, 2], "wave_id"].tolist() == [wave, wave]
    assert events.loc[3, "wave_id"] != wave
    assert wave == "mma:2026-02-26:kpszsu/posts/pfbidWAVE1"


def test_source_urls(current):
    urls = current.events.set_index("source_row")["source_url"]
    assert urls[0] == "https://www.facebook.com/kpszsu/posts/pfbidWAVE1"
    assert urls[9] == "https://t.me/kpszsu/22252"


def test_regions_by_role(current):
    assert regions_of(current, 4, "target") == {"UA-12"}
    assert regions_of(current, 4, "intercepted") == {"UA-48"}
    assert regions_of(current, 5, "affected") == {"UA-63", "UA-14"}
    assert regions_of(current, 5, "target") == {"UA-30"}  # target_main Kyiv
    assert regions_of(current, 9, "target") == {"UA-51", "UA-48"}
    assert regions_of(current, 0, "intercepted") == set()  # macro-regions only


def test_scope_and_place_text(current):
    events = current.events.set_index("source_row")
    assert events.loc[0, "scope"] == "national"
    assert events.loc[3, "scope"] == "macro-region"
    assert events.loc[4, "scope"] == "regions"
    assert events.loc[4, "place_text"] == "Dnipropetrovsk oblast, Kryvyi Rih Raion"
    assert current.report.scopes == {"national": 4, "macro-region": 1, "regions": 2}


def test_description_carries_the_optional_columns(current):
    description = event(current, 0)["description"]
    assert description.startswith("launched from: Primorsko-Akhtarsk and Kursk oblast")
    assert "hit locations: 32" in description
    assert "still attacking" not in description  # zero counts are left out


def test_older_schema_imports_every_row(older):
    model.validate_events(older.events)
    model.validate_event_regions(older.event_regions)
    report = older.report
    assert (report.rows_in, report.rows_imported, report.rows_rejected) == (5, 4, 1)
    assert report.rejected[0]["row"] == 4
    assert report.rejected[0]["column"] == "time_start"
    events = older.events.set_index("source_row")
    assert events.loc[0, "weapon_category"] == "cruise missile"
    assert events.loc[1, "weapon_category"] == "ballistic missile"
    assert "carrier: Tu-95MS and Navy" in events.loc[0, "description"]
    # No source column: the reported time window stands in for the post.
    assert events.loc[0, "wave_id"] == events.loc[2, "wave_id"]
    assert events.loc[0, "wave_id"] != events.loc[3, "wave_id"]
    assert pd.isna(events.loc[0, "source_url"])
    assert regions_of(older, 2, "intercepted") == {"UA-32"}


def test_missing_required_column_is_unusable(tmp_path):
    path = tmp_path / "cut.csv"
    path.write_text(
        "time_start,time_end,model,launched,target\n2024-01-01,2024-01-01,X,1,Ukraine\n"
    )
    with pytest.raises(UnusableInput) as caught:
        import_file(path)
    assert str(caught.value).startswith("cut.csv: row header, column destroyed: missing required")


def test_unresolved_parts_are_reported_with_suggestions(tmp_path):
    path = tmp_path / "typo.csv"
    path.write_text(
        "time_start,time_end,model,target,launched,destroyed\n"
        "2024-01-01,2024-01-01,Shahed-136/131,Odesa oblastt,5,5\n"
        "2024-01-02,2024-01-02,Shahed-136/131,Odesa oblastt,4,4\n",
        encoding="utf-8",
    )
    report = import_file(path).report
    assert report.rows_imported == 2
    assert report.unresolved == {"Odesa oblastt": 2}
    assert any("UA-51" in s for s in report.suggestions["Odesa oblastt"])


def test_literal_parsers_are_safe():
    assert parse_list_literal("['Kyiv', 'Kyiv oblast']") == ["Kyiv", "Kyiv oblast"]
    assert parse_list_literal("Sumy oblast") == ["Sumy oblast"]
    # Not a literal: read as one mention, never evaluated.
    assert parse_list_literal("[__import__('os').system('x')]") == ["__import__('os').system('x')"]
    assert parse_dict_literal("{'south': 49, 'east': NaN, 'north': nan}") == {
        "south": 49.0,
        "east": None,
        "north": None,
    }
    assert parse_dict_literal("{'a': __import__('os')}") is None
    assert parse_dict_literal("not a dict") is None


def test_kyiv_time_shapes():
    text = pd.Series(["2026-02-25 18:00", "2026-02-26", "2023-05-16 3:30", "", "26/02/2026"])
    local, date_only = parse_kyiv_times(text)
    assert local[0] == pd.Timestamp("2026-02-25 18:00")
    assert local[2] == pd.Timestamp("2023-05-16 03:30")
    assert pd.isna(local[3])
    assert pd.isna(local[4])
    assert date_only.tolist() == [False, True, False, False, False]


def test_times_outside_the_window_and_implausible_counts_are_rejected(tmp_path):
    header = "time_start,time_end,model,target,launched,destroyed\n"
    rows = [
        "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Odesa oblast,40,35",
        "2024-01-01 18:00,9999-12-31 08:00,Shahed-136/131,Odesa oblast,40,35",
        "0000-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Odesa oblast,40,35",
        "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Odesa oblast,40.5,35",
        "2024-01-01 18:00,2024-01-02 08:00,Shahed-136/131,Odesa oblast,40,2000000",
    ]
    path = tmp_path / "mma.csv"
    path.write_text(header + "\n".join(rows) + "\n")
    result = import_file(path, fmt="mma")
    assert [(r["row"], r["column"]) for r in result.report.rejected] == [
        (1, "time_end"),
        (2, "time_start"),
        (3, "launched"),
        (4, "destroyed"),
    ]
    assert result.report.rejected[0]["reason"] == (
        "'9999-12-31 08:00' is outside the plausible dates 1990-01-01 to 2100-12-31"
    )
    model.validate_events(result.events)
