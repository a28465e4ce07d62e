"""The sidebar and the map: the one place that hands a folium map to ``st_folium``."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from typing import Any

import folium
import geopandas as gpd
import streamlit as st
from streamlit_folium import st_folium

from corridors import extent, webmap
from corridors.data import Dataset
from corridors.disruptions import leg_notes
from corridors.export import bbox_from_leaflet
from corridors.model import Analysis, Route
from corridors.places import Place
from corridors.policy.closures import ClosureResult
from corridors.policy.upload import UploadError, drawing_to_geojson
from corridors.printmap.cartography import BBox
from corridors.style import LegendEntry
from corridors.text import escape_label
from corridors.ui import cached, state
from corridors.view import ViewState
from corridors.webmap.assets import names_name
from corridors.wording import short_name

MAP_HEIGHT_PX = 640
#: What the map reports back. Clicks on objects and the lines drawn with the line tool, and where
#: the map is: its centre, zoom and bounds on screen, so that the session always knows the view
#: (for the address bar and for exports of the current view). streamlit-folium reports them after
#: each move, debounced; the rerun that follows sends the map nothing new (the page moves the
#: map only through a numbered move among the overlays, :func:`corridors.ui.state.map_move`).
#: streamlit-folium returns only fields of its own; the map has no tag filter, so its
#: ``selected_tags`` carry the number of the last move the map made (see :func:`move_answered`).
RETURNED_OBJECTS = (
    "last_object_clicked",
    "last_object_clicked_tooltip",
    "all_drawings",
    "center",
    "zoom",
    "bounds",
    "selected_tags",
)
#: The map's own text (legend, labels, tooltips) in presentation mode, relative to normal.
PRESENTATION_FONT_SCALE = 1.5


def sidebar(dataset: Dataset) -> None:
    """Draw the layer toggles and the corridor picker, bound to the session's view."""
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
        # Radio buttons, not a drop-down: every name in view, one click or arrow key each; and
        # a drop-down's browser code was 17 of a first load's requests (150 KB), a radio's 3.
        st.radio(
            "Corridor",
            options=list(names),
            format_func=lambda route_id: escape_label(names[route_id]),
            key=state.SELECTED,
            on_change=state.noting(partial(_centre_on_selected, corridors)),
            help="Or click a corridor's line on the map.",
        )


def _centre_on_selected(corridors: Sequence[Route]) -> None:
    """Move the map to the corridor picked in the sidebar (not to one clicked on the map).

    A press (:func:`corridors.ui.state.press`), done before the widgets: as the picker's own
    callback, a rerun request arriving meanwhile could leave the corridor picked and the map
    where it was.
    """
    if not state.picked_by_user():
        return
    route = next((r for r in corridors if r.id == state.selected()), None)
    if route is not None:
        centre, zoom = extent.fit_view(extent.route_bounds(route))
        state.move_map(centre, zoom)


def map_view_from_event(
    event: Mapping[str, Any],
) -> tuple[tuple[float, float], float, BBox | None] | None:
    """Return the centre ``(lat, lon)``, zoom and bounds a map event reports, or None.

    Examples
    --------
    >>> corners = {"_southWest": {"lat": 35, "lng": 40}, "_northEast": {"lat": 45, "lng": 55}}
    >>> map_view_from_event({"center": {"lat": 40, "lng": 47.5}, "zoom": 5, "bounds": corners})
    ((40.0, 47.5), 5, (40.0, 35.0, 55.0, 45.0))
    """
    center, zoom = event.get("center"), event.get("zoom")
    try:
        lat, lon = float(center["lat"]), float(center["lng"])  # type: ignore[index]
    except (KeyError, TypeError, ValueError):
        return None
    if not (abs(lat) <= 90 and abs(lon) <= 180 and isinstance(zoom, int | float)):
        return None
    return (lat, lon), zoom, bbox_from_leaflet(event.get("bounds"))


def move_answered(event: Mapping[str, Any]) -> int | None:
    """Return the number of the last move the map had made when it reported, or None.

    ``moveMap`` and ``fitMap`` in ``static/corridors.js`` write it as the map's only selected
    tag; a map that has made no move yet has none.

    Examples
    --------
    >>> move_answered({"selected_tags": [3]}), move_answered({"selected_tags": []})
    (3, None)
    """
    tags = event.get("selected_tags")
    if isinstance(tags, list) and len(tags) == 1 and type(tags[0]) is int:
        return int(tags[0])
    return None


def _on_map_event(corridors: Sequence[Route]) -> None:
    """Take in what the map reports; a press, done before the widgets (:func:`map_callback`).

    Where the map now is becomes the session's map view. A new click on a corridor's line
    selects it. Every event repeats the last clicked object's tooltip (a click on the bare map,
    such as one drawing a line, only clears its position), so only a click with a position that
    differs from the one seen before counts: drawing a line after picking another corridor in the
    sidebar must not select the clicked one again. The lines drawn with the line tool become the
    route the "Your route" panel analyses.
    """
    event = st.session_state.get(state.MAP_EVENT)
    if not isinstance(event, Mapping):  # the component's value comes from the browser
        event = {}
    moved = map_view_from_event(event)
    if moved is not None:
        state.map_reported(*moved, move_answered(event))
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
    st.session_state[state.DRAWN_ROUTE] = drawn
    st.session_state[state.DRAWN_ERROR] = problem


def map_callback(corridors: Sequence[Route]) -> Callable[[], None]:
    """Return the callback streamlit-folium calls after it copied the map's report in.

    It notes the report's taking in (:func:`_on_map_event`) as a press
    (:func:`corridors.ui.state.press`): done in the callback, a rerun request arriving
    meanwhile (another report, a press) could end it half-way, the session's view not moved
    with the map, or the corridor clicked on it not picked.
    """
    return state.noting(partial(_on_map_event, corridors))


def take_in_a_report_cut_short(returned: object, corridors: Sequence[Route]) -> None:
    """Take in a map's report whose callback a newer rerun request ended before it began.

    streamlit-folium copies the map's report into the session (:data:`state.MAP_EVENT`) in
    its own callback, reading the session first, then calls :func:`map_callback`: a request
    found there (see :func:`corridors.ui.state.press`) ends it, and the next run sees nothing
    new in the map's value. ``returned`` is that value, as the map's widget returns it; it
    then differs from the copy (compared as JSON: a value read from JSON may hold a NaN). A
    new map's value, the component's default, has no centre and is not a report. The report
    is copied in and its taking in noted as a press, done in a run started at once, before
    the widgets (a click on the map may pick a corridor).
    """
    if not isinstance(returned, Mapping) or "center" not in returned:
        return
    copied = st.session_state.get(state.MAP_EVENT)
    if json.dumps(returned, sort_keys=True, default=repr) == json.dumps(
        copied, sort_keys=True, default=repr
    ):
        return
    st.session_state[state.MAP_EVENT] = returned
    state.press(state.presses(), partial(_on_map_event, corridors))
    st.rerun()


def _static_url() -> str:
    """Return the URL of the app's static folder, under ``server.baseUrlPath`` if one is set."""
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}/app/static" if base else "/app/static"


def corridor_map(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states_display: gpd.GeoDataFrame,
    view: ViewState,
    *,
    visible: Sequence[str],
    closures: ClosureResult | None = None,
    extra_routes: Sequence[Route] = (),
    extra_layers: Sequence[folium.FeatureGroup] = (),
    extra_legend: Sequence[LegendEntry] = (),
    basemap_file: str,
    places: Sequence[Place],
    words: str = "",
) -> None:
    """Draw the map of a view: a fixed base that stays loaded, and overlays swapped in place.

    Only the base map's script decides whether streamlit-folium reloads its iframe, so toggles,
    selections, the timeline year, closures and an uploaded route (overlays) and the page's
    moves (a numbered move among the overlays) update the map without a flicker; switching web
    tiles or presentation mode on or off changes the base and reloads it. streamlit-folium's
    own ``center`` and ``zoom`` are never passed: they would have to follow every view the map
    reports, and each report would send the map its arguments again. The base opens where the
    session's link said (fixed for the session), then goes wherever the page moves it.
    ``visible`` are the ids of the corridors the view shows; ``basemap_file`` is the basemap's
    path in the static folder (``cached.basemap_file``), which the browser fetches once, as it
    does the states' names.
    ``extra_layers`` and their ``extra_legend`` rows join the overlays (the network's detours
    and gauge breaks). ``places`` are the seas, regions and straits the base map names.
    ``words`` are those beside the map (a tour step's): the states, places and stations they
    mention are named first, at any zoom.
    """
    static_url = _static_url()
    opening = st.session_state.get(state.MAP_OPENING)
    paths = cached.paths_from_env()
    presenting = view.presentation
    base = webmap.build_base_map(
        dataset,
        states_display,
        tiles=view.tiles,
        static_url=static_url,
        basemap_url=f"{static_url}/{basemap_file}",
        names_url=f"{static_url}/{names_name(cached.names(paths.boundaries)).as_posix()}",
        font_scale=PRESENTATION_FONT_SCALE if presenting else 1.0,
        line_tool=not presenting,  # no toolbar on a projected slide
        wheel_at_once=presenting,  # the map fills the screen: no page to scroll
        center=opening[0] if opening else None,
        zoom=opening[1] if opening else None,
        places=places,
    )
    overlays = webmap.build_overlays(
        dataset,
        analyses,
        states_display,
        visible=visible,
        selected=view.selected,
        show_baselines=view.baselines,
        year=view.year,
        closures=closures,
        extra_routes=extra_routes,
        extra_layers=extra_layers,
        extra_legend=extra_legend,
        leg_notes=leg_notes(dataset, dt.date.today()),
        mentioned=webmap.names_in(
            words,
            [
                *states_display["name"],
                *(place.name for place in places),
                *(point.name for route in dataset.routes.values() for point in route.waypoints),
            ],
            not_in=[short_name(route.name) for route in dataset.routes.values()],
        ),
        shared=True,  # handed to the map only, each layer written once (see kept_layers)
    )
    move = state.map_move((view.tiles, presenting))  # what the base is drawn with
    if move is not None:
        overlays.append(webmap.move_group(*move))  # its number comes back with the reports
    try:
        returned = st_folium(
            base,
            key=state.MAP_EVENT,
            height=MAP_HEIGHT_PX,
            use_container_width=True,
            returned_objects=list(RETURNED_OBJECTS),
            # Each kept by the map while its script is unchanged: a change redraws only it.
            feature_group_to_add=webmap.kept_layers(overlays),
            on_change=map_callback(dataset.corridors),
            # Not the whole page first: streamlit-folium renders the map itself anyway, and the
            # page around it (rendered, then thrown away) was a third of its work on the base.
            render=False,
        )
    except RecursionError:
        # Streamlit deep-copies the map's value when it registers the component, and a value
        # crafted hundreds of levels deep (no drawing is) overflows the copy, before any of
        # our code sees it.
        st.error("The map sent back a drawing nested too deeply to read; reload the page.")
        return
    take_in_a_report_cut_short(returned, dataset.corridors)
