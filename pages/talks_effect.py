"""Talks vs attacks: strike intensity before, during and after diplomatic events."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.effect_figures import event_time_figure, small_multiples_figure
from oblastwatch.present.effect_tables import effect_table, pooled_table
from oblastwatch.present.url_params import escape_markdown
from oblastwatch.ui import effect, language, state
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("Talks vs attacks"))
st.caption(
    _(
        "For each selected diplomatic event, the mean daily strike measure in the N days before, "
        "on the event's own days and in the N days after, compared with a baseline. The study "
        "uses every day of the chosen strike data: the sidebar's date range does not apply here."
    )
)
st.info(
    _(
        "- **Association is not cause.** A change in strikes around talks does not show that the "
        "talks caused it, or that the strikes shaped the talks.\n"
        "- **Air Force figures are claims.** Launch counts are what the Ukrainian Air Force or "
        "the cited reports stated; they are not independently verified.\n"
        "- **The choice of events matters.** Which meetings count, and how nearby ones are "
        "merged, changes the numbers.\n"
        "- **Missing days are not zeros.** A day without data is left out of the averages. "
        "Whether a day without strike rows has no data or counts as zero depends on the strike "
        "data and the measure (the note under the tables says which), unless you choose."
    ),
    icon="ℹ️",
)

sources = effect.strike_sources()
result = None
if not sources:
    st.warning(_("No strike events are loaded, so there is nothing to compare the talks with."))
else:
    request = effect.study_controls(sources, effect.event_choices())
    try:
        result = effect.study_result(request)
    except ValueError as error:
        # The controls offer only valid settings: what lands here is unexpected, and its
        # detail (from the study's own checks) is English.
        st.error(_("The study could not run: {reason}").format(reason=error))
    if result is not None and result.n_selected == 0:
        st.warning(_("No diplomatic events match these kinds, formats and parties."))
        result = None

# (No st.stop(): the frame writes the shared state to the URL after every complete run.)
if result is not None:
    st.caption(
        _(
            "Strike data: {source}, {range}; {with_data} of {days} days have data for this "
            "measure (days without strike rows counted as {absent}). {selected} events "
            "selected, {rows} rows after '{overlap}'. Seed {seed}."
        ).format(
            source=escape_markdown(request.source),
            range=(
                t.day_range(result.series_first, result.series_last)
                if result.series_first and result.series_last
                else "—"
            ),
            with_data=result.days_with_data,
            days=result.n_days,
            absent=request.absent_days,
            selected=result.n_selected,
            rows=len(result.table),
            overlap=request.settings.overlap,
            seed=request.settings.seed,
        )
    )
    # The same sentence `oblastwatch talks-effect` prints.
    st.caption(escape_markdown(effect.rule_sentence(request, result)))

    st.subheader(_("All selected events together"))
    st.dataframe(
        pooled_table(result.pooled),
        hide_index=True,
        column_config=effect.pooled_column_config(),
        key="effect_pooled_table",
    )

    st.subheader(_("Each event"))
    st.caption(
        _(
            "Ratio: the window's mean per day divided by the baseline's (1 = no difference). "
            "Interval: 95% bootstrap interval of the ratio. p: two-sided permutation test against "
            "placebo dates. Click a row to open the timeline at that event's days, N before and after."
        )
    )
    rows = effect_table(result.table)
    picked = effect.selected_row(
        st.dataframe(
            rows,
            hide_index=True,
            column_config=effect.event_column_config(),
            on_select="rerun",
            selection_mode="single-row",
            key=state.EFFECT_TABLE,
        )
    )
    if picked is not None and picked < len(rows):
        row = rows.iloc[picked]
        effect.open_on_timeline(row["first_day"], row["last_day"], request.settings.window)

    st.subheader(_("Aligned on the first day of each event"))
    st.caption(
        _(
            "Each grey line is one event; the blue line is the mean across events with data that day, "
            "inside its 95% bootstrap band. Gaps are days without data."
        )
    )
    st.plotly_chart(
        event_time_figure(
            result.matrix,
            result.profile,
            metric=request.settings.metric,
            units=result.table,
            t=t,
        ),
        key="effect_aligned_chart",
        width="stretch",
    )

    st.subheader(_("Event by event"))
    st.caption(_("The event's own days are shaded."))
    st.plotly_chart(
        small_multiples_figure(result.matrix, result.table, metric=request.settings.metric, t=t),
        key="effect_small_multiples",
        width="stretch",
    )
