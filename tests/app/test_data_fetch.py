"""AppTest: the Data page's "Get the latest Air Force figures" (from a local copy, never Kaggle)."""

from __future__ import annotations

import shutil
from pathlib import Path

from apptest_helpers import frame_with, texts

from oblastwatch.importers import mma_source
from oblastwatch.ui.fetch import BUTTON_LABEL, FETCH_FROM_ENV

PAGE = "pages/data.py"
MMA = Path(__file__).resolve().parents[1] / "data" / "mma"


def test_licence_is_shown_before_the_first_download(app_test):
    at = app_test(page=PAGE)
    assert BUTTON_LABEL in [button.label for button in at.button]
    infos = [info.value for info in at.info]
    assert any("CC BY-NC-SA 4.0" in text and mma_source.KAGGLE_URL in text for text in infos)


def test_the_button_fetches_imports_and_shows_the_new_data(app_test, data_dir, monkeypatch):
    monkeypatch.setenv(FETCH_FROM_ENV, str(MMA / "current.csv"))
    at = app_test(page=PAGE)
    assert "mma" not in set(frame_with(at, "licence")["name"])
    at.button(key="fetch_mma_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert "7 rows, 2024-02-28 to 2026-02-26" in shown
    assert "first fetch" in shown
    assert "Imported 7 of 10 rows" in shown  # the import report, rejected rows listed below
    assert list(frame_with(at, "reason")["row"]) == [6, 7, 8]
    sources = frame_with(at, "licence")
    fetched = sources[sources["name"] == "mma"]
    assert fetched["rows"].tolist() == [7]
    assert "CC BY-NC-SA 4.0" in fetched["licence"].iloc[0]


def test_a_failed_fetch_is_one_line_and_the_data_stays(app_test, data_dir, monkeypatch, tmp_path):
    monkeypatch.setenv(FETCH_FROM_ENV, str(MMA / "current.csv"))
    at = app_test(page=PAGE)
    at.button(key="fetch_mma_button").click().run()
    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(MMA / "catalog.csv", broken / "catalog.csv")
    monkeypatch.setenv(FETCH_FROM_ENV, str(broken))
    at.button(key="fetch_mma_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [error.value for error in at.error]
    assert len(errors) == 1
    assert "\n" not in errors[0]
    assert "missile_attacks_daily.csv is not in the dataset" in errors[0]
    assert errors[0].endswith("The data already loaded is unchanged.")
    fetched = frame_with(at, "licence")
    assert fetched[fetched["name"] == "mma"]["rows"].tolist() == [7]
