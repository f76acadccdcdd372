"""AppTest: the Talks vs attacks page (event table selection injected as the browser sends it)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import frame_with, texts
from shared_reference import MMA_CATALOG, MMA_DAILY, require

from oblastwatch import importers
from oblastwatch.cli import main
from oblastwatch.present.effect_tables import EFFECT_TABLE_COLUMNS
from oblastwatch.present.url_params import escape_markdown
from oblastwatch.query.build import prepare
from oblastwatch.query.coverage import data_date_span
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.storage.imported import save_dataset
from oblastwatch.ui import state

PAGE = "pages/talks_effect.py"


def _events(at) -> pd.DataFrame:
    return frame_with(at, "ratio_before")


def _pooled(at) -> pd.DataFrame:
    return frame_with(at, "mean_ratio")


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def _click_row(at, row: int) -> None:
    at.session_state[state.EFFECT_TABLE] = {
        "selection": {"rows": [row], "columns": [], "cells": []}
    }
    at.run()
    _ok(at)


def _chart_days(at) -> tuple[str, str]:
    """First and last day on the timeline chart's date axis."""
    chart = next(e for e in at.main if getattr(e, "type", None) == "plotly_chart")
    first, last = json.loads(chart.proto.spec)["layout"]["xaxis"]["range"]
    return (str(date.fromisoformat(first[:10]) + timedelta(days=1)), last[:10])


def test_page_loads_with_caveats_tables_and_charts(app_test):
    at = app_test(page=PAGE)
    assert at.title[0].value == "Talks vs attacks"
    shown = texts(at)
    for caveat in (
        "Association is not cause",
        "Air Force figures are claims",
        "The choice of events matters",
        "Missing days are not zeros",
    ):
        assert caveat in shown
    # Bundled data only: the curated strikes, their default measure (waves) with days
    # without rows counted as zero, talks by default.
    assert "Strike data: curated\\-strikes" in shown
    assert "counted as zero" in shown
    assert escape_markdown("metric: waves (count of major attack waves") in shown
    events = _events(at)
    assert len(events) > 0
    assert list(events.columns) == list(EFFECT_TABLE_COLUMNS)
    assert events["first_day"].is_monotonic_decreasing  # newest first
    assert events["ratio_before"].notna().any()  # some events have strike data around them
    assert _pooled(at)["window"].tolist() == ["before", "during", "after"]
    charts = [e for e in at.main if getattr(e, "type", None) == "plotly_chart"]
    assert len(charts) == 2


def test_the_page_opens_with_the_table_the_cli_writes_without_options(app_test, tmp_path, capsys):
    # One decision about strike source, metric, absent days, events and settings
    # (study/inputs.py): the page's defaults and `oblastwatch talks-effect` with no options
    # give one table, and say in the same sentence which metric and rule were used.
    at = app_test(page=PAGE)
    shown = _events(at).iloc[::-1].reset_index(drop=True)  # the page lists newest first
    out, pooled_out = tmp_path / "effect.csv", tmp_path / "pooled.csv"
    capsys.readouterr()
    assert main(["talks-effect", "--out", str(out), "--pooled-out", str(pooled_out)]) == 0
    printed = capsys.readouterr().out
    written = pd.read_csv(out)
    rule = next(line for line in printed.splitlines() if line.startswith("metric: "))
    assert rule.startswith("metric: waves (")
    assert escape_markdown(rule) in [c.value for c in at.caption]
    pooled = pd.read_csv(pooled_out)
    np.testing.assert_allclose(_pooled(at)["mean_ratio"], pooled["mean_ratio"], rtol=1e-12)
    np.testing.assert_allclose(_pooled(at)["p_value"], pooled["p_value"], rtol=1e-12)
    # The bundled default says something: at least 10 events (or merged groups) have a ratio
    # and a permutation p-value in every window.
    for window in ("before", "during", "after"):
        defined = shown[f"ratio_{window}"].notna() & shown[f"p_{window}"].notna()
        assert defined.sum() >= 10, window
    assert (pooled["n_units"] >= 10).all()
    assert shown["event_ids"].tolist() == written["event_ids"].tolist()
    for column in ("before_mean", "during_mean", "after_mean", "baseline_mean") + tuple(
        f"{kind}_{window}" for kind in ("ratio", "p") for window in ("before", "during", "after")
    ):
        np.testing.assert_allclose(shown[column], written[column], rtol=1e-12, equal_nan=True)
    assert shown["n_days_missing"].tolist() == written["n_days_missing"].tolist()
    assert shown["ratio_before"].notna().any()


def test_changing_the_window_changes_the_numbers(app_test):
    at = app_test(page=PAGE)
    before = _events(at)
    pooled_before = _pooled(at)
    at.slider(key=state.EFFECT_WIDGETS["window"]).set_value(14).run()
    _ok(at)
    after = _events(at)
    assert not after["before_mean"].equals(before["before_mean"])
    assert not _pooled(at)["mean_window"].equals(pooled_before["mean_window"])
    # A wider window merges more nearby events into one row.
    assert len(after) <= len(before)


def test_filters_narrow_the_events(app_test):
    at = app_test(page=PAGE)
    n_all = len(_events(at))
    at.multiselect(key=state.EFFECT_WIDGETS["parties"]).set_value(["US"]).run()
    _ok(at)
    narrowed = _events(at)
    assert 0 < len(narrowed) < n_all
    # "US" and "United States" are the same party.
    assert narrowed["parties"].str.contains(r"\bUS\b|United States").all()
    at.multiselect(key=state.EFFECT_WIDGETS["kinds"]).set_value(["return"]).run()
    _ok(at)
    assert "No diplomatic events match" in texts(at)
    # With nothing to show the page still ends normally (no st.stop()), so the frame writes
    # a new sidebar range to the URL.
    at.date_input(key=state.DATE_WIDGET).set_value((date(2025, 3, 1), date(2025, 3, 9))).run()
    _ok(at)
    assert "No diplomatic events match" in texts(at)
    assert (at.query_params["start"], at.query_params["end"]) == ("2025-03-01", "2025-03-09")


def test_same_seed_same_table_and_the_seed_is_used(app_test):
    at = app_test(page=PAGE)
    first, first_pooled = _events(at), _pooled(at)
    at.run()
    pd.testing.assert_frame_equal(_events(at), first)
    at.number_input(key=state.EFFECT_WIDGETS["seed"]).set_value(7).run()
    _ok(at)
    assert "Seed 7." in texts(at)
    # The pooled bootstrap interval and permutation p-value are drawn from the seed. (Per-event
    # intervals of the default measure, whole waves, take few distinct values, and small
    # placebo pools are enumerated exactly, so the per-event columns need not change.)
    drawn = ["interval", "p_value"]
    assert not _pooled(at)[drawn].equals(first_pooled[drawn])
    at.number_input(key=state.EFFECT_WIDGETS["seed"]).set_value(0).run()
    pd.testing.assert_frame_equal(_events(at), first)
    pd.testing.assert_frame_equal(_pooled(at), first_pooled)


def test_clicking_an_event_opens_the_timeline_zoomed_to_it(app_test):
    at = app_test(page=PAGE)
    at.slider(key=state.EFFECT_WIDGETS["window"]).set_value(5).run()
    events = _events(at)
    row = int(events["ratio_before"].notna().to_numpy().argmax())  # an event with data
    first, last = events.loc[row, "first_day"], events.loc[row, "last_day"]
    _click_row(at, row)
    assert at.title[0].value == "Talks and attacks"  # the Timeline page
    bundled = load_bundled()
    data_first, data_last = data_date_span(prepare(bundled.events, bundled.event_regions))
    expected = (
        max(first - timedelta(days=5), data_first),
        min(last + timedelta(days=5), data_last),
    )
    assert at.session_state[state.DATE_RANGE] == expected
    assert at.session_state[state.SELECTION] is None
    assert at.query_params["start"] == expected[0].isoformat()
    assert at.query_params["end"] == expected[1].isoformat()
    assert _chart_days(at) == (expected[0].isoformat(), expected[1].isoformat())

    # Back on the page, the controls are as they were and no row is selected any more.
    at.switch_page(PAGE).run()
    _ok(at)
    assert at.title[0].value == "Talks vs attacks"
    assert at.slider(key=state.EFFECT_WIDGETS["window"]).value == 5


def test_url_range_is_kept_and_the_study_ignores_it(app_test):
    at = app_test(page=PAGE, start="2025-06-01", end="2025-06-30")
    assert at.session_state[state.DATE_RANGE] == (date(2025, 6, 1), date(2025, 6, 30))
    assert at.query_params["start"] == "2025-06-01"
    # The study covers every day of the strike data, not only the sidebar range.
    assert (_events(at)["first_day"] < date(2025, 6, 1)).any()


@pytest.fixture
def reference_data_dir(data_dir: Path) -> Path:
    result = importers.import_file(
        require(MMA_DAILY), catalog=require(MMA_CATALOG), source_name="mma"
    )
    save_dataset(data_dir / "mma", result, name="mma")
    return data_dir


@pytest.mark.slow
def test_page_runs_on_the_reference_dataset(reference_data_dir, app_test):
    at = app_test(page=PAGE)
    # An imported Air Force dataset is the default strike data; its silent days count as zero.
    assert at.selectbox(key=state.EFFECT_WIDGETS["source"]).value == "mma"
    shown = texts(at)
    assert "Strike data: mma" in shown
    assert "counted as zero" in shown
    pooled = _pooled(at)
    assert (pooled["n_units"] > 0).all()
    assert pooled["p_value"].between(0, 1).all()
    # Switching to the bundled list changes the numbers.
    at.selectbox(key=state.EFFECT_WIDGETS["source"]).set_value("curated-strikes").run()
    _ok(at)
    assert "Strike data: curated\\-strikes" in texts(at)
    assert not _pooled(at)["mean_window"].equals(pooled["mean_window"])
