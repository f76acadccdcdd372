"""Building the prepared index: read-only, a snapshot of its input in day order, one-line
errors naming row and column, and answers that do not depend on the input's row order."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from query_tables import FEB, hand_built_tables, random_tables, shuffled

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.build import prepare
from oblastwatch.query.coverage import data_date_span
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.metrics import not_on_map_summary, region_metric
from oblastwatch.query.rows import filter_events, region_events
from oblastwatch.query.series import daily_attack_counts


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    return hand_built_tables()


@pytest.fixture
def prepared(tables) -> PreparedEvents:
    return prepare(*tables)


def test_prepared_arrays_are_read_only(prepared):
    with pytest.raises(ValueError, match="read-only"):
        prepared.day[0] = 0
    with pytest.raises(ValueError, match="read-only"):
        prepared.strikes.launched[0] = 1.0


def test_prepare_names_row_and_column_of_bad_values(tables):
    events, regions = tables
    bad = regions.copy()
    bad.loc[3, "region_code"] = "UA-99"
    with pytest.raises(ValueError, match=r"event_regions row 3, column region_code: 'UA-99'"):
        prepare(events, bad)
    orphan = regions.copy()
    orphan.loc[0, "event_id"] = "missing"
    with pytest.raises(ValueError, match=r"row 0, column event_id: 'missing' is not in events"):
        prepare(events, orphan)


def test_empty_data(tables):
    events, regions = tables
    prepared = prepare(events.iloc[:0], regions.iloc[:0])
    assert region_metric(prepared, FEB, "waves").isna().all()
    assert daily_attack_counts(prepared, FEB).isna().all().all()
    assert not_on_map_summary(prepared, FEB)["national"] == 0
    with pytest.raises(ValueError, match="no events"):
        data_date_span(prepared)


@pytest.mark.parametrize("seed", [0, 1])
def test_row_order_of_the_input_does_not_change_any_answer(seed):
    events, regions = random_tables(seed)
    in_order = prepare(events, regions)
    reordered = prepare(*shuffled(events, regions, seed))
    for metric in ("waves", "days", "weapons", "incidents"):
        for filters in (Filters(date(2026, 1, 5), date(2026, 2, 20)), FEB):
            pd.testing.assert_series_equal(
                region_metric(reordered, filters, metric),
                region_metric(in_order, filters, metric),
            )
    pd.testing.assert_frame_equal(
        daily_attack_counts(reordered, FEB), daily_attack_counts(in_order, FEB)
    )
    for region in REGION_CODES[:6]:
        got = region_events(reordered, FEB, region)
        want = region_events(in_order, FEB, region)
        key = ["date", "event_id"]
        pd.testing.assert_frame_equal(
            got.sort_values(key, ignore_index=True), want.sort_values(key, ignore_index=True)
        )


def test_prepared_events_are_the_input_sorted_by_date_with_its_index(tables):
    events, regions = shuffled(*tables, seed=4)
    prepared = prepare(events, regions)
    expected = events.iloc[np.argsort(events["date"].to_numpy(), kind="stable")]
    pd.testing.assert_frame_equal(prepared.events, expected)
    assert list(prepared.events.index) == list(events.index[prepared.order])
    assert (prepared.day == np.sort(prepared.day)).all()
    # filter_events takes its rows from the input in day order, original index kept
    pd.testing.assert_frame_equal(
        filter_events(prepared, FEB), expected[expected["date"].dt.month == 2]
    )


def test_prepared_index_is_a_snapshot_of_its_input(tables):
    events, regions = tables
    events = events.copy()
    prepared = prepare(events, regions)
    before = filter_events(prepared, FEB).copy()
    events.loc[events.index[0], "title"] = "edited afterwards"
    pd.testing.assert_frame_equal(filter_events(prepared, FEB), before)


def test_prepare_names_the_first_bad_row_in_date_order(tables):
    events, regions = shuffled(*tables, seed=2)
    events = events.copy()
    by_date = events.sort_values("date", kind="stable")
    late, early = by_date.index[-1], by_date.index[1]
    events.loc[[late, early], "kind"] = ["bomb", "shell"]
    with pytest.raises(ValueError, match=rf"events row {early}, column kind: 'shell' is not one"):
        prepare(events, regions)
    events = tables[0].copy()
    events.loc[events.index[2], "event_id"] = events["event_id"].iloc[1]
    with pytest.raises(ValueError, match=r"events: event_id .* repeated"):
        prepare(events, regions)
