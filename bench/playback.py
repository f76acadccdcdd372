"""Benchmark: the Playback page at four years of daily frames, and the GIF/MP4 export.

    python bench/playback.py [--sizes 100000,1000000] [--steps 300] [--json PATH] [--strict]

On synthetic events (``bench/synthetic.py``: four years, 2022-03-01 to 2026-02-28, 1,461
days) it measures:

1. ``frames_ms``: :func:`oblastwatch.query.playback.frame_values` for 1,461 daily frames
   (waves, the one metric that cannot be summed over days; a 7-day window and cumulative),
   beside ``loop_ms``: the same frames as 1,461 calls of ``region_metric`` (median of 3);
2. ``payload_bytes``: the Playback component's HTML document (payload included) for those
   frames, for the waves and the weapons metric (weapons carries the longest numbers);
3. frame step in Chromium (Debian's, through Playwright, every request off the machine
   blocked and counted), two ways of animating the same frames, ``--steps`` steps each:

   * **component**: this app's HTML/JS component (``present/playback/component.py``),
     ``owPlayback.show(k)``;
   * **plotly**: a Plotly choropleth of the same outlines with 1,461 animation frames,
     ``Plotly.animate`` per step, plotly.js from the installed plotly package.

   ``step_sync_ms`` is the script and layout work of one step (the call plus a forced
   layout); ``step_ms`` the time from the call, made at the start of an animation frame, to
   the end of the frame that paints it (a task queued from the next ``requestAnimationFrame``
   callback): bounded below by the display's 16.7 ms. Medians, 95th percentiles and maxima;
4. ``gif_s`` / ``mp4_s``: ``oblastwatch animate``'s work for 209 weekly frames (7-day
   window) over the four years, at the largest size.

Prints a table with every figure next to its target; exits 1 with ``--strict`` when one
fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402  (bench/ is not a package)
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

from oblastwatch.domain import geo  # noqa: E402
from oblastwatch.domain.regions import REGION_CODES  # noqa: E402
from oblastwatch.present.maps.geometry import region_shapes  # noqa: E402
from oblastwatch.present.playback import animation  # noqa: E402
from oblastwatch.present.playback.component import playback_html  # noqa: E402
from oblastwatch.present.playback.payload import (  # noqa: E402
    class_digits,
    frame_classification,
    payload_colours,
    playback_payload,
)
from oblastwatch.query.build import prepare  # noqa: E402
from oblastwatch.query.codes import as_date  # noqa: E402
from oblastwatch.query.diplomacy import diplomatic_events  # noqa: E402
from oblastwatch.query.filters import Filters  # noqa: E402
from oblastwatch.query.metrics import METRICS, region_metric  # noqa: E402
from oblastwatch.query.playback import frame_values  # noqa: E402

FOUR_YEARS = Filters(date(2022, 3, 1), date(2026, 2, 28))
PAYLOAD_TARGET = 1_500_000
STEP_TARGET_MS = 50.0
ANIMATE_TARGET_S = 60.0

_TIMING_SCRIPT = """
async ([steps, step]) => {
  const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
  const sync = [], painted = [];
  for (let i = 1; i <= steps; i++) {
    const k = (i * 7) % window.__count;
    await frame();
    const t0 = performance.now();
    const done = step(k);
    document.body.getBoundingClientRect();
    const t1 = performance.now();
    await done;
    // A task queued from the next animation-frame callback runs after that frame is painted.
    await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
    painted.push(performance.now() - t0);
    sync.push(t1 - t0);
  }
  return [sync, painted];
}
"""
_COMPONENT_STEP = "(k) => { window.owPlayback.show(k); }"
_PLOTLY_STEP = (
    "(k) => Plotly.animate('plot', ['f' + k], {frame: {duration: 0, redraw: true}, "
    "transition: {duration: 0}, mode: 'immediate'})"
)


_STUB_TOPOLOGY = json.dumps(
    {
        "type": "Topology",
        "arcs": [],
        "objects": {
            name: {"type": "GeometryCollection", "geometries": []}
            for name in ("coastlines", "land", "ocean", "lakes", "rivers", "countries", "subunits")
        },
    }
)


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def timed(work, runs: int = 3) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(runs):
        began = time.perf_counter()
        result = work()
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), result


def bench_frames(prepared) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, window in (("window7", 7), ("cumulative", None)):
        ms, frames = timed(
            lambda window=window: frame_values(
                prepared, FOUR_YEARS, "waves", step="day", window=window
            )
        )
        out[f"frames_{name}_ms"] = ms

        def loop(frames=frames) -> np.ndarray:
            return np.vstack(
                [
                    region_metric(
                        prepared,
                        replace(FOUR_YEARS, start=as_date(a), end=as_date(b)),
                        "waves",
                    ).to_numpy()
                    for a, b in zip(frames.starts, frames.ends, strict=True)
                ]
            )

        loop_ms, looped = timed(loop, runs=1)
        if not np.array_equal(looped, frames.values, equal_nan=True):
            raise AssertionError(f"frame_values and region_metric disagree ({name})")
        out[f"loop_{name}_ms"] = loop_ms
    return out


def component_document(prepared, shapes, metric: str) -> str:
    frames = frame_values(prepared, FOUR_YEARS, metric, step="day", window=7)
    info = METRICS[metric]
    payload = playback_payload(
        frames,
        shapes,
        diplomatic_events(prepared, FOUR_YEARS),
        label=info.label,
        unit=info.unit,
    )
    return playback_html(payload)


def plotly_document(prepared, shapes) -> tuple[str, int]:
    """A Plotly choropleth of the same frames (one animation frame per day); its figure
    JSON's size."""
    import plotly.graph_objects as go
    from plotly.offline import get_plotlyjs

    frames = frame_values(prepared, FOUR_YEARS, "waves", step="day", window=7)
    scale = frame_classification(frames)
    digits = class_digits(frames.values, scale)
    colours = payload_colours(scale)
    top = len(colours) - 1
    colourscale = []
    for i, colour in enumerate(colours):
        colourscale += [[i / (top + 1), colour], [(i + 1) / (top + 1), colour]]
    geojson = json.loads(shapes.feature_collection)

    def trace(k: int) -> go.Choropleth:
        return go.Choropleth(
            geojson=geojson if k == 0 else None,
            locations=list(REGION_CODES),
            featureidkey="properties.code",
            z=digits[k].tolist(),
            zmin=-0.5,
            zmax=top + 0.5,
            colorscale=colourscale,
            showscale=False,
        )

    figure = go.Figure(
        data=[trace(0)],
        frames=[go.Frame(data=[trace(k)], name=f"f{k}") for k in range(len(frames))],
    )
    figure.update_geos(fitbounds="locations", visible=False)
    figure.update_layout(height=600, margin={"l": 0, "r": 0, "t": 0, "b": 0})
    spec = figure.to_json()
    document = (
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>'
        '<div id="plot" style="width:900px;height:600px"></div>'
        f"<script>{get_plotlyjs()}</script><script>"
        f"const spec = {spec};"
        "Plotly.newPlot('plot', spec.data, spec.layout).then(() => Plotly.addFrames('plot', "
        "spec.frames)).then(() => { window.__count = spec.frames.length; window.__ready = true; });"
        "</script></body></html>"
    )
    return document, len(spec.encode("utf-8"))


def step_times(browser, document: str, kind: str, steps: int) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    blocked: list[str] = []

    def route(route_obj):
        url = route_obj.request.url
        host = urlsplit(url).hostname
        if host in (None, "127.0.0.1") or url.startswith(("data:", "about:")):
            route_obj.continue_()
            return
        blocked.append(url)
        if kind == "plotly" and url.endswith("_110m.json"):
            # Plotly's geo traces need its world map (topojson) from its CDN even when the
            # base map is hidden, and never draw without it. To time the steps at all, the
            # request is answered with an empty map; it is still counted as blocked.
            route_obj.fulfill(status=200, content_type="application/json", body=_STUB_TOPOLOGY)
        else:
            route_obj.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False) as handle:
        handle.write(document)
    try:
        began = time.perf_counter()
        page.goto(Path(handle.name).as_uri())
        if kind == "component":
            page.wait_for_function("window.owPlayback !== undefined")
            page.evaluate("window.__count = window.owPlayback.count")
            step = _COMPONENT_STEP
        else:
            page.wait_for_function("window.__ready === true", timeout=120_000)
            step = _PLOTLY_STEP
        ready_s = time.perf_counter() - began
        sync, painted = page.evaluate(f"([steps]) => ({_TIMING_SCRIPT})([steps, {step}])", [steps])
    finally:
        os.unlink(handle.name)
        context.close()
    if errors:
        raise RuntimeError(f"{kind}: page errors {errors[:3]}")
    return {
        "ready_s": ready_s,
        "step_sync_ms": statistics.median(sync),
        "step_ms": statistics.median(painted),
        "step_p95_ms": float(np.percentile(painted, 95)),
        "step_max_ms": max(painted),
        "blocked_requests": len(blocked),
        "blocked_example": blocked[0] if blocked else "",
    }


def bench_browser(prepared, shapes, steps: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    component = component_document(prepared, shapes, "waves")
    plotly_html, plotly_json = plotly_document(prepared, shapes)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            results = {
                "component": step_times(browser, component, "component", steps),
                "plotly": step_times(browser, plotly_html, "plotly", steps),
            }
        finally:
            browser.close()
    results["plotly"]["figure_json_bytes"] = plotly_json
    return results


def bench_animate(prepared, shapes) -> dict[str, float]:
    frames = frame_values(prepared, FOUR_YEARS, "waves", step="week", window=7)
    diplomatic = diplomatic_events(prepared, FOUR_YEARS)
    out: dict[str, float] = {"animate_frames": len(frames)}
    for fmt in animation.FORMATS:
        began = time.perf_counter()
        content = animation.animation_bytes(
            frames, shapes, diplomatic, label="Attack waves", unit="waves", fmt=fmt
        )
        out[f"{fmt}_s"] = time.perf_counter() - began
        out[f"{fmt}_bytes"] = len(content)
    return out


def machine() -> dict[str, Any]:
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "platform": platform.platform(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100000,1000000", help="event counts, comma-separated")
    parser.add_argument("--steps", type=int, default=300, help="frame steps timed per renderer")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    shapes = region_shapes(geo.load_boundaries())
    results: dict[str, Any] = {"machine": machine(), "sizes": {}}
    prepared = None
    for n in sizes:
        log(f"{n:,} events: generating and indexing")
        events, regions = synthetic.synthetic_events(n, seed=1)
        prepared = prepare(events, regions)
        row = bench_frames(prepared)
        for metric in ("waves", "weapons"):
            row[f"payload_{metric}_bytes"] = len(
                component_document(prepared, shapes, metric).encode("utf-8")
            )
        results["sizes"][n] = row
        log(f"  {row}")
    assert prepared is not None
    log("browser: component and plotly, 1,461 daily frames")
    results["browser"] = bench_browser(prepared, shapes, args.steps)
    log("animate: 209 weekly frames as GIF and MP4")
    results["animate"] = bench_animate(prepared, shapes)
    ok = print_table(results, sizes)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str))
    return 0 if ok or not args.strict else 1


def print_table(results: dict[str, Any], sizes: list[int]) -> bool:
    ok = True
    print(f"machine: {results['machine']}")
    print("\n| measure | " + " | ".join(f"{n:,}" for n in sizes) + " | target |")
    print("|---|" + "---:|" * len(sizes) + "---|")
    for key, label, target in (
        ("frames_window7_ms", "1,461 daily frames, 7-day window (ms)", ""),
        ("loop_window7_ms", "same as 1,461 region_metric calls (ms)", ""),
        ("frames_cumulative_ms", "1,461 daily frames, cumulative (ms)", ""),
        ("loop_cumulative_ms", "same as 1,461 region_metric calls (ms)", ""),
        ("payload_waves_bytes", "component HTML, waves (KB)", "<= 1,500"),
        ("payload_weapons_bytes", "component HTML, weapons (KB)", "<= 1,500"),
    ):
        cells = []
        for n in sizes:
            value = results["sizes"][n][key]
            if key.endswith("_bytes"):
                cells.append(f"{value / 1000:,.0f}")
                ok &= value <= PAYLOAD_TARGET
            else:
                cells.append(f"{value:,.1f}")
        print(f"| {label} | " + " | ".join(cells) + f" | {target} |")
    print("\n| frame step in Chromium, 1,461 daily frames | component | plotly | target |")
    print("|---|---:|---:|---|")
    browser = results["browser"]
    for key, label in (
        ("step_sync_ms", "script + layout per step, median (ms)"),
        ("step_ms", "step to painted, median (ms)"),
        ("step_p95_ms", "step to painted, 95th percentile (ms)"),
        ("step_max_ms", "step to painted, max (ms)"),
        ("ready_s", "page ready (s)"),
        ("blocked_requests", "requests off the machine (blocked)"),
    ):
        target = "<= 50" if key == "step_p95_ms" else ("0" if key == "blocked_requests" else "")
        cells = [browser[kind][key] for kind in ("component", "plotly")]
        text = [f"{c:,.1f}" if isinstance(c, float) else f"{c}" for c in cells]
        print(f"| {label} | {text[0]} | {text[1]} | {target} |")
    print(
        f"| figure/payload JSON (KB) | {results['sizes'][sizes[-1]]['payload_waves_bytes'] / 1000:,.0f} "
        f"| {browser['plotly']['figure_json_bytes'] / 1000:,.0f} | <= 1,500 |"
    )
    if browser["plotly"]["blocked_example"]:
        print(f"plotly asked for: {browser['plotly']['blocked_example']}")
    ok &= browser["component"]["step_p95_ms"] <= STEP_TARGET_MS
    ok &= browser["component"]["blocked_requests"] == 0
    anim = results["animate"]
    print(
        f"\nanimate, {anim['animate_frames']:.0f} weekly frames: GIF {anim['gif_s']:.1f} s "
        f"({anim['gif_bytes'] / 1000:,.0f} KB), MP4 {anim['mp4_s']:.1f} s "
        f"({anim['mp4_bytes'] / 1000:,.0f} KB); target < {ANIMATE_TARGET_S:.0f} s each"
    )
    ok &= anim["gif_s"] < ANIMATE_TARGET_S and anim["mp4_s"] < ANIMATE_TARGET_S
    print("\nall targets met" if ok else "\nTARGET MISSED")
    return ok


if __name__ == "__main__":
    sys.exit(main())
