"""The Data page's "Get the latest Air Force figures": :func:`oblastwatch.storage.fetch.fetch_mma`.

The licence and credit are shown above the button, so a reader sees them before the first
download. An operator whose server cannot reach Kaggle sets ``OBLASTWATCH_FETCH_FROM`` to a
mirror URL or a path the CLI's ``--from`` accepts; the button then fetches from there.
"""

from __future__ import annotations

import os

import streamlit as st

from oblastwatch.i18n import N_, Message
from oblastwatch.importers import mma_source
from oblastwatch.storage.fetch import FetchError, fetch_mma
from oblastwatch.ui import access, state
from oblastwatch.ui.language import t

FETCH_FROM_ENV = "OBLASTWATCH_FETCH_FROM"
BUTTON_LABEL = N_("Get the latest Air Force figures")

# Where each stage sits on the page's one progress bar; a download fills the span to import.
_STAGE_START = {"Asking": 0.02, "Downloading": 0.05, "Importing": 0.7, "Saving": 0.9}
_DOWNLOAD_SPAN = _STAGE_START["Importing"] - _STAGE_START["Downloading"]


def latest_figures_section() -> None:
    """Licence, credit, the button, its progress, and the outcome of this session's last fetch."""
    _ = t().gettext
    st.markdown(
        _(
            "The Ukrainian Air Force's daily figures on missiles and drones launched and shot "
            "down, as collected in the public dataset “Massive Missile Attacks on Ukraine”. One "
            "step downloads the newest version, imports it as the dataset `mma` (replacing the "
            "previous copy) and shows it on every page. On a server, `oblastwatch fetch mma "
            "--every 6h` keeps it fresh."
        )
    )
    # The credit names the dataset, its authors and licence as they ask: kept in English.
    st.info(
        _("**Licence and credit.** {credit}").format(credit=mma_source.CREDIT),
        icon=":material/copyright:",
    )
    source = os.environ.get(FETCH_FROM_ENV, "").strip() or None
    if source is not None:
        st.caption(
            _("This server fetches from a copy its operator chose ({variable}).").format(
                variable=FETCH_FROM_ENV
            )
        )
    if st.button(_(BUTTON_LABEL), key="fetch_mma_button", type="primary") and run_fetch(source):
        st.rerun()
    outcome = st.session_state.get(state.FETCH_RESULT)
    if outcome:
        st.success(t().message(Message.from_dict(outcome)))


def run_fetch(source: str | None) -> bool:
    """Fetch with a progress bar; keep the outcome for the next run. True when it worked."""
    _ = t().gettext
    if not access.can_write():
        st.error(access.read_only_message())
        return False
    bar = st.progress(0.0, text=_("Starting…"))

    def progress(stage: Message, fraction: float | None) -> None:
        # Where a stage starts on the bar, by its English template's first word.
        first_word = stage.text.split(" ", 1)[0]
        start = _STAGE_START.get(first_word, 0.0)
        if first_word == "Downloading" and fraction is not None:
            start += _DOWNLOAD_SPAN * min(max(fraction, 0.0), 1.0)
        bar.progress(start, text=f"{t().message(stage)}…")

    try:
        outcome = fetch_mma(source, progress=progress)
    except FetchError as error:
        bar.empty()
        st.error(t().message(error.message))
        return False
    bar.progress(1.0, text=_("Done."))
    # Plain data in session state; shown in whatever language the page is in then.
    st.session_state[state.FETCH_RESULT] = outcome.summary_message().to_dict()
    if outcome.report is not None:
        st.session_state[state.IMPORT_RESULT] = {"name": "mma", **outcome.report.to_dict()}
    return True
