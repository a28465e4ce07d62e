"""The view in the URL: links round-trip exactly, and no link can break the page.

Tests marked ``explore`` search new inputs on every run (the ``explore`` profile in
``tests/conftest.py``); the others are derandomized in CI.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corridors.view import (
    YEAR_RANGE,
    ZOOM_RANGE,
    ViewState,
    from_query,
    to_query,
    with_map,
)

ROUTES = ("middle-corridor", "tripp", "btk", "instc", "russia-gulf", "northern-corridor")
CHOKEPOINTS = ("hormuz", "suez", "aktau-baku-ferry")
STATES = ("RUS", "IRN", "ARM", "AZE", "GEO", "TUR")
LEGS = ("btk-06", "middle-corridor-09", "instc-07")
TOUR_LENGTH = 12


def read(params: dict) -> tuple[ViewState, list[str]]:
    return from_query(
        params,
        ROUTES,
        CHOKEPOINTS,
        known_states=STATES,
        known_legs=LEGS,
        tour_length=TOUR_LENGTH,
    )


def unique(items: tuple[str, ...]) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(st.sampled_from(items), unique=True).map(tuple)


centres = st.tuples(
    st.floats(-90, 90, allow_nan=False, allow_infinity=False),
    st.floats(-180, 180, allow_nan=False, allow_infinity=False),
)
zooms = st.integers(*ZOOM_RANGE) | st.integers(ZOOM_RANGE[0] * 2, ZOOM_RANGE[1] * 2).map(
    lambda halves: halves / 2
)
#: A link carries the map's centre and zoom together, or neither.
map_views = st.none() | st.tuples(centres, zooms)

views = st.builds(
    lambda map_view, **fields: ViewState(
        **fields, center=map_view and map_view[0], zoom=map_view and map_view[1]
    ),
    map_view=map_views,
    corridors=st.none() | unique(ROUTES),
    baselines=st.booleans(),
    selected=st.none() | st.sampled_from(ROUTES),
    year=st.none() | st.integers(*YEAR_RANGE),
    closed_states=unique(STATES),
    closed_chokepoints=unique(CHOKEPOINTS),
    closed_legs=unique(LEGS),
    tour_step=st.none() | st.integers(0, TOUR_LENGTH - 1),
    presentation=st.booleans(),
    tiles=st.booleans(),
)


@given(views)
def test_a_link_reopens_exactly_the_view_it_was_made_from(view: ViewState) -> None:
    query = to_query(view)
    assert all(isinstance(v, str) for v in query.values())
    assert read(query) == (view, [])


def test_the_default_view_makes_an_empty_query() -> None:
    assert to_query(ViewState()) == {}
    assert read({}) == (ViewState(), [])


def test_no_corridors_on_differs_from_the_default_set() -> None:
    assert to_query(ViewState(corridors=())) == {"on": ""}
    assert read({"on": ""})[0].corridors == ()


def test_a_full_link_reads_back() -> None:
    view, notices = read(
        {
            "on": "middle-corridor,btk",
            "corridor": "btk",
            "year": "2017",
            "closed_states": "rus,IRN",
            "closed_chokepoints": "hormuz",
            "closed_legs": "btk-06, middle-corridor-09",
            "step": "3",
            "center": "41.7,44.8",
            "tiles": "1",
            "zoom": "6",
            "present": "1",
            "baselines": "0",
        }
    )
    assert notices == []
    assert view == ViewState(
        corridors=("middle-corridor", "btk"),
        baselines=False,
        selected="btk",
        year=2017,
        closed_states=("RUS", "IRN"),
        closed_chokepoints=("hormuz",),
        closed_legs=("btk-06", "middle-corridor-09"),
        tour_step=2,
        center=(41.7, 44.8),
        zoom=6,
        presentation=True,
        tiles=True,
    )


def test_unknown_and_malformed_values_are_dropped_with_a_notice_each() -> None:
    view, notices = read(
        {
            "on": "btk,atlantis",
            "corridor": "atlantis",
            "year": "1066",
            "closed_states": "RUS,XYZ,R1S",
            "closed_chokepoints": "panama",
            "step": "99",
            "center": "91,0",
            "zoom": "big",
            "present": "maybe",
            "utm_source": "mail",
        }
    )
    assert view == ViewState(corridors=("btk",), closed_states=("RUS",))
    joined = "\n".join(notices)
    for bad in ("atlantis", "1066", "XYZ", "R1S", "panama", "99", "91,0", "big", "maybe"):
        assert bad in joined
    assert "utm_source" in joined
    assert len(notices) == 11


def test_unknown_legs_are_dropped_with_a_notice_and_known_ones_kept() -> None:
    view, notices = read({"closed_legs": "btk-06,atlantis-01,btk-06,,instc-07"})
    assert view.closed_legs == ("btk-06", "instc-07")
    assert notices == ["Ignored closed_legs='atlantis-01' from the link: not a known leg."]
    assert to_query(view) == {"closed_legs": "btk-06,instc-07"}


def test_repeated_parameters_add_up_for_lists_and_keep_the_last_otherwise() -> None:
    view, notices = read({"on": ["btk", "tripp"], "year": ["2000", "2017"]})
    assert (view.corridors, view.year, notices) == (("btk", "tripp"), 2017, [])


def test_notices_quote_long_values_briefly() -> None:
    _, notices = read({"corridor": "x" * 500})
    assert len(notices[0]) < 120


def test_map_position_is_rounded_so_links_stay_short() -> None:
    view = with_map(ViewState(), (41.123456789, 44.987654321), 7)
    assert view.center == (41.1235, 44.9877)
    assert to_query(view)["center"] == "41.1235,44.9877"


@pytest.mark.parametrize(
    ("value", "zoom"), [("6", 6), ("4.5", 4.5), ("6.3", 6.5), ("18.2", 18), (" 7 ", 7)]
)
def test_zoom_keeps_the_half_steps_the_map_snaps_to(value: str, zoom: float) -> None:
    view, notices = read({"zoom": value, "center": "40,45"})
    assert (view.zoom, notices) == (zoom, [])


@pytest.mark.parametrize("value", ["0", "19", "nan", "inf", "1e999", "", "6,5"])
def test_zoom_outside_the_map_levels_is_dropped(value: str) -> None:
    view, notices = read({"zoom": value, "center": "40,45"})
    assert (view.zoom, view.center) == (None, None)
    assert len(notices) == 2  # the zoom, then the centre left without one


text = st.text(max_size=30)


@settings(max_examples=300)
@given(
    st.dictionaries(
        st.sampled_from(
            ["on", "corridor", "year", "closed_states", "closed_chokepoints", "closed_legs", "step"]
        )
        | st.sampled_from(["center", "zoom", "present", "baselines"])
        | text,
        text | st.lists(text, max_size=4),
    )
)
def test_no_link_raises(params: dict) -> None:
    view, notices = read(params)
    assert isinstance(view, ViewState)
    assert all(isinstance(n, str) for n in notices)
    # Whatever came in, what goes out reads back without complaint.
    assert read(to_query(view)) == (view, [])


@given(st.dictionaries(st.integers() | text, st.integers() | st.none() | st.lists(st.integers())))
def test_values_that_are_not_text_are_dropped(params: dict) -> None:
    view, _ = read(params)
    assert isinstance(view, ViewState)


EXPLORE = settings.get_profile("explore")
#: Keys a link may carry, often, and anything else, sometimes.
KEYS = (
    "on",
    "corridor",
    "year",
    "closed_states",
    "closed_chokepoints",
    "closed_legs",
    "step",
    "center",
)
keys = st.sampled_from((*KEYS, "zoom", "present", "baselines", "tiles")) | st.text(max_size=12)
#: Around a number, what a pasted or mangled link holds: any character Python calls a space
#: (``str.strip`` and ``int`` do not agree on which those are), a zero-width one, or anything.
SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "\x00\u200b\ufeff"
padding = st.text(st.sampled_from(SPACES), max_size=2)
padded_numbers = st.builds(
    lambda before, number, after: f"{before}{number}{after}",
    padding | st.text(max_size=2),
    st.integers(-5, 3000) | st.floats(allow_nan=True, allow_infinity=True),
    padding | st.text(max_size=2),
)


@pytest.mark.parametrize("key", ["year", "step"])
@pytest.mark.parametrize("value", ["2020\x1f", "\x1f1", "\x1c3\x1d", "7\u2028"])
def test_whole_numbers_with_control_characters_are_dropped_with_a_notice(
    key: str, value: str
) -> None:
    view, notices = read({key: value})
    assert (view.year, view.tour_step) == (None, None)
    assert len(notices) == 1
    assert key in notices[0]


@pytest.mark.parametrize(("value", "year"), [("2020", 2020), (" 2017 ", 2017), ("2017\n", 2017)])
def test_whole_numbers_may_be_padded_with_spaces(value: str, year: int) -> None:
    assert read({"year": value}) == (ViewState(year=year), [])


@pytest.mark.explore
@settings(EXPLORE)
@given(st.sampled_from(["year", "step", "zoom", "center"]), padded_numbers)
def test_explore_numbers_in_links_never_raise(key: str, value: str) -> None:
    view, notices = read({key: value})
    # Either the number is read, or it is dropped with one notice naming the parameter.
    if notices:
        assert len(notices) == 1
        assert key in notices[0]
    assert read(to_query(view)) == (view, [])


@pytest.mark.explore
@settings(EXPLORE)
@given(st.dictionaries(keys, st.text(max_size=12) | st.lists(st.text(max_size=12), max_size=3)))
def test_explore_no_link_raises(params: dict) -> None:
    view, notices = read(params)
    assert all(isinstance(n, str) and n for n in notices)
    assert read(to_query(view)) == (view, [])


@pytest.mark.parametrize(("given", "missing"), [("center", "zoom"), ("zoom", "center")])
def test_a_centre_without_a_zoom_is_dropped_with_a_notice(given: str, missing: str) -> None:
    view, notices = read({given: {"center": "40,45", "zoom": "6"}[given]})
    assert (view.center, view.zoom) == (None, None)
    assert len(notices) == 1
    assert given in notices[0]
    assert f"needs a {missing}" in notices[0]


@pytest.mark.parametrize(("asked", "shown"), [("1850", 1851), ("2100", 2030), ("1990", 1990)])
def test_a_year_outside_the_data_is_brought_into_it_with_a_notice(asked: str, shown: int) -> None:
    view, notices = from_query({"year": asked}, ROUTES, CHOKEPOINTS, years=(1851, 2030))
    assert view.year == shown
    assert len(notices) == (asked != str(shown))
    assert all(asked in n and str(shown) in n for n in notices)


def test_what_a_link_leaves_out_comes_from_the_base_view() -> None:
    step = ViewState(corridors=("btk",), selected="btk", year=2017, center=(41.0, 44.0), zoom=6)
    view, notices = from_query({"step": "2", "zoom": "8", "center": "40,45"}, ROUTES, (), base=step)
    assert notices == []
    assert view == ViewState(
        corridors=("btk",), selected="btk", year=2017, tour_step=1, center=(40.0, 45.0), zoom=8
    )


@pytest.mark.parametrize(
    "event",
    [
        {},
        {"center": "x", "zoom": 5},
        {"center": {"lat": "nan", "lng": 1}, "zoom": 5},
        {"center": {"lat": 1e999, "lng": 1}, "zoom": 5},
        {"center": {"lat": 40, "lng": 45}, "zoom": "5"},
        {"center": {"lat": 40}, "zoom": 5},
    ],
)
def test_a_crafted_map_event_moves_nothing(event: dict) -> None:
    from corridors.ui.widgets import map_view_from_event

    assert map_view_from_event(event) is None


def test_a_map_event_with_malformed_bounds_keeps_its_centre() -> None:
    from corridors.ui.widgets import map_view_from_event

    event = {"center": {"lat": 40, "lng": 45}, "zoom": 5, "bounds": {"_southWest": 3}}
    assert map_view_from_event(event) == ((40.0, 45.0), 5, None)
