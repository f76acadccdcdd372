"""Browser: the Playback page plays offline, its fills follow the data, and a link keeps the frame.

The expected colours come from the data in the test: each region's value over the frame's date
range from ``region_metric`` (the Map page's own query, not the playback's one-pass frames)
put through the page's one colour scale.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

import pytest
from e2e_helpers import open_app, screenshot, wait_idle

from oblastwatch.cli.common import load_datasets
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present.playback.payload import frame_classification
from oblastwatch.query.build import prepare
from oblastwatch.query.codes import as_date
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric
from oblastwatch.query.playback import frame_values

PLAYER = (
    '[data-testid="stElementContainer"][data-stale="false"] '
    'iframe[title="Playback of the regions map"]'
)
FILTERS = Filters(date(2025, 1, 1), date(2025, 6, 30))
STEP, WINDOW = "day", 7
PLAYED = 10
# Pausing lands a few frames after the tenth at most (4 frames a second: 20 more frames are
# 5 s, far more than a click takes even on a busy machine); the test frame
# differs from every frame up to this many after it, so any frame paused on shows a change.
LATEST_PAUSE = PLAYED + 20


@pytest.fixture(scope="module")
def expected():
    """The bundled data's frames and, per frame, each region's expected fill colour."""
    dataset = load_datasets([], include_user_dir=False)
    prepared = prepare(dataset.events, dataset.event_regions)
    frames = frame_values(prepared, FILTERS, "waves", step=STEP, window=WINDOW)
    scale = frame_classification(frames)

    def fills(k: int) -> dict[str, str]:
        start, end = frames.frame_range(k)
        values = region_metric(prepared, replace(FILTERS, start=start, end=end), "waves")
        return {code: scale.colour(values[code]) for code in REGION_CODES}

    def talks(k: int) -> int:
        start, end = frames.frame_range(k)
        return len(diplomatic_events(prepared, replace(FILTERS, start=start, end=end)))

    # A frame whose map differs from every map PLAYED to LATEST_PAUSE frames later: playing
    # must change the fills.
    first = next(
        k
        for k in range(len(frames) - LATEST_PAUSE)
        if all(fills(k) != fills(j) for j in range(k + PLAYED, k + LATEST_PAUSE + 1))
    )
    return frames, fills, talks, first


def _player(page):
    handle = page.locator(PLAYER).element_handle()
    frame = handle.content_frame()
    frame.wait_for_selector("#ow-playback path")
    return frame


def _shown_frame(player) -> int:
    return int(player.get_attribute("#ow-playback", "data-frame"))


def _fills(player) -> dict[str, str]:
    return player.eval_on_selector_all(
        "#map path",
        "paths => Object.fromEntries(paths.map(p => [p.dataset.code, p.getAttribute('fill')]))",
    )


def test_playback_plays_ten_frames_offline_with_the_expected_fills(page, server, offline, expected):
    frames, fills, talks, first = expected
    first_day = as_date(frames.ends[first])
    open_app(
        page,
        server,
        f"playback?start={FILTERS.start}&end={FILTERS.end}&metric=waves"
        f"&step={STEP}&window={WINDOW}&frame={first_day}",
    )
    player = _player(page)
    assert _shown_frame(player) == first
    assert _fills(player) == fills(first)
    start, end = frames.frame_range(first)
    assert player.text_content("#range") == f"{start} to {end}"

    player.select_option("#speed", "4")
    player.get_by_role("button", name="Play").click()
    player.wait_for_function(
        f"Number(document.getElementById('ow-playback').dataset.frame) >= {first + PLAYED}"
    )
    player.get_by_role("button", name="Pause").click()
    shown = _shown_frame(player)
    assert first + PLAYED <= shown <= first + LATEST_PAUSE
    assert _fills(player) == fills(shown)
    assert _fills(player) != fills(first)
    start, end = frames.frame_range(shown)
    assert player.text_content("#range") == f"{start} to {end}"
    items = player.locator("#events li:not(.none)")
    assert items.count() == talks(shown)
    screenshot(page, "playback_paused")

    # Pausing wrote the frame into the address: the same link opens on the same frame.
    page.wait_for_url(re.compile(rf"frame={end}"))
    assert f"step={STEP}" in page.url
    assert f"window={WINDOW}" in page.url
    page.goto(page.url)
    wait_idle(page)
    player = _player(page)
    assert _shown_frame(player) == shown
    assert _fills(player) == fills(shown)
    assert offline.blocked == []


def test_stepping_back_shows_the_previous_frame(page, server, expected):
    frames, fills, _, first = expected
    open_app(
        page,
        server,
        f"playback?start={FILTERS.start}&end={FILTERS.end}&metric=waves"
        f"&step={STEP}&window={WINDOW}&frame={as_date(frames.ends[first + 1])}",
    )
    player = _player(page)
    assert _shown_frame(player) == first + 1
    player.get_by_role("button", name="Step back").click()
    assert _shown_frame(player) == first
    assert _fills(player) == fills(first)
    page.wait_for_url(re.compile(rf"frame={as_date(frames.ends[first])}"))
