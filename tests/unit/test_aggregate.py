"""Filters and aggregations on small hand-built tables with known answers."""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query import aggregate as agg
from oblastwatch.storage import store

XSS = "<img src=x onerror=alert(1)>"
FEB = agg.Filters(date(2026, 2, 1), date(2026, 2, 28))


def _strike(event_id, day, category, launched, wave, *, destroyed=None, model=None, **extra):
    return {
        "event_id": event_id,
        "source": extra.pop("source", "mma"),
        "kind": "strike",
        "date": pd.Timestamp(day),
        "weapon_category": category,
        "weapon_model": model,
        "launched": launched,
        "destroyed": destroyed,
        "scope": extra.pop("scope", "regions"),
        "wave_id": wave,
        "source_url": f"https://example.org/{event_id}",
        **extra,
    }


def _kyiv_midnight(day: str) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize("Europe/Kyiv").tz_convert("UTC")


@pytest.fixture()
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = [
        _strike("s1", "2026-02-10", "drone", 100.0, "W1", destroyed=90.0, model="Shahed"),
        _strike("s2", "2026-02-10", "cruise missile", 10.0, "W1", destroyed=8.0, model="Kh-101"),
        _strike("s3", "2026-02-12", "drone", 50.0, "W2", model="Shahed"),
        _strike("s5", "2026-02-14", "drone", None, "W3", model="Shahed"),
        _strike("n1", "2026-02-11", "drone", 30.0, "W4", scope="national", model="Shahed"),
        _strike("m1", "2026-02-13", "other", 20.0, "W5", scope="macro-region", model="Orlan"),
        _strike(
            "o1",
            "2026-02-13",
            "unknown",
            4.0,
            "W6",
            scope="outside",
            model="missiles (all types)",
            source="curated",
        ),
        {
            "event_id": "i1",
            "source": "acled",
            "kind": "incident",
            "date": pd.Timestamp("2026-02-11"),
            "scope": "regions",
            "title": "Shelling",
        },
        {
            "event_id": "i2",
            "source": "acled",
            "kind": "incident",
            "date": pd.Timestamp("2026-02-15"),
            "scope": "regions",
        },
        {
            "event_id": "t1",
            "source": "talks",
            "kind": "talks",
            "date": pd.Timestamp("2026-02-17"),
            "start": _kyiv_midnight("2026-02-17"),
            "end": _kyiv_midnight("2026-02-19"),  # exclusive: the round ends on the 18th
            "scope": "abroad",
            "parties": "US;Russia;Ukraine",
            "venue": "Geneva, Switzerland",
            "title": "Geneva: trilateral talks",
            "description": f"Summary {XSS}. Outcome: none.",
            "source_url": "https://example.org/t1",
        },
        {
            "event_id": "t2",
            "source": "talks",
            "kind": "call",
            "date": pd.Timestamp("2026-02-25"),
            "scope": "national",
            "parties": "United States;Ukraine",
        },
    ]
    events = conform_events(pd.DataFrame(rows))
    regions = conform_event_regions(
        pd.DataFrame(
            [
                ("s1", "UA-30", "target"),
                ("s1", "UA-32", "affected"),
                ("s1", "UA-51", "intercepted"),
                ("s2", "UA-30", "target"),
                ("s2", "UA-30", "affected"),
                ("s3", "UA-32", "target"),
                ("s3", "UA-51", "intercepted"),
                ("s5", "UA-63", "target"),
                ("i1", "UA-51", "location"),
                ("i2", "UA-51", "location"),
            ],
            columns=["event_id", "region_code", "role"],
        )
    )
    return events, regions


@pytest.fixture()
def prepared(tables) -> agg.PreparedEvents:
    return agg.prepare(*tables)


def _values(series: pd.Series) -> dict[str, float]:
    """Non-NaN values of a region series."""
    return {code: value for code, value in series.items() if not np.isnan(value)}


# --- region metrics ---------------------------------------------------------------------------


def test_region_metric_is_indexed_by_all_27_regions(prepared):
    series = agg.region_metric(prepared, None, FEB, "waves")
    assert list(series.index) == list(REGION_CODES)


def test_waves_are_distinct_per_region_and_interceptions_are_not_hits(prepared):
    # UA-30: s1 and s2 belong to the same wave W1 -> one wave. UA-32: W1 (affected) + W2.
    # UA-51 is only named as intercepted: reported, but 0 waves hit it.
    assert _values(agg.region_metric(prepared, None, FEB, "waves")) == {
        "UA-30": 1.0,
        "UA-32": 2.0,
        "UA-51": 0.0,
        "UA-63": 1.0,
    }


def test_regions_without_reports_are_nan_not_zero(prepared):
    waves = agg.region_metric(prepared, None, FEB, "waves")
    assert np.isnan(waves["UA-05"]) and waves["UA-51"] == 0.0


def test_weapons_are_never_divided_across_regions(prepared):
    weapons = _values(agg.region_metric(prepared, None, FEB, "weapons"))
    # s1's 100 drones count in full for UA-30 and UA-32; s2 is named twice on UA-30 but
    # counts once; UA-63 was hit by a wave without a count: NaN, not 0.
    assert weapons == {"UA-30": 110.0, "UA-32": 150.0, "UA-51": 0.0}
    assert np.isnan(agg.region_metric(prepared, None, FEB, "weapons")["UA-63"])


def test_days_with_strikes(prepared):
    assert _values(agg.region_metric(prepared, None, FEB, "days")) == {
        "UA-30": 1.0,
        "UA-32": 2.0,
        "UA-51": 0.0,
        "UA-63": 1.0,
    }


def test_incidents_count_location_rows_of_incidents_only(prepared):
    assert _values(agg.region_metric(prepared, None, FEB, "incidents")) == {"UA-51": 2.0}


def test_date_filter_changes_the_numbers(prepared):
    later = agg.Filters(date(2026, 2, 11), date(2026, 2, 28))
    waves = agg.region_metric(prepared, None, later, "waves")
    assert np.isnan(waves["UA-30"])  # only hit on the 10th
    assert waves["UA-32"] == 1.0
    assert agg.region_metric(prepared, None, later, "weapons")["UA-32"] == 50.0


def test_weapon_filter(prepared):
    drones = agg.Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    assert agg.region_metric(prepared, None, drones, "weapons")["UA-30"] == 100.0
    cruise = agg.Filters(FEB.start, FEB.end, weapon_categories=("cruise missile",))
    weapons = agg.region_metric(prepared, None, cruise, "weapons")
    assert weapons["UA-30"] == 10.0 and np.isnan(weapons["UA-32"])


def test_weapon_filter_keeps_non_strike_rows(prepared):
    drones = agg.Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    kept = agg.filter_events(prepared, drones)
    assert set(kept["event_id"]) == {"s1", "s3", "s5", "n1", "i1", "i2", "t1", "t2"}


def test_kinds_filter_without_strikes_leaves_no_strike_reports(prepared):
    incidents = agg.Filters(FEB.start, FEB.end, kinds=("incident",))
    assert agg.region_metric(prepared, None, incidents, "waves").isna().all()
    assert _values(agg.region_metric(prepared, None, incidents, "incidents")) == {"UA-51": 2.0}


def test_sources_filter(prepared):
    acled = agg.Filters(FEB.start, FEB.end, sources=("acled",))
    assert agg.region_metric(prepared, None, acled, "waves").isna().all()
    assert _values(agg.region_metric(prepared, None, acled, "incidents")) == {"UA-51": 2.0}


def test_dataframe_input_gives_the_same_answer(tables, prepared):
    events, regions = tables
    for metric in agg.METRICS:
        pd.testing.assert_series_equal(
            agg.region_metric(events, regions, FEB, metric),
            agg.region_metric(prepared, None, FEB, metric),
        )


def test_unknown_metric_is_refused(prepared):
    with pytest.raises(ValueError, match="unknown metric"):
        agg.region_metric(prepared, None, FEB, "casualties")


def test_metrics_describe_label_unit_and_meaning():
    assert set(agg.METRICS) == {"waves", "days", "weapons", "incidents"}
    for label, unit, description in agg.METRICS.values():
        assert label and unit and len(description) > 40
    assert "never divided" in agg.METRICS["weapons"].description


# --- fast path against the masked path and a plain pandas reference ---------------------------


def _random_tables(seed: int, n: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-01-01", periods=60)
    kinds = rng.choice(["strike", "incident", "talks"], n, p=[0.7, 0.2, 0.1])
    strike = kinds == "strike"
    events = conform_events(
        pd.DataFrame(
            {
                "event_id": [f"e{i}" for i in range(n)],
                "source": rng.choice(["a", "b"], n),
                "kind": kinds,
                "date": days[rng.integers(0, len(days), n)],
                "weapon_category": np.where(strike, rng.choice(["drone", "other"], n), None),
                "launched": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 50, n)),
                "scope": "regions",
                # waves spanning several days too, to exercise the distinct counting
                "wave_id": np.where(rng.random(n) < 0.1, None, [f"w{i % 90}" for i in range(n)]),
            }
        )
    )
    pairs = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy()[rng.integers(0, n, 3 * n)],
            "region_code": rng.choice(REGION_CODES[:6], 3 * n),
            "role": rng.choice(["target", "affected", "intercepted", "location"], 3 * n),
        }
    ).drop_duplicates(ignore_index=True)
    return events, conform_event_regions(pairs)


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
    events, regions = _random_tables(seed)
    prepared = agg.prepare(events, regions)
    for start, end in [
        (date(2026, 1, 1), date(2026, 3, 1)),
        (date(2026, 1, 10), date(2026, 1, 25)),
    ]:
        fast = agg.Filters(start, end)
        masked = agg.Filters(start, end, sources=("a", "b"))  # same rows, other code path
        expected = _reference_metric(events, regions, fast, metric).to_numpy()
        for filters in (fast, masked):
            got = agg.region_metric(prepared, None, filters, metric).to_numpy()
            np.testing.assert_array_equal(got, expected)
        only_a = agg.Filters(start, end, sources=("a",))
        np.testing.assert_array_equal(
            agg.region_metric(prepared, None, only_a, metric).to_numpy(),
            _reference_metric(events, regions, only_a, metric).to_numpy(),
        )


@pytest.mark.parametrize("seed", [0, 3])
def test_daily_fast_path_matches_masked_path(seed):
    events, regions = _random_tables(seed)
    prepared = agg.prepare(events, regions)
    filters = agg.Filters(date(2025, 12, 25), date(2026, 3, 5))
    fast = agg.daily_attack_counts(prepared, filters)
    masked = agg.daily_attack_counts(
        prepared, agg.Filters(filters.start, filters.end, sources=("a", "b"))
    )
    pd.testing.assert_frame_equal(fast, masked)
    strikes = events[events["kind"] == "strike"]
    assert (
        fast["drones_launched"].sum()
        == strikes.loc[strikes["weapon_category"] == "drone", "launched"].sum()
    )


# --- not on the map ----------------------------------------------------------------------------


def test_not_on_map_summary_counts_scopes_and_skips_diplomacy(prepared):
    # t1 (talks abroad) and t2 (a call) are diplomacy: never meant for the map.
    assert agg.not_on_map_summary(prepared, FEB) == {
        "national": 1,
        "macro-region": 1,
        "outside": 1,
        "abroad": 0,
    }


def test_not_on_map_summary_follows_filters(prepared):
    later = agg.Filters(date(2026, 2, 12), date(2026, 2, 28))
    assert agg.not_on_map_summary(prepared, later)["national"] == 0
    drones = agg.Filters(FEB.start, FEB.end, weapon_categories=("drone",))
    assert agg.not_on_map_summary(prepared, drones) == {
        "national": 1,
        "macro-region": 0,
        "outside": 0,
        "abroad": 0,
    }


# --- daily and weekly series -------------------------------------------------------------------


def test_daily_attack_counts(prepared):
    daily = agg.daily_attack_counts(prepared, FEB)
    assert list(daily.columns) == list(agg.DAILY_COLUMNS)
    assert len(daily) == 28 and daily.index[0] == pd.Timestamp("2026-02-01")
    day10 = daily.loc["2026-02-10"]
    assert day10["drones_launched"] == 100 and day10["drones_destroyed"] == 90
    assert day10["missiles_launched"] == 10 and day10["missiles_destroyed"] == 8
    assert day10["waves"] == 1  # s1 and s2 are one wave
    day13 = daily.loc["2026-02-13"]
    # o1: category unknown but a missile model -> missiles; m1: category other.
    assert day13["missiles_launched"] == 4 and day13["other_launched"] == 20
    assert day13["waves"] == 2
    # A strike without a count: the day is reported (0), not missing.
    assert daily.loc["2026-02-14", "drones_launched"] == 0
    assert daily.loc["2026-02-14", "waves"] == 1
    # Days with no strike event (the 15th has only an incident) are NaN, not 0.
    assert daily.loc["2026-02-15"].isna().all()
    assert daily.loc["2026-02-01"].isna().all()


def test_daily_attack_counts_outside_the_data_are_nan(prepared):
    daily = agg.daily_attack_counts(prepared, agg.Filters(date(2026, 3, 1), date(2026, 3, 3)))
    assert len(daily) == 3 and daily.isna().all().all()


def test_daily_counts_for_one_region(tables, prepared):
    kyiv = agg.Filters(FEB.start, FEB.end, region="UA-30")
    daily = agg.daily_attack_counts(prepared, kyiv)
    assert daily.loc["2026-02-10", "drones_launched"] == 100
    assert daily.loc["2026-02-10", "missiles_launched"] == 10
    assert daily.loc["2026-02-11", "drones_launched"] == 0  # strikes elsewhere that day
    assert daily.loc["2026-02-15"].isna().all()
    events, _ = tables
    with pytest.raises(ValueError, match="event_regions"):
        agg.daily_attack_counts(events, kyiv)


def test_weekly_region_series(prepared):
    weekly = agg.weekly_region_series(prepared, None, FEB, "UA-32")
    assert weekly.index[0] == pd.Timestamp("2026-01-26")  # Monday of the first week
    assert weekly.loc["2026-02-09", "waves"] == 2
    assert weekly.loc["2026-02-09", "launched"] == 150
    assert weekly.loc["2026-02-09", "strike_days"] == 2
    assert np.isnan(weekly.loc["2026-02-16", "waves"])  # no strike reported that week
    assert weekly.loc["2026-01-26", "days_in_range"] == 1
    odesa = agg.weekly_region_series(prepared, None, FEB, "UA-51")
    assert odesa.loc["2026-02-09", "waves"] == 0  # intercepted only
    assert odesa.loc["2026-02-09", "incidents"] == 2


def test_weapons_breakdown(prepared):
    table = agg.weapons_breakdown(prepared, None, FEB)
    shahed = table[table["weapon_model"] == "Shahed"].iloc[0]
    assert shahed["launched"] == 180 and shahed["events"] == 4 and shahed["waves"] == 4
    assert table.iloc[0]["weapon_model"] == "Shahed"  # largest first
    kyiv = agg.weapons_breakdown(prepared, None, FEB, region="UA-30")
    assert set(kyiv["weapon_model"]) == {"Shahed", "Kh-101"}
    assert kyiv["launched"].sum() == 110


def test_region_events_newest_first_with_roles(prepared):
    table = agg.region_events(prepared, None, FEB, "UA-30")
    assert list(table["event_id"]) in (["s2", "s1"], ["s1", "s2"])
    roles = dict(zip(table["event_id"], table["roles"], strict=True))
    assert roles == {"s1": "target", "s2": "target;affected"}
    odesa = agg.region_events(prepared, None, FEB, "UA-51")
    assert list(odesa["date"]) == sorted(odesa["date"], reverse=True)
    assert set(odesa["event_id"]) == {"i2", "s3", "i1", "s1"}
    assert list(odesa.columns) == list(agg.REGION_EVENT_COLUMNS)


def test_region_filter_in_filter_events(tables, prepared):
    kyiv = agg.Filters(FEB.start, FEB.end, region="UA-30")
    assert set(agg.filter_events(prepared, kyiv)["event_id"]) == {"s1", "s2"}
    events, regions = tables
    assert set(agg.filter_events(events, kyiv, regions)["event_id"]) == {"s1", "s2"}
    with pytest.raises(ValueError, match="event_regions"):
        agg.filter_events(events, kyiv)


# --- ranges ------------------------------------------------------------------------------------


def test_span_presets_and_default_range(prepared):
    assert agg.data_date_span(prepared) == (date(2026, 2, 10), date(2026, 2, 25))
    assert agg.default_range(prepared) == (date(2026, 2, 10), date(2026, 2, 25))
    assert agg.preset_range(prepared, 7) == (date(2026, 2, 19), date(2026, 2, 25))
    assert agg.preset_range(prepared, "all") == (date(2026, 2, 10), date(2026, 2, 25))
    with pytest.raises(ValueError, match="preset"):
        agg.preset_range(prepared, "fortnight")


def test_span_ends_on_the_last_day_of_a_talks_round_that_ends_last():
    # The bundled Miami round (21-22 March 2026) is the newest event: a link to it must be
    # able to show its second day.
    bundled = store.load_bundled()
    miami = bundled.events[bundled.events["event_id"] == "curated-talks:E113"]
    assert miami["date"].dt.date.max() == date(2026, 3, 21)
    prepared = agg.prepare(bundled.events, bundled.event_regions)
    assert agg.data_date_span(prepared)[1] == date(2026, 3, 22)
    assert agg.data_date_span(bundled.events)[1] == date(2026, 3, 22)


def test_filters_validate_range_and_region():
    with pytest.raises(ValueError, match="before it starts"):
        agg.Filters(date(2026, 2, 2), date(2026, 2, 1))
    with pytest.raises(ValueError, match="UA-99"):
        agg.Filters(date(2026, 2, 1), date(2026, 2, 2), region="UA-99")


# --- diplomacy ---------------------------------------------------------------------------------


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
    assert agg.talks_lane(parties) == lane


def test_diplomatic_events_span_and_lane(prepared):
    talks = agg.diplomatic_events(prepared, FEB)
    assert list(talks["event_id"]) == ["t1", "t2"]
    t1 = talks.iloc[0]
    assert t1["first_day"] == pd.Timestamp("2026-02-17")
    assert t1["last_day"] == pd.Timestamp("2026-02-18")
    assert t1["lane"] == "trilateral" and talks.iloc[1]["lane"] == "US–Ukraine"
    # A range that only touches the round's second day still shows it.
    overlap = agg.diplomatic_events(prepared, agg.Filters(date(2026, 2, 18), date(2026, 2, 20)))
    assert list(overlap["event_id"]) == ["t1"]
    strikes_only = agg.Filters(FEB.start, FEB.end, kinds=("strike",))
    assert agg.diplomatic_events(prepared, strikes_only).empty
    assert agg.talks_window(prepared, "t1") == (date(2026, 2, 17), date(2026, 2, 18))
    assert agg.talks_window(prepared, "nope") is None


# --- preparing ---------------------------------------------------------------------------------


def test_prepared_arrays_are_read_only(prepared):
    with pytest.raises(ValueError):
        prepared.day[0] = 0
    with pytest.raises(ValueError):
        prepared.strikes.launched[0] = 1.0


def test_prepare_names_row_and_column_of_bad_values(tables):
    events, regions = tables
    bad = regions.copy()
    bad.loc[3, "region_code"] = "UA-99"
    with pytest.raises(ValueError, match=r"event_regions row 3, column region_code: 'UA-99'"):
        agg.prepare(events, bad)
    orphan = regions.copy()
    orphan.loc[0, "event_id"] = "missing"
    with pytest.raises(ValueError, match=r"row 0, column event_id: 'missing' is not in events"):
        agg.prepare(events, orphan)


def test_empty_data(tables):
    events, regions = tables
    prepared = agg.prepare(events.iloc[:0], regions.iloc[:0])
    assert agg.region_metric(prepared, None, FEB, "waves").isna().all()
    assert agg.daily_attack_counts(prepared, FEB).isna().all().all()
    assert agg.not_on_map_summary(prepared, FEB)["national"] == 0
    with pytest.raises(ValueError, match="no events"):
        agg.data_date_span(prepared)


def _shuffled(events: pd.DataFrame, regions: pd.DataFrame, seed: int):
    """The same tables in another row order, with an index that is not 0..n-1."""
    events = events.sample(frac=1.0, random_state=seed)
    events.index = events.index * 7 + 100
    return events, regions.sample(frac=1.0, random_state=seed + 1)


@pytest.mark.parametrize("seed", [0, 1])
def test_row_order_of_the_input_does_not_change_any_answer(seed):
    events, regions = _random_tables(seed)
    in_order = agg.prepare(events, regions)
    shuffled = agg.prepare(*_shuffled(events, regions, seed))
    for metric in ("waves", "days", "weapons", "incidents"):
        for filters in (agg.Filters(date(2026, 1, 5), date(2026, 2, 20)), FEB):
            pd.testing.assert_series_equal(
                agg.region_metric(shuffled, None, filters, metric),
                agg.region_metric(in_order, None, filters, metric),
            )
    pd.testing.assert_frame_equal(
        agg.daily_attack_counts(shuffled, FEB), agg.daily_attack_counts(in_order, FEB)
    )
    for region in REGION_CODES[:6]:
        got = agg.region_events(shuffled, None, FEB, region)
        want = agg.region_events(in_order, None, FEB, region)
        key = ["date", "event_id"]
        pd.testing.assert_frame_equal(
            got.sort_values(key, ignore_index=True), want.sort_values(key, ignore_index=True)
        )


def test_prepared_events_are_the_input_sorted_by_date_with_its_index(tables):
    events, regions = _shuffled(*tables, seed=4)
    prepared = agg.prepare(events, regions)
    expected = events.iloc[np.argsort(events["date"].to_numpy(), kind="stable")]
    pd.testing.assert_frame_equal(prepared.events, expected)
    assert list(prepared.events.index) == list(events.index[prepared.order])
    assert (prepared.day == np.sort(prepared.day)).all()
    # filter_events takes its rows from the input in day order, original index kept
    pd.testing.assert_frame_equal(
        agg.filter_events(prepared, FEB), expected[expected["date"].dt.month == 2]
    )


def test_prepared_index_is_a_snapshot_of_its_input(tables):
    events, regions = tables
    events = events.copy()
    prepared = agg.prepare(events, regions)
    before = agg.filter_events(prepared, FEB).copy()
    events.loc[events.index[0], "title"] = "edited afterwards"
    pd.testing.assert_frame_equal(agg.filter_events(prepared, FEB), before)


def test_prepare_names_the_first_bad_row_in_date_order(tables):
    events, regions = _shuffled(*tables, seed=2)
    events = events.copy()
    by_date = events.sort_values("date", kind="stable")
    late, early = by_date.index[-1], by_date.index[1]
    events.loc[[late, early], "kind"] = ["bomb", "shell"]
    with pytest.raises(ValueError, match=rf"events row {early}, column kind: 'shell' is not one"):
        agg.prepare(events, regions)
    events = tables[0].copy()
    events.loc[events.index[2], "event_id"] = events["event_id"].iloc[1]
    with pytest.raises(ValueError, match=r"events: event_id .* repeated"):
        agg.prepare(events, regions)
