"""Everything there is to show: the bundled data and every imported dataset, as one.

Event ids are unique across everything :func:`load_all` returns: the bundled events keep their
importer ids (``curated-talks:E054``), the events of an imported dataset are prefixed with the
dataset name (``mma/missile_attacks_daily:17``), and ``events.source`` names the dataset the
event came from, matching a row of :attr:`oblastwatch.storage.dataset.Dataset.sources`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from os import PathLike
from pathlib import Path

from oblastwatch.domain.alerts import empty_alerts
from oblastwatch.importers.report import ImportReport
from oblastwatch.storage.bundled import load_bundled
from oblastwatch.storage.curated_additions import merge_into_bundled
from oblastwatch.storage.dataset import Dataset, concat, empty_sources, union, validated
from oblastwatch.storage.imported import imported_datasets, load_and_trust, saved_name


def load_all(
    extra_dirs: Iterable[str | PathLike[str]] = (), include_user_dir: bool = True
) -> Dataset:
    """The bundled data plus every imported dataset, validated, with unique event ids.

    ``extra_dirs`` are dataset directories loaded in addition to those in the user data
    directory. A dataset whose name is already taken is loaded as ``<name>-2``, ``<name>-3``...
    Datasets saved by this schema version were checked when saved and are not checked again;
    what is checked here is that event ids are unique across all datasets. Datasets saved in an
    older store format are brought up to date as they load
    (:func:`oblastwatch.storage.imported.load_dataset`); the result's :attr:`Dataset.notices`
    has one line for each. A user's own talks or strikes table joins the bundled table of its
    kind (:func:`oblastwatch.storage.curated_additions.merge_into_bundled`).
    """
    bundled = load_bundled()
    directories: list[Path] = []
    if include_user_dir:
        directories.extend(imported_datasets())
    directories.extend(Path(d) for d in extra_dirs)
    seen_paths: set[Path] = set()
    taken = set(bundled.sources["name"])
    parts = [bundled]  # load_bundled checked the bundled tables
    for directory in directories:
        resolved = directory.resolve()
        if resolved in seen_paths:
            continue
        seen_paths.add(resolved)
        label = _unique_name(saved_name(directory), taken)
        taken.add(label)
        part, trusted = load_and_trust(directory, name=label)
        if not trusted:
            events, regions = validated(directory, part.events, part.event_regions)
            part = replace(part, events=events, event_regions=regions)
        parts.append(part)
    parts, merge_notices = merge_into_bundled(parts)
    reports: dict[str, ImportReport] = {}
    for part in parts:
        reports.update(part.reports)
    all_events, all_regions = union(
        [p.events for p in parts],
        [p.event_regions for p in parts],
        where=Path("(all datasets)"),
        checked=True,
    )
    sources = concat([p.sources for p in parts], empty_sources())
    notices = tuple(notice for part in parts for notice in part.notices) + merge_notices
    alerts = concat([p.alerts for p in parts], empty_alerts())
    return Dataset(all_events, all_regions, sources, reports, notices, alerts)


def _unique_name(name: str, taken: set[str]) -> str:
    """``name``, or ``<name>-2``, ``<name>-3``... when it is taken."""
    if name not in taken:
        return name
    number = 2
    while f"{name}-{number}" in taken:
        number += 1
    return f"{name}-{number}"
