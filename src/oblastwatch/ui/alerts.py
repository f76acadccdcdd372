"""The region page's line on air-raid alerts: waves that came with an alert running."""

from __future__ import annotations

import streamlit as st

from oblastwatch.query.alerts import has_alerts, strikes_under_alert
from oblastwatch.query.filters import Filters
from oblastwatch.query.index import PreparedEvents

HELP = (
    "Attack waves that hit the region in range (targeted or affected) whose time span "
    "overlaps an air-raid alert anywhere in the region. Waves that give only a date, and "
    "days the alert files do not cover for the region, cannot be judged and are left out "
    "of the share."
)


def strikes_under_alert_metric(prepared: PreparedEvents, filters: Filters, region: str) -> None:
    """Show the share of the region's waves that came with an alert (nothing without alerts)."""
    if not has_alerts(prepared):
        return
    found = strikes_under_alert(prepared, filters, region)
    if found.judged:
        value = f"{found.share:.0%} ({found.under_alert:,} of {found.judged:,})"
    else:
        value = "no wave to judge"
    st.metric("Waves with an alert running", value, help=HELP)
    left_out = []
    if found.untimed:
        left_out.append(f"{found.untimed:,} without a time")
    if found.no_alert_data:
        left_out.append(f"{found.no_alert_data:,} on days without alert data")
    if left_out:
        st.caption(f"Of {found.waves:,} waves that hit the region: " + "; ".join(left_out) + ".")
