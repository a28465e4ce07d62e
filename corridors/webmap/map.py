"""Draw the corridors on a folium map that needs no internet connection.

The basemap is the bundled state boundaries, simplified for display only (analysis always uses
the full resolution), on a sea-coloured background; web tiles are an option, off by default.
Leaflet comes from local copies (see :mod:`corridors.webmap.assets`) and no element used here
pulls a script or stylesheet from a CDN: markers are ``CircleMarker`` or ``DivIcon``, never
awesome-markers icons.

Every string that comes from data or users is escaped with :func:`corridors.text.escape_html`
before it reaches a tooltip, label or the legend, because Leaflet renders them as HTML.

The map is built in two parts so the dashboard can update it without reloading it:
:func:`build_base_map` (basemap, legend, initial view: the same for every choice of layers) and
:func:`build_overlays` (corridors, baselines, chokepoints and the selected corridor's states),
which streamlit-folium swaps in place through ``feature_group_to_add``. :func:`build_map` joins
them for a standalone map and for tests. The timeline year, the what-if closures and an uploaded
route are overlays too, so changing them never reloads the map.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import cast

import folium
import folium.plugins
import geopandas as gpd
from branca.element import Element, Figure

from corridors.data import Dataset
from corridors.extent import LEGEND_WIDTH_PX, STUDY_AREA, in_study_area, routes_bounds
from corridors.model import Analysis, Route
from corridors.places import Place
from corridors.policy.closures import ClosureResult
from corridors.style import (
    BORDER,
    BYPASS_OUTLINE,
    CROSSED_STATE_INK,
    LAND,
    REGION_INK,
    SEA,
    SEA_INK,
    STATE_INK,
)
from corridors.webmap.assets import STATIC_URL, leaflet_links
from corridors.webmap.basemap import states_geojson
from corridors.webmap.elements import (
    BasemapLayer,
    FetchedLabels,
    FitRoutes,
    FontScale,
    KeepToArea,
    KeyboardNav,
    Labels,
    Legend,
    ShareBasemap,
    SourcePopups,
    TileNotice,
    WheelWhenInUse,
    build_line_tool,
    named,
    stabilise_ids,
)
from corridors.webmap.labels import place_labels, state_labels
from corridors.webmap.layers import build_overlays

#: Shown on the map when web tiles fail to load; the vector basemap stays underneath.
TILES_OFFLINE = (
    "Web map tiles could not be loaded (no internet?). The offline basemap is shown instead."
)
#: Shown on the map when a link's view lay off the study area, which Leaflet moved it onto.
BROUGHT_TO_AREA = "The link's view lay outside the map's area, so the map shows the area instead."


def _css_variables() -> str:
    """Return the colours ``static/corridors.css`` takes from :mod:`corridors.style`."""
    colours = {
        "sea": SEA,
        "ink": BYPASS_OUTLINE,
        "sea-ink": SEA_INK,
        "region-ink": REGION_INK,
        "state-ink": STATE_INK,
        "crossed-ink": CROSSED_STATE_INK,
    }
    declared = " ".join(f"--corridor-{name}: {value};" for name, value in colours.items())
    return f"<style>:root {{ {declared} }}</style>"


def build_base_map(
    dataset: Dataset,
    states_display: gpd.GeoDataFrame,
    *,
    tiles: bool = False,
    static_url: str = STATIC_URL,
    font_scale: float = 1.0,
    line_tool: bool = False,
    wheel_at_once: bool = False,
    basemap_url: str | None = None,
    names_url: str | None = None,
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    fit: Sequence[Sequence[float]] | None = None,
    places: Sequence[Place] = (),
) -> folium.Map:
    """Return the map's fixed part: local Leaflet, the basemap, names, legend and first view.

    It depends only on the dataset and ``tiles``, so the dashboard can keep it loaded while the
    layers on top change.

    Parameters
    ----------
    dataset
        Routes and chokepoints; the legend lists its corridors and the view fits them.
    states_display
        Display boundaries from :func:`display_states`.
    tiles
        Add OpenStreetMap tiles behind the states (needs internet); the land fill then turns
        transparent so the tiles show.
    static_url
        URL prefix of the folder holding ``vendor/leaflet`` (see :mod:`corridors.webmap.assets`).
    font_scale
        Size of the legend, labels and tooltips relative to normal: above 1 for a projector.
    basemap_url
        Where the browser fetches the basemap (:func:`basemap_json`, published in the static
        folder) instead of finding it in the map's script; None embeds it, for a standalone page.
    names_url
        Where the browser fetches the states' names (:func:`corridors.webmap.names_json`), as
        for ``basemap_url``; None embeds them.
    line_tool
        Add Leaflet.draw's line tool, to draw a route to analyse (see :func:`build_line_tool`).
    wheel_at_once
        The wheel zooms the map at once, as on a standalone page: the map fills the screen
        (presentation mode) and there is no page to scroll. Otherwise, in the dashboard, it
        zooms only once the map is in use (see :class:`WheelWhenInUse`).
    center, zoom
        Where the map opens, when both are given: a shared link's view.
    fit
        Otherwise the map opens fitted to these bounds, ``[[south, west], [north, east]]``, with
        room for the legend where it is open (see :class:`FitRoutes`); None fits every corridor.
    places
        Seas, regions and straits to name besides the states (:mod:`corridors.places`).

    The map opens at its view at once, without an animation: Leaflet animates a fit in the next
    animation frame, which lands after, and undoes, any view set in the meantime (a second fit,
    or a move the overlays carry, :func:`corridors.webmap.layers.move_group`).

    Raises
    ------
    ValueError
        If ``font_scale`` is not a number above 0 and below 10.
    """
    if not (isinstance(font_scale, int | float) and 0 < font_scale < 10):
        msg = f"font_scale must be a number above 0 and below 10, got {font_scale!r}"
        raise ValueError(msg)
    opens_at = center is not None and zoom is not None
    west, south, east, north = STUDY_AREA
    m = folium.Map(
        location=center if opens_at else None,
        # folium's hint says int; Leaflet takes the half zooms zoom_snap allows.
        zoom_start=zoom if opens_at else 1,  # type: ignore[arg-type]
        tiles=None,
        control_scale=True,
        zoom_snap=0.5,
        # The study area: a link's view opens on it; KeepToArea keeps the map there.
        max_bounds=True,
        min_lat=south,
        max_lat=north,
        min_lon=west,
        max_lon=east,
        max_bounds_viscosity=1.0,
    )
    named(m, "corridormap")
    m.default_js, m.default_css = leaflet_links(static_url)
    cast(Figure, m.get_root()).header.add_child(Element(_css_variables()), name="corridor_css")
    web = named(folium.TileLayer("OpenStreetMap", name="Web map"), "webtiles", m) if tiles else None
    style = {
        "fillColor": LAND,
        "fillOpacity": 0.0 if tiles else 1.0,
        "color": BORDER,
        "weight": 0.8,
    }
    attribution = "Boundaries: Natural Earth"
    source = states_geojson(states_display) if basemap_url is None else basemap_url
    basemap = BasemapLayer(source, style, attribution)
    named(basemap, "statebasemap", m)
    # Before the legend and the first fit: each resize sets the lowest zoom before they fit.
    off_area = center is not None and zoom is not None and not in_study_area(*center)
    named(KeepToArea(BROUGHT_TO_AREA if off_area else ""), "corridorarea", m)
    named(ShareBasemap(basemap), "sharebasemap", m)
    if web is not None:
        named(TileNotice(web, basemap, TILES_OFFLINE), "corridortilenotice", m)
    named(Legend(), "corridorlegend", m)
    named(SourcePopups(), "corridorsourcepopups", m)
    named(KeyboardNav(), "corridorkeyboard", m)
    named(WheelWhenInUse(at_once=wheel_at_once), "corridorwheel", m)
    if font_scale != 1:
        named(FontScale(font_scale), "corridorfontscale", m)
    if line_tool:
        named(build_line_tool(static_url), "corridorlinetool", m)
    if names_url is None:
        named(Labels(state_labels(states_display) + place_labels(places)), "corridorbaselabels", m)
    else:
        named(FetchedLabels(names_url), "corridorstatelabels", m)
        # The places come from the data folder, not the boundaries, and are a few records.
        named(Labels(place_labels(places)), "corridorbaselabels", m)
    if not opens_at and (fit is not None or dataset.corridors):
        # Room on the right for the legend where it is open, so no corridor starts under it.
        bounds = fit if fit is not None else routes_bounds(dataset.corridors)
        named(FitRoutes(bounds, LEGEND_WIDTH_PX), "corridorfit", m)
    stabilise_ids([m])
    return m


def build_map(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states_display: gpd.GeoDataFrame,
    *,
    visible: Iterable[str],
    selected: str | None,
    show_baselines: bool,
    tiles: bool = False,
    static_url: str = STATIC_URL,
    font_scale: float = 1.0,
    year: int | None = None,
    closures: ClosureResult | None = None,
    extra_routes: Sequence[Route] = (),
    center: tuple[float, float] | None = None,
    zoom: float | None = None,
    fit: Sequence[Sequence[float]] | None = None,
    places: Sequence[Place] = (),
) -> folium.Map:
    """Return the whole map: :func:`build_base_map` with :func:`build_overlays` added.

    See those two functions for the parameters.
    """
    m = build_base_map(
        dataset,
        states_display,
        tiles=tiles,
        static_url=static_url,
        font_scale=font_scale,
        center=center,
        zoom=zoom,
        fit=fit,
        places=places,
    )
    overlays = build_overlays(
        dataset,
        analyses,
        states_display,
        visible=visible,
        selected=selected,
        show_baselines=show_baselines,
        year=year,
        closures=closures,
        extra_routes=extra_routes,
    )
    for group in overlays:
        group.add_to(m)
    return m
