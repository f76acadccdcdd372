"""The timeline and the event study count a day the same way (issue 11: "two daily-series
engines, and no test says they agree").

The timeline's daily table (``query.series.daily_attack_counts``) and the study's series
(``study.series.daily_series``) are compared on the shared columns, drones and missiles
launched and waves, once the study's absent-day rule is applied to the timeline; regions hit
is compared with the map's hit rule (``query.metrics.region_metric``, metric "days"). The
expected silence is worked out here from the event rows, not by either engine.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain import rules
from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric
from oblastwatch.query.series import daily_attack_counts
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.study.inputs import strike_tables
from oblastwatch.study.series import daily_series

SHARED = ("drones_launched", "missiles_launched", "waves")
GROUP_OF = {"drones_launched": "drone", "missiles_launched": "missile"}


def synthetic_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Two sources over two weeks: counts left blank, untyped missile rows, rows without a
    wave id, days without rows, a day with drones only, interceptions only."""
    rows = [
        # (event_id, source, day, category, model, launched, wave)
        ("a1", "daily", "2025-05-01", "drone", "Shahed", 120.0, "d1"),
        ("a2", "daily", "2025-05-01", "ballistic missile", "Iskander-M", 4.0, "d1"),
        ("a3", "daily", "2025-05-02", "drone", "Shahed", None, "d2"),  # count left blank
        ("a4", "daily", "2025-05-02", "drone", "Gerbera", 30.0, None),  # own wave
        ("a5", "daily", "2025-05-04", "unknown", "missiles (all types)", 9.0, None),
        ("a6", "daily", "2025-05-04", "unknown", "drones (all types)", 50.0, None),
        ("a7", "daily", "2025-05-05", "guided missile", "Kh-59", None, "d5"),
        ("a8", "daily", "2025-05-05", "drone", "Shahed", 0.0, "d5"),
        ("a9", "daily", "2025-05-09", "other", "Orlan", 3.0, "d9"),
        ("b1", "list", "2025-05-02", "drone", "drones (all types)", 400.0, "l1"),
        ("b2", "list", "2025-05-02", "unknown", "missiles (all types)", None, "l1"),
        ("b3", "list", "2025-05-12", "drone", "drones (all types)", None, "l2"),
        # The event id of a row without a wave id equals another row's wave id.
        ("l2", "list", "2025-05-12", "drone", "drones (all types)", 10.0, None),
    ]
    events = pd.DataFrame(
        rows,
        columns=["event_id", "source", "date", "weapon_category", "weapon_model", "launched"]
        + ["wave_id"],
    )
    events["date"] = pd.to_datetime(events["date"])
    events["kind"] = "strike"
    events["scope"] = "regions"
    talks = pd.DataFrame(
        {
            "event_id": ["t1"],
            "source": "talks",
            "kind": "talks",
            "date": pd.to_datetime(["2025-05-07"]),
            "scope": "abroad",
        }
    )
    regions = pd.DataFrame(
        [
            ("a1", "UA-30", "target"),
            ("a1", "UA-32", "affected"),
            ("a2", "UA-30", "target"),
            ("a3", "UA-46", "intercepted"),  # not a hit
            ("a5", "UA-63", "target"),
            ("a8", "UA-51", "affected"),
            ("b1", "UA-30", "target"),
            ("b1", "UA-53", "target"),
        ],
        columns=["event_id", "region_code", "role"],
    )
    return conform_events(pd.concat([events, talks], ignore_index=True)), conform_event_regions(
        regions
    )


def expected_from_timeline(
    events: pd.DataFrame, event_regions: pd.DataFrame, source: str, absent_days: str
) -> pd.DataFrame:
    """The timeline's counts of one source under the study's absent-day rule."""
    strikes = events.loc[(events["kind"] == "strike") & (events["source"] == source)]
    first, last = strikes["date"].min().date(), strikes["date"].max().date()
    prepared = prepare(events, event_regions)
    timeline = daily_attack_counts(prepared, Filters(first, last, sources=(source,)))
    expected = timeline[list(SHARED)].copy()
    expected.index = expected.index.as_unit("ns")  # the timeline's range index is in seconds
    silent_day = timeline["waves"].isna()
    # Which weapon groups each day has rows of, read off the rows themselves.
    group = np.where(
        strikes["weapon_category"].eq("drone").fillna(False).to_numpy(bool),
        "drone",
        np.where(
            rules.is_missile(strikes["weapon_category"], strikes["weapon_model"]), "missile", ""
        ),
    )
    has_rows = pd.crosstab(strikes["date"], group).reindex(expected.index, fill_value=0)
    fill = 0.0 if absent_days == "zero" else np.nan
    for column, name in GROUP_OF.items():
        rows_that_day = has_rows[name] > 0 if name in has_rows else False
        expected.loc[~silent_day & ~rows_that_day, column] = fill
    expected.loc[silent_day] = fill
    return expected


def regions_hit_by_day(
    events: pd.DataFrame, event_regions: pd.DataFrame, source: str, days: pd.DatetimeIndex
) -> pd.Series:
    """Regions hit per day as the map counts them (one day at a time)."""
    prepared = prepare(events, event_regions)
    counts = []
    for day in days:
        one_day = Filters(day.date(), day.date(), kinds=("strike",), sources=(source,))
        counts.append(float((region_metric(prepared, one_day, "days") > 0).sum()))
    return pd.Series(counts, index=days)


def assert_regions_hit_agree(study: pd.DataFrame, hits: pd.Series, absent_days: str) -> None:
    strike_day = study["waves"].notna() & (study["waves"] > 0)
    fill = 0.0 if absent_days == "zero" else np.nan
    expected = hits.where(strike_day & (hits > 0), fill)
    pd.testing.assert_series_equal(
        study["regions_hit"], expected, check_names=False, check_freq=False
    )


@pytest.mark.parametrize("absent_days", ["zero", "missing"])
@pytest.mark.parametrize("source", ["daily", "list"])
def test_timeline_and_study_agree_on_synthetic_data(source, absent_days):
    events, event_regions = synthetic_tables()
    strikes = events.loc[events["source"] == source]
    study = daily_series(strikes, event_regions, absent_days=absent_days)
    expected = expected_from_timeline(events, event_regions, source, absent_days)
    pd.testing.assert_frame_equal(study[list(SHARED)], expected, check_freq=False)
    hits = regions_hit_by_day(events, event_regions, source, study.index)
    assert_regions_hit_agree(study, hits, absent_days)


def test_the_synthetic_cases_are_the_ones_that_diverged():
    # The cases the two engines once counted differently, pinned down.
    events, event_regions = synthetic_tables()
    daily = daily_series(events.loc[events["source"] == "daily"], event_regions)
    assert np.isnan(daily.loc["2025-05-05", "missiles_launched"])  # a blank count: unknown
    assert daily.loc["2025-05-05", "drones_launched"] == 0  # a reported zero stays zero
    assert daily.loc["2025-05-02", "drones_launched"] == 30  # known counts are summed
    assert daily.loc["2025-05-04", "missiles_launched"] == 9  # untyped missile row
    assert daily.loc["2025-05-02", "waves"] == 2  # d2 and a4's own wave
    listed = daily_series(events.loc[events["source"] == "list"], event_regions)
    assert listed.loc["2025-05-12", "waves"] == 2  # row l2 is its own wave, not wave "l2"
    assert listed.index[0] == pd.Timestamp("2025-05-02")
    assert listed.loc["2025-05-03":"2025-05-11"].isna().all(axis=None)


@pytest.mark.parametrize("absent_days", ["zero", "missing"])
def test_timeline_and_study_agree_on_the_bundled_strikes(absent_days):
    dataset = load_bundled()
    source = "curated-strikes"
    strikes, regions = strike_tables(dataset, source)
    study = daily_series(strikes, regions, absent_days=absent_days)
    expected = expected_from_timeline(dataset.events, dataset.event_regions, source, absent_days)
    pd.testing.assert_frame_equal(study[list(SHARED)], expected, check_freq=False)
    assert study["drones_launched"].notna().sum() > 20  # the comparison covered real days
    hits = regions_hit_by_day(dataset.events, dataset.event_regions, source, study.index)
    assert_regions_hit_agree(study, hits, absent_days)
    assert study["regions_hit"].max() > 1
