"""``oblastwatch fetch mma|alerts``: the newest public data, in one step.

``mma``: the Massive Missile Attacks figures from Kaggle, saved as the dataset ``mma``.
``alerts``: the air-raid sirens dataset's official alerts from its repository, saved as the
dataset ``air-raid-alerts``. Either reads ``--from PATH|URL`` instead when given, imports into
the user data directory (replacing the previous copy atomically) and builds the app's index,
as ``oblastwatch import`` does. ``--every 6h`` repeats it on a schedule; runs
never overlap, in this process or with another fetch (a cron job, say).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from typing import Any

from oblastwatch.cli.common import CommandError
from oblastwatch.i18n import Message

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
# Shortest --every: the dataset is updated a few times a day; faster polling only loads Kaggle.
MIN_INTERVAL_S = 300


def register(subparsers: Any) -> None:
    """Add ``fetch`` to the CLI."""
    fetcher = subparsers.add_parser(
        "fetch",
        help="download the newest public data (attacks: mma, air-raid alerts: alerts), import it",
        description=(
            "mma: download the public Massive Missile Attacks on Ukraine dataset from Kaggle "
            "(no account needed; kagglehub's cache makes a second fetch of an unchanged "
            "version free) and save it as the dataset 'mma'. alerts: download the official "
            "alerts of the Ukrainian air raid sirens dataset from its repository and save them "
            "as 'air-raid-alerts'. Either replaces the previous copy atomically and indexes "
            "the data for the app; content already fetched is not imported again. On any "
            "failure the data already there stays as it was. Exit 0 when fetched or "
            "unchanged, 2 otherwise."
        ),
    )
    fetcher.add_argument("what", choices=("mma", "alerts"), help="the dataset to fetch")
    fetcher.add_argument(
        "--from",
        dest="source",
        metavar="PATH|URL",
        help=(
            "use a copy you have: for mma missile_attacks_daily.csv, the folder or .zip Kaggle "
            "gives; for alerts official_data_en.csv or its folder; or an http(s) URL of one "
            "of them (a mirror)"
        ),
    )
    fetcher.add_argument(
        "--every",
        metavar="INTERVAL",
        type=parse_interval,
        help="keep fetching on this schedule (e.g. 6h, 30m, 1d) until interrupted",
    )
    fetcher.set_defaults(func=run_fetch)


def parse_interval(text: str) -> float:
    """``6h``, ``30m``, ``1d``, ``90s`` as seconds; at least :data:`MIN_INTERVAL_S`.

    >>> parse_interval("6h")
    21600.0
    """
    match = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd])\s*", text.lower())
    if match is None:
        raise argparse.ArgumentTypeError(f"expected a number and a unit s, m, h or d, got {text!r}")
    seconds = float(match.group(1)) * _UNIT_SECONDS[match.group(2)]
    if seconds < MIN_INTERVAL_S:
        raise argparse.ArgumentTypeError(f"{text!r} is shorter than {MIN_INTERVAL_S // 60} minutes")
    return seconds


def run_fetch(args: argparse.Namespace) -> int:
    """``oblastwatch fetch WHAT``: one fetch, or one every ``--every`` until interrupted."""
    from oblastwatch.storage.fetch import SOURCES

    if args.source is None:
        print(f"Data: {SOURCES[args.what].credit}", file=sys.stderr)
    if args.every is None:
        fetch_once(args.what, args.source)
        return 0
    try:
        run_every(args.every, lambda: _fetch_reporting_errors(args.what, args.source))
    except KeyboardInterrupt:
        print("stopped", file=sys.stderr)
    return 0


def fetch_once(what: str, source: str | None) -> None:
    """Fetch, print the outcome, and index the data for the app when anything changed."""
    from oblastwatch.cli.data import prepare_app_index, summary_lines
    from oblastwatch.storage.fetch import FetchError, fetch

    progress = TerminalProgress()
    try:
        outcome = fetch(what, source, progress=progress)
    except FetchError as error:
        raise CommandError(str(error)) from None
    finally:
        progress.close()
    if outcome.report is not None:
        for line in summary_lines(outcome.report):
            print(line)
    print(outcome.summary())
    print(f"dataset: {outcome.directory}")
    if not outcome.unchanged:
        prepare_app_index()


def _fetch_reporting_errors(what: str, source: str | None) -> None:
    try:
        fetch_once(what, source)
    except CommandError as error:
        # A scheduled run that fails leaves the data as it was; the next run tries again.
        print(f"oblastwatch fetch: error: {error}", file=sys.stderr)
    sys.stdout.flush()


def run_every(
    interval: float,
    job: Callable[[], None],
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    runs: int | None = None,
) -> int:
    """Run ``job`` now and then at each multiple of ``interval`` after the first start.

    A run that takes longer than ``interval`` is never overlapped: the slots it overran are
    skipped and the next run starts at the next slot. Stops after ``runs`` runs when given;
    returns the number of runs.
    """
    started = clock()
    done = 0
    while runs is None or done < runs:
        job()
        done += 1
        if runs is not None and done >= runs:
            break
        elapsed = clock() - started
        next_slot = (int(elapsed // interval) + 1) * interval
        sleep(next_slot - elapsed)
    return done


class TerminalProgress:
    """Stage and percentage on one stderr line, rewritten in place on a terminal."""

    def __init__(self) -> None:
        self._shown = ""
        self._live = sys.stderr.isatty()

    def __call__(self, message: Message, fraction: float | None) -> None:
        """Show ``message`` (the stage, in English) and, when known, how far it is."""
        stage = str(message)
        text = stage if fraction is None else f"{stage} ({fraction:.0%})"
        if text == self._shown:
            return
        if self._live:
            print(f"\r\033[K{text}", end="", file=sys.stderr, flush=True)
        elif not self._shown.startswith(stage.split(" ", 1)[0]):
            # Not a terminal (a log file): one line per stage, not one per chunk.
            print(text, file=sys.stderr)
        self._shown = text

    def close(self) -> None:
        """End the progress line."""
        if self._live and self._shown:
            print(file=sys.stderr)
