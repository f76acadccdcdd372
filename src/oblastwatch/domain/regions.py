"""The 27 first-level regions of Ukraine (ISO 3166-2:UA) and name resolution.

``resolve(text)`` turns a region *name* into its ISO code: official English names, ISO
romanisations ("Odeska oblast"), Russian-based and older spellings ("Odessa", "Kiev",
"Dnepropetrovsk"), Natural Earth / GADM forms ("L'viv oblast", "Khmel'nyts'kyy oblast",
"Kiev City"), informal forms ("Odeshchyna", "Lutsk oblast"), German and French forms
("Gebiet Charkiw", "oblast d'Odessa", "Crimée") and Ukrainian and Russian Cyrillic in the
cases a sentence uses ("Вінницька обл.", "Вінницької області", "на Вінниччині", "Киевской
области", "Крым", "у Криму"). Prepositions ("у", "в", "на", "in") are read off by
``places.classify_place``, not here.

``centre_region(text)`` reads the name of a region's administrative centre in any of its
spellings and cases ("Vinnitsa", "Winnyzja", "Вінниці", "Харькове"); the
spellings and declension patterns are in ``oblastwatch.domain.spellings``.

What it deliberately does not do:

* A bare city name ("Odesa", "Kharkiv", "L'viv") is not a region name and does not
  resolve here, even where the oblast shares it: a city resolves to its region through
  ``oblastwatch.domain.gazetteer`` and ``oblastwatch.domain.places.classify_place`` combines both.
  The exceptions are the cities that *are* regions: "Kyiv" / "Kiev" / "Київ" is UA-30
  (Kyiv City) and "Sevastopol" is UA-40. "Kyiv oblast" / "Kyivska oblast" is UA-32.
* Fuzzy matching never resolves. Unknown text gives ``code=None`` and at most three
  ranked suggestions; a caller (an importer, the CLI) reports them to the user.

Lookup is exact on a normalised key (see ``normalize``), so the hot path is one dict
lookup; the tables (about 3,600 region keys, 370 centre keys) are built once, on first use,
and results are cached per distinct input string.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from types import MappingProxyType

from rapidfuzz import fuzz, process

from oblastwatch.domain import spellings


@dataclass(frozen=True)
class Region:
    """One of the 27 regions: ISO 3166-2:UA code, English and Ukrainian names, kind, aliases."""

    code: str
    name_en: str
    name_uk: str
    kind: str  # "oblast" | "autonomous republic" | "city with special status"
    # Names that on their own denote the region (never a city that merely shares the name).
    aliases: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Resolution:
    """Outcome of ``resolve``.

    ``code`` is the ISO 3166-2:UA code, or None when the text is not a known region name.
    ``suggestions`` ranks at most three (code, English name, score 0-100) candidates from
    fuzzy matching; it is empty when the text resolved exactly.
    """

    code: str | None
    suggestions: tuple[tuple[str, str, float], ...] = ()

    @property
    def resolved(self) -> bool:
        """True when the text named a region (``code`` is set)."""
        return self.code is not None


OBLAST = "oblast"
AUTONOMOUS_REPUBLIC = "autonomous republic"
SPECIAL_CITY = "city with special status"

REGIONS: tuple[Region, ...] = (
    Region(
        "UA-05",
        "Vinnytsia Oblast",
        "Вінницька область",
        OBLAST,
        ("Vinnytska", "Vinnitskaya", "Vinnychchyna", "Вінниччина", "Винничина"),
    ),
    Region(
        "UA-07",
        "Volyn Oblast",
        "Волинська область",
        OBLAST,
        (
            "Volyn",
            "Volyn'",
            "Volhynia",
            "Volynia",
            "Volynska",
            "Volynskaya",
            "Wolhynien",  # German
            "Volhynie",  # French
            "Волинь",
            "Волынь",
        ),
    ),
    Region(
        "UA-09",
        "Luhansk Oblast",
        "Луганська область",
        OBLAST,
        ("Luhanska", "Luganskaya", "Luhanshchyna", "Луганщина"),
    ),
    Region(
        "UA-12",
        "Dnipropetrovsk Oblast",
        "Дніпропетровська область",
        OBLAST,
        (
            "Dnipropetrovsk",
            "Dnipropetrovs'k",
            "Dnepropetrovsk",
            "Dnipropetrovska",
            "Dnepropetrovskaya",
            "Dnipropetrovshchyna",
            "Дніпропетровщина",
            "Днепропетровщина",
        ),
    ),
    Region(
        "UA-14",
        "Donetsk Oblast",
        "Донецька область",
        OBLAST,
        ("Donetska", "Donetskaya", "Donechchyna", "Донеччина", "Донетчина"),
    ),
    Region(
        "UA-18",
        "Zhytomyr Oblast",
        "Житомирська область",
        OBLAST,
        ("Zhytomyrska", "Zhitomirskaya", "Zhytomyrshchyna", "Житомирщина"),
    ),
    Region(
        "UA-21",
        "Zakarpattia Oblast",
        "Закарпатська область",
        OBLAST,
        (
            "Zakarpattia",
            "Zakarpattya",
            "Zakarpattja",
            "Zakarpatska",
            "Zakarpatskaya",
            "Zakarpatye",
            "Transcarpathia",
            "Transcarpathian",
            "Transkarpatien",  # German
            "Transcarpatie",  # French
            "Закарпаття",
            "Закарпатье",
        ),
    ),
    Region(
        "UA-23",
        "Zaporizhzhia Oblast",
        "Запорізька область",
        OBLAST,
        ("Zaporizka", "Zaporozhskaya"),
    ),
    Region(
        "UA-26",
        "Ivano-Frankivsk Oblast",
        "Івано-Франківська область",
        OBLAST,
        (
            "Ivano-Frankivska",
            "Ivano-Frankovskaya",
            "Ivano-Frankivshchyna",
            "Prykarpattia",
            "Івано-Франківщина",
            "Ивано-Франковщина",
            "Прикарпаття",
            "Прикарпатье",
        ),
    ),
    Region(
        "UA-30",
        "Kyiv",
        "Київ",
        SPECIAL_CITY,
        (
            "Kyiv",
            "Kiev",
            "Kyjiv",
            "Kyyiv",
            "Kyiv City",
            "Kiev City",
            "City of Kyiv",
            "City of Kiev",
            "Kyiv city with special status",
            "Київ",
            "Киев",
            "місто Київ",
            "м. Київ",
            "город Киев",
            "г. Киев",
        ),
    ),
    Region(
        "UA-32",
        "Kyiv Oblast",
        "Київська область",
        OBLAST,
        ("Kyivska", "Kievskaya", "Kyivshchyna", "Kievshchina", "Київщина", "Киевщина"),
    ),
    Region(
        "UA-35",
        "Kirovohrad Oblast",
        "Кіровоградська область",
        OBLAST,
        (
            "Kirovohrad",
            "Kirovograd",
            "Kirovohradska",
            "Kirovogradskaya",
            "Kirovohradshchyna",
            "Кіровоградщина",
            "Кировоградщина",
        ),
    ),
    Region(
        "UA-40",
        "Sevastopol",
        "Севастополь",
        SPECIAL_CITY,
        (
            "Sevastopol",
            "Sevastopol'",
            "Sebastopol",
            "Sevastopol City",
            "City of Sevastopol",
            "Севастополь",
            "місто Севастополь",
            "м. Севастополь",
            "город Севастополь",
            "г. Севастополь",
        ),
    ),
    Region(
        "UA-43",
        "Autonomous Republic of Crimea",
        "Автономна Республіка Крим",
        AUTONOMOUS_REPUBLIC,
        (
            "Crimea",
            "Krym",
            "Krim",
            "Republic of Crimea",
            "Crimean Autonomous Republic",
            "Avtonomna Respublika Krym",
            "Crimea region",
            "Crimean peninsula",
            "Crimée",  # French
            "République autonome de Crimée",
            "Autonome Republik Krim",  # German
            "Крим",
            "Крым",
            "АР Крим",
            "АРК",
            "Автономної Республіки Крим",
            "Автономній Республіці Крим",
            "Автономная Республика Крым",
            "Автономной Республики Крым",
            "Автономной Республике Крым",
            "Республика Крым",
            "Республики Крым",
            "Республике Крым",
        ),
    ),
    Region(
        "UA-46",
        "Lviv Oblast",
        "Львівська область",
        OBLAST,
        ("Lvivska", "Lvovskaya", "Lvivshchyna", "Львівщина", "Львовщина"),
    ),
    Region(
        "UA-48",
        "Mykolaiv Oblast",
        "Миколаївська область",
        OBLAST,
        (
            "Mykolaivska",
            "Mykolayivska",
            "Nikolaevskaya",
            "Mykolaivshchyna",
            "Миколаївщина",
            "Николаевщина",
        ),
    ),
    Region(
        "UA-51",
        "Odesa Oblast",
        "Одеська область",
        OBLAST,
        ("Odeska", "Odesskaya", "Odeshchyna", "Одещина", "Одесщина"),
    ),
    Region(
        "UA-53",
        "Poltava Oblast",
        "Полтавська область",
        OBLAST,
        ("Poltavska", "Poltavskaya", "Poltavshchyna", "Полтавщина"),
    ),
    Region(
        "UA-56",
        "Rivne Oblast",
        "Рівненська область",
        OBLAST,
        ("Rivnenska", "Rovenskaya", "Rivnenshchyna", "Рівненщина", "Ровенщина"),
    ),
    Region(
        "UA-59",
        "Sumy Oblast",
        "Сумська область",
        OBLAST,
        ("Sumska", "Sumskaya", "Sumshchyna", "Сумщина"),
    ),
    Region(
        "UA-61",
        "Ternopil Oblast",
        "Тернопільська область",
        OBLAST,
        ("Ternopilska", "Ternopolskaya", "Ternopilshchyna", "Тернопільщина", "Тернопольщина"),
    ),
    Region(
        "UA-63",
        "Kharkiv Oblast",
        "Харківська область",
        OBLAST,
        ("Kharkivska", "Kharkovskaya", "Kharkivshchyna", "Харківщина", "Харьковщина"),
    ),
    Region(
        "UA-65",
        "Kherson Oblast",
        "Херсонська область",
        OBLAST,
        ("Khersonska", "Khersonskaya", "Khersonshchyna", "Херсонщина"),
    ),
    Region(
        "UA-68",
        "Khmelnytskyi Oblast",
        "Хмельницька область",
        OBLAST,
        ("Khmelnytska", "Khmelnitskaya", "Khmelnychchyna", "Хмельниччина", "Хмельнитчина"),
    ),
    Region(
        "UA-71",
        "Cherkasy Oblast",
        "Черкаська область",
        OBLAST,
        ("Cherkaska", "Cherkasskaya", "Cherkashchyna", "Черкащина", "Черкасщина"),
    ),
    Region(
        "UA-74",
        "Chernihiv Oblast",
        "Чернігівська область",
        OBLAST,
        ("Chernihivska", "Chernigovskaya", "Chernihivshchyna", "Чернігівщина", "Черниговщина"),
    ),
    Region(
        "UA-77",
        "Chernivtsi Oblast",
        "Чернівецька область",
        OBLAST,
        (
            "Chernivetska",
            "Chernovitskaya",
            "Chernivechchyna",
            "Bukovyna",
            "Bukovina",
            "Bukowina",  # German
            "Bucovine",  # French
            "Буковина",
        ),
    ),
)

REGION_CODES: tuple[str, ...] = tuple(r.code for r in REGIONS)
REGIONS_BY_CODE: dict[str, Region] = {r.code: r for r in REGIONS}

# A centre's name denotes its oblast with a suffix ("Odesa oblast", "Lutsk region", "oblast
# Kharkiv", "Gebiet Charkiw", "oblast de Kharkiv"); on its own it names the city, which
# ``centre_region`` reads. Each centre (spellings.CENTRES) is the centre of exactly one
# oblast, so "Lutsk oblast" is unambiguous. Kyiv, its own region, is Kyiv Oblast's centre.
# Adjectival forms and the Region aliases above get the same suffixes.
_OBLAST_CENTRE_REGION = {"UA-32": "UA-30"}
_LATIN_SUFFIXES = ("oblast", "obl", "region", "province")
# German "Oblast Charkiw", "Gebiet Charkiw", "Region Charkiw"; French "oblast de Kharkiv",
# "région d'Odessa" (accents and apostrophes are normalised away).
_LATIN_PREFIXES = ("oblast", "oblast de", "oblast d'", "gebiet", "region", "region de", "region d'")
_CYRILLIC_SUFFIXES = ("регион", "регіон")

# Misspellings seen in real data. Each is listed explicitly rather than caught by fuzzy
# matching, so a typo is only accepted once a person has looked at it.
_KNOWN_TYPOS: dict[str, str] = {
    "Dnipropetrovsk oblas": "UA-12",  # massive-missile-attacks target_main
}

_APOSTROPHES = "'’ʼ`′‘´ʹʻ"
_DASHES = "‐‑‒–—―−﹣－"
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
_STRIP_CHARS = ' \t\n\r"“”„«»‹›()[]{}.,;:!?*'
_STRESS_MARKS = {"\u0300", "\u0301"}
_TRANSLATE = str.maketrans(
    {
        **dict.fromkeys(_APOSTROPHES, ""),
        **dict.fromkeys(_DASHES, "-"),
        **dict.fromkeys(_ZERO_WIDTH, ""),
    }
)
_WHITESPACE = re.compile(r"\s+")
_SPACED_HYPHEN = re.compile(r"\s*-\s*")


def normalize(text: str) -> str:
    """Normalise free text for comparison (not for display).

    NFKC; zero-width characters and apostrophes (every variant) removed; dashes unified to
    "-" with no space around them; casefolded; diacritics removed from Latin letters and
    stress marks from Cyrillic; "ё" read as "е"; surrounding quotes and punctuation
    stripped; whitespace collapsed.

    >>> normalize("  «Khmel’nyts’kyy  Oblast’» ")
    'khmelnytskyy oblast'
    >>> normalize("Ivano – Frankivsk")
    'ivano-frankivsk'
    """
    text = unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold()
    if not text.isascii():
        text = _fold_marks(text)
    text = _WHITESPACE.sub(" ", text).strip(_STRIP_CHARS)
    return _SPACED_HYPHEN.sub("-", text)


def _fold_marks(text: str) -> str:
    """Drop diacritics from Latin letters and stress marks from any letter; "ё" -> "е".

    Cyrillic letters keep their marks ("й", "ї" stay distinct from "и", "і").
    """
    folded: list[str] = []
    for char in unicodedata.normalize("NFD", text):
        if unicodedata.combining(char) and (
            char in _STRESS_MARKS or (folded and folded[-1].isascii())
        ):
            continue
        folded.append(char)
    return unicodedata.normalize("NFC", "".join(folded)).replace("ё", "е")


def lookup_key(text: str) -> str:
    """The exact-match key for a name: ``normalize`` plus hyphens and dots read as spaces.

    >>> lookup_key("Ivano-Frankivs'k obl.")
    'ivano frankivsk obl'
    """
    text = normalize(text).replace("-", " ").replace(".", " ")
    return _WHITESPACE.sub(" ", text).strip()


_RUSSIAN_ADJECTIVES: dict[str, str] = {
    "UA-05": "Винницкая",
    "UA-07": "Волынская",
    "UA-09": "Луганская",
    "UA-12": "Днепропетровская",
    "UA-14": "Донецкая",
    "UA-18": "Житомирская",
    "UA-21": "Закарпатская",
    "UA-23": "Запорожская",
    "UA-26": "Ивано-Франковская",
    "UA-32": "Киевская",
    "UA-35": "Кировоградская",
    "UA-46": "Львовская",
    "UA-48": "Николаевская",
    "UA-51": "Одесская",
    "UA-53": "Полтавская",
    "UA-56": "Ровенская",
    "UA-59": "Сумская",
    "UA-61": "Тернопольская",
    "UA-63": "Харьковская",
    "UA-65": "Херсонская",
    "UA-68": "Хмельницкая",
    "UA-71": "Черкасская",
    "UA-74": "Черниговская",
    "UA-77": "Черновицкая",
}


def _is_latin(name: str) -> bool:
    return not any("\u0400" <= char <= "\u04ff" for char in name)


def _centre_names(code: str) -> tuple[str, ...]:
    """Nominative spellings of the centre of region ``code`` (Kyiv for Kyiv Oblast)."""
    return spellings.CENTRES[_OBLAST_CENTRE_REGION.get(code, code)]


def _region_names(code: str) -> list[str]:
    """Every spelled-out form of a region, before normalisation."""
    region = REGIONS_BY_CODE[code]
    names = [region.name_en, region.name_uk]
    for alias in region.aliases:
        names += spellings.case_forms(alias)
    if region.kind == SPECIAL_CITY:
        # The city is the region: every spelling of it, in every case ("у Києві").
        names += [form for name in _centre_names(code) for form in spellings.case_forms(name)]
    if region.kind != OBLAST:
        return names
    ukrainian_adjective = region.name_uk.removesuffix(" область")
    names += spellings.oblast_phrases(ukrainian_adjective, _RUSSIAN_ADJECTIVES[code])
    for adjective in (ukrainian_adjective, _RUSSIAN_ADJECTIVES[code]):
        names += [f"{adjective} {suffix}" for suffix in _CYRILLIC_SUFFIXES]
    stems = (region.name_en.removesuffix(" Oblast"), *region.aliases, *_centre_names(code))
    for stem in filter(_is_latin, stems):
        names += [f"{stem} {suffix}" for suffix in _LATIN_SUFFIXES]
        names += [_prefixed(prefix, stem) for prefix in _LATIN_PREFIXES]
    return names


def _prefixed(prefix: str, stem: str) -> str:
    """Join with a space ("oblast Kharkiv"), but none after an elision ("région d'Odessa")."""
    return prefix + stem if prefix.endswith("'") else f"{prefix} {stem}"


def _keyed(names_by_code: Mapping[str, list[str]], what: str) -> dict[str, str]:
    """``lookup_key`` -> code; RuntimeError if two codes claim a key (a bug in the tables)."""
    table: dict[str, str] = {}
    for code, names in names_by_code.items():
        for name in names:
            key = lookup_key(name)
            if table.setdefault(key, code) != code:
                raise RuntimeError(f"{what} {name!r} claimed by {table[key]} and {code}")
    return table


@cache
def alias_table() -> Mapping[str, str]:
    """Every accepted region name as ``lookup_key`` -> ISO code (built on first use).

    Raises RuntimeError if two regions claim the same key (a bug in the tables above).
    """
    table = _keyed({region.code: _region_names(region.code) for region in REGIONS}, "region alias")
    for name, code in _KNOWN_TYPOS.items():
        table.setdefault(lookup_key(name), code)
    return MappingProxyType(table)


@cache
def centre_table() -> Mapping[str, str]:
    """Every spelling of a region's centre, in every case, as ``lookup_key`` -> ISO code.

    Raises RuntimeError if a key names two regions' centres, or a centre and another region.
    """
    table = _keyed(
        {
            code: [form for name in names for form in spellings.case_forms(name)]
            for code, names in spellings.CENTRES.items()
        },
        "centre name",
    )
    regions = alias_table()
    for key, code in table.items():
        if regions.get(key, code) != code:
            raise RuntimeError(f"centre name {key!r} is {code} but names region {regions[key]}")
    return MappingProxyType(table)


def centre_region(text: str) -> str | None:
    """ISO code of the region whose administrative centre ``text`` names, in any spelling.

    Kyiv and Sevastopol are regions themselves; Simferopol is the centre of Crimea.

    >>> centre_region("Vinnitsa"), centre_region("Харкові"), centre_region("Odesa oblast")
    ('UA-05', 'UA-63', None)
    """
    return centre_table().get(lookup_key(text))


@cache
def _fuzzy_choices() -> tuple[list[str], list[str]]:
    # Centre names too: "Kharkiw" is nearest to the city, and the city to its region.
    table = {**centre_table(), **alias_table()}
    return list(table), list(table.values())


_SUGGESTION_LIMIT = 3
_SUGGESTION_CUTOFF = 60.0


def _suggest(key: str) -> tuple[tuple[str, str, float], ...]:
    keys, codes = _fuzzy_choices()
    best: dict[str, float] = {}
    for _, score, index in process.extract(
        key, keys, scorer=fuzz.WRatio, limit=60, score_cutoff=_SUGGESTION_CUTOFF
    ):
        code = codes[index]
        best[code] = max(best.get(code, 0.0), score)
    ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:_SUGGESTION_LIMIT]
    return tuple((code, REGIONS_BY_CODE[code].name_en, round(score, 1)) for code, score in ranked)


@lru_cache(maxsize=65536)
def resolve(text: str) -> Resolution:
    """Resolve a region name to its ISO 3166-2:UA code.

    >>> resolve("Odeska oblast").code
    'UA-51'
    >>> resolve("Kiev").code, resolve("Kiev Oblast").code
    ('UA-30', 'UA-32')
    >>> r = resolve("Odesa oblastt")
    >>> r.resolved, r.suggestions[0][0]
    (False, 'UA-51')
    """
    key = lookup_key(text)
    code = alias_table().get(key)
    if code is not None:
        return Resolution(code)
    if not key:
        return Resolution(None)
    return Resolution(None, _suggest(key))


def region_name(code: str, lang: str = "en") -> str:
    """Display name of a region: ``lang`` "en" (English) or "uk" (Ukrainian).

    >>> region_name("UA-43"), region_name("UA-30", "uk")
    ('Autonomous Republic of Crimea', 'Київ')
    """
    try:
        region = REGIONS_BY_CODE[code]
    except KeyError:
        raise KeyError(f"unknown region code {code!r}; expected one of UA-05 … UA-77") from None
    if lang == "en":
        return region.name_en
    if lang == "uk":
        return region.name_uk
    raise ValueError(f"unknown language {lang!r}; expected 'en' or 'uk'")
