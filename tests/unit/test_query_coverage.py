"""The data's date span, ranges over it, and the kinds and weapons in it."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from query_tables import hand_built_tables

from oblastwatch.domain.model import EVENT_KINDS
from oblastwatch.query.build import prepare
from oblastwatch.query.coverage import (
    data_date_span,
    kinds_present,
    latest_days,
    weapon_categories_present,
)
from oblastwatch.query.index import PreparedEvents
from oblastwatch.storage.bundled import load_bundled


@pytest.fixture
def prepared() -> PreparedEvents:
    return prepare(*hand_built_tables())


def test_span_and_the_latest_days_of_it(prepared):
    first, last = data_date_span(prepared)
    assert (first, last) == (date(2026, 2, 10), date(2026, 2, 25))
    assert latest_days(first, last, 30) == (date(2026, 2, 10), date(2026, 2, 25))
    assert latest_days(first, last, 7) == (date(2026, 2, 19), date(2026, 2, 25))
    assert latest_days(first, last, None) == (first, last)
    with pytest.raises(ValueError, match="at least one day"):
        latest_days(first, last, 0)


def test_kinds_and_weapon_categories_present(prepared):
    kinds = {"strike", "incident", "talks", "call"}
    assert kinds_present(prepared) == tuple(k for k in EVENT_KINDS if k in kinds)
    assert weapon_categories_present(prepared) == ("drone", "cruise missile", "other", "unknown")


def _reference_span(events: pd.DataFrame) -> tuple[date, date]:
    """Plain pandas answer for ``data_date_span``: first and last ``date``, the last pushed on
    by a talks round's ``end`` (an instant; one ending at Kyiv midnight ends the day before)."""
    dates = pd.to_datetime(events["date"]).dropna()
    ends = pd.to_datetime(events["end"], utc=True) - pd.Timedelta(1, "ns")
    end_days = ends.dt.tz_convert("Europe/Kyiv").dt.tz_localize(None).dt.normalize().dropna()
    return dates.min().date(), max(dates.max(), end_days.max()).date()


def test_span_ends_on_the_last_day_of_a_talks_round_that_ends_last():
    # The bundled Miami round (21-22 March 2026) is the newest event: a link to it must be
    # able to show its second day.
    bundled = load_bundled()
    miami = bundled.events[bundled.events["event_id"] == "curated-talks:E113"]
    assert miami["date"].dt.date.max() == date(2026, 3, 21)
    prepared = prepare(bundled.events, bundled.event_regions)
    assert data_date_span(prepared)[1] == date(2026, 3, 22)
    assert data_date_span(prepared) == _reference_span(bundled.events)
