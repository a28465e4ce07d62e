"""The Compare tab: every corridor and baseline side by side, and the figures behind them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from corridors.data import Dataset
from corridors.model import Analysis, Route
from corridors.policy.compare import COLUMNS, KM_COLUMNS
from corridors.ui import cached
from corridors.ui.links import link_config
from corridors.ui.route_column import route_column, route_config

_STANDING_HELP = (
    "verified: independent sources agree; claim: what one party says; "
    "disputed: sources disagree, so a range is given"
)


#: The Compare table's columns as shown, the ones a reader compares first; the route's id only
#: in the CSV. Columns the table gains later are shown after these.
FIRST_COLUMNS = (
    "route",
    "length_km",
    "states_crossed",
    "states_bypassed",
    "chokepoints_avoided",
    "status",
    "year",
)


def column_order(columns: Iterable[str]) -> list[str]:
    """Return the order the table shows ``columns`` in: :data:`FIRST_COLUMNS`, then the rest.

    Examples
    --------
    >>> column_order(["id", "role", "route", "length_km", "Status link"])
    ['route', 'length_km', 'role', 'Status link']

    The route's id is for the CSV; the source links come last, after every figure.
    """
    names = [c for c in columns if c != "id"]
    return [c for c in FIRST_COLUMNS if c in names] + [c for c in names if c not in FIRST_COLUMNS]


def column_config() -> dict[str, ColumnConfig]:
    """Return the Compare table's headers and number formats, by column name.

    The CSV keeps the names (``length_km``); the app shows the headers ("Length (km)").
    Kilometres arrive rounded by :func:`corridors.figures.km`; "localized" adds no decimals.
    """
    config = {name: st.column_config.Column(label) for name, label in COLUMNS.items()}
    config |= {
        name: st.column_config.NumberColumn(COLUMNS[name], format="localized")
        for name in KM_COLUMNS
    }
    config["year"] = st.column_config.NumberColumn(COLUMNS["year"], format="plain")
    config["route"] = route_column(COLUMNS["route"])  # in view as the figures scroll sideways
    return config


def show_compare(
    dataset: Dataset, analyses: Mapping[str, Analysis], *, extra_routes: Iterable[Route] = ()
) -> None:
    """Draw the comparison table and the headline figures, each with a CSV download.

    ``extra_routes`` (with their analyses in ``analyses``) adds an uploaded route at the end.
    Without them the tables come from :func:`corridors.ui.cached.compare_tables`, made once
    per data version, so a rerun that changes nothing here does not build them again.
    """
    extra = tuple(extra_routes)
    tables = _tables(dataset, analyses, extra)
    st.subheader("All routes compared")
    st.caption(
        "Click a column header to sort. Lengths are computed from the drawn lines. Each route's "
        "status and headline figures link their sources at the end of its row; the figures "
        "themselves are listed, each with its own source, below."
    )
    st.dataframe(
        tables.table,
        key="compare_table",
        hide_index=True,
        column_config={**column_config(), **link_config(tables.table)},
        column_order=column_order(tables.table.columns),
    )
    st.download_button(
        "Download the table (CSV)",
        data=tables.table_csv,
        file_name="corridors-compare.csv",
        mime="text/csv",
        key="compare_csv",
    )
    st.subheader("Headline figures and their sources")
    st.dataframe(
        tables.figures,
        key="figure_table",
        hide_index=True,
        column_config={
            "Standing": st.column_config.TextColumn(help=_STANDING_HELP),
            **route_config(tables.figures),
            **link_config(tables.figures),
        },
    )
    st.download_button(
        "Download the figures (CSV)",
        data=tables.figures_csv,
        file_name="corridors-figures.csv",
        mime="text/csv",
        key="figures_csv",
    )


def _tables(
    dataset: Dataset, analyses: Mapping[str, Analysis], extra: tuple[Route, ...]
) -> cached.CompareTables:
    """Return the tables to show: shared and made once, unless a route of the user's is added."""
    if not extra:
        return cached.compare_tables(dataset, analyses)
    return cached.CompareTables.build(dataset, analyses, extra)
