"""Geolocated incident lists: one row per incident with a date and a latitude/longitude.

The shape of the Bellingcat "Civilian Harm in Ukraine" export (``id``, ``date`` as
``MM/DD/YYYY``, ``latitude`` and ``longitude`` as strings, ``location``, ``description``,
``sources`` as a JSON list of ``{"path": url, ...}``), or any CSV/JSON with ``date`` and
``latitude``/``longitude`` (or ``lat``/``lon``, ``lat``/``lng``) columns. Optional columns:
``id``, ``location`` (or ``place``), ``title``, ``description``, ``sources``/``source_url``/
``url``, ``killed``/``fatalities``, ``injured``.

Decisions:

* ``date`` is the Europe/Kyiv calendar day: ``YYYY-MM-DD``; ``MM/DD/YYYY`` (slashes: month
  first, as in the Bellingcat export); ``DD.MM.YYYY`` (dots: day first, as written in
  Ukraine); ``D Month YYYY``; or an ISO date-time (Kyiv local unless it carries an offset).
  Anything else rejects the row, naming row and column.
* Each point is placed by ``oblastwatch.domain.geo.locate_points`` (inside a region; swapped
  latitude/longitude corrected; within 5 km of a region over water; on a neighbour's land;
  or nowhere). Impossible coordinates (blank, unreadable, out of range, 0/0) fall back to the
  ``location`` text through ``oblastwatch.domain.places.classify_place``; a row with neither is
  rejected. Every such decision is counted in the report notes (``locate_methods: {...}``)
  and listed per row.
* Every incident gets kind ``incident`` and its region role ``location``; ``event_id`` is
  ``<source>:<id>`` (or ``<source>:<row>`` where the id is blank or there is no id column).
  Public exports reuse ids (Bellingcat's has pairs of different incidents under one id), so
  rows that share an id are separate events unless they are identical in every column: the
  first keeps ``<source>:<id>``, later ones become ``<source>:<id>#2``, ``#3``... (in file
  order, skipping ids the file uses; the same file always gives the same ids) and the report
  notes list each shared id. A row identical in every column to an earlier row with the same
  id is rejected as "duplicate of row N" (:class:`~oblastwatch.importers.report.RepeatedIds`).
* ``source_url`` is the first http(s) URL in the sources column.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from os import PathLike

import pandas as pd

from oblastwatch.i18n import Message, plural_message
from oblastwatch.importers.counts import parse_counts
from oblastwatch.importers.dates import day_times, empty_times, read_times
from oblastwatch.importers.report import (
    ImportResult,
    PlaceLookup,
    RejectCollector,
    RepeatedIds,
    build_result,
    region_rows,
    row_note,
)

FORMAT = "points"
# Any of these column sets identifies a point list (compared lower-case).
HEADER_SIGNATURE = (
    frozenset({"date", "latitude", "longitude"}),
    frozenset({"date", "lat", "lon"}),
    frozenset({"date", "lat", "lng"}),
)
LAT_COLUMNS = ("latitude", "lat")
LON_COLUMNS = ("longitude", "lon", "lng")
PLACE_COLUMNS = ("location", "place")
URL_COLUMNS = ("sources", "source_url", "url", "source")
KILLED_COLUMNS = ("killed", "fatalities", "deaths")
INJURED_COLUMNS = ("injured", "wounded")
# Per-row notes of one kind stop after this many; the counts always cover every row.
MAX_ROW_NOTES = 50

_URL = re.compile(r"(https?://[^\s\"'<>,\]\}]+)", re.IGNORECASE)
_DATE_FORMATS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$"), "%Y-%m-%d"),
    (re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$"), "%m/%d/%Y"),
    (re.compile(r"^\d{1,2}\.\d{1,2}\.\d{4}$"), "%d.%m.%Y"),
    (re.compile(r"^\d{1,2} [A-Za-z]+ \d{4}$"), "%d %B %Y"),
)
_LOCAL_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_OFFSET_DATETIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$"
)
DATE_EXAMPLES = Message("2024-01-02, 01/02/2024 (month first), 02.01.2024 or 2024-01-02 08:00")


def parse(frame: pd.DataFrame, *, source_name: str, path: str | PathLike[str]) -> ImportResult:
    """Events and event_regions from an all-string point list (see the module docstring)."""
    columns = {str(c).strip().lower(): c for c in frame.columns}

    def cells(names: Iterable[str]) -> tuple[str | None, pd.Series]:
        for name in names:
            if name in columns:
                original = columns[name]
                return str(original), frame[original].astype("string").str.strip().fillna("")
        return None, pd.Series("", index=frame.index, dtype="string")

    rejects = RejectCollector.for_frame(frame)
    date_column, date_text = cells(["date"])
    start, end, day = parse_incident_dates(date_text, rejects, column=date_column or "date")
    id_column, given_id = cells(["id"])
    event_id, repeats = incident_ids(
        given_id, rejects, source_name=source_name, column=id_column, frame=frame
    )
    killed_column, killed_text = cells(KILLED_COLUMNS)
    killed = parse_counts(killed_text, rejects, column=killed_column or "killed")
    injured_column, injured_text = cells(INJURED_COLUMNS)
    injured = parse_counts(injured_text, rejects, column=injured_column or "injured")
    lat_column, lat_text = cells(LAT_COLUMNS)
    lon_column, lon_text = cells(LON_COLUMNS)
    _, place = cells(PLACE_COLUMNS)
    _, title = cells(["title"])
    _, description = cells(["description"])
    _, sources = cells(URL_COLUMNS)

    located = locate_incidents(
        lat_text,
        lon_text,
        place,
        rejects,
        lat_column=lat_column or "latitude",
        lon_column=lon_column or "longitude",
    )
    keep = rejects.accepted
    events = pd.DataFrame(
        {
            "event_id": event_id,
            "source": source_name,
            "source_row": frame.index.to_numpy(),
            "kind": "incident",
            "start": start,
            "end": end,
            "date": day,
            "title": _blank_to_na(title).fillna(_blank_to_na(place)).fillna("Incident"),
            "description": _blank_to_na(description),
            "killed": killed,
            "injured": injured,
            "scope": located.scope,
            "place_text": _blank_to_na(place),
            "lat": located.lat,
            "lon": located.lon,
            "source_url": first_urls(sources),
        },
        index=frame.index,
    )
    events["wave_id"] = events["event_id"]
    events = events[keep]
    return build_result(
        events=events,
        event_regions=located.event_regions(events["event_id"], keep),
        rows_in=len(frame),
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT,
        places=located.places,
        notes=[*located.notes(keep), *repeats.notes(keep)],
    )


def parse_incident_dates(
    text: pd.Series, rejects: RejectCollector, *, column: str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(start UTC, end UTC, Kyiv day)`` from date or date-time text; rejects the rest.

    A date without a time covers the Kyiv day (00:00 to 23:59 local).

    >>> rejects = RejectCollector(pd.RangeIndex(3))
    >>> _, _, day = parse_incident_dates(
    ...     pd.Series(["02/24/2022", "2026-02-30", "2022-02-24T03:30Z"]), rejects, column="date"
    ... )
    >>> day.dt.strftime("%Y-%m-%d").tolist()
    ['2022-02-24', nan, '2022-02-24']
    >>> rejects.records()[0]["reason"][:26]
    "'2026-02-30' is not a date"
    """
    local = empty_times(text.index)
    for pattern, fmt in _DATE_FORMATS:
        shaped = text.str.match(pattern).fillna(False).astype(bool)
        if shaped.any():
            local[shaped] = read_times(text[shaped], format=fmt)
    date_only = local.notna()
    with_time = text.str.match(_LOCAL_DATETIME).fillna(False).astype(bool)
    if with_time.any():
        local[with_time] = read_times(text[with_time], format="ISO8601")
    instants = empty_times(text.index, utc=True)
    offset = text.str.match(_OFFSET_DATETIME).fillna(False).astype(bool)
    if offset.any():
        instants[offset] = read_times(text[offset], format="ISO8601", utc=True)
    return day_times(
        local, date_only, instants, text, rejects, column=column, examples=DATE_EXAMPLES
    )


def incident_ids(
    given: pd.Series,
    rejects: RejectCollector,
    *,
    source_name: str,
    column: str | None,
    frame: pd.DataFrame,
) -> tuple[pd.Series, RepeatedIds]:
    """``<source>:<id>``, or ``<source>:<row>`` where the id is blank, and the repeated ids.

    ``given`` is the trimmed id text of each row of ``frame`` (the file as read). A row
    identical to an earlier row with its id is rejected as a duplicate; a row that shares an
    id with an earlier row but differs from it gets ``<id>#2``, ``#3``... (see
    :class:`~oblastwatch.importers.report.RepeatedIds`).
    """
    by_row = pd.Series(
        [f"{source_name}:{row}" for row in given.index], index=given.index, dtype="string"
    )
    if column is None:
        return by_row, RepeatedIds.none(given.index)
    repeats = RepeatedIds.of_column(given, frame)
    repeats.reject_duplicates(rejects, column)
    given = repeats.renamed(given)
    ids = (source_name + ":" + given).where(given != "", by_row)
    # A blank id falls back to the row number, which must not collide with a given id.
    rejects.reject(
        (given == "") & ids.duplicated(keep=False),
        column,
        Message("blank id collides with another id"),
    )
    return ids.astype("string"), repeats


def first_urls(text: pd.Series) -> pd.Series:
    """The first http(s) URL in each cell (plain, ``;``-joined or a JSON list), else missing."""
    found = text.str.extract(_URL, expand=False)
    return found.str.rstrip(".);").astype("string")


def parse_coordinates(text: pd.Series) -> pd.Series:
    """Numbers from coordinate text (a decimal comma is accepted); unreadable is NaN."""
    cleaned = text.str.replace(",", ".", regex=False).str.replace("\u2212", "-", regex=False)
    return pd.to_numeric(cleaned.where(cleaned != "", None), errors="coerce").astype("float64")


@dataclass
class LocatedIncidents:
    """Where each row's incident is, and why (see :func:`locate_incidents`)."""

    lat: pd.Series
    lon: pd.Series
    scope: pd.Series
    region_codes: pd.Series  # tuples of ISO codes
    method: pd.Series  # locate_points method, or "place-text" for the fallback
    places: PlaceLookup | None
    # Per kind of note (its English name): the kind as a message and the rows' notes.
    row_notes: dict[str, tuple[Message, list[tuple[int, Message]]]] = field(default_factory=dict)

    def event_regions(self, event_id: pd.Series, keep: pd.Series) -> pd.DataFrame:
        """``event_regions`` rows (role ``location``) for the kept rows."""
        codes = self.region_codes[keep]
        return region_rows(event_id.reindex(codes.index), codes, "location")

    def notes(self, keep: pd.Series) -> list[Message]:
        """Report lines: the method counts, then up to MAX_ROW_NOTES lines per kind."""
        counts = Counter(self.method[keep].dropna().tolist())
        lines = [
            Message(
                "locate_methods: {counts}", {"counts": json.dumps(dict(sorted(counts.items())))}
            )
        ]
        for kind, rows in self.row_notes.values():
            kept = [(row, text) for row, text in rows if keep.get(row, False)]
            lines.extend(row_note(row, text) for row, text in kept[:MAX_ROW_NOTES])
            if len(kept) > MAX_ROW_NOTES:
                more = len(kept) - MAX_ROW_NOTES
                lines.append(
                    plural_message(
                        "... and {count} more row: {kind}",
                        "... and {count} more rows: {kind}",
                        more,
                        {"count": more, "kind": kind},
                    )
                )
        return lines

    def note(self, kind: Message, row: int, text: Message) -> None:
        """Record ``text`` about data row ``row`` under ``kind``, for :meth:`notes`."""
        self.row_notes.setdefault(kind.text, (kind, []))[1].append((int(row), text))


def locate_incidents(
    lat_text: pd.Series,
    lon_text: pd.Series,
    place: pd.Series,
    rejects: RejectCollector,
    *,
    lat_column: str,
    lon_column: str,
    required: pd.Series | None = None,
    place_lookup: Callable[[], PlaceLookup] = PlaceLookup,
) -> LocatedIncidents:
    """Place each row by its coordinates, falling back to its place text.

    Rows whose coordinates are unusable and whose place text is blank are rejected (naming
    the latitude column) unless ``required`` is false for them (the caller places them some
    other way). Swapped coordinates are stored corrected.
    """
    from oblastwatch.domain.geo import locate_points

    lat, lon = parse_coordinates(lat_text), parse_coordinates(lon_text)
    found = locate_points(lat, lon)
    method = found["method"].astype("object")
    swapped = method == "swapped"
    stored_lat = lat.where(~swapped, lon).where(method != "invalid")
    stored_lon = lon.where(~swapped, lat).where(method != "invalid")
    scope = found["scope"].astype("object")
    codes = pd.Series(
        [(c,) if isinstance(c, str) else () for c in found["region_code"]],
        index=lat.index,
        dtype="object",
    )
    result = LocatedIncidents(
        lat=stored_lat.astype("Float64"),
        lon=stored_lon.astype("Float64"),
        scope=scope,
        region_codes=codes,
        method=method,
        places=None,
    )

    def pair(row: int) -> str:
        return f"({lat_text[row]!r}, {lon_text[row]!r})"

    for row in found.index[swapped]:
        result.note(
            Message("swapped coordinates"),
            row,
            Message(
                "latitude/longitude {pair} were swapped; placed at ({lat}, {lon}) in {region}",
                {
                    "pair": pair(row),
                    "lat": lon[row],
                    "lon": lat[row],
                    "region": found.at[row, "region_code"],
                },
            ),
        )
    for row in found.index[method == "nearest-within-tolerance"]:
        result.note(
            Message("nearest region within tolerance"),
            row,
            Message(
                "{pair} is {distance:.2f} km outside every region (water or coast); assigned "
                "to the nearest, {region}",
                {
                    "pair": pair(row),
                    "distance": float(found.at[row, "distance_km"]),
                    "region": found.at[row, "region_code"],
                },
            ),
        )
    for row in found.index[method == "outside"]:
        country = found.at[row, "country"]
        where = (
            Message("on {country} land", {"country": country})
            if isinstance(country, str)
            else Message("on no land near Ukraine")
        )
        result.note(
            Message("outside Ukraine"),
            row,
            Message(
                "{pair} lies {where}, outside every region", {"pair": pair(row), "where": where}
            ),
        )

    invalid = method == "invalid"
    if required is None:
        required = pd.Series(True, index=lat.index)
    rejects.reject(
        invalid & (place == "") & required,
        lat_column,
        Message(
            "coordinates ({lat}, {lon}) are not a usable latitude/longitude and there is no "
            "location text to place the row by"
        ),
        lat=lat_text,
        lon=lon_text,
    )
    fallback = invalid & (place != "") & rejects.accepted
    if fallback.any():
        lookup = place_lookup()
        matches = lookup.classify_counts(place[fallback].value_counts())
        result.places = lookup
        result.method = method.where(~fallback, "place-text")
        for row in fallback[fallback].index:
            match = matches[place[row]]
            result.scope[row] = match.scope
            result.region_codes[row] = tuple(match.region_codes)
            placed = ", ".join(match.region_codes) or Message(
                "scope {scope}", {"scope": match.scope}
            )
            result.note(
                Message("located by place text"),
                row,
                Message(
                    "coordinates {pair} unusable; located by place text {place} -> {placed}",
                    {"pair": pair(row), "place": repr(place[row]), "placed": placed},
                ),
            )
    return result


def _blank_to_na(text: pd.Series) -> pd.Series:
    return text.where(text != "", pd.NA).astype("string")
