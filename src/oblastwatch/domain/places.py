"""Free-text place mentions -> regions of Ukraine, macro-regions, the whole country, or abroad.

A mention such as "Odesa oblast and Mykolaiv oblast", "Dnipropetrovsk oblast, Dnipro Raion",
"Kyiv oblast (south)", "Chauda, Crimea and Kursk oblast" or "Black Sea" is split into parts
(``split_place_list``) and each part is read, in this order, as:

1. a region of Ukraine (``regions.resolve``: "Kharkiv oblast", "Crimea", "Kyiv");
2. the whole country ("Ukraine", "Україна") -> scope "national";
3. a macro-region ("south", "north-east", "front line") -> scope "macro-region", no codes;
4. a sea ("Black Sea", "eastern coast of Sea of Azov") -> scope "outside";
5. a foreign region or country ("Kursk oblast", "Krasnodar Krai", "Belarus") -> "outside";
6. a settlement, raion or island from ``gazetteer`` ("Kryvyi Rih", "Snake Island",
   "Dnipro Raion" -> their region; "Millerovo", "Taganrog" -> "outside").

Comma-joined parts name a place and the area it lies in, in either order: in
"Dnipropetrovsk oblast, Dnipro Raion", "Zaporizhzhia oblast, Prymorsk" and "Chauda, Crimea"
the area decides where the place is looked up and the more specific place decides the code
("Balaklava, Crimea" and "Sevastopol, Crimea" are UA-40, Sevastopol, on the Crimean
peninsula). A name the gazetteer does not know is accepted when the area next to it is
known ("Bryansk oblast, Seshcha" is in Russia whatever Seshcha is). Comma-joined parts
without such an area are a plain list ("Kryvyi Rih, Kharkiv, Vinnytsia").

Qualifiers in parentheses ("(south)", "(city)") are dropped; any other parenthesis is read
as the area of the name before it ("Dnipro (Dnipropetrovsk oblast)"). A leading preposition
("in the Kharkiv region", "у Києві", "на Вінниччині", "по Харкову", "в Винницкой области") is
read off when the text with it is not a name; the declined forms are known to ``regions``.

The overall scope is "regions" if any region code resolved, else "national" if the whole
country is named, else "macro-region", else "outside". Text with no part understood keeps
scope "regions" with no codes and lists the parts in ``unresolved``, so an importer reports
them instead of counting them anywhere. ``suggest`` gives each such part up to three ranked
guesses (region, centre and town names close to it) for the user to read. Results are cached
per distinct string.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from oblastwatch.domain import gazetteer
from oblastwatch.domain.regions import lookup_key, normalize, region_name, resolve


@dataclass(frozen=True)
class PlaceMatch:
    """What a place mention refers to.

    ``scope`` is one of model.SCOPES except "abroad"; ``region_codes`` are ISO 3166-2:UA
    codes in order of first mention; ``country`` is the ISO 3166-1 alpha-2 code of the
    foreign country named ("RU"), several joined by ";" in alphabetical order, or None;
    ``unresolved`` lists the parts nothing understood, as written.
    """

    scope: str
    region_codes: tuple[str, ...]
    country: str | None
    unresolved: tuple[str, ...]


# Part kinds. An "area" (a region of Ukraine, a foreign region or country) can hold the
# "place" parts next to it in a comma group.
_REGION = "region"
_NATIONAL = "national"
_MACRO = "macro"
_SEA = "sea"
_FOREIGN_AREA = "foreign area"
_SETTLEMENT = "settlement"
_FOREIGN_PLACE = "foreign place"
_UNKNOWN = "unknown"
_AREAS = (_REGION, _FOREIGN_AREA)


@dataclass(frozen=True)
class _Part:
    text: str  # as written
    kind: str
    code: str | None = None  # region code for _REGION and _SETTLEMENT
    country: str | None = None  # for foreign parts and seas off a foreign coast
    name: str = ""  # the name read, without a leading preposition; "" when it is ``text``

    @property
    def place_name(self) -> str:
        return self.name or self.text


_CRIMEA = "UA-43"
_SEVASTOPOL = "UA-40"

_NATIONAL_NAMES = (
    "Ukraine",
    "whole country",
    "the whole country",
    "entire country",
    "all of Ukraine",
    "whole of Ukraine",
    "across Ukraine",
    "all regions",
    "all oblasts",
    "nationwide",
    "Україна",
    "вся Україна",
    "Украина",
    "вся Украина",
)

_DIRECTIONS = {
    "south": ("southern", "південь", "юг"),
    "east": ("eastern", "схід", "восток"),
    "north": ("northern", "північ", "север"),
    "west": ("western", "захід", "запад"),
    "center": ("centre", "central", "центр"),
    "north-east": ("northeast", "north-eastern", "northeastern", "північний схід"),
    "south-east": ("southeast", "south-eastern", "southeastern", "південний схід"),
    "north-west": ("northwest", "north-western", "northwestern", "північний захід"),
    "south-west": ("southwest", "south-western", "southwestern", "південний захід"),
}
_FRONT_LINE = (
    "front line",
    "frontline",
    "front",
    "front line areas",
    "frontline areas",
    "front line regions",
    "frontline regions",
    "frontline oblasts",
    "along the front line",
    "лінія фронту",
    "линия фронта",
)
_QUALIFIERS = {
    "city",
    "town",
    "village",
    "outskirts",
    "suburbs",
    "area",
    "surroundings",
    "downtown",
    "centre",
    "center",
    "city centre",
    "city center",
}

_SEAS = (
    ("Black Sea", "Чорне море", "Черное море"),
    ("Sea of Azov", "Azov Sea", "Азовське море", "Азовское море"),
    ("Caspian Sea", "Каспійське море", "Каспийское море"),
    ("Barents Sea",),
    ("Baltic Sea",),
)
# Coasts that lie in one country, as named by the Ukrainian Air Force.
_FOREIGN_COASTS = {"eastern coast of Sea of Azov": "RU"}
_COAST = re.compile(
    r"^(?:(?:north|south|east|west|north east|south east|north west|south west)(?:ern)? )?"
    r"(?:coast|shore|waters|part|area) of (?:the )?(?P<sea>.+)$"
)

# Federal subjects of Russia and the regions of Belarus, by the stem used with "oblast",
# "krai", "region" or "republic". Their capitals are found by the gazetteer.
_RUSSIAN_OBLASTS = (
    "Amur",
    "Arkhangelsk",
    "Astrakhan",
    "Belgorod",
    "Bryansk",
    "Chelyabinsk",
    "Irkutsk",
    "Ivanovo",
    "Kaliningrad",
    "Kaluga",
    "Kemerovo",
    "Kirov",
    "Kostroma",
    "Kurgan",
    "Kursk",
    "Leningrad",
    "Lipetsk",
    "Magadan",
    "Moscow",
    "Murmansk",
    "Nizhny Novgorod",
    "Nizhniy Novgorod",
    "Novgorod",
    "Novosibirsk",
    "Omsk",
    "Orenburg",
    "Oryol",
    "Orel",
    "Penza",
    "Pskov",
    "Rostov",
    "Ryazan",
    "Sakhalin",
    "Samara",
    "Saratov",
    "Smolensk",
    "Sverdlovsk",
    "Tambov",
    "Tomsk",
    "Tula",
    "Tver",
    "Tyumen",
    "Ulyanovsk",
    "Vladimir",
    "Volgograd",
    "Vologda",
    "Voronezh",
    "Yaroslavl",
)
_RUSSIAN_KRAIS = (
    "Altai",
    "Kamchatka",
    "Khabarovsk",
    "Krasnodar",
    "Krasnoyarsk",
    "Perm",
    "Primorsky",
    "Stavropol",
    "Zabaykalsky",
)
_RUSSIAN_REPUBLICS = (
    "Adygea",
    "Bashkortostan",
    "Buryatia",
    "Chechnya",
    "Chechen Republic",
    "Chuvashia",
    "Dagestan",
    "Ingushetia",
    "Kabardino-Balkaria",
    "Kalmykia",
    "Karachay-Cherkessia",
    "Karelia",
    "Khakassia",
    "Komi",
    "Mari El",
    "Mordovia",
    "North Ossetia",
    "North Ossetia-Alania",
    "Sakha",
    "Yakutia",
    "Tatarstan",
    "Tuva",
    "Udmurtia",
)
_BELARUS_REGIONS = (
    "Brest",
    "Gomel",
    "Homel",
    "Grodno",
    "Hrodna",
    "Minsk",
    "Mogilev",
    "Mahilyow",
    "Mahiliou",
    "Vitebsk",
    "Viciebsk",
)
_COUNTRY_ALIASES = {
    "RU": ("Russia", "Russian Federation", "RF", "Росія", "Россия", "РФ"),
    "BY": ("Belarus", "Byelorussia", "Білорусь", "Беларусь"),
    "MD": ("Moldova", "Republic of Moldova", "Transnistria"),
    "PL": ("Poland",),
    "RO": ("Romania",),
    "HU": ("Hungary",),
    "SK": ("Slovakia",),
}


@cache
def _tables() -> dict[str, dict[str, Any]]:
    """Normalised names -> (kind, country or label), built on first use."""

    def keyed(names: Iterable[str], value: tuple[str, str | None]) -> dict:
        return {lookup_key(name): value for name in names}

    simple: dict[str, tuple[str, str | None]] = {}
    simple |= keyed(_NATIONAL_NAMES, (_NATIONAL, None))
    for direction, forms in _DIRECTIONS.items():
        names = [direction, *forms]
        latin = [name for name in names if name.isascii()]
        names += [f"the {name}" for name in latin]
        names += [f"{name} Ukraine" for name in latin]
        names += [f"{name} of Ukraine" for name in latin]
        names += [f"{name} {noun}" for name in latin for noun in ("regions", "oblasts")]
        simple |= keyed(names, (_MACRO, direction))
    simple |= keyed(_FRONT_LINE, (_MACRO, "front line"))
    for sea_names in _SEAS:
        simple |= keyed(sea_names, (_SEA, None))
    for coast, country in _FOREIGN_COASTS.items():
        simple[lookup_key(coast)] = (_SEA, country)
    for country, country_names in _COUNTRY_ALIASES.items():
        simple |= keyed(country_names, (_FOREIGN_AREA, country))
    suffixes = ("oblast", "region", "province", "obl")
    simple |= keyed(
        [f"{stem} {suffix}" for stem in _RUSSIAN_OBLASTS for suffix in suffixes],
        (_FOREIGN_AREA, "RU"),
    )
    simple |= keyed(
        [
            f"{stem} {suffix}"
            for stem in _RUSSIAN_KRAIS
            for suffix in ("krai", "kray", "territory", "region")
        ],
        (_FOREIGN_AREA, "RU"),
    )
    simple |= keyed(
        [
            form
            for stem in _RUSSIAN_REPUBLICS
            for form in (stem, f"Republic of {stem}", f"{stem} Republic")
        ],
        (_FOREIGN_AREA, "RU"),
    )
    simple |= keyed(
        [f"{stem} {suffix}" for stem in _BELARUS_REGIONS for suffix in (*suffixes, "voblast")],
        (_FOREIGN_AREA, "BY"),
    )
    macro_qualifiers = {key for key, (kind, _) in simple.items() if kind == _MACRO}
    return {
        "simple": simple,
        "qualifiers": dict.fromkeys(macro_qualifiers | {lookup_key(q) for q in _QUALIFIERS}),
    }


# Prepositions a news sentence puts before a place: "in (the) Kharkiv region", "over Kyiv",
# "у Києві", "в Одесі", "во Львове", "на Вінниччині", "по Харкову", "над Києвом". Only read
# off when the whole text is not a name.
_LEADING_PREPOSITION = re.compile(
    r"^\s*(?:in\s+the|in|the|over|у|в|во|на|по|над)\s+(?=\S)", flags=re.IGNORECASE
)


def _classify_piece(text: str) -> _Part:
    """Read one name with no list separators or commas in it."""
    part = _classify_name(text)
    bare = _LEADING_PREPOSITION.sub("", text, count=1)
    if part.kind != _UNKNOWN or bare == text:
        return part
    inner = _classify_name(bare)
    if inner.kind == _UNKNOWN:
        return part
    return dataclasses.replace(inner, text=text, name=bare)


def _classify_name(text: str) -> _Part:
    region = resolve(text)
    if region.code is not None:
        return _Part(text, _REGION, code=region.code)
    key = lookup_key(text)
    known = _tables()["simple"].get(key)
    if known is not None:
        kind, value = known
        country = value if kind in (_FOREIGN_AREA, _SEA) else None
        return _Part(text, kind, country=country)
    coast = _COAST.match(key)
    if coast is not None and _tables()["simple"].get(coast["sea"], ("",))[0] == _SEA:
        return _Part(text, _SEA)
    place = gazetteer.lookup(text)
    if place is None:
        return _Part(text, _UNKNOWN)
    if place.region_code is not None:
        return _Part(text, _SETTLEMENT, code=place.region_code)
    return _Part(text, _FOREIGN_PLACE, country=place.country)


_LIST_SEPARATORS = re.compile(
    r"\s+(?:(?:and|&|та|і|й|и)\s+)+|\s*;\s*|\n+|(?<=[^\W\d_])\s*/\s*(?=[^\W\d_])",
    flags=re.IGNORECASE,
)
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)")
_RAION_LIKE = re.compile(r"\b(?:raion|rayon|district|hromada|район|громада)\b")


def _unwrap_parentheses(text: str) -> str:
    """Drop qualifiers in parentheses; read any other parenthesis as a comma-joined area."""

    def replace(match: re.Match[str]) -> str:
        inner = match[1].strip()
        key = lookup_key(inner)
        if not key or key in _tables()["qualifiers"]:
            return ""
        if key in ("oblast", "region", "obl"):
            return f" {inner}"
        return f", {inner}"

    return _PARENTHESIS.sub(replace, text)


def _allowed_within(area: _Part) -> frozenset[str]:
    """Region codes a place named next to an area may lie in (Crimea holds Sevastopol)."""
    assert area.code is not None
    if area.code == _CRIMEA:
        return frozenset({_CRIMEA, _SEVASTOPOL})
    return frozenset({area.code})


def _belongs_to(part: _Part, area: _Part) -> bool:
    """Whether ``part`` can be read as lying in ``area`` (its neighbour in a comma group)."""
    if area.kind == _FOREIGN_AREA:
        return part.kind in (_FOREIGN_PLACE, _UNKNOWN)
    if part.kind == _UNKNOWN:
        return True
    if part.kind == _REGION:
        return area.code == _CRIMEA and part.code == _SEVASTOPOL
    if part.kind == _SETTLEMENT:
        return (
            gazetteer.settlement_region(part.place_name, within=_allowed_within(area)) is not None
        )
    return False


@dataclass(frozen=True)
class _Group:
    """One mention: a part, or an area with the places written next to it."""

    head: _Part
    places: tuple[_Part, ...]
    text: str  # as written, pieces in their original order


def _group_commas(pieces: list[_Part]) -> list[_Group]:
    """Group comma-joined pieces into areas with their places, and single pieces."""
    owner: list[int | None] = [None] * len(pieces)
    for index, piece in enumerate(pieces):
        sevastopol_in_crimea = piece.code == _SEVASTOPOL and _crimea_next(pieces, index)
        if piece.kind in _AREAS and not sevastopol_in_crimea:
            continue
        before = index - 1 if index > 0 and pieces[index - 1].kind in _AREAS else None
        after = index + 1 if index + 1 < len(pieces) and pieces[index + 1].kind in _AREAS else None
        # A raion follows its oblast; a settlement is written before or after its area.
        order = (before, after) if _RAION_LIKE.search(lookup_key(piece.text)) else (after, before)
        for candidate in order:
            if candidate is not None and _belongs_to(piece, pieces[candidate]):
                owner[index] = candidate
                break
    groups: list[_Group] = []
    for index, piece in enumerate(pieces):
        if owner[index] is not None:
            continue
        members = [i for i, o in enumerate(owner) if o == index]
        written = sorted([index, *members])
        groups.append(
            _Group(
                piece,
                tuple(pieces[i] for i in members),
                ", ".join(pieces[i].text for i in written),
            )
        )
    return groups


def _crimea_next(pieces: list[_Part], index: int) -> bool:
    return any(
        0 <= other < len(pieces) and pieces[other].code == _CRIMEA
        for other in (index - 1, index + 1)
    )


def _mentions(text: str) -> list[_Group]:
    groups: list[_Group] = []
    for segment in _LIST_SEPARATORS.split(_unwrap_parentheses(text)):
        pieces = [piece.strip() for piece in segment.split(",")]
        parts = [_classify_piece(piece) for piece in pieces if normalize(piece)]
        groups += _group_commas(parts)
    return groups


def split_place_list(text: str) -> list[str]:
    """Split a mention list into the places it names.

    Splits on "and" (also "&", "та", "і", "и"), ";", line breaks, "/" between words and
    commas, but keeps a place together with the area it is said to lie in; drops
    qualifiers in parentheses and empty items.

    >>> split_place_list("Kyiv oblast (south) and Odesa oblast, Black Sea")
    ['Kyiv oblast', 'Odesa oblast', 'Black Sea']
    >>> split_place_list("Dnipropetrovsk oblast, Dnipro Raion and Chauda, Crimea")
    ['Dnipropetrovsk oblast, Dnipro Raion', 'Chauda, Crimea']
    >>> split_place_list("Kryvyi Rih, Kharkiv, Vinnytsia")
    ['Kryvyi Rih', 'Kharkiv', 'Vinnytsia']
    """
    return [group.text for group in _mentions(text)]


def _read_group(group: _Group) -> tuple[list[str], list[_Part]]:
    """Region codes of one mention, and the parts of it that are not regions of Ukraine."""
    head = group.head
    if head.kind == _REGION and group.places:
        assert head.code is not None  # a region part always carries its code
        within = _allowed_within(head)
        codes: list[str] = []
        for place in group.places:
            code = place.code if place.kind == _REGION else None
            code = code or gazetteer.settlement_region(place.place_name, within=within)
            codes.append(code or head.code)
        return codes, []
    if head.kind in (_REGION, _SETTLEMENT) and head.code is not None:
        return [head.code], []
    return [], [head]


@lru_cache(maxsize=65536)
def classify_place(text: str) -> PlaceMatch:
    """Classify a free-text place mention (a whole list of places).

    Raises ValueError for text with no letters in it.

    >>> classify_place("Odesa oblast and Mykolaiv oblast").region_codes
    ('UA-51', 'UA-48')
    >>> classify_place("Kyiv and Starokostiantyniv").region_codes
    ('UA-30', 'UA-68')
    >>> classify_place("south and east").scope
    'macro-region'
    >>> m = classify_place("Kursk oblast and Black Sea")
    >>> m.scope, m.country
    ('outside', 'RU')
    """
    groups = _mentions(text)
    if not groups:
        raise ValueError(f"no place named in {text!r}")
    codes: list[str] = []
    others: list[_Part] = []
    for group in groups:
        group_codes, group_others = _read_group(group)
        codes += group_codes
        others += group_others
    region_codes = tuple(dict.fromkeys(codes))
    kinds = {part.kind for part in others}
    countries = sorted({part.country for part in others if part.country})
    unresolved = tuple(dict.fromkeys(part.text for part in others if part.kind == _UNKNOWN))
    if region_codes:
        scope = "regions"
    elif _NATIONAL in kinds:
        scope = "national"
    elif _MACRO in kinds:
        scope = "macro-region"
    elif kinds & {_SEA, _FOREIGN_AREA, _FOREIGN_PLACE}:
        scope = "outside"
    else:
        scope = "regions"
    return PlaceMatch(scope, region_codes, ";".join(countries) or None, unresolved)


@dataclass(frozen=True)
class Suggestion:
    """A region, or a place in one, that an unresolved text may have meant.

    ``label`` is the region's English name ("Vinnytsia Oblast") or a place and its region
    ("Kryvyy Rih, Dnipropetrovsk Oblast"); ``score`` is the fuzzy match score, 0-100.
    ``str()`` gives what a user reads: "Vinnytsia Oblast (UA-05)".
    """

    code: str
    label: str
    score: float

    def __str__(self) -> str:
        """What a user reads: ``label (code)``."""
        return f"{self.label} ({self.code})"


_SUGGESTION_LIMIT = 3
_SUGGESTION_SPREAD = 15.0


@lru_cache(maxsize=4096)
def suggest(text: str) -> tuple[Suggestion, ...]:
    """At most three ranked guesses at what an unresolved place text meant, one per region.

    Region names and centre names (``regions.resolve``) and, for towns and villages, near
    matches in the gazetteer. A guess never resolves anything: it is shown to the user.

    >>> [str(s) for s in suggest("Vinnitsya oblastt")][:1]
    ['Vinnytsia Oblast (UA-05)']
    >>> str(suggest("Kramatorks")[0])
    'Kramatorsk, Donetsk Oblast (UA-14)'
    """
    bare = _LEADING_PREPOSITION.sub("", text, count=1)
    found = [Suggestion(code, name, score) for code, name, score in resolve(bare).suggestions]
    for place, score in gazetteer.near_matches(bare, _SUGGESTION_LIMIT):
        assert place.region_code is not None
        label = f"{place.name}, {region_name(place.region_code)}"
        found.append(Suggestion(place.region_code, label, round(score, 1)))
    best: dict[str, Suggestion] = {}
    # Stable sort: on equal scores a region name comes before a place in it.
    for suggestion in sorted(found, key=lambda s: -s.score):
        best.setdefault(suggestion.code, suggestion)
    ranked = list(best.values())[:_SUGGESTION_LIMIT]
    # A guess far behind the best is noise ("Odesaa": Odesa 91, Donetsk 73).
    return tuple(s for s in ranked if s.score >= ranked[0].score - _SUGGESTION_SPREAD)
