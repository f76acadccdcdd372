"""AppTest: every page in Ukrainian, and switching language as a rerun of the same session."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from apptest_helpers import frame_with, texts
from babel.messages.pofile import read_po

from oblastwatch.i18n.catalogue import po_path
from oblastwatch.ui import state
from oblastwatch.ui.fetch import FETCH_FROM_ENV

MMA = Path(__file__).resolve().parents[1] / "data" / "mma"
PAGES = (
    "pages/map.py",
    "pages/timeline.py",
    "pages/playback.py",
    "pages/region.py",
    "pages/talks_effect.py",
    "pages/compare.py",
    "pages/data.py",
    "pages/about.py",
)
VIEW = {"start": "2026-02-01", "end": "2026-03-14", "region": "UA-51"}
# An English message this short can be a word inside other text ("Map" in "Map options", a
# code such as "URL"): those are compared with whole texts only, longer ones inside texts too.
MIN_WORDS_INSIDE = 3
# Widgets whose options are the data's own values or file-format codes (datasets, talk formats
# and parties as the source wrote them; `--format` names): shown as they are in any language.
AS_WRITTEN_OPTIONS = {
    "import_format",
    state.SOURCES_WIDGET,
    state.EFFECT_WIDGETS["formats"],
    state.EFFECT_WIDGETS["parties"],
}


def _english_messages() -> list[str]:
    """Every English message whose Ukrainian text differs, in each of its forms."""
    with po_path("uk").open("rb") as po:
        catalogue = read_po(po, locale="uk")
    found = []
    for message in catalogue:
        if not message.id:
            continue
        forms = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for form in forms:
            if form not in strings:
                # Placeholders stand for values: the parts around them are compared.
                found.extend(part.strip() for part in form.split("{") if part.strip())
    return sorted({text.split("}")[-1].strip() for text in found} - {""})


def _shown(at) -> list[str]:
    """Every text of a run: elements, metric labels, widget labels, options, buttons, tabs."""
    shown = texts(at).split("\n")
    for group in (at.selectbox, at.multiselect, at.radio, at.date_input, at.text_input,
                  at.toggle, at.button, at.number_input, at.slider, at.select_slider,
                  at.checkbox):  # fmt: skip
        for widget in group:
            shown.append(str(widget.label))
            if getattr(widget, "key", None) in AS_WRITTEN_OPTIONS:
                continue
            for option in getattr(widget, "options", None) or []:
                shown.append(str(option))
    shown.extend(str(tab.label) for tab in at.tabs)
    shown.extend(str(expander.label) for expander in at.expander)
    # The reasons in the import report's table of rejected rows are messages too.
    for frame in at.dataframe:
        if "reason" in frame.value.columns:
            shown.extend(str(reason) for reason in frame.value["reason"])
    return [text for text in shown if text]


def _english_left(at) -> list[str]:
    shown = _shown(at)
    joined = "\n".join(shown)
    whole = set(shown)
    left = []
    for message in _english_messages():
        if len(message.split()) >= MIN_WORDS_INSIDE:
            if message in joined:
                left.append(message)
        elif message in whole:
            left.append(message)
    return left


def _param(at, name: str) -> str:
    value = at.query_params[name]
    return value[-1] if isinstance(value, list) else value


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_ukrainian_shows_no_english_message(app_test, page):
    at = app_test(page=page, lang="uk", **VIEW)
    assert at.session_state[state.LANG] == "uk"
    assert _english_left(at) == []


def test_the_check_finds_english_left_on_a_page(app_test):
    # The same page in English must trip the check, or it proves nothing.
    at = app_test(page="pages/map.py", lang="en", **VIEW)
    assert "Click a region on the map to see its events." not in _english_left(at)  # selected
    assert "Regions hit" in _english_left(at)


def test_ukrainian_pages_show_ukrainian_region_names_and_months(app_test):
    at = app_test(page="pages/region.py", lang="uk", **VIEW)
    assert at.title[0].value == "Регіон"
    header = at.header[0].value
    assert header.startswith("Одеська область, 1 лют.")
    assert "14 бер. 2026" in header
    assert "Odesa" not in header


def test_browser_locale_decides_without_lang_and_the_url_records_it(app_test):
    at = app_test(page="pages/about.py", **VIEW)
    # AppTest has no browser: English, written into the link like any choice.
    assert at.title[0].value == "About oblastwatch"
    assert _param(at, "lang") == "en"


def test_switching_language_is_a_rerun_that_keeps_the_filters_and_region(app_test):
    at = app_test(page="pages/region.py", lang="uk", **VIEW)
    at.date_input(key=state.DATE_WIDGET).set_value((date(2026, 2, 10), date(2026, 2, 20))).run()
    at.selectbox(key=state.REGION_WIDGET).set_value("UA-46").run()
    marker = "set before the switch"
    at.session_state["ow_test_marker"] = marker  # survives only in the same session
    at.radio(key=state.LANG_WIDGET).set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Region"
    assert at.session_state["ow_test_marker"] == marker
    assert at.session_state[state.DATE_RANGE] == (date(2026, 2, 10), date(2026, 2, 20))
    assert at.session_state[state.REGION] == "UA-46"
    assert at.selectbox(key=state.REGION_WIDGET).value == "UA-46"
    assert at.date_input(key=state.DATE_WIDGET).value == (date(2026, 2, 10), date(2026, 2, 20))
    assert _param(at, "lang") == "en"
    assert _param(at, "region") == "UA-46"
    assert _param(at, "start") == "2026-02-10"
    at.radio(key=state.LANG_WIDGET).set_value("uk").run()
    assert at.title[0].value == "Регіон"
    assert at.session_state[state.DATE_RANGE] == (date(2026, 2, 10), date(2026, 2, 20))
    assert at.session_state[state.REGION] == "UA-46"
    assert "Львівська область" in at.header[0].value


# A file with rows the importer rejects (a bad count, a bad date, an exact duplicate) and an
# id shared by two different rows, so the report has reasons and notes; then a file no
# format matches, so the page shows an unusable file's error.
BAD_ROWS_CSV = (
    "id,date,latitude,longitude,location,description,killed\n"
    "P1,2026-03-10,46.48,30.73,Odesa,Port area hit,2\n"
    "P2,2026-03-11,50.45,30.52,Kyiv,Residential block hit,abc\n"
    "P3,2026-02-30,50.45,30.52,Kyiv,Bad date,\n"
    "P1,2026-03-13,49.99,36.23,Kharkiv,Another incident,\n"
    "P1,2026-03-10,46.48,30.73,Odesa,Port area hit,2\n"
)


def _import_path(at, path) -> None:
    at.text_input(key="import_path").set_value(str(path)).run()
    at.button(key="import_path_button").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_the_data_page_in_ukrainian_shows_an_import_report_and_errors_in_ukrainian(
    app_test, tmp_path, monkeypatch
):
    monkeypatch.setenv("OBLASTWATCH_ALLOW_LOCAL_PATHS", "1")
    bad_rows = tmp_path / "report-check.csv"
    bad_rows.write_text(BAD_ROWS_CSV)
    at = app_test(page="pages/data.py", lang="uk")
    _import_path(at, bad_rows)
    reasons = list(frame_with(at, "reason")["reason"])
    assert reasons == [
        "'abc' — не число",
        "'2026-02-30' — не дата у вигляді 2024-01-02, 01/02/2024 (спершу місяць), "
        "02.01.2024 або 2024-01-02 08:00",
        "дублікат рядка 0: усі стовпці однакові",
    ]
    notes = [element.value for element in at.text]
    assert any(note.startswith("id 'P1' мають 2 відмінні рядки") for note in notes), notes
    assert _english_left(at) == []

    unusable = tmp_path / "unusable.csv"
    unusable.write_text("when,what\n2026-03-10,something\n")
    _import_path(at, unusable)
    [error] = [element.value for element in at.error]
    assert error.startswith("unusable.csv: рядок (заголовок), стовпець (none): невідомий формат")
    assert _english_left(at) == []


def test_the_report_check_finds_english_reasons(app_test, tmp_path, monkeypatch):
    # The same import in English must trip the check on the report's reasons and notes.
    monkeypatch.setenv("OBLASTWATCH_ALLOW_LOCAL_PATHS", "1")
    bad_rows = tmp_path / "report-check.csv"
    bad_rows.write_text(BAD_ROWS_CSV)
    at = app_test(page="pages/data.py", lang="en")
    _import_path(at, bad_rows)
    left = _english_left(at)
    assert "' is not a number" in left
    assert ": every column is the same" in left
    assert any(text.startswith("' is not a date like") for text in left)


def test_the_data_page_in_ukrainian_after_a_fetch_and_a_failed_one(
    app_test, data_dir, monkeypatch, tmp_path
):
    # From the local copy of the Air Force figures the fetch tests use, never Kaggle.
    monkeypatch.setenv(FETCH_FROM_ENV, str(MMA / "current.csv"))
    at = app_test(page="pages/data.py", lang="uk")
    at.button(key="fetch_mma_button").click().run()
    assert not at.exception, [e.value for e in at.exception]
    [summary] = [element.value for element in at.success if "current.csv" in element.value]
    assert ": 7 рядків, з 2024-02-28 по 2026-02-26; відхилено 3 рядки" in summary
    assert summary.endswith("; перше отримання.")
    assert "'" in frame_with(at, "reason")["reason"].iloc[0]
    assert _english_left(at) == []

    broken = tmp_path / "broken"
    broken.mkdir()
    shutil.copy(MMA / "catalog.csv", broken / "catalog.csv")
    monkeypatch.setenv(FETCH_FROM_ENV, str(broken))
    at.button(key="fetch_mma_button").click().run()
    [error] = [element.value for element in at.error]
    assert error.endswith("немає в наборі даних (знайдено: catalog.csv); можливо, змінилася "
                          "його структура. Завантажте його вручну й скористайтеся --from ШЛЯХ "
                          "або oblastwatch import. Уже завантажені дані не змінено.")  # fmt: skip
    assert _english_left(at) == []


def test_the_talks_effect_page_says_its_rule_and_names_its_sources_in_ukrainian(app_test):
    at = app_test(page="pages/talks_effect.py", lang="uk", **VIEW)
    # Captions are Markdown, their punctuation escaped.
    captions = [caption.value.replace("\\", "") for caption in at.caption]
    [rule] = [text for text in captions if text.startswith("показник:")]
    assert "кількість великих хвиль атак за день за даними укладеного переліку" in rule
    options = [str(option) for box in at.selectbox for option in box.options]
    assert any("(вбудований, " in option and "рядків про удари)" in option for option in options)
    english = app_test(page="pages/talks_effect.py", lang="en", **VIEW)
    # In English the same line is the CLI's, word for word (its template is in the catalogue).
    english_captions = [caption.value.replace("\\", "") for caption in english.caption]
    assert any(text.startswith("metric: waves (count of major") for text in english_captions)
    assert "count of major attack waves per day" in _english_left(english)


def test_a_refused_url_import_is_explained_in_ukrainian(app_test):
    at = app_test(page="pages/data.py", lang="uk")
    at.text_input(key="import_url").set_value("file:///etc/passwd").run()
    at.button(key="import_url_button").click().run()
    assert [error.value for error in at.error] == [
        "Імпортувати можна лише адреси http:// і https:// (схема: file)."
    ]
    assert _english_left(at) == []
