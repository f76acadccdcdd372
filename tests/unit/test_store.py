"""Saving, loading and combining datasets: roundtrip, atomic writes, locking, names."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from oblastwatch import model, paths, store
from oblastwatch.importers.curated import parse_strikes

STRIKES_HEADER = (
    "attack_id,date,drones_launched,missiles_launched,drones_destroyed,missiles_destroyed,"
    "oblasts_hit,region_codes,killed,injured,notable_targets,source_url,source_date,"
    "dataset_launched_total,confidence"
).split(",")


def strikes_result(*launched: int, source: str = "mine"):
    """A small import result: one wave per ``launched`` value, drones and missiles."""
    rows = []
    for number, count in enumerate(launched):
        row = dict.fromkeys(STRIKES_HEADER, "")
        row.update(
            attack_id=f"W{number}",
            date=f"2026-02-{number + 1:02d}",
            drones_launched=str(count),
            missiles_launched="3",
            killed="1",
            oblasts_hit="Odesa;Kyiv City",
            region_codes="UA-51;UA-30",
            source_url=f"https://example.org/{number}",
        )
        rows.append(row)
    frame = pd.DataFrame(rows, dtype=object)
    return parse_strikes(frame, source_name=source, path=f"/imports/{source}.csv")


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    root = tmp_path / "user-data"
    monkeypatch.setenv(paths.DATA_DIR_ENV, str(root))
    return root


def leftovers(root: Path) -> list[str]:
    return sorted(
        p.name for p in root.iterdir() if p.name.startswith(".") and ".lock" not in p.name
    )


# --- roundtrip -----------------------------------------------------------------------------


def test_save_and_load_roundtrip(tmp_path):
    result = strikes_result(100, 200)
    target = store.save_dataset(tmp_path / "feb", result, licence="CC BY 4.0", origin="my notes")
    assert sorted(p.name for p in target.iterdir()) == [
        "event_regions.parquet",
        "events.parquet",
        "meta.json",
        "report.json",
    ]
    loaded = store.load_dataset(target)

    expected = model.conform_events(result.events)
    expected["event_id"] = "feb/" + expected["event_id"]
    expected["wave_id"] = "feb/" + expected["wave_id"]
    expected["source"] = "feb"
    pd.testing.assert_frame_equal(loaded.events, model.conform_events(expected))
    regions = model.conform_event_regions(result.event_regions)
    regions["event_id"] = "feb/" + regions["event_id"]
    pd.testing.assert_frame_equal(loaded.event_regions, regions)

    assert loaded.reports["feb"] == result.report
    source = loaded.sources.iloc[0]
    assert (source["name"], source["kind"], source["rows"]) == ("feb", "imported", 4)
    assert (source["start"], source["end"]) == (
        pd.Timestamp("2026-02-01"),
        pd.Timestamp("2026-02-02"),
    )
    assert (source["licence"], source["description"]) == ("CC BY 4.0", "my notes")
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    assert (meta["name"], meta["events"], meta["event_regions"]) == ("feb", 4, 8)


def test_load_keeps_canonical_dtypes(tmp_path):
    loaded = store.load_dataset(store.save_dataset(tmp_path / "d", strikes_result(5)))
    assert loaded.events.dtypes.astype(str).to_dict() == {
        c: str(pd.Series(dtype=t).dtype) for c, t in model.EVENT_DTYPES.items()
    }


def test_saving_again_replaces_the_dataset(tmp_path):
    store.save_dataset(tmp_path / "d", strikes_result(1, 2, 3))
    store.save_dataset(tmp_path / "d", strikes_result(7))
    loaded = store.load_dataset(tmp_path / "d")
    assert loaded.events["launched"].tolist() == [7, 3]
    assert leftovers(tmp_path) == []


def test_invalid_tables_are_not_saved(tmp_path):
    result = strikes_result(1)
    result.events.loc[0, "scope"] = "everywhere"
    with pytest.raises(store.StoreError, match=r"invalid tables"):
        store.save_dataset(tmp_path / "d", result)
    orphan = strikes_result(1)
    orphan.event_regions.loc[0, "event_id"] = "nowhere"
    with pytest.raises(store.StoreError, match=r"unknown event_id nowhere"):
        store.save_dataset(tmp_path / "d", orphan)
    assert not (tmp_path / "d").exists()


def test_a_directory_that_is_not_a_dataset_is_never_replaced(tmp_path):
    precious = tmp_path / "photos"
    precious.mkdir()
    (precious / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(store.StoreError, match="is not an oblastwatch dataset"):
        store.save_dataset(precious, strikes_result(1))
    assert (precious / "cat.jpg").read_bytes() == b"\xff\xd8"


def test_unsafe_name_is_refused(tmp_path):
    with pytest.raises(store.StoreError, match="not safe"):
        store.save_dataset(tmp_path / "d", strikes_result(1), name="../evil")


def test_loading_a_non_dataset_is_a_one_line_error(tmp_path):
    with pytest.raises(store.StoreError) as caught:
        store.load_dataset(tmp_path)
    assert "\n" not in str(caught.value) and "not an oblastwatch dataset" in str(caught.value)
    broken = store.save_dataset(tmp_path / "broken", strikes_result(1))
    (broken / "report.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(store.StoreError, match="unreadable dataset"):
        store.load_dataset(broken)


# --- atomic writes -------------------------------------------------------------------------


def test_failure_while_writing_keeps_previous_data(tmp_path, monkeypatch):
    target = store.save_dataset(tmp_path / "d", strikes_result(111))
    calls = []

    def crash(path, data):
        calls.append(path.name)
        raise OSError("disk full")

    monkeypatch.setattr(store, "_write_json", crash)
    with pytest.raises(OSError, match="disk full"):
        store.save_dataset(target, strikes_result(999, 998))
    assert calls == ["report.json"]  # both parquet files were already written
    monkeypatch.undo()
    assert store.load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


def test_failure_during_the_swap_restores_previous_data(tmp_path, monkeypatch):
    target = store.save_dataset(tmp_path / "d", strikes_result(111))
    real_rename = os.rename

    def rename(source, destination):
        if Path(source).name.startswith(".d.tmp-"):
            raise OSError("rename failed")
        real_rename(source, destination)

    monkeypatch.setattr(store.os, "rename", rename)
    with pytest.raises(OSError, match="rename failed"):
        store.save_dataset(target, strikes_result(999))
    monkeypatch.undo()
    assert store.load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


KILL_BETWEEN_RENAMES = """
import os, sys
import pandas as pd
from oblastwatch import store
from oblastwatch.importers.curated import parse_strikes
real_rename = os.rename
def rename(source, destination):
    real_rename(source, destination)
    if str(destination).endswith(".old"):
        os._exit(9)  # killed after moving the old data aside, before the new is in place
store.os.rename = rename
frame = pd.read_json(sys.argv[2], dtype=False)
result = parse_strikes(frame.astype(str), source_name="mine", path="x.csv")
store.save_dataset(sys.argv[1], result)
"""


def test_process_killed_mid_swap_leaves_previous_data_readable(tmp_path):
    target = store.save_dataset(tmp_path / "d", strikes_result(111))
    frame = pd.DataFrame([dict.fromkeys(STRIKES_HEADER, "")])
    frame.loc[0, ["attack_id", "date", "drones_launched", "source_url"]] = [
        "X",
        "2026-03-01",
        "999",
        "https://example.org/x",
    ]
    frame_path = tmp_path / "frame.json"
    frame.to_json(frame_path, orient="records")
    child = subprocess.run(
        [sys.executable, "-c", KILL_BETWEEN_RENAMES, str(target), str(frame_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert child.returncode == 9, child.stderr
    assert not target.exists()  # the crash window: only the old copy is left

    assert store.imported_datasets(tmp_path) == [target]
    assert store.load_dataset(target).events["launched"].tolist() == [111, 3]

    store.save_dataset(target, strikes_result(222))  # the next save cleans up
    assert store.load_dataset(target).events["launched"].tolist() == [222, 3]
    assert leftovers(tmp_path) == []


# --- locking -------------------------------------------------------------------------------


def test_a_held_lock_blocks_a_second_writer(tmp_path, monkeypatch):
    target = store.save_dataset(tmp_path / "d", strikes_result(1))
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.2)
    with open(tmp_path / ".d.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(store.StoreError, match="another process is writing"):
            store.save_dataset(target, strikes_result(2))
        with pytest.raises(store.StoreError, match="another process"):
            store.load_dataset(target)  # readers wait for writers too
    assert store.load_dataset(target).events["launched"].tolist() == [1, 3]


def test_concurrent_saves_leave_one_complete_dataset(tmp_path):
    target = tmp_path / "d"
    results = [strikes_result(*range(n, n + 5)) for n in (10, 20, 30, 40)]
    errors = []

    def save(result):
        try:
            for _ in range(3):
                store.save_dataset(target, result)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(r,)) for r in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    loaded = store.load_dataset(target).events["launched"].tolist()
    assert any(loaded == model.conform_events(r.events)["launched"].tolist() for r in results)
    assert leftovers(tmp_path) == []


# --- names and listing ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("../../etc", "etc"),
        ("..\\..\\windows", "windows"),
        (".hidden", "hidden"),
        ("MMA feb 2026.csv", "MMA-feb-2026.csv"),
        ("Kyïv strikes", "Kyiv-strikes"),
        ("a/b", "a-b"),
    ],
)
def test_safe_dataset_name(text, name):
    assert store.safe_dataset_name(text) == name


@pytest.mark.parametrize("text", ["", "..", "/", "...///...", "Одеса", "   "])
def test_names_with_nothing_usable_are_rejected(text):
    with pytest.raises(ValueError, match="no letters or digits"):
        store.safe_dataset_name(text)


@given(st.text(max_size=100))
def test_safe_names_are_single_plain_path_components(text):
    try:
        name = store.safe_dataset_name(text)
    except ValueError:
        return
    assert name and not name.startswith(".") and len(name) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    assert Path(name).name == name and name not in (".", "..")
    assert store.safe_dataset_name(name) == name


def test_imported_datasets_lists_dataset_directories_only(data_dir):
    assert store.imported_datasets() == []
    store.save_dataset(data_dir / "b", strikes_result(1))
    store.save_dataset(data_dir / "a", strikes_result(2))
    (data_dir / "notes").mkdir()
    assert store.imported_datasets() == [data_dir / "a", data_dir / "b"]


def test_remove_dataset(data_dir):
    target = store.save_dataset(data_dir / "a", strikes_result(1))
    store.remove_dataset(target)
    assert not target.exists()
    assert store.imported_datasets() == []
    assert leftovers(data_dir) == []


def test_remove_refuses_other_directories(tmp_path):
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "file.txt").write_text("x")
    with pytest.raises(store.StoreError, match="not an oblastwatch dataset"):
        store.remove_dataset(tmp_path / "keep")
    assert (tmp_path / "keep" / "file.txt").exists()


# --- the union -----------------------------------------------------------------------------


def test_load_all_without_imports_is_the_bundled_data(data_dir):
    bundled = store.load_bundled()
    everything = store.load_all()
    pd.testing.assert_frame_equal(everything.events, bundled.events)
    assert list(everything.sources["name"]) == ["curated-talks", "curated-strikes"]


def test_load_all_keeps_ids_unique_across_datasets(data_dir, tmp_path):
    same = strikes_result(5, 6)  # identical importer ids in every dataset
    store.save_dataset(data_dir / "one", same)
    store.save_dataset(data_dir / "two", same)
    elsewhere = store.save_dataset(tmp_path / "extra" / "one", same)  # a name already taken

    everything = store.load_all(extra_dirs=[elsewhere, data_dir / "two"])
    bundled = store.load_bundled()
    assert len(everything.events) == len(bundled.events) + 3 * len(same.events)
    assert everything.events["event_id"].is_unique
    assert list(everything.sources["name"]) == [
        "curated-talks",
        "curated-strikes",
        "one",
        "two",
        "one-2",
    ]
    assert set(everything.reports) == set(everything.sources["name"])
    assert set(everything.events["source"]) == set(everything.sources["name"])
    ids = everything.events.loc[everything.events["source"] == "one-2", "event_id"]
    assert ids.str.startswith("one-2/mine:").all()
    waves = everything.events.loc[everything.events["kind"] == "strike", "wave_id"]
    assert waves.groupby(waves).size().max() == 2  # each wave id names one wave of one dataset
    assert everything.event_regions["event_id"].isin(everything.events["event_id"]).all()
    model.validate_events(everything.events)

    only_extra = store.load_all(extra_dirs=[elsewhere], include_user_dir=False)
    assert list(only_extra.sources["name"]) == ["curated-talks", "curated-strikes", "one"]
