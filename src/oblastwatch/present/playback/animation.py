"""The playback as an animated GIF or MP4, drawn with matplotlib: no browser needed.

The outlines are drawn once (one patch per region, biggest first so the cities inside an
oblast stay on top); each frame only sets the 27 face colours and three texts (the date stamp,
the talks caption, the frame counter) and redraws the canvas. The colours are the Playback
page's: one scale for all frames (:func:`~oblastwatch.present.playback.payload.
frame_classification`).

Encoding: GIF with Pillow on a fixed palette holding every class colour exactly (so a region's
fill in the file is its class colour, not a quantised neighbour); MP4 (H.264, yuv420p) through
the ffmpeg binary that ``imageio-ffmpeg`` ships.

Text from the data (talk titles, venues) is drawn with ``parse_math=False``: a ``$`` in a title
is a dollar sign, not the start of a formula.
"""

from __future__ import annotations

import io
import math
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd

from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import DEFAULT_LANGUAGE, ENGLISH, N_, Translator
from oblastwatch.present import vocabulary
from oblastwatch.present.maps.geometry import RegionShapes
from oblastwatch.present.maps.legend import Classification
from oblastwatch.present.playback.payload import (
    MIDDLE_LATITUDE,
    class_digits,
    frame_classification,
    payload_colours,
)
from oblastwatch.query.codes import day_number
from oblastwatch.query.playback import FrameValues

FORMATS = ("gif", "mp4")
MIME_TYPES = {"gif": "image/gif", "mp4": "video/mp4"}
# Pixels; both divisible by 16, the macro-block size H.264 encoders want.
WIDTH, HEIGHT = 960, 720
DPI = 100
DEFAULT_FPS = 4
MAP_BOX = (0.02, 0.16, 0.96, 0.72)  # left, bottom, width, height in figure fractions
CAPTION_CHARACTERS = 150
# The subtitle's step and window, per step (the window's length comes first).
_PER_STEP = {
    "day": N_("one frame per day"),
    "week": N_("one frame per week"),
    "month": N_("one frame per month"),
}
_WINDOW_UP_TO = {
    "day": N_("{window} up to each day's last day"),
    "week": N_("{window} up to each week's last day"),
    "month": N_("{window} up to each month's last day"),
}


def _project(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return x * math.cos(math.radians(MIDDLE_LATITUDE)), y


def _region_path(geometry: dict):
    from matplotlib.path import Path as MplPath

    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    rings = []
    for polygon in polygons:
        for ring in polygon:
            xy = np.asarray(ring, dtype=float)
            x, y = _project(xy[:, 0], xy[:, 1])
            rings.append(MplPath(np.column_stack([x, y]), closed=True))
    return MplPath.make_compound_path(*rings)


def _talks_caption(diplomatic: pd.DataFrame, first: int, last: int, t: Translator) -> str:
    none = t.gettext("Diplomatic events: none in this frame.")
    if diplomatic.empty:
        return none
    starts = np.array([day_number(d.date()) for d in diplomatic["first_day"]])
    ends = np.array([day_number(d.date()) for d in diplomatic["last_day"]])
    rows = diplomatic[(ends >= first) & (starts <= last)]
    if rows.empty:
        return none
    kinds = vocabulary.kind_labels(t)
    names = []
    for row in rows.itertuples(index=False):
        # Titles as the source wrote them; an untitled event by its kind's name.
        title = (
            row.title
            if isinstance(row.title, str) and row.title
            else vocabulary.label_of(kinds, row.kind)
        )
        names.append(f"{title} ({row.first_day.date()})")
    text = t.gettext("Diplomatic events: {events}").format(events="; ".join(names))
    if len(text) > CAPTION_CHARACTERS:
        text = text[: CAPTION_CHARACTERS - 1].rstrip() + "…"
    return text


def _frame_stamp(frames: FrameValues, k: int, t: Translator) -> str:
    first, last = frames.frame_range(k)
    if first != last:
        return t.day_range(first, last)
    # English keeps the ISO day, as the CLI has always drawn it.
    return str(first) if t.language == DEFAULT_LANGUAGE else t.date(first)


class _Canvas:
    """A matplotlib figure with the outlines drawn once; :meth:`frame` repaints one frame."""

    def __init__(
        self,
        shapes: RegionShapes,
        classification: Classification,
        *,
        label: str,
        unit: str,
        subtitle: str,
        t: Translator = ENGLISH,
    ) -> None:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.collections import PathCollection
        from matplotlib.figure import Figure
        from matplotlib.patches import Patch

        self.figure = Figure(figsize=(WIDTH / DPI, HEIGHT / DPI), dpi=DPI, facecolor="white")
        self.canvas = FigureCanvasAgg(self.figure)
        axes = self.figure.add_axes(MAP_BOX)
        axes.set_axis_off()
        paths = [(code, _region_path(shapes.geometries[code])) for code in REGION_CODES]
        # Biggest first, so Kyiv and Sevastopol are drawn over the oblasts around them.
        paths.sort(key=lambda item: -np.ptp(item[1].vertices, axis=0).prod())
        self.columns = [REGION_CODES.index(code) for code, _ in paths]
        self.regions = PathCollection(
            [path for _, path in paths], edgecolors="#555555", linewidths=0.6, antialiased=True
        )
        axes.add_collection(self.regions)
        south, west, north, east = shapes.bounds
        x0, y0 = _project(np.array([west, east]), np.array([south, north]))
        axes.set_xlim(x0[0], x0[1])
        axes.set_ylim(y0[0], y0[1])
        axes.set_aspect("equal")
        self.paths = {code: path for code, path in paths}
        self.axes = axes
        self.colours = payload_colours(classification)
        self.classification = classification
        self.stamp = self.figure.text(0.03, 0.95, "", fontsize=22, weight="bold", parse_math=False)
        self.figure.text(
            0.03, 0.905, f"{label} ({unit}) · {subtitle}", fontsize=12, parse_math=False
        )
        self.counter = self.figure.text(0.97, 0.95, "", fontsize=11, ha="right", parse_math=False)
        self.caption = self.figure.text(0.03, 0.03, "", fontsize=10, parse_math=False)
        entries = classification.entries(t)
        handles = [
            Patch(
                facecolor=entry.colour,
                edgecolor="#7a7a7a",
                linestyle="--" if entry.kind == "no-reports" else "-",
                label=entry.label,
            )
            for entry in entries
        ]
        self.figure.legend(
            handles=handles,
            loc="lower center",
            bbox_to_anchor=(0.5, 0.07),
            ncol=len(handles),
            frameon=False,
            fontsize=10,
            title=unit,
            title_fontsize=10,
        )

    def frame(self, digits: np.ndarray, stamp: str, counter: str, caption: str) -> np.ndarray:
        """The RGB pixels (``HEIGHT x WIDTH x 3``, uint8) of one frame."""
        self.regions.set_facecolor([self.colours[digits[column]] for column in self.columns])
        self.stamp.set_text(stamp)
        self.counter.set_text(counter)
        self.caption.set_text(caption)
        self.canvas.draw()
        return np.asarray(self.canvas.buffer_rgba())[:, :, :3].copy()

    def pixel_inside(self, code: str, point: tuple[float, float]) -> tuple[int, int]:
        """``(x, y)`` image pixel of the lon/lat ``point`` (y counted from the top)."""
        x, y = _project(np.array([point[0]]), np.array([point[1]]))
        display = self.axes.transData.transform((x[0], y[0]))
        return int(round(display[0])), int(round(HEIGHT - display[1]))


def _subtitle(frames: FrameValues, t: Translator) -> str:
    if frames.window is None:
        window = t.gettext("cumulative since the start")
    else:
        days = t.ngettext("{days}-day window", "{days}-day window", frames.window)
        window = t.gettext(_WINDOW_UP_TO[frames.step]).format(
            window=days.format(days=frames.window)
        )
    return f"{t.gettext(_PER_STEP[frames.step])}, {window}"


def animation_frames(
    frames: FrameValues,
    shapes: RegionShapes,
    diplomatic: pd.DataFrame,
    *,
    label: str,
    unit: str,
    t: Translator = ENGLISH,
) -> Iterator[np.ndarray]:
    """The RGB pixels of every frame, in order (see the module doc).

    ``label`` and ``unit`` are the metric's, already in ``t``'s language; the captions are
    drawn in it too (English for the CLI unless it asks).
    """
    classification = frame_classification(frames)
    digits = class_digits(frames.values, classification)
    canvas = _Canvas(
        shapes, classification, label=label, unit=unit, subtitle=_subtitle(frames, t), t=t
    )
    counter = t.gettext("frame {number} of {count}")
    for k in range(len(frames)):
        yield canvas.frame(
            digits[k],
            _frame_stamp(frames, k, t),
            counter.format(number=t.number(k + 1), count=t.number(len(frames))),
            _talks_caption(diplomatic, int(frames.starts[k]), int(frames.ends[k]), t),
        )


def region_pixel(shapes: RegionShapes, code: str, frames: FrameValues) -> tuple[int, int]:
    """An image pixel well inside region ``code`` in the files this module writes.

    For checks of a written file: the pixel lies at the region's pole of inaccessibility
    (the point inside it farthest from its outline), where no border or text is drawn.
    """
    from shapely.geometry import shape
    from shapely.ops import polylabel

    geometry = shape(shapes.geometries[code])
    point = polylabel(max(getattr(geometry, "geoms", [geometry]), key=lambda g: g.area))
    canvas = _Canvas(shapes, frame_classification(frames), label="", unit="", subtitle="")
    return canvas.pixel_inside(code, (point.x, point.y))


def _gif_palette(colours: list[str]):
    from PIL import Image

    fixed = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in colours]
    # Greys for text and antialiased edges, none close to a class colour: Pillow's palette
    # lookup is approximate, and a grey one level off the no-reports grey would win.
    greys = [
        (v, v, v)
        for v in range(0, 256, 4)
        if all(max(abs(v - channel) for channel in rgb) > 12 for rgb in fixed)
    ]
    entries = list(dict.fromkeys([*fixed, *greys]))[:256]
    flat = [channel for rgb in entries for channel in rgb]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + [0, 0, 0] * (256 - len(entries)))
    return palette


def write_gif(target, pixels: Iterator[np.ndarray], colours: list[str], fps: int) -> int:
    """Encode RGB frames as a looping GIF into ``target`` (a path or a binary file)."""
    from PIL import Image

    palette = _gif_palette(colours)
    images = [
        Image.fromarray(rgb).quantize(palette=palette, dither=Image.Dither.NONE) for rgb in pixels
    ]
    if not images:
        raise ValueError("no frames to write")
    images[0].save(
        target,
        format="GIF",
        save_all=True,
        append_images=images[1:],
        duration=round(1000 / fps),
        loop=0,
    )
    return len(images)


def write_mp4(path: Path, pixels: Iterator[np.ndarray], fps: int) -> int:
    """Encode RGB frames as an H.264 MP4 at ``path`` with imageio-ffmpeg's ffmpeg."""
    import imageio_ffmpeg

    writer = imageio_ffmpeg.write_frames(
        str(path),
        (WIDTH, HEIGHT),
        fps=fps,
        codec="libx264",
        pix_fmt_in="rgb24",
        pix_fmt_out="yuv420p",
        quality=8,
        macro_block_size=16,
        ffmpeg_log_level="error",
    )
    writer.send(None)  # start ffmpeg
    count = 0
    try:
        for rgb in pixels:
            writer.send(np.ascontiguousarray(rgb))
            count += 1
    finally:
        writer.close()
    if not count:
        raise ValueError("no frames to write")
    return count


def animation_bytes(
    frames: FrameValues,
    shapes: RegionShapes,
    diplomatic: pd.DataFrame,
    *,
    label: str,
    unit: str,
    fmt: str,
    fps: int = DEFAULT_FPS,
    t: Translator = ENGLISH,
) -> bytes:
    """The whole animation as the bytes of a ``gif`` or ``mp4`` file, captions in ``t``'s language."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown animation format {fmt!r}; expected one of {', '.join(FORMATS)}")
    pixels = animation_frames(frames, shapes, diplomatic, label=label, unit=unit, t=t)
    if fmt == "gif":
        buffer = io.BytesIO()
        write_gif(buffer, pixels, payload_colours(frame_classification(frames)), fps)
        return buffer.getvalue()
    handle, name = tempfile.mkstemp(suffix=".mp4")
    os.close(handle)
    try:
        write_mp4(Path(name), pixels, fps)
        return Path(name).read_bytes()
    finally:
        os.unlink(name)
