"""The corridor network in the dashboard: detours in What-if, waits in Analysis and Compare.

The map is drawn above the tabs, so :func:`current_detours` reads the closures, the year and the
"planned lines built" choice from session state before the panels draw their widgets; the
network caches its results per scenario, so the panel asking again costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import folium
import pandas as pd
import streamlit as st

from corridors.memo import Made
from corridors.network import Network, PairResult, Scenario, corridor_trip, summarise, whatif
from corridors.network_tables import corridor_rows, corridor_summary, detour_table, waits_table
from corridors.style import LegendEntry
from corridors.tables import to_html
from corridors.text import escape_markdown
from corridors.ui import state
from corridors.ui.blocks import note, section
from corridors.ui.links import link_config
from corridors.webmap.network_layers import network_layers

if TYPE_CHECKING:
    from corridors.data import Dataset
    from corridors.ui.page import PageContext

_KM = st.column_config.NumberColumn(format="localized")
_NO_NETWORK = (
    "This data folder has no corridor network (`network/` and `od-pairs.json`), so no trip "
    "can be rerouted."
)


def current_scenario(year: int | None) -> Scenario:
    """Return the what-if the session holds: its closures, the timeline year, planned lines."""
    return Scenario(
        year=year,
        planned=bool(st.session_state.get(state.PLANNED_BUILT, False)),
        states=frozenset(st.session_state.get(state.CLOSED_STATES, ())),
        chokepoints=frozenset(st.session_state.get(state.CLOSED_CHOKEPOINTS, ())),
        legs=frozenset(st.session_state.get(state.CLOSED_LEGS, ())),
    )


def current_detours(network: Network, year: int | None) -> tuple[PairResult, ...]:
    """Return every OD pair under the session's what-if (cached on the network per scenario)."""
    return whatif(network, current_scenario(year))


def map_layers(ctx: PageContext) -> tuple[list[folium.FeatureGroup], list[LegendEntry]]:
    """Return the detours and the gauge breaks of the corridors shown, and their legend rows."""
    network = ctx.network
    if network is None:
        return [], []
    routes = ctx.dataset.routes

    def made() -> tuple[list[folium.FeatureGroup], list[LegendEntry]]:
        trips = [corridor_trip(network, routes[i].legs) for i in ctx.visible]
        return network_layers(network, ctx.detours, trips)

    # Made once for a scenario's results and the corridors shown, and written once (their
    # markers and tooltips are folium's own, rendered through templates): shared by every
    # session, handed only to the map's kept layers.
    return _layers_made.get((network, ctx.detours, ctx.dataset), ctx.visible, made)


#: The network's map layers for the scenarios and corridors shown lately (:class:`Made`).
_layers_made: Made[tuple[list[folium.FeatureGroup], list[LegendEntry]]] = Made(16)


def show_detours(ctx: PageContext) -> None:
    """Draw every OD pair's best route under the closures beside its usual route."""
    st.subheader("Then what? Every trip rerouted")
    if ctx.network is None:
        st.markdown(_NO_NETWORK)
        return
    st.checkbox(
        "Count planned and unfinished lines as built",
        key=state.PLANNED_BUILT,
        persist_state="session",
        help="TRIPP, the Rasht-Astara railway and other lines not yet running join the network.",
    )
    scenario = current_scenario(ctx.year)
    results = ctx.detours
    st.info(escape_markdown(summarise(ctx.network, scenario, results)))
    network, dataset = ctx.network, ctx.dataset
    # Made once a scenario: the results are the network's own, kept per scenario (``whatif``).
    table = _detours_made.get(
        (network, results, dataset), None, lambda: detour_table(network, results, dataset)
    )
    st.dataframe(
        table,
        hide_index=True,
        key="whatif_detours",
        column_config={
            **dict.fromkeys(("Usual km", "Now km", "Change km"), _KM),
            **link_config(table),
        },
    )
    st.caption(
        "On the map each detour is drawn yellow on black with its usual route dotted beside it; "
        "white dots in black rings mark gauge breaks. Best route: fewest days at the middle of "
        "each range, then fewest km. Days are a lower range: sourced speeds without delays, plus "
        "sourced hours per border crossing, gauge break and Caspian port call; sea ports, "
        "transfers between modes and other delays add time no source we found puts a number on. "
        "Each row links the sources of both routes' speeds, port hours, crossings and gauge breaks."
    )


def show_corridor_waits(ctx: PageContext, route_id: str) -> None:
    """Draw a corridor's border crossings and gauge breaks in order, with the days they add."""
    network = ctx.network
    if network is None:
        return
    # Written once for a corridor and data version, as the tab's other sections are.
    st.html(
        _waits_made.get(
            (network, ctx.dataset), route_id, lambda: _waits_html(network, ctx.dataset, route_id)
        )
    )


#: The detours' table of each scenario asked for lately (see :class:`corridors.memo.Made`).
_detours_made: Made[pd.DataFrame] = Made(16)

#: Each corridor's crossings block, for each data version being served (:class:`Made`).
_waits_made: Made[str] = Made(64)


def _waits_html(network: Network, dataset: Dataset, route_id: str) -> str:
    """Return a corridor's border crossings and gauge breaks as one HTML block."""
    trip = corridor_trip(network, dataset.routes[route_id].legs)
    heading = "<h4>Border crossings and gauge breaks</h4>"
    table = waits_table(network, trip, dataset)
    if table.empty:
        return section(heading, "<p>None on this corridor.</p>")
    # One HTML block, not the data grid: this sits on the tab a first load opens on (see
    # analysis.py).
    return section(
        heading,
        to_html(table, "Border crossings and gauge breaks"),
        note(
            "Hours per crossing: ADB CAREC corridor monitoring averages for 2019-2020; per "
            "gauge break: 47 minutes (Khorgos, best case) to about 3 hours (Brest). Each row "
            "links its sources."
        ),
    )


def show_corridor_summary(ctx: PageContext) -> None:
    """Draw each corridor's km, days, crossings, gauge breaks and the days they add."""
    if ctx.network is None:
        return
    st.subheader("Border crossings and gauge breaks")
    trips = corridor_rows(ctx.network, ctx.dataset.routes, ctx.dataset.corridors)
    summary = corridor_summary(trips, ctx.dataset)
    st.dataframe(
        summary,
        hide_index=True,
        key="compare_waits",
        column_config={"km": _KM, **link_config(summary)},
    )
    st.caption(
        "Each corridor as drawn, planned legs included; days are a lower range (see What-if). "
        "Cost per 40-foot container (FEU) for the whole trip a source gives it for, beside the "
        "baseline's where there is one; no source gives a cost per leg. Each cost links its "
        "sources."
    )
