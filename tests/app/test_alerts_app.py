"""AppTest: air-raid alerts in the app (the sirens excerpt imported into the data directory).

The map's "Alert hours" metric, the timeline's alert lane, and the region page's alert hours
and waves under alert.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import texts

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.importers import import_file
from oblastwatch.importers.report import ImportReport, ImportResult
from oblastwatch.storage.imported import save_dataset
from oblastwatch.ui import state

OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "alerts" / "official_data_en_sample.csv"
MARCH = {"start": "2022-03-15", "end": "2022-03-19"}


@pytest.fixture
def with_alerts(data_dir) -> Path:
    save_dataset(data_dir / "sirens", import_file(OFFICIAL))
    return data_dir


def _save_strikes(data_dir: Path) -> None:
    """Two waves on Odesa on 16 March 2022: one inside the excerpt's 09:40-10:22Z alert."""
    rows = [
        {"event_id": "in", "start": pd.Timestamp("2022-03-16 10:00", tz="UTC"), "wave_id": "w1"},
        {"event_id": "out", "start": pd.Timestamp("2022-03-16 13:00", tz="UTC"), "wave_id": "w2"},
    ]
    events = conform_events(
        pd.DataFrame(
            [
                {
                    **row,
                    "source": "hand",
                    "kind": "strike",
                    "date": pd.Timestamp("2022-03-16"),
                    "weapon_category": "drone",
                    "launched": 1.0,
                    "scope": "regions",
                }
                for row in rows
            ]
        )
    )
    regions = conform_event_regions(
        pd.DataFrame({"event_id": ["in", "out"], "region_code": "UA-51", "role": "target"})
    )
    report = ImportReport("hand", "hand.csv", "canonical", 2, 2)
    save_dataset(data_dir / "hand", ImportResult(events, regions, report))


def _chart(at) -> dict:
    chart = next(e for e in at.main if getattr(e, "type", None) == "plotly_chart")
    return json.loads(chart.proto.spec)


def test_alert_hours_is_a_map_metric(app_test, with_alerts):
    at = app_test(page="pages/map.py", metric="alert_hours", region="UA-51", **MARCH)
    assert at.selectbox(key=state.METRIC_WIDGET).value == "alert_hours"
    shown = texts(at)
    # No data for Luhansk, Crimea, Sevastopol; Kherson has no alert in the excerpt's start.
    assert "23 of 27 regions" in shown
    assert "hours under alert:" in shown  # the legend names the unit
    odesa = next(m for m in at.metric if m.label == "Alert hours")
    assert odesa.value == "6"


def test_the_timeline_has_an_alert_lane_for_the_average_and_the_chosen_region(
    app_test, with_alerts
):
    at = app_test(page="pages/timeline.py", region="UA-51", **MARCH)
    figure = _chart(at)
    names = [trace.get("name") for trace in figure["data"]]
    assert "Alert hours, average region" in names
    assert "Alert hours, Odesa Oblast (Одеська область)" in names
    lane = next(t for t in figure["data"] if t.get("name") == "Alert hours, average region")
    assert lane["yaxis"] == "y4"
    assert figure["layout"]["yaxis4"]["range"] == [0, 25]
    assert any("Alert lane" in caption.value for caption in at.caption)


def test_without_alerts_the_timeline_has_no_alert_lane(app_test):
    at = app_test(page="pages/timeline.py", **MARCH)
    names = [trace.get("name") for trace in _chart(at)["data"]]
    assert not any(str(name).startswith("Alert hours") for name in names)


def test_the_region_page_shows_alert_hours_and_waves_under_alert(app_test, with_alerts):
    _save_strikes(with_alerts)
    at = app_test(page="pages/region.py", region="UA-51", start="2022-03-16", end="2022-03-16")
    metrics = {m.label: m.value for m in at.metric}
    # 6047 + 2164 + 2536 seconds of merged alerts on that Kyiv day: about 3 hours.
    assert metrics["Alert hours"] == "3"
    assert metrics["Waves with an alert running"] == "50% (1 of 2)"
    assert metrics["Attack waves"] == "2"


def test_the_data_page_imports_an_alerts_file(app_test, data_dir):
    at = app_test(page="pages/data.py")
    at.text_input(key="import_name").set_value("sirens")
    at.text_input(key="import_path").set_value(str(OFFICIAL)).run()
    at.button(key="import_path_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Imported 927 of 927 rows" in texts(at)
    assert any("swapped" in note for note in [str(e.value) for e in at.markdown] + [texts(at)])
    sources = next(e.value for e in at.dataframe if "licence" in e.value.columns)
    row = sources[sources["name"].eq("sirens")].iloc[0]
    assert row["rows"] == 927


def test_alert_hours_per_resident_names_its_denominator(app_test, with_alerts):
    at = app_test(page="pages/map.py", metric="alert_hours", per="people", **MARCH)
    shown = texts(at)
    assert "per 100,000 residents" in shown
    assert "hours under alert" in shown


def test_regions_without_alert_data_read_no_data_not_no_reports(app_test, with_alerts):
    at = app_test(page="pages/map.py", metric="alert_hours", **MARCH)
    legend = next(m.value for m in at.markdown if "hours under alert:" in m.value)
    assert "No data" in legend
    assert "No reports" not in legend
    waves = app_test(page="pages/map.py", metric="waves", **MARCH)
    assert "No reports" in next(m.value for m in waves.markdown if "waves:" in m.value)
