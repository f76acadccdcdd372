"""The canonical event tables and their validation.

Two tables cross every module boundary:

* ``events``: one row per source row (an attack wave for one weapon model, a talks round,
  an incident). Counts live here and are never split across regions.
* ``event_regions``: zero or more rows per event tying it to ISO 3166-2:UA region codes
  with a role.

See ``docs/data-model.md`` for the meaning of each column.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa

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
        "region_code": pa.Column(
            "string", pa.Check.str_matches(_REGION_CODE_PATTERN), coerce=True
        ),
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
    return pd.DataFrame(
        {c: pd.Series(dtype=EVENT_REGION_DTYPES[c]) for c in EVENT_REGION_COLUMNS}
    )


def conform_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Add missing columns, order them and cast to the canonical dtypes (no validation)."""
    out = frame.copy()
    for column in EVENT_COLUMNS:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype=EVENT_DTYPES[column])
    out = out[list(EVENT_COLUMNS)]
    return out.astype(EVENT_DTYPES)


def conform_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """Order and cast an event_regions table (no validation)."""
    return frame[list(EVENT_REGION_COLUMNS)].astype(EVENT_REGION_DTYPES).reset_index(drop=True)


def validate_events(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an events table against the schema; raise ``pandera.errors.SchemaError``."""
    return EVENTS_SCHEMA.validate(conform_events(frame))


def validate_event_regions(frame: pd.DataFrame) -> pd.DataFrame:
    """Validate an event_regions table against the schema."""
    return EVENT_REGIONS_SCHEMA.validate(conform_event_regions(frame))
