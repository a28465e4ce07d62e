"""Map elements of our own, and fixed element ids so generated HTML is deterministic.

Each element's script only calls a function of ``static/corridors.js`` with its data as JSON: no
text from data or users is ever part of a template's source.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from contextlib import suppress
from functools import cache, lru_cache
from typing import Any, TypeVar, cast
from weakref import WeakKeyDictionary

import folium
import folium.plugins
from branca.element import Element, Figure, MacroElement
from branca.utilities import _camelify
from folium.template import Template
from jinja2 import UndefinedError
from jinja2.utils import htmlsafe_json_dumps

from corridors.extent import LEGEND_FOLD_BELOW_PX
from corridors.style import SKETCH_COLOUR
from corridors.text import escape_html
from corridors.webmap.assets import STATIC_URL, draw_links
from corridors.webmap.labels import ASPECTS, FIT_ZOOM, Label

_E = TypeVar("_E", bound=Element)


class _Output(Element):
    """An element's finished script, kept as the text it is."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        """Return the text: it is finished, not a template."""
        del kwargs  # nothing to fill in
        return self.text


@cache
def _camel(name: str) -> str:
    return _camelify(name)


class _Direct(MacroElement):
    """An element whose rendered script goes to the page as it is, with its name worked out once.

    branca wraps each element's output in a new ``Element``, which compiles it as a Jinja
    template, and works out each name again on every call: with a hundred lines, most of the
    server's time making the map (streamlit-folium renders it three times a run). The output of
    these elements is finished JavaScript, so it is kept as it is; :func:`to_js` still escapes
    braces, for the elements of folium's own that go through the template again.
    """

    def get_name(self) -> str:
        """Return the element's JavaScript variable name, as branca makes it."""
        return f"{_camel(self._name)}_{self._id}"

    def script_text(self) -> str | None:
        """Return the element's script (None if its template has none)."""
        macro = self._template.module.__dict__.get("script")
        return None if macro is None else str(macro(self, {}))

    def render(self, **kwargs: Any) -> str:
        """Add the element's script to the page, render its children; return nothing to show."""
        del kwargs  # no template of ours reads them
        figure = cast(Figure, self.get_root())
        script = self.script_text()
        if script is not None:
            figure.script.add_child(_Output(script), name=self.get_name())
        for child in self._children.values():
            child.render()
        return ""


class _Call(_Direct):
    """An element whose script is one call to a ``corridors.js`` function with JSON arguments.

    ``args`` are JSON data, or :class:`_Ref` for a JavaScript variable (the map, a layer);
    nothing else reaches the script, so text from data or users can never become code.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} =
            {{ this.namespace }}.{{ this.function }}({{ this.arguments() }});
        {% endmacro %}
        """
    )
    #: The script's object holding the function: ``corridors`` (``static/corridors.js``).
    namespace = "corridors"

    def __init__(self, name: str, function: str, *args: object) -> None:
        super().__init__()
        self._name = name
        self.function = function
        self.args = args
        self._json: tuple[tuple[object, ...], list[str | None]] | None = None

    def arguments(self) -> str:
        """Return the call's arguments as JavaScript: variables by name, the rest as JSON.

        The JSON is written once: streamlit-folium renders the map three times a run, and only
        the variables' names change between renders.
        """
        if self._json is None or self._json[0] is not self.args:
            self._json = (self.args, [None if _live(arg) else _as_js(arg) for arg in self.args])
        written = self._json[1]
        return ", ".join(
            _js(arg, self) if json is None else json
            for arg, json in zip(self.args, written, strict=True)
        )


class _Written(str):
    """An argument written as JSON already, safely (:func:`to_js`), to go into the call as it is."""


def _as_js(value: object) -> str:
    return value if isinstance(value, _Written) else to_js(value)


class _Ref:
    """A JavaScript variable among a call's arguments: the map, the parent or another element."""

    def __init__(self, element: Element | None = None) -> None:
        self.element = element


def _live(value: object) -> bool:
    """Whether an argument names JavaScript variables, whose names change from render to render."""
    return isinstance(value, _Ref | _Pairs)


def _js(value: object, call: _Call) -> str:
    if isinstance(value, _Ref):
        target = value.element or call._parent
        assert target is not None, "a call is rendered only once added to its parent"
        return target.get_name()
    if isinstance(value, _Pairs):
        return "[" + ", ".join(f"[{v.element.get_name()}, {v.json}]" for v in value) + "]"
    return to_js(value)


def to_js(value: object) -> str:
    r"""Return a value as JSON that is safe inside a ``<script>`` and inside a template.

    Within strings, ``<`` is escaped so no ``</script>`` ends the script, and braces so that
    branca, which reads a page's rendered output again as a Jinja template, never finds a
    ``{{``, ``{%`` or ``{#`` from the data in it.

    Examples
    --------
    >>> to_js({"name": "BTK {{ 7*7 }} </script>"})
    '{"name": "BTK \\u007b\\u007b 7*7 \\u007d\\u007d \\u003c/script>"}'
    """
    text = json.dumps(value, ensure_ascii=False)
    return _JSON_STRING.sub(lambda m: m[0].translate(_UNSAFE_IN_STRINGS), text)


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_UNSAFE_IN_STRINGS = str.maketrans({"<": "\\u003c", "{": "\\u007b", "}": "\\u007d"})


@lru_cache(maxsize=4096)
def _text_js(text: str) -> str:
    """Return :func:`to_js` of a text, remembered: the same tooltips are written on every run."""
    return to_js(text)


class _Pair:
    def __init__(self, element: Element, text: str, json: str) -> None:
        self.element = element
        self.text = text
        self.json = json


class _Pairs(list[_Pair]):
    """Elements and text among a call's arguments: ``[[variable, "text"], ...]``."""


class Legend(_Call):
    """The legend: a Leaflet control inside the map container, folded on a narrow map.

    Being a control rather than page HTML, it renders the same in a standalone page and inside
    streamlit-folium's iframe. Its rows come from :class:`LegendRows`, which the overlays carry,
    so the legend always lists what is drawn.
    """

    def __init__(self, element_id: str = "corridor-legend") -> None:
        super().__init__("Legend", "legend", _Ref(), element_id, list(LEGEND_FOLD_BELOW_PX))


class MoveMap(_Call):
    """Move the map to a view the page chose, once: see ``moveMap`` in corridors.js.

    It rides with the overlays, which the map evaluates again whenever any of them changes;
    ``number`` tells a new move from one made already, which must not undo the user's pans.
    """

    def __init__(self, center: tuple[float, float], zoom: float, number: int) -> None:
        self.center = [float(center[0]), float(center[1])]
        self.zoom = zoom
        self.number = number
        super().__init__("MoveMap", "moveMap", _Ref(), self.center, zoom, number)


class FitRoutes(_Call):
    """Fit the first view to the routes, with room for the legend only where it is open.

    See ``fitRoutes`` in ``static/corridors.js``: the size of the map is known only in the
    browser, and the view is fitted again when the frame grows (presentation mode).
    """

    def __init__(self, bounds: Sequence[Sequence[float]], legend_width_px: int) -> None:
        self.bounds = [list(corner) for corner in bounds]
        super().__init__(
            "FitRoutes",
            "fitRoutes",
            _Ref(),
            self.bounds,
            legend_width_px,
            list(LEGEND_FOLD_BELOW_PX),
        )


class FitMap(_Call):
    """Fit a box on the map as it is on screen, once, as a numbered move (see ``fitMap``).

    A tour step's: only the browser knows the map's size, so the page sends the box, not a
    view, and the map moves once. It keeps the box fitted while the page settles around it (a
    step's column narrows the map), with the legend kept off the box. ``bounds`` is
    ``(west, south, east, north)``; ``number`` is shared with :class:`MoveMap`'s.
    """

    def __init__(self, bounds: Sequence[float], number: int) -> None:
        west, south, east, north = bounds
        self.box = [[south, west], [north, east]]
        self.number = number
        super().__init__("FitMap", "fitMap", _Ref(), self.box, number)


class LegendRows(_Call):
    """The legend's rows (escaped HTML), carried by the overlays so they change with them."""

    def __init__(self, html: str) -> None:
        super().__init__("LegendRows", "setLegendRows", html)
        self.html = html


class Labels(_Call):
    """Names on the map, laid out in the browser per view (see :mod:`corridors.webmap.labels`).

    ``emphasis`` are the ISO codes of states to name first and darker (those the selected
    route crosses); ``near`` those to name next, at any zoom (those it touches or skirts: a
    teacher points at Armenia beside the Middle Corridor on a view of all Eurasia);
    ``mentioned`` the names, of any label on the map, to name before them all and at any zoom
    (those the words beside the map mention). Records reach the script as JSON, their text
    escaped HTML.
    """

    def __init__(
        self,
        labels: Sequence[Label],
        emphasis: Sequence[str] = (),
        mentioned: Sequence[str] = (),
        near: Sequence[str] = (),
    ) -> None:
        self.labels = list(labels)
        self.emphasis = list(emphasis)
        self.near = list(near)
        self.mentioned = [escape_html(name) for name in mentioned]
        records = [label.as_json() for label in self.labels]
        super().__init__(
            "Labels",
            "labelSet",
            _Ref(),
            records,
            list(ASPECTS),
            FIT_ZOOM,
            self.emphasis,
            self.mentioned,
            self.near,
        )


class FetchedLabels(_Call):
    """Names the browser fetches once (:func:`corridors.webmap.names_json`), laid out as Labels.

    The states' names are the same for every view; in the map's script they would be sent again
    with every change of the map.
    """

    def __init__(self, url: str) -> None:
        self.url = url
        super().__init__("FetchedLabels", "fetchedLabelSet", _Ref(), url, list(ASPECTS), FIT_ZOOM)


class MapNote(_Call):
    """A line on the map saying what it shows, such as the timeline's year; "" hides it."""

    def __init__(self, text: str) -> None:
        super().__init__("MapNote", "setNote", text)
        self.text = text


class FontScale(_Call):
    """Scale the map's own text (legend, labels, tooltips) by setting a CSS variable.

    It is part of the map's script, not only of its style sheet, so a new scale gives
    streamlit-folium a new script and the map is redrawn with it.
    """

    def __init__(self, scale: float) -> None:
        super().__init__("FontScale", "fontScale", _Ref(), f"{scale:g}")
        self.scale = f"{scale:g}"


class SourcePopups(_Call):
    """A click on a line or chokepoint whose tooltip links sources opens that text in a popup.

    A tooltip closes as the pointer leaves it, so its links cannot be clicked; the popup stays
    until closed. Its text is the tooltip's, escaped already.
    """

    def __init__(self) -> None:
        super().__init__("SourcePopups", "sourcePopups", _Ref())


class KeyboardNav(_Call):
    """The map's lines and markers as one Tab stop, walked with the arrow keys (``keyboardNav``).

    In Chromium, Leaflet's focus listener made each line and marker with a tooltip a Tab stop of
    its own; the keyboard's order comes from the overlays' :class:`KeyGroup` calls.
    """

    def __init__(self) -> None:
        super().__init__("KeyboardNav", "keyboardNav", _Ref())


class WheelWhenInUse(_Call):
    """In the dashboard, the wheel zooms the map once it is pressed, and scrolls the page otherwise.

    A map filling most of a laptop's screen caught the wheel of a reader scrolling to the tabs
    below and zoomed out instead (``wheelWhenInUse``). A map that fills the screen or the page
    (``at_once``: presentation mode; a standalone page, which the script tells itself) has no
    page to scroll and zooms at once.
    """

    def __init__(self, *, at_once: bool = False) -> None:
        super().__init__("WheelWhenInUse", "wheelWhenInUse", _Ref(), at_once)
        self.at_once = at_once


class KeepToArea(_Call):
    """Keep the map on the study area: zoomed out no farther than it fits, not panned off it.

    Its bounds keep room east of the area for the open legend (``keepToArea``).

    The lowest zoom and the legend's room depend on the map's size, known only in the browser
    and changing with it (a phone turning, presentation mode), so they are measured there.
    ``notice``, if not empty, is said on the map until dismissed: Leaflet moved the view the
    map was opened at onto the area, which a reader of a shared link would not otherwise know.
    """

    def __init__(self, notice: str = "") -> None:
        super().__init__("KeepToArea", "keepToArea", _Ref(), notice)


class KeyGroup(_Call):
    """Mark a group's lines and markers as one stretch of the keyboard's walk over the map.

    ``name`` knows an item again when an update draws its group anew (its key is the name and
    its place in the group), ``rank`` orders the stretches (compared as a list), and with
    ``start`` the keyboard starts at the group's first line (the selected corridor's).
    """

    def __init__(self, name: str, rank: Sequence[int], *, start: bool = False) -> None:
        self.name = name
        self.rank = list(rank)
        self.start = start
        super().__init__("KeyGroup", "keyGroup", _Ref(), name, self.rank, start)


#: A link in a tooltip's escaped HTML. Text from data reaches a tooltip with every ``<``
#: escaped, so each ``<a ...>...</a>`` in one is a link written by the code
#: (:func:`corridors.provenance.html_link`), and splitting there cuts no text from data.
_LINK = re.compile(r"(<a [^>]*>[^<]*</a>)")


@lru_cache(maxsize=4096)
def _pieces(text: str) -> tuple[str, ...]:
    """Return a tooltip's text cut at its links: text, link, text, ..., text (once per text)."""
    return tuple(_LINK.split(text))


class TooltipParts(_Call):
    """What a group's tooltips share, written once for the group; tooltips name it by number.

    A route's legs and stations cite the same few sources, and each tooltip repeated its links'
    HTML (in the default view on 2026-12-01, 387 links, 111 of them different: a third of the
    overlays' bytes, sent on every change); each leg's repeated its route's heading too. A tooltip
    goes as its parts, ``[0, "text", 3]``, which ``tooltipHtml`` in ``static/corridors.js`` puts
    back together before binding it: the tooltip and its popup are the same text as before.
    ``headings`` are the texts a tooltip may start with (:func:`corridors.webmap.tooltips.
    leg_heading`). Add it to its group before the elements that use it (:class:`CircleMarkers`,
    :class:`LineTooltips`): they refer to it by name.
    """

    def __init__(self, headings: Sequence[str] = ()) -> None:
        self.parts: list[str] = []
        self.headings = tuple(headings)
        self._numbers: dict[str, int] = {}
        super().__init__("TooltipParts", "tooltipParts", self.parts)

    def arguments(self) -> str:
        """Return the parts as JSON, written when the group is: its tooltips are all given then."""
        return to_js(self.parts)

    def tooltip_js(self, text: str) -> str:
        """Return a tooltip as JSON: its text if it shares nothing, else its parts, by number."""
        written = []
        heading = next((h for h in self.headings if text.startswith(h)), "")
        if heading:
            written.append(str(self._number(heading)))
        pieces = _pieces(text[len(heading) :])
        if not heading and len(pieces) == 1:
            return _text_js(text)
        for index, piece in enumerate(pieces):
            if index % 2:
                written.append(str(self._number(piece)))
            elif piece:
                written.append(_text_js(piece))
        return "[" + ", ".join(written) + "]"

    def _number(self, part: str) -> int:
        number = self._numbers.get(part)
        if number is None:
            number = self._numbers[part] = len(self.parts)
            self.parts.append(part)
        return number


class CircleMarkers(_Call):
    """Circle markers sharing one style, each with its own tooltip HTML, as one map element.

    folium renders every element, and every tooltip, through a Jinja template of its own on each
    rerun; as two elements each, the stations and ports were half the cost of redrawing the map.
    Tooltips must be escaped already (:func:`corridors.text.escape_html`), as for folium's.
    """

    def __init__(
        self,
        points: Sequence[tuple[float, float, str]],
        style: Mapping[str, Any],
        shared: TooltipParts | None = None,
    ) -> None:
        self.points = [list(point) for point in points]
        self.style = dict(style)
        # Each tooltip's JSON is written once per server (:func:`_text_js`), as a line's is; what
        # the stations' tooltips share (their sources' links) goes once, in ``shared``.
        write = _text_js if shared is None else shared.tooltip_js
        written = _Written(
            "["
            + ", ".join(
                f"[{json.dumps(lat)}, {json.dumps(lon)}, {write(text)}]"
                for lat, lon, text in points
            )
            + "]"
        )
        table = () if shared is None else (_Ref(shared),)
        super().__init__("CircleMarkers", "circleMarkers", _Ref(), written, self.style, *table)


class LineTooltips(_Call):
    """The tooltips of a group's lines, bound in one call instead of one element each.

    Each tooltip is a sticky ``<div>`` bound to its line, as ``folium.Tooltip`` binds it (so
    streamlit-folium reports a clicked line's tooltip the same way), but folium renders one
    template per element on every rerun and the leg tooltips were a fifth of them. Add it to the
    group after the lines: it refers to them by name when it is rendered. The text must be HTML
    escaped with :func:`corridors.text.escape_html`; it reaches the script as JSON.
    """

    def __init__(self, shared: TooltipParts | None = None) -> None:
        self.tooltips: list[tuple[folium.PolyLine, str]] = []
        self.pairs = _Pairs()
        self._write = _text_js if shared is None else shared.tooltip_js
        table = () if shared is None else (_Ref(shared),)
        super().__init__("LineTooltips", "bindTooltips", self.pairs, *table)

    def add(self, line: folium.PolyLine, text: str) -> None:
        """Give ``line`` the tooltip ``text`` (escaped HTML)."""
        self.tooltips.append((line, text))
        self.pairs.append(_Pair(line, text, self._write(text)))

    @property
    def lines(self) -> list[folium.PolyLine]:
        """The lines given a tooltip, in order."""
        return [line for line, _ in self.tooltips]

    def text_of(self, line: folium.PolyLine) -> str:
        """Return the tooltip given to ``line``."""
        return next(text for bound, text in self.tooltips if bound is line)


class BasemapLayer(_Call):
    """The basemap's states, drawn under everything else and never clickable.

    ``source`` is the URL of its file or the GeoJSON itself. The basemap is most of a map's
    script (hundreds of kilobytes); inline, it would be rendered, sent and parsed again on every
    rerun, so the dashboard gives a file named by its content hash, which the browser loads
    once; a standalone page holds it. Either way it sits in its own pane below the overlay
    pane, so it stays under the corridors whenever it arrives.
    """

    def __init__(
        self, source: str | Mapping[str, Any], style: Mapping[str, Any], attribution: str
    ) -> None:
        self.source = source
        self.style = dict(style)
        self.attribution = attribution
        super().__init__("BasemapLayer", "basemapLayer", _Ref(), source, self.style, attribution)


class ShareBasemap(_Call):
    """Tell the overlays which layer holds the basemap's states (see :class:`BasemapStates`)."""

    def __init__(self, basemap: Element) -> None:
        super().__init__("ShareBasemap", "shareBasemap", _Ref(basemap))


class BasemapStates(_Call):
    """Some states drawn again from the basemap's own shapes, with a style and tooltips.

    The shapes are the basemap's, which the browser holds already (fetched once, or in the
    page): the overlays name the states by ISO code instead of sending their polygons on every
    change. ``labels`` are tooltips (escaped HTML) by ISO code; a state without one has none.
    """

    def __init__(
        self,
        codes: Sequence[str],
        style: Mapping[str, Any],
        *,
        labels: Mapping[str, str] | None = None,
        interactive: bool = True,
    ) -> None:
        self.codes = list(codes)
        self.style = dict(style)
        self.labels = dict(labels or {})
        self.interactive = interactive
        super().__init__(
            "BasemapStates",
            "basemapStates",
            _Ref(),
            self.codes,
            self.labels,
            self.style,
            interactive,
        )


#: Leaflet 1.9's own defaults for a polyline's options: a line leaves them out of its script.
_LEAFLET_POLYLINE_DEFAULTS: dict[str, object] = {
    "stroke": True,
    "opacity": 1.0,
    "lineCap": "round",
    "lineJoin": "round",
    "dashArray": None,
    "dashOffset": None,
    "fill": False,
    "fillOpacity": 0.2,
    "fillRule": "evenodd",
    "bubblingMouseEvents": True,
    "interactive": True,
    "smoothFactor": 1.0,
    "noClip": False,
}


class Line(_Direct, folium.PolyLine):
    """A ``folium.PolyLine`` whose script states only the options that differ from Leaflet's.

    folium writes every option of every line, defaults included, in a template with lines of
    indentation: two thirds of a corridor's overlay, sent again on every change. The line
    Leaflet draws is the same; ``options`` still holds them all.
    """

    def script_text(self) -> str:
        """Return the template's script, written without Jinja: a map has a hundred lines or more.

        The JSON is as the template's ``tojson`` writes it (keys sorted, HTML-safe).
        """
        assert self._parent is not None, "a line is written only once added to its group"
        return (
            f"var {self.get_name()} = L.polyline({_tojson(self.locations)}, "
            f"{_tojson(self.script_options())}).addTo({self._parent.get_name()});\n"
        )

    def script_options(self) -> dict[str, Any]:
        """Return the options Leaflet would not take by default.

        folium sets ``fillColor`` to the line's colour, which Leaflet fills with by default.
        """
        defaults = {**_LEAFLET_POLYLINE_DEFAULTS, "fillColor": self.options.get("color")}
        return {
            key: value
            for key, value in self.options.items()
            if key not in defaults or defaults[key] != value
        }


def _tojson(value: object) -> str:
    """Return a value as the templates' ``tojson`` filter writes it."""
    return str(htmlsafe_json_dumps(value, sort_keys=True))


class Group(_Direct, folium.FeatureGroup):
    """A ``folium.FeatureGroup`` whose script goes to the page as it is (see :class:`_Direct`).

    folium renders a group through two templates on every render, the group and the call that
    adds it to its parent, and branca compiles each output afresh: most of the compilations left
    in a run of the dashboard, whose overlays are a dozen groups.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = L.featureGroup({{ this.options|tojson }})"
        ".addTo({{ this._parent.get_name() }});\n"
        "{% endmacro %}"
    )


def script_of(element: Element) -> str:
    """Return an element's script followed by its children's, as streamlit-folium joins them.

    Names are the elements' own (fixed by :func:`named` and :func:`stabilise_ids`), not renamed
    after the element's place among the overlays, so the same layer gives the same text.
    """
    try:
        if isinstance(element, _Direct):
            text = element.script_text() or ""
        else:
            text = str(element._template.module.script(element))  # type: ignore[attr-defined]
    except UndefinedError:  # streamlit-folium's fallback, for folium's elements that need it
        text = element._template.render(this=element, kwargs={})
    for child in element._children.values():
        with suppress(UndefinedError, AttributeError):  # as streamlit-folium skips them
            text += "\n" + script_of(child)
    return text


class KeptLayer(Group):
    """An overlay the map keeps while its script is unchanged (``corridors.overlay``).

    streamlit-folium runs every overlay's script again on any change. This one's script is its
    layer's, wrapped in a function the map builds the layer with only when it has none built
    from the same text (see ``static/corridors.js``), so a toggle draws one corridor, not all.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "var {{ this.get_name() }} = corridors.overlay({{ this._parent.get_name() }}, "
        "function () {\n{{ this.layer_script() }}\nreturn {{ this.layer.get_name() }};\n});\n"
        "{% endmacro %}"
    )

    def __init__(self, layer: folium.FeatureGroup) -> None:
        super().__init__(control=False)
        self.layer = layer

    def layer_script(self) -> str:
        """Return the layer's script, added to this one's parent (the map).

        Written once for a layer and the map's name: a layer the dashboard shares between runs
        (``build_overlays(shared=True)``) is written once per server, not once per run.
        """
        assert self._parent is not None, "a kept layer is written only once added to the map"
        parent = self._parent.get_name()
        with _layer_scripts_lock:
            written = _layer_scripts.get(self.layer, {})
            script = written.get(parent)
        if script is None:
            self.layer._parent = self._parent
            _render_folium(self.layer)
            script = script_of(self.layer)
            with _layer_scripts_lock:
                _layer_scripts.setdefault(self.layer, {})[parent] = script
        return script


#: Each kept layer's script by the name of the map it is added to, while the layer lives.
_layer_scripts: WeakKeyDictionary[Element, dict[str, str]] = WeakKeyDictionary()
_layer_scripts_lock = threading.Lock()


def kept_layers(overlays: Sequence[folium.FeatureGroup]) -> list[KeptLayer]:
    """Return the overlays as the map is handed them (``feature_group_to_add``): each kept."""
    return [KeptLayer(group) for group in overlays]


def _render_folium(element: Element) -> None:
    """Render the elements of folium's own below ``element``: they add their ``addTo`` call then.

    Ours (:class:`_Direct`) need no render before :func:`script_of`, which writes their script;
    rendering them too would write each line's script twice a run, for a page that is not sent.
    """
    if not isinstance(element, _Direct):
        element.render()
        return
    for child in element._children.values():
        _render_folium(child)


class TileNotice(_Call):
    """Say on the map that web tiles could not be loaded, and fill the land in again."""

    def __init__(self, tiles: Element, basemap: Element, text: str) -> None:
        super().__init__("TileNotice", "tileNotice", _Ref(), _Ref(tiles), _Ref(basemap), text)


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
