"""Imports that overlap or die half-way never corrupt the data directory.

* Several processes saving the same dataset at once: afterwards it is exactly one of the
  complete versions (events, event_regions and report.json from the same import).
* A process SIGKILLed while ``save_dataset`` is writing, and one killed between its two
  renames, leave the previous dataset readable; the next save cleans up.

Kills are deterministic: the child process wraps a store function so that it announces the
point it reached (a marker file) and then waits to be killed.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from oblastwatch.importers import import_file
from oblastwatch.storage import store
from oblastwatch.storage.files import META_FILE
from oblastwatch.storage.imported import imported_datasets, load_dataset, save_dataset

BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
SMALL = BAD / "duplicate_ids.csv"  # 6 events
OTHER = BAD / "coordinates_bad.csv"  # 7 events
SIZES = {SMALL.name: 6, OTHER.name: 7}
KILL_TIMEOUT_S = 60


def _save(args: tuple[str, str, int]) -> int:
    source, out, repeats = args
    result = import_file(source, source_name=Path(source).stem)
    for _ in range(repeats):
        save_dataset(Path(out), result, name=Path(out).name)
    return len(result.events)


def _assert_one_complete_version(directory: Path) -> None:
    dataset = load_dataset(directory)
    report = dataset.reports[directory.name]
    assert len(dataset.events) == report.rows_imported
    assert report.rows_imported in SIZES.values()
    source = f"{report.source_name}.csv"
    assert SIZES[source] == len(dataset.events)
    meta = json.loads((directory / META_FILE).read_text())
    assert meta["events"] == len(dataset.events)
    assert set(dataset.event_regions["event_id"]) <= set(dataset.events["event_id"])


def test_concurrent_saves_of_one_dataset_leave_one_complete_version(tmp_path):
    out = tmp_path / "data" / "shared"
    jobs = [(str(SMALL), str(out), 3), (str(OTHER), str(out), 3)] * 2
    context = multiprocessing.get_context("spawn")
    with context.Pool(len(jobs)) as pool:
        sizes = pool.map(_save, jobs, chunksize=1)
    assert sorted(set(sizes)) == sorted(SIZES.values())
    _assert_one_complete_version(out)
    leftovers = [p.name for p in out.parent.iterdir() if p.name not in ("shared", ".shared.lock")]
    assert leftovers == []
    assert imported_datasets(out.parent) == [out]


def test_concurrent_saves_of_different_datasets_do_not_interfere(tmp_path):
    root = tmp_path / "data"
    jobs = [(str(SMALL), str(root / "a"), 2), (str(OTHER), str(root / "b"), 2)]
    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(_save, jobs, chunksize=1)
    assert len(load_dataset(root / "a").events) == SIZES[SMALL.name]
    assert len(load_dataset(root / "b").events) == 7


CHILD = """
import os, sys, time
from pathlib import Path
from oblastwatch.storage import files
from oblastwatch.storage.imported import save_dataset
from oblastwatch.importers import import_file

source, out, marker, point = sys.argv[1:5]

def pause():
    Path(marker).write_text(str(os.getpid()))
    time.sleep(120)  # killed here

if point == "writing":
    original = files.write_parquet
    def slow_write(path, frame):
        original(path, frame)
        pause()  # events.parquet written into the staging directory, nothing else
    files.write_parquet = slow_write
elif point == "renaming":
    original_rename = os.rename
    def rename(src, dst):
        original_rename(src, dst)
        if str(dst).endswith(".old"):
            pause()  # the previous copy moved aside, the new one not yet in place
    os.rename = rename

result = import_file(source, source_name=Path(source).stem)
save_dataset(Path(out), result, name=Path(out).name)
"""


def _kill_while(point: str, out: Path, tmp_path: Path) -> None:
    marker = tmp_path / f"reached-{point}"
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(OTHER), str(out), str(marker), point],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + KILL_TIMEOUT_S
        while not marker.exists():
            if child.poll() is not None:
                pytest.fail(f"child exited early: {child.stderr.read().decode()[-2000:]}")
            if time.monotonic() > deadline:
                pytest.fail(f"child did not reach {point} in {KILL_TIMEOUT_S}s")
            time.sleep(0.02)  # polling for the marker file, not a guess at timing
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=30) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=30)
        child.stderr.close()


@pytest.mark.parametrize("point", ["writing", "renaming"])
def test_killed_import_leaves_the_previous_data_readable(point, tmp_path):
    out = tmp_path / "data" / "attacks"
    previous = import_file(SMALL, source_name="duplicate_ids")
    save_dataset(out, previous)
    before = load_dataset(out).events

    _kill_while(point, out, tmp_path)
    left = sorted(p.name for p in out.parent.iterdir())
    if point == "writing":  # a half-written staging copy next to the intact dataset
        assert "attacks" in left, left
        assert any(n.startswith(".attacks.tmp-") for n in left), left
    else:  # the dataset itself moved aside: only the .old copy remains
        assert "attacks" not in left, left
        assert ".attacks.old" in left, left

    after = load_dataset(out)  # the previous version, whole
    assert after.events["event_id"].tolist() == before["event_id"].tolist()
    assert after.reports["attacks"].rows_imported == SIZES[SMALL.name]
    assert imported_datasets(out.parent) == [out]
    assert len(store.load_all(include_user_dir=False, extra_dirs=[out]).events) >= 3

    # The next save recovers: the new version is in place and nothing is left over.
    save_dataset(out, import_file(OTHER, source_name="coordinates_bad"))
    assert len(load_dataset(out).events) == 7
    names = sorted(p.name for p in out.parent.iterdir())
    assert names == [".attacks.lock", "attacks"]
