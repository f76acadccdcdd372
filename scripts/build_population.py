"""Build data/population.csv from ../shared/reference/population/population_2022.csv.

Every reference row and cell is carried across unchanged; one column is added at the end:
``source_url``, an http(s) address for each row. Where the reference gives a web page
(``source_url_or_repo_path`` starting with ``http``) it is that page; where it gives a file in
a GitHub repository at a commit (``github:owner/repo@commit:path#sheet=N``) it is that file's
address on github.com at the same commit (the sheet stays in ``source_url_or_repo_path``).

The output is read back with ``oblastwatch.domain.population.read_population`` before it is
written, so a row the app would refuse (unknown region code, a population that is not a whole
number, a bad date) stops the build with a one-line error naming the row and column.

Usage (from the repository root)::

    python scripts/build_population.py            # write data/population.csv
    python scripts/build_population.py --check    # exit 1 when data/population.csv is stale
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import quote

from oblastwatch.domain.population import COLUMNS, PopulationFileError, read_population
from oblastwatch.storage import atomic

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_REFERENCE = REPO_ROOT.parent / "shared" / "reference" / "population" / "population_2022.csv"
DEFAULT_OUT = REPO_ROOT / "data" / "population.csv"
REFERENCE_COLUMNS = COLUMNS[:-1]
_GITHUB = re.compile(r"^github:(?P<repo>[\w.-]+/[\w.-]+)@(?P<commit>[0-9a-f]{40}):(?P<path>[^#]+)")


def source_url(locator: str) -> str:
    """An http(s) address for a reference locator (see the module doc); ``""`` if none.

    >>> source_url("github:o/r@" + "a" * 40 + ":data/x y.xlsx#sheet=6")
    'https://github.com/o/r/blob/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/data/x%20y.xlsx'
    """
    if locator.startswith(("http://", "https://")):
        return locator
    match = _GITHUB.match(locator)
    if match is None:
        return ""
    return (
        f"https://github.com/{match['repo']}/blob/{match['commit']}/"
        f"{quote(match['path'], safe='/')}"
    )


def build(reference: Path) -> str:
    """The text of data/population.csv built from ``reference``."""
    with reference.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != REFERENCE_COLUMNS:
            raise PopulationFileError(
                reference, "header", "(all)", f"expected {','.join(REFERENCE_COLUMNS)}"
            )
        rows = [
            {**row, "source_url": source_url(row["source_url_or_repo_path"] or "")}
            for row in reader
        ]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    text = buffer.getvalue()
    with tempfile.TemporaryDirectory() as scratch:
        probe = Path(scratch) / DEFAULT_OUT.name
        probe.write_text(text, encoding="utf-8")
        read_population(probe)  # the app's own checks, before anything is written
    return text


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference", type=Path, default=DEFAULT_REFERENCE)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true", help="compare with --out, write nothing")
    args = parser.parse_args(argv)
    try:
        text = build(args.reference)
    except (PopulationFileError, OSError) as error:
        print(f"build_population: error: {error}", file=sys.stderr)
        return 2
    current = args.out.read_text(encoding="utf-8") if args.out.exists() else None
    if args.check:
        if current != text:
            print(f"build_population: {args.out} is out of date", file=sys.stderr)
            return 1
        return 0
    if current != text:
        atomic.write_text_atomic(args.out, text)
    print(f"{args.out}: {'unchanged' if current == text else 'written'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
