"""A press of the page's controls is not lost to a rerun request that arrives meanwhile.

The map reports its view after every move and each report reruns the page, so a report
often reaches the server while a press's run is starting. Streamlit looks for a newer
request at every read and write of the session state, callbacks included, and one found
there ends the callback where it stands: "Start the tour" or "End tour" was lost (3 times in
about 40 browser runs) or half done, and the next run does not call it again. Here the
report's request arrives, for certain, while the callbacks run: another widget's callback,
dispatched before the control's, sends it. Each control's callback only notes its press, and
the page does it before its widgets (``corridors.ui.state.press``); as the control's own
callback, each of these assertions failed.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corridors import extent
from corridors.data import Dataset, load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis, Disruption, Preset
from corridors.policy.closures import Exposure, build_exposure
from corridors.ui import state
from corridors.ui.upload_panel import KeptFile

POLICY = Path(__file__).parents[1] / "fixtures" / "policy"


def _page(control, whatif) -> None:
    """One control in a page's order, after a box whose change sends a rerun request.

    ``control`` names the control; ``whatif`` is the world the What-if panel draws (its
    presets), None for the others, drawn on the dashboard fixture.
    """
    import json
    import os
    from pathlib import Path

    import streamlit as st
    from streamlit.runtime.scriptrunner import RerunData, get_script_run_ctx

    from corridors.data import load_dataset
    from corridors.policy.tour import Tour
    from corridors.ui import (
        presentation,
        state,
        timeline_panel,
        tour_panel,
        upload_panel,
        whatif_panel,
        widgets,
    )

    def report_arrives() -> None:
        """Queue a rerun request as the browser does for a map's report (no button pressed)."""
        st.session_state["reports"] = st.session_state.get("reports", 0) + 1
        ctx = get_script_run_ctx()
        assert ctx is not None
        assert ctx.script_requests is not None
        request = RerunData(query_string=ctx.query_string, page_script_hash=ctx.page_script_hash)
        ctx.script_requests.request_rerun(request)

    state.do_presses()  # first, as app.py does
    st.session_state["url_present"] = presentation.presentation_requested(st.query_params)
    folder = Path(os.environ["CORRIDORS_TEST_FIXTURE"])
    dataset = load_dataset(folder / "data", folder / "seeds") if whatif is None else whatif[0]
    state.init_state(dataset)
    st.checkbox("A report", key="report", on_change=report_arrives)
    if control == "tour":
        step = {"title": "A step", "narrative": "Some words.", "corridors": ["btk"]}
        steps = [
            {**step, "selected": "btk", "id": "a", "bounds": [40, 36, 80, 50]},
            {**step, "selected": "btk", "id": "b", "bounds": [40, 39, 50, 43]},
        ]
        tour_panel.show_tour(dataset, Tour.model_validate({"title": "T", "steps": steps}))
    elif control == "picker":
        widgets.sidebar(dataset)
    elif control == "map":  # streamlit-folium calls it once it has copied the report in
        st.checkbox(
            "The map", key="map_stand_in", on_change=widgets.map_callback(dataset.corridors)
        )
    elif control == "map copied":  # the map's value as JSON text, copied in as st_folium does

        def copy_then_note() -> None:
            """streamlit-folium's callback: it copies the value in, then calls the map's."""
            st.session_state[state.MAP_EVENT] = json.loads(st.session_state["map_value"])
            widgets.map_callback(dataset.corridors)()

        widgets.sidebar(dataset)
        st.text_input("The map's value", key="map_value", on_change=copy_then_note)
        value = st.session_state["map_value"]
        widgets.take_in_a_report_cut_short(value and json.loads(value), dataset.corridors)
    elif control == "present":
        presentation.presentation_toggle()
    elif control == "timeline":
        timeline_panel.show_timeline(dataset, [r.id for r in dataset.corridors])
    elif control == "whatif" and whatif is not None:
        whatif_panel.show_whatif(*whatif)
    elif control == "upload":
        upload_panel.show_upload(dataset, {}, upload_panel.YourRoute())


def _app(control: str, whatif: tuple[Dataset, dict[str, Analysis], Exposure] | None = None):
    """Return the page with ``control``, run once; nothing pressed yet."""
    at = AppTest.from_function(_page, args=(control, whatif), default_timeout=60)  # hang guard
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "reports" not in at.session_state
    return at


@pytest.fixture(autouse=True)
def _fixture_dirs(monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path]) -> None:
    """The dashboard fixture's folders, for the page."""
    monkeypatch.setenv("CORRIDORS_TEST_FIXTURE", str(dashboard_dirs["data"].parent))


def _as_a_report_arrives(at: AppTest) -> None:
    """Run the page with the press set up in ``at`` while a report's rerun request comes in."""
    at.checkbox(key="report").set_value(not at.checkbox(key="report").value)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["reports"] == 1  # the request came
    assert "presses" not in at.session_state or not at.session_state["presses"]  # none waits


def test_start_the_tour_pressed_as_a_report_arrives_starts_it() -> None:
    at = _app("tour")
    at.button(key="tour_start").click()
    _as_a_report_arrives(at)
    assert at.session_state["tour_step"] == 0
    move, _ = at.session_state["map_move"]
    assert move == (40, 36, 80, 50)  # the first step's box, to fit


def test_end_tour_pressed_as_a_report_arrives_ends_it() -> None:
    at = _app("tour")
    at.button(key="tour_start").click().run()
    at.button(key="tour_next").click().run()
    assert at.session_state["tour_step"] == 1
    at.button(key="tour_end").click()
    _as_a_report_arrives(at)
    assert at.session_state["tour_step"] is None
    assert at.session_state["before_tour"] is None


def test_a_corridor_picked_as_a_report_arrives_moves_the_map_to_it(
    dashboard_dataset: Dataset,
) -> None:
    at = _app("picker")
    assert at.session_state["map_move"] is None
    at.radio(key="selected_corridor").set_value("btk")
    _as_a_report_arrives(at)
    btk = next(r for r in dashboard_dataset.corridors if r.id == "btk")
    view = extent.fit_view(extent.route_bounds(btk))
    assert at.session_state["selected_corridor"] == "btk"
    assert at.session_state["map_move"] == (view, 1)
    assert at.session_state["map_view"] == view


def test_a_map_report_taken_in_as_another_arrives_moves_the_session_s_view() -> None:
    at = _app("map")
    corners = {"_southWest": {"lat": 38, "lng": 40}, "_northEast": {"lat": 45, "lng": 50}}
    at.session_state[state.MAP_EVENT] = {  # as streamlit-folium copies it in
        "center": {"lat": 41.5, "lng": 45.0},
        "zoom": 6,
        "bounds": corners,
        "selected_tags": [],
    }
    at.checkbox(key="map_stand_in").check()
    _as_a_report_arrives(at)
    assert at.session_state["map_view"] == ((41.5, 45.0), 6)
    assert at.session_state["map_bounds"] == (40.0, 38.0, 50.0, 45.0)


def test_a_map_report_cut_before_streamlit_folium_copied_it_is_taken_in() -> None:
    """Its callback copies the report in first, reading the session: a request ends it there."""
    at = _app("map copied")
    report = {
        "center": {"lat": 41.5, "lng": 45.0},
        "zoom": 6,
        "last_object_clicked": {"lat": 41.0, "lng": 44.9},
        "last_object_clicked_tooltip": "Baku-Tbilisi-Kars railway",
        "selected_tags": [],
    }
    at.text_input(key="map_value").input(json.dumps(report))
    _as_a_report_arrives(at)
    assert at.session_state[state.MAP_EVENT] == report
    assert at.session_state["map_view"] == ((41.5, 45.0), 6)
    assert at.session_state["selected_corridor"] == "btk"  # the click picked it
    at.run()  # taken in once: the next run takes in nothing
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["map_view"] == ((41.5, 45.0), 6)


def test_a_new_map_s_value_is_no_report() -> None:
    """A map drawn anew returns the component's default, with no centre: nothing is taken in."""
    at = _app("map copied")
    before = {"center": {"lat": 41.5, "lng": 45.0}, "zoom": 6}
    at.session_state[state.MAP_EVENT] = before  # the last map's report
    at.session_state["map_value"] = json.dumps({"zoom": 3, "selected_tags": None})  # no callback
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state[state.MAP_EVENT] == before
    assert at.session_state["map_view"] is None


def test_presentation_turned_on_as_a_report_arrives_is_in_the_url_the_run_reads() -> None:
    at = _app("present")
    at.toggle(key="presentation_mode").set_value(True)
    _as_a_report_arrives(at)
    assert at.query_params["present"] == "1"
    assert at.session_state["url_present"] is True  # read after the press wrote it


def test_an_event_s_year_picked_as_a_report_arrives_moves_the_slider() -> None:
    at = _app("timeline")
    at.button_group(key="timeline_jump").set_value(2017)
    _as_a_report_arrives(at)
    assert (at.session_state["timeline_on"], at.session_state["timeline_year"]) == (True, 2017)
    assert at.button_group(key="timeline_jump").value is None


@pytest.fixture(scope="module")
def preset_world() -> tuple[Dataset, dict[str, Analysis], Exposure]:
    """The policy fixture with a recorded closure of Betaland and strait-x as a preset."""
    base = load_dataset(POLICY / "data", POLICY / "seeds")
    closure = Disruption(
        "fx-closure", "Betaland closes", "closure", "2026", None,
        ("BBB",), ("strait-x",), (), (next(iter(base.facts)),),
    )  # fmt: skip
    preset = Preset("fx-preset", "2026: Betaland closed", ("fx-closure",))
    dataset = dataclasses.replace(base, disruptions=(closure,), presets=(preset,))
    index = StateIndex(load_states(POLICY / "states.geojson"))
    routes = (*dataset.corridors, *dataset.baselines)
    exposure = build_exposure(routes, index, dataset.chokepoints)
    return dataset, analyse_routes(dataset.routes, index, dataset.chokepoints), exposure


def test_a_preset_pressed_as_a_report_arrives_sets_its_closures(
    preset_world: tuple[Dataset, dict[str, Analysis], Exposure],
) -> None:
    at = _app("whatif", preset_world)
    at.button(key="whatif_preset_fx-preset").click()
    _as_a_report_arrives(at)
    assert at.session_state["closed_states"] == ["BBB"]
    assert at.session_state["closed_chokepoints"] == ["strait-x"]


def test_a_file_uploaded_as_a_report_arrives_is_kept() -> None:
    at = _app("upload")
    line = {"type": "LineString", "coordinates": [[40, 40], [45, 41]]}
    data = json.dumps(line).encode()
    at.file_uploader(key="upload_file").upload("mine.geojson", data)
    _as_a_report_arrives(at)
    assert at.session_state["upload_kept"] == KeptFile("mine.geojson", data)


def test_remove_pressed_as_a_report_arrives_forgets_the_kept_file() -> None:
    at = _app("upload")
    at.session_state["upload_kept"] = KeptFile("mine.geojson", b"{}")  # the uploader forgot it
    at.run()
    at.button(key="upload_forget").click()
    _as_a_report_arrives(at)
    assert at.session_state["upload_kept"] is None
