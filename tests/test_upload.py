"""Uploaded routes: every bad file ends in one clear UploadError, every good one is analysed."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from corridors.data import Dataset
from corridors.geometry import StateIndex
from corridors.model import Analysis
from corridors.policy.upload import (
    DEFAULT_NAME,
    DRAWN_NAME,
    MAX_DEPTH,
    SIMPLIFY_M,
    UPLOAD_ID,
    UploadedRoute,
    UploadError,
    analyse_upload,
    drawing_to_geojson,
    parse_upload,
)
from tests.hang import hang_guard

LINE = {"type": "LineString", "coordinates": [[5, 5], [15, 5], [25, 5]]}


def encode(value: Any) -> bytes:
    return json.dumps(value).encode()


def feature(geometry: Any, **properties: Any) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


@pytest.mark.parametrize(
    "document",
    [
        LINE,
        feature(LINE),
        {"type": "FeatureCollection", "features": [feature(LINE)]},
        {"type": "MultiLineString", "coordinates": [LINE["coordinates"]]},
    ],
    ids=["bare", "feature", "collection", "multi"],
)
def test_each_geojson_wrapping_of_a_line_is_accepted(document: dict) -> None:
    upload = parse_upload(encode(document))
    assert upload.lines == (((5.0, 5.0), (15.0, 5.0), (25.0, 5.0)),)
    assert upload.name == DEFAULT_NAME


def test_multilinestring_gives_one_line_per_part_and_altitude_is_dropped() -> None:
    parts = [[[0, 0, 100], [1, 1, 90]], [[1, 1], [2, 1]]]
    multi = {"type": "MultiLineString", "coordinates": parts}
    assert parse_upload(encode(multi)).lines == (((0, 0), (1, 1)), ((1, 1), (2, 1)))


def test_name_and_properties_are_kept_as_plain_text() -> None:
    upload = parse_upload(
        encode(feature(LINE, name="<script>alert(1)</script>\u0007", length=12, tags=["a"]))
    )
    assert upload.name == "<script>alert(1)</script>"  # escaping is the page's job
    assert upload.properties == (
        ("name", "<script>alert(1)</script>"),
        ("length", "12"),
        ("tags", '["a"]'),
    )
    assert len(parse_upload(encode(feature(LINE, name="x" * 500))).name) == 80


def test_a_utf8_bom_is_accepted() -> None:
    assert parse_upload(b"\xef\xbb\xbf" + encode(LINE)).lines


def test_points_beside_the_line_are_skipped_and_listed() -> None:
    point = feature({"type": "Point", "coordinates": [1, 1]})
    upload = parse_upload(encode({"type": "FeatureCollection", "features": [point, feature(LINE)]}))
    assert len(upload.lines) == 1
    assert upload.ignored == ("Feature 1: Point skipped (not a line)",)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b'{"type": "LineString",', "not valid JSON"),
        (b"[1, 2]", "JSON array, not a GeoJSON object"),
        (b'"text"', "JSON string"),
        (b'{"coordinates": []}', 'no "type"'),
        (encode({"type": "Point", "coordinates": [1, 2]}), "no LineString or MultiLineString"),
        (encode({"type": "Polygon", "coordinates": []}), r"found Polygon"),
        (encode({"type": "FeatureCollection", "features": []}), "has no features"),
        (encode({"type": "FeatureCollection", "features": [1]}), "Feature 1 is not"),
        (encode(feature(None)), "found no geometry"),
        (encode({"type": "LineString", "coordinates": [[1, 2], [1, 2]]}), "2 distinct points"),
        (encode({"type": "LineString", "coordinates": [[1, 2]]}), "2 distinct points"),
        (encode({"type": "LineString", "coordinates": 5}), "list of positions"),
        (encode({"type": "LineString", "coordinates": [[1, 2], [200, 2]]}), "out of range"),
        (encode({"type": "LineString", "coordinates": [[1, 2], [2, -91]]}), "out of range"),
        (b'{"type": "LineString", "coordinates": [[1, 2], [NaN, 2]]}', "NaN"),
        (b'{"type": "LineString", "coordinates": [[1, 2], [Infinity, 2]]}', "out of range"),
        (b'{"type": "LineString", "coordinates": [[1, 2], [1e999, 2]]}', "out of range"),
        (encode({"type": "LineString", "coordinates": [[1, 2], ["3", 2]]}), "must be numbers"),
        (encode({"type": "LineString", "coordinates": [[1, 2], [True, 2]]}), "must be numbers"),
        (encode({"type": "LineString", "coordinates": [[1, 2], [3]]}), "position must be"),
        (b'{"type": "LineString", "coordinates": [[1, 2], [' + b"9" * 5000 + b", 2]]}", "too long"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[" * (MAX_DEPTH + 1) + b"]" * (MAX_DEPTH + 1), "nested too deeply"),
    ],
)
def test_bad_files_raise_a_specific_message(data: bytes, message: str) -> None:
    with pytest.raises(UploadError, match=message):
        parse_upload(data)


def test_errors_name_where_the_problem_is() -> None:
    bad = {"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], [[0, 0], [0, 95]]]}
    collection = {"type": "FeatureCollection", "features": [feature(LINE), feature(bad)]}
    where = r"^Feature 2, line 2, point 2: \[0, 95\] is out of range"
    with pytest.raises(UploadError, match=where):
        parse_upload(encode(collection))


def test_size_limits_in_bytes_and_vertices() -> None:
    with pytest.raises(UploadError, match="limit is 100 bytes"):
        parse_upload(b" " * 50 + encode(LINE), max_bytes=100)
    with pytest.raises(UploadError, match="more than 2 vertices"):
        parse_upload(encode(LINE), max_vertices=2)


def test_a_file_at_the_vertex_limit_parses() -> None:
    """How fast is for the benchmark; here only that it ends, and what it gives."""
    coords = [[20 + i * 1e-4, 40 + i * 1e-4] for i in range(100_000)]
    data = encode({"type": "LineString", "coordinates": coords})
    with hang_guard():
        assert parse_upload(data).vertex_count == 100_000
    with pytest.raises(UploadError, match="more than 100,000 vertices"):
        parse_upload(encode({"type": "LineString", "coordinates": [*coords, [0, 0]]}))


def test_not_bytes_is_a_programming_error() -> None:
    with pytest.raises(TypeError, match="got str"):
        parse_upload("{}")  # type: ignore[arg-type]


def test_an_upload_is_analysed_like_a_built_in_corridor(
    policy_dataset: Dataset, policy_index: StateIndex, policy_analyses: dict[str, Analysis]
) -> None:
    dataset, index, analyses = policy_dataset, policy_index, policy_analyses
    routes_before = dict(dataset.routes)
    upload = parse_upload(encode(feature(LINE, name="My line")))
    route, analysis = analyse_upload(
        upload, index, dataset.chokepoints, analyses["northern-corridor"]
    )
    assert (route.id, route.name, route.baseline) == (UPLOAD_ID, "My line", "northern-corridor")
    assert [s.iso3 for s in analysis.transit] == ["AAA", "BBB", "CCC"]
    assert [s.iso3 for s in analysis.bypassed] == ["EEE", "DDD", "FFF"]
    # Same numbers as the identical built-in straight line would get, and nothing built in changed.
    assert analysis.length_km == pytest.approx(2218, abs=2)
    assert dict(dataset.routes) == routes_before
    assert UPLOAD_ID not in dataset.routes


def test_the_viewer_chooses_the_mode_and_may_skip_the_baseline(policy_index: StateIndex) -> None:
    upload = parse_upload(encode(LINE))
    route, analysis = analyse_upload(upload, policy_index, (), None, mode="sea")
    assert {leg.mode for leg in route.legs} == {"sea"}
    assert analysis.bypassed == ()


# Fuzzing: whatever arrives, the outcome is an UploadedRoute or an UploadError, quickly.

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["Feature", "FeatureCollection", "LineString", "MultiLineString"]),
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            st.sampled_from(["type", "features", "geometry", "coordinates", "properties", "name"])
            | st.text(max_size=5),
            children,
            max_size=5,
        )
    ),
    max_leaves=40,
)
positions = st.lists(st.floats(-200, 200) | st.integers(-200, 200), min_size=1, max_size=4)
geometries = st.fixed_dictionaries(
    {
        "type": st.sampled_from(["LineString", "MultiLineString", "Point"]),
        "coordinates": st.lists(positions, max_size=6)
        | st.lists(st.lists(positions, max_size=4), max_size=3),
    }
)


def outcome_of(data: bytes) -> UploadedRoute | UploadError:
    try:
        with hang_guard():
            result: UploadedRoute | UploadError = parse_upload(data)
    except UploadError as exc:
        result = exc
    assert not isinstance(result, UploadError) or str(result)
    return result


@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    outcome_of(data)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_never_crashes(value: Any) -> None:
    outcome_of(json.dumps(value).encode())


@given(geometries | geometries.map(feature))
def test_near_valid_geometries_end_in_a_valid_route_or_a_clear_error(document: dict) -> None:
    upload = outcome_of(json.dumps(document).encode())
    if isinstance(upload, UploadedRoute):
        for line in upload.lines:
            assert len(set(line)) >= 2
            assert all(abs(lon) <= 180 and abs(lat) <= 90 for lon, lat in line)


# Lines drawn on the map come back as a list of GeoJSON features from the browser.


def test_drawn_lines_become_one_route_with_their_own_name() -> None:
    other = {"type": "LineString", "coordinates": [[30, 5], [35, 6]]}
    drawn = [feature(LINE, name="<b>x</b>"), feature({"type": "Point", "coordinates": [1, 2]})]
    upload = parse_upload(drawing_to_geojson([*drawn, feature(other)]) or b"")
    assert upload.name == DRAWN_NAME
    assert upload.lines == (((5, 5), (15, 5), (25, 5)), ((30, 5), (35, 6)))
    assert upload.properties == ()  # what the browser sends beside the line is dropped
    assert upload.ignored == ()


@pytest.mark.parametrize(
    "features", [None, [], {}, "line", [feature({"type": "Point", "coordinates": [1, 2]})], [1]]
)
def test_no_drawn_line_is_no_route(features: Any) -> None:
    assert drawing_to_geojson(features) is None


@given(st.lists(geometries.map(feature) | json_values, max_size=4) | json_values)
def test_any_drawing_ends_in_a_route_no_route_or_a_clear_error(features: Any) -> None:
    data = drawing_to_geojson(features)
    if data is not None:
        outcome_of(data)


def test_uploads_are_analysed_at_the_borders_detail(policy_index: StateIndex) -> None:
    # A GPS-like track: 20,000 points jittering by about 30 m along a straight line.
    steps = 20_000
    jitter = [(-1) ** i * 0.0003 for i in range(steps)]
    coords = [[10 + 10 * i / steps, 5 + j] for i, j in enumerate(jitter)]
    upload = parse_upload(encode({"type": "LineString", "coordinates": coords}))
    route = upload.to_route()
    assert sum(len(leg.coords) for leg in route.legs) < steps / 100
    straight = parse_upload(encode({"type": "LineString", "coordinates": [[10, 5], [20, 5]]}))
    jittery, clean = (analyse_upload(u, policy_index, [], None)[1] for u in (upload, straight))
    assert jittery.length_km == pytest.approx(clean.length_km, rel=1e-3)  # no jitter length
    assert [s.iso3 for s in jittery.transit] == [s.iso3 for s in clean.transit]
    assert SIMPLIFY_M < 200  # well under the boundaries' few hundred metres
