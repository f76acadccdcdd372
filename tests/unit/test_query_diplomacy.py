"""Diplomatic events: their Kyiv day spans and lanes in the index, the ones a range shows
(the lane rule itself is tested in test_rules.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
from query_tables import FEB, hand_built_tables

from oblastwatch.query.build import prepare
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters


def test_diplomatic_events_span_and_lane():
    prepared = prepare(*hand_built_tables())
    talks = diplomatic_events(prepared, FEB)
    assert list(talks["event_id"]) == ["t1", "t2"]
    t1 = talks.iloc[0]
    assert t1["first_day"] == pd.Timestamp("2026-02-17")
    assert t1["last_day"] == pd.Timestamp("2026-02-18")
    assert t1["lane"] == "trilateral"
    assert talks.iloc[1]["lane"] == "US–Ukraine"
    # A range that only touches the round's second day still shows it.
    overlap = diplomatic_events(prepared, Filters(date(2026, 2, 18), date(2026, 2, 20)))
    assert list(overlap["event_id"]) == ["t1"]
    strikes_only = Filters(FEB.start, FEB.end, kinds=("strike",))
    assert diplomatic_events(prepared, strikes_only).empty
