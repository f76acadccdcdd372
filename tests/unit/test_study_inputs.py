"""study/inputs.py: the absent-day rule per (source, metric), the default metric, the span."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from oblastwatch.storage.bundled import load_bundled
from oblastwatch.study import inputs
from oblastwatch.study.events import select_events
from oblastwatch.study.run import run_study
from oblastwatch.study.settings import METRICS

CURATED = inputs.StrikeSource("curated-strikes", imported=False, strike_rows=53)
DAILY = inputs.StrikeSource("mma", imported=True, strike_rows=3468)


@pytest.fixture(scope="module")
def bundled():
    return load_bundled()


def test_the_rule_table_covers_every_source_kind_and_metric_once():
    assert set(inputs.ABSENT_DAY_RULES) == {
        (kind, metric) for kind in inputs.SOURCE_KINDS for metric in METRICS
    }
    for rule, why in inputs.ABSENT_DAY_RULES.values():
        assert rule in ("zero", "missing")
        assert why  # every rule says why


def test_curated_list_counts_waves_as_zero_and_leaves_launches_and_regions_missing():
    assert inputs.absent_day_rule(inputs.CURATED_LIST, "waves") == "zero"
    for metric in ("drones_launched", "missiles_launched", "regions_hit"):
        assert inputs.absent_day_rule(inputs.CURATED_LIST, metric) == "missing", metric


def test_daily_reports_count_every_metric_as_zero():
    for metric in METRICS:
        assert inputs.absent_day_rule(inputs.DAILY_REPORTS, metric) == "zero", metric


def test_unknown_source_kind_or_metric_is_refused():
    with pytest.raises(ValueError, match="source kind"):
        inputs.absent_day_rule("rumours", "waves")
    with pytest.raises(ValueError, match="metric"):
        inputs.absent_day_rule(inputs.CURATED_LIST, "casualties")


def test_source_kind_follows_whether_the_dataset_was_imported():
    assert CURATED.kind == inputs.CURATED_LIST
    assert DAILY.kind == inputs.DAILY_REPORTS


def test_the_users_choice_wins_over_the_rule():
    assert inputs.absent_days_for(CURATED, "waves") == "zero"
    assert inputs.absent_days_for(CURATED, "waves", "missing") == "missing"
    assert inputs.absent_days_for(CURATED, "drones_launched") == "missing"
    assert inputs.absent_days_for(CURATED, "drones_launched", "zero") == "zero"
    assert inputs.absent_days_for(DAILY, "regions_hit", "missing") == "missing"
    with pytest.raises(ValueError, match="absent_days"):
        inputs.absent_days_for(CURATED, "waves", "sometimes")


def test_default_metric_per_source_kind():
    assert inputs.default_metric(CURATED) == "waves"
    assert inputs.default_metric(DAILY) == "drones_launched"


def test_default_request_on_the_bundled_data_studies_waves_with_silent_days_zero(bundled):
    request = inputs.default_request(bundled)
    assert request.source == "curated-strikes"
    assert request.settings.metric == "waves"
    assert request.absent_days == "zero"


def test_waves_are_zero_inside_the_lists_span_and_there_is_no_data_outside_it(bundled):
    strikes, _ = inputs.strike_tables(bundled, CURATED.name)
    listed = pd.DatetimeIndex(strikes["date"]).normalize()
    series = inputs.study_series(bundled, CURATED, "zero")
    # The series runs from the list's first day to its last: nothing before or after.
    assert series.index[0] == listed.min()
    assert series.index[-1] == listed.max()
    waves = series["waves"]
    assert (waves.loc[listed.unique()] >= 1).all()
    gaps = pd.DatetimeIndex([pd.Timestamp(d) for d in inputs.CURATED_KNOWN_GAPS])
    assert waves.loc[gaps].isna().all()  # known unlisted waves are missing, not 0
    silent = ~series.index.isin(listed) & ~series.index.isin(gaps)
    assert silent.sum() > 300
    assert (waves[silent] == 0).all()
    # Launch counts from the same list stay missing on its silent days.
    counts = inputs.study_series(bundled, CURATED, "missing")
    assert (
        counts.loc[silent, ["drones_launched", "missiles_launched", "regions_hit"]]
        .isna()
        .all(axis=None)
    )


def test_an_event_outside_the_lists_span_gets_no_data_even_with_waves_zero(bundled):
    request = inputs.default_request(bundled)
    series = inputs.study_series(bundled, CURATED, request.absent_days)
    talks = select_events(bundled.events, kinds=["talks"])
    result = run_study(series, talks, request)
    early = result.table[result.table["end"] < pd.Timestamp("2024-12-01")]
    assert len(early) > 0  # the 2022-23 talks predate the curated list
    windows = ["before_mean", "during_mean", "after_mean"]
    assert early[windows].isna().all(axis=None)


def test_known_gaps_leave_listed_days_and_other_sources_alone():
    days = pd.date_range("2025-07-14", "2025-07-17")
    series = pd.DataFrame({metric: [0.0, 1.0, 0.0, 2.0] for metric in METRICS}, index=days)
    masked = inputs.without_known_gaps(series, CURATED)
    # 07-15 has a listed wave here and keeps it; 07-16 is a known gap without a row.
    assert masked.loc["2025-07-15", "waves"] == 1.0
    assert masked.loc["2025-07-16"].isna().all()
    assert masked.loc["2025-07-14", "waves"] == 0.0
    assert series.loc["2025-07-16", "waves"] == 0.0  # the input is not changed
    pd.testing.assert_frame_equal(inputs.without_known_gaps(series, DAILY), series)


def test_rule_sentence_names_metric_rule_span_and_reason():
    first, last = date(2025, 1, 15), date(2026, 3, 14)
    waves = inputs.rule_sentence(CURATED, "waves", "zero", first, last)
    assert waves.startswith("metric: waves (count of major attack waves per day")
    assert "counts as 0 within 2025-01-15..2026-03-14" in waves
    assert "100 drones or 10 missiles" in waves
    assert f"the {len(inputs.CURATED_KNOWN_GAPS)} days its notes name" in waves
    drones = inputs.rule_sentence(CURATED, "drones_launched", "missing", first, last)
    assert "is missing, not 0," in drones
    assert "smaller attacks" in drones
    chosen = inputs.rule_sentence(CURATED, "drones_launched", "zero", first, last)
    assert "chosen by the user; the rule for this source and metric is missing" in chosen
    daily = inputs.rule_sentence(DAILY, "drones_launched", "zero", first, last)
    assert "from the daily reports" in daily
    assert "counts as 0" in daily


def test_the_study_of_the_default_request_has_ratios_for_at_least_ten_events(bundled):
    request = inputs.default_request(bundled)
    source = inputs.find_source(inputs.strike_sources(bundled), request.source)
    series = inputs.study_series(bundled, source, request.absent_days)
    fast = replace(request, settings=replace(request.settings, n_permutations=300))
    result = run_study(series, bundled.events, fast)
    for window in ("before", "during", "after"):
        defined = result.table[f"ratio_{window}"].notna() & result.table[f"p_{window}"].notna()
        assert defined.sum() >= 10, window
    assert np.isfinite(result.pooled["p_value"]).all()
