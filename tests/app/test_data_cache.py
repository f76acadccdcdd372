"""AppTest: the shared, read-only data cache (ui/data.py).

The Dataset and the prepared index are ``st.cache_resource`` objects shared by every session
and page, never copied. These tests check that they are one object per data version, that no
page changes them, and that an import or a removal replaces them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from apptest_helpers import texts

from oblastwatch.importers import import_file
from oblastwatch.storage.imported import remove_dataset, save_dataset
from oblastwatch.ui import data

REPO = Path(__file__).resolve().parents[2]
PAGES = sorted(re.findall(r"st\.Page\(\s*\"(pages/[a-z_]+\.py)\"", (REPO / "app.py").read_text()))
POINTS_CSV = (
    "id,date,latitude,longitude,location,description\n"
    "P1,2026-03-10,46.48,30.73,Odesa,Port area hit\n"
    "P2,2026-03-11,50.45,30.52,Kyiv,Residential block hit\n"
)


def _digest(frame: pd.DataFrame) -> int:
    return int(pd.util.hash_pandas_object(frame, index=True).sum())


def test_every_page_reads_the_same_objects_and_changes_none(app_test):
    at = app_test()
    dataset = data.load_dataset()
    prepared = data.prepared_events()
    before = (_digest(dataset.events), _digest(dataset.event_regions), _digest(dataset.sources))
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        # Shared, not copied: the same objects on every call.
        assert data.load_dataset() is dataset, page
        assert data.prepared_events() is prepared, page
    after = (_digest(dataset.events), _digest(dataset.event_regions), _digest(dataset.sources))
    assert after == before, "a page changed the shared data"


def test_an_import_or_a_removal_replaces_the_shared_data(app_test, data_dir, tmp_path):
    at = app_test()
    old = data.load_dataset()
    csv = tmp_path / "incidents.csv"
    csv.write_text(POINTS_CSV)
    save_dataset(data_dir / "incidents", import_file(csv, source_name="incidents"))
    new = data.load_dataset()
    assert new is not old
    assert "incidents" in set(new.sources["name"])
    assert "incidents" not in set(old.sources["name"])
    at.switch_page("pages/data.py").run()
    assert "incidents" in texts(at) or "incidents" in at.dataframe[0].value["name"].tolist()
    remove_dataset(data_dir / "incidents")
    assert "incidents" not in set(data.load_dataset().sources["name"])
