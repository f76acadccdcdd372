"""A dataset saved in an older store format, brought up to date as it loads.

Format 1 stored Chernihiv oblast as UA-77 and Chernivtsi as UA-74, before the ISO 3166-2 fix.
A dataset in an older format than :data:`oblastwatch.storage.files.STORE_FORMAT` is migrated
the first time it is loaded (:mod:`oblastwatch.storage.migrations` holds one step per format):
the upgraded files replace the old ones through the atomic save
(:func:`oblastwatch.storage.dataset_dir.write_dataset`), under the exclusive lock and after
checking the format again under it, so a concurrent reader sees the old or the new dataset
whole and a second process does not migrate it twice; ``meta.json`` then records the step in
``migrations``. The load returns a one-line notice. A dataset that cannot be rewritten
(read-only) is migrated in memory on every load and its notice says so: loaded tables are
always in the current format.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from oblastwatch.domain import model
from oblastwatch.domain.alerts import conform_alerts
from oblastwatch.i18n import Message
from oblastwatch.storage import migrations
from oblastwatch.storage.dataset import StoreError, one_line
from oblastwatch.storage.dataset_dir import read_saved, recover, write_dataset
from oblastwatch.storage.files import META_FILE, REPORT_FILE, STORE_FORMAT
from oblastwatch.storage.locks import locked
from oblastwatch.storage.migrations import SavedDataset


def format_of(directory: Path, saved: SavedDataset) -> int:
    """The store format ``saved`` was written in; :class:`StoreError` when it is unknown."""
    try:
        return migrations.saved_format(saved.meta, newest=STORE_FORMAT)
    except migrations.MigrationError as error:
        raise StoreError(f"{directory}: {error}") from error


def upgraded(
    directory: Path, read: SavedDataset, label: str
) -> tuple[SavedDataset, Message | None]:
    """``read``, a dataset in an older store format, in the current one, and the notice to show.

    The notice is None when another process upgraded it first, or when every step was quiet
    (:attr:`oblastwatch.storage.migrations.Step.quiet`): nothing the reader sees changed.

    The upgrade is saved in place of the old files under the exclusive lock, through the same
    atomic path as :func:`oblastwatch.storage.imported.save_dataset`
    (:func:`oblastwatch.storage.dataset_dir.write_dataset`): a reader sees the old dataset or
    the new one, whole. The files are read again under that lock, as another process may have
    upgraded (or replaced) them since ``read``. When the directory cannot be written (a
    read-only medium, no space), the upgrade holds for this load only and the notice says so:
    the tables returned are always in the current format, never a mix.
    """
    try:
        with locked(directory, exclusive=True):
            recover(directory)
            current = read_saved(directory)
            if format_of(directory, current) >= STORE_FORMAT:
                return current, None
            migration = _migration(directory, current)
            written = _save_upgrade(directory, migration)
        return written, migration.notice(label) if migration.worth_telling else None
    except OSError as error:
        migration = _migration(directory, read)
        if not migration.worth_telling:
            return migration.dataset, None
        reason = f"{error.filename or directory}: {error.strerror or error}"
        return migration.dataset, migration.notice(label, not_saved=one_line(reason))


def _migration(directory: Path, saved: SavedDataset) -> migrations.Migration:
    try:
        migration = migrations.migrate(
            saved, from_format=format_of(directory, saved), to_format=STORE_FORMAT
        )
    except migrations.MigrationError as error:
        raise StoreError(f"{directory}: {error}") from error
    conformed = replace(
        migration.dataset,
        events=model.conform_events(migration.dataset.events),
        event_regions=model.conform_event_regions(migration.dataset.event_regions),
        alerts=conform_alerts(migration.dataset.alerts),
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
    write_dataset(
        directory, dataset.events, dataset.event_regions, documents, alerts=dataset.alerts
    )
    return replace(dataset, meta=meta)
