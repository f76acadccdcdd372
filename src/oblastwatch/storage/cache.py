"""What oblastwatch keeps between runs because it can rebuild it, and how entries get there.

Three things are cached in one directory (:func:`cache_dir`): the bundled tables as imported
(:func:`oblastwatch.storage.bundled.load_bundled`), the prepared index of the loaded data
(:mod:`oblastwatch.query.index_cache`) and the simplified region shapes
(:func:`oblastwatch.present.maps.geometry.cached_region_shapes`). Each entry is a directory named
``<kind>-<key>``, the key a hash of everything it is built from, the code that builds it
included (:func:`code_digest`), so an entry is never updated, only replaced by one with a new
key. :func:`publish` writes an entry into a staging directory and renames it into place
(:func:`oblastwatch.storage.atomic.publish_dir`), so a reader sees a whole entry or none;
:func:`prune` removes replaced entries. Deleting the cache directory only makes the next start
slower.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

from oblastwatch.storage import atomic

CACHE_DIR_ENV = "OBLASTWATCH_CACHE_DIR"
# Part of every entry's key (through code_digest): bump it when what entries hold changes
# meaning. 2: region codes follow ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77); entries
# written before hold the two swapped.
CACHE_FORMAT = 2
# Entries of a kind kept besides the current one: a second app (another checkout or version)
# sharing the cache directory keeps its own instead of rebuilding it on every start.
OTHERS_KEPT = 1
# A staging directory older than this was left by a killed process (a write takes seconds).
_STALE_STAGING_SECONDS = 3600
_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """``$OBLASTWATCH_CACHE_DIR`` or the OS default user cache directory."""
    override = os.environ.get(CACHE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("oblastwatch", appauthor=False))


@functools.cache
def code_digest(*names: str) -> bytes:
    """SHA-256 of the package's files under ``names`` and of :data:`CACHE_FORMAT`.

    ``names`` are files or folders relative to the package (all of it when none are given):
    its code and the data it ships, such as the gazetteer supplement. Once per process, so it
    describes the code this process runs, not code changed on disk since.
    """
    targets = [_PACKAGE / name for name in names] or [_PACKAGE]
    files: list[Path] = []
    for target in targets:
        found = sorted(target.rglob("*")) if target.is_dir() else [target]
        files.extend(f for f in found if f.is_file() and "__pycache__" not in f.parts)
    digest = hashlib.sha256(f"cache format {CACHE_FORMAT}".encode())
    for path in files:
        digest.update(f"\0{path.relative_to(_PACKAGE)}\0".encode())
        digest.update(path.read_bytes())
    return digest.digest()


def publish(target: Path, write: Callable[[Path], None]) -> bool:
    """Create the entry ``target`` from ``write(staging_directory)``, atomically.

    An entry already at ``target`` is replaced: callers publish after they could not read it
    (damaged), or a twin process published the same content a moment before. True when the
    new entry is in place; False when the cache is not writable or ``write`` raised
    ``OSError`` or ``ValueError`` (nothing is left behind then).
    """
    staging = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = atomic.staging_dir(target)
        write(staging)
        atomic.publish_dir(staging, target)
        staging = None
        return True
    except (OSError, ValueError):
        return False
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)


def prune(keep: Path, kind: str, *, others: int = OTHERS_KEPT) -> None:
    """Remove the entries ``<kind>-*`` beside ``keep`` but the ``others`` used most recently.

    See :func:`touch`. Also removes staging directories that killed processes left behind.
    """
    entries = [p for p in keep.parent.glob(f"{kind}-*") if p != keep and p.is_dir()]
    entries.sort(key=_mtime, reverse=True)
    now = time.time()
    stale = [
        p for p in keep.parent.glob(f".{kind}-*.tmp-*") if now - _mtime(p) > _STALE_STAGING_SECONDS
    ]
    for path in [*entries[others:], *stale]:
        shutil.rmtree(path, ignore_errors=True)


def touch(entry: Path) -> None:
    """Mark ``entry`` as used now (:func:`prune` keeps the entries used most recently)."""
    with contextlib.suppress(OSError):
        os.utime(entry)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0
