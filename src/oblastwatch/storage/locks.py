"""One lock per saved dataset, so two processes never write it at once.

An exclusive ``flock`` on ``.<name>.lock`` beside the dataset keeps two imports of the same
dataset from interleaving; readers take a shared lock.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from oblastwatch.i18n import Message
from oblastwatch.storage.dataset import StoreError

# Seconds a save waits for another save of the same dataset before giving up.
LOCK_TIMEOUT_SECONDS = 60.0


def _lock_path(directory: Path) -> Path:
    """The lock file beside ``directory``: created by writers, opened by readers."""
    return directory.parent / f".{directory.name}.lock"


@contextmanager
def locked(directory: Path, *, exclusive: bool) -> Iterator[None]:
    """Hold ``flock`` on the dataset's lock file: exclusive to write, shared to read.

    Readers never create the lock file: a dataset nobody saved here (an extra directory on a
    read-only medium) is read without locking.
    """
    lock_path = _lock_path(directory)
    if exclusive:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    else:
        try:
            fd = os.open(lock_path, os.O_RDONLY)
        except FileNotFoundError:
            fd = None
    if fd is None:
        yield
        return
    try:
        operation = (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + LOCK_TIMEOUT_SECONDS
        while True:
            try:
                fcntl.flock(fd, operation)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StoreError(
                        Message(
                            "{directory}: another process is writing this dataset ({lock} held "
                            "for over {seconds:g} s)",
                            {
                                "directory": str(directory),
                                "lock": lock_path.name,
                                "seconds": LOCK_TIMEOUT_SECONDS,
                            },
                        )
                    ) from None
                time.sleep(0.05)
        yield
    finally:
        os.close(fd)
