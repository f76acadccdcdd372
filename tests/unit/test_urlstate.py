"""URL state: every parameter validated, bad values dropped with a notice, nothing echoed raw."""

from __future__ import annotations

import re
from datetime import date

import pytest

from oblastwatch.present.url_params import (
    UrlState,
    escape_markdown,
    parse_query_params,
    preview,
    to_query_params,
)

METRICS = ("waves", "days", "weapons", "incidents")
BOUNDS = (date(2025, 1, 1), date(2026, 3, 1))


def parse(params, **kwargs):
    kwargs.setdefault("metrics", METRICS)
    return parse_query_params(params, **kwargs)


def test_valid_parameters_are_returned():
    state = parse(
        {"start": "2026-02-01", "end": "2026-02-28", "region": "UA-51", "metric": "waves"},
        bounds=BOUNDS,
    )
    assert state == UrlState(
        start=date(2026, 2, 1), end=date(2026, 2, 28), region="UA-51", metric="waves"
    )
    assert state.date_range == (date(2026, 2, 1), date(2026, 2, 28))


def test_empty_query_gives_empty_state():
    assert parse({}) == UrlState()


def test_region_code_is_normalised_to_upper_case():
    assert parse({"region": "ua-30"}).region == "UA-30"


@pytest.mark.parametrize(
    ("params", "dropped"),
    [
        ({"region": "UA-99"}, "region"),
        ({"region": "Odesa"}, "region"),
        ({"metric": "deaths"}, "metric"),
        ({"per": "household"}, "per"),
        ({"start": "2026-02-30", "end": "2026-03-01"}, "start"),
        ({"start": "yesterday", "end": "2026-03-01"}, "start"),
        ({"start": "2026-02-01"}, "start"),
        ({"end": "2026-02-01"}, "end"),
        ({"start": "2026-02-10", "end": "2026-02-01"}, "start"),
        ({"day": "26/02/2026"}, "day"),
        ({"talk": "E1; DROP TABLE"}, "talk"),
    ],
)
def test_invalid_parameter_is_dropped_with_a_notice(params, dropped):
    state = parse(params)
    assert getattr(state, dropped) is None
    assert len(state.notices) >= 1
    assert any(dropped in notice for notice in state.notices)


def test_valid_parameters_survive_next_to_invalid_ones():
    state = parse({"region": "UA-99", "metric": "days", "start": "x", "end": "2026-01-01"})
    assert state.metric == "days"
    assert state.region is None
    assert state.start is None
    assert state.end is None


def test_unknown_parameter_is_reported_but_streamlit_ones_are_not():
    state = parse({"foo": "1", "embed": "true"})
    assert len(state.notices) == 1
    assert "foo" in state.notices[0]


def test_overlong_value_is_dropped():
    state = parse({"region": "UA-51" + "x" * 500})
    assert state.region is None
    assert "longer than" in state.notices[0]
    assert len(state.notices[0]) < 200


def test_range_partly_outside_the_data_is_clamped():
    state = parse({"start": "2024-06-01", "end": "2025-01-10"}, bounds=BOUNDS)
    assert state.date_range == (date(2025, 1, 1), date(2025, 1, 10))
    assert "clamped" in state.notices[0]


def test_range_wholly_outside_the_data_is_dropped():
    state = parse({"start": "2020-01-01", "end": "2020-02-01"}, bounds=BOUNDS)
    assert state.date_range is None
    assert "outside" in state.notices[0]


def test_day_outside_the_data_is_dropped():
    state = parse({"day": "2030-01-01"}, bounds=BOUNDS)
    assert state.day is None
    assert state.notices


def test_talk_must_be_a_loaded_event_when_ids_are_known():
    assert parse({"talk": "E001"}, talk_ids={"E001"}).talk == "E001"
    state = parse({"talk": "E999"}, talk_ids={"E001"})
    assert state.talk is None
    assert state.notices


def test_talk_takes_precedence_over_day():
    state = parse({"talk": "E001", "day": "2026-02-26"})
    assert state.talk == "E001"
    assert state.day is None
    assert "precedence" in state.notices[0]


def test_repeated_parameter_uses_the_last_value():
    assert parse({"region": ["UA-99", "UA-46"]}).region == "UA-46"


@pytest.mark.parametrize(
    "payload",
    [
        "<img src=x onerror=alert(1)>",
        "<script>alert(1)</script>",
        "[click](javascript:alert(1))",
        "![x](http://example.com/x.png)",
        ":red[alarm] $x^2$ **bold**",
    ],
)
def test_injected_strings_are_escaped_in_notices(payload):
    state = parse({"region": payload, "metric": payload, "talk": payload})
    assert len(state.notices) == 3
    escaped = preview(payload)
    # What is left after removing backslash escapes holds no Markdown/HTML metacharacter.
    assert not re.search(r"[<>\[\]()!*$:=`]", re.sub(r"\\.", "", escaped))
    for notice in state.notices:
        assert escaped in notice
        assert not re.search(r"(?<!\\)[<>\[\]]", notice)


def test_escape_markdown_escapes_all_ascii_punctuation():
    assert escape_markdown("a<b>[c](d)") == "a\\<b\\>\\[c\\]\\(d\\)"
    assert escape_markdown("line1\nline2") == "line1 line2"


def test_preview_truncates():
    assert preview("x" * 100).endswith("…")
    assert len(preview("x" * 100)) == 41


def test_to_query_params_round_trips_through_parse():
    params = to_query_params(
        date_range=(date(2026, 2, 1), date(2026, 2, 28)), region="UA-51", metric="waves"
    )
    state = parse(params)
    assert state.date_range == (date(2026, 2, 1), date(2026, 2, 28))
    assert (state.region, state.metric, state.notices) == ("UA-51", "waves", ())


def test_to_query_params_writes_talk_or_day():
    assert to_query_params(day=date(2026, 2, 26)) == {"day": "2026-02-26"}
    assert to_query_params(day=date(2026, 2, 26), talk="E1") == {"talk": "E1"}
    assert to_query_params() == {}


def test_per_round_trips_and_raw_stays_out_of_the_link():
    params = to_query_params(metric="waves", per="people")
    assert params == {"metric": "waves", "per": "people"}
    assert parse(params).per == "people"
    assert parse({"per": "area"}).per == "area"
    assert to_query_params(metric="waves", per="raw") == {"metric": "waves"}
