"""Region codes against a maintained copy of ISO 3166-2:UA (pycountry), never a typed table.

A swapped pair (Chernihiv and Chernivtsi once carried each other's codes) fails here, in the
registry, the boundaries, the gazetteer and the bundled strikes table alike.
"""

from __future__ import annotations

import csv
import json
import os

import pycountry
import pytest

from oblastwatch.domain import gazetteer, resources
from oblastwatch.domain.places import classify_place
from oblastwatch.domain.regions import (
    AUTONOMOUS_REPUBLIC,
    OBLAST,
    REGION_CODES,
    REGIONS_BY_CODE,
    SPECIAL_CITY,
    resolve,
)

ISO_SUBDIVISIONS = sorted(
    pycountry.subdivisions.get(country_code="UA"), key=lambda subdivision: subdivision.code
)
ISO_TYPE_TO_KIND = {"Region": OBLAST, "Republic": AUTONOMOUS_REPUBLIC, "City": SPECIAL_CITY}


def test_the_registry_holds_exactly_the_27_iso_codes() -> None:
    assert len(ISO_SUBDIVISIONS) == 27
    assert sorted(REGION_CODES) == [subdivision.code for subdivision in ISO_SUBDIVISIONS]


@pytest.mark.parametrize("subdivision", ISO_SUBDIVISIONS, ids=lambda s: f"{s.code} {s.name}")
def test_the_iso_name_resolves_to_its_iso_code(subdivision) -> None:
    assert resolve(subdivision.name).code == subdivision.code
    assert REGIONS_BY_CODE[subdivision.code].kind == ISO_TYPE_TO_KIND[subdivision.type]


@pytest.mark.parametrize("subdivision", ISO_SUBDIVISIONS, ids=lambda s: f"{s.code} {s.name}")
def test_the_english_and_ukrainian_names_are_the_iso_region(subdivision) -> None:
    region = REGIONS_BY_CODE[subdivision.code]
    assert resolve(region.name_en).code == subdivision.code
    assert resolve(region.name_uk).code == subdivision.code
    # The ISO romanisation of the Ukrainian adjective ("Chernihivska") shares its longest
    # beginning with this region's English name ("Chernihiv"), not with any other
    # ("Chernivtsi"): a swapped pair fails on both sides.
    if region.kind == OBLAST:
        assert _closest_english_name(subdivision.name) == region.code, subdivision.name


def _closest_english_name(iso_name: str) -> str:
    def shared_beginning(code: str) -> int:
        english = REGIONS_BY_CODE[code].name_en.casefold()
        return len(os.path.commonprefix([english, iso_name.casefold()]))

    oblasts = [code for code in REGION_CODES if REGIONS_BY_CODE[code].kind == OBLAST]
    return max(oblasts, key=shared_beginning)


def test_the_boundaries_carry_the_iso_code_of_the_named_region() -> None:
    collection = json.loads(resources.BOUNDARIES_PATH.read_text(encoding="utf-8"))
    for feature in collection["features"]:
        properties = feature["properties"]
        assert resolve(properties["name_en"]).code == properties["code"]
        assert resolve(properties["name_uk"]).code == properties["code"]
    codes = sorted(feature["properties"]["code"] for feature in collection["features"])
    assert codes == [subdivision.code for subdivision in ISO_SUBDIVISIONS]


@pytest.mark.parametrize(
    ("centre", "code"),
    [("Chernihiv", "UA-74"), ("Chernivtsi", "UA-77"), ("Чернігів", "UA-74"), ("Черновцы", "UA-77")],
)
def test_the_two_once_swapped_centres_land_in_their_iso_region(centre: str, code: str) -> None:
    assert gazetteer.lookup(centre).region_code == code
    assert classify_place(centre).region_codes == (code,)
    assert classify_place(f"{centre} oblast" if centre.isascii() else centre).region_codes == (
        code,
    )


def test_the_bundled_strikes_table_codes_match_the_region_names() -> None:
    with resources.STRIKES_PATH.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            if not row["oblasts_hit"]:
                assert not row["region_codes"], row["attack_id"]
                continue
            names = row["oblasts_hit"].split(";")
            codes = row["region_codes"].split(";")
            assert codes == [classify_place(name).region_codes[0] for name in names], row[
                "attack_id"
            ]
            assert set(codes) <= set(REGION_CODES)
