"""What a rendered map's script holds, read back for the map tests."""

from __future__ import annotations

import json
import re

_REGION_TABLE = re.compile(r"\.owRegions\.owShow\((\{.*?\})\);\n")


def region_table(page: str) -> dict[str, dict]:
    """The per-region style, tooltip and value table the map applies to its region outlines."""
    match = _REGION_TABLE.search(page)
    assert match, "region table not found in the map script"
    return json.loads(match.group(1))
