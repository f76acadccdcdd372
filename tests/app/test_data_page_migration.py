"""AppTest: a dataset saved before the ISO code fix is in the data directory when the app
starts; the Data page says it was corrected, and keeps saying so after the data reloads."""

from __future__ import annotations

import shutil
from pathlib import Path

from apptest_helpers import frame_with

PAGE = "pages/data.py"
FIXTURE = Path(__file__).resolve().parents[1] / "data" / "store_format1" / "incidents"
NOTICE = (
    "Dataset 'incidents' was saved before the ISO code fix (format 1): "
    "Chernihiv and Chernivtsi codes corrected on 3 events."
)


def test_the_data_page_shows_that_an_old_dataset_was_corrected(app_test, data_dir):
    shutil.copytree(FIXTURE, data_dir / "incidents")
    at = app_test(page=PAGE)  # the first page loaded the data, and migrated it
    assert _load_notices(at) == [NOTICE]
    assert "incidents" in set(frame_with(at, "licence")["name"])
    at.run()  # the rewritten files are a new data version: loaded again, without a notice
    assert not at.exception, [e.value for e in at.exception]
    assert _load_notices(at) == [NOTICE]


def test_the_first_page_a_reader_opens_shows_the_notice_once(app_test, data_dir):
    shutil.copytree(FIXTURE, data_dir / "incidents")
    at = app_test()  # the Map page, the default
    assert _load_notices(at) == [NOTICE]
    at.run()  # the same session on its next rerun: already told
    assert not at.exception, [e.value for e in at.exception]
    assert _load_notices(at) == []


def test_the_data_page_has_no_notice_for_current_data(app_test):
    assert _load_notices(app_test(page=PAGE)) == []


def _load_notices(at) -> list[str]:
    # Other st.info boxes (import by path turned off on a shared server) are not ours.
    return [info.value for info in at.info if str(info.value).startswith("Dataset ")]
