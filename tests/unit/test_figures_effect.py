"""Unit tests of the event-study figures and display tables (pure Plotly / pandas)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from plotly.colors import unlabel_rgb

from oblastwatch.domain import geo
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present import figures_effect as fe
from oblastwatch.study import analysis

XSS = "<img src=x onerror=alert(1)>"


def _units(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    """A per-event table like analysis.talks_effect's: (event_ids, title, start, end)."""
    frame = pd.DataFrame(rows, columns=["event_ids", "title", "start", "end"])
    frame["start"] = pd.to_datetime(frame["start"])
    frame["end"] = pd.to_datetime(frame["end"])
    return frame


def _matrix(values: dict[str, list[float]], window: int) -> pd.DataFrame:
    return pd.DataFrame.from_dict(values, orient="index", columns=range(-window, window + 1))


@pytest.fixture
def effect_table_input() -> pd.DataFrame:
    """Two rows shaped like analysis.talks_effect output, oldest first."""
    return pd.DataFrame(
        {
            "event_ids": ["a", "b;c"],
            "n_events": [1, 2],
            "title": ["Old talks", XSS],
            "kind": ["talks", "talks"],
            "start": pd.to_datetime(["2025-01-10", "2025-05-01"]),
            "end": pd.to_datetime(["2025-01-10", "2025-05-03"]),
            "venue": ["Geneva", None],
            "format": ["bilateral", "trilateral"],
            "parties": ["Russia;Ukraine", "US;Russia;Ukraine"],
            "before_mean": [10.0, np.nan],
            "during_mean": [12.0, 5.0],
            "after_mean": [8.0, 6.0],
            "baseline_mean": [10.0, 5.0],
            "ratio_before": [1.0, np.nan],
            "ratio_during": [1.2, 1.0],
            "ratio_after": [0.8, 1.2],
            "ci_low_before": [0.5, np.nan],
            "ci_high_before": [1.5, np.nan],
            "ci_low_during": [0.9, 0.25],
            "ci_high_during": [1.444, 2.0],
            "ci_low_after": [0.1, 0.2],
            "ci_high_after": [1.0, 3.0],
            "p_before": [1.0, np.nan],
            "p_during": [0.04, 0.9],
            "p_after": [0.5, 0.6],
            "n_days_missing": [0, 3],
            "n_placebo": [100, 90],
        }
    )


# --- tables ----------------------------------------------------------------------------------


def test_effect_table_is_newest_first_with_intervals_as_text(effect_table_input):
    out = fe.effect_table(effect_table_input)
    assert list(out.columns) == list(fe.EFFECT_TABLE_COLUMNS)
    assert out["event_ids"].tolist() == ["b;c", "a"]
    assert out["first_day"].tolist() == [date(2025, 5, 1), date(2025, 1, 10)]
    assert out["last_day"].tolist() == [date(2025, 5, 3), date(2025, 1, 10)]
    assert out.loc[1, "interval_during"] == "0.90–1.44"
    assert pd.isna(out.loc[0, "interval_before"])  # undefined interval stays empty
    assert math.isnan(out.loc[0, "before_mean"])  # missing stays missing, never 0
    assert out.loc[0, "parties"] == "US, Russia, Ukraine"
    assert out.loc[0, "title"] == XSS  # st.dataframe shows text as text: no escaping here


def test_pooled_table_formats_the_interval():
    pooled = pd.DataFrame(
        {
            "window": ["before", "during", "after"],
            "n_units": [3, 3, 0],
            "n_clusters": [3, 3, 0],
            "mean_window": [1.0, 2.0, np.nan],
            "mean_baseline": [1.0, 1.0, np.nan],
            "mean_ratio": [1.0, 2.0, np.nan],
            "ci_low": [0.5, 1.25, np.nan],
            "ci_high": [1.5, 3.0, np.nan],
            "p_value": [0.9, 0.01, np.nan],
        }
    )
    out = fe.pooled_table(pooled)
    assert list(out.columns) == list(fe.POOLED_TABLE_COLUMNS)
    assert out["interval"].tolist()[:2] == ["0.50–1.50", "1.25–3.00"]
    assert pd.isna(out["interval"].iloc[2])


def test_zoom_range_covers_the_window_on_both_sides():
    assert fe.zoom_range(date(2026, 2, 26), date(2026, 2, 27), 7) == (
        date(2026, 2, 19),
        date(2026, 3, 6),
    )


# --- aligned chart ---------------------------------------------------------------------------


def test_event_time_figure_draws_each_event_and_the_mean_with_its_band():
    matrix = _matrix({"a": [1, 2, 3, np.nan, 5], "b": [3, 4, 5, 6, 7]}, window=2)
    profile = analysis.event_time_profile(matrix, n_bootstrap=200, seed=1)
    units = _units(
        [("a", XSS, "2025-03-01", "2025-03-01"), ("b", "Geneva", "2025-04-01", "2025-04-02")]
    )
    fig = fe.event_time_figure(matrix, profile, metric="drones_launched", units=units)

    events = [t for t in fig.data if t.legendgroup == "events"]
    assert len(events) == 2
    assert list(events[0].x) == [-2, -1, 0, 1, 2]
    assert math.isnan(events[0].y[3])  # a missing day is a gap, not zero
    assert "&lt;img src=x" in events[0].text[0] and "<img" not in events[0].text[0]
    assert "Geneva (01 Apr 2025 – 02 Apr 2025)" in events[1].text[0]

    mean = next(t for t in fig.data if t.name == "Mean across events")
    np.testing.assert_allclose(mean.y, [2.0, 3.0, 4.0, 6.0, 6.0])
    band = next(t for t in fig.data if t.name == "95% band of the mean")
    assert band.fill == "toself"
    # One closed shape per run of days with a band; each contains the mean of its days.
    xs, ys = np.array(band.x, dtype=float), np.array(band.y, dtype=float)
    for day, value in zip(mean.x, mean.y, strict=True):
        at_day = ys[np.isclose(xs, day)]
        assert at_day.min() <= value + 1e-9 and at_day.max() >= value - 1e-9
    assert fig.layout.yaxis.title.text == "Drones launched per day"
    assert not any("No strike data" in (a.text or "") for a in fig.layout.annotations)


def test_band_never_bridges_a_day_without_data():
    xs, ys = fe.band_polygons(
        np.array([-2, -1, 0, 1, 2]),
        np.array([1.0, 2.0, np.nan, 4.0, np.nan]),
        np.array([3.0, 4.0, 5.0, 6.0, 7.0]),
    )
    shapes = " ".join("|" if x is None else f"{x:g}" for x in xs).split("|")
    assert [s.split() for s in shapes] == [["-2", "-1", "-1", "-2"], ["0.7", "1.3", "1.3", "0.7"]]
    assert ys[:4] == [3.0, 4.0, 2.0, 1.0]


def test_event_time_figure_says_when_there_is_no_data():
    matrix = _matrix({"a": [np.nan] * 3}, window=1)
    profile = analysis.event_time_profile(matrix, n_bootstrap=50)
    fig = fe.event_time_figure(matrix, profile, metric="waves")
    assert any("No strike data" in (a.text or "") for a in fig.layout.annotations)


def test_event_time_figure_shows_a_planted_spike_before_events():
    days = pd.date_range("2024-01-01", periods=400, freq="D", name="date")
    values = np.full(len(days), 10.0)
    starts = pd.to_datetime(["2024-03-01", "2024-06-01", "2024-09-01", "2024-12-01"])
    for start in starts:
        values[days.get_indexer([start - pd.Timedelta(days=2)])[0]] = 100.0
    series = pd.DataFrame({m: values for m in analysis.METRICS}, index=days)
    events = pd.DataFrame({"event_id": list("abcd"), "kind": "talks", "date": starts})
    matrix = analysis.event_time_matrix(series, events, 5, "waves")
    profile = analysis.event_time_profile(matrix, n_bootstrap=100)
    fig = fe.event_time_figure(matrix, profile, metric="waves")
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
    fig = fe.small_multiples_figure(matrix, units, metric="waves", max_panels=2, columns=2)
    assert fig.layout.meta["shown"] == ["c", "d"]  # the most recent panels with data
    assert len(fig.data) == 2
    title = fig.layout.title.text
    assert "2 of 4 events" in title
    assert "1 without data" in title
    assert "1 older" in title
    texts = [a.text for a in fig.layout.annotations]
    assert any("&lt;img src=x" in t for t in texts) and not any("<img" in t for t in texts)
    # The event's own days are shaded: c lasts two days (0 and 1), d one.
    spans = sorted((s.x0, s.x1) for s in fig.layout.shapes)
    assert spans == [(-0.5, 0.5), (-0.5, 1.5)]


def test_small_multiples_reject_an_impossible_layout():
    matrix = _matrix({"a": [1.0, 2.0, 3.0]}, window=1)
    units = _units([("a", "A", "2025-01-01", "2025-01-01")])
    with pytest.raises(ValueError, match="at least 1"):
        fe.small_multiples_figure(matrix, units, metric="waves", max_panels=0)


# --- comparing periods -----------------------------------------------------------------------


def test_week_before_and_of():
    before, week_of = fe.week_before_and_of(date(2026, 2, 26))
    assert before == (date(2026, 2, 19), date(2026, 2, 25))
    assert week_of == (date(2026, 2, 26), date(2026, 3, 4))


def test_period_comparison_keeps_no_reports_apart_from_zero():
    a = pd.Series({"UA-30": 2.0, "UA-46": 0.0, "UA-51": np.nan})
    b = pd.Series({"UA-30": 5.0, "UA-46": 1.0, "UA-51": 4.0, "UA-63": 0.0})
    out = fe.period_comparison(a, b)
    assert out["region_code"].tolist() == list(REGION_CODES)
    rows = out.set_index("region_code")
    assert rows.loc["UA-30", "difference"] == 3.0
    assert rows.loc["UA-46", "difference"] == 1.0
    assert math.isnan(rows.loc["UA-51", "difference"])  # A had no reports
    assert math.isnan(rows.loc["UA-63", "difference"])
    assert rows.loc["UA-30", "region"] == "Kyiv"


def _comparison() -> pd.DataFrame:
    a = pd.Series(10.0, index=list(REGION_CODES))
    b = a.copy()
    b["UA-46"] = 16.0  # more in B
    b["UA-51"] = 7.0  # fewer in B
    b["UA-63"] = np.nan  # no reports in B
    return fe.period_comparison(a, b)


def test_difference_bars_use_diverging_colours_and_escape_labels():
    fig = fe.difference_figure(_comparison(), unit="waves", labels=(XSS, "B"))
    bar = fig.data[0]
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["Lviv Oblast"] == fe.DIFF_COLORS[1]
    assert colours["Odesa Oblast"] == fe.DIFF_COLORS[0]
    hover = " ".join(bar.hovertext)
    assert "&lt;img" in hover and "<img" not in hover
    assert "no reports in one of the periods" in hover
    assert "<img" not in fig.layout.xaxis.title.text


@pytest.fixture(scope="module")
def boundaries():
    return geo.load_boundaries()


def _fill_of(fig, code: str) -> tuple[float, float, float]:
    trace = next(t for t in fig.data if t.name == code)
    return unlabel_rgb(trace.fillcolor)


def test_difference_map_colours_regions_by_sign(boundaries):
    fig = fe.difference_map_figure(_comparison(), boundaries, unit="waves", labels=("A", XSS))
    red, green, blue = _fill_of(fig, "UA-46")
    assert red > blue + 50 and red > green + 50  # more in B: the red end (largest difference)
    red, green, blue = _fill_of(fig, "UA-51")
    assert blue > red + 40 and blue > green  # fewer in B: blue
    assert _fill_of(fig, "UA-30")[0] > 240  # no change: near white
    grey = next(t for t in fig.data if t.name == "UA-63")
    assert grey.fillcolor == fe.NO_REPORTS_FILL and grey.line.dash == "dash"
    assert fig.layout.meta["limit"] == 6.0
    scale = fig.data[-1].marker
    assert (scale.cmin, scale.cmax) == (-6.0, 6.0)
    assert "&lt;img" in fig.layout.title.text and "<img" not in fig.layout.title.text
    assert all("<img" not in (t.text or "") for t in fig.data)


def test_difference_map_draws_kyiv_city_over_the_hole_in_kyiv_oblast(boundaries):
    fig = fe.difference_map_figure(_comparison(), boundaries, unit="waves", labels=("A", "B"))
    order = [t.name for t in fig.data]
    assert set(REGION_CODES) <= set(order)
    assert order.index("UA-30") > order.index("UA-32")
