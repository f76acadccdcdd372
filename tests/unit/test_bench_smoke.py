"""The benchmark runs end to end at 10k events (so it cannot rot); no timing asserts.

Includes the browser cold start: Debian's chromium is installed locally and in CI, and a
missing chromium is a failure, as in the e2e tests.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SIZE_KEYS = (
    "import_rows_per_s",
    "update_ms",
    "floor_ms",
    "map_bytes",
    "map_ms",
    "timeline_bytes",
    "timeline_ms",
    "rerun_ms",
)


def test_bench_runs_at_10k_and_writes_every_figure(tmp_path):
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--sizes", "10000", "--runs", "1", "--json", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "PASS" in proc.stdout or "FAIL" in proc.stdout  # the table was printed
    data = json.loads(out.read_text())
    figures = data["sizes"]["10000"]
    for key in SIZE_KEYS:
        value = figures[key]
        assert isinstance(value, int | float), key
        assert math.isfinite(value), key
        assert value > 0, key
    assert figures["events"] >= 10_000
    assert figures["map_bytes"] <= 350_000
    assert figures["timeline_bytes"] <= 500_000
    cold = data["cold_start_s"]
    assert isinstance(cold, float)
    assert 0 < cold < 120
    assert data["cold_start_events"] == 10_000
    assert 0 < figures["cold_start_s"] < 120
    assert 0 < figures["cold_start_unindexed_s"] < 120
    assert 0 < figures["index_s"] < 60


def test_the_alerts_bench_runs_small_and_writes_every_figure(tmp_path):
    out = tmp_path / "alerts.json"
    proc = subprocess.run(
        [
            sys.executable,
            "bench/alerts.py",
            "--rows",
            "20000",
            "--events",
            "2000",
            "--runs",
            "1",
            "--json",
            str(out),
        ],  # fmt: skip
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    figures = json.loads(out.read_text())
    assert figures["rows"] == 20_000
    for key in ("import_rows_per_s", "alert_hours_s", "update_ms", "timeline_bytes", "map_bytes"):
        assert math.isfinite(figures[key]), key
        assert figures[key] > 0, key
    assert figures["timeline_bytes"] > figures["timeline_bytes_without_alerts"]  # the lane is there
