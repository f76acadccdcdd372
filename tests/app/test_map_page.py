"""AppTest: the Map page (st_folium clicks injected as the component would return them)."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import frame_with, texts

from oblastwatch.present.maps.legend import format_number
from oblastwatch.query.metrics import METRICS
from oblastwatch.ui import state

RANGE = {"start": "2026-02-01", "end": "2026-03-14"}


def _map(at):
    return next(e for e in at.main if getattr(e, "type", None) == "component_instance")


def _click(at, code: str) -> None:
    at.session_state[_map(at).key] = {
        "last_active_drawing": {"type": "Feature", "geometry": None, "properties": {"code": code}}
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def _regions_hit(at) -> str:
    return next(m.value for m in at.markdown if "of 27 regions" in m.value)


def test_map_page_loads_on_the_bundled_data_with_regions_hit(app_test):
    at = app_test()
    assert at.title[0].value == "Regions hit"
    hit = int(_regions_hit(at).split("**")[1].split(" of")[0])
    assert hit > 0, "the latest 30 days of the bundled data must show regions hit"
    legend = next(m.value for m in at.markdown if 'data-testid="ow-legend"' in m.value)
    assert "No reports" in legend
    assert "Click a region" in texts(at)


def test_changing_the_date_range_changes_the_numbers(app_test):
    at = app_test(start="2025-01-01", end="2026-03-19")
    wide = _regions_hit(at)
    at.date_input(key=state.DATE_WIDGET).set_value((date(2026, 3, 1), date(2026, 3, 3))).run()
    assert not at.exception
    assert _regions_hit(at) != wide
    assert at.query_params["start"] == "2026-03-01"


def test_preset_buttons_set_the_range(app_test):
    at = app_test(**RANGE)
    at.button(key="preset_7").click().run()
    first, last = at.session_state[state.DATE_RANGE]
    assert (last - first).days == 6
    at.button(key="preset_all").click().run()
    first_all, last_all = at.session_state[state.DATE_RANGE]
    assert first_all < first
    assert last_all == last


@pytest.mark.parametrize("metric", list(METRICS))
def test_every_metric_renders(app_test, metric):
    at = app_test(metric=metric, **RANGE)
    assert at.selectbox(key=state.METRIC_WIDGET).value == metric
    assert METRICS[metric].label.lower() in _regions_hit(at)


def test_metric_selector_writes_the_url(app_test):
    at = app_test(**RANGE)
    at.selectbox(key=state.METRIC_WIDGET).set_value("weapons").run()
    assert at.query_params["metric"] == "weapons"


def test_clicking_a_region_shows_its_details_and_clear_removes_them(app_test):
    at = app_test(**RANGE)
    _click(at, "UA-51")
    assert at.session_state[state.REGION] == "UA-51"
    assert at.query_params["region"] == "UA-51"
    assert at.header[0].value == "Odesa Oblast (Одеська область)"
    events = frame_with(at, "roles")
    assert len(events) > 0
    assert events["date"].is_monotonic_decreasing
    assert events["source_url"].dropna().str.startswith("http").all()
    at.button(key="clear_region").click().run()
    assert at.session_state[state.REGION] is None
    assert "region" not in at.query_params
    assert "Click a region" in texts(at)


def test_region_in_url_restores_the_details_panel(app_test):
    at = app_test(region="UA-30", **RANGE)
    assert at.header[0].value == "Kyiv (Київ)"


def test_invalid_parameters_show_a_notice_and_keep_defaults(app_test):
    at = app_test(region="UA-00", metric="deaths", start="2026-02-30", end="x")
    notices = " ".join(w.value for w in at.warning)
    for name in ("region", "metric", "start"):
        assert f"parameter {name}" in notices
    assert at.session_state[state.REGION] is None
    assert at.session_state[state.METRIC] == next(iter(METRICS))
    at.button(key="dismiss_url_notices").click().run()
    assert not at.main.warning  # the sidebar keeps its data-age warning (old bundled data)


def test_not_on_map_statement_is_shown(app_test):
    at = app_test(**RANGE)
    caption = " ".join(c.value for c in at.caption)
    assert "on the map" in caption


def _legend(at) -> str:
    return next(m.value for m in at.markdown if 'data-testid="ow-legend"' in m.value)


def test_per_people_in_the_link_shows_rates_with_their_dated_denominator(app_test):
    at = app_test(per="people", **RANGE)
    assert at.radio(key=state.PER_WIDGET).value == "people"
    legend = _legend(at)
    assert "waves per 100,000 residents, 1 Jan 2022 estimate, pre-war" in legend
    assert "Autonomous Republic of Crimea and Sevastopol: 1 Jan 2014 estimate" in legend
    # The caveats sit in the "About these rates" popover beside the choice.
    assert "displaced" in texts(at)
    assert "Occupied areas" in texts(at)


def test_choosing_per_area_redraws_and_writes_the_link(app_test):
    at = app_test(**RANGE)
    assert "per 1,000" not in _legend(at)
    at.radio(key=state.PER_WIDGET).set_value("area").run()
    assert not at.exception
    assert at.query_params["per"] == "area"
    assert "waves per 1,000 km², area of the simplified map outlines" in _legend(at)
    at.radio(key=state.PER_WIDGET).set_value("raw").run()
    assert "per" not in at.query_params


def test_days_are_a_count_only_and_the_choice_comes_back_for_waves(app_test):
    at = app_test(metric="days", per="people", **RANGE)
    fixed = at.radio(key="per_input_count_only")
    assert fixed.disabled
    assert fixed.value == "raw"
    assert "residents" not in _legend(at)
    at.selectbox(key=state.METRIC_WIDGET).set_value("waves").run()
    assert at.radio(key=state.PER_WIDGET).value == "people"
    assert "residents" in _legend(at)


def test_a_clicked_region_shows_its_rate_count_and_figure(app_test):
    at = app_test(per="people", **RANGE)
    _click(at, "UA-30")
    metric = next(m for m in at.metric if "per 100,000 residents" in m.label)
    assert metric.label == "Attack waves per 100,000 residents"
    caption = " ".join(c.value for c in at.caption)
    assert "2,952,301 residents (1 Jan 2022 estimate, pre-war)" in caption
    waves = int(re.search(r"(\d+) waves?; 2,952,301 residents", caption).group(1))
    assert metric.value == format_number(waves / 2_952_301 * 100_000)


def _table_of(rows: int, limit: int) -> None:
    import pandas as pd

    from oblastwatch.ui import tables

    events = pd.DataFrame(
        {
            "date": pd.date_range("2024-01-01", periods=rows, freq="D"),
            "title": [f"event {i}" for i in range(rows)],
        }
    )
    tables.events_table(events, key="t", limit=limit, more="The region page lists them all.")


def test_a_long_events_table_sends_only_the_newest_rows():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_table_of, args=(600, 500))
    at.run()
    assert not at.exception
    shown = at.dataframe[0].value
    assert len(shown) == 500
    assert str(shown["date"].iloc[0]) == "2025-08-22"  # the newest of 600 days from 2024-01-01
    assert [c.value for c in at.caption] == [
        "The newest 500 of 600 events are shown. The region page lists them all."
    ]
    short = AppTest.from_function(_table_of, args=(20, 500))
    short.run()
    assert len(short.dataframe[0].value) == 20
    assert not short.caption


def _region_chart_title(at) -> str:
    chart = at.get("vega_lite_chart")[0]
    return json.loads(chart.proto.spec)["title"]["text"]


def test_the_region_chart_shows_weeks_over_a_long_range_and_days_over_a_short_one(app_test):
    # Over 14 months a day's bar would be under a pixel wide on the panel's chart.
    long = app_test(region="UA-30", start="2025-01-01", end="2026-03-19")
    assert "per week" in _region_chart_title(long)
    short = app_test(region="UA-30", **RANGE)
    assert "per day" in _region_chart_title(short)


def test_the_map_loads_the_outlines_as_a_file_the_app_serves(app_test):
    # st_folium sends its arguments on every rerun; the outlines (most of the map) are a
    # static file instead, loaded once per page.
    at = app_test(**RANGE)
    args = json.loads(_map(at).proto.json_args)
    (outlines,) = [link for link in args["js_links"] if "/outlines/" in link]
    assert re.fullmatch(r"/app/static/outlines/[0-9a-f]{16}\.js", outlines)
    served = Path(__file__).resolve().parents[2] / "static" / outlines.removeprefix("/app/static/")
    assert served.read_text(encoding="utf-8").startswith("window.owOutlines = {")
    assert "window.owOutlines" in args["script"]
    assert '"FeatureCollection"' not in args["script"]
    assert len(args["script"]) < 40_000


def test_stale_elements_turn_pale_in_one_step_not_a_fade(app_test):
    # A 1 s fade redraws every stale element about 60 times a second; with twenty readers on
    # two cores the fades took CPU from the runs (docs/performance.md).
    at = app_test(**RANGE)
    styles = [e.proto.body for e in at.get("html") if "<style>" in e.proto.body]
    assert any('[data-stale="true"]' in s and "transition-duration: 0s" in s for s in styles)
