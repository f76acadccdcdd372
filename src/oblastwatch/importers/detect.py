"""Pick the importer for a file from its header, and run it.

Each format module exposes ``HEADER_SIGNATURE`` (column names, lower-case, that identify it)
and a ``parse`` function; the curated module exposes one signature per table. A signature
matches when all its columns are in the header (compared lower-case, spaces trimmed). The
generic ``csv`` format has no signature: it needs a column mapping.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from oblastwatch.i18n import Message
from oblastwatch.importers.read import DEFAULT_MAX_BYTES, read_table
from oblastwatch.importers.report import ImportResult, UnusableInput


@dataclass(frozen=True)
class FormatSpec:
    """Where a format's header signature and parser live."""

    name: str
    module: str
    signature_attr: str | None
    parse_attr: str


# Checked in this order: the curated tables carry their whole header as signature, so they
# go first; points (a date and coordinates) is the loosest and goes last.
FORMAT_SPECS: tuple[FormatSpec, ...] = (
    # oblastwatch's own export; its signature (event_id, kind, date, scope, regions) is
    # disjoint from the others' and it also carries date/lat/lon, so it goes before points.
    FormatSpec("canonical", "oblastwatch.importers.canonical", "HEADER_SIGNATURE", "parse"),
    FormatSpec("talks", "oblastwatch.importers.curated", "HEADER_SIGNATURE_TALKS", "parse_talks"),
    FormatSpec(
        "strikes", "oblastwatch.importers.curated", "HEADER_SIGNATURE_STRIKES", "parse_strikes"
    ),
    FormatSpec("mma", "oblastwatch.importers.mma", "HEADER_SIGNATURE", "parse"),
    FormatSpec("acled", "oblastwatch.importers.acled", "HEADER_SIGNATURE", "parse"),
    # The sirens dataset's files; no date or coordinate columns, so disjoint from points.
    FormatSpec("alerts", "oblastwatch.importers.alerts", "HEADER_SIGNATURE", "parse"),
    FormatSpec("points", "oblastwatch.importers.points", "HEADER_SIGNATURE", "parse"),
    FormatSpec("csv", "oblastwatch.importers.generic", None, "parse"),
)
SPECS_BY_NAME = {spec.name: spec for spec in FORMAT_SPECS}
# The curated tables' formats: their ids may not repeat ids of the bundled tables.
CURATED_FORMATS = ("talks", "strikes")


def normalized_columns(columns: Iterable[Any]) -> list[str]:
    """Header names as compared by detection: trimmed and lower-case."""
    return [str(c).strip().lower() for c in columns]


def signature_of(spec: FormatSpec) -> list[frozenset[str]]:
    """The alternative column sets that identify ``spec`` (empty when it has none)."""
    if spec.signature_attr is None:
        return []
    module = _module(spec)
    if module is None:
        return []
    signature = getattr(module, spec.signature_attr)
    items = list(signature)
    if items and all(isinstance(item, str) for item in items):
        return [frozenset(s.lower() for s in items)]
    return [frozenset(s.lower() for s in alternative) for alternative in items]


def detect_format(columns: Iterable[Any]) -> str | None:
    """The format name whose signature the header matches, or None.

    >>> detect_format(["time_start", "time_end", "model", "launched", "destroyed"])
    'mma'
    """
    header = set(normalized_columns(columns))
    for spec in FORMAT_SPECS:
        if any(alternative <= header for alternative in signature_of(spec)):
            return spec.name
    return None


# A header no format matches: the error quotes it and lists what each format expects.
UNKNOWN_FORMAT = Message("unknown format: header has {found}; expected {expected}")


def expected_columns() -> str:
    """A one-line description of every detectable header, for error messages."""
    return str(expected_formats())


def expected_formats() -> Message:
    """:func:`expected_columns` as a message: the formats' columns, then the mapped CSV."""
    parts = []
    for spec in FORMAT_SPECS:
        for alternative in signature_of(spec):
            parts.append(f"{spec.name} ({', '.join(sorted(alternative))})")
    return Message(
        "{formats}; csv (any columns, with a mapping such as --map date=When --map place=Where)",
        {"formats": "; ".join(parts)},
    )


def dispatch(
    path: Path,
    *,
    fmt: str = "auto",
    catalog: Path | None = None,
    mapping: dict[str, str] | None = None,
    source_name: str | None = None,
    max_bytes: int | None = None,
    taken_ids: Mapping[str, Mapping[str, str]] | None = None,
) -> ImportResult:
    """Read ``path``, choose the format and parse it (see ``oblastwatch.importers.import_file``)."""
    if fmt != "auto" and fmt not in SPECS_BY_NAME:
        raise UnusableInput(
            path,
            Message(
                "unknown format {format}; expected auto or one of {formats}",
                {"format": repr(fmt), "formats": ", ".join(SPECS_BY_NAME)},
            ),
        )
    if fmt == "canonical" or (fmt == "auto" and not mapping):
        from oblastwatch.importers import canonical

        # The canonical CSV has its own Arrow reader (no all-string pandas copy): read it
        # straight from the path when the header says so. Other delimiters or encodings of
        # it fall through to read_table and canonical.parse.
        header = canonical.canonical_header(path)
        if header is not None:
            limit = canonical.DEFAULT_MAX_BYTES if max_bytes is None else max_bytes
            return canonical.read_path(
                path, source_name=source_name or path.stem, max_bytes=limit, header=header
            )
    frame = read_table(path, max_bytes=DEFAULT_MAX_BYTES if max_bytes is None else max_bytes)
    source_name = source_name or path.stem
    if fmt == "auto":
        fmt = "csv" if mapping else (detect_format(frame.columns) or "")
        if not fmt:
            found = ", ".join(str(c) for c in frame.columns[:30])
            raise UnusableInput(
                path,
                UNKNOWN_FORMAT.with_values({"found": found, "expected": expected_formats()}),
            )
    spec = SPECS_BY_NAME[fmt]
    module = _module(spec)
    if module is None:
        raise UnusableInput(
            path,
            Message("the {format} importer is not available in this installation", {"format": fmt}),
        )
    parser = getattr(module, spec.parse_attr)
    if fmt == "csv":
        if not mapping:
            raise UnusableInput(
                path,
                Message(
                    "format csv needs a column mapping, e.g. --map date=When --map place=Where"
                ),
            )
        return parser(frame, source_name=source_name, path=path, mapping=mapping)
    frame = _lower_case_header(frame)
    if fmt == "mma":
        catalogue = module.read_catalog(catalog) if catalog is not None else None
        return parser(frame, source_name=source_name, path=path, catalog=catalogue)
    if fmt in CURATED_FORMATS:
        taken = (taken_ids or {}).get(fmt, {})
        return parser(frame, source_name=source_name, path=path, taken_ids=taken)
    return parser(frame, source_name=source_name, path=path)


def _lower_case_header(frame: pd.DataFrame) -> pd.DataFrame:
    names = normalized_columns(frame.columns)
    if len(set(names)) != len(names):
        return frame
    renamed = frame.copy(deep=False)
    renamed.columns = names
    return renamed


def _module(spec: FormatSpec) -> Any:
    try:
        return importlib.import_module(spec.module)
    except ModuleNotFoundError as error:
        if error.name == spec.module:
            return None
        raise
