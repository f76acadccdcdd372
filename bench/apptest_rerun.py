"""Child process of bench/run.py: time a full Map-page rerun after a date change (AppTest).

    python bench/apptest_rerun.py '{"app": ".../app.py", "runs": 5, "ranges": [["2024-01-01", "2024-12-31"], ...]}'

Reads ``OBLASTWATCH_DATA_DIR`` like the app. Runs the app once (cached loaders fill: the
figure is printed as ``first_run_s``), then for each range sets the sidebar date widget to it
and times ``AppTest.run()`` (the server-side work of one rerun: the frame, the sidebar, the Map
page). Prints one JSON line: ``{"rerun_ms": median, "runs_ms": [...], "first_run_s": ...}``.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date

from streamlit.testing.v1 import AppTest

from oblastwatch.ui import state

TIMEOUT_S = 600


def _failed(at: AppTest) -> str | None:
    if at.exception:
        return "; ".join(str(e.value)[:500] for e in at.exception)
    return None


def main() -> int:
    spec = json.loads(sys.argv[1])
    ranges = [(date.fromisoformat(a), date.fromisoformat(b)) for a, b in spec["ranges"]]
    at = AppTest.from_file(spec["app"], default_timeout=TIMEOUT_S)
    start = time.perf_counter()
    at.run()
    first_run = time.perf_counter() - start
    if error := _failed(at):
        print(f"first run raised: {error}", file=sys.stderr)
        return 1
    times = []
    for i in range(spec["runs"]):
        # Alternate with the default range so every run is a real change.
        at.date_input(key=state.DATE_WIDGET).set_value(ranges[i % len(ranges)])
        start = time.perf_counter()
        at.run()
        times.append((time.perf_counter() - start) * 1000)
        if error := _failed(at):
            print(f"rerun raised: {error}", file=sys.stderr)
            return 1
        if at.session_state[state.DATE_RANGE] != ranges[i % len(ranges)]:
            print("the date change did not reach the app's shared range", file=sys.stderr)
            return 1
    print(
        json.dumps(
            {"rerun_ms": statistics.median(times), "runs_ms": times, "first_run_s": first_run}
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
