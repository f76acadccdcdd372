"""Event rows for tables: every filtered event, and one region's, on tables with known answers."""

from __future__ import annotations

import pytest
from query_tables import FEB, hand_built_tables

from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.rows import (
    REGION_EVENT_COLUMNS,
    filter_events,
    newest_region_events,
    region_events,
)


@pytest.fixture
def prepared() -> PreparedEvents:
    return prepare(*hand_built_tables())


def test_weapon_filter_keeps_non_strike_rows(prepared):
    drones = Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    kept = filter_events(prepared, drones)
    assert set(kept["event_id"]) == {"s1", "s3", "s5", "n1", "i1", "i2", "t1", "t2"}


def test_region_filter_in_filter_events(prepared):
    kyiv = Filters(FEB.start, FEB.end, region="UA-30")
    assert set(filter_events(prepared, kyiv)["event_id"]) == {"s1", "s2"}


def test_region_events_newest_first_with_roles(prepared):
    table = region_events(prepared, FEB, "UA-30")
    assert list(table["event_id"]) in (["s2", "s1"], ["s1", "s2"])
    roles = dict(zip(table["event_id"], table["roles"], strict=True))
    assert roles == {"s1": "target", "s2": "target;affected"}
    odesa = region_events(prepared, FEB, "UA-51")
    assert list(odesa["date"]) == sorted(odesa["date"], reverse=True)
    assert set(odesa["event_id"]) == {"i2", "s3", "i1", "s1"}
    assert list(odesa.columns) == list(REGION_EVENT_COLUMNS)


def test_region_events_refuse_an_unknown_region(prepared):
    with pytest.raises(ValueError, match="UA-99"):
        region_events(prepared, FEB, "UA-99")


def test_newest_region_events_are_the_head_of_the_list_and_count_it_all(prepared):
    # The Map page sends the newest rows only and names the total: both must match the full list.
    odesa = region_events(prepared, FEB, "UA-51")
    newest, total = newest_region_events(prepared, FEB, "UA-51", 2)
    assert newest.equals(odesa.head(2))
    assert total == len(odesa) == 4
    assert newest_region_events(prepared, FEB, "UA-30", 500)[1] == 2
