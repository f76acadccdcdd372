"""AppTest fixtures: the real app.py frame with its pages, on a private empty data directory.

Helpers for reading a run live in ``apptest_helpers.py``; import them from there, never from
``conftest`` (when tests/app and tests/e2e run in one session both are called ``conftest`` and
only one of them is importable by that name).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

REPO = Path(__file__).resolve().parents[2]
APP = REPO / "app.py"
TIMEOUT_S = 60


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.apptest)


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    directory = tmp_path / "data"
    directory.mkdir()
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(directory))
    monkeypatch.delenv("OBLASTWATCH_TILES_URL", raising=False)
    return directory


@pytest.fixture
def app_test(data_dir):
    """A factory: ``app_test(page="pages/region.py", region="UA-51")`` -> AppTest after one run."""

    def make(page: str | None = None, **query: str) -> AppTest:
        at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_S)
        at.query_params.update(query)
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        if page is not None:
            at.switch_page(page)
            at.run()
            assert not at.exception, [e.value for e in at.exception]
        return at

    return make
