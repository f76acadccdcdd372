"""Diplomatic events: timeline lanes from the parties, Kyiv day spans, the ones a range shows."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from query_tables import FEB, hand_built_tables

from oblastwatch.query.build import prepare
from oblastwatch.query.diplomacy import diplomatic_events, talks_lane, talks_window
from oblastwatch.query.filters import Filters


@pytest.mark.parametrize(
    ("parties", "lane"),
    [
        ("Russia;Ukraine", "Russia–Ukraine"),
        ("Russia;Ukraine;Turkey;UN", "Russia–Ukraine"),
        ("US;Ukraine", "US–Ukraine"),
        ("United States;Ukraine", "US–Ukraine"),
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
    assert talks_lane(parties) == lane


def test_diplomatic_events_span_and_lane():
    prepared = prepare(*hand_built_tables())
    talks = diplomatic_events(prepared, FEB)
    assert list(talks["event_id"]) == ["t1", "t2"]
    t1 = talks.iloc[0]
    assert t1["first_day"] == pd.Timestamp("2026-02-17")
    assert t1["last_day"] == pd.Timestamp("2026-02-18")
    assert t1["lane"] == "trilateral" and talks.iloc[1]["lane"] == "US–Ukraine"
    # A range that only touches the round's second day still shows it.
    overlap = diplomatic_events(prepared, Filters(date(2026, 2, 18), date(2026, 2, 20)))
    assert list(overlap["event_id"]) == ["t1"]
    strikes_only = Filters(FEB.start, FEB.end, kinds=("strike",))
    assert diplomatic_events(prepared, strikes_only).empty
    assert talks_window(prepared, "t1") == (date(2026, 2, 17), date(2026, 2, 18))
    assert talks_window(prepared, "nope") is None
