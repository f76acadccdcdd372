"""Benchmark: hostile file shapes are refused in about the time a normal file of their size
takes to import.

    python bench/hostile.py [--sizes 1,2,20] [--wide 300000] [--runs 3] [--factor 3]
                            [--floor 2] [--only TEXT] [--json PATH]

Shapes (issue 10): rows glued on one line after the header (a points, an MMA and a canonical
export that lost their line breaks) and a file with no line break at all, at each of
``--sizes`` MB; a first data row, a header and a JSON record of ``--wide`` (300,000) fields;
``--only TEXT`` keeps the shapes whose name contains TEXT. Each is imported with
``importers.import_file`` (the path the CLI and the Data page's upload both take) and must be
refused with one line naming the row and the field count.

Beside each, a **normal** file of the same format and size (the same kind of rows, one per
line) is imported in full; that is the yardstick. Both are timed in the same child process
(a fresh interpreter, warmed up by one untimed import of a small file), median of ``--runs``.
The bound: refusal <= max(``--factor`` x normal, ``--floor`` s). A child that runs longer
than ten times its bound (at least 60 s) is stopped and counts as a failure, so a regression
to the old minutes-long stalls ends the run instead of holding the machine.

Prints a table with the ratio refusal / normal; exits 1 when a bound is exceeded, a hostile
file is imported instead of refused, or its message lacks the row or the field count.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

POINTS = "id,date,latitude,longitude,location,title,description,killed,injured,sources"
MMA = "time_start,time_end,model,launch_place,target,carrier,launched,destroyed"
PLACES = (("Kyiv", 50.45, 30.52), ("Odesa", 46.48, 30.73), ("Kharkiv", 49.99, 36.23))
TARGETS = ("Odesa oblast", "Kharkiv oblast", "Kyiv oblast", "Dnipropetrovsk oblast")
MODELS = ("Shahed-136/131", "Iskander-M", "X-101/X-555", "Kalibr")
# A refusal names the row (or the header) and how many fields it has.
REFUSAL = re.compile(r": row (\d+|header), column [^:]+: .*\b[\d,]+ (fields|in this record)")


@dataclass
class Case:
    name: str
    mb: float
    normal_s: float | None = None
    refusal_s: float | None = None
    bound_s: float | None = None
    message: str = ""
    verdict: str = "FAIL"

    @property
    def ratio(self) -> float | None:
        if self.normal_s and self.refusal_s is not None:
            return self.refusal_s / self.normal_s
        return None


# ---------------------------------------------------------------- the files


def points_rows(n: int) -> list[str]:
    rows = []
    for i in range(n):
        place, lat, lon = PLACES[i % len(PLACES)]
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        rows.append(f"p{i},{day},{lat},{lon},{place},Strike,Report {i},{i % 3},{i % 5},")
    return rows


def mma_rows(n: int) -> list[str]:
    rows = []
    for i in range(n):
        day = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d}"
        model, target = MODELS[i % len(MODELS)], TARGETS[i % len(TARGETS)]
        launched = 1 + i % 40
        rows.append(f"{day} 18:00,{day} 23:00,{model},Iran,{target},,{launched},{launched - 1}")
    return rows


def canonical_rows(n: int) -> tuple[str, list[str]]:
    import synthetic

    from oblastwatch.importers import canonical

    events, event_regions = synthetic.synthetic_events(n, seed=10)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "events.csv"
        canonical.write_csv(events, event_regions, path)
        header, *rows = path.read_text(encoding="utf-8").splitlines()
    return header, rows


def sized(make: Callable[[int], list[str]], size: int) -> list[str]:
    """Enough rows from ``make`` for ``size`` bytes (rows are about equally long)."""
    sample = make(200)
    per_row = sum(len(r) + 1 for r in sample) / len(sample)
    return make(max(1, round(size / per_row)))


def write_cases(
    work: Path, sizes_mb: list[float], wide: int
) -> list[tuple[str, float, Path, Path]]:
    """(name, MB, normal file, hostile file) for every shape."""
    cases = []

    def add(name: str, normal: str | bytes, hostile: str | bytes, suffix: str = "csv") -> None:
        slug = re.sub(r"\W+", "_", name).strip("_")
        paths = work / f"{slug}-normal.{suffix}", work / f"{slug}.{suffix}"
        for path, data in zip(paths, (normal, hostile), strict=True):
            path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        cases.append((name, paths[1].stat().st_size / 1e6, *paths))

    for mb in sizes_mb:
        size = int(mb * 1e6)
        points = sized(points_rows, size)
        add(
            f"points, rows on one line, {mb:g} MB",
            POINTS + "\n" + "\n".join(points) + "\n",
            POINTS + "\n" + "".join(points) + "\n",
        )
        mma = sized(mma_rows, size)
        add(
            f"MMA, rows on one line, {mb:g} MB",
            MMA + "\n" + "\n".join(mma) + "\n",
            MMA + "\n" + "".join(mma) + "\n",
        )
        header, rows = canonical_rows(1_000)
        per_row = sum(len(r) + 2 for r in rows) / len(rows)
        header, rows = canonical_rows(max(1, round(size / per_row)))
        add(
            f"canonical, rows on one line, {mb:g} MB",
            header + "\r\n" + "\r\n".join(rows) + "\r\n",
            header + "\r\n" + "".join(rows) + "\r\n",
        )
        add(
            f"points, no line break at all, {mb:g} MB",
            POINTS + "\n" + "\n".join(points) + "\n",
            POINTS + "".join(points),
        )
    wide_row = ",".join(["x"] * wide)
    add(
        f"points, a first row of {wide:,} fields",
        POINTS + "\n" + "\n".join(sized(points_rows, len(wide_row))) + "\n",
        POINTS + "\n" + wide_row + "\n" + points_rows(1)[0] + "\n",
    )
    wide_header = ",".join(f"c{i}" for i in range(wide))
    add(
        f"a header of {wide:,} fields",
        POINTS + "\n" + "\n".join(sized(points_rows, len(wide_header))) + "\n",
        wide_header + "\n" + ",".join(["1"] * wide) + "\n",
    )
    wide_record = json.dumps([{f"k{i}": i for i in range(wide)}])
    names = POINTS.split(",")
    records = [dict(zip(names, r.split(","), strict=True)) for r in points_rows(20_000)]
    per_record = len(json.dumps(records)) / len(records)
    records = [
        dict(zip(names, r.split(","), strict=True))
        for r in points_rows(round(len(wide_record) / per_record))
    ]
    add(f"JSON, a record of {wide:,} keys", json.dumps(records), wide_record, suffix="json")
    return cases


# ---------------------------------------------------------------- timing, in a child process


def child(normal: Path, hostile: Path, runs: int) -> dict[str, object]:
    """Median seconds to import ``normal`` and to have ``hostile`` refused, and the refusal."""
    from oblastwatch.importers import UnusableInput, import_file

    warm_up = normal.with_name("warm-up.csv")
    warm_up.write_text(POINTS + "\n" + "\n".join(points_rows(100)) + "\n")
    import_file(warm_up)

    def timed(path: Path) -> tuple[float, str | None]:
        start = time.perf_counter()
        try:
            import_file(path)
            refusal = None
        except UnusableInput as error:
            refusal = str(error)
        return time.perf_counter() - start, refusal

    normal_s, hostile_s, refusal = [], [], None
    for _ in range(runs):
        seconds, normal_refusal = timed(normal)
        if normal_refusal is not None:
            raise SystemExit(f"the normal file was refused: {normal_refusal}")
        normal_s.append(seconds)
        seconds, refusal = timed(hostile)
        hostile_s.append(seconds)
    return {
        "normal_s": statistics.median(normal_s),
        "refusal_s": statistics.median(hostile_s),
        "refusal": refusal,
    }


def measure(case: Case, normal: Path, hostile: Path, args: argparse.Namespace) -> None:
    # A hard stop well above the bound: the normal file's time is not known yet.
    limit = max(60.0, 10 * args.floor, 10 * args.factor * case.mb)
    command = [sys.executable, __file__, "--child", str(normal), str(hostile)]
    try:
        done = subprocess.run(
            [*command, "--runs", str(args.runs)],
            capture_output=True,
            text=True,
            timeout=limit,
            cwd=REPO,
        )
    except subprocess.TimeoutExpired:
        case.message = f"stopped after {limit:.0f} s"
        return
    if done.returncode != 0:
        case.message = (done.stderr.strip().splitlines() or ["child failed"])[-1]
        return
    result = json.loads(done.stdout.strip().splitlines()[-1])
    case.normal_s, case.refusal_s = result["normal_s"], result["refusal_s"]
    case.bound_s = max(args.factor * case.normal_s, args.floor)
    refusal = result["refusal"]
    if refusal is None:
        case.message = "imported, not refused"
        return
    case.message = refusal
    named = "\n" not in refusal and REFUSAL.search(refusal) is not None
    case.verdict = "PASS" if named and case.refusal_s <= case.bound_s else "FAIL"


# ---------------------------------------------------------------- report


def table(cases: list[Case]) -> str:
    lines = [
        f"{'shape':44} {'MB':>6} {'normal s':>9} {'refused s':>10} {'ratio':>7} {'bound s':>8}",
    ]
    for case in cases:

        def seconds(value: float | None) -> str:
            return f"{value:.3f}" if value is not None else "-"

        ratio = f"{case.ratio:.3f}" if case.ratio is not None else "-"
        lines.append(
            f"{case.name:44} {case.mb:6.1f} {seconds(case.normal_s):>9} "
            f"{seconds(case.refusal_s):>10} {ratio:>7} {seconds(case.bound_s):>8} {case.verdict}"
        )
        lines.append(f"    {case.message[:150]}")
    return "\n".join(lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1,2,20", help="comma-separated MB for one-line files")
    parser.add_argument("--wide", type=int, default=300_000, help="fields of the wide row")
    parser.add_argument("--runs", type=int, default=3, help="runs per file (median)")
    parser.add_argument("--factor", type=float, default=3.0, help="bound: factor x normal")
    parser.add_argument("--floor", type=float, default=2.0, help="bound: at least this many s")
    parser.add_argument("--only", default="", help="only shapes whose name contains this")
    parser.add_argument("--json", type=Path, help="write the figures to this JSON file")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child:
        print(json.dumps(child(*args.child, runs=args.runs)))
        return 0
    sizes = [float(s) for s in args.sizes.split(",") if s.strip()]
    cases = []
    with tempfile.TemporaryDirectory(prefix="oblastwatch-hostile-") as tmp:
        started = time.perf_counter()
        files = write_cases(Path(tmp), sizes, args.wide)
        print(f"wrote {len(files)} pairs of files in {time.perf_counter() - started:.1f} s")
        for name, mb, normal, hostile in files:
            if args.only not in name:
                continue
            case = Case(name, mb)
            measure(case, normal, hostile, args)
            print(f"{case.verdict} {name}", flush=True)
            cases.append(case)
    print()
    print(f"Python {platform.python_version()}, {os.cpu_count()} CPUs, medians of {args.runs}")
    print(table(cases))
    failed = [case.name for case in cases if case.verdict != "PASS"]
    if args.json:
        figures = [asdict(case) | {"ratio": case.ratio} for case in cases]
        args.json.write_text(json.dumps({"runs": args.runs, "cases": figures}, indent=1))
    print(f"\n{len(cases) - len(failed)} of {len(cases)} within the bound")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
