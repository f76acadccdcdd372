r"""The canonical CSV: oblastwatch's own events table as one file, written and read fast.

The app's events download (:func:`oblastwatch.present.exports.events_csv`) and :func:`write_csv` write
it with one implementation (:func:`to_table`, :func:`write`) and ``oblastwatch import --format
canonical`` (or auto-detection) reads it back. Header:
:data:`oblastwatch.present.exports.EXPORT_COLUMNS`, i.e. every column of
:data:`oblastwatch.domain.model.EVENT_COLUMNS` in that order, then ``region_codes`` and
``region_roles``. One row per event:

* ``date``: the Kyiv calendar day, ``YYYY-MM-DD``; ``start`` and ``end``: ISO 8601 instants
  with an offset (written in UTC as ``2024-03-01T04:30:00+00:00``, with a fraction of a second
  only when there is one, as ``datetime.isoformat`` does; ``Z`` and ``+02:00`` are read too).
* counts (``launched``, ``destroyed``, ``killed``, ``injured``), ``lat`` and ``lon``: numbers
  in their shortest exact form (``120``, ``46.4825``), blank when not reported.
* ``region_roles``: the event's ``event_regions`` rows as ``code:role`` pairs joined with
  ``;``, e.g. ``UA-51:target;UA-48:affected`` (codes ISO 3166-2:UA, roles from
  :data:`oblastwatch.domain.model.ROLES`). ``region_codes`` (``UA-48;UA-51``) is derived from it for
  spreadsheet users and is not read back.
* text cells that a spreadsheet would run as a formula carry a leading apostrophe
  (``'=...``, see :func:`oblastwatch.present.exports.neutralise_formula`); the reader removes an
  apostrophe followed by ``= + - @``, tab or carriage return, so an export re-imports as it was.

Writing: UTF-8 without BOM, RFC 4180 ``\r\n`` record ends, every text cell quoted (so line
breaks in descriptions stay inside their cell), the header unquoted.

Reading: UTF-8 (with or without BOM), comma-delimited. Blank cells are missing values. The
file is parsed by ``pyarrow.csv`` (multithreaded C++) into string columns and validated column
by column with Arrow compute kernels and numpy: no per-row Python on the happy path, so a
million rows import in a few seconds. A row is rejected (report names row and column) for: an
unknown kind, scope, weapon category, region code or role; a missing or unreadable date; an
instant without offset; ``end`` before ``start``; a count that is not a finite number >= 0;
latitude/longitude out of range or only one of them given; a row identical in every column
to an earlier row with the same ``event_id`` ("duplicate of row N"). Rows are 0-based data
rows (blank lines are not rows), as in every importer.

Ids: ``event_id`` and ``wave_id`` are kept from the file (so an export re-imports with the
same ids); a blank ``event_id`` becomes ``<source_name>:<row>`` (a row whose made-up id is
another row's ``event_id`` is rejected). Rows that share an ``event_id`` but differ in any
column are kept as separate events, as in the importers of other people's files: an export
never has them, so a file that does was edited or joined from several, and dropping a row
would lose an event the user wrote. The first keeps the id, later ones become ``<id>#2``,
``#3``... and the report notes list them (:class:`~oblastwatch.importers.report.RepeatedIds`). ``source_row`` is set to the
row in this file (the contract's meaning of the column); ``source`` is kept, blank becomes
``source_name``. Optional columns may be left out of the header; columns it does not know are
listed in the report notes and ignored.
"""

from __future__ import annotations

import csv
import io
from os import PathLike
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from oblastwatch.domain import model
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import Message
from oblastwatch.importers import counts, dates
from oblastwatch.importers.read import check_input_file, read_table
from oblastwatch.importers.report import (
    ImportResult,
    RejectCollector,
    RepeatedIds,
    UnusableInput,
    build_result,
)

FORMAT = "canonical"
REGIONS_COLUMN = "region_roles"
CODES_COLUMN = "region_codes"
# The header of oblastwatch.present.exports.events_csv (EXPORT_COLUMNS); kept here so that importing
# the reader does not import the exporter (geopandas).
COLUMNS: tuple[str, ...] = (*model.EVENT_COLUMNS, CODES_COLUMN, REGIONS_COLUMN)
# A text cell starting with one of these is a formula to a spreadsheet (OWASP, CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_HEADER = (",".join(COLUMNS) + "\r\n").encode("utf-8")
# Identifies the format in auto-detection; these columns must be present.
HEADER_SIGNATURE: frozenset[str] = frozenset({"event_id", "kind", "date", "scope", REGIONS_COLUMN})
# The reader streams the file through Arrow without a Python copy of its text, so it allows
# larger files than the generic reader (a million events are about 150 MB).
DEFAULT_MAX_BYTES = 2 * 1024**3

_NUMBER_COLUMNS = (*model.COUNT_COLUMNS, "lat", "lon")
_INSTANT_COLUMNS = ("start", "end")
_STRING_COLUMNS = tuple(
    c
    for c in model.EVENT_COLUMNS
    if model.EVENT_DTYPES[c] == "string" and c not in ("event_id", "source")
)
_UNNEUTRALISE = r"^'([=+\-@\t\r])"
_INSTANT_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$"
_DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


# --- writing -------------------------------------------------------------------------------


def region_columns(events: pd.DataFrame, event_regions: pd.DataFrame) -> pd.DataFrame:
    """``region_codes`` and ``region_roles`` of every event (index aligned with ``events``).

    Pairs are sorted by region code, then by role in the order of ROLES (roles outside it
    last, alphabetically); repeated (event, code, role) rows are written once; region rows of
    events not in ``events`` are ignored; an event without regions gets empty strings. Every
    row of a repeated event id gets that id's regions.

    >>> ev = pd.DataFrame({"event_id": ["a", "b"]})
    >>> er = pd.DataFrame({"event_id": ["a", "a"], "region_code": ["UA-51", "UA-48"],
    ...                    "role": ["target", "affected"]})
    >>> region_columns(ev, er).to_dict("list")
    {'region_codes': ['UA-48;UA-51', ''], 'region_roles': ['UA-48:affected;UA-51:target', '']}
    """
    n = len(events)
    # One hash pass numbers the ids of both tables alike (blank ids match nothing).
    ids = pa.concat_arrays(
        [model.arrow_strings(events["event_id"]), model.arrow_strings(event_regions["event_id"])]
    )
    encoded = pc.dictionary_encode(ids)
    n_ids = len(encoded.dictionary)
    codes = pc.fill_null(encoded.indices, n_ids).to_numpy(zero_copy_only=False).astype(np.int64)
    event_code, region_event = codes[:n], codes[n:]
    listed = np.zeros(n_ids + 1, dtype=bool)
    listed[event_code] = True
    listed[n_ids] = False
    known = listed[region_event]
    owner = region_event[known]
    code_text = _filled(event_regions["region_code"], known)
    role_text = _filled(event_regions["role"], known)
    code_rank = _rank(code_text)
    role_rank = _rank(role_text, first=model.ROLES)
    # Sorted by event, code, role order; repeated (event, code, role) rows dropped.
    order = np.lexsort((role_rank, code_rank, owner))
    key = np.stack([owner[order], code_rank[order], role_rank[order]])
    first = _starts(key)
    order, key = order[first], key[:, first]
    code_text = code_text.take(pa.array(order, type=pa.int64()))
    pairs = pc.binary_join_element_wise(
        code_text, role_text.take(pa.array(order, type=pa.int64())), pa.scalar(":", code_text.type)
    )
    new_code = _starts(key[:2])

    def per_event(values: pa.Array, owners: np.ndarray) -> pd.Series:
        offsets = np.concatenate(([0], np.cumsum(np.bincount(owners, minlength=n_ids + 1))))
        lists = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), values)
        joined = pc.binary_join(lists, pa.scalar(";", values.type)).take(pa.array(event_code))
        return pd.Series(pd.array(joined, dtype="string"), index=events.index)

    return pd.DataFrame(
        {
            CODES_COLUMN: per_event(code_text.filter(pa.array(new_code)), key[0][new_code]),
            REGIONS_COLUMN: per_event(pairs, key[0]),
        },
        index=events.index,
    )


def _starts(key: np.ndarray) -> np.ndarray:
    """Columns of the sorted ``key`` (rows = sort keys) that differ from the column before."""
    if key.shape[1] == 0:
        return np.zeros(0, dtype=bool)
    return np.concatenate(([True], (key[:, 1:] != key[:, :-1]).any(axis=0)))


def _filled(values: pd.Series, keep: np.ndarray) -> pa.Array:
    """Text of the ``keep`` rows, blanks as empty strings."""
    return model.arrow_strings(values).filter(pa.array(keep)).fill_null("")


def _rank(values: pa.Array, first: tuple[str, ...] = ()) -> np.ndarray:
    """Sort rank of each value.

    The values of ``first`` in that order, then the others alphabetically (equal values, equal
    rank).
    """
    encoded = pc.dictionary_encode(values)
    distinct = encoded.dictionary.to_pylist()
    ordered = sorted(
        distinct, key=lambda v: (first.index(v), "") if v in first else (len(first), v)
    )
    rank_of = {value: rank for rank, value in enumerate(ordered)}
    ranks = np.array([rank_of[v] for v in distinct], dtype=np.int64)
    return ranks[encoded.indices.to_numpy(zero_copy_only=False)] if len(values) else ranks[:0]


def to_table(events: pd.DataFrame, event_regions: pd.DataFrame) -> pa.Table:
    """The canonical CSV's cells as an Arrow table of strings (blank = null).

    :data:`COLUMNS` in order, text cells a spreadsheet would run as a formula neutralised (a
    leading ``'``).
    """
    events = model.conform_events(events)
    columns: dict[str, pa.Array] = {}
    for column in model.EVENT_COLUMNS:
        values = events[column]
        if column in _INSTANT_COLUMNS:
            columns[column] = _instant_text(values)
        elif column == "date":
            days = pa.array(values.dt.floor("D").astype("datetime64[s]"), type=pa.timestamp("s"))
            columns[column] = pc.cast(days.cast(pa.date32()), pa.string())
        elif column in _NUMBER_COLUMNS or column == "source_row":
            number = values.astype("float64" if column != "source_row" else "Int64")
            columns[column] = pc.cast(pa.array(number, from_pandas=True), pa.string())
        else:
            columns[column] = neutralised(model.arrow_strings(values))
    regions = region_columns(events, event_regions)
    for column in (CODES_COLUMN, REGIONS_COLUMN):
        columns[column] = pa.array(regions[column], type=pa.string(), from_pandas=True)
    return pa.table(columns)


def neutralised(text: pa.Array) -> pa.Array:
    """``text`` with a leading apostrophe on every value a spreadsheet would run as a formula.

    Such values start with one of :data:`FORMULA_PREFIXES`; blanks stay blank.
    """
    formula = pc.starts_with(text, FORMULA_PREFIXES[0])
    for prefix in FORMULA_PREFIXES[1:]:
        formula = pc.or_(formula, pc.starts_with(text, prefix))
    apostrophe = pa.scalar("'", text.type)
    empty = pa.scalar("", text.type)
    guarded = pc.binary_join_element_wise(apostrophe, text, empty)
    return pc.if_else(pc.fill_null(formula, False), guarded, text)


def _instant_text(values: pd.Series) -> pa.Array:
    """UTC instants as ISO 8601 text, like ``Timestamp.isoformat``.

    Whole seconds give ``2025-03-01T01:30:00+00:00``, else 6 or 9 digits of fraction.
    """
    naive = values.dt.tz_convert("UTC").dt.tz_localize(None)
    stamps = pa.array(naive, type=pa.timestamp("ns"), from_pandas=True)
    nanos = pc.fill_null(stamps.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    fraction = nanos % 1_000_000_000
    text = _timestamp_text(stamps, "s")
    if fraction.any():
        text = pc.if_else(pa.array(fraction % 1000 != 0), _timestamp_text(stamps, "ns"), text)
        micro = (fraction != 0) & (fraction % 1000 == 0)
        text = pc.if_else(pa.array(micro), _timestamp_text(stamps, "us"), text)
    return pc.binary_join_element_wise(text, "+00:00", "")


def _timestamp_text(stamps: pa.Array, unit: str) -> pa.Array:
    """``YYYY-MM-DDTHH:MM:SS`` (+ the fraction ``unit`` holds).

    Arrow's cast, which is many times faster than its strftime.
    """
    text = pc.cast(stamps.cast(pa.timestamp(unit), safe=False), pa.string())
    return pc.replace_substring(text, " ", "T", max_replacements=1)


def write_csv(
    events: pd.DataFrame, event_regions: pd.DataFrame, path: str | PathLike[str] | io.IOBase
) -> None:
    """Write ``events`` and ``event_regions`` as one canonical CSV to a path or a binary file.

    Conventions are in the module doc; Arrow's C++ writer does it, no per-cell Python.
    :func:`oblastwatch.present.exports.events_csv` returns the same bytes.
    """
    table = to_table(events, event_regions)
    options = pacsv.WriteOptions(include_header=False, quoting_style="needed", eol="\r\n")
    if isinstance(path, io.IOBase):
        path.write(_HEADER)
        pacsv.write_csv(table, path, write_options=options)
        return
    with open(path, "wb") as handle:
        handle.write(_HEADER)
        pacsv.write_csv(table, handle, write_options=options)


# --- reading -------------------------------------------------------------------------------


def read_header(path: str | PathLike[str], limit: int = 1 << 16) -> list[str] | None:
    """The header names of a comma-delimited UTF-8 file, or None if it does not look like one.

    Cheap: reads at most ``limit`` bytes. Used by detection before any full read.
    """
    try:
        with open(path, "rb") as handle:
            head = handle.read(limit)
    except OSError:
        return None
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        text = head[: error.start].decode("utf-8-sig", errors="ignore")
    line = next((line for line in text.splitlines() if line.strip()), "")
    if not line or line.lstrip()[:1] in ("[", "{"):
        return None
    names = next(csv.reader([line]), [])
    return [name.strip().lower() for name in names]


def canonical_header(path: str | PathLike[str]) -> list[str] | None:
    """The file's header when it carries every column of :data:`HEADER_SIGNATURE`, else None."""
    header = read_header(path)
    return header if header is not None and set(header) >= HEADER_SIGNATURE else None


def read_path(
    path: str | PathLike[str],
    *,
    source_name: str,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    header: list[str] | None = None,
) -> ImportResult:
    """Read a canonical CSV file with ``pyarrow.csv`` and validate it (see module doc).

    ``header``: the file's :func:`read_header`, when the caller has read it already.
    """
    path = Path(path)
    check_input_file(path, max_bytes)
    if header is None:
        header = read_header(path)
    if not header:
        raise UnusableInput(path, Message("file is empty"))
    table = _read_arrow(path, header)
    if table is None:
        return parse(read_table(path, max_bytes=None), source_name=source_name, path=path)
    return parse_table(table, source_name=source_name, path=path)


def parse(frame: pd.DataFrame, *, source_name: str, path: str | PathLike[str]) -> ImportResult:
    """Validate an all-string frame (from ``read_table``: another delimiter or encoding, JSON).

    Blank strings are missing values, as in the file reader.
    """
    columns = {}
    for name in frame.columns:
        values = pa.array(frame[name].astype("string"), type=pa.string(), from_pandas=True)
        columns[str(name).strip().lower()] = _blank_to_null(values)
    return parse_table(pa.table(columns), source_name=source_name, path=path)


def _read_arrow(path: Path, header: list[str]) -> pa.Table | None:
    duplicated = sorted({name for name in header if header.count(name) > 1})
    if duplicated:
        raise UnusableInput(
            path, Message("column name appears twice in the header"), column=duplicated[0]
        )
    convert = pacsv.ConvertOptions(
        column_types={name: pa.string() for name in header},
        strings_can_be_null=True,
        null_values=[""],
        quoted_strings_can_be_null=True,
    )
    # 1 MB blocks: Arrow parses blocks in parallel, so a file of a few MB (10,000 events) is
    # already spread over the cores, where one 8 MB block kept it on one thread.
    read = pacsv.ReadOptions(column_names=header, skip_rows=1, block_size=1 << 20)

    def read_csv(newlines_in_values: bool) -> pa.Table:
        return pacsv.read_csv(
            path,
            read_options=read,
            parse_options=pacsv.ParseOptions(newlines_in_values=newlines_in_values),
            convert_options=convert,
        )

    try:
        # Fast path: values without line breaks let Arrow split blocks across threads.
        return read_csv(newlines_in_values=False)
    except pa.ArrowInvalid:
        pass
    try:
        return read_csv(newlines_in_values=True)
    except pa.ArrowInvalid as error:
        if "UTF8" in str(error):
            raise UnusableInput(
                path, Message("not valid UTF-8 (canonical CSV files are UTF-8)"), row=0
            ) from error
        # A ragged file: Arrow does not say which row. The generic reader names the row of a
        # line with too many fields and reads a short line's missing cells as blanks, which
        # the validation then rejects by row and column, as for every other format.
        return None


def _blank_to_null(values: pa.Array) -> pa.Array:
    blank = pc.equal(pc.utf8_trim_whitespace(values), "")
    return pc.if_else(blank, pa.scalar(None, pa.string()), values)


def parse_table(table: pa.Table, *, source_name: str, path: str | PathLike[str]) -> ImportResult:
    """Validate a table of string columns (nulls = blanks) into the canonical tables."""
    names = [str(n).strip().lower() for n in table.column_names]
    table = table.rename_columns(names)
    missing = sorted(HEADER_SIGNATURE - set(names))
    if missing:
        raise UnusableInput(
            path, Message("missing required column for canonical CSV"), column=missing[0]
        )
    n = table.num_rows
    if n == 0:
        raise UnusableInput(path, Message("header only, no data rows"), row=0)
    notes = []
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        notes.append(
            Message(
                "ignored columns not in the canonical format: {columns}",
                {"columns": ", ".join(unknown)},
            )
        )
    index = pd.RangeIndex(n)
    rejects = RejectCollector(index)

    def column(name: str) -> pa.ChunkedArray:
        if name in names:
            return table.column(name)
        return pa.chunked_array([pa.nulls(n, pa.string())])

    # Every column is built as Arrow and the tables become pandas once, at the end.
    out: dict[str, pa.Array | pa.ChunkedArray] = {}
    # Required categoricals.
    for name, allowed in (("kind", model.EVENT_KINDS), ("scope", model.SCOPES)):
        values = pc.utf8_trim_whitespace(column(name))
        ok = _true(pc.is_in(values, value_set=pa.array(allowed)))
        _reject(rejects, ~ok & _is_null(values), name, Message("blank; required"))
        _reject(rejects, ~ok, name, Message("not one of {values}", {"values": ", ".join(allowed)}))
        out[name] = values
    category = pc.utf8_trim_whitespace(column("weapon_category"))
    bad = _not_null(category) & ~_true(
        pc.is_in(category, value_set=pa.array(model.WEAPON_CATEGORIES))
    )
    _reject(
        rejects,
        bad,
        "weapon_category",
        Message("not one of {values}", {"values": ", ".join(model.WEAPON_CATEGORIES)}),
    )
    out["weapon_category"] = category

    out["date"] = _dates(column("date"), rejects)
    for name in _INSTANT_COLUMNS:
        out[name] = _instants(column(name), rejects, name)
    _reject(rejects, _true(pc.less(out["end"], out["start"])), "end", Message("before start"))

    numbers = {name: _numbers(column(name), rejects, name) for name in _NUMBER_COLUMNS}
    lat, lon = numbers["lat"], numbers["lon"]
    _reject(rejects, np.abs(lat) > 90, "lat", Message("latitude outside -90..90"))
    _reject(rejects, np.abs(lon) > 180, "lon", Message("longitude outside -180..180"))
    _reject(
        rejects,
        np.isnan(lat) != np.isnan(lon),
        "lon",
        Message("latitude and longitude go together"),
    )
    for name, number in numbers.items():
        out[name] = pa.array(number, from_pandas=True)  # NaN -> null: blank

    for name in _STRING_COLUMNS:
        if name not in out:
            out[name] = _text(column(name))
    out["source"] = pc.fill_null(_text(column("source")), source_name)
    out["source_row"] = pa.array(np.arange(n, dtype=np.int64))

    event_id, repeats = _event_ids(table, column("event_id"), rejects, source_name)
    out["event_id"] = event_id

    regions, region_rows = _regions(column(REGIONS_COLUMN), rejects, event_id)

    events = pa.table({c: out[c] for c in model.EVENT_COLUMNS})
    keep = rejects.accepted.to_numpy()
    if not keep.all():
        events = events.filter(keep)
        regions = regions.filter(keep[region_rows])
    return build_result(
        events=_frame(events),
        event_regions=_frame(regions),
        rows_in=n,
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT,
        notes=[*notes, *repeats.notes(rejects.accepted)],
        regions_unique=True,
    )


def _frame(table: pa.Table) -> pd.DataFrame:
    """``table`` as pandas with the canonical dtypes.

    Text is ``string``, numbers ``Float64`` and ``Int64`` with blanks as NA, instants and days
    ``datetime64[ns]``.
    """
    return table.to_pandas(types_mapper=_PANDAS_TYPES.get, split_blocks=True)


_PANDAS_TYPES = {
    pa.string(): pd.StringDtype("pyarrow"),
    pa.large_string(): pd.StringDtype("pyarrow"),
    pa.float64(): pd.Float64Dtype(),
    pa.int64(): pd.Int64Dtype(),
}


def _event_ids(
    table: pa.Table, values: pa.ChunkedArray, rejects: RejectCollector, source_name: str
) -> tuple[pa.Array, RepeatedIds]:
    """The ``event_id`` column and its repeated ids.

    See the module doc for repeated and blank ids; rejects exact duplicates and blank ids whose
    made-up id is taken.
    """
    ids = pc.utf8_trim_whitespace(_text(values)).combine_chunks()
    ids = pc.if_else(pc.equal(ids, ""), pa.scalar(None, ids.type), ids)

    def rows_as_read(positions: np.ndarray) -> pd.DataFrame:
        return _frame(table.take(pa.array(positions)))

    repeats = RepeatedIds.find(ids, rejects.index, rows_as_read)
    repeats.reject_duplicates(rejects, "event_id")
    ids = repeats.renamed_array(ids)
    blank = _is_null(ids)
    if not blank.any():
        return ids, repeats
    made = pa.array([f"{source_name}:{row}" for row in np.flatnonzero(blank)], type=ids.type)
    taken = _true(pc.is_in(made, value_set=ids))
    if taken.any():
        made_rows = np.flatnonzero(blank)
        made_id = np.full(len(ids), "", dtype=object)
        made_id[made_rows[taken]] = [
            repr(text) for text in made.filter(pa.array(taken)).to_pylist()
        ]
        mask = np.zeros(len(ids), dtype=bool)
        mask[made_rows[taken]] = True
        _reject(
            rejects,
            mask,
            "event_id",
            Message("blank; the id made for it, {made_id}, is another row's event_id"),
            made_id=made_id,
        )
    return pc.replace_with_mask(ids, pa.array(blank), made), repeats


def _text(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Free text with the export's formula guard (a leading apostrophe) removed."""
    guarded = pc.fill_null(pc.starts_with(values, "'"), False)
    if not pc.any(guarded).as_py():
        return values
    return pc.replace_substring_regex(values, pattern=_UNNEUTRALISE, replacement=r"\1")


def _true(mask: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A boolean Arrow mask as numpy, null -> False."""
    return pc.fill_null(mask, False).to_numpy(zero_copy_only=False)


def _is_null(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return pc.is_null(values).to_numpy(zero_copy_only=False)


def _not_null(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    return ~_is_null(values)


def _reject(
    rejects: RejectCollector,
    mask: np.ndarray,
    column: str,
    reason: Message,
    **row_values: np.ndarray,
) -> None:
    if mask.any():
        rejects.reject(pd.Series(mask, index=rejects.index), column, reason, **row_values)


def _parse_or_null(values: pa.ChunkedArray, valid: np.ndarray, target: pa.DataType) -> pa.Array:
    """Cast the ``valid`` strings to ``target``; the others, and any a cast refuses, null.

    The whole column is cast in one call; only when Arrow refuses one value (a 2024-02-30
    that passed the pattern) is it cast value by value over the valid rows.
    """
    kept = pc.if_else(pa.array(valid), values, pa.scalar(None, pa.string()))
    try:
        return pc.cast(kept, target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    out = []
    for text in kept.to_pylist():  # error path only: some value matched but is impossible
        try:
            out.append(pc.cast(pa.array([text], pa.string()), target)[0].as_py())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            out.append(None)
    return pa.array(out, type=target)


def _distinct(values: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, pa.Array]:
    """The distinct texts of a column and, for each row, the position of its text among them.

    A blank cell's position is null. Texts repeat row after row (the rows of one attack wave
    share their date, instants and regions), so they are checked and parsed once per distinct
    text and the results spread to the rows.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    encoded = pc.dictionary_encode(values)
    return encoded.dictionary, encoded.indices


def _spread(per_text: np.ndarray, rows: pa.Array, blank: object) -> np.ndarray:
    """``per_text`` (one value per distinct text) for every row; ``blank`` for blank cells."""
    positions = pc.fill_null(rows, len(per_text)).to_numpy(zero_copy_only=False)
    return np.concatenate([per_text, np.asarray([blank])])[positions]


def _dates(values: pa.ChunkedArray, rejects: RejectCollector) -> pa.Array:
    """The ``date`` column as ``timestamp[ns]`` (midnight); unusable dates are rejected."""
    texts, rows = _distinct(values)
    texts = pc.utf8_trim_whitespace(texts)
    shape_ok = _true(pc.match_substring_regex(texts, _DATE_PATTERN))
    parsed = _parse_or_null(texts, shape_ok, pa.date32())
    days = _spread(parsed.to_numpy(zero_copy_only=False), rows, np.datetime64("NaT"))
    _reject(rejects, _is_null(rows), "date", Message("blank; required (YYYY-MM-DD)"))
    _reject(rejects, np.isnat(days), "date", Message("not a date (expected YYYY-MM-DD)"))
    # Checked on the day array: converting 9999-12-31 to nanoseconds would wrap silently.
    implausible = ~np.isnat(days) & (
        (days < dates.FIRST_DAY.to_datetime64()) | (days > dates.LAST_DAY.to_datetime64())
    )
    _reject(
        rejects,
        implausible,
        "date",
        Message("outside the plausible dates {window}", {"window": dates.WINDOW}),
    )
    days = np.where(implausible, np.datetime64("NaT"), days)
    return pa.array(days.astype("datetime64[ns]"), from_pandas=True)


def _instants(values: pa.ChunkedArray, rejects: RejectCollector, name: str) -> pa.Array:
    """An instant column as ``timestamp[ns, UTC]``; unreadable instants are rejected."""
    texts, rows = _distinct(values)
    texts = pc.utf8_trim_whitespace(texts)
    shape_ok = _true(pc.match_substring_regex(texts, _INSTANT_PATTERN))
    parsed = _parse_or_null(texts, shape_ok, pa.timestamp("ns", "UTC"))
    _reject(
        rejects,
        _spread(_is_null(parsed), rows, False),
        name,
        Message("not an ISO 8601 date-time with offset (e.g. 2024-03-01T04:30:00Z)"),
    )
    return parsed.take(rows)


def _numbers(values: pa.ChunkedArray, rejects: RejectCollector, name: str) -> np.ndarray:
    values = pc.utf8_trim_whitespace(values)
    given = _not_null(values)
    try:
        parsed = pc.cast(values, pa.float64())
    except pa.ArrowInvalid:
        coerced = pd.to_numeric(pd.Series(values.to_numpy(zero_copy_only=False)), errors="coerce")
        parsed = pa.array(coerced.to_numpy(dtype=float, na_value=np.nan), from_pandas=True)
    number = pc.fill_null(parsed, np.nan).to_numpy(zero_copy_only=False).astype(float)
    with np.errstate(invalid="ignore"):
        _reject(rejects, given & np.isnan(number), name, Message("not a number"))
        _reject(rejects, np.isinf(number), name, Message("not a finite number"))
        if name in model.COUNT_COLUMNS:
            _reject(rejects, number < 0, name, Message("negative count"))
            finite = np.isfinite(number)
            _reject(
                rejects, finite & (number != np.floor(number)), name, Message("not a whole number")
            )
            _reject(
                rejects,
                number > counts.MAX_COUNT,
                name,
                Message("more than {limit:,}, not a plausible count", {"limit": counts.MAX_COUNT}),
            )
    return np.where(np.isfinite(number), number, np.nan)


def _regions(
    values: pa.ChunkedArray, rejects: RejectCollector, event_id: pa.Array
) -> tuple[pa.Table, np.ndarray]:
    """The event_regions rows of the ``regions`` column and the event row of each.

    Rows repeat the same few texts (every row of a wave names the same regions) and the
    texts the same few pairs, so each distinct text is split once, each distinct pair is
    read and checked once, and the pairs are gathered for every row.
    """
    texts, rows = _distinct(values)
    n_texts = len(texts)
    # A blank cell gets the extra text number n_texts, which has no pairs.
    text_of_row = pc.fill_null(rows, n_texts).to_numpy(zero_copy_only=False)
    pairs = pc.split_pattern(texts, ";")
    owner = pc.list_parent_indices(pairs).to_numpy(zero_copy_only=False)
    pair_texts, pair_of = _distinct(pc.list_flatten(pairs))
    pair = pair_of.to_numpy(zero_copy_only=False)  # the distinct pair of each listed pair
    nonblank, code, role, code_number, role_number = _read_pairs(pair_texts)
    nonblank, code_number, role_number = nonblank[pair], code_number[pair], role_number[pair]
    code_ok = code_number >= 0
    role_ok = role_number >= 0
    for mask, reason in (
        (
            nonblank & ~code_ok,
            Message("unknown region code (expected UA-xx:role pairs joined by ;)"),
        ),
        (
            nonblank & code_ok & ~role_ok,
            Message("unknown role (expected {roles})", {"roles": ", ".join(model.ROLES)}),
        ),
    ):
        if mask.any():
            bad_text = np.zeros(n_texts + 1, dtype=bool)
            bad_text[owner[mask]] = True
            _reject(rejects, bad_text[text_of_row], REGIONS_COLUMN, reason)
    keep = nonblank & code_ok & role_ok
    # A text naming one (code, role) twice gives one row, as build_result would make it.
    key = (owner * (len(REGION_CODES) + 1) + code_number) * (len(model.ROLES) + 1) + role_number
    keep &= ~pd.Series(np.where(keep, key, -1)).duplicated().to_numpy()
    kept_owner = owner[keep]
    # The kept pairs of text t are kept_pair[start[t]:start[t] + count[t]] (owner is sorted).
    count = np.bincount(kept_owner, minlength=n_texts + 1)
    start = np.concatenate(([0], np.cumsum(count)[:-1]))
    per_row = count[text_of_row]
    region_rows = np.repeat(np.arange(len(text_of_row)), per_row)
    first_of_row = np.cumsum(per_row) - per_row
    within = np.arange(len(region_rows)) - np.repeat(first_of_row, per_row)
    pick = pa.array(pair[keep][np.repeat(start[text_of_row], per_row) + within])
    table = pa.table(
        {
            "event_id": event_id.take(pa.array(region_rows)),
            "region_code": code.take(pick),
            "role": role.take(pick),
        }
    )
    return table, region_rows


def _read_pairs(
    pairs: pa.Array,
) -> tuple[np.ndarray, pa.Array, pa.Array, np.ndarray, np.ndarray]:
    """Each ``code:role`` pair read.

    Whether it is not blank, its code and role (trimmed) and their positions in REGION_CODES
    and ROLES (-1 when not there).
    """
    pairs = pc.utf8_trim_whitespace(pairs)
    nonblank = pc.not_equal(pairs, "").to_numpy(zero_copy_only=False)
    parts = _padded(pc.split_pattern(pairs, ":", max_splits=1))
    code = pc.utf8_trim_whitespace(pc.list_element(parts, 0))
    role = pc.utf8_trim_whitespace(pc.list_element(parts, 1))
    code_number = pc.fill_null(pc.index_in(code, value_set=pa.array(REGION_CODES)), -1)
    role_number = pc.fill_null(pc.index_in(role, value_set=pa.array(model.ROLES)), -1)
    return nonblank, code, role, code_number.to_numpy(), role_number.to_numpy()


def _padded(parts: pa.Array) -> pa.Array:
    """Every list of ``parts`` with at least two items (a missing role becomes "")."""
    lengths = pc.list_value_length(parts).to_numpy(zero_copy_only=False)
    if (lengths >= 2).all():
        return parts
    fixed = [p if p is not None and len(p) >= 2 else [*(p or [""]), ""] for p in parts.to_pylist()]
    return pa.array(fixed, type=pa.list_(pa.string()))
