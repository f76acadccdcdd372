"""Alerts in a saved dataset: saved and loaded whole, checked, and absent from older formats."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oblastwatch.cli import main
from oblastwatch.importers import import_file
from oblastwatch.query import index_cache
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric
from oblastwatch.storage import store
from oblastwatch.storage.dataset import StoreError
from oblastwatch.storage.files import ALERTS_FILE, META_FILE, STORE_FORMAT
from oblastwatch.storage.imported import load_dataset, save_dataset

DATA = Path(__file__).resolve().parents[1] / "data" / "alerts"
OFFICIAL = DATA / "official_data_en_sample.csv"


@pytest.fixture
def saved(tmp_path) -> Path:
    return save_dataset(tmp_path / "data" / "sirens", import_file(OFFICIAL), licence="MIT")


def test_an_alerts_dataset_loads_its_alerts_under_its_name(saved):
    loaded = load_dataset(saved)
    assert len(loaded.alerts) == 927
    assert set(loaded.alerts["source"]) == {"sirens"}
    assert loaded.events.empty
    source = loaded.sources.iloc[0]
    assert (source["rows"], source["licence"]) == (927, "MIT")
    assert source["start"] == pd.Timestamp("2022-03-15")  # Kyiv day of the first alert
    assert json.loads((saved / META_FILE).read_text())["alerts"] == 927


def test_load_all_puts_the_alerts_of_every_dataset_together(saved, tmp_path):
    volunteer = import_file(DATA / "volunteer_data_en_sample.csv")
    other = save_dataset(tmp_path / "data" / "volunteer", volunteer)
    loaded = store.load_all(extra_dirs=[saved, other], include_user_dir=False)
    assert len(loaded.alerts) == 927 + 834
    assert loaded.alerts["source"].value_counts().to_dict() == {"sirens": 927, "volunteer": 834}


def test_invalid_alerts_are_refused_and_nothing_is_written(tmp_path):
    result = import_file(OFFICIAL)
    result.alerts.loc[3, "end"] = result.alerts.loc[3, "start"]
    target = tmp_path / "data" / "bad"
    with pytest.raises(StoreError, match=r"alerts row 3, column end: .* is not after start"):
        save_dataset(target, result)
    assert not target.exists()


def test_a_format_2_dataset_loads_without_alerts_and_without_a_notice(saved):
    # What a dataset saved before alerts existed looks like: no alerts file, format 2.
    (saved / ALERTS_FILE).unlink()
    meta = json.loads((saved / META_FILE).read_text())
    (saved / META_FILE).write_text(json.dumps({**meta, "format": 2}))
    loaded = load_dataset(saved)
    assert loaded.alerts.empty
    assert loaded.notices == ()
    rewritten = json.loads((saved / META_FILE).read_text())
    assert rewritten["format"] == STORE_FORMAT == 3
    assert rewritten["migrations"][-1]["changes"] == ["empty alerts table added"]
    assert (saved / ALERTS_FILE).is_file()


def test_the_index_read_back_from_disk_keeps_the_alerts(saved, tmp_path, monkeypatch):
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(saved.parent))
    monkeypatch.setenv("OBLASTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    built = index_cache.prepared_events(index_cache.data_fingerprint(), store.load_all)
    read = index_cache.prepared_events(
        index_cache.data_fingerprint(), lambda: pytest.fail("the index was built again")
    )
    for name in ("alert_hours", "alert_imputed", "alert_start", "alert_end", "alert_indptr"):
        np.testing.assert_array_equal(getattr(read, name), getattr(built, name), name)
    assert read.alert_first_day == built.alert_first_day
    march = Filters(start=date(2022, 3, 15), end=date(2022, 3, 31))
    hours = region_metric(read, march, "alert_hours")
    assert hours["UA-51"] > 0
    assert np.isnan(hours["UA-43"])


def test_the_cli_imports_an_alerts_file_and_writes_hours_per_region_and_day(tmp_path, capsys):
    dataset = tmp_path / "sirens"
    assert main(["import", str(OFFICIAL), "--out", str(dataset)]) == 0
    out = tmp_path / "hours.csv"
    code = main(["alert-hours", "--data", str(dataset), "--no-user-data", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "regions without data: UA-09, UA-40, UA-43" in printed
    table = pd.read_csv(out, dtype={"region_code": str, "date": str})
    assert list(table.columns) == ["region_code", "date", "alert_hours", "imputed_hours"]
    assert len(table) == 27 * table["date"].nunique()
    odesa = table.set_index(["region_code", "date"]).loc[("UA-51", "2022-03-16")]
    assert odesa["alert_hours"] == pytest.approx((6047 + 2164 + 2536) / 3600, abs=1e-4)
    assert table[table["region_code"].eq("UA-43")]["alert_hours"].isna().all()


def test_the_cli_says_so_when_no_alerts_are_loaded(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "empty"))
    code = main(["alert-hours", "--no-user-data", "--out", str(tmp_path / "h.csv")])
    assert code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert "no air-raid alerts loaded" in error
    assert not (tmp_path / "h.csv").exists()
