"""Which diplomatic events are studied, and the units of the study.

The units are events or clusters of nearby events, each with its before, during and after
windows in Kyiv calendar days.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

import numpy as np
import pandas as pd

from oblastwatch.domain import rules
from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.study.settings import (
    DEFAULT_WINDOW_DAYS,
    OVERLAP_POLICIES,
    check_kinds,
    check_window,
)

UNIT_COLUMNS = (
    "event_ids",
    "n_events",
    "title",
    "kind",
    "start",
    "end",
    "venue",
    "format",
    "parties",
)


def select_events(
    events: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    parties: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Diplomatic events filtered by kind, format and parties.

    ``kinds`` defaults to every diplomatic kind (strikes and incidents are never selected).
    ``formats`` matches the ``format`` column case-insensitively. ``parties`` keeps events
    in which *every* listed party took part (``parties`` is ";"-joined; the spellings of one
    party in :data:`oblastwatch.domain.rules.PARTY_SPELLINGS` match each other, so "US"
    finds "United States of America").

    >>> import pandas as pd
    >>> talks = pd.DataFrame({"event_id": ["a", "b", "c"], "kind": ["talks", "call", "strike"],
    ...     "format": ["bilateral", "bilateral", None],
    ...     "parties": ["US;Russia", "United States;Ukraine", None]})
    >>> select_events(talks)["event_id"].tolist()
    ['a', 'b']
    >>> select_events(talks, parties=["united states", "ukraine"])["event_id"].tolist()
    ['b']
    >>> select_events(talks, parties=["USA"])["event_id"].tolist()
    ['a', 'b']
    """
    chosen_kinds = tuple(DIPLOMATIC_KINDS if kinds is None else kinds)
    check_kinds(chosen_kinds)
    keep = events["kind"].astype("string").isin(chosen_kinds).fillna(False).to_numpy(bool).copy()
    if formats is not None:
        wanted = {f.strip().lower() for f in formats}
        fmt = _column(events, "format", "string").str.strip().str.lower()
        keep &= fmt.isin(wanted).fillna(False).to_numpy(bool)
    if parties is not None:
        wanted_parties = tuple(parties)
        present = _column(events, "parties", "string").fillna("")
        took_part = [rules.took_part(value, wanted_parties) for value in present.tolist()]
        keep &= np.array(took_part, dtype=bool)
    return events.loc[keep].copy()


def event_windows(
    events: pd.DataFrame,
    *,
    window: int = DEFAULT_WINDOW_DAYS,
    overlap: str = "merge",
) -> pd.DataFrame:
    """The units of the study: one row per event, or per cluster of events, with its windows.

    An event spans its Kyiv calendar days ``start`` ... ``end``; its *windows* cover
    ``start - window`` ... ``end + window``. Events whose windows share at least one day
    overlap, and ``overlap`` says what to do with them:

    * ``"merge"`` (default): a chain of overlapping events becomes one cluster, from the
      first start to the last end; its "during" window spans the whole cluster;
    * ``"exclude"``: every event whose windows overlap another event's is dropped;
    * ``"keep"``: every event is its own row; windows may then share days, so the rows are
      not independent.

    Columns: event_ids (";"-joined), n_events, title ("; "-joined), kind, start, end, venue,
    format, parties, cluster (rows sharing it have overlapping windows; only with "keep"),
    before_start, before_end, after_start, after_end (naive day timestamps).
    """
    check_window(window)
    if overlap not in OVERLAP_POLICIES:
        raise ValueError(f"overlap must be one of {OVERLAP_POLICIES}, got {overlap!r}")
    days = event_days(events)
    if days.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=_unit_dtype(c))
                for c in (*UNIT_COLUMNS, "cluster", *_WINDOW_BOUNDS)
            }
        )
    days = days.sort_values(["start", "end", "event_id"], kind="stable").reset_index(drop=True)
    reach = pd.Timedelta(days=window)
    span_start = days["start"] - reach
    span_end = days["end"] + reach
    # A new cluster starts when this event's span begins after every earlier span has ended.
    reached = span_end.cummax().shift(1)
    # (The first comparison is with NaT, False: the first event opens cluster 0.)
    days["cluster"] = (span_start > reached).astype(int).cumsum()

    if overlap == "keep":
        units = days.assign(n_events=1).rename(columns={"event_id": "event_ids"})
        units = units.set_index("cluster")
    else:
        if overlap == "exclude":
            sizes = days.groupby("cluster")["event_id"].transform("size")
            days = days.loc[sizes == 1]
        units = _merge_clusters(days)
    units = units.reset_index().rename(columns={"index": "cluster"})
    units = units[[*UNIT_COLUMNS, "cluster"]]
    units["before_start"] = units["start"] - reach
    units["before_end"] = units["start"] - pd.Timedelta(days=1)
    units["after_start"] = units["end"] + pd.Timedelta(days=1)
    units["after_end"] = units["end"] + reach
    return units.astype({c: _unit_dtype(c) for c in units.columns})


def study_span(first_day: date, last_day: date, window: int) -> tuple[date, date]:
    """The days an event's study covers, its ``before_start`` ... ``after_end``.

    From ``window`` days before its first day to ``window`` days after its last.

    >>> study_span(date(2026, 2, 26), date(2026, 2, 26), 7)
    (datetime.date(2026, 2, 19), datetime.date(2026, 3, 5))
    """
    return first_day - timedelta(days=window), last_day + timedelta(days=window)


_WINDOW_BOUNDS = ("before_start", "before_end", "after_start", "after_end")


def _unit_dtype(column: str) -> str:
    if column in ("start", "end", *_WINDOW_BOUNDS):
        return "datetime64[ns]"
    if column in ("n_events", "cluster"):
        return "int64"
    return "string"


def _merge_clusters(days: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster: ids and titles joined, first start, last end.

    Plain Python: the tables hold hundreds of events, and a groupby with Python callbacks is
    slower here.
    """
    columns = {c: days[c].tolist() for c in days.columns}
    rows: dict[int, list[int]] = {}
    for position, cluster in enumerate(columns["cluster"]):
        rows.setdefault(cluster, []).append(position)
    merged = []
    for cluster, positions in rows.items():

        def pick(column: str, positions: list[int] = positions) -> list[str]:
            return [str(columns[column][p]) for p in positions if _present(columns[column][p])]

        merged.append(
            {
                "cluster": cluster,
                "event_ids": ";".join(pick("event_id")),
                "n_events": len(positions),
                "title": _joined(pick("title"), "; "),
                "kind": _joined(pick("kind"), ";", unique=True),
                "start": min(columns["start"][p] for p in positions),
                "end": max(columns["end"][p] for p in positions),
                "venue": _joined(pick("venue"), "; ", unique=True),
                "format": _joined(pick("format"), ";", unique=True),
                "parties": _joined(
                    [party.strip() for value in pick("parties") for party in value.split(";")],
                    ";",
                    unique=True,
                ),
            }
        )
    return pd.DataFrame(merged, columns=["cluster", *UNIT_COLUMNS]).set_index("cluster")


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(str(value).strip())


def _joined(items: list[str], separator: str, *, unique: bool = False) -> str | None:
    items = [item for item in items if item.strip()]
    if unique:
        items = list(dict.fromkeys(items))
    return separator.join(items) if items else None


def event_days(events: pd.DataFrame) -> pd.DataFrame:
    """The descriptive columns and the Kyiv ``start`` and ``end`` days of each event.

    Columns event_id, title, kind, venue, format, parties, ``start`` and ``end``
    (:func:`oblastwatch.domain.rules.kyiv_day`; an ``end`` instant is exclusive, a missing
    ``start`` falls back to ``date``).
    """
    if "event_id" not in events.columns:
        raise ValueError("events table lacks column event_id")
    if events["event_id"].isna().any():
        raise ValueError("events table has a row without event_id")
    if "start" not in events.columns and "date" not in events.columns:
        raise ValueError("events table needs a start or date column")
    start = rules.kyiv_day(events["start"]) if "start" in events.columns else None
    if "date" in events.columns:
        dated = rules.kyiv_day(events["date"])
        start = dated if start is None else start.fillna(dated)
    if "end" in events.columns:
        end = rules.kyiv_day(events["end"], exclusive_end=True)
        backwards = (end < start).fillna(False).to_numpy(bool).copy()
        if "start" in events.columns:
            # An instant event (end == start) lasts its one day; an end before it is an error.
            same_instant = pd.to_datetime(events["end"]) == pd.to_datetime(events["start"])
            backwards &= ~same_instant.fillna(False).to_numpy(bool)
        if backwards.any():
            bad = events["event_id"].iloc[int(np.flatnonzero(backwards)[0])]
            raise ValueError(f"event {bad!r} ends before it starts")
        end = end.where(end >= start, start).fillna(start)
    else:
        end = start
    frame = pd.DataFrame(
        {
            "event_id": events["event_id"].astype("string"),
            "title": _column(events, "title", "string"),
            "kind": _column(events, "kind", "string"),
            "start": start,
            "end": end,
            "venue": _column(events, "venue", "string"),
            "format": _column(events, "format", "string"),
            "parties": _column(events, "parties", "string"),
        }
    ).reset_index(drop=True)
    undated = frame["start"].isna()
    if undated.any():
        raise ValueError(f"event {frame.loc[undated, 'event_id'].iloc[0]!r} has no start date")
    return frame


def _column(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(dtype)
    return pd.Series(pd.NA, index=frame.index, dtype=dtype)
