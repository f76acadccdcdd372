"""Every spelling a reader meets resolves to its region (issue 10).

tests/data/spellings/region_spellings.csv lists the names of the 27 regions and their
administrative centres as written in English (the 2010 national transliteration, older
official ones, Russian-based ones), German and French, and in Ukrainian and Russian with the
case forms a news sentence uses. The forms are written out there by hand; the resolver
derives its case forms from a few declension patterns, so these tests check the patterns
against the real words.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from oblastwatch.cli import main
from oblastwatch.domain import gazetteer
from oblastwatch.domain.places import classify_place, suggest
from oblastwatch.domain.regions import REGION_CODES, centre_table, resolve
from oblastwatch.importers.report import PlaceLookup

SPELLINGS_CSV = Path(__file__).resolve().parents[1] / "data" / "spellings" / "region_spellings.csv"
LANGUAGES = {"en", "uk", "ru", "de", "fr"}
FORMS = {
    "official",
    "transliteration-2010",
    "older-official",
    "russian-based",
    "german",
    "french",
    "adjective",
    "informal",
    "centre",
    "case-form",
}


def _rows() -> list[dict[str, str]]:
    with SPELLINGS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


ROWS = _rows()

# The spellings issue 10 names, verbatim.
ISSUE_EXAMPLES = {
    "Vinnitsa": "UA-05",
    "Chernigov": "UA-74",
    "Chernovtsy": "UA-77",
    "Nikolaev": "UA-48",
    "Zaporozhye": "UA-23",
    "Dnepropetrovsk": "UA-12",
    "Kirovograd": "UA-35",
    "Kirovohrad": "UA-35",
    "Kropyvnytskyi": "UA-35",
    "Khmelnitsky": "UA-68",
    "Ivano-Frankovsk": "UA-26",
    "Lugansk": "UA-09",
    "Kharkov": "UA-63",
    "Rovno": "UA-56",
    "Zhitomir": "UA-18",
    "Uzhgorod": "UA-21",
    "Ternopol": "UA-61",
    "Cherkassy": "UA-71",
    "Simferopol": "UA-43",
    "Vinnytska": "UA-05",
    "Vinnitskaya": "UA-05",
    "Вінниччина": "UA-05",
    "на Вінниччині": "UA-05",
    "Винницкой области": "UA-05",
    "у Києві": "UA-30",
    "Киевской области": "UA-32",
    "в Харькове": "UA-63",
}


def test_the_table_is_well_formed() -> None:
    assert len(ROWS) >= 300
    assert list(ROWS[0]) == ["spelling", "code", "language", "form", "note"]
    spellings = [row["spelling"] for row in ROWS]
    assert len(set(spellings)) == len(spellings), "a spelling is listed twice"
    for line, row in enumerate(ROWS, start=2):
        assert row["spelling"], line
        assert row["spelling"] == row["spelling"].strip(), line
        assert row["code"] in REGION_CODES, line
        assert row["language"] in LANGUAGES, line
        assert row["form"] in FORMS, line


def test_every_region_is_spelled_in_english_ukrainian_and_russian() -> None:
    languages: dict[str, set[str]] = {}
    for row in ROWS:
        languages.setdefault(row["code"], set()).add(row["language"])
    assert set(languages) == set(REGION_CODES)
    for code, found in languages.items():
        assert {"en", "uk", "ru"} <= found, code


def test_every_region_has_its_centre_and_case_forms_listed() -> None:
    centres = {row["code"] for row in ROWS if row["form"] == "centre"}
    case_forms = Counter(row["code"] for row in ROWS if row["form"] == "case-form")
    assert centres == set(REGION_CODES) - {"UA-32"}  # Kyiv Oblast's centre is Kyiv, UA-30
    assert all(case_forms[code] >= 2 for code in REGION_CODES), case_forms


def test_the_issue_examples_are_in_the_table() -> None:
    listed = {row["spelling"]: row["code"] for row in ROWS}
    assert {name: listed.get(name) for name in ISSUE_EXAMPLES} == ISSUE_EXAMPLES


@pytest.mark.parametrize(
    ("spelling", "code"),
    [(row["spelling"], row["code"]) for row in ROWS],
    ids=[f"{row['code']}-{row['spelling']}" for row in ROWS],
)
def test_every_spelling_resolves_to_its_region(spelling: str, code: str) -> None:
    match = classify_place(spelling)
    assert match.scope == "regions", match
    assert match.region_codes == (code,), match
    assert match.unresolved == (), match
    assert match.country is None, match


def test_no_centre_spelling_is_read_as_a_foreign_place_or_a_namesake() -> None:
    """GeoNames reads "Vinnitsa" as Vinnitsy in Russia and "Tscherniwzi" as a village in
    Vinnytsia oblast; a centre's spelling, in any case, is read as the centre."""
    wrong = {}
    for key, code in centre_table().items():
        place = gazetteer.lookup(key)
        if place is None or place.country != "UA" or place.region_code != code:
            wrong[key] = place
    assert wrong == {}


@pytest.mark.parametrize(
    ("spelling", "code"),
    [("Vinnitsa", "UA-05"), ("Tscherniwzi", "UA-77"), ("Rowno", "UA-56"), ("Винницы", "UA-05")],
)
def test_spellings_geonames_reads_elsewhere(spelling: str, code: str) -> None:
    assert gazetteer.settlement_region(spelling) == code
    assert gazetteer.place_country(spelling) == "UA"


def test_a_namesake_village_is_still_found_inside_its_own_region() -> None:
    # "Rivne" is also a village in Kirovohrad oblast; named next to that oblast, it is the village.
    assert classify_place("Kirovohrad oblast, Rivne").region_codes == ("UA-35",)
    assert classify_place("Rivne").region_codes == ("UA-56",)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("у Києві та на Київщині", ("UA-30", "UA-32")),
        ("в Одесі і Миколаєві", ("UA-51", "UA-48")),
        ("in Kharkiv and in the Sumy region", ("UA-63", "UA-59")),
        ("Харківська область, у Харкові", ("UA-63",)),
        ("в Запорожской области; в Херсоне", ("UA-23", "UA-65")),
    ],
)
def test_declined_names_in_lists(text: str, codes: tuple[str, ...]) -> None:
    match = classify_place(text)
    assert match.region_codes == codes
    assert match.unresolved == ()


def test_a_preposition_is_kept_when_it_is_not_one() -> None:
    # "по" and "на" are read off only in front of a known name.
    match = classify_place("на Вінниччинні")
    assert match.region_codes == ()
    assert match.unresolved == ("на Вінниччинні",)


def test_the_resolve_command_prints_the_region_of_each_spelling(capsys) -> None:
    sample = ROWS[::7]
    assert main(["resolve", *(row["spelling"] for row in sample)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(sample)
    for row, line in zip(sample, lines, strict=True):
        assert line.split("\t")[:2] == [row["spelling"], row["code"]], line


# Near misses: typos, doubled letters, a wrong script for one letter, blends of spellings.
NEAR_MISSES = {
    "Vinnitsya oblastt": "UA-05",
    "Vinnytsia oblastt": "UA-05",
    "Kharkiw": "UA-63",
    "Odesaa": "UA-51",
    "Zaporizhzhiaa region": "UA-23",
    "Lvov oblastt": "UA-46",
    "Kherosn": "UA-65",
    "Chernihivv oblast": "UA-74",
    "Chernivsti": "UA-77",
    "Dniprо": "UA-12",  # Cyrillic "о"
    "Кіровоградьщина": "UA-35",
    "на Вінниччинні": "UA-05",
    "Khmelnitskyy oblastt": "UA-68",
    "Ivano-Frankvisk": "UA-26",
    "Kramatorks": "UA-14",
    "Kryvyi Rig": "UA-12",
    "Mykolaev": "UA-48",
    "Sevastapol": "UA-40",
}


@pytest.mark.parametrize(("text", "code"), sorted(NEAR_MISSES.items()))
def test_near_misses_stay_unresolved_and_get_the_right_suggestion_first(
    text: str, code: str
) -> None:
    assert resolve(text).code is None
    match = classify_place(text)
    assert match.region_codes == ()
    assert match.unresolved == (text,)
    suggestions = suggest(text)
    assert 1 <= len(suggestions) <= 3
    assert suggestions[0].code == code, suggestions
    assert len({s.code for s in suggestions}) == len(suggestions)
    scores = [s.score for s in suggestions]
    assert scores == sorted(scores, reverse=True)


def test_the_resolve_command_asks_did_you_mean(capsys) -> None:
    assert main(["resolve", "Vinnitsya oblastt", "Kyiv and Kramatorks"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Vinnitsya oblastt\tunresolved\tdid you mean Vinnytsia Oblast (UA-05)?"
    assert lines[1] == (
        "Kyiv and Kramatorks\tunresolved\t"
        "'Kramatorks': did you mean Kramatorsk, Donetsk Oblast (UA-14)?"
    )


def test_nothing_is_suggested_for_text_like_no_place() -> None:
    assert suggest("qqqq zzzz") == ()


def test_an_import_report_carries_the_suggestions() -> None:
    places = PlaceLookup()
    places.classify_counts({"Kramatorks": 3, "Vinnitsya oblastt": 1, "Vinnitsa": 2})
    assert dict(places.unresolved) == {"Kramatorks": 3, "Vinnitsya oblastt": 1}
    assert places.suggestions["Kramatorks"] == ["Kramatorsk, Donetsk Oblast (UA-14)"]
    assert places.suggestions["Vinnitsya oblastt"] == ["Vinnytsia Oblast (UA-05)"]
