"""How old the loaded data is, and which days each source does not cover.

Two questions the reader cannot answer from a chart: *how recent is this?* and *is an empty
stretch quiet, or did a source stop?* Both are read from the prepared index, never from the
wall clock: the caller passes ``today``.

The data's age is the age of its newest **attack** (an event of kind ``strike`` or
``incident``): the map, the timeline's bars and the study count attacks, and importing the
newest attack data is what refreshes them. The newest diplomatic event (the last day of the
latest round) is reported beside it, because the curated talks can run past the strikes or
stop before them. Data with no attacks takes its age from its diplomatic events.

A source *covers* the days from its first to its last event (a diplomatic round's last day
counts). Where one source ends before another, the days after its end have no rows from it:
:func:`coverage_gaps` names them so that a view can say that a gap in a source is not a quiet
period.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import numpy as np

from oblastwatch.domain.model import EVENT_KINDS
from oblastwatch.query.codes import as_date
from oblastwatch.query.index import PreparedEvents

STALE_AFTER_DAYS = 14
ATTACK_KINDS = ("strike", "incident")


@dataclass(frozen=True)
class SourceSpan:
    """The first and last day with an event from the source ``name``."""

    name: str
    first: date
    last: date


@dataclass(frozen=True)
class Freshness:
    """The newest attack and diplomatic days of the loaded data, seen from ``today``.

    Either date is ``None`` when the data holds no event of that track.
    """

    newest_attack: date | None
    newest_diplomatic: date | None
    today: date

    @property
    def newest(self) -> date | None:
        """The day the data's age is counted from: the newest attack, else diplomatic event."""
        return self.newest_attack if self.newest_attack is not None else self.newest_diplomatic

    @property
    def age_days(self) -> int | None:
        """Days from :attr:`newest` to ``today`` (0 on the same day); ``None`` without events."""
        newest = self.newest
        return None if newest is None else (self.today - newest).days

    @property
    def stale(self) -> bool:
        """Whether :attr:`newest` is more than :data:`STALE_AFTER_DAYS` days before ``today``."""
        age = self.age_days
        return age is not None and age > STALE_AFTER_DAYS


@dataclass(frozen=True)
class CoverageGap:
    """Days within a view on which ``source`` has no rows because it ended before ``latest``.

    ``source_end`` is the source's last day, ``latest_end`` the last day of ``latest``, the
    source that runs longest; ``first`` and ``last`` are the uncovered days inside the view.
    """

    source: str
    source_end: date
    latest: str
    latest_end: date
    first: date
    last: date


def source_spans(prepared: PreparedEvents) -> tuple[SourceSpan, ...]:
    """Each source's first and last day, in the order of ``prepared.sources``.

    A diplomatic round that ends after its ``date`` extends its source to the round's last day.
    Sources without events are left out.
    """
    n_sources = len(prepared.sources)
    if not len(prepared) or not n_sources:
        return ()
    first = np.full(n_sources, np.iinfo(np.int64).max, dtype=np.int64)
    last = np.full(n_sources, np.iinfo(np.int64).min, dtype=np.int64)
    np.minimum.at(first, prepared.source, prepared.day)
    np.maximum.at(last, prepared.source, prepared.day)
    counts = np.bincount(prepared.source, minlength=n_sources)
    last_dates = [as_date(d) if n else None for d, n in zip(last, counts, strict=True)]
    diplomatic = prepared.diplomatic
    if len(diplomatic):
        round_ends = diplomatic.groupby("source")["last_day"].max()
        for code, name in enumerate(prepared.sources):
            end = last_dates[code]
            if name in round_ends.index and end is not None:
                last_dates[code] = max(end, round_ends[name].date())
    return tuple(
        SourceSpan(name, as_date(first[code]), end)
        for code, (name, end) in enumerate(zip(prepared.sources, last_dates, strict=True))
        if end is not None
    )


def data_freshness(prepared: PreparedEvents, today: date) -> Freshness:
    """The newest attack day and the newest diplomatic day of ``prepared``, seen from ``today``."""
    attack_codes = [EVENT_KINDS.index(kind) for kind in ATTACK_KINDS]
    attack_days = prepared.day[np.isin(prepared.kind, attack_codes)]
    newest_attack = as_date(attack_days.max()) if len(attack_days) else None
    diplomatic = prepared.diplomatic
    newest_diplomatic = diplomatic["last_day"].max().date() if len(diplomatic) else None
    return Freshness(newest_attack, newest_diplomatic, today)


def coverage_gaps(
    spans: Iterable[SourceSpan],
    *,
    start: date,
    end: date,
    sources: Iterable[str] | None = None,
) -> tuple[CoverageGap, ...]:
    """The days in ``start``..``end`` after a source's last day, up to the longest source's last.

    Only the ``sources`` named are compared (every span for ``None``). A source that ends on or
    after ``end``, or whose uncovered days fall outside the view, has no gap. Gaps come in the
    order of ``spans``.

    >>> spans = [
    ...     SourceSpan("curated-strikes", date(2025, 1, 15), date(2026, 3, 14)),
    ...     SourceSpan("mma", date(2022, 9, 1), date(2026, 11, 30)),
    ... ]
    >>> [g.first for g in coverage_gaps(spans, start=date(2026, 1, 1), end=date(2026, 12, 31))]
    [datetime.date(2026, 3, 15)]
    """
    chosen = None if sources is None else set(sources)
    shown = [s for s in spans if chosen is None or s.name in chosen]
    if len(shown) < 2:
        return ()
    latest = max(shown, key=lambda s: s.last)
    gaps = []
    for span in shown:
        if span.last >= latest.last:
            continue
        first = max(start, date.fromordinal(span.last.toordinal() + 1))
        last = min(end, latest.last)
        if first <= last:
            gaps.append(CoverageGap(span.name, span.last, latest.name, latest.last, first, last))
    return tuple(gaps)
