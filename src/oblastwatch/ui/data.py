"""Cached loaders: the one place where the app caches what the core computes.

The loaded :class:`~oblastwatch.storage.store.Dataset` and the prepared index built from it are held
with ``st.cache_resource``: one shared object per data version for every session and page,
never pickled or copied (``st.cache_data`` pickled the whole Dataset on the first call and
unpickled a copy on every call: 1.6 s + 0.36 s at a million events). **They are read-only**:
callers select, filter and copy (``frame.loc[...]``, ``frame[mask]``, ``.copy()``) and never
assign into them (no ``frame[col] = ...``, no ``inplace=True``, no writes into the arrays).
``tests/app/test_data_cache.py`` checks that a session's frames are the shared objects and
stay unchanged across the pages.

The prepared index comes from :mod:`oblastwatch.query.index_cache`: read back from disk when this
data was prepared before (a start then never reads the frames for the map and the timeline),
built from the Dataset and saved otherwise.

Every loader is keyed on :func:`data_fingerprint`, which changes when a dataset is imported or
removed. The shared entries keep one data version (``max_entries=1``): the first run after an
import or a removal loads the new version and evicts the old one, so memory holds one copy of
the data and no page sees stale data. Small derived values (filter options, talk windows)
stay in ``st.cache_data``, keyed on the same fingerprint.

A load's notices (a dataset migrated from an older store format, :attr:`Dataset.notices`) are
collected per data directory for the life of the process (:func:`load_notices`): the migration
rewrites files, so the Dataset that carried them is replaced on the next run.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from oblastwatch.domain import denominators, resources
from oblastwatch.i18n import Message
from oblastwatch.present.maps.geometry import RegionShapes, cached_region_shapes
from oblastwatch.query import index_cache
from oblastwatch.query.coverage import data_date_span, kinds_present, weapon_categories_present
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.index_cache import Fingerprint, data_fingerprint
from oblastwatch.storage import cache, paths, store
from oblastwatch.storage.dataset import Dataset


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar can offer for the loaded data."""

    first_day: date
    last_day: date
    kinds: tuple[str, ...]
    weapon_categories: tuple[str, ...]
    sources: tuple[str, ...]


@st.cache_resource(show_spinner="Loading data…", max_entries=1)
def _dataset(fingerprint: Fingerprint) -> Dataset:
    # Shared and read-only (see the module doc); one data version at a time.
    dataset = store.load_all(include_user_dir=True)
    shown = _load_notices(fingerprint[0])
    shown.extend(notice for notice in dataset.notices if notice not in shown)
    return dataset


def load_dataset() -> Dataset:
    """The bundled data plus every dataset imported into the data directory (read-only)."""
    return _dataset(data_fingerprint())


def dataset_at(fingerprint: Fingerprint) -> Dataset:
    """The loaded Dataset of the data version ``fingerprint`` (read-only).

    For loaders that cache their own results per version and must read the version they are
    keyed on.
    """
    return _dataset(fingerprint)


@st.cache_resource(show_spinner=False)
def _load_notices(data_directory: str) -> list[Message]:
    # Kept apart from the Dataset: a migration rewrites the directory, so the next run loads a
    # new data version, without the notice, and evicts the one that had it.
    return []


def load_notices() -> tuple[Message, ...]:
    """One-line notices from loading the data directory in this process, oldest first.

    Such as datasets migrated from an older store format; the same for every session. Each
    is a message, shown in the reader's language (``language.t().message``).
    """
    return tuple(_load_notices(str(paths.user_data_dir())))


@st.cache_resource(show_spinner=False, max_entries=1)
def _prepared(fingerprint: Fingerprint) -> PreparedEvents:
    # Read-only index structures, from the on-disk index when there is one; the shared
    # Dataset is read only when a view needs event rows (or to build the index).
    return index_cache.prepared_events(fingerprint, lambda: _dataset(fingerprint))


def prepared_events() -> PreparedEvents:
    """The fast-path index over the loaded events (shared, read-only)."""
    return _prepared(data_fingerprint())


def prepared_at(fingerprint: Fingerprint) -> PreparedEvents:
    """The index of the data version ``fingerprint`` (read-only).

    For loaders that cache their own results per version.
    """
    return _prepared(fingerprint)


@st.cache_resource(show_spinner=False)
def load_boundaries():
    """The 27 region polygons (GeoDataFrame: code, name_en, name_uk, geometry; read-only)."""
    from oblastwatch.domain import geo  # geopandas: not needed for the first map (region_shapes)

    return geo.load_boundaries()


@st.cache_resource(show_spinner=False)
def denominator(normalisation: str) -> denominators.Denominator | None:
    """What the map's rates divide by (read-only): residents or the outlines' areas; raw: None.

    The areas are measured with geopandas, imported the first time "per 1,000 km²" is chosen.
    """
    return denominators.denominator(normalisation)


@st.cache_resource(show_spinner=False)
def region_shapes() -> RegionShapes:
    """The compact region outlines the maps draw, kept on disk between starts (read-only)."""
    return cached_region_shapes(resources.BOUNDARIES_PATH, cache.cache_dir(), load_boundaries)


@st.cache_data(show_spinner=False, max_entries=4)
def _filter_options(fingerprint: Fingerprint) -> FilterOptions:
    prepared = _prepared(fingerprint)
    try:
        first, last = data_date_span(prepared)
    except ValueError:  # nothing loaded at all
        first = last = date.today()
    return FilterOptions(
        first_day=first,
        last_day=last,
        kinds=kinds_present(prepared),
        weapon_categories=weapon_categories_present(prepared),
        sources=tuple(sorted(prepared.sources)),
    )


def filter_options() -> FilterOptions:
    """Date span, kinds, weapon categories and sources present in the loaded data."""
    return _filter_options(data_fingerprint())
