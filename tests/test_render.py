"""The map object: layers, styles, escaping, offline assets, legend, bounds and determinism."""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Iterator, Mapping
from datetime import date

import folium
import folium.plugins
import geopandas as gpd
import pytest
import shapely
from branca.element import Element
from hypothesis import given
from hypothesis import strategies as st

from corridors import style
from corridors.data import Dataset
from corridors.extent import fit_view, route_bounds
from corridors.geometry import StateIndex, analyse_routes, route_from_lines
from corridors.model import Analysis, Disruption, Leg, Route
from corridors.policy.closures import Exposure, apply_closures, build_exposure
from corridors.policy.timeline import timeline_disruptions
from corridors.provenance import citations, html_link
from corridors.style import (
    BASELINE_GREY,
    CLOSED_OPACITY,
    DASH_CLOSED,
    DASH_CUT,
    DASH_NOT_BUILT,
    DASH_WATER,
    NOT_YET_OPEN_OPACITY,
    PROJECTION_OPACITY,
)
from corridors.text import escape_html
from corridors.webmap import (
    SEPARATOR,
    basemap_json,
    build_base_map,
    build_map,
    build_overlays,
    display_states,
    leg_style,
    leg_tooltip,
    move_group,
    selection_from_event,
    states_geojson,
)
from corridors.webmap.assets import MAP_SCRIPTS, map_script_name
from corridors.webmap.elements import (
    BasemapStates,
    CircleMarkers,
    FitRoutes,
    Line,
    LineTooltips,
    TooltipParts,
    inert,
    script_of,
    stabilise_ids,
    to_js,
)
from corridors.webmap.tooltips import chokepoint_tooltip
from corridors.wording import short_name
from tests.tooltip_texts import tooltip_texts

EVIL = "<img src=x onerror=alert(1)>"
TEMPLATE_BREAKER = "`${alert(2)}` \\u0041"


@pytest.fixture(scope="module")
def index(world_states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(world_states)


@pytest.fixture(scope="module")
def shown(world_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return display_states(world_states)


@pytest.fixture(scope="module")
def analyses(dashboard_dataset: Dataset, index: StateIndex) -> dict[str, Analysis]:
    return analyse_routes(dashboard_dataset.routes, index, dashboard_dataset.chokepoints)


@pytest.fixture(scope="module")
def default_map(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> folium.Map:
    """Every corridor and baseline shown, the Middle Corridor selected: the dashboard's default."""
    return build_map(
        dashboard_dataset,
        analyses,
        shown,
        visible=["middle-corridor", "btk"],
        selected="middle-corridor",
        show_baselines=True,
    )


@pytest.fixture(scope="module")
def default_html(default_map: folium.Map) -> str:
    return default_map.get_root().render()


def walk(element: Element) -> Iterator[Element]:
    for child in element._children.values():
        yield child
        yield from walk(child)


def by_id(m: folium.Map) -> dict[str, Element]:
    return {e._id: e for e in walk(m)}


def by_id_in(groups: list[folium.FeatureGroup]) -> dict[str, Element]:
    return {e._id: e for g in groups for e in [g, *walk(g)]}


def legs_drawn(m: folium.Map) -> dict[str, folium.PolyLine]:
    """Leg lines by leg id (casings excluded), keyed as leg<route><leg> slugs."""
    return {
        e._id: e
        for e in walk(m)
        if isinstance(e, folium.PolyLine) and e.options.get("className") != "leg-casing"
    }


def hostile_dataset(base: Dataset) -> Dataset:
    """The fixture with a corridor, leg, waypoint and chokepoint named to break out of HTML/JS."""
    btk = base.routes["btk"]
    legs = (dataclasses.replace(btk.legs[0], name=TEMPLATE_BREAKER), *btk.legs[1:])
    waypoints = (dataclasses.replace(btk.waypoints[0], name=EVIL),)
    evil_route = dataclasses.replace(btk, name=EVIL, legs=legs, waypoints=waypoints)
    cp = dataclasses.replace(base.chokepoints[0], name=EVIL, note=TEMPLATE_BREAKER)
    return Dataset(
        routes={**base.routes, "btk": evil_route},
        chokepoints=(cp, *base.chokepoints[1:]),
        sources=base.sources,
    )


# Display boundaries.


def test_display_states_are_much_lighter_but_keep_every_state_in_view(
    world_states: gpd.GeoDataFrame, shown: gpd.GeoDataFrame
) -> None:
    full = shapely.get_num_coordinates(world_states.geometry.to_numpy()).sum()
    light = shapely.get_num_coordinates(shown.geometry.to_numpy()).sum()
    assert light < full / 10
    assert {"TUR", "GEO", "AZE", "KAZ", "RUS", "IRN", "CHN"} <= set(shown["iso3"])
    assert set(shown.geom_type) <= {"Polygon", "MultiPolygon"}
    west, south, east, north = shown.total_bounds
    assert west >= -30
    assert south >= -15
    assert east <= 160
    assert north <= 84


def test_display_states_leave_the_analysis_boundaries_alone(world_states: gpd.GeoDataFrame) -> None:
    before = world_states.geometry.copy()
    display_states(world_states)
    assert world_states.geometry.equals(before)


def test_display_states_round_coordinates() -> None:
    square = shapely.box(10.123456, 40.987654, 11.5, 41.5)
    states = gpd.GeoDataFrame({"iso3": ["AAA"], "name": ["A"]}, geometry=[square], crs=4326)
    coords = shapely.get_coordinates(display_states(states, decimals=2).geometry.to_numpy())
    assert (coords == coords.round(2)).all()


def test_display_states_name_what_they_got() -> None:
    with pytest.raises(TypeError, match="got <class 'list'>"):
        display_states([])  # type: ignore[arg-type]


# Layers.


def test_only_visible_corridors_are_drawn(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    groups = build_overlays(
        dashboard_dataset, analyses, shown, visible=["btk"], selected=None, show_baselines=False
    )
    assert [g._id for g in groups] == [
        "corridorbtk",
        "chokepointmarkers",
        "legendrows",
        "maplabels",
    ]
    assert [g.layer_name for g in groups] == [
        "Baku-Tbilisi-Kars railway",
        "Chokepoints",
        "Legend",
        "Names",
    ]


def test_baselines_follow_their_visible_corridors(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    groups = build_overlays(
        dashboard_dataset, analyses, shown, visible=["btk"], selected=None, show_baselines=True
    )
    assert "baselinekarsgyumri" in [g._id for g in groups]
    assert "baselinenorthernroute" not in [g._id for g in groups]


def test_the_selected_corridor_is_drawn_last_and_its_states_first(default_map: folium.Map) -> None:
    ids = [e._id for e in default_map._children.values() if isinstance(e, folium.FeatureGroup)]
    assert ids == [
        "selectedstates",
        "baselinenorthernroute",  # baselines in their files' order
        "baselinekarsgyumri",
        "corridorbtk",
        "corridormiddlecorridor",
        "chokepointmarkers",
        "legendrows",
        "maplabels",
    ]


def test_every_leg_of_every_shown_route_is_a_line(
    default_map: folium.Map, dashboard_dataset: Dataset
) -> None:
    drawn = legs_drawn(default_map)
    expected = sum(len(r.legs) for r in dashboard_dataset.routes.values())
    assert len(drawn) == expected
    classes = {line.options["className"] for line in drawn.values()}
    assert classes == {
        "corridor-leg route-middle-corridor",
        "corridor-leg route-btk",
        "baseline-leg route-northern-route",
        "baseline-leg route-kars-gyumri",
    }


def test_unknown_corridors_are_refused(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    with pytest.raises(ValueError, match="'nowhere'"):
        build_overlays(
            dashboard_dataset,
            analyses,
            shown,
            visible=["nowhere"],
            selected=None,
            show_baselines=False,
        )


# Styles.


def _leg(mode: str, status: str) -> Leg:
    return Leg("x", "x", mode, status, ((0.0, 0.0), (1.0, 0.0)))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("mode", "status", "dash", "opacity"),
    [
        ("rail", "operational", None, 1.0),
        ("road", "operational", None, 1.0),
        ("sea", "operational", DASH_WATER, 1.0),
        ("ferry", "operational", DASH_WATER, 1.0),
        ("rail", "planned", DASH_NOT_BUILT, 1.0),
        ("rail", "proposed", DASH_NOT_BUILT, 1.0),
        ("rail", "under construction", DASH_NOT_BUILT, 1.0),
        ("ferry", "planned", DASH_NOT_BUILT, 1.0),
        ("rail", "closed", DASH_CLOSED, CLOSED_OPACITY),
        ("sea", "closed", DASH_CLOSED, CLOSED_OPACITY),
    ],
)
def test_leg_style_by_mode_and_status(
    mode: str, status: str, dash: str | None, opacity: float
) -> None:
    style = leg_style(_leg(mode, status), "#0072B2")
    assert style["dash_array"] == dash
    assert style["opacity"] == opacity
    assert style["color"] == "#0072B2"


def test_the_selected_corridors_casing_lets_clicks_through(default_map: folium.Map) -> None:
    casings = [
        e
        for e in walk(default_map)
        if isinstance(e, folium.PolyLine) and e.options.get("className") == "leg-casing"
    ]
    assert casings
    assert all(c.options["interactive"] is False for c in casings)


def test_the_selected_corridor_is_drawn_thicker() -> None:
    leg = _leg("rail", "operational")
    assert leg_style(leg, "#000", selected=True)["weight"] > leg_style(leg, "#000")["weight"]


def test_styles_reach_the_map(default_map: folium.Map) -> None:
    drawn = legs_drawn(default_map)
    ferry = drawn["legmiddlecorridormiddlecorridor02"].options
    building = drawn["legmiddlecorridormiddlecorridor04"].options
    closed = drawn["legkarsgyumrikarsgyumri02"].options
    btk_rail = drawn["legbtkbtk01"].options
    assert ferry["dashArray"] == DASH_WATER
    assert ferry["color"] == "#0072B2"
    assert building["dashArray"] == DASH_NOT_BUILT
    assert closed["dashArray"] == DASH_CLOSED
    assert closed["opacity"] == CLOSED_OPACITY
    assert btk_rail["dashArray"] is None
    assert btk_rail["color"] == "#E69F00"


def test_baselines_are_grey_whatever_their_file_says(default_map: folium.Map) -> None:
    drawn = legs_drawn(default_map)
    colours = {line.options["color"] for k, line in drawn.items() if "karsgyumri" in k}
    assert colours == {BASELINE_GREY}


# Escaping.


def test_text_from_data_is_escaped_everywhere(
    dashboard_dataset: Dataset, index: StateIndex, shown: gpd.GeoDataFrame
) -> None:
    dataset = hostile_dataset(dashboard_dataset)
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    m = build_map(dataset, analyses, shown, visible=["btk"], selected="btk", show_baselines=True)
    page = m.get_root().render()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page  # the tooltips
    crossed = by_id(m)["crossedstates"].labels  # the states' tooltips, sent as JSON
    assert all("&lt;img src=x onerror=alert(1)&gt;" in label for label in crossed.values())
    assert "<img" not in page
    assert "\\u003cimg" not in page  # a JSON-escaped '<' would still reach innerHTML as '<'
    assert "${alert(2)}" not in page
    assert "\\u0041" not in page  # a backslash would start an escape in the template literal


def test_leg_tooltip_starts_with_the_escaped_route_name(dashboard_dataset: Dataset) -> None:
    route = dataclasses.replace(dashboard_dataset.routes["btk"], name="A & B <c>")
    assert leg_tooltip(route, route.legs[0]).startswith(f"<b>A &amp; B &lt;c&gt;</b>{SEPARATOR}")


def test_a_legs_tooltip_says_its_status_as_of_when_and_its_sources(
    dashboard_dataset: Dataset,
) -> None:
    route = dashboard_dataset.routes["btk"]
    (note,) = dashboard_dataset.sources.values()
    # A source address is checked only to start with http(s)://: quotes and brackets are escaped.
    odd = note.model_copy(update={"url": 'https://example.org/"><img src=x onerror=alert(1)>'})
    dataset = dataclasses.replace(dashboard_dataset, sources={note.id: odd})
    leg = dataclasses.replace(
        route.legs[0], as_of="2026-03-09", sources=("fx-btk-open", "<img src=x onerror=alert(1)>")
    )
    tooltip = leg_tooltip(route, leg, cited=citations(dataset, leg.sources))
    assert "operational (as of 9 March 2026)" in tooltip
    # One link to the site, opening in a new tab; the unknown fact has no link to give.
    assert tooltip.count("<a ") == 1
    assert (
        '<br>Sources (verified): <a href="https://example.org/&quot;&gt;&lt;img src=x '
        'onerror=alert(1)&gt;" target="_blank" rel="noopener">example.org</a>'
    ) in tooltip
    assert "<img" not in tooltip


def test_a_leg_or_chokepoint_with_nothing_to_follow_says_no_source(
    dashboard_dataset: Dataset,
) -> None:
    route = dashboard_dataset.routes["btk"]
    assert "<br>Sources: no source" in leg_tooltip(route, route.legs[0])
    assert "<a " not in leg_tooltip(route, route.legs[0])
    cp = dashboard_dataset.chokepoints[0]
    assert "Sources: no source" in chokepoint_tooltip(cp, None, None)


def test_every_tooltip_on_the_map_links_its_sources(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    groups = build_overlays(
        dashboard_dataset,
        analyses,
        shown,
        visible=["btk", "middle-corridor"],
        selected="btk",
        show_baselines=True,
    )
    leg_tips = [
        child.text_of(line)
        for group in groups
        for child in group._children.values()
        if isinstance(child, LineTooltips)
        for line in child.lines
    ]
    chokepoint_tips = [
        point[2]
        for batch in by_id_in(groups)["chokepointmarkers"]._children.values()
        if isinstance(batch, CircleMarkers)
        for point in batch.points
    ]
    station_tips = [
        point[2]
        for group in groups
        for batch in group._children.values()
        if isinstance(batch, CircleMarkers) and batch.style["className"] == "waypoint"
        for point in batch.points
    ]
    link = '<a href="https://example.org/fixture" target="_blank" rel="noopener">example.org</a>'
    assert len(leg_tips) > 4
    assert all(link in tip for tip in leg_tips)
    assert chokepoint_tips
    assert all(link in tip for tip in chokepoint_tips)
    assert len(station_tips) == sum(len(r.waypoints) for r in dashboard_dataset.corridors)
    assert all(link in tip for tip in station_tips)


def test_an_uploaded_legs_tooltip_says_your_route_in_any_year() -> None:
    mine = route_from_lines(shapely.LineString([(40, 40), (41, 40)]), name="Mine")
    tooltip = leg_tooltip(mine, mine.legs[0], 2016)
    assert "your route" in tooltip
    assert "as of" not in tooltip  # a drawn line has no status to date
    assert "Sources" not in tooltip
    assert "proposed" not in tooltip
    assert "planned" not in tooltip


# Offline assets.


def test_no_cdn_anywhere(default_map: folium.Map, default_html: str) -> None:
    # The only web addresses are the links to sources in the tooltips, which load nothing.
    loaded = re.sub(
        r'(<|\\u003c)a href=\\?"https://example\.org/fixture\\?" target=\\?"_blank\\?"',
        "",
        default_html,
    )
    assert loaded != default_html
    assert not re.search(r"https?:|//cdn|cdnjs|jsdelivr|unpkg", loaded)
    links = [url for e in [default_map, *walk(default_map)] for _, url in _links(e)]
    script = f"/app/static/{map_script_name().as_posix()}"
    assert links == [
        script,
        "/app/static/vendor/leaflet/leaflet.css",
        "/app/static/corridors/corridors.css",
    ]
    assert f'<script src="{script}"></script>' in default_html


def _links(element: Element) -> list[tuple[str, str]]:
    """The js and css links streamlit-folium would load for an element."""
    return [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]


def test_folium_defaults_are_not_mutated(default_map: folium.Map) -> None:
    assert default_map.default_js is not folium.Map.default_js
    assert any("jsdelivr" in url for _, url in folium.Map.default_js)


def test_static_url_follows_a_base_path(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame
) -> None:
    m = build_base_map(dashboard_dataset, shown, static_url="/corridors/app/static/")
    assert m.default_js == [
        ("corridors_map_js", f"/corridors/app/static/{map_script_name().as_posix()}")
    ]


def test_web_tiles_only_when_asked(dashboard_dataset: Dataset, shown: gpd.GeoDataFrame) -> None:
    assert "TileLayer" not in {e._name for e in walk(build_base_map(dashboard_dataset, shown))}
    tiled = build_base_map(dashboard_dataset, shown, tiles=True)
    assert "tile.openstreetmap.org" in tiled.get_root().render()


def test_default_view_payload_is_well_under_a_megabyte(default_html: str) -> None:
    assert len(default_html.encode()) < 800_000


# Legend, bounds, determinism.


def test_legend_lists_what_is_drawn(default_map: folium.Map, default_html: str) -> None:
    rows = by_id(default_map)["legendrowsset"]
    for text in [
        "Middle Corridor",
        "Baku-Tbilisi-Kars railway",
        "Baseline",
        "Sea or ferry",
        "Closed",
        "Chokepoint",
        "Crossed",
        "Bypassed",
    ]:
        assert text in rows.html
    assert "Cut by a what-if closure" not in rows.html
    assert '"corridor-legend"' in default_html


def test_layer_bounds_are_the_route_bounds(
    default_map: folium.Map, dashboard_dataset: Dataset
) -> None:
    group = by_id(default_map)["corridorbtk"]
    expected = route_bounds(dashboard_dataset.routes["btk"])
    assert group.get_bounds() == [pytest.approx(corner) for corner in expected]


def test_initial_view_fits_every_corridor(default_map: folium.Map) -> None:
    fit = next(e for e in walk(default_map) if isinstance(e, FitRoutes))
    assert fit.bounds == [pytest.approx([39.75, 28.98]), pytest.approx([46.8, 76.95])]
    assert "corridors.fitRoutes(map_corridormap, [[39.75, 28.98]" in default_map.get_root().render()


def test_a_box_to_fit_is_a_numbered_move_the_browser_fits() -> None:
    """(west, south, east, north) becomes Leaflet's corners, sent with no view to move to first."""
    group = move_group((43.0, 38.6, 47.6, 40.9), 4)
    stabilise_ids([group])
    m = folium.Map(tiles=None)
    group.add_to(m)
    script = m.get_root().render()
    assert re.search(r"corridors\.fitMap\(\w+, \[\[38\.6, 43\.0\], \[40\.9, 47\.6\]\], 4\)", script)
    assert "moveMap" not in script


def test_output_is_deterministic(
    dashboard_dataset: Dataset,
    analyses: dict[str, Analysis],
    shown: gpd.GeoDataFrame,
    default_html: str,
) -> None:
    again = (
        build_map(
            dashboard_dataset,
            analyses,
            shown,
            visible=["middle-corridor", "btk"],
            selected="middle-corridor",
            show_baselines=True,
        )
        .get_root()
        .render()
    )
    assert again == default_html
    assert not re.search(r"[0-9a-f]{32}", again)  # no folium random ids left


# The selected corridor's states.


def test_selected_corridor_tints_crossed_and_outlines_bypassed_states(
    default_map: folium.Map, analyses: dict[str, Analysis]
) -> None:
    elements = by_id(default_map)
    crossed = set(elements["crossedstates"].codes)
    bypassed = set(elements["bypassedstates"].codes)
    assert crossed == {s.iso3 for s in analyses["middle-corridor"].transit}
    assert set(elements["crossedstates"].labels) == crossed  # a tooltip each
    assert elements["crossedstates"].interactive
    assert bypassed == {"RUS", "BLR", "POL"}
    assert not elements["bypassedstates"].labels
    assert not elements["bypassedstates"].interactive
    labels = elements["maplabelsset"].labels
    assert sorted(label.text for label in labels if label.kind == "bypassed") == [
        "Belarus",
        "Poland",
        "Russia",
    ]
    assert set(elements["maplabelsset"].emphasis) == crossed  # named first
    # then the states it touches or skirts, nearest first: Armenia beside it in Georgia
    middle = analyses["middle-corridor"]
    near = elements["maplabelsset"].near
    assert near == [s.iso3 for s in (*middle.touches, *middle.skirted)]
    assert "ARM" in near
    assert not crossed & set(near)


def test_bypassed_labels_sit_on_the_baseline(default_map: folium.Map) -> None:
    """Russia's label goes where the Northern route crosses it, not in the middle of Siberia."""
    labels = by_id(default_map)["maplabelsset"].labels
    russia = next(label for label in labels if label.text == "Russia")
    lat, lon, _fits = russia.anchors[0]
    assert 37 <= lon <= 66
    assert 50 <= lat <= 58


def test_nothing_selected_draws_no_state_layers(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    groups = build_overlays(
        dashboard_dataset, analyses, shown, visible=["btk"], selected=None, show_baselines=True
    )
    assert "selectedstates" not in [g._id for g in groups]


# Map events and views.


def _event(tooltip: str | None) -> Mapping[str, object]:
    return {
        "last_object_clicked": {"lat": 41.0, "lng": 44.0},
        "last_object_clicked_tooltip": tooltip,
    }


@pytest.fixture
def two_names(dashboard_dataset: Dataset) -> tuple[Route, ...]:
    """Two corridors where one name is the start of the other's."""
    mc = dashboard_dataset.routes["middle-corridor"]
    return (dataclasses.replace(mc, id="short", name="Middle"), mc)


@pytest.mark.parametrize(
    ("tooltip", "expected"),
    [
        (
            f"Middle Corridor{SEPARATOR}Aktau - Alat ferryferry, operational, 440 km",
            "middle-corridor",
        ),
        (f"  Middle{SEPARATOR}Some leg  ", "short"),
        ("Middle Corridor", "middle-corridor"),
        (f"Northern route (baseline){SEPARATOR}Almaty - Moscow", None),
        ("Port of Aktauport, KazakhstanMiddle Corridor", None),
        ("Middle Corridors", None),
        (None, None),
    ],
)
def test_selection_from_event(
    two_names: tuple[Route, ...], tooltip: str | None, expected: str | None
) -> None:
    assert selection_from_event(_event(tooltip), two_names) == expected


def test_selection_from_no_event(two_names: tuple[Route, ...]) -> None:
    assert selection_from_event(None, two_names) is None
    assert selection_from_event({}, two_names) is None


def test_fit_view_centres_and_fits() -> None:
    assert fit_view([[40.0, 40.0], [42.0, 50.0]], right_px=0) == ((41.0, 45.0), 6)


@pytest.mark.parametrize("right_px", [0, 250, 500])
def test_fit_view_picks_the_highest_zoom_that_fits_beside_the_legend(right_px: int) -> None:
    """Ten degrees of longitude are 256 * 2**zoom * 10 / 360 pixels wide."""
    (lat, lon), zoom = fit_view([[40.0, 40.0], [42.0, 50.0]], (900, 640), right_px=right_px)
    free_px = 900 * 0.9 - right_px
    assert 256 * 2**zoom * 10 / 360 <= free_px < 256 * 2 ** (zoom + 1) * 10 / 360
    assert lat == 41.0
    assert lon == 45.0 + right_px / 2 / (256 * 2**zoom) * 360  # shifted east, off the legend


def test_fit_view_clamps_tiny_and_huge_extents() -> None:
    assert fit_view([[41.0, 44.0], [41.0, 44.0]])[1] == 12
    assert fit_view([[-80.0, -180.0], [80.0, 180.0]])[1] == 1


def test_data_ids_that_collide_as_element_ids_are_refused(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """Legs 'btk-01' and 'btk01' would both be drawn as one JavaScript variable."""
    btk = dashboard_dataset.routes["btk"]
    first = btk.legs[0]
    twin = dataclasses.replace(btk.legs[1], id=first.id.replace("-", ""))
    route = dataclasses.replace(btk, legs=(first, twin, *btk.legs[2:]))
    dataset = dataclasses.replace(
        dashboard_dataset, routes={**dashboard_dataset.routes, "btk": route}
    )
    with pytest.raises(ValueError, match="both named 'poly_line_legbtkbtk01'"):
        build_overlays(
            dataset, analyses, shown, visible=["btk"], selected=None, show_baselines=False
        )


def test_circle_markers_write_their_points_as_to_js_would() -> None:
    """Each tooltip's JSON is remembered, not the whole list's: the same safe text comes out."""
    points = [(41.5, 44.25, f"<b>{TEMPLATE_BREAKER}</b> {{{{ 7*7 }}}} </script>"), (40, 50.1, "B")]
    assert CircleMarkers(points, {}).args[1] == to_js([list(p) for p in points])


def test_chokepoints_are_one_element_with_a_tooltip_each(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """One call for every chokepoint: folium compiled a template for each marker and tooltip."""
    groups = build_overlays(
        dashboard_dataset, analyses, shown, visible=[], selected=None, show_baselines=False
    )
    children = by_id_in(groups)["chokepointmarkers"]._children.values()
    (batch,) = [child for child in children if isinstance(child, CircleMarkers)]
    chokepoints = dashboard_dataset.chokepoints
    assert [tuple(p[:2]) for p in batch.points] == [(cp.lat, cp.lon) for cp in chokepoints]
    assert all(cp.name in p[2] for cp, p in zip(chokepoints, batch.points, strict=True))
    assert batch.style["className"] == "chokepoint"


# The timeline year.


@pytest.mark.parametrize(
    ("status", "year", "dash", "opacity"),
    [
        ("operational", 2016, None, NOT_YET_OPEN_OPACITY),  # opened 2017: a faint line
        ("operational", 2017, None, 1.0),
        ("planned", 2016, DASH_NOT_BUILT, 1.0),
        ("planned", 2017, None, PROJECTION_OPACITY),  # open only if the plan holds
        ("closed", 2018, None, 1.0),  # opened 2017, closed 2020
        ("closed", 2020, DASH_CLOSED, CLOSED_OPACITY),
        ("operational", None, None, 1.0),
    ],
)
def test_leg_style_in_a_year(
    status: str, year: int | None, dash: str | None, opacity: float
) -> None:
    leg = dataclasses.replace(
        _leg("rail", status), year=2017, closed_year=2020 if status == "closed" else None
    )
    style = leg_style(leg, "#0072B2", year=year)
    assert (style["dash_array"], style["opacity"]) == (dash, opacity)


def tooltip_of(root: Element, line: folium.PolyLine) -> str:
    """Return the tooltip a leg line gets from its group's :class:`LineTooltips`."""
    (binder,) = [e for e in walk(root) if isinstance(e, LineTooltips) and line in e.lines]
    return binder.text_of(line)


def test_every_leg_has_its_tooltip_bound_after_it(default_map: folium.Map) -> None:
    for group in walk(default_map):
        binders = [c for c in group._children.values() if isinstance(c, LineTooltips)]
        lines = [c for c in group._children.values() if isinstance(c, folium.PolyLine)]
        legs = [line for line in lines if "-leg " in line.options.get("className", "")]
        if not legs:
            continue
        (binder,) = binders
        assert binder.lines == legs
        children = list(group._children.values())
        assert all(children.index(binder) > children.index(leg) for leg in legs)  # after them
    html = default_map.get_root().render()
    assert html.count("corridors.bindTooltips(") == sum(
        1 for g in walk(default_map) if isinstance(g, LineTooltips)
    )


def test_the_year_reaches_lines_classes_and_tooltips(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    kwargs = {"visible": ["middle-corridor", "btk"], "selected": None, "show_baselines": True}
    m = build_map(dashboard_dataset, analyses, shown, year=2016, **kwargs)
    drawn = legs_drawn(m)
    btk_2017 = drawn["legbtkbtk02"]
    assert btk_2017.options["className"] == "corridor-leg route-btk leg-not-yet-open"
    assert btk_2017.options["opacity"] == NOT_YET_OPEN_OPACITY
    assert tooltip_of(m, btk_2017).endswith("<br>In 2016: not yet open")
    later = legs_drawn(build_map(dashboard_dataset, analyses, shown, year=2030, **kwargs))
    building = later["legmiddlecorridormiddlecorridor04"].options
    assert building["className"].endswith("leg-projection")
    assert building["opacity"] == PROJECTION_OPACITY


# What-if closures.


@pytest.fixture(scope="module")
def exposure(dashboard_dataset: Dataset, index: StateIndex) -> Exposure:
    routes = (*dashboard_dataset.corridors, *dashboard_dataset.baselines)
    return build_exposure(routes, index, dashboard_dataset.chokepoints)


def test_cut_legs_are_dashed_and_entries_dotted(
    dashboard_dataset: Dataset,
    analyses: dict[str, Analysis],
    shown: gpd.GeoDataFrame,
    exposure: Exposure,
) -> None:
    closed = apply_closures(exposure, states=["RUS"])
    broken = closed.broken_legs()
    groups = build_overlays(
        dashboard_dataset,
        analyses,
        shown,
        visible=["middle-corridor"],
        selected="middle-corridor",
        show_baselines=True,
        closures=closed,
    )
    assert groups[-3]._id == "closurecuts"  # on top of every line and marker
    assert groups[-2]._id == "legendrows"
    assert "Cut by a what-if closure" in by_id_in(groups)["legendrowsset"].html
    cuts = list(walk(groups[-3]))
    lines = [e for e in cuts if isinstance(e, folium.PolyLine)]
    assert len(lines) == len(broken["northern-route"])
    assert {line.options["dashArray"] for line in lines} == {DASH_CUT}
    assert not any(line.options["interactive"] for line in lines)  # clicks reach the route
    (dots,) = [e for e in cuts if isinstance(e, CircleMarkers)]
    assert len(dots.points) == 1  # the baseline enters Russia once, however many legs run inside
    assert "Russia closed" in dots.points[0][2]
    assert dots.style["className"] == "cut-marker"
    assert dots.style["opensPopup"]  # a click, Enter or Space opens its text, as a leg's
    hidden = build_overlays(
        dashboard_dataset,
        analyses,
        shown,
        visible=["middle-corridor"],
        selected=None,
        show_baselines=False,
        closures=closed,
    )
    assert "closurecuts" not in [g._id for g in hidden]  # nothing drawn is cut


def test_cut_tooltips_are_escaped(
    dashboard_dataset: Dataset, index: StateIndex, shown: gpd.GeoDataFrame
) -> None:
    dataset = hostile_dataset(dashboard_dataset)
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    closed = apply_closures(
        build_exposure(dataset.routes.values(), index, dataset.chokepoints), states=["GEO"]
    )
    m = build_map(
        dataset, analyses, shown, visible=["btk"], selected=None, show_baselines=False,
        closures=closed,
    )  # fmt: skip
    assert "closurecuts" in by_id(m)
    page = m.get_root().render()
    assert "<img" not in page
    (dots,) = [e for e in walk(by_id(m)["closurecuts"]) if isinstance(e, CircleMarkers)]
    assert "Cut by a closure</b><br>&lt;img src=x onerror=alert(1)&gt;" in dots.points[0][2]
    assert to_js("Cut by a closure</b><br>&lt;img")[1:-1] in page  # as the points reach the map


# An uploaded route, and the map's type size.


def test_an_extra_route_is_drawn_on_top_with_its_name_escaped(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    upload = route_from_lines(
        [shapely.LineString([(44.8, 41.7), (49.85, 40.4)])], route_id="your-route", name=EVIL
    )
    groups = build_overlays(
        dashboard_dataset,
        analyses,
        shown,
        visible=["btk"],
        selected="btk",
        show_baselines=False,
        extra_routes=[upload],
    )
    assert [g._id for g in groups][-4:-1] == ["uploadyourroute", "chokepointmarkers", "legendrows"]
    line = next(e for e in walk(groups[-4]) if isinstance(e, folium.PolyLine))
    assert line.options["className"] == "upload-leg route-your-route"
    assert line.options.get("dashArray") is None  # a user's route has no status: solid
    rows = by_id_in(groups)["legendrowsset"].html
    assert "Your route: &lt;img src=x onerror=alert(1)&gt;" in rows
    tooltip = tooltip_of(groups[-4], line)
    assert tooltip.startswith(f"<b>&lt;img src=x onerror=alert(1)&gt;</b>{SEPARATOR}")


def test_an_extra_route_may_not_reuse_a_dataset_id(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    with pytest.raises(ValueError, match="'btk'"):
        build_overlays(
            dashboard_dataset,
            analyses,
            shown,
            visible=[],
            selected=None,
            show_baselines=False,
            extra_routes=[dashboard_dataset.routes["btk"]],
        )


def test_label_colours_have_one_owner_style_py(default_html: str) -> None:
    """Seas, regions and states are named in corridors.style's inks, through CSS variables."""
    css = (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.stylesheet).read_text()
    rules = {
        part.strip(): body
        for selectors, body in re.findall(r"([^{}]+)\{([^}]*)\}", css)
        for part in selectors.split(",")
    }
    for selector, variable, colour in [
        (".corridor-label-strait", "--corridor-sea-ink", style.SEA_INK),
        (".corridor-label-region", "--corridor-region-ink", style.REGION_INK),
        (".corridor-label-state", "--corridor-state-ink", style.STATE_INK),
        (".corridor-label-crossed", "--corridor-crossed-ink", style.CROSSED_STATE_INK),
    ]:
        body = rules[selector]
        assert f"color: var({variable});" in body
        assert f"{variable}: {colour};" in default_html
    for colour in (style.SEA_INK, style.REGION_INK, style.STATE_INK, style.CROSSED_STATE_INK):
        assert colour.lower() not in css.lower()


def test_font_scale_sets_the_maps_text_size(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame, default_html: str
) -> None:
    assert "--corridor-font-scale" not in default_html.split("<script>", 1)[1]
    big = build_base_map(dashboard_dataset, shown, font_scale=1.5).get_root().render()
    assert 'corridors.fontScale(map_corridormap, "1.5")' in big
    css = (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.stylesheet).read_text()
    assert "calc(12px * var(--corridor-font-scale, 1))" in css  # the legend follows it
    with pytest.raises(ValueError, match="font_scale"):
        build_base_map(dashboard_dataset, shown, font_scale=0)


def test_the_line_tool_draws_lines_only_from_the_local_copy(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame
) -> None:
    m = build_base_map(dashboard_dataset, shown, line_tool=True, static_url="/x/app/static")
    (tool,) = [e for e in walk(m) if isinstance(e, folium.plugins.Draw)]
    # Leaflet.draw is part of the map's one script, loaded once under the map's own name.
    assert (
        tool.default_js
        == m.default_js
        == [("corridors_map_js", f"/x/app/static/{map_script_name().as_posix()}")]
    )
    assert [k for k, v in tool.draw_options.items() if v is not False] == ["polyline"]
    html = m.get_root().render()
    assert "cdnjs" not in html
    assert "alert(" not in html  # folium's show-geometry alert is off
    assert not any(
        isinstance(e, folium.plugins.Draw) for e in walk(build_base_map(dashboard_dataset, shown))
    )


def test_a_fetched_basemap_leaves_the_script_small_and_draws_under_the_lines(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame, default_html: str
) -> None:
    url = "/app/static/data/basemap-0123.json"
    fetched = build_base_map(dashboard_dataset, shown, basemap_url=url).get_root().render()
    assert f"corridors.basemapLayer(map_corridormap, {json.dumps(url)}, " in fetched
    # A page that holds its basemap (a standalone one) draws it in the same pane, under the
    # crossed states whenever it is added (tests/browser/test_map.py sees it painted so).
    assert 'corridors.basemapLayer(map_corridormap, {"type": "FeatureCollection"' in default_html
    assert 'pane: "basemap"' in (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.script).read_text()
    assert len(fetched) < len(default_html) / 10  # the states are not in the script
    assert json.loads(basemap_json(shown)) == json.loads(json.dumps(states_geojson(shown)))


def test_each_corridors_waypoints_are_one_element_with_a_tooltip_each(
    default_map: folium.Map, dashboard_dataset: Dataset
) -> None:
    batches = [
        e
        for e in walk(default_map)
        if isinstance(e, CircleMarkers) and e.style["className"] == "waypoint"
    ]
    assert len(batches) == len(dashboard_dataset.corridors)
    by_place = {tuple(tuple(p[:2]) for p in b.points): b for b in batches}
    for route in dashboard_dataset.corridors:
        batch = by_place[tuple((w.lat, w.lon) for w in route.waypoints)]
        assert all(short_name(route.name) in p[2] for p in batch.points)
        assert batch.style == {**batch.style, "className": "waypoint", "color": route.colour}


def test_the_map_says_which_year_it_shows(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    def note(year: int | None) -> str:
        groups = build_overlays(
            dashboard_dataset,
            analyses,
            shown,
            visible=["btk"],
            selected="btk",
            show_baselines=False,
            year=year,
        )
        return by_id_in(groups)["mapnote"].text

    assert note(2016) == "The map shows the routes as in 2016"
    assert note(None) == ""  # and the note is hidden again


def test_the_year_note_counts_the_disruptions_the_timeline_lists(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    def strike(start: str, end: str | None, legs: tuple[str, ...] = ()) -> Disruption:
        return Disruption(
            id=f"d-{start}",
            title="Strike",
            kind="strike",
            start=start,
            end=end,
            states=("TUR",),
            chokepoints=(),
            legs=legs,
            sources=("fx-btk-open",),
        )

    troubled = dataclasses.replace(
        dashboard_dataset,
        disruptions=(
            strike("1993-04", None),  # in force ever since
            strike("2015-03", "2015-05"),  # over before 2016
            strike("2016-02-01", "2016-02-03"),  # two days in 2016
            strike("2016-06", None, legs=("middle-corridor-01",)),  # on a route not drawn
            # On the shown corridor's baseline, drawn or not: what the corridor goes round.
            strike("2016-09", None, legs=("kars-gyumri-02",)),
        ),
    )

    def note(year: int | None) -> str:
        groups = build_overlays(
            troubled,
            analyses,
            shown,
            visible=["btk"],
            selected=None,
            show_baselines=False,
            year=year,
        )
        return by_id_in(groups)["mapnote"].text

    assert note(2016) == (
        "The map shows the routes as in 2016 · 3 disruptions in force (see Timeline)"
    )
    # The Timeline tab lists as many, from the same function.
    assert len(timeline_disruptions(troubled, 2016, today=date.today(), corridors=["btk"])) == 3
    assert (
        note(1994) == "The map shows the routes as in 1994 · 1 disruption in force (see Timeline)"
    )
    assert note(1990) == "The map shows the routes as in 1990"  # none: nothing to count
    assert note(None) == ""


# What the overlays send.


def test_the_selected_states_are_named_not_sent(default_map: folium.Map) -> None:
    """The overlays name the selected corridor's states; the browser has their shapes already."""
    group = by_id(default_map)["selectedstates"]
    script = group.get_root().render()
    crossed = by_id(default_map)["crossedstates"]
    assert isinstance(crossed, BasemapStates)
    states = script[script.index("corridors.basemapStates(") :]
    assert "coordinates" not in states
    assert "corridors.shareBasemap(basemap_layer_statebasemap)" in script
    # The functions come with the map's own script, a file loaded once, not with every update.
    code = (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.script).read_text()
    assert "basemapStates: basemapStates" in code


def test_a_routes_tooltips_send_what_they_share_once(default_map: folium.Map) -> None:
    """Each tooltip repeated its sources' links and its route's heading: they go once a route."""
    routes = [
        e
        for e in walk(default_map)
        if isinstance(e, folium.FeatureGroup) and e._id.startswith(("corridor", "baseline"))
    ]
    assert len(routes) == 4
    for group in routes:
        texts = tooltip_texts(walk(group))
        cited = [link for text in texts for link in re.findall(r"<a [^>]*>[^<]*</a>", text)]
        shared = {*cited, *(t.split(SEPARATOR)[0] + SEPARATOR for t in texts if SEPARATOR in t)}
        assert len(cited) > len(set(cited)) > 0  # the fixture's tooltips all cite one source
        script = script_of(group)
        for piece in shared:
            assert script.count(to_js(piece)[1:-1]) == 1, piece


_LINKS = st.builds(
    html_link, st.text(min_size=1), st.sampled_from(["https://a.org/1", "https://b.org/?x=<a>"])
)


@given(
    heading=st.sampled_from(["", "<b>BTK</b> (baseline)" + SEPARATOR]),
    pieces=st.lists(st.one_of(st.text().map(escape_html), _LINKS), max_size=8),
)
def test_a_tooltip_sent_as_its_parts_is_the_same_text(heading: str, pieces: list[str]) -> None:
    """``tooltipHtml`` (corridors.js) joins the parts, a number standing for a shared part."""
    shared = TooltipParts([heading] if heading else [])
    text = heading + "".join(pieces)
    parts = json.loads(shared.tooltip_js(text))
    if isinstance(parts, str):
        assert parts == text
        assert "<a " not in text
        assert not heading
    else:
        assert "".join(p if isinstance(p, str) else shared.parts[p] for p in parts) == text
        assert all("<a " not in p for p in parts if isinstance(p, str))
    assert len(set(shared.parts)) == len(shared.parts)
    assert json.loads(shared.arguments()) == shared.parts


def test_a_line_writes_only_the_options_leaflet_lacks() -> None:
    line = Line([(40.0, 45.0), (41.0, 46.0)], color="#0072B2", weight=4, class_name="corridor-leg")
    assert line.options["lineJoin"] == "round"  # folium's options are all kept
    assert line.script_options() == {"className": "corridor-leg", "color": "#0072B2", "weight": 4}
    filled = Line([(40.0, 45.0), (41.0, 46.0)], color="#0072B2", fill_color="#ffffff")
    assert filled.script_options()["fillColor"] == "#ffffff"  # kept where it is not the colour
    inert(line)
    assert line.script_options()["interactive"] is False
    m = folium.Map()
    line.add_to(m)
    script = m.get_root().render()
    assert '"lineJoin"' not in script
    assert "L.polyline([[40.0, 45.0], [41.0, 46.0]], " in script


def test_rendering_more_lines_compiles_no_more_templates(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our elements' output is finished script: branca compiled each as a Jinja template.

    Counted, not timed: compiling was most of the server's time making a map of 150 lines.
    """
    import jinja2

    compiled = []
    original = jinja2.Environment.from_string

    def counting(self: jinja2.Environment, *args: object, **kwargs: object) -> jinja2.Template:
        compiled.append(1)
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    def compilations(lines: int) -> int:
        m = folium.Map()
        group = folium.FeatureGroup().add_to(m)
        tooltips = LineTooltips()
        for n in range(lines):
            line = Line([(40.0, 40.0 + n), (41.0, 41.0 + n)], class_name="corridor-leg").add_to(
                group
            )
            tooltips.add(line, f"leg {n}")
        group.add_child(tooltips)
        stabilise_ids([m])
        compiled.clear()
        page = m.get_root().render()
        assert page.count("L.polyline(") == lines
        assert page.count("leg ") >= lines
        return len(compiled)

    monkeypatch.setattr(jinja2.Environment, "from_string", counting)
    assert compilations(100) == compilations(1)


def test_a_move_rides_with_the_overlays_and_is_made_once() -> None:
    """The page moves the map through the overlays, numbered, never through its own view."""
    group = move_group(((41.5, 47.25), 6.5), 3)
    stabilise_ids([group])
    m = folium.Map(tiles=None)
    group.add_to(m)
    script = m.get_root().render()
    assert re.search(r"corridors\.moveMap\(\w+, \[41\.5, 47\.25\], 6\.5, 3\)", script)
    code = (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.script).read_text()
    assert "map.__corridorMove !== number" in code  # a move made already is not made again
