"""The event study's Plotly builders (oblastwatch.present.effect_figures)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from oblastwatch.present.effect_figures import (
    band_polygons,
    event_time_figure,
    small_multiples_figure,
)
from oblastwatch.study.event_time import event_time_matrix, event_time_profile
from oblastwatch.study.settings import METRICS, StudySettings

XSS = "<img src=x onerror=alert(1)>"


def _units(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """A per-event table like study.effects.talks_effect's: (event_ids, title, start, end)."""
    frame = pd.DataFrame(rows, columns=["event_ids", "title", "start", "end"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def _matrix(values: dict[str, list[float]], window: int) -> pd.DataFrame:
    return pd.DataFrame.from_dict(values, orient="index", columns=range(-window, window + 1))


# --- aligned chart ---------------------------------------------------------------------------


def test_event_time_figure_draws_each_event_and_the_mean_with_its_band():
    matrix = _matrix({"a": [1, 2, 3, np.nan, 5], "b": [3, 4, 5, 6, 7]}, window=2)
    profile = event_time_profile(matrix, StudySettings(n_bootstrap=200, seed=1))
    units = _units(
        [("a", XSS, "2025-03-01", "2025-03-01"), ("b", "Geneva", "2025-04-01", "2025-04-02")]
    )
    fig = event_time_figure(matrix, profile, metric="drones_launched", units=units)

    events = [t for t in fig.data if t.legendgroup == "events"]
    assert len(events) == 2
    assert list(events[0].x) == [-2, -1, 0, 1, 2]
    assert math.isnan(events[0].y[3])  # a missing day is a gap, not zero
    assert "&lt;img src=x" in events[0].text[0]
    assert "<img" not in events[0].text[0]
    assert "Geneva (01 Apr 2025 – 02 Apr 2025)" in events[1].text[0]

    mean = next(t for t in fig.data if t.name == "Mean across events")
    np.testing.assert_allclose(mean.y, [2.0, 3.0, 4.0, 6.0, 6.0])
    band = next(t for t in fig.data if t.name == "95% band of the mean")
    assert band.fill == "toself"
    # One closed shape per run of days with a band; each contains the mean of its days.
    xs, ys = np.array(band.x, dtype=float), np.array(band.y, dtype=float)
    for day, value in zip(mean.x, mean.y, strict=True):
        at_day = ys[np.isclose(xs, day)]
        assert at_day.min() <= value + 1e-9
        assert at_day.max() >= value - 1e-9
    assert fig.layout.yaxis.title.text == "Drones launched per day"
    assert not any("No strike data" in (a.text or "") for a in fig.layout.annotations)


def test_band_never_bridges_a_day_without_data():
    xs, ys = band_polygons(
        np.array([-2, -1, 0, 1, 2]),
        np.array([1.0, 2.0, np.nan, 4.0, np.nan]),
        np.array([3.0, 4.0, 5.0, 6.0, 7.0]),
    )
    shapes = " ".join("|" if x is None else f"{x:g}" for x in xs).split("|")
    assert [s.split() for s in shapes] == [["-2", "-1", "-1", "-2"], ["0.7", "1.3", "1.3", "0.7"]]
    assert ys[:4] == [3.0, 4.0, 2.0, 1.0]


def test_event_time_figure_says_when_there_is_no_data():
    matrix = _matrix({"a": [np.nan] * 3}, window=1)
    profile = event_time_profile(matrix, StudySettings(n_bootstrap=50))
    fig = event_time_figure(matrix, profile, metric="waves")
    assert any("No strike data" in (a.text or "") for a in fig.layout.annotations)


def test_event_time_figure_shows_a_planted_spike_before_events():
    days = pd.date_range("2024-01-01", periods=400, freq="D", name="date")
    values = np.full(len(days), 10.0)
    starts = pd.to_datetime(["2024-03-01", "2024-06-01", "2024-09-01", "2024-12-01"])
    for start in starts:
        values[days.get_indexer([start - pd.Timedelta(days=2)])[0]] = 100.0
    series = pd.DataFrame({m: values for m in METRICS}, index=days)
    events = pd.DataFrame({"event_id": list("abcd"), "kind": "talks", "date": starts})
    matrix = event_time_matrix(series, events, StudySettings(window=5, metric="waves"))
    profile = event_time_profile(matrix, StudySettings(n_bootstrap=100))
    fig = event_time_figure(matrix, profile, metric="waves")
    mean = next(t for t in fig.data if t.name == "Mean across events")
    assert int(np.asarray(mean.x)[np.nanargmax(mean.y)]) == -2


# --- small multiples -------------------------------------------------------------------------


def test_small_multiples_draw_events_with_data_and_say_what_was_left_out():
    matrix = _matrix(
        {
            "a": [1, 2, 3],
            "b": [np.nan, np.nan, np.nan],
            "c": [4, np.nan, 6],
            "d": [7, 8, 9],
        },
        window=1,
    )
    units = _units(
        [
            ("a", "First", "2025-01-01", "2025-01-01"),
            ("b", "Empty", "2025-02-01", "2025-02-01"),
            ("c", XSS, "2025-03-01", "2025-03-02"),
            ("d", "Last", "2025-04-01", "2025-04-01"),
        ]
    )
    fig = small_multiples_figure(matrix, units, metric="waves", max_panels=2, columns=2)
    assert fig.layout.meta["shown"] == ["c", "d"]  # the most recent panels with data
    assert len(fig.data) == 2
    title = fig.layout.title.text
    assert "2 of 4 events" in title
    assert "1 without data" in title
    assert "1 older" in title
    texts = [a.text for a in fig.layout.annotations]
    assert any("&lt;img src=x" in t for t in texts)
    assert not any("<img" in t for t in texts)
    # The event's own days are shaded: c lasts two days (0 and 1), d one.
    spans = sorted((s.x0, s.x1) for s in fig.layout.shapes)
    assert spans == [(-0.5, 0.5), (-0.5, 1.5)]


def test_small_multiples_reject_an_impossible_layout():
    matrix = _matrix({"a": [1.0, 2.0, 3.0]}, window=1)
    units = _units([("a", "A", "2025-01-01", "2025-01-01")])
    with pytest.raises(ValueError, match="at least 1"):
        small_multiples_figure(matrix, units, metric="waves", max_panels=0)
