"""The shared filters refuse what no view can show."""

from __future__ import annotations

from datetime import date

import pytest

from oblastwatch.query.filters import Filters


def test_filters_validate_range_and_region():
    with pytest.raises(ValueError, match="before it starts"):
        Filters(date(2026, 2, 2), date(2026, 2, 1))
    with pytest.raises(ValueError, match="UA-99"):
        Filters(date(2026, 2, 1), date(2026, 2, 2), region="UA-99")
