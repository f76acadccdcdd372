"""Import the real "Massive Missile Attacks on Ukraine" file from ../shared/reference.

The dataset (CC BY-NC-SA 4.0) is never copied into the repository; these tests skip when the
shared reference directory is not next to the checkout.
"""

from __future__ import annotations

import pandas as pd
import pytest
from shared_reference import MMA_CATALOG, MMA_DAILY, needs

from oblastwatch.domain import model
from oblastwatch.domain.model import MISSILE_CATEGORIES
from oblastwatch.importers import import_file

DAILY, CATALOG = MMA_DAILY, MMA_CATALOG
# The Air Force post for the night of 25-26 February 2026 (about 420 drones and 39 missiles).
WAVE_POST = "kpszsu/posts/pfbid02MZ6XcRuDSNkLHf2Ck2w6E7v9WWiw1KMcQ8EbTvgzF4ybex4gUktiWpH7EkD1xU3Gl"

pytestmark = needs(DAILY)


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    return pd.read_csv(DAILY, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def result():
    return import_file(DAILY, catalog=CATALOG, source_name="mma")


def regions(result, row: int, role: str) -> set[str]:
    event_id = f"mma:{row}"
    table = result.event_regions
    return set(table.loc[(table["event_id"] == event_id) & (table["role"] == role), "region_code"])


def test_every_row_imported_and_every_place_resolved(result):
    report = result.report
    assert report.rows_in == 3468
    assert report.rows_in == report.rows_imported + report.rows_rejected
    assert report.rows_rejected == 0, report.rejected[:5]
    assert report.unresolved == {}
    model.validate_events(result.events)
    model.validate_event_regions(result.event_regions)
    assert result.events["event_id"].is_unique


def test_the_wave_of_26_february_2026(result):
    events = result.events
    wave = events[events["wave_id"] == f"mma:2026-02-26:{WAVE_POST}"]
    assert len(wave) == 5
    by_category = wave.groupby("weapon_category")["launched"].sum()
    assert by_category["drone"] == 420
    assert by_category[by_category.index.isin(MISSILE_CATEGORIES)].sum() == 39
    assert (wave["date"] == pd.Timestamp("2026-02-26")).all()
    # The southern command's report that day is a separate wave.
    same_day = events[
        (events["date"] == pd.Timestamp("2026-02-26")) & ~events.index.isin(wave.index)
    ]
    assert same_day["source_url"].str.contains("PvKPivden").all()
    assert len(same_day) >= 1


def test_hand_checked_rows(raw, result):
    # A raion inside Dnipropetrovsk oblast is a target in UA-12.
    kryvyi_rih = raw.index[raw["target"] == "Dnipropetrovsk oblast, Kryvyi Rih Raion"][0]
    assert regions(result, kryvyi_rih, "target") == {"UA-12"}
    # 2026-02-17: Shahed wave with seven affected regions listed.
    affected = raw.index[(raw["time_end"] == "2026-02-17 09:30") & (raw["affected region"] != "")][
        0
    ]
    assert regions(result, affected, "affected") == {
        "UA-46",
        "UA-26",
        "UA-23",
        "UA-12",
        "UA-63",
        "UA-14",
        "UA-51",
    }
    # 2025-06-29: ballistic missiles destroyed over Mykolaiv oblast.
    mykolaiv = raw.index[raw["destroyed_details"] == "{'Mykolaiv oblast': 6}"][0]
    assert raw.loc[mykolaiv, "time_end"] == "2025-06-29 05:00"
    assert regions(result, mykolaiv, "intercepted") == {"UA-48"}
    assert result.events.loc[mykolaiv, "scope"] == "national"
    assert result.events.loc[mykolaiv, "weapon_category"] == "ballistic missile"


def test_macro_region_keys_never_become_intercepted_regions(raw, result):
    only_macro = raw.index[raw["destroyed_details"] == "{'south': 49, 'east': NaN, 'north': NaN}"]
    for row in only_macro:
        assert regions(result, row, "intercepted") == set()


def test_an_older_schema_version_imports_with_no_row_lost(raw, result, tmp_path):
    older = raw.drop(columns=["affected region", "target_main", "border_crossing", "is_shahed"])
    older.insert(older.columns.get_loc("still_attacking"), "cross_border_belarus", "")
    older.insert(older.columns.get_loc("still_attacking"), "back_russia", "")
    path = tmp_path / "missile_attacks_daily_v1.csv"
    older.to_csv(path, index=False)
    old = import_file(path, source_name="mma")
    assert old.report.rows_in == 3468
    assert old.report.rows_imported == 3468
    assert old.report.unresolved == {}
    assert old.events["launched"].sum() == result.events["launched"].sum()
    assert set(old.event_regions["role"]) == {"target", "intercepted"}
    assert (old.events["wave_id"] == result.events["wave_id"]).all()
