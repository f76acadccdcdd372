"""What the study reads from the loaded data, decided once for the CLI and the page.

* **One strike source at a time.** The curated strikes bundled with the app and an imported
  Air Force dataset describe the same attack waves, so adding them up would count a wave
  twice; two imported datasets may overlap the same way. The study reads the strike rows of
  one loaded dataset. The default is an imported dataset before the bundled list (it is
  the fuller record), the one with the most strike rows first (:func:`strike_sources`).
* **What a day without rows means** (``absent_days``) is a property of the source *and* the
  metric unless the user chooses (:func:`absent_day_rule`, :data:`ABSENT_DAY_RULES`). The
  bundled curated list is meant to name every major wave within its span, so a day without a
  row had no major wave: ``waves`` is 0 there, except on the days its notes name as unlisted
  waves (:func:`without_known_gaps`). It says nothing about launches or regions hit by
  smaller attacks on those days, so the other metrics are missing. Outside its first..last
  day there is no data at all. An imported dataset is taken to report every day, as the Air
  Force daily reports do: every metric is 0.
* **The default metric** follows from the source (:func:`default_metric`): ``waves`` for the
  curated list, the only metric it fully defines on its days without rows, and
  ``drones_launched`` for an imported dataset.
* **Diplomatic events** come from every loaded dataset (the bundled talks table and any
  imported talks).

:func:`rule_sentence` says in one sentence which metric and rule a run used and why; the CLI
prints it and the page shows it. ``docs/talks-effect.md`` gives the reasons at more length.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.i18n import Message, plural_message
from oblastwatch.storage.dataset import IMPORTED, Dataset
from oblastwatch.study.series import ABSENT_DAY_POLICIES, daily_series
from oblastwatch.study.settings import (
    DEFAULT_SELECTION,
    DEFAULT_SETTINGS,
    METRICS,
    EventSelection,
    StudyRequest,
    StudySettings,
)

# The absent-day choice that lets the source and the metric decide.
AUTO = "auto"
ABSENT_DAY_CHOICES = (AUTO, *ABSENT_DAY_POLICIES)

# Kinds of strike source. A *curated list* (the bundled strikes) names major waves only; a
# *daily report* source (an imported Air Force / Massive Missile Attacks dataset) has a row
# for every day on which anything was reported.
CURATED_LIST = "curated list"
DAILY_REPORTS = "daily reports"
SOURCE_KINDS = (CURATED_LIST, DAILY_REPORTS)

# What a day without rows means, per (source kind, metric), and why. Inside the span of the
# series only: days before the first or after the last strike row are not in the series and
# have no data under every rule.
_SILENT_ON_SMALL_ATTACKS = Message(
    "the list says nothing about launches by smaller attacks on the days it skips"
)
ABSENT_DAY_RULES: dict[tuple[str, str], tuple[str, Message]] = {
    (CURATED_LIST, "waves"): (
        "zero",
        Message(
            "the list is meant to name every wave of at least 100 drones or 10 missiles, "
            "so a day without a listed wave had no major wave"
        ),
    ),
    (CURATED_LIST, "drones_launched"): ("missing", _SILENT_ON_SMALL_ATTACKS),
    (CURATED_LIST, "missiles_launched"): ("missing", _SILENT_ON_SMALL_ATTACKS),
    (CURATED_LIST, "regions_hit"): (
        "missing",
        Message(
            "a day without a listed wave had no major wave, but smaller attacks may have hit "
            "regions that the list does not name"
        ),
    ),
    **{
        (DAILY_REPORTS, metric): (
            "zero",
            Message(
                "the source is taken to report every day, so a day without a row had nothing "
                "reported"
            ),
        )
        for metric in METRICS
    },
}

# Days inside the curated list's span on which the Air Force data meet the list's threshold
# but which have no row yet: the "Known gaps" of the list's notes (strikes_notes.md; its
# 2025-01-03 lies before the list's first day). A day without a row counts as 0 waves only
# where the list is complete, so these days stay missing under the "zero" rule.
CURATED_KNOWN_GAPS = tuple(
    date.fromisoformat(day)
    for day in (
        "2025-02-11", "2025-02-20", "2025-04-06", "2025-05-24", "2025-06-15", "2025-06-21",
        "2025-06-27", "2025-07-05", "2025-07-10", "2025-07-15", "2025-07-16", "2025-07-19",
        "2025-07-26", "2025-07-28", "2025-08-19", "2025-10-03", "2025-10-16", "2026-02-06",
        "2026-02-09", "2026-02-12",
    )
)  # fmt: skip

# The metric studied when none is chosen, per source kind: the curated list defines only
# ``waves`` on its days without rows, so launch counts leave almost every window empty.
DEFAULT_METRICS = {CURATED_LIST: "waves", DAILY_REPORTS: "drones_launched"}

# What each metric counts, for the sentence that names it.
METRIC_DESCRIPTIONS = {
    "waves": Message("count of major attack waves per day"),
    "drones_launched": Message("drones launched per day"),
    "missiles_launched": Message("missiles launched per day"),
    "regions_hit": Message("regions named as hit per day"),
}
SOURCE_DESCRIPTIONS = {
    CURATED_LIST: Message("the curated list"),
    DAILY_REPORTS: Message("the daily reports"),
}


def absent_day_rule(source_kind: str, metric: str) -> str:
    """What a day without rows means for ``metric`` of a ``source_kind`` source.

    ``"zero"`` or ``"missing"``, from :data:`ABSENT_DAY_RULES`.

    >>> absent_day_rule(CURATED_LIST, "waves"), absent_day_rule(CURATED_LIST, "drones_launched")
    ('zero', 'missing')
    >>> absent_day_rule(DAILY_REPORTS, "regions_hit")
    'zero'
    """
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"source kind must be one of {SOURCE_KINDS}, got {source_kind!r}")
    if metric not in METRICS:
        raise ValueError(f"metric must be one of {METRICS}, got {metric!r}")
    return ABSENT_DAY_RULES[(source_kind, metric)][0]


@dataclass(frozen=True)
class StrikeSource:
    """A loaded dataset that holds strike events."""

    name: str
    imported: bool
    strike_rows: int

    @property
    def kind(self) -> str:
        """:data:`DAILY_REPORTS` for an imported dataset, :data:`CURATED_LIST` for the bundled one."""
        return DAILY_REPORTS if self.imported else CURATED_LIST

    @property
    def label(self) -> str:
        """The source as a user picks it: name, imported or bundled, and its strike rows."""
        return str(self.label_message)

    @property
    def label_message(self) -> Message:
        """:attr:`label` as a message, for a page in the reader's language."""
        return plural_message(
            "{name} ({origin}, {count:,} strike row)",
            "{name} ({origin}, {count:,} strike rows)",
            self.strike_rows,
            {
                "name": self.name,
                "origin": Message("imported") if self.imported else Message("bundled"),
                "count": self.strike_rows,
            },
        )


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


def absent_days_for(source: StrikeSource, metric: str, choice: str = AUTO) -> str:
    """``choice`` itself, or with :data:`AUTO` the rule for the source and metric.

    The rule is :func:`absent_day_rule` of ``source.kind`` and ``metric``.

    >>> curated = StrikeSource("curated-strikes", False, 98)
    >>> absent_days_for(curated, "waves"), absent_days_for(curated, "drones_launched")
    ('zero', 'missing')
    >>> absent_days_for(StrikeSource("mma", True, 3468), "drones_launched"), absent_days_for(
    ...     StrikeSource("mma", True, 3468), "drones_launched", "missing")
    ('zero', 'missing')
    """
    if choice not in ABSENT_DAY_CHOICES:
        raise ValueError(f"absent_days must be one of {ABSENT_DAY_CHOICES}, got {choice!r}")
    return absent_day_rule(source.kind, metric) if choice == AUTO else choice


def default_metric(source: StrikeSource) -> str:
    """The metric studied from ``source`` when none is chosen (:data:`DEFAULT_METRICS`)."""
    return DEFAULT_METRICS[source.kind]


def default_request(
    dataset: Dataset,
    *,
    selection: EventSelection = DEFAULT_SELECTION,
    settings: StudySettings = DEFAULT_SETTINGS,
) -> StudyRequest:
    """The request the CLI runs without options and the page opens with.

    The default strike source, its default metric (replacing ``settings.metric``) and the
    absent-day rule of the two, talks, default settings.
    """
    source = find_source(strike_sources(dataset), None)
    metric = default_metric(source)
    return StudyRequest(
        source.name,
        absent_days_for(source, metric),
        selection,
        replace(settings, metric=metric),
    )


def rule_sentence(
    source: StrikeSource,
    metric: str,
    absent_days: str,
    first: date | None,
    last: date | None,
) -> str:
    """:func:`rule_message` in English, the line the CLI prints.

    >>> rule_sentence(StrikeSource("curated-strikes", False, 53), "waves", "zero",
    ...               date(2025, 1, 15), date(2026, 3, 14))  # doctest: +NORMALIZE_WHITESPACE
    'metric: waves (count of major attack waves per day from the curated list; a day without
    a row counts as 0 within 2025-01-15..2026-03-14: the list is meant to name every wave of at
    least 100 drones or 10 missiles, so a day without a listed wave had no major wave; the 20
    days its notes name as such waves not yet listed are missing)'
    """
    return str(rule_message(source, metric, absent_days, first, last))


def rule_message(
    source: StrikeSource,
    metric: str,
    absent_days: str,
    first: date | None,
    last: date | None,
) -> Message:
    """One line saying which metric and absent-day rule a run used, and why.

    ``absent_days`` is the rule the run used; when it differs from the source's own rule
    (the user chose it) the sentence says so. ``first`` and ``last`` are the series' span.
    """
    rule, why = ABSENT_DAY_RULES[(source.kind, metric)]
    what = Message(
        "{metric} from {source}",
        {"metric": METRIC_DESCRIPTIONS[metric], "source": SOURCE_DESCRIPTIONS[source.kind]},
    )
    span: Message | str = (
        f"{first}..{last}" if first is not None and last is not None else Message("its span")
    )
    counted = Message("counts as 0") if absent_days == "zero" else Message("is missing, not 0,")
    reason = why
    if absent_days != rule:
        reason = Message(
            "chosen by the user; the rule for this source and metric is {rule}",
            {"rule": "0" if rule == "zero" else Message("missing")},
        )
    gaps: Message | str = ""
    if source.kind == CURATED_LIST and absent_days == "zero":
        count = len(CURATED_KNOWN_GAPS)
        gaps = plural_message(
            "; the {count} day its notes name as such waves not yet listed is missing",
            "; the {count} days its notes name as such waves not yet listed are missing",
            count,
            {"count": count},
        )
    return Message(
        "metric: {metric} ({what}; a day without a row {counted} within {span}: {reason}{gaps})",
        {
            "metric": metric,
            "what": what,
            "counted": counted,
            "span": span,
            "reason": reason,
            "gaps": gaps,
        },
    )


def strike_tables(dataset: Dataset, source: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The strike events of one source and their ``event_regions`` rows."""
    events = dataset.events
    strikes = events.loc[
        (events["source"] == source).fillna(False).to_numpy(bool)
        & events["kind"].eq("strike").fillna(False).to_numpy(bool)
    ]
    regions = dataset.event_regions
    return strikes, regions.loc[regions["event_id"].isin(strikes["event_id"])]


def study_series(dataset: Dataset, source: StrikeSource, absent_days: str) -> pd.DataFrame:
    """The daily series of one strike source under ``absent_days`` ("zero" or "missing").

    With :func:`without_known_gaps` applied, as the page's series is.
    """
    strikes, regions = strike_tables(dataset, source.name)
    series = daily_series(strikes, regions, absent_days=absent_days)
    return without_known_gaps(series, source)


def without_known_gaps(series: pd.DataFrame, source: StrikeSource) -> pd.DataFrame:
    """``series`` with the curated list's known unlisted waves missing (NaN) on every metric.

    :data:`CURATED_KNOWN_GAPS` are days on which a major wave took place that the list does not
    name yet, so 0 would be wrong for them; only days without a strike row are changed, and
    only for a :data:`CURATED_LIST` source. Other series are returned unchanged.
    """
    if source.kind != CURATED_LIST or series.empty:
        return series
    gaps = pd.DatetimeIndex([pd.Timestamp(day) for day in CURATED_KNOWN_GAPS])
    gaps = gaps[gaps.isin(series.index)]
    if gaps.empty:
        return series
    listed = series.loc[gaps, "waves"].fillna(0) > 0  # a day with a row keeps its values
    out = series.copy()
    out.loc[gaps[~listed.to_numpy()]] = float("nan")
    return out


def diplomatic_events(dataset: Dataset) -> pd.DataFrame:
    """The diplomatic events of every loaded dataset."""
    events = dataset.events
    return events.loc[events["kind"].isin(DIPLOMATIC_KINDS).fillna(False).to_numpy(bool)]
