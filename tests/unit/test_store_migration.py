"""A dataset saved before the ISO code fix (store format 1, Chernihiv stored as UA-77 and
Chernivtsi as UA-74) loads with the ISO codes, is rewritten once, and says so in one line.

The dataset is ``tests/data/store_format1/incidents``, written by ``oblastwatch import`` of the
code before the fix (its README says how).
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from oblastwatch.cli import main
from oblastwatch.importers import import_file
from oblastwatch.query import index_cache
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.metrics import region_metric
from oblastwatch.query.rows import region_events
from oblastwatch.storage import cache, migrations, store, upgrade
from oblastwatch.storage.dataset import Dataset, StoreError
from oblastwatch.storage.dataset_dir import read_saved
from oblastwatch.storage.files import (
    EVENT_REGIONS_FILE,
    EVENTS_FILE,
    META_FILE,
    REPORT_FILE,
    STORE_FORMAT,
)
from oblastwatch.storage.imported import load_dataset, save_dataset
from oblastwatch.storage.locks import locked

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "store_format1"
NOTICE = (
    "Dataset 'incidents' was saved before the ISO code fix (format 1): "
    "Chernihiv and Chernivtsi codes corrected on 3 events."
)
# Where the old import placed each row, in ISO 3166-2:UA codes.
EXPECTED_REGIONS = {
    "incidents/incidents:chernihiv": "UA-74",
    "incidents/incidents:chernivtsi": "UA-77",
    "incidents/incidents:kyiv": "UA-30",
    "incidents/incidents:chernihiv-by-name": "UA-74",
}
FILES = (EVENTS_FILE, EVENT_REGIONS_FILE, REPORT_FILE, META_FILE)


@pytest.fixture
def old_dataset(tmp_path) -> Path:
    """A copy of the format-1 dataset in a data directory of its own."""
    target = tmp_path / "data" / "incidents"
    shutil.copytree(FIXTURE / "incidents", target)
    return target


def _regions(dataset: Dataset) -> dict[str, str]:
    rows = dataset.event_regions
    return dict(zip(rows["event_id"], rows["region_code"], strict=True))


def _meta(directory: Path) -> dict:
    return json.loads((directory / META_FILE).read_text(encoding="utf-8"))


def _contents(directory: Path) -> dict[str, bytes]:
    return {name: (directory / name).read_bytes() for name in FILES}


def test_the_fixture_is_in_the_old_format():
    meta = _meta(FIXTURE / "incidents")
    regions = pd.read_parquet(FIXTURE / "incidents" / EVENT_REGIONS_FILE)
    assert meta["format"] == 1
    assert dict(zip(regions["event_id"], regions["region_code"], strict=True)) == {
        "incidents:chernihiv": "UA-77",
        "incidents:chernivtsi": "UA-74",
        "incidents:kyiv": "UA-30",
        "incidents:chernihiv-by-name": "UA-77",
    }


def test_a_format_1_dataset_loads_with_the_iso_codes_and_one_notice(old_dataset):
    loaded = load_dataset(old_dataset)
    assert _regions(loaded) == EXPECTED_REGIONS
    assert tuple(map(str, loaded.notices)) == (NOTICE,)
    chernihiv = loaded.events.set_index("event_id").loc["incidents/incidents:chernihiv"]
    assert (chernihiv["lat"], chernihiv["lon"]) == (51.4982, 31.2893)


def test_the_migrated_dataset_is_saved_in_the_current_format(old_dataset):
    saved_at = _meta(old_dataset)["saved_at"]
    load_dataset(old_dataset)
    meta = _meta(old_dataset)
    assert meta["format"] == STORE_FORMAT == 3
    assert meta["saved_at"] == saved_at  # still when it was imported
    [step] = meta["migrations"]
    assert (step["from_format"], step["to_format"]) == (1, 3)
    assert step["changes"] == [
        "Chernihiv and Chernivtsi codes corrected on 3 events",
        "empty alerts table added",
    ]
    on_disk = pd.read_parquet(old_dataset / EVENT_REGIONS_FILE)
    assert sorted(on_disk["region_code"]) == ["UA-30", "UA-74", "UA-74", "UA-77"]
    assert sorted(p.name for p in old_dataset.parent.iterdir()) == [".incidents.lock", "incidents"]


def test_the_report_names_the_iso_codes_too(old_dataset):
    report = load_dataset(old_dataset).reports["incidents"]
    assert report.suggestions == {
        "Chernigovv": ["Chernihiv Oblast (UA-74)", "Chernivtsi Oblast (UA-77)"]
    }
    assert "located by place text 'Chernihiv' -> UA-74" in report.notes[1]
    saved = json.loads((old_dataset / REPORT_FILE).read_text(encoding="utf-8"))
    assert saved["notes"] == report.notes
    assert (report.rows_in, report.rows_imported, report.unresolved) == (5, 5, {"Chernigovv": 1})


def test_a_migrated_dataset_holds_what_importing_the_file_today_gives(old_dataset, tmp_path):
    today = import_file(FIXTURE / "incidents.csv", fmt="points", source_name="incidents")
    fresh = load_dataset(save_dataset(tmp_path / "fresh" / "incidents", today))
    migrated = load_dataset(old_dataset)
    pd.testing.assert_frame_equal(migrated.events, fresh.events)
    pd.testing.assert_frame_equal(migrated.event_regions, fresh.event_regions)


def test_a_second_load_does_not_migrate_again(old_dataset):
    load_dataset(old_dataset)
    after_first = _contents(old_dataset)
    again = load_dataset(old_dataset)
    assert tuple(map(str, again.notices)) == ()
    assert _regions(again) == EXPECTED_REGIONS
    assert _contents(old_dataset) == after_first


def test_a_process_that_read_the_old_files_does_not_migrate_them_twice(old_dataset):
    # What a second process holds when the first migrates between its read and its
    # exclusive lock: the old files, read before.
    with locked(old_dataset, exclusive=False):
        stale = read_saved(old_dataset)
    load_dataset(old_dataset)
    migrated_once = _contents(old_dataset)
    upgraded, notice = upgrade.upgraded(old_dataset, stale, "incidents")
    assert notice is None
    assert sorted(upgraded.event_regions["region_code"]) == ["UA-30", "UA-74", "UA-74", "UA-77"]
    assert _contents(old_dataset) == migrated_once  # not swapped back, not rewritten


def test_two_processes_loading_at_once_migrate_once(old_dataset):
    script = (
        "import json, sys\n"
        "from oblastwatch.storage.imported import load_dataset\n"
        "loaded = load_dataset(sys.argv[1])\n"
        "rows = loaded.event_regions\n"
        "print(json.dumps([list(map(str, loaded.notices)), dict(zip(rows['event_id'], rows['region_code']))]))\n"
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(old_dataset)], stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    results = [json.loads(p.communicate(timeout=120)[0]) for p in processes]
    assert all(p.returncode == 0 for p in processes)
    assert sorted(len(notices) for notices, _ in results) == [0, 1]  # whoever came first
    assert all(regions == EXPECTED_REGIONS for _, regions in results)
    assert len(_meta(old_dataset)["migrations"]) == 1


def test_a_dataset_without_a_format_is_format_1(old_dataset):
    meta = _meta(old_dataset)
    del meta["format"]
    (old_dataset / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    loaded = load_dataset(old_dataset)
    assert tuple(map(str, loaded.notices)) == (NOTICE,)
    assert _regions(loaded) == EXPECTED_REGIONS


@pytest.mark.parametrize("found", [4, "2", None, 0])
def test_a_format_this_version_does_not_know_is_refused(old_dataset, found):
    meta = {**_meta(old_dataset), "format": found}
    (old_dataset / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    expected = "newer version of oblastwatch" if found == 4 else "no store format"
    with pytest.raises(StoreError, match=rf"^{re.escape(str(old_dataset))}: .*{expected}"):
        load_dataset(old_dataset)
    assert pd.read_parquet(old_dataset / EVENT_REGIONS_FILE)["region_code"].iloc[0] == (
        "UA-77"
    )  # left as it was


def test_every_older_format_has_a_way_to_the_current_one():
    for old in range(migrations.FIRST_FORMAT, STORE_FORMAT):
        current = old
        while current < STORE_FORMAT:
            current = migrations.STEPS[current].writes
        assert current == STORE_FORMAT


# --- a data directory that cannot be written ---------------------------------------------------


def _read_only(monkeypatch, directory: Path) -> None:
    """Make every write under ``directory`` fail as on a read-only mount (root ignores
    permission bits, so chmod alone proves nothing when the tests run as root)."""
    inside = str(directory.resolve())

    def refuse(path: object) -> bool:
        return os.path.abspath(os.fspath(path)).startswith(inside)

    def guarded(original, *, writes: bool = True):
        def call(path, *args, **kwargs):
            flags = args[0] if args else kwargs.get("flags", 0)
            writing = writes or flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT)
            if writing and refuse(path):
                raise OSError(errno.EROFS, os.strerror(errno.EROFS), os.fspath(path))
            return original(path, *args, **kwargs)

        return call

    monkeypatch.setattr(os, "open", guarded(os.open, writes=False))
    monkeypatch.setattr(os, "mkdir", guarded(os.mkdir))
    monkeypatch.setattr(os, "rename", guarded(os.rename))


def test_a_read_only_dataset_is_migrated_in_memory_on_every_load(old_dataset, monkeypatch):
    before = _contents(old_dataset)
    _read_only(monkeypatch, old_dataset.parent)
    for _ in range(2):
        loaded = load_dataset(old_dataset)
        assert _regions(loaded) == EXPECTED_REGIONS
        [notice] = map(str, loaded.notices)
        assert notice.startswith(NOTICE.removesuffix("."))
        assert notice.endswith(
            ", for this load only: the corrected copy could not be saved "
            f"({old_dataset.parent / '.incidents.lock'}: Read-only file system)."
        )
        assert "\n" not in notice
    assert _contents(old_dataset) == before
    assert sorted(p.name for p in old_dataset.parent.iterdir()) == ["incidents"]


# --- what is built from the loaded data ----------------------------------------------------------


@pytest.fixture
def user_data(old_dataset, tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(old_dataset.parent))
    monkeypatch.setenv("OBLASTWATCH_CACHE_DIR", str(tmp_path / "cache"))
    return old_dataset.parent


MARCH_7_TO_8 = Filters(date(2026, 3, 7), date(2026, 3, 8), sources=("incidents",))


def test_the_index_built_after_the_load_counts_each_oblast_under_its_own_code(user_data):
    loads = []

    def load() -> Dataset:
        loads.append(store.load_all())
        return loads[-1]

    def index() -> PreparedEvents:
        return index_cache.prepared_events(index_cache.data_fingerprint(), load)

    # The load that migrates rewrites the files, so the next start finds new ones and builds
    # the index once more; the start after that reads it back from the cache.
    built, rebuilt, read_back = index(), index(), index()
    assert [tuple(map(str, part.notices)) for part in loads] == [(NOTICE,), ()]
    for prepared in (built, rebuilt, read_back):
        incidents = region_metric(prepared, MARCH_7_TO_8, "incidents")
        assert (incidents["UA-74"], incidents["UA-77"], incidents["UA-30"]) == (2, 1, 1)
    chernihiv = region_events(read_back, MARCH_7_TO_8, "UA-74")
    assert sorted(chernihiv["event_id"]) == sorted(
        event for event, code in EXPECTED_REGIONS.items() if code == "UA-74"
    )


def test_every_cache_key_names_the_cache_format(monkeypatch):
    # The bundled tables and the index are keyed on the whole package, the region shapes on
    # their module: an entry written before the codes were fixed is never read again.
    package, shapes = cache.code_digest(), cache.code_digest("maps/geometry.py")
    monkeypatch.setattr(cache, "CACHE_FORMAT", cache.CACHE_FORMAT - 1)
    cache.code_digest.cache_clear()
    try:
        assert cache.code_digest() != package
        assert cache.code_digest("maps/geometry.py") != shapes
    finally:
        monkeypatch.undo()
        cache.code_digest.cache_clear()


def test_the_cli_prints_the_notice_on_stderr_once(user_data, tmp_path, capsys):
    out = tmp_path / "map.html"
    args = ["map", "--metric", "incidents", "--source", "incidents", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr()
    assert printed.err == f"note: {NOTICE}\n"
    assert "note:" not in printed.out
    assert main(args) == 0
    assert capsys.readouterr().err == ""
