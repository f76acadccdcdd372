"""The data's age and the sources' coverage gaps, as the lines a reader sees.

Built from :mod:`oblastwatch.query.freshness`. Source names come from the user (``--name``, an
uploaded file's name), so every one is Markdown-escaped here; dates and counts are ours.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from oblastwatch.present.url_params import escape_markdown
from oblastwatch.query.freshness import STALE_AFTER_DAYS, CoverageGap, Freshness

REFRESH_STEP = (
    "press “Get the latest Air Force figures” on the Data page (or run `oblastwatch fetch mma`)"
)


def days_ago(days: int) -> str:
    """``days`` as a phrase: "today", "1 day ago", "267 days ago" (or "... from today").

    >>> [days_ago(n) for n in (0, 1, 267, -2)]
    ['today', '1 day ago', '267 days ago', '2 days from today']
    """
    if days == 0:
        return "today"
    count = abs(days)
    unit = "day" if count == 1 else "days"
    return f"{count} {unit} ago" if days > 0 else f"{count} {unit} from today"


def _dated(day: date, today: date) -> str:
    return f"{day.isoformat()}, {days_ago((today - day).days)}"


def with_age(sources: pd.DataFrame, today: date) -> pd.DataFrame:
    """The ``sources`` table with ``age_days``: days from each dataset's last day to ``today``.

    >>> table = pd.DataFrame({"end": [pd.Timestamp("2026-03-14"), pd.NaT]})
    >>> with_age(table, date(2026, 12, 6))["age_days"].tolist()
    [267, <NA>]
    """
    ends = pd.to_datetime(sources["end"]).dt.normalize()
    age = (pd.Timestamp(today) - ends).dt.days.astype("Int64")
    return sources.assign(age_days=age)


def freshness_line(freshness: Freshness) -> str | None:
    """One line with the newest attack and the newest diplomatic event; None without events.

    >>> f = Freshness(date(2026, 3, 14), date(2026, 3, 22), today=date(2026, 12, 6))
    >>> freshness_line(f)
    'Newest attack: 2026-03-14, 267 days ago · newest diplomatic event: 2026-03-22, 259 days ago'
    """
    parts = []
    if freshness.newest_attack is not None:
        parts.append(f"Newest attack: {_dated(freshness.newest_attack, freshness.today)}")
    if freshness.newest_diplomatic is not None:
        label = "newest diplomatic event" if parts else "Newest diplomatic event"
        parts.append(f"{label}: {_dated(freshness.newest_diplomatic, freshness.today)}")
    return " · ".join(parts) or None


def stale_warning(freshness: Freshness) -> str | None:
    """The warning for data older than the limit, with the step that refreshes it; else None.

    >>> print(stale_warning(Freshness(date(2026, 3, 14), None, today=date(2026, 3, 29))))
    The newest attack in the data is 15 days old (more than 14). To bring it up to date, press “Get the latest Air Force figures” on the Data page (or run `oblastwatch fetch mma`).
    """  # noqa: E501
    if not freshness.stale:
        return None
    track = "attack" if freshness.newest_attack is not None else "diplomatic event"
    return (
        f"The newest {track} in the data is {freshness.age_days} days old (more than "
        f"{STALE_AFTER_DAYS}). To bring it up to date, {REFRESH_STEP}."
    )


def coverage_note(gap: CoverageGap, *, markdown: bool = True) -> str:
    r"""One line: a source ends before another, its missing days are not quiet ones.

    Markdown (names escaped) for the app; ``markdown=False`` gives plain text for a terminal.

    >>> gap = CoverageGap(
    ...     "curated-strikes", date(2026, 3, 14), "mma", date(2026, 11, 30),
    ...     date(2026, 3, 15), date(2026, 11, 30),
    ... )
    >>> print(coverage_note(gap))
    Source curated\-strikes ends on 2026-03-14; mma runs to 2026-11-30. From 2026-03-15 to 2026-11-30 this view has no curated\-strikes rows: a gap in that source, not a quiet period.
    """  # noqa: E501
    escape = escape_markdown if markdown else str
    source = escape(gap.source)
    span = (
        f"on {gap.first.isoformat()}"
        if gap.first == gap.last
        else f"from {gap.first.isoformat()} to {gap.last.isoformat()}"
    )
    return (
        f"Source {source} ends on {gap.source_end.isoformat()}; "
        f"{escape(gap.latest)} runs to {gap.latest_end.isoformat()}. "
        f"{span[0].upper()}{span[1:]} this view has no {source} rows: a gap in that source, "
        "not a quiet period."
    )
