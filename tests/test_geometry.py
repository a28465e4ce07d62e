"""Geometry on hand-made shapes with known answers."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString, Point, box

from corridors.geometry import (
    ENTRY_INSIDE_KM,
    GEOD,
    StateIndex,
    analyse_route,
    analyse_routes,
    chokepoints_passed,
    leg_km,
    route_from_lines,
)
from corridors.model import Chokepoint, Leg, Route

KM_PER_DEG = 111.195  # one degree of the equator on the WGS 84 ellipsoid is 111.32 km; see below


def geodesic_km(*coords: tuple[float, float]) -> float:
    return GEOD.line_length([c[0] for c in coords], [c[1] for c in coords]) / 1000


@pytest.fixture(scope="module")
def squares() -> StateIndex:
    """Two 1-degree squares side by side on the equator (AAA west, BBB east), CCC 5 km north."""
    gap = 5 / 110.57  # 5 km of latitude at the equator, in degrees
    states = gpd.GeoDataFrame(
        {
            "iso3": ["AAA", "BBB", "CCC", "EGY"],
            "name": ["Westland", "Eastland", "Northland", "Canalland"],
            "geometry": [
                box(0, -0.5, 1, 0.5),
                box(1, -0.5, 2, 0.5),
                box(0, 0.5 + gap, 2, 1.5),
                box(10, -0.5, 10.5, 0.5),
            ],
        },
        crs="EPSG:4326",
    )
    return StateIndex(states)


def make_route(
    *legs: tuple[str, list[tuple[float, float]]], route_id: str = "r", baseline: str | None = None
) -> Route:
    return Route(
        id=route_id,
        name=route_id.title(),
        role="corridor" if baseline else "baseline",
        description="test",
        colour="#000000",
        baseline=baseline,
        origin="A",
        destination="B",
        declared_transit=(),
        legs=tuple(
            Leg(f"{route_id}-{i}", f"leg {i}", mode, "operational", tuple(coords))  # type: ignore[arg-type]
            for i, (mode, coords) in enumerate(legs)
        ),
        waypoints=(),
    )


def test_line_through_two_squares_splits_km_by_state(squares: StateIndex) -> None:
    """A line along the equator from 0.5 to 1.5 degrees runs half in each square."""
    route = make_route(("rail", [(0.5, 0), (1.5, 0)]))
    analysis = analyse_route(route, squares)
    half = geodesic_km((0.5, 0), (1, 0))
    assert [s.iso3 for s in analysis.transit] == ["AAA", "BBB"]
    assert [s.km for s in analysis.transit] == pytest.approx([half, half], rel=1e-6)
    assert analysis.length_km == pytest.approx(2 * half, rel=1e-6)
    assert [s.share for s in analysis.transit] == pytest.approx([0.5, 0.5])
    assert analysis.touches == ()


def test_line_5_km_from_a_square_is_skirted_not_crossed(squares: StateIndex) -> None:
    """CCC's southern edge lies 5 km north of AAA and BBB's; a line at y=0.45 is 10.5 km off it."""
    route = make_route(("rail", [(0.2, 0.45), (1.8, 0.45)]))
    analysis = analyse_route(route, squares, skirt_km=25)
    assert [s.iso3 for s in analysis.transit] == ["AAA", "BBB"]
    skirted = {s.iso3: s.min_km for s in analysis.skirted}
    # 0.05 degrees of latitude (5.5 km) to the squares' edge, plus the 5 km gap.
    expected = geodesic_km((1, 0.45), (1, 0.5 + 5 / 110.57))
    assert skirted == {"CCC": pytest.approx(expected, abs=0.05)}
    assert analyse_route(route, squares, skirt_km=11).skirted[0].iso3 == "CCC"
    assert analyse_route(route, squares, skirt_km=10).skirted == ()


def test_short_entry_is_a_touch_not_transit(squares: StateIndex) -> None:
    """A line that clips 2 km into BBB reports BBB as a touch."""
    clip = 2 / KM_PER_DEG
    route = make_route(("rail", [(0.5, 0), (1 + clip, 0)]))
    analysis = analyse_route(route, squares)
    assert [s.iso3 for s in analysis.transit] == ["AAA"]
    assert [s.iso3 for s in analysis.touches] == ["BBB"]
    assert analysis.touches[0].km == pytest.approx(2, rel=0.01)
    assert analyse_route(route, squares, min_transit_km=1).transit[-1].iso3 == "BBB"


def test_sea_leg_counts_land_only_through_a_canal(squares: StateIndex) -> None:
    """A sea leg across Canalland (55 km of land) is canal transit; sea near AAA is not."""
    route = make_route(("sea", [(9.5, 0), (11, 0)]), ("sea", [(11, 0), (11, 3)]))
    analysis = analyse_route(route, squares)
    assert [(s.iso3, s.via_canal) for s in analysis.transit] == [("EGY", True)]
    assert analysis.transit[0].km == pytest.approx(geodesic_km((10, 0), (10.5, 0)), rel=1e-6)
    # A ferry that only grazes a coast for 1 km is a touch, not transit.
    graze = make_route(("ferry", [(-0.5, 0.0), (0.009, 0.0), (-0.5, 0.2)]))
    assert analyse_route(graze, squares).transit == ()


def test_land_leg_shorter_than_minimum_in_canal_state_is_touch(squares: StateIndex) -> None:
    route = make_route(("rail", [(10.49, 0), (10.6, 0)]))
    assert [s.iso3 for s in analyse_route(route, squares).touches] == ["EGY"]


def test_bypassed_states_and_avoided_chokepoints(squares: StateIndex) -> None:
    """The baseline crosses AAA and BBB; the corridor only AAA: BBB is bypassed."""
    strait = Chokepoint("strait", "Strait", "strait", 1.8, 0.0, 10.0, "note", ("f",))
    base = make_route(("rail", [(0.5, 0), (1.9, 0)]), route_id="base")
    corridor = make_route(
        ("rail", [(0.5, 0), (0.5, 0.4), (0.9, 0.4)]), route_id="corr", baseline="base"
    )
    results = analyse_routes({"corr": corridor, "base": base}, squares, [strait])
    assert results["base"].chokepoints == ("strait",)
    assert [s.iso3 for s in results["corr"].bypassed] == ["BBB"]
    assert results["corr"].chokepoints_avoided == ("strait",)
    assert results["corr"].baseline == "base"


def test_chokepoint_radius_is_geodesic() -> None:
    line = [LineString([(0, 0), (2, 0)])]
    near = Chokepoint("n", "N", "strait", 1.0, 0.09, 10.0, "note", ("f",))  # 9.95 km north
    far = Chokepoint("f", "F", "strait", 1.0, 0.095, 10.0, "note", ("f",))  # 10.5 km north
    assert chokepoints_passed(line, [near, far]) == ("n",)


def test_lengths_by_mode_and_status(squares: StateIndex) -> None:
    route = make_route(("rail", [(0, 0), (1, 0)]), ("sea", [(1, 0), (1, 1)]))
    analysis = analyse_route(route, squares)
    modes = dict(analysis.km_by_mode)
    assert modes["rail"] == pytest.approx(geodesic_km((0, 0), (1, 0)))
    assert modes["sea"] == pytest.approx(geodesic_km((1, 0), (1, 1)))
    assert dict(analysis.km_by_status)["operational"] == pytest.approx(analysis.length_km)


def test_leg_km_is_geodesic_not_degrees() -> None:
    """One degree of longitude at 60 degrees north is about 55.8 km, not 111."""
    leg = Leg("l", "l", "rail", "operational", ((10.0, 60.0), (11.0, 60.0)))
    assert leg_km(leg) == pytest.approx(55.8, abs=0.1)


def test_user_multilinestring_becomes_legs(squares: StateIndex) -> None:
    lines = MultiLineString([[(0.2, 0), (0.8, 0)], [(1.2, 0), (1.8, 0)]])
    route = route_from_lines(lines, name="Mine")
    assert len(route.legs) == 2
    assert [s.iso3 for s in analyse_route(route, squares).transit] == ["AAA", "BBB"]


def test_empty_input_is_rejected() -> None:
    with pytest.raises(ValueError, match="at least one line"):
        route_from_lines([])


def test_negative_threshold_is_rejected(squares: StateIndex) -> None:
    with pytest.raises(ValueError, match="non-negative"):
        analyse_route(make_route(("rail", [(0, 0), (1, 0)])), squares, min_transit_km=-1)


def test_index_rejects_a_plain_frame() -> None:
    with pytest.raises(TypeError, match="GeoDataFrame"):
        StateIndex([])  # type: ignore[arg-type]


def test_subdivided_polygon_gives_the_same_km() -> None:
    """Cutting a many-vertex state into pieces must not change the kilometres counted."""
    circle = gpd.GeoDataFrame(
        {
            "iso3": ["RND"],
            "name": ["Roundland"],
            "geometry": [box(0, 0, 1, 1).buffer(2, quad_segs=256)],
        },
        crs="EPSG:4326",
    )
    whole = StateIndex(circle, max_vertices=100_000)
    cut = StateIndex(circle, max_vertices=16)
    assert len(cut.pieces) > len(whole.pieces)
    line = [LineString([(-3, 0.3), (0.1, 0.6), (4, 0.2)])]
    assert cut.passage(line).km["RND"] == pytest.approx(whole.passage(line).km["RND"], rel=1e-9)


# Lines lying exactly on a border belong to both states or neither; real routes never do, so
# the generated x coordinates avoid the squares' edges at 0, 1 and 2.
coordinate = st.tuples(
    st.floats(-1, 3).map(lambda v: round(v, 6)).filter(lambda v: v not in (0, 1, 2)),
    st.floats(-0.45, 0.45).map(lambda v: round(v, 6)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(coordinate, min_size=2, max_size=8, unique=True))
def test_km_per_state_never_exceeds_length_and_reverse_is_same(
    squares: StateIndex, coords: list[tuple[float, float]]
) -> None:
    """Invariants: state km sum to at most the length; reversing the route changes nothing."""
    forward = analyse_route(make_route(("rail", coords)), squares, min_transit_km=0)
    backward = analyse_route(make_route(("rail", coords[::-1])), squares, min_transit_km=0)
    total = sum(s.km for s in forward.transit)
    assert total <= forward.length_km * (1 + 1e-6)  # summed by pieces: a millimetre's play
    assert {s.iso3: s.km for s in forward.transit} == pytest.approx(
        {s.iso3: s.km for s in backward.transit}
    )
    assert forward.length_km == pytest.approx(backward.length_km)


@settings(max_examples=40, deadline=None)
@given(st.lists(coordinate.filter(lambda c: 0 <= c[0] <= 2), min_size=2, max_size=6, unique=True))
def test_line_inside_the_squares_is_fully_counted(
    squares: StateIndex, coords: list[tuple[float, float]]
) -> None:
    """A line wholly inside AAA and BBB has its whole length in those two states."""
    analysis = analyse_route(make_route(("rail", coords)), squares, min_transit_km=0)
    assert sum(s.km for s in analysis.transit) == pytest.approx(analysis.length_km, rel=1e-6)


def test_a_passage_reads_the_states_in_travel_order_and_enters_each_past_its_border(
    squares: StateIndex,
) -> None:
    """East from AAA into BBB, then back west: each state once, where the line first enters it."""
    passage = squares.passage([LineString([(0.5, 0), (1.5, 0), (0.2, 0)])])
    assert list(passage.km) == list(passage.entries) == ["AAA", "BBB"]
    half = geodesic_km((0.5, 0), (1, 0))
    assert passage.km["AAA"] == pytest.approx(half + geodesic_km((1, 0), (0.2, 0)), rel=1e-6)
    assert passage.entries["AAA"] == (0.5, 0.0)  # it starts there
    lon, lat = passage.entries["BBB"]
    assert lat == 0
    assert geodesic_km((1, 0), (lon, lat)) == pytest.approx(ENTRY_INSIDE_KM, rel=1e-3)
    assert squares.locate(lon, lat) == "BBB"
    # Read the other way, BBB comes first, entered at the line's start.
    back = squares.passage([LineString([(1.5, 0), (0.5, 0)])])
    assert list(back.entries) == ["BBB", "AAA"]
    assert back.entries["BBB"] == (1.5, 0.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(coordinate, min_size=2, max_size=8, unique=True))
def test_a_passage_enters_each_state_it_measures_inside_it_in_the_order_it_meets_them(
    squares: StateIndex, coords: list[tuple[float, float]]
) -> None:
    """Each state with km has an entry, in that state; the entries come in travel order."""
    line = LineString(coords)
    passage = squares.passage([line])
    assert list(passage.km) == list(passage.entries)
    assert all(km > 0 for km in passage.km.values())
    analysis = analyse_route(make_route(("rail", coords)), squares, min_transit_km=0)
    assert [s.iso3 for s in analysis.transit] == list(passage.km)
    along = [line.project(Point(passage.entries[iso3])) for iso3 in passage.entries]
    assert along == sorted(along)
    for iso3, (lon, lat) in passage.entries.items():
        assert squares.locate(lon, lat) == iso3
