"""Region metrics: the choropleth's value per region, and what the map cannot show.

* **Counts are never divided.** Launched/destroyed counts live on the event; every region a
  strike event names gets the event's full count. Summing a metric over regions therefore
  does not give the national total.
* **Missing versus zero.** In :func:`region_metric` a region is ``NaN`` ("no reports") when no
  filtered event of the kind the metric counts names it in any role, and ``0`` when such
  events name it but none counts (e.g. only interceptions over it).
* Both ignore ``Filters.region``: the map shows every region and highlights the selected one.
* **Alert hours** come from the air-raid alerts, not the events: hours under alert summed over
  the Kyiv days in range (:mod:`oblastwatch.query.alert_hours`); NaN where no day in range has
  data for the region. The kind, weapon and source filters do not apply to them.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from oblastwatch.domain.model import DIPLOMATIC_KINDS, NOT_ON_MAP_SCOPES, SCOPES
from oblastwatch.domain.regions import REGION_CODES
from oblastwatch.i18n import N_
from oblastwatch.query.codes import INCIDENT, KIND_CODE, N_REGIONS, day_number
from oblastwatch.query.filters import (
    Filters,
    date_slice,
    event_mask,
    kinds_ok,
    sources_ok,
    strike_mask,
)
from oblastwatch.query.index import PreparedEvents
from oblastwatch.query.rollups import range_sum, span_rows

# Metrics whose missing value means the source has no data for the region (alert hours:
# regions under a permanent alert, or not in the files), not that nothing was reported.
NO_DATA_METRICS = frozenset({"alert_hours"})


class MetricInfo(NamedTuple):
    """How a metric is named in legends (``label``, ``unit``) and explained (``description``).

    Marked for the catalogue; ``present.vocabulary.metric_info`` gives them in a language.
    """

    label: str
    unit: str
    description: str


METRICS: dict[str, MetricInfo] = {
    "waves": MetricInfo(
        N_("Attack waves"),
        N_("waves"),
        N_(
            "Distinct attack waves (one Air Force report, or one curated strike) with at least "
            "one weapon reported to have targeted or affected the region. Weapons only shot "
            "down over the region (intercepted) do not count as a hit."
        ),
    ),
    "days": MetricInfo(
        N_("Days with strikes"),
        N_("days"),
        N_(
            "Distinct days (Kyiv date the attack wave ended) with at least one strike that "
            "targeted or affected the region."
        ),
    ),
    "weapons": MetricInfo(
        N_("Weapons reported"),
        N_("weapons launched"),
        N_(
            "Weapons reported launched in the waves that named the region as targeted or "
            "affected. Counts are never divided across regions: each region named gets the full "
            "count of the wave rows it was named in, so regions do not add up to the national "
            "total. Empty where those waves give no count."
        ),
    ),
    "incidents": MetricInfo(
        N_("Incidents"),
        N_("incidents"),
        N_(
            "Incident reports (geolocated events such as ACLED rows or civilian-harm records) "
            "located in the region."
        ),
    ),
    "alert_hours": MetricInfo(
        N_("Alert hours"),
        N_("hours under alert"),
        N_(
            "Hours with an air-raid alert anywhere in the region, summed over the Kyiv days in "
            "range. Overlapping alerts (the oblast and several of its raions at once) count once. "
            "Empty where the alert files hold no data for the region (Crimea, Sevastopol, "
            "Luhansk under a permanent alert since April 2022) or no alerts are loaded. Kind, "
            "weapon and source filters do not apply."
        ),
    ),
}


# Metrics shown as they are, never per resident or per km² (oblastwatch.query.rates divides
# every other metric, so a count added to METRICS gets both denominators). "days" counts
# calendar days, capped by the range, not things that grow with a region's residents or
# area: per 100,000 residents it would rank small regions high for the same days.
RAW_ONLY_METRICS = frozenset({"days"})


def region_metric(prepared: PreparedEvents, filters: Filters, metric: str = "waves") -> pd.Series:
    """The choropleth value of every region (index: all 27 codes; NaN = no reports).

    ``metric`` is a key of :data:`METRICS`. ``filters.region`` is ignored (see module doc).
    """
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}; expected one of {', '.join(METRICS)}")
    if metric == "incidents":
        values, reported = _incident_metric(prepared, filters)
    elif metric == "alert_hours":
        values, reported = _alert_metric(prepared, filters)
    else:
        values, reported = _strike_metric(prepared, filters, metric)
    values[~reported] = np.nan
    return pd.Series(values, index=pd.Index(REGION_CODES, name="region_code"), name=metric)


def _strike_metric(
    p: PreparedEvents, filters: Filters, metric: str
) -> tuple[np.ndarray, np.ndarray]:
    selected = strike_mask(p, filters)
    if selected is None:  # strikes filtered out: no reports anywhere
        return np.zeros(N_REGIONS), np.zeros(N_REGIONS, dtype=bool)
    lo, hi, mask = selected
    s = p.strikes
    a, b = s.hit_indptr[lo], s.hit_indptr[hi]
    if mask is None:
        # Fast path: pre-aggregated running sums, and distinct waves from each hit row's
        # previous row of the same (wave, region): a pair counts once, at its first row in
        # the slice.
        i, j = span_rows(p, filters)
        reported = range_sum(p, "strike_named", i, j) > 0
        values: np.ndarray
        if metric == "waves":
            first = s.hit_prev[a:b] < a
            values = np.bincount(s.hit_region[a:b][first], minlength=N_REGIONS)
        elif metric == "days":
            values = range_sum(p, "hit_days", i, j)
        else:
            values = range_sum(p, "launched", i, j)
            uncounted = (range_sum(p, "hits", i, j) > 0) & (range_sum(p, "hits_counted", i, j) == 0)
            values = np.where(uncounted, np.nan, values)
        return values.astype(np.float64), reported

    na, nb = s.named_indptr[lo], s.named_indptr[hi]
    named_mask = np.repeat(mask, np.diff(s.named_indptr[lo : hi + 1]))
    reported = np.bincount(s.named_region[na:nb][named_mask], minlength=N_REGIONS) > 0
    keep = mask[s.hit_idx[a:b] - lo]
    regions = s.hit_region[a:b][keep]
    if metric == "waves":
        seen = np.zeros(len(s.wave_region_region), dtype=bool)
        seen[s.hit_wave_region[a:b][keep]] = True
        values = np.bincount(s.wave_region_region[seen], minlength=N_REGIONS)
    elif metric == "days":
        days = s.day[s.hit_idx[a:b][keep]]
        if len(days):
            base = int(days.min())
            span = int(days.max()) - base + 1
            key = (days - base).astype(np.intp) * N_REGIONS + regions
            pairs = np.bincount(key, minlength=span * N_REGIONS).reshape(span, N_REGIONS) > 0
            values = pairs.sum(axis=0)
        else:
            values = np.zeros(N_REGIONS)
    else:
        launched = s.hit_launched[a:b][keep]
        counted = ~np.isnan(launched)
        # (bincount gives integers when no row has a count, and NaN cannot go into those)
        values = np.bincount(
            regions[counted], weights=launched[counted], minlength=N_REGIONS
        ).astype(np.float64)
        hit = np.bincount(regions, minlength=N_REGIONS) > 0
        with_count = np.bincount(regions[counted], minlength=N_REGIONS) > 0
        values[hit & ~with_count] = np.nan
    return values.astype(np.float64), reported


def _incident_metric(p: PreparedEvents, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
    if not kinds_ok(filters)[INCIDENT]:
        return np.zeros(N_REGIONS), np.zeros(N_REGIONS, dtype=bool)
    sources = sources_ok(p, filters)
    if sources is None:
        i, j = span_rows(p, filters)
        reported = range_sum(p, "incident_named", i, j) > 0
        return range_sum(p, "incidents", i, j), reported
    lo, hi = date_slice(p.incident_day, filters)
    mask = sources[p.source[p.incident_pos[lo:hi]]]
    na, nb = p.inc_named_indptr[lo], p.inc_named_indptr[hi]
    named_mask = np.repeat(mask, np.diff(p.inc_named_indptr[lo : hi + 1]))
    reported = np.bincount(p.inc_named_region[na:nb][named_mask], minlength=N_REGIONS) > 0
    a, b = p.loc_indptr[lo], p.loc_indptr[hi]
    regions = p.loc_region[a:b][mask[p.loc_idx[a:b] - lo]]
    return np.bincount(regions, minlength=N_REGIONS).astype(np.float64), reported


def alert_day_rows(p: PreparedEvents, filters: Filters) -> tuple[int, int]:
    """The rows of ``p.alert_hours`` that fall in the filters' date range."""
    first = p.alert_first_day
    n_days = len(p.alert_hours)
    i = min(max(day_number(filters.start) - first, 0), n_days)
    j = min(max(day_number(filters.end) - first + 1, 0), n_days)
    return i, max(i, j)


def _alert_metric(p: PreparedEvents, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
    i, j = alert_day_rows(p, filters)
    rows = p.alert_hours[i:j]
    known = ~np.isnan(rows)
    return np.where(known, rows, 0.0).sum(axis=0), known.any(axis=0)


def not_on_map_summary(prepared: PreparedEvents, filters: Filters) -> dict[str, int]:
    """How many filtered non-diplomatic events in range have a scope the map cannot show.

    Keys: ``national``, ``macro-region``, ``outside``, ``abroad`` (always present). Diplomatic
    events are left out: they are never meant to be on the choropleth. ``filters.region`` is
    ignored.
    """
    wanted = [SCOPES.index(scope) for scope in NOT_ON_MAP_SCOPES]
    counted_kinds = kinds_ok(filters).copy()
    counted_kinds[[KIND_CODE[k] for k in DIPLOMATIC_KINDS]] = False
    if not filters.weapon_categories and not filters.sources:
        i, j = span_rows(prepared, filters)
        table = range_sum(prepared, "kind_scope", i, j)  # (kinds, scopes)
        counts = table[counted_kinds].sum(axis=0)
    else:
        lo, hi, mask = event_mask(prepared, filters, use_region=False)
        keep = counted_kinds[prepared.kind[lo:hi]]
        if mask is not None:
            keep &= mask
        counts = np.bincount(prepared.scope[lo:hi][keep], minlength=len(SCOPES))
    return {scope: int(counts[k]) for scope, k in zip(NOT_ON_MAP_SCOPES, wanted, strict=True)}
