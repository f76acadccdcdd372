"""Plotly builders, tested through fig.data / fig.layout and the serialised JSON."""

from __future__ import annotations

import json
from datetime import date

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain.model import conform_events, empty_event_regions
from oblastwatch.domain.rules import LANES
from oblastwatch.present import figures
from oblastwatch.query.build import prepare
from oblastwatch.query.diplomacy import DIPLOMATIC_COLUMNS
from oblastwatch.query.filters import Filters
from oblastwatch.query.freshness import CoverageGap
from oblastwatch.query.index import DAILY_COLUMNS
from oblastwatch.query.series import daily_attack_counts

XSS = "<img src=x onerror=alert(1)>"
ESCAPED = "&lt;img src=x onerror=alert(1)&gt;"


def _talks(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    for column in DIPLOMATIC_COLUMNS:
        if column not in frame:
            frame[column] = pd.NA
    frame["first_day"] = pd.to_datetime(frame["first_day"])
    frame["last_day"] = pd.to_datetime(frame["last_day"])
    return frame[list(DIPLOMATIC_COLUMNS)]


TALKS = _talks(
    [
        {
            "event_id": "E052",
            "kind": "talks",
            "first_day": "2026-02-17",
            "last_day": "2026-02-18",
            "lane": "trilateral",
            "title": "Geneva: trilateral talks",
            "description": f"{XSS} Outcome: no deal. Lead negotiators: A, B.",
            "venue": "Geneva, Switzerland",
            "parties": "US;Russia;Ukraine",
            "source_url": "https://example.org/geneva",
        },
        {
            "event_id": "E053",
            "kind": "call",
            "first_day": "2026-02-25",
            "last_day": "2026-02-25",
            "lane": "US–Ukraine",
            "title": "US–Ukraine call",
        },
        {
            "event_id": "E054",
            "kind": "summit",
            "first_day": "2026-02-20",
            "last_day": "2026-02-20",
            "lane": "other",
            "title": "A summit",
        },
        {
            "event_id": "E055",
            "kind": "exchange",
            "first_day": "2026-02-26",
            "last_day": "2026-02-26",
            "lane": "Russia–Ukraine",
        },
    ]
)


def _daily(start="2026-02-01", end="2026-02-28", seed=0) -> pd.DataFrame:
    index = pd.date_range(start, end, name="date")
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(
        rng.integers(0, 400, (len(index), len(DAILY_COLUMNS))).astype(float),
        index=index,
        columns=list(DAILY_COLUMNS),
    )
    frame.iloc[3] = np.nan  # a day without reports
    return frame


def _trace(fig, name):
    return next(t for t in fig.data if t.name == name)


def _hovertexts(fig) -> list[str]:
    decoded = json.loads(fig.to_json())
    return [text for trace in decoded["data"] for text in (trace.get("hovertext") or [])]


# --- timeline ----------------------------------------------------------------------------------


def test_timeline_has_lanes_bars_and_rangeslider():
    fig = figures.timeline_figure(_daily(), TALKS)
    names = {t.name for t in fig.data}
    assert {
        "Drones launched",
        "Drones destroyed",
        "Missiles launched",
        "Missiles destroyed",
        "Talks and summits",
        "Calls",
        "Exchanges and returns",
        "Multi-day rounds",
    } <= names
    assert list(fig.layout.yaxis.categoryarray) == list(reversed(LANES))
    assert fig.layout.xaxis3.rangeslider.visible is True
    # bars on the attack rows share the date axis with the lanes
    assert _trace(fig, "Drones launched").yaxis == "y2"
    assert _trace(fig, "Missiles launched").yaxis == "y3"
    assert _trace(fig, "Talks and summits").yaxis == "y"


def test_timeline_bars_are_one_point_per_day_with_gaps():
    daily = _daily()
    fig = figures.timeline_figure(daily, TALKS)
    drones = _trace(fig, "Drones launched")
    assert len(drones.x) == len(daily) == 28
    assert np.isnan(np.asarray(drones.y, dtype=float)[3])
    assert drones.x[0] == "2026-02-01"


def test_timeline_talk_points_carry_event_ids_in_lanes():
    fig = figures.timeline_figure(_daily(), TALKS)
    talks = _trace(fig, "Talks and summits")
    ids = [row[0] for row in talks.customdata]
    assert ids == ["E052", "E054"]
    assert list(talks.y) == ["trilateral", "other"]
    span = _trace(fig, "Multi-day rounds")
    assert [row[0] for row in span.customdata] == ["E052"]
    assert span.orientation == "h"
    assert list(span.x) == [2 * figures.DAY_MS]


def test_timeline_bands_for_every_talks_round():
    fig = figures.timeline_figure(_daily(), TALKS)
    bands = [s for s in fig.layout.shapes if s.line.width == 0]
    # E052 (talks) and E054 (summit); not the call or the exchange
    assert len(bands) == 2
    assert {b.x0[:10] for b in bands} == {"2026-02-16", "2026-02-19"}
    assert all(b.layer == "below" and b.y1 < 1 for b in bands)


def test_timeline_marks_the_selection():
    plain = figures.timeline_figure(_daily(), TALKS)
    chosen = figures.timeline_figure(_daily(), TALKS, selected_day=date(2026, 2, 10))
    assert len(chosen.layout.shapes) == len(plain.layout.shapes) + 1
    mark = chosen.layout.shapes[-1]
    assert mark.x0.startswith("2026-02-09T12")
    assert mark.x1.startswith("2026-02-10T12")
    talk = figures.timeline_figure(_daily(), TALKS, selected_talk="E052")
    mark = talk.layout.shapes[-1]
    assert mark.x0.startswith("2026-02-16T12")
    assert mark.x1.startswith("2026-02-18T12")


def test_timeline_shades_and_labels_the_days_a_source_does_not_cover():
    gap = CoverageGap(
        "<b>curated</b>",
        date(2026, 2, 20),
        "mma",
        date(2026, 2, 28),
        date(2026, 2, 21),
        date(2026, 2, 28),
    )
    plain = figures.timeline_figure(_daily(), TALKS)
    shaded = figures.timeline_figure(_daily(), TALKS, gaps=[gap])
    assert len(shaded.layout.shapes) == len(plain.layout.shapes) + 1
    band = shaded.layout.shapes[-1]
    assert band.x0.startswith("2026-02-20T12")
    assert band.x1.startswith("2026-02-28T12")
    assert band.fillcolor == figures.GAP_COLOR
    labels = [a.text for a in shaded.layout.annotations if "rows after" in (a.text or "")]
    assert labels == ["no &lt;b&gt;curated&lt;/b&gt; rows after 2026-02-20"]
    assert not [a for a in plain.layout.annotations if "rows after" in (a.text or "")]


def test_timeline_hover_is_escaped():
    fig = figures.timeline_figure(_daily(), TALKS)
    texts = _hovertexts(fig)
    geneva = next(t for t in texts if "Geneva" in t)
    assert ESCAPED in geneva
    assert XSS not in "".join(texts)
    assert "Outcome: no deal." in geneva
    assert "Lead negotiators: A, B." in geneva
    assert "Source: https://example.org/geneva" in geneva
    assert "Venue: Geneva, Switzerland" in geneva


def test_timeline_without_talks_or_reports():
    empty_talks = TALKS.iloc[:0]
    daily = _daily()
    daily[:] = np.nan
    fig = figures.timeline_figure(daily, empty_talks)
    assert not fig.layout.shapes
    assert any("No strike reports" in a.text for a in fig.layout.annotations)


def test_figures_are_fresh_each_call():
    first = figures.timeline_figure(_daily(), TALKS)
    second = figures.timeline_figure(_daily(), TALKS)
    first.update_layout(title="changed")
    assert second.layout.title.text is None


def test_timeline_json_stays_small_for_four_years_of_100k_events():
    rng = np.random.default_rng(7)
    n = 100_000
    days = pd.date_range("2022-03-01", "2026-02-28")
    events = conform_events(
        pd.DataFrame(
            {
                "event_id": [f"s{i}" for i in range(n)],
                "source": "synthetic",
                "kind": "strike",
                "date": days[rng.integers(0, len(days), n)],
                "weapon_category": rng.choice(["drone", "cruise missile", "other"], n),
                "launched": rng.integers(0, 60, n).astype(float),
                "destroyed": rng.integers(0, 50, n).astype(float),
                "scope": "national",
                "wave_id": [f"w{i // 3}" for i in range(n)],
            }
        )
    )
    prepared = prepare(events, empty_event_regions())
    filters = Filters(date(2022, 3, 1), date(2026, 2, 28))
    talks = pd.concat([TALKS] * 30, ignore_index=True)  # ~120 diplomatic events
    talks["event_id"] = [f"E{i}" for i in range(len(talks))]
    fig = figures.timeline_figure(daily_attack_counts(prepared, filters), talks)
    assert len(_trace(fig, "Drones launched").x) == len(days)
    assert len(fig.to_json()) <= 500_000


@pytest.mark.parametrize(
    ("points", "expected"),
    [
        ([{"x": "2026-02-26", "y": 420.0}], ("day", "2026-02-26")),
        ([{"x": "2026-02-26 00:00", "y": 1}], ("day", "2026-02-26")),
        ([{"x": "2026-02-17", "y": "trilateral", "customdata": ["E052"]}], ("talk", "E052")),
        ([{"x": 172800000, "y": "trilateral", "customdata": ["E052"]}], ("talk", "E052")),
        ([{"y": 3}], None),
        ([{"x": "not a date"}], None),
        ([], None),
    ],
)
def test_timeline_selection(points, expected):
    assert figures.timeline_selection(points) == expected


# --- region and weapons figures ----------------------------------------------------------------


def test_region_weekly_figure():
    weekly = pd.DataFrame(
        {
            "waves": [1.0, np.nan, 3.0],
            "strike_days": [1.0, np.nan, 2.0],
            "launched": [50.0, np.nan, 120.0],
            "incidents": [np.nan, np.nan, 2.0],
            "days_in_range": [7, 7, 7],
        },
        index=pd.DatetimeIndex(["2026-02-02", "2026-02-09", "2026-02-16"], name="week"),
    )
    fig = figures.region_weekly_figure(weekly, TALKS)
    waves = _trace(fig, "Attack waves")
    # Days are drawn centred on their midnight, so a Monday-to-Sunday week is centred on
    # Thursday 00:00.
    assert [x[:13] for x in waves.x] == ["2026-02-05T00", "2026-02-12T00", "2026-02-19T00"]
    assert waves.width == figures.WEEK_MS * 0.85
    assert [row[0] for row in waves.customdata] == ["02 Feb 2026", "09 Feb 2026", "16 Feb 2026"]
    assert _trace(fig, "Incidents").yaxis == "y2"
    assert len([s for s in fig.layout.shapes if s.line.width == 0]) == 2
    assert ESCAPED in "".join(_hovertexts(fig))


def test_weapons_breakdown_figure_escapes_labels():
    table = pd.DataFrame(
        {
            "weapon_category": ["drone", "cruise missile"],
            "weapon_model": [XSS, "Kh-101"],
            "launched": [400.0, 30.0],
            "destroyed": [380.0, np.nan],
            "events": [3, 1],
            "waves": [2, 1],
        }
    )
    fig = figures.weapons_breakdown_figure(table)
    launched = _trace(fig, "Launched")
    assert list(launched.y) == [f"{ESCAPED} (drone)", "Kh-101 (cruise missile)"]
    assert XSS not in json.loads(fig.to_json())["data"][0]["y"][0]


def test_weapons_breakdown_figure_empty():
    empty = pd.DataFrame(
        columns=["weapon_category", "weapon_model", "launched", "destroyed", "events", "waves"]
    )
    fig = figures.weapons_breakdown_figure(empty)
    assert any("No strike reports" in a.text for a in fig.layout.annotations)


def test_escape_handles_missing_values():
    assert figures.escape(pd.NA) == ""
    assert figures.escape(None) == ""
    assert figures.escape("a & b") == "a &amp; b"
