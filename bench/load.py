"""Load: N readers at once on one server process, each changing its view at random.

    python bench/load.py --sessions N --seconds S --events 1000000 --json PATH
                         [--work DIR] [--seed 1]
    python bench/load.py --costs --events 1000000   # CPU per change, machine and server

Builds a synthetic dataset of ``--events`` events (``bench/synthetic.py``; kept in ``--work``
and reused), indexes it as ``oblastwatch import`` does, starts ``streamlit run app.py`` on
127.0.0.1 with it, then opens one Chromium with N browser contexts, one Streamlit session
each, all on the Map page. For ``--seconds`` every session, after a random pause of 2 to 8 s (a reader looking at the result),
does one of: a date preset (7d/30d/90d/All), another map metric, or a click on a region of
the map. Measured per action: the rerun latency, from the click reaching the page (or the
map) to the app's script state returning to ``notRunning``, both timed in the page (a click
listener and a MutationObserver). Playwright's own checks before it clicks (the target is
visible, stable, not covered: several round trips to a busy page) come before the click and
are reported apart, not counted.

Written to ``--json``: ``p50_ms``, ``p95_ms``, ``max_ms`` of the latencies, ``reruns``,
``errors`` (exceptions shown by the app, actions that timed out, pages that crashed),
``cross_session_leaks`` (a session whose metric box shows a metric it did not choose),
``rss_mb_per_session`` (growth of the server's anonymous resident memory per session beyond
the first, after the first did each kind of change once), ``rss_base_mb``, ``rss_mb``,
``vm_rss_mb`` (all resident pages, memory-mapped index files included), ``cpu_percent`` (server process, % of one core),
``cores_by_process`` (cores used by the server and by each kind of Chromium process),
``by_change`` (reruns, p50 and p95 for each kind of change), ``wait_p50_ms``/``wait_p95_ms``
(the part of the latency before the run started), ``click_p50_ms``/``click_p95_ms`` (the
bench's own time to click, not counted), ``timed_by_url`` (changes whose run never showed
the running state in the page and were timed by the URL the run wrote), ``machine_cores`` (all the machine's CPU),
``cpu_wait_share`` (the share of the time in which some task waited for a CPU) and the settings.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic  # noqa: E402  (bench/ is not a package)
from browser import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    streamlit_command,
    wait_healthy,
)

DATASET = "synthetic"
APP_IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
MAP_IFRAME = (
    '[data-testid="stElementContainer"][data-stale="false"] '
    'iframe[title="streamlit_folium.st_folium"]'
)
PRESETS = ("7d", "30d", "90d", "All")
DEFAULT_PRESET = "30d"  # the range a new session opens with (ui/filters.DEFAULT_PRESET_DAYS)
ACTION_TIMEOUT_S = 60.0
# Seconds between two changes of one session: long enough to read a map, short enough to
# keep every session busy.
PAUSE_S = (2.0, 8.0)
# Records every change of the app's script state, and every click that reaches the page or
# the map, with the page's clock (the map's frame has its own time origin).
OBSERVER_JS = """
() => {
  window.__owRuns = [];
  window.__owClicks = [];
  const app = document.querySelector('[data-testid="stApp"]');
  const note = () => window.__owRuns.push(
    {state: app.getAttribute('data-test-script-state'), t: performance.now()});
  new MutationObserver(note).observe(app, {attributes: true,
    attributeFilter: ['data-test-script-state']});
  note();
  window.__owUrls = [];
  for (const name of ['pushState', 'replaceState']) {
    const original = history[name].bind(history);
    history[name] = (state, unused, url) => {
      const entry = {t: performance.now(), url: String(url).split('?')[1]};
      window.__owUrls.push(entry);
      // The frame after next: what the page drew with the messages taken in with this URL.
      requestAnimationFrame(() => requestAnimationFrame(() => { entry.drawn = performance.now(); }));
      return original(state, unused, url);
    };
  }
  window.__owClickTargets = [];
  document.addEventListener('click', (event) => {
    window.__owClicks.push(performance.now());
    const testid = event.target.closest('[data-testid]');
    window.__owClickTargets.push(`${event.target.tagName} in ${testid && testid.dataset.testid}`
      + ` "${(event.target.textContent || '').slice(0, 20)}"`);
  }, true);
  const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  map.contentWindow.document.addEventListener('click', (event) => {
    window.__owClicks.push(map.contentWindow.performance.timeOrigin
      + map.contentWindow.performance.now() - performance.timeOrigin);
    window.__owClickTargets.push(`${event.target.tagName} in the map`);
  }, true);
}
"""
# For a change asked for at t0 (before the bench's click): when the click reached the page,
# and from then the time to the end of the run that carries the change: the next run to
# start, or, when a run was already going at the click, that run (Streamlit restarts it with
# the change and the state stays "running", so no new start is seen). A busy page can take in
# a short run's start and end in one redraw, and then never shows "running": such a run is
# timed by the URL it writes at its end (every change the bench makes changes the URL), to the
# second frame the page draws after taking that URL in.
# Returns [latency, the part of it before the run started (null when timed by the URL), the
# bench's own time from t0 to the click].
RERUN_DONE_JS = """
(t0) => {
  const URL_GRACE_MS = 3000;
  const clicked = (window.__owClicks || []).find(t => t >= t0);
  if (clicked === undefined) return null;
  const runs = window.__owRuns || [];
  const earlier = runs.filter(r => r.t < clicked);
  const runningAtClick = earlier.length > 0 && earlier[earlier.length - 1].state === 'running';
  const after = runs.filter(r => r.t >= clicked);
  const started = runningAtClick ? 0 : after.findIndex(r => r.state === 'running');
  if (started < 0) {
    const app = document.querySelector('[data-testid="stApp"]');
    const written = (window.__owUrls || []).find(u => u.t >= clicked);
    const idle = app.getAttribute('data-test-script-state') === 'notRunning';
    // A page that has taken in the run's start but not drawn it yet also shows the new URL
    // before "running": only a URL left alone for URL_GRACE_MS counts as the end, and the
    // run ends when the page has drawn what came with it.
    const settled = written && written.drawn && performance.now() - written.t > URL_GRACE_MS;
    return settled && idle ? [written.drawn - clicked, null, clicked - t0] : null;
  }
  const done = after.slice(started).find(r => r.state === 'notRunning');
  if (!done) return null;
  const start = runningAtClick ? clicked : after[started].t;
  return [done.t - clicked, start - clicked, clicked - t0];
}
"""


@dataclass
class SessionStats:
    latencies_ms: list[float] = field(default_factory=list)
    # Of each latency, the part before the run started (the click reaching the server, and the
    # server starting the run).
    waits_ms: list[float] = field(default_factory=list)
    # The bench's own time from asking for a click to the click reaching the page (Playwright
    # checks the target first): not part of the latency.
    bench_ms: list[float] = field(default_factory=list)
    # Changes whose run never showed "running" and were timed by the URL written at its end.
    timed_by_url: int = 0
    # The same latencies by kind of change (date, metric, region).
    by_kind: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    leaks: int = 0


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_data(work: Path, n_events: int) -> dict[str, str]:
    """The data and cache directories with ``n_events`` synthetic events, indexed."""
    data_dir = work / f"data-{n_events}"
    cache_dir = work / f"cache-{n_events}"
    env = {"OBLASTWATCH_DATA_DIR": str(data_dir), "OBLASTWATCH_CACHE_DIR": str(cache_dir)}
    if not (data_dir / DATASET / "events.parquet").exists():
        from oblastwatch.importers.report import ImportReport, ImportResult
        from oblastwatch.storage.imported import save_dataset

        started = time.perf_counter()
        weights, _ = synthetic.region_weights(None)
        events, regions = synthetic.synthetic_events(
            n_events, seed=n_events, weights=weights, source=DATASET
        )
        report = ImportReport(DATASET, "bench/synthetic", "canonical", len(events), len(events), 0)
        save_dataset(data_dir / DATASET, ImportResult(events, regions, report), name=DATASET)
        log(f"generated and saved {len(events):,} events in {time.perf_counter() - started:.0f} s")
    # Index for the app, as `oblastwatch import` does (a separate process: its memory is
    # not the server's).
    code = (
        "from oblastwatch.query import index_cache; from oblastwatch.storage import store;"
        "index_cache.prepared_events(index_cache.data_fingerprint(), store.load_all)"
    )
    subprocess.run([sys.executable, "-c", code], env={**os.environ, **env}, check=True)
    return env


def start_server(env: dict[str, str], port: int, log_path: Path) -> subprocess.Popen:
    full_env = {**os.environ, **env}
    full_env.pop("OBLASTWATCH_TILES_URL", None)
    with log_path.open("wb") as out:
        process = subprocess.Popen(
            streamlit_command(port), cwd=REPO, env=full_env, stdout=out, stderr=out
        )
    wait_healthy(f"http://127.0.0.1:{port}", process, log_path, timeout_s=120)
    return process


def rss_mb(pid: int, kind: str = "RssAnon") -> float:
    """Resident memory of ``pid`` in MB: ``RssAnon`` (its own heap) by default, or ``VmRSS``.

    The app reads its index through memory maps (query/index_cache.py): the file pages a
    query touches count in VmRSS but are the page cache's, shared and reclaimable, and they
    grow with the date ranges asked, not with the sessions.
    """
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{kind}:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


try:  # the bench's own dependency check: playwright is in the test extra
    from playwright.async_api import TimeoutError as PlaywrightTimeout
except ImportError:  # pragma: no cover
    PlaywrightTimeout = TimeoutError  # noqa: N816


async def settled_rss(pid: int, *, quiet_s: float = 3.0, limit_s: float = 30.0) -> float:
    """The server's RSS once it has not moved by 1 MB for ``quiet_s`` (a region's first
    selection loads shared tables in a follow-up rerun)."""
    stop = time.monotonic() + limit_s
    last, since = rss_mb(pid), time.monotonic()
    while time.monotonic() < stop and time.monotonic() - since < quiet_s:
        await asyncio.sleep(0.5)
        current = rss_mb(pid)
        if abs(current - last) >= 1:
            last, since = current, time.monotonic()
    return last


async def open_session(browser: Any, url: str) -> Any:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(ACTION_TIMEOUT_S * 1000)
    await page.goto(url)
    await page.locator(APP_IDLE).wait_for(state="attached")
    await page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive").first.wait_for()
    await page.evaluate(OBSERVER_JS)
    return page


async def shown_metric(page: Any) -> str:
    """The metric the page's Metric box shows (the combobox input holds it as its value)."""
    return str(await page.get_by_role("combobox", name="Metric").input_value())


async def now(page: Any) -> float:
    return float(await page.evaluate("performance.now()"))


async def choose_metric(page: Any, rng: random.Random) -> tuple[str, float]:
    """Pick a metric other than the one shown; its label and the page time of the pick."""
    shown = await shown_metric(page)
    await page.get_by_role("combobox", name="Metric").click()
    options = page.get_by_role("listbox").get_by_role("option")
    labels = [(await options.nth(i).inner_text()).strip() for i in range(await options.count())]
    others = [i for i, label in enumerate(labels) if label != shown]
    pick = rng.choice(others)
    t0 = await now(page)
    await options.nth(pick).click()
    return labels[pick], t0


async def act(
    page: Any,
    rng: random.Random,
    stats: SessionStats,
    chosen: dict[str, Any],
    kind: str | None = None,
) -> None:
    """One change of view (``kind``, else a random one); every change differs from the
    session's current state, so each starts a rerun. Latency counts from the click that
    commits the change."""
    kind = kind or rng.choice(("date", "metric", "region"))
    if kind == "date":
        preset = rng.choice([p for p in PRESETS if p != chosen.get("preset", DEFAULT_PRESET)])
        button = page.get_by_test_id("stSidebar").get_by_role("button", name=preset, exact=True)
        t0 = await now(page)
        await button.click()
        chosen["preset"] = preset
    elif kind == "metric":
        chosen["metric"], t0 = await choose_metric(page, rng)
    else:
        polygons = page.frame_locator(MAP_IFRAME).locator("path.leaflet-interactive")
        count = await polygons.count()
        region = rng.choice([i for i in range(count) if i != chosen.get("region")] or [0])
        target = polygons.nth(region)
        t0 = await now(page)
        # Dispatched on the region's own path: a click at its centre could land on the
        # legend or on the region it surrounds (Kyiv City inside Kyiv Oblast).
        await target.dispatch_event("click")
        chosen["region"] = region
    # Waited for inside the page (its own timer, every 200 ms): polling from here would cost a
    # DevTools round trip per check and per session, and load the machine being measured. The
    # latency comes from the times the page recorded, so the polling step does not enter it.
    try:
        handle = await page.wait_for_function(
            RERUN_DONE_JS, arg=t0, polling=200, timeout=ACTION_TIMEOUT_S * 1000
        )
        latency, waited, bench_ms = await handle.json_value()
    except PlaywrightTimeout:
        tail = (await page.evaluate("window.__owRuns || []"))[-3:]
        clicks = await page.evaluate(
            "(window.__owClicks || []).map((t, i) => [t, (window.__owClickTargets || [])[i]])"
        )
        clicks = clicks[-3:]
        urls = (await page.evaluate("window.__owUrls || []"))[-3:]
        shown_range = (
            await page.get_by_test_id("stDateInput")
            .locator("input")
            .evaluate_all("inputs => inputs.map(i => i.value)")
        )
        stats.errors.append(
            f"{kind}: no rerun within {ACTION_TIMEOUT_S:g} s of t0 {t0:.1f} "
            f"(states: {tail}; clicks: {clicks}; date range shown: {shown_range}; urls: {urls})"
        )
        return
    stats.latencies_ms.append(latency)
    if waited is None:
        stats.timed_by_url += 1
    else:
        stats.waits_ms.append(waited)
    stats.bench_ms.append(bench_ms)
    stats.by_kind.setdefault(kind, []).append(latency)
    if await page.get_by_test_id("stException").count():
        stats.errors.append(f"{kind}: exception shown")
    # The box must show what this session chose, whatever the others did meanwhile.
    if "metric" in chosen and chosen["metric"] != await shown_metric(page):
        stats.leaks += 1


async def run_session(page: Any, seconds: float, seed: int) -> SessionStats:
    rng = random.Random(seed)
    stats = SessionStats()
    chosen: dict[str, Any] = {}
    stop = time.monotonic() + seconds
    while time.monotonic() < stop:
        await asyncio.sleep(rng.uniform(*PAUSE_S))
        try:
            await act(page, rng, stats, chosen)
        except Exception as error:  # noqa: BLE001 - every failure is counted, the run goes on
            stats.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0][:160]}")
    return stats


async def drive(url: str, sessions: int, seconds: float, seed: int, pid: int) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        first = await open_session(browser, url)
        # One session does every kind of change once, so what the server loads once for all
        # sessions (shared caches, lazily loaded tables) is in the baseline, not per session.
        warm = SessionStats()
        warm_rng = random.Random(seed)
        warm_chosen: dict[str, Any] = {}
        for kind in ("region", "date", "metric", "region"):
            await act(first, warm_rng, warm, warm_chosen, kind=kind)
        base = await settled_rss(pid)
        log(f"after the warm-up: server RSS {base:.0f} MB {warm.errors[-1:]}")
        pages = [first]
        for _ in range(sessions - 1):
            pages.append(await open_session(browser, url))
        cpu_before, wall_before = cpu_seconds(pid), time.monotonic()
        kinds_before, machine_before = cpu_by_process_kind(pid), machine_cpu_seconds()
        pressure_before = cpu_pressure_s()
        results = await asyncio.gather(
            *(run_session(page, seconds, seed * 1000 + i) for i, page in enumerate(pages))
        )
        wall = time.monotonic() - wall_before
        cpu = (cpu_seconds(pid) - cpu_before) / wall * 100
        cores_by_kind = cpu_share(kinds_before, cpu_by_process_kind(pid), wall)
        machine_cores = (machine_cpu_seconds() - machine_before) / wall
        waiting_share = (cpu_pressure_s() - pressure_before) / wall
        after = rss_mb(pid)
        resident = rss_mb(pid, "VmRSS")
        await browser.close()
    latencies = sorted(x for r in results for x in r.latencies_ms)
    waits = sorted(x for r in results for x in r.waits_ms)
    bench_overheads = sorted(x for r in results for x in r.bench_ms)
    errors = [e for r in results for e in r.errors]

    by_kind = {
        kind: sorted(x for r in results for x in r.by_kind.get(kind, []))
        for kind in ("date", "metric", "region")
    }
    return {
        "sessions": sessions,
        "seconds": seconds,
        "reruns": len(latencies),
        "p50_ms": statistics.median(latencies) if latencies else None,
        "p95_ms": percentile(latencies, 0.95),
        "max_ms": latencies[-1] if latencies else None,
        "wait_p50_ms": statistics.median(waits) if waits else None,
        "wait_p95_ms": percentile(waits, 0.95),
        "click_p50_ms": statistics.median(bench_overheads) if bench_overheads else None,
        "click_p95_ms": percentile(bench_overheads, 0.95),
        "timed_by_url": sum(r.timed_by_url for r in results),
        "by_change": {
            kind: {
                "reruns": len(values),
                "p50_ms": statistics.median(values) if values else None,
                "p95_ms": percentile(values, 0.95),
            }
            for kind, values in by_kind.items()
        },
        "errors": len(errors),
        "error_samples": errors[:10],
        "cross_session_leaks": sum(r.leaks for r in results),
        "rss_base_mb": round(base, 1),
        "rss_mb": round(after, 1),
        "vm_rss_mb": round(resident, 1),
        "rss_mb_per_session": round((after - base) / (sessions - 1), 1) if sessions > 1 else 0.0,
        "cpu_percent": round(cpu, 1),
        "cores_by_process": cores_by_kind,
        "machine_cores": round(machine_cores, 2),
        "cpu_wait_share": None if math.isnan(waiting_share) else round(waiting_share, 2),
    }


def percentile(ordered: list[float], q: float) -> float | None:
    """The ``q`` quantile of the sorted ``ordered`` (nearest rank); None when it is empty."""
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cpu_by_process_kind(server_pid: int) -> dict[str, float]:
    """CPU seconds used so far by the server and by each kind of Chromium process.

    Kinds: ``server``, ``renderer`` (the pages: scripts, layout, paint, raster),
    ``gpu`` (compositing; software here), ``browser`` (Chromium's own and utility processes),
    ``driver`` (Playwright). Processes that have ended are not counted: take differences over
    spans in which the pages stay open.
    """
    seconds: dict[str, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if pid == server_pid:
                kind = "server"
            elif "chromium" in command:
                kind = next((k for k in ("renderer", "gpu") if f"--type={k}" in command), "browser")
            elif "playwright" in command:
                kind = "driver"
            else:
                continue
            seconds[kind] = seconds.get(kind, 0.0) + cpu_seconds(pid)
        except OSError:  # the process ended while we read it
            continue
    return seconds


def cpu_share(before: dict[str, float], after: dict[str, float], per: float) -> dict[str, float]:
    """CPU seconds per ``per`` (seconds of wall time, or changes) by process kind."""
    return {k: round((after[k] - before.get(k, 0.0)) / per, 3) for k in sorted(after)}


def cpu_pressure_s() -> float:
    """Seconds in which some runnable task waited for a CPU (``/proc/pressure/cpu``, "some").

    NaN where the kernel keeps no pressure figures (no PSI): the share is then not reported.
    """
    try:
        first = Path("/proc/pressure/cpu").read_text().splitlines()[0]
    except OSError:
        return float("nan")
    return int(first.rsplit("total=", 1)[1]) / 1e6


def machine_cpu_seconds() -> float:
    """CPU seconds all processes of the machine have used (``/proc/stat``, not idle)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


async def action_costs(url: str, pid: int, seed: int, repeats: int = 6) -> dict[str, Any]:
    """One session, ``repeats`` changes of each kind one after another: the CPU seconds each
    change costs the whole machine (browser, driver, server) and the server alone."""
    from playwright.async_api import async_playwright

    costs: dict[str, Any] = {}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        page = await open_session(browser, url)
        rng, chosen, stats = random.Random(seed), {}, SessionStats()
        for kind in ("date", "metric", "region"):  # a region's first selection loads tables
            await act(page, rng, stats, chosen, kind=kind)
        await settled_rss(pid)
        for kind in ("date", "metric", "region"):
            stats = SessionStats()
            machine, server = machine_cpu_seconds(), cpu_seconds(pid)
            kinds = cpu_by_process_kind(pid)
            for _ in range(repeats):
                await act(page, rng, stats, chosen, kind=kind)
            costs[kind] = {
                "machine_cpu_s": round((machine_cpu_seconds() - machine) / repeats, 3),
                "server_cpu_s": round((cpu_seconds(pid) - server) / repeats, 3),
                "cpu_s_by_process": cpu_share(kinds, cpu_by_process_kind(pid), repeats),
                "p50_ms": statistics.median(stats.latencies_ms) if stats.latencies_ms else None,
                "errors": stats.errors,
            }
        await browser.close()
    return {"action_costs": costs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--work", type=Path, default=Path("/tmp/oblastwatch-load"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--costs",
        action="store_true",
        help="instead of the load run: the CPU one change of each kind costs, one session",
    )
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    env = prepare_data(args.work, args.events)
    port = free_port()
    server = start_server(env, port, args.work / f"streamlit-{port}.log")
    try:
        url = f"http://127.0.0.1:{port}/"
        work = (
            action_costs(url, server.pid, args.seed)
            if args.costs
            else drive(url, args.sessions, args.seconds, args.seed, server.pid)
        )
        result = asyncio.run(work)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
    result.update(events=args.events, cores=os.cpu_count())
    text = json.dumps(result, indent=2)
    print(text)
    if args.json is not None:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
