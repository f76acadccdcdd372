"""``oblastwatch import``, ``oblastwatch resolve`` and ``oblastwatch regions``."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

from oblastwatch.cli.common import CommandError, command_errors, print_notices
from oblastwatch.domain import model

_SHOWN_REJECTIONS = 5
_SHOWN_UNRESOLVED = 10


def register(subparsers: Any) -> None:
    """Add the data subcommands to the CLI."""
    from oblastwatch.importers import FORMATS

    importer = subparsers.add_parser(
        "import",
        help="import a CSV or JSON file of events into a dataset directory",
        description=(
            "Import a file (Massive Missile Attacks CSV, ACLED export, points, the curated "
            "talks/strikes tables, an air-raid sirens file, or any CSV with --map) and write "
            "events.parquet, event_regions.parquet, alerts.parquet and report.json. Exit 0 "
            "when imported, 2 when the file cannot be used."
        ),
    )
    importer.add_argument("path", type=Path, metavar="PATH")
    importer.add_argument("--format", dest="fmt", choices=FORMATS, default="auto")
    importer.add_argument(
        "--catalog", type=Path, help="weapons catalogue (missiles_and_uavs.csv) for mma"
    )
    importer.add_argument(
        "--map",
        dest="maps",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="column mapping for --format csv, e.g. --map date=When --map place=Where",
    )
    importer.add_argument(
        "--mapping", type=Path, metavar="FILE.json", help='column mapping as JSON {"date": "When"}'
    )
    importer.add_argument("--name", help="source name (default: the file name without suffix)")
    importer.add_argument(
        "--out",
        type=Path,
        help="dataset directory (default: <user data dir>/<name>)",
    )
    importer.set_defaults(func=run_import)

    resolver = subparsers.add_parser(
        "resolve",
        help="resolve place names to region codes",
        description="Print TEXT<tab>code<tab>name per text; exit 1 when any is unresolved.",
    )
    resolver.add_argument("texts", nargs="+", metavar="TEXT")
    resolver.set_defaults(func=run_resolve)

    regions = subparsers.add_parser("regions", help="list the 27 regions and their codes")
    regions.set_defaults(func=run_regions)


def parse_mapping(pairs: list[str], mapping_file: Path | None) -> dict[str, str]:
    """``FIELD=COLUMN`` pairs (and an optional JSON file) as a dict; later pairs win."""
    mapping: dict[str, str] = {}
    if mapping_file is not None:
        try:
            data = json.loads(mapping_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise CommandError(f"{mapping_file}: cannot read the mapping ({error})") from error
        if not isinstance(data, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in data.items()
        ):
            raise CommandError(
                f'{mapping_file}: the mapping must be a JSON object {{"date": "When"}}'
            )
        mapping.update(data)
    for pair in pairs:
        field, sep, column = pair.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise CommandError(f"--map {pair!r}: expected FIELD=COLUMN, e.g. date=When")
        mapping[field.strip()] = column.strip()
    return mapping


def run_import(args: argparse.Namespace) -> int:
    """``oblastwatch import``: import ``args.path`` and save it as a dataset; returns 0.

    The dataset goes to ``--out`` or the user data directory under the source's name; the
    import report's summary is printed, and the app's index is rebuilt when the dataset landed
    in the user data directory. An unusable file or a failed save is a :class:`CommandError`.
    """
    from oblastwatch.importers import UnusableInput, import_file
    from oblastwatch.storage import paths
    from oblastwatch.storage.curated_additions import taken_ids
    from oblastwatch.storage.imported import safe_dataset_name

    mapping = parse_mapping(args.maps, args.mapping)
    try:
        out = args.out
        if out is None:
            stem = args.name or args.path.stem
            out = paths.user_data_dir() / safe_dataset_name(stem)
        name = safe_dataset_name(out.name)
    except ValueError as error:
        raise CommandError(" ".join(str(error).split())) from None
    with command_errors(UnusableInput):
        result = import_file(
            args.path,
            fmt=args.fmt,
            catalog=args.catalog,
            mapping=mapping or None,
            source_name=args.name,
            # A talks or strikes table joins the bundled one: its ids must be new.
            taken_ids=taken_ids(out.parent, except_dataset=out.name),
        )
    _save_imported(result, out, name, origin=str(args.path))
    for line in summary_lines(result.report):
        print(line)
    print(f"wrote {out}")
    if out.resolve().parent == paths.user_data_dir().resolve():
        prepare_app_index()
    return 0


def _save_imported(result: Any, out: Path, name: str, *, origin: str) -> None:
    from oblastwatch.storage.dataset import StoreError
    from oblastwatch.storage.imported import save_dataset

    try:
        save_dataset(out, result, name=name, origin=origin)
    except (StoreError, ValueError) as error:
        raise CommandError(" ".join(str(error).split())) from None


def prepare_app_index() -> None:
    """Build the app's index of the data now, so the app's next start need not.

    Building takes seconds at a million events. A failure here is the app's to report, not the
    import's.
    """
    from oblastwatch.query import index_cache
    from oblastwatch.storage import store
    from oblastwatch.storage.dataset import StoreError

    started = time.perf_counter()
    try:
        # Loaded before the fingerprint is taken: loading may migrate an older dataset, and
        # the index must be keyed on the files the app will find.
        dataset = store.load_all()
        print_notices(dataset.notices)
        index_cache.prepared_events(index_cache.data_fingerprint(), lambda: dataset)
    except (StoreError, ValueError, OSError) as error:
        print(
            f"note: the app will index the data on its next start: {' '.join(str(error).split())}"
        )
        return
    print(f"indexed the data for the app in {time.perf_counter() - started:.1f} s")


def summary_lines(report: Any) -> list[str]:
    """The short import summary printed by ``oblastwatch import``."""
    lines = report.summary_lines()
    for record in report.rejected[:_SHOWN_REJECTIONS]:
        lines.append(
            f"  rejected row {record['row']}, column {record['column']}: {record['reason']}"
        )
    if report.rows_rejected > _SHOWN_REJECTIONS:
        lines.append(f"  ... {report.rows_rejected - _SHOWN_REJECTIONS} more in report.json")
    for text, count in list(report.unresolved.items())[:_SHOWN_UNRESOLVED]:
        hint = ", ".join(report.suggestions.get(text, [])) or "no suggestion"
        lines.append(f"  unresolved {text!r} x{count} (did you mean: {hint})")
    for note in report.notes:
        lines.append(f"  note: {note}")
    return lines


def run_resolve(args: argparse.Namespace) -> int:
    """``oblastwatch resolve``: print :func:`resolve_line` for each text.

    Returns 1 when any text stayed unresolved, else 0.
    """
    from oblastwatch.domain import places, regions

    unresolved = 0
    for text in args.texts:
        line, ok = resolve_line(text, regions, places)
        unresolved += not ok
        print(line)
    return 1 if unresolved else 0


def resolve_line(text: str, regions: Any, places: Any) -> tuple[str, bool]:
    r"""``TEXT\tUA-xx\tName`` or ``TEXT\tunresolved\tdid you mean ...?``; and whether resolved.

    A region name resolves through ``regions.resolve``; a settlement, raion or list of places
    through ``places.classify_place`` (several codes are joined with commas).
    """
    shown = " ".join(text.split())
    resolution = regions.resolve(text)
    if resolution.code is not None:
        return f"{shown}\t{resolution.code}\t{regions.region_name(resolution.code)}", True
    match = places.classify_place(text)
    if match.region_codes and not match.unresolved:
        codes = list(dict.fromkeys(match.region_codes))
        names = ", ".join(regions.region_name(c) for c in codes)
        return f"{shown}\t{','.join(codes)}\t{names}", True
    if match.scope in model.NOT_ON_MAP_SCOPES and not match.unresolved:
        detail = match.scope + (f" ({match.country})" if match.country else "")
        return f"{shown}\t{match.scope}\t{detail}", True
    parts = match.unresolved or (text,)
    hints = [_did_you_mean(places.suggest(part)) for part in parts]
    if parts != (text,):
        hints = [
            f"{' '.join(part.split())!r}: {hint}" for part, hint in zip(parts, hints, strict=True)
        ]
    return f"{shown}\tunresolved\t{'; '.join(hints)}", False


def _did_you_mean(suggestions: Any) -> str:
    """Text such as "did you mean A (UA-05), B (UA-59) or C (UA-56)?", or "no suggestion"."""
    names = [str(suggestion) for suggestion in suggestions]
    if not names:
        return "no suggestion"
    listed = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} or {names[-1]}"
    return f"did you mean {listed}?"


def run_regions(args: argparse.Namespace) -> int:
    """``oblastwatch regions``: print the 27 regions (code, English, Ukrainian, kind); returns 0."""
    from oblastwatch.domain.regions import REGIONS

    rows = [("code", "English", "Ukrainian", "kind")]
    rows += [(r.code, r.name_en, r.name_uk, r.kind) for r in REGIONS]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:3], widths, strict=True)]
        print("  ".join([*cells, row[3]]), file=sys.stdout)
    return 0
