"""The Playback payload, its component document and the animation frames (pure functions)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest
from query_tables import FEB, XSS, hand_built_tables, random_tables

from oblastwatch.domain import geo
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import ENGLISH, translator
from oblastwatch.present.maps.geometry import region_shapes
from oblastwatch.present.playback import animation
from oblastwatch.present.playback.component import playback_html
from oblastwatch.present.playback.payload import (
    VALUE_SEPARATOR,
    class_digits,
    frame_classification,
    payload_colours,
    playback_payload,
    svg_outlines,
)
from oblastwatch.query.build import prepare
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters
from oblastwatch.query.playback import frame_values


@pytest.fixture(scope="module")
def shapes():
    return region_shapes(geo.load_boundaries())


@pytest.fixture(scope="module")
def february():
    prepared = prepare(*hand_built_tables())
    frames = frame_values(prepared, FEB, "waves", step="day", window=3)
    return frames, diplomatic_events(prepared, FEB)


def _data_block(document: str) -> dict:
    found = re.search(r'<script type="application/json" id="ow-data">(.*?)</script>', document)
    assert found is not None
    return json.loads(found.group(1))


def test_every_class_digit_is_the_colour_of_its_value_on_one_scale():
    prepared = prepare(*random_tables(5))
    frames = frame_values(
        prepared, Filters(date(2026, 1, 1), date(2026, 2, 28)), "weapons", step="day", window=4
    )
    scale = frame_classification(frames)
    colours = payload_colours(scale)
    digits = class_digits(frames.values, scale)
    for value, digit in zip(frames.values.ravel(), digits.ravel(), strict=True):
        assert colours[digit] == scale.colour(value)


def test_payload_holds_one_digit_per_region_and_frame(february, shapes):
    frames, diplomatic = february
    payload = playback_payload(frames, shapes, diplomatic, label="Attack waves", unit="waves")
    assert len(payload["classes"]) == len(frames) * 27
    assert len(payload["values"]) == len(frames)
    feb10 = frames.frame_at(date(2026, 2, 10))
    ua30 = REGION_CODES.index("UA-30")
    assert payload["values"][feb10].split("|")[ua30] == "1"
    assert payload["colours"][int(payload["classes"][feb10 * 27 + ua30], 36)] != "#bdbdbd"
    # Regions without reports carry an empty value, not "nan" or "0".
    assert payload["values"][feb10].split("|")[REGION_CODES.index("UA-05")] == ""


def test_initial_frame_is_clipped_to_the_frames(february, shapes):
    frames, diplomatic = february
    payload = playback_payload(
        frames, shapes, diplomatic, label="x", unit="waves", initial_frame=10_000
    )
    assert payload["initial"] == len(frames) - 1


def test_cities_are_drawn_over_the_oblasts_around_them(shapes):
    _, regions = svg_outlines(shapes)
    order = [r["code"] for r in regions]
    assert sorted(order) == sorted(REGION_CODES)
    assert order.index("UA-30") > order.index("UA-32")  # Kyiv city over Kyiv oblast
    assert order.index("UA-40") > order.index("UA-43")  # Sevastopol over Crimea
    assert all(re.fullmatch(r"(M[-0-9.,L]+Z)+", r["path"]) for r in regions)


def test_the_document_loads_nothing_and_keeps_data_text_out_of_the_markup(february, shapes):
    frames, diplomatic = february
    diplomatic = diplomatic.assign(title=diplomatic["title"].fillna("") + "</script>" + XSS)
    document = playback_html(
        playback_payload(frames, shapes, diplomatic, label="Attack waves", unit="waves")
    )
    markup = re.sub(r'(<script type="application/json" id="ow-data">).*?(</script>)', "", document)
    assert not re.search(r"""\bsrc\s*=|<link\b|@import|url\(|fetch\(|XMLHttpRequest""", markup)
    assert XSS not in document
    assert document.count("</script>") == 2  # the data block and the script, nothing more
    assert "innerHTML" not in document
    titles = [event["title"] for event in _data_block(document)["events"]]
    assert any(title.endswith("</script>" + XSS) for title in titles)


def test_talks_caption_names_the_events_of_the_frame(february):
    _, diplomatic = february
    days = (pd.Timestamp("2026-02-18") - pd.Timestamp("1970-01-01")).days
    caption = animation._talks_caption(diplomatic, days, days, ENGLISH)
    assert caption == "Diplomatic events: Geneva: trilateral talks (2026-02-17)"
    assert animation._talks_caption(diplomatic, days + 2, days + 3, ENGLISH).endswith(
        "none in this frame."
    )


def test_the_drawn_captions_follow_the_language_the_cli_keeps_english(february):
    frames, diplomatic = february
    uk = translator("uk")
    days = (pd.Timestamp("2026-02-18") - pd.Timestamp("1970-01-01")).days
    # The event's title as the source wrote it; the words around it in Ukrainian.
    assert animation._talks_caption(diplomatic, days, days, uk) == (
        "Дипломатичні події: Geneva: trilateral talks (2026-02-17)"
    )
    assert animation._talks_caption(diplomatic, days + 2, days + 3, uk) == (
        "Дипломатичні події: у цьому кадрі немає."
    )
    weekly = replace(frames, step="week", window=7)
    assert animation._subtitle(weekly, ENGLISH) == (
        "one frame per week, 7-day window up to each week's last day"
    )
    assert animation._subtitle(weekly, uk) == (
        "один кадр на тиждень, вікно 7 днів до останнього дня кожного тижня"
    )
    assert animation._subtitle(replace(frames, window=None), uk).endswith(
        uk.gettext("cumulative since the start")
    )
    first, last = frames.frame_range(len(frames) - 1)
    stamp = animation._frame_stamp(frames, len(frames) - 1, ENGLISH)
    assert stamp == (str(first) if first == last else f"{first} to {last}")
    assert "лют." in animation._frame_stamp(frames, len(frames) - 1, uk)


def test_frames_draw_data_text_literally(february, shapes):
    frames, diplomatic = february
    diplomatic = diplomatic.assign(title="Talks on $5bn aid, $x^2$ and {braces}")
    pixels = list(
        animation.animation_frames(frames, shapes, diplomatic, label="Attack waves", unit="waves")
    )
    assert len(pixels) == len(frames)
    assert pixels[0].shape == (animation.HEIGHT, animation.WIDTH, 3)
    assert pixels[0].dtype == np.uint8


def test_ukrainian_payload_and_player_keep_every_region_value_apart(shapes):
    # Weapon counts reach thousands: "1,234" (English) and "2,5" (Ukrainian) hold a comma, so a
    # frame's values must be split on something else or every later region shifts.
    uk = translator("uk")
    prepared = prepare(*random_tables(5))
    frames = frame_values(
        prepared, Filters(date(2026, 1, 1), date(2026, 2, 28)), "weapons", step="week", window=None
    )
    assert frames.values[~np.isnan(frames.values)].max() >= 1000
    for t in (ENGLISH, uk):
        payload = playback_payload(frames, shapes, prepared.diplomatic, label="x", unit="", t=t)
        assert all(len(row.split(VALUE_SEPARATOR)) == 27 for row in payload["values"])
    names = {region["code"]: region["name"] for region in payload["regions"]}
    assert names["UA-51"] == "Одеська область"
    assert payload["legend"][0]["label"] == "Немає повідомлень"
    document = playback_html(payload, uk)
    assert '<html lang="uk">' in document
    assert 'aria-label="Відтворити">Відтворити</button>' in document
    assert _data_block(document)["text"]["pause"] == "Пауза"
