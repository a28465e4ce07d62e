"""Bad input never breaks the app: uploads and links that test_upload/test_urlstate do not try.

Those files fuzz small documents and plain query strings. These add the hostile sizes (a million
vertices, ten thousand levels of nesting, a thousand bad values in one link), coordinates at the
edges of what floats and the globe allow, and, for every upload that is accepted, the analysis
the page runs next: the page catches only ``UploadError``, so anything else raised there would
take the whole page down.

Time is never asserted: a hang guard (:mod:`tests.hang`) fails only a call that never returns;
speed is for ``benchmarks/``.
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from corridors.data import Dataset, load_dataset
from corridors.geometry import StateIndex
from corridors.model import Analysis
from corridors.policy.upload import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_IGNORED,
    MAX_SPAN_DEG,
    MAX_VERTICES,
    UploadedRoute,
    UploadError,
    analyse_upload,
    parse_upload,
)
from corridors.view import MAX_NOTICES, MAX_VALUE_CHARS, ViewState, from_query, to_query
from tests.hang import hang_guard


def outcome(data: bytes, **limits: int) -> UploadedRoute | UploadError:
    """Parse an upload; any exception but UploadError fails the test, as it would the page."""

    def parse() -> UploadedRoute | UploadError:
        try:
            return parse_upload(data, **limits)
        except UploadError as exc:
            return exc

    with hang_guard():
        result = parse()
    if isinstance(result, UploadError):
        assert str(result).strip(), "an UploadError must say what is wrong"
    return result


def line(coords: Any) -> bytes:
    return json.dumps({"type": "LineString", "coordinates": coords}).encode()


def raw_line(coords: str) -> bytes:
    """A LineString whose coordinates are JSON text as given (NaN, 1e999, deep nesting...)."""
    return b'{"type": "LineString", "coordinates": ' + coords.encode() + b"}"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """The bundled corridors and chokepoints, against which uploads are analysed."""
    return load_dataset()


@pytest.fixture(scope="module")
def index(world_states: Any) -> StateIndex:
    """The bundled full-resolution boundaries: uploads are analysed against the real world."""
    return StateIndex(world_states)


# Size: a million vertices is refused before it is walked.


@pytest.mark.parametrize(
    ("data", "limits", "message"),
    [
        (raw_line("[" + ",".join(["[1,2]"] * 10**6) + "]"), {}, "limit is 5,000,000 bytes"),
        (
            raw_line("[" + ",".join(["[1,2]"] * 10**6) + "]"),
            {"max_bytes": 10**8},
            "more than 100,000 vertices",
        ),
        (
            b'{"type": "MultiLineString", "coordinates": ['
            + b",".join([b"[[40,40],[40,40.0001]]"] * (MAX_VERTICES // 2 + 1))
            + b"]}",
            {},
            "more than 1,000 separate lines",
        ),
        (b"[" + b" " * MAX_BYTES + b"]", {}, "limit is"),
        (raw_line("[[" + ",".join(["1"] * 10**6) + "]]"), {"max_bytes": 10**8}, "position must"),
    ],
    ids=["1e6-vertices", "1e6-vertices-raised-bytes", "100k-lines", "5MB-blank", "1e6-axes"],
)
def test_huge_uploads_are_refused_quickly(data: bytes, limits: dict, message: str) -> None:
    result = outcome(data, **limits)
    assert isinstance(result, UploadError)
    assert message in str(result)


@pytest.mark.parametrize(
    "data",
    [
        raw_line("[" * 10_000 + "]" * 10_000),
        b'{"type": "Feature", "properties": {"a": '
        + b"[" * 10_000
        + b"]" * 10_000
        + b'}, "geometry": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}',
        b'{"a": ' * 10_000 + b"1" + b"}" * 10_000,
        raw_line("[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)),
    ],
    ids=["in-coordinates", "in-properties", "objects", "just-too-deep"],
)
def test_deep_nesting_inside_geojson_is_refused(data: bytes) -> None:
    result = outcome(data)
    assert isinstance(result, UploadError)
    assert "nested too deeply" in str(result)


def test_a_property_nested_as_deep_as_allowed_still_loads() -> None:
    # Feature (1) > properties (2) > value: 17 more levels stay within MAX_DEPTH = 20.
    value: Any = 1
    for _ in range(MAX_DEPTH - 3):
        value = [value]
    feature = {
        "type": "Feature",
        "properties": {"name": "deep", "tags": value},
        "geometry": {"type": "LineString", "coordinates": [[40, 40], [41, 41]]},
    }
    result = outcome(json.dumps(feature).encode())
    assert isinstance(result, UploadedRoute)
    assert result.name == "deep"


def test_thousands_of_skipped_features_are_counted_not_listed() -> None:
    marker = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}
    track = {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}
    document = {"type": "FeatureCollection", "features": [*[marker] * 50_000, track]}
    result = outcome(json.dumps(document, separators=(",", ":")).encode())
    assert isinstance(result, UploadedRoute)
    assert len(result.ignored) == MAX_IGNORED + 1
    assert result.ignored[-1] == f"{50_000 - MAX_IGNORED:,} more features skipped (not lines)"


# Coordinates at the edges of floats and of the globe.


@pytest.mark.parametrize(
    ("coords", "message"),
    [
        ("[[1e308, 2], [3, 4]]", "out of range"),
        ("[[-1e308, -1e308], [3, 4]]", "out of range"),
        ("[[" + "9" * 4000 + ", 2], [3, 4]]", "out of range"),
        ("[[1, 2], [-Infinity, 4]]", "out of range"),
        ("[[NaN, NaN], [3, 4]]", "NaN"),
        ("[[0, 0], [-0.0, 0]]", "2 distinct points"),
        ("[]", "2 distinct points, got 0"),
        ("[[], []]", "position must be"),
        ("[[1, 2, 3, 4], [5, 6]]", "position must be"),
        ('[{"lon": 1, "lat": 2}, [3, 4]]', "position must be"),
        ('[["1", "2"], [3, 4]]', "must be numbers"),
        ("[[null, 2], [3, 4]]", "must be numbers"),
        ("[[false, 2], [3, 4]]", "must be numbers"),
        ('"[[1, 2], [3, 4]]"', "list of positions"),
        ("null", "list of positions"),
    ],
)
def test_bad_coordinates_give_a_specific_error(coords: str, message: str) -> None:
    result = outcome(raw_line(coords))
    assert isinstance(result, UploadError)
    assert message in str(result)


@pytest.mark.parametrize(
    "document",
    [
        {"type": "LineString"},
        {"type": "MultiLineString", "coordinates": []},
        {"type": "MultiLineString", "coordinates": [[]]},
        {"type": "MultiLineString", "coordinates": [[[1, 2]], [[1, 2], [1, 2]]]},
        {"type": "GeometryCollection", "geometries": [{"type": "LineString", "coordinates": []}]},
        {"type": "Feature", "geometry": {}},
        {"type": "Feature", "geometry": []},
        {"type": "Feature"},
        {"type": "FeatureCollection", "features": {}},
        {"type": "FeatureCollection", "features": [None]},
        {"type": "FeatureCollection"},
        {"type": 5},
        {"type": ["LineString"]},
        {"type": None, "coordinates": [[1, 2], [3, 4]]},
    ],
)
def test_empty_and_mistyped_geometries_give_an_error(document: dict) -> None:
    assert isinstance(outcome(json.dumps(document).encode()), UploadError)


@pytest.mark.parametrize(
    "data",
    [
        "\ufeff   ".encode(),
        json.dumps({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}).encode("utf-16"),
        json.dumps({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}).encode("utf-32"),
        b"\x00" * 100,
        b"\x1f\x8b\x08\x00" + b"\x00" * 50,  # a gzipped file
        b"PK\x03\x04" + b"\x00" * 50,  # a zipped one (a .kmz, say)
        b"<?xml version='1.0'?><kml/>",
        b"type,coordinates\nLineString,0 0",
    ],
    ids=["bom-and-blanks", "utf-16", "utf-32", "nul", "gzip", "zip", "kml", "csv"],
)
def test_files_that_are_not_json_text_give_an_error(data: bytes) -> None:
    assert isinstance(outcome(data), UploadError)


def test_lone_surrogates_and_control_characters_in_names_become_plain_text() -> None:
    data = (
        b'{"type": "Feature", "properties": {"name": "\\ud800Silk\\u0000 Road\\u202e",'
        b' "\\udfff": "\\ud800"}, "geometry": {"type": "LineString",'
        b' "coordinates": [[40, 40], [41, 41]]}}'
    )
    result = outcome(data)
    assert isinstance(result, UploadedRoute)
    assert result.name == "Silk  Road"
    for text in [result.name, *(part for pair in result.properties for part in pair)]:
        text.encode("utf-8")  # no lone surrogate left to break the page's encoder


def test_a_line_that_zigzags_across_the_map_is_refused_quickly() -> None:
    # Six vertices, each a jump across most of the map: the analysis would cut it into 9,000
    # pieces, and a hundred such jumps held the server for minutes.
    zigzag = [[-89 if i % 2 else 89, 60] for i in range(6)]
    result = outcome(line(zigzag))
    assert isinstance(result, UploadError)
    assert f"more than {MAX_SPAN_DEG:,.0f} degrees" in str(result)


def test_a_line_across_the_180th_meridian_must_be_split() -> None:
    # Its length would be measured the short way (11 km) and its states found the long way
    # round the world (seven of them).
    result = outcome(line([[170, 60], [179.9, 60], [-179.9, 60]]))
    assert isinstance(result, UploadError)
    assert "point 3: the line jumps 360 degrees" in str(result)
    assert "180th meridian" in str(result)


# Whatever is accepted, the page's next step, the analysis, completes without raising.

finite = st.floats(allow_nan=False, allow_infinity=False)
longitudes = st.floats(-180, 180) | st.sampled_from([-180.0, 180.0, 0.0, -0.0, 5e-324])
latitudes = st.floats(-90, 90) | st.sampled_from([-90.0, 90.0, 0.0, 5e-324])
#: Positions around the corridors, where uploads land and the boundaries are dense.
near = st.tuples(st.floats(25, 80), st.floats(22, 52)).map(list)
anywhere = st.tuples(longitudes, latitudes).map(list)
wild = st.lists(finite | st.integers() | st.none() | st.text(max_size=3), min_size=2, max_size=3)


def analysed(upload: UploadedRoute, dataset: Dataset, index: StateIndex) -> list[Analysis]:
    """Analyse an accepted upload as the page does, by land and by sea, against a baseline."""
    baseline = None
    results = []
    for mode in ("rail", "sea"):  # overlaid as land, and as water crossing land
        _, analysis = analyse_upload(upload, index, dataset.chokepoints, baseline, mode=mode)
        results.append(analysis)
        baseline = analysis
    return results


def check_analysis(analysis: Analysis) -> None:
    assert math.isfinite(analysis.length_km)
    assert analysis.length_km >= 0
    for state in (*analysis.transit, *analysis.touches):
        assert math.isfinite(state.km)
        assert state.km >= 0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    coords=st.lists(near | anywhere | wild, min_size=0, max_size=8)
    | st.lists(st.lists(near | anywhere, max_size=5), max_size=3).map(
        lambda parts: {"type": "MultiLineString", "coordinates": parts}
    )
)
@example(coords=[[179.9, 60], [-179.9, 60]])  # across the 180th meridian (refused)
@example(coords=[[0, 90], [180, 90], [10, 89]])  # along the pole
@example(coords=[[0, 0], [5e-324, 0]])  # two points a denormal apart: distinct, but no length
@example(coords=[[40, 40], [45, 45], [45, 40], [40, 45]])  # crossing itself
@example(coords=[[44, 41], [45, 41], [44, 41], [45, 41]])  # back and forth over the same track
@example(coords=[[-180, 0], [180, 0]])  # the same point, written twice (refused)
@example(coords=[[-180, 10], [-180, 20]])  # along the 180th meridian
def test_every_accepted_upload_is_analysed_without_error(
    coords: Any, dataset: Dataset, index: StateIndex
) -> None:
    document = coords if isinstance(coords, dict) else {"type": "LineString", "coordinates": coords}
    result = outcome(json.dumps(document).encode())
    if isinstance(result, UploadError):
        return
    with hang_guard():
        analyses = analysed(result, dataset, index)
    for analysis in analyses:
        check_analysis(analysis)


@settings(max_examples=25, deadline=None)
@given(coords=st.lists(near, min_size=2, max_size=8))
def test_km_in_states_add_up_to_no_more_than_the_route(
    coords: list, dataset: Dataset, index: StateIndex
) -> None:
    result = outcome(line(coords))
    if isinstance(result, UploadError):
        return
    _, analysis = analyse_upload(result, index, dataset.chokepoints, None)
    in_states = sum(s.km for s in (*analysis.transit, *analysis.touches))
    # States are measured along the line as drawn in longitude/latitude, the length along the
    # geodesic: a few per cent apart for segments as long as these (up to 55 degrees).
    assert in_states <= analysis.length_km * 1.1 + 1


# Links: whatever the address bar holds, the page gets a view and a few readable notices.

KNOWN_ROUTES = ("middle-corridor", "btk", "tripp")
KNOWN_CHOKEPOINTS = ("hormuz", "suez")


def read_link(params: dict) -> tuple[ViewState, list[str]]:
    with hang_guard():
        return from_query(params, KNOWN_ROUTES, KNOWN_CHOKEPOINTS, known_states=("RUS", "IRN"))


@pytest.mark.parametrize(
    "center",
    [
        "nan,nan",
        "NaN,0",
        "inf,0",
        "0,-Infinity",
        "1e309,0",
        "1e-400,1e-400",
        "41.7,44.8,0",
        "41.7",
        ",",
        "0x10,0",
        "41.7;44.8",
        "\u0661,\u0662",
        " 41.7 , 44.8 ",
    ],
)
def test_any_center_gives_a_finite_center_or_a_notice(center: str) -> None:
    view, notices = read_link({"center": center})
    if view.center is None:
        assert len(notices) == 1
    else:
        lat, lon = view.center
        assert math.isfinite(lat)
        assert math.isfinite(lon)
        assert abs(lat) <= 90
        assert abs(lon) <= 180
    assert read_link(to_query(view)) == (view, [])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"year": "\u0662\u0660\u0661\u0667"}, "year"),  # Arabic-Indic digits: not an ASCII year
        ({"year": "2017.0"}, "year"),
        ({"year": "1e3"}, "year"),
        ({"step": "9" * 100}, "tour_step"),
        ({"step": "-1"}, "tour_step"),
        ({"zoom": "\x00"}, "zoom"),
    ],
)
def test_numbers_are_read_strictly(params: dict, field: str) -> None:
    view, notices = read_link(params)
    assert getattr(view, field) is None
    assert len(notices) == 1


def test_a_value_at_the_length_limit_is_read_and_one_over_is_not() -> None:
    at_limit = ",".join(["btk"] * (MAX_VALUE_CHARS // 4)).ljust(MAX_VALUE_CHARS, ",")
    assert read_link({"on": at_limit}) == (ViewState(corridors=("btk",)), [])
    view, notices = read_link({"on": at_limit + ","})
    assert view.corridors is None
    assert notices == ["Ignored the link parameter 'on': it is too long."]


@pytest.mark.parametrize(
    "params",
    [
        {"on": ",".join(f"fake{i}" for i in range(400))},
        {"on": ["x"] * 10_000},
        {"closed_states": ",".join(["R1S", "XYZ"] * 500)},
        {f"utm_{i}": "1" for i in range(10_000)},
        {"on": ["btk"] * 100_000},
    ],
    ids=["400-unknown-ids", "10k-repeats", "1k-bad-codes", "10k-unknown-keys", "100k-repeats"],
)
def test_a_link_with_thousands_of_bad_values_gives_a_handful_of_notices(params: dict) -> None:
    view, notices = read_link(params)
    assert isinstance(view, ViewState)
    assert len(notices) <= MAX_NOTICES
    assert all(len(n) < 200 for n in notices)


def test_the_same_bad_value_repeated_is_reported_once() -> None:
    _, notices = read_link({"on": "atlantis,atlantis,btk,atlantis"})
    assert notices == ["Ignored on='atlantis' from the link: not a known route."]


@settings(max_examples=200)
@given(
    st.dictionaries(
        st.sampled_from(["on", "corridor", "year", "step", "center", "zoom", "present"])
        | st.text(max_size=8),
        st.none()
        | st.binary(max_size=8)
        | st.floats()
        | st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
        | st.lists(st.text(max_size=8) | st.integers() | st.none(), max_size=5)
        | st.tuples(st.text(max_size=8)),
        max_size=12,
    )
)
def test_no_mapping_of_anything_breaks_the_link_reader(params: dict) -> None:
    view, notices = read_link(params)
    assert isinstance(view, ViewState)
    assert len(notices) <= MAX_NOTICES
    assert all(isinstance(n, str) for n in notices)
    assert read_link(to_query(view)) == (view, [])
