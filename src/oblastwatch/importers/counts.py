"""The count rule shared by every importer (launched, destroyed, killed, injured).

A count is a whole number from 0 to :data:`MAX_COUNT`, written as digits (``40``, ``40.0``,
``+3`` and ``1e2`` are read as numbers). Blank means missing, never zero. Anything else
rejects the row, naming row and column: text that is not a number (``abc``, ``NaN``,
``1,000``, ``0x1F``), a non-finite number, a negative, a fraction or more than
:data:`MAX_COUNT` (the largest count in the reference dataset is 810, so a bigger one is a
typo or an overflow, not an attack).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.i18n import Message
from oblastwatch.importers.report import RejectCollector

MAX_COUNT = 1_000_000
# "1,000", "1 000", "1'000": digits in groups of three, as spreadsheets write them. ("1.000"
# is the number 1.0: a dot is always the decimal point.)
_GROUPED_DIGITS = r"\d{1,3}(?:[,\s\u00a0\u202f']\d{3})+"


def parse_counts(text: pd.Series, rejects: RejectCollector, *, column: str) -> pd.Series:
    """Counts (``Float64``, missing where blank) from stripped text; rejects the rest.

    >>> rejects = RejectCollector(pd.RangeIndex(6))
    >>> text = pd.Series(["40.0", "", "2.5", "inf", "-3", "abc"])
    >>> parse_counts(text, rejects, column="launched").tolist()
    [40.0, <NA>, <NA>, <NA>, <NA>, <NA>]
    >>> [r["reason"] for r in rejects.records()]
    ["'2.5' is not a whole number", "'inf' is not a finite number", "'-3' is a negative count", "'abc' is not a number"]
    """
    given = text != ""
    number = pd.to_numeric(text.where(given, None), errors="coerce").astype("float64")
    value = text.astype("string").str.slice(0, 40)
    finite = np.isfinite(number)
    with np.errstate(invalid="ignore"):
        rejects.reject(
            number.isna() & text.str.fullmatch(_GROUPED_DIGITS).fillna(False).astype(bool),
            column,
            Message("'{value}' is not a number (write a count without thousands separators)"),
            value=value,
        )
        rejects.reject(
            number.isna() & given, column, Message("'{value}' is not a number"), value=value
        )
        rejects.reject(
            number.notna() & ~finite,
            column,
            Message("'{value}' is not a finite number"),
            value=value,
        )
        rejects.reject(
            finite & (number < 0), column, Message("'{value}' is a negative count"), value=value
        )
        rejects.reject(
            finite & (number != np.floor(number)),
            column,
            Message("'{value}' is not a whole number"),
            value=value,
        )
        rejects.reject(
            finite & (number > MAX_COUNT),
            column,
            Message(
                "'{value}' is more than {limit:,}, not a plausible count", {"limit": MAX_COUNT}
            ),
            value=value,
        )
        whole = finite & (number >= 0) & (number == np.floor(number)) & (number <= MAX_COUNT)
    return number.where(whole).abs().astype("Float64")  # abs: "-0" is 0
