"""Alert hours per region and Kyiv day, against hand computations.

Times below are Kyiv wall-clock times unless they end in Z. On 2024-03-31 the clocks jump from
03:00 to 04:00 (a 23-hour day); on 2024-10-27 they fall back from 04:00 to 03:00 (25 hours).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain import model
from oblastwatch.domain.alerts import conform_alerts
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.importers import import_file
from oblastwatch.query.alert_hours import alert_hours_table, daily_alert_hours, merge_alerts
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric

OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "alerts" / "official_data_en_sample.csv"


def _alert(region: str, start: str, end: str, *, imputed: bool = False, level="raion") -> dict:
    def instant(text: str) -> pd.Timestamp:
        if text.endswith("Z"):
            return pd.Timestamp(text[:-1], tz="UTC")
        return pd.Timestamp(text, tz="Europe/Kyiv").tz_convert("UTC")

    return {
        "source": "hand",
        "source_row": 0,
        "region_code": region,
        "level": level,
        "start": instant(start),
        "end": instant(end),
        "imputed_end": imputed,
    }


def _hours(rows: list[dict]) -> dict[tuple[str, str], float]:
    table = alert_hours_table(conform_alerts(pd.DataFrame(rows)))
    return {
        (code, day.isoformat()): hours
        for code, day, hours in table[["region_code", "date", "alert_hours"]].itertuples(
            index=False
        )
    }


def test_overlapping_alerts_merge_and_split_at_kyiv_midnight_across_the_spring_change():
    hours = _hours(
        [
            # Odesa oblast from 22:30 to 01:00 across midnight: 1.5 h on the 30th, 1 h on the 31st.
            _alert("UA-51", "2024-03-30 22:30", "2024-03-31 01:00", level="oblast"),
            # A raion of it inside that alert adds nothing; a second raion overlapping the end
            # extends it by a quarter of an hour.
            _alert("UA-51", "2024-03-31 00:10", "2024-03-31 00:40"),
            _alert("UA-51", "2024-03-31 00:50", "2024-03-31 01:15"),
            # 02:30 to 04:30 on the night the clocks jump from 03:00 to 04:00: one hour.
            _alert("UA-51", "2024-03-31 02:30", "2024-03-31 04:30", level="hromada"),
            # Kyiv under alert the whole day: 23 hours.
            _alert("UA-30", "2024-03-31 00:00", "2024-04-01 00:00", level="oblast"),
        ]
    )
    assert hours[("UA-51", "2024-03-30")] == pytest.approx(1.5)
    assert hours[("UA-51", "2024-03-31")] == pytest.approx(1.25 + 1.0)
    assert hours[("UA-30", "2024-03-31")] == pytest.approx(23.0)
    assert hours[("UA-30", "2024-03-30")] == 0.0  # in the span, no alert: zero hours
    assert np.isnan(hours[("UA-05", "2024-03-31")])  # never in the files: no data


def test_the_autumn_night_has_25_hours():
    hours = _hours(
        [
            # 02:00 summer time to 05:00 winter time: 23:00Z to 03:00Z, four hours.
            _alert("UA-63", "2024-10-27 02:00", "2024-10-27 05:00"),
            _alert("UA-30", "2024-10-27 00:00", "2024-10-28 00:00", level="oblast"),
            # Ends exactly at midnight: nothing on the next day.
            _alert("UA-63", "2024-10-27 23:00", "2024-10-28 00:00"),
        ]
    )
    assert hours[("UA-63", "2024-10-27")] == pytest.approx(5.0)
    assert hours[("UA-30", "2024-10-27")] == pytest.approx(25.0)
    assert ("UA-63", "2024-10-28") not in hours  # the span ends with the last alert's day


def test_hours_only_imputed_ends_cover_are_reported_apart():
    rows = [
        _alert("UA-48", "2024-05-01 10:00", "2024-05-01 10:20"),
        _alert("UA-48", "2024-05-01 10:10", "2024-05-01 10:40", imputed=True),
    ]
    table = alert_hours_table(conform_alerts(pd.DataFrame(rows)))
    row = table[table["region_code"].eq("UA-48")].iloc[0]
    assert row["alert_hours"] == pytest.approx(40 / 60)
    assert row["imputed_hours"] == pytest.approx(20 / 60)


def test_a_region_under_a_permanent_alert_has_no_data_from_that_day():
    rows = [
        _alert("UA-09", "2022-04-01 10:00", "2022-04-01 11:00", level="oblast"),
        _alert("UA-30", "2022-04-06 10:00", "2022-04-06 11:00", level="oblast"),
    ]
    hours = _hours(rows)
    assert hours[("UA-09", "2022-04-01")] == pytest.approx(1.0)
    assert hours[("UA-09", "2022-04-03")] == 0.0
    # Luhansk's permanent alert began on 2022-04-04 (16:45 UTC): no data from that day on.
    assert np.isnan(hours[("UA-09", "2022-04-04")])
    assert np.isnan(hours[("UA-09", "2022-04-06")])


def test_merged_intervals_answer_whether_an_instant_was_under_alert():
    rows = [
        _alert("UA-51", "2024-03-30T20:00Z", "2024-03-30T21:00Z"),
        _alert("UA-51", "2024-03-30T20:30Z", "2024-03-30T22:00Z"),
        _alert("UA-51", "2024-03-31T01:00Z", "2024-03-31T02:00Z"),
    ]
    merged = merge_alerts(conform_alerts(pd.DataFrame(rows)))
    odesa = REGION_CODES.index("UA-51")
    assert merged.indptr[odesa + 1] - merged.indptr[odesa] == 2
    probe = pd.to_datetime(
        ["2024-03-30T21:30Z", "2024-03-30T22:00Z", "2024-03-31T01:59Z", "2024-03-30T19:59Z"]
    ).as_unit("ns")
    assert merged.under_alert(odesa, probe.asi8).tolist() == [True, False, True, False]


def test_the_odesa_alerts_of_the_real_excerpt_count_once():
    # 2022-03-16 in Kyiv (UTC+2): 00:55:03-02:35:50Z, 03:41:19-04:17:23Z, and the oblast with
    # all seven raions between 09:40:01 and 10:22:17Z, counted once: 6047 + 2164 + 2536 s.
    alerts = import_file(OFFICIAL).alerts
    table = alert_hours_table(alerts)
    day = table[table["region_code"].eq("UA-51") & table["date"].eq(date(2022, 3, 16))]
    assert day["alert_hours"].iloc[0] == pytest.approx((6047 + 2164 + 2536) / 3600)
    odesa = alerts[alerts["region_code"].eq("UA-51")]
    summed = (odesa["end"] - odesa["start"]).dt.total_seconds()
    assert summed[odesa["start"].dt.day.eq(16)].sum() / 3600 > 5  # what summing would claim
    assert (
        table.groupby("region_code")["alert_hours"].count()[["UA-09", "UA-40", "UA-43"]].eq(0).all()
    )


def test_the_map_metric_sums_the_days_in_range_and_keeps_no_data_apart():
    rows = [
        _alert("UA-51", "2024-03-30 22:30", "2024-03-31 01:00", level="oblast"),
        _alert("UA-30", "2024-04-02 10:00", "2024-04-02 12:00", level="oblast"),
    ]
    prepared = prepare(
        model.empty_events(), model.empty_event_regions(), conform_alerts(pd.DataFrame(rows))
    )
    whole = region_metric(
        prepared, Filters(start=date(2024, 3, 1), end=date(2024, 4, 30)), "alert_hours"
    )
    assert whole["UA-51"] == pytest.approx(2.5)
    assert whole["UA-30"] == pytest.approx(2.0)
    assert np.isnan(whole["UA-05"])
    first_day = region_metric(
        prepared, Filters(start=date(2024, 3, 31), end=date(2024, 3, 31)), "alert_hours"
    )
    assert first_day["UA-51"] == pytest.approx(1.0)
    assert first_day["UA-30"] == 0.0
    outside = region_metric(
        prepared, Filters(start=date(2025, 1, 1), end=date(2025, 1, 2)), "alert_hours"
    )
    assert outside.isna().all()


def test_no_alerts_give_no_days():
    daily = daily_alert_hours(conform_alerts(None))
    assert daily.hours.shape == (0, 27)
