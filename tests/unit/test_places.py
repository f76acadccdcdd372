"""Place mentions -> scope, regions, country (oblastwatch.domain.places)."""

from __future__ import annotations

import ast

import pandas as pd
import pytest
from shared_reference import MMA_DAILY, require

from oblastwatch.domain.model import SCOPES
from oblastwatch.domain.places import PlaceMatch, classify_place, split_place_list
from oblastwatch.domain.regions import REGION_CODES


def _reference_places() -> dict[str, set[str]]:
    """Distinct place strings of the reference dataset -> the columns they occur in."""
    frame = pd.read_csv(
        require(MMA_DAILY), usecols=["target", "target_main", "affected region", "launch_place"]
    )
    places: dict[str, set[str]] = {}
    for column in ("target", "target_main", "launch_place"):
        for text in frame[column].dropna():
            places.setdefault(text, set()).add(column)
    for cell in frame["affected region"].dropna():
        for text in ast.literal_eval(cell):
            places.setdefault(text, set()).add("affected region")
    return places


@pytest.fixture(scope="module")
def reference_places() -> dict[str, set[str]]:
    return _reference_places()


def test_reference_dataset_is_read(reference_places) -> None:
    columns = set().union(*reference_places.values())
    assert columns == {"target", "target_main", "affected region", "launch_place"}
    assert len(reference_places) > 400


def _classification_problem(text: str) -> str | None:
    """Why one reference place string is not classified completely, or None."""
    match = classify_place(text)
    if match.unresolved:
        return f"unresolved {match.unresolved}"
    if match.scope not in SCOPES or match.scope == "abroad":
        return f"scope {match.scope!r}"
    if not set(match.region_codes) <= set(REGION_CODES):
        return f"codes {match.region_codes}"
    if match.scope == "regions" and not match.region_codes:
        return "scope 'regions' with no region"
    return None


@pytest.mark.slow
def test_every_reference_place_classifies_completely(reference_places) -> None:
    problems = {text: _classification_problem(text) for text in sorted(reference_places)}
    assert {text: why for text, why in problems.items() if why} == {}


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Dnipropetrovsk oblas", ("UA-12",)),
        ("Lutsk oblast", ("UA-07",)),
        ("Lutsk", ("UA-07",)),
        ("Kyiv", ("UA-30",)),
        ("Kyiv oblast", ("UA-32",)),
        ("Kyiv oblast (south)", ("UA-32",)),
        ("Kyiv and Starokostiantyniv", ("UA-30", "UA-68")),
        ("Kyiv oblast and Starokostiantyniv", ("UA-32", "UA-68")),
        ("Odesa oblast, Black Sea", ("UA-51",)),
        ("Dnipropetrovsk oblast, Dnipro Raion", ("UA-12",)),
        (
            "Dnipropetrovsk oblast, Dnipro Raion and Dnipropetrovsk oblast, Kryvyi Rih Raion",
            ("UA-12",),
        ),
        ("Poltava oblast, Myrhorod Raion", ("UA-53",)),
        ("Kryvyi Rih, Kharkiv, Vinnytsia", ("UA-12", "UA-63", "UA-05")),
        ("Dnipro and Sumy oblast", ("UA-12", "UA-59")),
        ("Snake Island", ("UA-51",)),
        ("Kremenchuk", ("UA-53",)),
        ("Kolomyia", ("UA-26",)),
        ("Ochakiv", ("UA-48",)),
        ("Kramatorsk", ("UA-14",)),
        ("Kyiv oblast and north", ("UA-32",)),
        ("Rivne oblast and Volyn oblast", ("UA-56", "UA-07")),
        ("Odesa oblast and Mykolaiv oblast", ("UA-51", "UA-48")),
        ("Hvardiiske, Crimea", ("UA-43",)),
        ("Chauda, Crimea", ("UA-43",)),
        ("Cape Tarkhankut, Crimea", ("UA-43",)),
        ("Dzhankoi, Crimea", ("UA-43",)),
        ("Sevastopol, Crimea", ("UA-40",)),
        ("Balaklava, Crimea", ("UA-40",)),
        ("Zaporizhzhia oblast, Prymorsk", ("UA-23",)),
        ("Black Sea, Yalta", ("UA-43",)),
        ("Dnipro (Dnipropetrovsk oblast)", ("UA-12",)),
        ("Київ і Київська область", ("UA-30", "UA-32")),
        ("Kharkiv/Sumy", ("UA-63", "UA-59")),
    ],
)
def test_region_codes(text: str, codes: tuple[str, ...]) -> None:
    match = classify_place(text)
    assert match.scope == "regions"
    assert match.region_codes == codes
    assert match.unresolved == ()


def test_regions_beside_foreign_places_keep_the_country() -> None:
    assert classify_place("Sumy oblast and Kursk oblast") == PlaceMatch(
        "regions", ("UA-59",), "RU", ()
    )
    assert classify_place("Belgorod and Tokmak") == PlaceMatch("regions", ("UA-23",), "RU", ())


@pytest.mark.parametrize(
    "text",
    [
        "south",
        "east",
        "north",
        "west",
        "center",
        "centre",
        "north-east",
        "south-east",
        "front line",
        "north and center",
        "south and east and center",
        "southern Ukraine",
        "північ",
    ],
)
def test_macro_regions(text: str) -> None:
    assert classify_place(text) == PlaceMatch("macro-region", (), None, ())


@pytest.mark.parametrize("text", ["Ukraine", "whole country", "Україна", "all of Ukraine"])
def test_national(text: str) -> None:
    assert classify_place(text) == PlaceMatch("national", (), None, ())


def test_national_outranks_macro_regions() -> None:
    assert classify_place("Ukraine and south").scope == "national"


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("Kursk oblast", "RU"),
        ("Belgorod oblast", "RU"),
        ("Bryansk oblast", "RU"),
        ("Voronezh oblast", "RU"),
        ("Rostov oblast", "RU"),
        ("Oryol oblast", "RU"),
        ("Saratov oblast", "RU"),
        ("Vologda oblast", "RU"),
        ("Krasnodar Krai", "RU"),
        ("Primorsko-Akhtarsk", "RU"),
        ("Millerovo", "RU"),
        ("Shatalovo", "RU"),
        ("Engels", "RU"),
        ("Engels-2", "RU"),
        ("Morozovsk", "RU"),
        ("Yeysk", "RU"),
        ("Taganrog", "RU"),
        ("Bryansk oblast, Seshcha", "RU"),
        ("Astrakhan oblast, Kapustin Yar", "RU"),
        ("eastern coast of Sea of Azov", "RU"),
        ("Belarus", "BY"),
        ("Gomel oblast", "BY"),
        ("Kursk oblast and Belarus", "BY;RU"),
        ("Black Sea", None),
        ("Sea of Azov", None),
        ("Caspian Sea", None),
        ("Black Sea and Sea of Azov", None),
    ],
)
def test_outside(text: str, country: str | None) -> None:
    assert classify_place(text) == PlaceMatch("outside", (), country, ())


def test_unresolved_text_is_listed_not_guessed() -> None:
    match = classify_place("Odesa oblastt")
    assert match == PlaceMatch("regions", (), None, ("Odesa oblastt",))
    mixed = classify_place("Kharkiv oblast and Atlantis")
    assert mixed == PlaceMatch("regions", ("UA-63",), None, ("Atlantis",))
    assert classify_place("south and Atlantis").unresolved == ("Atlantis",)


def test_a_place_next_to_a_known_area_is_accepted_there() -> None:
    # The gazetteer does not know the name; the oblast around it is explicit.
    assert classify_place("Kharkiv oblast, Nowheresville") == PlaceMatch(
        "regions", ("UA-63",), None, ()
    )


def test_a_place_that_does_not_lie_in_the_neighbouring_area_is_a_separate_item() -> None:
    assert split_place_list("Kharkiv, Kyiv oblast") == ["Kharkiv", "Kyiv oblast"]
    assert classify_place("Kharkiv, Kyiv oblast").region_codes == ("UA-63", "UA-32")


@pytest.mark.parametrize("text", ["", "   ", " , ; ", "()"])
def test_text_without_a_place_is_an_error(text: str) -> None:
    with pytest.raises(ValueError, match="no place named"):
        classify_place(text)


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("Odesa oblast and Mykolaiv oblast", ["Odesa oblast", "Mykolaiv oblast"]),
        ("Kyiv oblast (south)", ["Kyiv oblast"]),
        ("Odesa oblast, Black Sea", ["Odesa oblast", "Black Sea"]),
        ("Dnipropetrovsk oblast, Dnipro Raion", ["Dnipropetrovsk oblast, Dnipro Raion"]),
        ("Chauda, Crimea and Kursk oblast", ["Chauda, Crimea", "Kursk oblast"]),
        (
            "Kursk oblast and Oryol oblast and and Shatalovo",
            ["Kursk oblast", "Oryol oblast", "Shatalovo"],
        ),
        ("Kryvyi Rih, Kharkiv, Vinnytsia", ["Kryvyi Rih", "Kharkiv", "Vinnytsia"]),
        ("Kharkiv; Sumy / Poltava", ["Kharkiv", "Sumy", "Poltava"]),
        ("X-59/X-69", ["X-59/X-69"]),
        ("Sandy and Anderson", ["Sandy", "Anderson"]),
    ],
)
def test_split_place_list(text: str, parts: list[str]) -> None:
    assert split_place_list(text) == parts


def test_results_are_cached_per_string() -> None:
    classify_place.cache_clear()
    first = classify_place("Odesa oblast and Mykolaiv oblast")
    assert classify_place("Odesa oblast and Mykolaiv oblast") is first
    assert classify_place.cache_info().hits == 1
