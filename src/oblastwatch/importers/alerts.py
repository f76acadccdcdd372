"""Air-raid alerts: the files of the public sirens dataset (Vadimkin/ukrainian-air-raid-sirens-dataset).

Two shapes, in English (``*_en.csv``) or Ukrainian (``*_uk.csv``) names, all times UTC:

* official (``official_data_*.csv``): ``oblast, raion, hromada, level, started_at,
  finished_at, source``; ``level`` says which of the three the alert was announced for.
* volunteer (``volunteer_data_*.csv``): ``region, started_at, finished_at, naive``; kept per
  oblast, and ``naive`` is ``True`` where no end-of-alert message was seen and the source set
  the end to start + 30 minutes.

Decisions:

* **Where.** An alert counts for the oblast it belongs to, whatever its level ("any part of
  the oblast under alert", docs/alerts.md). The oblast column is read as a region name
  (``Kyiv City`` / ``м. Київ`` is UA-30, not Kyiv oblast). A row whose oblast column is not a
  region but whose raion column is (the file has one such row, the two columns swapped) is
  placed by the raion column and the notes say so. A row that still has no region is placed
  through the gazetteer by its raion, then its hromada ("m. Nikopol ta Nikopolska terytorialna
  hromada" is the city of Nikopol); what that cannot place is rejected and its texts are
  listed as unresolved.
* **When.** ``started_at`` and ``finished_at`` are instants (an offset, or UTC when none is
  given). A blank, unreadable or implausible time, or an end not after the start, rejects the
  row naming the column.
* **Imputed ends.** ``naive=True`` rows are kept with ``imputed_end`` set; the notes count
  them and the alert hours report how many hours rest on them alone.
* Every row read is either an alert or a rejected row (``rows_in = imported + rejected``).
  Alerts carry no events: the result's ``events`` and ``event_regions`` are empty.
"""

from __future__ import annotations

import re
from os import PathLike

import numpy as np
import pandas as pd

from oblastwatch.domain import alerts as alert_model
from oblastwatch.domain import model
from oblastwatch.i18n import Message, plural_message
from oblastwatch.importers.dates import reject_implausible
from oblastwatch.importers.report import (
    ImportReport,
    ImportResult,
    PlaceLookup,
    RejectCollector,
    UnusableInput,
)

FORMAT = "alerts"
OFFICIAL_COLUMNS = frozenset({"oblast", "raion", "hromada", "level", "started_at", "finished_at"})
VOLUNTEER_COLUMNS = frozenset({"region", "started_at", "finished_at", "naive"})
HEADER_SIGNATURE = (OFFICIAL_COLUMNS, VOLUNTEER_COLUMNS)

_OFFICIAL_LEVELS = ("oblast", "raion", "hromada")
_TRUE, _FALSE = frozenset({"true", "1", "yes"}), frozenset({"false", "0", "no"})
# "m. Nikopol ta Nikopolska terytorialna hromada" / "м. Нікополь та Нікопольська ...": the city.
_CITY_HROMADA = re.compile(r"^(?:m|м)\.\s*(?P<city>.+?)\s+(?:ta|та)\s+", re.IGNORECASE)
_MAX_NOTE_ROWS = 10


def parse(frame: pd.DataFrame, *, source_name: str, path: str | PathLike[str]) -> ImportResult:
    """The alerts of one sirens-dataset file (``frame``: all strings, lower-case header)."""
    columns = set(frame.columns)
    official = columns >= OFFICIAL_COLUMNS
    if not official and not columns >= VOLUNTEER_COLUMNS:
        missing = sorted(VOLUNTEER_COLUMNS - columns)
        raise UnusableInput(path, Message("missing required column for alerts"), column=missing[0])
    rejects = RejectCollector.for_frame(frame)
    places = PlaceLookup()
    notes: list[Message] = []

    def text(name: str) -> pd.Series:
        return frame[name].astype("string").str.strip().fillna("")

    if official:
        region, placed_notes = _official_regions(
            text("oblast"), text("raion"), text("hromada"), rejects, places
        )
        level = _official_levels(text("level"), text("raion"), text("hromada"), rejects)
        notes.extend(placed_notes)
        imputed = np.zeros(len(frame), dtype=bool)
    else:
        region = _region_codes(text("region"), rejects, places, column="region")
        level = pd.Series("unspecified", index=frame.index, dtype="string")
        imputed = _naive_flags(text("naive"), rejects)
    start = _instants(text("started_at"), rejects, "started_at")
    end = _instants(text("finished_at"), rejects, "finished_at")
    ends_first = (end <= start).to_numpy(dtype=bool, na_value=False)
    rejects.reject(
        pd.Series(ends_first, index=frame.index),
        "finished_at",
        Message("is not after started_at"),
    )

    kept = rejects.accepted.to_numpy()
    alerts = pd.DataFrame(
        {
            "source": pd.Series(source_name, index=frame.index, dtype="string"),
            "source_row": frame.index.to_numpy(dtype=np.int64),
            "region_code": region,
            "level": level,
            "start": start,
            "end": end,
            "imputed_end": imputed,
        }
    )[kept]
    alerts = alert_model.conform_alerts(alerts)
    notes.extend(_summary_notes(alerts, official))
    report = ImportReport(
        source_name=source_name,
        path=str(path),
        format=FORMAT,
        rows_in=len(frame),
        rows_imported=len(alerts),
        rows_rejected=len(rejects),
        rejected=rejects.records(),
        unresolved={t: int(c) for t, c in places.unresolved.most_common()},
        suggestions={t: places.suggestions.get(t, []) for t in places.unresolved},
        notes=[str(note) for note in notes],
        note_messages=[note.to_dict() for note in notes],
    )
    return ImportResult(
        events=model.empty_events(),
        event_regions=model.empty_event_regions(),
        report=report,
        alerts=alerts,
    )


def _region_codes(
    names: pd.Series, rejects: RejectCollector, places: PlaceLookup, *, column: str
) -> pd.Series:
    """The region code of each name (``<NA>`` where none), unplaced rows rejected."""
    codes = _resolved(names)
    blank = names.eq("").to_numpy()
    rejects.reject(pd.Series(blank, index=names.index), column, Message("blank region"))
    unknown = codes.isna().to_numpy() & ~blank
    if unknown.any():
        _reject_quoting(
            rejects, unknown, column, names, Message("'{value}' is not one of Ukraine's 27 regions")
        )
        for name, count in names[unknown].value_counts().items():
            places.note_unresolved(str(name), int(count))
    return codes


def _resolved(names: pd.Series) -> pd.Series:
    """Region code per name through ``regions.resolve``, once per distinct name."""
    from oblastwatch.domain.regions import resolve

    codes, uniques = pd.factorize(names)
    by_name = np.array([resolve(str(name)).code for name in uniques] + [None], dtype=object)
    return pd.Series(by_name[codes], index=names.index, dtype="string")


def _official_regions(
    oblast: pd.Series,
    raion: pd.Series,
    hromada: pd.Series,
    rejects: RejectCollector,
    places: PlaceLookup,
) -> tuple[pd.Series, list[Message]]:
    """Region codes for the official shape, with notes on rows not placed by their oblast."""
    codes = _resolved(oblast)
    notes: list[Message] = []
    missing = codes.isna().to_numpy()
    if not missing.any():
        return codes, notes
    by_raion = _resolved(raion)
    swapped = missing & by_raion.notna().to_numpy()
    if swapped.any():
        codes[swapped] = by_raion[swapped]
        rows = _rows_text(oblast.index[swapped])
        notes.append(
            Message(
                "oblast and raion columns swapped: {count} whose oblast column is not a region "
                "but whose raion column is, placed by the raion column (rows {rows})",
                {"count": _count_rows(int(swapped.sum())), "rows": rows},
            )
        )
    rest = codes.isna().to_numpy()
    by_place = _gazetteer_regions(raion[rest], hromada[rest])
    placed = by_place.notna().to_numpy()
    if placed.any():
        where = np.flatnonzero(rest)[placed]
        codes.iloc[where] = by_place[placed].to_numpy()
        rows = _rows_text(oblast.index[where])
        notes.append(
            Message(
                "placed by the gazetteer: {count} whose oblast column is blank or not a region, "
                "placed by their raion or hromada (rows {rows})",
                {"count": _count_rows(int(placed.sum())), "rows": rows},
            )
        )
    unplaced = codes.isna().to_numpy()
    if unplaced.any():
        rejects.reject(
            pd.Series(unplaced, index=oblast.index),
            "oblast",
            Message(
                "'{oblast}' is not a region, and the gazetteer cannot place raion '{raion}' "
                "or hromada '{hromada}'"
            ),
            oblast=oblast.str.slice(0, 80),
            raion=raion.str.slice(0, 80),
            hromada=hromada.str.slice(0, 80),
        )
        for texts in (oblast, raion, hromada):
            named = texts[unplaced]
            for name, count in named[named.ne("")].value_counts().items():
                places.note_unresolved(str(name), int(count))
    return codes, notes


def _gazetteer_regions(raion: pd.Series, hromada: pd.Series) -> pd.Series:
    """The region the gazetteer places each (raion, hromada) in: raion first, then hromada."""
    from oblastwatch.domain.gazetteer import settlement_region

    def place(name: str) -> str | None:
        if not name:
            return None
        city = _CITY_HROMADA.match(name)
        return settlement_region(city["city"] if city else name)

    # Once per distinct (raion, hromada): a file of a million such rows names a few hundred.
    pairs = pd.MultiIndex.from_arrays([raion.to_numpy(), hromada.to_numpy()])
    codes, uniques = pd.factorize(pairs)
    found = np.array([place(r) or place(h) for r, h in uniques] + [None], dtype=object)
    return pd.Series(found[codes], index=raion.index, dtype="string")


def _official_levels(
    level: pd.Series, raion: pd.Series, hromada: pd.Series, rejects: RejectCollector
) -> pd.Series:
    """The announced level, lower-case; blank: the narrowest name column that is filled."""
    level = level.str.lower()
    inferred = np.where(hromada.ne(""), "hromada", np.where(raion.ne(""), "raion", "oblast"))
    level = level.mask(level.eq(""), pd.Series(inferred, index=level.index, dtype="string"))
    unknown = ~level.isin(_OFFICIAL_LEVELS).to_numpy()
    _reject_quoting(
        rejects, unknown, "level", level, Message("'{value}' is not oblast, raion or hromada")
    )
    return level


def _naive_flags(naive: pd.Series, rejects: RejectCollector) -> np.ndarray:
    folded = naive.str.lower()
    true = folded.isin(_TRUE).to_numpy()
    false = folded.isin(_FALSE).to_numpy()
    _reject_quoting(
        rejects, ~(true | false), "naive", naive, Message("'{value}' is not True or False")
    )
    return true


def _instants(text: pd.Series, rejects: RejectCollector, column: str) -> pd.Series:
    """UTC instants of ``text`` (ISO 8601; UTC when no offset is given); bad rows rejected."""
    blank = text.eq("").to_numpy()
    rejects.reject(
        pd.Series(blank, index=text.index), column, Message("blank {column}", {"column": column})
    )
    parsed = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
    unreadable = parsed.isna().to_numpy() & ~blank
    expected = Message("'{value}' is not a date and time (expected 2024-03-31 01:30:00+00:00)")
    _reject_quoting(rejects, unreadable, column, text, expected)
    return reject_implausible(parsed.dt.as_unit("us"), text, rejects, column=column)


def _reject_quoting(
    rejects: RejectCollector, bad: np.ndarray, column: str, text: pd.Series, problem: Message
) -> None:
    """Reject the ``bad`` rows with ``problem`` quoting their text as ``{value}``."""
    if not bad.any():
        return
    rejects.reject(pd.Series(bad, index=text.index), column, problem, value=text.str.slice(0, 80))


def _summary_notes(alerts: pd.DataFrame, official: bool) -> list[Message]:
    shape = (
        Message("official (oblast, raion, hromada)")
        if official
        else Message("volunteer (per oblast)")
    )
    levels = alerts["level"].value_counts()
    counted = ", ".join(f"{level} {int(levels[level])}" for level in levels.index)
    notes = [
        Message(
            "sirens dataset, {shape} file: alerts by level: {counted}",
            {"shape": shape, "counted": counted or Message("none")},
        )
    ]
    imputed = int(alerts["imputed_end"].sum())
    if imputed:
        notes.append(
            plural_message(
                "imputed end times: {count} alert has naive=True (no end-of-alert message; the "
                "source set the end to start + 30 minutes); the hours they alone cover are "
                "reported as imputed_hours, not trusted silently",
                "imputed end times: {count} alerts have naive=True (no end-of-alert message; "
                "the source set the end to start + 30 minutes); the hours they alone cover are "
                "reported as imputed_hours, not trusted silently",
                imputed,
                {"count": imputed},
            )
        )
    return notes


def _count_rows(n: int) -> Message:
    return plural_message("{count:,} row", "{count:,} rows", n, {"count": n})


def _rows_text(rows: pd.Index) -> Message | str:
    """The first rows of ``rows`` for a note: ``17``, ``3, 9, 12 and 40 more``."""
    shown = ", ".join(str(int(r)) for r in rows[:_MAX_NOTE_ROWS])
    more = len(rows) - _MAX_NOTE_ROWS
    if more > 0:
        return Message("{shown} and {more} more", {"shown": shown, "more": more})
    return shown
