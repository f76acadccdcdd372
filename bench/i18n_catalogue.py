"""Benchmark: what the Ukrainian interface costs a process and a run.

``python bench/i18n_catalogue.py [--runs 20]`` reports, in one run:

* ``compile_ms``: reading ``uk.po`` with Babel and compiling it into gettext's form in memory
  (what the first Ukrainian page of a process pays once; median of ``--runs`` fresh compiles);
* ``messages``: the catalogue's size;
* ``lookup_us``: one ``gettext`` of a message already compiled (median over every message);
* ``timeline_ms_en`` / ``timeline_ms_uk``: building the timeline figure over a year of days in
  English and in Ukrainian (the Ukrainian one writes its own date ticks; median of ``--runs``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

import numpy as np
import pandas as pd
from babel.messages.pofile import read_po

from oblastwatch.i18n import catalogue, translator
from oblastwatch.present import figures


def _median_ms(func, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _compile() -> None:
    catalogue.translations.cache_clear()
    catalogue.translations("uk")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()

    compile_ms = _median_ms(_compile, args.runs)
    with catalogue.po_path("uk").open("rb") as po:
        messages = [m.id for m in read_po(po, locale="uk") if m.id and isinstance(m.id, str)]
    uk = translator("uk")
    lookups = []
    for message in messages:
        start = time.perf_counter()
        uk.gettext(message)
        lookups.append((time.perf_counter() - start) * 1e6)

    days = pd.date_range("2025-03-01", "2026-02-28", freq="D")
    rng = np.random.default_rng(0)
    daily = pd.DataFrame(
        {
            column: rng.integers(0, 200, len(days)).astype(float)
            for column in (
                "drones_launched",
                "drones_destroyed",
                "missiles_launched",
                "missiles_destroyed",
                "waves",
            )
        },
        index=days,
    )
    talks = pd.DataFrame(
        columns=["event_id", "first_day", "last_day", "lane", "kind", "title", "format"]
    )
    results = {
        "compile_ms": round(compile_ms, 1),
        "messages": len(messages),
        "lookup_us": round(statistics.median(lookups), 2),
        "timeline_ms_en": round(
            _median_ms(lambda: figures.timeline_figure(daily, talks), args.runs), 1
        ),
        "timeline_ms_uk": round(
            _median_ms(lambda: figures.timeline_figure(daily, talks, t=uk), args.runs), 1
        ),
    }
    print(json.dumps(results, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
