"""``oblastwatch fetch mma``: get the dataset, import it, replace the old copy, say what changed.

Nothing here talks to Kaggle. The same code path runs from a local copy (a file, a folder, a
zip), from a local HTTP server, and from kagglehub's answer for a local folder; the offline
test points kagglehub's requests at a closed port on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import zipfile
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pandas as pd
import pytest

from oblastwatch.cli import main
from oblastwatch.cli.fetch import parse_interval, run_every
from oblastwatch.importers import mma_source
from oblastwatch.storage.fetch import FetchError, fetch_mma
from oblastwatch.storage.imported import load_dataset

MMA = Path(__file__).resolve().parents[1] / "data" / "mma"
CURRENT = MMA / "current.csv"  # 10 rows: 7 import, 3 are rejected


def _copy_as_kaggle_folder(folder: Path, daily: Path = CURRENT) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(daily, folder / mma_source.DAILY_FILE)
    shutil.copy(MMA / "catalog.csv", folder / mma_source.CATALOG_FILE)
    return folder


def _without_rows(tmp_path: Path, dropped: tuple[int, ...]) -> Path:
    """current.csv without the given 0-based data rows (a copy from before they were added)."""
    lines = CURRENT.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for i, line in enumerate(lines[1:]) if i not in dropped]
    older = tmp_path / "older" / mma_source.DAILY_FILE
    older.parent.mkdir()
    older.write_text(lines[0] + "".join(kept), encoding="utf-8")
    return older


def _saved_files(directory: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in directory.iterdir()}


def test_first_fetch_saves_the_dataset_with_its_licence_and_origin(tmp_path):
    outcome = fetch_mma(str(CURRENT), data_dir=tmp_path)
    assert outcome.directory == tmp_path / "mma"
    assert (outcome.rows, outcome.new_rows, outcome.unchanged) == (7, None, False)
    assert (outcome.start, outcome.end) == (pd.Timestamp("2024-02-28"), pd.Timestamp("2026-02-26"))
    assert outcome.summary() == (
        f"file {CURRENT}: 7 rows, 2024-02-28 to 2026-02-26; 3 rows rejected (listed in the "
        "dataset's report.json); first fetch."
    )
    loaded = load_dataset(outcome.directory)
    assert len(loaded.events) == 7
    assert loaded.sources["licence"].iloc[0] == mma_source.CREDIT
    assert "CC BY-NC-SA 4.0" in mma_source.CREDIT
    meta = json.loads((outcome.directory / "meta.json").read_text(encoding="utf-8"))
    assert meta["fetch"]["content_sha256"] == hashlib.sha256(CURRENT.read_bytes()).hexdigest()


def test_a_second_fetch_of_the_same_content_writes_nothing(tmp_path):
    first = fetch_mma(str(CURRENT), data_dir=tmp_path)
    before = _saved_files(first.directory)
    again = fetch_mma(str(CURRENT), data_dir=tmp_path)
    assert again.unchanged
    assert again.new_rows == 0
    assert again.rows == 7
    assert "unchanged since the last fetch, nothing imported" in again.summary()
    assert _saved_files(first.directory) == before


def test_new_rows_are_counted_by_content_although_row_numbers_move(tmp_path):
    # The dataset lists the newest attacks first: new rows arrive at the top and every row
    # number below them moves. Rows 0 and 1 import cleanly.
    fetch_mma(str(_without_rows(tmp_path, (0, 1))), data_dir=tmp_path / "data")
    outcome = fetch_mma(str(CURRENT), data_dir=tmp_path / "data")
    assert (outcome.previous_rows, outcome.rows, outcome.new_rows) == (5, 7, 2)
    assert outcome.summary().endswith("2 new since the last fetch.")
    assert len(load_dataset(outcome.directory).events) == 7


def test_a_fetch_names_an_earlier_import_of_the_same_source(tmp_path):
    # The user imported the file by hand before; loading both would count every attack twice.
    assert main(["import", str(CURRENT), "--out", str(tmp_path / "missile_attacks_daily")]) == 0
    outcome = fetch_mma(str(CURRENT), data_dir=tmp_path)
    assert outcome.also_mma == ("missile_attacks_daily",)
    assert "'missile_attacks_daily' also holds Massive Missile Attacks data" in outcome.summary()


@pytest.mark.parametrize("shape", ["folder", "zip"])
def test_a_kaggle_folder_or_its_zip_archive_is_found_inside(tmp_path, shape):
    folder = _copy_as_kaggle_folder(tmp_path / "download" / "nested")
    source = folder.parent
    if shape == "zip":
        source = tmp_path / "archive.zip"
        with zipfile.ZipFile(source, "w") as archive:
            for path in folder.iterdir():
                archive.write(path, f"nested/{path.name}")
    outcome = fetch_mma(str(source), data_dir=tmp_path / "data")
    assert outcome.rows == 7
    assert outcome.origin == f"file {source}"


def test_a_folder_without_the_daily_file_is_one_line_and_keeps_the_old_copy(tmp_path):
    saved = fetch_mma(str(CURRENT), data_dir=tmp_path / "data").directory
    before = _saved_files(saved)
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "attacks_2026.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(FetchError) as caught:
        fetch_mma(str(changed), data_dir=tmp_path / "data")
    message = str(caught.value)
    assert "\n" not in message
    assert "missile_attacks_daily.csv is not in the dataset (found: attacks_2026.csv)" in message
    assert message.endswith("The data already loaded is unchanged.")
    assert _saved_files(saved) == before


def test_a_file_whose_columns_changed_is_refused_and_keeps_the_old_copy(tmp_path):
    saved = fetch_mma(str(CURRENT), data_dir=tmp_path / "data").directory
    before = _saved_files(saved)
    renamed = tmp_path / mma_source.DAILY_FILE
    renamed.write_text("when,what,how_many\n2026-03-01,drone,5\n", encoding="utf-8")
    with pytest.raises(FetchError) as caught:
        fetch_mma(str(renamed), data_dir=tmp_path / "data")
    assert "its columns may have changed" in str(caught.value)
    assert _saved_files(saved) == before
    assert len(load_dataset(saved).events) == 7


def test_only_one_fetch_runs_at_a_time(tmp_path):
    import fcntl

    tmp_path.mkdir(exist_ok=True)
    fd = os.open(tmp_path / ".fetch-mma.lock", os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(FetchError, match="another fetch into .* is running"):
            fetch_mma(str(CURRENT), data_dir=tmp_path)
    finally:
        os.close(fd)
    assert not (tmp_path / "mma").exists()
    assert fetch_mma(str(CURRENT), data_dir=tmp_path).rows == 7


@contextlib.contextmanager
def _serving(folder: Path):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_a_mirror_url_is_downloaded_with_progress_and_imported(tmp_path):
    served = _copy_as_kaggle_folder(tmp_path / "mirror")
    stages: list[tuple[str, float | None]] = []
    with _serving(served) as base:
        outcome = fetch_mma(
            f"{base}/{mma_source.DAILY_FILE}",
            data_dir=tmp_path / "data",
            progress=lambda stage, fraction: stages.append((str(stage), fraction)),
        )
        with pytest.raises(FetchError) as missing:
            fetch_mma(f"{base}/gone.csv", data_dir=tmp_path / "data")
    assert outcome.rows == 7
    assert outcome.origin.startswith("mirror http://127.0.0.1:")
    downloads = [fraction for stage, fraction in stages if stage.startswith("Downloading")]
    assert downloads
    assert downloads[-1] == pytest.approx(1.0)
    assert [s for s, _ in stages if not s.startswith("Downloading")] == [
        "Importing missile_attacks_daily.csv",
        "Saving 7 events",
    ]
    assert "The server answered HTTP 404" in str(missing.value)


def test_kaggle_version_comes_from_kagglehubs_folder_and_its_bar_reports_bytes(
    tmp_path, monkeypatch
):
    import kagglehub
    from kagglehub import clients

    cached = _copy_as_kaggle_folder(
        tmp_path / "cache" / "datasets" / "piterfm" / "massive" / "versions" / "257"
    )
    asked: list[str] = []

    def download_like_kagglehub(handle: str) -> str:
        asked.append(handle)
        # kagglehub's clients.download_file draws its bar this way.
        with clients.tqdm(total=4096, initial=0, unit="B") as bar:
            bar.update(1024)
            bar.update(3072)
        return str(cached)

    monkeypatch.setattr(kagglehub, "dataset_download", download_like_kagglehub)
    original_bar = clients.tqdm
    stages: list[tuple[str, float | None]] = []
    outcome = fetch_mma(
        data_dir=tmp_path / "data", progress=lambda s, f: stages.append((str(s), f))
    )
    assert asked == [mma_source.KAGGLE_HANDLE]
    assert outcome.version == "257"
    assert outcome.origin == f"Kaggle {mma_source.KAGGLE_HANDLE}, version 257"
    assert [f for s, f in stages if s.startswith("Downloading")] == [0.25, 1.0]
    assert clients.tqdm is original_bar  # kagglehub's own bar is back for other callers


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch_offline(what: str, data_dir: Path, tmp_path: Path) -> subprocess.CompletedProcess:
    """``oblastwatch fetch WHAT`` with every request sent to a proxy on a closed local port:
    offline, and never the real service."""
    proxy = f"http://127.0.0.1:{_closed_port()}"
    proxies = {name: proxy for name in ("HTTPS_PROXY", "HTTP_PROXY", "https_proxy", "http_proxy")}
    env = {
        **os.environ,
        **proxies,
        "NO_PROXY": "",
        "no_proxy": "",
        "OBLASTWATCH_DATA_DIR": str(data_dir),
        "KAGGLEHUB_CACHE": str(tmp_path / "kagglehub"),
    }
    return subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "fetch", what],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_offline_fetch_is_one_line_and_the_app_keeps_its_data(tmp_path):
    data_dir = tmp_path / "data"
    saved = fetch_mma(str(CURRENT), data_dir=data_dir).directory
    before = _saved_files(saved)
    done = _fetch_offline("mma", data_dir, tmp_path)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert errors == [
        "oblastwatch fetch: error: Kaggle: could not connect (offline, or Kaggle or a proxy "
        "unreachable); check the connection, or use --from PATH|URL with a copy you have. "
        "The data already loaded is unchanged."
    ]
    assert "CC BY-NC-SA 4.0" in done.stderr  # the licence is shown before any download
    assert _saved_files(saved) == before
    assert len(load_dataset(saved).events) == 7


def test_cli_fetch_prints_the_import_summary_and_indexes_for_the_app(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(tmp_path))
    assert main(["fetch", "mma", "--from", str(CURRENT)]) == 0
    printed = capsys.readouterr().out
    assert "mma (mma): 10 rows in, 7 imported, 3 rejected" in printed
    assert "rejected row 6, column launched: 'many' is not a number" in printed
    assert "7 rows, 2024-02-28 to 2026-02-26" in printed
    assert "indexed the data for the app" in printed
    assert main(["fetch", "mma", "--from", str(CURRENT)]) == 0
    again = capsys.readouterr().out
    assert "unchanged since the last fetch" in again
    assert "indexed" not in again  # nothing changed, nothing to index
    assert main(["fetch", "mma", "--from", str(tmp_path / "nothing.csv")]) == 2
    assert "nothing.csv: no such file or folder" in capsys.readouterr().err


def test_every_runs_on_a_fixed_schedule_and_never_overlaps():
    now = [0.0]
    starts: list[float] = []
    slept: list[float] = []
    durations = iter([10.0, 50.0, 130.0, 5.0])  # the third run overruns its slot

    def job():
        starts.append(now[0])
        now[0] += next(durations)

    def sleep(seconds):
        slept.append(seconds)
        now[0] += seconds

    assert run_every(100.0, job, clock=lambda: now[0], sleep=sleep, runs=4) == 4
    # Slots at 0, 100, 200, 300, 400: the run from 200 to 330 skips the slot at 300.
    assert starts == [0.0, 100.0, 200.0, 400.0]
    assert all(s > 0 for s in slept)


@pytest.mark.parametrize(
    ("text", "seconds"), [("6h", 21600.0), ("30m", 1800.0), ("1d", 86400.0), ("1.5h", 5400.0)]
)
def test_every_reads_intervals(text, seconds):
    assert parse_interval(text) == seconds


@pytest.mark.parametrize("text", ["6", "6 hours", "10s", "-1h", "h"])
def test_every_refuses_bad_or_too_short_intervals(text, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["fetch", "mma", "--every", text])
    assert stopped.value.code == 2
    assert "--every" in capsys.readouterr().err


# --- the air-raid alerts (oblastwatch fetch alerts) ------------------------------------------

ALERTS = Path(__file__).resolve().parents[1] / "data" / "alerts" / "official_data_en_sample.csv"


def test_alerts_fetch_saves_the_alerts_and_counts_new_ones_by_content(tmp_path):
    from oblastwatch.importers import alerts_source
    from oblastwatch.storage.fetch import fetch

    lines = ALERTS.read_text(encoding="utf-8").splitlines(keepends=True)
    older = tmp_path / "older" / alerts_source.OFFICIAL_FILE
    older.parent.mkdir()
    older.write_text(lines[0] + "".join(lines[1:-3]), encoding="utf-8")  # the last 3 came later
    first = fetch("alerts", str(older.parent), data_dir=tmp_path / "data")
    assert (first.rows, first.new_rows) == (924, None)
    assert first.directory == tmp_path / "data" / "air-raid-alerts"
    outcome = fetch("alerts", str(ALERTS), data_dir=tmp_path / "data")
    assert (outcome.previous_rows, outcome.rows, outcome.new_rows) == (924, 927, 3)
    assert (outcome.start, outcome.end) == (pd.Timestamp("2022-03-15"), pd.Timestamp("2023-12-25"))
    again = fetch("alerts", str(ALERTS), data_dir=tmp_path / "data")
    assert again.unchanged
    loaded = load_dataset(outcome.directory)
    assert loaded.sources["licence"].iloc[0] == alerts_source.CREDIT


def test_alerts_fetch_from_a_mirror_url(tmp_path):
    from oblastwatch.importers import alerts_source
    from oblastwatch.storage.fetch import fetch

    served = tmp_path / "mirror"
    served.mkdir()
    shutil.copy(ALERTS, served / alerts_source.OFFICIAL_FILE)
    with _serving(served) as base:
        outcome = fetch(
            "alerts", f"{base}/{alerts_source.OFFICIAL_FILE}", data_dir=tmp_path / "data"
        )
    assert outcome.rows == 927
    assert outcome.origin.startswith("mirror http://127.0.0.1:")


def test_offline_alerts_fetch_is_one_line(tmp_path):
    done = _fetch_offline("alerts", tmp_path / "data", tmp_path)
    assert done.returncode == 2
    errors = [line for line in done.stderr.splitlines() if "error:" in line]
    assert len(errors) == 1
    assert errors[0].startswith("oblastwatch fetch: error: https://raw.githubusercontent.com/")
    assert errors[0].endswith("The data already loaded is unchanged.")
    assert "MIT" in done.stderr  # the credit is shown before the download
