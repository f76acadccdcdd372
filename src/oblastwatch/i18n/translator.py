"""A session's language: its messages (gettext), plurals, dates and numbers (Babel).

Builders take a :class:`Translator` and call ``t.gettext`` / ``t.ngettext`` on literal English
messages, which ``pybabel extract`` finds by those names (``babel.cfg``). Texts defined away
from where they are shown (metric labels, lane names) are marked with :func:`N_` and
translated where they are shown, with ``t.gettext(label)``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from dataclasses import dataclass
from typing import Any

from babel.dates import format_date, format_interval, format_skeleton
from babel.numbers import format_decimal, format_percent

from oblastwatch.i18n.catalogue import translations
from oblastwatch.i18n.languages import DEFAULT_LANGUAGE, LANGUAGES
from oblastwatch.i18n.message import Message

# A placeholder's number format that says "a number as the reader writes it": "{limit:,}",
# "{size:.1f}", "{share:,.2f}". Rendered with Babel outside English.
_NUMBER_SPEC = re.compile(r",?(?:\.(?P<decimals>\d+))?f?")


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional name for a marker)
    """Mark ``message`` for the catalogue without translating it here."""
    return message


@dataclass(frozen=True)
class Translator:
    """The messages and formats of one interface language (``"uk"`` or ``"en"``)."""

    language: str

    def __post_init__(self) -> None:
        """Refuse a language the interface does not speak."""
        if self.language not in LANGUAGES:
            raise ValueError(f"unsupported language {self.language!r}: one of {list(LANGUAGES)}")

    def gettext(self, message: str) -> str:
        """``message`` in this language (itself when the catalogue has no translation)."""
        return translations(self.language).gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        """The form of a message for the count ``n`` (Ukrainian has three: 1, 2-4, 5)."""
        return translations(self.language).ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        """``message`` in this language where its English word alone is ambiguous."""
        return str(translations(self.language).pgettext(context, message))

    def message(self, message: Message) -> str:
        """``message`` (made below the interface) in this language, its values in place.

        Values that are messages are rendered the same way; numbers written with a format
        (``{limit:,}``, ``{size:.1f}``) take this language's grouping and decimal sign. In
        English this is ``str(message)``, exactly.
        """
        if self.language == DEFAULT_LANGUAGE:
            return str(message)
        if message.plural is None:
            template = self.gettext(message.text)
        else:
            template = self.ngettext(message.text, message.plural, message.n or 0)
        return _LocaleFormatter(self).format(template, **message.rendered_values(self.message))

    def date(self, day: dt.date, style: str = "medium") -> str:
        """A day as this language writes it (``5 лют. 2026 р.``, ``Feb 5, 2026``)."""
        return format_date(day, style, locale=self.language)

    def day_range(self, start: dt.date, end: dt.date) -> str:
        """Two days as one span: ``1–28 лют. 2026 р.``; ``2026-02-01 to 2026-02-28`` in English.

        English keeps the ISO days the app has always shown (and that a reader copies into a
        link); Ukrainian names the months, as its readers write a span.
        """
        if self.language == DEFAULT_LANGUAGE:
            return f"{start.isoformat()} to {end.isoformat()}"
        if start == end:
            return self.date(start)
        return format_interval(start, end, "yMMMd", locale=self.language)

    def month(self, day: dt.date) -> str:
        """The month and year of ``day``, for axis ticks (``лют. 2026 р.``, ``Feb 2026``)."""
        return format_skeleton("yMMM", day, locale=self.language)

    def day_month(self, day: dt.date) -> str:
        """The day and month of ``day``, for axis ticks (``5 лют.``, ``Feb 5``)."""
        return format_skeleton("MMMd", day, locale=self.language)

    def number(self, value: float, decimals: int | None = None) -> str:
        """``value`` with this language's digit grouping and decimal sign."""
        if decimals is None:
            return format_decimal(value, locale=self.language)
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        return format_decimal(value, format=pattern, locale=self.language)

    def percent(self, value: float) -> str:
        """A share (0.42) as a percentage in this language (``42 %``, ``42%``)."""
        return format_percent(value, locale=self.language)


class _LocaleFormatter(string.Formatter):
    """``str.format`` whose formatted numbers follow the translator's language."""

    def __init__(self, t: Translator) -> None:
        self.t = t

    def format_field(self, value: Any, format_spec: str) -> str:
        """A number with a number format through Babel; anything else as ``format`` does."""
        number = _NUMBER_SPEC.fullmatch(format_spec) if format_spec else None
        if number and isinstance(value, int | float) and not isinstance(value, bool):
            decimals = number["decimals"]
            return self.t.number(value, int(decimals) if decimals is not None else 0)
        return super().format_field(value, format_spec)


@functools.cache
def translator(language: str | None) -> Translator:
    """The translator of ``language`` (English for ``None``)."""
    return Translator(language or DEFAULT_LANGUAGE)


ENGLISH = Translator(DEFAULT_LANGUAGE)
