"""Writes that a reader sees whole or not at all, and that a crash cannot leave half done.

One file (:func:`write_bytes_atomic`, :func:`write_text_atomic`) is written to a temporary file
beside it, synced and renamed over it, and the directory entry is synced. A directory is built
in a staging directory beside its target (:func:`staging_dir`, ``.<name>.tmp-*``; its files
written with :func:`write_synced`) and then renamed into place, in one of two ways:

* :func:`swap_dir` for a saved dataset, the only copy of the user's data: the previous
  directory is moved to a backup first and only deleted once the new one is in place and the
  renames are on disk. A process killed between the two renames leaves the backup, which
  :func:`restore_backup` puts back.
* :func:`publish_dir` for a cache entry, which can always be rebuilt: a plain rename, and an
  entry already there is moved aside only when the rename finds one. Nothing is synced.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_bytes_atomic(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Replace ``path`` with ``data`` atomically and durably.

    The bytes go to a temporary file in the same directory, which is synced, given ``mode``
    (``mkstemp`` creates it readable by its owner only) and renamed over ``path``; then the
    directory is synced so the rename survives a crash. On any error the temporary file is
    removed and ``path`` is left as it was.
    """
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` in UTF-8, line endings as given.

    See :func:`write_bytes_atomic`.
    """
    write_bytes_atomic(path, text.encode("utf-8"))


def write_synced(path: Path, data: bytes | memoryview, *, sync: bool = True) -> None:
    """Write ``data`` to ``path`` in one call, a new file in a staging directory.

    With ``sync`` the file is on disk before this returns, so the rename that later publishes
    its directory cannot publish an empty or partial file after a crash.
    """
    with path.open("wb") as handle:
        handle.write(data)
        if sync:
            handle.flush()
            os.fsync(handle.fileno())


def fsync_dir(path: Path) -> None:
    """Sync the directory ``path`` itself, so renames and new entries in it survive a crash."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def staging_dir(target: Path) -> Path:
    """A new empty directory ``.<name>.tmp-*`` beside ``target`` to build its replacement in."""
    return Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.tmp-"))


def swap_dir(staging: Path, target: Path, backup: Path) -> None:
    """Rename ``staging`` to ``target``, keeping the previous ``target`` at ``backup`` meanwhile.

    The previous directory is moved to ``backup``, the new one renamed into place, the parent
    synced, and only then the backup deleted. If a rename fails the previous directory is put
    back; a process killed between the renames leaves only ``backup`` (see
    :func:`restore_backup`).
    """
    moved_aside = False
    try:
        if target.exists():
            os.rename(target, backup)
            moved_aside = True
        os.rename(staging, target)
    except BaseException:
        if moved_aside and not target.exists():
            os.rename(backup, target)
        raise
    fsync_dir(target.parent)
    if moved_aside:
        shutil.rmtree(backup, ignore_errors=True)


def restore_backup(target: Path, backup: Path) -> None:
    """Undo what a :func:`swap_dir` killed half-way left behind.

    A backup beside a ``target`` is stale and removed; a backup without one is the previous
    directory, renamed back.
    """
    if backup.exists():
        if target.exists():
            shutil.rmtree(backup, ignore_errors=True)
        else:
            os.rename(backup, target)


def publish_dir(staging: Path, target: Path) -> None:
    """Rename ``staging`` to ``target``, replacing a directory already there.

    The rename fails when ``target`` exists (it is not empty): that one is moved aside to
    ``<staging>-old``, the new one renamed in, and the old one deleted.
    """
    try:
        os.rename(staging, target)
    except OSError:  # an entry is there: move it aside, then swap in the new one
        aside = staging.with_name(f"{staging.name}-old")
        os.rename(target, aside)
        os.rename(staging, target)
        shutil.rmtree(aside, ignore_errors=True)
