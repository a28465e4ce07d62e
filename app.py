"""Trade-corridor dashboard: ``streamlit run app.py``.

Panels go in ``PANELS``: a tab title and a function of :class:`corridors.ui.page.PageContext`
(see :class:`corridors.ui.page.Panel`).
"""

from pathlib import Path

import streamlit as st

from corridors.ui import (
    export_panel,
    network_tabs,
    page,
    presentation,
    state,
    timeline_panel,
    tour_panel,
    upload_panel,
)

PANELS = [
    page.Panel("Analysis", network_tabs.show_analysis_tab),
    page.Panel("Compare", network_tabs.show_compare_tab, alone=True),
    page.Panel("What-if", network_tabs.show_whatif_tab),
    page.Panel("Timeline", lambda c: timeline_panel.show_timeline(c.dataset, c.visible)),
    page.Panel("Tour", lambda c: tour_panel.show_tour(c.dataset, c.tour), tour=True),
    page.Panel("Your route", lambda c: upload_panel.show_upload(c.dataset, c.analyses, c.upload)),
    page.Panel("Export", export_panel.show_export_tab, alone=True),
]

# The controls' presses first, before the URL and any widget (see corridors.ui.state.press).
state.do_presses()
# The URL is the truth at the start of a run: the presentation toggle's press writes it.
present = presentation.presentation_requested(st.query_params)
st.set_page_config(page_title=page.TITLE, **presentation.page_config(present))
page.run(PANELS, static_dir=Path(__file__).with_name("static"))
