"""Population by region: the denominator of the map's "per 100,000 residents" rates.

``data/population.csv`` (built from ``../shared/reference/population`` by
``scripts/build_population.py``; sources and caveats in ``data/population_notes.md``) holds the
State Statistics Service of Ukraine's present-population estimate of each region: 1 January
2022 for 25 regions, 1 January 2014 for Crimea (UA-43) and Sevastopol (UA-40), the last SSSU
figures for the two. Every row carries its reference date and an http(s) source URL.

A region may be absent from the file: it then has no figure, and a rate for it is "no data",
never 0 or infinity. Nothing is read at import; :func:`load_population` reads once.
"""

from __future__ import annotations

import csv
import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.domain.resources import POPULATION_PATH

COLUMNS = (
    "iso_code",
    "name_en",
    "name_uk",
    "population",
    "reference_date",
    "source_name",
    "source_url_or_repo_path",
    "notes",
    "source_url",
)
# What the loaded table keeps, indexed by region code.
TABLE_COLUMNS = ("population", "reference_date", "source_name", "source_url", "notes")
PUBLISHER = "State Statistics Service of Ukraine"
_WHOLE_NUMBER = re.compile(r"^[1-9]\d*$")
_HTTP_URL = re.compile(r"^https?://\S+$")


class PopulationFileError(ValueError):
    """A population file the app cannot use; one line naming the file, row and column."""

    def __init__(self, path: Path, row: int | str, column: str, reason: str) -> None:
        super().__init__(f"{path.name}: row {row}, column {column}: {reason}")


def read_population(path: Path) -> pd.DataFrame:
    """The population table of ``path``, indexed by region code (``region_code``).

    Columns: ``population`` (int64, persons), ``reference_date`` (``datetime.date``),
    ``source_name``, ``source_url``, ``notes``. Rows are numbered from 1 after the header.
    Raises :class:`PopulationFileError` for a wrong header, an unknown or repeated region
    code, a population that is not a whole number above 0, a date that is not YYYY-MM-DD or
    a source URL that is not http(s).
    """
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != COLUMNS:
            raise PopulationFileError(path, "header", "(all)", f"expected {','.join(COLUMNS)}")
        records = [_checked_row(path, number, raw) for number, raw in enumerate(reader, start=1)]
    seen: dict[str, int] = {}
    for number, record in enumerate(records, start=1):
        code = str(record["region_code"])
        if code in seen:
            raise PopulationFileError(path, number, "iso_code", f"{code} repeats row {seen[code]}")
        seen[code] = number
    table = pd.DataFrame.from_records(records, columns=["region_code", *TABLE_COLUMNS])
    table["population"] = table["population"].astype("int64")
    return table.set_index("region_code")


def _checked_row(path: Path, number: int, raw: dict[str | None, str | None]) -> dict[str, object]:
    if None in raw or any(value is None for value in raw.values()):
        raise PopulationFileError(path, number, "(all)", f"expected {len(COLUMNS)} cells")
    row = {str(key): str(value).strip() for key, value in raw.items()}
    code = row["iso_code"]
    if code not in REGION_CODES:
        raise PopulationFileError(
            path, number, "iso_code", f"{code!r} is not an ISO 3166-2:UA region code"
        )
    if not _WHOLE_NUMBER.match(row["population"]):
        raise PopulationFileError(
            path,
            number,
            "population",
            f"expected a whole number above 0, got {row['population']!r}",
        )
    try:
        reference_date = date.fromisoformat(row["reference_date"])
    except ValueError:
        raise PopulationFileError(
            path, number, "reference_date", f"expected YYYY-MM-DD, got {row['reference_date']!r}"
        ) from None
    if not _HTTP_URL.match(row["source_url"]):
        raise PopulationFileError(
            path, number, "source_url", f"expected an http(s) URL, got {row['source_url']!r}"
        )
    return {
        "region_code": code,
        "population": int(row["population"]),
        "reference_date": reference_date,
        "source_name": row["source_name"],
        "source_url": row["source_url"],
        "notes": row["notes"],
    }


@lru_cache(maxsize=1)
def _bundled() -> pd.DataFrame:
    return read_population(POPULATION_PATH)


def load_population() -> pd.DataFrame:
    """The bundled population table (see :func:`read_population`); a fresh copy per call.

    >>> table = load_population()
    >>> int(table.loc["UA-05", "population"]), str(table.loc["UA-43", "reference_date"])
    (1509515, '2014-01-01')
    """
    return _bundled().copy()
