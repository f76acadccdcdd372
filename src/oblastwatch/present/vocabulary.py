"""The names a reader sees for the data's codes and the metrics, in the reader's language.

The tables keep their codes (``strike``, ``cruise missile``, ``target``, ``US–Russia``); these
functions name them for display. A code without a name here (a value a future importer adds)
is shown as it is. The Ukrainian terms follow the Air Force's daily reports and the major
Ukrainian outlets (docs/glossary-uk.md).
"""

from __future__ import annotations

import pandas as pd

from oblastwatch.i18n import ENGLISH, Translator
from oblastwatch.query.metrics import METRICS, MetricInfo


def kind_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Event kind code -> its name."""
    return {
        "strike": t.pgettext("event kind", "strike"),
        "incident": t.pgettext("event kind", "incident"),
        "talks": t.pgettext("event kind", "talks"),
        "summit": t.pgettext("event kind", "summit"),
        "call": t.pgettext("event kind", "call"),
        "agreement": t.pgettext("event kind", "agreement"),
        "exchange": t.pgettext("event kind", "exchange"),
        "return": t.pgettext("event kind", "return"),
        "announcement": t.pgettext("event kind", "announcement"),
        "other": t.pgettext("event kind", "other"),
    }


def category_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Weapon category code -> its name."""
    return {
        "drone": t.pgettext("weapon category", "drone"),
        "cruise missile": t.pgettext("weapon category", "cruise missile"),
        "ballistic missile": t.pgettext("weapon category", "ballistic missile"),
        "guided missile": t.pgettext("weapon category", "guided missile"),
        "other": t.pgettext("weapon category", "other"),
        "unknown": t.pgettext("weapon category", "unknown"),
    }


def role_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """A region's role in an event -> its name."""
    return {
        "target": t.pgettext("region role", "target"),
        "affected": t.pgettext("region role", "affected"),
        "intercepted": t.pgettext("region role", "intercepted"),
        "location": t.pgettext("region role", "location"),
    }


def lane_labels(t: Translator = ENGLISH) -> dict[str, str]:
    """Timeline lane (who sat at the table) -> its name."""
    return {
        "Russia–Ukraine": t.pgettext("timeline lane", "Russia–Ukraine"),
        "US–Ukraine": t.pgettext("timeline lane", "US–Ukraine"),
        "US–Russia": t.pgettext("timeline lane", "US–Russia"),
        "trilateral": t.pgettext("timeline lane", "trilateral"),
        "other": t.pgettext("timeline lane", "other"),
    }


def label_of(labels: dict[str, str], code: object) -> str:
    """``code``'s name in ``labels``, or the code itself as text (a value no table names)."""
    return labels.get(str(code), str(code))


def labelled(codes: object, labels: dict[str, str]) -> str:
    """A cell that may join several codes with ``;`` (``target;affected``), each named.

    >>> labelled("target;affected", role_labels())
    'target; affected'
    >>> labelled(pd.NA, role_labels())
    ''
    """
    if codes is None or (not isinstance(codes, str) and pd.isna(codes)):  # None, NaN, <NA>
        return ""
    return "; ".join(label_of(labels, part.strip()) for part in str(codes).split(";") if part)


def metric_info(metric: str, t: Translator = ENGLISH) -> MetricInfo:
    """The label, unit and description of a map metric (``query.metrics.METRICS``)."""
    info = METRICS[metric]
    return MetricInfo(t.gettext(info.label), t.gettext(info.unit), t.gettext(info.description))


def count_text(unit: str, value: float, number: str, t: Translator = ENGLISH) -> str:
    """``number`` (``value`` as written) with the metric ``unit`` in the form its count takes.

    Ukrainian has three plural forms (1 хвиля, 2 хвилі, 5 хвиль); a number shown with a
    fraction takes the genitive singular, which is the "2-4" form of these words (2,5 години).

    >>> count_text("waves", 1, "1"), count_text("waves", 3, "3"), count_text("", 0.4, "0.4")
    ('1 wave', '3 waves', '0.4')
    """
    decimal_sign = "." if t.language == ENGLISH.language else ","
    # A whole number as shown (1,234.4 shown as 1,234) takes the form its digits ask for.
    n = 2 if decimal_sign in number else round(float(value))
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
