"""What the study reads from the loaded data, decided once for the CLI and the page.

* **One strike source at a time.** The curated strikes bundled with the app and an imported
  Air Force dataset describe the same attack waves, so adding them up would count a wave
  twice; two imported datasets may overlap the same way. The study reads the strike rows of
  one loaded dataset. The default is an imported dataset before the bundled list (it is
  the fuller record), the one with the most strike rows first (:func:`strike_sources`).
* **What a day without rows means** (``absent_days``) follows from the source unless the
  user chooses: *missing* for the bundled curated list, which names major waves only and
  says nothing about the days it skips, and *zero* for an imported dataset, which is taken
  to report every day as the Air Force daily reports do (:func:`absent_days_for`).
* **Diplomatic events** come from every loaded dataset (the bundled talks table and any
  imported talks).

``docs/talks-effect.md`` gives the reasons at more length.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.storage.dataset import IMPORTED, Dataset
from oblastwatch.study.series import ABSENT_DAY_POLICIES, daily_series
from oblastwatch.study.settings import (
    DEFAULT_SELECTION,
    DEFAULT_SETTINGS,
    EventSelection,
    StudyRequest,
    StudySettings,
)

# The absent-day choice that lets the source decide.
AUTO = "auto"
ABSENT_DAY_CHOICES = (AUTO, *ABSENT_DAY_POLICIES)


@dataclass(frozen=True)
class StrikeSource:
    """A loaded dataset that holds strike events."""

    name: str
    imported: bool
    strike_rows: int

    @property
    def absent_days(self) -> str:
        """What a day without rows means for this source when the user does not say."""
        return "zero" if self.imported else "missing"

    @property
    def label(self) -> str:
        """The source as a user picks it: name, imported or bundled, and its strike rows."""
        origin = "imported" if self.imported else "bundled"
        return f"{self.name} ({origin}, {self.strike_rows:,} strike rows)"


def strike_sources(dataset: Dataset) -> tuple[StrikeSource, ...]:
    """The loaded datasets with strike events, the default choice first.

    Imported datasets come before bundled ones, more strike rows first, then by name.
    """
    events = dataset.events
    is_strike = events["kind"].eq("strike").fillna(False).to_numpy(bool)
    counts = events.loc[is_strike, "source"].value_counts()
    imported = set(dataset.sources.loc[dataset.sources["kind"] == IMPORTED, "name"])
    found = [StrikeSource(str(name), name in imported, int(n)) for name, n in counts.items()]
    return tuple(sorted(found, key=lambda s: (not s.imported, -s.strike_rows, s.name)))


def find_source(sources: tuple[StrikeSource, ...], name: str | None) -> StrikeSource:
    """The source called ``name``, or the default (the first) when ``name`` is None.

    Raises ``ValueError`` naming the loaded sources when there is none or no such one.
    """
    if not sources:
        raise ValueError("no strike events are loaded to build a daily series from")
    if name is None:
        return sources[0]
    for source in sources:
        if source.name == name:
            return source
    known = ", ".join(s.name for s in sources)
    raise ValueError(f"no strike data named {name!r}; loaded: {known}")


def absent_days_for(source: StrikeSource, choice: str = AUTO) -> str:
    """``choice`` itself, or with :data:`AUTO` the source's own rule (``StrikeSource.absent_days``).

    >>> absent_days_for(StrikeSource("curated-strikes", False, 98))
    'missing'
    >>> absent_days_for(StrikeSource("mma", True, 3468)), absent_days_for(
    ...     StrikeSource("mma", True, 3468), "missing")
    ('zero', 'missing')
    """
    if choice not in ABSENT_DAY_CHOICES:
        raise ValueError(f"absent_days must be one of {ABSENT_DAY_CHOICES}, got {choice!r}")
    return source.absent_days if choice == AUTO else choice


def default_request(
    dataset: Dataset,
    *,
    selection: EventSelection = DEFAULT_SELECTION,
    settings: StudySettings = DEFAULT_SETTINGS,
) -> StudyRequest:
    """The request the CLI runs without options and the page opens with.

    The default strike source, its own absent-day rule, talks, default settings.
    """
    source = find_source(strike_sources(dataset), None)
    return StudyRequest(source.name, source.absent_days, selection, settings)


def strike_tables(dataset: Dataset, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The strike events of one source and their ``event_regions`` rows."""
    events = dataset.events
    strikes = events.loc[
        (events["source"] == source).fillna(False).to_numpy(bool)
        & events["kind"].eq("strike").fillna(False).to_numpy(bool)
    ]
    regions = dataset.event_regions
    return strikes, regions.loc[regions["event_id"].isin(strikes["event_id"])]


def study_series(dataset: Dataset, source: str, absent_days: str) -> pd.DataFrame:
    """The daily series of one strike source under ``absent_days`` ("zero" or "missing")."""
    strikes, regions = strike_tables(dataset, source)
    return daily_series(strikes, regions, absent_days=absent_days)


def diplomatic_events(dataset: Dataset) -> pd.DataFrame:
    """The diplomatic events of every loaded dataset."""
    events = dataset.events
    return events.loc[events["kind"].isin(DIPLOMATIC_KINDS).fillna(False).to_numpy(bool)]
