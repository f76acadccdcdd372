"""The data's age and the sources' coverage gaps, as the lines a reader sees.

Built from :mod:`oblastwatch.query.freshness`. Source names come from the user (``--name``, an
uploaded file's name), so every one is Markdown-escaped here; dates and counts are ours.
Each function writes in its translator ``t``'s language (English by default, as the CLI).
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.url_params import escape_markdown
from oblastwatch.query.freshness import STALE_AFTER_DAYS, CoverageGap, Freshness


def days_ago(days: int, t: Translator = ENGLISH) -> str:
    """``days`` as a phrase: "today", "1 day ago", "267 days ago" (or "... from today").

    >>> [days_ago(n) for n in (0, 1, 267, -2)]
    ['today', '1 day ago', '267 days ago', '2 days from today']
    """
    if days == 0:
        return t.gettext("today")
    count = abs(days)
    if days > 0:
        return t.ngettext("{count} day ago", "{count} days ago", count).format(count=count)
    return t.ngettext("{count} day from today", "{count} days from today", count).format(
        count=count
    )


def _dated(day: date, today: date, t: Translator) -> str:
    return f"{day.isoformat()}, {days_ago((today - day).days, t)}"


def with_age(sources: pd.DataFrame, today: date) -> pd.DataFrame:
    """The ``sources`` table with ``age_days``: days from each dataset's last day to ``today``.

    >>> table = pd.DataFrame({"end": [pd.Timestamp("2026-03-14"), pd.NaT]})
    >>> with_age(table, date(2026, 12, 6))["age_days"].tolist()
    [267, <NA>]
    """
    ends = pd.to_datetime(sources["end"]).dt.normalize()
    age = (pd.Timestamp(today) - ends).dt.days.astype("Int64")
    return sources.assign(age_days=age)


def freshness_line(freshness: Freshness, t: Translator = ENGLISH) -> str | None:
    """One line with the newest attack and the newest diplomatic event; None without events.

    >>> f = Freshness(date(2026, 3, 14), date(2026, 3, 22), today=date(2026, 12, 6))
    >>> freshness_line(f)
    'Newest attack: 2026-03-14, 267 days ago · newest diplomatic event: 2026-03-22, 259 days ago'
    """
    parts = []
    if freshness.newest_attack is not None:
        parts.append(
            t.gettext("Newest attack: {when}").format(
                when=_dated(freshness.newest_attack, freshness.today, t)
            )
        )
    if freshness.newest_diplomatic is not None:
        when = _dated(freshness.newest_diplomatic, freshness.today, t)
        if parts:
            parts.append(t.gettext("newest diplomatic event: {when}").format(when=when))
        else:
            parts.append(t.gettext("Newest diplomatic event: {when}").format(when=when))
    return " · ".join(parts) or None


def stale_warning(freshness: Freshness, t: Translator = ENGLISH) -> str | None:
    """The warning for data older than the limit, with the step that refreshes it; else None.

    >>> print(stale_warning(Freshness(date(2026, 3, 14), None, today=date(2026, 3, 29))))
    The newest attack in the data is 15 days old (more than 14). To bring it up to date, press “Get the latest Air Force figures” on the Data page (or run `oblastwatch fetch mma`).
    """  # noqa: E501
    if not freshness.stale:
        return None
    days = freshness.age_days or 0
    if freshness.newest_attack is not None:
        old = t.ngettext(
            "The newest attack in the data is {days} day old (more than {limit}).",
            "The newest attack in the data is {days} days old (more than {limit}).",
            days,
        )
    else:
        old = t.ngettext(
            "The newest diplomatic event in the data is {days} day old (more than {limit}).",
            "The newest diplomatic event in the data is {days} days old (more than {limit}).",
            days,
        )
    refresh = t.gettext(
        "To bring it up to date, press “Get the latest Air Force figures” on the Data page "
        "(or run `oblastwatch fetch mma`)."
    )
    return f"{old.format(days=days, limit=STALE_AFTER_DAYS)} {refresh}"


def coverage_note(gap: CoverageGap, *, markdown: bool = True, t: Translator = ENGLISH) -> str:
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
    ends = t.gettext("Source {source} ends on {end}; {latest} runs to {latest_end}.").format(
        source=source,
        end=gap.source_end.isoformat(),
        latest=escape(gap.latest),
        latest_end=gap.latest_end.isoformat(),
    )
    if gap.first == gap.last:
        missing = t.gettext(
            "On {day} this view has no {source} rows: a gap in that source, not a quiet period."
        ).format(day=gap.first.isoformat(), source=source)
    else:
        missing = t.gettext(
            "From {first} to {last} this view has no {source} rows: a gap in that source, "
            "not a quiet period."
        ).format(first=gap.first.isoformat(), last=gap.last.isoformat(), source=source)
    return f"{ends} {missing}"
