"""The What-if tab: close states, chokepoints and legs, and see which routes still run."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial

import pandas as pd
import streamlit as st

from corridors import tables
from corridors.data import Dataset
from corridors.disruptions import preset_closures
from corridors.figures import format_km, km
from corridors.geometry import MIN_TRANSIT_KM
from corridors.model import Analysis
from corridors.network import Network, track_legs
from corridors.policy.closures import ClosureResult, Exposure, apply_closures, closable_states
from corridors.provenance import citations, standing
from corridors.text import escape_markdown
from corridors.ui import state, timeline_panel
from corridors.ui.links import link_config
from corridors.ui.route_column import route_config
from corridors.wording import short_name


def current_closures(exposure: Exposure, network: Network | None = None) -> ClosureResult:
    """Return the closures the session holds applied to every route; cheap, call it per run.

    The map, drawn above the tabs, needs this before the panel's widgets are drawn: their values
    are already in session state at the start of the run. With the timeline on, a leg not open in
    its year does not run. A closed leg closes its track: with the ``network``, every route's leg
    on that track is cut too, as the network's detours assume.
    """
    legs = st.session_state.get(state.CLOSED_LEGS, ())
    return apply_closures(
        exposure,
        states=st.session_state.get(state.CLOSED_STATES, ()),
        chokepoints=st.session_state.get(state.CLOSED_CHOKEPOINTS, ()),
        legs=legs,
        tracks=None if network is None else track_legs(network, legs),
        year=timeline_panel.current_year(),
    )


def closable_legs(dataset: Dataset) -> dict[str, str]:
    """Return every route's legs by id, each named for a picker: ``"Aktau - Baku (BTK)"``.

    Corridors first, then baselines; routes sharing track each list their own leg.
    """
    routes = (*dataset.corridors, *dataset.baselines)
    return {
        leg.id: f"{leg.name} ({short_name(route.name)})" for route in routes for leg in route.legs
    }


def breaks_table(result: ClosureResult) -> pd.DataFrame:
    """Return one row per cut: the route, the leg, what cuts it and where."""
    rows = [
        {
            "Route": outcome.name,
            "Leg": cut.leg_name,
            "Cut by": cut.closed_name,
            "Kind": cut.kind,
            "km inside": None if cut.km is None else km(cut.km),
            "Where (lat, lon)": f"{cut.lat:.2f}, {cut.lon:.2f}",
        }
        for outcome in result.routes
        for cut in outcome.breaks
    ]
    columns = ["Route", "Leg", "Cut by", "Kind", "km inside", "Where (lat, lon)"]
    return pd.DataFrame(rows, columns=columns)


def routes_table(result: ClosureResult, dataset: Dataset) -> pd.DataFrame:
    """Return one row per route: whether it still runs, why not, and where each reason comes from.

    A route that does not run because a leg is not open names that leg's status as of its date;
    "Standing" grades the facts those statuses rest on and "Link", "Link 2"... link their
    sources ("no source" where there is none to follow; empty where the route runs or only a
    closure cuts it, which is the reader's own choice).
    """
    sources = {leg.id: leg.sources for route in dataset.routes.values() for leg in route.legs}
    cited = [
        citations(dataset, [f for leg in outcome.not_open for f in sources.get(leg.leg_id, ())])
        for outcome in result.routes
    ]
    frame = pd.DataFrame(
        {
            "Route": [o.name for o in result.routes],
            "Role": [o.role for o in result.routes],
            "Still runs": [o.runs for o in result.routes],
            "Why not": [o.why_not for o in result.routes],
            "Standing": [
                standing(c) if o.not_open else "" for o, c in zip(result.routes, cited, strict=True)
            ],
        }
    )
    return tables.with_links(frame, [list(dict.fromkeys(x.url for x in c if x.url)) for c in cited])


def _apply_preset(states: Sequence[str], chokepoints: Sequence[str], legs: Sequence[str]) -> None:
    """Set the closures a preset implies: a press, done before the pickers it sets.

    As the button's own callback, a rerun request arriving meanwhile could lose the click or
    set the states without the chokepoints (:func:`corridors.ui.state.press`).
    """
    st.session_state[state.CLOSED_STATES] = list(states)
    st.session_state[state.CLOSED_CHOKEPOINTS] = list(chokepoints)
    st.session_state[state.CLOSED_LEGS] = list(legs)


def _presets(
    dataset: Dataset,
    states: Mapping[str, str],
    chokepoints: Mapping[str, str],
    legs: Mapping[str, str],
) -> None:
    """One button per recorded preset: it sets the closures the preset's disruptions imply."""
    if not dataset.presets:
        return
    st.caption("Recorded disruptions, one click each (dated and sourced in data/disruptions.toml):")
    for column, preset in zip(st.columns(len(dataset.presets)), dataset.presets, strict=True):
        closes = preset_closures(dataset, preset)
        closed_legs = {g for d in dataset.disruptions if d.id in preset.disruptions for g in d.legs}
        column.button(
            preset.label,
            key=f"whatif_preset_{preset.id}",
            # Only what the pickers offer: a preset never sets a value a widget would refuse.
            on_click=state.noting(
                partial(
                    _apply_preset,
                    [s for s in closes.states if s in states],
                    [c for c in closes.chokepoints if c in chokepoints],
                    [g for g in legs if g in closed_legs],
                )
            ),
        )


def show_whatif(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    exposure: Exposure,
    network: Network | None = None,
) -> ClosureResult:
    """Draw the closure pickers and their outcome; return the outcome for the map and the text."""
    states = {s.iso3: s.name for s in closable_states(analyses.values())}
    chokepoints = {cp.id: cp.name for cp in dataset.chokepoints}
    legs = closable_legs(dataset)
    st.subheader("What if a state, a chokepoint or a line closes?")
    _presets(dataset, states, chokepoints, legs)
    left, right = st.columns(2)
    left.multiselect(
        "Close states to transit",
        options=list(states),
        format_func=states.__getitem__,
        key=state.CLOSED_STATES,
        persist_state="session",
        placeholder="e.g. Russia, Iran, Armenia",
    )
    right.multiselect(
        "Close chokepoints",
        options=list(chokepoints),
        format_func=chokepoints.__getitem__,
        key=state.CLOSED_CHOKEPOINTS,
        persist_state="session",
        placeholder="e.g. Strait of Hormuz, Suez Canal",
    )
    st.multiselect(
        "Close single legs (a bridge, a ferry, a stretch of line)",
        options=list(legs),
        format_func=legs.__getitem__,
        key=state.CLOSED_LEGS,
        persist_state="session",
        placeholder="e.g. the Caspian ferry, Akhalkalaki - Kars",
        help="Closing a leg closes its track: every route running on it is cut there.",
    )
    result = current_closures(exposure, network)
    st.info(escape_markdown(result.summary))
    routes = routes_table(result, dataset)
    st.dataframe(
        routes,
        hide_index=True,
        key="whatif_routes",
        column_config={**route_config(routes), **link_config(routes)},
    )
    cuts = breaks_table(result)
    if not cuts.empty:
        st.caption(
            "Where each route is cut. On the map, cut legs are dashed in black and a red dot "
            "marks where a route enters what is closed."
        )
        st.dataframe(cuts, hide_index=True, key="whatif_breaks", column_config=route_config(cuts))
    st.caption(
        "A leg is cut by a closed state it runs through for at least "
        f"{format_km(MIN_TRANSIT_KM)}, by a closed chokepoint it passes, or by being closed, "
        "itself or a leg on the same track. A route runs only if "
        "all its legs do; a leg that is closed or not yet open (in the timeline's year, when it "
        "is on) never runs."
    )
    return result
