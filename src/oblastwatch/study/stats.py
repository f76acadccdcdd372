"""The small statistics the event study shares.

Ratios that stay undefined on a zero baseline, a mean over finite values, and the two-sided
Monte Carlo p-value.
"""

from __future__ import annotations

import numpy as np


def safe_ratio(numerator: np.ndarray, denominator) -> np.ndarray:
    """Numerator / denominator, NaN where the denominator is zero or missing."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.broadcast_to(np.asarray(denominator, dtype=float), numerator.shape)
    out = np.full(numerator.shape, np.nan)
    ok = np.isfinite(numerator) & np.isfinite(denominator) & (denominator != 0)
    np.divide(numerator, denominator, out=out, where=ok)
    return out


def nanmean(values: np.ndarray) -> float:
    """The mean of the finite ``values``; NaN when there are none (and no warning)."""
    finite = values[np.isfinite(values)]
    return float(finite.mean()) if finite.size else np.nan


def two_sided_p(null: np.ndarray, observed: float) -> float:
    """Two-sided Monte Carlo p-value with the +1 correction (Phipson and Smyth 2010)."""
    n = null.size
    upper = (1 + np.count_nonzero(null >= observed)) / (n + 1)
    lower = (1 + np.count_nonzero(null <= observed)) / (n + 1)
    return float(min(1.0, 2 * min(upper, lower)))
