"""bench/load.py itself: a short run with two readers must measure, not just finish."""

from __future__ import annotations

import json
import subprocess
import sys

from e2e_helpers import REPO


def test_a_short_load_run_times_every_change_from_the_click_in_the_page(tmp_path):
    out = tmp_path / "load.json"
    command = [
        sys.executable, "bench/load.py", "--sessions", "2", "--seconds", "10",
        "--events", "3000", "--work", str(tmp_path / "work"), "--json", str(out),
    ]  # fmt: skip
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(out.read_text())
    assert result["errors"] == 0, result["error_samples"]
    assert result["cross_session_leaks"] == 0
    # Two readers pausing at most 8 s each make at least one change each in 10 s.
    assert result["reruns"] >= 2
    assert result["p50_ms"] > 0
    # On two quiet pages the script state shows each run: if the state observer broke, every
    # change would fall back to the URL timing and no wait before a run would be known.
    assert result["timed_by_url"] < result["reruns"]
    assert result["wait_p50_ms"] is not None
    changes = result["by_change"]
    assert sum(kind["reruns"] for kind in changes.values()) == result["reruns"]
    assert result["cores_by_process"]["renderer"] > 0
    assert result["cores_by_process"]["server"] > 0
