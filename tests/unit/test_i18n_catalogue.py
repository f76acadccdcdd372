"""The Ukrainian catalogue against the code: every marked message translated, none stale.

The messages are extracted here with Babel, as ``make messages`` extracts them (babel.cfg),
and compared with ``src/oblastwatch/i18n/uk.po``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir, extract_from_file
from babel.messages.frontend import parse_keywords, parse_mapping_cfg
from babel.messages.pofile import read_po

from oblastwatch.i18n.catalogue import po_path

REPO = Path(__file__).resolve().parents[2]
PLACEHOLDER = re.compile(r"\{[a-z_]*\}")
UK_PLURAL_FORMS = 3

Key = tuple[str | None, str]


def _method_map() -> list[tuple[str, str]]:
    with (REPO / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, _options = parse_mapping_cfg(cfg)
    return method_map


def makefile_keywords() -> dict[str, object]:
    """gettext's keywords and the Makefile's ``MESSAGE_KEYWORDS`` (``-k Message`` ...)."""
    makefile = (REPO / "Makefile").read_text(encoding="utf-8")
    [line] = re.findall(r"^MESSAGE_KEYWORDS := (.*)$", makefile, flags=re.MULTILINE)
    return {**DEFAULT_KEYWORDS, **parse_keywords(re.findall(r"-k (\S+)", line))}


def extracted_messages() -> dict[Key, tuple[str, ...]]:
    """(context, singular) -> the message's English forms, for every message marked in code."""
    found: dict[Key, tuple[str, ...]] = {}

    def add(message: str | tuple[str, ...], context: str | None) -> None:
        forms = message if isinstance(message, tuple) else (message,)
        found[(context, forms[0])] = forms

    keywords = makefile_keywords()
    for folder in ("pages", "src/oblastwatch"):
        for _file, _line, message, _comments, context in extract_from_dir(
            REPO / folder, _method_map(), keywords=keywords
        ):
            add(message, context)
    for _line, message, _comments, context in extract_from_file(
        "python", REPO / "app.py", keywords=keywords
    ):
        add(message, context)
    return found


def catalogue_problems(code: dict[Key, tuple[str, ...]], catalogue: Catalog) -> list[str]:
    """Every way ``catalogue`` falls short of the messages in ``code`` (empty when in step)."""
    problems = []
    in_catalogue: dict[Key, object] = {}
    for message in catalogue:
        if not message.id:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        in_catalogue[(message.context, forms[0])] = message
    for key, forms in sorted(code.items(), key=str):
        message = in_catalogue.get(key)
        if message is None:
            problems.append(f"not in the catalogue: {key}")
            continue
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if "fuzzy" in message.flags:
            problems.append(f"marked fuzzy (unreviewed): {key}")
        if len(forms) > 1 and len(strings) != UK_PLURAL_FORMS:
            problems.append(f"needs {UK_PLURAL_FORMS} plural forms: {key}")
        if not all(strings):
            problems.append(f"untranslated: {key}")
            continue
        wanted = set(PLACEHOLDER.findall(forms[-1]))
        for text in strings:
            if set(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"placeholders differ from {sorted(wanted)}: {key} -> {text!r}")
    stale = sorted((key for key in in_catalogue if key not in code), key=str)
    problems.extend(f"stale (no longer in the code): {key}" for key in stale)
    return problems


@pytest.fixture(scope="module")
def code_messages() -> dict[Key, tuple[str, ...]]:
    return extracted_messages()


def _ukrainian() -> Catalog:
    with po_path("uk").open("rb") as po:
        return read_po(po, locale="uk")


def test_the_code_marks_the_interface_for_translation(code_messages):
    # Pages, figures, vocabulary and notices all reach the catalogue.
    assert ("event kind", "strike") in code_messages
    assert (None, "Regions hit") in code_messages
    assert code_messages[(None, "{number} wave")] == ("{number} wave", "{number} waves")
    assert len(code_messages) > 300
    # Messages made below the interface, by their templates (Message, plural_message).
    assert (None, "blank date") in code_messages


def test_the_makefile_extracts_message_templates_and_their_plurals():
    keywords = makefile_keywords()
    assert keywords["Message"] is None  # its first argument
    assert keywords["plural_message"] == (1, 2)


def test_every_marked_message_has_a_current_ukrainian_translation(code_messages):
    assert catalogue_problems(code_messages, _ukrainian()) == []


def test_the_comparison_reports_missing_stale_and_broken_entries():
    code = {(None, "Map"): ("Map",), (None, "{n} wave"): ("{n} wave", "{n} waves")}
    catalogue = Catalog(locale="uk")
    catalogue.add("{n} wave", "{n} хвиля")  # plural given as a single message
    catalogue.add("Old text", "Старий текст")
    problems = catalogue_problems(code, catalogue)
    assert "not in the catalogue: (None, 'Map')" in problems
    assert "needs 3 plural forms: (None, '{n} wave')" in problems
    assert "stale (no longer in the code): (None, 'Old text')" in problems
    catalogue = Catalog(locale="uk")
    catalogue.add("Map", "Мапа {x}")
    catalogue.add(("{n} wave", "{n} waves"), ("{n} хвиля", "{n} хвилі", ""))
    problems = catalogue_problems(code, catalogue)
    assert "placeholders differ from []: (None, 'Map') -> 'Мапа {x}'" in problems
    assert "untranslated: (None, '{n} wave')" in problems
