"""Helpers for reading an AppTest run (imported by the tests/app modules)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def texts(at: AppTest) -> str:
    """All visible text of a run (markdown, captions, alerts, metrics, subheaders), joined."""
    parts: list[str] = []
    for group in (
        at.title,
        at.header,
        at.subheader,
        at.markdown,
        at.caption,
        at.info,
        at.warning,
        at.error,
        at.success,
        at.text,
    ):
        parts.extend(str(element.value) for element in group)
    parts.extend(f"{m.label}: {m.value}" for m in at.metric)
    return "\n".join(parts)


def frame_with(at: AppTest, column: str):
    """The first ``st.dataframe`` of a run that has ``column`` (dataframes carry no key)."""
    for element in at.dataframe:
        if column in element.value.columns:
            return element.value
    raise AssertionError(f"no dataframe with column {column!r}")
