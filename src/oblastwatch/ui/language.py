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


def _adopt_switch() -> None:
    picked = st.session_state[state.LANG_WIDGET]
    if picked in LANGUAGES:
        st.session_state[state.LANG] = picked


def language_switch() -> None:
    """The sidebar's language switch (each language named in itself)."""
    ss = st.session_state
    ss[state.LANG_WIDGET] = current_language()
    st.radio(
        t().gettext("Language"),
        options=list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,
        key=state.LANG_WIDGET,
        on_change=_adopt_switch,
        horizontal=True,
        label_visibility="collapsed",
    )
