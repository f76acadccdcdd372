"""Questions asked of the loaded events. Uses domain and storage.

The index (:mod:`~oblastwatch.query.index`, built by :mod:`~oblastwatch.query.build` with the
per-day tables of :mod:`~oblastwatch.query.rollups`, on disk via
:mod:`~oblastwatch.query.index_cache`); the shared :mod:`~oblastwatch.query.filters`; what the
data covers (:mod:`~oblastwatch.query.coverage`); region metrics
(:mod:`~oblastwatch.query.metrics`); daily and weekly :mod:`~oblastwatch.query.series`; the
:mod:`~oblastwatch.query.weapons` breakdown; event :mod:`~oblastwatch.query.rows`; and
:mod:`~oblastwatch.query.diplomacy`.
"""
