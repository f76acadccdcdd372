"""The Playback component: one self-contained HTML document that animates the payload.

Everything runs in the browser: the page sends :func:`~oblastwatch.present.playback.payload.
playback_payload` once and the script below repaints the 27 outlines (one ``fill`` each), the
date range, the talks list and the timeline cursor per frame, with no round trip to the server
and no library: nothing is fetched, so it works offline.

**Text from the data** (talk titles, venues, region names) is inserted with ``textContent``
only, never as HTML, and the payload sits in a ``<script type="application/json">`` block as
script-safe JSON (``<`` and ``>`` escaped), so no data text can end the block or become markup.

**The URL.** When playback stops on a frame (pause, a step, a click on the slider or the
timeline) the script writes the frame's last day into the app's address as ``frame=`` with
``history.replaceState`` on the parent page (the component's frame is same-origin): no reload,
no rerun. The next rerun reads it back, so a copied link opens on that frame.

Test hooks: the root has ``data-frame`` (the frame shown) and each outline ``data-code``;
``window.owPlayback.show(k)`` shows frame ``k`` (the benchmark times it).
"""

from __future__ import annotations

import html
from typing import Any

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.present.maps.geometry import script_safe_json

# Frames per second offered by the speed control; the default is the third.
SPEEDS = (1, 2, 4, 8, 15, 30)
DEFAULT_SPEED = 4
HEIGHT = 700

_STYLE = """
body { margin: 0; font-family: "Source Sans Pro", system-ui, sans-serif; color: #262730; }
#ow-playback { display: flex; gap: 16px; flex-wrap: wrap; }
#main { flex: 3 1 520px; min-width: 0; }
#side { flex: 1 1 220px; max-height: 640px; overflow-y: auto; font-size: 14px; }
#controls { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin-bottom: 4px; }
button, select { font: inherit; padding: 3px 10px; border: 1px solid #bbb; border-radius: 6px;
  background: #fff; cursor: pointer; }
button:focus-visible, select:focus-visible, input:focus-visible { outline: 2px solid #08306b; }
#slider { flex: 1 1 160px; }
#range { font-size: 20px; font-weight: 600; margin: 4px 0; }
#map { width: 100%; height: auto; max-height: 500px; display: block; }
#map path { stroke: #555; stroke-width: 0.8; stroke-linejoin: round; }
#legend { font-size: 13px; margin: 4px 0; }
.swatch { display: inline-block; width: 13px; height: 13px; vertical-align: middle;
  margin: 0 4px 0 10px; border: 1px solid #888; }
.swatch.no-reports { border-style: dashed; }
#timeline { width: 100%; height: 64px; display: block; cursor: pointer; }
#side h3 { font-size: 15px; margin: 0 0 6px; }
#events { list-style: none; padding: 0; margin: 0; }
#events li { margin-bottom: 8px; border-left: 3px solid #08306b; padding-left: 6px; }
.when { color: #555; font-size: 12px; }
"""

_BODY = """
<div id="ow-playback" data-testid="ow-playback" data-frame="0">
  <div id="main">
    <div id="controls">
      <button id="back" type="button" aria-label="{back}" title="{back}">&#9664;&#9646;</button>
      <button id="play" type="button" aria-label="{play}">{play}</button>
      <button id="forward" type="button" aria-label="{forward}" title="{forward}">&#9646;&#9654;</button>
      <label>{speed} <select id="speed" aria-label="{speed}"></select></label>
      <input id="slider" type="range" min="0" value="0" aria-label="{frame}">
    </div>
    <div id="range" data-testid="ow-frame-range" aria-live="polite"></div>
    <svg id="map" role="img" aria-label="{map}"></svg>
    <div id="legend" data-testid="ow-playback-legend"></div>
    <svg id="timeline" role="img" aria-label="{timeline}"
      preserveAspectRatio="none"></svg>
    <div class="when">{strip}</div>
  </div>
  <div id="side">
    <h3>{events}</h3>
    <ul id="events" data-testid="ow-frame-events"></ul>
  </div>
</div>
"""

_SCRIPT = """
(function () {
  "use strict";
  const P = JSON.parse(document.getElementById("ow-data").textContent);
  const SVG = "http://www.w3.org/2000/svg";
  const n = P.ends.length, R = P.columns.length, DAY = 86400000;
  const root = document.getElementById("ow-playback");
  const map = document.getElementById("map");
  const rangeBox = document.getElementById("range");
  const slider = document.getElementById("slider");
  const playButton = document.getElementById("play");
  const speed = document.getElementById("speed");
  const eventsList = document.getElementById("events");
  const iso = (day) => new Date(day * DAY).toISOString().slice(0, 10);
  const values = P.values.map(() => null);
  let current = -1, timer = null, eventsKey = null;

  map.setAttribute("viewBox", P.viewBox);
  const paths = P.regions.map((region) => {
    const path = document.createElementNS(SVG, "path");
    path.setAttribute("d", region.path);
    path.dataset.code = region.code;
    const title = document.createElementNS(SVG, "title");
    path.appendChild(title);
    map.appendChild(path);
    return { path, title, name: region.name };
  });

  P.legend.forEach((entry) => {
    const swatch = document.createElement("span");
    swatch.className = "swatch " + entry.kind;
    swatch.style.background = entry.colour;
    document.getElementById("legend").appendChild(swatch);
    document.getElementById("legend").appendChild(document.createTextNode(entry.label));
  });
  P.speeds.forEach((fps) => {
    const option = document.createElement("option");
    option.value = fps;
    option.textContent = P.text.fps.replace("{fps}", fps);
    option.selected = fps === P.speed;
    speed.appendChild(option);
  });
  slider.max = String(n - 1);

  // The timeline: regions with a positive value in each frame, talks as ticks, a cursor.
  const timeline = document.getElementById("timeline");
  timeline.setAttribute("viewBox", "0 0 " + n + " 64");
  const hit = new Array(n).fill(0);
  for (let k = 0; k < n; k++) {
    for (let r = 0; r < R; r++) if (parseInt(P.classes[k * R + r], 36) >= 2) hit[k] += 1;
  }
  let area = "M0,54";
  for (let k = 0; k < n; k++) {
    const y = 54 - (hit[k] / R) * 50;
    area += "L" + k + "," + y.toFixed(1) + "L" + (k + 1) + "," + y.toFixed(1);
  }
  area += "L" + n + ",54Z";
  const bars = document.createElementNS(SVG, "path");
  bars.setAttribute("d", area);
  bars.setAttribute("fill", "#fd8d3c");
  timeline.appendChild(bars);
  const first = P.starts[0];
  const frameOfDay = (day) => {
    let lo = 0, hi = n - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (P.ends[mid] < day) lo = mid + 1; else hi = mid; }
    return lo;
  };
  P.events.forEach((event) => {
    if (event.last < first) return;
    const tick = document.createElementNS(SVG, "rect");
    tick.setAttribute("x", frameOfDay(event.first));
    tick.setAttribute("y", 56);
    tick.setAttribute("width", Math.max(1, n / 300));
    tick.setAttribute("height", 8);
    tick.setAttribute("fill", "#08306b");
    timeline.appendChild(tick);
  });
  const cursor = document.createElementNS(SVG, "rect");
  cursor.setAttribute("y", 0);
  cursor.setAttribute("height", 64);
  cursor.setAttribute("width", Math.max(1, n / 200));
  cursor.setAttribute("fill", "#08306b");
  cursor.setAttribute("opacity", "0.7");
  timeline.appendChild(cursor);

  function frameValues(k) {
    if (values[k] === null) values[k] = P.values[k].split("|");
    return values[k];
  }

  function showEvents(k) {
    const start = P.starts[k], end = P.ends[k];
    const shown = [];
    P.events.forEach((event, i) => { if (event.last >= start && event.first <= end) shown.push(i); });
    const key = shown.join(",");
    if (key === eventsKey) return;
    eventsKey = key;
    eventsList.replaceChildren();
    if (!shown.length) {
      const none = document.createElement("li");
      none.className = "none";
      none.textContent = P.text.none;
      eventsList.appendChild(none);
      return;
    }
    shown.forEach((i) => {
      const event = P.events[i];
      const item = document.createElement("li");
      const when = document.createElement("div");
      when.className = "when";
      const span = event.first === event.last ? iso(event.first) : iso(event.first) + P.text.to + iso(event.last);
      when.textContent = span + " \\u00b7 " + event.kind;
      const title = document.createElement("div");
      title.textContent = event.venue ? event.title + ", " + event.venue : event.title;
      item.appendChild(when);
      item.appendChild(title);
      eventsList.appendChild(item);
    });
  }

  function show(k) {
    k = Math.max(0, Math.min(n - 1, k));
    if (k === current) return;
    current = k;
    const row = frameValues(k);
    for (let i = 0; i < paths.length; i++) {
      const column = P.columns[i];
      const item = paths[i];
      item.path.setAttribute("fill", P.colours[parseInt(P.classes[k * R + column], 36)]);
      const value = row[column];
      item.title.textContent = item.name + ": " + (value === "" ? P.text.noReports : P.text.value.replace("{value}", value).replace("{unit}", P.unit));
    }
    const start = iso(P.starts[k]), end = iso(P.ends[k]);
    rangeBox.textContent = start === end ? start : start + P.text.to + end;
    slider.value = String(k);
    cursor.setAttribute("x", k);
    root.dataset.frame = String(k);
    showEvents(k);
  }

  function writeUrl() {
    try {
      const page = window.parent;
      const params = new URLSearchParams(page.location.search);
      params.set("frame", iso(P.ends[current]));
      params.set("step", P.step);
      params.set("window", P.window === null ? "cumulative" : String(P.window));
      page.history.replaceState(page.history.state, "", page.location.pathname + "?" + params + page.location.hash);
    } catch (error) {
      // Not embedded in the app (a saved file): nothing to keep in sync.
    }
  }

  function pause() {
    if (timer !== null) { clearTimeout(timer); timer = null; }
    playButton.textContent = P.text.play;
    playButton.setAttribute("aria-label", P.text.play);
    writeUrl();
  }

  function tick() {
    if (current >= n - 1) { pause(); return; }
    show(current + 1);
    timer = setTimeout(tick, 1000 / Number(speed.value));
  }

  function play() {
    if (current >= n - 1) show(0);
    playButton.textContent = P.text.pause;
    playButton.setAttribute("aria-label", P.text.pause);
    timer = setTimeout(tick, 1000 / Number(speed.value));
  }

  playButton.addEventListener("click", () => (timer === null ? play() : pause()));
  document.getElementById("back").addEventListener("click", () => { pause(); show(current - 1); writeUrl(); });
  document.getElementById("forward").addEventListener("click", () => { pause(); show(current + 1); writeUrl(); });
  slider.addEventListener("input", () => { if (timer !== null) pause(); show(Number(slider.value)); });
  slider.addEventListener("change", writeUrl);
  timeline.addEventListener("click", (e) => {
    const box = timeline.getBoundingClientRect();
    pause();
    show(Math.floor(((e.clientX - box.left) / box.width) * n));
    writeUrl();
  });

  show(P.initial);
  window.owPlayback = { show: show, count: n, frame: () => current };
})();
"""


def _body(t: Translator) -> str:
    _ = t.gettext
    labels = {
        "back": _("Step back"),
        "play": _("Play"),
        "forward": _("Step forward"),
        "speed": _("Speed"),
        "frame": _("Frame"),
        "map": _("Map of the regions in this frame"),
        "timeline": _("Timeline: regions with reports per frame, talks marked"),
        "strip": _(
            "Under the map: regions with a value above 0 in each frame; dark ticks: diplomatic "
            "events; the bar marks the frame shown (click to jump)."
        ),
        "events": _("Diplomatic events in this frame"),
    }
    body = _BODY
    for key, text in labels.items():
        body = body.replace("{" + key + "}", html.escape(text, quote=True))
    return body


def _script_texts(t: Translator) -> dict[str, str]:
    """The words the script writes, in ``t``'s language (set with ``textContent``)."""
    _ = t.gettext
    return {
        "play": _("Play"),
        "pause": _("Pause"),
        "none": _("None in this frame."),
        "noReports": _("no reports"),
        "to": " to " if t.language == ENGLISH.language else " – ",
        "fps": _("{fps} frames/s"),
        # A unit after a number would need its plural form: Ukrainian names it first.
        "value": "{value} {unit}" if t.language == ENGLISH.language else "{unit}: {value}",
    }


def playback_html(payload: dict[str, Any], t: Translator = ENGLISH) -> str:
    """The component's HTML document for ``payload`` (no external script, style or font).

    Its controls and notes are in ``t``'s language (the payload's texts should be too).
    """
    data = {**payload, "speeds": list(SPEEDS), "speed": DEFAULT_SPEED, "text": _script_texts(t)}
    return (
        f'<!DOCTYPE html><html lang="{t.language}"><head><meta charset="utf-8">'
        f"<style>{_STYLE}</style></head><body>{_body(t)}"
        f'<script type="application/json" id="ow-data">{script_safe_json(data)}</script>'
        f"<script>{_SCRIPT}</script></body></html>"
    )
