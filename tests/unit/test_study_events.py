"""Choosing the studied events and their windows (oblastwatch.study.events)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from study_tables import talks

from oblastwatch.domain import rules
from oblastwatch.study.events import event_windows, select_events, study_span

# --------------------------------------------------------------------------- selection


def test_select_events_filters_kind_format_and_all_listed_parties():
    events = pd.DataFrame(
        {
            "event_id": ["a", "b", "c", "d"],
            "kind": ["talks", "call", "talks", "strike"],
            "format": ["bilateral", "bilateral", "Trilateral", None],
            "parties": ["US;Russia", "United States;Ukraine", "US;Russia;Ukraine", None],
        }
    )
    assert select_events(events)["event_id"].tolist() == ["a", "b", "c"]
    assert select_events(events, kinds=["talks"])["event_id"].tolist() == ["a", "c"]
    assert select_events(events, formats=["trilateral"])["event_id"].tolist() == ["c"]
    both = select_events(events, parties=["United States", "Ukraine"])
    assert both["event_id"].tolist() == ["b", "c"]
    with pytest.raises(ValueError, match="'strike' is not a diplomatic kind"):
        select_events(events, kinds=["strike"])


def test_a_party_is_found_under_any_of_its_spellings():
    # Issue 11: this row was drawn in the US–Ukraine lane but dropped by the party filter.
    events = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "kind": ["talks", "talks", "call"],
            "parties": ["United States of America;Ukraine", "U.S.A.;Russia", "UK;Ukraine"],
        }
    )
    us_ukraine = select_events(events, parties=["US", "Ukraine"])
    assert us_ukraine["event_id"].tolist() == ["a"]
    assert rules.talks_lane(events.loc[0, "parties"]) == "US–Ukraine"
    assert select_events(events, parties=["usa"])["event_id"].tolist() == ["a", "b"]
    uk = select_events(events, parties=["United Kingdom"])
    assert uk["event_id"].tolist() == ["c"]
    # A name outside the table matches itself only, case aside.
    assert select_events(events, parties=["ukraine"])["event_id"].tolist() == ["a", "c"]
    assert select_events(events, parties=["Britain"]).empty


# --------------------------------------------------------------------------- windows


def test_overlapping_windows_are_merged_excluded_or_kept():
    events = talks(["2025-03-01", "2025-03-10", "2025-06-01"], title=["A", "B", "C"])
    merged = event_windows(events, window=7, overlap="merge")
    assert merged["event_ids"].tolist() == ["E000;E001", "E002"]
    assert merged["n_events"].tolist() == [2, 1]
    assert merged.loc[0, "title"] == "A; B"
    assert (merged.loc[0, "start"], merged.loc[0, "end"]) == (
        pd.Timestamp("2025-03-01"),
        pd.Timestamp("2025-03-10"),
    )
    assert merged.loc[0, "before_start"] == pd.Timestamp("2025-02-22")
    assert merged.loc[0, "after_end"] == pd.Timestamp("2025-03-17")

    excluded = event_windows(events, window=7, overlap="exclude")
    assert excluded["event_ids"].tolist() == ["E002"]
    kept = event_windows(events, window=7, overlap="keep")
    assert kept["event_ids"].tolist() == ["E000", "E001", "E002"]
    assert kept["cluster"].tolist()[0] == kept["cluster"].tolist()[1] != kept["cluster"].tolist()[2]
    # Nine days apart: windows of 4 days no longer touch.
    assert len(event_windows(events, window=4, overlap="exclude")) == 3


def test_instant_end_is_exclusive_and_naive_end_is_inclusive():
    # Canonical tables: a round on 5-6 March ends at midnight Kyiv time after the 6th.
    aware = pd.DataFrame(
        {
            "event_id": ["r"],
            "start": [pd.Timestamp("2025-03-05", tz="Europe/Kyiv").tz_convert("UTC")],
            "end": [pd.Timestamp("2025-03-07", tz="Europe/Kyiv").tz_convert("UTC")],
        }
    )
    row = event_windows(aware, window=3).iloc[0]
    assert (row["start"], row["end"]) == (pd.Timestamp("2025-03-05"), pd.Timestamp("2025-03-06"))
    naive = talks(["2025-03-05"], ["2025-03-06"])
    row = event_windows(naive, window=3).iloc[0]
    assert row["end"] == pd.Timestamp("2025-03-06")


def test_study_span_covers_the_window_on_both_sides():
    assert study_span(date(2026, 2, 26), date(2026, 2, 27), 7) == (
        date(2026, 2, 19),
        date(2026, 3, 6),
    )
