"""One run of the event study for a :class:`~oblastwatch.study.settings.StudyRequest`.

The CLI and the page both make it this way: select the events, compare their windows with the
baseline, and align the series on their first days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from oblastwatch.study.effects import event_study
from oblastwatch.study.event_time import event_time_matrix, event_time_profile
from oblastwatch.study.events import select_events
from oblastwatch.study.settings import StudyRequest


@dataclass(frozen=True)
class StudyResult:
    """The tables of one run.

    Per event, pooled, the aligned matrix and its profile, and what the series covered.
    """

    table: pd.DataFrame
    pooled: pd.DataFrame
    matrix: pd.DataFrame
    profile: pd.DataFrame
    n_selected: int
    series_first: date | None
    series_last: date | None
    days_with_data: int
    n_days: int


def run_study(series: pd.DataFrame, events: pd.DataFrame, request: StudyRequest) -> StudyResult:
    """The study of ``request`` on a daily ``series`` and the loaded ``events``.

    ``series`` comes from :func:`oblastwatch.study.inputs.study_series`; ``events`` may hold
    any kinds: the request's selection picks the diplomatic ones.

    Raises ``ValueError`` with a one-line message when the inputs cannot be studied. No
    selected event is not an error: the tables are then empty and ``n_selected`` is 0.
    """
    selection, settings = request.selection, request.settings
    selected = select_events(
        events,
        kinds=selection.kinds or None,
        formats=selection.formats or None,
        parties=selection.parties or None,
    )
    study = event_study(series, selected, settings)
    matrix = event_time_matrix(series, selected, settings)
    return StudyResult(
        table=study.table,
        pooled=study.pooled,
        matrix=matrix,
        profile=event_time_profile(matrix, settings),
        n_selected=len(selected),
        series_first=series.index[0].date() if len(series) else None,
        series_last=series.index[-1].date() if len(series) else None,
        days_with_data=int(series[settings.metric].notna().sum()),
        n_days=len(series),
    )
