"""The files of a saved dataset and of the bundled tables' cache: names, format, encoding.

A saved dataset is a directory holding ``events.parquet``, ``event_regions.parquet``,
``alerts.parquet`` (air-raid alerts; format 3 on, empty unless the file imported was an
alerts file), ``report.json`` (the import report) and ``meta.json`` (name, licence, origin, when it was
saved, the model's ``schema_version``, the store ``format``). The store format
(:data:`STORE_FORMAT`) says what the files mean; :mod:`oblastwatch.storage.upgrade` brings an
older one up to date. The tables are written with pyarrow directly, the way that is fastest
for them (:func:`write_parquet`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from oblastwatch.domain import model
from oblastwatch.storage import atomic

EVENTS_FILE = "events.parquet"
EVENT_REGIONS_FILE = "event_regions.parquet"
ALERTS_FILE = "alerts.parquet"
REPORT_FILE = "report.json"
META_FILE = "meta.json"
# What a saved dataset's files mean, recorded in meta.json as "format". 2: region codes follow
# ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77); 1 had the two swapped. 3: a dataset also
# holds alerts.parquet (air-raid alerts, oblastwatch.domain.alerts); 2 had none. Bump it
# whenever saved files change meaning, with a step in oblastwatch.storage.migrations.STEPS.
STORE_FORMAT = 3


def is_canonical(events: pd.DataFrame, event_regions: pd.DataFrame) -> bool:
    """True when both tables have exactly the canonical columns, in order, and dtypes."""
    return _dtypes(events) == _CANONICAL_EVENTS and _dtypes(event_regions) == _CANONICAL_REGIONS


def _dtypes(frame: pd.DataFrame) -> list[tuple[str, str]]:
    return [(str(c), str(t)) for c, t in frame.dtypes.items()]


_CANONICAL_EVENTS = _dtypes(model.empty_events())
_CANONICAL_REGIONS = _dtypes(model.empty_event_regions())


# Columns whose values are (nearly) all distinct, in both tables: a dictionary of them is as
# long as the column, and writing them plain is faster and smaller. Every other column
# repeats few values and is dictionary-encoded (without dictionaries, the files of a million
# events are nearly twice as large).
_PLAIN_COLUMNS = frozenset({"event_id", "source_row"})


def arrow_table(frame: pd.DataFrame) -> pa.Table:
    """``frame`` as an Arrow table, without its index, ready for :func:`write_parquet`."""
    # pyarrow directly: what DataFrame.to_parquet does, without its ~8 ms fixed cost per file.
    # One conversion thread: the thread pool costs more than it saves below ~100k rows.
    threads = 1 if len(frame) < 100_000 else None
    return pa.Table.from_pandas(frame, preserve_index=False, nthreads=threads)


def write_parquet(path: Path, table: pa.Table, *, sync: bool = True) -> None:
    """Write ``table`` as the Parquet file ``path`` in a staging directory.

    ``sync``: on disk before this returns (:func:`oblastwatch.storage.atomic.write_synced`).
    """
    # Encoded into memory and written with one call: a Python file object would be called
    # back, with the GIL, page by page. No column statistics: nothing reads them (readers
    # load whole files), and they cost a sixth (10,000 events) to a third (a million) of the
    # encoding time.
    encoded = pa.BufferOutputStream()
    dictionary = [name for name in table.column_names if name not in _PLAIN_COLUMNS]
    pq.write_table(table, encoded, use_dictionary=dictionary, write_statistics=False)
    atomic.write_synced(path, encoded.getvalue(), sync=sync)


def write_documents(directory: Path, documents: Mapping[str, Mapping[str, Any]]) -> None:
    """Write each JSON document (file name -> data) into ``directory``, in order."""
    for name, data in documents.items():
        write_json(directory / name, data)


def write_json(path: Path, data: Mapping[str, Any], *, sync: bool = True) -> None:
    """Write ``data`` as the indented UTF-8 JSON file ``path`` in a staging directory.

    ``sync``: on disk before this returns (:func:`oblastwatch.storage.atomic.write_synced`).
    """
    text = json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    atomic.write_synced(path, text.encode("utf-8"), sync=sync)


def read_json(path: Path) -> dict[str, Any]:
    """The JSON object in ``path``; ``ValueError`` when it holds anything else."""
    with path.open(encoding="utf-8") as handle:
        data = json.load(handle)
    if not isinstance(data, dict):
        raise ValueError(f"{path.name} does not hold a JSON object")
    return data
