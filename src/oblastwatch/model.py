"""The canonical event tables and their validation.

Two tables cross every module boundary:

* ``events``: one row per source row (an attack wave for one weapon model, a talks round,
  an incident). Counts live here and are never split across regions.
* ``event_regions``: zero or more rows per event tying it to ISO 3166-2:UA region codes
  with a role.

See ``docs/data-model.md`` for the meaning of each column.

The rules are written once, as pandera schemas (:data:`EVENTS_SCHEMA`,
:data:`EVENT_REGIONS_SCHEMA`). :func:`validate_events` runs pandera itself;
:func:`check_events` enforces the same rules, read from the same schema objects, with
vectorised numpy and Arrow operations (a few milliseconds at 10,000 rows instead of pandera's
60) and names the first offending row. ``tests/unit/test_store.py`` proves the two agree on
valid and invalid tables. The store saves and loads through :func:`check_events`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.pandas as pa
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


def _nullable(dtype: str, **kwargs) -> pa.Column:
    return pa.Column(dtype, nullable=True, coerce=True, **kwargs)


EVENTS_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column("string", nullable=False, unique=True, coerce=True),
        "source": pa.Column("string", nullable=False, coerce=True),
        "source_row": _nullable("Int64", checks=pa.Check.ge(0)),
        "kind": pa.Column("string", pa.Check.isin(EVENT_KINDS), coerce=True),
        "start": _nullable("datetime64[ns, UTC]"),
        "end": _nullable("datetime64[ns, UTC]"),
        "date": pa.Column("datetime64[ns]", nullable=False, coerce=True),
        "title": _nullable("string"),
        "description": _nullable("string"),
        "weapon_model": _nullable("string"),
        "weapon_category": _nullable("string", checks=pa.Check.isin(WEAPON_CATEGORIES)),
        "launched": _nullable("Float64", checks=pa.Check.ge(0)),
        "destroyed": _nullable("Float64", checks=pa.Check.ge(0)),
        "killed": _nullable("Float64", checks=pa.Check.ge(0)),
        "injured": _nullable("Float64", checks=pa.Check.ge(0)),
        "scope": pa.Column("string", pa.Check.isin(SCOPES), coerce=True),
        "place_text": _nullable("string"),
        "lat": _nullable("Float64", checks=pa.Check.in_range(-90, 90)),
        "lon": _nullable("Float64", checks=pa.Check.in_range(-180, 180)),
        "source_url": _nullable("string"),
        "wave_id": _nullable("string"),
        "parties": _nullable("string"),
        "format": _nullable("string"),
        "venue": _nullable("string"),
    },
    strict=True,
    ordered=True,
)

EVENT_REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        "event_id": pa.Column("string", nullable=False, coerce=True),
        "region_code": pa.Column("string", pa.Check.str_matches(_REGION_CODE_PATTERN), coerce=True),
        "role": pa.Column("string", pa.Check.isin(ROLES), coerce=True),
    },
    strict=True,
    ordered=True,
    unique=["event_id", "region_code", "role"],
)


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
    """True when ``frame`` has every column of ``dtypes`` once, already of that dtype (so
    casting would change nothing; with copy-on-write a column selection is a safe copy)."""
    if not frame.columns.is_unique:
        return False
    have = dict(zip(frame.columns, frame.dtypes, strict=True))
    return all(
        column in have and have[column] == _DTYPES[dtype] for column, dtype in dtypes.items()
    )


_DTYPES = {
    name: pd.api.types.pandas_dtype(name)
    for name in {*EVENT_DTYPES.values(), *EVENT_REGION_DTYPES.values()}
}


def validate_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an events table against the schema; raise ``pandera.errors.SchemaError``."""
    return EVENTS_SCHEMA.validate(conform_events(frame))


def validate_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an event_regions table against the schema."""
    return EVENT_REGIONS_SCHEMA.validate(conform_event_regions(frame))


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
    _check(events, EVENTS_SCHEMA, "events")
    return events


def check_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`conform_event_regions` ``frame`` and enforce :data:`EVENT_REGIONS_SCHEMA`
    (including one row per (event_id, region_code, role)); raises :class:`TableError`."""
    regions = conform_event_regions(frame)
    _check(regions, EVENT_REGIONS_SCHEMA, "event_regions")
    return regions


def arrow_strings(values: pd.Series) -> pyarrow_lib.Array:
    """A text column as one Arrow ``large_string`` array (pandas' own layout for its Arrow
    strings, so no copy for them); other columns go through ``astype("string")`` first."""
    array = pyarrow_lib.array(values.astype("string").array)
    if isinstance(array, pyarrow_lib.ChunkedArray):
        array = array.combine_chunks()
    if array.type != pyarrow_lib.large_string():
        array = array.cast(pyarrow_lib.large_string())
    return array


def _check(frame: pd.DataFrame, schema: pa.DataFrameSchema, table: str) -> None:
    # conform_* already selected, ordered and cast the columns: strict, ordered and the
    # dtypes hold by construction. What is left are the per-column rules.
    for name, column in schema.columns.items():
        values = frame[name]
        missing = values.isna().to_numpy()
        if not column.nullable and missing.any():
            _fail(table, frame, name, missing, "missing; required")
        if column.unique:
            _check_unique(table, frame, [name])
        for check in column.checks:
            bad = _violations(values, missing, check)
            if bad.any():
                _fail(table, frame, name, bad, _expected(check))
    if schema.unique:
        _check_unique(table, frame, list(schema.unique))
    if schema.checks:
        raise NotImplementedError(f"{table}: dataframe-wide checks have no fast path")


def _violations(values: pd.Series, missing: np.ndarray, check: pa.Check) -> np.ndarray:
    """Rows that fail ``check`` (blank rows pass: pandera's ``ignore_na``)."""
    stats = check.statistics
    if check.name == "isin":
        allowed = pyarrow_lib.array([str(v) for v in stats["allowed_values"]])
        ok = pc.fill_null(pc.is_in(arrow_strings(values), value_set=allowed), False)
        passed = ok.to_numpy(zero_copy_only=False)
    elif check.name == "str_matches":
        # Matched on the distinct values with the very call pandera makes.
        codes, distinct = pd.factorize(values)
        matched = pd.Series(distinct, dtype="str").str.match(stats["pattern"], na=False)
        passed = matched.to_numpy(dtype=bool)[codes] & (codes >= 0)
    elif check.name in ("greater_than_or_equal_to", "in_range"):
        number = values.to_numpy(dtype=np.float64, na_value=np.nan)
        with np.errstate(invalid="ignore"):
            if check.name == "greater_than_or_equal_to":
                passed = number >= stats["min_value"]
            else:
                low, high = stats["min_value"], stats["max_value"]
                above = number >= low if stats.get("include_min", True) else number > low
                below = number <= high if stats.get("include_max", True) else number < high
                passed = above & below
    else:
        raise NotImplementedError(f"check {check.name} has no fast path")
    if not check.ignore_na:
        raise NotImplementedError(f"check {check.name} without ignore_na has no fast path")
    return ~passed & ~missing


def _check_unique(table: str, frame: pd.DataFrame, columns: list[str]) -> None:
    # One integer per distinct combination of the columns' codes (blanks get a code too).
    key = np.zeros(len(frame), dtype=np.int64)
    combinations = 1
    for name in columns:
        codes, n_codes = _factorized(frame[name])
        if combinations * n_codes >= 2**62:  # would overflow: renumber the combinations
            key, distinct = pd.factorize(key)
            combinations = len(distinct)
        key = key * n_codes + codes
        combinations *= n_codes
    if combinations == len(frame) and len(columns) == 1:
        return  # as many distinct values as rows
    repeated = pd.Series(key).duplicated().to_numpy()
    if repeated.any():
        what = " + ".join(columns)
        _fail(table, frame, columns[-1], repeated, f"repeats an earlier row's {what}")


def _factorized(values: pd.Series) -> tuple[np.ndarray, int]:
    """Integer codes of ``values`` (equal values, blanks included, share a code) and how many."""
    if isinstance(values.dtype, pd.StringDtype):
        encoded = pc.dictionary_encode(arrow_strings(values), null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        return codes, max(len(encoded.dictionary), 1)
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    return codes.astype(np.int64), max(len(distinct), 1)


def _fail(table: str, frame: pd.DataFrame, column: str, bad: np.ndarray, problem: str) -> None:
    position = int(np.flatnonzero(bad)[0])
    value = frame[column].iloc[position]
    if isinstance(value, np.generic):
        value = value.item()
    shown = "<missing>" if pd.isna(value) else repr(value)
    raise TableError(table, frame.index[position], column, f"{shown} {problem}"[:300])


def _expected(check: pa.Check) -> str:
    stats = check.statistics
    if check.name == "isin":
        return "is not one of " + ", ".join(map(str, stats["allowed_values"]))
    if check.name == "str_matches":
        return f"does not match {stats['pattern']}"
    if check.name == "greater_than_or_equal_to":
        return f"is below {stats['min_value']}"
    return f"is outside {stats['min_value']}..{stats['max_value']}"
