"""Steps the subcommand modules share.

``--data DIR``, day parsing, loading datasets, checking and writing output files, and turning
library errors into :class:`CommandError`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any


class CommandError(Exception):
    """A problem the user can fix; printed as one line, exit code 2."""


@contextmanager
def command_errors(*types: type[Exception], prefix: str = "") -> Iterator[None]:
    """Re-raise any of ``types`` raised in the block as a :class:`CommandError`.

    Its message is ``prefix`` + the error's text.
    """
    try:
        yield
    except types as error:
        raise CommandError(f"{prefix}{error}") from error


def add_data_dirs_argument(parser: argparse.ArgumentParser, help: str) -> None:
    """``--data DIR [DIR ...]`` (repeatable) into ``args.data_dirs``, a list, empty by default."""
    parser.add_argument(
        "--data",
        dest="data_dirs",
        type=Path,
        nargs="+",
        action="extend",
        default=[],
        metavar="DIR",
        help=help,
    )


def parse_day(text: str | None, option: str) -> date | None:
    """``YYYY-MM-DD`` as a date; a one-line :class:`CommandError` naming ``option`` otherwise.

    >>> parse_day("2025-03-01", "--start")
    datetime.date(2025, 3, 1)
    """
    if text is None:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(f"{option}: expected a date like 2025-03-01, got {text!r}") from None


def load_datasets(data_dirs: Sequence[Path], *, include_user_dir: bool) -> Any:
    """Load the bundled data, ``data_dirs`` and (optionally) the user data directory.

    :func:`oblastwatch.storage.store.load_all` of them; a missing directory or an unreadable
    dataset is a :class:`CommandError`. The load's notices (a dataset migrated from an older
    store format) go to stderr.
    """
    from oblastwatch.storage import store
    from oblastwatch.storage.dataset import StoreError

    for directory in data_dirs:
        if not directory.is_dir():
            raise CommandError(f"{directory}: no such dataset directory")
    with command_errors(StoreError, ValueError):
        dataset = store.load_all(extra_dirs=list(data_dirs), include_user_dir=include_user_dir)
    print_notices(dataset.notices)
    return dataset


def print_notices(notices: Iterable[object]) -> None:
    """Each one-line notice of a load on stderr, where it cannot mix with a command's output.

    In English: a notice is a message (``str()`` is its English line).
    """
    for notice in notices:
        print(f"note: {notice}", file=sys.stderr)


def _output_directory(path: Path) -> Path:
    directory = path.parent if str(path.parent) else Path(".")
    if not directory.is_dir():
        raise CommandError(f"{path}: directory {directory} does not exist")
    return directory


def check_output(path: Path) -> None:
    """Fail early unless ``path`` can name a file to write.

    Its directory must exist and it must not itself be a directory.
    """
    _output_directory(path)
    if path.is_dir():
        raise CommandError(f"{path}: is a directory; give a file name")


def cannot_write(path: Path, error: OSError) -> CommandError:
    """The one-line error for a failed write to ``path``."""
    return CommandError(f"{path}: cannot write ({error.strerror or error})")


def write_text_atomic(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` atomically; a failure is a :class:`CommandError`.

    Through :func:`oblastwatch.storage.atomic.write_text_atomic`: a temporary file beside
    ``path``, synced and renamed over it.
    """
    from oblastwatch.storage import atomic

    _output_directory(path)
    try:
        atomic.write_text_atomic(path, text)
    except OSError as error:
        raise cannot_write(path, error) from error


def load_prepared(args: argparse.Namespace) -> tuple[Any, Any]:
    """The loaded :class:`~oblastwatch.storage.dataset.Dataset` and its prepared index.

    The data of ``--data`` and, unless ``--no-user-data``, the user data directory; the index
    holds the air-raid alerts too.
    """
    from oblastwatch.query.build import prepare

    dataset = load_datasets(args.data_dirs, include_user_dir=not args.no_user_data)
    with command_errors(ValueError):
        return dataset, prepare(dataset.events, dataset.event_regions, dataset.alerts)


def view_filters(args: argparse.Namespace, dataset: Any, prepared: Any) -> Any:
    """The command's view as :class:`~oblastwatch.query.filters.Filters`.

    ``--start``/``--end`` (default: the data's span), ``--source`` (checked against the loaded
    datasets) and, where the command has it, ``--weapon``.
    """
    from oblastwatch.query.coverage import data_date_span
    from oblastwatch.query.filters import Filters

    start = parse_day(args.start, "--start")
    end = parse_day(args.end, "--end")
    sources = tuple(args.sources or ())
    known = set(dataset.sources["name"].astype(str))
    unknown = [name for name in sources if name not in known]
    if unknown:
        raise CommandError(
            f"--source: unknown source {unknown[0]!r}; loaded: {', '.join(sorted(known))}"
        )
    if start is None or end is None:
        try:
            first, last = data_date_span(prepared)
        except ValueError:
            raise CommandError("no events loaded: import a dataset or pass --data") from None
        start = start or first
        end = end or last
    with command_errors(ValueError, prefix="--start/--end: "):
        return Filters(
            start=start,
            end=end,
            weapon_categories=tuple(getattr(args, "weapons", None) or ()) or None,
            sources=sources or None,
        )
