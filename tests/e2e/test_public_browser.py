"""Browser: a public (read-only) server. The Data page lists the data and offers no write;
data the operator imports on the server shows after a rerun, with no restart."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from e2e_helpers import open_app, wait_idle
from playwright.sync_api import expect

MMA_CURRENT = Path(__file__).resolve().parents[1] / "data" / "mma" / "current.csv"


@pytest.fixture
def server_env() -> dict[str, str]:
    return {"OBLASTWATCH_PUBLIC": "1"}


def test_public_data_page_is_read_only_and_shows_new_operator_data(page, server):
    open_app(page, server, "data")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("public, read-only copy of oblastwatch")).to_be_visible()
    expect(_dataset_cell(page, "curated-strikes")).to_have_count(1)
    for label in ("Import upload", "Import file", "Download and import", "Remove"):
        expect(main.get_by_role("button", name=label)).to_have_count(0)
    expect(main.get_by_role("button", name="Get the latest Air Force figures")).to_have_count(0)
    expect(page.get_by_test_id("stFileUploaderDropzoneInput")).to_have_count(0)
    expect(main.get_by_text(str(server.data_dir))).to_have_count(0)

    # The operator imports on the server while the reader has the page open.
    subprocess.run(
        [sys.executable, "-m", "oblastwatch.cli", "import", str(MMA_CURRENT), "--out",
         str(server.data_dir / "operator-upload")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    page.reload()
    wait_idle(page)
    expect(_dataset_cell(page, "operator-upload")).to_have_count(1)


def _dataset_cell(page, name: str):
    # The sources table is a canvas grid; its cells are mirrored in an accessible table.
    grid = page.get_by_test_id("stDataFrame").first
    return grid.locator('td[role="gridcell"][aria-colindex="1"]', has_text=name)
