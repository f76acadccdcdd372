"""Run the browser suite several times in a row while other processes keep every core busy.

A browser test that passes on an idle machine and fails on a busy one is a race, not bad luck.
This script makes the busy machine on purpose: one ``while True: pass`` process per core (as
many as ``--hogs``), then ``pytest tests/e2e`` ``--runs`` times in a row. It prints one line
per run and exits non-zero if any run failed.

    python bench/e2e_under_load.py --runs 5 --hogs 2
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hogs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments")
    args = parser.parse_args(argv)

    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(args.hogs)]
    failures = 0
    try:
        for run in range(1, args.runs + 1):
            started = time.monotonic()
            completed = subprocess.run(
                [sys.executable, "-m", "pytest", "tests/e2e", "-q", "-p", "no:cacheprovider",
                 *args.pytest_args],
                cwd=REPO,
                capture_output=True,
                text=True,
            )  # fmt: skip
            summary = (completed.stdout.strip().splitlines() or ["(no output)"])[-1]
            print(f"run {run}/{args.runs}: {summary} ({time.monotonic() - started:.0f} s)")
            if completed.returncode != 0:
                failures += 1
                print(completed.stdout[-4000:], completed.stderr[-2000:], sep="\n")
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    print(f"{args.runs - failures} of {args.runs} runs passed with {args.hogs} busy processes")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
