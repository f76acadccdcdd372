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
    """First and last day in the data. Raises ``ValueError`` when there are no events or alerts.

    The last day includes the last day of a talks round that runs past every other event's
    ``date`` (a round on 21-22 March ends the span on the 22nd), so the date filter can show
    the whole round, and the span includes the Kyiv days of the air-raid alerts.
    """
    n_alert_days = len(prepared.alert_hours)
    if not len(prepared) and not n_alert_days:
        raise ValueError("no events loaded")
    firsts, lasts = [], []
    if len(prepared):
        firsts.append(as_date(prepared.day[0]))
        lasts.append(as_date(prepared.day[-1]))
    if len(prepared.diplomatic):
        lasts.append(prepared.diplomatic["last_day"].max().date())
    if n_alert_days:
        firsts.append(as_date(prepared.alert_first_day))
        lasts.append(as_date(prepared.alert_first_day + n_alert_days - 1))
    return min(firsts), max(lasts)


def kinds_present(prepared: PreparedEvents) -> tuple[str, ...]:
    """The event kinds found in the data, in :data:`EVENT_KINDS` order."""
    counts = np.bincount(prepared.kind, minlength=len(EVENT_KINDS))
    return tuple(kind for kind, n in zip(EVENT_KINDS, counts, strict=False) if n)


def weapon_categories_present(prepared: PreparedEvents) -> tuple[str, ...]:
    """The weapon categories given on any event, in :data:`WEAPON_CATEGORIES` order."""
    weapon = prepared.kind_weapon % N_WEAPON_CODES  # MISSING_WEAPON (blank) is the last code
    counts = np.bincount(weapon, minlength=N_WEAPON_CODES)
    return tuple(c for c, n in zip(WEAPON_CATEGORIES, counts, strict=False) if n)


def latest_days(first_day: date, last_day: date, days: int | None) -> tuple[date, date]:
    """The last ``days`` days of a span, within it; the whole span for ``None``.

    >>> latest_days(date(2026, 1, 1), date(2026, 2, 28), 7)
    (datetime.date(2026, 2, 22), datetime.date(2026, 2, 28))
    >>> latest_days(date(2026, 2, 25), date(2026, 2, 28), 30)
    (datetime.date(2026, 2, 25), datetime.date(2026, 2, 28))
    """
    if days is None:
        return first_day, last_day
    if days < 1:
        raise ValueError(f"a range needs at least one day, got {days}")
    return max(first_day, last_day - timedelta(days=days - 1)), last_day
