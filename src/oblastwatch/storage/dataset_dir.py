"""One saved dataset's directory: read it, replace it atomically, recover after a killed save.

Writes are atomic: :func:`write_dataset` writes a complete new directory next to the old one
(``.<name>.tmp-*``), moves the old one aside (``.<name>.old``), renames the new one into place
and only then deletes the old one (:func:`oblastwatch.storage.atomic.swap_dir`). A process
killed at any point leaves either the previous or the new dataset readable: if it dies between
the two renames, :func:`read_saved` reads the ``.old`` copy and the next save puts it back
(:func:`recover`). Callers hold the dataset's lock (:mod:`oblastwatch.storage.locks`).

Tables are checked against the model before a saved dataset becomes visible: the checks run
while its files are written into the staging directory, which is thrown away if they fail.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from oblastwatch.domain.alerts import AlertTableError, check_alerts, conform_alerts
from oblastwatch.i18n import Message
from oblastwatch.storage import atomic, files
from oblastwatch.storage.dataset import StoreError, invalid_tables, one_line, validated
from oblastwatch.storage.files import (
    ALERTS_FILE,
    EVENT_REGIONS_FILE,
    EVENTS_FILE,
    META_FILE,
    REPORT_FILE,
    arrow_table,
    read_json,
)
from oblastwatch.storage.migrations import SavedDataset


def backup_path(directory: Path) -> Path:
    """Where a save keeps the previous copy of ``directory`` until the new one is in place."""
    return directory.parent / f".{directory.name}.old"


def is_dataset_dir(path: Path) -> bool:
    """True when ``path`` is a directory holding a saved dataset's events file."""
    return path.is_dir() and (path / EVENTS_FILE).is_file()


def write_dataset(
    directory: Path,
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    documents: Mapping[str, Mapping[str, Any]],
    *,
    alerts: pd.DataFrame | None = None,
) -> None:
    """Write the dataset into a staging directory beside ``directory`` and swap it into place.

    Its tables are checked on the way; the caller holds the exclusive lock. Nothing is left
    behind when the checks or a write fail. ``alerts`` None writes an empty alerts table.
    """
    staging = atomic.staging_dir(directory)
    try:
        _write_checked(directory, staging, events, event_regions, conform_alerts(alerts), documents)
        atomic.swap_dir(staging, directory, backup_path(directory))
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_checked(
    directory: Path,
    staging: Path,
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    alerts: pd.DataFrame,
    documents: Mapping[str, Mapping[str, Any]],
) -> None:
    """Write the tables and the JSON ``documents`` (file name -> data) into ``staging``.

    The tables are checked while they are written (:func:`validated`).

    The tables become Arrow here (pandas code, holding the GIL); a worker thread then
    encodes, compresses and syncs the files (Arrow and the disk, without the GIL) while this
    thread runs the checks. One worker: a second one competes with the checks for a core on
    a two-core machine and makes the save slower. When the checks fail, the writes not yet
    begun are cancelled and :class:`StoreError` is raised once the one under way has ended
    (leaving the pool waits for it); the caller then removes ``staging``, so no unchecked
    file is ever swapped in.
    """
    tables = {
        EVENTS_FILE: arrow_table(events),
        EVENT_REGIONS_FILE: arrow_table(event_regions),
        ALERTS_FILE: arrow_table(alerts),
    }
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="oblastwatch-save") as pool:
        writes = [
            pool.submit(files.write_parquet, staging / name, table)
            for name, table in tables.items()
        ]
        writes.append(pool.submit(files.write_documents, staging, documents))
        try:
            validated(directory, events, event_regions)
            _checked_alerts(directory, alerts)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    for write in writes:
        write.result()  # a failed write raises here


def not_a_dataset(directory: Path) -> Message:
    """The error of a directory that holds no saved dataset."""
    return Message(
        "{directory}: not an oblastwatch dataset (no {file})",
        {"directory": str(directory), "file": EVENTS_FILE},
    )


def unreadable(directory: Path, error: object) -> Message:
    """The error of a dataset whose files cannot be read (the reader's words as written)."""
    return Message(
        "{directory}: unreadable dataset: {error}",
        {"directory": str(directory), "error": one_line(error)},
    )


def _checked_alerts(directory: Path, alerts: pd.DataFrame) -> pd.DataFrame:
    try:
        return check_alerts(alerts)
    except AlertTableError as error:
        raise StoreError(invalid_tables(directory, error)) from error


def checked_alerts(directory: Path, alerts: pd.DataFrame | None) -> pd.DataFrame:
    """``alerts`` (None: no rows) conformed and checked; :class:`StoreError` names the row."""
    return _checked_alerts(directory, conform_alerts(alerts))


def recover(directory: Path) -> None:
    """Undo what a killed save left behind (called with the exclusive lock held)."""
    atomic.restore_backup(directory, backup_path(directory))
    # Staging directories (oblastwatch.storage.atomic.staging_dir) and removals
    # (imported.remove_dataset) a killed process left behind.
    for leftover in directory.parent.glob(f".{_glob_escape(directory.name)}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in directory.parent.glob(f".{_glob_escape(directory.name)}.rm-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped (safe dataset names never contain them)."""
    return re.sub(r"([*?\[\]])", r"[\1]", text)


def read_saved(directory: Path) -> SavedDataset:
    """The files of the dataset at ``directory``, as stored; the caller holds the lock.

    Or those of its previous copy, when a save died between its two renames.
    """
    where = directory if is_dataset_dir(directory) else backup_path(directory)
    if not is_dataset_dir(where):
        raise StoreError(not_a_dataset(directory))
    try:
        # meta.json first: a reader without the lock (no lock file yet) that races a migration
        # either sees the old format, and reads everything again under the lock to migrate,
        # or sees the new one, and then only new files.
        meta = read_json(where / META_FILE)
        alerts_path = where / ALERTS_FILE
        return SavedDataset(
            events=pd.read_parquet(where / EVENTS_FILE),
            event_regions=pd.read_parquet(where / EVENT_REGIONS_FILE),
            report=read_json(where / REPORT_FILE),
            meta=meta,
            alerts=pd.read_parquet(alerts_path) if alerts_path.is_file() else None,
        )
    except (OSError, ValueError, TypeError) as error:
        raise StoreError(unreadable(directory, error)) from error
