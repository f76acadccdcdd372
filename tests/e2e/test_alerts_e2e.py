"""Browser: with the sirens excerpt imported, the timeline draws an alert lane and the map
offers "Alert hours" (offline, like every browser test)."""

from __future__ import annotations

from pathlib import Path

from e2e_helpers import open_app, screenshot, wait_map_polygons

from oblastwatch.importers import import_file
from oblastwatch.storage.imported import save_dataset

OFFICIAL = Path(__file__).resolve().parents[1] / "data" / "alerts" / "official_data_en_sample.csv"
MARCH = "start=2022-03-15&end=2022-03-19"


def _import_alerts(server) -> None:
    # Saved before the first page load: the app reads the data directory on its first run.
    save_dataset(server.data_dir / "sirens", import_file(OFFICIAL))


def test_the_timeline_draws_the_alert_lane(page, server):
    _import_alerts(server)
    open_app(page, server, f"timeline?{MARCH}&region=UA-51")
    chart = page.get_by_test_id("stPlotlyChart")
    chart.get_by_text("Air-raid alert hours per day (Kyiv days)").wait_for()
    chart.locator(".legendtext", has_text="Alert hours, average region").wait_for()
    chart.locator(".legendtext", has_text="Alert hours, Odesa Oblast").wait_for()
    lines = chart.locator(".scatterlayer .trace path.js-line")
    assert lines.count() >= 2
    page.get_by_text("Alert lane: hours with an air-raid alert").wait_for()
    screenshot(page, "timeline_alert_lane")


def test_the_map_offers_alert_hours(page, server):
    _import_alerts(server)
    open_app(page, server, f"map?{MARCH}&metric=alert_hours")
    wait_map_polygons(page)
    legend = page.get_by_test_id("ow-legend")
    legend.get_by_text("hours under alert").wait_for()
    # Luhansk, Crimea, Sevastopol: no alert data, which is not the same as nothing reported.
    assert legend.get_by_text("No data", exact=True).is_visible()
    assert not legend.get_by_text("No reports").count()
    page.get_by_text("23 of 27 regions").wait_for()
    screenshot(page, "map_alert_hours")
