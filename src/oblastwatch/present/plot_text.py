"""Text from the data made safe for Plotly.

Titles, venues and labels go through :func:`html.escape` before they reach a hover, label or
subplot title, because Plotly renders a subset of HTML there and ``<img src=x onerror=...>`` in
a title must arrive as text.
"""

from __future__ import annotations

import html
from typing import Any

import pandas as pd


def plot_text(value: Any, limit: int | None = None) -> str:
    """Data text made safe for Plotly labels (``""`` for missing values), cut to ``limit``.

    >>> plot_text("<b>Geneva</b> talks")
    '&lt;b&gt;Geneva&lt;/b&gt; talks'
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    raw = " ".join(str(value).split())
    if limit is not None and len(raw) > limit:
        raw = raw[: limit - 1] + "…"
    return html.escape(raw, quote=True)
