"""A region metric divided by residents or area: the values the map colours, and why one is empty.

Every metric of :data:`~oblastwatch.query.metrics.METRICS` but those in
:data:`~oblastwatch.query.metrics.RAW_ONLY_METRICS` (the counts: waves, weapons, incidents, and
any count added later) can be divided by a
:class:`~oblastwatch.domain.denominators.Denominator`. Two kinds of empty stay apart:

* **no reports**: the count is ``NaN`` (no report names the region); the rate is ``NaN`` too.
* **no data**: the region has reports but no figure to divide by (``no_figure``); its rate is
  ``NaN`` as well, and is never shown as 0 or infinity.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from oblastwatch.domain.denominators import RAW, Denominator, denominator
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.metrics import METRICS, RAW_ONLY_METRICS, region_metric


@dataclass(frozen=True)
class RegionValues:
    """The map's values of one metric.

    ``values`` is what is coloured (the counts, or the rates); ``counts`` the metric itself;
    ``denominator`` ``None`` for raw counts; ``no_figure`` the regions with reports but no
    denominator figure (their value is ``NaN``: "no data").
    """

    metric: str
    values: pd.Series
    counts: pd.Series
    denominator: Denominator | None = None
    no_figure: tuple[str, ...] = ()

    @property
    def normalisation(self) -> str:
        """``raw``, ``people`` or ``area``."""
        return RAW if self.denominator is None else self.denominator.key


def divide(counts: pd.Series, by: Denominator) -> tuple[pd.Series, tuple[str, ...]]:
    """``counts / figure * per`` for each region, and the regions with reports but no figure.

    >>> import pandas as pd
    >>> from oblastwatch.domain.denominators import population_denominator
    >>> people = population_denominator(
    ...     pd.DataFrame({"population": [200_000], "reference_date": [None]}, index=["UA-05"])
    ... )
    >>> rates, missing = divide(pd.Series({"UA-05": 3.0, "UA-07": 1.0, "UA-09": None}), people)
    >>> rates.tolist(), missing
    ([1.5, nan, nan], ('UA-07',))
    """
    figures = by.figures.reindex(counts.index)
    rates = counts.astype("float64") / figures * by.per
    no_figure = counts.notna() & figures.isna()
    return rates.rename(counts.name), tuple(str(code) for code in counts.index[no_figure])


def applicable_normalisation(metric: str, normalisation: str) -> str:
    """``normalisation``, or ``raw`` for a metric that is shown raw only.

    >>> applicable_normalisation("waves", "people"), applicable_normalisation("days", "people")
    ('people', 'raw')
    """
    return RAW if metric in RAW_ONLY_METRICS else normalisation


def check_normalisation(metric: str, normalisation: str) -> None:
    """Raise ``ValueError`` when ``metric`` cannot be shown as ``normalisation``."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    if normalisation != RAW and metric in RAW_ONLY_METRICS:
        raise ValueError(
            f"{METRICS[metric].label} is not a count that grows with a region's size; "
            "it is shown raw only"
        )


def normalise(
    counts: pd.Series, metric: str, normalisation: str = RAW, *, by: Denominator | None = None
) -> RegionValues:
    """``counts`` of ``metric`` shown as ``normalisation``.

    ``counts`` is a :func:`~oblastwatch.query.metrics.region_metric` result or any count by
    region code.

    ``by`` overrides the bundled denominator of that normalisation (a cached one, or a test's).
    Raises ``ValueError`` for a metric that is shown raw only (:data:`RAW_ONLY_METRICS`) or a
    denominator of another kind.
    """
    check_normalisation(metric, normalisation)
    if normalisation == RAW:
        return RegionValues(metric, counts, counts)
    chosen = by if by is not None else denominator(normalisation)
    if chosen is None or chosen.key != normalisation:
        raise ValueError(f"no {normalisation!r} denominator given")
    rates, no_figure = divide(counts, chosen)
    return RegionValues(metric, rates, counts, chosen, no_figure)


def region_values(
    prepared: PreparedEvents,
    filters: Filters,
    metric: str = "waves",
    normalisation: str = RAW,
    *,
    by: Denominator | None = None,
) -> RegionValues:
    """:func:`~oblastwatch.query.metrics.region_metric`, shown as ``normalisation``."""
    check_normalisation(metric, normalisation)  # before the metric is computed
    return normalise(region_metric(prepared, filters, metric), metric, normalisation, by=by)
