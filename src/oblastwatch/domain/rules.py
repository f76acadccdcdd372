"""The rules that decide what counts, written once for the map, the timeline and the study.

* **Hits.** A region is *hit* by a strike event that names it in one of :data:`HIT_ROLES`
  (``target`` or ``affected``); ``intercepted`` means weapons were shot down over it.
* **Missiles** are the typed missile categories plus rows of category ``unknown`` whose weapon
  model says "missile": the curated strikes table reports missiles without their type
  ("missiles (all types)"). See :func:`is_missile`.
* **Own wave.** A strike row without a ``wave_id`` is its own attack wave
  (:func:`wave_keys`).
* **Kyiv day.** Instants become Europe/Kyiv calendar days; an event's ``end`` instant is the
  moment it is over, so a round ending at midnight ends on the day before (:func:`kyiv_day`).
* **Parties.** One table of party names (:data:`PARTY_SPELLINGS`): "US", "USA", "United States"
  and "United States of America" are one party, for the timeline's lanes
  (:func:`talks_lane`) and for the study's party filter alike.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from oblastwatch.domain.model import MISSILE_CATEGORIES, arrow_strings

HIT_ROLES = ("target", "affected")
KYIV_TZ = "Europe/Kyiv"
# The category of a row whose weapon type the source does not give.
UNTYPED_CATEGORY = "unknown"

_MISSILE_MODEL = re.compile(r"missile", re.IGNORECASE)
# Prefix of the wave key of a row without a wave id: no wave id can contain a NUL character,
# so a row's own wave never merges with a real wave that happens to share its event id.
_OWN_WAVE_PREFIX = "\x00event:"


# --- weapons and waves ---------------------------------------------------------------------


def is_missile(weapon_category: pd.Series, weapon_model: pd.Series) -> np.ndarray:
    """Whether each row counts as missiles.

    A typed missile category, or ``unknown`` with a weapon model that says "missile".

    Both columns are factorised first, so the regular expression runs once per distinct
    model, not once per row (a million Air Force rows hold a few hundred models).

    >>> is_missile(
    ...     pd.Series(["cruise missile", "unknown", "unknown", "drone", None]),
    ...     pd.Series(["Kh-101", "missiles (all types)", "drones (all types)", "Shahed", None]),
    ... ).tolist()
    [True, True, False, False, False]
    """
    category_codes, categories = pd.factorize(weapon_category.astype("string"))
    typed = np.isin(np.asarray(categories, dtype=object), MISSILE_CATEGORIES)
    untyped = np.asarray(categories, dtype=object) == UNTYPED_CATEGORY
    model_codes, models = pd.factorize(weapon_model.astype("string"))
    says_missile = pd.Series(models, dtype="string").str.contains(_MISSILE_MODEL)
    says_missile = says_missile.to_numpy(dtype=bool, na_value=False)
    if len(category_codes) == 0:
        return np.zeros(0, dtype=bool)
    # Code -1 (a blank) indexes the appended False.
    typed_row = np.append(typed, False)[category_codes]
    untyped_row = np.append(untyped, False)[category_codes]
    model_row = np.append(says_missile, False)[model_codes]
    return typed_row | (untyped_row & model_row)


def wave_keys(wave_id: pd.Series | pa.Array, event_id: pd.Series | pa.Array) -> pa.Array:
    r"""The attack wave of each strike row.

    Its ``wave_id``, or for a row without one, a key of its own built from its ``event_id`` (a
    row without a wave id is its own wave).

    >>> wave_keys(pd.Series(["w1", None, "w1"]), pd.Series(["a", "b", "c"])).to_pylist()
    ['w1', '\x00event:b', 'w1']
    """
    waves = arrow_strings(wave_id) if isinstance(wave_id, pd.Series) else wave_id
    ids = arrow_strings(event_id) if isinstance(event_id, pd.Series) else event_id
    text = pa.large_string()
    own = pc.binary_join_element_wise(
        pa.scalar(_OWN_WAVE_PREFIX, text), ids.cast(text), pa.scalar("", text)
    )
    return pc.coalesce(waves.cast(text), own)


# --- calendar days -------------------------------------------------------------------------


def kyiv_day(values: pd.Series, *, exclusive_end: bool = False) -> pd.Series:
    """The Kyiv calendar day of each value (naive ``datetime64[ns]`` at midnight).

    Timezone-aware values are instants and are converted to Europe/Kyiv. As an event's ``end``
    (``exclusive_end=True``) an instant is the moment the event is over, so a round that ends
    at midnight ends on the day before (the canonical tables store ``end`` that way). Naive
    values are taken as Kyiv calendar days, inclusive.

    >>> end = pd.Series([pd.Timestamp("2025-03-07", tz=KYIV_TZ).tz_convert("UTC")])
    >>> kyiv_day(end, exclusive_end=True).dt.date.tolist()
    [datetime.date(2025, 3, 6)]
    >>> kyiv_day(pd.Series(pd.to_datetime(["2025-03-07"])), exclusive_end=True).dt.date.tolist()
    [datetime.date(2025, 3, 7)]
    """
    stamps = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        if exclusive_end:
            stamps = stamps - pd.Timedelta(1, "ns")
        stamps = stamps.dt.tz_convert(KYIV_TZ).dt.tz_localize(None)
    return stamps.dt.normalize().astype("datetime64[ns]")


# --- parties -------------------------------------------------------------------------------

# Every spelling of one party that the data uses or is likely to use, under the name the app
# shows. Only forms that certainly name the same state are listed ("Great Britain" is not the
# United Kingdom's legal name and is left out); spellings are compared after case folding and
# whitespace clean-up.
PARTY_SPELLINGS: dict[str, tuple[str, ...]] = {
    "US": ("US", "U.S.", "USA", "U.S.A.", "United States", "United States of America"),
    "UK": (
        "UK",
        "U.K.",
        "United Kingdom",
        "United Kingdom of Great Britain and Northern Ireland",
    ),
    "Russia": ("Russia", "Russian Federation"),
    "Ukraine": ("Ukraine",),
}


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold()


_PARTY_BY_SPELLING = {
    _fold(spelling): name for name, spellings in PARTY_SPELLINGS.items() for spelling in spellings
}


def party_name(text: str) -> str:
    """The name of one party.

    A spelling in :data:`PARTY_SPELLINGS` becomes its party's name; any other name is returned
    with its whitespace tidied.

    >>> party_name(" united  states of America"), party_name("Turkey")
    ('US', 'Turkey')
    """
    return _PARTY_BY_SPELLING.get(_fold(text), " ".join(text.split()))


def party_key(text: str) -> str:
    """What two party names are compared by: the party's name, case-folded.

    >>> party_key("USA") == party_key("United States of America") == party_key("us")
    True
    """
    return party_name(text).casefold()


def party_names(parties: str | None) -> tuple[str, ...]:
    """The parties of a ``;``-joined ``parties`` value.

    Each under its :func:`party_name`, in order, each once; empty for a missing value.

    >>> party_names("United States of America;Ukraine;USA")
    ('US', 'Ukraine')
    """
    if parties is None or (not isinstance(parties, str) and pd.isna(parties)):
        return ()
    names = (party_name(entry) for entry in str(parties).split(";") if entry.strip())
    return tuple(dict.fromkeys(names))


def took_part(parties: str | None, wanted: Iterable[str]) -> bool:
    """Whether every party in ``wanted`` is among ``parties`` (spellings of one party match).

    >>> took_part("United States of America;Ukraine", ["US", "Ukraine"])
    True
    >>> took_part("US;Russia", ["US", "Ukraine"])
    False
    """
    present = {name.casefold() for name in party_names(parties)}
    return {party_key(name) for name in wanted} <= present


# --- timeline lanes ------------------------------------------------------------------------

LANES = ("Russia–Ukraine", "US–Ukraine", "US–Russia", "trilateral", "other")
# A party entry that stands for many participants ("others", "about 65 countries").
_COLLECTIVE = re.compile(r"\b(others?|countries|organi[sz]ations|leaders)\b", re.IGNORECASE)
MAX_NAMED_PARTIES = 10


def talks_lane(parties: str | None) -> str:
    """The timeline lane of a diplomatic event from its ``;``-joined parties.

    The lane names which of Russia, Ukraine and the US sat at the table; hosts, chairs and
    mediators (Turkey, the UN, European advisers) do not change it. Broad multilateral
    gatherings (a collective entry such as "about 65 countries", or more than
    :data:`MAX_NAMED_PARTIES` parties) go to ``"other"``.

    >>> talks_lane("Russia;Ukraine;Turkey;UN")
    'Russia–Ukraine'
    >>> talks_lane("US;Russia;Ukraine")
    'trilateral'
    >>> talks_lane("United States of America;Ukraine")
    'US–Ukraine'
    >>> talks_lane("Ukraine;Malta;about 65 countries")
    'other'
    """
    if parties is None or pd.isna(parties):
        return "other"
    entries = [p.strip() for p in str(parties).split(";") if p.strip()]
    if len(entries) > MAX_NAMED_PARTIES or any(_COLLECTIVE.search(p) for p in entries):
        return "other"
    present = set(party_names(parties))
    if present >= {"US", "Russia", "Ukraine"}:
        return "trilateral"
    if present >= {"Russia", "Ukraine"}:
        return "Russia–Ukraine"
    if present >= {"US", "Ukraine"}:
        return "US–Ukraine"
    if present >= {"US", "Russia"}:
        return "US–Russia"
    return "other"
