"""What the loaded data covers: its date span, ranges over it, the kinds and weapons in it.

The sidebar offers these as the filters' choices and bounds.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from oblastwatch.domain.model import EVENT_KINDS, WEAPON_CATEGORIES
from oblastwatch.query.codes import N_WEAPON_CODES, as_date
from oblastwatch.query.index import PreparedEvents


def data_date_span(prepared: PreparedEvents) -> tuple[date, date]:
    """First ``date`` and last day in the data. Raises ``ValueError`` when there are no events.

    The last day includes the last day of a talks round that runs past every other event's
    ``date`` (a round on 21-22 March ends the span on the 22nd), so the date filter can show
    the whole round.
    """
    if not len(prepared):
        raise ValueError("no events loaded")
    last = as_date(prepared.day[-1])
    if len(prepared.diplomatic):
        last = max(last, prepared.diplomatic["last_day"].max().date())
    return as_date(prepared.day[0]), last


def kinds_present(prepared: PreparedEvents) -> tuple[str, ...]:
    """The event kinds found in the data, in :data:`EVENT_KINDS` order."""
    counts = np.bincount(prepared.kind, minlength=len(EVENT_KINDS))
    return tuple(kind for kind, n in zip(EVENT_KINDS, counts, strict=False) if n)


def weapon_categories_present(prepared: PreparedEvents) -> tuple[str, ...]:
    """The weapon categories given on any event, in :data:`WEAPON_CATEGORIES` order."""
    weapon = prepared.kind_weapon % N_WEAPON_CODES  # MISSING_WEAPON (blank) is the last code
    counts = np.bincount(weapon, minlength=N_WEAPON_CODES)
    return tuple(c for c, n in zip(WEAPON_CATEGORIES, counts, strict=False) if n)


def preset_range(prepared: PreparedEvents, preset: int | str) -> tuple[date, date]:
    """The range of a sidebar preset: the latest ``preset`` days of the data, or ``"all"``.

    >>> import pandas as pd
    >>> from oblastwatch.domain.model import conform_events, empty_event_regions
    >>> from oblastwatch.query.build import prepare
    >>> events = conform_events(
    ...     pd.DataFrame(
    ...         {
    ...             "event_id": ["a", "b"],
    ...             "source": "acled",
    ...             "kind": "incident",
    ...             "date": pd.to_datetime(["2026-01-01", "2026-02-28"]),
    ...             "scope": "regions",
    ...         }
    ...     )
    ... )
    >>> prepared = prepare(events, empty_event_regions())
    >>> preset_range(prepared, 7)
    (datetime.date(2026, 2, 22), datetime.date(2026, 2, 28))
    >>> preset_range(prepared, "all")
    (datetime.date(2026, 1, 1), datetime.date(2026, 2, 28))
    """
    first, last = data_date_span(prepared)
    if preset == "all":
        return first, last
    try:
        days = int(preset)
    except (TypeError, ValueError):
        raise ValueError(f"unknown preset {preset!r}; expected a number of days or 'all'") from None
    if days < 1:
        raise ValueError(f"preset needs at least one day, got {days}")
    return max(first, last - timedelta(days=days - 1)), last


def default_range(prepared: PreparedEvents, days: int = 30) -> tuple[date, date]:
    """The latest ``days`` days of the loaded data (the app's opening range)."""
    return preset_range(prepared, days)
