"""About: what the numbers mean, what the data cannot tell, sources, licences, how to cite."""

from __future__ import annotations

import streamlit as st

from oblastwatch import __version__
from oblastwatch.present.vocabulary import metric_info
from oblastwatch.query.metrics import METRICS
from oblastwatch.ui import language
from oblastwatch.ui.frame import ensure_frame

ensure_frame(__file__)
t = language.t()
_ = t.gettext
st.title(_("About oblastwatch"))
st.markdown(
    _(
        "oblastwatch maps Russian missile and drone attacks onto Ukraine's 27 first-level regions "
        "(24 oblasts, the Autonomous Republic of Crimea, Kyiv City and Sevastopol) and sets them "
        "next to the diplomacy that runs beside them: talks rounds, summits, leader calls, "
        "agreements and prisoner exchanges. Every view follows one date range; a region or a day "
        "picked in one view carries over to the others and to the page address."
    )
)

st.header(_("What the map metrics mean"))
infos = [metric_info(metric, t) for metric in METRICS]
st.table(
    {
        _("Metric"): [info.label for info in infos],
        _("Definition"): [info.description for info in infos],
    }
)
st.markdown(
    _(
        "- A region shaded grey has **no reports** in the range; a region with a value of zero "
        "had reports that counted none (for example, weapon counts missing).\n"
        "- Counts (launched, destroyed, killed, injured) belong to an event and are never split "
        "across regions: an attack wave reported over three regions counts once in each of them "
        "for *attack waves*, while its weapon counts are shown only where the source ties them "
        "to a region.\n"
        "- Dates are Europe/Kyiv calendar days. Attacks run overnight; a wave counts on the day it "
        "ended."
    )
)

st.header(_("Limits of the data"))
st.markdown(
    _(
        "- **Launch and interception figures are claims.** Most counts come from the daily posts "
        "of Ukraine's Air Force. They are the best public series, but they are not independently "
        "verified, and reporting practice changed over time.\n"
        '- **Not every event has a region.** Many reports name a macro-region ("the south"), the '
        "whole country, or launch areas outside Ukraine. Those events are counted under the map, "
        "never assigned to a region by guesswork.\n"
        "- **Coordinates are blurred in some sources.** Point datasets such as ACLED round or "
        "offset locations; a point near a border can fall in the neighbouring region. Points are "
        "matched to regions with a small tolerance and the method is kept with each event.\n"
        "- **The curated tables are selective.** The bundled strikes table lists major attack "
        "waves, not every night; the talks table lists the rounds, calls and summits reported by "
        "the cited news pages. Import the full daily dataset on the Data page for complete series.\n"
        "- **Association is not cause.** Attacks near a round of talks are shown side by side; the "
        "app does not claim one caused the other."
    )
)

st.header(_("Air-raid alerts"))
st.markdown(
    _(
        "- **Source:** the public sirens dataset *ukrainian-air-raid-sirens-dataset* by Vadym "
        "Klymenko (MIT), official alerts from March 2022 and volunteer records collected from the "
        "eTryvoga channel from February 2022; import its CSV files on the Data page.\n"
        "- **Any part of the oblast.** An alert for a raion or a hromada counts for its oblast; "
        "overlapping alerts (the oblast and several raions at once) count once, never summed.\n"
        "- **Kyiv days.** Hours are cut at midnight in Kyiv; the night the clocks change gives a "
        "day of 23 or 25 hours.\n"
        "- **No data is not zero.** Crimea and Sevastopol are not in the files, and Luhansk oblast "
        "has been under a permanent alert since 4 April 2022: these show as *no reports*.\n"
        "- **Imputed ends.** Volunteer records without an end-of-alert message have an end set to "
        "start + 30 minutes by the source; the hours only they cover are reported apart "
        "(`oblastwatch alert-hours`)."
    )
)

st.header(_("Sources and licences"))
st.markdown(
    _(
        "- **Region boundaries:** Natural Earth admin-1 states and provinces (public domain), "
        "simplified for the web.\n"
        "- **Bundled talks and strikes** (`data/talks.csv`, `data/strikes.csv`): curated for this "
        "project; every row carries the URL of the news page that confirms it, listed on the "
        "Region page and in the exports.\n"
        "- **Massive Missile Attacks on Ukraine** (Kaggle), by its authors, licensed CC BY-NC-SA "
        "4.0: non-commercial use with attribution, share-alike. It is not redistributed here; "
        "import your copy on the Data page.\n"
        "- **ACLED and other imported files** keep the licence of their publisher; the Data page "
        "lists each loaded dataset with its origin.\n"
        "- **Leaflet** 1.9.4 (BSD-2-Clause) is served by the app itself, so the map works offline."
    )
)

st.header(_("How to cite"))
st.markdown(
    _(
        "Cite the underlying sources (each event links to its own) and the tool, with the date "
        "range and data you used:"
    )
)
st.code(
    _(
        "oblastwatch {version}: strikes on Ukraine's regions and the diplomacy beside them. "
        "Date range YYYY-MM-DD to YYYY-MM-DD; data: bundled curated tables"
        " [+ Massive Missile Attacks on Ukraine, Kaggle, CC BY-NC-SA 4.0]. Accessed YYYY-MM-DD."
    ).format(version=__version__),
    language=None,
    wrap_lines=True,
)
st.caption(
    _("The page address holds the view's dates, region and metric: share it with a citation.")
)
