"""The data's age (newest attack and diplomatic days, stale after 14 days) and coverage gaps."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from query_tables import hand_built_tables

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.present.freshness import (
    coverage_note,
    days_ago,
    freshness_line,
    stale_warning,
)
from oblastwatch.query.build import prepare
from oblastwatch.query.freshness import (
    STALE_AFTER_DAYS,
    CoverageGap,
    Freshness,
    SourceSpan,
    coverage_gaps,
    data_freshness,
    source_spans,
)
from oblastwatch.query.index import PreparedEvents

# hand_built_tables: strikes 10-14 Feb (mma, curated), incidents 11 and 15 Feb (acled), a
# talks round 17-18 Feb and a call on 25 Feb (talks).
NEWEST_ATTACK = date(2026, 2, 15)
NEWEST_DIPLOMATIC = date(2026, 2, 25)


@pytest.fixture
def prepared() -> PreparedEvents:
    return prepare(*hand_built_tables())


def test_newest_attack_and_diplomatic_days(prepared):
    fresh = data_freshness(prepared, today=date(2026, 2, 20))
    assert fresh.newest_attack == NEWEST_ATTACK  # an incident counts as an attack
    assert fresh.newest_diplomatic == NEWEST_DIPLOMATIC
    assert fresh.newest == NEWEST_ATTACK
    assert fresh.age_days == 5
    assert not fresh.stale


def test_stale_after_fourteen_days_not_on_the_fourteenth(prepared):
    on_limit = data_freshness(prepared, NEWEST_ATTACK + timedelta(days=STALE_AFTER_DAYS))
    assert on_limit.age_days == 14
    assert not on_limit.stale
    assert stale_warning(on_limit) is None
    past = data_freshness(prepared, NEWEST_ATTACK + timedelta(days=15))
    assert past.age_days == 15
    assert past.stale
    warning = stale_warning(past)
    assert warning is not None
    assert "15 days old" in warning
    assert "Get the latest Air Force figures" in warning
    assert "oblastwatch fetch mma" in warning
    assert "Data page" in warning


def test_diplomacy_only_data_takes_its_age_from_the_diplomatic_events(prepared):
    events, regions = hand_built_tables()
    talks = events[events["source"] == "talks"]
    only_talks = prepare(talks, regions[regions["event_id"].isin(talks["event_id"])])
    fresh = data_freshness(only_talks, today=date(2026, 3, 20))
    assert fresh.newest_attack is None
    assert fresh.age_days == 23
    assert fresh.stale
    warning = stale_warning(fresh)
    assert warning is not None
    assert warning.startswith("The newest diplomatic event in the data is 23 days old")
    assert freshness_line(fresh) == "Newest diplomatic event: 2026-02-25, 23 days ago"


def test_no_events_no_line():
    empty = Freshness(None, None, today=date(2026, 1, 1))
    assert empty.age_days is None
    assert not empty.stale
    assert freshness_line(empty) is None
    assert stale_warning(empty) is None


@pytest.mark.parametrize(
    ("days", "phrase"),
    [(0, "today"), (1, "1 day ago"), (2, "2 days ago"), (267, "267 days ago")],
)
def test_days_ago_counts_in_words(days, phrase):
    assert days_ago(days) == phrase


def test_freshness_line_names_both_tracks(prepared):
    line = freshness_line(data_freshness(prepared, today=date(2026, 2, 16)))
    assert line == (
        "Newest attack: 2026-02-15, 1 day ago · newest diplomatic event: 2026-02-25, "
        "9 days from today"
    )
    same_day = freshness_line(Freshness(date(2026, 2, 15), None, today=date(2026, 2, 15)))
    assert same_day == "Newest attack: 2026-02-15, today"


def test_source_spans_run_from_first_to_last_event(prepared):
    spans = {s.name: (s.first, s.last) for s in source_spans(prepared)}
    assert spans == {
        "mma": (date(2026, 2, 10), date(2026, 2, 14)),
        "curated": (date(2026, 2, 13), date(2026, 2, 13)),
        "acled": (date(2026, 2, 11), date(2026, 2, 15)),
        "talks": (date(2026, 2, 17), date(2026, 2, 25)),
    }


def test_a_round_that_ends_after_its_date_extends_its_source():
    events = conform_events(
        pd.DataFrame(
            [
                {
                    "event_id": "t1",
                    "source": "talks",
                    "kind": "talks",
                    "date": pd.Timestamp("2026-03-21"),
                    "start": pd.Timestamp("2026-03-21").tz_localize("Europe/Kyiv"),
                    "end": pd.Timestamp("2026-03-23").tz_localize("Europe/Kyiv"),
                    "scope": "abroad",
                    "source_url": "https://example.org/t1",
                }
            ]
        )
    )
    prepared = prepare(
        events, conform_event_regions(pd.DataFrame(columns=["event_id", "region_code", "role"]))
    )
    assert source_spans(prepared) == (SourceSpan("talks", date(2026, 3, 21), date(2026, 3, 22)),)
    assert data_freshness(prepared, date(2026, 3, 22)).newest_diplomatic == date(2026, 3, 22)


CURATED = SourceSpan("curated-strikes", date(2025, 1, 15), date(2026, 3, 14))
MMA = SourceSpan("mma", date(2022, 9, 1), date(2026, 11, 30))


def test_a_source_that_ends_first_has_a_gap_up_to_the_longest_source():
    gaps = coverage_gaps([CURATED, MMA], start=date(2026, 1, 1), end=date(2026, 12, 31))
    assert gaps == (
        CoverageGap(
            "curated-strikes",
            date(2026, 3, 14),
            "mma",
            date(2026, 11, 30),
            date(2026, 3, 15),
            date(2026, 11, 30),
        ),
    )
    note = coverage_note(gaps[0])
    assert "ends on 2026-03-14" in note
    assert "runs to 2026-11-30" in note
    assert "From 2026-03-15 to 2026-11-30" in note
    assert "not a quiet period" in note


def test_gaps_are_clipped_to_the_view_and_follow_the_source_filter():
    clipped = coverage_gaps([CURATED, MMA], start=date(2026, 6, 1), end=date(2026, 6, 30))
    assert [(g.first, g.last) for g in clipped] == [(date(2026, 6, 1), date(2026, 6, 30))]
    one_day = coverage_gaps([CURATED, MMA], start=date(2026, 1, 1), end=date(2026, 3, 15))
    assert [(g.first, g.last) for g in one_day] == [(date(2026, 3, 15), date(2026, 3, 15))]
    assert "On 2026-03-15 this view" in coverage_note(one_day[0])
    # A view that ends before the curated rows stop has no gap.
    assert coverage_gaps([CURATED, MMA], start=date(2026, 1, 1), end=date(2026, 3, 14)) == ()
    # Only the chosen sources are compared.
    assert coverage_gaps([CURATED, MMA], start=CURATED.first, end=MMA.last, sources=["mma"]) == ()
    assert coverage_gaps([CURATED], start=CURATED.first, end=MMA.last) == ()


def test_coverage_note_escapes_the_source_name():
    hostile = SourceSpan("<b>x</b>](javascript:alert(1))", CURATED.first, CURATED.last)
    (gap,) = coverage_gaps([hostile, MMA], start=CURATED.first, end=MMA.last)
    note = coverage_note(gap)
    assert "<b>" not in note
    assert "](javascript" not in note
    assert r"\<b\>x\<\/b\>\]\(javascript\:alert\(1\)\)" in note
