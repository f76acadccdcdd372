"""The Data page's forms that change the data: import (upload, local path, URL) and removal.

Shown only to a session that may write (:func:`oblastwatch.ui.access.can_write`); the functions
that write check again.
"""

from __future__ import annotations

import streamlit as st

from oblastwatch import importers
from oblastwatch.storage.curated_additions import template_csv
from oblastwatch.storage.imported import imported_datasets
from oblastwatch.ui import imports, state
from oblastwatch.ui.language import t


def removal_buttons() -> None:
    """One "Remove" button per imported dataset, and the error of the last removal."""
    _ = t().gettext
    if error := st.session_state.pop(state.REMOVE_ERROR, None):
        st.error(error)
    for directory in imported_datasets():
        name_col, button_col = st.columns([4, 1])
        name_col.text(directory.name)
        button_col.button(
            _("Remove"),
            key=f"remove_{directory.name}",
            on_click=imports.remove_imported,
            args=(directory,),
            help=_("Delete the imported dataset {name}").format(name=directory.name),
        )


def own_tables_help() -> None:
    """How to add one's own talks and strikes rows, with the two empty tables to download."""
    _ = t().gettext
    with st.expander(_("Add your own talks or strikes")):
        st.markdown(
            _(
                "The bundled tables end in March 2026. Fill a template (the bundled columns), "
                "one row per event with the page that confirms it in `source_url`, and import "
                "it here or with `oblastwatch import`. Your rows join the bundled tables under "
                "the same checks: a source URL on every row, valid dates, and ids not used by "
                "the bundled table or your other tables. The guide is "
                "`docs/adding-your-own-data.md`."
            )
        )
        talks_col, strikes_col = st.columns(2)
        labels = {"talks": _("Talks template (CSV)"), "strikes": _("Strikes template (CSV)")}
        for column, fmt in ((talks_col, "talks"), (strikes_col, "strikes")):
            column.download_button(
                labels[fmt],
                data=template_csv(fmt),
                file_name=f"{fmt}.csv",
                mime="text/csv",
                key=f"template_{fmt}",
                on_click="ignore",
            )


def import_section() -> None:
    """The import form: format, name, licence; upload, local path or URL; the last report."""
    own_tables_help()
    _ = t().gettext
    fmt = st.selectbox(
        _("Format"),
        importers.FORMATS,
        key="import_format",
        help=_("auto detects the format from the header"),
    )
    name = st.text_input(
        _("Dataset name (optional)"),
        key="import_name",
        max_chars=64,
        help=_("Defaults to the file name; letters, digits, '.', '_' and '-' are kept"),
    )
    licence = st.text_input(
        _("Licence or source note (optional)"), key="import_licence", max_chars=300
    )
    upload_tab, path_tab, url_tab = st.tabs([_("Upload"), _("Local path"), _("URL")])
    obtain = None
    origin = default = ""
    with upload_tab:
        upload = st.file_uploader(
            _("File (CSV or JSON)"),
            key="import_upload",
            type=["csv", "json", "geojson", "txt", "tsv"],
        )
        pressed = st.button(_("Import upload"), key="import_upload_button", disabled=upload is None)
        if pressed and upload is not None:
            obtain, origin, default = (
                imports.save_upload(upload),
                f"upload: {upload.name}",
                upload.name,
            )
    quote_content = True
    with path_tab:
        paths_allowed, why = imports.local_paths_allowed()
        if paths_allowed:
            path_text = st.text_input(_("Path to a file on the server"), key="import_path")
            st.caption(_("Reads a file on the machine that runs the app ({why}).").format(why=why))
            if st.button(
                _("Import file"), key="import_path_button", disabled=not path_text.strip()
            ):
                obtain, origin = imports.local_file(path_text), imports.path_origin(path_text)
                default = path_text
                quote_content = False
        else:
            st.info(
                _(
                    "Import by path is turned off: {why}. It reads files on the server's disk, so "
                    "it is offered only when the app listens on 127.0.0.1, localhost or ::1 (the "
                    "default in .streamlit/config.toml), or with {variable}=1. Upload the file "
                    "instead."
                ).format(why=why, variable=imports.ALLOW_LOCAL_PATHS_ENV)
            )
    with url_tab:
        url = st.text_input(_("http(s) URL"), key="import_url", placeholder="https://…/attacks.csv")
        st.caption(
            _("Only http and https; {size} MB at most.").format(
                size=imports.MAX_IMPORT_BYTES // 2**20
            )
        )
        if st.button(_("Download and import"), key="import_url_button", disabled=not url.strip()):
            obtain, origin, default = imports.url_download(url), f"URL: {url}", url
    if obtain is not None:
        chosen = name.strip() or imports.default_dataset_name(default)
        if imports.run_import(
            obtain,
            name=chosen,
            fmt=fmt,
            origin=origin,
            licence=licence or None,
            quote_content=quote_content,
        ):
            st.rerun()
    imports.show_last_report()
