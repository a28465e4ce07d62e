"""How every tab's tables show their source links: clickable, as the site they lead to.

Analysis, What-if and Compare give their tables' sources in "Link", "Link 2"... or "URL"
columns of web addresses (:func:`corridors.tables.with_links`); this turns each into a link
that shows its site ("trend.az") and opens in a new tab. No panel imports here, so every panel
can.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from corridors import tables
from corridors.provenance import SITE_PATTERN


def link_config(frame: pd.DataFrame) -> dict[str, ColumnConfig]:
    """Return a clickable column for each source link of a table: "Link", "Link 2"..., "URL".

    Every tab's tables link their sources this way (Analysis, What-if, Compare).
    """
    return {
        name: st.column_config.LinkColumn(
            name, display_text=SITE_PATTERN, help="the source note this row's figures come from"
        )
        for name in tables.link_columns(frame)
    }
