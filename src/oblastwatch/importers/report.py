"""What an import produced and what it could not use.

Every importer returns an :class:`ImportResult`: the canonical ``events`` and ``event_regions``
tables plus an :class:`ImportReport` that accounts for every input row (``rows_in ==
rows_imported + rows_rejected``) and for every place mention that did not resolve to a region.

Format modules stay small by using three helpers from here:

* :class:`RejectCollector` records rejected rows (row, column, reason), vectorised by mask;
* :class:`PlaceLookup` classifies place texts once per distinct string and tallies the
  unresolved ones with suggestions;
* :func:`build_result` conforms the tables, counts scopes and checks the row invariant.

Formats whose rows carry a source id use :class:`RepeatedIds` as well: rows that share an id
are one event only when they are identical in every column (the later ones are rejected as
"duplicate of row N"); rows that share an id but differ are separate events, the later ones
under ``<id>#2``, ``<id>#3``..., and the report notes say so.

Row numbers are 0-based data rows: row 0 is the first non-blank line after the header
(``source_row`` in the events table uses the same numbering).

Reasons and notes are :class:`~oblastwatch.i18n.Message` values (an English template and its
values): the report keeps their English text (``reason``, ``notes``: what the CLI prints and
``meta.json`` has always held) and, beside it, the message itself (``reason_message``,
``note_messages``), so a page can show a stored report in its reader's language.
"""

from __future__ import annotations

import contextlib
import gc
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from itertools import chain
from os import PathLike
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oblastwatch.domain import model
from oblastwatch.i18n import Message, plural_message, verbatim

NO_COLUMN = "(none)"
# ``frame.attrs`` key under which ``read_table`` leaves :class:`RowHints`.
ROW_HINTS = "row_hints"
# A later row that shares a source id with an earlier, different row is renamed
# ``<id><ID_SUFFIX><n>``: ``123#2`` for the second row with id 123.
ID_SUFFIX = "#"
# The notes list this many shared ids one by one, and this many rows of each.
MAX_CLASH_NOTES = 50
MAX_CLASH_ROWS = 10


# The one line of an unusable file, and of a rejected row whose reader hints at why.
FILE_ERROR = Message("{file}: row {row}, column {column}: {reason}")
REASON_AND_HINT = Message("{reason}; {hint}")


class UnusableInput(Exception):
    """An input file that cannot be imported at all; ``str()`` is one line, in English.

    ``reason`` is a :class:`Message` (a plain text is kept as written, untranslated);
    :meth:`message` gives the whole line for a page to show in its language.

    >>> error = UnusableInput("strikes.csv", Message("missing required column"), column="date")
    >>> str(error)
    'strikes.csv: row header, column date: missing required column'
    """

    def __init__(
        self,
        path: str | PathLike[str],
        reason: Message | str,
        *,
        row: int | str = "header",
        column: str = NO_COLUMN,
    ) -> None:
        self.path = str(path)
        self.row = row
        self.column = column
        self.reason_message = reason if isinstance(reason, Message) else verbatim(reason)
        self.reason = _one_line(str(self.reason_message))
        super().__init__(f"{Path(self.path).name}: row {row}, column {column}: {self.reason}")

    def message(self, reason: Message | None = None) -> Message:
        """The line "file: row, column: reason" (``reason`` in place of the error's own)."""
        return FILE_ERROR.with_values(
            {
                "file": Path(self.path).name,
                "row": row_label(self.row),
                "column": self.column,
                "reason": reason or self.reason_message,
            }
        )


def row_label(row: int | str) -> Message | int | str:
    """A row number as it is; the word "header" as a message (it is read in the page's language)."""
    return Message("header") if row == "header" else row


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


@dataclass
class ImportReport:
    """Accounting of one import: rows in, imported, rejected, and unresolved places."""

    source_name: str
    path: str
    format: str
    rows_in: int = 0
    rows_imported: int = 0
    rows_rejected: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)
    unresolved: dict[str, int] = field(default_factory=dict)
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    scopes: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # The notes as messages (Message.to_dict), one per note; empty in a report stored before.
    note_messages: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        """Raise ``AssertionError`` when the row counts or the rejection records disagree."""
        if self.rows_in != self.rows_imported + self.rows_rejected:
            raise AssertionError(
                f"import report for {self.path}: rows_in {self.rows_in} != "
                f"imported {self.rows_imported} + rejected {self.rows_rejected}"
            )
        if len(self.rejected) != self.rows_rejected:
            raise AssertionError(
                f"import report for {self.path}: {len(self.rejected)} rejection records "
                f"for {self.rows_rejected} rejected rows"
            )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (plain ints and strings)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        """The report of :meth:`to_dict`'s ``data``; keys it does not know are ignored."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in data.items() if k in known})

    def note_message_list(self) -> list[Message]:
        """The notes as messages; a report stored without them has its English notes as written."""
        return stored_notes(self.to_dict())

    def summary_lines(self) -> list[str]:
        """A few human-readable lines for the CLI."""
        lines = [
            f"{self.source_name} ({self.format}): {self.rows_in} rows in, "
            f"{self.rows_imported} imported, {self.rows_rejected} rejected",
        ]
        mentions = sum(self.unresolved.values())
        lines.append(f"unresolved place mentions: {mentions} ({len(self.unresolved)} distinct)")
        if self.scopes:
            scopes = ", ".join(f"{scope} {count}" for scope, count in sorted(self.scopes.items()))
            lines.append(f"scopes: {scopes}")
        return lines


@dataclass
class ImportResult:
    """The canonical tables produced from one file, and its report.

    ``alerts`` holds the air-raid alerts of an alerts file (:mod:`oblastwatch.domain.alerts`),
    None for every other format.
    """

    events: pd.DataFrame
    event_regions: pd.DataFrame
    report: ImportReport
    alerts: pd.DataFrame | None = None


@dataclass(frozen=True)
class RowHints:
    """Why some rows of a file look broken, added to their rejection reasons.

    ``rows`` (data rows) and ``codes`` (index into ``messages``) are arrays, so a file whose
    every row is broken carries a few bytes per row, not a message per row.
    """

    rows: np.ndarray
    codes: np.ndarray
    messages: tuple[Message, ...]

    def by_row(self) -> dict[int, Message]:
        """The hint of each row that has one, keyed by data row."""
        return {
            int(row): self.messages[int(code)]
            for row, code in zip(self.rows, self.codes, strict=True)
        }


class RejectCollector:
    """Collects rejected rows of a frame; the first reason recorded for a row wins.

    A reason is one :class:`Message` per call, for every row of its mask; values that differ
    from row to row (the text a row had) are given as Series beside it, so a million rejected
    rows carry one template and their own values, never a message object each until
    :meth:`records` writes them out.

    >>> rows = pd.RangeIndex(3)
    >>> rejects = RejectCollector(rows)
    >>> rejects.reject(pd.Series([False, True, True]), "launched", Message("not a number"))
    >>> rejects.reject(pd.Series([True, True, False]), "date", Message("not a date"))
    >>> [(r["row"], r["column"], r["reason"]) for r in rejects.records()]
    [(0, 'date', 'not a date'), (1, 'launched', 'not a number'), (2, 'launched', 'not a number')]
    """

    def __init__(self, index: pd.Index, hints: RowHints | None = None) -> None:
        self.index = index
        self.hints = hints
        self._column = pd.Series(pd.NA, index=index, dtype="object")
        # Per row, which reason rejected it (-1: none yet): an index into ``_reasons``.
        self._reason = pd.Series(-1, index=index, dtype="int64")
        self._reasons: list[tuple[Message, dict[str, list[object]]]] = []

    @classmethod
    def for_frame(cls, frame: pd.DataFrame) -> RejectCollector:
        """A collector for the rows of ``frame``.

        It carries the :class:`RowHints` that ``read_table`` left in ``frame.attrs`` (a row with
        another delimiter than the header's, ...).
        """
        hints = frame.attrs.get(ROW_HINTS)
        return cls(frame.index, hints if isinstance(hints, RowHints) else None)

    def reject(
        self, mask: pd.Series, column: str, reason: Message, **row_values: pd.Series | np.ndarray
    ) -> None:
        """Reject the rows where ``mask`` is true (unless already rejected).

        ``row_values`` are the placeholders of ``reason`` that differ per row, one value per
        row of the collector's index (a Series aligned on it, or an array in its order).
        """
        mask = pd.Series(mask, index=self.index).fillna(False).astype(bool)
        new = mask & (self._reason < 0)
        if not new.any():
            return
        self._column[new] = column
        self._reason[new] = len(self._reasons)
        picked = new.to_numpy()
        values = {
            name: _picked(per_row, self.index, picked) for name, per_row in row_values.items()
        }
        self._reasons.append((reason, values))

    def reject_row(self, row: int, column: str, reason: Message) -> None:
        """Reject a single row by its index label."""
        if self._reason.at[row] < 0:
            self._column.at[row] = column
            self._reason.at[row] = len(self._reasons)
            self._reasons.append((reason, {}))

    @property
    def mask(self) -> pd.Series:
        """True for rows that have been rejected."""
        return self._reason >= 0

    @property
    def accepted(self) -> pd.Series:
        """True for rows that have not been rejected."""
        return self._reason < 0

    def __len__(self) -> int:
        """The number of rows rejected so far."""
        return int(self.mask.sum())

    def records(self) -> list[dict[str, Any]]:
        """``[{row, column, reason, reason_message}]`` in row order, with plain Python values.

        ``reason`` is the English line, ``reason_message`` the message (:meth:`Message.to_dict`).
        A row with a hint from ``read_table`` gets it after its reason ("blank date; the
        row has 1 field where the header has 10: ...").
        """
        hit = self.mask.to_numpy()
        if not hit.any():
            return []
        # Millions of small acyclic dicts: the cyclic collector would walk them again and
        # again while they are made (it more than doubled the time), and has nothing to find.
        with _collector_paused():
            return self._records(np.flatnonzero(hit))

    def _records(self, positions: np.ndarray) -> list[dict[str, Any]]:
        codes = self._reason.to_numpy()[positions]
        texts: list[str] = [""] * len(positions)
        stored: list[dict[str, Any]] = [{}] * len(positions)
        # Rows of one reason are in index order, as their values were taken. Their text and
        # stored message are written straight from the template: no message object per row.
        order = np.argsort(codes, kind="stable")
        starts = np.flatnonzero(np.r_[True, codes[order][1:] != codes[order][:-1]])
        for at in np.split(order, starts[1:]):
            reason, values = self._reasons[int(codes[at[0]])]
            whole = reason.to_dict()
            if not values:
                text = _one_line(str(reason))
                for i in at.tolist():
                    texts[i], stored[i] = text, whole
                continue
            template = reason.template(reason.n)
            fixed, fixed_stored = reason.rendered_values(str), whole.get("values", {})
            names = list(values)
            columns = [[_one_line_value(value) for value in column] for column in values.values()]
            if len(names) == 1 and not fixed:  # the usual "'{value}' is not a number"
                [name], [column] = names, columns
                for i, value in zip(at.tolist(), column, strict=True):
                    texts[i] = template.format_map({name: value})
                    stored[i] = {**whole, "values": {name: value}}
                continue
            for i, row_values in zip(at.tolist(), zip(*columns, strict=True), strict=True):
                own = dict(zip(names, row_values, strict=True))
                texts[i] = template.format(**fixed, **own)
                stored[i] = {**whole, "values": {**fixed_stored, **own}}
        hints = self.hints.by_row() if self.hints is not None else {}
        records = []
        for row, column, text, message in zip(
            self.index[positions].tolist(),
            self._column.to_numpy()[positions].tolist(),
            texts,
            stored,
            strict=True,
        ):
            hint = hints.get(int(row)) if hints else None
            if hint is not None:
                framed = REASON_AND_HINT.with_values(
                    {"reason": Message.from_dict(message), "hint": hint}
                )
                text, message = _one_line(str(framed)), framed.to_dict()
            records.append(
                {"row": int(row), "column": str(column), "reason": text, "reason_message": message}
            )
        return records


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (reference counting still frees everything)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _picked(values: pd.Series | np.ndarray, index: pd.Index, picked: np.ndarray) -> list[object]:
    """The ``picked`` rows of ``values`` (a Series by ``index``'s labels, an array in its order)."""
    if isinstance(values, pd.Series):
        aligned = values if values.index.equals(index) else values.reindex(index)
        return aligned[picked].tolist()
    return np.asarray(values)[picked].tolist()


def _one_line_value(value: object) -> object:
    """A row's value as its reason shows it: text on one line, a missing value as blank."""
    if isinstance(value, str):
        return _one_line(value)
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return value


def stored_notes(report: dict[str, Any]) -> list[Message]:
    """The notes of a report dict (:meth:`ImportReport.to_dict`) as messages.

    A report stored before notes were messages has its English notes, shown as written.
    """
    notes, messages = report.get("notes") or [], report.get("note_messages") or []
    if len(messages) == len(notes):
        return [Message.from_dict(note) for note in messages]
    return [verbatim(note) for note in notes]


def reason_message(record: dict[str, Any]) -> Message:
    """The message of one rejection record; a record stored without one keeps its English."""
    stored = record.get("reason_message")
    return Message.from_dict(stored) if stored else verbatim(str(record["reason"]))


class PlaceLookup:
    """Classify place texts once per distinct string and tally unresolved parts.

    Uses ``oblastwatch.domain.places.classify_place`` for classification and
    ``oblastwatch.domain.regions.resolve`` for suggestions. Counts are per mention: a text that
    appears on 12 rows with one unresolved part adds 12 to that part's count.
    """

    def __init__(self) -> None:
        from oblastwatch.domain import places  # imported here: no import-time work in the package

        self._classify = places.classify_place
        self._match_type = places.PlaceMatch
        self._cache: dict[str, Any] = {}
        self.unresolved: Counter[str] = Counter()
        self.suggestions: dict[str, list[str]] = {}

    def classify(self, text: str) -> Any:
        """The cached ``PlaceMatch`` for ``text`` (not tallied)."""
        match = self._cache.get(text)
        if match is None:
            try:
                match = self._classify(text)
            except ValueError:
                # Text that names no place at all ("-", "and"): one unresolved mention.
                match = self._match_type(
                    scope="regions", region_codes=(), country=None, unresolved=(text,)
                )
            self._cache[text] = match
        return match

    def classify_counts(self, counts: pd.Series | dict[str, int]) -> dict[str, Any]:
        """Classify each distinct text and tally unresolved parts weighted by its count.

        ``counts`` maps text -> number of mentions (e.g. ``series.value_counts()``).
        Returns text -> PlaceMatch.
        """
        matches: dict[str, Any] = {}
        for text, count in dict(counts).items():
            match = self.classify(text)
            matches[text] = match
            for part in match.unresolved:
                self.note_unresolved(part, int(count))
        return matches

    def note_unresolved(self, text: str, count: int = 1) -> None:
        """Record ``count`` mentions of ``text`` that did not resolve to a region."""
        text = _one_line(text)
        if not text or count <= 0:
            return
        self.unresolved[text] += count
        if text not in self.suggestions:
            self.suggestions[text] = _suggest(text)


def _suggest(text: str) -> list[str]:
    from oblastwatch.domain import places

    try:
        return [str(suggestion) for suggestion in places.suggest(text)]
    except Exception:  # a suggestion is a courtesy; a resolver bug must not lose the import
        return []


@dataclass(frozen=True)
class IdClash:
    """One source id shared by rows that differ.

    The first :data:`MAX_CLASH_ROWS` of those rows (0-based data rows) with the id each is
    imported under, and how many there are.
    """

    source_id: str
    rows: tuple[int, ...]
    ids: tuple[str, ...]
    n_rows: int


@dataclass(frozen=True)
class RepeatedIds:
    """The rows of one file that share a source id, found by :meth:`find`.

    Blank ids are never shared: each blank-id row stays its own event.

    * exact duplicates (every column the same as an earlier row with that id):
      ``duplicate_positions`` and the row each repeats, ``duplicate_of``; they are rejected;
    * later rows that share an id with an earlier row but differ from it:
      ``renamed_positions`` and their new ids ``renamed_ids`` (``<id>#2``, ``#3``... in file
      order, skipping any id the file itself uses), so each is its own event;
    * ``clashes``: the first :data:`MAX_CLASH_NOTES` shared ids (of ``n_clashes``), for the
      report.

    The ids depend only on the file's content and order, so importing the same file again
    gives the same ids; the first row with an id always keeps it unchanged.
    """

    index: pd.Index
    duplicate_positions: np.ndarray
    duplicate_of: np.ndarray
    renamed_positions: np.ndarray
    renamed_ids: pa.Array
    clashes: tuple[IdClash, ...] = ()
    n_clashes: int = 0

    @classmethod
    def none(cls, index: pd.Index) -> RepeatedIds:
        """No repeated ids among the rows of ``index``."""
        empty = np.zeros(0, dtype=np.int64)
        return cls(index, empty, empty, empty, pa.array([], pa.large_string()))

    @classmethod
    def of_column(cls, given: pd.Series, frame: pd.DataFrame) -> RepeatedIds:
        """The repeated ids of ``given`` (id text per row of ``frame``, ``""`` when blank).

        Rows are compared on every column of ``frame``, each cell trimmed, as the text
        importers read it.
        """
        text = model.arrow_strings(given)
        blank = pc.fill_null(pc.equal(text, ""), True)
        ids = pc.if_else(blank, pa.scalar(None, text.type), text)

        def trimmed_rows(positions: np.ndarray) -> pd.DataFrame:
            rows = frame.iloc[positions]
            return pd.DataFrame(
                {
                    number: rows[column].astype("string").str.strip().fillna("")
                    for number, column in enumerate(rows.columns)
                }
            )

        return cls.find(ids, given.index, trimmed_rows)

    @classmethod
    def find(
        cls,
        ids: pa.Array,
        index: pd.Index,
        content: Callable[[np.ndarray], pd.DataFrame],
    ) -> RepeatedIds:
        """Repeated ids of ``ids`` (one per row of ``index``, null when blank).

        ``content(positions)`` gives the rows at those positions as a frame of comparable
        values, every column of the file; it is only called when some id repeats, and only
        for the rows whose id does.
        """
        encoded = pc.dictionary_encode(ids)
        n_ids = len(encoded.dictionary)
        if n_ids == len(ids) - ids.null_count:  # the common case: one hash pass, nothing to do
            return cls.none(index)
        codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        per_id = np.bincount(codes[codes >= 0], minlength=n_ids)
        shared = np.flatnonzero((codes >= 0) & (per_id[np.maximum(codes, 0)] > 1))
        shared_codes = codes[shared]

        # Equal content and equal id: an exact duplicate of the first such row.
        rows = content(shared)
        content_key, _ = pd.factorize(model.row_keys(rows, list(rows.columns)))
        same, _ = pd.factorize(content_key.astype(np.int64) * n_ids + shared_codes)
        first_of = np.unique(same, return_index=True)[1]
        duplicate = pd.Series(same).duplicated().to_numpy()
        duplicate_of = index[shared[first_of[same[duplicate]]]].to_numpy()

        distinct, distinct_codes = shared[~duplicate], shared_codes[~duplicate]
        nth = pd.Series(distinct_codes).groupby(distinct_codes).cumcount().to_numpy() + 1
        later = nth > 1
        renamed_positions = distinct[later]
        renamed_ids = _suffixed(ids, encoded.dictionary, renamed_positions, nth[later])
        rows_per_id = np.bincount(distinct_codes, minlength=n_ids)
        clash_codes = pd.unique(distinct_codes[rows_per_id[distinct_codes] > 1])
        listed = clash_codes[:MAX_CLASH_NOTES]  # in order of each id's first row
        new_ids = _with_renamed(ids, renamed_positions, renamed_ids)
        clashes = tuple(
            IdClash(
                source_id=str(encoded.dictionary[int(code)].as_py()),
                rows=tuple(int(row) for row in index[positions]),
                ids=tuple(new_ids.take(pa.array(positions)).to_pylist()),
                n_rows=int(rows_per_id[code]),
            )
            for code, positions in _first_rows_of(listed, distinct, distinct_codes)
        )
        return cls(
            index,
            shared[duplicate],
            duplicate_of,
            renamed_positions,
            renamed_ids,
            clashes,
            len(clash_codes),
        )

    def reject_duplicates(self, rejects: RejectCollector, column: str) -> None:
        """Reject each exact duplicate as "duplicate of row N" (N: the first identical row)."""
        if not len(self.duplicate_positions):
            return
        rows = self.index[self.duplicate_positions]
        first = pd.Series(self.duplicate_of, index=rows, dtype="object")
        mask = pd.Series(False, index=self.index)
        mask[rows] = True
        rejects.reject(
            mask,
            column,
            Message("duplicate of row {first}: every column is the same"),
            first=first.reindex(self.index),
        )

    def renamed(self, given: pd.Series) -> pd.Series:
        """``given`` (the id text of every row) with the renamed rows' new ids."""
        if not len(self.renamed_positions):
            return given
        out = given.copy()
        out.iloc[self.renamed_positions] = self.renamed_ids.to_pylist()
        return out

    def renamed_array(self, ids: pa.Array) -> pa.Array:
        """``ids`` (one per row, Arrow text) with the renamed rows' new ids."""
        if not len(self.renamed_positions):
            return ids
        return _with_renamed(ids, self.renamed_positions, self.renamed_ids)

    def notes(self, accepted: pd.Series) -> list[Message]:
        """Report lines: a count, then one line per shared id (``accepted``: rows kept)."""
        if not self.n_clashes and not len(self.duplicate_positions):
            return []
        lines = [
            Message(
                "repeated ids: {ids} shared by rows that differ, kept as separate events "
                "({renamed} renamed <id>#2, <id>#3, ...); {duplicates} identical to an earlier "
                "row with the same id rejected as duplicate",
                {
                    "ids": plural_message(
                        "{count} id", "{count} ids", self.n_clashes, {"count": self.n_clashes}
                    ),
                    "renamed": _rows(len(self.renamed_positions)),
                    "duplicates": _rows(len(self.duplicate_positions)),
                },
            )
        ]
        for clash in self.clashes:
            rows = [
                Message("row {row} as {id}", {"row": row, "id": repr(new_id)})
                if accepted.get(row, False)
                else Message("row {row} as {id} (rejected)", {"row": row, "id": repr(new_id)})
                for row, new_id in zip(clash.rows, clash.ids, strict=True)
            ]
            more = clash.n_rows - len(clash.rows)
            tail = (
                plural_message(
                    " and {count} more row", " and {count} more rows", more, {"count": more}
                )
                if more
                else ""
            )
            lines.append(
                plural_message(
                    "id {id} is shared by {count} row that differ, kept as separate events: "
                    "{rows}{tail}",
                    "id {id} is shared by {count} rows that differ, kept as separate events: "
                    "{rows}{tail}",
                    clash.n_rows,
                    {
                        "id": repr(clash.source_id),
                        "count": clash.n_rows,
                        "rows": rows,
                        "tail": tail,
                    },
                )
            )
        if self.n_clashes > len(self.clashes):
            more = self.n_clashes - len(self.clashes)
            lines.append(
                plural_message(
                    "... and {count} more repeated id",
                    "... and {count} more repeated ids",
                    more,
                    {"count": more},
                )
            )
        return lines


def row_note(row: int, text: Message) -> Message:
    """A report note about one data row: "row 12: …"."""
    return Message("row {row}: {text}", {"row": row, "text": text})


def _rows(n: int) -> Message:
    return plural_message("{count} row", "{count} rows", n, {"count": n})


def _suffixed(ids: pa.Array, given: pa.Array, positions: np.ndarray, nth: np.ndarray) -> pa.Array:
    """``<id>#<nth>`` for the rows at ``positions``.

    Where that is an id the file uses (``given``: its distinct ids), the next free number
    instead.
    """
    if not len(positions):
        return pa.array([], pa.large_string())
    base = ids.take(pa.array(positions)).cast(pa.large_string())
    number = pc.cast(pa.array(nth), pa.large_string())
    hash_sign = pa.scalar(ID_SUFFIX, pa.large_string())
    suffixed = pc.binary_join_element_wise(base, hash_sign, number, pa.scalar("", base.type))
    taken = pc.fill_null(pc.is_in(suffixed, value_set=given.cast(pa.large_string())), False)
    if not pc.any(taken).as_py():
        return suffixed
    # Rare (a file using both 123 and 123#2 as ids): the rows of the ids concerned are
    # numbered again, in file order, skipping the ids the file uses. A new id never equals
    # another row's new id: "<id>#<n>" gives back its id and n.
    used = set(given.to_pylist())
    bases = base.to_pylist()
    renumbered = set(pc.filter(base, taken).to_pylist())
    out = suffixed.to_pylist()
    last: dict[str, int] = {}
    for i, source_id in enumerate(bases):
        if source_id not in renumbered:
            continue
        n = last.get(source_id, 1) + 1
        while f"{source_id}{ID_SUFFIX}{n}" in used:
            n += 1
        last[source_id] = n
        out[i] = f"{source_id}{ID_SUFFIX}{n}"
    return pa.array(out, pa.large_string())


def _with_renamed(ids: pa.Array, positions: np.ndarray, new_ids: pa.Array) -> pa.Array:
    ids = ids.cast(pa.large_string())
    if not len(positions):
        return ids
    mask = np.zeros(len(ids), dtype=bool)
    mask[positions] = True
    # replace_with_mask takes the replacements in row order; positions are sorted.
    return pc.replace_with_mask(ids, pa.array(mask), new_ids)


def _first_rows_of(
    codes: np.ndarray, positions: np.ndarray, position_codes: np.ndarray
) -> list[tuple[int, np.ndarray]]:
    """For each id code of ``codes`` (few), its first :data:`MAX_CLASH_ROWS` positions."""
    if not len(codes):
        return []
    picked = np.isin(position_codes, codes)
    first = (
        pd.Series(positions[picked])
        .groupby(position_codes[picked], sort=False)
        .head(MAX_CLASH_ROWS)
        .to_numpy()
    )
    first_codes = position_codes[np.searchsorted(positions, first)]
    return [(int(code), first[first_codes == code]) for code in codes]


def event_ids(source_name: str, rows: Iterable[int] | pd.Index) -> pd.Series:
    """Stable event ids ``"<source_name>:<row>"`` for 0-based data rows."""
    rows = pd.Index(rows)
    return pd.Series(
        [f"{source_name}:{int(r)}" for r in rows], index=rows, dtype="string", name="event_id"
    )


def region_rows(
    event_id: pd.Series, codes: pd.Series, role: str | np.ndarray | pd.Series
) -> pd.DataFrame:
    """``event_regions`` rows: one per (event, code) from a Series of code tuples.

    ``codes`` holds a tuple (or list) of region codes per event, empty where the event names
    no region; ``role`` is one role for every row or one per event. Duplicates are dropped
    later by :func:`build_result`. When no event names a region the table is empty (with the
    canonical columns), never an error.

    >>> region_rows(pd.Series(["a", "b"]), pd.Series([("UA-51", "UA-48"), ()]), "target")
      event_id region_code    role
    0        a       UA-51  target
    1        a       UA-48  target
    >>> len(region_rows(pd.Series(["a"]), pd.Series([()]), "target"))
    0
    """
    lengths = np.fromiter(map(len, codes), dtype=np.int64, count=len(codes))
    if not lengths.any():
        return model.empty_event_regions()
    if not isinstance(role, str):
        role = np.repeat(np.asarray(role, dtype=object), lengths)
    return pd.DataFrame(
        {
            "event_id": np.repeat(np.asarray(event_id, dtype=object), lengths),
            "region_code": list(chain.from_iterable(codes)),
            "role": role,
        }
    )


def build_result(
    *,
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    rows_in: int,
    rejects: RejectCollector,
    source_name: str,
    path: str | PathLike[str],
    fmt: str,
    places: PlaceLookup | None = None,
    notes: Iterable[Message] = (),
    regions_unique: bool = False,
) -> ImportResult:
    """Conform both tables, count scopes and build the report.

    Raises ``AssertionError`` when ``rows_in != len(events) + len(rejects)``: an importer
    that loses a row is a bug, never a silent success. Repeated ``event_regions`` rows are
    dropped (the first kept); ``regions_unique=True`` says the importer already did that.
    """
    note_list = list(notes)
    events = model.conform_events(events).reset_index(drop=True)
    if len(event_regions):
        event_regions = model.conform_event_regions(event_regions)
        if not regions_unique:
            event_regions = _first_of_each(event_regions)
    else:
        event_regions = model.empty_event_regions()
    scopes = _counts(events["scope"])
    unresolved: dict[str, int] = {}
    suggestions: dict[str, list[str]] = {}
    if places is not None:
        unresolved = {t: int(c) for t, c in places.unresolved.most_common()}
        suggestions = {t: places.suggestions.get(t, []) for t in unresolved}
    report = ImportReport(
        source_name=source_name,
        path=str(path),
        format=fmt,
        rows_in=int(rows_in),
        rows_imported=len(events),
        rows_rejected=len(rejects),
        rejected=rejects.records(),
        unresolved=unresolved,
        suggestions=suggestions,
        scopes=scopes,
        notes=[str(note) for note in note_list],
        note_messages=[note.to_dict() for note in note_list],
    )
    return ImportResult(events=events, event_regions=event_regions, report=report)


def _counts(values: pd.Series) -> dict[str, int]:
    """How many times each value occurs (blanks left out), most frequent first."""
    counted = pc.value_counts(pc.drop_null(model.arrow_strings(values)))
    names, counts = counted.field("values").to_pylist(), counted.field("counts").to_pylist()
    return dict(sorted(zip(names, counts, strict=True), key=lambda pair: -pair[1]))


def _first_of_each(frame: pd.DataFrame) -> pd.DataFrame:
    """The first row of each distinct row of ``frame``, in order.

    The same as ``frame.drop_duplicates(ignore_index=True)``, through
    :func:`oblastwatch.domain.model.repeated_rows`: much faster on Arrow strings.
    """
    if len(frame) < 2:
        return frame.reset_index(drop=True)
    repeated = model.repeated_rows(frame, list(frame.columns))
    if not repeated.any():
        return frame.reset_index(drop=True)
    return frame[~repeated].reset_index(drop=True)
