"""Data: what is loaded, fetch or import a dataset (not in public mode), downloads."""

from __future__ import annotations

import streamlit as st

from oblastwatch.present.freshness import with_age
from oblastwatch.storage.paths import user_data_dir
from oblastwatch.ui import access, data, downloads, fetch, freshness, import_form, language, notices
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
_ = language.t().gettext
st.title(_("Data"))

st.header(_("Loaded datasets"))
writer = access.can_write()
dataset = data.load_dataset()
for notice in data.load_notices():
    st.info(language.t().message(notice), icon=notices.LOAD_NOTICE_ICON)
st.dataframe(
    with_age(dataset.sources, freshness.today())[
        ["name", "kind", "rows", "start", "end", "age_days", "licence", "description"]
    ],
    hide_index=True,
    key="sources_table",
    column_config={
        "name": st.column_config.TextColumn(_("Dataset")),
        "kind": st.column_config.TextColumn(_("Kind")),
        "rows": st.column_config.NumberColumn(_("Events"), format="%d"),
        "description": st.column_config.TextColumn(_("Description / origin"), width="large"),
        "start": st.column_config.DateColumn(_("First day"), format="YYYY-MM-DD"),
        "end": st.column_config.DateColumn(_("Last day"), format="YYYY-MM-DD"),
        "age_days": st.column_config.NumberColumn(_("Days since"), format="%d"),
        "licence": st.column_config.TextColumn(_("Licence / source"), width="large"),
    },
)
if writer:
    st.caption(
        _("Imported datasets are stored in this directory (set OBLASTWATCH_DATA_DIR to change it):")
    )
    st.code(str(user_data_dir()), language=None)
    import_form.removal_buttons()
    st.header(_(fetch.BUTTON_LABEL))
    fetch.latest_figures_section()
    st.header(_("Import a dataset"))
    import_form.import_section()
else:
    st.info(access.read_only_message(), icon=":material/lock:")
access.admin_login()

st.header(_("Downloads"))
st.caption(_("The events that pass the current filters (sidebar), and the current map."))
downloads.download_buttons()
