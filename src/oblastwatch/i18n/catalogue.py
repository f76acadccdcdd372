"""The message catalogues: one ``.po`` file per language, compiled in memory on first use.

Only the ``.po`` files are kept (in git and in the wheel): Babel compiles one into gettext's
binary form the first time a process asks for that language, so an editable install, a wheel
and a bare clone read the same file, and no compiled ``.mo`` can drift from its source.
Compiling the Ukrainian catalogue takes milliseconds, once per process
(``bench/i18n_catalogue.py``).
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

DOMAIN = "oblastwatch"
CATALOGUE_DIR = Path(__file__).resolve().parent
SOURCE_LANGUAGE = "en"


def po_path(language: str) -> Path:
    """The catalogue file of ``language`` (``uk.po`` next to this module)."""
    return CATALOGUE_DIR / f"{language}.po"


@functools.cache
def translations(language: str) -> NullTranslations:
    """The compiled translations of ``language`` (the messages themselves for English)."""
    if language == SOURCE_LANGUAGE:
        return NullTranslations()
    with po_path(language).open("rb") as po:
        catalog = read_po(po, locale=language, domain=DOMAIN)
    compiled = io.BytesIO()
    # Fuzzy entries are unreviewed guesses: gettext falls back to the English message.
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)
