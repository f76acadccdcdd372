"""Data: what is loaded, import a dataset (upload, local path, URL), downloads."""

from __future__ import annotations

import streamlit as st

from oblastwatch import importers
from oblastwatch.storage.imported import imported_datasets
from oblastwatch.storage.paths import user_data_dir
from oblastwatch.ui import data, downloads, fetch, imports, notices, state
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
st.title("Data")

st.header("Loaded datasets")
dataset = data.load_dataset()
for notice in data.load_notices():
    st.info(notice, icon=notices.LOAD_NOTICE_ICON)
st.dataframe(
    dataset.sources[["name", "kind", "rows", "start", "end", "licence", "description"]],
    hide_index=True,
    key="sources_table",
    column_config={
        "name": st.column_config.TextColumn("Dataset"),
        "kind": st.column_config.TextColumn("Kind"),
        "rows": st.column_config.NumberColumn("Events", format="%d"),
        "description": st.column_config.TextColumn("Description / origin", width="large"),
        "start": st.column_config.DateColumn("First day", format="YYYY-MM-DD"),
        "end": st.column_config.DateColumn("Last day", format="YYYY-MM-DD"),
        "licence": st.column_config.TextColumn("Licence / source", width="large"),
    },
)
st.caption(
    "Imported datasets are stored in this directory (set OBLASTWATCH_DATA_DIR to change it):"
)
st.code(str(user_data_dir()), language=None)
if error := st.session_state.pop(state.REMOVE_ERROR, None):
    st.error(error)
for directory in imported_datasets():
    name_col, button_col = st.columns([4, 1])
    name_col.text(directory.name)
    button_col.button(
        "Remove",
        key=f"remove_{directory.name}",
        on_click=imports.remove_imported,
        args=(directory,),
        help=f"Delete the imported dataset {directory.name}",
    )

st.header(fetch.BUTTON_LABEL)
fetch.latest_figures_section()

st.header("Import a dataset")
imports.own_tables_help()
fmt = st.selectbox(
    "Format", importers.FORMATS, key="import_format", help="auto detects the format from the header"
)
name = st.text_input(
    "Dataset name (optional)",
    key="import_name",
    max_chars=64,
    help="Defaults to the file name; letters, digits, '.', '_' and '-' are kept",
)
licence = st.text_input("Licence or source note (optional)", key="import_licence", max_chars=300)
upload_tab, path_tab, url_tab = st.tabs(["Upload", "Local path", "URL"])
obtain = origin = None
with upload_tab:
    upload = st.file_uploader(
        "File (CSV or JSON)", key="import_upload", type=["csv", "json", "geojson", "txt", "tsv"]
    )
    if st.button("Import upload", key="import_upload_button", disabled=upload is None):
        obtain, origin, default = imports.save_upload(upload), f"upload: {upload.name}", upload.name
quote_content = True
with path_tab:
    paths_allowed, why = imports.local_paths_allowed()
    if paths_allowed:
        path_text = st.text_input("Path to a file on the server", key="import_path")
        st.caption(f"Reads a file on the machine that runs the app ({why}).")
        if st.button("Import file", key="import_path_button", disabled=not path_text.strip()):
            obtain, origin = imports.local_file(path_text), imports.path_origin(path_text)
            default = path_text
            quote_content = False
    else:
        st.info(
            f"Import by path is turned off: {why}. It reads files on the server's disk, so it is "
            "offered only when the app listens on 127.0.0.1, localhost or ::1 (the default in "
            f".streamlit/config.toml), or with {imports.ALLOW_LOCAL_PATHS_ENV}=1. Upload the "
            "file instead."
        )
with url_tab:
    url = st.text_input("http(s) URL", key="import_url", placeholder="https://…/attacks.csv")
    st.caption(f"Only http and https; {imports.MAX_IMPORT_BYTES // 2**20} MB at most.")
    if st.button("Download and import", key="import_url_button", disabled=not url.strip()):
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

st.header("Downloads")
st.caption("The events that pass the current filters (sidebar), and the current map.")
downloads.download_buttons()
