"""The prepared index of the loaded data, kept on disk between app starts.

Building :class:`~oblastwatch.aggregate.PreparedEvents` means reading every dataset's frames
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

import functools
import hashlib
import json
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from oblastwatch import aggregate, paths, store

INDEX_FORMAT = 1
# Other indexes kept beside the newest: a second app on older data still finds its own.
KEEP_OTHER_INDEXES = 1
_PREFIX = "index-"
_META = "meta.json"
_DIPLOMATIC = "diplomatic.parquet"
# Event ids at this many evenly spaced rows are kept to check, when the frames are read later,
# that they are the frames the index was built from.
_ID_SAMPLE = 32

Fingerprint = tuple[str, tuple[tuple[str, int, int], ...]]


class IndexMismatch(RuntimeError):
    """The frames read for an index are not the ones it was built from (data changed)."""


def data_fingerprint() -> Fingerprint:
    """The user data directory, and (path, size, mtime) of every file behind the loaded data:
    the bundled tables and everything in the data directory. Changes on import or removal."""
    directory = paths.user_data_dir()
    entries: list[tuple[str, int, int]] = []
    for path in (paths.TALKS_PATH, paths.STRIKES_PATH):
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
    fingerprint: Fingerprint, load_dataset: Callable[[], store.Dataset]
) -> aggregate.PreparedEvents:
    """The index of the data behind ``fingerprint``: read from the cache when it is there,
    otherwise built from ``load_dataset()`` and saved. ``load_dataset`` is also what reads the
    frames later, when a view needs event rows."""
    key = index_key(fingerprint)
    loaded = load_index(key, lambda: load_dataset().events)
    if loaded is not None:
        return loaded
    dataset = load_dataset()
    prepared = aggregate.prepare(dataset.events, dataset.event_regions)
    save_index(prepared, key)
    return prepared


def index_key(fingerprint: Fingerprint) -> str:
    digest = hashlib.sha256(f"{INDEX_FORMAT}\0{fingerprint!r}".encode())
    digest.update(_code_digest())
    return digest.hexdigest()[:32]


@functools.cache
def _code_digest() -> bytes:
    """SHA-256 of the package's Python files: code that changes can change the index. Once
    per process, so it describes the code this process runs."""
    package = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(f"\0{path.relative_to(package)}\0".encode())
        digest.update(path.read_bytes())
    return digest.digest()


def index_dir(key: str) -> Path:
    return store.bundled_cache_dir() / f"{_PREFIX}{key}"


# --- saving --------------------------------------------------------------------------------


def save_index(prepared: aggregate.PreparedEvents, key: str) -> Path | None:
    """Write ``prepared`` under ``key`` atomically; None when the cache is not writable (the
    app then simply builds the index on its next start too)."""
    target = index_dir(key)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))
    except OSError:
        return None
    try:
        arrays = _arrays(prepared)
        for name, array in arrays.items():
            np.save(staging / f"{name}.npy", array, allow_pickle=False)
        prepared.diplomatic.to_parquet(staging / _DIPLOMATIC)
        meta = {
            "format": INDEX_FORMAT,
            "key": key,
            "arrays": sorted(arrays),
            "first_day": prepared.first_day,
            "sources": list(prepared.sources),
            "id_sample": _id_sample(prepared.input_events),
        }
        (staging / _META).write_text(json.dumps(meta), encoding="utf-8")
        try:
            os.rename(staging, target)
        except OSError:  # another process saved the same index first
            shutil.rmtree(staging, ignore_errors=True)
    except (OSError, ValueError):
        shutil.rmtree(staging, ignore_errors=True)
        return None
    _remove_old_indexes(keep=target)
    return target


def _arrays(p: aggregate.PreparedEvents) -> dict[str, np.ndarray]:
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


def _remove_old_indexes(keep: Path) -> None:
    others = [path for path in keep.parent.glob(f"{_PREFIX}*") if path != keep and path.is_dir()]
    others.sort(key=_mtime, reverse=True)
    # Staging directories of saves killed midway (an hour is far longer than any save).
    stale = [p for p in keep.parent.glob(f".{_PREFIX}*.tmp-*") if time.time() - _mtime(p) > 3600]
    for path in [*others[KEEP_OTHER_INDEXES:], *stale]:
        shutil.rmtree(path, ignore_errors=True)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


# --- loading -------------------------------------------------------------------------------


def load_index(
    key: str, load_events: Callable[[], pd.DataFrame]
) -> aggregate.PreparedEvents | None:
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
        strikes = aggregate.StrikeTable(
            **{f.name: arrays[f"strikes.{f.name}"] for f in fields(aggregate.StrikeTable)}
        )
        plain = {
            f.name: arrays[f.name]
            for f in fields(aggregate.PreparedEvents)
            if f.name in arrays and "." not in f.name
        }
        prepared = aggregate.PreparedEvents(
            load_events=lambda: _checked(load_events(), sample, directory),
            strikes=strikes,
            sources=tuple(meta["sources"]),
            first_day=int(meta["first_day"]),
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
    try:  # mark the index as used, so _remove_old_indexes keeps the live ones
        os.utime(directory)
    except OSError:
        pass
    return prepared


def _checked(events: pd.DataFrame, sample: dict[str, Any], directory: Path) -> pd.DataFrame:
    rows = _sample_rows(len(events))
    found = [str(v) for v in events["event_id"].iloc[rows].astype("string").fillna("")]
    if len(events) != sample["rows"] or found != sample["ids"]:
        raise IndexMismatch(
            f"{directory}: the data changed since this index was built; reload the page"
        )
    return events
