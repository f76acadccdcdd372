"""Messages made below the interface: English by ``str()``, the reader's language by a translator."""

from __future__ import annotations

import json

import pytest

from oblastwatch.i18n import Message, Translator, plural_message, verbatim

NOT_A_NUMBER = Message("'{value}' is not a number")


def test_a_rejection_reads_in_ukrainian_with_its_value_and_in_english_unchanged():
    reason = NOT_A_NUMBER.with_values({"value": "12 ракет"})
    assert str(reason) == "'12 ракет' is not a number"
    assert Translator("en").message(reason) == "'12 ракет' is not a number"
    assert Translator("uk").message(reason) == "'12 ракет' — не число"


def test_nested_messages_and_numbers_follow_the_language():
    reason = Message("blank date")
    framed = Message("{reason}; {hint}", {"reason": reason, "hint": Message("blank date")})
    assert str(framed) == "blank date; blank date"
    assert Translator("uk").message(framed) == "порожня дата; порожня дата"
    limit = Message("file is {size:.1f} MB, more than the {limit:.0f} MB limit")
    sized = limit.with_values({"size": 1234.5, "limit": 200.0})
    assert str(sized) == "file is 1234.5 MB, more than the 200 MB limit"
    assert Translator("uk").message(sized) == (
        "файл має 1\N{NO-BREAK SPACE}234,5 МБ, більше за межу 200 МБ"
    )


def test_a_plural_message_takes_the_form_of_its_count():
    def rows(n: int) -> Message:
        return plural_message("{count} row", "{count} rows", n, {"count": n})

    assert [str(rows(n)) for n in (1, 2, 5)] == ["1 row", "2 rows", "5 rows"]
    uk = Translator("uk")
    assert [uk.message(rows(n)) for n in (1, 2, 5)] == ["1 рядок", "2 рядки", "5 рядків"]


def test_a_stored_message_comes_back_equal_through_json():
    nested = Message("{reason}; {hint}", {"reason": NOT_A_NUMBER.with_values({"value": "x"})})
    rows = plural_message("{count} row", "{count} rows", 3, {"count": 3})
    for message in (nested, rows, Message("blank date")):
        assert Message.from_dict(json.loads(json.dumps(message.to_dict()))) == message


def test_a_verbatim_text_is_shown_as_written_in_every_language():
    old = verbatim("blank date {with braces}")
    assert str(old) == Translator("uk").message(old) == "blank date {with braces}"


def test_a_message_is_immutable_and_its_plural_needs_a_count():
    with pytest.raises(AttributeError):
        NOT_A_NUMBER.text = "other"  # type: ignore[misc]
    with pytest.raises(ValueError, match="both"):
        Message("{count} row", plural="{count} rows")
