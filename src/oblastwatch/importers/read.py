"""Read a CSV or JSON file into an all-string DataFrame, robustly.

``read_table(path)`` returns a frame whose values are all ``str`` (missing values are ``""``)
and whose index is the 0-based **data row**: row 0 is the first non-blank line after the
header. Blank (or whitespace-only) lines are not rows. A quoted field that spans lines is one
row. Error messages name the data row and, where it helps, the physical line.

Handled: UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1251 and what ``charset-normalizer``
recognises; delimiters ``,`` ``;`` tab ``|`` (chosen from the header line); mixed line
endings; quoted fields containing delimiters, such as Python-literal lists and dicts.
JSON: a list of objects, or an object with a ``"data"`` list of objects.

Everything else raises :class:`UnusableInput` with one line naming the file, row and column:
a file over ``max_bytes``, an empty file, a header with no data rows, binary content, an
unclosed quote, a header (or JSON records) with more than :data:`MAX_COLUMNS` columns, or a
row with more fields than the header.

Hostile shapes cost what a normal file of their size costs: rows glued on one line (an export
that lost its line breaks) or a row with hundreds of thousands of fields stop the C tokenizer
at that row, and a header that wide is refused before pandas builds a column per field
(``bench/hostile.py`` holds the time bound).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oblastwatch.i18n import Message
from oblastwatch.importers.report import NO_COLUMN, ROW_HINTS, RowHints, UnusableInput

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
# The widest supported format (ACLED) has 31 columns; a spreadsheet export may carry a few
# hundred. pandas spends about 14 s building a frame of 300,000 columns, so a header (or
# the JSON records) wider than this is refused before the frame is built.
MAX_COLUMNS = 1_000
_HEADER_SAMPLE_CHARS = 1_000_000
_GEOJSON_TYPES = ("FeatureCollection", "Feature")
DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# What a row's fields are split by, named in a hint ("split by semicolons").
_SPLIT_BY = {
    ",": Message("commas"),
    ";": Message("semicolons"),
    "\t": Message("tabs"),
    "|": Message("pipes"),
}

_GLUED_HINT = Message(" (are line breaks missing, several rows on one line?)")
# The shape JSON input must have, quoted in its errors (braces are no placeholder there).
_JSON_SHAPE = '{"data": [...]}'
_EOF_IN_STRING = re.compile(r"EOF inside string starting at row (\d+)")
_FIELD_COUNT = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
# Control characters other than tab, newline, carriage return: a sign of binary content.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def read_table(
    path: str | PathLike[str], *, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> pd.DataFrame:
    """Read ``path`` (CSV or JSON records) into an all-string frame indexed by data row.

    ``frame.attrs`` holds ``encoding`` and ``delimiter`` (``"json"`` for JSON input).
    """
    path = Path(path)
    raw = _read_bytes(path, max_bytes)
    text, encoding = decode_bytes(raw, path)
    stripped = text.lstrip()
    if stripped[:1] in ("[", "{") or path.suffix.lower() == ".json":
        frame = _frame_from_json(text, path)
        frame.attrs.update(encoding=encoding, delimiter="json")
        return frame
    source: bytes | str = raw if encoding in ("utf-8", "utf-8-sig") else text
    frame, delimiter = _frame_from_csv(source, text, path, encoding)
    frame.attrs.update(encoding=encoding, delimiter=_DELIMITER_NAMES[delimiter])
    return frame


def check_input_file(path: Path, max_bytes: int | None) -> int:
    """The size in bytes of ``path``.

    :class:`UnusableInput` when it cannot be read, is not a regular file or is larger than
    ``max_bytes`` (``None``: no limit).
    """
    try:
        size = path.stat().st_size
    except OSError as error:
        raise UnusableInput(
            path, Message("cannot read file ({error})", {"error": error.strerror or str(error)})
        ) from error
    if not path.is_file():
        raise UnusableInput(path, Message("not a file"))
    if max_bytes is not None and size > max_bytes:
        raise UnusableInput(
            path,
            Message(
                "file is {size:.1f} MB, more than the {limit:.0f} MB limit",
                {"size": size / 1e6, "limit": max_bytes / 1e6},
            ),
        )
    return size


def _read_bytes(path: Path, max_bytes: int | None) -> bytes:
    check_input_file(path, max_bytes)
    raw = path.read_bytes()
    if not raw.strip():
        raise UnusableInput(path, Message("file is empty"))
    return raw


def decode_bytes(raw: bytes, path: str | PathLike[str] = "<input>") -> tuple[str, str]:
    """Decode file bytes to text; return ``(text, encoding)`` or raise UnusableInput.

    Order: byte-order marks, strict UTF-8, Windows-1251 when the result reads as Cyrillic
    (charset detectors often mistake short Ukrainian cp1251 text for cp1250 or Shift-JIS),
    then ``charset-normalizer``.
    """
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return _checked_text(raw.decode(encoding), path), encoding
            except UnicodeDecodeError as error:
                raise _decode_error(raw, error, encoding, path) from error
    if b"\x00" not in raw:
        try:
            return _checked_text(raw.decode("utf-8"), path), "utf-8"
        except UnicodeDecodeError:
            pass
        cp1251 = raw.decode("cp1251", errors="replace")
        if _reads_as_cyrillic(cp1251):
            return _checked_text(cp1251, path), "cp1251"
    import charset_normalizer

    best = charset_normalizer.from_bytes(raw).best()
    if best is None:
        raise UnusableInput(
            path, Message("not a text file (binary content or unknown encoding)"), row=0
        )
    return _checked_text(str(best), path), best.encoding


def _reads_as_cyrillic(text: str) -> bool:
    non_ascii = [c for c in text if ord(c) > 127]
    if not non_ascii:
        return False
    cyrillic = sum(1 for c in non_ascii if "\u0400" <= c <= "\u04ff")
    # Guillemets, dashes and the numero sign are common in cp1251 text too.
    other_ok = sum(1 for c in non_ascii if c in "«»–—№’“”„…")
    return (cyrillic + other_ok) / len(non_ascii) >= 0.95 and cyrillic > 0


def _checked_text(text: str, path: str | PathLike[str]) -> str:
    sample = text[:100_000]
    controls = len(_CONTROL.findall(sample))
    if controls and controls > max(2, len(sample) // 1000):
        raise UnusableInput(path, Message("not a text file (binary content)"), row=0)
    return text


def _decode_error(
    raw: bytes, error: UnicodeDecodeError, encoding: str, path: str | PathLike[str]
) -> UnusableInput:
    line = raw[: error.start].count(b"\n") + 1
    return UnusableInput(
        path,
        Message(
            "line {line}: bytes that are not valid {encoding}", {"line": line, "encoding": encoding}
        ),
        row=max(line - 2, 0),
    )


def choose_delimiter(header_line: str) -> str:
    """The delimiter that occurs most often (outside quotes) in the header line.

    >>> choose_delimiter('date;"place, text";kind')
    ';'
    """
    outside = re.sub(r'"[^"]*"', "", header_line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _frame_from_csv(
    source: bytes | str, text: str, path: Path, encoding: str
) -> tuple[pd.DataFrame, str]:
    r"""Parse with the C parser, which also takes \n, \r\n and \r line endings mixed.

    ``source`` is the raw bytes when they are UTF-8 (no second copy of a large file), else
    the decoded text.
    """
    sample = text[:_HEADER_SAMPLE_CHARS]
    header_line = next((line for line in sample.splitlines() if line.strip()), "")
    if not header_line:
        raise UnusableInput(path, Message("file is empty"))
    delimiter = choose_delimiter(header_line)
    _check_header(text, delimiter, path)
    handle = io.BytesIO(source) if isinstance(source, bytes) else io.StringIO(source)
    try:
        # header=None: the header line fixes the field count, so the tokenizer stops at the
        # first row with more fields. With header=0 pandas instead turns a first data row's
        # extra fields into index levels: rows glued on one line silently became one row,
        # after minutes of building a MultiIndex with a level per extra field.
        table = pd.read_csv(
            handle,
            sep=delimiter,
            encoding=encoding if isinstance(source, bytes) else None,
            header=None,
            dtype=str,
            keep_default_na=False,
            skip_blank_lines=True,
            engine="c",
        )
    except pd.errors.EmptyDataError as error:
        raise UnusableInput(path, Message("file is empty")) from error
    except pd.errors.ParserError as error:
        raise _parser_error(error, text, delimiter, path) from error
    if len(table) < 2:
        raise UnusableInput(path, Message("header only, no data rows"), row=0)
    frame = table.iloc[1:]
    frame.columns = [_clean_column(c, i) for i, c in enumerate(table.iloc[0].fillna(""))]
    frame.index = pd.RangeIndex(len(frame))
    # Missing trailing fields can come back as NaN even with keep_default_na=False.
    frame = frame.fillna("")
    hints = _other_delimiter_rows(frame, delimiter)
    if hints is not None:
        frame.attrs[ROW_HINTS] = hints
    return frame, delimiter


def _check_header(text: str, delimiter: str, path: Path) -> None:
    """Raise when the header has too many fields or a repeated field name.

    That is more than :data:`MAX_COLUMNS` fields, or two fields with the same name (which one
    holds the date would otherwise be decided silently).

    Read with the csv module from the first 1,000,000 characters only: a header cut there
    already has more fields than the limit, or names too long for the csv module to read.
    """
    sample = io.StringIO(text[:_HEADER_SAMPLE_CHARS])
    try:
        reader = csv.reader(sample, delimiter=delimiter)
        header = next((row for row in reader if any(field.strip() for field in row)), [])
    except csv.Error:
        return  # a header the csv module cannot read: pandas reports it, with its line
    cut = sample.tell() >= _HEADER_SAMPLE_CHARS and len(text) > _HEADER_SAMPLE_CHARS
    if cut:
        header = header[:-1]  # the last name may be cut short ("c13888" of "c138889")
    if len(header) > MAX_COLUMNS:
        counted = (
            Message("at least {count:,}", {"count": len(header)})
            if cut
            else Message("{count:,}", {"count": len(header)})
        )
        raise UnusableInput(
            path,
            Message(
                "the header has {counted} fields, more than the {limit:,} a table may have{hint}",
                {"counted": counted, "limit": MAX_COLUMNS, "hint": _GLUED_HINT},
            ),
            column=f"field {MAX_COLUMNS + 1}",
        )
    first_at: dict[str, int] = {}
    for position, name in enumerate(header):
        column = _clean_column(name, position)
        if column in first_at:
            raise UnusableInput(
                path,
                Message(
                    "column {column} appears twice in the header (fields {first} and "
                    "{second}); rename or remove one",
                    {
                        "column": repr(column),
                        "first": first_at[column] + 1,
                        "second": position + 1,
                    },
                ),
                column=column,
            )
        first_at[column] = position


def _other_delimiter_rows(frame: pd.DataFrame, delimiter: str) -> RowHints | None:
    """Hints for rows whose text all sits in the first field and is split by another delimiter.

    Such as ``a;b;c`` under a comma header: their rejections then say why every other field is
    blank instead of only "blank date".
    """
    if frame.shape[1] < 2:
        return None
    first = frame.iloc[:, 0].astype(str)
    others = [d for d in DELIMITERS if d != delimiter]
    # Cheap test first: few rows of a good file have another delimiter in their first field.
    suspects = first[first.str.contains("[" + re.escape("".join(others)) + "]", regex=True)]
    if suspects.empty:
        return None
    rest = frame.iloc[:, 1:].loc[suspects.index]
    suspects = suspects[(rest.isna() | (rest == "")).all(axis=1)]
    rows: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    messages: list[Message] = []
    for other in others:
        found = suspects.str.contains(other, regex=False).to_numpy(dtype=bool)
        if found.any():
            rows.append(suspects.index.to_numpy()[found])
            codes.append(np.full(int(found.sum()), len(messages), dtype=np.int8))
            messages.append(
                Message(
                    "all of the row's text is in its first field, split by {row_split}, while "
                    "the header is split by {header_split}",
                    {"row_split": _SPLIT_BY[other], "header_split": _SPLIT_BY[delimiter]},
                )
            )
            suspects = suspects[~found]
    if not messages:
        return None
    return RowHints(np.concatenate(rows), np.concatenate(codes), tuple(messages))


def _clean_column(name: Any, position: int) -> str:
    name = str(name).strip()
    return name if name and not name.startswith("Unnamed: ") else f"column_{position + 1}"


def _parser_error(
    error: pd.errors.ParserError, text: str, delimiter: str, path: Path
) -> UnusableInput:
    message = str(error)
    eof = _EOF_IN_STRING.search(message)
    if eof:
        place = _locate(text, int(eof.group(1)) + 1, delimiter)  # the parser counts from 0
        return UnusableInput(
            path,
            Message("line {line}: quote opened here is never closed", {"line": place.line}),
            row=place.row,
            column=place.quoted_column,
        )
    fields = _FIELD_COUNT.search(message)
    if fields:
        expected, record, seen = (int(g) for g in fields.groups())
        place = _locate(text, record, delimiter)
        hint = _GLUED_HINT if seen > 2 * expected else ""
        return UnusableInput(
            path,
            Message(
                "line {line}: {seen:,} fields where the header has {expected:,}{hint}",
                {"line": place.line, "seen": seen, "expected": expected, "hint": hint},
            ),
            row=place.row,
            column=f"field {expected + 1}",
        )
    return UnusableInput(path, Message("cannot parse as CSV ({error})", {"error": message}), row=0)


@dataclass(frozen=True)
class _Place:
    """Where a record the C parser stopped at sits in the file."""

    row: int  # 0-based data row
    line: int  # 1-based physical line it starts on
    quoted_column: str  # the header name of the field in which its first quote opens


def _locate(text: str, record: int, delimiter: str) -> _Place:
    """Find the parser's ``record`` by reading the records before it with the csv module.

    ``record`` is 1-based; it counts blank lines but not line breaks inside quotes.

    Stops before the bad record: that may be one line of 20 MB and millions of fields.
    """
    consumed = [0]  # where the lines read so far end
    reader = csv.reader(_lines_of(text, consumed), delimiter=delimiter)
    header: list[str] | None = None
    rows = 0
    try:
        for _ in range(record - 1):
            fields = next(reader)
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue  # a blank line: not a row
            if header is None:
                header = fields
            else:
                rows += 1
    except (csv.Error, StopIteration):
        # A field over the csv module's size limit: assume no blank lines or quoted breaks.
        return _Place(max(record - 2, 0), record, NO_COLUMN)
    start = consumed[0]
    quote_at = text.find('"', start, _line_end(text, start))
    fields_before_quote = text.count(delimiter, start, quote_at) if quote_at >= 0 else 0
    names = header or []
    column = names[fields_before_quote] if fields_before_quote < len(names) else NO_COLUMN
    return _Place(rows, reader.line_num + 1, column.strip() or NO_COLUMN)


def _lines_of(text: str, consumed: list[int]) -> Iterator[str]:
    r"""The lines of ``text`` with their endings (``\n``, ``\r\n`` or ``\r``), one at a time.

    ``io.StringIO`` would first copy the whole text at four bytes a character. Sets
    ``consumed[0]`` to where the last line given ends.
    """
    for line in _LINE.finditer(text):
        consumed[0] = line.end()
        yield line.group()


def _line_end(text: str, start: int) -> int:
    ends = [at for at in (text.find("\n", start), text.find("\r", start)) if at >= 0]
    return min(ends, default=len(text))


def _frame_from_json(text: str, path: Path) -> pd.DataFrame:
    try:
        data = json.loads(text, object_pairs_hook=_PairsRecord.from_pairs)
    except json.JSONDecodeError as error:
        raise UnusableInput(
            path,
            Message(
                "line {line}: invalid JSON ({error})", {"line": error.lineno, "error": error.msg}
            ),
            row=0,
        ) from error
    if isinstance(data, dict) and data.get("type") in _GEOJSON_TYPES:
        raise UnusableInput(
            path,
            Message(
                "a GeoJSON {type} is not a supported import format; JSON input must be a list "
                "of objects or {shape} (export the features' properties as CSV with latitude "
                "and longitude columns)",
                {"type": data["type"], "shape": _JSON_SHAPE},
            ),
            row=0,
        )
    if isinstance(data, dict) and isinstance(data.get("data"), list):
        data = data["data"]
    if not isinstance(data, list):
        raise UnusableInput(
            path,
            Message("JSON must be a list of objects or {shape}", {"shape": _JSON_SHAPE}),
            row=0,
        )
    if not data:
        raise UnusableInput(path, Message("no records"), row=0)
    records = []
    columns: dict[str, None] = {}
    for row, record in enumerate(data):
        if not isinstance(record, dict):
            raise UnusableInput(
                path,
                Message("record is a {type}, expected an object", {"type": type(record).__name__}),
                row=row,
            )
        # Checked before its keys are cleaned one by one: a record may have 300,000.
        if len(record) > MAX_COLUMNS:
            raise _too_many_keys(path, row, len(record))
        clean = _clean_record(record, row, path)
        records.append(clean)
        columns.update(dict.fromkeys(clean))
        if len(columns) > MAX_COLUMNS:
            raise _too_many_keys(path, row, len(record))
    values = {column: [_json_value(record.get(column)) for record in records] for column in columns}
    return pd.DataFrame(values, index=pd.RangeIndex(len(data)), dtype=object)


def _too_many_keys(path: Path, row: int, in_record: int) -> UnusableInput:
    return UnusableInput(
        path,
        Message(
            "the records have more than the {limit:,} distinct keys a table may have "
            "({count:,} in this record)",
            {"limit": MAX_COLUMNS, "count": in_record},
        ),
        row=row,
    )


def _clean_record(record: dict[Any, Any], row: int, path: Path) -> dict[str, Any]:
    """``record`` with trimmed keys; refused when two keys are the same once trimmed."""
    clean: dict[str, Any] = {}
    for key, value in record.items():
        name = str(key).strip()
        if name in clean:
            raise UnusableInput(path, _repeated_key(name), row=row, column=name)
        clean[name] = value
    if isinstance(record, _PairsRecord) and record.repeated is not None:
        name = record.repeated
        raise UnusableInput(path, _repeated_key(name), row=row, column=name)
    return clean


def _repeated_key(name: str) -> Message:
    return Message("key {key} appears twice in the record", {"key": repr(name)})


class _PairsRecord(dict):
    """A JSON object that remembers a repeated key (``json`` keeps the last one silently)."""

    repeated: str | None = None

    @classmethod
    def from_pairs(cls, pairs: list[tuple[str, Any]]) -> _PairsRecord:
        record = cls(pairs)
        if len(record) < len(pairs):
            seen: set[str] = set()
            for key, _ in pairs:
                if key in seen:
                    record.repeated = key
                    break
                seen.add(key)
        return record


def _json_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value, ensure_ascii=False)
