"""Synthetic events in the canonical schema, shaped like the real data, for the benchmark.

``synthetic_events(n, seed)`` returns ``(events, event_regions)`` with ``n`` events over four
years (2022-03-01 to 2026-02-28, 1,461 Kyiv days):

* **kinds**: 74 % strike rows, 25 % incident points, 1 % ``other``; plus diplomatic events
  (talks, summit, call, agreement, exchange, return, announcement) at a fixed 60 a year,
  because a diplomacy timeline does not grow with the attack data (the bundled talks table
  has about 150 rows). Every kind in :data:`oblastwatch.domain.model.EVENT_KINDS` occurs.
* **strikes** come in attack waves of 1 to 4 rows (one per weapon model, as in the Air Force
  reports), with weapon categories, models and launched/destroyed counts drawn like the
  reference data (median 3 launched, long tail). A row names 1 to 20 regions (the reference
  distribution: 61 % name one, 7 % two, ...), roles target / affected / intercepted; rows
  with no target or affected region have scope ``national``.
* **regions** are drawn with the weights of the reference dataset's target regions
  (``missile_attacks_daily.csv`` in ``../shared/reference`` when it is there, imported with
  the MMA importer) and otherwise with :data:`REFERENCE_TARGET_COUNTS`, the same counts
  taken from the 2026-03-01 snapshot. Every region gets at least weight 1, so all 27 occur.
* **incidents** are points (lat/lon near a point inside their region, role ``location``).

Deterministic for a given ``seed``. Pure numpy/pandas; nothing runs at import.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from oblastwatch.domain import model
from oblastwatch.domain.regions import REGION_CODES

FIRST_DAY = np.datetime64("2022-03-01")
N_DAYS = 1461
START_HOUR_UTC = 16  # waves start in the evening (UTC) and end the next morning

# Target-role event_regions rows per region in the MMA reference dataset (snapshot of
# 2026-03-01, 1,163 rows); regions absent there get 0 here and weight 1 below.
REFERENCE_TARGET_COUNTS: dict[str, int] = {
    "UA-51": 256, "UA-12": 185, "UA-65": 172, "UA-48": 156, "UA-63": 92, "UA-32": 64,
    "UA-23": 44, "UA-59": 39, "UA-53": 38, "UA-14": 29, "UA-68": 23, "UA-30": 16,
    "UA-74": 13, "UA-46": 9, "UA-35": 8, "UA-05": 8, "UA-07": 4, "UA-26": 2, "UA-56": 2,
    "UA-71": 2, "UA-61": 1,
}  # fmt: skip
# Regions named per strike row (reference: 905 rows name one, 109 two, ...; capped at 20).
REGIONS_PER_ROW = np.array(
    [905, 109, 87, 79, 51, 34, 37, 33, 30, 25, 19, 17, 9, 18, 9, 7, 9, 5, 3, 4], dtype=float
)
WEAPONS: tuple[tuple[str, str, float], ...] = (
    ("Shahed-136/131", "drone", 0.40),
    ("Unknown UAV", "drone", 0.10),
    ("Orlan-10", "drone", 0.08),
    ("Lancet", "drone", 0.06),
    ("Iskander-M", "ballistic missile", 0.09),
    ("KN-23", "ballistic missile", 0.03),
    ("X-101/X-555", "cruise missile", 0.08),
    ("Kalibr", "cruise missile", 0.06),
    ("X-59/X-69", "guided missile", 0.05),
    ("missiles", "unknown", 0.03),
    ("Decoy", "other", 0.02),
)
DIPLOMATIC_PER_YEAR = 60
DIPLOMATIC = (
    ("talks", 0.30, "Russia;Ukraine;Turkey", "bilateral", "Istanbul"),
    ("summit", 0.10, "US;Russia", "bilateral", "Anchorage"),
    ("call", 0.25, "US;Ukraine", "bilateral", ""),
    ("agreement", 0.05, "US;Ukraine", "bilateral", "Washington"),
    ("exchange", 0.15, "Russia;Ukraine;UAE", "bilateral", ""),
    ("return", 0.05, "Russia;Ukraine;Qatar", "bilateral", ""),
    ("announcement", 0.10, "US;Russia;Ukraine", "trilateral", "Abu Dhabi"),
)


def region_weights(reference_dir: Path | None = None) -> tuple[np.ndarray, str]:
    """Per-region weights (order of REGION_CODES, sum 1) and where they came from."""
    counts = dict.fromkeys(REGION_CODES, 0)
    origin = "fixed table REFERENCE_TARGET_COUNTS (2026-03-01 snapshot)"
    csv_path = (reference_dir or Path()) / "massive-missile-attacks/missile_attacks_daily.csv"
    if reference_dir is not None and csv_path.is_file():
        from oblastwatch.importers import import_file

        regions = import_file(csv_path, fmt="mma").event_regions
        targets = regions.loc[regions["role"] == "target", "region_code"].value_counts()
        counts.update({str(k): int(v) for k, v in targets.items() if k in counts})
        origin = f"target regions of {csv_path} ({int(targets.sum())} rows)"
    else:
        counts.update(REFERENCE_TARGET_COUNTS)
    weights = np.array([max(counts[c], 1) for c in REGION_CODES], dtype=float)
    return weights / weights.sum(), origin


def synthetic_events(
    n: int, *, seed: int = 0, weights: np.ndarray | None = None, source: str = "synthetic"
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` attack/incident events plus the year's diplomatic events (see module doc)."""
    rng = np.random.default_rng(seed)
    if weights is None:
        weights, _ = region_weights(None)
    n_diplomatic = DIPLOMATIC_PER_YEAR * N_DAYS // 365
    n_other = max(n // 100, 1)
    n_incident = n // 4
    n_strike = max(n - n_other - n_incident, 1)

    strikes, strike_regions = _strikes(rng, n_strike, weights)
    incidents, incident_regions = _incidents(rng, n_incident, weights)
    others = _others(rng, n_other)
    diplomatic = _diplomatic(rng, n_diplomatic)
    parts = [strikes, incidents, others, diplomatic]
    offsets = np.cumsum([0] + [len(p) for p in parts])
    events = pd.concat(parts, ignore_index=True)
    total = len(events)
    ids = pd.array([f"{source}:{i}" for i in range(total)], dtype="string")
    events["event_id"] = ids
    events["source"] = source
    events["source_row"] = np.arange(total)
    wave = events["wave_id"].to_numpy(dtype=float)  # NaN on rows that are no strike
    events["wave_id"] = pd.array(
        [f"{source}:w{int(w)}" if w == w else None for w in wave], dtype="string"
    )
    regions = pd.concat(
        [
            strike_regions.assign(event_id=ids[offsets[0] + strike_regions.pop("row")]),
            incident_regions.assign(event_id=ids[offsets[1] + incident_regions.pop("row")]),
        ],
        ignore_index=True,
    )
    events = model.conform_events(events)
    event_regions = model.conform_event_regions(regions[["event_id", "region_code", "role"]])
    return events, event_regions


def _days(rng: np.random.Generator, n: int) -> np.ndarray:
    # More attacks later in the war: day weights rise linearly to 3x.
    p = np.linspace(1.0, 3.0, N_DAYS)
    return rng.choice(N_DAYS, size=n, p=p / p.sum())


def _instants(day: np.ndarray, hour_offset: np.ndarray) -> pd.Series:
    base = (FIRST_DAY + day.astype("timedelta64[D]")).astype("datetime64[ns]")
    values = base + (hour_offset * 3600).astype("timedelta64[s]")
    return pd.Series(values).dt.tz_localize("UTC")


def _strikes(
    rng: np.random.Generator, n: int, weights: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows_per_wave = rng.integers(1, 5, size=n)  # 1..4 weapon rows per wave
    wave = np.repeat(np.arange(n), rows_per_wave)[:n]
    wave_day = _days(rng, int(wave[-1]) + 1)
    day = wave_day[wave] - 1  # the wave starts the evening before its Kyiv day
    weapon = rng.choice(len(WEAPONS), size=n, p=[w[2] for w in WEAPONS])
    launched = np.round(rng.lognormal(1.2, 1.4, size=n)) + 1
    destroyed = np.floor(launched * rng.uniform(0.5, 1.0, size=n))
    launched[rng.random(n) < 0.01] = np.nan  # a few rows give no count
    frame = pd.DataFrame(
        {
            "kind": "strike",
            "start": _instants(day, START_HOUR_UTC + rng.integers(0, 4, size=n)),
            "end": _instants(day, 24 + 3 + rng.integers(0, 5, size=n)),
            "date": (FIRST_DAY + (day + 1).astype("timedelta64[D]")).astype("datetime64[ns]"),
            "title": pd.NA,
            "weapon_model": np.array([w[0] for w in WEAPONS])[weapon],
            "weapon_category": np.array([w[1] for w in WEAPONS])[weapon],
            "launched": launched,
            "destroyed": destroyed,
            "source_url": "https://example.org/air-force/post",
            "wave_id": wave.astype(float),
        }
    )
    n_named = (
        rng.choice(len(REGIONS_PER_ROW), size=n, p=REGIONS_PER_ROW / REGIONS_PER_ROW.sum()) + 1
    )
    none = rng.random(n) < 0.10  # national-scope rows name no region
    n_named[none] = 0
    row = np.repeat(np.arange(n), n_named)
    code = rng.choice(len(REGION_CODES), size=len(row), p=weights)
    role = rng.choice(3, size=len(row), p=[0.35, 0.25, 0.40])  # target, affected, intercepted
    regions = pd.DataFrame({"row": row, "code": code, "role": role}).drop_duplicates(
        ["row", "code"]
    )
    hit = np.zeros(n, dtype=bool)
    hit[regions.loc[regions["role"] < 2, "row"].to_numpy()] = True
    frame["scope"] = np.where(hit, "regions", "national")
    frame["place_text"] = np.where(hit, "regions named by the Air Force", "Ukraine")
    return frame, _region_frame(regions)


def _region_frame(regions: pd.DataFrame) -> pd.DataFrame:
    codes = np.array(REGION_CODES)
    roles = np.array(model.ROLES)
    return pd.DataFrame(
        {
            "row": regions["row"].to_numpy(),
            "region_code": codes[regions["code"].to_numpy()],
            "role": roles[regions["role"].to_numpy()],
        }
    )


def _anchor_points() -> tuple[np.ndarray, np.ndarray]:
    """A point inside every region (order of REGION_CODES)."""
    from oblastwatch.domain import geo

    boundaries = geo.load_boundaries().set_index("code").loc[list(REGION_CODES)]
    points = boundaries.geometry.representative_point()
    return points.y.to_numpy(), points.x.to_numpy()


def _incidents(
    rng: np.random.Generator, n: int, weights: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    region = rng.choice(len(REGION_CODES), size=n, p=weights)
    day = _days(rng, n)
    lat0, lon0 = _anchor_points()
    frame = pd.DataFrame(
        {
            "kind": "incident",
            "date": (FIRST_DAY + day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "title": "Damage reported",
            "killed": rng.poisson(0.3, size=n).astype(float),
            "injured": rng.poisson(1.0, size=n).astype(float),
            "scope": "regions",
            "place_text": np.array(REGION_CODES)[region],
            "lat": np.round(lat0[region] + rng.uniform(-0.03, 0.03, size=n), 5),
            "lon": np.round(lon0[region] + rng.uniform(-0.03, 0.03, size=n), 5),
            "source_url": "https://example.org/incident",
        }
    )
    regions = pd.DataFrame({"row": np.arange(n), "code": region, "role": 3})
    return frame, _region_frame(regions)


def _others(rng: np.random.Generator, n: int) -> pd.DataFrame:
    day = _days(rng, n)
    return pd.DataFrame(
        {
            "kind": "other",
            "date": (FIRST_DAY + day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "title": "Air raid alert",
            "scope": "national",
        }
    )


def _diplomatic(rng: np.random.Generator, n: int) -> pd.DataFrame:
    pick = rng.choice(len(DIPLOMATIC), size=n, p=[d[1] for d in DIPLOMATIC])
    day = np.sort(rng.integers(0, N_DAYS - 2, size=n))
    length = np.where(np.array([DIPLOMATIC[i][0] for i in pick]) == "talks", 1, 0)
    table = np.array([d[:1] + d[2:] for d in DIPLOMATIC], dtype=object)[pick]
    return pd.DataFrame(
        {
            "kind": table[:, 0],
            "start": _instants(day, np.full(n, 8)),
            "end": _instants(day + length, np.full(n, 15)),
            "date": (FIRST_DAY + day.astype("timedelta64[D]")).astype("datetime64[ns]"),
            "title": [f"Synthetic {kind} {i}" for i, kind in enumerate(table[:, 0])],
            "description": "Synthetic diplomatic event for the benchmark.",
            "scope": "outside",
            "source_url": "https://example.org/diplomacy",
            "parties": table[:, 1],
            "format": table[:, 2],
            "venue": [v or pd.NA for v in table[:, 3]],
        }
    )
