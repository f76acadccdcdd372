"""The engine of the event study: window means, placebo dates, tests, intervals.

Window means over one metric's daily values, placebo dates, per-event randomisation tests and
intervals, and the pooled test.

Window means come from prefix sums (two lookups each), and the statistics of every possible
placebo anchor are computed once per event length, so 100 events x 2,000 permutations take a
fraction of a second. ``docs/talks-effect.md`` explains the method.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from oblastwatch.study.events import UNIT_COLUMNS
from oblastwatch.study.settings import (
    MIN_TRAILING_VALID_DAYS,
    TRAILING_DAYS,
    WINDOWS,
    StudySettings,
)
from oblastwatch.study.stats import nanmean, safe_ratio, two_sided_p


class PlaceboStudy:
    """Vectorised window statistics over one metric's daily values (day index 0 ... T - 1)."""

    def __init__(
        self,
        *,
        values: np.ndarray,
        origin: pd.Timestamp,
        settings: StudySettings,
        busy: pd.DataFrame,
    ) -> None:
        self.values = values
        self.n_days = len(values)
        self.origin = pd.Timestamp(origin).normalize()
        self.settings = settings
        self.window = settings.window
        self.baseline = settings.baseline
        self.radius = settings.placebo_radius
        valid = ~np.isnan(values)
        # Prefix sums turn every window mean into two lookups.
        self.sums = np.concatenate(([0.0], np.cumsum(np.where(valid, values, 0.0))))
        self.counts = np.concatenate(([0], np.cumsum(valid)))
        self.busy = self._busy_prefix(busy)
        self.trailing = self._trailing_medians() if self.baseline == "trailing-median" else None
        self._anchor_cache: dict[int, dict[str, np.ndarray]] = {}

    # ---- building blocks

    def day_index(self, days: pd.Series) -> np.ndarray:
        """The day index (0 = ``origin``, the series' first day) of each of ``days``, as int64."""
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
        if self.trailing is None:
            raise ValueError("trailing medians exist only for the trailing-median baseline")
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
    ) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The per-unit table and the pooled table for ``units``.

        ``units`` are those of :func:`oblastwatch.study.events.event_windows`; every draw is
        taken from ``rng``.
        """
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
                    nanmean(self.anchor_stats(int(k))["before"][p])
                    for k, p in zip(length, pools, strict=True)
                ]
            )
        else:
            base = self.trailing_at(start)
        ratios = {w: safe_ratio(means[w], base) for w in WINDOWS}

        inference = {
            w: self._placebo_inference(w, means[w], base, length, pools, rng) for w in WINDOWS
        }

        table = units[list(UNIT_COLUMNS)].copy()
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
    ) -> dict[str, np.ndarray]:
        """Per-unit p-values and intervals, and the (n_permutations, n_units) placebo ratios.

        The test statistic is the window mean with a placebo baseline (fixed per unit, so
        testing the mean is testing the ratio, and it stays defined when the baseline is
        zero) and the ratio to the unit's own trailing median otherwise.
        """
        n_permutations = self.settings.n_permutations
        n_bootstrap = self.settings.n_bootstrap
        n_units = len(pools)
        out = {
            "p": np.full(n_units, np.nan),
            "ci_low": np.full(n_units, np.nan),
            "ci_high": np.full(n_units, np.nan),
            "null": np.full((n_permutations, n_units), np.nan),
        }
        alpha = 1.0 - self.settings.confidence
        for i, pool in enumerate(pools):
            stats = self.anchor_stats(int(length[i]))
            placebo_means = stats[window][pool]
            if self.trailing is None:
                placebo_ratio = safe_ratio(placebo_means, base[i])
                placebo, observed = placebo_means, observed_mean[i]
            else:
                placebo_ratio = safe_ratio(placebo_means, stats["trailing"][pool])
                placebo, observed = placebo_ratio, safe_ratio(observed_mean[i], base[i])
            finite = np.isfinite(placebo)
            if not finite.any() or not np.isfinite(observed):
                continue
            placebo, placebo_ratio = placebo[finite], placebo_ratio[finite]
            ratio = safe_ratio(observed_mean[i], base[i])
            # The randomisation reference set of an event is its placebo pool plus the event
            # itself (the identity permutation). The event's p-value enumerates the pool when
            # it is no larger than n_permutations (the exact test; the +1 is the event) and
            # samples it otherwise. The pooled test samples pool-plus-event for every event:
            # leaving the event out would make it anti-conservative when pools are small.
            if placebo.size <= n_permutations:
                out["p"][i] = two_sided_p(placebo, observed)
            else:
                sample = rng.integers(0, placebo.size, size=n_permutations)
                out["p"][i] = two_sided_p(placebo[sample], observed)
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
    ) -> pd.DataFrame:
        n_bootstrap = self.settings.n_bootstrap
        n_units = len(cluster)
        alpha = 1.0 - self.settings.confidence
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
                mean_ratio = float(observed.mean())
                row["mean_ratio"] = mean_ratio
                weights = rng.multinomial(k, np.full(k, 1.0 / k), size=n_bootstrap)
                boot = weights @ observed / k
                row["ci_low"], row["ci_high"] = np.quantile(boot, [alpha / 2, 1 - alpha / 2])
                row["p_value"] = two_sided_p(null[:, used].mean(axis=1), mean_ratio)
            rows.append(row)
        return pd.DataFrame(rows)
