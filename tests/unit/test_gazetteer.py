"""Settlements, raions and islands -> regions (oblastwatch.domain.gazetteer)."""

from __future__ import annotations

import csv
import subprocess
import sys
from collections import Counter
from importlib import resources

import pytest

from oblastwatch.domain import gazetteer
from oblastwatch.domain.gazetteer import (
    GEONAMES_ADMIN1_TO_ISO,
    coverage,
    lookup,
    place_country,
    settlement_region,
)
from oblastwatch.domain.regions import REGION_CODES, lookup_key

# The administrative centre of every region (English names as the news writes them).
# Each lies in a different GeoNames admin1 unit, so this checks GEONAMES_ADMIN1_TO_ISO.
CENTRES = {
    "Vinnytsia": "UA-05",
    "Lutsk": "UA-07",
    "Luhansk": "UA-09",
    "Dnipro": "UA-12",
    "Donetsk": "UA-14",
    "Zhytomyr": "UA-18",
    "Uzhhorod": "UA-21",
    "Zaporizhzhia": "UA-23",
    "Ivano-Frankivsk": "UA-26",
    "Kyiv": "UA-30",
    "Bila Tserkva": "UA-32",  # Kyiv Oblast's centre is Kyiv itself; its biggest town
    "Kropyvnytskyi": "UA-35",
    "Sevastopol": "UA-40",
    "Simferopol": "UA-43",
    "Lviv": "UA-46",
    "Mykolaiv": "UA-48",
    "Odesa": "UA-51",
    "Poltava": "UA-53",
    "Rivne": "UA-56",
    "Sumy": "UA-59",
    "Ternopil": "UA-61",
    "Kharkiv": "UA-63",
    "Kherson": "UA-65",
    "Khmelnytskyi": "UA-68",
    "Cherkasy": "UA-71",
    "Chernivtsi": "UA-77",
    "Chernihiv": "UA-74",
}

# Settlements of the reference dataset, then other places in the news.
PLACES = {
    "Dnipro": "UA-12",
    "Kryvyi Rih": "UA-12",
    "Starokostiantyniv": "UA-68",
    "Kremenchuk": "UA-53",
    "Kramatorsk": "UA-14",
    "Kolomyia": "UA-26",
    "Ochakiv": "UA-48",
    "Lutsk": "UA-07",
    "Kharkiv": "UA-63",
    "Kherson": "UA-65",
    "Odesa": "UA-51",
    "Sumy": "UA-59",
    "Zaporizhzhia": "UA-23",
    "Kyiv": "UA-30",
    "Snake Island": "UA-51",
    "Zmiinyi Island": "UA-51",
    "Bucha": "UA-32",
    "Irpin": "UA-32",
    "Chornomorsk": "UA-51",
    "Izmail": "UA-51",
    "Pavlohrad": "UA-12",
    "Uman": "UA-71",
    "Bila Tserkva": "UA-32",
    "Sloviansk": "UA-14",
    "Drohobych": "UA-46",
    "Stryi": "UA-46",
    "Myrhorod": "UA-53",
    "Vyshhorod": "UA-32",
    "Brovary": "UA-32",
    "Kupiansk": "UA-63",
    "Nikopol": "UA-12",
    "Marhanets": "UA-12",
    "Pokrovsk": "UA-14",
    "Kostiantynivka": "UA-14",
    "Shostka": "UA-59",
    "Konotop": "UA-59",
    "Okhtyrka": "UA-59",
    "Melitopol": "UA-23",
    "Berdiansk": "UA-23",
    "Mariupol": "UA-14",
    "Enerhodar": "UA-23",
    "Kerch": "UA-43",
    "Yalta": "UA-43",
    "Simferopol": "UA-43",
    "Feodosia": "UA-43",
    "Dzhankoi": "UA-43",
    "Tokmak": "UA-23",
    "Balaklava": "UA-40",
    "Chauda": "UA-43",
    "Hvardiiske": "UA-43",
    "Cape Tarkhankut": "UA-43",
    "Bilhorod-Dnistrovskyi": "UA-51",
    "Novomoskovsk": "UA-12",  # renamed Samar in 2024
    "Samar": "UA-12",
    # Other spellings and scripts.
    "Kiev": "UA-30",
    "Odessa": "UA-51",
    "Kharkov": "UA-63",
    "Zaporozhye": "UA-23",
    "Nikolaev": "UA-48",
    "L'viv": "UA-46",
    "Khmel'nyts'kyy": "UA-68",
    "Kryvyy Rih": "UA-12",
    "Starokostyantyniv": "UA-68",
    "Кривий Ріг": "UA-12",
    "Одеса": "UA-51",
    "Київ": "UA-30",
    "м. Київ": "UA-30",
    "Kharkiv city": "UA-63",
}

REFERENCE_RAIONS = {
    "Dnipro Raion": "UA-12",
    "Kryvyi Rih Raion": "UA-12",
    "Kamianske Raion": "UA-12",
    "Novomoskovsk Raion": "UA-12",
    "Pavlohrad Raion": "UA-12",
    "Synelnykove Raion": "UA-12",
    "Myrhorod Raion": "UA-53",
}

# Number of raions per region after the 2020 reform (136 in all).
RAIONS_PER_REGION = {
    "UA-05": 6, "UA-07": 4, "UA-09": 8, "UA-12": 7, "UA-14": 8, "UA-18": 4, "UA-21": 6,
    "UA-23": 5, "UA-26": 6, "UA-32": 7, "UA-35": 4, "UA-43": 10, "UA-46": 7, "UA-48": 4,
    "UA-51": 7, "UA-53": 4, "UA-56": 4, "UA-59": 5, "UA-61": 3, "UA-63": 7, "UA-65": 5,
    "UA-68": 3, "UA-71": 4, "UA-77": 3, "UA-74": 5,
}  # fmt: skip


def _supplement_rows() -> list[dict[str, str]]:
    path = resources.files("oblastwatch.domain") / "gazetteer_data" / "supplement.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(("name", "code"), sorted(CENTRES.items()))
def test_every_region_centre_lies_in_its_region(name: str, code: str) -> None:
    assert settlement_region(name) == code
    # GeoNames on its own agrees, which checks GEONAMES_ADMIN1_TO_ISO: the centre
    # spellings (read first) must not hide a wrong admin1 code.
    key = lookup_key(name)
    assert gazetteer._pick(key, gazetteer._index().geonames[key]).region_code == code


@pytest.mark.parametrize(
    ("name", "code", "geonames_reading"),
    [
        ("Vinnitsa", "UA-05", "RU"),  # Vinnitsy, a village in Leningrad oblast
        ("Tscherniwzi", "UA-77", "UA-05"),  # a village Chernivtsi in Vinnytsia oblast
        ("Rowno", "UA-56", "UA-07"),  # a village Rivne in Volyn oblast
        ("Львове", "UA-46", "UA-65"),  # a village Lvove; "во Львове" is Lviv
    ],
)
def test_a_centre_spelling_beats_the_namesakes_geonames_has(
    name: str, code: str, geonames_reading: str
) -> None:
    key = lookup_key(name)
    namesake = gazetteer._pick(key, gazetteer._index().geonames[key])
    assert namesake is not None
    assert namesake.area == geonames_reading
    place = lookup(name)
    assert place is not None
    assert (place.country, place.region_code, place.source) == ("UA", code, "centre")


def test_a_centre_spelling_gives_way_to_a_namesake_inside_a_narrower_area() -> None:
    assert settlement_region("Rivne") == "UA-56"
    assert settlement_region("Rivne", within={"UA-35"}) == "UA-35"  # the village
    assert settlement_region("Vinnitsa", within={"UA-63"}) is None


@pytest.mark.parametrize(
    ("text", "code"),
    [("Kryvyi Rig", "UA-12"), ("Kramatorks", "UA-14"), ("Starokostiantyniw", "UA-68")],
)
def test_near_matches_find_the_town_meant(text: str, code: str) -> None:
    matches = gazetteer.near_matches(text)
    assert 1 <= len(matches) <= 3
    assert matches[0][0].region_code == code
    assert settlement_region(text) is None  # a near match never resolves


def test_near_matches_of_nothing_like_a_place() -> None:
    assert gazetteer.near_matches("qqqq zzzz") == []
    assert gazetteer.near_matches("  ") == []


def test_admin1_table_covers_all_27_regions_once() -> None:
    assert len(GEONAMES_ADMIN1_TO_ISO) == 27
    assert sorted(GEONAMES_ADMIN1_TO_ISO.values()) == sorted(REGION_CODES)


@pytest.mark.parametrize(("name", "code"), sorted(PLACES.items()))
def test_places(name: str, code: str) -> None:
    assert settlement_region(name) == code


@pytest.mark.parametrize(("name", "code"), sorted(REFERENCE_RAIONS.items()))
def test_reference_raions(name: str, code: str) -> None:
    assert settlement_region(name) == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kryvyi Rih district", "UA-12"),
        ("Bucha rayon", "UA-32"),
        ("Kryvyy Rih Raion", "UA-12"),  # not in the curated list: through the town
        ("Dnistrovskyi Raion", "UA-77"),  # the one raion not named after a town
    ],
)
def test_raion_variants(name: str, code: str) -> None:
    assert settlement_region(name) == code


def test_curated_raions_are_the_136_of_the_2020_reform() -> None:
    raions = [
        row
        for row in _supplement_rows()
        if row["kind"] == "raion" and not row["note"].startswith(("Former", "Current"))
    ]
    assert len(raions) == 136
    assert Counter(row["region_code"] for row in raions) == RAIONS_PER_REGION


def test_raion_centres_agree_with_the_curated_raions() -> None:
    """Where GeoNames knows a raion's centre town unambiguously, it is in the same region."""
    disagreements = []
    checked = 0
    for row in _supplement_rows():
        if row["kind"] != "raion":
            continue
        town = row["name"].removesuffix(" Raion")
        found = settlement_region(town)
        if found is not None:
            checked += 1
            if found != row["region_code"]:
                disagreements.append((row["name"], row["region_code"], found))
    assert disagreements == []
    assert checked >= 130


def test_supplement_rows_are_valid() -> None:
    rows = _supplement_rows()
    for line, row in enumerate(rows, start=2):
        assert row["country"], line
        assert len(row["country"]) == 2, line
        if row["country"] == "UA":
            assert row["region_code"] in REGION_CODES, line
        else:
            assert row["region_code"] == "", line
        assert row["note"], line


@pytest.mark.parametrize(
    ("name", "country"),
    [
        ("Millerovo", "RU"),  # a Luhansk-oblast village once bore the name; the town is far bigger
        ("Taganrog", "RU"),
        ("Yeysk", "RU"),
        ("Primorsko-Akhtarsk", "RU"),
        ("Shatalovo", "RU"),
        ("Morozovsk", "RU"),
        ("Engels", "RU"),
        ("Engels-2", "RU"),
        ("Volgodonsk", "RU"),
        ("Belgorod", "RU"),
        ("Anapa", "RU"),
        ("Minsk", "BY"),
        ("Odesa", "UA"),
    ],
)
def test_foreign_places_have_their_country_and_no_region(name: str, country: str) -> None:
    assert place_country(name) == country
    if country != "UA":
        assert settlement_region(name) is None


def test_ambiguous_names_resolve_to_nothing_unless_narrowed() -> None:
    # Dozens of villages named Pavlivka, none dominant.
    assert settlement_region("Pavlivka") is None
    # Vasylivka: towns in Zaporizhzhia oblast and elsewhere of comparable size.
    assert settlement_region("Vasylivka") is None
    assert settlement_region("Vasylivka", within={"UA-23"}) == "UA-23"


def test_within_excludes_places_outside_the_given_regions() -> None:
    assert settlement_region("Odesa", within={"UA-63"}) is None
    assert settlement_region("Balaklava", within={"UA-43", "UA-40"}) == "UA-40"


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Qwertyuiop"])
def test_unknown_names(text: str) -> None:
    assert lookup(text) is None
    assert settlement_region(text) is None


def test_coverage() -> None:
    numbers = coverage()
    assert numbers["geonames_ua_places"] >= 5000
    assert numbers["geonames_ua_regions"] == 27
    assert numbers["geonames_ua_skipped"] == 0
    assert numbers["geonames_ua_keys_resolving"] >= 0.9 * numbers["geonames_ua_keys"]
    assert numbers["curated_raions"] >= 136


def test_import_does_no_work() -> None:
    code = (
        "import oblastwatch.domain.gazetteer as g, oblastwatch.domain.places as p, oblastwatch.domain.regions as r\n"
        "assert g._index.cache_info().currsize == 0\n"
        "assert r.alias_table.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_lookup_is_cached_per_string() -> None:
    gazetteer._lookup.cache_clear()
    lookup("Kryvyi Rih")
    lookup("Kryvyi Rih")
    assert gazetteer._lookup.cache_info().hits >= 1
