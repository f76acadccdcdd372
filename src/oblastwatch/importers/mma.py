"""The public "Massive Missile Attacks on Ukraine" dataset (``missile_attacks_daily.csv``).

One input row is one weapon model in one Air Force report; it becomes one ``strike`` event with
its counts (``launched``/``destroyed`` stay on the event, never divided across regions).

Every schema version of the dataset is accepted. Required columns: ``time_start``,
``time_end``, ``model``, ``target``, ``launched``, ``destroyed``. Used when present:
``target_main``, ``affected region``, ``destroyed_details``, ``launch_place``, ``carrier``,
``not_reach_goal``, ``still_attacking``, ``num_hit_location``,
``num_fall_fragment_location``, ``launched_details``, ``source``. Other columns of older
versions (``cross_border_belarus``, ``back_russia``, ...) are ignored.

Decisions (see ``docs/data-model.md``):

* Times are Europe/Kyiv local. A date-only ``time_start`` means 00:00 that day; a date-only
  ``time_end`` means 23:59 that day, so the interval covers the day. ``date`` is the Kyiv date of
  ``time_end``. Ambiguous autumn clock-change times read as summer time; nonexistent spring
  times move forward.
* Regions: ``target`` and ``target_main`` -> role ``target``; each item of the
  ``affected region`` list -> ``affected``; keys of ``destroyed_details`` that name regions
  (not macro-regions such as "south") -> ``intercepted``, whether the value is a count or NaN
  (the dataset writes NaN for "destroyed there, number not given"), except an explicit 0.
  ``scope`` comes from ``target``; from ``target_main`` when ``target`` is blank; ``national``
  when both are blank (the Air Force reports on Ukraine as a whole).
* ``weapon_category``: the catalogue (``missiles_and_uavs.csv``) when given, else a built-in
  mapping of the model names. Catalogue categories: UAV -> drone; "surface-to-air missile"
  (S-300/S-400 used against ground targets) -> guided missile; "surface-to-air and
  ballistic" -> ballistic missile; "guided bomb" -> other. A row naming several models
  ("X-101/X-555 and Kalibr") takes the first category in the order ballistic, cruise, guided,
  drone, other. "Unknown Missile" is a cruise missile, as in the dataset's own catalogue.
* ``wave_id`` = source name, Kyiv date of ``time_end`` and the ``source`` post: the Air Force
  lists each weapon model of one night on its own row under one post. Without a post the
  reported time window stands in for it.
* ``source_url``: URLs as given; ``host.tld/...`` gets ``https://``; other paths
  (``kpszsu/posts/...``, ``watch/?v=...``) are Facebook paths.
* Rejected (row and column named): blank or unreadable ``time_end``, unreadable
  ``time_start``, non-numeric or negative counts. Blank counts are missing, not zero.
"""

from __future__ import annotations

import ast
import re
from functools import lru_cache
from os import PathLike
from pathlib import Path
from typing import Any

import pandas as pd

from oblastwatch.i18n import Message, plural_message
from oblastwatch.importers.counts import parse_counts
from oblastwatch.importers.dates import kyiv_to_utc, read_times, reject_implausible
from oblastwatch.importers.report import (
    PlaceLookup,
    RejectCollector,
    UnusableInput,
    build_result,
    event_ids,
    region_rows,
)

FORMAT = "mma"
HEADER_SIGNATURE: frozenset[str] = frozenset({"time_start", "time_end", "model", "launched"})
REQUIRED_COLUMNS = ("time_start", "time_end", "model", "target", "launched", "destroyed")

# Optional numeric columns shown in the description, with their labels.
_DESCRIPTION_COUNTS = (
    ("not_reach_goal", "did not reach a target"),
    ("still_attacking", "still attacking at report time"),
    ("num_hit_location", "hit locations"),
    ("num_fall_fragment_location", "debris locations"),
)
_DESCRIPTION_TEXTS = (
    ("launch_place", "launched from"),
    ("carrier", "carrier"),
    ("launched_details", "launched by model"),
)

_USED_COLUMNS = frozenset(
    {
        *REQUIRED_COLUMNS,
        "target_main",
        "affected region",
        "destroyed_details",
        "source",
        *(c for c, _ in _DESCRIPTION_COUNTS),
        *(c for c, _ in _DESCRIPTION_TEXTS),
    }
)

CATALOGUE_CATEGORIES: dict[str, str] = {
    "uav": "drone",
    "drone": "drone",
    "cruise missile": "cruise missile",
    "ballistic missile": "ballistic missile",
    "surface-to-air missile": "guided missile",
    "surface-to-air and ballistic": "ballistic missile",
    "guided missile": "guided missile",
    "guided bomb": "other",
}
# When one row names several models, the first category present in this order wins.
CATEGORY_PRIORITY = (
    "ballistic missile",
    "cruise missile",
    "guided missile",
    "drone",
    "other",
    "unknown",
)

# Built-in model patterns (lower-case, Cyrillic look-alikes folded to Latin), checked in order.
_MODEL_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"iskander-k", "cruise missile"),
    (r"iskander|kn-23|kinzhal|х-47|x-47|ballistic|tochka|\b9m723", "ballistic missile"),
    (
        r"x-\d+|kh-\d+|kalibr|zircon|tsirkon|oniks|onyx|banderol|3m14|3m22|unknown missile|"
        r"cruise",
        "cruise missile",
    ),
    (r"\b[cs]-[34]00\b|s-300|s-400|tor\b|buk\b", "guided missile"),
    (
        r"shahed|geran|gerbera|orlan|zala|lancet|supercam|merlin|orion|mohajer|kub\b|forpost|"
        r"eleron|granat|молнія|молния|фенікс|феникс|картограф|привет|uav|drone|бпла",
        "drone",
    ),
    (r"gbu|kab\b|bomb|fab\b", "other"),
)
_CYRILLIC_LOOKALIKES = str.maketrans({"Х": "X", "х": "x", "С": "C", "с": "c"})

_NAN_TOKEN = re.compile(r"(?<![\w'\"])(?:nan|NaN|NAN|None|null)(?![\w'\"])")
_HOST_PATH = re.compile(r"^[a-z0-9-]+(\.[a-z0-9-]+)+/", re.IGNORECASE)
_LOCAL_TIME = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")


def parse(
    frame: pd.DataFrame,
    *,
    source_name: str,
    path: str | PathLike[str],
    catalog: pd.DataFrame | None = None,
) -> Any:
    """Events and event_regions from an all-string MMA frame indexed by data row.

    ``catalog``: the weapons catalogue as an all-string frame (columns ``model``,
    ``category``), or None for the built-in mapping. Returns an ``ImportResult``.
    """
    _require_columns(frame, REQUIRED_COLUMNS, path)
    used = [c for c in frame.columns if c in _USED_COLUMNS]
    cells = pd.DataFrame({c: frame[c].astype(str).str.strip() for c in used}, index=frame.index)
    rows_in = len(cells)
    rejects = RejectCollector.for_frame(frame)
    notes: list[Message] = []

    start, end, day = _times(cells, rejects)
    counts = {name: _count(cells, name, rejects) for name in ("launched", "destroyed")}

    keep = rejects.accepted
    cells = cells[keep]
    places = PlaceLookup()
    events = pd.DataFrame(index=cells.index)
    events["event_id"] = event_ids(source_name, cells.index)
    events["source"] = source_name
    events["source_row"] = cells.index.to_numpy()
    events["kind"] = "strike"
    events["start"] = start[keep]
    events["end"] = end[keep]
    events["date"] = day[keep]
    models = cells["model"]
    events["weapon_model"] = models.where(models != "", pd.NA)
    events["weapon_category"] = weapon_categories(models, catalog)
    events["launched"] = counts["launched"][keep]
    events["destroyed"] = counts["destroyed"][keep]
    events["title"] = _titles(models, events["launched"], events["destroyed"])
    events["description"] = _descriptions(cells)
    events["place_text"] = cells["target"].where(cells["target"] != "", pd.NA)
    events["source_url"] = source_urls(cells.get("source"))
    events["wave_id"] = _wave_ids(cells, day[keep], source_name)

    target_main = cells.get("target_main")
    events["scope"], target_regions = _targets(cells["target"], target_main, places)
    if (cells["target"] == "").any():
        blank = int((cells["target"] == "").sum())
        notes.append(
            plural_message(
                "{count} row without a target: scope from target_main or national",
                "{count} rows without a target: scope from target_main or national",
                blank,
                {"count": blank},
            )
        )
    region_parts = [
        region_rows(events["event_id"], target_regions, "target"),
    ]
    if "affected region" in cells:
        region_parts.append(_affected(cells["affected region"], events["event_id"], places))
    if "destroyed_details" in cells:
        intercepted, unreadable = _intercepted(
            cells["destroyed_details"], events["event_id"], places
        )
        region_parts.append(intercepted)
        if unreadable:
            shown = ", ".join(str(r) for r in unreadable[:10])
            notes.append(
                plural_message(
                    "destroyed_details not readable on {count} row (row {rows}); "
                    "their counts are kept, intercepted regions not recorded",
                    "destroyed_details not readable on {count} rows (row {rows}); "
                    "their counts are kept, intercepted regions not recorded",
                    len(unreadable),
                    {"count": len(unreadable), "rows": shown},
                )
            )
    event_regions = pd.concat(region_parts, ignore_index=True)
    return build_result(
        events=events,
        event_regions=event_regions,
        rows_in=rows_in,
        rejects=rejects,
        source_name=source_name,
        path=path,
        fmt=FORMAT,
        places=places,
        notes=notes,
    )


def _require_columns(frame: pd.DataFrame, required: tuple[str, ...], path: Any) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise UnusableInput(
            path,
            plural_message(
                "missing required column {columns} (an MMA file needs {required})",
                "missing required columns {columns} (an MMA file needs {required})",
                len(missing),
                {"columns": ", ".join(missing), "required": ", ".join(required)},
            ),
            row="header",
            column=missing[0],
        )


# ---------------------------------------------------------------- times and counts


def parse_kyiv_times(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Parse Kyiv local "YYYY-MM-DD[ HH:MM[:SS]]" strings.

    Returns ``(local, date_only)``: naive local timestamps in microseconds (NaT where blank or
    unreadable; any four-digit year is held, see ``importers.dates``) and a boolean Series
    true where the text had no time of day.
    """
    local = read_times(text, format="%Y-%m-%d %H:%M")
    todo = local.isna() & (text != "")
    if todo.any():
        local[todo] = read_times(text[todo], format="%Y-%m-%d")
        todo = local.isna() & (text != "")
    if todo.any():
        # Rare shapes such as "2023-05-16 3:30" or seconds; only ISO-like text is tried.
        shaped = todo & text.str.match(_LOCAL_TIME).fillna(False).astype(bool)
        if shaped.any():
            local[shaped] = read_times(text[shaped], format="mixed")
    date_only = ~text.str.contains(":", regex=False).fillna(False).astype(bool) & local.notna()
    return local, date_only


def _times(cells: pd.DataFrame, rejects: RejectCollector) -> tuple[pd.Series, ...]:
    end_text, start_text = cells["time_end"], cells["time_start"]
    end_local, end_date_only = parse_kyiv_times(end_text)
    start_local, _ = parse_kyiv_times(start_text)
    rejects.reject(end_text == "", "time_end", Message("blank end time (needed for the Kyiv date)"))
    rejects.reject(
        end_local.isna() & (end_text != ""),
        "time_end",
        Message("'{value}' is not a Kyiv time like 2026-02-26 or 2026-02-26 08:00"),
        value=end_text.str.slice(0, 60),
    )
    rejects.reject(
        start_local.isna() & (start_text != ""),
        "time_start",
        Message("'{value}' is not a Kyiv time like 2026-02-25 or 2026-02-25 18:00"),
        value=start_text.str.slice(0, 60),
    )
    end_local = reject_implausible(end_local, end_text, rejects, column="time_end")
    start_local = reject_implausible(start_local, start_text, rejects, column="time_start")
    day = end_local.dt.normalize()
    end_local = end_local.where(~end_date_only, end_local + pd.Timedelta(hours=23, minutes=59))
    return kyiv_to_utc(start_local), kyiv_to_utc(end_local), day


def _count(cells: pd.DataFrame, column: str, rejects: RejectCollector) -> pd.Series:
    text = cells[column] if column in cells else pd.Series("", index=cells.index)
    return parse_counts(text, rejects, column=column)


# ---------------------------------------------------------------- weapons


def weapon_categories(models: pd.Series, catalog: pd.DataFrame | None = None) -> pd.Series:
    """The weapon category of each model string (one lookup per distinct string)."""
    lookup = catalogue_categories(catalog) if catalog is not None else {}
    distinct = models.drop_duplicates()
    mapping = {m: _category_of(m, lookup) for m in distinct}
    return models.map(mapping).astype("string")


def catalogue_categories(catalog: pd.DataFrame) -> dict[str, str]:
    """``{model (lower-case): weapon category}`` from the dataset's ``missiles_and_uavs``."""
    for column in ("model", "category"):
        if column not in catalog.columns:
            raise UnusableInput(
                catalog.attrs.get("path", "catalogue"),
                Message("the weapons catalogue needs columns model and category"),
                column=column,
            )
    result = {}
    for model_name, category in zip(catalog["model"], catalog["category"], strict=True):
        key = str(model_name).strip().lower()
        label = str(category).strip().lower()
        if key:
            result[key] = CATALOGUE_CATEGORIES.get(label) or _builtin_category(label)
    return result


def _category_of(model_text: str, catalogue: dict[str, str]) -> str:
    key = model_text.strip().lower()
    if not key:
        return "unknown"
    if key in catalogue:
        return catalogue[key]
    parts = [p.strip() for p in re.split(r"\s+and\s+|\s*\+\s*|;", key) if p.strip()]
    found = {catalogue.get(p) or _builtin_category(p) for p in parts}
    return next((c for c in CATEGORY_PRIORITY if c in found), "unknown")


@lru_cache(maxsize=4096)
def _builtin_category(model_text: str) -> str:
    lower = model_text.lower()
    folded = lower.translate(_CYRILLIC_LOOKALIKES)
    for pattern, category in _MODEL_PATTERNS:
        if re.search(pattern, folded) or re.search(pattern, lower):
            return category
    return "unknown"


def read_catalog(path: str | PathLike[str]) -> pd.DataFrame:
    """Read the weapons catalogue CSV (``missiles_and_uavs.csv``)."""
    from oblastwatch.importers.read import read_table

    frame = read_table(path)
    frame.attrs["path"] = str(Path(path))
    catalogue_categories(frame)  # validates the columns now, with the catalogue's name
    return frame


# ---------------------------------------------------------------- text columns


def _number_text(values: pd.Series) -> pd.Series:
    """420.0 -> "420", 2.5 -> "2.5", NA -> NaN (one conversion per distinct value)."""
    distinct = values.dropna().unique()
    return values.map({v: _format_number(float(v)) for v in distinct}).astype("str")


def _format_number(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _titles(models: pd.Series, launched: pd.Series, destroyed: pd.Series) -> pd.Series:
    name = models.where(models != "", "Unknown weapon")
    parts_l = (_number_text(launched) + " launched").fillna("")
    parts_d = (_number_text(destroyed) + " destroyed").fillna("")
    counts = (parts_l + ", " + parts_d).str.strip(", ")
    counts = counts.where(counts != "", "counts not given")
    return (name + ": " + counts).astype("string")


def _descriptions(cells: pd.DataFrame) -> pd.Series:
    pieces = []
    for column, label in _DESCRIPTION_TEXTS:
        if column in cells:
            text = cells[column]
            pieces.append((label + ": " + text).where(text != "", ""))
    for column, label in _DESCRIPTION_COUNTS:
        if column in cells:
            number = pd.to_numeric(cells[column].where(cells[column] != "", None), errors="coerce")
            # Zero counts are left out: "0 debris locations" adds nothing to the text.
            shown = _number_text(number.where(number != 0))
            pieces.append((label + ": " + shown).fillna(""))
    if not pieces:
        return pd.Series(pd.NA, index=cells.index, dtype="string")
    joined = pieces[0]
    for piece in pieces[1:]:
        joined = joined + "; " + piece
    joined = joined.str.replace(r"(?:; )+", "; ", regex=True).str.strip("; ")
    return joined.where(joined != "", pd.NA).astype("string")


def source_urls(source: pd.Series | None) -> pd.Series | None:
    """Full URLs for the dataset's ``source`` values (see module docstring)."""
    if source is None:
        return None
    distinct = {s: _source_url(s) for s in source.drop_duplicates()}
    return source.map(distinct).astype("string")


def _source_url(text: str) -> Any:
    if not text:
        return pd.NA
    if re.match(r"^https?://", text, re.IGNORECASE):
        return text
    if _HOST_PATH.match(text):
        return "https://" + text
    return "https://www.facebook.com/" + text.lstrip("/")


def _wave_ids(cells: pd.DataFrame, day: pd.Series, source_name: str) -> pd.Series:
    day_text = day.dt.strftime("%Y-%m-%d")
    window = cells["time_start"] + "/" + cells["time_end"]
    post = cells["source"].where(cells["source"] != "", window) if "source" in cells else window
    return (source_name + ":" + day_text + ":" + post).astype("string")


# ---------------------------------------------------------------- regions


def _targets(
    target: pd.Series, target_main: pd.Series | None, places: PlaceLookup
) -> tuple[pd.Series, pd.Series]:
    """Scope per row and a Series of region-code tuples (role target)."""
    scope_of, codes_of = _classified(target, places)
    scope = target.map(scope_of)
    codes = target.map(codes_of)
    if target_main is not None and (target_main != "").any():
        main_scope_of, main_codes_of = _classified(target_main, places)
        scope = scope.fillna(target_main.map(main_scope_of))
        has_main = target_main != ""
        codes[has_main] = [
            a + b
            for a, b in zip(codes[has_main], target_main[has_main].map(main_codes_of), strict=True)
        ]
    scope = scope.fillna("national").astype("string")
    return scope, codes


def _classified(text: pd.Series, places: PlaceLookup) -> tuple[dict, dict]:
    """``{text: scope}`` (blank text absent) and ``{text: codes}`` (blank text -> ())."""
    matches = places.classify_counts(text[text != ""].value_counts())
    scope_of = {t: m.scope for t, m in matches.items()}
    codes_of = {t: tuple(m.region_codes) for t, m in matches.items()}
    codes_of[""] = ()
    return scope_of, codes_of


def _affected(text: pd.Series, event_id: pd.Series, places: PlaceLookup) -> pd.DataFrame:
    distinct = text[text != ""].value_counts()
    codes_of: dict[str, tuple[str, ...]] = {}
    for value, count in distinct.items():
        codes: list[str] = []
        for item in parse_list_literal(value):
            match = places.classify_counts({item: int(count)})[item]
            codes.extend(match.region_codes)
        codes_of[value] = tuple(codes)
    codes_of[""] = ()
    return region_rows(event_id, text.map(codes_of), "affected")


def _intercepted(
    text: pd.Series, event_id: pd.Series, places: PlaceLookup
) -> tuple[pd.DataFrame, list[int]]:
    distinct = text[text != ""].value_counts()
    codes_of: dict[str, tuple[str, ...]] = {}
    unreadable_texts = set()
    for value, count in distinct.items():
        details = parse_dict_literal(value)
        if details is None:
            unreadable_texts.add(value)
            codes_of[value] = ()
            continue
        codes: list[str] = []
        for key, number in details.items():
            if number == 0:
                continue
            match = places.classify_counts({key: int(count)})[key]
            if match.scope == "regions":
                codes.extend(match.region_codes)
        codes_of[value] = tuple(codes)
    codes_of[""] = ()
    unreadable = [int(r) for r in text.index[text.isin(unreadable_texts)]]
    return region_rows(event_id, text.map(codes_of), "intercepted"), unreadable


def parse_list_literal(text: str) -> list[str]:
    """Items of a Python-literal list such as "['Kharkiv oblast', 'Donetsk oblast']".

    Parsed with ``ast.literal_eval`` (no code runs). Text that is not a list literal is read
    as one place mention.

    >>> parse_list_literal("['Kyiv', 'Kyiv oblast']")
    ['Kyiv', 'Kyiv oblast']
    >>> parse_list_literal("Sumy oblast")
    ['Sumy oblast']
    >>> parse_list_literal("[Sumy oblast]")
    ['Sumy oblast']
    """
    text = text.strip()
    if not text:
        return []
    if text.startswith(("[", "(")):
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = None
        if isinstance(value, list | tuple):
            return [str(v).strip() for v in value if str(v).strip()]
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1].strip()
    return [text] if text else []


def parse_dict_literal(text: str) -> dict[str, float | None] | None:
    """A Python-literal dict of place -> count, allowing the bare ``NaN`` the dataset writes.

    ``NaN``/``None``/``null`` tokens outside quotes become None; parsed with
    ``ast.literal_eval`` (no code runs). Returns None when the text is not such a dict.

    >>> parse_dict_literal("{'south': 49, 'east': NaN}")
    {'south': 49.0, 'east': None}
    """
    text = text.strip()
    if not text.startswith("{"):
        return None
    try:
        value = ast.literal_eval(_NAN_TOKEN.sub("None", text))
    except (ValueError, SyntaxError, MemoryError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    result: dict[str, float | None] = {}
    for key, number in value.items():
        key_text = str(key).strip()
        if not key_text:
            continue
        if isinstance(number, int | float) and not isinstance(number, bool):
            result[key_text] = None if number != number else float(number)
        else:
            result[key_text] = None
    return result
