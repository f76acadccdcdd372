"""The event study's results: one row per event (or cluster) and one pooled row per window.

For every event (or cluster of nearby events, see ``StudySettings.overlap``) the study takes
three windows in Europe/Kyiv calendar days: *before* (start - N ... start - 1), *during*
(start ... end) and *after* (end + 1 ... end + N). Each window's mean daily value is compared
with a baseline as a ratio, with a percentile bootstrap interval and a two-sided permutation
p-value against placebo dates. ``docs/talks-effect.md`` explains the method, its assumptions
and caveats.

Everything is seeded through one ``numpy.random.Generator``: the same inputs and settings give
the same tables.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from oblastwatch.study.events import event_days, event_windows
from oblastwatch.study.placebo import PlaceboStudy
from oblastwatch.study.series import metric_values, series_origin
from oblastwatch.study.settings import DEFAULT_SETTINGS, StudySettings


@dataclass(frozen=True)
class EffectStudy:
    """The result of :func:`event_study`.

    ``table`` has one row per event or cluster (see :func:`talks_effect` for its columns);
    ``pooled`` has one row per window (see :func:`pooled_effect`).
    """

    table: pd.DataFrame
    pooled: pd.DataFrame


def talks_effect(
    series: pd.DataFrame,
    events: pd.DataFrame,
    settings: StudySettings = DEFAULT_SETTINGS,
    *,
    avoid: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per event (or cluster): window means, ratios to baseline, intervals, p-values.

    Columns: the unit columns of :func:`oblastwatch.study.events.event_windows` (event_ids ...
    parties), then before_mean, during_mean, after_mean (mean daily ``settings.metric`` over
    the days with data), baseline_mean, ratio_before, ratio_during, ratio_after (window mean /
    baseline), ci_low_<window>, ci_high_<window> (percentile bootstrap interval of each ratio),
    p_before, p_during, p_after (two-sided permutation p-values against placebo dates),
    n_days_missing (days of the three windows outside the series or without data) and
    n_placebo (placebo dates available to the test).
    """
    return event_study(series, events, settings, avoid=avoid).table


def pooled_effect(
    series: pd.DataFrame,
    events: pd.DataFrame,
    settings: StudySettings = DEFAULT_SETTINGS,
    *,
    avoid: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The mean ratio across the selected events, one row per window.

    Columns: window, n_units (events or clusters with a defined ratio and placebo dates),
    n_clusters (how many of them have windows that overlap no other's; fewer than n_units
    only with ``overlap="keep"``, and then the p-value and interval are too optimistic),
    mean_window (mean of their window means), mean_baseline, mean_ratio (mean of their
    ratios, each event weighted equally), ci_low, ci_high (percentile bootstrap over events),
    p_value (two-sided permutation test: each event's window replaced by one at a random
    placebo date of its own, the mean ratio recomputed ``n_permutations`` times).

    The same settings as :func:`talks_effect` give the draws behind its p-values.
    """
    return event_study(series, events, settings, avoid=avoid).pooled


def event_study(
    series: pd.DataFrame,
    events: pd.DataFrame,
    settings: StudySettings = DEFAULT_SETTINGS,
    *,
    avoid: pd.DataFrame | None = None,
) -> EffectStudy:
    """Run the event study once and return the per-event table and the pooled summary.

    * ``baseline="placebo"``: the baseline of an event is the mean over every placebo window
      of the same length whose anchor day lies within ``placebo_radius`` days of the event
      start (``None``: anywhere in the series) and whose whole pseudo-event span
      (before + during + after) lies inside the series and clear of every diplomatic
      event's windows (the events studied plus ``avoid``).
    * ``baseline="trailing-median"``: the median daily value over the 60 days before the
      "before" window (at least 20 of them with data); placebo dates get their own trailing
      median, so the test compares like with like.

    The permutation test draws ``n_permutations`` placebo dates per event (with
    replacement, from that event's placebo pool) and compares the statistic there with the
    observed one: p = min(1, 2 * min(P(null >= obs), P(null <= obs))), each with the +1
    correction ((1 + count) / (n + 1)).

    Both tables carry the settings in ``attrs``.
    """
    values = metric_values(series, settings.metric)
    units = event_windows(events, window=settings.window, overlap=settings.overlap)
    busy_events = events if avoid is None else pd.concat([events, avoid], ignore_index=True)
    study = PlaceboStudy(
        values=values,
        origin=series_origin(series),
        settings=settings,
        busy=event_days(busy_events),
    )
    rng = np.random.default_rng(settings.seed)
    table, pooled = study.run(units, rng)
    params = asdict(settings)
    table.attrs.update(params)
    pooled.attrs.update(params)
    return EffectStudy(table=table, pooled=pooled)
