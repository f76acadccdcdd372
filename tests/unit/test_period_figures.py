"""The Compare periods page's figures (oblastwatch.present.period_figures)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from plotly.colors import unlabel_rgb

from oblastwatch.domain import geo
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present.period_figures import (
    DIFF_COLORS,
    NO_REPORTS_FILL,
    difference_figure,
    difference_map_figure,
)
from oblastwatch.query.periods import period_comparison

XSS = "<img src=x onerror=alert(1)>"


def _comparison() -> pd.DataFrame:
    a = pd.Series(10.0, index=list(REGION_CODES))
    b = a.copy()
    b["UA-46"] = 16.0  # more in B
    b["UA-51"] = 7.0  # fewer in B
    b["UA-63"] = np.nan  # no reports in B
    return period_comparison(a, b)


def test_difference_bars_use_diverging_colours_and_escape_labels():
    fig = difference_figure(_comparison(), unit="waves", labels=(XSS, "B"))
    bar = fig.data[0]
    colours = dict(zip(bar.y, bar.marker.color, strict=True))
    assert colours["Lviv Oblast"] == DIFF_COLORS[1]
    assert colours["Odesa Oblast"] == DIFF_COLORS[0]
    hover = " ".join(bar.hovertext)
    assert "&lt;img" in hover
    assert "<img" not in hover
    assert "no reports in one of the periods" in hover
    assert "<img" not in fig.layout.xaxis.title.text


@pytest.fixture(scope="module")
def boundaries():
    return geo.load_boundaries()


def _fill_of(fig, code: str) -> tuple[float, float, float]:
    trace = next(t for t in fig.data if t.name == code)
    return unlabel_rgb(trace.fillcolor)


def test_difference_map_colours_regions_by_sign(boundaries):
    fig = difference_map_figure(_comparison(), boundaries, unit="waves", labels=("A", XSS))
    red, green, blue = _fill_of(fig, "UA-46")
    # more in B: the red end (largest difference)
    assert red > blue + 50
    assert red > green + 50
    red, green, blue = _fill_of(fig, "UA-51")
    # fewer in B: blue
    assert blue > red + 40
    assert blue > green
    assert _fill_of(fig, "UA-30")[0] > 240  # no change: near white
    grey = next(t for t in fig.data if t.name == "UA-63")
    assert grey.fillcolor == NO_REPORTS_FILL
    assert grey.line.dash == "dash"
    assert fig.layout.meta["limit"] == 6.0
    scale = fig.data[-1].marker
    assert (scale.cmin, scale.cmax) == (-6.0, 6.0)
    assert "&lt;img" in fig.layout.title.text
    assert "<img" not in fig.layout.title.text
    assert all("<img" not in (t.text or "") for t in fig.data)


def test_difference_map_draws_kyiv_city_over_the_hole_in_kyiv_oblast(boundaries):
    fig = difference_map_figure(_comparison(), boundaries, unit="waves", labels=("A", "B"))
    order = [t.name for t in fig.data]
    assert set(REGION_CODES) <= set(order)
    assert order.index("UA-30") > order.index("UA-32")
