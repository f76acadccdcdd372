"""The Data page's import flow: fetch or receive a file, import it, save it, report.

Every step runs behind ``st.progress``; every failure ends as one ``st.error`` line (the
importer's :class:`UnusableInput` message, a download error, a store error), never a traceback.
The imported dataset is saved under a sanitised name in the user data directory.

"Local path" reads a file on the server's disk, so it is offered only when the server listens
on a loopback address (``server.address`` 127.0.0.1, localhost or ::1: only this machine can
open the app) or when ``OBLASTWATCH_ALLOW_LOCAL_PATHS=1``; ``=0`` turns it off everywhere (for
a loopback server published by a reverse proxy). Its errors never quote the file's contents.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from oblastwatch import importers
from oblastwatch.domain import model
from oblastwatch.domain.regions import REGION_CODES, region_name
from oblastwatch.i18n import Message
from oblastwatch.importers import remote
from oblastwatch.importers.detect import UNKNOWN_FORMAT
from oblastwatch.importers.report import NO_COLUMN, reason_message, stored_notes
from oblastwatch.storage.curated_additions import taken_ids
from oblastwatch.storage.dataset import StoreError
from oblastwatch.storage.imported import remove_dataset, safe_dataset_name, save_dataset
from oblastwatch.storage.paths import user_data_dir
from oblastwatch.ui import access, state
from oblastwatch.ui.language import t

# Same cap as server.maxUploadSize in .streamlit/config.toml.
MAX_IMPORT_BYTES = 200 * 1024 * 1024
ALLOW_LOCAL_PATHS_ENV = "OBLASTWATCH_ALLOW_LOCAL_PATHS"


def local_paths_allowed() -> tuple[bool, str]:
    """Whether "Local path" import is offered, and why (one line for the page)."""
    _ = t().gettext
    setting = os.environ.get(ALLOW_LOCAL_PATHS_ENV, "").strip()
    if setting == "1":
        return True, _("allowed by {variable}=1").format(variable=ALLOW_LOCAL_PATHS_ENV)
    if setting == "0":
        return False, _("turned off by {variable}=0").format(variable=ALLOW_LOCAL_PATHS_ENV)
    address = str(st.get_option("server.address") or "").strip()
    if remote.is_loopback_address(address):
        return True, _("the app listens on {address} only").format(address=address)
    where = address or _("every network interface (server.address is not set)")
    return False, _(
        "the app listens on {where}, so visitors from other machines could use it"
    ).format(where=where)


@cache
def _known_columns() -> frozenset[str]:
    from oblastwatch.importers.detect import expected_columns

    return frozenset(re.findall(r"[A-Za-z_]+", expected_columns())) | set(model.EVENT_COLUMNS)


def redacted_error(error: importers.UnusableInput) -> str:
    """The one-line error of a file read by path, without quoting the file's contents.

    File name, row and the reason's own words stay; every text the reason quotes (header
    names, values, the file's own words) becomes "…" unless it is a column the importers
    know; numbers (lines, counts) stay. A column is named only when it is one they know.
    """
    column = error.column if error.column in _known_columns() or error.column == NO_COLUMN else "…"
    if error.reason_message.text == UNKNOWN_FORMAT.text:  # all it quotes is the header
        reason = Message("unknown format: the header matches no known format")
    else:
        reason = _redacted(error.reason_message)
    line = error.message(reason).with_values({"column": column})
    return t().message(line)


def _redacted(message: Message) -> Message:
    def value(item: object) -> object:
        if isinstance(item, Message):
            return _redacted(item)
        if isinstance(item, list | tuple):
            return [value(part) for part in item]
        if isinstance(item, str):
            return item if item in _known_columns() else "…"
        return item

    return Message(
        message.text,
        {key: value(item) for key, item in message.values.items()},
        plural=message.plural,
        n=message.n,
    )


def error_line(error: importers.UnusableInput) -> str:
    """The one line of an unusable file in the page's language."""
    return t().message(error.message())


def run_import(
    fetch: Callable[[Path, Callable[[float, str], None]], Path],
    *,
    name: str,
    fmt: str,
    origin: str,
    licence: str | None = None,
    catalog: Path | None = None,
    quote_content: bool = True,
) -> bool:
    """Fetch the input into a temporary directory, import it and save it as dataset ``name``.

    ``fetch(tmpdir, report_progress)`` returns the path of the file to import. On success the
    report is kept in session state for the next run and ``True`` is returned.
    ``quote_content=False`` (files read by path) shows :func:`redacted_error` lines.
    """
    _ = t().gettext
    if not access.can_write():
        st.error(access.read_only_message())
        return False
    bar = st.progress(0.0, text=_("Preparing the import…"))

    def report_progress(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    try:
        dataset_name = safe_dataset_name(name)
    except ValueError as error:
        bar.empty()
        st.error(_("Dataset name: {error}").format(error=error))
        return False
    with tempfile.TemporaryDirectory(prefix="oblastwatch-import-") as tmp:
        try:
            path = fetch(Path(tmp), report_progress)
            report_progress(0.4, _("Reading and resolving places…"))
            result = importers.import_file(
                path,
                fmt=fmt,
                catalog=catalog,
                source_name=dataset_name,
                max_bytes=MAX_IMPORT_BYTES,
                # A talks or strikes table joins the bundled one: its ids must be new.
                taken_ids=taken_ids(except_dataset=dataset_name),
            )
            report_progress(
                0.8, _("Saving {count} events…").format(count=result.report.rows_imported)
            )
            save_dataset(
                user_data_dir() / dataset_name,
                result,
                name=dataset_name,
                licence=licence,
                origin=origin,
            )
        except importers.UnusableInput as error:
            bar.empty()
            st.error(error_line(error) if quote_content else redacted_error(error))
            return False
        except remote.DownloadError as error:
            bar.empty()
            st.error(t().message(error.message))
            return False
        except StoreError as error:
            bar.empty()
            st.error(t().message(error.message))
            return False
        except OSError as error:
            bar.empty()
            st.error(
                _("Could not read or write a file: {error}").format(error=error.strerror or error)
            )
            return False
    report_progress(1.0, _("Done."))
    st.session_state[state.IMPORT_RESULT] = {"name": dataset_name, **result.report.to_dict()}
    return True


def default_dataset_name(file_name: str) -> str:
    """A dataset name from a file name, path or URL: its last segment without the extension.

    >>> default_dataset_name("/data/missile_attacks_daily.csv")
    'missile_attacks_daily'
    """
    stem = Path(remote.file_name_from_url("/" + file_name.strip(), "dataset")).stem
    try:
        return safe_dataset_name(stem)
    except ValueError:
        return "dataset"


def save_upload(upload: Any) -> Callable[[Path, Callable[[float, str], None]], Path]:
    """A fetch step writing an ``st.file_uploader`` file under a sanitised name."""

    def fetch(tmp: Path, progress: Callable[[float, str], None]) -> Path:
        target = tmp / remote.file_name_from_url("/" + str(upload.name), "upload.csv")
        target.write_bytes(upload.getvalue())
        size = f"{len(upload.getvalue()) / 1e6:.1f}"
        progress(0.2, t().gettext("Received {size} MB").format(size=size))
        return target

    return fetch


def path_origin(path_text: str) -> str:
    """The origin recorded for a file read by path: its name only.

    Every visitor sees the origin, and the server's directories are not theirs to map.
    """
    return f"file: {Path(path_text.strip()).name}"


def local_file(path_text: str) -> Callable[[Path, Callable[[float, str], None]], Path]:
    """A fetch step for a file on this machine (read in place, never modified).

    Refuses unless :func:`local_paths_allowed` (checked again here, not only by the page).
    """

    def fetch(tmp: Path, progress: Callable[[float, str], None]) -> Path:
        path = Path(path_text.strip()).expanduser()
        allowed, why = local_paths_allowed()
        if not allowed:
            # ``why`` is already in the page's language (local_paths_allowed).
            raise importers.UnusableInput(
                path, Message("import by path is turned off: {why}", {"why": why})
            )
        if not path.is_file():
            raise importers.UnusableInput(
                path, Message("no such file (give the full path to a file)")
            )
        size = path.stat().st_size
        if size > MAX_IMPORT_BYTES:
            raise importers.UnusableInput(
                path,
                Message(
                    "file is {size:.0f} MB, over the {limit:.0f} MB limit",
                    {"size": size / 1e6, "limit": MAX_IMPORT_BYTES / 1e6},
                ),
            )
        progress(0.2, t().gettext("Found {size} MB").format(size=f"{size / 1e6:.1f}"))
        return path

    return fetch


def url_download(url: str) -> Callable[[Path, Callable[[float, str], None]], Path]:
    """A fetch step downloading an http(s) URL with a timeout and the size cap."""
    downloaded = t().gettext("Downloaded {size} MB")

    def fetch(tmp: Path, progress: Callable[[float, str], None]) -> Path:
        target = tmp / remote.file_name_from_url(url)

        def on_bytes(done: int, total: int | None) -> None:
            share = done / total if total else 0.0
            progress(0.3 * share, downloaded.format(size=f"{done / 1e6:.1f}"))

        return remote.download(url, target, max_bytes=MAX_IMPORT_BYTES, progress=on_bytes)

    return fetch


def show_last_report() -> None:
    """The report of the last import of this session: counts, rejected rows, unresolved places."""
    report = st.session_state.get(state.IMPORT_RESULT)
    if not report:
        return
    tr = t()
    _ = tr.gettext
    st.success(
        # English says "1 of 1 rows"; Ukrainian declines the total ("з 1 рядка", "з 5 рядків").
        tr.ngettext(
            "Imported {imported} of {total} rows as dataset “{name}”; {rejected} rejected.",
            "Imported {imported} of {total} rows as dataset “{name}”; {rejected} rejected.",
            report["rows_in"],
        ).format(
            imported=report["rows_imported"],
            total=report["rows_in"],
            name=report["name"],
            rejected=report["rows_rejected"],
        )
    )
    cols = st.columns(3)
    cols[0].metric(_("Rows in"), report["rows_in"])
    cols[1].metric(_("Imported"), report["rows_imported"])
    cols[2].metric(_("Rejected"), report["rows_rejected"])
    if report.get("scopes"):
        scopes = pd.DataFrame(sorted(report["scopes"].items()), columns=["scope", "events"])
        st.dataframe(
            scopes,
            hide_index=True,
            key="import_scopes",
            column_config={
                "scope": st.column_config.TextColumn(_("Scope")),
                "events": st.column_config.NumberColumn(_("Events")),
            },
        )
    if report.get("rejected"):
        st.markdown(_("**Rejected rows** (0-based data rows)"))
        rejected = pd.DataFrame(
            {
                "row": [record["row"] for record in report["rejected"]],
                "column": [record["column"] for record in report["rejected"]],
                "reason": [tr.message(reason_message(record)) for record in report["rejected"]],
            }
        )
        st.dataframe(
            rejected,
            hide_index=True,
            key="import_rejected",
            column_config={
                "row": st.column_config.NumberColumn(_("Row")),
                "column": st.column_config.TextColumn(_("Column")),
                "reason": st.column_config.TextColumn(_("Reason")),
            },
        )
    if report.get("unresolved"):
        st.markdown(_("**Places not resolved to a region**, with suggestions"))
        suggestions = report.get("suggestions") or {}
        unresolved = pd.DataFrame(
            [
                {
                    "place": text,
                    "rows": count,
                    "suggestions": "; ".join(
                        suggestion_in(hint, tr.language) for hint in suggestions.get(text, [])
                    ),
                }
                for text, count in sorted(report["unresolved"].items(), key=lambda kv: -kv[1])
            ]
        )
        st.dataframe(
            unresolved,
            hide_index=True,
            key="import_unresolved",
            column_config={
                "place": st.column_config.TextColumn(_("Place")),
                "rows": st.column_config.NumberColumn(_("Rows")),
                "suggestions": st.column_config.TextColumn(_("Suggestions")),
            },
        )
    for note in stored_notes(report):
        st.text(tr.message(note))
    st.button(_("Hide report"), key="hide_import_report", on_click=_hide_report)


# A stored suggestion: "Vinnytsia Oblast (UA-05)" or "Kramatorsk, Donetsk Oblast (UA-14)".
_SUGGESTION = re.compile(r"^(?:(?P<place>.+), )?(?P<region>[^,]+) \((?P<code>UA-\d{2})\)$")


def suggestion_in(text: str, language: str) -> str:
    """A stored suggestion with its region named in ``language``; the place as the gazetteer has it.

    Reports store suggestions as English text; the region's own name is swapped for its name
    in the reader's language only where the text is exactly as ``places.suggest`` wrote it.

    >>> suggestion_in("Kramatorsk, Donetsk Oblast (UA-14)", "uk")
    'Kramatorsk, Донецька область (UA-14)'
    >>> suggestion_in("Vinnytsia Oblast (UA-05)", "en"), suggestion_in("something else", "uk")
    ('Vinnytsia Oblast (UA-05)', 'something else')
    """
    found = _SUGGESTION.match(text)
    if language == "en" or found is None or found["code"] not in REGION_CODES:
        return text
    code = found["code"]
    if region_name(code) != found["region"]:
        return text
    named = f"{region_name(code, language)} ({code})"
    return f"{found['place']}, {named}" if found["place"] else named


def _hide_report() -> None:
    st.session_state[state.IMPORT_RESULT] = None


def remove_imported(path: Path) -> None:
    """Button callback: delete an imported dataset directory (never in public mode)."""
    if not access.can_write():
        st.session_state[state.REMOVE_ERROR] = access.read_only_message()
        return
    try:
        remove_dataset(path)
    except StoreError as error:
        st.session_state[state.REMOVE_ERROR] = t().message(error.message)
