"""Persist imported datasets and load them together with the bundled data.

A saved dataset is a directory (normally a subdirectory of :func:`oblastwatch.storage.paths.user_data_dir`)
holding ``events.parquet``, ``event_regions.parquet``, ``report.json`` (the import report) and
``meta.json`` (name, licence, origin, when it was saved, the model's ``schema_version``, the
store ``format``).

The store format (:data:`STORE_FORMAT`, 2) says what the files mean. Format 1 stored Chernihiv
oblast as UA-77 and Chernivtsi as UA-74, before the ISO 3166-2 fix. A dataset in an older
format is migrated the first time it is loaded (:mod:`oblastwatch.storage.migrations` holds one
step per format): the upgraded files replace the old ones through the atomic save below,
under the exclusive lock and after checking the format again under it, so a concurrent reader
sees the old or the new dataset whole and a second process does not migrate it twice;
``meta.json`` then records the step in ``migrations``. The load returns a one-line notice
(:attr:`Dataset.notices`). A dataset that cannot be rewritten (read-only) is migrated in
memory on every load and its notice says so: loaded tables are always in the current format.

Tables are checked against the model (:func:`oblastwatch.domain.model.check_events`, the rules of the
pandera schemas, vectorised) before a saved dataset becomes visible: the checks run while its
files are written into the staging directory, which is thrown away if they fail. Loading
trusts a dataset whose ``meta.json`` carries the current :data:`oblastwatch.domain.model.SCHEMA_VERSION`
and whose files hold the canonical columns and dtypes; any other dataset (saved by an older
version, or edited by hand) is checked again. :func:`load_all` then checks only what spans datasets: that
event ids are unique across them.

Writes are atomic: :func:`save_dataset` writes a complete new directory next to the old one
(``.<name>.tmp-*``), moves the old one aside (``.<name>.old``), renames the new one into place
and only then deletes the old one. A process killed at any point leaves either the previous or
the new dataset readable: if it dies between the two renames, :func:`load_dataset` reads the
``.old`` copy and the next save puts it back. An exclusive ``flock`` on ``.<name>.lock`` keeps
two imports of the same dataset from interleaving; readers take a shared lock.

Event ids are unique across everything :func:`load_all` returns: the bundled events keep their
importer ids (``curated-talks:E054``), the events of an imported dataset are prefixed with the
dataset name (``mma/missile_attacks_daily:17``), and ``events.source`` names the dataset the
event came from, matching a row of :attr:`Dataset.sources`.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from oblastwatch.domain import model, resources
from oblastwatch.importers.report import ImportReport, ImportResult, UnusableInput
from oblastwatch.storage import cache, migrations, paths
from oblastwatch.storage.migrations import SavedDataset

EVENTS_FILE = "events.parquet"
EVENT_REGIONS_FILE = "event_regions.parquet"
REPORT_FILE = "report.json"
META_FILE = "meta.json"
# What a saved dataset's files mean, recorded in meta.json as "format". 2: region codes follow
# ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77); 1 had the two swapped. Bump it whenever
# saved files change meaning, with a step in oblastwatch.storage.migrations.STEPS.
STORE_FORMAT = 2

BUNDLED = "bundled"
IMPORTED = "imported"
TALKS_SOURCE = "curated-talks"
STRIKES_SOURCE = "curated-strikes"
BUNDLED_LICENCE = (
    "Curated for oblastwatch from the dated news pages cited row by row (source_url): facts "
    "and the curator's own summaries. Region boundaries: Natural Earth (public domain)."
)
BUNDLED_DESCRIPTIONS = {
    TALKS_SOURCE: "Diplomatic events 2022-2026 (talks, summits, calls, agreements, prisoner "
    "exchanges, returns, announcements), one cited page per row",
    STRIKES_SOURCE: "Major Russian missile and drone attack waves 2025-2026 with launch, "
    "interception and casualty figures, one cited page per row",
}

SOURCES_COLUMNS = ("name", "kind", "path", "rows", "start", "end", "licence", "description")
SOURCES_DTYPES = {
    "name": "string",
    "kind": "string",
    "path": "string",
    "rows": "Int64",
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
    "licence": "string",
    "description": "string",
}

# Seconds a save waits for another save of the same dataset before giving up.
LOCK_TIMEOUT_SECONDS = 60.0
_NAME_MAX = 64


class StoreError(Exception):
    """A dataset that cannot be saved or loaded; ``str()`` is one line naming the directory."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Events, their regions, one ``sources`` row per loaded dataset, and the import reports.

    ``sources`` columns: name (= ``events.source``), kind (bundled|imported), path, rows (events
    in the dataset), start and end (first and last event date), licence, description.
    ``reports`` maps a source name to its :class:`ImportReport`. ``notices`` are one-line
    messages for the user about this load: datasets brought up from an older store format.
    """

    events: pd.DataFrame
    event_regions: pd.DataFrame
    sources: pd.DataFrame
    reports: Mapping[str, ImportReport] = field(default_factory=dict)
    notices: tuple[str, ...] = ()


# --- names and locations -------------------------------------------------------------------


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
        if not child.name.startswith(".") and _is_dataset_dir(child):
            found.add(child)
        elif child.name.startswith(".") and child.name.endswith(".old"):
            original = base / child.name[1 : -len(".old")]
            if not original.exists() and _is_dataset_dir(child):
                found.add(original)
    return sorted(found, key=lambda p: p.name)


def remove_dataset(path: str | PathLike[str]) -> None:
    """Delete a saved dataset directory; refuses any directory that is not one."""
    directory = Path(path)
    backup = _backup_path(directory)
    if not _is_dataset_dir(directory) and not _is_dataset_dir(backup):
        raise StoreError(f"{directory}: not an oblastwatch dataset (no {EVENTS_FILE})")
    if directory.is_symlink():
        raise StoreError(f"{directory}: is a symbolic link; remove it by hand")
    with _locked(directory, exclusive=True):
        for target in (directory, backup):
            if target.exists():
                doomed = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{directory.name}.rm-"))
                os.rename(target, doomed / "data")
                shutil.rmtree(doomed, ignore_errors=True)


# --- saving --------------------------------------------------------------------------------


def save_dataset(
    directory: str | PathLike[str],
    result: ImportResult,
    *,
    name: str | None = None,
    licence: str | None = None,
    origin: str | None = None,
) -> Path:
    """Write ``result`` to ``directory`` atomically, replacing a dataset saved there before.

    ``name`` defaults to the directory name and must already be safe (see
    :func:`safe_dataset_name`); ``licence`` and ``origin`` (where the data came from) are kept
    in ``meta.json``. Returns the directory. Raises :class:`StoreError` when the tables do not
    validate or ``directory`` exists but is not a dataset.
    """
    directory = Path(directory)
    name = directory.name if name is None else name
    try:
        safe = safe_dataset_name(name)
    except ValueError as error:
        raise StoreError(f"{directory}: {error}") from error
    if safe != name:
        raise StoreError(f"{directory}: dataset name {name!r} is not safe; try {safe!r}")
    events = model.conform_events(result.events)
    event_regions = model.conform_event_regions(result.event_regions)
    meta = {
        "format": STORE_FORMAT,
        "name": name,
        "licence": licence,
        "origin": origin,
        "saved_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "schema_version": model.SCHEMA_VERSION,
        "events": len(events),
        "event_regions": len(event_regions),
    }
    directory.parent.mkdir(parents=True, exist_ok=True)
    with _locked(directory, exclusive=True):
        _recover(directory)
        if directory.exists() and any(directory.iterdir()) and not _is_dataset_dir(directory):
            raise StoreError(f"{directory}: exists and is not an oblastwatch dataset; not replaced")
        documents = {REPORT_FILE: result.report.to_dict(), META_FILE: meta}
        _replace(directory, events, event_regions, documents)
    return directory


def _replace(
    directory: Path,
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    documents: Mapping[str, Mapping[str, Any]],
) -> None:
    """Write the dataset into a staging directory beside ``directory`` and swap it into place.

    Its tables are checked on the way; the caller holds the exclusive lock. Nothing is left
    behind when the checks or a write fail.
    """
    staging = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}.tmp-"))
    try:
        _write_checked(directory, staging, events, event_regions, documents)
        _swap_into_place(staging, directory)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _write_checked(
    directory: Path,
    staging: Path,
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    documents: Mapping[str, Mapping[str, Any]],
) -> None:
    """Write both tables and the JSON ``documents`` (file name -> data) into ``staging``.

    The tables are checked while they are written (:func:`_validated`).

    The tables become Arrow here (pandas code, holding the GIL); a worker thread then
    encodes, compresses and syncs the files (Arrow and the disk, without the GIL) while this
    thread runs the checks. One worker: a second one competes with the checks for a core on
    a two-core machine and makes the save slower. When the checks fail, the writes not yet
    begun are cancelled and :class:`StoreError` is raised once the one under way has ended
    (leaving the pool waits for it); the caller then removes ``staging``, so no unchecked
    file is ever swapped in.
    """
    tables = {EVENTS_FILE: _arrow_table(events), EVENT_REGIONS_FILE: _arrow_table(event_regions)}
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="oblastwatch-save") as pool:
        writes = [
            pool.submit(_write_parquet, staging / name, table) for name, table in tables.items()
        ]
        writes.append(pool.submit(_write_documents, staging, documents))
        try:
            _validated(directory, events, event_regions)
        except BaseException:
            pool.shutdown(cancel_futures=True)
            raise
    for write in writes:
        write.result()  # a failed write raises here


def _validated(
    directory: Path, events: pd.DataFrame, event_regions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables conformed and checked against the model, every region row's event known."""
    try:
        events = model.check_events(events)
        event_regions = model.check_event_regions(event_regions)
    except model.TableError as error:
        raise StoreError(f"{directory}: invalid tables: {_one_line(error)}") from error
    # Arrow's hash lookup: pandas' isin on Arrow strings loops in Python (7 s at 1.7M rows).
    known = pc.is_in(
        model.arrow_strings(event_regions["event_id"]),
        value_set=model.arrow_strings(events["event_id"]),
    )
    orphans = ~known.to_numpy(zero_copy_only=False)
    if orphans.any():
        first = event_regions["event_id"].iloc[int(np.flatnonzero(orphans)[0])]
        raise StoreError(f"{directory}: event_regions row for unknown event_id {first}")
    return events, event_regions


def _is_canonical(events: pd.DataFrame, event_regions: pd.DataFrame) -> bool:
    """True when both tables have exactly the canonical columns, in order, and dtypes."""
    return _dtypes(events) == _CANONICAL_EVENTS and _dtypes(event_regions) == _CANONICAL_REGIONS


def _dtypes(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return [(str(c), str(t)) for c, t in frame.dtypes.items()]


_CANONICAL_EVENTS = _dtypes(model.empty_events())
_CANONICAL_REGIONS = _dtypes(model.empty_event_regions())


# Columns whose values are (nearly) all distinct, in both tables: a dictionary of them is as
# long as the column, and writing them plain is faster and smaller. Every other column
# repeats few values and is dictionary-encoded (without dictionaries, the files of a million
# events are nearly twice as large).
_PLAIN_COLUMNS = frozenset({"event_id", "source_row"})


def _arrow_table(frame: pd.DataFrame) -> pa.Table:
    # pyarrow directly: what DataFrame.to_parquet does, without its ~8 ms fixed cost per file.
    # One conversion thread: the thread pool costs more than it saves below ~100k rows.
    threads = 1 if len(frame) < 100_000 else None
    return pa.Table.from_pandas(frame, preserve_index=False, nthreads=threads)


def _write_parquet(path: Path, table: pa.Table, *, sync: bool = True) -> None:
    # Encoded into memory and written with one call: a Python file object would be called
    # back, with the GIL, page by page. No column statistics: nothing reads them (readers
    # load whole files), and they cost a sixth (10,000 events) to a third (a million) of the
    # encoding time.
    encoded = pa.BufferOutputStream()
    dictionary = [name for name in table.column_names if name not in _PLAIN_COLUMNS]
    pq.write_table(table, encoded, use_dictionary=dictionary, write_statistics=False)
    with path.open("wb") as handle:
        handle.write(encoded.getvalue())
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


def _write_documents(directory: Path, documents: Mapping[str, Mapping[str, Any]]) -> None:
    """Write each JSON document (file name -> data) into ``directory``, in order."""
    for name, data in documents.items():
        _write_json(directory / name, data)


def _write_json(path: Path, data: Mapping[str, Any], *, sync: bool = True) -> None:
    with path.open("w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=2, default=str)
        handle.write("\n")
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


def _swap_into_place(staging: Path, directory: Path) -> None:
    backup = _backup_path(directory)
    moved_aside = False
    try:
        if directory.exists():
            os.rename(directory, backup)
            moved_aside = True
        os.rename(staging, directory)
    except BaseException:
        if moved_aside and not directory.exists():
            os.rename(backup, directory)
        raise
    _fsync_dir(directory.parent)
    if moved_aside:
        shutil.rmtree(backup, ignore_errors=True)


def _recover(directory: Path) -> None:
    """Undo what a killed save left behind (called with the exclusive lock held)."""
    backup = _backup_path(directory)
    if backup.exists():
        if directory.exists():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(backup, directory)
    for leftover in directory.parent.glob(f".{_glob_escape(directory.name)}.tmp-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for leftover in directory.parent.glob(f".{_glob_escape(directory.name)}.rm-*"):
        shutil.rmtree(leftover, ignore_errors=True)


def _glob_escape(text: str) -> str:
    """``text`` with glob metacharacters escaped (safe dataset names never contain them)."""
    return re.sub(r"([*?\[\]])", r"[\1]", text)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- loading -------------------------------------------------------------------------------


def load_dataset(directory: str | PathLike[str], *, name: str | None = None) -> Dataset:
    """Read one saved dataset; ``name`` overrides the saved name (used to keep names unique).

    Event ids and wave ids are prefixed with ``<name>/`` and ``events.source`` is set to the
    name. A dataset saved in an older store format is brought up to date first, once
    (:func:`_upgraded`), and :attr:`Dataset.notices` says so. Raises :class:`StoreError` with
    a one-line message when the directory is not a readable dataset.
    """
    return _load(directory, name=name)[0]


def _load(directory: str | PathLike[str], *, name: str | None = None) -> tuple[Dataset, bool]:
    """:func:`load_dataset`, and whether its tables can be trusted without a new check.

    They can when saved by this schema version, with canonical columns and dtypes on disk.
    """
    directory = Path(directory)
    with _locked(directory, exclusive=False):
        saved = _read_saved(directory)
    label = name or str(saved.meta.get("name") or directory.name)
    notices: tuple[str, ...] = ()
    if _format_of(directory, saved) < STORE_FORMAT:
        saved, notice = _upgraded(directory, saved, label)
        notices = (notice,) if notice is not None else ()
    try:
        report = ImportReport.from_dict(dict(saved.report))
    except (ValueError, TypeError, AssertionError) as error:
        raise StoreError(f"{directory}: unreadable dataset: {_one_line(error)}") from error
    meta = saved.meta
    checked = meta.get("schema_version") == model.SCHEMA_VERSION and _is_canonical(
        saved.events, saved.event_regions
    )
    events = model.conform_events(saved.events)
    event_regions = model.conform_event_regions(saved.event_regions)
    prefix = f"{label}/"
    events["event_id"] = prefix + events["event_id"]
    events["wave_id"] = prefix + events["wave_id"]
    events["source"] = pd.Series(label, index=events.index, dtype="string")
    event_regions["event_id"] = prefix + event_regions["event_id"]
    origin = meta.get("origin") or f"{report.source_name} ({report.format}) from {report.path}"
    sources = _sources_row(label, IMPORTED, directory, events, meta.get("licence"), origin)
    return Dataset(events, event_regions, sources, {label: report}, notices), checked


def _read_saved(directory: Path) -> SavedDataset:
    """The files of the dataset at ``directory``, as stored; the caller holds the lock.

    Or those of its previous copy, when a save died between its two renames.
    """
    where = directory if _is_dataset_dir(directory) else _backup_path(directory)
    if not _is_dataset_dir(where):
        raise StoreError(f"{directory}: not an oblastwatch dataset (no {EVENTS_FILE})")
    try:
        # meta.json first: a reader without the lock (no lock file yet) that races a migration
        # either sees the old format, and reads everything again under the lock to migrate,
        # or sees the new one, and then only new files.
        meta = _read_json(where / META_FILE)
        return SavedDataset(
            events=pd.read_parquet(where / EVENTS_FILE),
            event_regions=pd.read_parquet(where / EVENT_REGIONS_FILE),
            report=_read_json(where / REPORT_FILE),
            meta=meta,
        )
    except (OSError, ValueError, TypeError) as error:
        raise StoreError(f"{directory}: unreadable dataset: {_one_line(error)}") from error


def _format_of(directory: Path, saved: SavedDataset) -> int:
    try:
        return migrations.saved_format(saved.meta, newest=STORE_FORMAT)
    except migrations.MigrationError as error:
        raise StoreError(f"{directory}: {error}") from error


# --- older store formats -----------------------------------------------------------------------


def _upgraded(directory: Path, read: SavedDataset, label: str) -> tuple[SavedDataset, str | None]:
    """``read``, a dataset in an older store format, in the current one, and the notice to show.

    The notice is None when another process upgraded it first: nothing changed for this load.

    The upgrade is saved in place of the old files under the exclusive lock, through the same
    atomic path as :func:`save_dataset`: a reader sees the old dataset or the new one, whole.
    The files are read again under that lock, as another process may have upgraded (or
    replaced) them since ``read``. When the directory cannot be written (a read-only medium,
    no space), the upgrade holds for this load only and the notice says so: the tables
    returned are always in the current format, never a mix.
    """
    try:
        with _locked(directory, exclusive=True):
            _recover(directory)
            current = _read_saved(directory)
            if _format_of(directory, current) >= STORE_FORMAT:
                return current, None
            migration = _migration(directory, current)
            upgraded = _save_upgrade(directory, migration)
        return upgraded, migration.notice(label)
    except OSError as error:
        migration = _migration(directory, read)
        reason = f"{error.filename or directory}: {error.strerror or error}"
        return migration.dataset, migration.notice(label, not_saved=_one_line(reason))


def _migration(directory: Path, saved: SavedDataset) -> migrations.Migration:
    try:
        migration = migrations.migrate(
            saved, from_format=_format_of(directory, saved), to_format=STORE_FORMAT
        )
    except migrations.MigrationError as error:
        raise StoreError(f"{directory}: {error}") from error
    conformed = replace(
        migration.dataset,
        events=model.conform_events(migration.dataset.events),
        event_regions=model.conform_event_regions(migration.dataset.event_regions),
    )
    return replace(migration, dataset=conformed)


def _save_upgrade(directory: Path, migration: migrations.Migration) -> SavedDataset:
    """Write the upgraded dataset in place of the old one (exclusive lock held) and return it.

    It is returned as written. Its tables are checked as they are written, so the saved meta
    names the current schema version; the meta keeps when the dataset was imported and adds a
    line to its ``migrations``.
    """
    dataset = migration.dataset
    history = dataset.meta.get("migrations")
    entry = {
        "from_format": migration.from_format,
        "to_format": migration.to_format,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "changes": list(migration.changes),
    }
    meta = {
        **dataset.meta,
        "format": STORE_FORMAT,
        "schema_version": model.SCHEMA_VERSION,
        "migrations": [*(history if isinstance(history, list) else []), entry],
    }
    documents = {REPORT_FILE: dataset.report, META_FILE: meta}
    _replace(directory, dataset.events, dataset.event_regions, documents)
    return replace(dataset, meta=meta)


def load_bundled() -> Dataset:
    """The curated talks and strikes tables shipped in ``data/``, through the curated importer.

    The import result is cached as Parquet in :func:`oblastwatch.storage.cache.cache_dir`, keyed by the SHA-256
    of the two CSV files and of the code that imports them, so a start reads two small Parquet
    files instead of running the importer. Any problem with the cache (missing, unreadable,
    not the canonical tables, not writable) falls back to the CSV import.
    """
    tables = {
        TALKS_SOURCE: ("talks", resources.TALKS_PATH),
        STRIKES_SOURCE: ("strikes", resources.STRIKES_PATH),
    }
    entry = _bundled_cache_path(tables)
    loaded = _read_bundled_cache(entry) if entry is not None else None
    if loaded is not None:
        try:
            return _bundled_dataset(tables, *loaded)
        except StoreError:
            pass  # a cache that does not validate: import the CSV files again
    results = {}
    for source, (fmt, path) in tables.items():
        results[source] = _import_bundled(source, fmt, path)
    events = {source: result.events for source, result in results.items()}
    regions = {source: result.event_regions for source, result in results.items()}
    reports = {source: result.report for source, result in results.items()}
    dataset = _bundled_dataset(tables, events, regions, reports)
    if entry is not None:
        _write_bundled_cache(entry, dataset, reports)
    return dataset


def _import_bundled(source: str, fmt: str, path: Path) -> ImportResult:
    from oblastwatch.importers import import_file

    try:
        return import_file(path, fmt=fmt, source_name=source)
    except UnusableInput as error:
        raise StoreError(f"bundled table {error}") from error


def _bundled_dataset(
    tables: Mapping[str, tuple[str, Path]],
    events: Mapping[str, pd.DataFrame],
    regions: Mapping[str, pd.DataFrame],
    reports: Mapping[str, ImportReport],
) -> Dataset:
    sources = [
        _sources_row(
            source, BUNDLED, path, events[source], BUNDLED_LICENCE, BUNDLED_DESCRIPTIONS[source]
        )
        for source, (_, path) in tables.items()
    ]
    all_events, all_regions = _union(
        [events[s] for s in tables], [regions[s] for s in tables], where=resources.BUNDLED_DATA_DIR
    )
    return Dataset(all_events, all_regions, _concat(sources, _empty_sources()), dict(reports))


# --- the bundled tables' cache ---------------------------------------------------------------

# 2: region codes follow ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77). The key's code
# digest changed with the fix anyway; the number says that an entry's meaning did too.
_BUNDLED_CACHE_FORMAT = 2
_BUNDLED_KIND = "bundled"


def _bundled_cache_path(tables: Mapping[str, tuple[str, Path]]) -> Path | None:
    """The cache entry for the current CSV files and code.

    None when they cannot be read (the CSV import then reports the problem).
    """
    digest = hashlib.sha256(f"{_BUNDLED_CACHE_FORMAT}:{model.SCHEMA_VERSION}".encode())
    try:
        for source, (fmt, path) in tables.items():
            digest.update(f"\0{source}\0{fmt}\0".encode())
            digest.update(Path(path).read_bytes())
        # The whole package: a hand-kept list of the modules the import uses would go stale.
        digest.update(cache.code_digest())
    except (OSError, ValueError):
        return None
    return cache.cache_dir() / f"{_BUNDLED_KIND}-{digest.hexdigest()[:32]}"


def _read_bundled_cache(
    entry: Path,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, ImportReport]] | None:
    """The cached tables split by source, or None on any problem."""
    try:
        events = pd.read_parquet(entry / EVENTS_FILE)
        regions = pd.read_parquet(entry / EVENT_REGIONS_FILE)
        saved = _read_json(entry / REPORT_FILE)
        if not _is_canonical(events, regions) or set(saved) != {TALKS_SOURCE, STRIKES_SOURCE}:
            return None
        reports = {source: ImportReport.from_dict(saved[source]) for source in saved}
        by_source = {
            source: events[events["source"].eq(source).to_numpy(dtype=bool)].reset_index(drop=True)
            for source in reports
        }
        region_rows = {}
        for source, part in by_source.items():
            known = pc.is_in(
                model.arrow_strings(regions["event_id"]),
                value_set=model.arrow_strings(part["event_id"]),
            ).to_numpy(zero_copy_only=False)
            region_rows[source] = regions[known].reset_index(drop=True)
        if sum(map(len, by_source.values())) != len(events):
            return None
        if sum(map(len, region_rows.values())) != len(regions):
            return None
        cache.touch(entry)  # used now: pruning keeps it
        return by_source, region_rows, reports
    except Exception:  # noqa: BLE001 - any problem with a cache means: import the CSV files
        return None


def _write_bundled_cache(
    entry: Path, dataset: Dataset, reports: Mapping[str, ImportReport]
) -> None:
    """Publish the cache entry (:func:`oblastwatch.storage.cache.publish`); never raises."""

    def write(staging: Path) -> None:
        _write_parquet(staging / EVENTS_FILE, _arrow_table(dataset.events), sync=False)
        _write_parquet(
            staging / EVENT_REGIONS_FILE, _arrow_table(dataset.event_regions), sync=False
        )
        report_data = {source: report.to_dict() for source, report in reports.items()}
        _write_json(staging / REPORT_FILE, report_data, sync=False)

    if cache.publish(entry, write):
        cache.prune(entry, _BUNDLED_KIND)


def load_all(
    extra_dirs: Iterable[str | PathLike[str]] = (), include_user_dir: bool = True
) -> Dataset:
    """The bundled data plus every imported dataset, validated, with unique event ids.

    ``extra_dirs`` are dataset directories loaded in addition to those in the user data
    directory. A dataset whose name is already taken is loaded as ``<name>-2``, ``<name>-3``...
    Datasets saved by this schema version were checked when saved and are not checked again;
    what is checked here is that event ids are unique across all datasets. Datasets saved in
    an older store format are brought up to date as they load (:func:`load_dataset`); the
    result's :attr:`Dataset.notices` has one line for each.
    """
    bundled = load_bundled()
    directories: list[Path] = []
    if include_user_dir:
        directories.extend(imported_datasets())
    directories.extend(Path(d) for d in extra_dirs)
    seen_paths: set[Path] = set()
    taken = set(bundled.sources["name"])
    parts = [bundled]  # load_bundled checked the bundled tables
    for directory in directories:
        resolved = directory.resolve()
        if resolved in seen_paths:
            continue
        seen_paths.add(resolved)
        label = _unique_name(_saved_name(directory), taken)
        taken.add(label)
        part, trusted = _load(directory, name=label)
        if not trusted:
            events, regions = _validated(directory, part.events, part.event_regions)
            part = replace(part, events=events, event_regions=regions)
        parts.append(part)
    reports: dict[str, ImportReport] = {}
    for part in parts:
        reports.update(part.reports)
    all_events, all_regions = _union(
        [p.events for p in parts],
        [p.event_regions for p in parts],
        where=Path("(all datasets)"),
        checked=True,
    )
    sources = _concat([p.sources for p in parts], _empty_sources())
    notices = tuple(notice for part in parts for notice in part.notices)
    return Dataset(all_events, all_regions, sources, reports, notices)


def _union(
    events: list[pd.DataFrame],
    regions: list[pd.DataFrame],
    *,
    where: Path,
    checked: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables concatenated and checked.

    When every part was ``checked`` on its own (its region rows point into its own events),
    only event ids unique across parts are left to check.
    """
    all_events = _concat([model.conform_events(e) for e in events], model.empty_events())
    all_regions = _concat(
        [model.conform_event_regions(r) for r in regions], model.empty_event_regions()
    )
    if not checked:
        return _validated(where, all_events, all_regions)
    repeated = _id_in_two_parts([e["event_id"] for e in events])
    if repeated is not None:
        row = int(np.flatnonzero(all_events["event_id"].eq(repeated).to_numpy())[1])
        raise StoreError(
            f"{where}: invalid tables: events row {row}, column event_id: "
            f"{repeated!r} repeats an earlier dataset's event_id"
        )
    return all_events, all_regions


def _id_in_two_parts(parts: list[pd.Series]) -> str | None:
    """An id found in two of ``parts`` (each free of repeats on its own), or None.

    Smallest parts first, each probed against a hash set of the ids before it: the largest
    dataset is only probed, never hashed into a set (30 ms per million ids, not 0.5 s).
    """
    seen: list[pa.Array] = []
    for part in sorted(parts, key=len):
        ids = model.arrow_strings(part)
        if seen:
            found = pc.is_in(ids, value_set=pa.concat_arrays(seen))
            if pc.any(found).as_py():
                return str(ids.filter(found)[0])
        seen.append(ids)
    return None


def _concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    return pd.concat(frames, ignore_index=True)


def _sources_row(
    name: str,
    kind: str,
    path: Path,
    events: pd.DataFrame,
    licence: str | None,
    description: str | None,
) -> pd.DataFrame:
    dates = pd.to_datetime(events["date"])
    row = {
        "name": name,
        "kind": kind,
        "path": str(path),
        "rows": len(events),
        "start": dates.min() if len(dates) else pd.NaT,
        "end": dates.max() if len(dates) else pd.NaT,
        "licence": licence,
        "description": description,
    }
    return pd.DataFrame([row], columns=list(SOURCES_COLUMNS)).astype(SOURCES_DTYPES)


def _empty_sources() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=SOURCES_DTYPES[c]) for c in SOURCES_COLUMNS})


def _read_json(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} does not hold a JSON object")
    return data


def _saved_name(directory: Path) -> str:
    where = directory if _is_dataset_dir(directory) else _backup_path(directory)
    try:
        saved = _read_json(where / META_FILE).get("name")
    except (OSError, ValueError):
        saved = None
    try:
        return safe_dataset_name(str(saved or directory.name))
    except ValueError:
        return "dataset"


def _unique_name(name: str, taken: set[str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"


# --- locking -------------------------------------------------------------------------------


def _backup_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.old"


def _lock_path(directory: Path) -> Path:
    return directory.parent / f".{directory.name}.lock"


def _is_dataset_dir(path: Path) -> bool:
    return path.is_dir() and (path / EVENTS_FILE).is_file()


@contextmanager
def _locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold ``flock`` on the dataset's lock file: exclusive to write, shared to read.

    Readers never create the lock file: a dataset nobody saved here (an extra directory on a
    read-only medium) is read without locking.
    """
    lock_path = _lock_path(directory)
    if exclusive:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    else:
        try:
            fd = os.open(lock_path, os.O_RDONLY)
        except FileNotFoundError:
            fd = None
    if fd is None:
        yield
        return
    try:
        operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(fd, operation)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{directory}: another process is writing this dataset "
                        f"({lock_path.name} held for over {LOCK_TIMEOUT_SECONDS:g} s)"
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)


def _one_line(error: object) -> str:
    return " ".join(str(error).split())[:300]
