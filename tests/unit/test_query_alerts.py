"""The timeline's alert series and the region page's waves under alert, by hand."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from query_tables import strike_row

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.importers import import_file
from oblastwatch.query.alerts import daily_alert_series, has_alerts, strikes_under_alert
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters

OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "alerts" / "official_data_en_sample.csv"
MARCH_16 = Filters(date(2022, 3, 16), date(2022, 3, 16))


def _utc(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _strikes() -> tuple[pd.DataFrame, pd.DataFrame]:
    # The excerpt has Odesa oblast (and its raions) under alert 09:40:01-10:22:17Z on 16 March
    # 2022, and 00:55:03-02:35:50Z, 03:41:19-04:17:23Z before.
    rows = [
        strike_row("a", "2022-03-16", "cruise missile", 2, "w1", start=_utc("2022-03-16 10:00")),
        strike_row("a2", "2022-03-16", "drone", 3, "w1", start=_utc("2022-03-16 10:00")),
        strike_row(
            "b",
            "2022-03-16",
            "drone",
            4,
            "w2",
            start=_utc("2022-03-16 11:00"),
            end=_utc("2022-03-16 12:00"),
        ),
        # Begins before the alert ends: the span 10:20-11:00 meets it.
        strike_row(
            "c",
            "2022-03-16",
            "drone",
            1,
            "w3",
            start=_utc("2022-03-16 10:20"),
            end=_utc("2022-03-16 11:00"),
        ),
        strike_row("d", "2022-03-16", "drone", 1, "w4"),  # a date only
        strike_row("e", "2022-03-16", "drone", 1, "w5", start=_utc("2022-03-16 10:00")),
    ]
    regions = [
        {"event_id": "a", "region_code": "UA-51", "role": "target"},
        {"event_id": "a2", "region_code": "UA-51", "role": "target"},
        {"event_id": "b", "region_code": "UA-51", "role": "target"},
        {"event_id": "c", "region_code": "UA-51", "role": "affected"},
        {"event_id": "d", "region_code": "UA-51", "role": "target"},
        {"event_id": "e", "region_code": "UA-51", "role": "intercepted"},  # not a hit
    ]
    return conform_events(pd.DataFrame(rows)), conform_event_regions(pd.DataFrame(regions))


@pytest.fixture(scope="module")
def prepared():
    events, regions = _strikes()
    return prepare(events, regions, import_file(OFFICIAL).alerts)


def test_waves_that_hit_a_region_are_judged_against_its_alerts(prepared):
    found = strikes_under_alert(prepared, MARCH_16, "UA-51")
    assert (found.waves, found.judged, found.under_alert, found.untimed) == (4, 3, 2, 1)
    assert found.share == pytest.approx(2 / 3)


def test_a_region_without_alert_data_judges_nothing(prepared):
    events, regions = _strikes()
    regions = regions.assign(region_code="UA-43")  # Crimea: not in the alert files
    crimea = prepare(events, regions, import_file(OFFICIAL).alerts)
    found = strikes_under_alert(crimea, MARCH_16, "UA-43")
    assert (found.waves, found.judged, found.no_alert_data) == (4, 0, 3)
    assert np.isnan(found.share)


def test_the_alert_series_has_the_region_and_the_average_region(prepared):
    series = daily_alert_series(prepared, Filters(date(2022, 3, 14), date(2022, 3, 17)), "UA-51")
    assert list(series.index.strftime("%Y-%m-%d")) == [
        "2022-03-14",
        "2022-03-15",
        "2022-03-16",
        "2022-03-17",
    ]
    assert series["region"].isna().tolist() == [True, False, False, False]  # before the files
    assert series.loc["2022-03-16", "region"] == pytest.approx((6047 + 2164 + 2536) / 3600)
    average = series.loc["2022-03-16", "average_region"]
    day = prepared.alert_hours[1]  # 2022-03-16: the second day of the files
    assert average == pytest.approx(np.nanmean(day))
    assert np.isnan(day).sum() == 3  # Luhansk, Crimea and Sevastopol have no data
    assert has_alerts(prepared)


def test_without_alerts_the_series_is_empty_of_data():
    events, regions = _strikes()
    bare = prepare(events, regions)
    assert not has_alerts(bare)
    assert daily_alert_series(bare, MARCH_16, "UA-51").isna().all(axis=None)
    assert strikes_under_alert(bare, MARCH_16, "UA-51").judged == 0


@pytest.mark.parametrize(("step", "window"), [("day", 1), ("week", 7), ("month", None)])
def test_playback_frames_of_alert_hours_equal_the_map_metric(prepared, step, window):
    from dataclasses import replace

    from oblastwatch.query.codes import as_date
    from oblastwatch.query.filters import Filters
    from oblastwatch.query.metrics import region_metric
    from oblastwatch.query.playback import frame_values

    first = as_date(prepared.alert_first_day)
    span = Filters(start=first, end=as_date(prepared.alert_first_day + 60))
    frames = frame_values(prepared, span, "alert_hours", step=step, window=window)
    assert np.isfinite(frames.values).any()  # the excerpt's alerts are in these frames
    for k, (start, end) in enumerate(zip(frames.starts, frames.ends, strict=True)):
        expected = region_metric(
            prepared, replace(span, start=as_date(start), end=as_date(end)), "alert_hours"
        )
        np.testing.assert_allclose(frames.values[k], expected.to_numpy(), equal_nan=True)
