"""``oblastwatch talks-effect``: the event study of strikes around diplomatic events.

Where the data comes from:

* without ``--data``: the bundled tables, curated talks and curated major strikes;
* with ``--data DIR`` (one or more dataset directories written by ``oblastwatch import``):
  the strikes of those datasets only, and the diplomatic events of the bundled talks table
  plus any the datasets hold (the Massive Missile Attacks dataset has none). The bundled
  strikes are left out so no attack wave is counted twice.

Days without strike rows: ``--absent-days auto`` (default) treats them as *missing* for the
bundled strikes (a curated list of major waves says nothing about the days it skips) and as
*zero* for imported datasets (the Air Force reports daily). See ``docs/talks-effect.md``.
"""

from __future__ import annotations

import argparse
import math
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
from oblastwatch.study import analysis


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
        default=analysis.DEFAULT_WINDOW_DAYS,
        metavar="N",
        help=f"days before and after each event, {analysis.MIN_WINDOW_DAYS}-"
        f"{analysis.MAX_WINDOW_DAYS} (default {analysis.DEFAULT_WINDOW_DAYS})",
    )
    parser.add_argument(
        "--kind",
        dest="kinds",
        nargs="+",
        action="extend",
        choices=DIPLOMATIC_KINDS,
        metavar="KIND",
        help=f"diplomatic kinds to study (default: all of {', '.join(DIPLOMATIC_KINDS)})",
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
        "--metric", choices=analysis.METRICS, default="drones_launched", help="daily series"
    )
    parser.add_argument("--baseline", choices=analysis.BASELINES, default="placebo")
    parser.add_argument("--overlap", choices=analysis.OVERLAP_POLICIES, default="merge")
    add_data_dirs_argument(
        parser, help="imported dataset directories whose strikes replace the bundled ones"
    )
    parser.add_argument(
        "--absent-days",
        choices=("auto", *analysis.ABSENT_DAY_POLICIES),
        default="auto",
        help="days without strike rows: auto = missing for bundled, zero for --data",
    )
    parser.add_argument(
        "--placebo-radius",
        type=int,
        default=analysis.DEFAULT_PLACEBO_RADIUS_DAYS,
        metavar="DAYS",
        help="placebo dates lie within this many days of the event; 0 = anywhere "
        f"(default {analysis.DEFAULT_PLACEBO_RADIUS_DAYS})",
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
    check_output(args.out)
    if args.pooled_out is not None:
        check_output(args.pooled_out)
    if args.permutations < 1 or args.bootstrap < 1:
        raise CommandError("--permutations and --bootstrap must be at least 1")
    if args.placebo_radius < 0:
        raise CommandError("--placebo-radius must be 0 (anywhere) or a number of days")

    strikes, strike_regions, diplomatic, strike_origin, absent_days = _load(args)
    with command_errors(ValueError):
        selected = analysis.select_events(
            diplomatic, kinds=args.kinds, formats=args.formats, parties=args.parties
        )
    if selected.empty:
        raise CommandError("no diplomatic events match the --kind/--format/--party filters")
    with command_errors(ValueError):
        series = analysis.daily_series(strikes, strike_regions, absent_days=absent_days)
        study = analysis.event_study(
            series,
            selected,
            window=args.window,
            metric=args.metric,
            baseline=args.baseline,
            overlap=args.overlap,
            n_permutations=args.permutations,
            n_bootstrap=args.bootstrap,
            seed=args.seed,
            placebo_radius=args.placebo_radius or None,
        )

    _write_csv(study.table, args.out)
    if args.pooled_out is not None:
        _write_csv(study.pooled, args.pooled_out)
    for line in summary_lines(study, series, strike_origin, absent_days, len(selected)):
        print(line)
    print(f"wrote {args.out}")
    if args.pooled_out is not None:
        print(f"wrote {args.pooled_out}")
    return 0


def _load(
    args: argparse.Namespace,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, str, str]:
    """Strike events and their regions, diplomatic events, a label and the absent-day rule."""
    from oblastwatch.storage import store

    data_dirs = list(args.data_dirs)
    dataset = load_datasets(data_dirs, include_user_dir=False)
    events = dataset.events
    bundled = set(dataset.sources.loc[dataset.sources["kind"] == store.BUNDLED, "name"])
    from_bundle = events["source"].isin(bundled).to_numpy(bool)
    is_strike = events["kind"].eq("strike").fillna(False).to_numpy(bool)
    # With --data the imported strikes replace the bundled ones (never both: the curated
    # waves are also in the Air Force data).
    use = is_strike & (~from_bundle if data_dirs else from_bundle)
    strikes = events.loc[use]
    if strikes.empty:
        where = ", ".join(map(str, data_dirs)) if data_dirs else "the bundled data"
        raise CommandError(f"{where}: no strike events to build a daily series from")
    regions = dataset.event_regions
    strike_regions = regions.loc[regions["event_id"].isin(strikes["event_id"])]
    diplomatic = events.loc[events["kind"].isin(DIPLOMATIC_KINDS).fillna(False).to_numpy(bool)]
    if args.absent_days == "auto":
        absent_days = "zero" if data_dirs else "missing"
    else:
        absent_days = args.absent_days
    origin = ", ".join(sorted(strikes["source"].unique()))
    return strikes, strike_regions, diplomatic, origin, absent_days


def summary_lines(
    study: analysis.EffectStudy,
    series: pd.DataFrame,
    strike_origin: str,
    absent_days: str,
    n_events: int,
) -> list[str]:
    """What the command prints: the inputs, then one line per window of the pooled table."""
    table, pooled = study.table, study.pooled
    params = table.attrs
    metric = params["metric"]
    days_with_data = int(series[metric].notna().sum())
    first, last = series.index[0].date(), series.index[-1].date()
    no_data = int((table[[f"{w}_mean" for w in analysis.WINDOWS]].isna().all(axis=1)).sum())
    lines = [
        f"strikes: {strike_origin}, {first} to {last}, {days_with_data} of {len(series)} days "
        f"with data (days without rows counted as {absent_days})",
        f"events: {n_events} selected -> {len(table)} rows (overlap={params['overlap']}, "
        f"window={params['window']} days); {no_data} rows have no strike data in any window",
        f"metric: {metric}; baseline: {params['baseline']}; seed {params['seed']}, "
        f"{params['n_permutations']} permutations",
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
