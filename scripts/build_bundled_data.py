"""Build the bundled tables data/talks.csv and data/strikes.csv from the curated reference tables.

The reference tables live next to the checkout in ``../shared/reference`` (read-only). This
script carries every row across unchanged in substance: no row is added or dropped, every cell
keeps its text (surrounding whitespace removed), blank stays blank. The only reshaping:

* talks.csv is sorted by start date, end date and id (the reference is almost in that order);
* strikes.csv gains a ``region_codes`` column right after ``oblasts_hit``: the ISO 3166-2:UA
  codes of the listed regions, in the listed order, resolved with
  ``oblastwatch.domain.places.classify_place``. ``oblasts_hit`` keeps the curator's text.

The script refuses to write anything when a row breaks the rules the app relies on (an id that
is blank or repeated, a date that is not YYYY-MM-DD, a count that is not a whole number, a
source_url that is not http(s), a region name that does not resolve to exactly one region).

Usage (from the repository root)::

    python scripts/build_bundled_data.py            # write data/talks.csv, data/strikes.csv
    python scripts/build_bundled_data.py --check    # exit 1 when data/ is out of date
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from oblastwatch.importers.curated import (
    REGION_CODES_COLUMN,
    SOURCE_URL,
    STRIKES_COLUMNS,
    TALKS_COLUMNS,
)
from oblastwatch.storage import atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE_DIR = REPO_ROOT.parent / "shared" / "reference"
DEFAULT_OUT_DIR = REPO_ROOT / "data"

STRIKES_OUT_COLUMNS = (
    *STRIKES_COLUMNS[: STRIKES_COLUMNS.index("oblasts_hit") + 1],
    REGION_CODES_COLUMN,
    *STRIKES_COLUMNS[STRIKES_COLUMNS.index("oblasts_hit") + 1 :],
)
STRIKE_COUNT_COLUMNS = (
    "drones_launched",
    "missiles_launched",
    "drones_destroyed",
    "missiles_destroyed",
    "killed",
    "injured",
    "dataset_launched_total",
)
_WHOLE_NUMBER = re.compile(r"^\d+$")

Row = dict[str, str]


class ReferenceRowError(Exception):
    """A reference row the bundled data cannot carry; one line naming file, row and column."""

    def __init__(self, path: Path, row: int | str, column: str, reason: str) -> None:
        super().__init__(f"{path.name}: row {row}, column {column}: {reason}")


def read_table(path: Path, columns: Sequence[str]) -> list[Row]:
    """Read a CSV whose header must be exactly ``columns``; cells stripped, rows 0-based."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != tuple(columns):
            raise ReferenceRowError(
                path, "header", "(none)", f"expected columns {','.join(columns)}"
            )
        rows = []
        for number, raw in enumerate(reader):
            if None in raw or any(value is None for value in raw.values()):
                raise ReferenceRowError(path, number, "(none)", "wrong number of cells")
            rows.append({key: value.strip() for key, value in raw.items()})
    return rows


def _check_common(path: Path, rows: list[Row], id_column: str, date_columns: Sequence[str]):
    seen: set[str] = set()
    for number, row in enumerate(rows):
        ident = row[id_column]
        if not ident:
            raise ReferenceRowError(path, number, id_column, "blank id")
        if ident in seen:
            raise ReferenceRowError(path, number, id_column, f"id {ident} repeated")
        seen.add(ident)
        if not SOURCE_URL.match(row["source_url"]):
            raise ReferenceRowError(path, number, "source_url", "not an http(s) URL")
        for column in date_columns:
            value = row[column]
            if value:
                try:
                    date.fromisoformat(value)
                except ValueError:
                    raise ReferenceRowError(
                        path, number, column, f"{value!r} is not YYYY-MM-DD"
                    ) from None


def build_talks(path: Path) -> list[Row]:
    """The bundled talks rows: the reference rows, checked, sorted by date and id."""
    rows = read_table(path, TALKS_COLUMNS)
    _check_common(path, rows, "event_id", ("start_date", "end_date", "source_date"))
    for number, row in enumerate(rows):
        if not row["start_date"]:
            raise ReferenceRowError(path, number, "start_date", "blank")
        for column in ("latitude", "longitude"):
            if row[column]:
                try:
                    float(row[column])
                except ValueError:
                    raise ReferenceRowError(path, number, column, "not a number") from None
    return sorted(rows, key=lambda r: (r["start_date"], r["end_date"], r["event_id"]))


def build_strikes(path: Path, classify: Callable[[str], object]) -> list[Row]:
    """The bundled strikes rows: the reference rows plus ``region_codes``."""
    rows = read_table(path, STRIKES_COLUMNS)
    _check_common(path, rows, "attack_id", ("date", "source_date"))
    out = []
    for number, row in enumerate(rows):
        if not row["date"]:
            raise ReferenceRowError(path, number, "date", "blank")
        for column in STRIKE_COUNT_COLUMNS:
            if row[column] and not _WHOLE_NUMBER.match(row[column]):
                raise ReferenceRowError(path, number, column, f"{row[column]!r} is not a count")
        codes = []
        for name in (part.strip() for part in row["oblasts_hit"].split(";")):
            if not name:
                continue
            match = classify(name)
            found = tuple(getattr(match, "region_codes", ()))
            if len(found) != 1 or getattr(match, "unresolved", ()):
                raise ReferenceRowError(
                    path, number, "oblasts_hit", f"{name!r} does not name exactly one region"
                )
            if found[0] in codes:
                raise ReferenceRowError(
                    path, number, "oblasts_hit", f"{name!r} repeats a region listed before"
                )
            codes.append(found[0])
        out.append({**row, REGION_CODES_COLUMN: ";".join(codes)})
    return out


def render_csv(rows: list[Row], columns: Sequence[str]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic.write_text_atomic(path, text)


def build(reference_dir: Path) -> dict[str, str]:
    """File name -> CSV text of every bundled table."""
    from oblastwatch.domain.places import classify_place

    talks = build_talks(reference_dir / "talks.csv")
    strikes = build_strikes(reference_dir / "strikes.csv", classify_place)
    return {
        "talks.csv": render_csv(talks, TALKS_COLUMNS),
        "strikes.csv": render_csv(strikes, STRIKES_OUT_COLUMNS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE_DIR)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument(
        "--check", action="store_true", help="compare with the files in --out, write nothing"
    )
    args = parser.parse_args(argv)
    try:
        tables = build(args.reference)
    except (ReferenceRowError, OSError) as error:
        print(f"build_bundled_data: error: {error}", file=sys.stderr)
        return 2
    stale = []
    for name, text in tables.items():
        target = args.out / name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current == text:
            continue
        stale.append(name)
        if not args.check:
            write_atomically(target, text)
    if args.check:
        for name in stale:
            print(f"build_bundled_data: {args.out / name} is out of date", file=sys.stderr)
        return 1 if stale else 0
    for name in tables:
        state = "written" if name in stale else "unchanged"
        print(f"{args.out / name}: {state}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
