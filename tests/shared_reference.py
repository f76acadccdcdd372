"""Where the tests find ``../shared/reference``, and how they skip when it is not there.

The reference files sit next to the checkout, never in it (the Massive Missile Attacks
dataset is CC BY-NC-SA). CI provides them; a bare clone has nothing beside it, so every test
that needs them skips with a reason naming the missing path. Only paths are built here: no
file is read when a test module is imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_REFERENCE = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
MMA_DIR = SHARED_REFERENCE / "massive-missile-attacks"
MMA_DAILY = MMA_DIR / "missile_attacks_daily.csv"
MMA_CATALOG = MMA_DIR / "missiles_and_uavs.csv"
CURATED_TALKS = SHARED_REFERENCE / "talks.csv"


def needs(path: Path) -> pytest.MarkDecorator:
    """Skip the test (or module, as ``pytestmark``) when ``path`` is not a file."""
    return pytest.mark.skipif(
        not path.is_file(),
        reason=f"needs {path} (../shared/reference beside the checkout; CI provides it)",
    )


def require(path: Path) -> Path:
    """Inside a test or fixture: skip, naming the path, when it is not a file."""
    if not path.is_file():
        pytest.skip(f"needs {path} (../shared/reference beside the checkout; CI provides it)")
    return path
