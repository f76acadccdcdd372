"""AppTest: public (read-only) mode. No page offers a write; crafted state cannot reach one;
data the operator imports on the server shows on the readers' next rerun."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_helpers import frame_with, texts
from streamlit.testing.v1 import AppTest

from oblastwatch.cli import main
from oblastwatch.storage.imported import imported_datasets
from oblastwatch.ui import access

REPO = Path(__file__).resolve().parents[2]
MMA = REPO / "tests" / "data" / "mma"
PAGES = (
    "pages/map.py",
    "pages/timeline.py",
    "pages/region.py",
    "pages/talks_effect.py",
    "pages/compare.py",
    "pages/data.py",
    "pages/about.py",
)
# Keys of the widgets that change the data, and the prefixes of per-dataset ones.
WRITE_KEYS = (
    "import_upload",
    "import_upload_button",
    "import_path",
    "import_path_button",
    "import_url",
    "import_url_button",
    "import_format",
    "fetch_mma_button",
)
WRITE_PREFIXES = ("remove_", "template_")


@pytest.fixture
def public(monkeypatch):
    monkeypatch.setenv(access.PUBLIC_ENV, "1")


def _keys(at: AppTest) -> set[str]:
    found: set[str] = set()
    for kind in ("button", "text_input", "selectbox", "file_uploader", "download_button"):
        for element in at.get(kind):
            key = getattr(element, "key", None) or getattr(element, "id", None)
            if key:
                found.add(str(key))
    return found


def _saved_one(data_dir: Path) -> Path:
    assert main(["import", str(MMA / "current.csv"), "--out", str(data_dir / "mine")]) == 0
    return data_dir / "mine"


@pytest.mark.parametrize("page", PAGES)
def test_no_page_offers_a_write_in_public_mode(public, app_test, data_dir, page):
    _saved_one(data_dir)
    at = app_test(page=page)
    keys = _keys(at)
    assert not (keys & set(WRITE_KEYS)), keys & set(WRITE_KEYS)
    assert not [k for k in keys if k.startswith(WRITE_PREFIXES)]
    assert not at.get("file_uploader")
    labels = {button.label for button in at.button}
    assert not labels & {"Remove", "Import upload", "Get the latest Air Force figures"}


def test_the_data_page_lists_datasets_with_licences_and_ages_read_only(public, app_test, data_dir):
    _saved_one(data_dir)
    at = app_test(page="pages/data.py")
    sources = frame_with(at, "licence")
    assert {"curated-talks", "curated-strikes", "mine"} <= set(sources["name"])
    assert sources["age_days"].notna().all()
    shown = texts(at)
    assert access.READ_ONLY_MESSAGE in shown
    assert str(data_dir) not in [code.value for code in at.code]  # no server path either


def test_public_mode_also_comes_from_the_secrets(app_test, data_dir):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.secrets[access.SECRETS_SECTION] = {"public": True}
    at.run()
    at.switch_page("pages/data.py")
    at.run()
    assert not at.exception
    assert "fetch_mma_button" not in _keys(at)
    assert access.READ_ONLY_MESSAGE in texts(at)


def _script_calling_the_writers(data_dir: str, mma_csv: str) -> None:
    """Run as an AppTest script: every write entry point called directly, as a forged rerun
    or session state would reach it."""
    from pathlib import Path

    import streamlit as st

    from oblastwatch.ui import fetch, imports

    imports.remove_imported(Path(data_dir) / "mine")
    st.text(
        f"imported: {imports.run_import(lambda tmp, report: Path(mma_csv), name='forged', fmt='auto', origin='x')}"
    )
    st.text(f"fetched: {fetch.run_fetch(mma_csv)}")


def test_crafted_calls_cannot_write(public, data_dir):
    saved = _saved_one(data_dir)
    at = AppTest.from_function(
        _script_calling_the_writers, args=(str(data_dir), str(MMA / "current.csv"))
    )
    at.run(timeout=60)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.text] == ["imported: False", "fetched: False"]
    assert [e.value for e in at.error] == [access.READ_ONLY_MESSAGE] * 2
    assert at.session_state["ow_remove_error"] == access.READ_ONLY_MESSAGE
    assert [p.name for p in imported_datasets(data_dir)] == [saved.name]


def test_crafted_url_parameters_do_not_open_a_write(public, app_test, data_dir):
    at = app_test(
        page="pages/data.py",
        import_path="/etc/passwd",
        import_url="http://127.0.0.1/x.csv",
        fetch_mma_button="true",
        remove_mine="true",
    )
    assert not (_keys(at) & set(WRITE_KEYS))
    assert imported_datasets(data_dir) == []


def test_data_the_operator_imports_shows_on_the_next_rerun_without_a_restart(
    public, app_test, data_dir
):
    at = app_test(page="pages/data.py")
    assert "mine" not in set(frame_with(at, "licence")["name"])
    _saved_one(data_dir)  # the operator, on the server: oblastwatch import ... --out DATA/mine
    at.run()
    assert not at.exception
    fetched = frame_with(at, "licence")
    assert fetched.loc[fetched["name"] == "mine", "rows"].tolist() == [7]


def test_writers_are_offered_when_not_public(app_test, data_dir, monkeypatch):
    monkeypatch.delenv(access.PUBLIC_ENV, raising=False)
    _saved_one(data_dir)
    keys = _keys(app_test(page="pages/data.py"))
    assert {"fetch_mma_button", "import_upload_button", "remove_mine"} <= keys
