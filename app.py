"""Trade-corridor dashboard: ``streamlit run app.py``.

Panels go in ``PANELS``: a tab title and a function of :class:`corridors.ui.page.PageContext`.
"""

from pathlib import Path

import streamlit as st

from corridors.ui import (
    analysis,
    compare_panel,
    export_panel,
    page,
    presentation,
    timeline_panel,
    tour_panel,
    upload_panel,
    whatif_panel,
)

PANELS: list[page.Panel] = [
    ("Analysis", analysis.show_analysis),
    ("Compare", lambda c: compare_panel.show_compare(c.dataset, c.analyses)),
    ("What-if", lambda c: whatif_panel.show_whatif(c.dataset, c.analyses, c.exposure)),
    ("Timeline", lambda c: timeline_panel.show_timeline(c.dataset, c.layers.visible)),
    ("Tour", lambda c: tour_panel.show_tour(c.dataset, c.tour)),
    ("Your route", lambda c: upload_panel.show_upload(c.dataset, c.analyses, c.index)),
    ("Export", export_panel.show_export_tab),
]

# The URL is the truth at the start of a run: the presentation toggle writes it in its callback.
present = presentation.presentation_requested(st.query_params)
st.set_page_config(page_title="Eurasia's new trade corridors", **presentation.page_config(present))
# One container whatever the mode, so the map below keeps its place and is replaced, not doubled.
with st.container():
    presentation.apply_presentation(present)
    if not present:  # the map, with its legend, fills the screen instead
        st.title("Eurasia's new trade corridors")
        st.caption("Which states each route crosses, and which it goes around.")
page.run(PANELS, static_dir=Path(__file__).with_name("static"))
