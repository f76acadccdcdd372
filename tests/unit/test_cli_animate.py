"""``oblastwatch animate``: the GIF and the MP4, decoded and checked against the data."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import combinations
from pathlib import Path

import imageio_ffmpeg
import numpy as np
import pytest
from PIL import Image

from oblastwatch.cli import main
from oblastwatch.cli.common import load_datasets
from oblastwatch.domain import geo
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.present.maps.geometry import region_shapes
from oblastwatch.present.playback.animation import HEIGHT, WIDTH, region_pixel
from oblastwatch.present.playback.payload import frame_classification
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import region_metric
from oblastwatch.query.playback import frame_values

REPO = Path(__file__).resolve().parents[2]
ARGS = ["--no-user-data", "--start", "2025-01-01", "--end", "2025-12-31", "--step", "month"]
FILTERS = Filters(date(2025, 1, 1), date(2025, 12, 31))


@pytest.fixture(autouse=True)
def empty_user_data(tmp_path, monkeypatch):
    """Never read the developer's own imported datasets."""
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "user-data"))


def _rgb(colour: str) -> np.ndarray:
    return np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])


@pytest.fixture(scope="module")
def expected():
    """A region, two frames in which the data gives it clearly different colours, and those
    colours (from region_metric over each frame's range, on the animation's one scale)."""
    dataset = load_datasets([], include_user_dir=False)
    prepared = prepare(dataset.events, dataset.event_regions)
    frames = frame_values(prepared, FILTERS, "waves", step="month", window=None)
    scale = frame_classification(frames)
    colours = []
    for k in range(len(frames)):
        start, end = frames.frame_range(k)
        values = region_metric(prepared, replace(FILTERS, start=start, end=end), "waves")
        colours.append({code: scale.colour(values[code]) for code in REGION_CODES})
    for code in REGION_CODES:
        for a, b in combinations(range(len(frames)), 2):
            if np.abs(_rgb(colours[a][code]) - _rgb(colours[b][code])).sum() > 120:
                pixel = region_pixel(region_shapes(geo.load_boundaries()), code, frames)
                return len(frames), pixel, (a, colours[a][code]), (b, colours[b][code])
    raise AssertionError("the bundled data gives no region two clearly different colours")


def test_gif_has_one_frame_per_month_and_the_region_colours_of_the_data(tmp_path, expected):
    n_frames, (x, y), *checks = expected
    out = tmp_path / "war.gif"
    assert main(["animate", *ARGS, "--window", "cumulative", "--out", str(out)]) == 0
    image = Image.open(out)
    assert image.n_frames == n_frames == 12
    assert image.size == (WIDTH, HEIGHT)
    for k, colour in checks:
        image.seek(k)
        assert image.convert("RGB").getpixel((x, y)) == tuple(_rgb(colour)), (k, colour)


def test_mp4_has_one_frame_per_month_and_the_region_colours_of_the_data(tmp_path, expected):
    n_frames, (x, y), *checks = expected
    out = tmp_path / "war.mp4"
    assert main(["animate", *ARGS, "--window", "cumulative", "--out", str(out)]) == 0
    reader = imageio_ffmpeg.read_frames(str(out))
    meta = reader.__next__()
    assert tuple(meta["size"]) == (WIDTH, HEIGHT)
    decoded = [np.frombuffer(f, dtype=np.uint8).reshape(HEIGHT, WIDTH, 3) for f in reader]
    assert len(decoded) == n_frames
    for k, colour in checks:
        # H.264 in yuv420p shifts flat colours by a few levels.
        assert np.abs(decoded[k][y, x].astype(int) - _rgb(colour)).max() <= 12, (k, colour)


def test_the_caption_line_names_the_talks_of_the_frame(capsys, tmp_path):
    out = tmp_path / "war.gif"
    assert main(["animate", *ARGS, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}")
    assert "12 frames, one per month, 30-day window" in printed


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--window", "0", "--out", "x.gif"], "--window: expected a number of days"),
        (["--out", "x.avi"], "expected a .gif or .mp4"),
        (["--fps", "0", "--out", "x.gif"], "--fps"),
        (["--source", "nope", "--out", "x.gif"], "--source: unknown source 'nope'"),
    ],
)
def test_bad_options_are_one_line_errors(tmp_path, monkeypatch, capsys, extra, message):
    monkeypatch.chdir(tmp_path)
    assert main(["animate", *ARGS, *extra]) == 2
    error = capsys.readouterr().err
    assert message in error
    assert error.count("\n") == 1


def test_every_map_metric_can_be_animated_and_exported():
    from oblastwatch.cli import animate, export
    from oblastwatch.query.metrics import METRICS

    assert set(animate.METRIC_CHOICES) == set(METRICS)
    assert set(export.METRIC_CHOICES) == set(METRICS)


def test_an_alert_hours_animation_reads_the_imported_alerts(tmp_path):
    alerts = REPO / "tests" / "data" / "alerts" / "official_data_en_sample.csv"
    assert main(["import", str(alerts), "--out", str(tmp_path / "sirens")]) == 0
    out = tmp_path / "alerts.gif"
    args = ["--data", str(tmp_path / "sirens"), "--no-user-data", "--metric", "alert_hours"]
    span = ["--start", "2022-03-15", "--end", "2022-03-19", "--step", "day", "--window", "1"]
    assert main(["animate", *args, *span, "--out", str(out)]) == 0
    with Image.open(out) as gif:
        frames = [gif.copy().convert("RGB") for _ in _each_frame(gif)]
    # Odesa had alerts on these days: its colour is not the no-reports grey in every frame.
    dataset = load_datasets([tmp_path / "sirens"], include_user_dir=False)
    prepared = prepare(dataset.events, dataset.event_regions, dataset.alerts)
    values = frame_values(
        prepared, Filters(date(2022, 3, 15), date(2022, 3, 19)), "alert_hours", step="day",
        window=1,
    )  # fmt: skip
    pixel = region_pixel(region_shapes(geo.load_boundaries()), "UA-51", values)
    scale = frame_classification(values)
    odesa = REGION_CODES.index("UA-51")
    for k, frame in enumerate(frames):
        colour = scale.colour(values.values[k][odesa])
        assert np.abs(np.array(frame.getpixel(pixel)) - _rgb(colour)).sum() < 30
    assert np.nansum(values.values[:, odesa]) > 0


def _each_frame(gif):
    for index in range(gif.n_frames):
        gif.seek(index)
        yield index
