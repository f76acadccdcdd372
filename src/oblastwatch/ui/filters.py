"""The shared sidebar filters: date range with presets, event kinds, weapon categories, sources.

The frame (app.py) draws them once per run; pages read the result with :func:`current_filters`.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from oblastwatch.domain.denominators import RAW
from oblastwatch.i18n import N_
from oblastwatch.present import vocabulary
from oblastwatch.present.url_params import escape_markdown
from oblastwatch.query.coverage import latest_days
from oblastwatch.query.filters import Filters
from oblastwatch.query.metrics import METRICS
from oblastwatch.ui import state
from oblastwatch.ui.data import FilterOptions
from oblastwatch.ui.language import t

# Button label -> days (None: all of the data).
PRESETS: dict[str, int | None] = {N_("7d"): 7, N_("30d"): 30, N_("90d"): 90, N_("All"): None}
DEFAULT_PRESET_DAYS = 30


def preset_range(options: FilterOptions, days: int | None) -> tuple[date, date]:
    """The last ``days`` days of the loaded data (all of it for ``None``), within its span."""
    return latest_days(options.first_day, options.last_day, days)


def default_range(options: FilterOptions) -> tuple[date, date]:
    """The latest 30 days of the loaded data."""
    return preset_range(options, DEFAULT_PRESET_DAYS)


def clamp_range(options: FilterOptions, rng: tuple[date, date]) -> tuple[date, date]:
    """``rng`` moved inside the loaded data's span (the default range if it lies outside)."""
    start, end = rng
    if end < options.first_day or start > options.last_day:
        return default_range(options)
    return (max(start, options.first_day), min(end, options.last_day))


def set_date_range(rng: tuple[date, date]) -> None:
    """Make ``rng`` the shared range; the date widget is re-seeded from it on the next run."""
    st.session_state[state.DATE_RANGE] = rng
    st.session_state.pop(state.DATE_WIDGET, None)


def clear_selection() -> None:
    """Drop a timeline selection and restore the range that was active before it."""
    base = st.session_state.pop(state.BASE_RANGE, None)
    st.session_state[state.SELECTION] = None
    if base is not None:
        set_date_range(base)


def select_on_timeline(kind: str, value: str, label: str, rng: tuple[date, date]) -> None:
    """Narrow the shared range to a day or a talks round picked on the timeline."""
    if st.session_state.get(state.SELECTION) is None:
        st.session_state[state.BASE_RANGE] = st.session_state[state.DATE_RANGE]
    st.session_state[state.SELECTION] = {"kind": kind, "value": value, "label": label}
    set_date_range(rng)


def _apply_preset(options: FilterOptions, days: int | None) -> None:
    st.session_state[state.SELECTION] = None
    st.session_state.pop(state.BASE_RANGE, None)
    set_date_range(preset_range(options, days))


def ensure_defaults(options: FilterOptions) -> None:
    """Seed every shared value that is not set yet (first run of a session)."""
    ss = st.session_state
    if state.DATE_RANGE not in ss:
        ss[state.DATE_RANGE] = default_range(options)
    else:
        ss[state.DATE_RANGE] = clamp_range(options, ss[state.DATE_RANGE])
    ss.setdefault(state.SELECTION, None)
    ss.setdefault(state.REGION, None)
    ss.setdefault(state.METRIC, next(iter(METRICS)))
    ss.setdefault(state.PER, RAW)
    for key in (state.KINDS, state.WEAPON_CATEGORIES, state.SOURCES):
        ss.setdefault(key, ())


def date_range_filter(options: FilterOptions) -> tuple[date, date]:
    """Calendar plus preset buttons; returns the validated shared range."""
    ss = st.session_state
    tr = t()
    _ = tr.gettext
    if state.DATE_WIDGET not in ss:
        ss[state.DATE_WIDGET] = ss[state.DATE_RANGE]
    picked = st.date_input(
        _("Date range"),
        key=state.DATE_WIDGET,
        min_value=options.first_day,
        max_value=options.last_day,
        format="YYYY-MM-DD",
        help=_("Europe/Kyiv calendar days. Attack waves count on the day they ended."),
    )
    # While only the first day of a new range is picked the widget returns a 1-tuple.
    if isinstance(picked, tuple | list) and len(picked) == 2:
        rng = (picked[0], picked[1])
        if rng != ss[state.DATE_RANGE]:
            ss[state.DATE_RANGE] = rng
            ss[state.SELECTION] = None
            ss.pop(state.BASE_RANGE, None)
    columns = st.columns(len(PRESETS))
    for column, (label, days) in zip(columns, PRESETS.items(), strict=True):
        column.button(
            _(label),
            key=f"preset_{days or 'all'}",
            help=(
                tr.ngettext(
                    "The last {count} day of the loaded data",
                    "The last {count} days of the loaded data",
                    days,
                ).format(count=days)
                if days
                else _("All of the loaded data")
            ),
            on_click=_apply_preset,
            args=(options, days),
            use_container_width=True,
        )
    return ss[state.DATE_RANGE]


def _multiselect(
    label: str,
    placeholder: str,
    choices: tuple[str, ...],
    canonical: str,
    widget: str,
    labels: dict[str, str] | None = None,
) -> None:
    """A multiselect of codes (shown through ``labels``) kept in the shared state."""
    ss = st.session_state
    if widget not in ss:
        ss[widget] = [c for c in ss[canonical] if c in choices]
    names = labels or {}
    chosen = st.multiselect(
        label,
        choices,
        key=widget,
        placeholder=placeholder,
        format_func=lambda code: vocabulary.label_of(names, code),
    )
    ss[canonical] = tuple(chosen)


def sidebar_filters(options: FilterOptions) -> None:
    """Draw the shared filters in the sidebar and store their values in session state."""
    tr = t()
    _ = tr.gettext
    with st.sidebar:
        st.subheader(_("Filters"))
        date_range_filter(options)
        _multiselect(
            _("Event kinds"),
            _("All event kinds"),
            options.kinds,
            state.KINDS,
            state.KINDS_WIDGET,
            vocabulary.kind_labels(tr),
        )
        _multiselect(
            _("Weapon categories"),
            _("All weapon categories"),
            options.weapon_categories,
            state.WEAPON_CATEGORIES,
            state.WEAPONS_WIDGET,
            vocabulary.category_labels(tr),
        )
        # Dataset names are the user's own: shown as they are.
        _multiselect(
            _("Sources"), _("All sources"), options.sources, state.SOURCES, state.SOURCES_WIDGET
        )
        selection = st.session_state.get(state.SELECTION)
        if selection:
            # The label can hold a talks title from the data: Markdown-escaped.
            label = escape_markdown(selection["label"])
            st.info(
                _("Range set on the timeline: {label}").format(label=label),
                icon=":material/push_pin:",
            )
            st.button(
                _("Reset to the previous range"),
                key="reset_selection_sidebar",
                on_click=clear_selection,
            )


def current_filters(*, region: str | None = None) -> Filters:
    """The shared filters as the aggregation layer's value object."""
    ss = st.session_state
    start, end = ss[state.DATE_RANGE]
    return Filters(
        start=start,
        end=end,
        kinds=tuple(ss[state.KINDS]) or None,
        weapon_categories=tuple(ss[state.WEAPON_CATEGORIES]) or None,
        sources=tuple(ss[state.SOURCES]) or None,
        region=region,
    )
