"""The "Talks vs attacks" page's cached results and its controls.

The event study lives in :mod:`oblastwatch.study`; its inputs are chosen by
:mod:`oblastwatch.study.inputs`, the same rules the CLI follows (one strike source at a time,
what a day without rows means, the diplomatic events of every loaded dataset). This module
caches the results per data version (:func:`oblastwatch.ui.data.data_fingerprint`) and draws
the controls. Control values are kept under plain session keys that no widget owns
(:data:`oblastwatch.ui.state.EFFECT_PARAMS`), so they survive a trip to the timeline and back.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from oblastwatch.domain import rules
from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.i18n import N_
from oblastwatch.present import vocabulary
from oblastwatch.present.effect_figures import metric_label
from oblastwatch.present.effect_tables import EFFECT_TABLE_COLUMNS, POOLED_TABLE_COLUMNS
from oblastwatch.study import inputs, settings
from oblastwatch.study.events import study_span
from oblastwatch.study.run import StudyResult, run_study
from oblastwatch.study.series import prepared_series
from oblastwatch.study.settings import DEFAULT_SETTINGS, EventSelection, StudyRequest
from oblastwatch.ui import data, filters, state
from oblastwatch.ui.language import t

TIMELINE_PAGE = "pages/timeline.py"
# The controls start at the study's default settings.
DEFAULTS = DEFAULT_SETTINGS

BASELINE_LABELS = {
    "placebo": N_("Placebo dates: same-length windows near the event, away from any talks"),
    "trailing-median": N_("Trailing median: the 60 days before the 'before' window"),
}
OVERLAP_LABELS = {
    "merge": N_("Merge events whose windows overlap into one"),
    "exclude": N_("Leave out events whose windows overlap another's"),
    "keep": N_("Keep every event (windows may share days)"),
}
ABSENT_LABELS = {
    inputs.AUTO: N_("Automatic (by source and measure, as the note under the tables says)"),
    "missing": N_("Missing (unknown)"),
    "zero": N_("Zero (the source reports every day)"),
}


@dataclass(frozen=True)
class EventChoices:
    """What the event filters can offer: kinds, formats and parties present in the data."""

    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    parties: tuple[str, ...]


# --- cached data -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _strike_sources(fingerprint: data.Fingerprint) -> tuple[inputs.StrikeSource, ...]:
    return inputs.strike_sources(data.dataset_at(fingerprint))


def strike_sources() -> tuple[inputs.StrikeSource, ...]:
    """Loaded datasets with strike events; the first is the default choice."""
    return _strike_sources(data.data_fingerprint())


@st.cache_data(show_spinner=False, max_entries=4)
def _event_choices(fingerprint: data.Fingerprint) -> EventChoices:
    diplomatic = inputs.diplomatic_events(data.dataset_at(fingerprint))
    kinds = tuple(k for k in DIPLOMATIC_KINDS if k in set(diplomatic["kind"].dropna()))
    formats = diplomatic["format"].dropna().astype(str).str.strip().str.lower()
    # Each party once, under its name in the party table ("United States" is offered as US).
    parties = Counter(
        name for value in diplomatic["parties"].dropna() for name in rules.party_names(value)
    )
    return EventChoices(
        kinds=kinds,
        formats=tuple(sorted(set(formats) - {""})),
        parties=tuple(name for name, _ in parties.most_common()),
    )


def event_choices() -> EventChoices:
    """Kinds, formats and parties of the loaded diplomatic events (parties by frequency)."""
    return _event_choices(data.data_fingerprint())


@st.cache_data(show_spinner=False, max_entries=8)
def _series(fingerprint: data.Fingerprint, source: str, absent_days: str) -> pd.DataFrame:
    # The prepared index is already in memory (or on disk) for the map and the timeline.
    series = prepared_series(data.prepared_events(), source=source, absent_days=absent_days)
    by_name = {s.name: s for s in _strike_sources(fingerprint)}
    return inputs.without_known_gaps(series, by_name[source])


@st.cache_data(show_spinner=False, max_entries=32)
def _study(fingerprint: data.Fingerprint, request: StudyRequest) -> StudyResult:
    series = _series(fingerprint, request.source, request.absent_days)
    return run_study(series, data.dataset_at(fingerprint).events, request)


def study_result(request: StudyRequest) -> StudyResult:
    """The event study for ``request`` on the loaded data (cached per data version).

    Raises ``ValueError`` with a one-line message when the inputs cannot be studied.
    """
    # The spinner's text is in the reader's language (a cached function's own is fixed).
    with st.spinner(t().gettext("Running the event study…")):
        return _study(data.data_fingerprint(), request)


# --- controls --------------------------------------------------------------------------------


def _persisted(name: str, default: Any, valid: Any = None) -> str:
    """Seed widget ``name`` from the saved value (or ``default``); return its key."""
    ss = st.session_state
    saved = ss.setdefault(state.EFFECT_PARAMS, {})
    key = state.EFFECT_WIDGETS[name]
    if key not in ss:
        value = saved.get(name, default)
        if valid is not None and not valid(value):
            value = default
        ss[key] = value
    return key


def _save(name: str, value: Any) -> Any:
    st.session_state[state.EFFECT_PARAMS][name] = value
    return value


def rule_sentence(request: StudyRequest, result: StudyResult) -> str:
    """Which metric and absent-day rule ``result`` used, and why: the CLI's line, translated."""
    by_name = {s.name: s for s in strike_sources()}
    return t().message(
        inputs.rule_message(
            by_name[request.source],
            request.settings.metric,
            request.absent_days,
            result.series_first,
            result.series_last,
        )
    )


def study_controls(sources: tuple[inputs.StrikeSource, ...], choices: EventChoices) -> StudyRequest:
    """Draw the study's controls and return what they select.

    Untouched, they select :func:`oblastwatch.study.inputs.default_request`, what the CLI runs
    without options: the measure starts at the default source's default metric
    (:func:`oblastwatch.study.inputs.default_metric`) and stays as chosen when the source
    changes; "Automatic" absent days follow the source and the measure.
    """
    names = [s.name for s in sources]
    by_name = {s.name: s for s in sources}
    tr = t()
    _ = tr.gettext
    kinds_named = vocabulary.kind_labels(tr)

    def subset_of(options):
        return lambda value: isinstance(value, list) and set(value) <= set(options)

    top = st.columns([2, 2, 3])
    window = top[0].slider(
        _("Days before and after (N)"),
        settings.MIN_WINDOW_DAYS,
        settings.MAX_WINDOW_DAYS,
        key=_persisted("window", DEFAULTS.window),
        help=_(
            "The 'before' window is the N days before an event's first day, 'after' the N "
            "days after its last day; 'during' is the event's own days."
        ),
    )
    metric = top[1].selectbox(
        _("Daily measure"),
        settings.METRICS,
        format_func=lambda metric: metric_label(metric, tr),
        key=_persisted(
            "metric", inputs.default_metric(sources[0]), lambda v: v in settings.METRICS
        ),
    )
    source = top[2].selectbox(
        _("Strike data"),
        names,
        format_func=lambda name: tr.message(by_name[name].label_message),
        key=_persisted("source", names[0], lambda v: v in names),
        help=_(
            "One dataset at a time: the bundled list and an imported Air Force dataset "
            "describe the same attack waves, so adding them would count waves twice."
        ),
    )
    middle = st.columns(3)
    kinds = middle[0].multiselect(
        _("Diplomatic kinds"),
        choices.kinds,
        format_func=lambda kind: vocabulary.label_of(kinds_named, kind),
        key=_persisted(
            "kinds",
            [k for k in settings.DEFAULT_KINDS if k in choices.kinds],
            subset_of(choices.kinds),
        ),
        placeholder=_("All diplomatic kinds"),
    )
    formats = middle[1].multiselect(
        _("Formats"),
        choices.formats,
        key=_persisted("formats", [], subset_of(choices.formats)),
        placeholder=_("All formats"),
    )
    parties = middle[2].multiselect(
        _("Parties (every one listed took part)"),
        choices.parties,
        key=_persisted("parties", [], subset_of(choices.parties)),
        placeholder=_("Any parties"),
    )
    bottom = st.columns([3, 3, 3, 1])
    baseline = bottom[0].selectbox(
        _("Baseline"),
        settings.BASELINES,
        format_func=lambda key: _(BASELINE_LABELS[key]),
        key=_persisted("baseline", DEFAULTS.baseline, lambda v: v in settings.BASELINES),
    )
    overlap = bottom[1].selectbox(
        _("Events close together"),
        settings.OVERLAP_POLICIES,
        format_func=lambda key: _(OVERLAP_LABELS[key]),
        key=_persisted("overlap", DEFAULTS.overlap, lambda v: v in settings.OVERLAP_POLICIES),
    )
    absent = bottom[2].selectbox(
        _("Days without strike rows"),
        tuple(ABSENT_LABELS),
        format_func=lambda key: _(ABSENT_LABELS[key]),
        key=_persisted("absent_days", inputs.AUTO, lambda v: v in ABSENT_LABELS),
    )
    seed = bottom[3].number_input(
        _("Seed"),
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=_persisted("seed", DEFAULTS.seed, lambda v: isinstance(v, int) and v >= 0),
        help=_(
            "Seed of the permutation test and the bootstrap: the same seed gives the same table."
        ),
    )
    for name, value in (
        ("window", window),
        ("metric", metric),
        ("source", source),
        ("kinds", list(kinds)),
        ("formats", list(formats)),
        ("parties", list(parties)),
        ("baseline", baseline),
        ("overlap", overlap),
        ("absent_days", absent),
        ("seed", int(seed)),
    ):
        _save(name, value)
    return StudyRequest(
        source=source,
        absent_days=inputs.absent_days_for(by_name[source], metric, absent),
        selection=EventSelection(
            kinds=tuple(kinds), formats=tuple(formats), parties=tuple(parties)
        ),
        settings=replace(
            DEFAULTS,
            window=int(window),
            metric=metric,
            baseline=baseline,
            overlap=overlap,
            seed=int(seed),
        ),
    )


# --- clicking an event -----------------------------------------------------------------------


def selected_row(event: Any) -> int | None:
    """The row position picked in a single-row ``st.dataframe`` selection, or ``None``.

    Works for the widget's return value and for a plain dict injected by AppTest.
    """
    if not event:
        return None
    selection = event.get("selection") if hasattr(event, "get") else event["selection"]
    if not selection:
        return None
    rows = selection.get("rows") if hasattr(selection, "get") else selection["rows"]
    return int(rows[0]) if rows else None


def open_on_timeline(first_day: date, last_day: date, window: int) -> None:
    """Set the shared range to the event's study window (within the data), open the timeline.

    Does not return (``st.switch_page``).
    """
    options = data.filter_options()
    rng = filters.clamp_range(options, study_span(first_day, last_day, window))
    st.session_state[state.SELECTION] = None
    st.session_state.pop(state.BASE_RANGE, None)
    filters.set_date_range(rng)
    st.switch_page(TIMELINE_PAGE)


# --- table display ---------------------------------------------------------------------------


def event_column_config() -> dict[str, Any]:
    """Headers and number formats of :func:`oblastwatch.present.effect_tables.effect_table`."""
    _ = t().gettext
    headers = {key: _(label) for key, label in EFFECT_TABLE_COLUMNS.items()}
    config: dict[str, Any] = {key: st.column_config.Column(label) for key, label in headers.items()}
    config["first_day"] = st.column_config.DateColumn(headers["first_day"], format="YYYY-MM-DD")
    config["last_day"] = st.column_config.DateColumn(headers["last_day"], format="YYYY-MM-DD")
    config["n_events"] = st.column_config.NumberColumn(headers["n_events"], format="%d")
    config["n_days_missing"] = st.column_config.NumberColumn(headers["n_days_missing"], format="%d")
    for key in ("before_mean", "during_mean", "after_mean", "baseline_mean"):
        config[key] = st.column_config.NumberColumn(headers[key], format="%.1f")
    for window in settings.WINDOWS:
        config[f"ratio_{window}"] = st.column_config.NumberColumn(
            headers[f"ratio_{window}"], format="%.2f"
        )
        config[f"p_{window}"] = st.column_config.NumberColumn(headers[f"p_{window}"], format="%.3f")
    return config


def pooled_column_config() -> dict[str, Any]:
    """Headers and number formats of :func:`oblastwatch.present.effect_tables.pooled_table`."""
    _ = t().gettext
    headers = {key: _(label) for key, label in POOLED_TABLE_COLUMNS.items()}
    config: dict[str, Any] = {key: st.column_config.Column(label) for key, label in headers.items()}
    config["n_units"] = st.column_config.NumberColumn(headers["n_units"], format="%d")
    for key in ("mean_window", "mean_baseline"):
        config[key] = st.column_config.NumberColumn(headers[key], format="%.1f")
    config["mean_ratio"] = st.column_config.NumberColumn(headers["mean_ratio"], format="%.2f")
    config["p_value"] = st.column_config.NumberColumn(headers["p_value"], format="%.3f")
    return config
