"""The English part of an import report's rejection records, for tests that compare them whole.

A record also holds its ``reason_message`` (the reason as a translatable message); tests of
what an importer rejects and why compare the row, the column and the English reason.
"""

from __future__ import annotations

from typing import Any


def english(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` as ``{row, column, reason}``: the reason in English, as the CLI prints it."""
    return [{key: record[key] for key in ("row", "column", "reason")} for record in records]
