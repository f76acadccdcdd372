"""ACLED exports (Armed Conflict Location & Event Data), CSV or JSON.

Columns used: ``event_id_cnty``, ``event_date``, ``event_type``, ``sub_event_type``,
``admin1``, ``location``, ``latitude``, ``longitude``, ``source``, ``notes``,
``fatalities`` (others, such as ``actor1``, ``admin2``, ``geo_precision`` and ``timestamp``,
are accepted and ignored).

Decisions:

* ``kind``: ``strike`` for "Explosions/Remote violence" with sub-event "Air/drone strike" or
  "Shelling/artillery/missile attack"; ``incident`` for everything else. The region role
  is ``location`` either way (ACLED records where an event happened, not what was aimed at).
* ``event_date`` (``YYYY-MM-DD`` or ``15 March 2024``) is the local day of the event, taken
  as the Kyiv day.
* The region comes from ``admin1`` (ACLED's own coding). ACLED names the first-level unit
  bare ("Kharkiv", "Kyiv" for Kyiv Oblast, "Kyiv City", "Crimea", "Sevastopol"), so
  "<admin1> Oblast" is resolved first, then "<admin1>" itself. The point is located with
  ``oblastwatch.domain.geo.locate_points`` as a check: each row where the point lies in another
  region, or on a neighbour's land, is listed in the report notes, and admin1 is kept.
  Where admin1 does not name a Ukrainian region (blank, or "Belgorod" in a Russia export)
  the point decides; where the coordinates are unusable too, the admin1 or location text
  goes through ``places.classify_place``.
* ``killed`` is ``fatalities``; ``description`` is ``notes`` followed by ACLED's ``source``
  text ("Sources: ..."); ``source_url`` stays blank (ACLED gives outlet names, not links);
  the title is "<sub_event_type>: <location>".
* ``event_id`` is ``<source>:<event_id_cnty>``. Rows that share an ``event_id_cnty`` but
  differ in any column are separate events: the later ones become
  ``<source>:<event_id_cnty>#2``, ``#3``... and the report notes list them; a row identical
  in every column to an earlier row with its id is rejected as "duplicate of row N" (the
  rule of the points importer, :func:`oblastwatch.importers.points.incident_ids`).
"""

from __future__ import annotations

from os import PathLike

import pandas as pd

from oblastwatch.domain import regions
from oblastwatch.i18n import Message, plural_message
from oblastwatch.importers.counts import parse_counts
from oblastwatch.importers.points import (
    MAX_ROW_NOTES,
    LocatedIncidents,
    incident_ids,
    locate_incidents,
    parse_incident_dates,
)
from oblastwatch.importers.report import (
    ImportResult,
    RejectCollector,
    UnusableInput,
    build_result,
    row_note,
)

FORMAT = "acled"
HEADER_SIGNATURE = frozenset(
    {"event_id_cnty", "event_date", "event_type", "admin1", "latitude", "longitude"}
)
STRIKE_SUB_EVENTS = frozenset({"air/drone strike", "shelling/artillery/missile attack"})
REMOTE_VIOLENCE = "explosions/remote violence"


def parse(frame: pd.DataFrame, *, source_name: str, path: str | PathLike[str]) -> ImportResult:
    """Events and event_regions from an all-string ACLED frame (see the module docstring)."""
    columns = {str(c).strip().lower(): c for c in frame.columns}
    missing = sorted(HEADER_SIGNATURE - columns.keys())
    if missing:
        raise UnusableInput(path, Message("missing required column for ACLED"), column=missing[0])

    def cell(name: str) -> pd.Series:
        if name not in columns:
            return pd.Series("", index=frame.index, dtype="string")
        return frame[columns[name]].astype("string").str.strip().fillna("")

    rejects = RejectCollector.for_frame(frame)
    start, end, day = parse_incident_dates(cell("event_date"), rejects, column="event_date")
    event_id, repeats = incident_ids(
        cell("event_id_cnty"),
        rejects,
        source_name=source_name,
        column="event_id_cnty",
        frame=frame,
    )
    killed = parse_counts(cell("fatalities"), rejects, column="fatalities")
    admin1, location = cell("admin1"), cell("location")
    admin1_code = admin1.map(admin1_region)
    place_text = admin1.where(admin1 != "", location)

    located = locate_incidents(
        cell("latitude"),
        cell("longitude"),
        place_text.where(admin1_code.isna(), ""),
        rejects,
        lat_column="latitude",
        lon_column="longitude",
        # Rows whose admin1 names a region are placed without coordinates.
        required=admin1_code.isna(),
    )
    disagreements = _apply_admin1(located, admin1, admin1_code)

    sub_event = cell("sub_event_type")
    is_strike = (cell("event_type").str.lower() == REMOTE_VIOLENCE) & sub_event.str.lower().isin(
        STRIKE_SUB_EVENTS
    )
    notes_text, sources = cell("notes"), cell("source")
    description = notes_text.where(sources == "", notes_text + " (Sources: " + sources + ")")
    description = description.str.strip().where(lambda d: d != "", pd.NA)
    title_label = sub_event.where(sub_event != "", cell("event_type"))
    title = (title_label + ": " + location).where(location != "", title_label)

    keep = rejects.accepted
    events = pd.DataFrame(
        {
            "event_id": event_id,
            "source": source_name,
            "source_row": frame.index.to_numpy(),
            "kind": is_strike.map({True: "strike", False: "incident"}),
            "start": start,
            "end": end,
            "date": day,
            "title": title.where(title != "", "ACLED event"),
            "description": description,
            "killed": killed,
            "scope": located.scope,
            "place_text": _place_text(admin1, location),
            "lat": located.lat,
            "lon": located.lon,
            "source_url": pd.NA,
        },
        index=frame.index,
    )
    events["wave_id"] = events["event_id"]
    events = events[keep]
    notes = [*located.notes(keep), *repeats.notes(keep)]
    kept = [(row, text) for row, text in disagreements if keep.get(row, False)]
    notes.append(Message("admin1_vs_point_disagreements: {count}", {"count": len(kept)}))
    notes.extend(row_note(row, text) for row, text in kept[:MAX_ROW_NOTES])
    if len(kept) > MAX_ROW_NOTES:
        more = len(kept) - MAX_ROW_NOTES
        notes.append(
            plural_message(
                "... and {count} more admin1/point disagreement",
                "... and {count} more admin1/point disagreements",
                more,
                {"count": more},
            )
        )
    return build_result(
        events=events,
        event_regions=located.event_regions(events["event_id"], keep),
        rows_in=len(frame),
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT,
        places=located.places,
        notes=notes,
    )


def admin1_region(name: str) -> str | None:
    """The region an ACLED ``admin1`` value names, or None.

    >>> admin1_region("Kyiv"), admin1_region("Kyiv City"), admin1_region("Odesa")
    ('UA-32', 'UA-30', 'UA-51')
    >>> admin1_region("Crimea"), admin1_region("Sevastopol"), admin1_region("Belgorod")
    ('UA-43', 'UA-40', None)
    """
    if not name:
        return None
    return regions.resolve(f"{name} Oblast").code or regions.resolve(name).code


def _apply_admin1(
    located: LocatedIncidents, admin1: pd.Series, admin1_code: pd.Series
) -> list[tuple[int, Message]]:
    """Put admin1's region on every row that has one; return the point disagreements."""
    disagreements: list[tuple[int, Message]] = []
    for row in admin1_code.index[admin1_code.notna()]:
        code = admin1_code[row]
        method = located.method[row]
        point_codes = located.region_codes[row]
        if method == "outside":
            disagreements.append(
                (
                    row,
                    Message(
                        "admin1 {admin1} ({code}) but the point lies outside every region",
                        {"admin1": repr(admin1[row]), "code": code},
                    ),
                )
            )
        elif method not in ("invalid", "place-text") and point_codes != (code,):
            disagreements.append(
                (
                    row,
                    Message(
                        "admin1 {admin1} ({code}) but the point lies in {codes} ({method})",
                        {
                            "admin1": repr(admin1[row]),
                            "code": code,
                            "codes": ", ".join(point_codes),
                            "method": method,
                        },
                    ),
                )
            )
        if method == "invalid":
            located.method[row] = "admin1-text"
        located.region_codes[row] = (code,)
        located.scope[row] = "regions"
    return disagreements


def _place_text(admin1: pd.Series, location: pd.Series) -> pd.Series:
    both = location + ", " + admin1
    text = both.where((location != "") & (admin1 != ""), location.where(location != "", admin1))
    return text.where(text != "", pd.NA).astype("string")
