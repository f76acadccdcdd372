"""Event study: strike intensity in the days around diplomatic events.

The inputs are two plain tables:

* a **daily series** indexed by every calendar day the strike data covers, with the columns
  in ``METRICS`` (NaN means "no data that day", never zero); build it from the canonical
  events tables with :func:`daily_series`;
* **diplomatic events** (the canonical events table, or any frame with ``event_id``,
  ``start`` and ``end`` or ``date``, optionally ``kind``, ``format``, ``parties``, ``title``,
  ``venue``); narrow it with :func:`select_events`.

For every event (or cluster of nearby events, see ``overlap``) the study takes three windows
in Europe/Kyiv calendar days: *before* (start - N ... start - 1), *during* (start ... end) and
*after* (end + 1 ... end + N). Each window's mean daily value is compared with a baseline as a
ratio, with a percentile bootstrap interval and a two-sided permutation p-value against
placebo dates. ``docs/talks-effect.md`` explains the method, its assumptions and caveats.

Everything is seeded through one ``numpy.random.Generator``: the same inputs and seed give
the same table.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS, EVENT_KINDS, MISSILE_CATEGORIES

METRICS = ("drones_launched", "missiles_launched", "waves", "regions_hit")
WINDOWS = ("before", "during", "after")
BASELINES = ("placebo", "trailing-median")
OVERLAP_POLICIES = ("merge", "exclude", "keep")
ABSENT_DAY_POLICIES = ("zero", "missing")
MIN_WINDOW_DAYS, MAX_WINDOW_DAYS = 1, 30
DEFAULT_WINDOW_DAYS = 7
# Placebo dates are drawn within this many days of the event: strike volumes grew several
# fold during the war, so placebo windows from another year would mix the time trend into
# the comparison.
DEFAULT_PLACEBO_RADIUS_DAYS = 120
TRAILING_DAYS = 60
# A trailing median needs at least this many days with data among its 60.
MIN_TRAILING_VALID_DAYS = 20
HIT_ROLES = ("target", "affected")
KYIV_TZ = "Europe/Kyiv"

# Spellings of the same party in the ``parties`` column (compared in lower case).
_PARTY_ALIASES = {
    "us": "united states",
    "usa": "united states",
    "u.s.": "united states",
    "uk": "united kingdom",
    "u.k.": "united kingdom",
}

_UNIT_COLUMNS = (
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


@dataclass(frozen=True)
class EffectStudy:
    """The result of :func:`event_study`.

    ``table`` has one row per event or cluster (see :func:`talks_effect` for its columns);
    ``pooled`` has one row per window (see :func:`pooled_effect`).
    """

    table: pd.DataFrame
    pooled: pd.DataFrame


# --------------------------------------------------------------------------- daily series


def daily_series(
    events: pd.DataFrame,
    event_regions: pd.DataFrame,
    *,
    absent_days: str = "missing",
) -> pd.DataFrame:
    """Daily strike metrics from the canonical ``events`` and ``event_regions`` tables.

    Only rows with ``kind == "strike"`` count, grouped by ``date`` (the Kyiv day the wave
    ended):

    * ``drones_launched``: sum of ``launched`` over rows with ``weapon_category == "drone"``;
    * ``missiles_launched``: the same over cruise, ballistic and guided missiles, and over
      rows of category ``unknown`` whose weapon model says "missile" (the curated table);
    * ``waves``: distinct ``wave_id`` (a row without one is its own wave);
    * ``regions_hit``: distinct region codes with role ``target`` or ``affected``.

    A day that has rows of a category but no known count for any of them gets NaN for that
    category (the count is unknown, not zero); known counts are summed.

    The index runs over every calendar day from the first to the last strike date.
    ``absent_days`` says what silence means: a day in that span without any strike row, and a
    day whose strike rows include no row of a category (no drone row, no region named).
    ``"zero"`` suits a source that reports every day (the Air Force daily reports in the
    Massive Missile Attacks dataset): nothing reported is taken as nothing launched.
    ``"missing"`` (NaN) suits a sparse curated list of major strikes, which says nothing
    about the days it skips and leaves a count blank when no page gave it.

    >>> import pandas as pd
    >>> events = pd.DataFrame({
    ...     "event_id": ["a", "b"], "kind": ["strike", "strike"],
    ...     "date": pd.to_datetime(["2025-01-01", "2025-01-03"]),
    ...     "weapon_category": ["drone", "ballistic missile"], "launched": [10.0, 2.0],
    ...     "wave_id": ["w1", "w2"]})
    >>> regions = pd.DataFrame({"event_id": ["a"], "region_code": ["UA-30"], "role": ["target"]})
    >>> daily_series(events, regions, absent_days="zero")["drones_launched"].tolist()
    [10.0, 0.0, 0.0]
    >>> daily_series(events, regions)["missiles_launched"].tolist()
    [nan, nan, 2.0]
    """
    if absent_days not in ABSENT_DAY_POLICIES:
        raise ValueError(f"absent_days must be one of {ABSENT_DAY_POLICIES}, got {absent_days!r}")
    missing = [c for c in ("event_id", "kind", "date") if c not in events.columns]
    if missing:
        raise ValueError(f"events table lacks column(s) {', '.join(missing)}")
    is_strike = events["kind"].astype("string").eq("strike").fillna(False).to_numpy(bool)
    strikes = events.loc[is_strike]
    if strikes.empty:
        empty_index = pd.DatetimeIndex([], name="date")
        return pd.DataFrame({m: pd.Series(dtype="float64") for m in METRICS}, index=empty_index)

    day = pd.to_datetime(strikes["date"]).dt.normalize()
    if day.isna().any():
        bad = strikes.loc[day.isna(), "event_id"].iloc[0]
        raise ValueError(f"strike event {bad!r} has no date")
    category = _column(strikes, "weapon_category", "string")
    launched = _column(strikes, "launched", "Float64").to_numpy(dtype=float, na_value=np.nan)
    wave = _column(strikes, "wave_id", "string").fillna(strikes["event_id"].astype("string"))
    rows = pd.DataFrame(
        {
            "date": day.to_numpy(),
            "event_id": strikes["event_id"].astype("string").to_numpy(),
            "is_drone": category.eq("drone").fillna(False).to_numpy(bool),
            "is_missile": _is_missile(category, _column(strikes, "weapon_model", "string")),
            "launched": launched,
            "wave": wave.to_numpy(),
        }
    )
    strike_days = pd.DatetimeIndex(np.sort(rows["date"].unique()), name="date")

    # What silence means: a day without strike rows, or a day whose rows have none of a
    # category (a curated row without a missile count), is zero or unknown by the same rule.
    fill = 0.0 if absent_days == "zero" else np.nan
    out = pd.DataFrame(index=strike_days)
    for column, mask in (("drones_launched", "is_drone"), ("missiles_launched", "is_missile")):
        subset = rows.loc[rows[mask]]
        # min_count=1: a day whose rows of this category all lack a count stays NaN.
        totals = subset.groupby("date")["launched"].sum(min_count=1)
        out[column] = totals.reindex(strike_days).where(strike_days.isin(totals.index), fill)
    out["waves"] = rows.groupby("date")["wave"].nunique().reindex(strike_days).astype(float)
    out["regions_hit"] = _regions_hit(rows, event_regions).reindex(strike_days, fill_value=fill)

    full_days = pd.date_range(strike_days[0], strike_days[-1], freq="D", name="date")
    series = out.reindex(full_days, fill_value=fill).astype("float64")
    return series[list(METRICS)]


def _is_missile(category: pd.Series, weapon_model: pd.Series) -> np.ndarray:
    """Cruise, ballistic and guided missiles, plus ``unknown`` rows whose model says missile.

    The curated strikes table reports missiles without their type (category ``unknown``,
    model "missiles (all types)"); :mod:`oblastwatch.query.build` counts them the same way.
    """
    typed = category.isin(MISSILE_CATEGORIES).fillna(False).to_numpy(bool)
    untyped = category.eq("unknown").fillna(False).to_numpy(bool) & weapon_model.str.contains(
        "missile", case=False, regex=False
    ).fillna(False).to_numpy(bool)
    return typed | untyped


def _column(frame: pd.DataFrame, name: str, dtype: str) -> pd.Series:
    if name in frame.columns:
        return frame[name].astype(dtype)
    return pd.Series(pd.NA, index=frame.index, dtype=dtype)


def _regions_hit(rows: pd.DataFrame, event_regions: pd.DataFrame) -> pd.Series:
    if event_regions is None or event_regions.empty:
        return pd.Series(dtype="float64")
    links = event_regions.loc[
        event_regions["role"].astype("string").isin(HIT_ROLES).fillna(False).to_numpy(bool),
        ["event_id", "region_code"],
    ].astype("string")
    joined = rows[["event_id", "date"]].merge(links, on="event_id", how="inner")
    return joined.groupby("date")["region_code"].nunique().astype(float)


# --------------------------------------------------------------------------- event selection


def select_events(
    events: pd.DataFrame,
    kinds: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    parties: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Diplomatic events filtered by kind, format and parties.

    ``kinds`` defaults to every diplomatic kind (strikes and incidents are never selected).
    ``formats`` matches the ``format`` column case-insensitively. ``parties`` keeps events
    in which *every* listed party took part (``parties`` is ";"-joined; "US" and
    "United States", "UK" and "United Kingdom" count as the same party).

    >>> import pandas as pd
    >>> talks = pd.DataFrame({"event_id": ["a", "b", "c"], "kind": ["talks", "call", "strike"],
    ...     "format": ["bilateral", "bilateral", None],
    ...     "parties": ["US;Russia", "United States;Ukraine", None]})
    >>> select_events(talks)["event_id"].tolist()
    ['a', 'b']
    >>> select_events(talks, parties=["united states", "ukraine"])["event_id"].tolist()
    ['b']
    """
    chosen_kinds = tuple(DIPLOMATIC_KINDS if kinds is None else kinds)
    for kind in chosen_kinds:
        if kind not in DIPLOMATIC_KINDS:
            known = ", ".join(DIPLOMATIC_KINDS)
            what = "a diplomatic kind" if kind in EVENT_KINDS else "a known kind"
            raise ValueError(f"{kind!r} is not {what}; choose from {known}")
    keep = events["kind"].astype("string").isin(chosen_kinds).fillna(False).to_numpy(bool).copy()
    if formats is not None:
        wanted = {f.strip().lower() for f in formats}
        fmt = _column(events, "format", "string").str.strip().str.lower()
        keep &= fmt.isin(wanted).fillna(False).to_numpy(bool)
    if parties is not None:
        wanted_parties = {_normalise_party(p) for p in parties}
        present = _column(events, "parties", "string").fillna("")
        keep &= np.array(
            [wanted_parties <= _party_set(value) for value in present.tolist()], dtype=bool
        )
    return events.loc[keep].copy()


def _normalise_party(name: str) -> str:
    key = " ".join(name.strip().lower().split())
    return _PARTY_ALIASES.get(key, key)


def _party_set(value: str) -> set[str]:
    return {_normalise_party(p) for p in value.split(";") if p.strip()}


# --------------------------------------------------------------------------- windows


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
    _check_window(window)
    if overlap not in OVERLAP_POLICIES:
        raise ValueError(f"overlap must be one of {OVERLAP_POLICIES}, got {overlap!r}")
    days = _event_days(events)
    if days.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype=_unit_dtype(c))
                for c in (*_UNIT_COLUMNS, "cluster", *_WINDOW_BOUNDS)
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
    units = units[[*_UNIT_COLUMNS, "cluster"]]
    units["before_start"] = units["start"] - reach
    units["before_end"] = units["start"] - pd.Timedelta(days=1)
    units["after_start"] = units["end"] + pd.Timedelta(days=1)
    units["after_end"] = units["end"] + reach
    return units.astype({c: _unit_dtype(c) for c in units.columns})


_WINDOW_BOUNDS = ("before_start", "before_end", "after_start", "after_end")


def _unit_dtype(column: str) -> str:
    if column in ("start", "end", *_WINDOW_BOUNDS):
        return "datetime64[ns]"
    if column in ("n_events", "cluster"):
        return "int64"
    return "string"


def _merge_clusters(days: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster: ids and titles joined, first start, last end (plain Python: the
    tables hold hundreds of events, and a groupby with Python callbacks is slower here)."""
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
    return pd.DataFrame(merged, columns=["cluster", *_UNIT_COLUMNS]).set_index("cluster")


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value) and bool(str(value).strip())


def _joined(items: list[str], separator: str, *, unique: bool = False) -> str | None:
    items = [item for item in items if item.strip()]
    if unique:
        items = list(dict.fromkeys(items))
    return separator.join(items) if items else None


def _event_days(events: pd.DataFrame) -> pd.DataFrame:
    """event_id, title, kind, venue, format, parties and Kyiv start/end days of each event."""
    if "event_id" not in events.columns:
        raise ValueError("events table lacks column event_id")
    if events["event_id"].isna().any():
        raise ValueError("events table has a row without event_id")
    if "start" not in events.columns and "date" not in events.columns:
        raise ValueError("events table needs a start or date column")
    start = _kyiv_day(events["start"]) if "start" in events.columns else None
    if "date" in events.columns:
        date = _kyiv_day(events["date"])
        start = date if start is None else start.fillna(date)
    if "end" in events.columns:
        end = _kyiv_day(events["end"], exclusive_end=True)
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


def _kyiv_day(values: pd.Series, *, exclusive_end: bool = False) -> pd.Series:
    """Kyiv calendar day of each value.

    Timezone-aware values are instants and are converted to Europe/Kyiv; as an event's ``end``
    (``exclusive_end``) an instant is the moment the event is over, so a round ending at
    midnight ends on the day before (the canonical tables store ``end`` that way). Naive values
    are taken as Kyiv calendar days, inclusive.
    """
    stamps = pd.to_datetime(values)
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        if exclusive_end:
            stamps = stamps - pd.Timedelta(1, "ns")
        stamps = stamps.dt.tz_convert(KYIV_TZ).dt.tz_localize(None)
    return stamps.dt.normalize().astype("datetime64[ns]")


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, (int, np.integer)):
        raise ValueError(f"window must be a whole number of days, got {window!r}")
    if not MIN_WINDOW_DAYS <= window <= MAX_WINDOW_DAYS:
        raise ValueError(
            f"window must be between {MIN_WINDOW_DAYS} and {MAX_WINDOW_DAYS} days, got {window}"
        )


# --------------------------------------------------------------------------- the study


def talks_effect(
    series: pd.DataFrame,
    events: pd.DataFrame,
    *,
    window: int = DEFAULT_WINDOW_DAYS,
    metric: str = "drones_launched",
    baseline: str = "placebo",
    overlap: str = "merge",
    n_permutations: int = 2000,
    seed: int = 0,
    **options,
) -> pd.DataFrame:
    """One row per event (or cluster): window means, ratios to baseline, intervals, p-values.

    Columns: the unit columns of :func:`event_windows` (event_ids ... parties), then
    before_mean, during_mean, after_mean (mean daily ``metric`` over the days with data),
    baseline_mean, ratio_before, ratio_during, ratio_after (window mean / baseline),
    ci_low_<window>, ci_high_<window> (percentile bootstrap interval of each ratio),
    p_before, p_during, p_after (two-sided permutation p-values against placebo dates),
    n_days_missing (days of the three windows outside the series or without data) and
    n_placebo (placebo dates available to the test).

    ``options`` are passed to :func:`event_study` (``n_bootstrap``, ``placebo_radius``,
    ``avoid``, ``confidence``).
    """
    return event_study(
        series,
        events,
        window=window,
        metric=metric,
        baseline=baseline,
        overlap=overlap,
        n_permutations=n_permutations,
        seed=seed,
        **options,
    ).table


def pooled_effect(
    series: pd.DataFrame,
    events: pd.DataFrame,
    *,
    window: int = DEFAULT_WINDOW_DAYS,
    metric: str = "drones_launched",
    baseline: str = "placebo",
    overlap: str = "merge",
    n_permutations: int = 2000,
    seed: int = 0,
    **options,
) -> pd.DataFrame:
    """The mean ratio across the selected events, one row per window.

    Columns: window, n_units (events or clusters with a defined ratio and placebo dates),
    n_clusters (how many of them have windows that overlap no other's; fewer than n_units
    only with ``overlap="keep"``, and then the p-value and interval are too optimistic),
    mean_window (mean of their window means), mean_baseline, mean_ratio (mean of their
    ratios, each event weighted equally), ci_low, ci_high (percentile bootstrap over events),
    p_value (two-sided permutation test: each event's window replaced by one at a random
    placebo date of its own, the mean ratio recomputed ``n_permutations`` times).

    Same seed and inputs as :func:`talks_effect` give the draws behind its p-values.
    """
    return event_study(
        series,
        events,
        window=window,
        metric=metric,
        baseline=baseline,
        overlap=overlap,
        n_permutations=n_permutations,
        seed=seed,
        **options,
    ).pooled


def event_study(
    series: pd.DataFrame,
    events: pd.DataFrame,
    *,
    window: int = DEFAULT_WINDOW_DAYS,
    metric: str = "drones_launched",
    baseline: str = "placebo",
    overlap: str = "merge",
    n_permutations: int = 2000,
    n_bootstrap: int = 2000,
    seed: int = 0,
    placebo_radius: int | None = DEFAULT_PLACEBO_RADIUS_DAYS,
    avoid: pd.DataFrame | None = None,
    confidence: float = 0.95,
) -> EffectStudy:
    """Run the event study once and return the per-event table and the pooled summary.

    * ``baseline="placebo"``: the baseline of an event is the mean over every placebo window
      of the same length whose anchor day lies within ``placebo_radius`` days of the event
      start (``None``: anywhere in the series) and whose whole pseudo-event span
      (before + during + after) lies inside the series and clear of every diplomatic
      event's windows (the events studied plus ``avoid``).
    * ``baseline="trailing-median"``: the median daily value over the 60 days before the
      "before" window (at least 20 of them with data); placebo dates get their own trailing
      median, so the test compares like with like.

    The permutation test draws ``n_permutations`` placebo dates per event (with
    replacement, from that event's placebo pool) and compares the statistic there with the
    observed one: p = min(1, 2 * min(P(null >= obs), P(null <= obs))), each with the +1
    correction ((1 + count) / (n + 1)).
    """
    _check_window(window)
    if baseline not in BASELINES:
        raise ValueError(f"baseline must be one of {BASELINES}, got {baseline!r}")
    if n_permutations < 1 or n_bootstrap < 1:
        raise ValueError("n_permutations and n_bootstrap must be at least 1")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1, got {confidence}")
    if placebo_radius is not None and placebo_radius < 1:
        raise ValueError(f"placebo_radius must be at least 1 day, got {placebo_radius}")
    values = _metric_values(series, metric)
    units = event_windows(events, window=window, overlap=overlap)
    busy_events = events if avoid is None else pd.concat([events, avoid], ignore_index=True)
    study = _Study(
        values=values,
        origin=series.index[0] if len(series) else pd.Timestamp("1970-01-01"),
        window=window,
        baseline=baseline,
        placebo_radius=placebo_radius,
        busy=_event_days(busy_events),
    )
    rng = np.random.default_rng(seed)
    table, pooled = study.run(units, rng, n_permutations, n_bootstrap, confidence)
    params = {
        "window": window,
        "metric": metric,
        "baseline": baseline,
        "overlap": overlap,
        "n_permutations": n_permutations,
        "n_bootstrap": n_bootstrap,
        "seed": seed,
        "placebo_radius": placebo_radius,
        "confidence": confidence,
    }
    table.attrs.update(params)
    pooled.attrs.update(params)
    return EffectStudy(table=table, pooled=pooled)


def _metric_values(series: pd.DataFrame, metric: str) -> np.ndarray:
    if metric not in series.columns:
        raise ValueError(
            f"metric {metric!r} is not a column of the series "
            f"(columns: {', '.join(map(str, series.columns))})"
        )
    index = series.index
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("the series must be indexed by day (a DatetimeIndex)")
    if index.tz is not None:
        raise ValueError("the series index must hold naive Kyiv calendar days, not tz-aware times")
    if len(index) > 1:
        steps = index[1:] - index[:-1]
        if (index != index.normalize()).any() or (steps != pd.Timedelta(days=1)).any():
            raise ValueError(
                "the series index must list every calendar day once, in order "
                "(use NaN for days without data)"
            )
    column = series[metric]
    if isinstance(column.dtype, pd.api.extensions.ExtensionDtype):
        return column.to_numpy(dtype=float, na_value=np.nan)
    return column.to_numpy(dtype=float)


class _Study:
    """Vectorised window statistics over one metric's daily values (day index 0 ... T - 1)."""

    def __init__(
        self,
        *,
        values: np.ndarray,
        origin: pd.Timestamp,
        window: int,
        baseline: str,
        placebo_radius: int | None,
        busy: pd.DataFrame,
    ) -> None:
        self.values = values
        self.n_days = len(values)
        self.origin = pd.Timestamp(origin).normalize()
        self.window = window
        self.baseline = baseline
        self.radius = placebo_radius
        valid = ~np.isnan(values)
        # Prefix sums turn every window mean into two lookups.
        self.sums = np.concatenate(([0.0], np.cumsum(np.where(valid, values, 0.0))))
        self.counts = np.concatenate(([0], np.cumsum(valid)))
        self.busy = self._busy_prefix(busy)
        self.trailing = self._trailing_medians() if baseline == "trailing-median" else None
        self._anchor_cache: dict[int, dict[str, np.ndarray]] = {}

    # ---- building blocks

    def day_index(self, days: pd.Series) -> np.ndarray:
        return ((days - self.origin) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)

    def window_means(self, first: np.ndarray, last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean over days with data in [first, last] (clipped to the series) and that count."""
        lo = np.clip(first, 0, self.n_days)
        hi = np.clip(last + 1, 0, self.n_days)
        hi = np.maximum(hi, lo)
        total = self.sums[hi] - self.sums[lo]
        count = self.counts[hi] - self.counts[lo]
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(count > 0, total / np.maximum(count, 1), np.nan)
        return mean, count

    def _busy_prefix(self, busy: pd.DataFrame) -> np.ndarray:
        """Prefix count of days within ``window`` days of any diplomatic event."""
        marks = np.zeros(self.n_days + 1, dtype=np.int64)
        if len(busy) and self.n_days:
            first = np.clip(self.day_index(busy["start"]) - self.window, 0, self.n_days)
            last = np.clip(self.day_index(busy["end"]) + self.window + 1, 0, self.n_days)
            keep = last > first
            np.add.at(marks, first[keep], 1)
            np.add.at(marks, last[keep], -1)
        is_busy = np.cumsum(marks)[: self.n_days] > 0
        return np.concatenate(([0], np.cumsum(is_busy)))

    def _trailing_medians(self) -> np.ndarray:
        """Median over [k - 59, k] for each day k (NaN with fewer than 20 days of data)."""
        rolled = pd.Series(self.values).rolling(TRAILING_DAYS, min_periods=MIN_TRAILING_VALID_DAYS)
        return rolled.median().to_numpy(dtype=float)

    def trailing_at(self, anchor: np.ndarray) -> np.ndarray:
        """Trailing median for events starting at ``anchor``: the 60 days before 'before'."""
        last = anchor - self.window - 1
        inside = (last >= 0) & (last < self.n_days)
        out = np.full(anchor.shape, np.nan)
        out[inside] = self.trailing[last[inside]]
        return out

    def anchor_stats(self, length: int) -> dict[str, np.ndarray]:
        """Window means at every possible placebo anchor for events lasting ``length`` days."""
        if length not in self._anchor_cache:
            n = self.window
            anchors = np.arange(self.n_days)
            spans = {
                "before": (anchors - n, anchors - 1),
                "during": (anchors, anchors + length - 1),
                "after": (anchors + length, anchors + length + n - 1),
            }
            stats = {w: self.window_means(*spans[w])[0] for w in WINDOWS}
            first = anchors - n
            last = anchors + length + n - 1
            inside = (first >= 0) & (last < self.n_days)
            lo = np.clip(first, 0, self.n_days)
            hi = np.clip(last + 1, 0, self.n_days)
            stats["eligible"] = inside & (self.busy[hi] - self.busy[lo] == 0)
            if self.trailing is not None:
                stats["trailing"] = self.trailing_at(anchors)
            self._anchor_cache[length] = stats
        return self._anchor_cache[length]

    # ---- the study

    def run(
        self,
        units: pd.DataFrame,
        rng: np.random.Generator,
        n_permutations: int,
        n_bootstrap: int,
        confidence: float,
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        start = self.day_index(units["start"])
        end = self.day_index(units["end"])
        length = end - start + 1
        n = self.window
        spans = {
            "before": (start - n, start - 1),
            "during": (start, end),
            "after": (end + 1, end + n),
        }
        means, counts = {}, {}
        for w in WINDOWS:
            means[w], counts[w] = self.window_means(*spans[w])
        n_missing = (2 * n + length) - sum(counts[w] for w in WINDOWS)

        pools = [self.placebo_pool(int(s), int(k)) for s, k in zip(start, length, strict=True)]
        if self.baseline == "placebo":
            base = np.array(
                [
                    _nanmean(self.anchor_stats(int(k))["before"][p])
                    for k, p in zip(length, pools, strict=True)
                ]
            )
        else:
            base = self.trailing_at(start)
        ratios = {w: _safe_ratio(means[w], base) for w in WINDOWS}

        inference = {
            w: self._placebo_inference(
                w, means[w], base, length, pools, rng, n_permutations, n_bootstrap, confidence
            )
            for w in WINDOWS
        }

        table = units[list(_UNIT_COLUMNS)].copy()
        for w in WINDOWS:
            table[f"{w}_mean"] = means[w]
        table["baseline_mean"] = base
        for w in WINDOWS:
            table[f"ratio_{w}"] = ratios[w]
        for w in WINDOWS:
            table[f"ci_low_{w}"] = inference[w]["ci_low"]
            table[f"ci_high_{w}"] = inference[w]["ci_high"]
        for w in WINDOWS:
            table[f"p_{w}"] = inference[w]["p"]
        table["n_days_missing"] = n_missing.astype(np.int64)
        table["n_placebo"] = np.array([len(p) for p in pools], dtype=np.int64)

        null_ratios = {w: inference[w]["null"] for w in WINDOWS}
        pooled = self._pooled(
            means,
            base,
            ratios,
            null_ratios,
            units["cluster"].to_numpy(),
            rng,
            n_bootstrap,
            confidence,
        )
        return table.reset_index(drop=True), pooled

    def placebo_pool(self, start: int, length: int) -> np.ndarray:
        """Anchor days usable as placebo event starts for an event at ``start``."""
        stats = self.anchor_stats(length)
        ok = stats["eligible"].copy()
        if self.radius is not None:
            anchors = np.arange(self.n_days)
            ok &= np.abs(anchors - start) <= self.radius
        if self.trailing is not None:
            ok &= np.isfinite(stats["trailing"]) & (stats["trailing"] > 0)
        return np.flatnonzero(ok)

    def _placebo_inference(
        self,
        window: str,
        observed_mean: np.ndarray,
        base: np.ndarray,
        length: np.ndarray,
        pools: list[np.ndarray],
        rng: np.random.Generator,
        n_permutations: int,
        n_bootstrap: int,
        confidence: float,
    ) -> dict[str, np.ndarray]:
        """Per-unit p-values and intervals, and the (n_permutations, n_units) placebo ratios.

        The test statistic is the window mean with a placebo baseline (fixed per unit, so
        testing the mean is testing the ratio, and it stays defined when the baseline is
        zero) and the ratio to the unit's own trailing median otherwise.
        """
        n_units = len(pools)
        out = {
            "p": np.full(n_units, np.nan),
            "ci_low": np.full(n_units, np.nan),
            "ci_high": np.full(n_units, np.nan),
            "null": np.full((n_permutations, n_units), np.nan),
        }
        alpha = 1.0 - confidence
        for i, pool in enumerate(pools):
            stats = self.anchor_stats(int(length[i]))
            placebo_means = stats[window][pool]
            if self.trailing is None:
                placebo_ratio = _safe_ratio(placebo_means, base[i])
                placebo, observed = placebo_means, observed_mean[i]
            else:
                placebo_ratio = _safe_ratio(placebo_means, stats["trailing"][pool])
                placebo, observed = placebo_ratio, _safe_ratio(observed_mean[i], base[i])
            finite = np.isfinite(placebo)
            if not finite.any() or not np.isfinite(observed):
                continue
            placebo, placebo_ratio = placebo[finite], placebo_ratio[finite]
            ratio = _safe_ratio(observed_mean[i], base[i])
            # The randomisation reference set of an event is its placebo pool plus the event
            # itself (the identity permutation). The event's p-value enumerates the pool when
            # it is no larger than n_permutations (the exact test; the +1 is the event) and
            # samples it otherwise. The pooled test samples pool-plus-event for every event:
            # leaving the event out would make it anti-conservative when pools are small.
            if placebo.size <= n_permutations:
                out["p"][i] = _two_sided_p(placebo, observed)
            else:
                sample = rng.integers(0, placebo.size, size=n_permutations)
                out["p"][i] = _two_sided_p(placebo[sample], observed)
            picks = rng.integers(0, placebo.size + 1, size=n_permutations)
            out["null"][:, i] = np.append(placebo_ratio, ratio)[picks]
            if not np.isfinite(ratio):
                continue
            # Interval: the observed ratio minus the deviation of a resampled placebo window
            # from the placebo average. Placebo windows have the event's own length and lie
            # near it, so the spread includes day-to-day correlation, which resampling the
            # few days of one window would miss.
            resampled = placebo_ratio[rng.integers(0, placebo_ratio.size, size=n_bootstrap)]
            replicates = np.maximum(ratio - (resampled - placebo_ratio.mean()), 0.0)
            out["ci_low"][i], out["ci_high"][i] = np.quantile(
                replicates, [alpha / 2, 1 - alpha / 2]
            )
        return out

    def _pooled(
        self,
        means: dict[str, np.ndarray],
        base: np.ndarray,
        ratios: dict[str, np.ndarray],
        null_ratios: dict[str, np.ndarray],
        cluster: np.ndarray,
        rng: np.random.Generator,
        n_bootstrap: int,
        confidence: float,
    ) -> pd.DataFrame:
        n_units = len(cluster)
        alpha = 1.0 - confidence
        rows = []
        for w in WINDOWS:
            null = null_ratios[w]
            used = (
                np.isfinite(ratios[w]) & np.isfinite(null).all(axis=0)
                if n_units
                else np.zeros(0, bool)
            )
            k = int(used.sum())
            row = {
                "window": w,
                "n_units": k,
                "n_clusters": len(np.unique(cluster[used])),
                "mean_window": np.nan,
                "mean_baseline": np.nan,
                "mean_ratio": np.nan,
                "ci_low": np.nan,
                "ci_high": np.nan,
                "p_value": np.nan,
            }
            if k:
                observed = ratios[w][used]
                row["mean_window"] = float(means[w][used].mean())
                row["mean_baseline"] = float(base[used].mean())
                row["mean_ratio"] = float(observed.mean())
                weights = rng.multinomial(k, np.full(k, 1.0 / k), size=n_bootstrap)
                boot = weights @ observed / k
                row["ci_low"], row["ci_high"] = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
                row["p_value"] = _two_sided_p(null[:, used].mean(axis=1), row["mean_ratio"])
            rows.append(row)
        return pd.DataFrame(rows)


def _safe_ratio(numerator: np.ndarray, denominator) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is zero or missing."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.broadcast_to(np.asarray(denominator, dtype=float), numerator.shape)
    out = np.full(numerator.shape, np.nan)
    ok = np.isfinite(numerator) & np.isfinite(denominator) & (denominator != 0)
    np.divide(numerator, denominator, out=out, where=ok)
    return out


def _nanmean(values: np.ndarray) -> float:
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else np.nan


def _two_sided_p(null: np.ndarray, observed: float) -> float:
    """Two-sided Monte Carlo p-value with the +1 correction (Phipson and Smyth 2010)."""
    n = null.size
    upper = (1 + np.count_nonzero(null >= observed)) / (n + 1)
    lower = (1 + np.count_nonzero(null <= observed)) / (n + 1)
    return float(min(1.0, 2 * min(upper, lower)))


# --------------------------------------------------------------------------- event time


def event_time_matrix(
    series: pd.DataFrame,
    events: pd.DataFrame,
    window: int = DEFAULT_WINDOW_DAYS,
    metric: str = "drones_launched",
    *,
    overlap: str = "merge",
) -> pd.DataFrame:
    """Daily ``metric`` aligned on each event's (or cluster's) first day.

    Rows are the units of :func:`event_windows` (index ``event_ids``), columns the days
    ``-window ... +window`` relative to the start; days outside the series or without data
    are NaN. For events lasting several days, days 0, 1, ... are the event's own days.
    """
    values = _metric_values(series, metric)
    units = event_windows(events, window=window, overlap=overlap)
    offsets = np.arange(-window, window + 1)
    origin = series.index[0] if len(series) else pd.Timestamp("1970-01-01")
    start = ((units["start"] - origin) // pd.Timedelta(days=1)).to_numpy(dtype=np.int64)
    days = start[:, None] + offsets[None, :]
    inside = (days >= 0) & (days < len(values))
    matrix = np.full(days.shape, np.nan)
    matrix[inside] = values[days[inside]]
    return pd.DataFrame(
        matrix,
        index=pd.Index(units["event_ids"], name="event_ids"),
        columns=pd.Index(offsets, name="day"),
    )


def event_time_profile(
    matrix: pd.DataFrame,
    *,
    n_bootstrap: int = 2000,
    seed: int = 0,
    confidence: float = 0.95,
) -> pd.DataFrame:
    """Mean across events for each event-time day, with a percentile bootstrap band.

    Events (rows of :func:`event_time_matrix`) are resampled with replacement; a day's mean
    uses the events with data that day. Columns: day, mean, ci_low, ci_high, n_events.
    """
    data = matrix.to_numpy(dtype=float)
    valid = np.isfinite(data)
    filled = np.where(valid, data, 0.0)
    n_rows = data.shape[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / valid.sum(axis=0)
    low = np.full(data.shape[1], np.nan)
    high = np.full(data.shape[1], np.nan)
    if n_rows:
        rng = np.random.default_rng(seed)
        weights = rng.multinomial(n_rows, np.full(n_rows, 1.0 / n_rows), size=n_bootstrap)
        with np.errstate(invalid="ignore", divide="ignore"):
            boot = (weights @ filled) / (weights @ valid)
        alpha = 1.0 - confidence
        has_data = valid.any(axis=0)
        if has_data.any():
            bounds = np.nanquantile(boot[:, has_data], [alpha / 2, 1 - alpha / 2], axis=0)
            low[has_data], high[has_data] = bounds
    return pd.DataFrame(
        {
            "day": matrix.columns.to_numpy(dtype=np.int64),
            "mean": mean,
            "ci_low": low,
            "ci_high": high,
            "n_events": valid.sum(axis=0).astype(np.int64),
        }
    )
