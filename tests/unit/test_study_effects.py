"""The talks-vs-attacks event study (oblastwatch.study.effects, placebo, event_time) on small
synthetic data."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from study_tables import DAY, poisson_series, spaced_events, study, talks

from oblastwatch.study.effects import event_study, talks_effect
from oblastwatch.study.event_time import event_time_matrix, event_time_profile
from oblastwatch.study.settings import DEFAULT_WINDOW_DAYS, StudySettings


def test_bad_parameters_are_refused_with_a_clear_message():
    series = poisson_series(0, n_days=200)
    events = talks(["2023-03-01"])
    with pytest.raises(ValueError, match="between 1 and 30"):
        StudySettings(window=0)
    with pytest.raises(ValueError, match="between 1 and 30"):
        StudySettings(window=31)
    with pytest.raises(ValueError, match="whole number of days"):
        StudySettings(window=2.5)
    with pytest.raises(ValueError, match="baseline must be one of"):
        StudySettings(baseline="mean")
    with pytest.raises(ValueError, match="at least 1"):
        StudySettings(n_permutations=0)
    with pytest.raises(ValueError, match="metric 'shells'"):
        talks_effect(series, events, StudySettings(metric="shells"))
    with pytest.raises(ValueError, match="every calendar day"):
        talks_effect(series.drop(series.index[5]), events)
    with pytest.raises(ValueError, match="ends before it starts"):
        talks_effect(series, talks(["2023-03-05"], ["2023-03-01"]))


# --------------------------------------------------------------------------- detection


def test_planted_spike_before_events_is_detected():
    series = poisson_series(seed=7)
    events = spaced_events(series)
    for start in events["start"]:
        series.loc[start - 3 * DAY : start - DAY, "drones_launched"] += 60.0
    result = study(series, events, n_permutations=2000, seed=3)
    pooled = result.pooled.set_index("window")
    assert pooled.loc["before", "n_units"] == 10
    assert pooled.loc["before", "p_value"] < 0.01
    assert pooled.loc["before", "mean_ratio"] > 1.3
    assert pooled.loc["before", "ci_low"] > 1.0
    # Each event's own test sees it too; the other windows are untouched.
    assert (result.table["p_before"] < 0.05).all()
    assert (result.table["ci_low_before"] > 1.0).all()
    assert pooled.loc["after", "ci_low"] < 1.0 < pooled.loc["after", "ci_high"]


def test_planted_drop_is_detected_with_the_trailing_median_baseline():
    series = poisson_series(seed=11)
    events = spaced_events(series)
    for start in events["start"]:
        series.loc[start : start + 2 * DAY, "drones_launched"] *= 0.3
    pooled = study(series, events, baseline="trailing-median").pooled.set_index("window")
    assert pooled.loc["after", "p_value"] < 0.01
    assert pooled.loc["after", "mean_ratio"] < 0.8


def test_without_an_effect_small_p_values_are_as_rare_as_chance_allows():
    pooled_small, event_small, event_total = 0, 0, 0
    n_seeds = 200
    for seed in range(n_seeds):
        rng = np.random.default_rng(10_000 + seed)
        series = poisson_series(seed=20_000 + seed)
        starts = np.sort(rng.choice(np.arange(10, 990), size=10, replace=False))
        events = talks(series.index[starts])
        result = study(series, events, n_permutations=499, n_bootstrap=50, seed=seed)
        pooled_small += int(result.pooled.loc[0, "p_value"] < 0.05)
        p_before = result.table["p_before"].dropna()
        event_small += int((p_before < 0.05).sum())
        event_total += len(p_before)
    assert pooled_small / n_seeds <= 0.08
    assert event_small / event_total <= 0.07


def test_p_values_stay_within_their_bounds():
    series = poisson_series(seed=5)
    table = study(series, spaced_events(series), n_permutations=99).table
    p = table[["p_before", "p_during", "p_after"]].to_numpy()
    assert np.all((p >= 1 / 100) & (p <= 1))


# --------------------------------------------------------------------------- reproducibility


def test_same_seed_gives_the_same_table_and_another_seed_other_draws():
    series = poisson_series(seed=1)
    events = spaced_events(series)
    options = {"placebo_radius": None, "n_permutations": 500}
    first = study(series, events, seed=42, **options)
    again = study(series, events, seed=42, **options)
    pd.testing.assert_frame_equal(first.table, again.table)
    pd.testing.assert_frame_equal(first.pooled, again.pooled)
    other = study(series, events, seed=43, **options)
    assert not np.allclose(first.pooled["p_value"], other.pooled["p_value"])


# --------------------------------------------------------------------------- edge cases


def test_events_at_the_edges_of_the_data_count_truncated_days_as_missing():
    series = poisson_series(seed=2, n_days=400)
    events = talks([series.index[0], series.index[3], series.index[-1]])
    table = study(series, events, window=7, overlap="keep").table.set_index("event_ids")
    assert np.isnan(table.loc["E000", "before_mean"])
    assert table.loc["E000", "n_days_missing"] == 7
    expected = series["drones_launched"].iloc[0:3].mean()
    assert table.loc["E001", "before_mean"] == pytest.approx(expected)
    assert table.loc["E001", "n_days_missing"] == 4
    assert np.isnan(table.loc["E002", "after_mean"])
    assert np.isnan(table.loc["E002", "ratio_after"])
    assert np.isnan(table.loc["E002", "p_after"])
    assert table.loc["E002", "n_days_missing"] == 7
    # An event entirely outside the data stays in the table, with nothing computed.
    outside = study(series, talks(["2030-01-01"])).table
    assert len(outside) == 1
    assert outside.loc[0, "n_days_missing"] == 2 * DEFAULT_WINDOW_DAYS + 1
    assert outside[["before_mean", "p_before", "ratio_after"]].isna().all(axis=None)


def test_gaps_count_as_missing_not_zero():
    series = poisson_series(seed=3, n_days=400)
    start = series.index[200]
    gap = slice(start - 7 * DAY, start - 5 * DAY)
    series.loc[gap, "drones_launched"] = np.nan
    row = study(series, talks([start]), window=7).table.iloc[0]
    expected = series.loc[start - 4 * DAY : start - DAY, "drones_launched"].mean()
    assert row["before_mean"] == pytest.approx(expected)
    assert row["n_days_missing"] == 3


def test_merged_cluster_is_one_row_spanning_both_events():
    series = poisson_series(seed=4, n_days=500)
    events = talks([series.index[200], series.index[205], series.index[400]])
    merged = study(series, events, window=7, overlap="merge").table
    assert merged["event_ids"].tolist() == ["E000;E001", "E002"]
    row = merged.iloc[0]
    during = series["drones_launched"].iloc[200:206].mean()
    assert row["during_mean"] == pytest.approx(during)
    assert row["after_mean"] == pytest.approx(series["drones_launched"].iloc[206:213].mean())
    excluded = study(series, events, window=7, overlap="exclude").table
    assert excluded["event_ids"].tolist() == ["E002"]
    kept = study(series, events, overlap="keep").pooled
    assert (kept["n_units"] == 3).all()
    assert (kept["n_clusters"] == 2).all()


def test_placebo_windows_stay_clear_of_every_event_window():
    series = poisson_series(seed=6, n_days=300)
    # Raise the level around the events: the baseline must not see it.
    events = talks([series.index[100], series.index[200]])
    for start in events["start"]:
        series.loc[start - 7 * DAY : start + 7 * DAY, "drones_launched"] = 500.0
    row = study(series, events, placebo_radius=None).table.iloc[0]
    assert row["baseline_mean"] < 100
    assert row["n_placebo"] > 0


def test_trailing_median_baseline_is_the_median_of_the_60_days_before_the_window():
    series = poisson_series(seed=8, n_days=300)
    start = series.index[150]
    row = study(series, talks([start]), baseline="trailing-median", window=5).table.iloc[0]
    trailing = series.loc[start - 65 * DAY : start - 6 * DAY, "drones_launched"]
    assert len(trailing) == 60
    assert row["baseline_mean"] == pytest.approx(trailing.median())
    assert row["ratio_before"] == pytest.approx(row["before_mean"] / trailing.median())


def test_zero_baseline_leaves_the_ratio_undefined_not_infinite():
    days = pd.date_range("2024-01-01", periods=300, freq="D")
    series = pd.DataFrame({"missiles_launched": 0.0}, index=days)
    start = days[150]
    series.loc[start, "missiles_launched"] = 30.0
    row = study(series, talks([start]), metric="missiles_launched").table.iloc[0]
    assert row["baseline_mean"] == 0
    assert np.isnan(row["ratio_during"])
    assert row["p_during"] < 0.05


# --------------------------------------------------------------------------- event time


def test_event_time_matrix_aligns_days_and_profile_has_a_band():
    series = poisson_series(seed=9, n_days=400)
    events = talks([series.index[2], series.index[200]])
    matrix = event_time_matrix(series, events, StudySettings(window=5, overlap="keep"))
    assert list(matrix.columns) == list(range(-5, 6))
    assert matrix.index.tolist() == ["E000", "E001"]
    assert np.isnan(matrix.loc["E000", -3])
    assert matrix.loc["E000", -2] == series["drones_launched"].iloc[0]
    assert matrix.loc["E001", 4] == series["drones_launched"].iloc[204]
    profile = event_time_profile(matrix, StudySettings(n_bootstrap=300, seed=1))
    assert profile["day"].tolist() == list(range(-5, 6))
    assert profile.loc[profile["day"] == -3, "n_events"].item() == 1
    assert profile["mean"].to_numpy() == pytest.approx(matrix.mean(axis=0).to_numpy())
    assert (profile["ci_low"] <= profile["mean"]).all()
    assert (profile["mean"] <= profile["ci_high"]).all()


# --------------------------------------------------------------------------- speed


def test_two_thousand_permutations_over_a_hundred_events_take_well_under_a_second():
    series = poisson_series(seed=12, n_days=1500)
    rng = np.random.default_rng(0)
    events = talks(series.index[np.sort(rng.choice(np.arange(1500), 100, replace=False))])
    settings = StudySettings(overlap="keep", n_permutations=2000, n_bootstrap=2000)
    event_study(series, events.iloc[:5], settings)  # warm up imports
    began = time.perf_counter()
    result = event_study(series, events, settings)
    elapsed = time.perf_counter() - began
    assert len(result.table) == 100
    assert elapsed < 1.0
