"""Where the bundled data and the user's imported datasets live."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "OBLASTWATCH_DATA_DIR"

# The package is installed in editable mode from the repository (README), so the bundled
# data sits next to src/.
PROJECT_ROOT = Path(__file__).resolve().parents[2]
BUNDLED_DATA_DIR = PROJECT_ROOT / "data"
BOUNDARIES_PATH = BUNDLED_DATA_DIR / "oblasts.geojson"
COUNTRIES_PATH = BUNDLED_DATA_DIR / "countries.geojson"
TALKS_PATH = BUNDLED_DATA_DIR / "talks.csv"
STRIKES_PATH = BUNDLED_DATA_DIR / "strikes.csv"
ASSETS_DIR = Path(__file__).resolve().parent / "assets"


def user_data_dir() -> Path:
    """The directory that holds imported datasets: ``$OBLASTWATCH_DATA_DIR`` or the OS default."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("oblastwatch", appauthor=False))
