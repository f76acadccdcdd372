"""Two periods side by side: the Compare periods page's question of the region metrics.

:func:`week_before_and_of` names the preset periods around a round of talks;
:func:`period_comparison` joins two :func:`oblastwatch.query.metrics.region_metric` results
region by region. "No reports" (NaN) is kept apart from zero throughout.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from oblastwatch.domain.regions import REGION_CODES, REGIONS_BY_CODE


def week_before_and_of(first_day: date) -> tuple[tuple[date, date], tuple[date, date]]:
    """Period A: the 7 days before ``first_day``; period B: ``first_day`` and the 6 after.

    >>> week_before_and_of(date(2026, 2, 26))
    ((datetime.date(2026, 2, 19), datetime.date(2026, 2, 25)), (datetime.date(2026, 2, 26), \
datetime.date(2026, 3, 4)))
    """
    before = (first_day - timedelta(days=7), first_day - timedelta(days=1))
    week_of = (first_day, first_day + timedelta(days=6))
    return before, week_of


def period_comparison(a: pd.Series, b: pd.Series) -> pd.DataFrame:
    """Per-region values of two periods and their difference ``b - a``.

    ``a`` and ``b`` are :func:`oblastwatch.query.metrics.region_metric` results (index: region
    codes, NaN = no reports). The difference is NaN when either period has no reports for
    the region: "no reports" is not zero. Rows: all 27 regions in registry order; columns
    region_code, region, period_a, period_b, difference.
    """
    a = a.reindex(REGION_CODES).astype("float64")
    b = b.reindex(REGION_CODES).astype("float64")
    return pd.DataFrame(
        {
            "region_code": list(REGION_CODES),
            "region": [REGIONS_BY_CODE[c].name_en for c in REGION_CODES],
            "period_a": a.to_numpy(),
            "period_b": b.to_numpy(),
            "difference": (b - a).to_numpy(),
        }
    )
