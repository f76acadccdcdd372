"""Weapons launched and destroyed, by category and model, over the filtered strikes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.domain.model import WEAPON_CATEGORIES
from oblastwatch.query.codes import region_index
from oblastwatch.query.filters import Filters, strike_mask
from oblastwatch.query.index import PreparedEvents


def weapons_breakdown(
    prepared: PreparedEvents, filters: Filters, region: str | None = None
) -> pd.DataFrame:
    """Launched and destroyed per weapon category and model over the filtered strike events.

    With ``region``, only strike events that hit it (target or affected; full counts).
    Columns: ``weapon_category``, ``weapon_model`` (blank shown as ``"not given"``),
    ``launched``, ``destroyed`` (NaN when no row gives the count), ``events``, ``waves``;
    sorted by launched, largest first.
    """
    p = prepared
    columns = ["weapon_category", "weapon_model", "launched", "destroyed", "events", "waves"]
    selected = strike_mask(p, filters)
    if selected is None:
        return pd.DataFrame({c: [] for c in columns})
    lo, hi, mask = selected
    s = p.strikes
    keep = np.ones(hi - lo, dtype=bool) if mask is None else mask.copy()
    if region is not None:
        r = region_index(region)
        a, b = s.hit_indptr[lo], s.hit_indptr[hi]
        hit = np.zeros(hi - lo, dtype=bool)
        hit[s.hit_idx[a:b][s.hit_region[a:b] == r] - lo] = True
        keep &= hit
    rows = lo + np.flatnonzero(keep)
    # Group on integer codes first: one pass over the rows, strings only per group.
    weapon_codes, model_levels = pd.factorize(
        p.input_events["weapon_model"]
        .iloc[p.order[s.pos[rows]]]
        .astype("string")
        .fillna("not given")
    )
    frame = pd.DataFrame(
        {
            "weapon": s.weapon[rows],
            "model": weapon_codes,
            "launched": s.launched[rows],
            "destroyed": s.destroyed[rows],
            "wave": s.wave[rows],
        }
    )
    grouped = frame.groupby(["weapon", "model"], sort=False)
    out = pd.DataFrame(
        {
            "launched": grouped["launched"].sum(min_count=1),
            "destroyed": grouped["destroyed"].sum(min_count=1),
            "events": grouped["wave"].size(),
            "waves": grouped["wave"].nunique(),
        }
    ).reset_index()
    categories = np.array([*WEAPON_CATEGORIES, "not given"], dtype=object)
    out.insert(0, "weapon_category", categories[out.pop("weapon").to_numpy()])
    out.insert(1, "weapon_model", np.asarray(model_levels, dtype=object)[out.pop("model")])
    out = out.sort_values(
        ["launched", "events", "weapon_model"], ascending=[False, False, True], na_position="last"
    )
    return out[columns].reset_index(drop=True)
