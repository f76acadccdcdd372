"""Importers: one module per source format, auto-detection and the import report.

``import_file(path)`` reads a file (CSV in any common encoding and delimiter, or JSON records),
detects its format from the header and hands the all-string frame to the format module's
``parse(frame, *, source_name, path)``. Format modules are imported on first use so that
importing this package does no work.
"""

from __future__ import annotations

from collections.abc import Mapping
from os import PathLike
from pathlib import Path

from oblastwatch.importers.report import ImportReport, ImportResult, UnusableInput

__all__ = ["FORMATS", "ImportReport", "ImportResult", "UnusableInput", "import_file"]

# Format names accepted by ``import_file`` and the CLI; "auto" detects from the header.
FORMATS: tuple[str, ...] = (
    "auto",
    "canonical",
    "mma",
    "acled",
    "points",
    "alerts",
    "csv",
    "talks",
    "strikes",
)


def import_file(
    path: str | PathLike[str],
    fmt: str = "auto",
    catalog: str | PathLike[str] | None = None,
    mapping: dict[str, str] | None = None,
    source_name: str | None = None,
    *,
    max_bytes: int | None = None,
    taken_ids: Mapping[str, Mapping[str, str]] | None = None,
) -> ImportResult:
    """Import one file into the canonical tables.

    ``fmt``: one of :data:`FORMATS`. ``catalog``: the MMA weapons catalogue
    (``missiles_and_uavs.csv``) for weapon categories. ``mapping``: canonical field ->
    column name for the generic ``csv`` format (given a mapping, ``auto`` uses it).
    ``source_name`` defaults to the file's stem. ``taken_ids`` (format -> id -> where) holds the
    ids a curated talks or strikes table may not reuse: a row with one is rejected. Raises :class:`UnusableInput` (one line
    naming file, row and column) when nothing can be imported.
    """
    from oblastwatch.importers.detect import dispatch

    return dispatch(
        Path(path),
        fmt=fmt,
        catalog=Path(catalog) if catalog is not None else None,
        mapping=mapping,
        source_name=source_name,
        max_bytes=max_bytes,
        taken_ids=taken_ids,
    )
