"""A press of the tour's buttons is not lost to a rerun request that arrives meanwhile.

The map reports its view after every move and each report reruns the page, so a report
often reaches the server while a press's run is starting. Streamlit looks for a newer
request at every read and write of the session state, callbacks included, and one found
there ends the callback where it stands: "Start the tour" or "End tour" was lost (3 times in
about 40 browser runs) or half done. Here the report's request arrives, for certain, while
the callbacks run: another widget's callback, dispatched before the button's, sends it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest


def _tour_page() -> None:
    """The tour's buttons in a page's order, and a box whose change sends a rerun request."""
    import os
    from pathlib import Path

    import streamlit as st
    from streamlit.runtime.scriptrunner import RerunData, get_script_run_ctx

    from corridors.data import load_dataset
    from corridors.policy.tour import Tour
    from corridors.ui import state, tour_panel

    def report_arrives() -> None:
        """Queue a rerun request as the browser does for a map's report (no button pressed)."""
        st.session_state["reports"] = st.session_state.get("reports", 0) + 1
        ctx = get_script_run_ctx()
        assert ctx is not None
        assert ctx.script_requests is not None
        request = RerunData(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash)
        ctx.script_requests.request_rerun(request)

    folder = Path(os.environ["CORRIDORS_TEST_FIXTURE"])
    dataset = load_dataset(folder / "data", folder / "seeds")
    step = {"title": "A step", "narrative": "Some words.", "corridors": ["btk"], "selected": "btk"}
    tour = Tour.model_validate(
        {
            "title": "T",
            "steps": [
                {**step, "id": "a", "bounds": [40, 36, 80, 50]},
                {**step, "id": "b", "bounds": [40, 39, 50, 43]},
            ],
        }
    )
    state.init_state(dataset)
    state.do_presses()
    st.checkbox("A report", key="report", on_change=report_arrives)
    tour_panel.show_tour(dataset, tour)


@pytest.fixture
def tour_app(monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path]) -> AppTest:
    """The page, run once: the tour not started."""
    monkeypatch.setenv("CORRIDORS_TEST_FIXTURE", str(dashboard_dirs["data"].parent))
    at = AppTest.from_function(_tour_page, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _press_as_a_report_arrives(at: AppTest, key: str) -> None:
    """Press the button ``key`` while a report's rerun request comes in."""
    at.checkbox(key="report").set_value(not at.checkbox(key="report").value)
    at.button(key=key).click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]


def test_start_the_tour_pressed_as_a_report_arrives_starts_it(tour_app: AppTest) -> None:
    assert "reports" not in tour_app.session_state
    _press_as_a_report_arrives(tour_app, "tour_start")
    assert tour_app.session_state["reports"] == 1  # the request came
    assert tour_app.session_state["tour_step"] == 0
    move, _ = tour_app.session_state["map_move"]
    assert move == (40, 36, 80, 50)  # the first step's box, to fit
    assert tour_app.session_state["presses"] == []


def test_end_tour_pressed_as_a_report_arrives_ends_it(tour_app: AppTest) -> None:
    tour_app.button(key="tour_start").click().run()
    tour_app.button(key="tour_next").click().run()
    assert tour_app.session_state["tour_step"] == 1
    _press_as_a_report_arrives(tour_app, "tour_end")
    assert tour_app.session_state["tour_step"] is None
    assert tour_app.session_state["before_tour"] is None
