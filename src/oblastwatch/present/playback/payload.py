"""What the Playback page sends to the browser once: outlines, colour classes per frame, talks.

The browser then animates without asking the server for anything (see
:mod:`oblastwatch.present.playback.component`). The payload stays small at four years of daily
frames because every frame is a string of 27 class digits (one per region, in
:data:`~oblastwatch.domain.regions.REGION_CODES` order) and the outlines go once, as SVG paths
already projected.

**One scale for every frame.** The colour classes are quantiles of all frames' positive
values (:func:`frame_classification`), so a colour means the same count in every frame and a
region that darkens got more.

Class digits: ``0`` no reports, ``1`` zero, ``2`` and up the positive classes from low to high
(:func:`class_digits`), written in base 36 so each is one character whatever the number of
classes; :func:`payload_colours` lists the colour of each digit.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps.geometry import RegionShapes
from oblastwatch.present.maps.legend import (
    NO_REPORTS_COLOUR,
    ZERO_COLOUR,
    Classification,
    classify,
    format_number,
)
from oblastwatch.present.vocabulary import kind_labels, label_of
from oblastwatch.query.codes import day_number
from oblastwatch.query.playback import FrameValues

# Outlines are projected onto a plane this many units wide (equirectangular, scaled by the
# cosine of Ukraine's middle latitude so the shapes keep their proportions there).
SVG_WIDTH = 1000.0
# Between the region values of one frame: not a comma, which numbers contain (1,234; 2,5).
VALUE_SEPARATOR = "|"
MIDDLE_LATITUDE = 48.4
DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def frame_classification(frames: FrameValues) -> Classification:
    """The colour classes of all frames together (one scale for the whole animation)."""
    return classify(pd.Series(frames.values.ravel()))


def class_digits(values: np.ndarray, classification: Classification) -> np.ndarray:
    """The class digit (0 no reports, 1 zero, 2+ positive classes) of every value.

    >>> c = classify(pd.Series([1.0, 2.0, 9.0]))
    >>> class_digits(np.array([np.nan, 0.0, 1.0, 5.0, 9.0]), c).tolist()
    [0, 1, 2, 4, 4]
    """
    edges = np.asarray(classification.upper_edges, dtype=float)
    digits = 2 + np.searchsorted(edges, np.nan_to_num(values, nan=0.0), side="left")
    digits[values == 0] = 1
    digits[np.isnan(values)] = 0
    return digits


def payload_colours(classification: Classification) -> list[str]:
    """The fill colour of each class digit."""
    return [NO_REPORTS_COLOUR, ZERO_COLOUR, *classification.colours]


def _ring_path(ring: list[list[float]], west: float, north: float, scale: float) -> str:
    points = [
        f"{(x - west) * scale * math.cos(math.radians(MIDDLE_LATITUDE)):.1f},"
        f"{(north - y) * scale:.1f}"
        for x, y in ring
    ]
    return "M" + "L".join(points) + "Z"


def svg_outlines(shapes: RegionShapes) -> tuple[str, list[dict[str, str]]]:
    """``(viewBox, regions)``: every region's outline as an SVG path, biggest first.

    Each region is ``{"code", "en", "uk", "path"}`` (its names in English and Ukrainian). Biggest first (by bounding box), so the
    cities drawn inside their oblast (Kyiv, Sevastopol) lie on top and stay visible.
    """
    south, west, north, east = shapes.bounds
    x_factor = math.cos(math.radians(MIDDLE_LATITUDE))
    scale = SVG_WIDTH / ((east - west) * x_factor)
    regions = []
    for code in REGION_CODES:
        geometry = shapes.geometries.get(code)
        if geometry is None:
            raise ValueError(f"region outlines lack {code}")
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = [ring for polygon in polygons for ring in polygon]
        xs = [x for ring in rings for x, _ in ring]
        ys = [y for ring in rings for _, y in ring]
        area = (max(xs) - min(xs)) * (max(ys) - min(ys))
        path = "".join(_ring_path(ring, west, north, scale) for ring in rings)
        name_en, name_uk = shapes.names[code]
        regions.append((area, {"code": code, "en": name_en, "uk": name_uk, "path": path}))
    regions.sort(key=lambda item: -item[0])
    height = (north - south) * scale
    return f"0 0 {SVG_WIDTH:.0f} {height:.0f}", [region for _, region in regions]


def _value_text(value: float, t: Translator = ENGLISH) -> str:
    return "" if math.isnan(value) else format_number(value, t)


def _event_rows(diplomatic: pd.DataFrame, t: Translator = ENGLISH) -> list[dict[str, Any]]:
    kinds = kind_labels(t)
    rows = []
    for row in diplomatic.itertuples(index=False):
        kind = label_of(kinds, row.kind)
        title = row.title if isinstance(row.title, str) and row.title else kind
        venue = row.venue if isinstance(row.venue, str) else ""
        rows.append(
            {
                "first": day_number(row.first_day.date()),
                "last": day_number(row.last_day.date()),
                "kind": kind,
                "title": title,
                "venue": venue,
            }
        )
    return rows


def playback_payload(
    frames: FrameValues,
    shapes: RegionShapes,
    diplomatic: pd.DataFrame,
    *,
    label: str,
    unit: str,
    initial_frame: int = 0,
    t: Translator = ENGLISH,
) -> dict[str, Any]:
    """The data the Playback component animates, as JSON-ready values.

    ``diplomatic`` is :func:`~oblastwatch.query.diplomacy.diplomatic_events` over the shared
    range; ``label`` and ``unit`` name the metric (in ``t``'s language, as the region names,
    the event kinds, the legend and the numbers). Text from the data travels as plain
    strings: the component puts it into the page with ``textContent`` only, never as HTML.
    """
    if not len(frames):
        raise ValueError("no frames to play")
    classification = frame_classification(frames)
    digits = class_digits(frames.values, classification)
    view_box, outlines = svg_outlines(shapes)
    regions = [
        {"code": r["code"], "name": r["uk" if t.language == "uk" else "en"], "path": r["path"]}
        for r in outlines
    ]
    order = {code: i for i, code in enumerate(REGION_CODES)}
    return {
        "label": label,
        "unit": unit,
        "step": frames.step,
        "window": frames.window,
        "viewBox": view_box,
        "regions": regions,
        "columns": [order[r["code"]] for r in regions],
        "colours": payload_colours(classification),
        "legend": [entry._asdict() for entry in classification.entries(t)],
        "starts": frames.starts.tolist(),
        "ends": frames.ends.tolist(),
        "classes": "".join(DIGITS[d] for d in digits.ravel().tolist()),
        "values": [
            VALUE_SEPARATOR.join(_value_text(v, t) for v in row) for row in frames.values.tolist()
        ],
        "events": _event_rows(diplomatic, t),
        "initial": max(0, min(initial_frame, len(frames) - 1)),
    }
