"""The interface's languages: gettext catalogues read through Babel, dates and numbers per locale.

The lowest layer: it imports nothing from the package, so every layer can mark its texts with
:func:`N_` and every builder can take a :class:`Translator`. Only ``ui/`` decides which
language a session reads (docs/i18n.md).
"""

from oblastwatch.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES, language_from_locale
from oblastwatch.i18n.message import Message, plural_message, verbatim
from oblastwatch.i18n.translator import ENGLISH, N_, Translator, translator

__all__ = [
    "DEFAULT_LANGUAGE",
    "ENGLISH",
    "LANGUAGES",
    "Message",
    "N_",
    "Translator",
    "language_from_locale",
    "plural_message",
    "translator",
    "verbatim",
]
