"""The names a reader sees for the data's codes and the metrics, in the reader's language.

The tables keep their codes (``strike``, ``cruise missile``, ``target``, ``US–Russia``); these
functions name them for display. A code without a name here (a value a future importer adds)
is shown as it is. The Ukrainian terms follow the Air Force's daily reports and the major
Ukrainian outlets (docs/glossary-uk.md).
"""

from __future__ import annotations

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.query.metrics import METRICS, MetricInfo


def kind_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Event kind code -> its name."""
    p = t.pgettext
    return {
        "strike": p("event kind", "strike"),
        "incident": p("event kind", "incident"),
        "talks": p("event kind", "talks"),
        "summit": p("event kind", "summit"),
        "call": p("event kind", "call"),
        "agreement": p("event kind", "agreement"),
        "exchange": p("event kind", "exchange"),
        "return": p("event kind", "return"),
        "announcement": p("event kind", "announcement"),
        "other": p("event kind", "other"),
    }


def category_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Weapon category code -> its name."""
    p = t.pgettext
    return {
        "drone": p("weapon category", "drone"),
        "cruise missile": p("weapon category", "cruise missile"),
        "ballistic missile": p("weapon category", "ballistic missile"),
        "guided missile": p("weapon category", "guided missile"),
        "other": p("weapon category", "other"),
        "unknown": p("weapon category", "unknown"),
    }


def role_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """A region's role in an event -> its name."""
    p = t.pgettext
    return {
        "target": p("region role", "target"),
        "affected": p("region role", "affected"),
        "intercepted": p("region role", "intercepted"),
        "location": p("region role", "location"),
    }


def lane_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Timeline lane (who sat at the table) -> its name."""
    p = t.pgettext
    return {
        "Russia–Ukraine": p("timeline lane", "Russia–Ukraine"),
        "US–Ukraine": p("timeline lane", "US–Ukraine"),
        "US–Russia": p("timeline lane", "US–Russia"),
        "trilateral": p("timeline lane", "trilateral"),
        "other": p("timeline lane", "other"),
    }


def label_of(labels: dict[str, str], code: object) -> str:
    """``code``'s name in ``labels``, or the code itself as text (a value no table names)."""
    return labels.get(str(code), str(code))


def labelled(codes: object, labels: dict[str, str]) -> str:
    """A cell that may join several codes with ``;`` (``target;affected``), each named.

    >>> labelled("target;affected", role_labels())
    'target; affected'
    """
    if codes is None or codes != codes:  # None or NaN
        return ""
    return "; ".join(label_of(labels, part.strip()) for part in str(codes).split(";") if part)


def metric_info(metric: str, t: Translator = ENGLISH) -> MetricInfo:
    """The label, unit and description of a map metric (``query.metrics.METRICS``)."""
    info = METRICS[metric]
    return MetricInfo(t.gettext(info.label), t.gettext(info.unit), t.gettext(info.description))


def count_text(unit: str, value: float, number: str, t: Translator = ENGLISH) -> str:
    """``number`` (``value`` as written) with the metric ``unit`` in the form its count takes.

    Ukrainian has three plural forms (1 хвиля, 2 хвилі, 5 хвиль); a fraction takes the
    genitive singular, which is the "2-4" form of these words (2,5 години).

    >>> count_text("waves", 1, "1"), count_text("waves", 3, "3"), count_text("", 0.4, "0.4")
    ('1 wave', '3 waves', '0.4')
    """
    n = int(value) if float(value).is_integer() else 2
    forms = {
        "waves": t.ngettext("{number} wave", "{number} waves", n),
        "days": t.ngettext("{number} day", "{number} days", n),
        "weapons launched": t.ngettext("{number} weapon launched", "{number} weapons launched", n),
        "incidents": t.ngettext("{number} incident", "{number} incidents", n),
        "hours under alert": t.ngettext(
            "{number} hour under alert", "{number} hours under alert", n
        ),
    }
    if unit in forms:
        return forms[unit].format(number=number)
    return f"{number} {t.gettext(unit)}".strip() if unit else number
