"""A message made below the interface, rendered in a reader's language where it is shown.

Importers, storage and the study do not know the session's language: they return a
:class:`Message` (a literal English template and its values), which ``str()`` renders in
English (the CLI, stored reports) and :meth:`Translator.message
<oblastwatch.i18n.translator.Translator.message>` in the page's language. The templates are
found by ``pybabel extract`` under the keywords ``Message`` and ``plural_message`` (the
Makefile's ``messages`` target, docs/i18n.md), so they must be literal strings at the call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

_NO_VALUES: Mapping[str, object] = {}
# The template of a text shown as written; a name, not a literal, so it is not extracted.
_AS_WRITTEN = "{text}"


class Message:
    """An English template with named placeholders, its values and, for a count, its plural.

    >>> str(Message("'{value}' is not a number", {"value": "abc"}))
    "'abc' is not a number"
    >>> str(plural_message("{count} row", "{count} rows", 2, {"count": 2}))
    '2 rows'
    """

    __slots__ = ("n", "plural", "text", "values")

    def __init__(
        self,
        text: str,
        values: Mapping[str, object] | None = None,
        *,
        plural: str | None = None,
        n: int | None = None,
    ) -> None:
        if (plural is None) != (n is None):
            raise ValueError("a plural message needs both its plural form and its count")
        self.text = text
        # A copy, so the caller's dict cannot change the message; read-only by convention
        # (a read-only mapping proxy would not pickle, and reports are cached by pickling).
        self.values: Mapping[str, object] = dict(values) if values else _NO_VALUES
        self.plural = plural
        self.n = n

    def __setattr__(self, name: str, value: object) -> None:
        """Refuse a change once made: a message is a value, shared between rows and reports."""
        if hasattr(self, name):
            raise AttributeError(f"Message is immutable: cannot set {name}")
        super().__setattr__(name, value)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled and copied by its parts (reports are cached, frames' attrs deep-copied)."""
        return _rebuilt, (self.text, dict(self.values), self.plural, self.n)

    def with_values(self, values: Mapping[str, object]) -> Message:
        """The same template with ``values`` added (a row's values to a shared template)."""
        return Message(self.text, {**self.values, **values}, plural=self.plural, n=self.n)

    def template(self, n: int | None = None) -> str:
        """The English template for the count (the singular for 1, else the plural)."""
        if self.plural is None or n == 1:
            return self.text
        return self.plural

    def __str__(self) -> str:
        """The message in English, as the CLI and the stored reports write it."""
        return self.template(self.n).format(**self.rendered_values(str))

    def rendered_values(self, render: Callable[[Message], str]) -> dict[str, object]:
        """The values, messages among them rendered by ``render``, lists of them joined by ", "."""

        def value_of(value: object) -> object:
            if isinstance(value, Message):
                return render(value)
            if isinstance(value, list | tuple):
                return ", ".join(str(value_of(item)) for item in value)
            return value

        return {key: value_of(value) for key, value in self.values.items()}

    def __eq__(self, other: object) -> bool:
        """Equal when the template, the plural, the count and the values are."""
        if not isinstance(other, Message):
            return NotImplemented
        return (self.text, self.plural, self.n, dict(self.values)) == (
            other.text,
            other.plural,
            other.n,
            dict(other.values),
        )

    __hash__ = None  # type: ignore[assignment]  # values are a mapping: equal, never hashed

    def __repr__(self) -> str:
        """``Message('…', {…})`` with the plural and count when it has them."""
        extra = f", plural={self.plural!r}, n={self.n!r}" if self.plural is not None else ""
        return f"Message({self.text!r}, {dict(self.values)!r}{extra})"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable form (values that are messages nested as dicts).

        >>> Message("{reason}; {hint}", {"reason": Message("blank date"), "hint": "x"}).to_dict()
        {'text': '{reason}; {hint}', 'values': {'reason': {'text': 'blank date'}, 'hint': 'x'}}
        """
        data: dict[str, Any] = {"text": self.text}
        if self.values:
            data["values"] = {key: _stored(value) for key, value in self.values.items()}
        if self.plural is not None:
            data["plural"], data["n"] = self.plural, self.n
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Message:
        """The message of :meth:`to_dict`'s ``data`` (nested dicts with a ``text`` are messages)."""
        values = {key: _restored(value) for key, value in (data.get("values") or {}).items()}
        return cls(data["text"], values, plural=data.get("plural"), n=data.get("n"))


def _rebuilt(text: str, values: Mapping[str, object], plural: str | None, n: int | None) -> Message:
    return Message(text, values, plural=plural, n=n)


def plural_message(
    singular: str, plural: str, n: int, values: Mapping[str, object] | None = None
) -> Message:
    """A message whose form follows the count ``n`` (three forms in Ukrainian)."""
    return Message(singular, values, plural=plural, n=int(n))


def verbatim(text: str) -> Message:
    """A text kept as it was written (an old report's reason): shown the same in every language."""
    return Message(_AS_WRITTEN, {"text": text})


def _stored(value: object) -> object:
    """A value as JSON keeps it: a message as its dict, a list item by item."""
    if isinstance(value, Message):
        return value.to_dict()
    if isinstance(value, list | tuple):
        return [_stored(item) for item in value]
    return _plain(value)


def _restored(value: object) -> object:
    """A stored value back: dicts with a ``text`` are messages again."""
    if isinstance(value, Mapping) and "text" in value:
        return Message.from_dict(value)
    if isinstance(value, list):
        return [_restored(item) for item in value]
    return value


def _plain(value: object) -> object:
    """A value JSON can write: numpy numbers and other objects as Python ints, floats or text."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    item = getattr(value, "item", None)  # numpy scalars
    if callable(item):
        plain = item()
        if isinstance(plain, bool | int | float | str):
            return plain
    return str(value)
