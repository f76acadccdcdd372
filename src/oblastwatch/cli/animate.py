"""``oblastwatch animate``: the Playback page's animation as a GIF or an MP4 file.

Same data, filters, frames and colours as the page (:mod:`oblastwatch.query.playback`,
:mod:`oblastwatch.present.playback.animation`): a date stamp, the legend and the diplomatic
events of each frame as a caption line. No browser is needed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import Any

from oblastwatch.cli.common import (
    CommandError,
    add_data_dirs_argument,
    check_output,
    load_prepared,
    view_filters,
)
from oblastwatch.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from oblastwatch.present.vocabulary import metric_info

# The keys of query.metrics.METRICS, written out so that `--help` imports no pandas
# (tests/unit/test_cli_export.py checks that they agree).
METRIC_CHOICES = ("waves", "days", "weapons", "incidents", "alert_hours")
STEP_CHOICES = ("day", "week", "month")
WEAPON_CHOICES = (
    "drone",
    "cruise missile",
    "ballistic missile",
    "guided missile",
    "other",
    "unknown",
)


def register(subparsers: Any) -> None:
    """Add ``animate`` to the CLI."""
    parser = subparsers.add_parser(
        "animate",
        help="write the region map frame by frame as an animated GIF or MP4",
        description=(
            "Colour the 27 regions by a metric in every frame (a day, week or month) of a date "
            "range, over a sliding window or cumulatively, and write the frames as an animated "
            "GIF or an H.264 MP4 with a date stamp, the legend and each frame's diplomatic "
            "events. The format follows the --out suffix."
        ),
    )
    add_data_dirs_argument(
        parser,
        help="dataset directories written by `oblastwatch import`, added to the bundled data",
    )
    parser.add_argument(
        "--no-user-data",
        action="store_true",
        help="leave out the datasets imported into the user data directory",
    )
    parser.add_argument("--start", metavar="YYYY-MM-DD", help="first day (default: first in data)")
    parser.add_argument("--end", metavar="YYYY-MM-DD", help="last day (default: last in data)")
    parser.add_argument(
        "--step", choices=STEP_CHOICES, default="week", help="one frame per step (default: week)"
    )
    parser.add_argument(
        "--window",
        default=None,
        metavar="DAYS|cumulative",
        help="days up to each frame's last day, or 'cumulative' for everything since --start "
        "(default: one step: 1, 7 or 30 days)",
    )
    parser.add_argument(
        "--metric",
        choices=METRIC_CHOICES,
        default="waves",
        help="waves: attack waves that hit the region; days: days with such strikes; "
        "weapons: weapons reported launched in those waves; incidents: located incident "
        "reports (default: waves)",
    )
    parser.add_argument(
        "--source",
        dest="sources",
        nargs="+",
        action="extend",
        metavar="NAME",
        help="keep only these sources (dataset names, e.g. curated-strikes)",
    )
    parser.add_argument(
        "--weapon",
        dest="weapons",
        nargs="+",
        action="extend",
        choices=WEAPON_CHOICES,
        metavar="CATEGORY",
        help=f"keep only strikes with these weapon categories ({', '.join(WEAPON_CHOICES)})",
    )
    parser.add_argument("--fps", type=int, default=4, help="frames per second (default: 4)")
    parser.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="the language of the drawn captions, legend and dates (default: en)",
    )
    parser.add_argument("--out", type=Path, required=True, metavar="FILE.gif|FILE.mp4")
    parser.set_defaults(func=run_animate)


def _window(text: str | None, step: str) -> int | None:
    from oblastwatch.present.url_params import CUMULATIVE, parse_window
    from oblastwatch.query.playback import DEFAULT_WINDOW, MAX_WINDOW

    if text is None:
        return DEFAULT_WINDOW[step]
    window = parse_window(text.strip())
    if window is None:
        raise CommandError(
            f"--window: expected a number of days from 1 to {MAX_WINDOW} or {CUMULATIVE}, "
            f"got {text!r}"
        )
    return None if window == CUMULATIVE else int(window)


def run_animate(args: argparse.Namespace) -> int:
    """``oblastwatch animate``: write the frames of the filtered range as a GIF or an MP4.

    Prints the file, its size, the frame count and the time taken; returns 0.
    """
    from oblastwatch.domain import geo
    from oblastwatch.present.maps.geometry import region_shapes
    from oblastwatch.present.playback import animation
    from oblastwatch.query.diplomacy import diplomatic_events
    from oblastwatch.query.metrics import METRICS
    from oblastwatch.query.playback import frame_values
    from oblastwatch.storage import atomic

    fmt = args.out.suffix.lower().lstrip(".")
    if fmt not in animation.FORMATS:
        raise CommandError(f"--out: {args.out}: expected a .gif or .mp4 file name")
    if not 1 <= args.fps <= 60:
        raise CommandError(f"--fps: expected 1 to 60 frames per second, got {args.fps}")
    check_output(args.out)
    window = _window(args.window, args.step)
    began = time.perf_counter()
    dataset, prepared = load_prepared(args)
    filters = view_filters(args, dataset, prepared)
    frames = frame_values(prepared, filters, args.metric, step=args.step, window=window)
    info = METRICS[args.metric]
    drawn_in = translator(args.lang)
    drawn = metric_info(args.metric, drawn_in)
    content = animation.animation_bytes(
        frames,
        region_shapes(geo.load_boundaries()),
        diplomatic_events(prepared, filters),
        label=drawn.label,
        unit=drawn.unit,
        fmt=fmt,
        fps=args.fps,
        t=drawn_in,
    )
    try:
        atomic.write_bytes_atomic(args.out, content)
    except OSError as error:
        raise CommandError(f"{args.out}: cannot write ({error.strerror or error})") from error
    window_text = "cumulative" if window is None else f"{window}-day window"
    print(
        f"wrote {args.out} ({len(content) // 1024:,} KB): {len(frames):,} frames, one per "
        f"{args.step}, {window_text}, {info.label.lower()}, {filters.start} to {filters.end}, "
        f"in {time.perf_counter() - began:.1f} s"
    )
    return 0
