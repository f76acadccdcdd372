"""Events as downloadable files: CSV for spreadsheets, GeoJSON for GIS tools.

Both keep every event row given (nothing is dropped) with its regions joined in:
``region_codes`` (``UA-46;UA-51``, sorted) and ``region_roles`` (``UA-46:target;UA-51:affected``).

**CSV** is plain UTF-8. Spreadsheets run a cell that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula, so such *text* cells get a leading apostrophe (OWASP's
advice against CSV injection); numeric columns stay numbers, so ``-3.5`` is still a number.

**GeoJSON** (RFC 7946) holds one Feature per event: a Point ``[lon, lat]`` where the event has
valid coordinates and a ``null`` geometry otherwise. It is data, not HTML: strings are not
escaped, just valid JSON (no NaN).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from oblastwatch.model import EVENT_COLUMNS, ROLES

EXPORT_COLUMNS = (*EVENT_COLUMNS, "region_codes", "region_roles")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_ROLE_ORDER = {role: i for i, role in enumerate(ROLES)}


def neutralise_formula(text: str) -> str:
    """``text`` with a leading apostrophe when a spreadsheet would run it as a formula.

    >>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula("Kyiv"), neutralise_formula("-")
    ("'=HYPERLINK(1)", 'Kyiv', "'-")
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _region_columns(events: pd.DataFrame, event_regions: pd.DataFrame) -> pd.DataFrame:
    """``region_codes`` and ``region_roles`` per event id (empty strings when none)."""
    missing = [c for c in ("event_id", "region_code", "role") if c not in event_regions.columns]
    if missing:
        raise ValueError(f"event_regions lacks column(s) {', '.join(missing)}")
    rows = event_regions.loc[event_regions["event_id"].isin(events["event_id"])]
    rows = rows.assign(_order=rows["role"].map(_ROLE_ORDER).fillna(len(ROLES)))
    rows = rows.drop_duplicates(["event_id", "region_code", "role"])
    rows = rows.sort_values(["event_id", "region_code", "_order"], kind="stable")
    pairs = rows["region_code"].astype(str) + ":" + rows["role"].astype(str)
    grouped = pd.DataFrame(
        {
            "region_codes": rows.groupby("event_id", sort=False)["region_code"].agg(
                lambda codes: ";".join(dict.fromkeys(codes.astype(str)))
            ),
            "region_roles": pairs.groupby(rows["event_id"], sort=False).agg(";".join),
        }
    )
    return grouped


def events_table(events: pd.DataFrame, event_regions: pd.DataFrame) -> pd.DataFrame:
    """The events (all columns of :data:`EVENT_COLUMNS` present in ``events``, input order)
    with ``region_codes`` and ``region_roles`` added."""
    if "event_id" not in events.columns:
        raise ValueError("events lack column event_id")
    columns = [c for c in EVENT_COLUMNS if c in events.columns]
    table = events.loc[:, columns].reset_index(drop=True)
    regions = _region_columns(events, event_regions)
    ids = table["event_id"].astype(str)
    table["region_codes"] = ids.map(regions["region_codes"]).fillna("").astype("string")
    table["region_roles"] = ids.map(regions["region_roles"]).fillna("").astype("string")
    return table


def _is_text(series: pd.Series) -> bool:
    return pd.api.types.is_string_dtype(series) or pd.api.types.is_object_dtype(series)


def _csv_cell(value: Any) -> Any:
    if isinstance(value, str):
        return neutralise_formula(value)
    return value


def events_csv(events: pd.DataFrame, event_regions: pd.DataFrame) -> bytes:
    """Every event as one CSV row (UTF-8, RFC 4180 ``\\r\\n`` line ends), regions joined in.

    With CRLF as the record end the writer quotes every cell holding a ``\\r`` or ``\\n``,
    so multi-line descriptions stay inside their row.

    Dates: ``start``/``end`` as ISO 8601 UTC (``2025-03-01T02:30:00+00:00``), ``date`` as
    ``YYYY-MM-DD``. Text cells that a spreadsheet would run as formulas are neutralised.
    """
    table = events_table(events, event_regions)
    for column in ("start", "end"):
        if column in table:
            stamps = pd.to_datetime(table[column], utc=True)
            table[column] = stamps.map(lambda t: t.isoformat() if not pd.isna(t) else None)
    if "date" in table:
        table["date"] = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d")
    for column in table.columns:
        if _is_text(table[column]):
            table[column] = table[column].astype(object).map(_csv_cell)
    return table.to_csv(index=False, lineterminator="\r\n").encode("utf-8")


def _json_value(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.isoformat()
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        number = float(value)
        return None if math.isnan(number) or math.isinf(number) else number
    if isinstance(value, np.bool_):
        return bool(value)
    return value


def _point(lat: Any, lon: Any) -> dict[str, Any] | None:
    lat, lon = _json_value(lat), _json_value(lon)
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return {"type": "Point", "coordinates": [lon, lat]}


def _names(boundaries: gpd.GeoDataFrame | None) -> dict[str, str]:
    if boundaries is None:
        return {}
    return dict(zip(boundaries["code"].astype(str), boundaries["name_en"].astype(str), strict=True))


def _split(text: str) -> Iterable[str]:
    return [part for part in text.split(";") if part]


def events_geojson(
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    boundaries: gpd.GeoDataFrame | None = None,
) -> str:
    """A GeoJSON FeatureCollection with one Feature per event (see the module doc).

    Properties: every event column (timestamps ISO 8601, ``date`` as ``YYYY-MM-DD``, missing
    values ``null``), ``regions`` (codes, as in ``region_codes``), ``region_roles`` (list of
    ``{"code", "role"}``) and, when ``boundaries`` is given, ``region_names`` (English).
    """
    table = events_table(events, event_regions)
    if "date" in table:
        table["date"] = pd.to_datetime(table["date"]).dt.strftime("%Y-%m-%d")
    names = _names(boundaries)
    has_point = "lat" in table.columns and "lon" in table.columns
    features = []
    for record in table.to_dict(orient="records"):
        codes = list(_split(record.pop("region_codes") or ""))
        roles = [
            {"code": pair.split(":", 1)[0], "role": pair.split(":", 1)[1]}
            for pair in _split(record.pop("region_roles") or "")
        ]
        properties = {key: _json_value(value) for key, value in record.items()}
        properties["regions"] = codes
        properties["region_roles"] = roles
        if names:
            properties["region_names"] = [names.get(code) for code in codes]
        geometry = _point(record.get("lat"), record.get("lon")) if has_point else None
        features.append({"type": "Feature", "geometry": geometry, "properties": properties})
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False, allow_nan=False)
