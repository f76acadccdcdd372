"""The translator, the language in the URL and the builders in Ukrainian (no Streamlit)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from oblastwatch.i18n import ENGLISH, Translator, language_from_locale, translator
from oblastwatch.present import figures, url_params
from oblastwatch.present.maps.layers import region_tooltip
from oblastwatch.present.maps.legend import legend_bins, value_text
from oblastwatch.present.plot_locale import date_ticks
from oblastwatch.present.vocabulary import category_labels, metric_info

UK = translator("uk")


@pytest.mark.parametrize(
    ("n", "text"),
    [(1, "1 хвиля"), (2, "2 хвилі"), (4, "4 хвилі"), (5, "5 хвиль"), (11, "11 хвиль"),
     (21, "21 хвиля"), (22, "22 хвилі"), (112, "112 хвиль")],
)  # fmt: skip
def test_ukrainian_counts_take_their_three_plural_forms(n, text):
    assert value_text(float(n), "waves", UK) == text


def test_english_counts_keep_their_two_forms():
    assert value_text(1.0, "waves") == "1 wave"
    assert value_text(3.0, "waves") == "3 waves"


def test_numbers_and_fractions_are_written_the_ukrainian_way():
    assert value_text(1234.0, "incidents", UK) == "1\xa0234 інциденти"
    assert value_text(2.5, "hours under alert", UK) == "2,5 години тривоги"
    assert value_text(float("nan"), "waves", UK) == "немає повідомлень"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unsupported language"):
        Translator("ru")


def test_browser_locale_picks_ukrainian_only_for_uk():
    assert language_from_locale("uk-UA") == "uk"
    assert language_from_locale("en-GB") == "en"
    assert language_from_locale("ru-UA") == "en"
    assert language_from_locale("") == "en"


def test_lang_parameter_is_read_validated_and_written_first():
    parsed = url_params.parse_query_params({"lang": "uk", "region": "UA-51"}, metrics=["waves"])
    assert (parsed.lang, parsed.region, parsed.notices) == ("uk", "UA-51", ())
    bad = url_params.parse_query_params({"lang": "ru"}, metrics=["waves"])
    assert bad.lang is None
    assert "lang" in bad.notices[0]
    params = url_params.to_query_params(region="UA-51", lang="uk")
    assert list(params) == ["lang", "region"]


def test_url_notices_are_written_in_the_readers_language():
    parsed = url_params.parse_query_params({"bogus": "1"}, metrics=["waves"], t=UK)
    assert parsed.notices == ("Пропущено невідомий параметр адреси bogus.",)


def test_metric_and_category_names_follow_the_air_force_terms():
    assert metric_info("waves", UK).label == "Хвилі атак"
    assert category_labels(UK)["cruise missile"] == "крилата ракета"
    assert category_labels(UK)["ballistic missile"] == "балістична ракета"
    assert category_labels(ENGLISH)["drone"] == "drone"


def test_region_tooltip_leads_with_the_name_in_the_readers_language():
    tooltip = region_tooltip("Odesa Oblast", "Одеська область", "Хвилі", "3 хвилі", language="uk")
    assert tooltip.index("Одеська область") < tooltip.index("Odesa Oblast")
    assert '<strong lang="uk">Одеська область</strong>' in tooltip


def test_legend_rows_are_translated():
    labels = [entry.label for entry in legend_bins(pd.Series([0.0, 0.5, float("nan")]), t=UK)]
    assert labels[0] == "Немає повідомлень"
    assert labels[-1].startswith("до ")


def test_ukrainian_date_ticks_name_the_months_in_ukrainian():
    values, labels = date_ticks(date(2025, 11, 20), date(2026, 4, 10), UK)
    assert values[0] == "2025-12-01"
    assert labels[1].startswith("січ. 2026")
    assert len(values) == len(labels) <= 10


def test_timeline_figure_in_ukrainian_has_ukrainian_titles_ticks_and_lanes():
    days = pd.date_range("2026-01-01", "2026-03-31", freq="D")
    daily = pd.DataFrame(
        {
            "drones_launched": 100.0,
            "drones_destroyed": 90.0,
            "missiles_launched": 5.0,
            "missiles_destroyed": 3.0,
            "waves": 1.0,
        },
        index=days,
    )
    talks = pd.DataFrame(
        columns=["event_id", "first_day", "last_day", "lane", "kind", "title", "format"]
    )
    fig = figures.timeline_figure(daily, talks, t=UK)
    titles = [a.text for a in fig.layout.annotations]
    assert "Ударні БпЛА за добу (запущено, збито/подавлено)" in titles
    assert [trace.name for trace in fig.data][:2] == ["БпЛА запущено", "БпЛА збито/подавлено"]
    assert fig.layout.xaxis3.ticktext[0].startswith("1 січ.")
    assert fig.layout.yaxis.ticktext[-1] == "Росія–Україна"
    assert fig.layout.separators == ", "
    assert "%d.%m.%Y" in fig.data[0].hovertemplate


def test_event_codes_missing_in_a_table_become_empty_cells():
    # An imported row without a weapon category is <NA>, not a string.
    from oblastwatch.present.vocabulary import labelled

    column = pd.Series(["drone", pd.NA, None, "cruise missile"], dtype="string")
    assert [labelled(v, category_labels(UK)) for v in column] == [
        "ударний БпЛА",
        "",
        "",
        "крилата ракета",
    ]
