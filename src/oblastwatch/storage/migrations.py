"""Bring a dataset saved in an older store format up to the current one.

A saved dataset's ``meta.json`` records the store format it was written in
(:data:`oblastwatch.storage.files.STORE_FORMAT`; a dataset without one is format 1). Each
format before the current one has one step in :data:`STEPS`, keyed by the format it reads, that
turns its files into those of the next format. :mod:`oblastwatch.storage.upgrade` runs the steps
when it loads an older dataset and writes the result in its place through the atomic save; the
steps themselves only compute, so it can also apply them in memory when it cannot write.

* **1 → 2, the ISO code fix.** Until commit 5b2e0a3 the region registry had Chernihiv oblast
  as UA-77 and Chernivtsi oblast as UA-74; ISO 3166-2:UA has UA-74 Chernihivska and UA-77
  Chernivetska. Every code in a format-1 dataset came from that registry (points placed in
  its boundaries, names resolved by it, canonical files written by its export), so the step
  swaps the two codes wherever the importer stored one: ``event_regions.region_code`` and
  the import report's ``notes`` and ``suggestions`` ("Chernihiv Oblast (UA-77)"). What quotes
  the input file stays as it was read: the events' text columns, the report's ``rejected``
  reasons and ``unresolved`` place texts. No other column or field holds a region code.
* **2 → 3, the alerts table.** Format 3 adds ``alerts.parquet`` (air-raid alerts). A dataset
  saved before it holds no alerts: the step adds an empty alerts table and changes nothing
  else. It is quiet: the upgrade is recorded in ``meta.json`` but no notice is shown, as the
  reader's data did not change.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from oblastwatch.domain.alerts import empty_alerts
from oblastwatch.i18n import Message, plural_message

# The format of a dataset whose meta.json names none.
FIRST_FORMAT = 1


class MigrationError(ValueError):
    """A saved dataset in a format this version cannot bring up to date (one line)."""


@dataclass(frozen=True)
class SavedDataset:
    """A dataset's files as stored.

    Both tables (event ids not yet prefixed with the dataset's name), and the import report and
    ``meta.json`` as JSON objects; ``alerts`` is None when the dataset has no alerts file
    (saved before format 3).
    """

    events: pd.DataFrame
    event_regions: pd.DataFrame
    report: Mapping[str, Any]
    meta: Mapping[str, Any]
    alerts: pd.DataFrame | None = None


@dataclass(frozen=True)
class Step:
    """How to bring a dataset from one format to the next.

    ``saved_when`` completes "Dataset 'x' was saved ..." in the notice; ``upgrade`` returns the
    dataset in the next format and what it changed, in a few words for that notice. A
    ``quiet`` step changes nothing the reader sees: it is recorded but not announced.
    """

    writes: int
    saved_when: Message
    upgrade: Callable[[SavedDataset], tuple[SavedDataset, Message]]
    quiet: bool = False


@dataclass(frozen=True)
class Migration:
    """A dataset brought from ``from_format`` to ``to_format``, and what each step changed.

    ``announced`` are the changes of the steps that are not quiet, for the notice.
    """

    dataset: SavedDataset
    from_format: int
    to_format: int
    saved_when: Message | None
    changes: tuple[Message, ...]
    announced: tuple[Message, ...] | None = None

    @property
    def worth_telling(self) -> bool:
        """False when every step was quiet: the load needs no notice."""
        return bool(self.changes if self.announced is None else self.announced)

    def notice(self, name: str, *, not_saved: str | None = None) -> Message:
        """The one line that tells the user.

        ``not_saved`` is why the upgraded copy could not be written (it then holds for this
        load only).

        >>> changed = (Message("codes corrected on 3 events"),)
        >>> step = Migration(None, 1, 2, Message("before the fix"), changed)
        >>> str(step.notice("mma"))
        "Dataset 'mma' was saved before the fix (format 1): codes corrected on 3 events."
        >>> str(step.notice("mma", not_saved="data: Read-only file system"))  # doctest: +ELLIPSIS
        "Dataset 'mma' was ... on 3 events, for this load only: ... (data: Read-only file system)."
        """
        changes = self.changes if self.announced is None else self.announced
        joined = changes[0]
        for change in changes[1:]:
            joined = Message("{first}; {then}", {"first": joined, "then": change})
        values = {
            "name": repr(name),
            "when": self.saved_when or "",
            "format": self.from_format,
            "changes": joined,
        }
        if not_saved is None:
            return Message("Dataset {name} was saved {when} (format {format}): {changes}.", values)
        return Message(
            "Dataset {name} was saved {when} (format {format}): {changes}, for this load only: "
            "the corrected copy could not be saved ({reason}).",
            {**values, "reason": not_saved},
        )


def saved_format(meta: Mapping[str, Any], *, newest: int) -> int:
    """The store format recorded in ``meta`` (:data:`FIRST_FORMAT` when none is).

    Raises :class:`MigrationError` unless it is one of the formats up to ``newest``.

    >>> saved_format({"format": 2}, newest=2), saved_format({}, newest=2)
    (2, 1)
    """
    found = meta.get("format", FIRST_FORMAT)
    if isinstance(found, bool) or not isinstance(found, int) or found < FIRST_FORMAT:
        raise MigrationError(f"meta.json names no store format this version knows: {found!r}")
    if found > newest:
        raise MigrationError(
            f"saved by a newer version of oblastwatch (store format {found}; "
            f"this version reads formats up to {newest})"
        )
    return found


def migrate(saved: SavedDataset, *, from_format: int, to_format: int) -> Migration:
    """``saved`` (written in ``from_format``) brought to ``to_format`` by the :data:`STEPS`.

    The steps run in turn; raises :class:`MigrationError` when no chain of steps leads there.
    """
    dataset, changes, announced, current = saved, [], [], from_format
    first: Message | None = None  # none when every step is quiet: nothing to tell
    while current != to_format:
        step = STEPS.get(current)
        if step is None or current > to_format:
            raise MigrationError(f"no way to bring store format {current} to {to_format}")
        dataset, change = step.upgrade(dataset)
        dataset = replace(dataset, meta={**dataset.meta, "format": step.writes})
        changes.append(change)
        if not step.quiet:
            announced.append(change)
            first = first or step.saved_when
        current = step.writes
    return Migration(dataset, from_format, to_format, first, tuple(changes), tuple(announced))


# --- 1 -> 2: Chernihiv and Chernivtsi get their ISO 3166-2 codes ------------------------------

# Format 1's code -> the ISO 3166-2:UA code of the same oblast: UA-77 was stored for
# Chernihiv (ISO UA-74), UA-74 for Chernivtsi (ISO UA-77).
_ISO_CODE_OF_FORMAT_1 = {"UA-77": "UA-74", "UA-74": "UA-77"}
_SWAPPED_CODE = re.compile(r"\bUA-7[47]\b")


def swap_chernihiv_chernivtsi(saved: SavedDataset) -> tuple[SavedDataset, Message]:
    """Format 1 -> 2: UA-74 and UA-77 swapped.

    Swapped in ``event_regions`` and in the report's notes and suggestions (see the module
    docstring for why these and nothing else).
    """
    codes = saved.event_regions["region_code"]
    swapped = {
        old: codes.eq(old).to_numpy(dtype=bool, na_value=False) for old in _ISO_CODE_OF_FORMAT_1
    }
    fixed = codes
    for old, mask in swapped.items():  # both masks read before any code changes
        fixed = fixed.mask(mask, _ISO_CODE_OF_FORMAT_1[old])
    event_regions = saved.event_regions.assign(region_code=fixed)
    changed = swapped["UA-74"] | swapped["UA-77"]
    events_changed = saved.event_regions["event_id"][changed].nunique()
    report = dict(saved.report)
    if isinstance(report.get("notes"), list):
        report["notes"] = [_iso_codes_in_text(note) for note in report["notes"]]
    if isinstance(report.get("suggestions"), dict):
        report["suggestions"] = {
            text: [_iso_codes_in_text(hint) for hint in hints] if isinstance(hints, list) else hints
            for text, hints in report["suggestions"].items()
        }
    change = (
        Message(
            "Chernihiv and Chernivtsi codes corrected on {events}",
            {"events": _events(events_changed)},
        )
        if events_changed
        else Message("no event had a Chernihiv or Chernivtsi code")
    )
    return replace(saved, event_regions=event_regions, report=report), change


def _iso_codes_in_text(text: object) -> object:
    """``text`` with each format-1 code of Chernihiv or Chernivtsi replaced by its ISO code.

    >>> _iso_codes_in_text("placed by 'Chernihiv' -> UA-77; Chernivtsi Oblast (UA-74)")
    "placed by 'Chernihiv' -> UA-74; Chernivtsi Oblast (UA-77)"
    """
    if not isinstance(text, str):
        return text
    return _SWAPPED_CODE.sub(lambda found: _ISO_CODE_OF_FORMAT_1[found.group()], text)


def _events(count: int) -> Message:
    return plural_message("{count:,} event", "{count:,} events", count, {"count": count})


# --- 2 -> 3: the alerts table ----------------------------------------------------------------


def add_empty_alerts(saved: SavedDataset) -> tuple[SavedDataset, Message]:
    """Format 2 -> 3: an empty alerts table; nothing else changes."""
    return replace(saved, alerts=empty_alerts()), Message("empty alerts table added")


STEPS: Mapping[int, Step] = {
    1: Step(
        writes=2,
        saved_when=Message("before the ISO code fix"),
        upgrade=swap_chernihiv_chernivtsi,
    ),
    2: Step(writes=3, saved_when=Message("before alerts"), upgrade=add_empty_alerts, quiet=True),
}
