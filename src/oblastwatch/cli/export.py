"""``oblastwatch map`` and ``oblastwatch timeline``: standalone HTML files of the two views.

Both read the bundled data, the datasets imported into the user data directory (unless
``--no-user-data``) and any ``--data DIR``, apply the same filters as the app (date range,
sources) and write one HTML file. ``--offline`` inlines every library (Leaflet, or plotly.js
for the timeline) so the file opens with no network; without it the file loads the pinned
library versions from a CDN and is much smaller.
"""

from __future__ import annotations

import argparse
import html
from pathlib import Path
from typing import Any

from oblastwatch.cli.common import (
    CommandError,
    add_data_dirs_argument,
    command_errors,
    load_prepared,
    view_filters,
    write_text_atomic,
)

# The keys of query.metrics.METRICS, written out so that `--help` imports no pandas
# (tests/unit/test_cli_export.py checks that they agree).
METRIC_CHOICES = ("waves", "days", "weapons", "incidents", "alert_hours")
PER_CHOICES = ("raw", "people", "area")  # oblastwatch.domain.denominators.NORMALISATIONS


def register(subparsers: Any) -> None:
    """Add ``map`` and ``timeline`` to the CLI."""
    map_parser = subparsers.add_parser(
        "map",
        help="write the region map as a standalone HTML file",
        description=(
            "Colour Ukraine's 27 regions by a strike metric over a date range and write a "
            "standalone HTML map with its legend. Regions with no reports are grey."
        ),
    )
    _add_data_arguments(map_parser)
    map_parser.add_argument(
        "--metric",
        choices=METRIC_CHOICES,
        default="waves",
        help="waves: attack waves that hit the region; days: days with such strikes; "
        "weapons: weapons reported launched in those waves; incidents: located incident "
        "reports (default: waves)",
    )
    map_parser.add_argument(
        "--per",
        choices=PER_CHOICES,
        default="raw",
        help="people: per 100,000 residents (SSSU estimate of 1 Jan 2022, pre-war; Crimea and "
        "Sevastopol 1 Jan 2014); area: per 1,000 km² of the map's outlines; raw: the count "
        "(default). Not for --metric days, a count of calendar days",
    )
    map_parser.add_argument(
        "--values-csv",
        type=Path,
        metavar="FILE.csv",
        help="also write the map's value per region (count, rate, denominator, its date) as CSV",
    )
    map_parser.add_argument(
        "--points",
        action="store_true",
        help="add geolocated strikes and incidents as clustered points (newest first, size-capped)",
    )
    map_parser.add_argument("--region", metavar="CODE", help="outline one region, e.g. UA-46")
    map_parser.add_argument(
        "--tiles",
        metavar="URL",
        help="background tile URL with {z}/{x}/{y} (default: none, plain background)",
    )
    map_parser.add_argument("--tiles-attribution", metavar="TEXT", help="credit for --tiles")
    map_parser.add_argument(
        "--offline", action="store_true", help="inline Leaflet: the file needs no network"
    )
    map_parser.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    map_parser.set_defaults(func=run_map)

    timeline = subparsers.add_parser(
        "timeline",
        help="write the strikes-and-diplomacy timeline as a standalone HTML file",
        description=(
            "Daily drone and missile counts under the diplomacy lanes, over a date range, as "
            "a standalone interactive Plotly page."
        ),
    )
    _add_data_arguments(timeline)
    timeline.add_argument(
        "--offline",
        action="store_true",
        help="inline plotly.js (about 4.7 MB): the file needs no network",
    )
    timeline.add_argument("--out", type=Path, required=True, metavar="FILE.html")
    timeline.set_defaults(func=run_timeline)


def _add_data_arguments(parser: argparse.ArgumentParser) -> None:
    add_data_dirs_argument(
        parser,
        help="dataset directories written by `oblastwatch import`, added to the bundled data",
    )
    parser.add_argument(
        "--no-user-data",
        action="store_true",
        help="leave out the datasets imported into the user data directory",
    )
    parser.add_argument(
        "--source",
        dest="sources",
        nargs="+",
        action="extend",
        metavar="NAME",
        help="keep only these sources (dataset names, e.g. curated-strikes)",
    )
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: first in data)")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: last in data)")


# --- shared steps ----------------------------------------------------------------------------


def _range_text(filters: Any) -> str:
    return f"{filters.start.isoformat()} to {filters.end.isoformat()}"


# --- map -------------------------------------------------------------------------------------


def run_map(args: argparse.Namespace) -> int:
    """``oblastwatch map``: write the filtered choropleth map as one standalone HTML file.

    Prints the file's size, title and how many regions have reports; returns 0. An unknown
    ``--region`` is a :class:`CommandError`.
    """
    from oblastwatch.domain import geo
    from oblastwatch.domain.regions import REGION_CODES
    from oblastwatch.present import denominators as denominator_text
    from oblastwatch.present import exports, maps
    from oblastwatch.query.metrics import METRICS, RAW_ONLY_METRICS, region_metric
    from oblastwatch.query.rates import normalise

    if args.region is not None and args.region not in REGION_CODES:
        raise CommandError(
            f"--region: unknown region code {args.region!r} (see `oblastwatch regions`)"
        )
    info = METRICS[args.metric]
    if args.per != "raw" and args.metric in RAW_ONLY_METRICS:
        raise CommandError(
            f"--per {args.per}: --metric {args.metric} ({info.label.lower()}) is a count of "
            "calendar days, shown as a count only"
        )
    dataset, prepared = load_prepared(args)
    filters = view_filters(args, dataset, prepared)
    with command_errors(ValueError):
        shown = normalise(region_metric(prepared, filters, args.metric), args.metric, args.per)
    values, by = shown.values, shown.denominator
    points = _located_points(prepared, filters) if args.points else None
    metric_title = denominator_text.metric_title(info, by)
    with command_errors(ValueError):
        m = maps.choropleth_map(
            values,
            geo.load_boundaries(),
            metric_label=metric_title,
            unit=info.unit if by is None else "",
            selected=args.region,
            tiles_url=args.tiles,
            tiles_attribution=args.tiles_attribution,
            points=points,
            no_data=shown.no_figure,
            details=denominator_text.region_details(shown, info.unit),
        )
    title = f"{metric_title}, {_range_text(filters)}"
    no_data_label = denominator_text.NO_FIGURE_LABELS[by.key] if by and shown.no_figure else None
    document = maps.standalone_map_html(
        m,
        offline=args.offline,
        legend=maps.legend_bins(values, no_data_label=no_data_label),
        legend_title=(
            f"{info.label} ({info.unit}), {_range_text(filters)}" if by is None else title
        ),
        legend_note=denominator_text.sentence(denominator_text.denominator_note(by))
        if by
        else None,
        caveats=denominator_text.caveats(by) if by else (),
        title=f"oblastwatch: {title}",
    )
    write_text_atomic(args.out, document)
    reported = int(shown.counts.notna().sum())
    print(
        f"wrote {args.out} ({len(document.encode('utf-8')) // 1024:,} KB): {title}; "
        f"{reported} of {len(values)} regions with reports"
    )
    if by is not None:
        print(f"denominator: {denominator_text.denominator_note(by)}; source: {by.source}")
    if args.values_csv is not None:
        write_text_atomic(args.values_csv, exports.region_values_csv(shown).decode("utf-8"))
        print(f"wrote {args.values_csv}: {len(values)} regions, {args.metric} ({args.per})")
    if points is not None:
        print(maps.select_points(points).caption())
    return 0


def _located_points(prepared: Any, filters: Any) -> Any:
    """Filtered events with coordinates, leaving out diplomatic events.

    Talks venues abroad are not strikes on a region.
    """
    from oblastwatch.domain.model import DIPLOMATIC_KINDS
    from oblastwatch.query.rows import filter_events

    events = filter_events(prepared, filters)
    keep = (
        events["lat"].notna()
        & events["lon"].notna()
        & ~events["kind"].isin(DIPLOMATIC_KINDS).fillna(False)
    )
    return events.loc[keep.to_numpy(dtype=bool), ["lat", "lon", "title", "date", "description"]]


# --- timeline --------------------------------------------------------------------------------


def run_timeline(args: argparse.Namespace) -> int:
    """``oblastwatch timeline``: write the filtered timeline as one standalone HTML file.

    Prints the file's size, the range and its counts of days with strike reports and of
    diplomatic events; returns 0.
    """
    from oblastwatch.present import figures
    from oblastwatch.present.freshness import coverage_note
    from oblastwatch.query.diplomacy import diplomatic_events
    from oblastwatch.query.freshness import coverage_gaps, source_spans
    from oblastwatch.query.series import daily_attack_counts

    dataset, prepared = load_prepared(args)
    filters = view_filters(args, dataset, prepared)
    daily = daily_attack_counts(prepared, filters)
    talks = diplomatic_events(prepared, filters)
    # As on the Timeline page: days after a source ends are marked, not shown as quiet.
    gaps = coverage_gaps(
        source_spans(prepared),
        start=filters.start,
        end=filters.end,
        sources=filters.sources or None,
    )
    fig = figures.timeline_figure(daily, talks, gaps=gaps)
    title = f"oblastwatch: strikes and diplomacy, {_range_text(filters)}"
    document = fig.to_html(
        full_html=True,
        include_plotlyjs=True if args.offline else "cdn",
        config={"displaylogo": False},
    )
    document = document.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    write_text_atomic(args.out, document)
    days = int(daily.notna().any(axis=1).sum())
    print(
        f"wrote {args.out} ({len(document.encode('utf-8')) // 1024:,} KB): "
        f"{_range_text(filters)}; {days} days with strike reports, {len(talks)} diplomatic events"
    )
    for gap in gaps:
        print(f"note: {coverage_note(gap, markdown=False)}")
    return 0
