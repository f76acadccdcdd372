"""The region page's line on air-raid alerts: waves that came with an alert running."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.maps.legend import format_number
from oblastwatch.query.alerts import has_alerts, strikes_under_alert
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents
from oblastwatch.ui.language import t


def strikes_under_alert_metric(prepared: PreparedEvents, filters: Filters, region: str) -> None:
    """Show the share of the region's waves that came with an alert (nothing without alerts)."""
    if not has_alerts(prepared):
        return
    tr = t()
    _ = tr.gettext
    found = strikes_under_alert(prepared, filters, region)
    if found.judged:
        value = _("{share} ({count} of {judged})").format(
            share=tr.percent(found.share),
            count=format_number(found.under_alert, tr),
            judged=format_number(found.judged, tr),
        )
    else:
        value = _("no wave to judge")
    help_text = _(
        "Attack waves that hit the region in range (targeted or affected) whose time span "
        "overlaps an air-raid alert anywhere in the region. Waves that give only a date, and "
        "days the alert files do not cover for the region, cannot be judged and are left out "
        "of the share."
    )
    st.metric(_("Waves with an alert running"), value, help=help_text)
    left_out = []
    if found.untimed:
        left_out.append(_("{count} without a time").format(count=format_number(found.untimed, tr)))
    if found.no_alert_data:
        left_out.append(
            _("{count} on days without alert data").format(
                count=format_number(found.no_alert_data, tr)
            )
        )
    if left_out:
        lead = tr.ngettext(
            "Of {count} wave that hit the region:",
            "Of {count} waves that hit the region:",
            found.waves,
        ).format(count=format_number(found.waves, tr))
        st.caption(f"{lead} " + "; ".join(left_out) + ".")
