"""Map elements of our own, and fixed element ids so generated HTML is deterministic.

Each element's script only calls a function of ``static/corridors.js`` with its data as JSON:
no text from data or users is ever part of a template's source.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

import folium
import folium.plugins
from branca.element import Element, MacroElement
from folium.template import Template

from corridors.style import SKETCH_COLOUR
from corridors.view import CENTER_DECIMALS, CENTER_PARAM, ZOOM_PARAM
from corridors.webmap.assets import STATIC_URL, draw_links

#: Maps narrower than this (phones) start with the legend folded to its title.
LEGEND_FOLD_BELOW_PX = 600

_E = TypeVar("_E", bound=Element)


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


# Map parts.


def named(element: _E, name: str, parent: Element | None = None) -> _E:
    """Give an element a fixed id, so generated HTML and JavaScript are deterministic.

    Ids are lowercase letters and digits only: streamlit-folium renames variables it finds by
    the pattern ``_[a-z0-9]+``, and an id with an underscore escapes the renaming.

    Raises
    ------
    ValueError
        If ``parent`` already holds an element of that name (two data ids with the same
        :func:`slug`): folium would silently drop the first.
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


def inert(line: folium.PolyLine) -> folium.PolyLine:
    """Make a line ignore the mouse, so clicks and tooltips reach the line beneath it.

    folium drops ``interactive`` from a path's keyword arguments, so it is set on the options.
    """
    line.options["interactive"] = False
    return line


def slug(text: str) -> str:
    """Return a data id as letters and digits only (``middle-corridor`` -> ``middlecorridor``)."""
    return re.sub(r"[^a-z0-9]", "", text.lower())


def stabilise_ids(roots: Iterable[Element]) -> None:
    """Replace folium's random ids below each root with ids derived from the parent's.

    Ids fixed by :func:`named` are kept.

    Raises
    ------
    ValueError
        If two elements end up with the same name (two data ids with the same :func:`slug`),
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
