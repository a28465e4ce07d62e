"""Trade-corridor dashboard: ``streamlit run app.py``.

Panels go in ``PANELS``: a tab title and a function of :class:`corridors.ui.page.PageContext`.
"""

from pathlib import Path

import streamlit as st

from corridors.ui import analysis, page

PANELS: list[page.Panel] = [
    ("Analysis", analysis.show_analysis),
]

st.set_page_config(
    page_title="Eurasia's new trade corridors",
    layout="wide",
)
st.title("Eurasia's new trade corridors")
st.caption("Which states each route crosses, and which it goes around.")
page.run(PANELS, static_dir=Path(__file__).with_name("static"))
