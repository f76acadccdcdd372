"""A user's own rows for the curated talks and strikes tables, merged with the bundled ones.

A table in the bundled columns (``data/talks.csv``, ``data/strikes.csv``; templates in
``docs/templates/``) imported with ``oblastwatch import`` or on the Data page is checked like
the bundled tables (a source URL on every row, valid dates, unique ids) and, in addition, may
not reuse an id of the bundled table or of the user's other tables of that kind
(:func:`taken_ids`). When the data loads, its rows join the bundled table of their kind
(:func:`merge_into_bundled`): ``events.source`` is the bundled table's name, so the filters,
the timeline's coverage notes and the talks study treat them as one list, and the Data page
says how many rows each of the user's tables added.

An id can still clash at load time when a newer oblastwatch ships a row with an id the user
took; such rows are left out with a notice naming them, never loaded twice.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from oblastwatch.i18n import Message
from oblastwatch.importers.curated import FORMAT_STRIKES, FORMAT_TALKS
from oblastwatch.storage.bundled import STRIKES_SOURCE, TALKS_SOURCE
from oblastwatch.storage.dataset import Dataset
from oblastwatch.storage.dataset_dir import is_dataset_dir
from oblastwatch.storage.files import EVENTS_FILE, REPORT_FILE, read_json
from oblastwatch.storage.imported import imported_datasets

# The bundled table each curated format (as ``--format`` names it) merges into, and the
# format as an import report names it.
TABLE_OF_FORMAT: Mapping[str, str] = {"talks": TALKS_SOURCE, "strikes": STRIKES_SOURCE}
FORMAT_OF_REPORT: Mapping[str, str] = {FORMAT_TALKS: "talks", FORMAT_STRIKES: "strikes"}
_SHOWN_IDS = 5


def template_csv(fmt: str) -> str:
    """The header line of the bundled ``fmt`` table (talks or strikes): an empty table to fill.

    >>> template_csv("talks").startswith("event_id,start_date,end_date,kind,")
    True
    """
    from oblastwatch.domain import resources

    path = {"talks": resources.TALKS_PATH, "strikes": resources.STRIKES_PATH}[fmt]
    with path.open(encoding="utf-8") as table:
        return table.readline().rstrip("\r\n") + "\n"


def row_ids(event_ids: pd.Series, source_name: str, fmt: str) -> pd.Series:
    """The table's own id of each event (``E054``, ``RUA-054``), from the importer's event ids.

    The curated importer names events ``<source>:<id>`` (talks) and ``<source>:<id>/drones``
    or ``/missiles`` (strikes).

    >>> row_ids(pd.Series(["x:RUA-1/drones", "x:RUA-1/missiles"]), "x", "strikes").tolist()
    ['RUA-1', 'RUA-1']
    """
    own = event_ids.astype("string").str.slice(len(source_name) + 1)
    if fmt == "strikes":
        own = own.str.replace(r"/(drones|missiles)$", "", regex=True)
    return own


def taken_ids(
    root: Path | None = None, *, except_dataset: str | None = None
) -> dict[str, dict[str, str]]:
    """Per curated format, the ids in use and where: the bundled table and the user's tables.

    ``root`` is the data directory (default: the user's); the dataset ``except_dataset`` (the
    one being replaced by this import) does not count.
    """
    from oblastwatch.storage.bundled import load_bundled

    bundled = load_bundled().events
    taken: dict[str, dict[str, str]] = {}
    for fmt, table in TABLE_OF_FORMAT.items():
        ids = row_ids(bundled.loc[bundled["source"] == table, "event_id"], table, fmt)
        taken[fmt] = dict.fromkeys(ids.dropna().unique().tolist(), f"the bundled {fmt} table")
    for directory in imported_datasets(root):
        if directory.name == except_dataset or not is_dataset_dir(directory):
            continue
        try:
            report = read_json(directory / REPORT_FILE)
            fmt = FORMAT_OF_REPORT.get(str(report.get("format")), "")
            if not fmt:
                continue
            events = pd.read_parquet(directory / EVENTS_FILE, columns=["event_id"])
        except (OSError, ValueError):
            continue  # an unreadable dataset is reported when the data loads
        ids = row_ids(events["event_id"], str(report.get("source_name")), fmt)
        for ident in ids.dropna().unique().tolist():
            taken[fmt].setdefault(ident, f"your table '{directory.name}'")
    return taken


def merge_into_bundled(parts: list[Dataset]) -> tuple[list[Dataset], tuple[Message, ...]]:
    """``parts`` (the bundled dataset first) with each user curated table joined to its table.

    Returns the parts and one notice per user table whose rows had to be left out because
    their ids are taken by then (see the module doc).
    """
    bundled, *others = parts
    bundled_events = bundled.events
    used = {
        fmt: set(row_ids(bundled_events.loc[bundled_events["source"] == t, "event_id"], t, fmt))
        for fmt, t in TABLE_OF_FORMAT.items()
    }
    sources = bundled.sources.copy()
    merged: list[Dataset] = [bundled]
    notices: list[Message] = []
    for part in others:
        fmt, report_name = _curated_format(part)
        if fmt is None:
            merged.append(part)
            continue
        label = str(part.sources["name"].iloc[0])
        table = TABLE_OF_FORMAT[fmt]
        # Loaded events carry the dataset's name in front: "<label>/<source>:<id>".
        unprefixed = part.events["event_id"].astype("string").str.slice(len(label) + 1)
        ids = row_ids(unprefixed, report_name, fmt)
        clash = ids.isin(used[fmt]).to_numpy(bool)
        if clash.any():
            notices.append(_clash_notice(label, fmt, ids[clash].unique().tolist()))
        used[fmt].update(ids[~clash].tolist())
        events = part.events.loc[~clash].copy()
        events["source"] = pd.Series(table, index=events.index, dtype="string")
        kept = set(events["event_id"].tolist())
        regions = part.event_regions.loc[part.event_regions["event_id"].isin(kept)]
        rows = int(ids[~clash].nunique())
        sources = _added_to(sources, table, events, label, rows)
        merged.append(replace(part, events=events, event_regions=regions, sources=sources[:0]))
    merged[0] = replace(bundled, sources=sources)
    return merged, tuple(notices)


def _curated_format(part: Dataset) -> tuple[str | None, str]:
    """The curated format of an imported part and its import's source name, else (None, "")."""
    if len(part.sources) != 1 or part.sources["kind"].iloc[0] == "bundled":
        return None, ""
    label = str(part.sources["name"].iloc[0])
    report = part.reports.get(label)
    if report is None or report.format not in FORMAT_OF_REPORT:
        return None, ""
    return FORMAT_OF_REPORT[report.format], report.source_name


def _added_to(
    sources: pd.DataFrame, table: str, events: pd.DataFrame, label: str, rows: int
) -> pd.DataFrame:
    """``sources`` with the bundled ``table``'s row grown by a user table's ``events``."""
    at = np.flatnonzero(sources["name"].eq(table).to_numpy(bool))
    if not len(at) or not len(events):
        return sources
    sources = sources.copy()
    index = sources.index[at[0]]
    dates = pd.to_datetime(events["date"])
    sources.loc[index, "rows"] = int(sources.loc[index, "rows"]) + len(events)
    sources.loc[index, "start"] = min(sources.loc[index, "start"], dates.min())
    sources.loc[index, "end"] = max(sources.loc[index, "end"], dates.max())
    added = f"; with {rows:,} {'row' if rows == 1 else 'rows'} added from your table '{label}'"
    sources.loc[index, "description"] = f"{sources.loc[index, 'description']}{added}"
    return sources


def _clash_notice(label: str, fmt: str, ids: Iterable[str]) -> Message:
    shown = sorted(str(i) for i in ids)
    listed: Message | str = ", ".join(shown[:_SHOWN_IDS])
    if len(shown) > _SHOWN_IDS:
        listed = Message("{ids} and more", {"ids": listed})
    return Message(
        "Your {format} table '{label}' repeats ids now in the bundled table or an earlier table "
        "({ids}); those rows are not shown. Give them new ids and import the table again.",
        {"format": fmt, "label": label, "ids": listed},
    )
