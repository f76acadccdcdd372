"""The "Talks vs attacks" and "Compare periods" pages' cached results and their controls.

The event study itself lives in :mod:`oblastwatch.study.analysis`; this module picks its inputs from
the loaded data, caches the results per data version (:func:`oblastwatch.ui.data.data_fingerprint`)
and draws the controls. Control values are kept under plain session keys that no widget owns,
so they survive a trip to the timeline and back.

Strike data: one source at a time. The curated strikes bundled with the app and an imported
Air Force dataset describe the same waves, so adding them up would count a wave twice (the
CLI makes the same choice). Days without strike rows are *missing* for the bundled curated
list (it skips days on purpose) and *zero* for an imported dataset (the Air Force reports
daily), unless the user says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from oblastwatch.domain.model import DIPLOMATIC_KINDS
from oblastwatch.present import maps
from oblastwatch.present.figures_effect import (
    EFFECT_TABLE_COLUMNS,
    POOLED_TABLE_COLUMNS,
    WINDOW_NAMES,
    metric_label,
    week_before_and_of,
    zoom_range,
)
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS, region_metric
from oblastwatch.storage import store
from oblastwatch.study import analysis
from oblastwatch.ui import data, filters, mapview, state, talks

TIMELINE_PAGE = "pages/timeline.py"
DEFAULT_KINDS = ("talks",)
AUTO = "auto"

# Canonical values of this page's controls (survive page switches) and their widget keys.
PARAMS = "ow_effect_params"
WIDGETS = {
    "window": "effect_window_input",
    "metric": "effect_metric_input",
    "source": "effect_source_input",
    "kinds": "effect_kinds_input",
    "formats": "effect_formats_input",
    "parties": "effect_parties_input",
    "baseline": "effect_baseline_input",
    "overlap": "effect_overlap_input",
    "absent_days": "effect_absent_days_input",
    "seed": "effect_seed_input",
}
TABLE = "effect_events_table"  # st.dataframe selection

BASELINE_LABELS = {
    "placebo": "Placebo dates: same-length windows near the event, away from any talks",
    "trailing-median": "Trailing median: the 60 days before the 'before' window",
}
OVERLAP_LABELS = {
    "merge": "Merge events whose windows overlap into one",
    "exclude": "Leave out events whose windows overlap another's",
    "keep": "Keep every event (windows may share days)",
}
ABSENT_LABELS = {
    AUTO: "Automatic (missing for the bundled list, zero for an imported dataset)",
    "missing": "Missing (unknown)",
    "zero": "Zero (the source reports every day)",
}


@dataclass(frozen=True)
class StrikeSource:
    """A loaded dataset that holds strike events."""

    name: str
    imported: bool
    strike_rows: int

    @property
    def absent_days(self) -> str:
        return "zero" if self.imported else "missing"

    @property
    def label(self) -> str:
        origin = "imported" if self.imported else "bundled"
        return f"{self.name} ({origin}, {self.strike_rows:,} strike rows)"


@dataclass(frozen=True)
class EventChoices:
    """What the event filters can offer: kinds, formats and parties present in the data."""

    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    parties: tuple[str, ...]


@dataclass(frozen=True)
class StudyRequest:
    """Every input of one run of the event study (hashable: the cache key)."""

    source: str
    absent_days: str
    kinds: tuple[str, ...]
    formats: tuple[str, ...]
    parties: tuple[str, ...]
    window: int
    metric: str
    baseline: str
    overlap: str
    seed: int


@dataclass(frozen=True)
class StudyResult:
    """The study's tables for the page: per event, pooled, aligned matrix and its profile."""

    table: pd.DataFrame
    pooled: pd.DataFrame
    matrix: pd.DataFrame
    profile: pd.DataFrame
    n_selected: int
    series_first: date | None
    series_last: date | None
    days_with_data: int
    n_days: int


# --- cached data -----------------------------------------------------------------------------


@st.cache_data(show_spinner=False, max_entries=4)
def _strike_sources(fingerprint: data.Fingerprint) -> tuple[StrikeSource, ...]:
    dataset = data._dataset(fingerprint)
    events = dataset.events
    counts = events.loc[events["kind"].eq("strike").fillna(False), "source"].value_counts()
    imported = set(dataset.sources.loc[dataset.sources["kind"] == store.IMPORTED, "name"])
    found = [StrikeSource(str(name), name in imported, int(n)) for name, n in counts.items()]
    # Imported datasets first (the CLI's choice with --data), larger first.
    return tuple(sorted(found, key=lambda s: (not s.imported, -s.strike_rows, s.name)))


def strike_sources() -> tuple[StrikeSource, ...]:
    """Loaded datasets with strike events; the first is the default choice."""
    return _strike_sources(data.data_fingerprint())


@st.cache_data(show_spinner=False, max_entries=4)
def _event_choices(fingerprint: data.Fingerprint) -> EventChoices:
    events = data._dataset(fingerprint).events
    diplomatic = events.loc[events["kind"].isin(DIPLOMATIC_KINDS).fillna(False).to_numpy(bool)]
    kinds = tuple(k for k in DIPLOMATIC_KINDS if k in set(diplomatic["kind"].dropna()))
    formats = diplomatic["format"].dropna().astype(str).str.strip().str.lower()
    parties = diplomatic["parties"].dropna().astype(str).str.split(";").explode().str.strip()
    parties = parties[parties != ""]
    return EventChoices(
        kinds=kinds,
        formats=tuple(sorted(set(formats) - {""})),
        parties=tuple(parties.value_counts().index.astype(str)),
    )


def event_choices() -> EventChoices:
    """Kinds, formats and parties of the loaded diplomatic events (parties by frequency)."""
    return _event_choices(data.data_fingerprint())


@st.cache_data(show_spinner=False, max_entries=8)
def _series(fingerprint: data.Fingerprint, source: str, absent_days: str) -> pd.DataFrame:
    dataset = data._dataset(fingerprint)
    events = dataset.events
    strikes = events.loc[(events["source"] == source).fillna(False).to_numpy(bool)]
    regions = dataset.event_regions
    regions = regions.loc[regions["event_id"].isin(strikes["event_id"])]
    return analysis.daily_series(strikes, regions, absent_days=absent_days)


@st.cache_data(show_spinner="Running the event study…", max_entries=32)
def _study(fingerprint: data.Fingerprint, request: StudyRequest) -> StudyResult:
    series = _series(fingerprint, request.source, request.absent_days)
    selected = analysis.select_events(
        data._dataset(fingerprint).events,
        kinds=request.kinds or None,
        formats=request.formats or None,
        parties=request.parties or None,
    )
    study = analysis.event_study(
        series,
        selected,
        window=request.window,
        metric=request.metric,
        baseline=request.baseline,
        overlap=request.overlap,
        seed=request.seed,
    )
    matrix = analysis.event_time_matrix(
        series, selected, request.window, request.metric, overlap=request.overlap
    )
    profile = analysis.event_time_profile(matrix, seed=request.seed)
    return StudyResult(
        table=study.table,
        pooled=study.pooled,
        matrix=matrix,
        profile=profile,
        n_selected=len(selected),
        series_first=series.index[0].date() if len(series) else None,
        series_last=series.index[-1].date() if len(series) else None,
        days_with_data=int(series[request.metric].notna().sum()),
        n_days=len(series),
    )


def run_study(request: StudyRequest) -> StudyResult:
    """The event study for ``request`` on the loaded data (cached per data version).

    Raises ``ValueError`` with a one-line message when the inputs cannot be studied.
    """
    return _study(data.data_fingerprint(), request)


# --- controls --------------------------------------------------------------------------------


def _persisted(name: str, default: Any, valid: Any = None) -> str:
    """Seed widget ``name`` from the saved value (or ``default``); return its key."""
    ss = st.session_state
    saved = ss.setdefault(PARAMS, {})
    key = WIDGETS[name]
    if key not in ss:
        value = saved.get(name, default)
        if valid is not None and not valid(value):
            value = default
        ss[key] = value
    return key


def _save(name: str, value: Any) -> Any:
    st.session_state[PARAMS][name] = value
    return value


def study_controls(sources: tuple[StrikeSource, ...], choices: EventChoices) -> StudyRequest:
    """Draw the study's controls and return what they select."""
    names = [s.name for s in sources]
    by_name = {s.name: s for s in sources}

    def subset_of(options):
        return lambda value: isinstance(value, list) and set(value) <= set(options)

    top = st.columns([2, 2, 3])
    window = top[0].slider(
        "Days before and after (N)",
        analysis.MIN_WINDOW_DAYS,
        analysis.MAX_WINDOW_DAYS,
        key=_persisted("window", analysis.DEFAULT_WINDOW_DAYS),
        help="The 'before' window is the N days before an event's first day, 'after' the N "
        "days after its last day; 'during' is the event's own days.",
    )
    metric = top[1].selectbox(
        "Daily measure",
        analysis.METRICS,
        format_func=metric_label,
        key=_persisted("metric", analysis.METRICS[0], lambda v: v in analysis.METRICS),
    )
    source = top[2].selectbox(
        "Strike data",
        names,
        format_func=lambda name: by_name[name].label,
        key=_persisted("source", names[0], lambda v: v in names),
        help="One dataset at a time: the bundled list and an imported Air Force dataset "
        "describe the same attack waves, so adding them would count waves twice.",
    )
    middle = st.columns(3)
    kinds = middle[0].multiselect(
        "Diplomatic kinds",
        choices.kinds,
        key=_persisted(
            "kinds", [k for k in DEFAULT_KINDS if k in choices.kinds], subset_of(choices.kinds)
        ),
        placeholder="All diplomatic kinds",
    )
    formats = middle[1].multiselect(
        "Formats",
        choices.formats,
        key=_persisted("formats", [], subset_of(choices.formats)),
        placeholder="All formats",
    )
    parties = middle[2].multiselect(
        "Parties (every one listed took part)",
        choices.parties,
        key=_persisted("parties", [], subset_of(choices.parties)),
        placeholder="Any parties",
    )
    bottom = st.columns([3, 3, 3, 1])
    baseline = bottom[0].selectbox(
        "Baseline",
        analysis.BASELINES,
        format_func=BASELINE_LABELS.get,
        key=_persisted("baseline", analysis.BASELINES[0], lambda v: v in analysis.BASELINES),
    )
    overlap = bottom[1].selectbox(
        "Events close together",
        analysis.OVERLAP_POLICIES,
        format_func=OVERLAP_LABELS.get,
        key=_persisted(
            "overlap", analysis.OVERLAP_POLICIES[0], lambda v: v in analysis.OVERLAP_POLICIES
        ),
    )
    absent = bottom[2].selectbox(
        "Days without strike rows",
        tuple(ABSENT_LABELS),
        format_func=ABSENT_LABELS.get,
        key=_persisted("absent_days", AUTO, lambda v: v in ABSENT_LABELS),
    )
    seed = bottom[3].number_input(
        "Seed",
        min_value=0,
        max_value=2**31 - 1,
        step=1,
        key=_persisted("seed", 0, lambda v: isinstance(v, int) and v >= 0),
        help="Seed of the permutation test and the bootstrap: the same seed gives the same table.",
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
        absent_days=by_name[source].absent_days if absent == AUTO else absent,
        kinds=tuple(kinds),
        formats=tuple(formats),
        parties=tuple(parties),
        window=int(window),
        metric=metric,
        baseline=baseline,
        overlap=overlap,
        seed=int(seed),
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
    """Set the shared range to the event's study window (within the data) and open the
    timeline there. Does not return (``st.switch_page``)."""
    options = data.filter_options()
    rng = filters.clamp_range(options, zoom_range(first_day, last_day, window))
    st.session_state[state.SELECTION] = None
    st.session_state.pop(state.BASE_RANGE, None)
    filters.set_date_range(rng)
    st.switch_page(TIMELINE_PAGE)


# --- table display ---------------------------------------------------------------------------


def event_column_config() -> dict[str, Any]:
    """Headers and number formats of :func:`oblastwatch.present.figures_effect.effect_table`."""
    config: dict[str, Any] = {
        key: st.column_config.Column(label) for key, label in EFFECT_TABLE_COLUMNS.items()
    }
    config["first_day"] = st.column_config.DateColumn("From", format="YYYY-MM-DD")
    config["last_day"] = st.column_config.DateColumn("To", format="YYYY-MM-DD")
    config["n_events"] = st.column_config.NumberColumn("Events", format="%d")
    config["n_days_missing"] = st.column_config.NumberColumn("Days without data", format="%d")
    for key in ("before_mean", "during_mean", "after_mean", "baseline_mean"):
        config[key] = st.column_config.NumberColumn(EFFECT_TABLE_COLUMNS[key], format="%.1f")
    for window in WINDOW_NAMES:
        config[f"ratio_{window}"] = st.column_config.NumberColumn(
            EFFECT_TABLE_COLUMNS[f"ratio_{window}"], format="%.2f"
        )
        config[f"p_{window}"] = st.column_config.NumberColumn(
            EFFECT_TABLE_COLUMNS[f"p_{window}"], format="%.3f"
        )
    return config


def pooled_column_config() -> dict[str, Any]:
    """Headers and number formats of :func:`oblastwatch.present.figures_effect.pooled_table`."""
    config: dict[str, Any] = {
        key: st.column_config.Column(label) for key, label in POOLED_TABLE_COLUMNS.items()
    }
    config["n_units"] = st.column_config.NumberColumn(POOLED_TABLE_COLUMNS["n_units"], format="%d")
    for key in ("mean_window", "mean_baseline"):
        config[key] = st.column_config.NumberColumn(POOLED_TABLE_COLUMNS[key], format="%.1f")
    config["mean_ratio"] = st.column_config.NumberColumn("Mean ratio", format="%.2f")
    config["p_value"] = st.column_config.NumberColumn("p-value", format="%.3f")
    return config


# --- Compare periods -------------------------------------------------------------------------

COMPARE_PARAMS = "ow_compare_params"
COMPARE_WIDGETS = {
    "preset": "compare_preset_input",
    "period_a": "compare_period_a_input",
    "period_b": "compare_period_b_input",
    "view": "compare_view_input",
}
CUSTOM = "custom"
PRESET_KINDS = ("talks", "summit")
VIEWS = {"side": "Side by side", "difference": "Difference (B minus A)"}
MAP_HEIGHT = 460


@dataclass(frozen=True)
class Periods:
    """Two inclusive date ranges to compare and how to name them."""

    a: tuple[date, date]
    b: tuple[date, date]
    label_a: str
    label_b: str


def _compare_widget(name: str, default: Any, valid: Any = None) -> str:
    ss = st.session_state
    saved = ss.setdefault(COMPARE_PARAMS, {})
    key = COMPARE_WIDGETS[name]
    if key not in ss:
        value = saved.get(name, default)
        ss[key] = value if valid is None or valid(value) else default
    return key


def _rounds_newest_first() -> list[str]:
    """Ids of the loaded talks rounds and summits, newest first."""
    table = data.prepared_events().diplomatic
    rounds = table.loc[table["kind"].isin(PRESET_KINDS).fillna(False).to_numpy(bool)]
    rounds = rounds.sort_values(["first_day", "event_id"], ascending=False, kind="stable")
    return [str(i) for i in rounds["event_id"]]


def _preceding(rng: tuple[date, date], first_day: date) -> tuple[date, date]:
    """The range of the same length just before ``rng`` (not before ``first_day``)."""
    length = rng[1] - rng[0]
    end = max(rng[0] - timedelta(days=1), first_day)
    return max(end - length, first_day), end


def _range_input(label: str, name: str, default: tuple[date, date], options) -> tuple[date, date]:
    def within(value: Any) -> bool:
        return (
            isinstance(value, tuple | list)
            and len(value) == 2
            and options.first_day <= value[0] <= value[1] <= options.last_day
        )

    picked = st.date_input(
        label,
        key=_compare_widget(name, default, within),
        min_value=options.first_day,
        max_value=options.last_day,
        format="YYYY-MM-DD",
    )
    saved = st.session_state[COMPARE_PARAMS]
    # While only the first day of a new range is picked the widget returns a 1-tuple.
    if isinstance(picked, tuple | list) and len(picked) == 2:
        saved[name] = (picked[0], picked[1])
    return tuple(saved.get(name, default))


def period_controls(options: data.FilterOptions) -> Periods:
    """A talks-round preset (the week before it against the week of it) or two date ranges."""
    ids = _rounds_newest_first()
    choices = [CUSTOM, *ids]

    def describe(value: str) -> str:
        if value == CUSTOM:
            return "Two date ranges of my choice"
        found = talks.talk_window(value)
        return f"Week before vs week of: {found[1]}" if found else value

    preset = st.selectbox(
        "Compare",
        choices,
        format_func=describe,
        key=_compare_widget("preset", CUSTOM, lambda v: v in choices),
        help="Pick a round of talks or a summit to compare the 7 days before its first day "
        "with its first day and the 6 days after.",
    )
    st.session_state[COMPARE_PARAMS]["preset"] = preset
    found = talks.talk_window(preset) if preset != CUSTOM else None
    if found is not None:
        (first, _last), _label = found
        a, b = week_before_and_of(first)
        return Periods(a, b, f"Week before ({a[0]} to {a[1]})", f"Week of ({b[0]} to {b[1]})")
    shared = st.session_state[state.DATE_RANGE]
    left, right = st.columns(2)
    with left:
        a = _range_input("Period A", "period_a", _preceding(shared, options.first_day), options)
    with right:
        b = _range_input("Period B", "period_b", tuple(shared), options)
    return Periods(a, b, f"A ({a[0]} to {a[1]})", f"B ({b[0]} to {b[1]})")


def view_selector() -> str:
    """Side-by-side maps or one difference map; returns a key of :data:`VIEWS`."""
    view = st.radio(
        "Show",
        tuple(VIEWS),
        format_func=VIEWS.get,
        horizontal=True,
        key=_compare_widget("view", "side", lambda v: v in VIEWS),
    )
    st.session_state[COMPARE_PARAMS]["view"] = view
    return view


def region_values(base: Filters, rng: tuple[date, date], metric: str) -> pd.Series:
    """The choropleth values of ``metric`` over ``rng`` with the sidebar's other filters."""
    period = replace(base, start=rng[0], end=rng[1], region=None)
    return region_metric(data.prepared_events(), period, metric)


def side_by_side_maps(a: pd.Series, b: pd.Series, metric: str, periods: Periods) -> None:
    """Two choropleths on one colour scale, and the legend they share."""
    info = METRICS[metric]
    both = pd.concat([a, b], ignore_index=True)
    edges = list(maps.classify(both).upper_edges) or None
    boundaries = data.load_boundaries()
    for column, values, label, key in zip(
        st.columns(2),
        (a, b),
        (periods.label_a, periods.label_b),
        ("compare_map_a", "compare_map_b"),
        strict=True,
    ):
        with column:
            st.markdown(f"**{label}**")
            figure = maps.choropleth_map(
                values, boundaries, metric_label=info.label, unit=info.unit, bins=edges
            )
            st_folium(
                figure,
                key=key,
                height=MAP_HEIGHT,
                use_container_width=True,
                returned_objects=[],
            )
    legend = maps.legend_bins(both, edges)
    # Labels are escaped and colours validated by legend_markdown.
    st.markdown(mapview.legend_markdown(legend, info.unit), unsafe_allow_html=True)


def comparison_column_config(periods: Periods, unit: str) -> dict[str, Any]:
    """Headers of :func:`oblastwatch.present.figures_effect.period_comparison` for ``st.dataframe``."""
    return {
        "region_code": st.column_config.TextColumn("Code"),
        "region": st.column_config.TextColumn("Region"),
        "period_a": st.column_config.NumberColumn(f"{periods.label_a}, {unit}", format="%.0f"),
        "period_b": st.column_config.NumberColumn(f"{periods.label_b}, {unit}", format="%.0f"),
        "difference": st.column_config.NumberColumn("B minus A", format="%+.0f"),
    }
