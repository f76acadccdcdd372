"""Small tables with known answers, shared by the tests of ``oblastwatch.query``.

:func:`hand_built_tables` is read by eye: seven strikes, two incidents and two diplomatic events
in February 2026, whose answers the tests state. :func:`random_tables` feeds the comparisons
of the prepared fast paths with plain pandas references.
"""

from __future__ import annotations

from datetime import date

import numpy as np
import pandas as pd

from oblastwatch.domain.model import conform_event_regions, conform_events
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.query.filters import Filters

XSS = "<img src=x onerror=alert(1)>"
FEB = Filters(date(2026, 2, 1), date(2026, 2, 28))


def strike_row(event_id, day, category, launched, wave, *, destroyed=None, model=None, **extra):
    """One ``events`` row of kind strike; ``extra`` sets ``source``, ``scope`` or any column."""
    return {
        "event_id": event_id,
        "source": extra.pop("source", "mma"),
        "kind": "strike",
        "date": pd.Timestamp(day),
        "weapon_category": category,
        "weapon_model": model,
        "launched": launched,
        "destroyed": destroyed,
        "scope": extra.pop("scope", "regions"),
        "wave_id": wave,
        "source_url": f"https://example.org/{event_id}",
        **extra,
    }


def _kyiv_midnight(day: str) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize("Europe/Kyiv").tz_convert("UTC")


def hand_built_tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(events, event_regions)`` of February 2026 with answers the tests know."""
    rows = [
        strike_row("s1", "2026-02-10", "drone", 100.0, "W1", destroyed=90.0, model="Shahed"),
        strike_row("s2", "2026-02-10", "cruise missile", 10.0, "W1", destroyed=8.0, model="Kh-101"),
        strike_row("s3", "2026-02-12", "drone", 50.0, "W2", model="Shahed"),
        strike_row("s5", "2026-02-14", "drone", None, "W3", model="Shahed"),
        strike_row("n1", "2026-02-11", "drone", 30.0, "W4", scope="national", model="Shahed"),
        strike_row("m1", "2026-02-13", "other", 20.0, "W5", scope="macro-region", model="Orlan"),
        strike_row(
            "o1",
            "2026-02-13",
            "unknown",
            4.0,
            "W6",
            scope="outside",
            model="missiles (all types)",
            source="curated",
        ),
        {
            "event_id": "i1",
            "source": "acled",
            "kind": "incident",
            "date": pd.Timestamp("2026-02-11"),
            "scope": "regions",
            "title": "Shelling",
        },
        {
            "event_id": "i2",
            "source": "acled",
            "kind": "incident",
            "date": pd.Timestamp("2026-02-15"),
            "scope": "regions",
        },
        {
            "event_id": "t1",
            "source": "talks",
            "kind": "talks",
            "date": pd.Timestamp("2026-02-17"),
            "start": _kyiv_midnight("2026-02-17"),
            "end": _kyiv_midnight("2026-02-19"),  # exclusive: the round ends on the 18th
            "scope": "abroad",
            "parties": "US;Russia;Ukraine",
            "venue": "Geneva, Switzerland",
            "title": "Geneva: trilateral talks",
            "description": f"Summary {XSS}. Outcome: none.",
            "source_url": "https://example.org/t1",
        },
        {
            "event_id": "t2",
            "source": "talks",
            "kind": "call",
            "date": pd.Timestamp("2026-02-25"),
            "scope": "national",
            "parties": "United States;Ukraine",
        },
    ]
    events = conform_events(pd.DataFrame(rows))
    regions = conform_event_regions(
        pd.DataFrame(
            [
                ("s1", "UA-30", "target"),
                ("s1", "UA-32", "affected"),
                ("s1", "UA-51", "intercepted"),
                ("s2", "UA-30", "target"),
                ("s2", "UA-30", "affected"),
                ("s3", "UA-32", "target"),
                ("s3", "UA-51", "intercepted"),
                ("s5", "UA-63", "target"),
                ("i1", "UA-51", "location"),
                ("i2", "UA-51", "location"),
            ],
            columns=["event_id", "region_code", "role"],
        )
    )
    return events, regions


def random_tables(seed: int, n: int = 400) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``n`` random events over 60 days in six regions, with every role."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2026-01-01", periods=60)
    kinds = rng.choice(["strike", "incident", "talks"], n, p=[0.7, 0.2, 0.1])
    strike = kinds == "strike"
    events = conform_events(
        pd.DataFrame(
            {
                "event_id": [f"e{i}" for i in range(n)],
                "source": rng.choice(["a", "b"], n),
                "kind": kinds,
                "date": days[rng.integers(0, len(days), n)],
                "weapon_category": np.where(strike, rng.choice(["drone", "other"], n), None),
                "launched": np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 50, n)),
                "scope": "regions",
                # waves spanning several days too, to exercise the distinct counting
                "wave_id": np.where(rng.random(n) < 0.1, None, [f"w{i % 90}" for i in range(n)]),
            }
        )
    )
    pairs = pd.DataFrame(
        {
            "event_id": events["event_id"].to_numpy()[rng.integers(0, n, 3 * n)],
            "region_code": rng.choice(REGION_CODES[:6], 3 * n),
            "role": rng.choice(["target", "affected", "intercepted", "location"], 3 * n),
        }
    ).drop_duplicates(ignore_index=True)
    return events, conform_event_regions(pairs)


def shuffled(events: pd.DataFrame, regions: pd.DataFrame, seed: int):
    """The same tables in another row order, with an index that is not 0..n-1."""
    events = events.sample(frac=1.0, random_state=seed)
    events.index = events.index * 7 + 100
    return events, regions.sample(frac=1.0, random_state=seed + 1)


def region_values(series: pd.Series) -> dict[str, float]:
    """Non-NaN values of a region series."""
    return {code: value for code, value in series.items() if not np.isnan(value)}
