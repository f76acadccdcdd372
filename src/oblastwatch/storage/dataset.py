"""A loaded dataset: its tables, the ``sources`` table, their checks and their union.

Tables are checked against the model (:func:`oblastwatch.domain.model.check_events`, the rules
of the pandera schemas, vectorised) by :func:`validated`. :func:`union` puts the tables of
several datasets together; when each was checked on its own, only event ids unique across them
are left to check.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oblastwatch.domain import model
from oblastwatch.domain.alerts import empty_alerts
from oblastwatch.domain.rules import KYIV_TZ
from oblastwatch.i18n import Message, verbatim
from oblastwatch.importers.report import ImportReport

BUNDLED = "bundled"
IMPORTED = "imported"

SOURCES_COLUMNS = ("name", "kind", "path", "rows", "start", "end", "licence", "description")
SOURCES_DTYPES = {
    "name": "string",
    "kind": "string",
    "path": "string",
    "rows": "Int64",
    "start": "datetime64[ns]",
    "end": "datetime64[ns]",
    "licence": "string",
    "description": "string",
}


def invalid_tables(directory: object, error: object) -> Message:
    """The error of tables that fail the check (the check's own words as written)."""
    return Message(
        "{directory}: invalid tables: {error}",
        {"directory": str(directory), "error": one_line(error)},
    )


class StoreError(Exception):
    """A dataset that cannot be saved or loaded; ``str()`` is one line naming the directory.

    ``message`` is the same line as a :class:`~oblastwatch.i18n.Message`, for a page to show
    in its language (a plain text is kept as written).
    """

    def __init__(self, message: Message | str) -> None:
        self.message = message if isinstance(message, Message) else verbatim(message)
        super().__init__(str(self.message))


@dataclass(frozen=True, eq=False)
class Dataset:
    """Events, their regions, one ``sources`` row per loaded dataset, and the import reports.

    ``sources`` columns: name (= ``events.source`` and ``alerts.source``), kind
    (bundled|imported), path, rows (events and alerts in the dataset), start and end (first and
    last event date, or Kyiv day of an alert), licence, description. ``reports`` maps a source
    name to its :class:`ImportReport`. ``notices`` are one-line messages for the user about
    this load: datasets brought up from an older store format. ``alerts``: the air-raid alerts
    (:mod:`oblastwatch.domain.alerts`) of every dataset.
    """

    events: pd.DataFrame
    event_regions: pd.DataFrame
    sources: pd.DataFrame
    reports: Mapping[str, ImportReport] = field(default_factory=dict)
    notices: tuple[Message, ...] = ()
    alerts: pd.DataFrame = field(default_factory=empty_alerts)


def validated(
    directory: Path, events: pd.DataFrame, event_regions: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Both tables conformed and checked against the model, every region row's event known."""
    try:
        events = model.check_events(events)
        event_regions = model.check_event_regions(event_regions)
    except model.TableError as error:
        raise StoreError(invalid_tables(directory, error)) from error
    # Arrow's hash lookup: pandas' isin on Arrow strings loops in Python (7 s at 1.7M rows).
    known = pc.is_in(
        model.arrow_strings(event_regions["event_id"]),
        value_set=model.arrow_strings(events["event_id"]),
    )
    orphans = ~known.to_numpy(zero_copy_only=False)
    if orphans.any():
        first = event_regions["event_id"].iloc[int(np.flatnonzero(orphans)[0])]
        raise StoreError(
            Message(
                "{directory}: event_regions row for unknown event_id {event_id}",
                {"directory": str(directory), "event_id": first},
            )
        )
    return events, event_regions


def union(
    events: list[pd.DataFrame],
    regions: list[pd.DataFrame],
    *,
    where: Path,
    checked: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables concatenated and checked.

    When every part was ``checked`` on its own (its region rows point into its own events),
    only event ids unique across parts are left to check.
    """
    all_events = concat([model.conform_events(e) for e in events], model.empty_events())
    all_regions = concat(
        [model.conform_event_regions(r) for r in regions], model.empty_event_regions()
    )
    if not checked:
        return validated(where, all_events, all_regions)
    repeated = _id_in_two_parts([e["event_id"] for e in events])
    if repeated is not None:
        row = int(np.flatnonzero(all_events["event_id"].eq(repeated).to_numpy())[1])
        raise StoreError(
            Message(
                "{directory}: invalid tables: events row {row}, column event_id: {event_id} "
                "repeats an earlier dataset's event_id",
                {"directory": str(where), "row": row, "event_id": repr(repeated)},
            )
        )
    return all_events, all_regions


def _id_in_two_parts(parts: list[pd.Series]) -> str | None:
    """An id found in two of ``parts`` (each free of repeats on its own), or None.

    Smallest parts first, each probed against a hash set of the ids before it: the largest
    dataset is only probed, never hashed into a set (30 ms per million ids, not 0.5 s).
    """
    seen: list[pa.Array] = []
    for part in sorted(parts, key=len):
        ids = model.arrow_strings(part)
        if seen:
            found = pc.is_in(ids, value_set=pa.concat_arrays(seen))
            if pc.any(found).as_py():
                return str(ids.filter(found)[0])
        seen.append(ids)
    return None


def concat(frames: list[pd.DataFrame], empty: pd.DataFrame) -> pd.DataFrame:
    """The non-empty ``frames`` concatenated, or ``empty`` when there are none.

    Columns held by pyarrow come out as one chunk each (:func:`single_chunk`).
    """
    frames = [f for f in frames if len(f)]
    if not frames:
        return empty
    return single_chunk(pd.concat(frames, ignore_index=True))


def single_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with each pyarrow-held column in one chunk (the same frame, columns replaced).

    A parquet file reads as one chunk per row group and a concatenation keeps every part's
    chunks. Taking rows from a column of many chunks passes over all of them: the newest 500
    events of a region took 35 ms at a million events in 10 chunks, against under 1 ms from one
    chunk, on every rerun of a page with a region selected (docs/performance.md).
    """
    for name in frame.columns:
        array = frame[name].array
        if not isinstance(array, pd.arrays.ArrowExtensionArray):
            continue
        chunked = array.__arrow_array__()
        if chunked.num_chunks > 1:
            joined = type(array)(pa.chunked_array([chunked.combine_chunks()]))
            frame[name] = pd.Series(joined, index=frame.index, name=name)
    return frame


def sources_row(
    name: str,
    kind: str,
    path: Path,
    events: pd.DataFrame,
    licence: str | None,
    description: str | None,
    alerts: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The one-row ``sources`` table of a dataset ``name`` holding ``events`` and ``alerts``."""
    dates = pd.to_datetime(events["date"])
    if alerts is not None and len(alerts):
        # The Kyiv days of the first start and of the last moment under alert (end exclusive).
        ends = pd.Series([alerts["start"].min(), alerts["end"].max() - pd.Timedelta(1, "ns")])
        local = ends.dt.tz_convert(KYIV_TZ).dt.tz_localize(None).dt.normalize()
        dates = pd.concat([dates, local.astype("datetime64[ns]")], ignore_index=True)
    row = {
        "name": name,
        "kind": kind,
        "path": str(path),
        "rows": len(events) + (0 if alerts is None else len(alerts)),
        "start": dates.min() if len(dates) else pd.NaT,
        "end": dates.max() if len(dates) else pd.NaT,
        "licence": licence,
        "description": description,
    }
    return pd.DataFrame([row], columns=list(SOURCES_COLUMNS)).astype(SOURCES_DTYPES)


def empty_sources() -> pd.DataFrame:
    """A ``sources`` table without rows."""
    return pd.DataFrame({c: pd.Series(dtype=SOURCES_DTYPES[c]) for c in SOURCES_COLUMNS})


def one_line(error: object) -> str:
    """``error``'s text on one line, at most 300 characters, for a :class:`StoreError`."""
    return " ".join(str(error).split())[:300]
