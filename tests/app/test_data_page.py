"""AppTest: the Data page (what is loaded, import by local path and URL, remove, downloads)."""

from __future__ import annotations

from datetime import date

import pytest
from apptest_helpers import frame_with, texts
from streamlit import config

from oblastwatch.storage import store
from oblastwatch.storage.imported import imported_datasets
from oblastwatch.ui import imports, state

PAGE = "pages/data.py"
POINTS_CSV = (
    "id,date,latitude,longitude,location,description,source_url\n"
    "P1,2026-03-10,46.48,30.73,Odesa,Port area hit,https://example.org/p1\n"
    "P2,2026-03-11,50.45,30.52,Kyiv,Residential block hit,https://example.org/p2\n"
    "P3,2026-03-12,not-a-number,30.52,,Bad row,https://example.org/p3\n"
)


@pytest.fixture(autouse=True)
def server_address(monkeypatch):
    """``set_to(address)``: the server.address the page sees (127.0.0.1 unless changed)."""
    monkeypatch.delenv(imports.ALLOW_LOCAL_PATHS_ENV, raising=False)
    before = config.get_option("server.address")
    config.set_option("server.address", "127.0.0.1")
    yield lambda address: config.set_option("server.address", address)
    config.set_option("server.address", before)


def _import_path(at, path, name=""):
    at.text_input(key="import_name").set_value(name)
    at.text_input(key="import_path").set_value(str(path)).run()
    at.button(key="import_path_button").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_data_page_lists_the_bundled_datasets(app_test, data_dir):
    at = app_test(page=PAGE)
    sources = frame_with(at, "licence")
    assert {"curated-talks", "curated-strikes"} <= set(sources["name"])
    assert (sources["rows"] > 0).all()
    assert str(data_dir) in [c.value for c in at.code]


def test_import_by_local_path_saves_reports_and_can_be_removed(app_test, data_dir, tmp_path):
    csv = tmp_path / "incidents.csv"
    csv.write_text(POINTS_CSV)
    at = app_test(page=PAGE)
    _import_path(at, csv, name="../../my incidents")
    text = texts(at)
    assert "Imported 2 of 3 rows" in text
    rejected = frame_with(at, "reason")
    assert list(rejected["row"]) == [2]
    saved = imported_datasets(data_dir)
    assert [p.name for p in saved] == ["my-incidents"]
    assert "my-incidents" in set(frame_with(at, "licence")["name"])
    # The new source is offered in the sidebar filter.
    assert "my-incidents" in at.multiselect(key=state.SOURCES_WIDGET).options
    at.button(key="remove_my-incidents").click().run()
    assert imported_datasets(data_dir) == []
    assert "my-incidents" not in set(frame_with(at, "licence")["name"])


def test_import_report_shows_shared_ids_and_the_duplicate(app_test, tmp_path):
    csv = tmp_path / "incidents.csv"
    # P1 again for another incident (kept as P1#2), then an exact copy of the first row.
    csv.write_text(
        POINTS_CSV
        + "P1,2026-03-13,49.99,36.23,Kharkiv,Another incident,https://example.org/p4\n"
        + POINTS_CSV.splitlines()[1]
        + "\n"
    )
    at = app_test(page=PAGE)
    _import_path(at, csv)
    assert "Imported 3 of 5 rows" in texts(at)
    rejected = frame_with(at, "reason").set_index("row")["reason"]
    assert rejected[4].startswith("duplicate of row 0")
    notes = [element.value for element in at.text]
    assert (
        "id 'P1' is shared by 2 rows that differ, kept as separate events: "
        "row 0 as 'P1', row 3 as 'P1#2'"
    ) in notes


def test_import_changes_the_numbers_on_the_map(app_test, tmp_path):
    csv = tmp_path / "incidents.csv"
    csv.write_text(POINTS_CSV)
    at = app_test(page=PAGE, metric="incidents", start="2026-03-01", end="2026-03-19")
    at.switch_page("pages/map.py").run()
    before = next(m.value for m in at.markdown if "of 27 regions" in m.value)
    at.switch_page(PAGE).run()
    _import_path(at, csv)
    at.switch_page("pages/map.py").run()
    after = next(m.value for m in at.markdown if "of 27 regions" in m.value)
    assert before.startswith("**0 of 27")
    assert after.startswith("**2 of 27")


def test_unusable_file_gives_one_line_error(app_test, tmp_path):
    bad = tmp_path / "empty.csv"
    bad.write_text("")
    at = app_test(page=PAGE)
    _import_path(at, bad)
    assert len(at.error) == 1
    assert "empty.csv" in at.error[0].value
    assert "\n" not in at.error[0].value


def test_missing_local_file_is_reported(app_test, tmp_path):
    at = app_test(page=PAGE)
    _import_path(at, tmp_path / "nope.csv")
    assert "no such file" in at.error[0].value


def test_url_import_refuses_file_scheme(app_test, data_dir):
    at = app_test(page=PAGE)
    at.text_input(key="import_url").set_value("file:///etc/passwd").run()
    at.button(key="import_url_button").click().run()
    assert "Only http" in at.error[0].value
    assert imported_datasets(data_dir) == []


def test_download_buttons_follow_the_filters(app_test):
    at = app_test(page=PAGE, start="2026-02-01", end="2026-02-28")
    labels = [b.label for b in at.get("download_button")]
    assert labels == [
        "Talks template (CSV)",  # "Add your own talks or strikes"
        "Strikes template (CSV)",
        "Events as CSV",
        "Events as GeoJSON",
        "Map as HTML (works offline)",
        "Map values as CSV",
    ]
    count = next(c.value for c in at.caption if "pass the filters" in c.value)
    at.date_input(key=state.DATE_WIDGET).set_value((date(2026, 2, 26), date(2026, 2, 26))).run()
    assert next(c.value for c in at.caption if "pass the filters" in c.value) != count


@pytest.mark.parametrize(("address", "env"), [("0.0.0.0", ""), (None, ""), ("127.0.0.1", "0")])
def test_local_path_import_is_off_unless_only_this_machine_can_connect(
    app_test, server_address, monkeypatch, address, env
):
    server_address(address)
    monkeypatch.setenv(imports.ALLOW_LOCAL_PATHS_ENV, env)
    at = app_test(page=PAGE)
    assert "import_path" not in [t.key for t in at.text_input]
    assert "Import by path is turned off" in texts(at)
    # The fetch step refuses too, whatever the page shows.
    with pytest.raises(imports.importers.UnusableInput, match="turned off"):
        imports.local_file("/etc/hostname")(None, lambda *_: None)


def test_local_path_import_can_be_allowed_on_a_shared_server(
    app_test, server_address, monkeypatch, data_dir, tmp_path
):
    server_address("0.0.0.0")
    monkeypatch.setenv(imports.ALLOW_LOCAL_PATHS_ENV, "1")
    csv = tmp_path / "incidents.csv"
    csv.write_text(POINTS_CSV)
    at = app_test(page=PAGE)
    _import_path(at, csv)
    assert "Imported 2 of 3 rows" in texts(at)
    # Every visitor sees the datasets' origins: the file's name, not the server's directories.
    origins = store.load_all().sources["description"].dropna().tolist()
    assert "file: incidents.csv" in origins
    assert not any(str(tmp_path) in origin for origin in origins)


def test_local_path_errors_do_not_quote_the_file(app_test, tmp_path):
    secret = tmp_path / "passwd"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/bin/sh\n")
    private = tmp_path / "private.csv"
    private.write_text("salary_of_alice,salary_of_bob\n100,200\n")
    at = app_test(page=PAGE)
    for path, content in ((secret, "root:x"), (private, "salary_of")):
        _import_path(at, path)
        assert len(at.error) == 1
        error = at.error[0].value
        assert error.startswith(f"{path.name}: row header, column ")
        assert "\n" not in error
        assert content not in error, error
        assert "no known format" in error
