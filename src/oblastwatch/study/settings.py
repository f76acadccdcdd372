"""What one run of the event study is asked: the settings, the event selection, the request.

Every choice is a field of a frozen dataclass, checked when the object is made, so the
functions of the study take one settings object instead of a dozen keyword arguments, and the
page can use a request as its cache key (the dataclasses are hashable).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from oblastwatch.domain.model import DIPLOMATIC_KINDS, EVENT_KINDS

METRICS = ("drones_launched", "missiles_launched", "waves", "regions_hit")
WINDOWS = ("before", "during", "after")
BASELINES = ("placebo", "trailing-median")
OVERLAP_POLICIES = ("merge", "exclude", "keep")
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 1, 30
# Days before and after each event. Talks rounds in 2025-26 often came 10-14 days apart
# (Istanbul, Abu Dhabi, Geneva); two events merge when their windows share a day, so with 7
# days those rounds chain into long clusters (Jan-Mar 2026 into one of 65 days) that no placebo
# date matches. 5 days keeps rounds 10 or more days apart separate (docs/talks-effect.md).
DEFAULT_WINDOW_DAYS = 5
# Placebo dates are drawn within this many days of the event: strike volumes grew several
# fold during the war, so placebo windows from another year would mix the time trend into
# the comparison.
DEFAULT_PLACEBO_RADIUS_DAYS = 120
TRAILING_DAYS = 60
# A trailing median needs at least this many days with data among its 60.
MIN_TRAILING_VALID_DAYS = 20
# The diplomatic kinds studied unless the caller picks others: all kinds together chain the
# dense months of 2025 into one long cluster (see docs/talks-effect.md), and the question is
# about talks.
DEFAULT_KINDS = ("talks",)


def check_window(window: int) -> None:
    """Raise ``ValueError`` unless ``window`` is a whole number of days in range."""
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)):
        raise ValueError(f"window must be a whole number of days, got {window!r}")
    if not MIN_WINDOW_DAYS <= window <= MAX_WINDOW_DAYS:
        raise ValueError(
            f"window must be between {MIN_WINDOW_DAYS} and {MAX_WINDOW_DAYS} days, got {window}"
        )


def check_kinds(kinds: Iterable[str]) -> None:
    """Raise ``ValueError`` naming the first of ``kinds`` that is not a diplomatic kind."""
    for kind in kinds:
        if kind not in DIPLOMATIC_KINDS:
            known = ", ".join(DIPLOMATIC_KINDS)
            what = "a diplomatic kind" if kind in EVENT_KINDS else "a known kind"
            raise ValueError(f"{kind!r} is not {what}; choose from {known}")


@dataclass(frozen=True)
class StudySettings:
    """How the study compares windows with a baseline.

    * ``window``: days before and after each event (N);
    * ``metric``: the column of the daily series to study;
    * ``baseline``: ``"placebo"`` (mean over placebo windows near the event) or
      ``"trailing-median"`` (median of the 60 days before the "before" window);
    * ``overlap``: ``"merge"``, ``"exclude"`` or ``"keep"`` events whose windows overlap;
    * ``n_permutations``, ``n_bootstrap``: draws of the permutation test and the bootstrap;
    * ``seed``: seed of the one random generator every draw comes from;
    * ``placebo_radius``: placebo dates lie within this many days of the event (``None``:
      anywhere in the series);
    * ``confidence``: level of the intervals.

    >>> StudySettings(window=3).window
    3
    >>> StudySettings(window=0)
    Traceback (most recent call last):
    ...
    ValueError: window must be between 1 and 30 days, got 0
    """

    window: int = DEFAULT_WINDOW_DAYS
    metric: str = "drones_launched"
    baseline: str = "placebo"
    overlap: str = "merge"
    n_permutations: int = 2000
    n_bootstrap: int = 2000
    seed: int = 0
    placebo_radius: int | None = DEFAULT_PLACEBO_RADIUS_DAYS
    confidence: float = 0.95

    def __post_init__(self) -> None:
        """Raise ``ValueError`` for a setting out of its range or not among its choices."""
        check_window(self.window)
        if self.baseline not in BASELINES:
            raise ValueError(f"baseline must be one of {BASELINES}, got {self.baseline!r}")
        if self.overlap not in OVERLAP_POLICIES:
            raise ValueError(f"overlap must be one of {OVERLAP_POLICIES}, got {self.overlap!r}")
        if self.n_permutations < 1 or self.n_bootstrap < 1:
            raise ValueError("n_permutations and n_bootstrap must be at least 1")
        if not 0 < self.confidence < 1:
            raise ValueError(f"confidence must be between 0 and 1, got {self.confidence}")
        if self.placebo_radius is not None and self.placebo_radius < 1:
            raise ValueError(f"placebo_radius must be at least 1 day, got {self.placebo_radius}")


# The settings every function of the study uses when none are given.
DEFAULT_SETTINGS = StudySettings()


@dataclass(frozen=True)
class EventSelection:
    """Which diplomatic events are studied; an empty tuple means no filter on that field.

    ``kinds`` are diplomatic kinds (:data:`DEFAULT_KINDS` unless given), ``formats`` match the
    ``format`` column case-insensitively, and an event is kept only if every one of
    ``parties`` took part (spellings of one party match, see
    :func:`oblastwatch.domain.rules.took_part`).
    """

    kinds: tuple[str, ...] = DEFAULT_KINDS
    formats: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        """Raise ``ValueError`` for a kind that is not diplomatic (:func:`check_kinds`)."""
        check_kinds(self.kinds)


# The events studied when none are chosen: talks.
DEFAULT_SELECTION = EventSelection()


@dataclass(frozen=True)
class StudyRequest:
    """Every input of one run: the strike source, what its silent days mean, events, settings.

    Hashable, so the page caches results under it.
    """

    source: str
    absent_days: str
    selection: EventSelection = DEFAULT_SELECTION
    settings: StudySettings = DEFAULT_SETTINGS
