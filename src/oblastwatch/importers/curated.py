"""The curated tables: diplomatic events (talks.csv) and major strikes (strikes.csv).

Both tables were compiled for this project from dated news pages, one ``source_url`` per row
(see ``docs/data-model.md`` and ``scripts/build_bundled_data.py``). The parsers take an
all-string DataFrame whose index is the 0-based data row and return an
:class:`~oblastwatch.importers.report.ImportResult`.

* A talks row becomes one event of its own kind (talks, summit, call, ...). Its interval is the
  Kyiv calendar days ``start_date`` .. ``end_date``; scope ``abroad`` when the venue is in
  another country, else ``national``. Talks never get ``event_regions`` rows.
* A strikes row (one attack wave) becomes one event per weapon class the row has a count for:
  ``drones (all types)`` (category ``drone``) and ``missiles (all types)`` (category
  ``unknown``: the table does not split missiles into cruise, ballistic and guided). A row with
  no count at all becomes a single event without a weapon model. The events of a row share
  ``wave_id`` = ``attack_id``; ``killed`` and ``injured`` sit on the first of them only, so sums
  never count a casualty twice. Each listed region gets a ``target`` row on every event of the
  wave. A non-blank ``region_codes`` cell (written by ``scripts/build_bundled_data.py``) is
  used instead of resolving the ``oblasts_hit`` names.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import timedelta
from os import PathLike
from typing import Any

import pandas as pd

from oblastwatch.domain import model
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import Message, plural_message
from oblastwatch.importers.counts import MAX_COUNT
from oblastwatch.importers.dates import FIRST_DAY, LAST_DAY, WINDOW
from oblastwatch.importers.report import (
    ImportReport,
    ImportResult,
    PlaceLookup,
    RejectCollector,
    UnusableInput,
    build_result,
)

FORMAT_TALKS = "curated-talks"
FORMAT_STRIKES = "curated-strikes"

# The columns of the curated reference tables, in their order.
TALKS_COLUMNS: tuple[str, ...] = (
    "event_id",
    "start_date",
    "end_date",
    "kind",
    "format",
    "parties",
    "city",
    "country",
    "latitude",
    "longitude",
    "lead_negotiators",
    "summary",
    "outcome",
    "source_url",
    "source_date",
    "confidence",
)
STRIKES_COLUMNS: tuple[str, ...] = (
    "attack_id",
    "date",
    "drones_launched",
    "missiles_launched",
    "drones_destroyed",
    "missiles_destroyed",
    "oblasts_hit",
    "killed",
    "injured",
    "notable_targets",
    "source_url",
    "source_date",
    "dataset_launched_total",
    "confidence",
)
HEADER_SIGNATURE_TALKS: frozenset[str] = frozenset(TALKS_COLUMNS)
HEADER_SIGNATURE_STRIKES: frozenset[str] = frozenset(STRIKES_COLUMNS)

# Optional in strikes tables: the ISO codes of ``oblasts_hit``, one per name, written by the
# build script. When a cell is non-blank its codes are used without resolving the names.
REGION_CODES_COLUMN = "region_codes"

KYIV = "Europe/Kyiv"
UKRAINE = "Ukraine"
DRONES_MODEL = "drones (all types)"
MISSILES_MODEL = "missiles (all types)"
# No single category fits a count of cruise, ballistic and guided missiles together.
MISSILES_CATEGORY = "unknown"

# What a curated row's source_url must look like (also checked by scripts/build_bundled_data.py).
SOURCE_URL = re.compile(r"^https?://\S+$", re.IGNORECASE)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

_EXPECTED_DAY = Message("expected a date YYYY-MM-DD ({window})", {"window": WINDOW})


def parse_talks(
    frame: pd.DataFrame,
    *,
    source_name: str,
    path: str | PathLike[str],
    taken_ids: Mapping[str, str] | None = None,
) -> ImportResult:
    """Diplomatic events from a curated talks table.

    ``frame`` holds strings (blank cells as ``""`` or missing); its index is the 0-based data
    row. Raises :class:`UnusableInput` when a required column is missing; a bad row is rejected
    with its row, column and reason. ``taken_ids`` maps ids used elsewhere (the bundled table,
    a user's other table) to where: a row with one of them is rejected, naming the place.
    """
    cells = _string_cells(frame, HEADER_SIGNATURE_TALKS, path)
    rejects = RejectCollector.for_frame(frame)
    first_row = _IdBook(taken_ids or {})
    events: list[dict[str, Any]] = []
    for row, values in cells.iterrows():
        event = _talks_event(values, row, rejects, first_row, source_name)
        if event is not None:
            events.append(event)
    return build_result(
        events=_frame(events),
        event_regions=model.empty_event_regions(),
        rows_in=len(cells),
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT_TALKS,
    )


def parse_strikes(
    frame: pd.DataFrame,
    *,
    source_name: str,
    path: str | PathLike[str],
    taken_ids: Mapping[str, str] | None = None,
) -> ImportResult:
    """Attack-wave events from a curated strikes table (one to two events per row).

    ``rows_imported`` in the report counts table rows, not events. ``taken_ids``: as for
    :func:`parse_talks`.
    """
    cells = _string_cells(frame, HEADER_SIGNATURE_STRIKES, path)
    has_codes = REGION_CODES_COLUMN in frame.columns
    rejects = RejectCollector.for_frame(frame)
    places = PlaceLookup()
    first_row = _IdBook(taken_ids or {})
    events: list[dict[str, Any]] = []
    regions: list[dict[str, str]] = []
    for row, values in cells.iterrows():
        wave = _strike_wave(values, row, rejects, first_row, places, source_name, has_codes)
        if wave is not None:
            events.extend(wave[0])
            regions.extend(wave[1])
    return _strikes_result(events, regions, cells, rejects, places, source_name, path)


# --- shared --------------------------------------------------------------------------------


def _string_cells(
    frame: pd.DataFrame, required: frozenset[str], path: str | PathLike[str]
) -> pd.DataFrame:
    missing = sorted(required - set(frame.columns))
    if missing:
        raise UnusableInput(path, Message("missing required column"), column=",".join(missing))
    columns = sorted(required) + (
        [REGION_CODES_COLUMN] if REGION_CODES_COLUMN in frame.columns else []
    )
    out = frame[columns].astype("object").where(frame[columns].notna(), "")
    return out.map(lambda value: " ".join(str(value).split()))


def _frame(records: list[dict[str, Any]]) -> pd.DataFrame:
    if not records:
        return model.empty_events()
    return pd.DataFrame.from_records(records)


class _IdBook(dict[str, int]):
    """The first row of each id seen in this table, and the ids other tables hold (``taken``)."""

    def __init__(self, taken: Mapping[str, str]) -> None:
        super().__init__()
        self.taken = taken


def _take_id(
    values: pd.Series,
    column: str,
    row: int,
    rejects: RejectCollector,
    first_row: _IdBook,
) -> str | None:
    ident = values[column]
    if not ident:
        rejects.reject_row(row, column, Message("blank id"))
        return None
    if ident in first_row.taken:
        rejects.reject_row(
            row,
            column,
            Message(
                "id {id} is already in {dataset}", {"id": ident, "dataset": first_row.taken[ident]}
            ),
        )
        return None
    if ident in first_row:
        rejects.reject_row(
            row,
            column,
            Message("id {id} repeats row {row}", {"id": ident, "row": first_row[ident]}),
        )
        return None
    first_row[ident] = int(row)
    return ident


def _day(text: str) -> pd.Timestamp | None:
    """The day ``YYYY-MM-DD`` names, or None when it is not a day within the window."""
    if not _ISO_DATE.match(text):
        return None
    try:
        day = pd.Timestamp(text)
    except (ValueError, OverflowError):  # OutOfBoundsDatetime is a ValueError
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


def _kyiv_midnight_utc(day: pd.Timestamp) -> pd.Timestamp:
    return day.tz_localize(KYIV).tz_convert("UTC")


def _source_url(values: pd.Series, row: int, rejects: RejectCollector) -> str | None:
    url = values["source_url"]
    if not SOURCE_URL.match(url):
        rejects.reject_row(row, "source_url", Message("expected an http(s) URL"))
        return None
    return url


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


# --- talks ---------------------------------------------------------------------------------


def _talks_event(
    values: pd.Series,
    row: int,
    rejects: RejectCollector,
    first_row: _IdBook,
    source_name: str,
) -> dict[str, Any] | None:
    ident = _take_id(values, "event_id", row, rejects, first_row)
    if ident is None:
        return None
    start_day = _day(values["start_date"])
    if start_day is None:
        rejects.reject_row(row, "start_date", _EXPECTED_DAY)
        return None
    end_day = _day(values["end_date"]) if values["end_date"] else start_day
    if end_day is None:
        rejects.reject_row(
            row,
            "end_date",
            Message("expected a date YYYY-MM-DD ({window}) or blank", {"window": WINDOW}),
        )
        return None
    if end_day < start_day:
        rejects.reject_row(row, "end_date", Message("ends before start_date"))
        return None
    kind = values["kind"].lower()
    if kind not in model.DIPLOMATIC_KINDS:
        rejects.reject_row(
            row,
            "kind",
            Message(
                "expected one of {kinds}; got {kind}",
                {"kinds": ", ".join(model.DIPLOMATIC_KINDS), "kind": repr(kind)},
            ),
        )
        return None
    point = _point(values, row, rejects)
    if point is False:
        return None
    assert point is not True  # _point returns a pair, None or False
    url = _source_url(values, row, rejects)
    if url is None:
        return None

    parties = [p.strip() for p in values["parties"].split(";") if p.strip()]
    city, country = values["city"], values["country"]
    venue = ", ".join(part for part in (city, country) if part) or None
    abroad = bool(country) and country.casefold() != UKRAINE.casefold()
    lat, lon = point if point else (pd.NA, pd.NA)
    return {
        "event_id": f"{source_name}:{ident}",
        "source": source_name,
        "source_row": int(row),
        "kind": kind,
        "start": _kyiv_midnight_utc(start_day),
        "end": _kyiv_midnight_utc(end_day + timedelta(days=1)),
        "date": start_day,
        "title": _talks_title(kind, values["format"], parties, city or country),
        "description": _talks_description(values),
        "scope": "abroad" if abroad else "national",
        "place_text": venue,
        "lat": lat,
        "lon": lon,
        "source_url": url,
        "parties": ";".join(parties) or None,
        "format": values["format"] or None,
        "venue": venue,
    }


def _point(
    values: pd.Series, row: int, rejects: RejectCollector
) -> tuple[float, float] | None | bool:
    """``(lat, lon)``, ``None`` when both are blank, ``False`` when the row was rejected."""
    lat_text, lon_text = values["latitude"], values["longitude"]
    if not lat_text and not lon_text:
        return None
    for column, text, limit in (("latitude", lat_text, 90), ("longitude", lon_text, 180)):
        try:
            number = float(text)
        except ValueError:
            rejects.reject_row(
                row, column, Message("expected a number (latitude and longitude together)")
            )
            return False
        if not -limit <= number <= limit:
            rejects.reject_row(
                row,
                column,
                Message("expected a number between -{limit} and {limit}", {"limit": limit}),
            )
            return False
    return float(lat_text), float(lon_text)


def _talks_title(kind: str, fmt: str, parties: list[str], place: str) -> str:
    """``"Geneva: US–Ukraine talks"``; multilateral meetings are not spelled out by party.

    >>> _talks_title("talks", "bilateral", ["US", "Ukraine"], "Geneva")
    'Geneva: US–Ukraine talks'
    >>> _talks_title("exchange", "bilateral", ["Russia", "Ukraine"], "")
    'Russia–Ukraine exchange'
    """
    if fmt.lower() == "multilateral" or not parties or len(parties) > 3:
        who = "multilateral"
    else:
        who = "–".join(parties)
    label = f"{who} {kind}"
    return f"{place}: {label}" if place else label[0].upper() + label[1:]


def _talks_description(values: pd.Series) -> str:
    parts = [_sentence(values["summary"])] if values["summary"] else []
    if values["outcome"]:
        parts.append(f"Outcome: {_sentence(values['outcome'])}")
    negotiators = [n.strip() for n in values["lead_negotiators"].split(";") if n.strip()]
    if negotiators:
        parts.append(f"Lead negotiators: {', '.join(negotiators)}.")
    if values["confidence"]:
        parts.append(f"Curator's confidence: {values['confidence']}.")
    return " ".join(parts)


# --- strikes -------------------------------------------------------------------------------

_COUNT_COLUMNS = (
    "drones_launched",
    "drones_destroyed",
    "missiles_launched",
    "missiles_destroyed",
    "killed",
    "injured",
)


def _count(text: str) -> float | None:
    """A whole number from 0 to MAX_COUNT (the rule of ``importers.counts``).

    ``pd.NA`` when blank, ``None`` when not a count.
    """
    if not text:
        return pd.NA
    try:
        number = float(text)
    except ValueError:
        return None
    if not number.is_integer() or not 0 <= number <= MAX_COUNT:
        return None
    return abs(number)


def _strike_wave(
    values: pd.Series,
    row: int,
    rejects: RejectCollector,
    first_row: _IdBook,
    places: PlaceLookup,
    source_name: str,
    has_codes: bool,
) -> tuple[list[dict[str, Any]], list[dict[str, str]]] | None:
    ident = _take_id(values, "attack_id", row, rejects, first_row)
    if ident is None:
        return None
    day = _day(values["date"])
    if day is None:
        rejects.reject_row(row, "date", _EXPECTED_DAY)
        return None
    counts: dict[str, Any] = {}
    for column in _COUNT_COLUMNS:
        number = _count(values[column])
        if number is None:
            rejects.reject_row(
                row,
                column,
                Message(
                    "expected a whole number from 0 to {limit:,}, or blank", {"limit": MAX_COUNT}
                ),
            )
            return None
        counts[column] = number
    url = _source_url(values, row, rejects)
    if url is None:
        return None
    place_text = values["oblasts_hit"]
    listed = values[REGION_CODES_COLUMN] if has_codes else ""
    if listed:
        regions_found = _listed_regions(listed, place_text)
        if isinstance(regions_found, Message):
            rejects.reject_row(row, REGION_CODES_COLUMN, regions_found)
            return None
        codes, scope = regions_found, "regions"
    else:
        codes, scope = _wave_regions(place_text, places)

    wave_id = f"{source_name}:{ident}"
    common = {
        "source": source_name,
        "source_row": int(row),
        "kind": "strike",
        "date": day,
        "description": _strike_description(values),
        "scope": scope,
        "place_text": place_text or None,
        "source_url": url,
        "wave_id": wave_id,
    }
    classes = []
    if _present(counts["drones_launched"], counts["drones_destroyed"]):
        classes.append(("drones", DRONES_MODEL, "drone", "drones"))
    if _present(counts["missiles_launched"], counts["missiles_destroyed"]):
        classes.append(("missiles", MISSILES_MODEL, MISSILES_CATEGORY, "missiles"))
    events = []
    for prefix, weapon_model, category, suffix in classes:
        events.append(
            {
                **common,
                "event_id": f"{wave_id}/{suffix}",
                "title": f"Attack wave of {day:%Y-%m-%d}: {suffix}",
                "weapon_model": weapon_model,
                "weapon_category": category,
                "launched": counts[f"{prefix}_launched"],
                "destroyed": counts[f"{prefix}_destroyed"],
            }
        )
    if not events:
        # The table gives no count for either weapon class: one event for the wave.
        events.append(
            {
                **common,
                "event_id": f"{wave_id}/wave",
                "title": f"Attack wave of {day:%Y-%m-%d}: launch counts not confirmed",
                "weapon_category": "unknown",
            }
        )
    # Casualties belong to the wave; they sit on its first event only.
    events[0]["killed"] = counts["killed"]
    events[0]["injured"] = counts["injured"]
    regions = [
        {"event_id": event["event_id"], "region_code": code, "role": "target"}
        for event in events
        for code in codes
    ]
    return events, regions


def _present(*numbers: Any) -> bool:
    return any(not pd.isna(n) for n in numbers)


def _listed_regions(listed: str, place_text: str) -> list[str] | Message:
    """The codes of a ``region_codes`` cell, or the reason to reject it.

    The build script writes one code per ``oblasts_hit`` name; the codes are used as they are
    (no name resolution, which keeps loading the bundled data fast), after checking that each
    is one of the 27 and that there is one per listed name.
    """
    codes = [code.strip() for code in listed.split(";") if code.strip()]
    unknown = [code for code in codes if code not in REGION_CODES]
    if unknown:
        return Message("unknown region code {code}", {"code": unknown[0]})
    names = [name.strip() for name in place_text.split(";") if name.strip()]
    if len(set(codes)) != len(codes) or len(codes) != len(names):
        return Message(
            "expected one distinct code per oblasts_hit name ({count}); got {listed}",
            {"count": len(names), "listed": listed},
        )
    return codes


def _wave_regions(text: str, places: PlaceLookup) -> tuple[list[str], str]:
    """Region codes of a ``;``-separated region list, in listed order, and the wave's scope."""
    parts = [part.strip() for part in text.split(";") if part.strip()]
    if not parts:
        return [], "national"
    matches = places.classify_counts({part: 1 for part in parts})
    codes: list[str] = []
    scopes: list[str] = []
    for part in parts:
        match = matches[part]
        for code in match.region_codes:
            if code not in codes:
                codes.append(code)
        scopes.append(match.scope)
    # The overall scope follows classify_place: regions, else national, macro-region, outside;
    # a list nothing understood stays "regions" without codes (its parts are reported).
    for scope in ("national", "macro-region", "outside"):
        if not codes and scope in scopes:
            return codes, scope
    return codes, "regions"


def _strike_description(values: pd.Series) -> str:
    parts = []
    if values["notable_targets"]:
        parts.append(f"Notable targets: {_sentence(values['notable_targets'])}")
    if values["confidence"]:
        parts.append(f"Curator's confidence: {values['confidence']}.")
    return " ".join(parts)


def _strikes_result(
    events: list[dict[str, Any]],
    regions: list[dict[str, str]],
    cells: pd.DataFrame,
    rejects: RejectCollector,
    places: PlaceLookup,
    source_name: str,
    path: str | PathLike[str],
) -> ImportResult:
    # build_result counts one event per imported row; a strikes row yields one or two events,
    # so the report here counts table rows (and scopes per wave).
    events_frame = model.conform_events(_frame(events)).reset_index(drop=True)
    regions_frame = model.conform_event_regions(
        pd.DataFrame.from_records(regions, columns=list(model.EVENT_REGION_COLUMNS))
    ).drop_duplicates(ignore_index=True)
    waves = events_frame.drop_duplicates("wave_id")
    unresolved = {text: int(count) for text, count in places.unresolved.most_common()}
    notes = [
        Message(
            "{events} from {waves}: one event per weapon class with a count, killed and "
            "injured on the first event of each wave",
            {
                "events": plural_message(
                    "{count} event",
                    "{count} events",
                    len(events_frame),
                    {"count": len(events_frame)},
                ),
                "waves": plural_message(
                    "{count} attack wave", "{count} attack waves", len(waves), {"count": len(waves)}
                ),
            },
        )
    ]
    report = ImportReport(
        source_name=source_name,
        path=str(path),
        format=FORMAT_STRIKES,
        rows_in=len(cells),
        rows_imported=len(cells) - len(rejects),
        rows_rejected=len(rejects),
        rejected=rejects.records(),
        unresolved=unresolved,
        suggestions={text: places.suggestions.get(text, []) for text in unresolved},
        scopes={str(k): int(v) for k, v in waves["scope"].value_counts().items()},
        notes=[str(note) for note in notes],
        note_messages=[note.to_dict() for note in notes],
    )
    return ImportResult(events=events_frame, event_regions=regions_frame, report=report)
