"""Fetch the newest data of a public source into the data directory, in one step.

:func:`fetch` gets the files of a :data:`SOURCES` entry (the Massive Missile Attacks dataset,
:mod:`oblastwatch.importers.mma_source`; the air-raid sirens dataset,
:mod:`oblastwatch.importers.alerts_source`), imports them like ``oblastwatch import`` and saves
them as that source's dataset, replacing the previous copy atomically
(:func:`~oblastwatch.storage.imported.save_dataset`): a reader sees the old or the new copy,
never a mix, and any failure before the save leaves the old copy as it was.

The daily file's SHA-256 is kept in the dataset's ``meta.json`` (``fetch``). When a fetch finds
the same content again, nothing is imported or written. One fetch runs at a time per data
directory: a second one (an overlapping cron run, say) stops at once with a one-line error.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from oblastwatch.domain import model
from oblastwatch.domain.alerts import conform_alerts
from oblastwatch.i18n import Message, plural_message, verbatim
from oblastwatch.importers import UnusableInput, alerts_source, import_file, mma_source
from oblastwatch.importers.mma_source import FetchedFiles, Progress, SourceError
from oblastwatch.importers.report import ImportReport
from oblastwatch.storage import paths
from oblastwatch.storage.dataset import StoreError
from oblastwatch.storage.dataset_dir import is_dataset_dir, read_saved
from oblastwatch.storage.files import REPORT_FILE, read_json
from oblastwatch.storage.imported import imported_datasets, save_dataset
from oblastwatch.storage.locks import locked

MMA_DATASET = "mma"
ALERTS_DATASET = "air-raid-alerts"
# Columns that do not identify a row's content: ids and row numbers move when rows are added.
_IDENTITY_EXCLUDED = ("event_id", "source", "source_row")


@dataclass(frozen=True)
class FetchSource:
    """A public dataset that ``oblastwatch fetch`` keeps: how to get it and what to save.

    ``rows``: the table whose rows are counted ("events", or "alerts" for an alerts file).
    """

    dataset: str
    fmt: str
    credit: str
    obtain: Callable[[str | None, Path, Progress | None], FetchedFiles]
    rows: str = "events"


SOURCES: dict[str, FetchSource] = {
    "mma": FetchSource(MMA_DATASET, "mma", mma_source.CREDIT, mma_source.obtain),
    "alerts": FetchSource(
        ALERTS_DATASET, "alerts", alerts_source.CREDIT, alerts_source.obtain, rows="alerts"
    ),
}


class FetchError(Exception):
    """A fetch that changed nothing; ``str()`` is one line, and the previous data is intact.

    ``message`` is that line as a :class:`Message`, for a page to show in its language.
    """

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(str(message))


@dataclass(frozen=True)
class FetchOutcome:
    """What a fetch found and did.

    ``rows`` counts the source's rows (events, or alerts for the alerts file); ``new_rows``:
    those whose content the previous copy did not have (``None`` on the first fetch). ``unchanged``: the content was the previous copy's, so nothing was written.
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
        """One line for the terminal (English; the Data page shows :meth:`summary_message`).

        >>> FetchOutcome(Path("mma"), "Kaggle x, version 7", "7", 3, pd.Timestamp("2026-01-01"),
        ...     pd.Timestamp("2026-01-05"), 2, 1, False, None).summary()
        'Kaggle x, version 7: 3 rows, 2026-01-01 to 2026-01-05; 1 new since the last fetch.'
        """
        return str(self.summary_message())

    def summary_message(self) -> Message:
        """:meth:`summary` as a message (the origin as the source wrote it)."""
        span: Message = (
            Message(
                "{start} to {end}",
                {"start": f"{self.start:%Y-%m-%d}", "end": f"{self.end:%Y-%m-%d}"},
            )
            if self.start is not None and self.end is not None
            else Message("no dated rows")
        )
        rejected = self.report.rows_rejected if self.report is not None else 0
        if rejected:
            span = plural_message(
                "{span}; {count:,} row rejected (listed in the dataset's report.json)",
                "{span}; {count:,} rows rejected (listed in the dataset's report.json)",
                rejected,
                {"span": span, "count": rejected},
            )
        if self.unchanged:
            news = Message("unchanged since the last fetch, nothing imported")
        elif self.new_rows is None:
            news = Message("first fetch")
        else:
            news = Message("{count:,} new since the last fetch", {"count": self.new_rows})
        line = plural_message(
            "{origin}: {count:,} row, {span}; {news}.",
            "{origin}: {count:,} rows, {span}; {news}.",
            self.rows,
            {"origin": self.origin, "count": self.rows, "span": span, "news": news},
        )
        if self.also_mma:
            names = ", ".join(f"'{name}'" for name in self.also_mma)
            line = Message(
                "{line} Note: {names} also holds Massive Missile Attacks data; remove it on the "
                "Data page so that attacks are not counted twice.",
                {"line": line, "names": names},
            )
        return line


def fetch_mma(
    source: str | None = None,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> FetchOutcome:
    """:func:`fetch` of the Massive Missile Attacks dataset (from Kaggle when ``source`` is None)."""
    return fetch("mma", source, data_dir=data_dir, progress=progress)


def fetch(
    what: str,
    source: str | None = None,
    *,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> FetchOutcome:
    """Get the :data:`SOURCES` entry ``what`` and save it as its dataset.

    From its home when ``source`` is None, else from ``source`` (a path or URL).

    Raises :class:`FetchError` (one line; the data already saved is unchanged) when the files
    cannot be obtained, do not import, cannot be saved, or another fetch is running.
    """
    spec = SOURCES[what]
    report = progress or (lambda stage, fraction: None)
    root = Path(data_dir) if data_dir is not None else paths.user_data_dir()
    directory = root / spec.dataset
    root.mkdir(parents=True, exist_ok=True)
    with (
        _one_fetch_at_a_time(root, what),
        tempfile.TemporaryDirectory(prefix="oblastwatch-fetch-") as tmp,
    ):
        try:
            files = spec.obtain(source, Path(tmp), report)
        except SourceError as error:
            raise FetchError(_kept(error.message)) from None
        previous = _previous(directory, spec.rows)
        also_mma = _other_mma_datasets(root) if what == "mma" else ()
        if previous is not None and previous.meta_sha256 == files.content_sha256:
            return _unchanged(directory, files, previous, also_mma)
        report(Message("Importing {file}", {"file": files.daily.name}), None)
        try:
            result = import_file(
                files.daily, fmt=spec.fmt, catalog=files.catalog, source_name=spec.dataset
            )
        except UnusableInput as error:
            raise FetchError(
                _kept(Message("{error} (its columns may have changed)", {"error": error.message()}))
            ) from None
        counted = _counted(result.alerts if spec.rows == "alerts" else result.events, spec.rows)
        new_rows = None if previous is None else _new_row_count(counted, previous.rows)
        report(_saving(result.report.rows_imported, spec.rows), None)
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
                name=spec.dataset,
                licence=spec.credit,
                origin=files.origin,
                provenance=provenance,
            )
        except StoreError as error:
            raise FetchError(_kept(error.message)) from None
        except OSError as error:
            raise FetchError(_kept(verbatim(str(error)))) from None
    start, end = _span(counted)
    return FetchOutcome(
        directory=directory,
        origin=files.origin,
        version=files.version,
        rows=len(counted),
        start=start,
        end=end,
        previous_rows=None if previous is None else len(previous.rows),
        new_rows=new_rows,
        unchanged=False,
        report=result.report,
        also_mma=also_mma,
    )


def _kept(problem: Message) -> Message:
    """``problem`` as one line that says the data already saved is untouched."""
    # Without a closing full stop: the line adds its own. (The fetch's own messages have
    # none; a text from elsewhere is kept as written, less its full stop.)
    text = " ".join(str(problem).split())
    if text.endswith("."):
        problem = verbatim(text.rstrip("."))
    return Message("{problem}. The data already loaded is unchanged.", {"problem": problem})


def _saving(count: int, rows: str) -> Message:
    """The stage of saving ``count`` rows (``rows``: "events" or "alerts")."""
    if rows == "alerts":
        return plural_message(
            "Saving {count:,} alert", "Saving {count:,} alerts", count, {"count": count}
        )
    return plural_message(
        "Saving {count:,} event", "Saving {count:,} events", count, {"count": count}
    )


@dataclass(frozen=True)
class _Previous:
    rows: pd.DataFrame
    meta_sha256: str | None


def _counted(table: pd.DataFrame | None, rows: str) -> pd.DataFrame:
    """The table whose rows a fetch counts, conformed: events, or alerts."""
    return conform_alerts(table) if rows == "alerts" else model.conform_events(table)


def _span(table: pd.DataFrame) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """The first and last day of ``table`` (events' ``date``, alerts' ``start``)."""
    column = "date" if "date" in table.columns else "start"
    days = pd.to_datetime(table[column])
    if column == "start":
        days = days.dt.tz_convert("Europe/Kyiv").dt.tz_localize(None).dt.normalize()
    if not len(days):
        return None, None
    return days.min(), days.max()


def _previous(directory: Path, rows: str) -> _Previous | None:
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
    table = saved.alerts if rows == "alerts" else saved.events
    return _Previous(_counted(table, rows), str(sha) if sha else None)


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
    directory: Path, files: FetchedFiles, previous: _Previous, also_mma: tuple[str, ...]
) -> FetchOutcome:
    start, end = _span(previous.rows)
    return FetchOutcome(
        directory=directory,
        origin=files.origin,
        version=files.version,
        rows=len(previous.rows),
        start=start,
        end=end,
        previous_rows=len(previous.rows),
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


def _content_hashes(table: pd.DataFrame) -> pd.Series:
    columns = [c for c in table.columns if c not in _IDENTITY_EXCLUDED]
    return pd.util.hash_pandas_object(table[columns], index=False)


@contextmanager
def _one_fetch_at_a_time(root: Path, what: str) -> Iterator[None]:
    fd = os.open(root / f".fetch-{what}.lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise FetchError(
                Message(
                    "another fetch into {root} is running; this one stopped and changed nothing",
                    {"root": str(root)},
                )
            ) from None
        yield
    finally:
        os.close(fd)
