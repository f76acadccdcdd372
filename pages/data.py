"""Data: what is loaded, fetch or import a dataset (not in public mode), downloads."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.freshness import with_age
from oblastwatch.storage.paths import user_data_dir
from oblastwatch.ui import access, data, downloads, fetch, freshness, import_form, notices
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
st.title("Data")

st.header("Loaded datasets")
writer = access.can_write()
dataset = data.load_dataset()
for notice in data.load_notices():
    st.info(notice, icon=notices.LOAD_NOTICE_ICON)
st.dataframe(
    with_age(dataset.sources, freshness.today())[
        ["name", "kind", "rows", "start", "end", "age_days", "licence", "description"]
    ],
    hide_index=True,
    key="sources_table",
    column_config={
        "name": st.column_config.TextColumn("Dataset"),
        "kind": st.column_config.TextColumn("Kind"),
        "rows": st.column_config.NumberColumn("Events", format="%d"),
        "description": st.column_config.TextColumn("Description / origin", width="large"),
        "start": st.column_config.DateColumn("First day", format="YYYY-MM-DD"),
        "end": st.column_config.DateColumn("Last day", format="YYYY-MM-DD"),
        "age_days": st.column_config.NumberColumn("Days since", format="%d"),
        "licence": st.column_config.TextColumn("Licence / source", width="large"),
    },
)
if writer:
    st.caption(
        "Imported datasets are stored in this directory (set OBLASTWATCH_DATA_DIR to change it):"
    )
    st.code(str(user_data_dir()), language=None)
    import_form.removal_buttons()
    st.header(fetch.BUTTON_LABEL)
    fetch.latest_figures_section()
    st.header("Import a dataset")
    import_form.import_section()
else:
    st.info(access.READ_ONLY_MESSAGE, icon=":material/lock:")
access.admin_login()

st.header("Downloads")
st.caption("The events that pass the current filters (sidebar), and the current map.")
downloads.download_buttons()
