"""Where the user's imported datasets live.

The files shipped with the package are in :mod:`oblastwatch.domain.resources`.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "OBLASTWATCH_DATA_DIR"


def user_data_dir() -> Path:
    """The directory that holds imported datasets: ``$OBLASTWATCH_DATA_DIR`` or the OS default."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("oblastwatch", appauthor=False))
