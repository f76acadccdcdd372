"""``oblastwatch map`` and ``oblastwatch timeline``."""

from __future__ import annotations

import csv
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from oblastwatch.cli import main
from oblastwatch.domain.regions import REGION_CODES

ROOT = Path(__file__).resolve().parents[2]
POINTS_CSV = ROOT / "tests" / "data" / "points" / "civilian_harm.csv"
EXTERNAL_LOAD = re.compile(r"""\bsrc\s*=\s*["']?https?://|<link\b[^>]*href\s*=\s*["']?https?://""")


@pytest.fixture(autouse=True)
def empty_user_data(tmp_path, monkeypatch):
    """Never read the developer's own imported datasets."""
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path / "user-data"))


def test_map_offline_writes_a_self_contained_page(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["map", "--offline", "--metric", "days", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert not EXTERNAL_LOAD.search(page)
    assert "Leaflet 1.9.4" in page
    assert "Boundaries: Natural Earth" in page
    assert all(f'"{code}"' in page for code in REGION_CODES)
    assert "Days with strikes (days)" in page  # legend title
    printed = capsys.readouterr().out
    assert printed.startswith(f"wrote {out}")
    assert "regions with reports" in printed


def test_map_range_region_and_cdn(tmp_path):
    out = tmp_path / "map.html"
    args = ["map", "--start", "2025-01-01", "--end", "2025-06-30", "--region", "UA-46"]
    assert main([*args, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "https://unpkg.com/leaflet@1.9.4/dist/leaflet.js" in page
    assert "2025-01-01 to 2025-06-30" in page
    assert '"interactive": false' in page  # the region outline


def test_map_with_imported_points(tmp_path, capsys):
    dataset = tmp_path / "civ"
    assert main(["import", str(POINTS_CSV), "--out", str(dataset)]) == 0
    capsys.readouterr()
    out = tmp_path / "map.html"
    code = main(
        ["map", "--data", str(dataset), "--metric", "incidents", "--points", "--out", str(out)]
    )
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "Television tower area struck." in page
    assert "/app/static/markercluster/" not in page
    assert "leaflet.markercluster" in page
    assert "Located events:" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--start", "2025-13-01"], "--start: expected a date like 2025-03-01, got '2025-13-01'"),
        (["--end", "yesterday"], "--end: expected a date like 2025-03-01, got 'yesterday'"),
        (["--start", "2025-03-02", "--end", "2025-03-01"], "ends (2025-03-01) before it starts"),
        (["--region", "UA-99"], "--region: unknown region code 'UA-99'"),
        (["--source", "nope"], "--source: unknown source 'nope'"),
        (["--data", "/nonexistent/dataset"], "/nonexistent/dataset: no such dataset directory"),
        (["--tiles", "https://tiles.example.org/a.png"], "tile URL needs"),
        (["--metric", "days", "--per", "people"], "--per people: --metric days (days with"),
    ],
)
def test_map_errors_are_one_line(tmp_path, capsys, args, message):
    out = tmp_path / "map.html"
    assert main(["map", *args, "--out", str(out)]) == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1
    assert message in error
    assert error.startswith("oblastwatch map: error: ")
    assert not out.exists()


def test_timeline_writes_plotly_page(tmp_path, capsys):
    out = tmp_path / "timeline.html"
    assert (
        main(["timeline", "--start", "2025-01-01", "--end", "2025-12-31", "--out", str(out)]) == 0
    )
    page = out.read_text(encoding="utf-8")
    assert "cdn.plot.ly" in page
    assert "Plotly.newPlot" in page
    assert "<title>oblastwatch: strikes and diplomacy, 2025-01-01 to 2025-12-31</title>" in page
    assert "diplomatic events" in capsys.readouterr().out


def test_timeline_marks_the_days_after_a_source_ends(tmp_path, capsys):
    # The bundled strikes end on 2026-03-14, the bundled talks on 2026-03-22: those days are
    # a gap in the strikes list, not a quiet week.
    out = tmp_path / "timeline.html"
    args = ["timeline", "--start", "2026-03-01", "--end", "2026-03-22", "--out", str(out)]
    assert main(args) == 0
    printed = capsys.readouterr().out
    assert "note: Source curated-strikes ends on 2026-03-14" in printed
    assert "From 2026-03-15 to 2026-03-22 this view has no curated-strikes rows" in printed
    assert "no curated-strikes rows after 2026-03-14" in out.read_text(encoding="utf-8")


def test_timeline_bad_date(tmp_path, capsys):
    assert main(["timeline", "--start", "01/02/2025", "--out", str(tmp_path / "t.html")]) == 2
    assert "--start: expected a date" in capsys.readouterr().err


def test_map_subprocess(tmp_path):
    out = tmp_path / "map.html"
    env = {**os.environ, "OBLASTWATCH_DATA_DIR": str(tmp_path / "user-data")}
    result = subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "map", "--offline", "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 150_000
    assert "wrote" in result.stdout


def test_map_per_people_writes_rates_with_the_denominator_and_a_values_csv(tmp_path, capsys):
    out, values = tmp_path / "map.html", tmp_path / "values.csv"
    args = ["map", "--offline", "--per", "people", "--values-csv", str(values)]
    assert main([*args, "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Attack waves per 100,000 residents" in page  # legend title and tooltips
    assert "Per 100,000 residents, 1 Jan 2022 estimate, pre-war" in page  # legend note
    assert "1 Jan 2014 estimate" in page
    assert "<summary>About these rates</summary>" in page
    printed = capsys.readouterr().out
    assert "denominator: per 100,000 residents, 1 Jan 2022 estimate, pre-war" in printed
    rows = list(csv.DictReader(values.open(encoding="utf-8", newline="")))
    assert len(rows) == 27
    reported = [r for r in rows if r["status"] == "reported"]
    assert reported, "the bundled data hits some region"
    for row in reported:
        expected = float(row["count"]) / float(row["denominator"]) * 100_000
        assert float(row["value"]) == pytest.approx(expected)
        assert row["per"] == "people"


def test_map_per_area_names_the_outline_area(tmp_path, capsys):
    out = tmp_path / "map.html"
    assert main(["map", "--per", "area", "--metric", "weapons", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Weapons reported per 1,000 km²" in page
    assert "(simplified map outline)" in page
    assert "denominator: per 1,000 km²" in capsys.readouterr().out
