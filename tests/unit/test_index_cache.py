"""The prepared index saved on disk: same answers as a fresh build, frames read only on demand,
rebuilt whenever the data or the index files change."""

from __future__ import annotations

import sys
from dataclasses import fields
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from oblastwatch.domain.model import EVENT_KINDS
from oblastwatch.importers.report import ImportReport, ImportResult
from oblastwatch.query import index_cache
from oblastwatch.query.build import prepare
from oblastwatch.query.coverage import kinds_present, weapon_categories_present
from oblastwatch.query.diplomacy import diplomatic_events
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents, StrikeTable
from oblastwatch.query.metrics import METRICS, not_on_map_summary, region_metric
from oblastwatch.query.rows import filter_events, region_events
from oblastwatch.query.series import daily_attack_counts
from oblastwatch.storage import cache, store
from oblastwatch.storage.dataset import Dataset
from oblastwatch.storage.imported import save_dataset

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
import synthetic  # noqa: E402  (bench/ is not a package)

WHOLE_SPAN = Filters(date(2022, 1, 1), date(2026, 12, 31))


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """A user data directory holding one synthetic dataset (strikes, incidents, points), and
    an empty cache directory."""
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("OBLASTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    _save_synthetic(tmp_path / "data" / "synthetic", n=2_000, seed=7)
    return tmp_path / "data"


def _save_synthetic(directory: Path, *, n: int, seed: int) -> None:
    events, regions = synthetic.synthetic_events(n, seed=seed, source=directory.name)
    n_events = len(events)
    report = ImportReport(directory.name, "synthetic", "canonical", n_events, n_events)
    save_dataset(directory, ImportResult(events, regions, report))


class CountingLoader:
    """``store.load_all`` that counts its calls (how often the frames were read)."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> Dataset:
        self.calls += 1
        return store.load_all()


def _cached(loader: CountingLoader) -> PreparedEvents:
    return index_cache.prepared_events(index_cache.data_fingerprint(), loader)


def test_an_index_read_back_gives_every_array_and_answer_of_a_fresh_build(data_dir):
    built = _cached(CountingLoader())
    loader = CountingLoader()
    read = _cached(loader)
    assert loader.calls == 0  # read from disk, not built
    for f in fields(PreparedEvents):
        if isinstance(getattr(built, f.name), np.ndarray):
            np.testing.assert_array_equal(getattr(read, f.name), getattr(built, f.name), f.name)
    for f in fields(StrikeTable):
        np.testing.assert_array_equal(getattr(read.strikes, f.name), getattr(built.strikes, f.name))
    assert read.cumulative.keys() == built.cumulative.keys()
    for name, table in built.cumulative.items():
        np.testing.assert_array_equal(read.cumulative[name], table)
    assert (read.first_day, read.sources) == (built.first_day, built.sources)
    pd.testing.assert_frame_equal(read.diplomatic, built.diplomatic)
    for metric in METRICS:
        pd.testing.assert_series_equal(
            region_metric(read, WHOLE_SPAN, metric),
            region_metric(built, WHOLE_SPAN, metric),
        )


def test_the_first_page_needs_no_frames_and_rows_load_them_once(data_dir):
    _cached(CountingLoader())
    loader = CountingLoader()
    read = _cached(loader)
    # What the Map page, the sidebar and the timeline ask for on a first load.
    region_metric(read, WHOLE_SPAN, "waves")
    not_on_map_summary(read, WHOLE_SPAN)
    daily_attack_counts(read, WHOLE_SPAN)
    diplomatic_events(read, WHOLE_SPAN)
    assert loader.calls == 0
    events = region_events(read, WHOLE_SPAN, "UA-30")
    filter_events(read, WHOLE_SPAN)
    assert loader.calls == 1
    expected = region_events(_fresh(), WHOLE_SPAN, "UA-30")
    pd.testing.assert_frame_equal(events.reset_index(drop=True), expected.reset_index(drop=True))


def _fresh() -> PreparedEvents:
    dataset = store.load_all()
    return prepare(dataset.events, dataset.event_regions)


def test_kinds_and_weapon_categories_present_match_the_frames(data_dir):
    dataset = store.load_all()
    prepared = _cached(CountingLoader())
    kinds = set(dataset.events["kind"].dropna())
    categories = set(dataset.events["weapon_category"].dropna())
    assert kinds_present(prepared) == tuple(k for k in EVENT_KINDS if k in kinds)
    assert set(weapon_categories_present(prepared)) == categories
    # the data has something to find
    assert len(kinds) >= 3
    assert len(categories) >= 3


def test_an_import_gives_a_new_index_and_old_ones_are_pruned(data_dir):
    first = _cached(CountingLoader())
    _save_synthetic(data_dir / "second", n=500, seed=8)
    loader = CountingLoader()
    second = _cached(loader)
    assert loader.calls == 1  # new data: built, not read from the old index
    assert len(second) > len(first)
    _save_synthetic(data_dir / "third", n=300, seed=9)
    _cached(CountingLoader())
    indexes = list(cache.cache_dir().glob("index-*"))
    assert len(indexes) == 1 + cache.OTHERS_KEPT


@pytest.mark.parametrize("damage", ["truncate", "remove", "format"])
def test_a_damaged_index_is_built_again(data_dir, damage):
    built = _cached(CountingLoader())
    directory = index_cache.index_dir(index_cache.index_key(index_cache.data_fingerprint()))
    if damage == "truncate":
        path = directory / "day.npy"
        path.write_bytes(path.read_bytes()[:100])
    elif damage == "remove":
        (directory / "strikes.hit_idx.npy").unlink()
    else:
        meta = directory / "meta.json"
        meta.write_text(
            meta.read_text().replace(f'"format": {index_cache.INDEX_FORMAT}', '"format": 0')
        )
    loader = CountingLoader()
    again = _cached(loader)
    assert loader.calls == 1
    np.testing.assert_array_equal(again.day, built.day)
    _cached(loader)
    assert loader.calls == 1  # the damaged index was replaced, not rebuilt on every start


def test_frames_that_do_not_match_the_index_are_refused(data_dir):
    _cached(CountingLoader())
    key = index_cache.index_key(index_cache.data_fingerprint())
    dataset = store.load_all()
    shuffled = dataset.events.sample(frac=1.0, random_state=1)
    read = index_cache.load_index(key, lambda: shuffled)
    with pytest.raises(index_cache.IndexMismatch, match="data changed"):
        region_events(read, WHOLE_SPAN, "UA-30")
