"""Fetch the newest Massive Missile Attacks data into the data directory, in one step.

:func:`fetch_mma` gets the files (:mod:`oblastwatch.importers.mma_source`), imports them like
``oblastwatch import`` and saves them as the dataset :data:`MMA_DATASET`, replacing the previous
copy atomically (:func:`~oblastwatch.storage.imported.save_dataset`): a reader sees the old or
the new copy, never a mix, and any failure before the save leaves the old copy as it was.

The daily file's SHA-256 is kept in the dataset's ``meta.json`` (``fetch``). When a fetch finds
the same content again, nothing is imported or written. One fetch runs at a time per data
directory: a second one (an overlapping cron run, say) stops at once with a one-line error.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from oblastwatch.domain import model
from oblastwatch.importers import UnusableInput, import_file, mma_source
from oblastwatch.importers.mma_source import Progress, SourceError
from oblastwatch.importers.report import ImportReport
from oblastwatch.storage import paths
from oblastwatch.storage.dataset import StoreError
from oblastwatch.storage.dataset_dir import is_dataset_dir, read_saved
from oblastwatch.storage.files import REPORT_FILE, read_json
from oblastwatch.storage.imported import imported_datasets, save_dataset
from oblastwatch.storage.locks import locked

MMA_DATASET = "mma"
_FETCH_LOCK = ".fetch-mma.lock"
# Event columns that identify a row's content; ids are row numbers and move when rows are added.
_IDENTITY_EXCLUDED = ("event_id", "source", "source_row")


class FetchError(Exception):
    """A fetch that changed nothing; ``str()`` is one line, and the previous data is intact."""


@dataclass(frozen=True)
class FetchOutcome:
    """What a fetch found and did.

    ``new_rows``: events whose content the previous copy did not have (``None`` on the first
    fetch). ``unchanged``: the content was the previous copy's, so nothing was written.
    ``also_mma``: other datasets in the data directory imported from the same source (by
    ``oblastwatch import``): loaded together, they would count each attack twice.
    """

    directory: Path
    origin: str
    version: str | None
    rows: int
    start: pd.Timestamp | None
    end: pd.Timestamp | None
    previous_rows: int | None
    new_rows: int | None
    unchanged: bool
    report: ImportReport | None
    also_mma: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the terminal and the Data page.

        >>> FetchOutcome(Path("mma"), "Kaggle x, version 7", "7", 3, pd.Timestamp("2026-01-01"),
        ...     pd.Timestamp("2026-01-05"), 2, 1, False, None).summary()
        'Kaggle x, version 7: 3 rows, 2026-01-01 to 2026-01-05; 1 new since the last fetch.'
        """
        span = (
            f"{self.start:%Y-%m-%d} to {self.end:%Y-%m-%d}"
            if self.start is not None and self.end is not None
            else "no dated rows"
        )
        rejected = self.report.rows_rejected if self.report is not None else 0
        if rejected:
            span += f"; {rejected:,} rows rejected (listed in the dataset's report.json)"
        if self.unchanged:
            news = "unchanged since the last fetch, nothing imported"
        elif self.new_rows is None:
            news = "first fetch"
        else:
            news = f"{self.new_rows:,} new since the last fetch"
        line = f"{self.origin}: {self.rows:,} rows, {span}; {news}."
        if self.also_mma:
            names = ", ".join(f"'{name}'" for name in self.also_mma)
            line += (
                f" Note: {names} also holds Massive Missile Attacks data; remove it on the Data "
                "page so that attacks are not counted twice."
            )
        return line


def fetch_mma(
    source: str | None = None,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> FetchOutcome:
    """Get the dataset from Kaggle (``source`` None) or ``source`` (path or URL) and save it.

    Raises :class:`FetchError` (one line; the data already saved is unchanged) when the files
    cannot be obtained, do not import, cannot be saved, or another fetch is running.
    """
    report = progress or (lambda stage, fraction: None)
    root = Path(data_dir) if data_dir is not None else paths.user_data_dir()
    directory = root / MMA_DATASET
    root.mkdir(parents=True, exist_ok=True)
    with (
        _one_fetch_at_a_time(root),
        tempfile.TemporaryDirectory(prefix="oblastwatch-fetch-") as tmp,
    ):
        try:
            files = mma_source.obtain(source, Path(tmp), report)
        except SourceError as error:
            raise FetchError(_kept(str(error))) from None
        previous = _previous(directory)
        also_mma = _other_mma_datasets(root)
        if previous is not None and previous.meta_sha256 == files.content_sha256:
            return _unchanged(directory, files, previous, also_mma)
        report(f"Importing {files.daily.name}", None)
        try:
            result = import_file(
                files.daily, fmt="mma", catalog=files.catalog, source_name=MMA_DATASET
            )
        except UnusableInput as error:
            raise FetchError(_kept(f"{error} (its columns may have changed)")) from None
        new_rows = None if previous is None else _new_row_count(result.events, previous.events)
        report(f"Saving {result.report.rows_imported:,} events", None)
        provenance = {
            "origin": files.origin,
            "version": files.version,
            "content_sha256": files.content_sha256,
            "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
        try:
            save_dataset(
                directory,
                result,
                name=MMA_DATASET,
                licence=mma_source.CREDIT,
                origin=files.origin,
                provenance=provenance,
            )
        except (StoreError, OSError) as error:
            raise FetchError(_kept(str(error))) from None
    dates = pd.to_datetime(result.events["date"])
    return FetchOutcome(
        directory=directory,
        origin=files.origin,
        version=files.version,
        rows=len(result.events),
        start=dates.min() if len(dates) else None,
        end=dates.max() if len(dates) else None,
        previous_rows=None if previous is None else len(previous.events),
        new_rows=new_rows,
        unchanged=False,
        report=result.report,
        also_mma=also_mma,
    )


def _kept(problem: str) -> str:
    """``problem`` as one line that says the data already saved is untouched."""
    return f"{' '.join(problem.split()).rstrip('.')}. The data already loaded is unchanged."


@dataclass(frozen=True)
class _Previous:
    events: pd.DataFrame
    meta_sha256: str | None


def _previous(directory: Path) -> _Previous | None:
    """The copy saved by the last fetch or import, or None (unreadable counts as none)."""
    if not is_dataset_dir(directory):
        return None
    try:
        with locked(directory, exclusive=False):
            saved = read_saved(directory)
    except StoreError:
        return None
    fetched = saved.meta.get("fetch") or {}
    sha = fetched.get("content_sha256") if isinstance(fetched, dict) else None
    return _Previous(saved.events, str(sha) if sha else None)


def _other_mma_datasets(root: Path) -> tuple[str, ...]:
    """Datasets under ``root``, other than the fetched one, whose import format was mma."""
    found = []
    for directory in imported_datasets(root):
        if directory.name == MMA_DATASET:
            continue
        try:
            fmt = read_json(directory / REPORT_FILE).get("format")
        except (OSError, ValueError):
            continue
        if fmt == "mma":
            found.append(directory.name)
    return tuple(found)


def _unchanged(
    directory: Path, files: mma_source.MmaFiles, previous: _Previous, also_mma: tuple[str, ...]
) -> FetchOutcome:
    dates = pd.to_datetime(previous.events["date"])
    return FetchOutcome(
        directory=directory,
        origin=files.origin,
        version=files.version,
        rows=len(previous.events),
        start=dates.min() if len(dates) else None,
        end=dates.max() if len(dates) else None,
        previous_rows=len(previous.events),
        new_rows=0,
        unchanged=True,
        report=None,
        also_mma=also_mma,
    )


def _new_row_count(current: pd.DataFrame, previous: pd.DataFrame) -> int:
    """Events of ``current`` whose content ``previous`` lacks, counting repeats as a multiset."""
    now = _content_hashes(current).value_counts()
    before = _content_hashes(previous).value_counts()
    extra = now.sub(before.reindex(now.index, fill_value=0)).clip(lower=0)
    return int(extra.sum())


def _content_hashes(events: pd.DataFrame) -> pd.Series:
    conformed = model.conform_events(events)
    columns = [c for c in conformed.columns if c not in _IDENTITY_EXCLUDED]
    return pd.util.hash_pandas_object(conformed[columns], index=False)


@contextmanager
def _one_fetch_at_a_time(root: Path) -> Iterator[None]:
    fd = os.open(root / _FETCH_LOCK, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(
                f"another fetch into {root} is running; this one stopped and changed nothing"
            ) from None
        yield
    finally:
        os.close(fd)
