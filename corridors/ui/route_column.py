"""How every tab's tables show a route's name: pinned at the left, 200 px wide.

At its full width a route's name (up to about 380 px) filled a 390 px phone's table, with no
figure in view beside it. Pinned and narrower, it stays in view as the figures scroll sideways;
a long name ends in an ellipsis there and is whole in the CSVs and the Analysis tab.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

#: The header the tabs' tables give a route's name.
ROUTE = "Route"


def route_column(label: str = ROUTE) -> ColumnConfig:
    """Return the column of a table that holds route names: pinned, Streamlit's "medium"."""
    return st.column_config.Column(label, pinned=True, width="medium")


def route_config(frame: pd.DataFrame) -> dict[str, ColumnConfig]:
    """Return the route column's config for a table that has one under :data:`ROUTE`."""
    return {ROUTE: route_column()} if ROUTE in frame.columns else {}
