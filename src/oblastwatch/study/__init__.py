"""The talks-vs-attacks event study, one concern per module.

``settings`` (what a run is asked), ``inputs`` (which strike source and what its silent days
mean, for the CLI and the page alike), ``series`` (the daily series, from the query layer's
daily engine), ``events`` (the selected events and their windows), ``placebo`` and ``stats``
(the engine and its statistics), ``effects`` (per-event and pooled tables), ``event_time`` (the
aligned series) and ``run`` (one run for a request). Uses domain, storage and query.
"""
