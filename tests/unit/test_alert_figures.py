"""The timeline's alert lane as a Plotly figure (pure builder, no Streamlit)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.present import figures


def _inputs():
    index = pd.date_range("2024-03-30", "2024-04-01", freq="D", name="date")
    daily = pd.DataFrame(
        np.nan,
        index=index,
        columns=[
            "drones_launched",
            "drones_destroyed",
            "missiles_launched",
            "missiles_destroyed",
            "other_launched",
            "waves",
        ],
    )
    talks = pd.DataFrame(columns=["event_id", "kind", "first_day", "last_day", "lane"])
    alerts = pd.DataFrame(
        {"average_region": [1.5, 2.256, np.nan], "region": [0.0, 23.0, np.nan]}, index=index
    )
    return daily, talks, alerts


def test_the_alert_lane_is_a_fourth_row_with_both_lines():
    daily, talks, alerts = _inputs()
    fig = figures.timeline_figure(daily, talks, alerts=alerts, region_label="<b>Kyiv</b>")
    lane = [t for t in fig.data if str(t.name).startswith("Alert hours")]
    assert [t.name for t in lane] == [
        "Alert hours, average region",
        "Alert hours, &lt;b&gt;Kyiv&lt;/b&gt;",  # data text is escaped
    ]
    assert {t.yaxis for t in lane} == {"y4"}
    assert lane[0].x0 == "2024-03-30"
    assert lane[0].dx == figures.DAY_MS
    assert list(lane[0].y[:2]) == [1.5, 2.26]
    assert np.isnan(lane[0].y[2])  # no data stays a gap, never 0
    assert list(fig.layout.yaxis4.range) == [0, 25]
    assert fig.layout.xaxis4.rangeslider.visible  # the slider moves to the bottom row


def test_without_alerts_the_timeline_keeps_three_rows():
    daily, talks, _ = _inputs()
    fig = figures.timeline_figure(daily, talks)
    assert "yaxis4" not in fig.layout.to_plotly_json()
    assert fig.layout.xaxis3.rangeslider.visible
    assert not any(str(t.name).startswith("Alert hours") for t in fig.data)


def test_a_region_without_alert_data_gets_no_line():
    daily, talks, alerts = _inputs()
    alerts["region"] = np.nan
    fig = figures.timeline_figure(daily, talks, alerts=alerts, region_label="Crimea")
    assert [t.name for t in fig.data if str(t.name).startswith("Alert")] == [
        "Alert hours, average region"
    ]
