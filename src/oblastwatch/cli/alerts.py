"""``oblastwatch alert-hours``: hours under air-raid alert per region and Kyiv day, as CSV."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from oblastwatch.cli.common import (
    CommandError,
    add_data_dirs_argument,
    check_output,
    load_datasets,
    parse_day,
    write_text_atomic,
)

HOURS_DIGITS = 4  # 0.36 s: finer than any alert file's timestamps


def register(subparsers: Any) -> None:
    """Add ``alert-hours`` to the CLI."""
    parser = subparsers.add_parser(
        "alert-hours",
        help="write hours under air-raid alert per region and Kyiv day as CSV",
        description=(
            "Merge the loaded air-raid alerts per region (overlapping alerts count once, an "
            "alert anywhere in an oblast counts for the oblast), cut them at Kyiv midnight and "
            "write one row per region and Kyiv day: region_code,date,alert_hours,"
            "imputed_hours. alert_hours is empty where there is no data (a region not in the "
            "alert files, or under a permanent alert); imputed_hours are the hours only alerts "
            "with an imputed end cover (the volunteer file's naive rows)."
        ),
    )
    add_data_dirs_argument(
        parser, help="dataset directories written by `oblastwatch import` (alerts files)"
    )
    parser.add_argument(
        "--no-user-data",
        action="store_true",
        help="leave out the datasets imported into the user data directory",
    )
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: first alert)")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: last alert)")
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.csv")
    parser.set_defaults(func=run_alert_hours)


def run_alert_hours(args: argparse.Namespace) -> int:
    """Write the alert hours of the loaded alerts to ``args.out``; print a short summary."""
    from oblastwatch.query.alert_hours import alert_hours_table

    check_output(args.out)
    start = parse_day(args.start, "--start")
    end = parse_day(args.end, "--end")
    dataset = load_datasets(args.data_dirs, include_user_dir=not args.no_user_data)
    if not len(dataset.alerts):
        raise CommandError(
            "no air-raid alerts loaded: import an alerts file (official_data_en.csv, "
            "volunteer_data_en.csv) and pass its dataset with --data"
        )
    table = alert_hours_table(dataset.alerts)
    if start is not None:
        table = table[table["date"] >= start]
    if end is not None:
        table = table[table["date"] <= end]
    if table.empty:
        raise CommandError("--start/--end: no day of the alerts' span is in that range")
    text = table.to_csv(index=False, float_format=f"%.{HOURS_DIGITS}f", lineterminator="\n")
    write_text_atomic(args.out, text)
    days = table["date"]
    no_data = sorted(
        table.groupby("region_code")["alert_hours"].count().loc[lambda n: n == 0].index
    )
    print(
        f"{len(table)} rows ({table['region_code'].nunique()} regions, {days.min()} to "
        f"{days.max()}, Kyiv days) written to {args.out}"
    )
    print(
        f"alerts merged: {len(dataset.alerts)} from {dataset.alerts['source'].nunique()} datasets"
    )
    print(f"regions without data: {', '.join(no_data) if no_data else 'none'}")
    imputed = float(table["imputed_hours"].sum())
    if imputed:
        print(f"hours resting on imputed end times only: {imputed:.1f} (column imputed_hours)")
    return 0
