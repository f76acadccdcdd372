"""AppTest: a file whose rows lost their line breaks is refused on the Data page in one line.

The page's three import routes (upload, local path, URL) only differ in how the file reaches a
temporary path; ``ui.imports.run_import`` then calls ``importers.import_file`` for all three.
Uploads cannot be driven by AppTest, so the local path stands in for them.
"""

from __future__ import annotations

from oblastwatch.storage.imported import imported_datasets
from oblastwatch.ui import imports

PAGE = "pages/data.py"
POINTS = "id,date,latitude,longitude,location,title,description,killed,injured,sources"
POINTS_ROW = "p1,2024-01-02,50.45,30.52,Kyiv,Strike,text,1,2,"


def test_rows_on_one_line_are_refused_naming_the_row_and_field_count(
    app_test, data_dir, tmp_path, monkeypatch
):
    monkeypatch.setenv(imports.ALLOW_LOCAL_PATHS_ENV, "1")
    glued = tmp_path / "glued.csv"
    glued.write_text(POINTS + "\n" + POINTS_ROW * 42_000 + "\n")  # 2 MB, 378,001 fields
    at = app_test(page=PAGE)
    at.text_input(key="import_path").set_value(str(glued)).run()
    at.button(key="import_path_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [
        "glued.csv: row 0, column …: line 2: 378,001 fields where the header has 10 "
        "(are line breaks missing, several rows on one line?)"
    ]
    assert imported_datasets(data_dir) == []
