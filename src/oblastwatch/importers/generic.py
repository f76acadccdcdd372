"""Any CSV or JSON table, given a mapping from canonical fields to its column names.

Fields (``mapping`` keys): ``date`` (required); ``place`` or ``lat`` + ``lon`` (at least one);
optional ``kind``, ``launched``, ``destroyed``, ``killed``, ``injured``, ``title``,
``description``, ``url``, ``weapon_model``, ``event_id``. The CLI builds the mapping from
``--map date=When --map place=Where`` or a JSON file ``{"date": "When", ...}``.

Decisions:

* ``date``: ISO ``2024-01-02``, ``2024-01-02 08:00``, ``02.01.2024`` (day first, as written in
  Ukraine) or ISO with an offset (``2024-01-02T06:00Z``). Times without an offset are Kyiv
  local; ``date`` is the Kyiv calendar day. A date without a time covers the whole day.
* ``place`` is classified with ``places.classify_place``; when it is blank or unresolved and
  coordinates are mapped, the point is located in the region boundaries. Regions get role
  ``target`` on ``strike`` rows and ``location`` on every other kind. A row with neither a
  place nor coordinates has scope ``national``.
* ``kind`` defaults to ``strike`` when ``launched`` or ``destroyed`` is mapped, else
  ``incident``; a value outside the event kinds is rejected.
* ``url`` must be an http(s) URL (it becomes a link in the app). ``weapon_category`` comes
  from the model name as in the MMA importer.
* ``event_id`` is ``<source>:id:<event_id>``, or ``<source>:<row>`` where it is blank or not
  mapped. Rows that share an ``event_id`` but differ in any column of the file are separate
  events: the later ones become ``<source>:id:<event_id>#2``, ``#3``... (in file order,
  skipping ids the file uses) and the report notes list them; a row identical in every column
  to an earlier row with its id is rejected as "duplicate of row N"
  (:class:`~oblastwatch.importers.report.RepeatedIds`).
"""

from __future__ import annotations

import re
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from oblastwatch.domain import model
from oblastwatch.i18n import Message
from oblastwatch.importers.counts import parse_counts
from oblastwatch.importers.dates import day_times, empty_times, read_times
from oblastwatch.importers.mma import parse_kyiv_times, weapon_categories
from oblastwatch.importers.report import (
    PlaceLookup,
    RejectCollector,
    RepeatedIds,
    UnusableInput,
    build_result,
    region_rows,
)

FORMAT = "csv"
FIELDS = (
    "date",
    "place",
    "lat",
    "lon",
    "kind",
    "launched",
    "destroyed",
    "killed",
    "injured",
    "title",
    "description",
    "url",
    "weapon_model",
    "event_id",
)
COUNT_FIELDS = ("launched", "destroyed", "killed", "injured")
DATE_EXAMPLES = Message("2024-01-02, 2024-01-02 08:00 or 02.01.2024")

_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}(?: \d{1,2}:\d{2}(?::\d{2})?)?$")
_WITH_OFFSET = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)


def check_mapping(mapping: dict[str, str], columns: Any, path: Any) -> dict[str, str]:
    """Validate ``mapping`` against FIELDS and the header; return it with trimmed names."""
    clean = {str(k).strip().lower(): str(v).strip() for k, v in mapping.items()}
    unknown = [k for k in clean if k not in FIELDS]
    if unknown:
        raise UnusableInput(
            path,
            Message(
                "unknown mapping field {field}; fields are {fields}",
                {"field": repr(unknown[0]), "fields": ", ".join(FIELDS)},
            ),
            column=unknown[0],
        )
    header = [str(c) for c in columns]
    for field, column in clean.items():
        if column not in header:
            raise UnusableInput(
                path,
                Message(
                    "mapping {field}={column} names a column the file does not have "
                    "(columns: {columns})",
                    {"field": field, "column": column, "columns": ", ".join(header[:30])},
                ),
                column=column,
            )
    if "date" not in clean:
        raise UnusableInput(path, Message("the mapping needs date=COLUMN"), column="date")
    if "place" not in clean and not {"lat", "lon"} <= clean.keys():
        raise UnusableInput(
            path,
            Message("the mapping needs place=COLUMN or both lat=COLUMN and lon=COLUMN"),
            column="place",
        )
    if ("lat" in clean) != ("lon" in clean):
        missing = "lon" if "lat" in clean else "lat"
        raise UnusableInput(
            path,
            Message("the mapping has one coordinate but not {missing}", {"missing": missing}),
            column=missing,
        )
    return clean


def parse(
    frame: pd.DataFrame,
    *,
    source_name: str,
    path: str | PathLike[str],
    mapping: dict[str, str],
) -> Any:
    """Events and event_regions from an all-string frame and a field -> column mapping."""
    mapping = check_mapping(mapping, frame.columns, path)
    cells = pd.DataFrame(
        {
            field: frame[column].astype("string").str.strip().fillna("")
            for field, column in mapping.items()
        },
        index=frame.index,
    )
    rows_in = len(cells)
    rejects = RejectCollector.for_frame(frame)

    start, end, day = parse_event_times(cells["date"], rejects, column=mapping["date"])
    counts = {
        field: parse_counts(cells[field], rejects, column=mapping[field])
        for field in COUNT_FIELDS
        if field in cells
    }
    kinds = _kinds(cells, rejects, mapping)
    urls = _urls(cells, rejects, mapping)
    lat, lon = _coordinates(cells, rejects, mapping)
    ids, repeats = _event_ids(frame, cells, rejects, mapping, source_name)

    keep = rejects.accepted
    cells = cells[keep]
    events = pd.DataFrame(index=cells.index)
    events["event_id"] = ids[keep]
    events["source"] = source_name
    events["source_row"] = cells.index.to_numpy()
    events["kind"] = kinds[keep]
    events["start"] = start[keep]
    events["end"] = end[keep]
    events["date"] = day[keep]
    for field in ("title", "description"):
        if field in cells:
            events[field] = cells[field].where(cells[field] != "", pd.NA)
    if "weapon_model" in cells:
        models = cells["weapon_model"]
        events["weapon_model"] = models.where(models != "", pd.NA)
        events["weapon_category"] = weapon_categories(models).where(models != "", pd.NA)
    for field, values in counts.items():
        events[field] = values[keep]
    if lat is not None and lon is not None:
        events["lat"], events["lon"] = lat[keep], lon[keep]
    events["source_url"] = urls[keep] if urls is not None else pd.NA
    events["wave_id"] = events["event_id"]

    places = PlaceLookup()
    scope, codes = _regions(cells, events, places)
    events["scope"] = scope
    if "title" not in events:
        events["title"] = _default_titles(events, cells)
    events["place_text"] = (
        cells["place"].where(cells["place"] != "", pd.NA) if "place" in cells else pd.NA
    )
    roles = np.where(events["kind"] == "strike", "target", "location")
    event_regions = region_rows(events["event_id"], codes, roles)
    pairs = ", ".join(f"{k}={v}" for k, v in mapping.items())
    notes = [Message("mapping: {pairs}", {"pairs": pairs})]
    notes.extend(repeats.notes(keep))
    return build_result(
        events=events,
        event_regions=event_regions,
        rows_in=rows_in,
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT,
        places=places,
        notes=notes,
    )


def parse_event_times(
    text: pd.Series, rejects: RejectCollector, *, column: str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(start UTC, end UTC, Kyiv date)`` from date or date-time text; rejects the rest."""
    day_first = text.str.match(_DAY_FIRST).fillna(False).astype(bool)
    offset = text.str.match(_WITH_OFFSET).fillna(False).astype(bool)
    local, date_only = parse_kyiv_times(text.where(~day_first & ~offset, ""))
    if day_first.any():
        with_time = day_first & text.str.contains(":", regex=False)
        local[day_first & ~with_time] = read_times(text[day_first & ~with_time], format="%d.%m.%Y")
        local[with_time] = read_times(text[with_time], format="mixed", dayfirst=True)
        date_only = date_only | (day_first & ~with_time & local.notna())
    instants = empty_times(text.index, utc=True)
    if offset.any():
        instants[offset] = read_times(text[offset], format="ISO8601", utc=True)
    return day_times(
        local, date_only, instants, text, rejects, column=column, examples=DATE_EXAMPLES
    )


def _kinds(cells: pd.DataFrame, rejects: RejectCollector, mapping: dict[str, str]) -> pd.Series:
    default = "strike" if {"launched", "destroyed"} & mapping.keys() else "incident"
    if "kind" not in cells:
        return pd.Series(default, index=cells.index, dtype="string")
    kinds = cells["kind"].str.lower().where(cells["kind"] != "", default)
    rejects.reject(
        ~kinds.isin(model.EVENT_KINDS),
        mapping["kind"],
        Message(
            "'{value}' is not an event kind ({kinds})", {"kinds": ", ".join(model.EVENT_KINDS)}
        ),
        value=cells["kind"],
    )
    return kinds


def _urls(
    cells: pd.DataFrame, rejects: RejectCollector, mapping: dict[str, str]
) -> pd.Series | None:
    if "url" not in cells:
        return None
    url = cells["url"]
    rejects.reject(
        (url != "") & ~url.str.match(_URL),
        mapping["url"],
        Message("'{value}' is not an http(s) URL"),
        value=url.str.slice(0, 80),
    )
    return url.where(url != "", pd.NA)


def _coordinates(
    cells: pd.DataFrame, rejects: RejectCollector, mapping: dict[str, str]
) -> tuple[pd.Series | None, pd.Series | None]:
    if "lat" not in cells:
        return None, None
    result = []
    for field, limit in (("lat", 90), ("lon", 180)):
        text = cells[field].str.replace(",", ".", regex=False)
        number = pd.to_numeric(text.where(text != "", None), errors="coerce")
        rejects.reject(
            number.isna() & (text != ""),
            mapping[field],
            Message("'{value}' is not a number"),
            value=cells[field],
        )
        rejects.reject(
            number.abs() > limit,
            mapping[field],
            Message("outside -{limit}..{limit}", {"limit": limit}),
        )
        result.append(number.astype("Float64"))
    lat, lon = result
    rejects.reject(
        lat.isna() != lon.isna(),
        mapping["lat"],
        Message("only one of latitude and longitude is given"),
    )
    return lat, lon


def _event_ids(
    frame: pd.DataFrame,
    cells: pd.DataFrame,
    rejects: RejectCollector,
    mapping: dict[str, str],
    source_name: str,
) -> tuple[pd.Series, RepeatedIds]:
    """The event ids and the file's repeated ids.

    Rows are compared on every column of ``frame``, mapped or not.
    """
    by_row = source_name + ":" + pd.Series(cells.index.astype(str), index=cells.index)
    if "event_id" not in cells:
        return by_row.astype("string"), RepeatedIds.none(cells.index)
    repeats = RepeatedIds.of_column(cells["event_id"], frame)
    repeats.reject_duplicates(rejects, mapping["event_id"])
    given = repeats.renamed(cells["event_id"])
    ids = (source_name + ":id:" + given).where(given != "", by_row)
    return ids.astype("string"), repeats


def _regions(
    cells: pd.DataFrame, events: pd.DataFrame, places: PlaceLookup
) -> tuple[pd.Series, pd.Series]:
    scope = pd.Series(pd.NA, index=cells.index, dtype="object")
    codes = pd.Series([()] * len(cells), index=cells.index, dtype="object")
    if "place" in cells:
        place = cells["place"]
        # Mentions are only tallied as unresolved when no coordinates can stand in for them.
        has_point = (
            events["lat"].notna() if "lat" in events else pd.Series(False, index=cells.index)
        )
        distinct = place[place != ""].value_counts()
        matches = {t: places.classify(t) for t in distinct.index}
        # Mapped as objects: mapping a pyarrow string column gives Arrow columns typed from
        # the values (a list column for codes), and mapping with no matches at all (every
        # place blank) gives float64 NaN.
        scope_of = {t: m.scope for t, m in matches.items()}
        scope = place.astype(object).map(scope_of).astype(object)
        codes_of = {t: tuple(m.region_codes) for t, m in matches.items()}
        codes_of[""] = ()
        codes = place.astype(object).map(codes_of)
        tallied = place[(place != "") & ~has_point].value_counts()
        places.classify_counts(tallied)
    if "lat" in events:
        needs_point = events["lat"].notna() & codes.map(len).eq(0)
        if needs_point.any():
            from oblastwatch.domain.geo import locate_points

            located = locate_points(events["lat"][needs_point], events["lon"][needs_point])
            codes[needs_point] = pd.Series(
                [(c,) if isinstance(c, str) else () for c in located["region_code"]],
                index=located.index,
                dtype=object,
            )
            scope = scope.where(~needs_point, located["scope"].reindex(cells.index))
    scope = scope.fillna("national")
    return scope.astype("string"), codes


def _default_titles(events: pd.DataFrame, cells: pd.DataFrame) -> pd.Series:
    label = events["kind"].str.capitalize()
    if "place" in cells:
        place = cells["place"]
        label = label.where(place == "", label + ": " + place)
    return label.astype("string")
