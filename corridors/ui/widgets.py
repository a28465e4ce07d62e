"""The sidebar and the map: the one place that hands a folium map to ``st_folium``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from corridors import extent, webmap
from corridors.data import Dataset
from corridors.model import Analysis, Route
from corridors.policy.closures import ClosureResult
from corridors.policy.upload import UploadError, drawing_to_geojson
from corridors.text import escape_label
from corridors.ui import state, view

MAP_HEIGHT_PX = 640
#: Only clicks on objects come back from the map: panning and zooming do not rerun the script.
#: ``"bounds"`` is deliberately left out: streamlit-folium sends the component value again on
#: every ``moveend`` and any returned object that changed reruns the script, so returning the
#: bounds would rerun the page on every pan and zoom. The map writes its own view into the
#: address bar instead (``webmap.ViewInAddressBar``); the export panel fits routes.
#: ``"all_drawings"`` changes only when a line is drawn, edited or deleted with the line tool.
RETURNED_OBJECTS = ("last_object_clicked", "last_object_clicked_tooltip", "all_drawings")
#: The map's own text (legend, labels, tooltips) in presentation mode, relative to normal.
PRESENTATION_FONT_SCALE = 1.5


@dataclass(frozen=True)
class Layers:
    """What the sidebar asks the map to show."""

    visible: tuple[str, ...]
    selected: str | None
    show_baselines: bool
    tiles: bool


def sidebar(dataset: Dataset) -> Layers:
    """Draw the layer toggles and the corridor picker; return the choices."""
    corridors = dataset.corridors
    names = {r.id: r.name for r in corridors}
    with st.sidebar:
        st.header("Layers")
        for route in corridors:
            st.toggle(escape_label(route.name), key=state.visible_key(route.id))
        st.toggle(
            "Baselines",
            key=state.SHOW_BASELINES,
            help="The existing routes each corridor is an alternative to, in grey.",
        )
        st.toggle(
            "Web map tiles",
            key=state.WEB_TILES,
            help="OpenStreetMap tiles behind the states; needs an internet connection.",
        )
        st.header("Inspect")
        st.selectbox(
            "Corridor",
            options=list(names),
            format_func=names.__getitem__,
            key=state.SELECTED,
            on_change=_centre_on_selected,
            args=(corridors,),
            help="Or click a corridor's line on the map.",
        )
    return Layers(
        visible=tuple(r.id for r in corridors if st.session_state[state.visible_key(r.id)]),
        selected=state.selected(),
        show_baselines=bool(st.session_state[state.SHOW_BASELINES]),
        tiles=bool(st.session_state[state.WEB_TILES]),
    )


def _centre_on_selected(corridors: Sequence[Route]) -> None:
    """Move the map to the corridor picked in the sidebar (not to one clicked on the map)."""
    route = next((r for r in corridors if r.id == state.selected()), None)
    if route is not None:
        st.session_state[state.MAP_VIEW] = extent.fit_view(extent.route_bounds(route))


def _on_map_event(corridors: Sequence[Route]) -> None:
    """Take in what the map reports; runs before the widgets are drawn.

    A new click on a corridor's line selects it. Every event repeats the last clicked object's
    tooltip (a click on the bare map, such as one drawing a line, only clears its position), so
    only a click with a position that differs from the one seen before counts: drawing a line
    after picking another corridor in the sidebar must not select the clicked one again. The
    lines drawn with the line tool become the route the "Your route" panel analyses.
    """
    event = st.session_state.get(state.MAP_EVENT)
    if not isinstance(event, Mapping):  # the component's value comes from the browser
        event = {}
    click = (event.get("last_object_clicked"), event.get("last_object_clicked_tooltip"))
    if click[0] is not None and click != st.session_state.get(state.MAP_CLICK):
        picked = webmap.selection_from_event(event, corridors)
        if picked is not None:
            st.session_state[state.SELECTED] = picked
    st.session_state[state.MAP_CLICK] = click
    try:
        drawn, problem = drawing_to_geojson(event.get("all_drawings")), None
    except UploadError as exc:
        drawn, problem = None, str(exc)
    st.session_state[view.DRAWN_ROUTE] = drawn
    st.session_state[view.DRAWN_ERROR] = problem


def _static_url() -> str:
    """Return the URL of the app's static folder, under ``server.baseUrlPath`` if one is set."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def corridor_map(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states_display: gpd.GeoDataFrame,
    layers: Layers,
    *,
    year: int | None = None,
    closures: ClosureResult | None = None,
    extra_routes: Sequence[Route] = (),
    extra_layers: Sequence[folium.FeatureGroup] = (),
    basemap_file: str,
    present: bool = False,
) -> None:
    """Draw the map: a fixed base that stays loaded, and overlays swapped in place.

    Only the base map's script decides whether streamlit-folium reloads its iframe, so toggles,
    selections, the timeline year, closures and an uploaded route (overlays) and moves
    (``center``/``zoom``) update the map without a flicker; switching web tiles or presentation
    mode on or off changes the base and reloads it. ``basemap_file`` is the basemap's path in
    the static folder (``cached.basemap_file``), which the browser fetches once.
    ``extra_layers`` go on top of the overlays (the network's detours and gauge breaks).
    """
    static_url = _static_url()
    base = webmap.build_base_map(
        dataset,
        states_display,
        tiles=layers.tiles,
        static_url=static_url,
        basemap_url=f"{static_url}/{basemap_file}",
        font_scale=PRESENTATION_FONT_SCALE if present else 1.0,
        view_in_address_bar=True,
        line_tool=not present,  # no toolbar on a projected slide
    )
    overlays = webmap.build_overlays(
        dataset,
        analyses,
        states_display,
        visible=layers.visible,
        selected=layers.selected,
        show_baselines=layers.show_baselines,
        year=year,
        closures=closures,
        extra_routes=extra_routes,
    )
    overlays = [*overlays, *extra_layers]
    map_view = st.session_state[state.MAP_VIEW]
    centre, zoom = map_view if map_view is not None else (None, None)
    st_folium(
        base,
        key=state.MAP_EVENT,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=list(RETURNED_OBJECTS),
        feature_group_to_add=overlays,
        center=centre,
        zoom=zoom,
        on_change=partial(_on_map_event, dataset.corridors),
    )
