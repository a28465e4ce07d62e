"""The session's map view against the map's late reports, in a real Streamlit session."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def _moves() -> None:
    """A link's view, a tour step, "End tour" while the map still reports the step, a pan."""
    import streamlit as st

    from corridors.ui import state

    seen = []
    state.move_map((40.0, 50.0), 5)  # the link
    state.map_reported((40.003, 49.998), 5, (45.0, 35.0, 55.0, 45.0))
    seen.append(st.session_state[state.MAP_VIEW])
    state.move_map((43.28, 63.95), 4)  # the tour's first step
    seen.append(st.session_state[state.MAP_BOUNDS])
    state.map_reported((43.26, 63.98), 4, (50.0, 35.0, 78.0, 50.0))
    state.move_map((40.0, 50.0), 5)  # "End tour": the view before the step
    state.map_reported((43.26, 63.98), 4, (50.0, 35.0, 78.0, 50.0))  # sent before the move
    seen.append(st.session_state[state.MAP_VIEW])
    state.map_reported((40.001, 50.002), 5, (45.0, 35.0, 55.0, 45.0))  # where it went
    seen.append(st.session_state[state.MAP_VIEW])
    seen.append(st.session_state[state.MAP_BOUNDS])
    state.map_reported((43.26, 63.98), 4, None)  # the user goes back there: a move like any
    seen.append(st.session_state[state.MAP_VIEW])
    st.session_state["seen"] = seen


def test_a_late_report_of_the_view_left_does_not_move_the_map_back() -> None:
    at = AppTest.from_function(_moves, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["seen"] == [
        ((40.0, 50.0), 5),  # the link's centre, as written: the map snapped it by a pixel
        None,  # the bounds of a view the page moved to are not known yet
        ((40.0, 50.0), 5),
        ((40.0, 50.0), 5),
        (45.0, 35.0, 55.0, 45.0),  # its bounds, as reported
        ((43.26, 63.98), 4),
    ]


def _end_tour_while_the_map_reports_the_step() -> None:
    """ "End tour", then the browser's rerun for the step's view, with the step's toggles."""
    import os
    from dataclasses import replace
    from pathlib import Path

    import streamlit as st

    from corridors.data import load_dataset
    from corridors.ui import state
    from corridors.view import ViewState

    folder = Path(os.environ["CORRIDORS_TEST_FIXTURE"])
    dataset = load_dataset(folder / "data", folder / "seeds")
    step = ViewState(corridors=("middle-corridor",), selected="middle-corridor")
    state.apply_view(
        ViewState(corridors=("btk",), selected="btk", center=(40, 50), zoom=5), dataset
    )
    state.apply_view(replace(step, center=(43.3, 64.0), zoom=4), dataset)
    state.map_reported((43.29, 63.99), 4, None)
    state.apply_view(
        ViewState(corridors=("btk",), selected="btk", center=(40, 50), zoom=5), dataset
    )
    # The rerun the map's late report started: the browser's toggles are still the step's.
    st.session_state[state.visible_key("btk")] = False
    st.session_state[state.visible_key("middle-corridor")] = True
    st.session_state[state.SELECTED] = "middle-corridor"
    state.map_reported((43.29, 63.99), 4, None)
    st.session_state["seen"] = (state.current_view(dataset), st.session_state[state.MAP_VIEW])


def test_a_late_report_does_not_undo_the_view_that_moved_the_map(
    monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path]
) -> None:
    monkeypatch.setenv("CORRIDORS_TEST_FIXTURE", str(dashboard_dirs["data"].parent))
    at = AppTest.from_function(_end_tour_while_the_map_reports_the_step, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    view, map_view = at.session_state["seen"]
    assert (view.corridors, view.selected, map_view) == (("btk",), "btk", ((40, 50), 5))
