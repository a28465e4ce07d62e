"""The layers that change with the sidebar and the panels: routes, states, chokepoints, cuts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

import folium
import folium.plugins
import geopandas as gpd

from corridors.data import Dataset
from corridors.memo import Made
from corridors.model import Analysis, Leg, Route
from corridors.policy.closures import Break, ClosureResult, entry_breaks
from corridors.policy.describe import map_note
from corridors.policy.timeline import is_projection, status_in_year, timeline_disruptions
from corridors.provenance import Citation, borders_citation, citations
from corridors.style import (
    BASELINE_GREY,
    BYPASS_OUTLINE,
    CASING_COLOUR,
    CASING_EXTRA_WIDTH,
    CASING_OPACITY,
    CHOKEPOINT_FILL,
    CHOKEPOINT_OPACITY,
    CHOKEPOINT_RADIUS,
    CHOKEPOINT_RING,
    CROSSED_FILL,
    CUT_COLOUR,
    CUT_FILL,
    CUT_MARK_RADIUS,
    CUT_OPACITY,
    CUT_WIDTH,
    DASH_CUT,
    WAYPOINT_FILL,
    WAYPOINT_RADIUS,
    WAYPOINT_RING,
    LegendEntry,
    LineLook,
    leg_look,
    legend_entries,
    user_look,
)
from corridors.webmap.elements import (
    BasemapStates,
    CircleMarkers,
    FitMap,
    Group,
    KeyGroup,
    Labels,
    LegendRows,
    Line,
    LineTooltips,
    MapNote,
    MoveMap,
    TooltipParts,
    inert,
    named,
    slug,
    stabilise_ids,
)
from corridors.webmap.labels import bypassed_labels, station_labels
from corridors.webmap.legend import legend_html
from corridors.webmap.tooltips import (
    chokepoint_tooltip,
    cut_tooltip,
    leg_heading,
    leg_tooltip,
    state_tooltip,
    upload_tooltip,
    waypoint_tooltip,
)
from corridors.wording import short_name, with_article

#: Decimals kept in drawn route coordinates: 0.001 degree is about 100 m.
LINE_DECIMALS = 3

#: The order the keyboard walks the map's groups in (``keyGroup`` in ``static/corridors.js``):
#: the corridors in the dataset's order, each along its route, then the baselines, a user's
#: routes, the chokepoints, the cuts of a closure and the selected corridor's states.
KEY_ORDER = ("corridor", "baseline", "upload", "chokepoint", "cut", "state")


def _key_group(kind: str, name: str, index: int = 0, *, start: bool = False) -> KeyGroup:
    """Return the keyboard's mark for a group of ``kind`` (:data:`KEY_ORDER`)."""
    return KeyGroup(f"{kind}-{name}", [KEY_ORDER.index(kind), index], start=start)


def leg_style(
    leg: Leg, colour: str, *, selected: bool = False, year: int | None = None
) -> dict[str, Any]:
    """Return Leaflet path options for a leg: :func:`corridors.style.leg_look` in folium's terms."""
    return leaflet_options(leg_look(leg, colour, selected=selected, year=year))


def leaflet_options(look: LineLook) -> dict[str, Any]:
    """Return a :class:`corridors.style.LineLook` as folium's path options."""
    return {
        "color": look.colour,
        "weight": look.width,
        "opacity": look.opacity,
        "dash_array": look.dash,
        "line_cap": "round",
    }


def _leg_class(leg: Leg, year: int | None) -> str:
    """Return the extra CSS class of a leg in the timeline's year (tests and styles find it)."""
    if year is None:
        return ""
    if status_in_year(leg, year) == "not yet open":
        return " leg-not-yet-open"
    return " leg-projection" if is_projection(leg, year) else ""


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
    extra_layers: Sequence[folium.FeatureGroup] = (),
    extra_legend: Sequence[LegendEntry] = (),
    leg_notes: Mapping[str, Sequence[str]] | None = None,
    mentioned: Sequence[str] = (),
    shared: bool = False,
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
    extra_layers, extra_legend
        Layers drawn from elsewhere (the network's detours and gauge breaks), put under the
        legend, and the legend's rows for them.
    leg_notes
        Warnings for a leg's tooltip by leg id, such as ``target 2026, not reported open``.
    mentioned
        Names of states, places and stations to show first and at any zoom: those the words
        beside the map mention (a tour step's, :func:`corridors.webmap.labels.names_in`).
    shared
        Take each route's layer from those built before for the same route, look, year and
        notes (:func:`_kept_route_group`), shared with every other call that asks: only to be
        handed to :func:`corridors.webmap.kept_layers` (the dashboard's map), never changed or
        added to a map.

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
        groups.append(_selection_group(chosen, analysis, states_display, dataset))
    if show_baselines:
        wanted = {corridors[i].baseline for i in visible}
        drawn += [route for route in dataset.baselines if route.id in wanted]
    # The selected corridor last, so it is drawn on top.
    order = sorted(visible, key=lambda i: (i == selected, list(corridors).index(i)))
    drawn += [corridors[route_id] for route_id in order]
    for route in drawn:
        colour = BASELINE_GREY if route.role == "baseline" else route.colour
        groups.append(
            _kept_route_group(
                route,
                colour,
                names,
                dataset,
                states_display,
                selected=route.id == selected,
                year=year,
                leg_notes=leg_notes,
                shared=shared,
            )
        )
    groups += [_upload_group(route, index) for index, route in enumerate(extra_routes)]
    groups.append(_chokepoint_group(dataset, chosen, analysis))
    cut = _cut_group(dataset, closures, drawn) if closures is not None else None
    groups += extra_layers
    if cut is not None:
        groups.append(cut)
    shown = [route for route in dataset.corridors if route.id in visible]
    legend = _legend_group(
        shown,
        drawn,
        extra_routes,
        year=year,
        # Counted as the Timeline tab lists them, so the note's number matches its list.
        disruptions=0
        if year is None
        else len(timeline_disruptions(dataset, year, today=date.today(), corridors=visible)),
        selected=chosen if analysis is not None else None,
        chokepoints=bool(dataset.chokepoints),
        cuts=cut is not None,
        extra=extra_legend,
    )
    groups.append(legend)
    labels = _label_group(dataset, drawn, states_display, chosen, analysis, mentioned=mentioned)
    groups.append(labels)
    stabilise_ids(groups)
    return groups


def move_group(
    to: tuple[tuple[float, float], float] | tuple[float, float, float, float], number: int
) -> folium.FeatureGroup:
    """Return a layer that moves the map where the page chose, once.

    ``to`` is a view, ``((lat, lon), zoom)`` (:class:`MoveMap`), or a box to fit on the map as
    it is on screen, ``(west, south, east, north)`` (:class:`FitMap`).
    """
    group = named(Group(name="Move", control=False), "mapmove")
    if len(to) == 4:
        named(FitMap(to, number), "mapfit", group)
    else:
        center, zoom = to
        named(MoveMap(center, zoom, number), "mapmoveto", group)
    return group


def _legend_group(
    corridors: Sequence[Route],
    drawn: Sequence[Route],
    extra_routes: Sequence[Route],
    *,
    year: int | None,
    selected: Route | None,
    chokepoints: bool,
    cuts: bool,
    extra: Sequence[LegendEntry] = (),
    disruptions: int = 0,
) -> folium.FeatureGroup:
    """Return the legend's rows for what is drawn, as a layer that changes with the others.

    ``corridors`` are the corridors shown, in the dataset's order; ``drawn`` every route drawn,
    baselines and ``extra_routes`` (an upload) included.
    """
    routes = [(short_name(r.name), r.colour) for r in corridors]
    if any(r.role == "baseline" for r in drawn):
        routes.append(("Baseline (existing route)", BASELINE_GREY))
    routes += [(f"Your route: {r.name}", r.colour) for r in extra_routes]
    # A user's route has its own row above and no status: it adds no kind of line.
    looks = [leg_look(leg, "", year=year) for r in drawn for leg in r.legs if r not in extra_routes]
    entries = legend_entries(
        routes,
        looks,
        waypoints=any(r.waypoints for r in corridors),
        chokepoints=chokepoints,
        cuts=cuts,
        crossed=f"Crossed by {with_article(short_name(selected.name))}" if selected else None,
        bypassed="Bypassed: crossed by its baseline instead" if selected else None,
    )
    group = named(Group(name="Legend", control=False), "legendrows")
    named(LegendRows(legend_html([*entries, *extra])), "legendrowsset", group)
    named(MapNote(map_note(year, disruptions)), "mapnote", group)
    return group


def _label_group(
    dataset: Dataset,
    drawn: Sequence[Route],
    states_display: gpd.GeoDataFrame,
    selected: Route | None,
    analysis: Analysis | None,
    *,
    mentioned: Sequence[str] = (),
) -> folium.FeatureGroup:
    """Return the names that change with the layers: stations, and the selection's states.

    The states the selected corridor bypasses are named "bypassed" where its baseline runs
    (see :func:`corridors.webmap.labels.bypassed_labels`); those it crosses are named first,
    after those ``mentioned`` by the words beside the map, and those it touches or skirts next.
    """
    # A baseline's stations are named where the words beside the map mention them ("Gyumri").
    on_corridors = {point.name for r in drawn if r.role == "corridor" for point in r.waypoints}
    wanted = on_corridors | set(mentioned)
    labels = [label for label in station_labels(drawn) if label.text in wanted]
    emphasis: list[str] = []
    near: list[str] = []
    if selected is not None and analysis is not None:
        baseline = dataset.routes.get(analysis.baseline or "")
        bypassed = [(s.iso3, s.name) for s in analysis.bypassed]
        labels = bypassed_labels(states_display, bypassed, baseline) + labels
        emphasis = [s.iso3 for s in analysis.transit]
        near = [s.iso3 for s in analysis.touches] + [s.iso3 for s in analysis.skirted]
    group = named(Group(name="Names", control=False), "maplabels")
    named(Labels(labels, emphasis, mentioned, near), "maplabelsset", group)
    return group


def _upload_group(route: Route, index: int) -> folium.FeatureGroup:
    """Draw a route from outside the dataset as one line element, however many parts it has.

    folium renders each element through a template of its own: an upload of 50,000 parts drawn
    a line per leg took minutes per rerun. Its legs share a mode and status, so one style.
    """
    group = named(Group(name=route.name), f"upload{slug(route.id)}")
    line = Line(
        [_latlons(leg) for leg in route.legs],
        class_name=f"upload-leg route-{route.id}",
        **leaflet_options(user_look(route.colour)),
    )
    named(line, f"leg{slug(route.id)}", group)
    tooltips = LineTooltips()
    tooltips.add(line, upload_tooltip(route))
    named(tooltips, f"legtooltips{slug(route.id)}", group)
    named(_key_group("upload", route.id, index), f"keyroute{slug(route.id)}", group)
    return group


#: The route layers :func:`_kept_route_group` keeps: the bundled data's ten routes, the selected
#: one both ways, in a few years. One is about 130 KB (its elements and script), so at most
#: about 8 MB, against the server's 400 MB for 20 sessions.
_route_layers: Made[folium.FeatureGroup] = Made(64)


def _kept_route_group(
    route: Route,
    colour: str,
    state_names: Mapping[str, str],
    dataset: Dataset,
    states_display: gpd.GeoDataFrame,
    *,
    selected: bool,
    year: int | None = None,
    leg_notes: Mapping[str, Sequence[str]] | None = None,
    shared: bool = True,
) -> folium.FeatureGroup:
    """Return :func:`_route_group`, built once for what it is drawn from if ``shared``.

    A route's layer was built anew on every run of the page (its lines, tooltips and stations:
    about a quarter of a run), though a toggle, a pick or a closure leaves all but one or two
    routes as they were. It depends only on the route of ``dataset``, its colour, the state
    names of ``states_display``, whether it is selected, the year and its legs' notes; the
    dataset and the display states are handed out once per data version, so the objects
    themselves are part of the key (:class:`corridors.memo.Made`). The layer is
    shared by every session and must not be changed or added to a map (an export's map adds
    its own, built anew); :class:`corridors.webmap.KeptLayer` writes its script once too.
    """

    def build() -> folium.FeatureGroup:
        return _route_group(
            route, colour, state_names, dataset, selected=selected, year=year, leg_notes=leg_notes
        )

    if not shared:
        return build()
    notes = tuple((leg_notes or {}).get(leg.id, ()) for leg in route.legs)
    return _route_layers.get(
        (dataset, states_display), (route.id, colour, selected, year, notes), build
    )


def _route_group(
    route: Route,
    colour: str,
    state_names: Mapping[str, str],
    dataset: Dataset,
    *,
    selected: bool,
    year: int | None = None,
    leg_notes: Mapping[str, Sequence[str]] | None = None,
) -> folium.FeatureGroup:
    kind = "baseline" if route.role == "baseline" else "corridor"
    group = Group(name=route.name)
    named(group, f"{kind}{slug(route.id)}")
    if selected:
        # A white casing keeps the selected corridor readable over its highlighted states and
        # over other lines, whatever its colour.
        for leg in route.legs:
            casing = Line(
                _latlons(leg),
                color=CASING_COLOUR,
                weight=leg_style(leg, colour, selected=True, year=year)["weight"]
                + CASING_EXTRA_WIDTH,
                opacity=CASING_OPACITY,
                class_name="leg-casing",
            )
            inert(casing).add_to(group)
    # The legs and stations cite the same few sources, and the legs' tooltips start alike: what
    # they share goes once, for the route.
    shared = named(TooltipParts([leg_heading(route)]), f"tooltipparts{slug(route.id)}", group)
    tooltips = LineTooltips(shared)
    for leg in route.legs:
        line = Line(
            _latlons(leg),
            class_name=f"{kind}-leg route-{route.id}{_leg_class(leg, year)}",
            **leg_style(leg, colour, selected=selected, year=year),
        )
        named(line, f"leg{slug(route.id)}{slug(leg.id)}", group)
        notes = (leg_notes or {}).get(leg.id, ())
        tooltips.add(line, leg_tooltip(route, leg, year, notes, citations(dataset, leg.sources)))
    named(tooltips, f"legtooltips{slug(route.id)}", group)  # after the lines it names
    if kind == "corridor" and route.waypoints:
        style = {
            "radius": WAYPOINT_RADIUS,
            "color": colour,
            "weight": WAYPOINT_RING,
            "fillColor": WAYPOINT_FILL,
            "fillOpacity": 1.0,
            "className": "waypoint",
        }
        points = [
            (
                wp.lat,
                wp.lon,
                waypoint_tooltip(route, wp, state_names, citations(dataset, wp.sources)),
            )
            for wp in route.waypoints
        ]
        named(CircleMarkers(points, style, shared), f"waypoints{slug(route.id)}", group)
    order = dataset.corridors if kind == "corridor" else dataset.baselines
    index = [r.id for r in order].index(route.id)
    named(_key_group(kind, route.id, index, start=selected), f"keyroute{slug(route.id)}", group)
    return group


def _latlons(leg: Leg) -> list[tuple[float, float]]:
    """Return a leg's vertices as Leaflet takes them, to 0.001 degree (100 m) for a light page."""
    return [(round(lat, LINE_DECIMALS), round(lon, LINE_DECIMALS)) for lon, lat in leg.coords]


def _selection_group(
    route: Route, analysis: Analysis, states_display: gpd.GeoDataFrame, dataset: Dataset
) -> folium.FeatureGroup:
    """Tint the states the route crosses, with a tooltip each, and outline those it bypasses.

    Both are drawn from the basemap's shapes in the browser (:class:`BasemapStates`); only the
    states the basemap holds are named.
    """
    group = named(Group(name="Selected corridor's states"), "selectedstates")
    shown = set(states_display["iso3"])
    borders = (borders_citation(dataset),)
    labels = {s.iso3: state_tooltip(route, s, borders) for s in analysis.transit if s.iso3 in shown}
    crossed = BasemapStates(
        list(labels),
        {
            "fillColor": CROSSED_FILL,
            "fillOpacity": 0.75,
            "color": route.colour,
            "weight": 1.5,
            "opacity": 0.9,
        },
        # Tooltips bound per polygon, not to the layer group: streamlit-folium reads a clicked
        # object's tooltip from the polygon itself.
        labels=labels,
    )
    named(crossed, "crossedstates", group)
    outline = BasemapStates(
        [s.iso3 for s in analysis.bypassed if s.iso3 in shown],
        {
            "fillColor": BYPASS_OUTLINE,
            "fillOpacity": 0.05,
            "color": BYPASS_OUTLINE,
            "weight": 2,
            "dashArray": "6 4",
        },
        interactive=False,
    )
    named(outline, "bypassedstates", group)
    named(_key_group("state", route.id), "keystates", group)
    return group


def _cut_group(
    dataset: Dataset, closures: ClosureResult, drawn: Sequence[Route]
) -> folium.FeatureGroup | None:
    """Return the marks of the closures on the routes drawn, or None if none of them is cut.

    Each cut leg gets black dashes over its line. A red dot marks each place a route enters what
    is closed: a leg that continues a stretch the closure already cuts gets no dot of its own, and
    cuts at the same place share one dot. The dashes are not interactive, so a click still reaches
    the corridor's own line.
    """
    routes = {r.id: r for r in drawn}
    outcomes = [o for o in closures.routes if o.route_id in routes and o.breaks]
    if not outcomes:
        return None
    group = named(Group(name="What-if closures"), "closurecuts")
    places: dict[tuple[float, float], list[tuple[Route, str, str]]] = {}
    cited: dict[str, tuple[Citation, ...]] = {}
    for outcome in outcomes:
        route = routes[outcome.route_id]
        legs = {leg.id: leg for leg in route.legs}
        for leg_id in outcome.broken_legs:
            line = Line(
                _latlons(legs[leg_id]),
                color=CUT_COLOUR,
                weight=CUT_WIDTH,
                opacity=CUT_OPACITY,
                dash_array=DASH_CUT,
                class_name=f"cut-leg route-{route.id}",
            )
            named(inert(line), f"cut{slug(route.id)}{slug(leg_id)}", group)
    for route, cut in entry_breaks(closures, drawn):
        place = (round(cut.lat, LINE_DECIMALS), round(cut.lon, LINE_DECIMALS))
        places.setdefault(place, []).append((route, cut.leg_name, cut.closed_name))
        if cut.kind != "state":
            cited[cut.closed_name] = citations(dataset, _closed_sources(dataset, cut))
    style = {
        "radius": CUT_MARK_RADIUS,
        "color": "#ffffff",
        "weight": 2,
        "fillColor": CUT_FILL,
        "fillOpacity": 1.0,
        "className": "cut-marker",
        # A click, Enter or Space opens its text in a popup, as a leg's (static/corridors.js).
        "opensPopup": True,
    }
    points = [(lat, lon, cut_tooltip(cuts, cited)) for (lat, lon), cuts in places.items()]
    if points:
        named(CircleMarkers(points, style), "cutmarkers", group)
        named(_key_group("cut", "all"), "keycuts", group)
    return group


def _closed_sources(dataset: Dataset, cut: Break) -> tuple[str, ...]:
    """Return the facts a closed chokepoint or leg cites, as its own tooltip links them."""
    if cut.kind == "chokepoint":
        found = [cp.sources for cp in dataset.chokepoints if cp.id == cut.closed]
    else:
        legs = (leg for route in dataset.routes.values() for leg in route.legs)
        found = [leg.sources for leg in legs if leg.id == cut.closed]
    return found[0] if found else ()


def _chokepoint_group(
    dataset: Dataset, selected: Route | None, analysis: Analysis | None
) -> folium.FeatureGroup:
    """Return the chokepoints with their tooltips, as one element (:class:`CircleMarkers`)."""
    group = named(Group(name="Chokepoints"), "chokepointmarkers")
    style = {
        "radius": CHOKEPOINT_RADIUS,
        "color": "#ffffff",
        "weight": CHOKEPOINT_RING,
        "fillColor": CHOKEPOINT_FILL,
        "fillOpacity": CHOKEPOINT_OPACITY,
        "className": "chokepoint",
    }
    points = [
        (cp.lat, cp.lon, chokepoint_tooltip(cp, selected, analysis, citations(dataset, cp.sources)))
        for cp in dataset.chokepoints
    ]
    if points:
        named(CircleMarkers(points, style), "chokepointset", group)
        named(_key_group("chokepoint", "all"), "keychokepoints", group)
    return group
