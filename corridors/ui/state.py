"""Session-state keys, spelled once, and their defaults.

Widgets are created with these keys and no ``value``/``index`` argument, so the session state
set here is the one source of their values; callbacks may change it before the widgets render.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from corridors.model import Route

#: st_folium's key: streamlit-folium copies the map's last event here.
MAP_EVENT = "corridor_map"
#: The last click the map reported, ``(position, tooltip)``, to tell a new click from a repeat.
MAP_CLICK = "map_click"
#: Id of the corridor the analysis panel shows and the map highlights.
SELECTED = "selected_corridor"
SHOW_BASELINES = "show_baselines"
WEB_TILES = "web_tiles"
#: ``((lat, lon), zoom)`` last sent to the map, or None to keep the map's own initial view.
MAP_VIEW = "map_view"
#: What-if: count planned and unfinished lines as built when rerouting the network's pairs.
PLANNED_BUILT = "network_planned_built"
#: The corridor selected when nothing else says which.
DEFAULT_CORRIDOR = "middle-corridor"


def visible_key(route_id: str) -> str:
    """Return the session key of a corridor's show/hide toggle."""
    return f"show_{route_id}"


def init_state(corridors: Sequence[Route]) -> None:
    """Set every key's default once per session."""
    ids = [r.id for r in corridors]
    for route_id in ids:
        st.session_state.setdefault(visible_key(route_id), True)
    st.session_state.setdefault(SHOW_BASELINES, True)
    st.session_state.setdefault(WEB_TILES, False)
    st.session_state.setdefault(MAP_VIEW, None)
    st.session_state.setdefault(PLANNED_BUILT, False)
    fallback = DEFAULT_CORRIDOR if DEFAULT_CORRIDOR in ids else next(iter(ids), None)
    st.session_state.setdefault(SELECTED, fallback)
    # The data may have changed under a running session (a curator renamed a route).
    if st.session_state[SELECTED] not in ids:
        st.session_state[SELECTED] = fallback


def selected() -> str | None:
    """Return the selected corridor's id."""
    return st.session_state.get(SELECTED)
