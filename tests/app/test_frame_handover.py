"""AppTest: a page run without the frame hands over to app.py (ui/frame.py).

AppTest starts every run the way a fresh server does: with a ``pages/`` folder next to the
entry script, Streamlit routes by that folder until a run calls ``st.navigation``.
"""

from __future__ import annotations

from pathlib import Path

from apptest_helpers import texts
from streamlit.testing.v1 import AppTest

from oblastwatch.ui import state

APP = Path(__file__).resolve().parents[2] / "app.py"
TIMEOUT_S = 60


def test_a_page_opened_first_runs_inside_the_frame_with_the_url_state(data_dir):
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
    at.query_params.update(region="UA-51", start="2026-02-01", end="2026-02-28")
    # No run before the switch: the first run of the session is the Region page itself.
    at.switch_page("pages/region.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Region"
    assert at.sidebar.date_input(key=state.DATE_WIDGET).value is not None
    assert "Odesa Oblast (Одеська область), 2026-02-01 to 2026-02-28" in texts(at)
    assert at.query_params["region"] == "UA-51"
    assert state.HANDING_OVER not in at.session_state


def _tiny_app(root: Path, entry: str) -> Path:
    (root / "pages").mkdir()
    (root / "pages" / "hello.py").write_text(
        "import streamlit as st\n"
        "from oblastwatch.ui.frame import ensure_frame\n"
        "ensure_frame(__file__)\n"
        "st.write('hello from the page')\n"
    )
    (root / "app.py").write_text(entry)
    return root / "app.py"


def test_a_frame_that_marks_its_run_runs_the_page_once(tmp_path):
    entry = (
        "import streamlit as st\n"
        "from oblastwatch.ui.frame import mark_frame_run\n"
        "nav = st.navigation([st.Page('pages/hello.py', default=True)])\n"
        "st.sidebar.write('the frame')\n"
        "mark_frame_run()\n"
        "nav.run()\n"
    )
    at = AppTest.from_file(str(_tiny_app(tmp_path, entry)), default_timeout=TIMEOUT_S)
    at.switch_page("pages/hello.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert [m.value for m in at.sidebar.markdown] == ["the frame"]
    # Once: the page's own run stops after the frame has run it in the page's place.
    assert [m.value for m in at.main.markdown] == ["hello from the page"]


def test_a_frame_that_forgets_the_mark_is_an_error_not_a_loop(tmp_path):
    entry = (
        "import streamlit as st\n"
        "nav = st.navigation([st.Page('pages/hello.py', default=True)])\n"
        "nav.run()\n"
    )
    at = AppTest.from_file(str(_tiny_app(tmp_path, entry)), default_timeout=TIMEOUT_S)
    at.switch_page("pages/hello.py").run()
    assert [e.value for e in at.exception] == ["app.py ran but did not run hello.py"]
