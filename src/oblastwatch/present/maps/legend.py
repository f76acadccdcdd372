"""Colour classes of the choropleth and the legend that explains them.

A region's value is a count of something (attack waves, days, weapons, incidents) or such a
count per 100,000 residents or per 1,000 km², ``NaN`` when no report names the region. The
kinds of class:

* **No reports** (``NaN``): neutral grey with a dashed outline; never a colour of the scale.
* **No data**: a rate whose region has reports but no figure to divide by (no population
  figure): light grey with a dotted outline, listed only when a region is in that state.
* **Zero**: white. Reports name the region but none counts for the metric.
* **Positive values**: ColorBrewer YlOrRd, one colour per class. A class covers
  ``(previous edge, edge]``; the first starts just above zero.

Without ``bins`` the upper edges are quantiles of the positive values (each distinct value gets
its own class when there are few), so the scale follows the data; with ``bins`` the caller
fixes the upper edges and a class up to the maximum is added when values exceed the last one.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from oblastwatch.i18n import ENGLISH, Translator

NO_REPORTS_COLOUR = "#bdbdbd"
NO_DATA_COLOUR = "#ececec"
ZERO_COLOUR = "#ffffff"
DEFAULT_CLASSES = 5
MAX_CLASSES = 9

# ColorBrewer YlOrRd (Cynthia Brewer, Apache-2.0 licensed scheme), by number of classes.
YLORRD: dict[int, tuple[str, ...]] = {
    1: ("#f03b20",),
    2: ("#feb24c", "#f03b20"),
    3: ("#ffeda0", "#feb24c", "#f03b20"),
    4: ("#ffffb2", "#fecc5c", "#fd8d3c", "#e31a1c"),
    5: ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"),
    6: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#f03b20", "#bd0026"),
    7: ("#ffffb2", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    8: ("#ffffcc", "#ffeda0", "#fed976", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#b10026"),
    9: (
        "#ffffcc",
        "#ffeda0",
        "#fed976",
        "#feb24c",
        "#fd8d3c",
        "#fc4e2a",
        "#e31a1c",
        "#bd0026",
        "#800026",
    ),
}

NO_REPORTS = "no-reports"
NO_DATA = "no-data"
ZERO = "zero"
RANGE = "range"
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class LegendEntry(NamedTuple):
    """One legend row: ``kind`` is ``no-reports``, ``no-data``, ``zero`` or ``range``."""

    label: str
    colour: str
    kind: str = RANGE


def is_hex_colour(text: str) -> bool:
    """Whether ``text`` is a six-digit hex colour such as ``#ffeda0``."""
    return bool(_HEX_COLOUR.match(text))


def format_number(value: float, t: Translator = ENGLISH) -> str:
    """A count or measure for labels and tooltips, grouped and pointed as ``t`` writes it.

    Below 1 two significant digits, so a small rate never reads as 0.

    >>> format_number(1234.0), format_number(2.5), format_number(0.126), format_number(15.25)
    ('1,234', '2.5', '0.13', '15.2')
    >>> format_number(0.0042)
    '0.0042'
    """
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        magnitude = abs(value)
        if magnitude < 1:
            text = np.format_float_positional(
                float(value), precision=2, unique=False, fractional=False, trim="-"
            )
        else:
            digits = 0 if magnitude >= 1000 else 1 if magnitude >= 10 else 2
            text = f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    if t.language == ENGLISH.language:
        return text
    # The digits chosen above, written with the language's group and decimal signs.
    decimals = len(text.partition(".")[2])
    return t.number(float(value), decimals)


def value_text(
    value: float | None, unit: str, t: Translator = ENGLISH, *, missing: str | None = None
) -> str:
    """Tooltip text of a region value: ``"12 waves"``, ``"0 waves"`` or ``"no reports"``.

    ``unit`` is a metric's English unit (``query.metrics.METRICS``), put in the form the count
    takes in ``t``'s language. ``missing`` replaces "no reports" for a metric whose missing
    value means no data (alert hours).

    >>> value_text(float("nan"), "waves"), value_text(3.0, "waves")
    ('no reports', '3 waves')
    """
    # Imported here: vocabulary reads the metrics table, which the legend does not need.
    from oblastwatch.present.vocabulary import count_text

    if value is None or pd.isna(value):
        return missing or t.gettext("no reports")
    return count_text(unit, float(value), format_number(float(value), t), t)


@dataclass(frozen=True)
class Classification:
    """Upper edges (inclusive) of the positive classes and their colours."""

    upper_edges: tuple[float, ...]
    colours: tuple[str, ...]
    integer: bool

    def colour(self, value: float | None) -> str:
        """The fill colour of ``value`` (``NaN``/``None`` -> no reports)."""
        if value is None or pd.isna(value):
            return NO_REPORTS_COLOUR
        if value == 0:
            return ZERO_COLOUR
        if value < 0 or not self.upper_edges or value > self.upper_edges[-1]:
            raise ValueError(f"value {value} is outside the classes {self.upper_edges}")
        return self.colours[bisect_left(self.upper_edges, value)]

    def entries(self, t: Translator = ENGLISH, *, missing: str | None = None) -> list[LegendEntry]:
        """Legend rows: no reports (or ``missing``), zero, then every positive class."""
        rows = [
            LegendEntry(missing or t.gettext("No reports"), NO_REPORTS_COLOUR, NO_REPORTS),
            LegendEntry("0", ZERO_COLOUR, ZERO),
        ]
        previous = 0.0
        for edge, colour in zip(self.upper_edges, self.colours, strict=True):
            rows.append(LegendEntry(self._label(previous, edge, t), colour, RANGE))
            previous = edge
        return rows

    def _label(self, previous: float, edge: float, t: Translator) -> str:
        if self.integer:
            lower = math.floor(previous) + 1
            if lower >= edge:
                return format_number(edge, t)
            return f"{format_number(lower, t)}–{format_number(edge, t)}"
        if previous == 0:
            return t.gettext("up to {value}").format(value=format_number(edge, t))
        return f"{format_number(previous, t)}–{format_number(edge, t)}"


def _finite_values(values: pd.Series) -> np.ndarray:
    numbers = pd.to_numeric(values, errors="raise").astype("Float64")
    array = numbers.to_numpy(dtype=float, na_value=np.nan)
    if np.isinf(array).any():
        bad = values.index[np.isinf(array)][0]
        raise ValueError(f"value of {bad} is infinite")
    if (array < 0).any():
        bad = values.index[array < 0][0]
        raise ValueError(f"value of {bad} is negative ({array[array < 0][0]}); counts are ≥ 0")
    return array[~np.isnan(array)]


def _checked_bins(bins: Sequence[float]) -> list[float]:
    edges = [float(b) for b in bins]
    if not edges:
        raise ValueError("bins must hold at least one upper edge")
    if any(not math.isfinite(e) or e <= 0 for e in edges):
        raise ValueError(f"bins must be finite and above zero, got {list(bins)}")
    if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
        raise ValueError(f"bins must increase strictly, got {list(bins)}")
    return edges


def classify(
    values: pd.Series, bins: Sequence[float] | None = None, *, classes: int = DEFAULT_CLASSES
) -> Classification:
    """The colour classes for ``values`` (see the module doc).

    ``bins`` are the inclusive upper edges of the positive classes, e.g. ``[3, 10, 30]`` for
    1–3, 4–10, 11–30 (and 31–max when a value exceeds 30). At most :data:`MAX_CLASSES`.

    >>> c = classify(pd.Series([float("nan"), 0, 1, 2, 9]))
    >>> c.upper_edges, c.colour(0), c.colour(2)
    ((1.0, 2.0, 9.0), '#ffffff', '#feb24c')
    """
    if not 1 <= classes <= MAX_CLASSES:
        raise ValueError(f"classes must be 1..{MAX_CLASSES}, got {classes}")
    finite = _finite_values(values)
    positive = np.sort(finite[finite > 0])
    if bins is not None:
        edges = _checked_bins(bins)
        if len(positive) and positive[-1] > edges[-1]:
            edges.append(float(positive[-1]))
    elif not len(positive):
        edges = []
    else:
        distinct = np.unique(positive)
        if len(distinct) <= classes:
            edges = distinct.tolist()
        else:
            quantiles = np.quantile(
                positive, np.arange(1, classes + 1) / classes, method="inverted_cdf"
            )
            edges = np.unique(quantiles).tolist()
    if len(edges) > MAX_CLASSES:
        raise ValueError(f"at most {MAX_CLASSES} classes, got {len(edges)} upper edges")
    integer = bool(np.all(np.equal(np.mod(finite, 1), 0))) and all(
        float(e).is_integer() for e in edges
    )
    colours = YLORRD[len(edges)] if edges else ()
    return Classification(tuple(float(e) for e in edges), colours, integer)


def legend_bins(
    values: pd.Series,
    bins: Sequence[float] | None = None,
    *,
    no_data_label: str | None = None,
    missing_label: str | None = None,
    t: Translator = ENGLISH,
) -> list[LegendEntry]:
    """Legend rows for the map of ``values``, for the page to draw (no colormap on the map).

    ``no_data_label`` adds a "no data" row after "No reports" (regions without a figure to
    divide by). ``missing_label`` names the missing values' row when they mean no data rather
    than no reports (alert hours).

    >>> [e.label for e in legend_bins(pd.Series([0, 1, 4, float("nan")]))]
    ['No reports', '0', '1', '2–4']
    >>> [e.label for e in legend_bins(pd.Series([0.5]), no_data_label="No data")]
    ['No reports', 'No data', '0', 'up to 0.5']
    """
    entries = classify(values, bins).entries(t, missing=missing_label)
    if no_data_label:
        entries.insert(1, LegendEntry(no_data_label, NO_DATA_COLOUR, NO_DATA))
    return entries
