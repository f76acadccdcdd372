"""The languages the interface speaks and how a browser's locale picks one."""

from __future__ import annotations

# Language code -> its own name (the switch shows each language in itself).
LANGUAGES: dict[str, str] = {"uk": "Українська", "en": "English"}
DEFAULT_LANGUAGE = "en"


def language_from_locale(locale: str | None) -> str:
    """The interface language for a browser locale such as ``uk-UA``: Ukrainian, else English.

    >>> language_from_locale("uk-UA"), language_from_locale("uk"), language_from_locale("ru-RU")
    ('uk', 'uk', 'en')
    >>> language_from_locale(None)
    'en'
    """
    if not locale:
        return DEFAULT_LANGUAGE
    primary = locale.replace("_", "-").split("-", 1)[0].strip().lower()
    return primary if primary in LANGUAGES else DEFAULT_LANGUAGE
