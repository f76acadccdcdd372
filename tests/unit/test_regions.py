"""Region registry and name resolution (oblastwatch.domain.regions)."""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oblastwatch.domain import spellings
from oblastwatch.domain.regions import (
    REGION_CODES,
    REGIONS,
    REGIONS_BY_CODE,
    Resolution,
    alias_table,
    centre_region,
    centre_table,
    lookup_key,
    normalize,
    region_name,
    resolve,
)

APOSTROPHES = "'’ʼ`′‘"


def test_registry_has_the_27_iso_regions() -> None:
    assert len(REGIONS) == 27
    assert len(set(REGION_CODES)) == 27
    assert all(re.fullmatch(r"UA-\d\d", code) for code in REGION_CODES)
    assert set(REGIONS_BY_CODE) == set(REGION_CODES)


@pytest.mark.parametrize(
    ("key", "code"), sorted(alias_table().items()), ids=lambda value: str(value)
)
def test_every_alias_resolves_to_its_code(key: str, code: str) -> None:
    assert resolve(key).code == code


@pytest.mark.parametrize(
    ("name", "code"),
    [(name, r.code) for r in REGIONS for name in (r.name_en, r.name_uk, *r.aliases)],
)
def test_every_registered_name_resolves_as_written(name: str, code: str) -> None:
    assert resolve(name) == Resolution(code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Official English, with the forms seen in data.
        ("Odesa oblast", "UA-51"),
        ("Zaporizhzhia Oblast", "UA-23"),
        ("Khmelnytskyi oblast", "UA-68"),
        ("Ivano-Frankivsk oblast", "UA-26"),
        # Russian-based and older spellings.
        ("Kiev", "UA-30"),
        ("Odessa Oblast", "UA-51"),
        ("Zaporozhye region", "UA-23"),
        ("Nikolaev oblast", "UA-48"),
        ("Lugansk oblast", "UA-09"),
        ("Dnepropetrovsk", "UA-12"),
        ("Kirovograd Oblast", "UA-35"),
        ("Khmelnitsky region", "UA-68"),
        ("Khmelnitskiy oblast", "UA-68"),
        ("Vinnitsa oblast", "UA-05"),
        ("Rovno oblast", "UA-56"),
        ("Chernigov region", "UA-74"),
        ("Chernovtsy oblast", "UA-77"),
        ("Zhitomir oblast", "UA-18"),
        ("Cherkassy oblast", "UA-71"),
        ("Ivano-Frankovsk region", "UA-26"),
        ("Transcarpathia", "UA-21"),
        ("Volhynia", "UA-07"),
        # Natural Earth and GADM forms.
        ("L'viv Oblast", "UA-46"),
        ("Donets'k oblast", "UA-14"),
        ("Khmel'nyts'kyy Oblast'", "UA-68"),
        ("Zaporizhzhya Oblast", "UA-23"),
        ("Dnipropetrovs'k", "UA-12"),
        ("Kirovohrad", "UA-35"),
        ("Mykolayiv oblast", "UA-48"),
        ("Ivano-Frankivs'k Oblast", "UA-26"),
        ("Luhans'k oblast", "UA-09"),
        ("Ternopil' Oblast", "UA-61"),
        ("Vinnytsya oblast", "UA-05"),
        ("Volyn", "UA-07"),
        ("Zakarpattia", "UA-21"),
        ("Zakarpattya", "UA-21"),
        ("Crimea", "UA-43"),
        ("Krym", "UA-43"),
        ("Sevastopol'", "UA-40"),
        ("Kiev City", "UA-30"),
        ("Kyiv City", "UA-30"),
        # ISO romanisations and the "-ska oblast" pattern.
        ("Odeska oblast", "UA-51"),
        ("Kharkivska oblast", "UA-63"),
        ("Lvivska oblast", "UA-46"),
        ("Avtonomna Respublika Krym", "UA-43"),
        # Word order and abbreviations.
        ("oblast Kharkiv", "UA-63"),
        ("Poltava obl.", "UA-53"),
        ("Sumy Province", "UA-59"),
        # Oblast centres that differ from the oblast name, with "oblast".
        ("Lutsk oblast", "UA-07"),
        ("Uzhhorod oblast", "UA-21"),
        ("Dnipro region", "UA-12"),
        ("Kropyvnytskyi oblast", "UA-35"),
        # Ukrainian and Russian Cyrillic.
        ("Вінницька область", "UA-05"),
        ("Вінниччина", "UA-05"),
        ("Київ", "UA-30"),
        ("Київська обл.", "UA-32"),
        ("Винницкая область", "UA-05"),
        ("Киев", "UA-30"),
        ("Киевская область", "UA-32"),
        ("Одесская область", "UA-51"),
        ("Крым", "UA-43"),
        ("Автономна Республіка Крим", "UA-43"),
        ("Севастополь", "UA-40"),
        # A typo seen in the reference data, accepted explicitly.
        ("Dnipropetrovsk oblas", "UA-12"),
    ],
)
def test_known_forms(text: str, code: str) -> None:
    assert resolve(text).code == code


@pytest.mark.parametrize("city", ["Kyiv", "Kiev", "Київ", "Киев", "Kyiv City", "м. Київ"])
def test_bare_kyiv_is_the_city(city: str) -> None:
    assert resolve(city).code == "UA-30"


@pytest.mark.parametrize(
    "oblast",
    ["Kyiv oblast", "Kyiv region", "Kyivska oblast", "Kiev Oblast", "Київська область"],
)
def test_kyiv_with_oblast_is_the_oblast(oblast: str) -> None:
    assert resolve(oblast).code == "UA-32"


@pytest.mark.parametrize(
    ("city", "oblast"),
    [("Odesa", "UA-51"), ("Kharkiv", "UA-63"), ("Lviv", "UA-46"), ("Dnipro", "UA-12")],
)
def test_bare_city_names_are_not_region_names(city: str, oblast: str) -> None:
    result = resolve(city)
    assert not result.resolved
    assert result.suggestions[0][0] == oblast


def test_unknown_text_is_unresolved_with_ranked_suggestions() -> None:
    result = resolve("Odesa oblastt")
    assert result.code is None
    assert not result.resolved
    assert 1 <= len(result.suggestions) <= 3
    assert result.suggestions[0][:2] == ("UA-51", "Odesa Oblast")
    scores = [score for _, _, score in result.suggestions]
    assert scores == sorted(scores, reverse=True)
    assert len({code for code, _, _ in result.suggestions}) == len(result.suggestions)


@pytest.mark.parametrize("text", ["", "   ", "''", "qqqq zzzz", "Atlantis"])
def test_nonsense_never_resolves(text: str) -> None:
    result = resolve(text)
    assert result.code is None
    assert len(result.suggestions) <= 3


def test_fuzzy_near_misses_do_not_resolve() -> None:
    for text in ("Kharkiw oblast", "Zaporizhzhiaa oblast", "Lvov oblastt"):
        assert resolve(text).code is None
        assert resolve(text).suggestions


def test_resolution_is_frozen_and_exact_hits_carry_no_suggestions() -> None:
    result = resolve("Sumy oblast")
    assert result == Resolution("UA-59", ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.code = "UA-05"  # type: ignore[misc]


def test_region_name() -> None:
    assert region_name("UA-30") == "Kyiv"
    assert region_name("UA-32", "uk") == "Київська область"
    with pytest.raises(KeyError, match="UA-99"):
        region_name("UA-99")
    with pytest.raises(ValueError, match="fr"):
        region_name("UA-30", "fr")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("  Odesa\t\n oblast ", "odesa oblast"),
        ("«Kyiv»", "kyiv"),
        ('"Kharkiv oblast".', "kharkiv oblast"),
        ("Ky\u200biv", "kyiv"),
        ("Ｋｙｉｖ", "kyiv"),  # fullwidth, NFKC
        ("Ivano — Frankivsk", "ivano-frankivsk"),
        ("Кам’янське", "камянське"),
        ("Kyïv", "kyiv"),
        ("Оде\u0301са", "одеса"),  # stress mark
        ("Київ", "київ"),  # Ukrainian letters keep their marks
        ("Ёлкино", "елкино"),
    ],
)
def test_normalize(raw: str, normalised: str) -> None:
    assert normalize(raw) == normalised


def test_lookup_key_reads_hyphens_and_dots_as_spaces() -> None:
    assert lookup_key("Ivano-Frankivs'k obl.") == lookup_key("ivano frankivsk obl")


# Property-based: cosmetic variation never changes the answer.
_ALIASES = sorted({name for r in REGIONS for name in (r.name_en, r.name_uk, *r.aliases)})


def _codes_by_name() -> dict[str, str]:
    return {name: r.code for r in REGIONS for name in (r.name_en, r.name_uk, *r.aliases)}


@st.composite
def _cosmetic_variant(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(_ALIASES))
    chars = []
    for char in name:
        if char in APOSTROPHES:
            char = draw(st.sampled_from(APOSTROPHES))
        elif char.isalpha() and draw(st.booleans()):
            char = char.upper() if char.islower() else char.lower()
        elif char == " ":
            char = " " * draw(st.integers(1, 3))
        chars.append(char)
        if char.isalpha() and draw(st.integers(0, 9)) == 0:
            chars.append(draw(st.sampled_from(APOSTROPHES)))
    pad = st.text(alphabet=" \t\n", max_size=3)
    return draw(pad) + "".join(chars) + draw(pad), name


@settings(max_examples=300, deadline=None)
@given(_cosmetic_variant())
def test_case_whitespace_and_apostrophes_do_not_matter(variant: tuple[str, str]) -> None:
    text, name = variant
    assert resolve(text).code == _codes_by_name()[name]


# Centres, other languages, case forms (issue 10; the full list is in test_spellings.py).


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Oblast Winnyzja", "UA-05"),  # German
        ("Gebiet Charkiw", "UA-63"),
        ("Region Saporischschja", "UA-23"),
        ("oblast de Kharkiv", "UA-63"),  # French
        ("région d'Odessa", "UA-51"),
        ("oblast d'Ivano-Frankivsk", "UA-26"),
        ("Oblast Kiew", "UA-32"),  # Kyiv is Kyiv Oblast's centre
        ("Vinnitsa oblast", "UA-05"),
        ("Tschernihiw oblast", "UA-74"),
        ("Вінницької області", "UA-05"),
        ("Вінницькою областю", "UA-05"),
        ("Вінницької обл.", "UA-05"),
        ("Винницкой области", "UA-05"),
        ("Винницкую область", "UA-05"),
        ("Київщині", "UA-32"),
        ("Киевщине", "UA-32"),
        ("Києві", "UA-30"),  # the city is a region
        ("Киеве", "UA-30"),
        ("Севастополі", "UA-40"),
        ("Криму", "UA-43"),
        ("Крыму", "UA-43"),
        ("Волині", "UA-07"),
        ("Закарпатті", "UA-21"),
        ("Автономної Республіки Крим", "UA-43"),
        ("Crimée", "UA-43"),
        ("Transkarpatien", "UA-21"),
    ],
)
def test_other_languages_and_case_forms(text: str, code: str) -> None:
    assert resolve(text).code == code


@pytest.mark.parametrize("city", ["Charkiw", "Vinnitsa", "Харкові", "Одессе", "Simferopol"])
def test_centre_names_in_any_spelling_are_not_region_names(city: str) -> None:
    assert resolve(city).code is None
    assert centre_region(city) is not None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Vinnitsa", "UA-05"),
        ("Czernowitz", "UA-77"),
        ("Lemberg", "UA-46"),
        ("Zaporijia", "UA-23"),
        ("Харкові", "UA-63"),
        ("Рівному", "UA-56"),
        ("Черновиц", "UA-77"),
        ("Simferopol", "UA-43"),  # the centre of Crimea
        ("Kiew", "UA-30"),
    ],
)
def test_centre_region(text: str, code: str) -> None:
    assert centre_region(text) == code


@pytest.mark.parametrize("text", ["Odesa oblast", "Kryvyi Rih", "Vinnitsya oblastt", ""])
def test_centre_region_is_only_for_centres(text: str) -> None:
    assert centre_region(text) is None


def test_centre_names_agree_with_region_names() -> None:
    # centre_table raises if a centre spelling also names another region; Kyiv and
    # Sevastopol are both.
    centres = centre_table()
    regions = alias_table()
    shared = {key for key in centres if key in regions}
    assert {"kyiv", "київ", "києві", "sevastopol", "севастополя"} <= shared
    assert all(centres[key] == regions[key] for key in shared)
    assert set(centres.values()) == set(REGION_CODES) - {"UA-32"}


def test_centre_names_are_suggested_for_a_misspelt_city() -> None:
    assert resolve("Kharkiw").suggestions[0][0] == "UA-63"
    assert resolve("Czernowiz").suggestions[0][0] == "UA-77"


@pytest.mark.parametrize(
    ("word", "forms"),
    [
        ("Харків", ("Харків", "Харкова", "Харкову", "Харкові", "Харковом")),
        ("Луцьк", ("Луцьк", "Луцька", "Луцьку", "Луцьком")),
        ("Вінниця", ("Вінниця", "Вінниці", "Вінницю", "Вінницею")),
        ("Рівне", ("Рівне", "Рівного", "Рівному", "Рівним")),
        ("Чернівці", ("Чернівці", "Чернівців", "Чернівцям", "Чернівцях", "Чернівцями")),
        ("Черновцы", ("Черновцы", "Черновцам", "Черновцах", "Черновцами", "Черновиц")),
        ("Хмельницкий", ("Хмельницкий", "Хмельницкого", "Хмельницкому", "Хмельницком", "Хмельницким")),
        ("Запорожье", ("Запорожье", "Запорожья", "Запорожью", "Запорожьем")),
        ("Київщина", ("Київщина", "Київщини", "Київщині", "Київщину", "Київщиною")),
        ("Ровно", ("Ровно",)),  # undeclined in Russian use
        ("Kharkiv", ("Kharkiv",)),
        ("Київська область", ("Київська область",)),
    ],
)  # fmt: skip
def test_case_forms(word: str, forms: tuple[str, ...]) -> None:
    assert spellings.case_forms(word) == forms


def test_a_word_spelled_alike_in_both_languages_takes_both_endings() -> None:
    forms = spellings.case_forms("Полтавщина")
    assert {"Полтавщині", "Полтавщине", "Полтавщини", "Полтавщины"} <= set(forms)
    russian = {"Киевщины", "Киевщине", "Киевщину", "Киевщиной", "Киевщиною"}
    assert russian <= set(spellings.case_forms("Киевщина"))
    assert set(spellings.case_forms("Житомир")) >= {"Житомирі", "Житомире"}


def test_oblast_adjective_and_noun_agree() -> None:
    phrases = set(spellings.oblast_phrases("Одеська", "Одесская"))
    assert {"Одеської області", "Одеській області", "Одеською областю"} <= phrases
    assert {"Одесской области", "Одесскую область", "Одесской областью"} <= phrases
    assert "Одеської область" not in phrases
    assert "Одесской область" not in phrases
