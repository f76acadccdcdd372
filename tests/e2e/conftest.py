"""Browser tests: a real ``streamlit run app.py`` on a free port, driven by Debian's chromium.

Every test gets its own data directory (``OBLASTWATCH_DATA_DIR``) and a fresh server, so
imports made by one test never leak into another. Every request that leaves 127.0.0.1 is
aborted: the app must work offline. A missing chromium fails the run (CI and locally).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from e2e_helpers import OUTPUT_DIR, REPO

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60
LOCAL_HOSTS = {"127.0.0.1"}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).is_relative_to(Path(__file__).parent):
            item.add_marker(pytest.mark.e2e)


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    data_dir: Path
    log_path: Path
    process: subprocess.Popen = field(repr=False)
    command: list[str] = field(default_factory=list, repr=False)
    env: dict[str, str] = field(default_factory=dict, repr=False)

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self, *, kill: bool = False) -> None:
        """End the server process (SIGKILL with ``kill``: a crash, no clean shutdown)."""
        if kill:
            self.process.kill()
        else:
            self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def start(self) -> None:
        """Start the server again on the same port and data directory, and wait until healthy."""
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                self.command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=self.env
            )
        _wait_healthy(self)


def _wait_healthy(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    health = f"{server.url}/_stcore/health"
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {server.process.returncode}:\n{server.log()}"
            )
        try:
            with urllib.request.urlopen(health, timeout=2) as response:
                if response.read() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.1)  # polling interval of the readiness probe, not a wait on the UI
    raise RuntimeError(
        f"streamlit did not answer {health} in {STARTUP_TIMEOUT_S}s:\n{server.log()}"
    )


@pytest.fixture
def server_env() -> dict[str, str]:
    """Extra environment for the app server; a test module overrides it (public mode, say)."""
    return {}


@pytest.fixture
def server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[Server]:
    """A fresh app server with an empty, private data directory."""
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    port = _free_port()
    log_path = tmp_path / "streamlit.log"
    env = dict(os.environ, OBLASTWATCH_DATA_DIR=str(data_dir), **server_env)
    env.pop("OBLASTWATCH_TILES_URL", None)  # no tile server: the map must read without one
    cmd = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--server.enableStaticServing", "true",
    ]  # fmt: skip
    with log_path.open("wb") as log:
        process = subprocess.Popen(cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, env=env)
    srv = Server(f"http://127.0.0.1:{port}", data_dir, log_path, process, cmd, env)
    try:
        _wait_healthy(srv)
        yield srv
    finally:
        srv.stop()  # the process running now: a test may have restarted it


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} not found: install Debian's chromium (make browser). "
            "Browser tests are part of the test suite and never skipped."
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Offline:
    """Requests the browser tried to send off 127.0.0.1 (all of them were aborted)."""

    blocked: list[str] = field(default_factory=list)


@pytest.fixture
def offline() -> Offline:
    return Offline()


@pytest.fixture
def page(browser, server: Server, offline: Offline, request):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})

    def route(route_obj):
        url = route_obj.request.url
        host = urlsplit(url).hostname
        if url.startswith(("data:", "blob:", "about:")) or host in LOCAL_HOSTS:
            route_obj.continue_()
        else:
            offline.blocked.append(url)
            route_obj.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.set_default_timeout(30_000)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.dialogs = dialogs  # read by the XSS test; any dialog is a failure there
    yield page
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=str(OUTPUT_DIR / f"{request.node.name}-final.png"), full_page=True)
    finally:
        context.close()
    # Offline-first: no page of the app may even try to reach another host.
    assert offline.blocked == [], f"requests left 127.0.0.1: {offline.blocked[:5]}"
