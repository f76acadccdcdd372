"""Query-string state of the app: parse, validate and write back (no Streamlit here).

The app mirrors its shared state in the URL so a view can be bookmarked and shared::

    ?start=2026-02-01&end=2026-02-28&region=UA-51&metric=waves&per=people
    ?day=2026-02-26            (a day picked on the timeline)
    ?talk=E123                 (a round of talks picked on the timeline)
    ?frame=2026-02-07&step=week&window=7   (the Playback page's frame, step and window)
    ?lang=uk                   (the interface language: uk or en)

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
from oblastwatch.i18n import ENGLISH, LANGUAGES, Translator
from oblastwatch.query.playback import MAX_WINDOW, STEPS

KNOWN_PARAMS = (
    "start", "end", "region", "metric", "per", "day", "talk", "frame", "step", "window", "lang",
)  # fmt: skip
# The Playback page's parameters: the browser moves ``frame`` (and writes the other two with
# it) while a reader plays and pauses, without a rerun (present/playback/component.py).
PLAYBACK_PARAMS = ("frame", "step", "window")
CUMULATIVE = "cumulative"
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
    frame: date | None = None
    step: str | None = None
    window: int | str | None = None  # days, or CUMULATIVE
    lang: str | None = None  # a key of oblastwatch.i18n.LANGUAGES
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


def parse_language(value: str | list[str] | None) -> str | None:
    """The language a ``lang`` parameter names, ``None`` when absent or not offered.

    >>> parse_language("uk"), parse_language(["en"]), parse_language("UK "), parse_language("ru")
    ('uk', 'en', 'uk', None)
    """
    if value is None:
        return None
    text = _single(value).strip().lower()
    return text if text in LANGUAGES else None


def parse_window(text: str) -> int | str | None:
    """A window parameter as days or :data:`CUMULATIVE`; ``None`` when it is neither.

    >>> parse_window("7"), parse_window("cumulative"), parse_window("0"), parse_window("7d")
    (7, 'cumulative', None, None)
    """
    if text == CUMULATIVE:
        return CUMULATIVE
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        return None
    days = int(text)
    return days if 1 <= days <= MAX_WINDOW else None


def only_playback_moved(current: Mapping[str, str], last_written: Mapping[str, str]) -> bool:
    """Whether ``current`` differs from ``last_written`` in the playback parameters alone.

    The Playback component moves those in the browser; the rest of the URL is still the
    state the app wrote, so nothing else must be re-read.

    >>> only_playback_moved({"metric": "waves", "frame": "2026-02-07"}, {"metric": "waves"})
    True
    >>> only_playback_moved({"metric": "days", "frame": "2026-02-07"}, {"metric": "waves"})
    False
    """
    keys = set(current) | set(last_written)
    changed = {key for key in keys if current.get(key) != last_written.get(key)}
    return bool(changed) and changed <= set(PLAYBACK_PARAMS)


def parse_query_params(
    params: Mapping[str, str | list[str]],
    *,
    metrics: Iterable[str],
    region_codes: Collection[str] = REGION_CODES,
    talk_ids: Collection[str] | None = None,
    bounds: tuple[date, date] | None = None,
    t: Translator = ENGLISH,
) -> UrlState:
    """Validate query parameters; anything invalid is dropped and explained in ``notices``.

    ``metrics`` are the accepted metric names, ``talk_ids`` the event ids of the loaded
    diplomatic events (``None``: only the id's shape is checked), ``bounds`` the first and
    last day of the loaded data (dates outside are clamped, ranges wholly outside dropped).
    The notices are written in ``t``'s language.

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
            notices.append(
                t.gettext("Ignored unknown URL parameter {name}.").format(name=preview(key))
            )
            continue
        value = _single(raw).strip()
        if len(value) > MAX_VALUE_LENGTH:
            notices.append(
                t.gettext(
                    "Ignored URL parameter {name}: value longer than {limit} characters ({value})."
                ).format(name=key, limit=MAX_VALUE_LENGTH, value=preview(value))
            )
            continue
        values[key] = value

    def reject(key: str, expected: str) -> None:
        notices.append(
            t.gettext("Ignored URL parameter {name}={value}: expected {expected}.").format(
                name=key, value=preview(values[key]), expected=expected
            )
        )

    dates: dict[str, date] = {}
    for key in ("start", "end", "day", "frame"):
        if key not in values:
            continue
        parsed = _parse_iso_date(values[key])
        if parsed is None:
            reject(key, t.gettext("a date as YYYY-MM-DD"))
        else:
            dates[key] = parsed

    start, end = dates.get("start"), dates.get("end")
    if (start is None) != (end is None):
        given = "start" if start is not None else "end"
        notices.append(
            t.gettext("Ignored URL parameter {name}: start and end must be given together.").format(
                name=given
            )
        )
        start = end = None
    if start is not None and end is not None and start > end:
        notices.append(
            t.gettext(
                "Ignored URL parameters start and end: start {start} is after end {end}."
            ).format(start=start, end=end)
        )
        start = end = None
    if start is not None and end is not None and bounds is not None:
        first, last = bounds
        if end < first or start > last:
            notices.append(
                t.gettext(
                    "Ignored URL parameters start and end: {start} to {end} lies outside the "
                    "loaded data ({first} to {last})."
                ).format(start=start, end=end, first=first, last=last)
            )
            start = end = None
        elif start < first or end > last:
            clamped = (max(start, first), min(end, last))
            notices.append(
                t.gettext(
                    "Date range {start} to {end} clamped to the loaded data: {first} to {last}."
                ).format(start=start, end=end, first=clamped[0], last=clamped[1])
            )
            start, end = clamped

    day = dates.get("day")
    if day is not None and bounds is not None and not bounds[0] <= day <= bounds[1]:
        notices.append(
            t.gettext(
                "Ignored URL parameter {name}={value}: outside the loaded data ({first} to {last})."
            ).format(name="day", value=day, first=bounds[0], last=bounds[1])
        )
        day = None

    region = values.get("region")
    if region is not None:
        normalised = region.upper()
        if normalised in region_codes:
            region = normalised
        else:
            reject("region", t.gettext("an ISO 3166-2:UA region code such as UA-51"))
            region = None

    metric = values.get("metric")
    if metric is not None and metric not in metric_names:
        reject("metric", t.gettext("one of {choices}").format(choices=", ".join(metric_names)))
        metric = None

    per = values.get("per")
    if per is not None and per not in NORMALISATIONS:
        reject("per", t.gettext("one of {choices}").format(choices=", ".join(NORMALISATIONS)))
        per = None

    talk = values.get("talk")
    if talk is not None:
        if not _TALK_ID.match(talk):
            reject("talk", t.gettext("the id of a diplomatic event"))
            talk = None
        elif talk_ids is not None and talk not in talk_ids:
            reject("talk", t.gettext("the id of a loaded diplomatic event"))
            talk = None

    frame = dates.get("frame")
    if frame is not None and bounds is not None and not bounds[0] <= frame <= bounds[1]:
        notices.append(
            t.gettext(
                "Ignored URL parameter {name}={value}: outside the loaded data ({first} to {last})."
            ).format(name="frame", value=frame, first=bounds[0], last=bounds[1])
        )
        frame = None

    step = values.get("step")
    if step is not None and step not in STEPS:
        reject("step", t.gettext("one of {choices}").format(choices=", ".join(STEPS)))
        step = None

    window = None
    if "window" in values:
        window = parse_window(values["window"])
        if window is None:
            reject(
                "window",
                t.gettext("a number of days from 1 to {limit}, or {cumulative}").format(
                    limit=MAX_WINDOW, cumulative=CUMULATIVE
                ),
            )

    lang = None
    if "lang" in values:
        lang = parse_language(values["lang"])
        if lang is None:
            reject("lang", t.gettext("one of {choices}").format(choices=", ".join(LANGUAGES)))

    if talk is not None and day is not None:
        notices.append(
            t.gettext("Ignored URL parameter day: talk is given too and takes precedence.")
        )
        day = None

    return UrlState(
        start=start,
        end=end,
        region=region,
        metric=metric,
        per=per,
        day=day,
        talk=talk,
        frame=frame,
        step=step,
        window=window,
        lang=lang,
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
    playback: tuple[date | None, str, int | None] | None = None,
    lang: str | None = None,
) -> dict[str, str]:
    """The query parameters for a state, omitting what is unset (and ``per=raw``).

    ``playback`` is the Playback page's ``(frame, step, window)``, ``window`` None for
    cumulative; given only while that page runs. ``lang`` comes first, so a shared link
    opens in the language it was copied in.

    >>> to_query_params(date_range=(date(2026, 2, 1), date(2026, 2, 28)), region="UA-51")
    {'start': '2026-02-01', 'end': '2026-02-28', 'region': 'UA-51'}
    >>> to_query_params(region="UA-51", lang="uk")
    {'lang': 'uk', 'region': 'UA-51'}
    """
    params: dict[str, str] = {}
    if lang:
        params["lang"] = lang
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
    if playback is not None:
        frame, step, window = playback
        if frame is not None:
            params["frame"] = frame.isoformat()
        params["step"] = step
        params["window"] = CUMULATIVE if window is None else str(window)
    return params
