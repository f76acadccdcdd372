"""AppTest: the data's age in every page's sidebar, and the sources' gaps on the timeline.

"Today" is fixed through ``oblastwatch.ui.freshness.today`` so the expected ages never drift.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import texts

from oblastwatch.importers import import_file
from oblastwatch.storage.imported import save_dataset
from oblastwatch.ui import freshness

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted(re.findall(r"st\.Page\(\s*\"(pages/[a-z_]+\.py)\"", (REPO / "app.py").read_text()))
# The bundled tables: the last strike on 14 March 2026, the last talks day 22 March 2026.
BUNDLED_LINE = (
    "Newest attack: 2026-03-14, {attack} · newest diplomatic event: 2026-03-22, {diplomatic}"
)
POINTS_CSV = (
    "id,date,latitude,longitude,location,description\n"
    "P1,2026-11-29,46.48,30.73,Odesa,Port area hit\n"
    "P2,2026-11-30,50.45,30.52,Kyiv,Residential block hit\n"
)


def _today(monkeypatch: pytest.MonkeyPatch, day: date) -> None:
    monkeypatch.setattr(freshness, "today", lambda: day)


def test_every_page_warns_that_the_bundled_data_is_old(app_test, monkeypatch):
    _today(monkeypatch, date(2026, 12, 6))
    at = app_test()
    line = BUNDLED_LINE.format(attack="267 days ago", diplomatic="259 days ago")
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        warnings = [w.value for w in at.sidebar.warning]
        assert len(warnings) == 1, (page, warnings)
        assert warnings[0].startswith(line), page
        assert "267 days old (more than 14)" in warnings[0], page
        assert "Get the latest Air Force figures" in warnings[0], page


def test_recent_data_is_a_caption_not_a_warning(app_test, monkeypatch):
    _today(monkeypatch, date(2026, 3, 22))
    at = app_test()
    assert not at.sidebar.warning
    captions = [c.value for c in at.sidebar.caption]
    assert BUNDLED_LINE.format(attack="8 days ago", diplomatic="today") in captions


def test_timeline_says_where_a_source_ends_before_an_imported_one(
    app_test, data_dir, tmp_path, monkeypatch
):
    _today(monkeypatch, date(2026, 12, 1))
    csv = tmp_path / "incidents.csv"
    csv.write_text(POINTS_CSV)
    save_dataset(data_dir / "incidents", import_file(csv, source_name="incidents"))
    at = app_test(page="pages/timeline.py", start="2026-01-01", end="2026-11-30")
    # The imported incidents are the newest attacks: fresh data, no warning.
    assert not at.sidebar.warning
    assert any(
        c.value.startswith("Newest attack: 2026-11-30, 1 day ago") for c in at.sidebar.caption
    )
    notes = [i.value for i in at.info]
    strikes = [n for n in notes if n.startswith(r"Source curated\-strikes ends on 2026-03-14")]
    assert strikes, notes
    assert "incidents runs to 2026-11-30" in strikes[0]
    assert "From 2026-03-15 to 2026-11-30" in strikes[0]
    assert "not a quiet period" in strikes[0]
    assert any(n.startswith(r"Source curated\-talks ends on 2026-03-22") for n in notes), notes
    # The chart shades and labels the same days.
    chart = next(e for e in at.main if getattr(e, "type", None) == "plotly_chart")
    labels = [a.get("text", "") for a in json.loads(chart.proto.spec)["layout"]["annotations"]]
    assert "no curated-strikes rows after 2026-03-14" in labels
    assert "no curated-talks rows after 2026-03-22" in labels


def test_timeline_has_no_gap_note_before_any_source_ends(app_test):
    at = app_test(page="pages/timeline.py", start="2025-06-01", end="2025-06-30")
    assert "not a quiet period" not in texts(at)
