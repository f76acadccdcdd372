"""Imported datasets on disk: list, save, load and remove them.

A saved dataset is a directory, normally a subdirectory of
:func:`oblastwatch.storage.paths.user_data_dir`, holding the files of
:mod:`oblastwatch.storage.files`. :func:`save_dataset` checks the tables while it writes them
and replaces the directory atomically (:mod:`oblastwatch.storage.dataset_dir`) under the
dataset's exclusive lock (:mod:`oblastwatch.storage.locks`); :func:`load_dataset` reads under a
shared lock and brings a dataset in an older store format up to date
(:mod:`oblastwatch.storage.upgrade`).

Loading trusts a dataset whose ``meta.json`` carries the current
:data:`oblastwatch.domain.model.SCHEMA_VERSION` and whose files hold the canonical columns and
dtypes; any other dataset (saved by an older version, or edited by hand) is checked again by
:func:`oblastwatch.storage.store.load_all`. The events of an imported dataset are prefixed with
the dataset name (``mma/missile_attacks_daily:17``).
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path

import pandas as pd

from oblastwatch.domain import model
from oblastwatch.domain.alerts import conform_alerts
from oblastwatch.i18n import Message
from oblastwatch.importers.report import ImportReport, ImportResult
from oblastwatch.storage import paths
from oblastwatch.storage.dataset import IMPORTED, Dataset, StoreError, sources_row
from oblastwatch.storage.dataset_dir import (
    backup_path,
    checked_alerts,
    is_dataset_dir,
    not_a_dataset,
    read_saved,
    recover,
    unreadable,
    write_dataset,
)
from oblastwatch.storage.files import (
    META_FILE,
    REPORT_FILE,
    STORE_FORMAT,
    is_canonical,
    read_json,
)
from oblastwatch.storage.locks import locked
from oblastwatch.storage.upgrade import format_of, upgraded

_NAME_MAX = 64


def safe_dataset_name(text: str) -> str:
    """A dataset name safe as one directory name: ``[A-Za-z0-9._-]``, no leading dot.

    Accents are dropped, every other run of characters becomes ``-``; path separators cannot
    survive, so ``../../etc`` becomes ``etc``. Raises ``ValueError`` when nothing usable is left.

    >>> safe_dataset_name("Massive attacks (Feb 2026).csv")
    'Massive-attacks-Feb-2026-.csv'
    >>> safe_dataset_name("../../etc")
    'etc'
    """
    ascii_text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text)
    name = name.lstrip(".-_")[:_NAME_MAX].rstrip(".")
    if not name or not re.search(r"[A-Za-z0-9]", name):
        raise ValueError(
            f"dataset name {str(text)[:80]!r} has no letters or digits to keep "
            "(use A-Z, a-z, 0-9, '.', '_' or '-')"
        )
    return name


def imported_datasets(root: str | PathLike[str] | None = None) -> list[Path]:
    """Dataset directories under ``root`` (default: the user data directory), sorted by name.

    A dataset whose save was interrupted between its two renames is listed under its own name;
    :func:`load_dataset` reads its previous copy.
    """
    base = Path(root) if root is not None else paths.user_data_dir()
    if not base.is_dir():
        return []
    found = set()
    for child in base.iterdir():
        if not child.name.startswith(".") and is_dataset_dir(child):
            found.add(child)
        elif child.name.startswith(".") and child.name.endswith(".old"):
            original = base / child.name[1 : -len(".old")]
            if not original.exists() and is_dataset_dir(child):
                found.add(original)
    return sorted(found, key=lambda p: p.name)


def remove_dataset(path: str | PathLike[str]) -> None:
    """Delete a saved dataset directory; refuses any directory that is not one."""
    directory = Path(path)
    backup = backup_path(directory)
    if not is_dataset_dir(directory) and not is_dataset_dir(backup):
        raise StoreError(not_a_dataset(directory))
    if directory.is_symlink():
        raise StoreError(
            Message(
                "{directory}: is a symbolic link; remove it by hand", {"directory": str(directory)}
            )
        )
    with locked(directory, exclusive=True):
        for target in (directory, backup):
            if target.exists():
                doomed = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{directory.name}.rm-"))
                os.rename(target, doomed / "data")
                shutil.rmtree(doomed, ignore_errors=True)


def save_dataset(
    directory: str | PathLike[str],
    result: ImportResult,
    *,
    name: str | None = None,
    licence: str | None = None,
    origin: str | None = None,
    provenance: Mapping[str, object] | None = None,
) -> Path:
    """Write ``result`` to ``directory`` atomically, replacing a dataset saved there before.

    ``name`` defaults to the directory name and must already be safe (see
    :func:`safe_dataset_name`); ``licence`` and ``origin`` (where the data came from) are kept
    in ``meta.json``, and so is ``provenance`` (``fetch``: what a fetch downloaded, see
    :mod:`oblastwatch.storage.fetch`). Returns the directory. Raises :class:`StoreError` when the tables do not
    validate or ``directory`` exists but is not a dataset.
    """
    directory = Path(directory)
    name = directory.name if name is None else name
    try:
        safe = safe_dataset_name(name)
    except ValueError as error:
        raise StoreError(f"{directory}: {error}") from error
    if safe != name:
        raise StoreError(
            Message(
                "{directory}: dataset name {name} is not safe; try {safe}",
                {"directory": str(directory), "name": repr(name), "safe": repr(safe)},
            )
        )
    events = model.conform_events(result.events)
    event_regions = model.conform_event_regions(result.event_regions)
    alerts = conform_alerts(result.alerts)
    meta = {
        "format": STORE_FORMAT,
        "name": name,
        "licence": licence,
        "origin": origin,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": model.SCHEMA_VERSION,
        "events": len(events),
        "event_regions": len(event_regions),
        "alerts": len(alerts),
    }
    if provenance is not None:
        meta["fetch"] = dict(provenance)
    directory.parent.mkdir(parents=True, exist_ok=True)
    with locked(directory, exclusive=True):
        recover(directory)
        if directory.exists() and any(directory.iterdir()) and not is_dataset_dir(directory):
            raise StoreError(
                Message(
                    "{directory}: exists and is not an oblastwatch dataset; not replaced",
                    {"directory": str(directory)},
                )
            )
        documents = {REPORT_FILE: result.report.to_dict(), META_FILE: meta}
        write_dataset(directory, events, event_regions, documents, alerts=alerts)
    return directory


def load_dataset(directory: str | PathLike[str], *, name: str | None = None) -> Dataset:
    """Read one saved dataset; ``name`` overrides the saved name (used to keep names unique).

    Event ids and wave ids are prefixed with ``<name>/`` and ``events.source`` is set to the
    name. A dataset saved in an older store format is brought up to date first, once
    (:func:`oblastwatch.storage.upgrade.upgraded`), and :attr:`Dataset.notices` says so. Raises
    :class:`StoreError` with a one-line message when the directory is not a readable dataset.
    """
    return load_and_trust(directory, name=name)[0]


def load_and_trust(
    directory: str | PathLike[str], *, name: str | None = None
) -> tuple[Dataset, bool]:
    """:func:`load_dataset`, and whether its tables can be trusted without a new check.

    They can when saved by this schema version, with canonical columns and dtypes on disk.
    """
    directory = Path(directory)
    with locked(directory, exclusive=False):
        saved = read_saved(directory)
    label = name or str(saved.meta.get("name") or directory.name)
    notices: tuple[Message, ...] = ()
    if format_of(directory, saved) < STORE_FORMAT:
        saved, notice = upgraded(directory, saved, label)
        notices = (notice,) if notice is not None else ()
    try:
        report = ImportReport.from_dict(dict(saved.report))
    except (ValueError, TypeError, AssertionError) as error:
        raise StoreError(unreadable(directory, error)) from error
    meta = saved.meta
    checked = meta.get("schema_version") == model.SCHEMA_VERSION and is_canonical(
        saved.events, saved.event_regions
    )
    events = model.conform_events(saved.events)
    event_regions = model.conform_event_regions(saved.event_regions)
    alerts = conform_alerts(saved.alerts) if checked else checked_alerts(directory, saved.alerts)
    alerts["source"] = pd.Series(label, index=alerts.index, dtype="string")
    prefix = f"{label}/"
    events["event_id"] = prefix + events["event_id"]
    events["wave_id"] = prefix + events["wave_id"]
    events["source"] = pd.Series(label, index=events.index, dtype="string")
    event_regions["event_id"] = prefix + event_regions["event_id"]
    origin = meta.get("origin") or f"{report.source_name} ({report.format}) from {report.path}"
    sources = sources_row(label, IMPORTED, directory, events, meta.get("licence"), origin, alerts)
    return Dataset(events, event_regions, sources, {label: report}, notices, alerts), checked


def saved_name(directory: Path) -> str:
    """The safe name saved in the dataset's ``meta.json``, else its directory's name."""
    where = directory if is_dataset_dir(directory) else backup_path(directory)
    try:
        saved = read_json(where / META_FILE).get("name")
    except (OSError, ValueError):
        saved = None
    try:
        return safe_dataset_name(str(saved or directory.name))
    except ValueError:
        return "dataset"
