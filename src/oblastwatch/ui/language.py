"""The session's interface language: from the link, else the browser, and the sidebar switch.

``?lang=uk`` / ``?lang=en`` wins (ui/url_state.py adopts it with the rest of a link); a
session opened without it starts in the browser's language (``st.context.locale``: Ukrainian
for ``uk``, else English). The switch changes the canonical value in a callback, so switching
is a rerun of the same session: filters, the selected region and the page stay as they were.
"""

from __future__ import annotations

import streamlit as st

from oblastwatch.i18n import LANGUAGES, Translator, language_from_locale, translator
from oblastwatch.ui import state

SWITCH_LABEL = "Мова / Language"


def ensure_language(url_language: str | None = None) -> None:
    """Set the session's language: ``url_language`` when given, else once from the browser."""
    ss = st.session_state
    if url_language in LANGUAGES:
        ss[state.LANG] = url_language
        ss.pop(state.LANG_WIDGET, None)
    elif state.LANG not in ss:
        ss[state.LANG] = language_from_locale(_browser_locale())


def _browser_locale() -> str | None:
    try:
        return st.context.locale
    except (AttributeError, RuntimeError):  # no browser behind this run (AppTest, scripts)
        return None


def current_language() -> str:
    """The session's language code."""
    return st.session_state.get(state.LANG) or language_from_locale(None)


def t() -> Translator:
    """The session's translator: pages and ``ui/`` pass it to every builder they call."""
    return translator(current_language())


# Widgets that show their options in the reader's language. The browser sends a choice back as
# the label it showed, which a run in the other language cannot match (the region would fall
# back to the first in the list), so a switch drops their state and they are seeded again from
# the canonical values they copy into (state.py).
_LABELLED_WIDGETS = (
    state.REGION_WIDGET,
    state.METRIC_WIDGET,
    state.PER_WIDGET,
    state.KINDS_WIDGET,
    state.WEAPONS_WIDGET,
    state.PLAYBACK_STEP_WIDGET,
    *state.EFFECT_WIDGETS.values(),
    *state.COMPARE_WIDGETS.values(),
)


def _adopt_switch() -> None:
    ss = st.session_state
    picked = ss[state.LANG_WIDGET]
    if picked in LANGUAGES and picked != ss.get(state.LANG):
        ss[state.LANG] = picked
        for key in _LABELLED_WIDGETS:
            ss.pop(key, None)


def language_switch() -> None:
    """The sidebar's language switch (each language named in itself)."""
    ss = st.session_state
    ss[state.LANG_WIDGET] = current_language()
    st.radio(
        # One label in both languages: a label that changed with the language would make
        # the switch a new widget after each switch (Streamlit keys a widget on its label).
        SWITCH_LABEL,
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=state.LANG_WIDGET,
        on_change=_adopt_switch,
        horizontal=True,
        label_visibility="collapsed",
    )
