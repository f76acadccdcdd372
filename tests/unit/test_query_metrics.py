"""Region metrics and the not-on-map summary, on tables with known answers and against a plain
pandas reference."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest
from query_tables import FEB, hand_built_tables, random_tables, region_values

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.metrics import METRICS, not_on_map_summary, region_metric


@pytest.fixture
def prepared() -> PreparedEvents:
    return prepare(*hand_built_tables())


def test_region_metric_is_indexed_by_all_27_regions(prepared):
    series = region_metric(prepared, FEB, "waves")
    assert list(series.index) == list(REGION_CODES)


def test_waves_are_distinct_per_region_and_interceptions_are_not_hits(prepared):
    # UA-30: s1 and s2 belong to the same wave W1 -> one wave. UA-32: W1 (affected) + W2.
    # UA-51 is only named as intercepted: reported, but 0 waves hit it.
    assert region_values(region_metric(prepared, FEB, "waves")) == {
        "UA-30": 1.0,
        "UA-32": 2.0,
        "UA-51": 0.0,
        "UA-63": 1.0,
    }


def test_regions_without_reports_are_nan_not_zero(prepared):
    waves = region_metric(prepared, FEB, "waves")
    assert np.isnan(waves["UA-05"])
    assert waves["UA-51"] == 0.0


def test_weapons_are_never_divided_across_regions(prepared):
    weapons = region_values(region_metric(prepared, FEB, "weapons"))
    # s1's 100 drones count in full for UA-30 and UA-32; s2 is named twice on UA-30 but
    # counts once; UA-63 was hit by a wave without a count: NaN, not 0.
    assert weapons == {"UA-30": 110.0, "UA-32": 150.0, "UA-51": 0.0}
    assert np.isnan(region_metric(prepared, FEB, "weapons")["UA-63"])


def test_days_with_strikes(prepared):
    assert region_values(region_metric(prepared, FEB, "days")) == {
        "UA-30": 1.0,
        "UA-32": 2.0,
        "UA-51": 0.0,
        "UA-63": 1.0,
    }


def test_incidents_count_location_rows_of_incidents_only(prepared):
    assert region_values(region_metric(prepared, FEB, "incidents")) == {"UA-51": 2.0}


def test_date_filter_changes_the_numbers(prepared):
    later = Filters(date(2026, 2, 11), date(2026, 2, 28))
    waves = region_metric(prepared, later, "waves")
    assert np.isnan(waves["UA-30"])  # only hit on the 10th
    assert waves["UA-32"] == 1.0
    assert region_metric(prepared, later, "weapons")["UA-32"] == 50.0


def test_weapon_filter(prepared):
    drones = Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    assert region_metric(prepared, drones, "weapons")["UA-30"] == 100.0
    cruise = Filters(FEB.start, FEB.end, weapon_categories=("cruise missile",))
    weapons = region_metric(prepared, cruise, "weapons")
    assert weapons["UA-30"] == 10.0
    assert np.isnan(weapons["UA-32"])


def test_kinds_filter_without_strikes_leaves_no_strike_reports(prepared):
    incidents = Filters(FEB.start, FEB.end, kinds=("incident",))
    assert region_metric(prepared, incidents, "waves").isna().all()
    assert region_values(region_metric(prepared, incidents, "incidents")) == {"UA-51": 2.0}


def test_sources_filter(prepared):
    acled = Filters(FEB.start, FEB.end, sources=("acled",))
    assert region_metric(prepared, acled, "waves").isna().all()
    assert region_values(region_metric(prepared, acled, "incidents")) == {"UA-51": 2.0}


def test_unknown_metric_is_refused(prepared):
    with pytest.raises(ValueError, match="unknown metric"):
        region_metric(prepared, FEB, "casualties")


def test_metrics_describe_label_unit_and_meaning():
    assert set(METRICS) == {"waves", "days", "weapons", "incidents", "alert_hours"}
    for label, unit, description in METRICS.values():
        assert label
        assert unit
        assert len(description) > 40
    assert "never divided" in METRICS["weapons"].description


# --- fast path against the masked path and a plain pandas reference ---------------------------


def _reference_metric(events, regions, filters, metric):
    """Plain pandas answer for ``region_metric`` (slow, obviously correct)."""
    ev = events.copy()
    ev["day"] = pd.to_datetime(ev["date"]).dt.date
    ev = ev[(ev["day"] >= filters.start) & (ev["day"] <= filters.end)]
    if filters.sources:
        ev = ev[ev["source"].isin(filters.sources)]
    ev["wave"] = ev["wave_id"].fillna("event:" + ev["event_id"])
    kind = "incident" if metric == "incidents" else "strike"
    joined = regions.merge(ev[ev["kind"] == kind], on="event_id")
    out = pd.Series(np.nan, index=list(REGION_CODES))
    for code, rows in joined.groupby("region_code"):
        if metric == "incidents":
            out[code] = (rows["role"] == "location").sum()
            continue
        hits = rows[rows["role"].isin(["target", "affected"])].drop_duplicates("event_id")
        if metric == "waves":
            out[code] = hits["wave"].nunique()
        elif metric == "days":
            out[code] = hits["day"].nunique()
        elif hits.empty:
            out[code] = 0.0
        else:
            out[code] = hits["launched"].sum(min_count=1)
    return out


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("metric", ["waves", "days", "weapons", "incidents"])
def test_fast_and_masked_paths_match_a_pandas_reference(seed, metric):
    events, regions = random_tables(seed)
    prepared = prepare(events, regions)
    for start, end in [
        (date(2026, 1, 1), date(2026, 3, 1)),
        (date(2026, 1, 10), date(2026, 1, 25)),
    ]:
        fast = Filters(start, end)
        masked = Filters(start, end, sources=("a", "b"))  # same rows, other code path
        expected = _reference_metric(events, regions, fast, metric).to_numpy()
        for filters in (fast, masked):
            got = region_metric(prepared, filters, metric).to_numpy()
            np.testing.assert_array_equal(got, expected)
        only_a = Filters(start, end, sources=("a",))
        np.testing.assert_array_equal(
            region_metric(prepared, only_a, metric).to_numpy(),
            _reference_metric(events, regions, only_a, metric).to_numpy(),
        )


# --- not on the map ----------------------------------------------------------------------------


def test_not_on_map_summary_counts_scopes_and_skips_diplomacy(prepared):
    # t1 (talks abroad) and t2 (a call) are diplomacy: never meant for the map.
    assert not_on_map_summary(prepared, FEB) == {
        "national": 1,
        "macro-region": 1,
        "outside": 1,
        "abroad": 0,
    }


def test_not_on_map_summary_follows_filters(prepared):
    later = Filters(date(2026, 2, 12), date(2026, 2, 28))
    assert not_on_map_summary(prepared, later)["national"] == 0
    drones = Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    assert not_on_map_summary(prepared, drones) == {
        "national": 1,
        "macro-region": 0,
        "outside": 0,
        "abroad": 0,
    }


def test_weapons_with_a_sources_filter_and_no_count_in_range_are_nan_not_an_error(prepared):
    # s5 (UA-63, 14 February) gives no count; with a sources filter the masked path runs.
    day = Filters(date(2026, 2, 14), date(2026, 2, 14), sources=("mma",))
    weapons = region_metric(prepared, day, "weapons")
    assert np.isnan(weapons["UA-63"])
    assert np.isnan(weapons["UA-30"])
