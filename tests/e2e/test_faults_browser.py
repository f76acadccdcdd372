"""Browser: faults while readers use the app. The operator imports a new version of a dataset
while three readers rerun their pages, then the server is killed and started again. Each
reader sees the old data or the new, never an error or a mix, and is served again after the
restart without reloading the page."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

from e2e_helpers import open_app, wait_idle
from playwright.sync_api import expect

from oblastwatch.storage import store

MMA = Path(__file__).resolve().parents[1] / "data" / "mma"
COUNT = re.compile(r"([\d,]+) events pass the filters")
APP = '[data-testid="stApp"]'
CONNECTION = "data-test-connection-state"
# The whole span of the data, what "All" selects: the bundled tables' first and last days
# (both versions of the imported dataset lie inside it).
SPAN = ("2022-02-28", "2026-03-22")
READERS = 3
# A wave after the bundled tables' newest attack (2026-03-14); a night's wave is dated by the
# Kyiv day it ends on, 2026-03-21.
LATE_WAVE = "2026-03-20 18:00,2026-03-21 06:00"


def _import(data_dir: Path, csv: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "import", str(csv), "--out",
         str(data_dir / "mma"), "--name", "mma"],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def _all_events(data_dir: Path, monkeypatch) -> int:
    """Events the Data page counts with the "All" preset and no other filter: all of them."""
    monkeypatch.setenv("OBLASTWATCH_DATA_DIR", str(data_dir))
    return len(store.load_all().events)


def _shown_count(page) -> int:
    text = page.get_by_text(COUNT).inner_text()
    return int(COUNT.search(text).group(1).replace(",", ""))


def _rerun_all(page) -> int:
    """Press "All"; once the page shows the whole span, the count it shows (no error)."""
    page.get_by_test_id("stSidebar").get_by_role("button", name="All", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text(COUNT)).to_contain_text(f"({SPAN[0]} to {SPAN[1]})")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    return _shown_count(page)


def _expect_count(page, count: int) -> None:
    """Rerun until the page shows ``count`` events (waits out a rerun still on its way)."""
    _rerun_all(page)
    expect(page.get_by_text(COUNT)).to_contain_text(f"{count:,} events pass the filters")
    expect(page.get_by_test_id("stException")).to_have_count(0)


def test_readers_see_old_or_new_data_during_an_import_and_after_a_restart(
    browser, server, monkeypatch
):
    _import(server.data_dir, MMA / "older.csv")
    old = _all_events(server.data_dir, monkeypatch)
    contexts = [browser.new_context() for _ in range(READERS)]
    pages = [context.new_page() for context in contexts]
    try:
        for page in pages:
            page.set_default_timeout(60_000)
            open_app(page, server, "data")
            _expect_count(page, old)

        # The operator replaces the dataset while every reader keeps rerunning.
        importing = threading.Thread(target=_import, args=(server.data_dir, MMA / "current.csv"))
        importing.start()
        seen: set[int] = set()
        rounds = 0
        while importing.is_alive():
            rounds += 1
            for page in pages:
                seen.add(_rerun_all(page))
        importing.join()
        assert rounds >= 1  # the readers did rerun while the import ran
        new = _all_events(server.data_dir, monkeypatch)
        assert new != old
        assert seen <= {old, new}, f"a reader saw {seen - {old, new}} events: a mix"
        for page in pages:
            _expect_count(page, new)

        # The server dies and comes back; the open pages reconnect on their own.
        server.stop(kill=True)
        for page in pages:  # every reader has noticed: its app is no longer connected
            page.locator(f"{APP}:not([{CONNECTION}='CONNECTED'])").wait_for(state="attached")
        server.start()
        for page in pages:
            page.locator(f"{APP}[{CONNECTION}='CONNECTED']").wait_for(
                state="attached", timeout=120_000
            )
            wait_idle(page)
            _expect_count(page, new)
    finally:
        for context in contexts:
            context.close()


def test_a_change_on_the_map_after_an_import_shows_the_new_data_around_it_too(
    browser, server, tmp_path
):
    # A metric change reruns only the map's view (a fragment). After the operator has
    # imported newer data, that view must not draw the new data inside a sidebar still showing
    # the old: the change becomes a full run, and the sidebar's newest attack moves with it.
    header, first = MMA.joinpath("current.csv").read_text(encoding="utf-8").splitlines()[:2]
    later = tmp_path / "later.csv"
    later.write_text(
        f"{header}\n{first.replace('2026-02-25 18:00,2026-02-26 10:00', LATE_WAVE, 1)}\n",
        encoding="utf-8",
    )
    assert LATE_WAVE in later.read_text(encoding="utf-8")
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        open_app(page, server, "?start=2026-03-01&end=2026-03-22")
        sidebar = page.get_by_test_id("stSidebar")
        expect(sidebar).to_contain_text("Newest attack: 2026-03-14", timeout=60_000)
        _import(server.data_dir, later)
        page.get_by_role("combobox", name="Metric").click()
        page.get_by_role("listbox").get_by_role("option", name="Weapons reported").click()
        wait_idle(page)
        metric = page.get_by_role("combobox", name="Metric")
        expect(metric).to_have_value("Weapons reported", timeout=60_000)
        expect(sidebar).to_contain_text("Newest attack: 2026-03-21", timeout=60_000)
    finally:
        context.close()
