"""The canonical event tables and their validation.

Two tables cross every module boundary:

* ``events``: one row per source row (an attack wave for one weapon model, a talks round,
  an incident). Counts live here and are never split across regions.
* ``event_regions``: zero or more rows per event tying it to ISO 3166-2:UA region codes
  with a role.

See ``docs/data-model.md`` for the meaning of each column.

The rules are written once, as plain data (:data:`EVENT_RULES`, :data:`EVENT_REGION_RULES`),
from which the pandera schemas (:data:`EVENTS_SCHEMA`, :data:`EVENT_REGIONS_SCHEMA`) are built
on first use, so pandera is imported only by code that validates with it.
:func:`validate_events` runs pandera itself; :func:`check_events` enforces the same rules with
vectorised numpy and Arrow operations (a few milliseconds at 10,000 rows instead of pandera's
60) and names the first offending row. ``tests/unit/test_store.py`` proves the two agree on
valid and invalid tables. The store saves and loads through :func:`check_events`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pyarrow_lib
import pyarrow.compute as pc

EVENT_KINDS = (
    "strike",
    "incident",
    "talks",
    "summit",
    "call",
    "agreement",
    "exchange",
    "return",
    "announcement",
    "other",
)
# Kinds that belong to the diplomacy track rather than the attack track.
DIPLOMATIC_KINDS = ("talks", "summit", "call", "agreement", "exchange", "return", "announcement")
WEAPON_CATEGORIES = (
    "drone",
    "cruise missile",
    "ballistic missile",
    "guided missile",
    "other",
    "unknown",
)
MISSILE_CATEGORIES = ("cruise missile", "ballistic missile", "guided missile")
SCOPES = ("regions", "macro-region", "national", "outside", "abroad")
# Scopes with no region rows: counted beside the map, never on it.
NOT_ON_MAP_SCOPES = ("national", "macro-region", "outside", "abroad")
ROLES = ("target", "affected", "intercepted", "location")

COUNT_COLUMNS = ("launched", "destroyed", "killed", "injured")

# Column order of the events table; dtypes below. ``wave_id`` groups the rows of one attack
# wave (one Air Force report lists each weapon model on its own row); ``parties``, ``format``
# and ``venue`` describe diplomatic events.
EVENT_COLUMNS = (
    "event_id",
    "source",
    "source_row",
    "kind",
    "start",
    "end",
    "date",
    "title",
    "description",
    "weapon_model",
    "weapon_category",
    "launched",
    "destroyed",
    "killed",
    "injured",
    "scope",
    "place_text",
    "lat",
    "lon",
    "source_url",
    "wave_id",
    "parties",
    "format",
    "venue",
)
EVENT_REGION_COLUMNS = ("event_id", "region_code", "role")

EVENT_DTYPES: dict[str, str] = {
    "event_id": "string",
    "source": "string",
    "source_row": "Int64",
    "kind": "string",
    "start": "datetime64[ns, UTC]",
    "end": "datetime64[ns, UTC]",
    "date": "datetime64[ns]",
    "title": "string",
    "description": "string",
    "weapon_model": "string",
    "weapon_category": "string",
    "launched": "Float64",
    "destroyed": "Float64",
    "killed": "Float64",
    "injured": "Float64",
    "scope": "string",
    "place_text": "string",
    "lat": "Float64",
    "lon": "Float64",
    "source_url": "string",
    "wave_id": "string",
    "parties": "string",
    "format": "string",
    "venue": "string",
}
EVENT_REGION_DTYPES: dict[str, str] = {
    "event_id": "string",
    "region_code": "string",
    "role": "string",
}

_REGION_CODE_PATTERN = r"^UA-\d{2}$"
# Version of the rules below (schemas and dtypes). The store records it with every saved
# dataset and trusts a dataset saved under the current version (it was checked before it was
# written); bump it whenever a rule or a dtype changes, so older datasets are checked again.
SCHEMA_VERSION = 1


# The rules, as plain data: one ``ColumnRule`` per column, in schema order. The pandera schemas
# (:data:`EVENTS_SCHEMA`, :data:`EVENT_REGIONS_SCHEMA`) are built from these on first use, so
# importing pandera (about 0.3 s) is left to code that validates with it; the store's fast
# checks read the same tuples. A check is ``("isin", values)``, ``("ge", minimum)``,
# ``("in_range", low, high)`` (both ends included) or ``("str_matches", pattern)``; blank
# values pass every check, as in pandera.


@dataclass(frozen=True)
class ColumnRule:
    """The rules of one column: name, dtype, whether blanks and repeats are allowed, checks.

    A check is a tuple such as ``("isin", values)``; see the comment above for the kinds.
    """

    name: str
    dtype: str
    nullable: bool = True
    unique: bool = False
    checks: tuple[tuple[Any, ...], ...] = ()


def _rule(
    name: str,
    *checks: tuple[Any, ...],
    nullable: bool = True,
    unique: bool = False,
    dtypes: dict[str, str] = EVENT_DTYPES,
) -> ColumnRule:
    return ColumnRule(name, dtypes[name], nullable, unique, checks)  # a wrong name raises


EVENT_RULES: tuple[ColumnRule, ...] = (
    _rule("event_id", nullable=False, unique=True),
    _rule("source", nullable=False),
    _rule("source_row", ("ge", 0)),
    _rule("kind", ("isin", EVENT_KINDS), nullable=False),
    _rule("start"),
    _rule("end"),
    _rule("date", nullable=False),
    _rule("title"),
    _rule("description"),
    _rule("weapon_model"),
    _rule("weapon_category", ("isin", WEAPON_CATEGORIES)),
    _rule("launched", ("ge", 0)),
    _rule("destroyed", ("ge", 0)),
    _rule("killed", ("ge", 0)),
    _rule("injured", ("ge", 0)),
    _rule("scope", ("isin", SCOPES), nullable=False),
    _rule("place_text"),
    _rule("lat", ("in_range", -90, 90)),
    _rule("lon", ("in_range", -180, 180)),
    _rule("source_url"),
    _rule("wave_id"),
    _rule("parties"),
    _rule("format"),
    _rule("venue"),
)
EVENT_REGION_RULES: tuple[ColumnRule, ...] = (
    _rule("event_id", nullable=False, dtypes=EVENT_REGION_DTYPES),
    _rule(
        "region_code",
        ("str_matches", _REGION_CODE_PATTERN),
        nullable=False,
        dtypes=EVENT_REGION_DTYPES,
    ),
    _rule("role", ("isin", ROLES), nullable=False, dtypes=EVENT_REGION_DTYPES),
)
# Columns that are unique together in event_regions.
EVENT_REGION_UNIQUE = ("event_id", "region_code", "role")


def _pandera_schema(rules: tuple[ColumnRule, ...], unique: tuple[str, ...] | None = None):
    import pandera.pandas as pa

    def check(spec: tuple[Any, ...]):
        kind, *args = spec
        if kind == "isin":
            return pa.Check.isin(args[0])
        if kind == "ge":
            return pa.Check.ge(args[0])
        if kind == "in_range":
            return pa.Check.in_range(args[0], args[1])
        if kind == "str_matches":
            return pa.Check.str_matches(args[0])
        raise ValueError(f"unknown check {kind!r}")

    columns = {
        rule.name: pa.Column(
            rule.dtype,
            checks=[check(spec) for spec in rule.checks],
            nullable=rule.nullable,
            unique=rule.unique,
            coerce=True,
        )
        for rule in rules
    }
    return pa.DataFrameSchema(
        columns, strict=True, ordered=True, unique=list(unique) if unique else None
    )


@functools.cache
def _schemas() -> dict[str, Any]:
    return {
        "EVENTS_SCHEMA": _pandera_schema(EVENT_RULES),
        "EVENT_REGIONS_SCHEMA": _pandera_schema(EVENT_REGION_RULES, EVENT_REGION_UNIQUE),
    }


def __getattr__(name: str) -> Any:
    # EVENTS_SCHEMA and EVENT_REGIONS_SCHEMA: pandera schemas built from the rules on first use.
    if name in ("EVENTS_SCHEMA", "EVENT_REGIONS_SCHEMA"):
        return _schemas()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def empty_events() -> pd.DataFrame:
    """An events table with no rows and the canonical dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=EVENT_DTYPES[c]) for c in EVENT_COLUMNS})


def empty_event_regions() -> pd.DataFrame:
    """An event_regions table with no rows and the canonical dtypes."""
    return pd.DataFrame({c: pd.Series(dtype=EVENT_REGION_DTYPES[c]) for c in EVENT_REGION_COLUMNS})


def conform_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Add missing columns, order them and cast to the canonical dtypes (no validation)."""
    if _has_dtypes(frame, EVENT_DTYPES):  # the common case, a few microseconds
        return frame[list(EVENT_COLUMNS)]
    out = frame.copy()
    for column in EVENT_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype=EVENT_DTYPES[column])
    out = out[list(EVENT_COLUMNS)]
    return out.astype(EVENT_DTYPES)


def conform_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """Order and cast an event_regions table (no validation)."""
    if _has_dtypes(frame, EVENT_REGION_DTYPES):
        return frame[list(EVENT_REGION_COLUMNS)].reset_index(drop=True)
    return frame[list(EVENT_REGION_COLUMNS)].astype(EVENT_REGION_DTYPES).reset_index(drop=True)


def _has_dtypes(frame: pd.DataFrame, dtypes: dict[str, str]) -> bool:
    """True when ``frame`` has every column of ``dtypes`` once, already of that dtype.

    Casting would then change nothing; with copy-on-write a column selection is a safe copy.
    """
    if not frame.columns.is_unique:
        return False
    have = dict(zip(frame.columns, frame.dtypes, strict=True))
    return all(
        column in have and have[column] == _DTYPES[dtype] for column, dtype in dtypes.items()
    )


_STRING = pd.StringDtype()
_DTYPES = {
    name: pd.api.types.pandas_dtype(name)
    for name in {*EVENT_DTYPES.values(), *EVENT_REGION_DTYPES.values()}
}


def validate_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an events table against the schema; raise ``pandera.errors.SchemaError``."""
    return _schemas()["EVENTS_SCHEMA"].validate(conform_events(frame))


def validate_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an event_regions table against the schema."""
    return _schemas()["EVENT_REGIONS_SCHEMA"].validate(conform_event_regions(frame))


# --- fast checks: the schemas' rules, vectorised ------------------------------------------------


class TableError(ValueError):
    """A table that breaks a schema rule; ``str()`` is one line naming table, row and column."""

    def __init__(self, table: str, row: object, column: str, problem: str) -> None:
        self.table, self.row, self.column = table, row, column
        super().__init__(f"{table} row {row}, column {column}: {problem}")


def check_events(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`conform_events` ``frame`` and enforce every rule of :data:`EVENTS_SCHEMA`.

    Returns the conformed frame (canonical dtypes, unlike pandera's coercion of text to
    pandas' default ``str``). Raises :class:`TableError` at the first offending value, in
    schema order: a missing required value, a repeated value in a unique column, then the
    column's checks (allowed values, bounds, pattern; blanks pass them, as in pandera).
    """
    events = conform_events(frame)
    _check(events, EVENT_RULES, (), "events")
    return events


def check_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`conform_event_regions` ``frame`` and enforce :data:`EVENT_REGIONS_SCHEMA`.

    The schema includes one row per (event_id, region_code, role); raises :class:`TableError`.
    """
    regions = conform_event_regions(frame)
    _check(regions, EVENT_REGION_RULES, EVENT_REGION_UNIQUE, "event_regions")
    return regions


def arrow_strings(values: pd.Series) -> pyarrow_lib.Array:
    """A text column as one Arrow ``large_string`` array.

    That is pandas' own layout for its Arrow strings, so no copy for them; other columns go
    through ``astype("string")`` first.
    """
    if values.dtype != _STRING:  # astype costs ~30 us even when it changes nothing
        values = values.astype(_STRING)
    array = pyarrow_lib.array(values.array)
    if isinstance(array, pyarrow_lib.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pyarrow_lib.large_string():
        array = array.cast(pyarrow_lib.large_string())
    return array


def _check(
    frame: pd.DataFrame, rules: tuple[ColumnRule, ...], unique: tuple[str, ...], table: str
) -> None:
    # conform_* already selected, ordered and cast the columns: strict, ordered and the
    # dtypes hold by construction. What is left are the per-column rules.

    @functools.cache
    def numbered(name: str) -> tuple[np.ndarray, pyarrow_lib.Array]:
        # One hash pass per column, shared by its pattern check and the uniqueness checks.
        return _factorized(frame[name])

    for rule in rules:
        if rule.nullable and not rule.unique and not rule.checks:
            continue  # any value of the column's dtype passes
        values = frame[rule.name]
        missing = values.isna().to_numpy()
        if not rule.nullable and missing.any():
            _fail(table, frame, rule.name, missing, "missing; required")
        if rule.unique:
            _check_unique(table, frame, [rule.name], numbered)
        for check in rule.checks:
            bad = _violations(values, missing, check, numbered)
            if bad.any():
                _fail(table, frame, rule.name, bad, _expected(check))
    if unique:
        _check_unique(table, frame, list(unique), numbered)


def _violations(
    values: pd.Series,
    missing: np.ndarray,
    check: tuple[Any, ...],
    numbered: Callable[[str], tuple[np.ndarray, pyarrow_lib.Array]],
) -> np.ndarray:
    """Rows of the column ``values`` that fail ``check``.

    Blank rows pass (pandera's ``ignore_na``). ``numbered(column name)`` gives the column's
    codes and distinct values (see :func:`_factorized`).
    """
    kind, *args = check
    if kind == "isin":
        allowed = pyarrow_lib.array([str(v) for v in args[0]])
        ok = pc.fill_null(pc.is_in(arrow_strings(values), value_set=allowed), False)
        passed = ok.to_numpy(zero_copy_only=False)
    elif kind == "str_matches":
        # Matched once per distinct value, with the very call pandera makes.
        codes, distinct = numbered(str(values.name))
        matched = pd.Series(distinct.to_pylist(), dtype="str").str.match(args[0], na=False)
        passed = matched.to_numpy(dtype=bool)[codes]
    elif kind in ("ge", "in_range"):
        number = values.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            if kind == "ge":
                passed = number >= args[0]
            else:
                passed = (number >= args[0]) & (number <= args[1])
    else:
        raise NotImplementedError(f"check {kind} has no fast path")
    return ~passed & ~missing


def _check_unique(
    table: str,
    frame: pd.DataFrame,
    columns: list[str],
    numbered: Callable[[str], tuple[np.ndarray, pyarrow_lib.Array]],
) -> None:
    if len(columns) == 1 and len(numbered(columns[0])[1]) == len(frame):
        return  # as many distinct values as rows
    repeated = repeated_rows(frame, columns, numbered)
    if repeated.any():
        what = " + ".join(columns)
        _fail(table, frame, columns[-1], repeated, f"repeats an earlier row's {what}")


def repeated_rows(
    frame: pd.DataFrame,
    columns: list[str],
    numbered: Callable[[str], tuple[np.ndarray, pyarrow_lib.Array]] | None = None,
) -> np.ndarray:
    """Rows whose values in ``columns`` equal an earlier row's (blanks equal blanks), as a mask.

    The repeats of :func:`row_keys`, about 20 times faster than ``DataFrame.duplicated`` on
    Arrow strings.
    """
    return pd.Series(row_keys(frame, columns, numbered)).duplicated().to_numpy()


def row_keys(
    frame: pd.DataFrame,
    columns: list[str],
    numbered: Callable[[str], tuple[np.ndarray, pyarrow_lib.Array]] | None = None,
) -> np.ndarray:
    """One int64 key per row, equal for rows whose values in ``columns`` are equal.

    Blanks equal blanks. Each column is numbered by one hash pass (``numbered(name)``, default
    :func:`_factorized`) and the numbers are combined into one key per row.
    """
    key = np.zeros(len(frame), dtype=np.int64)
    combinations = 1
    for name in columns:
        codes, distinct = numbered(name) if numbered else _factorized(frame[name])
        n_codes = max(len(distinct), 1)
        if combinations * n_codes >= 2**62:  # would overflow: renumber the combinations
            key, seen = pd.factorize(key)
            combinations = len(seen)
        key = key * n_codes + codes
        combinations *= n_codes
    return key


def _factorized(values: pd.Series) -> tuple[np.ndarray, pyarrow_lib.Array]:
    """Integer codes of ``values`` and the distinct values as Arrow text, one per code.

    Equal values, blanks included, share a code.
    """
    if isinstance(values.dtype, pd.StringDtype):
        encoded = pc.dictionary_encode(arrow_strings(values), null_encoding="encode")
        return encoded.indices.to_numpy(zero_copy_only=False), encoded.dictionary
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return codes, arrow_strings(pd.Series(distinct))


def _fail(table: str, frame: pd.DataFrame, column: str, bad: np.ndarray, problem: str) -> None:
    position = int(np.flatnonzero(bad)[0])
    value = frame[column].iloc[position]
    if isinstance(value, np.generic):
        value = value.item()
    shown = "<missing>" if pd.isna(value) else repr(value)
    raise TableError(table, frame.index[position], column, f"{shown} {problem}"[:300])


def _expected(check: tuple[Any, ...]) -> str:
    kind, *args = check
    if kind == "isin":
        return "is not one of " + ", ".join(map(str, args[0]))
    if kind == "str_matches":
        return f"does not match {args[0]}"
    if kind == "ge":
        return f"is below {args[0]}"
    return f"is outside {args[0]}..{args[1]}"
