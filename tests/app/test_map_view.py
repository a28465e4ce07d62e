"""The session's map view against the map's late reports, in a real Streamlit session.

Each report says which of the page's numbered moves the map had made last (its one selected
tag, see ``widgets.move_answered``); the scripts feed reports as streamlit-folium sends them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def _moves() -> None:
    """A link's view, a tour step, "End tour" while the map still reports the step, a pan."""
    import streamlit as st

    from corridors.ui import state

    seen = []
    state.move_map((40.0, 50.0), 5)  # the link: move 1
    state.map_reported((40.003, 49.998), 5, (45.0, 35.0, 55.0, 45.0), 1)
    seen.append(st.session_state[state.MAP_VIEW])
    state.fit_map((58.0, 38.0, 70.0, 48.0))  # the tour's first step: move 2, a box to fit
    seen.append((st.session_state[state.MAP_VIEW], st.session_state[state.MAP_BOUNDS]))
    state.map_reported((43.26, 63.98), 4, (50.0, 35.0, 78.0, 50.0), 2)
    seen.append(st.session_state[state.MAP_VIEW])
    state.move_map((40.0, 50.0), 5)  # "End tour": the view before the step, move 3
    state.map_reported((43.26, 63.98), 4, (50.0, 35.0, 78.0, 50.0), 2)  # sent before move 3
    seen.append(st.session_state[state.MAP_VIEW])
    state.map_reported((40.001, 50.002), 5, (45.0, 35.0, 55.0, 45.0), 3)  # where it went
    seen.append(st.session_state[state.MAP_VIEW])
    seen.append(st.session_state[state.MAP_BOUNDS])
    state.map_reported((43.26, 63.98), 4, None, 3)  # the user goes back there: a move like any
    seen.append(st.session_state[state.MAP_VIEW])
    st.session_state["seen"] = seen


def test_a_late_report_of_the_view_left_does_not_move_the_map_back() -> None:
    at = AppTest.from_function(_moves, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["seen"] == [
        ((40.0, 50.0), 5),  # the link's centre, as written: the map snapped it by a pixel
        (None, None),  # where a fitted box lands, and its bounds, are the browser's to say
        ((43.26, 63.98), 4),
        ((40.0, 50.0), 5),
        ((40.0, 50.0), 5),
        (45.0, 35.0, 55.0, 45.0),  # its bounds, as reported
        ((43.26, 63.98), 4),
    ]


def _end_tour(reported: tuple[float, float] | None) -> None:
    """A tour step, then "End tour", then the browser's rerun for a report of the step's fit.

    That rerun carries the widget values the browser showed with the step: its toggles.
    ``reported`` is the centre the map reported, answering the step, before "End tour": none,
    the fitted one, or the one from before the tour (the map had not fitted the box yet: its
    frame was not laid out, and the fit waits for it).
    """
    import os
    from pathlib import Path

    import streamlit as st

    from corridors.data import load_dataset
    from corridors.policy.tour import Tour
    from corridors.ui import state, widgets
    from corridors.view import ViewState

    folder = Path(os.environ["CORRIDORS_TEST_FIXTURE"])
    dataset = load_dataset(folder / "data", folder / "seeds")
    tour = Tour.model_validate(
        {
            "title": "T",
            "steps": [
                {
                    "id": "s",
                    "title": "A step",
                    "narrative": "Some words.",
                    "corridors": ["middle-corridor"],
                    "selected": "middle-corridor",
                    "bounds": [40.0, 36.0, 80.0, 50.0],
                }
            ],
        }
    )

    def report(center: tuple[float, float], zoom: int) -> None:
        """The map's report as streamlit-folium sends it: the last move it made as its tag."""
        move = st.session_state[state.MAP_MOVE]  # (what, number): the last move, made
        lat, lon = center
        st.session_state[state.MAP_EVENT] = {
            "center": {"lat": lat, "lng": lon},
            "zoom": zoom,
            "selected_tags": [] if move is None else [move[-1]],
        }
        widgets._on_map_event(dataset.corridors)

    state.init_state(dataset)
    state.apply_view(
        ViewState(corridors=("btk",), selected="btk", center=(40, 50), zoom=5), dataset
    )
    report((40.01, 50.01), 5)
    state.start_tour_step(dataset, tour, 0)
    fitted = (43.389081939117496, 60.90820312500001)  # where the browser fitted the box
    if reported is not None:
        report(reported, 5)
    state.end_tour(dataset)
    # The rerun a report made before "End tour" reached the map: the step's toggles, and the
    # number of the step's move ("End tour"'s is one on).
    st.session_state[state.visible_key("btk")] = False
    st.session_state[state.visible_key("middle-corridor")] = True
    st.session_state[state.SELECTED] = "middle-corridor"
    lat, lon = fitted
    move = st.session_state[state.MAP_MOVE]
    st.session_state[state.MAP_EVENT] = {
        "center": {"lat": lat, "lng": lon},
        "zoom": 5,
        "selected_tags": [] if move is None else [move[-1] - 1],
    }
    widgets._on_map_event(dataset.corridors)
    st.session_state["seen"] = (state.current_view(dataset), st.session_state[state.MAP_VIEW])


@pytest.mark.parametrize(
    "reported", [None, (43.389081939117496, 60.90820312500001), (40.01, 50.01)]
)
def test_a_late_report_of_a_step_does_not_undo_end_tour(
    monkeypatch: pytest.MonkeyPatch,
    dashboard_dirs: dict[str, Path],
    reported: tuple[float, float] | None,
) -> None:
    """The report of the step's fit, made before "End tour", arrives after it: it is dropped.

    Without it the fit's report was the one the page took in last (the browser then made it
    while the page had the step's own guess of the view), and the session took it for the
    user's move: the map's view and the step's toggles came back, and the link lost ``on=btk``.
    Where the map said it was still at the view from before the tour, "End tour" must still
    move it: it was about to fit the step's box.
    """
    monkeypatch.setenv("CORRIDORS_TEST_FIXTURE", str(dashboard_dirs["data"].parent))
    at = AppTest.from_function(_end_tour, args=(reported,), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    view, map_view = at.session_state["seen"]
    assert (view.corridors, view.selected, view.tour_step) == (("btk",), "btk", None)
    assert map_view == ((40, 50), 5)


def _next_before_the_report(map_first: bool) -> None:
    """Step 1, then Next before the map reported step 1, then the rerun that report made.

    That rerun carries the picker's value from step 1 and the number of step 1's move; the
    browser's widget values are set before any callback runs, in an order this script picks.
    """
    import os
    from pathlib import Path

    import streamlit as st

    from corridors.data import load_dataset
    from corridors.policy.tour import Tour
    from corridors.ui import state, widgets

    folder = Path(os.environ["CORRIDORS_TEST_FIXTURE"])
    dataset = load_dataset(folder / "data", folder / "seeds")
    step = {"title": "A step", "narrative": "Some words."}
    tour = Tour.model_validate(
        {
            "title": "T",
            "steps": [
                {
                    **step,
                    "id": "a",
                    "corridors": ["middle-corridor"],
                    "selected": "middle-corridor",
                    "bounds": [40, 36, 80, 50],
                },
                {
                    **step,
                    "id": "b",
                    "corridors": ["btk"],
                    "selected": "btk",
                    "bounds": [40, 39, 50, 43],
                },
            ],
        }
    )
    state.init_state(dataset)
    state.start_tour_step(dataset, tour, 0)
    state.start_tour_step(dataset, tour, 1)  # Next, before the map reported step 1
    ordered = st.session_state[state.MAP_MOVE]
    st.session_state[state.SELECTED] = "middle-corridor"  # the browser's, from step 1
    st.session_state[state.MAP_EVENT] = {
        "center": {"lat": 43.0, "lng": 58.0},
        "zoom": 4,
        "selected_tags": [ordered[-1] - 1],  # step 1's move, the last the map had made
    }
    callbacks = [
        lambda: widgets._on_map_event(dataset.corridors),
        lambda: widgets._centre_on_selected(dataset.corridors),
    ]
    for callback in callbacks if map_first else reversed(callbacks):
        callback()
    st.session_state["seen"] = (ordered, st.session_state[state.MAP_MOVE], state.selected())


@pytest.mark.parametrize("map_first", [True, False])
def test_next_pressed_before_the_map_reported_keeps_the_step_s_box(
    monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path], map_first: bool
) -> None:
    """The picker's value from the step before is not a pick: the map still fits the new box.

    Without it the map was centred on a corridor (the step's own, or the one before) instead
    of the step's box, 3 times in 18 browser runs that pressed Next at once.
    """
    monkeypatch.setenv("CORRIDORS_TEST_FIXTURE", str(dashboard_dirs["data"].parent))
    at = AppTest.from_function(_next_before_the_report, args=(map_first,), default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    ordered, move, selected = at.session_state["seen"]
    assert ordered[0] == (40, 39, 50, 43)
    assert (move, selected) == (ordered, "btk")
