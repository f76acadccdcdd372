"""Date rules shared by every importer: the plausible window and Kyiv local time.

Parsers read text with ``pd.to_datetime(..., errors="coerce")``, which in pandas 3 returns
microsecond timestamps that hold any four-digit year (``0000-01-01``, ``9999-12-31``), while
the events table stores nanoseconds (years 1677 to 2262). So every parser passes what it read
through :func:`reject_implausible`, which rejects days outside ``FIRST_DAY .. LAST_DAY``
(naming row and column) before anything is converted to nanoseconds.

The window is wide (any table about Ukraine since independence, and any plan or forecast
written today) yet far from the nanosecond limits, so adding a day or converting between
time zones can never overflow.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.i18n import Message
from oblastwatch.importers.report import RejectCollector

KYIV = "Europe/Kyiv"
FIRST_DAY = pd.Timestamp("1990-01-01")
LAST_DAY = pd.Timestamp("2100-12-31")
# The plausible days, as reasons quote them ("1990-01-01 to 2100-12-31" in English).
WINDOW = Message(
    "{first} to {last}", {"first": f"{FIRST_DAY:%Y-%m-%d}", "last": f"{LAST_DAY:%Y-%m-%d}"}
)
WINDOW_TEXT = str(WINDOW)
# Wide enough for any four-digit year; the unit pandas 3 parses text into.
PARSE_UNIT = "us"


def empty_times(index: pd.Index, *, utc: bool = False) -> pd.Series:
    """All-NaT timestamps (naive, or UTC) to fill shape by shape.

    The wide unit means assigning any parsed value cannot overflow.
    """
    dtype = f"datetime64[{PARSE_UNIT}, UTC]" if utc else f"datetime64[{PARSE_UNIT}]"
    return pd.Series(pd.NaT, index=index, dtype=dtype)


def read_times(text: pd.Series, **to_datetime: object) -> pd.Series:
    """``pd.to_datetime(text, errors="coerce", **to_datetime)`` in microseconds.

    Unreadable text is NaT. Naive unless ``utc=True`` is passed.
    """
    parsed = pd.to_datetime(text, errors="coerce", **to_datetime)
    return parsed.dt.as_unit(PARSE_UNIT)


def reject_implausible(
    times: pd.Series, text: pd.Series, rejects: RejectCollector, *, column: str
) -> pd.Series:
    """Reject rows whose Kyiv calendar day lies outside the window; return nanoseconds.

    ``times`` is naive Kyiv local time or tz-aware; NaT stays NaT. The result is ``times`` with
    NaT on the rejected rows, cast to nanoseconds (naive stays naive, aware stays aware).

    >>> rejects = RejectCollector(pd.RangeIndex(3))
    >>> text = pd.Series(["2024-02-29", "9999-12-31", "0000-01-01"])
    >>> kept = reject_implausible(read_times(text), text, rejects, column="date")
    >>> kept.dt.strftime("%Y-%m-%d").tolist(), str(kept.dtype)
    (['2024-02-29', nan, nan], 'datetime64[ns]')
    >>> rejects.records()[0]["reason"]
    "'9999-12-31' is outside the plausible dates 1990-01-01 to 2100-12-31"
    """
    aware = getattr(times.dt, "tz", None) is not None
    if aware:
        # A coarse test in UTC first: converting far-off instants to Kyiv time is not safe.
        utc = times.dt.tz_convert("UTC")
        near = (utc >= (FIRST_DAY - pd.Timedelta(days=1)).tz_localize("UTC")) & (
            utc < (LAST_DAY + pd.Timedelta(days=2)).tz_localize("UTC")
        )
        local = utc.where(near).dt.tz_convert(KYIV).dt.tz_localize(None)
    else:
        local = times
    inside = (local >= FIRST_DAY) & (local < LAST_DAY + pd.Timedelta(days=1))
    outside = times.notna() & ~inside.fillna(False).astype(bool)
    if outside.any():
        rejects.reject(
            outside,
            column,
            Message("'{value}' is outside the plausible dates {window}", {"window": WINDOW}),
            value=text.astype("string").str.slice(0, 60),
        )
    return times.where(~outside).dt.as_unit("ns")


def kyiv_to_utc(local: pd.Series) -> pd.Series:
    """Naive Kyiv wall-clock times as UTC instants.

    An ambiguous autumn clock-change time reads as summer time; a nonexistent spring time
    moves forward to the first valid instant.
    """
    dst_first = np.ones(len(local), dtype=bool)
    return local.dt.tz_localize(
        KYIV, ambiguous=dst_first, nonexistent="shift_forward"
    ).dt.tz_convert("UTC")


def day_times(
    local: pd.Series,
    date_only: pd.Series,
    instants: pd.Series,
    text: pd.Series,
    rejects: RejectCollector,
    *,
    column: str,
    examples: Message,
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(start UTC, end UTC, Kyiv day)`` from what a date parser read, for one column.

    ``local``: naive Kyiv times read from text without an offset; ``instants``: UTC times read
    from text with one (NaT elsewhere); ``date_only``: true where the text had no time of day
    (the row then covers the day, to 23:59). Rejects, in this order: blank text, text read
    neither way (the reason quotes ``examples``), and days outside the window.
    """
    rejects.reject(text == "", column, Message("blank date"))
    rejects.reject(
        local.isna() & instants.isna() & (text != ""),
        column,
        Message("'{value}' is not a date like {examples}", {"examples": examples}),
        value=text.str.slice(0, 60),
    )
    local = reject_implausible(local, text, rejects, column=column)
    instants = reject_implausible(instants, text, rejects, column=column)
    start = kyiv_to_utc(local).where(instants.isna(), instants)
    day = start.dt.tz_convert(KYIV).dt.tz_localize(None).dt.normalize()
    end = start.where(~date_only, start + pd.Timedelta(hours=23, minutes=59))
    return start, end, day
