"""The prepared index of the loaded data, kept on disk between app starts.

Building :class:`~oblastwatch.query.index.PreparedEvents` means reading every dataset's frames
and sorting them (about 0.8 s + 1.9 s at a million events), yet the first page of the app
(the map, the sidebar, the timeline) needs only the index's integer arrays. So the index is
saved as one ``.npy`` file per array, plus a ``meta.json`` and the small table of diplomatic
events, in ``<cache dir>/index-<key>/`` (113 MB at a million events). A start maps those files
read-only (``np.load(mmap_mode="r")``), so it reads only the pages the first views touch: the
per-day tables, not the per-event arrays. The frames are read only when a view shows event
rows. Mapping is safe against cleanup: indexes are never rewritten in place, and a removed
file stays readable while mapped.

The key is a SHA-256 of :data:`INDEX_FORMAT`, the :func:`data_fingerprint` (path, size and
mtime of every file behind the data: the bundled CSV files and the user data directory) and
the package's source code, so an import, a removal, an edited bundled table or a new version
of the code each get a new index. Saves are atomic (staging directory, then rename); any
problem reading an index (missing, truncated, from another format) means it is built again.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oblastwatch.domain import resources
from oblastwatch.query.build import prepare
from oblastwatch.query.index import PreparedEvents, StrikeTable
from oblastwatch.storage import cache, paths
from oblastwatch.storage.dataset import Dataset

# 2: region codes follow ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77); an index of
# format 1 counts each of the two oblasts' events under the other's code.
# 3: the daily table leaves a weapon group's count NaN when its rows all leave it blank (it
# was 0), the rule the event study reads from the same table.
# 4: the index carries the air-raid alerts (hours per Kyiv day and region, merged intervals).
INDEX_FORMAT = 4
_KIND = "index"
_META = "meta.json"
_DIPLOMATIC = "diplomatic.parquet"
# Event ids at this many evenly spaced rows are kept to check, when the frames are read later,
# that they are the frames the index was built from.
_ID_SAMPLE = 32

Fingerprint = tuple[str, tuple[tuple[str, int, int], ...]]


class IndexMismatch(RuntimeError):
    """The frames read for an index are not the ones it was built from (data changed)."""


def data_fingerprint() -> Fingerprint:
    """The user data directory, and (path, size, mtime) of every file behind the loaded data.

    The files are the bundled tables and everything in the data directory. Changes on import
    or removal.
    """
    directory = paths.user_data_dir()
    entries: list[tuple[str, int, int]] = []
    for path in (resources.TALKS_PATH, resources.STRIKES_PATH):
        try:
            info = path.stat()
        except OSError:  # load_bundled reports it
            continue
        entries.append((f"<bundled>/{path.name}", info.st_size, info.st_mtime_ns))
    if directory.is_dir():
        for root, _dirs, files in os.walk(directory):
            for name in files:
                path = Path(root, name)
                try:
                    info = path.stat()
                except OSError:  # removed while we walked
                    continue
                entries.append((str(path.relative_to(directory)), info.st_size, info.st_mtime_ns))
    return (str(directory), tuple(sorted(entries)))


def prepared_events(
    fingerprint: Fingerprint, load_dataset: Callable[[], Dataset]
) -> PreparedEvents:
    """The index of the data behind ``fingerprint``, from the cache or built and saved.

    Read from the cache when it is there, otherwise built from ``load_dataset()`` and saved.
    ``load_dataset`` is also what reads the frames later, when a view needs event rows.
    """
    key = index_key(fingerprint)
    loaded = load_index(key, lambda: load_dataset().events)
    if loaded is not None:
        return loaded
    dataset = load_dataset()
    prepared = prepare(dataset.events, dataset.event_regions, dataset.alerts)
    save_index(prepared, key)
    return prepared


def index_key(fingerprint: Fingerprint) -> str:
    """The cache key of the index of ``fingerprint``'s data, built by this code (32 hex digits)."""
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{fingerprint!r}".encode())
    digest.update(cache.code_digest())  # any code of the package can change the index
    return digest.hexdigest()[:32]


def index_dir(key: str) -> Path:
    """The cache directory of the index saved under ``key``."""
    return cache.cache_dir() / f"{_KIND}-{key}"


# --- saving --------------------------------------------------------------------------------


def save_index(prepared: PreparedEvents, key: str) -> Path | None:
    """Publish ``prepared`` under ``key`` (:func:`oblastwatch.storage.cache.publish`).

    None when the cache is not writable (the app then simply builds the index on its next start
    too).
    """

    def write(staging: Path) -> None:
        arrays = _arrays(prepared)
        for name, array in arrays.items():
            np.save(staging / f"{name}.npy", array, allow_pickle=False)
        prepared.diplomatic.to_parquet(staging / _DIPLOMATIC)
        meta = {
            "format": INDEX_FORMAT,
            "key": key,
            "arrays": sorted(arrays),
            "first_day": prepared.first_day,
            "alert_first_day": prepared.alert_first_day,
            "sources": list(prepared.sources),
            "id_sample": _id_sample(prepared.input_events),
        }
        (staging / _META).write_text(json.dumps(meta), encoding="utf-8")

    target = index_dir(key)
    if not cache.publish(target, write):
        return None
    cache.prune(target, _KIND)
    return target


def _arrays(p: PreparedEvents) -> dict[str, np.ndarray]:
    """Every array of the index by file name: ``day``, ``strikes.pos``, ``cumulative.hits``..."""
    out: dict[str, np.ndarray] = {}
    for f in fields(p):
        value = getattr(p, f.name)
        if isinstance(value, np.ndarray):
            out[f.name] = value
    for f in fields(p.strikes):
        out[f"strikes.{f.name}"] = getattr(p.strikes, f.name)
    for name, value in p.cumulative.items():
        out[f"cumulative.{name}"] = value
    return out


def _id_sample(events: pd.DataFrame) -> dict[str, Any]:
    rows = _sample_rows(len(events))
    return {
        "rows": len(events),
        "ids": [str(v) for v in events["event_id"].iloc[rows].astype("string").fillna("")],
    }


def _sample_rows(n: int) -> list[int]:
    return sorted({int(i) for i in np.linspace(0, n - 1, _ID_SAMPLE)}) if n else []


# --- loading -------------------------------------------------------------------------------


def load_index(key: str, load_events: Callable[[], pd.DataFrame]) -> PreparedEvents | None:
    """The index saved under ``key``, or None when there is none or it cannot be read.

    ``load_events`` gives the frames on first use; they are checked against the index (row
    count and a sample of event ids) and :class:`IndexMismatch` is raised when they differ.
    """
    directory = index_dir(key)
    try:
        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        if meta.get("format") != INDEX_FORMAT or meta.get("key") != key:
            return None
        arrays = {
            name: np.load(directory / f"{name}.npy", mmap_mode="r", allow_pickle=False)
            for name in meta["arrays"]
        }
        diplomatic = pd.read_parquet(directory / _DIPLOMATIC)
        sample = meta["id_sample"]
        strikes = StrikeTable(**{f.name: arrays[f"strikes.{f.name}"] for f in fields(StrikeTable)})
        plain = {
            f.name: arrays[f.name]
            for f in fields(PreparedEvents)
            if f.name in arrays and "." not in f.name
        }
        prepared = PreparedEvents(
            load_events=lambda: _checked(load_events(), sample, directory),
            strikes=strikes,
            sources=tuple(meta["sources"]),
            first_day=int(meta["first_day"]),
            alert_first_day=int(meta["alert_first_day"]),
            cumulative={
                name.removeprefix("cumulative."): array
                for name, array in arrays.items()
                if name.startswith("cumulative.")
            },
            diplomatic=diplomatic,
            **plain,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    for array in arrays.values():
        array.setflags(write=False)
    cache.touch(directory)  # used now: pruning keeps it
    return prepared


def _checked(events: pd.DataFrame, sample: dict[str, Any], directory: Path) -> pd.DataFrame:
    if _id_sample(events) != sample:
        raise IndexMismatch(
            f"{directory}: the data changed since this index was built; reload the page"
        )
    return events
