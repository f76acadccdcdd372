"""The rules written once in oblastwatch.domain.rules, and the layers that read them."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain import rules
from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.query.build import prepare
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters
from oblastwatch.study.events import event_days, select_events

KYIV = "Europe/Kyiv"


# --- parties and lanes -----------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(rules.PARTY_SPELLINGS))
def test_every_spelling_of_a_party_names_that_party(name):
    for spelling in rules.PARTY_SPELLINGS[name]:
        assert rules.party_name(spelling) == name
        assert rules.party_name(f"  {spelling.upper()} ") == name
        assert rules.party_key(spelling.lower()) == rules.party_key(name)


def test_names_outside_the_table_are_kept_and_only_match_themselves():
    assert rules.party_name(" Saudi   Arabia ") == "Saudi Arabia"
    assert rules.party_names("Turkey;US;;United States;UN") == ("Turkey", "US", "UN")
    assert rules.party_names(None) == ()
    assert rules.party_names(pd.NA) == ()
    # Not the same party: a shorter or a broader name is not folded into the table's names.
    assert rules.party_key("Great Britain") != rules.party_key("UK")
    assert rules.party_key("America") != rules.party_key("US")
    assert not rules.took_part("Russia;Ukraine", ["Russian"])


def _talks_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    start = pd.Timestamp("2026-03-10", tz=KYIV).tz_convert("UTC")
    events = pd.DataFrame(
        {
            "event_id": ["t1", "t2", "t3"],
            "source": "curated-talks",
            "kind": ["talks", "talks", "call"],
            "start": [start, start + pd.Timedelta(days=3), start + pd.Timedelta(days=6)],
            "date": pd.to_datetime(["2026-03-10", "2026-03-13", "2026-03-16"]),
            "scope": "national",
            "parties": ["United States of America;Ukraine", "USA;Russia", "Russia;Ukraine"],
        }
    )
    events["end"] = events["start"] + pd.Timedelta(days=1)
    return conform_events(events), conform_event_regions(
        pd.DataFrame(columns=["event_id", "region_code", "role"])
    )


def test_the_timeline_lane_and_the_study_filter_read_one_party_table():
    # Issue 11: "United States of America;Ukraine" was drawn in the US–Ukraine lane of the
    # timeline but dropped by select_events(parties=["US", "Ukraine"]).
    events, regions = _talks_tables()
    shown = diplomatic_events(
        prepare(events, regions), Filters(date(2026, 3, 1), date(2026, 3, 31))
    ).set_index("event_id")
    assert shown.loc["t1", "lane"] == "US–Ukraine"
    assert shown.loc["t2", "lane"] == "US–Russia"
    selected = select_events(events, parties=["US", "Ukraine"])
    assert selected["event_id"].tolist() == ["t1"]
    # Every event the study selects with two lane parties sits in that lane, and back.
    for lane, parties in (("US–Ukraine", ["US", "Ukraine"]), ("US–Russia", ["USA", "Russia"])):
        in_lane = set(shown.index[shown["lane"] == lane])
        assert set(select_events(events, parties=parties)["event_id"]) == in_lane


@pytest.mark.parametrize(
    ("parties", "lane"),
    [
        ("Russia;Ukraine", "Russia–Ukraine"),
        ("Russia;Ukraine;Turkey;UN", "Russia–Ukraine"),
        ("US;Ukraine", "US–Ukraine"),
        ("United States;Ukraine", "US–Ukraine"),
        ("United States of America;Ukraine", "US–Ukraine"),
        ("u.s.a.;russian federation", "US–Russia"),
        ("US;Ukraine;UK;France;Germany", "US–Ukraine"),
        ("US;Russia", "US–Russia"),
        ("US;Russia;Ukraine", "trilateral"),
        ("Russia;Ukraine;United States", "trilateral"),
        ("Ukraine;Malta;about 65 countries", "other"),
        ("Ukraine;Saudi Arabia;United States;China;India;others", "other"),
        ("Ukraine;Switzerland;92 countries;8 organisations", "other"),
        ("Turkey", "other"),
        (None, "other"),
    ],
)
def test_talks_lane(parties, lane):
    assert rules.talks_lane(parties) == lane


# --- weapons and waves -----------------------------------------------------------------------


def test_missiles_are_typed_missiles_and_unknown_rows_whose_model_says_missile():
    category = pd.Series(
        ["cruise missile", "ballistic missile", "guided missile", "unknown", "unknown", "drone"]
        + ["other", None],
        dtype="string",
    )
    model = pd.Series(
        ["Kh-101", None, "KAB", "Missiles (all types)", "drones (all types)", "missile-like"]
        + ["S-300 missile", "missile"],
        dtype="string",
    )
    assert rules.is_missile(category, model).tolist() == [
        True,
        True,
        True,
        True,
        False,
        False,  # a drone stays a drone whatever its model says
        False,  # "other" is typed: not a missile
        False,  # no category at all
    ]
    assert rules.is_missile(category.iloc[:0], model.iloc[:0]).tolist() == []


def test_a_row_without_a_wave_id_is_its_own_wave():
    # Rows 1 and 2 have no wave id; their event ids equal the wave ids of rows 0 and 3, and
    # still each is a wave of its own.
    keys = rules.wave_keys(
        pd.Series(["w1", None, None, "b", "w1"], dtype="string"),
        pd.Series(["a", "w1", "b", "c", "d"], dtype="string"),
    ).to_pylist()
    assert keys[0] == keys[4] == "w1"
    assert keys[3] == "b"
    assert len(set(keys)) == 4


# --- calendar days ---------------------------------------------------------------------------


def test_an_end_at_midnight_ends_the_day_before_in_kyiv():
    midnight = pd.Timestamp("2026-03-07", tz=KYIV).tz_convert("UTC")
    instants = pd.Series([midnight, midnight + pd.Timedelta(minutes=1), pd.NaT])
    assert rules.kyiv_day(instants, exclusive_end=True).tolist()[:2] == [
        pd.Timestamp("2026-03-06"),
        pd.Timestamp("2026-03-07"),
    ]
    # 23:30 UTC on the 6th is already the 7th in Kyiv.
    late = pd.Series([pd.Timestamp("2026-03-06 23:30", tz="UTC")])
    assert rules.kyiv_day(late).tolist() == [pd.Timestamp("2026-03-07")]
    assert pd.isna(rules.kyiv_day(instants)[2])


def test_the_timeline_and_the_study_give_a_round_the_same_days():
    events, regions = _talks_tables()
    timeline = diplomatic_events(
        prepare(events, regions), Filters(date(2026, 3, 1), date(2026, 3, 31))
    )
    study = event_days(events)
    assert timeline["first_day"].tolist() == study["start"].tolist()
    assert timeline["last_day"].tolist() == study["end"].tolist()
    assert np.all(study["end"] == study["start"])  # ends at midnight: one day each
