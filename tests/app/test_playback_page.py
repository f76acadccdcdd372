"""AppTest: the Playback page sends its frames once, opens on the URL's frame and makes files."""

from __future__ import annotations

import io
import json
import re
from datetime import date

from apptest_helpers import texts
from PIL import Image

from oblastwatch.ui import state

PAGE = "pages/playback.py"
RANGE = {"start": "2025-01-01", "end": "2025-06-30"}


def _payload(at) -> dict:
    frames = [e for e in at.get("iframe") if "ow-data" in e.proto.srcdoc]
    assert len(frames) == 1, "the page shows one playback component"
    found = re.search(
        r'<script type="application/json" id="ow-data">(.*?)</script>', frames[0].proto.srcdoc
    )
    assert found is not None
    return json.loads(found.group(1))


def test_playback_page_loads_with_weekly_frames_of_the_shared_range(app_test):
    at = app_test(PAGE, **RANGE)
    assert at.title[0].value == "Playback"
    payload = _payload(at)
    # 181 days from 1 January: 25 full weeks and a last frame of 6 days.
    assert len(payload["ends"]) == 26
    assert len(payload["classes"]) == 26 * 27
    assert len(payload["regions"]) == 27
    assert "26 frames, one per week, a 7-day window" in texts(at)
    assert (at.query_params["step"], at.query_params["window"]) == ("week", "7")


def test_a_link_opens_on_its_frame(app_test):
    at = app_test(PAGE, **RANGE, frame="2025-03-04", step="day", window="3")
    payload = _payload(at)
    assert (payload["step"], payload["window"]) == ("day", 3)
    initial = payload["initial"]
    assert date.fromordinal(date(1970, 1, 1).toordinal() + payload["ends"][initial]) == date(
        2025, 3, 4
    )
    assert at.query_params["frame"] == "2025-03-04"


def test_a_frame_moved_in_the_browser_is_adopted_and_nothing_else_is_reread(app_test):
    at = app_test(PAGE, **RANGE, bogus="1")
    assert "Ignored unknown URL parameter bogus" in texts(at)
    at.query_params["frame"] = "2025-02-11"  # what the component writes on pause
    at.run()
    assert not at.exception
    assert at.session_state[state.PLAYBACK_FRAME] == date(2025, 2, 11)
    # The rest of the URL was not read again: the notice about the first link stays.
    assert "Ignored unknown URL parameter bogus" in texts(at)
    payload = _payload(at)
    feb11 = (date(2025, 2, 11) - date(1970, 1, 1)).days
    assert payload["starts"][payload["initial"]] <= feb11 <= payload["ends"][payload["initial"]]


def test_step_and_cumulative_change_the_frames_and_the_url(app_test):
    at = app_test(PAGE, **RANGE)
    at.button_group(key=state.PLAYBACK_STEP_WIDGET).set_value("month").run()
    assert not at.exception
    payload = _payload(at)
    assert len(payload["ends"]) == 6
    assert payload["window"] == 30
    at.toggle(key=state.PLAYBACK_CUMULATIVE_WIDGET).set_value(True).run()
    payload = _payload(at)
    assert payload["window"] is None
    assert at.query_params["window"] == "cumulative"
    # Cumulative frames only ever add: no region's class digit goes down from one month to the next.
    classes = payload["classes"]
    for k in range(1, 6):
        before, after = classes[(k - 1) * 27 : k * 27], classes[k * 27 : (k + 1) * 27]
        assert all(int(b, 36) <= int(a, 36) for b, a in zip(before, after, strict=True))


def test_the_page_makes_a_gif_of_its_frames(app_test):
    at = app_test(PAGE, start="2025-01-01", end="2025-03-31")
    at.button_group(key=state.PLAYBACK_STEP_WIDGET).set_value("month").run()
    at.button(key="playback_make_file").click().run()
    assert not at.exception
    made = at.session_state[state.PLAYBACK_FILE]
    image = Image.open(io.BytesIO(made[1]))
    assert image.format == "GIF"
    assert image.n_frames == 3
    assert at.get("download_button"), "no download button after the file was made"
