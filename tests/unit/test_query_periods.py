"""Two periods compared region by region (oblastwatch.query.periods)."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.periods import period_comparison, week_before_and_of


def test_week_before_and_of():
    before, week_of = week_before_and_of(date(2026, 2, 26))
    assert before == (date(2026, 2, 19), date(2026, 2, 25))
    assert week_of == (date(2026, 2, 26), date(2026, 3, 4))


def test_period_comparison_keeps_no_reports_apart_from_zero():
    a = pd.Series({"UA-30": 2.0, "UA-46": 0.0, "UA-51": np.nan})
    b = pd.Series({"UA-30": 5.0, "UA-46": 1.0, "UA-51": 4.0, "UA-63": 0.0})
    out = period_comparison(a, b)
    assert out["region_code"].tolist() == list(REGION_CODES)
    rows = out.set_index("region_code")
    assert rows.loc["UA-30", "difference"] == 3.0
    assert rows.loc["UA-46", "difference"] == 1.0
    assert math.isnan(rows.loc["UA-51", "difference"])  # A had no reports
    assert math.isnan(rows.loc["UA-63", "difference"])
    assert rows.loc["UA-30", "region"] == "Kyiv"
