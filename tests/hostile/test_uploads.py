"""The hostile uploads of issue 10 against the pure functions and the isolated analysis.

The server-level versions (the process stays up) are in ``test_server.py``.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import folium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from corridors import webmap
from corridors.data import Dataset, load_states
from corridors.geometry import GEOD, StateIndex, simplify_line
from corridors.isolation import WorkerPool
from corridors.model import Analysis
from corridors.policy.upload import (
    MAX_DEPTH,
    MAX_PARTS,
    SIMPLIFY_M,
    UploadedRoute,
    UploadError,
    drawing_to_geojson,
    parse_upload,
    read_route,
)
from corridors.policy.upload_worker import read_isolated, upload_pool
from tests.conftest import POLICY
from tests.hostile import cases

EXPLORE = settings.get_profile("explore")


@pytest.fixture(scope="module")
def pool() -> Iterator[WorkerPool]:
    """Workers on the six square states of the policy fixture: quick to start."""
    with upload_pool(POLICY / "states.geojson", max_workers=1) as workers:
        yield workers


def geodesic_km(coords: list[list[float]]) -> float:
    return GEOD.geometry_length(LineString(coords)) / 1000


# Lengths: measured on the line as given, never on a degree-simplified copy.


@pytest.mark.parametrize(
    ("data", "km"),
    [
        (cases.parallel(60, -179, 179), 19_976),  # was 112 km
        (cases.parallel(0, -180, 180, step=1.0), 40_075),  # was 0 km
        (cases.parallel(41, 40, 41, step=0.0001), 84.135),  # 10,000 vertices, 8 m apart
    ],
    ids=["60N", "equator", "dense-41N"],
)
def test_lengths_are_right_for_lines_along_parallels(
    data: bytes, km: float, policy_index: StateIndex
) -> None:
    coords = json.loads(data)["coordinates"]
    assert geodesic_km(coords) == pytest.approx(km, rel=1e-3)  # the case is what it says
    read = read_route(data, policy_index, [], None)
    assert read.analysis.length_km == pytest.approx(km, rel=1e-3)


def test_the_zigzag_keeps_its_length_and_is_analysed_in_a_worker(pool: WorkerPool) -> None:
    data = cases.zigzag()
    read = read_isolated(pool, data, [], None)
    given_km = geodesic_km(json.loads(data)["coordinates"])
    # Douglas-Peucker drops only vertices within SIMPLIFY_M of the line it keeps.
    assert given_km * 0.98 < read.analysis.length_km <= given_km
    assert read.vertices == 60_000


@given(
    st.lists(
        st.tuples(st.floats(-179.9, 179.9), st.floats(-85, 85)), min_size=3, max_size=60
    ).filter(lambda c: all(abs(a[0] - b[0]) < 90 for a, b in itertools.pairwise(c)))
)
@pytest.mark.explore
@settings(EXPLORE, max_examples=150)
def test_explore_simplifying_never_lengthens_and_stays_near_the_line(
    coords: list[tuple[float, float]],
) -> None:
    kept = simplify_line(coords, SIMPLIFY_M)
    assert kept[0] == coords[0]
    assert kept[-1] == coords[-1]
    assert set(kept) <= set(coords)
    assert geodesic_km(kept) <= geodesic_km(coords) + 1e-6


# Limits the analysis can afford, each with its own message.


def test_fifty_thousand_parts_are_refused_with_a_message() -> None:
    with pytest.raises(UploadError, match=f"more than {MAX_PARTS:,} separate lines"):
        parse_upload(cases.many_parts())


def test_a_drawing_nested_500_deep_is_refused_with_a_message() -> None:
    with pytest.raises(UploadError, match=f"more than {MAX_DEPTH} levels"):
        drawing_to_geojson(cases.nested(500)[0:1])


def test_a_bad_file_in_a_worker_gives_the_same_message(pool: WorkerPool) -> None:
    with pytest.raises(UploadError, match="not valid JSON"):
        read_isolated(pool, b"{oops", [], None)


# One map element, however many parts.


def test_an_upload_of_a_thousand_parts_is_one_map_element(
    policy_index: StateIndex, policy_dataset: Dataset, policy_analyses: dict[str, Analysis]
) -> None:
    read = read_route(cases.many_parts(MAX_PARTS), policy_index, [], None)
    assert len(read.route.legs) == MAX_PARTS
    groups = webmap.build_overlays(
        policy_dataset,
        policy_analyses,
        webmap.display_states(load_states(POLICY / "states.geojson")),
        visible=[],
        selected=None,
        show_baselines=False,
        extra_routes=[read.route],
    )
    upload = next(g for g in groups if g._id == "uploadyourroute")
    lines = [e for e in upload._children.values() if isinstance(e, folium.PolyLine)]
    assert len(lines) == 1
    assert len(lines[0].locations) == MAX_PARTS
    assert len(upload._children) == 3  # the line, its tooltip and the keyboard's mark


# Hypothesis: any bytes, any drawing, any name end in a route or a clear message.

json_values = st.recursive(
    st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=30,
)
names = st.text(max_size=100) | st.sampled_from(["{{ 7*7 }}", "{% x %}", "{#", "</script>"])


@pytest.mark.explore
@settings(EXPLORE, max_examples=200)
@given(json_values, names)
def test_explore_any_document_and_name_is_a_route_or_a_message(value: Any, name: str) -> None:
    document = {"type": "Feature", "properties": {"name": name}, "geometry": value}
    outcome = outcome_of(cases.encode(document))
    assert isinstance(outcome, UploadError) or outcome.name


@pytest.mark.explore
@settings(EXPLORE, max_examples=200)
@given(st.lists(json_values, max_size=4) | json_values)
def test_explore_any_drawing_is_a_file_none_or_a_message(features: Any) -> None:
    try:
        data = drawing_to_geojson(features)
    except UploadError as exc:
        refused = str(exc)
        assert "nested too deeply" in refused
        return
    if data is not None:
        outcome_of(data)


def outcome_of(data: bytes) -> UploadedRoute | UploadError:
    """Parse an upload; an UploadError must say what is wrong, anything else fails the test."""
    try:
        return parse_upload(data)
    except UploadError as exc:
        error = exc
    assert str(error).strip()
    return error


@pytest.mark.parametrize("value", cases.COMPONENT_VALUES, ids=repr)
def test_crafted_component_values_select_nothing(value: Any, dashboard_dataset: Dataset) -> None:
    assert webmap.selection_from_event(value, dashboard_dataset.corridors) is None
