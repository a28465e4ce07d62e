"""The interactive folium map: layers, basemap, legend, its scripts and its local assets.

The map is built in two parts so the dashboard can update it without reloading it:
:func:`build_base_map` (basemap, legend, initial view) and :func:`build_overlays` (the layers
that change with the sidebar and the panels), which streamlit-folium swaps in place through
``feature_group_to_add``. :func:`build_map` joins them for a standalone page and for tests.
"""

from corridors.webmap.basemap import basemap_json, display_states, names_json, states_geojson
from corridors.webmap.elements import KeptLayer, kept_layers
from corridors.webmap.labels import names_in
from corridors.webmap.layers import build_overlays, leg_style, move_group
from corridors.webmap.map import build_base_map, build_map
from corridors.webmap.tooltips import SEPARATOR, leg_tooltip, selection_from_event

__all__ = [
    "SEPARATOR",
    "KeptLayer",
    "basemap_json",
    "build_base_map",
    "build_map",
    "build_overlays",
    "display_states",
    "kept_layers",
    "leg_style",
    "leg_tooltip",
    "move_group",
    "names_in",
    "names_json",
    "selection_from_event",
    "states_geojson",
]
