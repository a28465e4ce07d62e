"""The session's map view against the map's late reports, in a real Streamlit session."""

from __future__ import annotations

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
    state.move_map((40.003, 49.998), 5)  # "End tour": the view before the step
    state.map_reported((43.26, 63.98), 4, (50.0, 35.0, 78.0, 50.0))  # sent before the move
    seen.append(st.session_state[state.MAP_VIEW])
    state.map_reported((40.001, 50.002), 5, (45.0, 35.0, 55.0, 45.0))  # where it went
    seen.append(st.session_state[state.MAP_VIEW])
    state.map_reported((43.26, 63.98), 4, None)  # the user goes back there: a move like any
    seen.append(st.session_state[state.MAP_VIEW])
    st.session_state["seen"] = seen


def test_a_late_report_of_the_view_left_does_not_move_the_map_back() -> None:
    at = AppTest.from_function(_moves, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["seen"] == [
        ((40.003, 49.998), 5),
        None,  # the bounds of a view the page moved to are not known yet
        ((40.003, 49.998), 5),
        ((40.001, 50.002), 5),
        ((43.26, 63.98), 4),
    ]
