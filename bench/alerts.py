"""Benchmark: import and alert hours of a synthetic official sirens file of 1M alerts.

``python bench/alerts.py [--rows 1000000] [--runs 3] [--json out.json]`` writes a file shaped
like the real ``official_data_en.csv`` (same header, CRLF line ends, ``+00:00`` instants, the
oblast names as the file spells them, ``Kyiv City``; a quarter of the rows oblast level, the
rest raion and hromada level, alerts of 5 minutes to 10 hours overlapping within an oblast),
then reports in one run:

* ``import_rows_per_s``: rows per second of ``oblastwatch.importers.import_file`` (median of
  ``--runs``), against the issue's floor of 100,000 rows/s;
* ``alert_hours_s``: seconds to compute hours per region and Kyiv day from the imported table
  (:func:`oblastwatch.query.alert_hours.alert_hours_table`);
* ``metric_ms``: one date change of the "Alert hours" map metric on the prepared index with
  those alerts (median over 40 ranges);
* with ``--events`` synthetic events (``bench/synthetic.py``, default 100,000) indexed together
  with the alerts, the figures ``bench/run.py`` budgets, with alerts loaded: ``update_ms`` (a
  date change: the waves metric and daily counts as in ``bench/run.py``, plus the alert hours
  metric and the timeline's alert series; budget 100 ms), ``timeline_bytes`` and
  ``timeline_ms`` (the whole span with the alert lane for a region; budget 500 KB; and the
  same timeline without the lane, ``timeline_bytes_without_alerts``) and
  ``map_bytes`` (the alert hours choropleth; budget 350 KB).

Nothing here reads the reference folder: the oblast spellings are the ones the importer tests
check against the real excerpts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from functools import partial
from pathlib import Path

import numpy as np

from oblastwatch.domain import model
from oblastwatch.importers import import_file
from oblastwatch.query.alert_hours import alert_hours_table
from oblastwatch.query.build import prepare
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS, region_metric

sys.path.insert(0, str(Path(__file__).resolve().parent))
import synthetic  # noqa: E402  (bench/ is not a package)

FLOOR_ROWS_PER_S = 100_000
FIRST = np.datetime64("2022-03-15T00:00:00", "s")
SPAN_S = 4 * 365 * 86_400
# The oblast column as the official file spells it (checked by tests/unit/test_importer_alerts.py
# through the real excerpt), without Luhansk, Crimea and Sevastopol, as in the file.
OBLASTS = (
    "Vinnytska oblast", "Volynska oblast", "Dnipropetrovska oblast", "Donetska oblast",
    "Zhytomyrska oblast", "Zakarpatska oblast", "Zaporizka oblast", "Ivano-Frankivska oblast",
    "Kyivska oblast", "Kirovohradska oblast", "Lvivska oblast", "Mykolaivska oblast",
    "Odeska oblast", "Poltavska oblast", "Rivnenska oblast", "Sumska oblast",
    "Ternopilska oblast", "Kharkivska oblast", "Khersonska oblast", "Khmelnytska oblast",
    "Cherkaska oblast", "Chernivetska oblast", "Chernihivska oblast", "Kyiv City",
)  # fmt: skip


def write_official_file(path: Path, rows: int, seed: int = 0) -> None:
    """A synthetic official sirens file of ``rows`` alerts, sorted by start, at ``path``."""
    rng = np.random.default_rng(seed)
    start = np.sort(FIRST + rng.integers(0, SPAN_S, rows).astype("timedelta64[s]"))
    minutes = np.clip(rng.lognormal(mean=3.7, sigma=0.9, size=rows), 5, 600).astype(np.int64)
    end = start + (minutes * 60).astype("timedelta64[s]")
    oblast = np.array(OBLASTS, dtype=object)[rng.integers(0, len(OBLASTS), rows)]
    level = rng.choice(
        np.array(["oblast", "raion", "hromada"], dtype=object), rows, p=[0.25, 0.35, 0.4]
    )
    raion = np.where(level == "oblast", "", "Synthetic raion")
    hromada = np.where(level == "hromada", "m. Synthetic ta Synthetic terytorialna hromada", "")

    def stamps(values: np.ndarray) -> np.ndarray:
        return np.char.add(np.char.replace(values.astype(str), "T", " "), "+00:00")

    columns = [oblast.astype(str), raion, hromada, level.astype(str), stamps(start), stamps(end)]
    lines = columns[0]
    for column in columns[1:]:
        lines = np.char.add(np.char.add(lines, ","), column)
    lines = np.char.add(lines, ",official")
    header = "oblast,raion,hromada,level,started_at,finished_at,source"
    path.write_text(header + "\r\n" + "\r\n".join(lines.tolist()) + "\r\n", encoding="ascii")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target fails")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="oblastwatch-alerts-bench-") as work:
        path = Path(work) / "official_data_en.csv"
        write_official_file(path, args.rows)
        size = path.stat().st_size
        import_file(path)  # warm: the first call imports the importer's modules
        times, result = [], None
        for _ in range(args.runs):
            began = time.perf_counter()
            result = import_file(path)
            times.append(time.perf_counter() - began)
        assert result is not None
        assert result.alerts is not None
        assert result.report.rows_imported == args.rows, result.report.summary_lines()
        alerts = result.alerts
    import_s = statistics.median(times)
    began = time.perf_counter()
    hours = alert_hours_table(alerts)
    hours_s = time.perf_counter() - began
    prepared = prepare(model.empty_events(), model.empty_event_regions(), alerts)
    metric_ms = _metric_ms(prepared)
    events, event_regions = synthetic.synthetic_events(args.events, seed=0)
    both = prepare(events, event_regions, alerts)
    budgets = _budgeted_figures(both, args.runs)
    figures = {
        "rows": args.rows,
        "file_bytes": size,
        "import_s": round(import_s, 3),
        "import_rows_per_s": round(args.rows / import_s),
        "alert_hours_s": round(hours_s, 3),
        "region_days": len(hours),
        "metric_ms": round(metric_ms, 3),
        "events": args.events,
        **budgets,
    }
    passed = (
        figures["import_rows_per_s"] >= FLOOR_ROWS_PER_S
        and budgets["update_ms"] <= 100
        and budgets["timeline_bytes"] <= 500_000
        and budgets["map_bytes"] <= 350_000
    )
    for key, value in figures.items():
        print(f"{key:>20}: {value:,}")
    print(
        f"import >= {FLOOR_ROWS_PER_S:,} rows/s, update <= 100 ms, timeline <= 500 KB, "
        f"map <= 350 KB: {'PASS' if passed else 'FAIL'}"
    )
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 1 if args.strict and not passed else 0


def _budgeted_figures(prepared, runs: int) -> dict[str, float]:
    """The figures bench/run.py budgets, on events and alerts indexed together."""
    from oblastwatch.domain.geo import load_boundaries
    from oblastwatch.present import figures, maps
    from oblastwatch.query.alerts import daily_alert_series
    from oblastwatch.query.diplomacy import diplomatic_events
    from oblastwatch.query.series import daily_attack_counts

    first, last = date(2022, 3, 15), date(2026, 2, 28)
    ranges = [
        (first + timedelta(days=60 * i), first + timedelta(days=60 * i + 364)) for i in range(9)
    ]

    def update(start: date, end: date) -> None:
        filters = Filters(start=start, end=end, kinds=("strike", "incident"))
        region_metric(prepared, filters, "waves")
        daily_attack_counts(prepared, filters)
        region_metric(prepared, filters, "alert_hours")
        daily_alert_series(prepared, filters, "UA-51")

    update_ms = statistics.median(_timed(partial(update, *r)) for r in ranges) * 1000
    whole = Filters(start=first, end=last)
    daily = daily_attack_counts(prepared, whole)
    talks = diplomatic_events(prepared, whole)
    alerts = daily_alert_series(prepared, whole, "UA-51")

    def timeline() -> str:
        return figures.timeline_figure(daily, talks, alerts=alerts, region_label="Odesa").to_json()

    timeline_ms = statistics.median(_timed(timeline) for _ in range(runs)) * 1000
    boundaries = load_boundaries()
    info = METRICS["alert_hours"]
    values = region_metric(prepared, Filters(start=ranges[0][0], end=ranges[0][1]), "alert_hours")
    html = maps.choropleth_map(values, boundaries, metric_label=info.label, unit=info.unit)
    return {
        "update_ms": round(update_ms, 2),
        "timeline_ms": round(timeline_ms, 1),
        "timeline_bytes": len(timeline().encode("utf-8")),
        "timeline_bytes_without_alerts": len(
            figures.timeline_figure(daily, talks).to_json().encode("utf-8")
        ),
        "map_bytes": len(html.get_root().render().encode("utf-8")),
    }


def _timed(work) -> float:
    began = time.perf_counter()
    work()
    return time.perf_counter() - began


def _metric_ms(prepared) -> float:
    first = date(2022, 3, 15)
    timings = []
    for i in range(40):
        start = first + timedelta(days=17 * i)
        filters = Filters(start=start, end=start + timedelta(days=30 + 11 * i))
        began = time.perf_counter()
        region_metric(prepared, filters, "alert_hours")
        timings.append(time.perf_counter() - began)
    return statistics.median(timings) * 1000


if __name__ == "__main__":
    sys.exit(main())
