"""The integer codes of the prepared index, shared by the code that builds it and the queries.

Kinds, weapon categories, roles and regions are stored as small integers (positions in the
model's tuples); days as the number of days since 1970-01-01.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from oblastwatch.domain.model import EVENT_KINDS, ROLES, WEAPON_CATEGORIES
from oblastwatch.domain.regions import REGION_CODES

N_REGIONS = len(REGION_CODES)
EPOCH = np.datetime64("1970-01-01", "D")
MISSING_WEAPON = len(WEAPON_CATEGORIES)  # code of a strike row without a category
N_WEAPON_CODES = len(WEAPON_CATEGORIES) + 1
KIND_CODE = {kind: i for i, kind in enumerate(EVENT_KINDS)}
STRIKE = KIND_CODE["strike"]
INCIDENT = KIND_CODE["incident"]
ROLE_CODE = {role: i for i, role in enumerate(ROLES)}
REGION_INDEX = {code: i for i, code in enumerate(REGION_CODES)}
# Weapon groups of the daily table (drones, missiles, the rest).
DRONE_GROUP, MISSILE_GROUP, OTHER_GROUP = 0, 1, 2


def day_number(value: date) -> int:
    """Days since 1970-01-01 of a calendar day.

    >>> day_number(date(1970, 1, 11))
    10
    """
    return int((np.datetime64(value, "D") - EPOCH).astype(np.int64))


def as_date(number: int | np.integer) -> date:
    """The calendar day of a day number (the inverse of :func:`day_number`).

    >>> as_date(10)
    datetime.date(1970, 1, 11)
    """
    return date(1970, 1, 1) + timedelta(days=int(number))


def region_index(region: str) -> int:
    """Position of a region code in :data:`~oblastwatch.domain.regions.REGION_CODES`.

    Raises ``ValueError`` naming the code when it is not one of the 27.
    """
    try:
        return REGION_INDEX[region]
    except KeyError:
        raise ValueError(f"unknown region code {region!r}") from None
