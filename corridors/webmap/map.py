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

import json
import math
import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar, cast

import folium
import folium.plugins
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement
from folium.template import Template
from folium.utilities import JsCode
from shapely.geometry import mapping

from corridors.data import Dataset
from corridors.geometry import leg_km
from corridors.model import LAND_MODES, Analysis, Chokepoint, Leg, Route, Waypoint
from corridors.policy.closures import ClosureResult
from corridors.policy.timeline import is_projection, status_in_year
from corridors.text import escape_html
from corridors.view import CENTER_DECIMALS, CENTER_PARAM, ZOOM_PARAM
from corridors.webmap.assets import STATIC_URL, draw_links, leaflet_links
from corridors.wording import short_name, with_article

# Colours. Corridors carry their own Okabe-Ito colours (Okabe & Ito 2008, "Color Universal
# Design"); everything else stays in greys and pale neutrals so the corridors stand out.
SEA = "#dde6ec"
LAND = "#f3f0e8"
BORDER = "#c2bcae"
#: The baselines' grey, as the route files give it: at least 10 CIEDE2000 from every corridor
#: colour under each colour-vision deficiency (tests/test_colourblind.py); lighter greys merge
#: with the green corridor for deuteranopes.
BASELINE_GREY = "#666666"
BYPASS_OUTLINE = "#1a1a1a"
#: Fill of the states the selected corridor crosses: a warm highlight rather than the
#: corridor's own colour, which for the blue corridors would read as water.
CROSSED_FILL = "#f2d58a"
CHOKEPOINT_FILL = "#1a1a1a"
#: A line the viewer is drawing, before the dashboard draws the analysed route over it.
SKETCH_COLOUR = "#444444"

#: Display window (west, south, east, north): the study area of data/boundaries with a margin.
DISPLAY_BBOX: tuple[float, float, float, float] = (-30.0, -15.0, 160.0, 84.0)
#: Douglas-Peucker tolerance for display: 0.05 degrees is about 5 km, under a pixel at the
#: continental zooms the dashboard opens at, and keeps the basemap near 400 kB of GeoJSON.
DISPLAY_TOLERANCE_DEG = 0.05
#: Islands smaller than this (square degrees, about 100 km2 at mid latitudes) are not drawn.
MIN_PART_AREA = 0.01
#: Decimals kept in display coordinates: 0.01 degree is about 1 km.
DISPLAY_DECIMALS = 2

#: Decimals kept in drawn route coordinates: 0.001 degree is about 100 m.
LINE_DECIMALS = 3

#: SVG dash patterns (pixels). Status wins over mode: a planned ferry is drawn dashed.
DASH_WATER = "1 7"
DASH_NOT_BUILT = "10 8"
DASH_CLOSED = "14 6 2 6"
NOT_BUILT = frozenset({"planned", "proposed", "under construction"})
CLOSED_OPACITY = 0.45
#: With a timeline year set: legs not yet open are ghosts, and legs drawn as open only because a
#: plan says so are paler than legs that really were open.
NOT_YET_OPEN_OPACITY = 0.18
PROJECTION_OPACITY = 0.55
#: What-if closures: the cut legs get thin black dashes over their own colour (readable on every
#: corridor colour and for every colour-vision deficiency), and a red dot marks where a route
#: enters what is closed.
CUT_COLOUR = "#1a1a1a"
DASH_CUT = "4 8"
CUT_FILL = "#d7191c"

#: Between the route name and the rest of a leg's tooltip; :func:`selection_from_event` relies
#: on it to tell which corridor a clicked line belongs to.
SEPARATOR = " \N{EM DASH} "
#: Width kept free for the legend when fitting the view (pixels).
LEGEND_WIDTH_PX = 250
#: Maps narrower than this (phones) start with the legend folded to its title.
LEGEND_FOLD_BELOW_PX = 600
#: Size assumed for the map when choosing a zoom level that fits a corridor (pixels).
MAP_SIZE_PX: tuple[int, int] = (900, 640)

_E = TypeVar("_E", bound=Element)

#: Text sizes scale with ``--corridor-font-scale``, which :class:`FontScale` sets on the map
#: container. ``#map_div`` is streamlit-folium's map inside its iframe, sized in pixels when the
#: iframe still has no height; ``min-height`` lets it fill the iframe when presentation mode
#: stretches it (a plain ``height: 100vh`` would collapse the iframe to nothing).
_CSS = f"""
<style>
  #map_div {{ min-height: 100vh; }}
  .leaflet-container {{ background: {SEA}; font-family: system-ui, sans-serif;
    font-size: calc(12px * var(--corridor-font-scale, 1)); }}
  .corridor-legend {{
    background: rgba(255, 255, 255, 0.92); padding: 6px 10px; border-radius: 4px;
    box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font-size: calc(12px * var(--corridor-font-scale, 1));
    line-height: 1.35; color: #222; max-width: calc(220px * var(--corridor-font-scale, 1));
    max-height: 85vh; overflow-y: auto;
  }}
  .corridor-legend summary {{ font-weight: 600; cursor: pointer; }}
  .corridor-legend h4 {{ margin: 6px 0 2px; font-size: calc(11px * var(--corridor-font-scale, 1));
    text-transform: uppercase; letter-spacing: 0.04em; color: #555; }}
  .corridor-legend .row {{ display: flex; align-items: center; gap: 6px; margin: 1px 0; }}
  .corridor-legend svg {{ flex: none; }}
  .state-label span {{
    position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
    font: 600 calc(11px * var(--corridor-font-scale, 1)) system-ui, sans-serif;
    color: {BYPASS_OUTLINE}; text-shadow: 0 0 3px #fff, 0 0 3px #fff; text-align: center;
  }}
  .state-label small {{ display: block; font-weight: 400; font-style: italic; }}
</style>
"""


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML, drawn inside the map container.

    Being a control rather than page HTML, it renders the same in a standalone page and inside
    streamlit-folium's iframe.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "topright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "corridor-legend");
            div.id = {{ this.element_id|tojson }};
            div.innerHTML = {{ this.html|tojson }};
            // On a narrow map (a phone) the open legend would hide most of it: start folded.
            var details = div.querySelector("details");
            if (details && {{ this._parent.get_name() }}.getSize().x < {{ this.fold_below_px }}) {
                details.open = false;
            }
            L.DomEvent.disableClickPropagation(div);
            L.DomEvent.disableScrollPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, element_id: str = "corridor-legend") -> None:
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.element_id = element_id
        self.fold_below_px = LEGEND_FOLD_BELOW_PX


class FontScale(MacroElement):
    """Scale the map's own text (legend, labels, tooltips) by setting a CSS variable.

    It is part of the map's script, not only of its style sheet, so a new scale gives
    streamlit-folium a new script and the map is redrawn with it.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.getContainer().style.setProperty(
            "--corridor-font-scale", {{ this.scale|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, scale: float) -> None:
        super().__init__()
        self._name = "FontScale"
        self.scale = f"{scale:g}"


class CircleMarkers(MacroElement):
    """Circle markers sharing one style, each with its own tooltip HTML, as one map element.

    folium renders every element, and every tooltip, through a Jinja template of its own on each
    rerun; as two elements each, the stations and ports were half the cost of redrawing the map.
    Tooltips must be escaped already (:func:`corridors.text.escape_html`), as for folium's.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var style = {{ this.style|tojson }};
            {{ this.points|tojson }}.forEach(function (point) {
                L.circleMarker([point[0], point[1]], style)
                    .bindTooltip("<div>" + point[2] + "</div>", {sticky: true})
                    .addTo({{ this._parent.get_name() }});
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, points: Sequence[tuple[float, float, str]], style: Mapping[str, Any]
    ) -> None:
        super().__init__()
        self._name = "CircleMarkers"
        self.points = [list(point) for point in points]
        self.style = dict(style)


class LineTooltips(MacroElement):
    """The tooltips of a group's lines, bound in one script instead of one element each.

    Each tooltip is a sticky ``<div>`` bound to its line, as ``folium.Tooltip`` binds it (so
    streamlit-folium reports a clicked line's tooltip the same way), but folium renders one
    template per element on every rerun and the leg tooltips were a fifth of them. Add it to the
    group after the lines: it refers to them by name when it is rendered. The text must be HTML
    escaped with :func:`corridors.text.escape_html`, which also makes it safe inside the
    JavaScript template literal it is written into.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {%- for line, text in this.tooltips %}
        {{ line.get_name() }}.bindTooltip(`<div>{{ text }}</div>`, {"sticky": true});
        {%- endfor %}
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "LineTooltips"
        self.tooltips: list[tuple[folium.PolyLine, str]] = []

    def add(self, line: folium.PolyLine, text: str) -> None:
        """Give ``line`` the tooltip ``text`` (escaped HTML)."""
        self.tooltips.append((line, text))

    @property
    def lines(self) -> list[folium.PolyLine]:
        """The lines given a tooltip, in order."""
        return [line for line, _ in self.tooltips]

    def text_of(self, line: folium.PolyLine) -> str:
        """Return the tooltip given to ``line``."""
        return next(text for bound, text in self.tooltips if bound is line)


class FetchedGeoJson(MacroElement):
    """A GeoJSON layer the browser fetches, drawn under everything else and never clickable.

    The basemap is most of a map's script (hundreds of kilobytes); inline, it would be rendered,
    sent and parsed again on every rerun. Fetched from a file named by its content hash, the
    browser loads it once. It sits in its own pane below the overlay pane, so it stays under
    the corridors whenever it arrives.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            map.createPane("basemap").style.zIndex = 350;  // under the overlay pane (400)
            var layer = L.geoJSON(null, {
                pane: "basemap",
                style: {{ this.style|tojson }},
                interactive: false,
                attribution: {{ this.attribution|tojson }}
            }).addTo(map);
            fetch({{ this.url|tojson }})
                .then(function (response) {
                    if (!response.ok) { throw new Error("basemap: HTTP " + response.status); }
                    return response.json();
                })
                .then(function (data) { layer.addData(data); })
                .catch(function (err) { console.error(err); });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, url: str, style: Mapping[str, Any], attribution: str) -> None:
        super().__init__()
        self._name = "FetchedGeoJson"
        self.url = url
        self.style = dict(style)
        self.attribution = attribution


class ViewInAddressBar(MacroElement):
    """Keep the map's centre and zoom in the address bar of the page embedding the map.

    Panning never reruns the dashboard (see :mod:`corridors.ui.widgets`), so Python never learns
    where the map is; the browser does. On every move the map writes its view into the embedding
    page's URL (same origin: Streamlit serves both), and it wraps that page's
    ``history.replaceState``/``pushState`` so that when Streamlit rewrites the query string after
    a widget changes, the live view is put back in. The address bar is then always a link to what
    is on screen. Until the user first presses, touches or scrolls the map it writes nothing
    (the dashboard's own moves are already in the URL); a standalone page has no embedding page
    and the script does nothing.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var host = window.parent;
            try {
                if (host === window || !host.history) { return; }
                void host.location.search;  // throws if the embedding page is on another origin
            } catch (err) { return; }
            var params = {{ this.params|tojson }};
            function withView(url) {
                var view = host.__corridorMapView;
                if (!view || url === undefined || url === null) { return url; }
                var target = new URL(String(url), host.location.href);
                target.searchParams.set(params.center, view.center);
                target.searchParams.set(params.zoom, view.zoom);
                return target.pathname + target.search + target.hash;
            }
            // The wrapper is replaced by each new map, so it never outlives the frame it runs in.
            var original = host.__corridorHistory || {
                replaceState: host.history.replaceState,
                pushState: host.history.pushState
            };
            host.__corridorHistory = original;
            ["replaceState", "pushState"].forEach(function (name) {
                host.history[name] = function (state, title, url) {
                    return original[name].call(host.history, state, title, withView(url));
                };
            });
            function record() {
                var centre = map.getCenter().wrap();
                var round = function (x) { return String(+x.toFixed({{ this.decimals }})); };
                host.__corridorMapView = {
                    center: round(centre.lat) + "," + round(centre.lng),
                    zoom: String(map.getZoom())
                };
                host.history.replaceState(host.history.state, "", host.location.href);
            }
            // Moves made while loading (fitting, resizing the frame) are not the user's, unless
            // the user already moved the map this frame replaces: then its view is the new one.
            var touched = Boolean(host.__corridorMapView);
            if (touched) { record(); }
            ["mousedown", "touchstart", "wheel", "keydown"].forEach(function (type) {
                map.getContainer().addEventListener(type, function () { touched = true; }, true);
            });
            map.on("moveend", function () { if (touched) { record(); } });
        })();
        {% endmacro %}
        """
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "ViewInAddressBar"
        self.params = {"center": CENTER_PARAM, "zoom": ZOOM_PARAM}
        self.decimals = CENTER_DECIMALS


def build_line_tool(static_url: str = STATIC_URL) -> folium.plugins.Draw:
    """Return Leaflet.draw with its line tool only, from the local copy.

    A drawn line is a sketch: thin and dashed, in :data:`SKETCH_COLOUR`; the dashboard draws the
    analysed route over it. Lines can be edited and deleted with the same toolbar.
    """
    off = dict.fromkeys(("polygon", "rectangle", "circle", "marker", "circlemarker"), False)
    sketch = {"color": SKETCH_COLOUR, "weight": 2, "opacity": 0.9, "dashArray": "4 6"}
    draw = folium.plugins.Draw(
        position="topleft",
        show_geometry_on_click=False,
        draw_options={"polyline": {"shapeOptions": sketch}, **off},
        edit_options={"poly": {"allowIntersection": True}},
    )
    draw.default_js, draw.default_css = draw_links(static_url)
    return draw


# Display geometry.


def display_states(
    states: gpd.GeoDataFrame,
    tolerance_deg: float = DISPLAY_TOLERANCE_DEG,
    *,
    bbox: tuple[float, float, float, float] = DISPLAY_BBOX,
    min_area: float = MIN_PART_AREA,
    decimals: int = DISPLAY_DECIMALS,
) -> gpd.GeoDataFrame:
    """Return state polygons clipped, simplified and rounded for drawing, never for analysis.

    Each state is simplified on its own, so neighbours may show hairline gaps along shared
    borders; at the dashboard's zooms they are hidden under the border stroke.

    Parameters
    ----------
    states
        Boundaries with ``iso3`` and ``name`` columns, as from :func:`corridors.data.load_states`.
    tolerance_deg
        Douglas-Peucker tolerance in degrees (topology-preserving).
    bbox
        Window kept: west, south, east, north.
    min_area
        Parts smaller than this (square degrees) are dropped, except a state's largest part.
    decimals
        Decimals kept in coordinates; fewer make a smaller page.
    """
    if not isinstance(states, gpd.GeoDataFrame) or not {"iso3", "name"} <= set(states.columns):
        msg = f"'states' should be a GeoDataFrame with iso3 and name columns, got {type(states)}"
        raise TypeError(msg)
    if tolerance_deg < 0:
        msg = f"tolerance_deg must be non-negative, got {tolerance_deg}"
        raise ValueError(msg)
    geoms = shapely.clip_by_rect(states.geometry.to_numpy(), *bbox)
    geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    geoms = np.array([_drop_specks(g, min_area) for g in geoms], dtype=object)
    geoms = shapely.transform(geoms, lambda coords: np.round(coords, decimals))
    shown = gpd.GeoDataFrame(
        {"iso3": states["iso3"].to_numpy(), "name": states["name"].to_numpy()},
        geometry=geoms,
        crs=states.crs,
        index=states.index,
    )
    return shown[~shown.geometry.is_empty]


def _drop_specks(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    """Keep the polygon parts of at least ``min_area``, or the largest part if none is."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    kept = [p for p in parts if p.area >= min_area] or [max(parts, key=lambda p: p.area)]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def basemap_json(states_display: gpd.GeoDataFrame) -> bytes:
    """Return the basemap as the GeoJSON file :class:`FetchedGeoJson` loads."""
    return json.dumps(states_geojson(states_display), separators=(",", ":")).encode()


def states_geojson(
    states: gpd.GeoDataFrame,
    codes: Iterable[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return a FeatureCollection of the states (all, or those in ``codes``), id = ISO code.

    Every feature carries an id so folium's GeoJson never adds one to the dict it is given.
    ``labels`` are HTML (already escaped) stored as ``properties.label``.
    """
    rows = states if codes is None else states[states["iso3"].isin(list(codes))]
    labels = labels or {}
    features = [
        {
            "type": "Feature",
            "id": iso3,
            "properties": {"label": labels[iso3]} if iso3 in labels else {},
            "geometry": mapping(geom),
        }
        for iso3, geom in zip(rows["iso3"], rows.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


# Styles.


def leg_style(
    leg: Leg, colour: str, *, selected: bool = False, year: int | None = None
) -> dict[str, Any]:
    """Return Leaflet path options for a leg: colour from the route, dash by mode and status.

    Operational land legs are solid, sea and ferry legs dotted; planned, proposed and
    under-construction legs dashed; closed legs dash-dotted and faded. With a ``year``, the leg's
    status in that year (:func:`corridors.policy.timeline.status_in_year`) decides instead: legs not
    yet open are ghosts, and legs open only in a plan's projection are paler.
    """
    status = leg.status if year is None else status_in_year(leg, year)
    water = leg.mode not in LAND_MODES
    dash: str | None
    if status == "closed":
        dash = DASH_CLOSED
    elif status in NOT_BUILT:
        dash = DASH_NOT_BUILT
    else:
        dash = DASH_WATER if water else None
    weight = (3 if water else 4) + (2 if selected else 0)
    if status == "closed":
        opacity = CLOSED_OPACITY
    elif status == "not yet open":
        opacity = NOT_YET_OPEN_OPACITY
    elif is_projection(leg, year):
        opacity = PROJECTION_OPACITY
    else:
        opacity = 0.95
    return {
        "color": colour,
        "weight": weight,
        "opacity": opacity,
        "dash_array": dash,
        "line_cap": "round",
    }


def _leg_class(leg: Leg, year: int | None) -> str:
    """Return the extra CSS class of a leg in the timeline's year (tests and styles find it)."""
    if year is None:
        return ""
    if status_in_year(leg, year) == "not yet open":
        return " leg-not-yet-open"
    return " leg-projection" if is_projection(leg, year) else ""


# Tooltips: HTML built from escaped parts only.


def _when(leg: Leg) -> str:
    if leg.status == "closed" and leg.closed_year:
        return f", closed {leg.closed_year}"
    if leg.year is None:
        return ""
    return f", opened {leg.year}" if leg.status == "operational" else f", for {leg.year}"


def leg_tooltip(route: Route, leg: Leg, year: int | None = None) -> str:
    """Return a leg's tooltip HTML; it starts with the route name and :data:`SEPARATOR`.

    With a timeline ``year``, a last line says how the leg is drawn in that year.
    """
    role = " (baseline)" if route.role == "baseline" else ""
    text = (
        f"<b>{escape_html(route.name)}</b>{role}{SEPARATOR}{escape_html(leg.name)}<br>"
        f"{escape_html(leg.mode)}, {escape_html(leg.status)}{_when(leg)}, "
        f"{leg_km(leg):,.0f} km"
    )
    if year is not None:
        projected = " (if the plan holds)" if is_projection(leg, year) else ""
        text += f"<br>In {year}: {escape_html(status_in_year(leg, year))}{projected}"
    return text


def _cut_tooltip(cuts: Sequence[tuple[Route, str, str]]) -> str:
    """Return the tooltip of a cut: each route, leg and what closed it there."""
    lines = [
        f"{escape_html(route.name)}: {escape_html(leg_name)}, {escape_html(closed_name)} closed"
        for route, leg_name, closed_name in cuts
    ]
    return "<b>Cut by a closure</b><br>" + "<br>".join(dict.fromkeys(lines))


def _waypoint_tooltip(route: Route, wp: Waypoint, state_names: Mapping[str, str]) -> str:
    state = state_names.get(wp.iso3, wp.iso3)
    return (
        f"<b>{escape_html(wp.name)}</b><br>{escape_html(wp.kind)}, {escape_html(state)}"
        f"<br>{escape_html(route.name)}"
    )


def _chokepoint_tooltip(cp: Chokepoint, selected: Route | None, analysis: Analysis | None) -> str:
    lines = [f"<b>{escape_html(cp.name)}</b> ({escape_html(cp.kind)})", escape_html(cp.note)]
    if selected is not None and analysis is not None:
        if cp.id in analysis.chokepoints:
            lines.append(f"Passed by {escape_html(with_article(selected.name))}")
        elif cp.id in analysis.chokepoints_avoided:
            lines.append(f"Avoided by {escape_html(with_article(selected.name))}")
    return "<br>".join(lines)


# Map parts.


def _named(element: _E, name: str, parent: Element | None = None) -> _E:
    """Give an element a fixed id, so generated HTML and JavaScript are deterministic.

    Ids are lowercase letters and digits only: streamlit-folium renames variables it finds by
    the pattern ``_[a-z0-9]+``, and an id with an underscore escapes the renaming.

    Raises
    ------
    ValueError
        If ``parent`` already holds an element of that name (two data ids with the same
        :func:`_slug`): folium would silently drop the first.
    """
    if not re.fullmatch(r"[a-z0-9]+", name):
        msg = f"element ids must be lowercase letters and digits, got {name!r}"
        raise ValueError(msg)
    element._id = name
    element._fixed_id = True  # type: ignore[attr-defined]
    if parent is not None:
        if element.get_name() in parent._children:
            msg = f"two map elements are both named {element.get_name()!r}"
            raise ValueError(msg)
        parent.add_child(element)
    return element


def _inert(line: folium.PolyLine) -> folium.PolyLine:
    """Make a line ignore the mouse, so clicks and tooltips reach the line beneath it.

    folium drops ``interactive`` from a path's keyword arguments, so it is set on the options.
    """
    line.options["interactive"] = False
    return line


def _slug(text: str) -> str:
    """Return a data id as letters and digits only (``middle-corridor`` -> ``middlecorridor``)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _route_bounds(routes: Iterable[Route]) -> list[list[float]]:
    coords = np.array([c for r in routes for leg in r.legs for c in leg.coords])
    if coords.size == 0:
        msg = "no route to fit the view to"
        raise ValueError(msg)
    (west, south), (east, north) = coords.min(axis=0), coords.max(axis=0)
    return [[float(south), float(west)], [float(north), float(east)]]


def route_bounds(route: Route) -> list[list[float]]:
    """Return a route's bounds as ``[[south, west], [north, east]]``, as Leaflet takes them."""
    return _route_bounds([route])


def fit_view(
    bounds: Sequence[Sequence[float]],
    size_px: tuple[int, int] = MAP_SIZE_PX,
    *,
    right_px: int = LEGEND_WIDTH_PX,
    pad: float = 0.05,
) -> tuple[tuple[float, float], int]:
    """Return the centre ``(lat, lon)`` and the highest whole Web Mercator zoom that shows bounds.

    Used to move the map to a corridor without reloading it (streamlit-folium's ``center`` and
    ``zoom``). The bounds are fitted into the map less ``right_px`` on the right, where the
    legend is, and ``pad`` (a fraction of the map) on each side.

    Examples
    --------
    >>> fit_view([[40.0, 40.0], [42.0, 50.0]], right_px=0)
    ((41.0, 45.0), 6)
    """
    (south, west), (north, east) = bounds

    def merc_y(lat: float) -> float:
        lat = math.radians(max(min(lat, 85.0), -85.0))
        return math.log(math.tan(math.pi / 4 + lat / 2)) / (2 * math.pi)

    width_px = size_px[0] * (1 - 2 * pad) - right_px
    height_px = size_px[1] * (1 - 2 * pad)
    dx = max((east - west) / 360.0, 1e-9)
    dy = max(merc_y(north) - merc_y(south), 1e-9)
    zoom = math.floor(math.log2(min(width_px / (256 * dx), height_px / (256 * dy))))
    zoom = max(1, min(zoom, 12))
    # Shift the centre east by half the legend, so the bounds sit in the free part of the map.
    shift_deg = right_px / 2 / (256 * 2**zoom) * 360
    return ((south + north) / 2, (west + east) / 2 + shift_deg), zoom


def _legend_swatch(colour: str, *, dash: str | None = None, opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10" aria-hidden="true"><line x1="2" y1="5" x2="32" y2="5" '
        f'stroke="{colour}" stroke-width="4" stroke-linecap="round" stroke-opacity="{opacity}"'
        f"{dash_attr}/></svg>"
    )


def legend_html(corridors: Sequence[Route]) -> str:
    """Return the legend's HTML: corridor colours, line styles, markers and state shading."""

    def row(swatch: str, text: str) -> str:
        return f'<div class="row">{swatch}<span>{escape_html(text)}</span></div>'

    circle = (
        '<svg width="34" height="12" aria-hidden="true"><circle cx="17" cy="6" r="{r}" '
        'fill="{fill}" stroke="{stroke}" stroke-width="2"/></svg>'
    )
    box = (
        '<svg width="34" height="12" aria-hidden="true"><rect x="5" y="1" width="24" height="10" '
        'fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1.5" '
        'stroke-dasharray="{dash}"/></svg>'
    )
    parts = ["<details open><summary>Legend</summary>", "<h4>Corridors</h4>"]
    # Short names (no bracketed gloss) keep the legend narrow; tooltips give the full ones.
    parts += [row(_legend_swatch(r.colour), short_name(r.name)) for r in corridors]
    parts.append(row(_legend_swatch(BASELINE_GREY), "Baseline (existing route)"))
    parts.append("<h4>Lines</h4>")
    parts.append(row(_legend_swatch("#333"), "Rail or road, operational"))
    parts.append(row(_legend_swatch("#333", dash=DASH_WATER), "Sea or ferry"))
    parts.append(row(_legend_swatch("#333", dash=DASH_NOT_BUILT), "Planned or being built"))
    parts.append(row(_legend_swatch("#333", dash=DASH_CLOSED, opacity=CLOSED_OPACITY), "Closed"))
    parts.append("<h4>Points</h4>")
    parts.append(row(circle.format(r=4, fill="#fff", stroke="#333"), "Port, station or crossing"))
    parts.append(row(circle.format(r=5, fill=CHOKEPOINT_FILL, stroke="#fff"), "Chokepoint"))
    parts.append("<h4>Selected corridor</h4>")
    parts.append(
        row(box.format(fill=CROSSED_FILL, opacity=0.75, stroke="#333", dash="none"), "Crossed")
    )
    parts.append(
        row(box.format(fill="#fff", opacity=0, stroke=BYPASS_OUTLINE, dash="4 3"), "Bypassed")
    )
    parts.append("</details>")
    return "".join(parts)


def build_base_map(
    dataset: Dataset,
    states_display: gpd.GeoDataFrame,
    *,
    tiles: bool = False,
    static_url: str = STATIC_URL,
    font_scale: float = 1.0,
    view_in_address_bar: bool = False,
    line_tool: bool = False,
    basemap_url: str | None = None,
) -> folium.Map:
    """Return the map's fixed part: local Leaflet, the basemap, the legend and the initial view.

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
    view_in_address_bar
        Write the map's centre and zoom into the embedding page's URL as the user moves it
        (see :class:`ViewInAddressBar`): for the dashboard, not for a standalone page.
    basemap_url
        Where the browser fetches the basemap (:func:`basemap_json`, published in the static
        folder) instead of finding it in the map's script; None embeds it, for a standalone page.
    line_tool
        Add Leaflet.draw's line tool, to draw a route to analyse (see :func:`build_line_tool`).

    Raises
    ------
    ValueError
        If ``font_scale`` is not a number above 0 and below 10.
    """
    if not (isinstance(font_scale, int | float) and 0 < font_scale < 10):
        msg = f"font_scale must be a number above 0 and below 10, got {font_scale!r}"
        raise ValueError(msg)
    m = _named(folium.Map(tiles=None, control_scale=True, zoom_snap=0.5), "corridormap")
    m.default_js, m.default_css = leaflet_links(static_url)
    cast(Figure, m.get_root()).header.add_child(Element(_CSS), name="corridor_css")
    if tiles:
        _named(folium.TileLayer("OpenStreetMap", name="Web map"), "webtiles", m)
    style = {
        "fillColor": LAND,
        "fillOpacity": 0.0 if tiles else 1.0,
        "color": BORDER,
        "weight": 0.8,
    }
    attribution = "Boundaries: Natural Earth"
    if basemap_url is None:
        basemap: Element = folium.GeoJson(
            states_geojson(states_display),
            name="States",
            style_function=lambda _feature: style,
            interactive=False,
            attribution=attribution,
        )
    else:
        basemap = FetchedGeoJson(basemap_url, style, attribution)
    _named(basemap, "statebasemap", m)
    _named(Legend(legend_html(dataset.corridors)), "corridorlegend", m)
    if font_scale != 1:
        _named(FontScale(font_scale), "corridorfontscale", m)
    if view_in_address_bar:
        _named(ViewInAddressBar(), "corridorviewinurl", m)
    if line_tool:
        _named(build_line_tool(static_url), "corridorlinetool", m)
    if dataset.corridors:
        # Room on the right for the legend, so no corridor starts under it.
        m.fit_bounds(
            _route_bounds(dataset.corridors),
            padding_top_left=(20, 20),
            padding_bottom_right=(LEGEND_WIDTH_PX, 20),
        )
    _stabilise_ids([m])
    return m


def build_overlays(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states_display: gpd.GeoDataFrame,
    *,
    visible: Iterable[str],
    selected: str | None,
    show_baselines: bool,
    year: int | None = None,
    closures: ClosureResult | None = None,
    extra_routes: Sequence[Route] = (),
) -> list[folium.FeatureGroup]:
    """Return the layers that change with the sidebar and the panels, bottom first.

    Parameters
    ----------
    dataset, analyses
        Routes, chokepoints and the analysis of each route by id.
    states_display
        Display boundaries from :func:`display_states`, for the selected corridor's states.
    visible
        Ids of the corridors to draw.
    selected
        The corridor whose crossed states are tinted and bypassed states outlined, or None.
    show_baselines
        Draw the baselines of the visible corridors.
    year
        Draw each leg as it was (or is planned to be) in this year; None draws it as it is.
    closures
        What-if closures: the cut legs of the routes drawn are marked, with a dot at each cut.
    extra_routes
        Routes from outside the dataset, such as an uploaded one, drawn on top in their colour.

    Raises
    ------
    ValueError
        If ``visible`` or ``selected`` names a route that is not a corridor of the dataset, or an
        extra route has the id of a route of the dataset.
    """
    corridors = {r.id: r for r in dataset.corridors}
    visible = tuple(visible)
    unknown = [i for i in (*visible, selected) if i is not None and i not in corridors]
    if unknown:
        msg = f"not corridors of the dataset: {unknown}; corridors are {sorted(corridors)}"
        raise ValueError(msg)
    clashing = [r.id for r in extra_routes if r.id in dataset.routes]
    if clashing:
        msg = f"extra routes must not reuse the dataset's route ids, got {clashing}"
        raise ValueError(msg)
    names = dict(zip(states_display["iso3"], states_display["name"], strict=True))
    groups: list[folium.FeatureGroup] = []
    drawn: list[Route] = []
    chosen = corridors[selected] if selected else None
    analysis = analyses.get(selected) if selected else None
    if chosen is not None and analysis is not None:
        groups.append(_selection_group(chosen, analysis, dataset, states_display))
    if show_baselines:
        wanted = {corridors[i].baseline for i in visible}
        drawn += [route for route in dataset.baselines if route.id in wanted]
    # The selected corridor last, so it is drawn on top.
    order = sorted(visible, key=lambda i: (i == selected, list(corridors).index(i)))
    drawn += [corridors[route_id] for route_id in order]
    for route in drawn:
        colour = BASELINE_GREY if route.role == "baseline" else route.colour
        groups.append(_route_group(route, colour, names, selected=route.id == selected, year=year))
    for route in extra_routes:
        groups.append(_route_group(route, route.colour, names, selected=False, kind="upload"))
    groups.append(_chokepoint_group(dataset.chokepoints, chosen, analysis))
    if closures is not None:
        cut = _cut_group(closures, drawn)
        if cut is not None:
            groups.append(cut)
    _stabilise_ids(groups)
    return groups


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
) -> folium.Map:
    """Return the whole map: :func:`build_base_map` with :func:`build_overlays` added.

    See those two functions for the parameters.
    """
    m = build_base_map(
        dataset, states_display, tiles=tiles, static_url=static_url, font_scale=font_scale
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


def _route_group(
    route: Route,
    colour: str,
    state_names: Mapping[str, str],
    *,
    selected: bool,
    year: int | None = None,
    kind: str | None = None,
) -> folium.FeatureGroup:
    kind = kind or ("baseline" if route.role == "baseline" else "corridor")
    group = folium.FeatureGroup(name=route.name)
    _named(group, f"{kind}{_slug(route.id)}")
    if selected:
        # A white casing keeps the selected corridor readable over its highlighted states and
        # over other lines, whatever its colour.
        for leg in route.legs:
            casing = folium.PolyLine(
                _latlons(leg),
                color="#ffffff",
                weight=leg_style(leg, colour, selected=True, year=year)["weight"] + 3,
                opacity=0.85,
                class_name="leg-casing",
            )
            _inert(casing).add_to(group)
    tooltips = LineTooltips()
    for leg in route.legs:
        line = folium.PolyLine(
            _latlons(leg),
            class_name=f"{kind}-leg route-{route.id}{_leg_class(leg, year)}",
            **leg_style(leg, colour, selected=selected, year=year),
        )
        _named(line, f"leg{_slug(route.id)}{_slug(leg.id)}", group)
        tooltips.add(line, leg_tooltip(route, leg, year))
    _named(tooltips, f"legtooltips{_slug(route.id)}", group)  # after the lines it names
    if kind == "corridor" and route.waypoints:
        style = {
            "radius": 4,
            "color": colour,
            "weight": 2,
            "fillColor": "#ffffff",
            "fillOpacity": 1.0,
            "className": "waypoint",
        }
        points = [
            (wp.lat, wp.lon, _waypoint_tooltip(route, wp, state_names)) for wp in route.waypoints
        ]
        _named(CircleMarkers(points, style), f"waypoints{_slug(route.id)}", group)
    return group


def _latlons(leg: Leg) -> list[tuple[float, float]]:
    """Return a leg's vertices as Leaflet takes them, to 0.001 degree (100 m) for a light page."""
    return [(round(lat, LINE_DECIMALS), round(lon, LINE_DECIMALS)) for lon, lat in leg.coords]


def _selection_group(
    route: Route, analysis: Analysis, dataset: Dataset, states_display: gpd.GeoDataFrame
) -> folium.FeatureGroup:
    group = _named(folium.FeatureGroup(name="Selected corridor's states"), "selectedstates")
    labels = {
        s.iso3: (
            f"<b>{escape_html(s.name)}</b><br>{s.km:,.0f} km, {s.share:.0%} of "
            f"{escape_html(with_article(route.name))}{' (canal)' if s.via_canal else ''}"
        )
        for s in analysis.transit
    }
    crossed = folium.GeoJson(
        states_geojson(states_display, list(labels), labels),
        name="Crossed states",
        style_function=lambda _f: {
            "fillColor": CROSSED_FILL,
            "fillOpacity": 0.75,
            "color": route.colour,
            "weight": 1.5,
            "opacity": 0.9,
        },
        # Tooltips bound per polygon, not to the layer group: streamlit-folium reads a clicked
        # object's tooltip from the polygon itself.
        on_each_feature=JsCode(
            "function (feature, layer) {"
            " layer.bindTooltip(feature.properties.label, {sticky: true}); }"
        ),
    )
    _named(crossed, "crossedstates", group)
    bypassed = [s.iso3 for s in analysis.bypassed]
    outline = folium.GeoJson(
        states_geojson(states_display, bypassed),
        name="Bypassed states",
        style_function=lambda _f: {
            "fillColor": BYPASS_OUTLINE,
            "fillOpacity": 0.05,
            "color": BYPASS_OUTLINE,
            "weight": 2,
            "dashArray": "6 4",
        },
        interactive=False,
    )
    _named(outline, "bypassedstates", group)
    baseline = dataset.routes.get(analysis.baseline or "")
    shown = states_display.set_index("iso3")
    for ref in analysis.bypassed:
        if ref.iso3 not in shown.index:
            continue
        point = _label_point(shown.geometry[ref.iso3], baseline)
        html = f"<span>{escape_html(ref.name)}<small>bypassed</small></span>"
        label = folium.Marker(
            (point[1], point[0]),
            icon=folium.DivIcon(html=html, class_name="state-label", icon_size=(0, 0)),
            interactive=False,
            keyboard=False,
        )
        label.add_to(group)
    return group


def _label_point(geom: shapely.Geometry, baseline: Route | None) -> tuple[float, float]:
    """Return where to label a bypassed state, as ``(lon, lat)``.

    Midway along the baseline's path through the state, where the reader is already looking
    (Russia's own centre is far off in Siberia); else a point inside its largest part.
    """
    if baseline is not None:
        lines = [shapely.segmentize(shapely.LineString(leg.coords), 0.1) for leg in baseline.legs]
        coords = np.concatenate([shapely.get_coordinates(line) for line in lines])
        inside = coords[shapely.contains_xy(geom, coords[:, 0], coords[:, 1])]
        if len(inside):
            lon, lat = inside[len(inside) // 2]
            return float(lon), float(lat)
    largest = max(shapely.get_parts(geom), key=lambda p: p.area)
    point = largest.representative_point()
    return point.x, point.y


def _cut_group(closures: ClosureResult, drawn: Sequence[Route]) -> folium.FeatureGroup | None:
    """Return the marks of the closures on the routes drawn, or None if none of them is cut.

    Each cut leg gets black dashes over its line. A red dot marks each place a route enters what
    is closed: a leg that continues a stretch the closure already cuts gets no dot of its own, and
    cuts at the same place share one dot. The dashes are not interactive, so a click still reaches
    the corridor's own line.
    """
    routes = {r.id: r for r in drawn}
    outcomes = [o for o in closures.routes if o.route_id in routes and not o.runs]
    if not outcomes:
        return None
    group = _named(folium.FeatureGroup(name="What-if closures"), "closurecuts")
    places: dict[tuple[float, float], list[tuple[Route, str, str]]] = {}
    for outcome in outcomes:
        route = routes[outcome.route_id]
        legs = {leg.id: leg for leg in route.legs}
        previous = {leg.id: route.legs[i - 1].id for i, leg in enumerate(route.legs) if i}
        cut_by = {(cut.leg_id, cut.closed) for cut in outcome.breaks}
        for leg_id in outcome.broken_legs:
            line = folium.PolyLine(
                _latlons(legs[leg_id]),
                color=CUT_COLOUR,
                weight=2,
                opacity=0.95,
                dash_array=DASH_CUT,
                class_name=f"cut-leg route-{route.id}",
            )
            _named(_inert(line), f"cut{_slug(route.id)}{_slug(leg_id)}", group)
        for cut in outcome.breaks:
            if (previous.get(cut.leg_id), cut.closed) in cut_by:
                continue  # already inside: the dot is where the route entered
            place = (round(cut.lat, LINE_DECIMALS), round(cut.lon, LINE_DECIMALS))
            places.setdefault(place, []).append((route, cut.leg_name, cut.closed_name))
    for place, cuts in places.items():
        marker = folium.CircleMarker(
            place,
            radius=6,
            color="#ffffff",
            weight=2,
            fill_color=CUT_FILL,
            fill_opacity=1.0,
            tooltip=_cut_tooltip(cuts),
            class_name="cut-marker",
        )
        marker.add_to(group)
    return group


def _chokepoint_group(
    chokepoints: Iterable[Chokepoint], selected: Route | None, analysis: Analysis | None
) -> folium.FeatureGroup:
    group = _named(folium.FeatureGroup(name="Chokepoints"), "chokepointmarkers")
    for cp in chokepoints:
        marker = folium.CircleMarker(
            (cp.lat, cp.lon),
            radius=5,
            color="#ffffff",
            weight=2,
            fill_color=CHOKEPOINT_FILL,
            fill_opacity=0.9,
            tooltip=_chokepoint_tooltip(cp, selected, analysis),
            class_name="chokepoint",
        )
        _named(marker, f"chokepoint{_slug(cp.id)}", group)
    return group


def _stabilise_ids(roots: Iterable[Element]) -> None:
    """Replace folium's random ids below each root with ids derived from the parent's.

    Ids fixed by :func:`_named` are kept.

    Raises
    ------
    ValueError
        If two elements end up with the same name (two data ids with the same :func:`_slug`),
        which would make one layer overwrite the other in the browser.
    """
    seen: set[str] = set()

    def claim(element: Element) -> None:
        if element.get_name() in seen:
            msg = f"two map elements are both named {element.get_name()!r}"
            raise ValueError(msg)
        seen.add(element.get_name())

    def visit(element: Element) -> None:
        for index, child in enumerate(element._children.values()):
            if not getattr(child, "_fixed_id", False):
                child._id = f"{element._id}x{index}"
            claim(child)
            visit(child)
        element._children = OrderedDict((c.get_name(), c) for c in element._children.values())

    for root in roots:
        claim(root)
        visit(root)


def selection_from_event(event: Mapping[str, Any] | None, corridors: Iterable[Route]) -> str | None:
    """Return the id of the corridor whose line was clicked, from a streamlit-folium event.

    streamlit-folium reports the clicked object's tooltip as plain text; a leg's tooltip starts
    with its corridor's name and :data:`SEPARATOR` (see :func:`leg_tooltip`). Anything else (a
    baseline, a waypoint, a state, an empty event) selects nothing.
    """
    text = (event or {}).get("last_object_clicked_tooltip")
    if not isinstance(text, str):
        return None
    text = text.strip()
    for route in sorted(corridors, key=lambda r: len(r.name), reverse=True):
        if text == route.name or text.startswith(route.name + SEPARATOR):
            return route.id
    return None
