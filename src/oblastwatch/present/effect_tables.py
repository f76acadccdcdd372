"""The event study's tables as the Talks vs attacks page shows them (no Streamlit).

Inputs are the per-event table of :func:`oblastwatch.study.effects.talks_effect` (one row per
event or cluster) and the pooled table of :func:`oblastwatch.study.effects.pooled_effect`.
Values stay unformatted numbers, NaN where undefined (a missing day is never shown as zero);
intervals become text. Text columns stay plain text: ``st.dataframe`` never parses them as
HTML.
"""

from __future__ import annotations

import math

import pandas as pd

from oblastwatch.i18n import N_
from oblastwatch.study.settings import WINDOWS

# Columns of :func:`effect_table`, in display order, with their headers.
EFFECT_TABLE_COLUMNS: dict[str, str] = {
    "first_day": N_("From"),
    "last_day": N_("To"),
    "title": N_("Event"),
    "n_events": N_("Events"),
    "venue": N_("Venue"),
    "format": N_("Format"),
    "parties": N_("Parties"),
    "before_mean": N_("Before (mean/day)"),
    "during_mean": N_("During (mean/day)"),
    "after_mean": N_("After (mean/day)"),
    "baseline_mean": N_("Baseline (mean/day)"),
    "ratio_before": N_("Ratio before"),
    "interval_before": N_("Interval before"),
    "p_before": N_("p before"),
    "ratio_during": N_("Ratio during"),
    "interval_during": N_("Interval during"),
    "p_during": N_("p during"),
    "ratio_after": N_("Ratio after"),
    "interval_after": N_("Interval after"),
    "p_after": N_("p after"),
    "n_days_missing": N_("Days without data"),
    "event_ids": N_("Event ids"),
}


def _interval(low: float, high: float) -> str | None:
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    return f"{low:.2f}–{high:.2f}"


def effect_table(table: pd.DataFrame) -> pd.DataFrame:
    """The per-event table of :func:`~oblastwatch.study.effects.talks_effect` for display.

    One row per event or cluster, newest first, with the columns of
    :data:`EFFECT_TABLE_COLUMNS` (keys): ``first_day``/``last_day`` as dates, each window's
    interval as text ``"low–high"`` (``None`` when it is undefined). Values stay unformatted
    numbers otherwise, NaN where undefined; the text columns are plain text (``st.dataframe``
    never parses them as HTML).
    """
    out = pd.DataFrame(index=table.index)
    out["first_day"] = pd.to_datetime(table["start"]).dt.date
    out["last_day"] = pd.to_datetime(table["end"]).dt.date
    for column in ("title", "n_events", "venue", "format", "parties"):
        out[column] = table[column]
    out["parties"] = out["parties"].astype("string").str.replace(";", ", ", regex=False)
    for column in ("before_mean", "during_mean", "after_mean", "baseline_mean"):
        out[column] = table[column].astype("float64")
    for window in WINDOWS:
        out[f"ratio_{window}"] = table[f"ratio_{window}"].astype("float64")
        out[f"interval_{window}"] = pd.array(
            [
                _interval(lo, hi)
                for lo, hi in zip(
                    table[f"ci_low_{window}"].astype("float64"),
                    table[f"ci_high_{window}"].astype("float64"),
                    strict=True,
                )
            ],
            dtype="string",
        )
        out[f"p_{window}"] = table[f"p_{window}"].astype("float64")
    out["n_days_missing"] = table["n_days_missing"]
    out["event_ids"] = table["event_ids"]
    out = out.iloc[::-1]
    return out[list(EFFECT_TABLE_COLUMNS)].reset_index(drop=True)


POOLED_TABLE_COLUMNS: dict[str, str] = {
    "window": N_("Window"),
    "n_units": N_("Events with a ratio"),
    "mean_window": N_("Mean/day in window"),
    "mean_baseline": N_("Mean/day baseline"),
    "mean_ratio": N_("Mean ratio"),
    "interval": N_("Interval"),
    "p_value": N_("p-value"),
}


def pooled_table(pooled: pd.DataFrame) -> pd.DataFrame:
    """The pooled summary of :func:`~oblastwatch.study.effects.pooled_effect` for display.

    One row per window with the interval as text; columns :data:`POOLED_TABLE_COLUMNS` (keys).
    """
    out = pooled[["window", "n_units", "mean_window", "mean_baseline", "mean_ratio"]].copy()
    out["interval"] = pd.array(
        [
            _interval(lo, hi)
            for lo, hi in zip(
                pooled["ci_low"].astype("float64"), pooled["ci_high"].astype("float64"), strict=True
            )
        ],
        dtype="string",
    )
    out["p_value"] = pooled["p_value"].astype("float64")
    return out[list(POOLED_TABLE_COLUMNS)].reset_index(drop=True)
