"""``oblastwatch talks-effect``: the event study of strikes around diplomatic events.

The command and the Talks vs attacks page read their inputs the same way
(:mod:`oblastwatch.study.inputs`): the strike rows of one loaded dataset (an imported one
before the bundled list, or the one named by ``--source``), the source's default metric
(``waves`` for the bundled list, ``drones_launched`` for an imported dataset) unless
``--metric`` says otherwise, what a day without rows means from the source and the metric
(:func:`oblastwatch.study.inputs.absent_day_rule`) unless ``--absent-days`` says otherwise,
talks unless ``--kind`` says otherwise, and the diplomatic events of every loaded dataset.
Without options it writes the table the page opens with, and it prints which metric and rule
were used and why. See ``docs/talks-effect.md``.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import pandas as pd

from oblastwatch.cli.common import (
    CommandError,
    add_data_dirs_argument,
    check_output,
    command_errors,
    load_datasets,
    write_text_atomic,
)
from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.study import inputs, settings
from oblastwatch.study.run import StudyResult, run_study
from oblastwatch.study.settings import EventSelection, StudyRequest, StudySettings

ALL_KINDS = "all"


def register(subparsers: Any) -> None:
    """Add ``talks-effect`` to the CLI."""
    parser = subparsers.add_parser(
        "talks-effect",
        help="strike intensity before, during and after diplomatic events (CSV)",
        description=(
            "Event study: for each diplomatic event (or cluster of nearby events) compare the "
            "mean daily strike metric in the N days before, the event's own days and the N "
            "days after with a baseline; write one row per event to --out and print the "
            "pooled ratios. Association, not cause: see docs/talks-effect.md."
        ),
    )
    parser.add_argument(
        "--window",
        type=int,
        default=settings.DEFAULT_WINDOW_DAYS,
        metavar="N",
        help=f"days before and after each event, {settings.MIN_WINDOW_DAYS}-"
        f"{settings.MAX_WINDOW_DAYS} (default {settings.DEFAULT_WINDOW_DAYS})",
    )
    parser.add_argument(
        "--kind",
        dest="kinds",
        nargs="+",
        action="extend",
        choices=(*DIPLOMATIC_KINDS, ALL_KINDS),
        metavar="KIND",
        help=f"diplomatic kinds to study, from {', '.join(DIPLOMATIC_KINDS)}, or {ALL_KINDS} "
        f"(default: {' '.join(settings.DEFAULT_KINDS)})",
    )
    parser.add_argument(
        "--format",
        dest="formats",
        nargs="+",
        action="extend",
        metavar="FORMAT",
        help="event formats to keep, e.g. bilateral trilateral",
    )
    parser.add_argument(
        "--party",
        dest="parties",
        nargs="+",
        action="extend",
        metavar="PARTY",
        help="keep events in which every listed party took part, e.g. Russia Ukraine",
    )
    parser.add_argument(
        "--metric",
        choices=settings.METRICS,
        help="daily series (default: waves for the bundled curated list, drones_launched for "
        "an imported dataset)",
    )
    parser.add_argument("--baseline", choices=settings.BASELINES, default="placebo")
    parser.add_argument("--overlap", choices=settings.OVERLAP_POLICIES, default="merge")
    add_data_dirs_argument(
        parser, help="imported dataset directories to load with the bundled data"
    )
    parser.add_argument(
        "--source",
        metavar="NAME",
        help="the loaded dataset whose strikes are studied (default: an imported dataset "
        "before the bundled list, the one with the most strike rows)",
    )
    parser.add_argument(
        "--absent-days",
        choices=inputs.ABSENT_DAY_CHOICES,
        default=inputs.AUTO,
        help="days without strike rows: auto = by source and metric (bundled list: 0 for "
        "waves, missing for launch counts and regions hit; imported dataset: 0)",
    )
    parser.add_argument(
        "--placebo-radius",
        type=int,
        default=settings.DEFAULT_PLACEBO_RADIUS_DAYS,
        metavar="DAYS",
        help="placebo dates lie within this many days of the event; 0 = anywhere "
        f"(default {settings.DEFAULT_PLACEBO_RADIUS_DAYS})",
    )
    parser.add_argument("--permutations", type=int, default=2000, metavar="N")
    parser.add_argument("--bootstrap", type=int, default=2000, metavar="N")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    parser.add_argument(
        "--pooled-out", type=Path, metavar="FILE.csv", help="also write the pooled table"
    )
    parser.set_defaults(func=run_talks_effect)


def run_talks_effect(args: argparse.Namespace) -> int:
    """``oblastwatch talks-effect``: run the event study and write its per-event table.

    Also writes the pooled table with ``--pooled-out``, prints a summary and returns 0; bad
    options or no matching events are a :class:`CommandError`.
    """
    check_output(args.out)
    if args.pooled_out is not None:
        check_output(args.pooled_out)
    if args.permutations < 1 or args.bootstrap < 1:
        raise CommandError("--permutations and --bootstrap must be at least 1")
    if args.placebo_radius < 0:
        raise CommandError("--placebo-radius must be 0 (anywhere) or a number of days")
    with command_errors(ValueError):
        selection, study_settings = _selection_and_settings(args)

    dataset = load_datasets(list(args.data_dirs), include_user_dir=False)
    with command_errors(ValueError):
        source = inputs.find_source(inputs.strike_sources(dataset), args.source)
        metric = args.metric or inputs.default_metric(source)
        study_settings = replace(study_settings, metric=metric)
        absent_days = inputs.absent_days_for(source, metric, args.absent_days)
        request = StudyRequest(source.name, absent_days, selection, study_settings)
        series = inputs.study_series(dataset, source, request.absent_days)
        result = run_study(series, dataset.events, request)
    if result.n_selected == 0:
        raise CommandError("no diplomatic events match the --kind/--format/--party filters")

    _write_csv(result.table, args.out)
    if args.pooled_out is not None:
        _write_csv(result.pooled, args.pooled_out)
    for line in summary_lines(result, request, source):
        print(line)
    print(f"wrote {args.out}")
    if args.pooled_out is not None:
        print(f"wrote {args.pooled_out}")
    return 0


def _selection_and_settings(args: argparse.Namespace) -> tuple[EventSelection, StudySettings]:
    kinds: tuple[str, ...]
    if not args.kinds:
        kinds = settings.DEFAULT_KINDS
    elif ALL_KINDS in args.kinds:
        kinds = ()  # no filter: every diplomatic kind
    else:
        kinds = tuple(dict.fromkeys(args.kinds))
    selection = EventSelection(
        kinds=kinds, formats=tuple(args.formats or ()), parties=tuple(args.parties or ())
    )
    study_settings = StudySettings(
        window=args.window,
        baseline=args.baseline,
        overlap=args.overlap,
        n_permutations=args.permutations,
        n_bootstrap=args.bootstrap,
        seed=args.seed,
        placebo_radius=args.placebo_radius or None,
    )
    return selection, study_settings


def summary_lines(
    result: StudyResult, request: StudyRequest, source: inputs.StrikeSource
) -> list[str]:
    """What the command prints: the inputs, then one line per window of the pooled table.

    The inputs include :func:`oblastwatch.study.inputs.rule_sentence`, the line the page shows
    too: which metric and absent-day rule were used, and why.
    """
    table, pooled = result.table, result.pooled
    study_settings = request.settings
    windows = [f"{w}_mean" for w in settings.WINDOWS]
    no_data = int(table[windows].isna().all(axis=1).sum())
    lines = [
        f"strikes: {request.source}, {result.series_first} to {result.series_last}, "
        f"{result.days_with_data} of {result.n_days} days with data "
        f"(days without rows counted as {request.absent_days})",
        f"events: {result.n_selected} selected -> {len(table)} rows "
        f"(overlap={study_settings.overlap}, window={study_settings.window} days); "
        f"{no_data} rows have no strike data in any window",
        inputs.rule_sentence(
            source,
            study_settings.metric,
            request.absent_days,
            result.series_first,
            result.series_last,
        ),
        f"baseline: {study_settings.baseline}; "
        f"seed {study_settings.seed}, {study_settings.n_permutations} permutations",
    ]
    for row in pooled.itertuples(index=False):
        if row.n_units == 0:
            lines.append(f"{row.window:>6}: no events with a defined ratio")
            continue
        lines.append(
            f"{row.window:>6}: mean ratio {_fmt(row.mean_ratio)} "
            f"[{_fmt(row.ci_low)}, {_fmt(row.ci_high)}], p = {_fmt(row.p_value, 3)} "
            f"over {row.n_units} rows"
        )
    return lines


def _fmt(value: float, digits: int = 2) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


def _write_csv(frame: pd.DataFrame, path: Path) -> None:
    write_text_atomic(path, frame.to_csv(index=False, date_format="%Y-%m-%d"))
