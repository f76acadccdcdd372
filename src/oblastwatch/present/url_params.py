"""Query-string state of the app: parse, validate and write back (no Streamlit here).

The app mirrors its shared state in the URL so a view can be bookmarked and shared::

    ?start=2026-02-01&end=2026-02-28&region=UA-51&metric=waves&per=people
    ?day=2026-02-26            (a day picked on the timeline)
    ?talk=E123                 (a round of talks picked on the timeline)

Values arrive from anyone who can send a link, so every parameter is checked and a bad one is
dropped with a notice instead of an exception. Notices quote the offending value only through
:func:`escape_markdown` (Streamlit renders notices as Markdown) and cut it to a short preview.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from oblastwatch.domain.denominators import NORMALISATIONS, RAW
from oblastwatch.domain.regions import REGION_CODES

KNOWN_PARAMS = ("start", "end", "region", "metric", "per", "day", "talk")
# Parameters Streamlit itself understands; never reported as unknown.
STREAMLIT_PARAMS = ("embed", "embed_options")
MAX_VALUE_LENGTH = 100
PREVIEW_LENGTH = 40
_TALK_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:/-]{0,99}$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


@dataclass(frozen=True)
class UrlState:
    """The validated state found in a query string; ``None`` where absent or rejected."""

    start: date | None = None
    end: date | None = None
    region: str | None = None
    metric: str | None = None
    per: str | None = None
    day: date | None = None
    talk: str | None = None
    notices: tuple[str, ...] = field(default=())

    @property
    def date_range(self) -> tuple[date, date] | None:
        """``(start, end)`` when both were given and valid, else ``None``."""
        if self.start is None or self.end is None:
            return None
        return (self.start, self.end)


def escape_markdown(text: str) -> str:
    r"""Backslash-escape every ASCII punctuation character so Markdown shows ``text`` literally.

    >>> escape_markdown("<img src=x onerror=alert(1)>")
    '\\<img src\\=x onerror\\=alert\\(1\\)\\>'
    """
    flat = " ".join(str(text).split())  # no newlines: a notice stays one line
    return _ASCII_PUNCTUATION.sub(r"\\\1", flat)


def preview(value: str) -> str:
    r"""A short, Markdown-escaped rendering of an untrusted value for a notice.

    >>> preview("UA-99")
    'UA\\-99'
    """
    text = str(value)
    if len(text) > PREVIEW_LENGTH:
        text = text[:PREVIEW_LENGTH] + "…"
    return escape_markdown(text)


def _single(value: str | list[str] | tuple[str, ...]) -> str:
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else ""
    return str(value)


def _parse_iso_date(value: str) -> date | None:
    if not _ISO_DATE.match(value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def parse_query_params(
    params: Mapping[str, str | list[str]],
    *,
    metrics: Iterable[str],
    region_codes: Collection[str] = REGION_CODES,
    talk_ids: Collection[str] | None = None,
    bounds: tuple[date, date] | None = None,
) -> UrlState:
    """Validate query parameters; anything invalid is dropped and explained in ``notices``.

    ``metrics`` are the accepted metric names, ``talk_ids`` the event ids of the loaded
    diplomatic events (``None``: only the id's shape is checked), ``bounds`` the first and
    last day of the loaded data (dates outside are clamped, ranges wholly outside dropped).

    >>> s = parse_query_params({"region": "UA-51", "metric": "nope"}, metrics=["waves"])
    >>> s.region, s.metric, len(s.notices)
    ('UA-51', None, 1)
    """
    metric_names = tuple(metrics)
    notices: list[str] = []
    values: dict[str, str] = {}
    for key, raw in params.items():
        if key in STREAMLIT_PARAMS:
            continue
        if key not in KNOWN_PARAMS:
            notices.append(f"Ignored unknown URL parameter {preview(key)}.")
            continue
        value = _single(raw).strip()
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(
                f"Ignored URL parameter {key}: value longer than {MAX_VALUE_LENGTH} characters "
                f"({preview(value)})."
            )
            continue
        values[key] = value

    def reject(key: str, expected: str) -> None:
        notices.append(f"Ignored URL parameter {key}={preview(values[key])}: expected {expected}.")

    dates: dict[str, date] = {}
    for key in ("start", "end", "day"):
        if key not in values:
            continue
        parsed = _parse_iso_date(values[key])
        if parsed is None:
            reject(key, "a date as YYYY-MM-DD")
        else:
            dates[key] = parsed

    start, end = dates.get("start"), dates.get("end")
    if (start is None) != (end is None):
        given = "start" if start is not None else "end"
        notices.append(f"Ignored URL parameter {given}: start and end must be given together.")
        start = end = None
    if start is not None and end is not None and start > end:
        notices.append(f"Ignored URL parameters start and end: start {start} is after end {end}.")
        start = end = None
    if start is not None and end is not None and bounds is not None:
        first, last = bounds
        if end < first or start > last:
            notices.append(
                f"Ignored URL parameters start and end: {start} to {end} lies outside the "
                f"loaded data ({first} to {last})."
            )
            start = end = None
        elif start < first or end > last:
            clamped = (max(start, first), min(end, last))
            notices.append(
                f"Date range {start} to {end} clamped to the loaded data: "
                f"{clamped[0]} to {clamped[1]}."
            )
            start, end = clamped

    day = dates.get("day")
    if day is not None and bounds is not None and not bounds[0] <= day <= bounds[1]:
        notices.append(
            f"Ignored URL parameter day={day}: outside the loaded data "
            f"({bounds[0]} to {bounds[1]})."
        )
        day = None

    region = values.get("region")
    if region is not None:
        normalised = region.upper()
        if normalised in region_codes:
            region = normalised
        else:
            reject("region", "an ISO 3166-2:UA region code such as UA-51")
            region = None

    metric = values.get("metric")
    if metric is not None and metric not in metric_names:
        reject("metric", "one of " + ", ".join(metric_names))
        metric = None

    per = values.get("per")
    if per is not None and per not in NORMALISATIONS:
        reject("per", "one of " + ", ".join(NORMALISATIONS))
        per = None

    talk = values.get("talk")
    if talk is not None:
        if not _TALK_ID.match(talk):
            reject("talk", "the id of a diplomatic event")
            talk = None
        elif talk_ids is not None and talk not in talk_ids:
            reject("talk", "the id of a loaded diplomatic event")
            talk = None

    if talk is not None and day is not None:
        notices.append("Ignored URL parameter day: talk is given too and takes precedence.")
        day = None

    return UrlState(
        start=start,
        end=end,
        region=region,
        metric=metric,
        per=per,
        day=day,
        talk=talk,
        notices=tuple(notices),
    )


def to_query_params(
    *,
    date_range: tuple[date, date] | None = None,
    region: str | None = None,
    metric: str | None = None,
    per: str | None = None,
    day: date | None = None,
    talk: str | None = None,
) -> dict[str, str]:
    """The query parameters for a state, omitting what is unset (and ``per=raw``).

    >>> to_query_params(date_range=(date(2026, 2, 1), date(2026, 2, 28)), region="UA-51")
    {'start': '2026-02-01', 'end': '2026-02-28', 'region': 'UA-51'}
    """
    params: dict[str, str] = {}
    if date_range is not None:
        params["start"] = date_range[0].isoformat()
        params["end"] = date_range[1].isoformat()
    if region:
        params["region"] = region
    if metric:
        params["metric"] = metric
    if per and per != RAW:
        params["per"] = per
    if talk:
        params["talk"] = talk
    elif day is not None:
        params["day"] = day.isoformat()
    return params
