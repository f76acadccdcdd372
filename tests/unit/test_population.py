"""The bundled population table: ISO codes, sources, dates, faithful to the reference, checked."""

from __future__ import annotations

import csv
import importlib.util
from datetime import date
from pathlib import Path

import pycountry
import pytest
from shared_reference import SHARED_REFERENCE, require

from oblastwatch.domain import resources
from oblastwatch.domain.population import (
    COLUMNS,
    PopulationFileError,
    load_population,
    read_population,
)

REPO = Path(__file__).resolve().parents[2]
REFERENCE = SHARED_REFERENCE / "population" / "population_2022.csv"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def build_script():
    spec = importlib.util.spec_from_file_location(
        "build_population", REPO / "scripts/build_population.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_iso_region_has_one_row_under_its_iso_name():
    iso = {s.code: s.name for s in pycountry.subdivisions.get(country_code="UA")}
    rows = _rows(resources.POPULATION_PATH)
    assert sorted(row["iso_code"] for row in rows) == sorted(iso)
    for row in rows:
        assert row["name_en"] == iso[row["iso_code"]], row["iso_code"]


def test_every_row_has_a_source_url_and_its_date():
    table = load_population()
    assert table["source_url"].str.match(r"^https?://").all()
    assert table["source_name"].str.contains("State Statistics Service of Ukraine").all()
    dates = table["reference_date"]
    assert set(dates[dates == date(2014, 1, 1)].index) == {"UA-40", "UA-43"}
    assert (dates.drop(index=["UA-40", "UA-43"]) == date(2022, 1, 1)).all()


def test_the_2022_figures_add_up_to_the_published_national_total():
    # The README: the 25 values add up to the SSSU's national total printed in table 1.
    table = load_population()
    assert int(table.loc[table["reference_date"] == date(2022, 1, 1), "population"].sum()) == (
        41_167_335
    )


def test_bundled_rows_equal_the_reference_rows():
    reference = {row["iso_code"]: row for row in _rows(require(REFERENCE))}
    bundled = {row["iso_code"]: row for row in _rows(resources.POPULATION_PATH)}
    assert set(bundled) == set(reference)
    for code, row in reference.items():
        assert {k: bundled[code][k] for k in row} == row, code


def test_build_script_says_the_bundled_file_is_up_to_date(build_script, capsys):
    require(REFERENCE)
    assert build_script.main(["--check"]) == 0, capsys.readouterr().err


def test_github_locators_become_github_addresses_at_the_same_commit():
    rows = {row["iso_code"]: row for row in _rows(resources.POPULATION_PATH)}
    kyiv = rows["UA-30"]
    commit = kyiv["source_url_or_repo_path"].split("@")[1].split(":")[0]
    assert kyiv["source_url"].startswith(
        f"https://github.com/kse-ua/KSE-Loc-Data-Hub/blob/{commit}/data-public/raw/"
    )
    assert rows["UA-43"]["source_url"] == rows["UA-43"]["source_url_or_repo_path"]


def _write(tmp_path: Path, row_changes: dict[str, str], *, row: int = 2) -> Path:
    rows = _rows(resources.POPULATION_PATH)
    rows[row - 1].update(row_changes)
    path = tmp_path / "population.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(COLUMNS))
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"iso_code": "UA-99"}, "row 2, column iso_code: 'UA-99' is not an ISO 3166-2:UA"),
        ({"iso_code": "UA-05"}, "row 2, column iso_code: UA-05 repeats row 1"),
        ({"population": "0"}, "row 2, column population: expected a whole number above 0"),
        ({"population": "1,021,356"}, "row 2, column population: expected a whole number"),
        ({"reference_date": "2022-13-01"}, "row 2, column reference_date: expected YYYY-MM-DD"),
        ({"source_url": "ftp://example.org/x"}, "row 2, column source_url: expected an http"),
    ],
)
def test_a_bad_row_is_refused_in_one_line_naming_file_row_and_column(tmp_path, change, message):
    path = _write(tmp_path, change)
    with pytest.raises(PopulationFileError) as caught:
        read_population(path)
    text = str(caught.value)
    assert text.startswith("population.csv: ")
    assert message in text
    assert "\n" not in text


def test_a_wrong_header_is_refused(tmp_path):
    path = tmp_path / "population.csv"
    path.write_text("code,population\nUA-05,1\n", encoding="utf-8")
    with pytest.raises(PopulationFileError, match="row header"):
        read_population(path)
