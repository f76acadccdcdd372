"""Files shipped with oblastwatch.

Region boundaries, country outlines, the bundled talks, strikes and population tables, and the
map assets.

In a checkout (the editable install the README sets up) the tables sit in ``data/`` next to
``src/``; a wheel carries the same files inside the package as ``oblastwatch/data/``
(``pyproject.toml`` maps one onto the other), so an installed copy finds them without the
repository.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]
_INSTALLED_DATA = PACKAGE_DIR / "data"
_CHECKOUT_DATA = PACKAGE_DIR.parents[1] / "data"

BUNDLED_DATA_DIR = _INSTALLED_DATA if _INSTALLED_DATA.is_dir() else _CHECKOUT_DATA
BOUNDARIES_PATH = BUNDLED_DATA_DIR / "oblasts.geojson"
COUNTRIES_PATH = BUNDLED_DATA_DIR / "countries.geojson"
TALKS_PATH = BUNDLED_DATA_DIR / "talks.csv"
STRIKES_PATH = BUNDLED_DATA_DIR / "strikes.csv"
POPULATION_PATH = BUNDLED_DATA_DIR / "population.csv"
ASSETS_DIR = PACKAGE_DIR / "assets"
