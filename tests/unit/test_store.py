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

from oblastwatch.domain import model, resources
from oblastwatch.importers.curated import parse_strikes
from oblastwatch.storage import cache, files, locks, paths, store
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.storage.dataset import Dataset, StoreError, union
from oblastwatch.storage.files import EVENT_REGIONS_FILE, EVENTS_FILE, META_FILE, REPORT_FILE
from oblastwatch.storage.imported import (
    imported_datasets,
    load_dataset,
    remove_dataset,
    safe_dataset_name,
    save_dataset,
)

STRIKES_HEADER = [
    "attack_id",
    "date",
    "drones_launched",
    "missiles_launched",
    "drones_destroyed",
    "missiles_destroyed",
    "oblasts_hit",
    "region_codes",
    "killed",
    "injured",
    "notable_targets",
    "source_url",
    "source_date",
    "dataset_launched_total",
    "confidence",
]


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
    result = parse_strikes(frame, source_name=source, path=f"/imports/{source}.csv")
    # Stored as a dataset of its own, as any imported file is: a curated-format table would
    # join the bundled list when loaded (tests/unit/test_curated_additions.py).
    result.report.format = "canonical"
    return result


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
    target = save_dataset(tmp_path / "feb", result, licence="CC BY 4.0", origin="my notes")
    assert sorted(p.name for p in target.iterdir()) == [
        "alerts.parquet",
        "event_regions.parquet",
        "events.parquet",
        "meta.json",
        "report.json",
    ]
    loaded = load_dataset(target)

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
    loaded = load_dataset(save_dataset(tmp_path / "d", strikes_result(5)))
    assert loaded.events.dtypes.astype(str).to_dict() == {
        c: str(pd.Series(dtype=t).dtype) for c, t in model.EVENT_DTYPES.items()
    }


def test_saving_again_replaces_the_dataset(tmp_path):
    save_dataset(tmp_path / "d", strikes_result(1, 2, 3))
    save_dataset(tmp_path / "d", strikes_result(7))
    loaded = load_dataset(tmp_path / "d")
    assert loaded.events["launched"].tolist() == [7, 3]
    assert leftovers(tmp_path) == []


def test_invalid_tables_are_not_saved(tmp_path):
    result = strikes_result(1)
    result.events.loc[0, "scope"] = "everywhere"
    with pytest.raises(StoreError, match=r"invalid tables"):
        save_dataset(tmp_path / "d", result)
    orphan = strikes_result(1)
    orphan.event_regions.loc[0, "event_id"] = "nowhere"
    with pytest.raises(StoreError, match=r"unknown event_id nowhere"):
        save_dataset(tmp_path / "d", orphan)
    assert not (tmp_path / "d").exists()
    assert leftovers(tmp_path) == []


def test_tables_refused_by_the_checks_leave_the_previous_dataset(tmp_path):
    # The files are written while the tables are checked: refused tables must leave
    # neither a new dataset nor a half-written copy.
    target = save_dataset(tmp_path / "d", strikes_result(111))
    refused = strikes_result(999)
    refused.events.loc[1, "killed"] = -1.0
    with pytest.raises(StoreError, match=r"events row 1, column killed: -1.0 is below 0"):
        save_dataset(target, refused)
    assert load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


def test_a_directory_that_is_not_a_dataset_is_never_replaced(tmp_path):
    precious = tmp_path / "photos"
    precious.mkdir()
    (precious / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(StoreError, match="is not an oblastwatch dataset"):
        save_dataset(precious, strikes_result(1))
    assert (precious / "cat.jpg").read_bytes() == b"\xff\xd8"


def test_unsafe_name_is_refused(tmp_path):
    with pytest.raises(StoreError, match="not safe"):
        save_dataset(tmp_path / "d", strikes_result(1), name="../evil")


def test_loading_a_non_dataset_is_a_one_line_error(tmp_path):
    with pytest.raises(StoreError) as caught:
        load_dataset(tmp_path)
    assert "\n" not in str(caught.value)
    assert "not an oblastwatch dataset" in str(caught.value)
    broken = save_dataset(tmp_path / "broken", strikes_result(1))
    (broken / "report.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="unreadable dataset"):
        load_dataset(broken)


# --- atomic writes -------------------------------------------------------------------------


def test_failure_while_writing_keeps_previous_data(tmp_path, monkeypatch):
    target = save_dataset(tmp_path / "d", strikes_result(111))
    calls = []

    def crash(path, data):
        calls.append(path.name)
        raise OSError("disk full")

    monkeypatch.setattr(files, "write_json", crash)
    with pytest.raises(OSError, match="disk full"):
        save_dataset(target, strikes_result(999, 998))
    assert calls == ["report.json"]  # both parquet files were already written
    monkeypatch.undo()
    assert load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


def test_failure_while_writing_a_table_keeps_previous_data(tmp_path, monkeypatch):
    target = save_dataset(tmp_path / "d", strikes_result(111))

    def crash(path, table):
        raise OSError(f"disk full writing {path.name}")

    monkeypatch.setattr(files, "write_parquet", crash)
    with pytest.raises(OSError, match="disk full writing events.parquet"):
        save_dataset(target, strikes_result(999, 998))
    monkeypatch.undo()
    assert load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


def test_failure_during_the_swap_restores_previous_data(tmp_path, monkeypatch):
    target = save_dataset(tmp_path / "d", strikes_result(111))
    real_rename = os.rename

    def rename(source, destination):
        if Path(source).name.startswith(".d.tmp-"):
            raise OSError("rename failed")
        real_rename(source, destination)

    monkeypatch.setattr(os, "rename", rename)
    with pytest.raises(OSError, match="rename failed"):
        save_dataset(target, strikes_result(999))
    monkeypatch.undo()
    assert load_dataset(target).events["launched"].tolist() == [111, 3]
    assert leftovers(tmp_path) == []


KILL_BETWEEN_RENAMES = """
import os, sys
import pandas as pd
from oblastwatch.storage.imported import save_dataset
from oblastwatch.importers.curated import parse_strikes
real_rename = os.rename
def rename(source, destination):
    real_rename(source, destination)
    if str(destination).endswith(".old"):
        os._exit(9)  # killed after moving the old data aside, before the new is in place
os.rename = rename
frame = pd.read_json(sys.argv[2], dtype=False)
result = parse_strikes(frame.astype(str), source_name="mine", path="x.csv")
save_dataset(sys.argv[1], result)
"""


def test_process_killed_mid_swap_leaves_previous_data_readable(tmp_path):
    target = save_dataset(tmp_path / "d", strikes_result(111))
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

    assert imported_datasets(tmp_path) == [target]
    assert load_dataset(target).events["launched"].tolist() == [111, 3]

    save_dataset(target, strikes_result(222))  # the next save cleans up
    assert load_dataset(target).events["launched"].tolist() == [222, 3]
    assert leftovers(tmp_path) == []


# --- locking -------------------------------------------------------------------------------


def test_a_held_lock_blocks_a_second_writer(tmp_path, monkeypatch):
    target = save_dataset(tmp_path / "d", strikes_result(1))
    monkeypatch.setattr(locks, "LOCK_TIMEOUT_SECONDS", 0.2)
    with open(tmp_path / ".d.lock", "a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(StoreError, match="another process is writing"):
            save_dataset(target, strikes_result(2))
        with pytest.raises(StoreError, match="another process"):
            load_dataset(target)  # readers wait for writers too
    assert load_dataset(target).events["launched"].tolist() == [1, 3]


def test_concurrent_saves_leave_one_complete_dataset(tmp_path):
    target = tmp_path / "d"
    results = [strikes_result(*range(n, n + 5)) for n in (10, 20, 30, 40)]
    errors = []

    def save(result):
        try:
            for _ in range(3):
                save_dataset(target, result)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=save, args=(r,)) for r in results]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    loaded = load_dataset(target).events["launched"].tolist()
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
    assert safe_dataset_name(text) == name


@pytest.mark.parametrize("text", ["", "..", "/", "...///...", "Одеса", "   "])
def test_names_with_nothing_usable_are_rejected(text):
    with pytest.raises(ValueError, match="no letters or digits"):
        safe_dataset_name(text)


@given(st.text(max_size=100))
def test_safe_names_are_single_plain_path_components(text):
    try:
        name = safe_dataset_name(text)
    except ValueError:
        return
    assert name
    assert not name.startswith(".")
    assert len(name) <= 64
    assert all(c.isascii() and (c.isalnum() or c in "._-") for c in name)
    assert Path(name).name == name
    assert name not in (".", "..")
    assert safe_dataset_name(name) == name


def test_imported_datasets_lists_dataset_directories_only(data_dir):
    assert imported_datasets() == []
    save_dataset(data_dir / "b", strikes_result(1))
    save_dataset(data_dir / "a", strikes_result(2))
    (data_dir / "notes").mkdir()
    assert imported_datasets() == [data_dir / "a", data_dir / "b"]


def test_remove_dataset(data_dir):
    target = save_dataset(data_dir / "a", strikes_result(1))
    remove_dataset(target)
    assert not target.exists()
    assert imported_datasets() == []
    assert leftovers(data_dir) == []


def test_remove_refuses_other_directories(tmp_path):
    (tmp_path / "keep").mkdir()
    (tmp_path / "keep" / "file.txt").write_text("x")
    with pytest.raises(StoreError, match="not an oblastwatch dataset"):
        remove_dataset(tmp_path / "keep")
    assert (tmp_path / "keep" / "file.txt").exists()


# --- the union -----------------------------------------------------------------------------


def test_load_all_without_imports_is_the_bundled_data(data_dir):
    bundled = load_bundled()
    everything = store.load_all()
    pd.testing.assert_frame_equal(everything.events, bundled.events)
    assert list(everything.sources["name"]) == ["curated-talks", "curated-strikes"]


def test_load_all_keeps_ids_unique_across_datasets(data_dir, tmp_path):
    same = strikes_result(5, 6)  # identical importer ids in every dataset
    save_dataset(data_dir / "one", same)
    save_dataset(data_dir / "two", same)
    elsewhere = save_dataset(tmp_path / "extra" / "one", same)  # a name already taken

    everything = store.load_all(extra_dirs=[elsewhere, data_dir / "two"])
    bundled = load_bundled()
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


# --- the fast checks enforce exactly the pandera schemas -----------------------------------


def _valid_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Strikes, talks and a located incident: every column of both schemas in use."""
    result = strikes_result(5, 6)
    events = model.conform_events(result.events)
    incident = model.conform_events(
        pd.DataFrame(
            {
                "event_id": ["pts:1"],
                "source": ["pts"],
                "source_row": [0],
                "kind": ["incident"],
                "date": [pd.Timestamp("2026-02-03")],
                "start": pd.to_datetime(["2026-02-03T01:00:00Z"], utc=True),
                "scope": ["regions"],
                "lat": [46.48],
                "lon": [30.72],
                "killed": [0.0],
            }
        )
    )
    regions = pd.concat(
        [
            model.conform_event_regions(result.event_regions),
            pd.DataFrame({"event_id": ["pts:1"], "region_code": ["UA-51"], "role": ["location"]}),
        ],
        ignore_index=True,
    )
    return pd.concat([events, incident], ignore_index=True), model.conform_event_regions(regions)


def _pandera_outcome(validate, frame: pd.DataFrame) -> str | None:
    """None when pandera accepts ``frame``, else the failing column ("*" for a table rule)."""
    import pandera.errors

    try:
        validate(frame)
    except pandera.errors.SchemaError as error:
        return getattr(error.schema, "name", None) or "*"
    return None


def _fast_outcome(check, frame: pd.DataFrame) -> str | None:
    try:
        check(frame)
    except model.TableError as caught:
        error = caught
    else:
        return None
    assert str(error).startswith(f"{error.table} row {error.row}, column {error.column}: ")
    return "*" if "repeats an earlier row's event_id + " in str(error) else error.column


EVENT_FAULTS = [
    ("event_id", [None]),
    ("event_id", ["dup", "dup"]),
    ("source", [None]),
    ("source_row", [-1]),
    ("source_row", [None]),
    ("source_row", [2**62]),
    ("kind", ["bomb"]),
    ("kind", ["Strike"]),
    ("kind", [" strike"]),
    ("kind", [""]),
    ("kind", [None]),
    ("date", [pd.NaT]),
    ("weapon_category", ["laser"]),
    ("weapon_category", [""]),
    ("weapon_category", [None]),
    ("launched", [-1.0]),
    ("launched", [-0.0]),
    ("launched", [float("nan")]),
    ("launched", [float("inf")]),
    ("destroyed", [float("-inf")]),
    ("killed", [-0.5]),
    ("injured", [None]),
    ("scope", ["everywhere"]),
    ("scope", [None]),
    ("lat", [90.0]),
    ("lat", [90.000001]),
    ("lat", [-91.0]),
    ("lat", [float("inf")]),
    ("lon", [-180.0]),
    ("lon", [180.5]),
    ("lon", [float("nan")]),
    ("title", ["=HYPERLINK(1)"]),
    ("start", [pd.NaT]),
]


@pytest.mark.parametrize(("column", "values"), EVENT_FAULTS, ids=lambda v: repr(v)[:20])
def test_check_events_agrees_with_pandera(column, values):
    events, _ = _valid_tables()
    events[column] = events[column].astype(object)
    events.loc[events.index[: len(values)], column] = values
    expected = _pandera_outcome(model.validate_events, events)
    assert _fast_outcome(model.check_events, events) == expected


REGION_FAULTS = [
    ("region_code", ["UA-5"]),
    ("region_code", ["UA-511"]),
    ("region_code", ["ua-51"]),
    ("region_code", [" UA-51"]),
    ("region_code", ["UA-51\n"]),
    ("region_code", ["UA-\u0665\u0661"]),  # Arabic-Indic digits
    ("region_code", ["UA-99"]),  # the schema checks the shape, not the registry
    ("region_code", [None]),
    ("role", ["victim"]),
    ("role", [None]),
    ("event_id", [None]),
]


@pytest.mark.parametrize(("column", "values"), REGION_FAULTS, ids=lambda v: repr(v)[:20])
def test_check_event_regions_agrees_with_pandera(column, values):
    _, regions = _valid_tables()
    regions[column] = regions[column].astype(object)
    regions.loc[regions.index[: len(values)], column] = values
    expected = _pandera_outcome(model.validate_event_regions, regions)
    assert _fast_outcome(model.check_event_regions, regions) == expected


def test_check_event_regions_refuses_a_repeated_row_like_pandera():
    _, regions = _valid_tables()
    repeated = pd.concat([regions, regions.iloc[[2]]], ignore_index=True)
    assert _pandera_outcome(model.validate_event_regions, repeated) == "*"
    with pytest.raises(model.TableError, match=r"event_regions row 9, column role: 'target' rep"):
        model.check_event_regions(repeated)
    assert _pandera_outcome(model.validate_event_regions, regions) is None
    model.check_event_regions(regions)


# Per column: values the schema accepts, then values it may refuse.
_EVENT_CELLS = {
    "event_id": (["a", "b", "c", "d", "e"], [None, "a"]),
    "kind": (list(model.EVENT_KINDS[:3]), ["bomb", "", "Strike", None]),
    "scope": (["regions", "abroad"], ["Regions", "", None]),
    "weapon_category": (["drone", "unknown", None], ["laser", ""]),
    "launched": ([0.0, 3.0, float("nan"), float("inf"), None], [-1.0, float("-inf")]),
    "lat": ([0.0, -90.0, 90.0, float("nan"), None], [91.0, -90.5, float("inf")]),
    "source_row": ([0, 7, None], [-1]),
    "date": ([pd.Timestamp("2026-02-01")], [pd.NaT]),
    "source": (["s"], [None, ""]),
}
_REGION_CELLS = {
    "event_id": (["a", "b"], [None]),
    "region_code": (["UA-51", "UA-30"], ["UA-5", "UA-51\n", "ua-30", "UA-\u0665\u0661", None]),
    "role": (["target", "location"], ["victim", "", None]),
}


def _tables(draw, cells: dict, unique_first: bool) -> pd.DataFrame:
    """A table of valid cells (unique first column when asked), then up to three cells
    replaced by any value, valid or not."""
    n = draw(st.integers(0, 5))
    rows = []
    for i in range(n):
        row = {c: draw(st.sampled_from(valid)) for c, (valid, _) in cells.items()}
        if unique_first:
            row[next(iter(cells))] = cells[next(iter(cells))][0][i]
        rows.append(row)
    frame = pd.DataFrame(rows, columns=list(cells)).astype(object)
    for _ in range(draw(st.integers(0, 3)) if n else 0):
        column = draw(st.sampled_from(list(cells)))
        valid, invalid = cells[column]
        frame.iloc[draw(st.integers(0, n - 1)), frame.columns.get_loc(column)] = draw(
            st.sampled_from(valid + invalid)
        )
    return frame


@given(st.data())
def test_check_events_accepts_exactly_what_pandera_accepts(data):
    events = model.conform_events(_tables(data.draw, _EVENT_CELLS, unique_first=True))
    pandera = _pandera_outcome(model.validate_events, events)
    assert (_fast_outcome(model.check_events, events) is None) == (pandera is None)


@given(st.data())
def test_check_event_regions_accepts_exactly_what_pandera_accepts(data):
    regions = _tables(data.draw, _REGION_CELLS, unique_first=False)
    pandera = _pandera_outcome(model.validate_event_regions, regions)
    assert (_fast_outcome(model.check_event_regions, regions) is None) == (pandera is None)


def test_invalid_tables_name_row_column_and_value(tmp_path):
    result = strikes_result(1, 2)
    result.events.loc[3, "scope"] = "everywhere"
    with pytest.raises(StoreError) as error:
        save_dataset(tmp_path / "d", result)
    message = str(error.value)
    assert "\n" not in message
    assert "invalid tables: events row 3, column scope: 'everywhere' is not one of" in message


# --- loading trusts what this version saved, and checks everything else --------------------


def _checked_ids(monkeypatch) -> list[set[str]]:
    """Record the event ids of every table model.check_events is given."""
    seen: list[set[str]] = []
    original = model.check_events

    def recording(frame: pd.DataFrame) -> pd.DataFrame:
        seen.append(set(frame["event_id"]))
        return original(frame)

    monkeypatch.setattr(model, "check_events", recording)
    return seen


def test_a_dataset_saved_by_this_version_is_not_checked_again(tmp_path, monkeypatch):
    target = save_dataset(tmp_path / "one", strikes_result(5, 6))
    meta = json.loads((target / META_FILE).read_text())
    assert meta["schema_version"] == model.SCHEMA_VERSION
    seen = _checked_ids(monkeypatch)
    everything = store.load_all(extra_dirs=[target], include_user_dir=False)
    assert everything.events["event_id"].str.startswith("one/").sum() == 4
    checked = set().union(*seen)
    assert checked  # the bundled tables were checked ...
    assert not {i for i in checked if i.startswith(("one/", "mine:"))}  # ... the saved one not


def _tamper(target: Path, *, meta_version: object, scope: str) -> None:
    """Rewrite a saved dataset as an older version (or a hand edit) could have left it."""
    events = pd.read_parquet(target / EVENTS_FILE)
    events.loc[0, "scope"] = scope
    events.to_parquet(target / EVENTS_FILE, index=False)
    meta = json.loads((target / META_FILE).read_text())
    if meta_version is None:
        meta.pop("schema_version", None)
    else:
        meta["schema_version"] = meta_version
    (target / META_FILE).write_text(json.dumps(meta))


@pytest.mark.parametrize("version", [None, 0, "1"])
def test_a_dataset_from_another_schema_version_is_checked(tmp_path, version):
    target = save_dataset(tmp_path / "old", strikes_result(5))
    _tamper(target, meta_version=version, scope="everywhere")
    with pytest.raises(StoreError, match=r"old: invalid tables: .*column scope"):
        store.load_all(extra_dirs=[target], include_user_dir=False)
    _tamper(target, meta_version=version, scope="regions")
    loaded = store.load_all(extra_dirs=[target], include_user_dir=False)
    assert loaded.events["source"].eq("old").sum() == 2


def test_a_dataset_with_other_dtypes_on_disk_is_checked(tmp_path):
    target = save_dataset(tmp_path / "edited", strikes_result(5))
    events = pd.read_parquet(target / EVENTS_FILE).astype({"launched": "float64"})
    events.loc[0, "launched"] = -5.0
    events.to_parquet(target / EVENTS_FILE, index=False)  # schema_version still current
    with pytest.raises(StoreError, match=r"column launched: -5.0 is below 0"):
        store.load_all(extra_dirs=[target], include_user_dir=False)


def test_union_refuses_an_event_id_in_two_datasets():
    events, regions = _valid_tables()
    with pytest.raises(StoreError, match=r"column event_id: 'mine:W0/drones' repeats"):
        union([events, events], [regions, regions], where=Path("x"), checked=True)


# --- start-up cost: pandera on demand, the bundled tables cached ------------------------------


def test_importing_the_store_does_not_import_pandera():
    code = "import sys, oblastwatch.storage.store; print('pandera' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "False"


def test_pandera_schemas_hold_the_canonical_columns_and_dtypes():
    # The schemas are built from the rules; what must hold is that they describe the tables
    # the store writes: every canonical column, in order, of its canonical dtype.
    for schema, dtypes in (
        (model.EVENTS_SCHEMA, model.EVENT_DTYPES),
        (model.EVENT_REGIONS_SCHEMA, model.EVENT_REGION_DTYPES),
    ):
        assert list(schema.columns) == list(dtypes)
        for name, column in schema.columns.items():
            assert column.dtype.check(pd.api.types.pandas_dtype(dtypes[name])), name
    assert not model.EVENTS_SCHEMA.columns["kind"].nullable
    assert model.EVENTS_SCHEMA.columns["event_id"].unique
    with pytest.raises(AttributeError):
        _ = model.NO_SUCH_SCHEMA


def _assert_same_dataset(a: Dataset, b: Dataset) -> None:
    pd.testing.assert_frame_equal(a.events, b.events)
    pd.testing.assert_frame_equal(a.event_regions, b.event_regions)
    pd.testing.assert_frame_equal(a.sources, b.sources)
    assert {k: r.to_dict() for k, r in a.reports.items()} == {
        k: r.to_dict() for k, r in b.reports.items()
    }


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    directory = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(directory))
    return directory


def test_bundled_tables_are_cached_and_read_back_identical(cache_dir, monkeypatch):
    first = load_bundled()
    cached = list(cache_dir.glob("bundled-*"))
    assert len(cached) == 1
    assert {p.name for p in cached[0].iterdir()} == {
        EVENTS_FILE,
        EVENT_REGIONS_FILE,
        REPORT_FILE,
    }

    def no_csv_import(*args, **kwargs):
        raise AssertionError("the cache should have been read")

    monkeypatch.setattr("oblastwatch.storage.bundled._import_bundled", no_csv_import)
    _assert_same_dataset(load_bundled(), first)


@pytest.mark.parametrize("damage", ["truncate", "delete", "wrong-dtypes", "wrong-report"])
def test_a_damaged_bundled_cache_falls_back_to_the_csv_files(cache_dir, damage, monkeypatch):
    first = load_bundled()
    (cached,) = cache_dir.glob("bundled-*")
    if damage == "truncate":
        (cached / EVENTS_FILE).write_bytes(b"PAR1")
    elif damage == "delete":
        (cached / EVENT_REGIONS_FILE).unlink()
    elif damage == "wrong-dtypes":
        events = pd.read_parquet(cached / EVENTS_FILE)
        events["launched"] = events["launched"].astype("float64")
        events.to_parquet(cached / EVENTS_FILE)
    else:
        (cached / REPORT_FILE).write_text("[]", encoding="utf-8")
    _assert_same_dataset(load_bundled(), first)
    _assert_cache_repaired(first, monkeypatch)


def _assert_cache_repaired(first: Dataset, monkeypatch) -> None:
    """The next load reads the cache again: the damaged entry was replaced, not left to make
    every start import the CSV files."""

    def no_csv_import(*args, **kwargs):
        raise AssertionError("the damaged cache entry was not replaced")

    monkeypatch.setattr("oblastwatch.storage.bundled._import_bundled", no_csv_import)
    _assert_same_dataset(load_bundled(), first)


def test_bundled_cache_invalid_rows_fall_back_to_the_csv_files(cache_dir, monkeypatch):
    first = load_bundled()
    (cached,) = cache_dir.glob("bundled-*")
    events = pd.read_parquet(cached / EVENTS_FILE)
    events.loc[0, "kind"] = "bomb"  # canonical dtypes, but breaks a rule
    events.to_parquet(cached / EVENTS_FILE)
    _assert_same_dataset(load_bundled(), first)
    _assert_cache_repaired(first, monkeypatch)


def test_bundled_cache_is_keyed_by_the_csv_contents(cache_dir, tmp_path, monkeypatch):
    load_bundled()
    talks = tmp_path / "talks.csv"
    lines = resources.TALKS_PATH.read_text(encoding="utf-8").splitlines(keepends=True)
    talks.write_text("".join(lines[:-1]), encoding="utf-8")  # the last talks row removed
    monkeypatch.setattr(resources, "TALKS_PATH", talks)
    shorter = load_bundled()
    assert (shorter.sources.set_index("name").loc["curated-talks", "rows"]) == len(lines) - 2
    # The previous entry is kept for another app sharing the cache; older ones are removed.
    assert len(list(cache_dir.glob("bundled-*"))) == 1 + cache.OTHERS_KEPT
    lines = lines[:-1]
    talks.write_text("".join(lines[:-1]), encoding="utf-8")
    load_bundled()
    assert len(list(cache_dir.glob("bundled-*"))) == 1 + cache.OTHERS_KEPT


def test_an_unwritable_bundled_cache_still_loads(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(blocker / "cache"))
    assert len(load_bundled().events) > 0
