"""Cached loaders: the one place where the app caches what the core computes.

``st.cache_data`` returns copies, so no page can mutate another page's frames. Every loader is
keyed on :func:`data_fingerprint`, which changes when a dataset is imported or removed, so the
cache never serves stale data and never needs clearing by hand.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import streamlit as st

from oblastwatch import aggregate, geo, model, store
from oblastwatch.paths import user_data_dir

Fingerprint = tuple[str, tuple[tuple[str, int, int], ...]]


@dataclass(frozen=True)
class FilterOptions:
    """What the sidebar can offer for the loaded data."""

    first_day: date
    last_day: date
    kinds: tuple[str, ...]
    weapon_categories: tuple[str, ...]
    sources: tuple[str, ...]


def data_fingerprint() -> Fingerprint:
    """The data directory and the (path, size, mtime) of every file in it."""
    directory = user_data_dir()
    entries: list[tuple[str, int, int]] = []
    if directory.is_dir():
        for root, _dirs, files in os.walk(directory):
            for name in files:
                path = Path(root, name)
                try:
                    info = path.stat()
                except OSError:  # removed while we walked
                    continue
                entries.append((str(path.relative_to(directory)), info.st_size, info.st_mtime_ns))
    return (str(directory), tuple(sorted(entries)))


@st.cache_data(show_spinner="Loading data…", max_entries=4)
def _dataset(fingerprint: Fingerprint) -> store.Dataset:
    return store.load_all(include_user_dir=True)


def load_dataset() -> store.Dataset:
    """The bundled data plus every dataset imported into the data directory."""
    return _dataset(data_fingerprint())


@st.cache_resource(show_spinner=False, max_entries=4)
def _prepared(fingerprint: Fingerprint) -> aggregate.PreparedEvents:
    # Read-only index structures shared by all sessions; built once per data version.
    dataset = _dataset(fingerprint)
    return aggregate.prepare(dataset.events, dataset.event_regions)


def prepared_events() -> aggregate.PreparedEvents:
    """The fast-path index over the loaded events (shared, never mutated)."""
    return _prepared(data_fingerprint())


@st.cache_data(show_spinner=False)
def load_boundaries():
    """The 27 region polygons (GeoDataFrame: code, name_en, name_uk, geometry)."""
    return geo.load_boundaries()


@st.cache_data(show_spinner=False, max_entries=4)
def _filter_options(fingerprint: Fingerprint) -> FilterOptions:
    prepared = _prepared(fingerprint)
    try:
        first, last = aggregate.data_date_span(prepared)
    except ValueError:  # nothing loaded at all
        first = last = date.today()
    events = prepared.events
    kinds = set(events["kind"].dropna())
    categories = set(events["weapon_category"].dropna())
    return FilterOptions(
        first_day=first,
        last_day=last,
        kinds=tuple(k for k in model.EVENT_KINDS if k in kinds),
        weapon_categories=tuple(c for c in model.WEAPON_CATEGORIES if c in categories),
        sources=tuple(sorted(prepared.sources)),
    )


def filter_options() -> FilterOptions:
    """Date span, kinds, weapon categories and sources present in the loaded data."""
    return _filter_options(data_fingerprint())
