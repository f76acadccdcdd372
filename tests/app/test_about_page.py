"""AppTest: the About page."""

from __future__ import annotations

from apptest_helpers import texts

from oblastwatch.query.metrics import METRICS

PAGE = "pages/about.py"


def test_about_page_loads_and_explains_every_metric(app_test):
    at = app_test(page=PAGE)
    assert at.title[0].value == "About oblastwatch"
    table = at.table[0].value
    assert list(table["Metric"]) == [info.label for info in METRICS.values()]


def test_about_page_states_limits_sources_and_licences(app_test):
    text = texts(app_test(page=PAGE))
    for phrase in (
        "claims",
        "macro-region",
        "blurred",
        "Natural Earth",
        "CC BY-NC-SA 4.0",
        "How to cite",
    ):
        assert phrase in text, phrase


def test_about_page_keeps_the_shared_filters_in_the_sidebar(app_test):
    at = app_test(page=PAGE)
    assert at.date_input(key="date_range_input").value is not None
