"""The curated talks and strikes tables shipped with oblastwatch, loaded through a cache.

The bundled events keep their importer ids (``curated-talks:E054``); ``events.source`` names
the table (:data:`TALKS_SOURCE`, :data:`STRIKES_SOURCE`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc

from oblastwatch.domain import model, resources
from oblastwatch.importers.report import ImportReport, ImportResult, UnusableInput
from oblastwatch.storage import cache, files
from oblastwatch.storage.dataset import (
    BUNDLED,
    Dataset,
    StoreError,
    concat,
    empty_sources,
    sources_row,
    union,
)
from oblastwatch.storage.files import (
    EVENT_REGIONS_FILE,
    EVENTS_FILE,
    REPORT_FILE,
    arrow_table,
    is_canonical,
    read_json,
)

TALKS_SOURCE = "curated-talks"
STRIKES_SOURCE = "curated-strikes"
BUNDLED_LICENCE = (
    "Curated for oblastwatch from the dated news pages cited row by row (source_url): facts "
    "and the curator's own summaries. Region boundaries: Natural Earth (public domain)."
)
BUNDLED_DESCRIPTIONS = {
    TALKS_SOURCE: "Diplomatic events 2022-2026 (talks, summits, calls, agreements, prisoner "
    "exchanges, returns, announcements), one cited page per row",
    STRIKES_SOURCE: "Major Russian missile and drone attack waves 2025-2026 with launch, "
    "interception and casualty figures, one cited page per row",
}


def load_bundled() -> Dataset:
    """The curated talks and strikes tables shipped in ``data/``, through the curated importer.

    The import result is cached as Parquet in :func:`oblastwatch.storage.cache.cache_dir`, keyed
    by the SHA-256 of the two CSV files and of the code that imports them, so a start reads two
    small Parquet files instead of running the importer. Any problem with the cache (missing,
    unreadable, not the canonical tables, not writable) falls back to the CSV import.
    """
    tables = {
        TALKS_SOURCE: ("talks", resources.TALKS_PATH),
        STRIKES_SOURCE: ("strikes", resources.STRIKES_PATH),
    }
    entry = _bundled_cache_path(tables)
    loaded = _read_bundled_cache(entry) if entry is not None else None
    if loaded is not None:
        try:
            return _bundled_dataset(tables, *loaded)
        except StoreError:
            pass  # a cache that does not validate: import the CSV files again
    results = {}
    for source, (fmt, path) in tables.items():
        results[source] = _import_bundled(source, fmt, path)
    events = {source: result.events for source, result in results.items()}
    regions = {source: result.event_regions for source, result in results.items()}
    reports = {source: result.report for source, result in results.items()}
    dataset = _bundled_dataset(tables, events, regions, reports)
    if entry is not None:
        _write_bundled_cache(entry, dataset, reports)
    return dataset


def _import_bundled(source: str, fmt: str, path: Path) -> ImportResult:
    from oblastwatch.importers import import_file

    try:
        return import_file(path, fmt=fmt, source_name=source)
    except UnusableInput as error:
        raise StoreError(f"bundled table {error}") from error


def _bundled_dataset(
    tables: Mapping[str, tuple[str, Path]],
    events: Mapping[str, pd.DataFrame],
    regions: Mapping[str, pd.DataFrame],
    reports: Mapping[str, ImportReport],
) -> Dataset:
    sources = [
        sources_row(
            source, BUNDLED, path, events[source], BUNDLED_LICENCE, BUNDLED_DESCRIPTIONS[source]
        )
        for source, (_, path) in tables.items()
    ]
    all_events, all_regions = union(
        [events[s] for s in tables], [regions[s] for s in tables], where=resources.BUNDLED_DATA_DIR
    )
    return Dataset(all_events, all_regions, concat(sources, empty_sources()), dict(reports))


# --- the bundled tables' cache ---------------------------------------------------------------

# 2: region codes follow ISO 3166-2:UA (Chernihiv UA-74, Chernivtsi UA-77). The key's code
# digest changed with the fix anyway; the number says that an entry's meaning did too.
_BUNDLED_CACHE_FORMAT = 2
_BUNDLED_KIND = "bundled"


def _bundled_cache_path(tables: Mapping[str, tuple[str, Path]]) -> Path | None:
    """The cache entry for the current CSV files and code.

    None when they cannot be read (the CSV import then reports the problem).
    """
    digest = hashlib.sha256(f"{_BUNDLED_CACHE_FORMAT}:{model.SCHEMA_VERSION}".encode())
    try:
        for source, (fmt, path) in tables.items():
            digest.update(f"\0{source}\0{fmt}\0".encode())
            digest.update(Path(path).read_bytes())
        # The whole package: a hand-kept list of the modules the import uses would go stale.
        digest.update(cache.code_digest())
    except (OSError, ValueError):
        return None
    return cache.cache_dir() / f"{_BUNDLED_KIND}-{digest.hexdigest()[:32]}"


def _read_bundled_cache(
    entry: Path,
) -> tuple[dict[str, pd.DataFrame], dict[str, pd.DataFrame], dict[str, ImportReport]] | None:
    """The cached tables split by source, or None on any problem."""
    try:
        events = pd.read_parquet(entry / EVENTS_FILE)
        regions = pd.read_parquet(entry / EVENT_REGIONS_FILE)
        saved = read_json(entry / REPORT_FILE)
        if not is_canonical(events, regions) or set(saved) != {TALKS_SOURCE, STRIKES_SOURCE}:
            return None
        reports = {source: ImportReport.from_dict(saved[source]) for source in saved}
        by_source = {
            source: events[events["source"].eq(source).to_numpy(dtype=bool)].reset_index(drop=True)
            for source in reports
        }
        region_rows = {}
        for source, part in by_source.items():
            known = pc.is_in(
                model.arrow_strings(regions["event_id"]),
                value_set=model.arrow_strings(part["event_id"]),
            ).to_numpy(zero_copy_only=False)
            region_rows[source] = regions[known].reset_index(drop=True)
        if sum(map(len, by_source.values())) != len(events):
            return None
        if sum(map(len, region_rows.values())) != len(regions):
            return None
        cache.touch(entry)  # used now: pruning keeps it
        return by_source, region_rows, reports
    except Exception:  # noqa: BLE001 - any problem with a cache means: import the CSV files
        return None


def _write_bundled_cache(
    entry: Path, dataset: Dataset, reports: Mapping[str, ImportReport]
) -> None:
    """Publish the cache entry (:func:`oblastwatch.storage.cache.publish`); never raises."""

    def write(staging: Path) -> None:
        files.write_parquet(staging / EVENTS_FILE, arrow_table(dataset.events), sync=False)
        files.write_parquet(
            staging / EVENT_REGIONS_FILE, arrow_table(dataset.event_regions), sync=False
        )
        report_data = {source: report.to_dict() for source, report in reports.items()}
        files.write_json(staging / REPORT_FILE, report_data, sync=False)

    if cache.publish(entry, write):
        cache.prune(entry, _BUNDLED_KIND)
