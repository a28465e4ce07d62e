"""The policy panels in Streamlit's AppTest: widgets driven by key, output and state asserted.

Each script sets up session state as ``corridors.ui.page`` does, then draws one panel, on the
small made-up world in ``tests/fixtures/policy`` (see its README).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from corridors.data import Dataset, load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.isolation import WorkerPool
from corridors.model import Analysis
from corridors.policy.closures import Exposure, build_exposure
from corridors.policy.timeline import year_bounds
from corridors.policy.tour import Tour
from corridors.policy.upload_worker import upload_pool
from corridors.ui import state

FIXTURES = Path(__file__).parents[1] / "fixtures" / "policy"


@dataclass(frozen=True)
class World:
    dataset: Dataset
    analyses: dict[str, Analysis]
    index: StateIndex
    exposure: Exposure
    #: Workers that analyse uploads on the same six states.
    pool: WorkerPool


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    dataset = load_dataset(FIXTURES / "data", FIXTURES / "seeds")
    index = StateIndex(load_states(FIXTURES / "states.geojson"))
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    routes = (*dataset.corridors, *dataset.baselines)
    exposure = build_exposure(routes, index, dataset.chokepoints)
    with upload_pool(FIXTURES / "states.geojson", max_workers=1) as pool:
        yield World(dataset, analyses, index, exposure, pool)


def plain(markdown: str) -> str:
    """Return Markdown shown as text, without the escapes that keep data text literal."""
    return markdown.replace("\\", "")


def run(script: Any, *args: Any) -> AppTest:
    at = AppTest.from_function(script, args=args, default_timeout=60)  # a hang guard only
    at.run()
    assert not at.exception, at.exception
    return at


# Compare


def compare_script(world) -> None:
    from corridors.ui.compare_panel import show_compare

    show_compare(world.dataset, world.analyses)


def test_compare_shows_sortable_tables_and_csv_downloads(world: World) -> None:
    at = run(compare_script, world)
    table, figures = (frame.value for frame in at.dataframe)
    assert list(table["route"]) == ["South Line", "Sea Link", "North Line"]
    assert "headline_figures" in table.columns
    assert set(figures["Standing"]) == {"verified", "claim", "disputed"}
    assert "20-25 days" in set(figures["Value"])
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download the table (CSV)", "Download the figures (CSV)"]


def test_compare_tables_are_made_once_per_dataset_and_analyses(world: World) -> None:
    from corridors.ui.cached import CompareTables, compare_tables

    first = compare_tables(world.dataset, world.analyses)
    assert compare_tables(world.dataset, world.analyses) is first  # a rerun: nothing rebuilt
    fresh = CompareTables.build(world.dataset, world.analyses)
    pd.testing.assert_frame_equal(first.table, fresh.table)
    pd.testing.assert_frame_equal(first.figures, fresh.figures)
    assert (first.table_csv, first.figures_csv) == (fresh.table_csv, fresh.figures_csv)
    # Other analyses (another data version, the same content here) are another entry, made
    # afresh; the entries are bounded, so the first one is made again after enough others.
    others = [dict(world.analyses) for _ in range(4)]
    assert all(compare_tables(world.dataset, a) is not first for a in others)
    assert compare_tables(world.dataset, others[-1]) is compare_tables(world.dataset, others[-1])
    assert compare_tables(world.dataset, world.analyses) is not first


def test_made_is_kept_for_the_same_objects_and_value_only() -> None:
    """What the page makes from the loaders' objects is made again for any other object."""
    from corridors.memo import Made

    made: Made[list[str]] = Made(2)
    dataset, same_content = {"id": 1}, {"id": 1}
    first = made.get((dataset,), "btk", lambda: ["btk"])
    assert made.get((dataset,), "btk", lambda: ["again"]) is first
    assert made.get((same_content,), "btk", lambda: ["other data"]) == ["other data"]
    assert made.get((dataset,), "tripp", lambda: ["tripp"]) == ["tripp"]
    # Two entries kept, the newest first: the first has gone.
    assert made.get((dataset,), "btk", lambda: ["made again"]) == ["made again"]


# What-if


def whatif_script(world) -> None:
    import streamlit as st

    from corridors.ui import state
    from corridors.ui.whatif_panel import show_whatif

    state.init_state(world.dataset)
    state.do_presses()  # as the page does, before its widgets
    result = show_whatif(world.dataset, world.analyses, world.exposure)
    st.session_state["broken"] = result.broken_legs()


def test_whatif_closures_cut_routes_and_report_where(world: World) -> None:
    at = run(whatif_script, world)
    assert plain(at.info[0].value) == (
        "Nothing is closed: neither corridor runs; "
        "South Line and Sea Link are not yet open end to end."
    )
    at.multiselect(key="closed_states").set_value(["BBB"]).run()
    assert "With Betaland closed, neither corridor runs; Sea Link is not cut" in plain(
        at.info[0].value
    )
    assert at.session_state["broken"] == {"middle-corridor": ("sl-1", "sl-2")}
    routes, cuts = (frame.value for frame in at.dataframe)
    assert list(cuts["Leg"]) == ["Alpha - Beta", "Beta - Gamma"]
    at.multiselect(key="closed_chokepoints").set_value(["strait-x"]).run()
    assert set(at.session_state["broken"]) == {"middle-corridor", "instc"}
    routes = at.dataframe[0].value
    assert list(routes["Still runs"]) == [False, False, False]
    assert list(routes["Why not"]) == [
        "cut at Betaland; Beta - Gamma is under construction (as of 2025)",
        "cut at Strait of X; Port - Gamma is planned (as of 2025)",
        "Epsilon - Phi is closed (as of 2025)",
    ]
    # Each dated status links the source it comes from, as a link column.
    assert list(routes["Link"]) == ["https://example.org/report"] * 3
    columns = json.loads(at.dataframe[0].proto.columns)
    assert columns["Link"]["type_config"]["type"] == "link"


# Timeline


def timeline_script(world) -> None:
    import streamlit as st

    from corridors.ui import state
    from corridors.ui.timeline_panel import show_timeline

    state.init_state(world.dataset)
    state.do_presses()  # as the page does, before its widgets
    st.session_state["year"] = show_timeline(world.dataset, ["middle-corridor", "instc"])


def test_timeline_slider_and_events_set_the_year(world: World) -> None:
    at = run(timeline_script, world)
    assert at.session_state["year"] is None
    assert at.slider(key="timeline_year").disabled
    at.toggle(key="timeline_on").set_value(True).run()
    at.slider(key="timeline_year").set_value(2020).run()
    assert at.session_state["year"] == 2020
    assert "the South Line runs on 1 of 2 legs" in at.info[0].value
    # An event's year moves the slider there, and lets go of the pick.
    at.button_group(key="timeline_jump").set_value(1995).run()
    assert at.session_state["year"] == 1995
    assert at.slider(key="timeline_year").value == 1995
    assert at.button_group(key="timeline_jump").value is None


def test_timeline_lists_events_of_the_visible_corridors_only(world: World) -> None:
    at = run(timeline_script, world)
    events = at.markdown[-1].value
    assert "**March 1995** The Sea Link began regular sailings" in events
    assert len(events.splitlines()) == 2  # not the North Line's closure
    assert at.button_group(key="timeline_jump").options == ["1995", "2010"]


def disrupted_timeline_script(world) -> None:
    """The timeline of a world with two disruptions whose data text tries to mark itself up."""
    import dataclasses

    import streamlit as st

    from corridors.model import Disruption
    from corridors.ui import state
    from corridors.ui.timeline_panel import show_timeline

    note = world.dataset.sources["fx-source"]
    hostile = note.model_copy(update={"title": "<b>Loud</b> [x](javascript:alert(1))"})
    dataset = dataclasses.replace(
        world.dataset,
        sources={note.id: hostile},
        disruptions=(
            Disruption(
                "cut",
                "*Sea* <i>cut</i>",
                "closure",
                "2020-05",
                None,
                (),
                (),
                ("sk-2",),
                ("fx-sea-days",),
            ),
            Disruption(
                "north",
                "North Line strike",
                "strike",
                "2020",
                "2021",
                (),
                (),
                ("nl-2",),
                ("fx-north-days",),
            ),
        ),
    )
    state.init_state(dataset)
    state.do_presses()  # as the page does, before its widgets
    st.session_state["year"] = show_timeline(dataset, ["middle-corridor", "instc"])


def test_timeline_lists_the_disruptions_of_the_year_escaped_and_sourced(world: World) -> None:
    at = run(disrupted_timeline_script, world)
    today = at.markdown[0].value
    # Timeline off: what is in force today (the North Line's strike ended in 2021).
    assert today.startswith("**Disruptions today** (1 recorded disruption applies):")
    assert "North Line" not in today
    # Data text is shown literally: escaped title, escaped link text, the address kept.
    assert r"\*Sea\* \<i\>cut\</i\>" in today
    assert r"[\<b\>Loud\</b\> \[x\]\(javascript\:alert\(1\)\)](https://example.org/report)" in today
    assert "in force since May 2020, no end reported (as of May 2024;" in plain(today)
    at.toggle(key="timeline_on").set_value(True).run()
    at.slider(key="timeline_year").set_value(2019).run()
    assert at.markdown[0].value == "No recorded disruption applies in 2019."
    at.slider(key="timeline_year").set_value(2020).run()
    in_2020 = at.markdown[0].value
    assert "started May 2020, no end reported" in in_2020
    # The strike on the North Line, the baseline the shown corridors go round, counts too; each
    # disruption is graded by the facts it rests on.
    assert in_2020.startswith("**Disruptions in 2020** (2 apply):")
    assert "North Line strike; started 2020 (as of" in plain(in_2020)
    assert "; claim; " in in_2020
    assert "; disputed; " in in_2020


# Tour

TOUR = {
    "title": "A test tour",
    "steps": [
        {
            "id": "south",
            "title": "The *South* Line",
            "narrative": "It crosses Betaland.",
            "corridors": ["middle-corridor", "instc"],
            "selected": "middle-corridor",
            "bounds": [4.0, 4.0, 26.0, 11.0],
            "facts": ["fx-south-length"],
        },
        {
            "id": "sea",
            "title": "The Sea Link, closed",
            "narrative": "Close the strait.",
            "corridors": ["instc"],
            "selected": "instc",
            "bounds": [12.0, -7.0, 18.0, -3.0],
            "year": 2000,
            "closed_chokepoints": ["strait-x"],
        },
    ],
}


def tour_script(world, tour) -> None:
    import streamlit as st

    from corridors.ui import state
    from corridors.ui.tour_panel import show_tour

    state.init_state(world.dataset)
    state.do_presses()  # as the page does, before its widgets
    st.session_state["step"] = show_tour(world.dataset, tour)
    st.session_state["view"] = state.current_view(world.dataset)


def test_tour_next_and_back_set_the_whole_view(world: World) -> None:
    at = run(tour_script, world, Tour.model_validate(TOUR))
    assert at.session_state["step"] is None
    at.button(key="tour_start").click().run()
    assert at.session_state["step"] == 0
    assert at.caption[0].value == "Step 1 of 2"
    assert at.button(key="tour_back").disabled
    texts = [m.value for m in at.markdown]
    assert "### The \\*South\\* Line" in texts  # curated text is escaped, shown as written
    assert any("Fixture report on corridors" in t for t in texts)  # the cited fact's source
    at.button(key="tour_next").click().run()
    shown = at.session_state["view"]
    assert (shown.tour_step, shown.selected, shown.corridors) == (1, "instc", ("instc",))
    assert (shown.year, shown.closed_chokepoints) == (2000, ("strait-x",))
    assert at.button(key="tour_next").disabled
    # The step's box, for the browser to fit on the map as it is: where it lands, it reports.
    assert at.session_state["map_move"][0] == (12.0, -7.0, 18.0, -3.0)
    assert at.session_state["map_view"] is None
    at.button(key="tour_back").click().run()
    assert at.session_state["view"].closed_chokepoints == ()
    at.button(key="tour_end").click().run()
    assert at.session_state["step"] is None


def test_ending_the_tour_puts_back_the_view_from_before_it(world: World) -> None:
    at = run(tour_script, world, Tour.model_validate(TOUR))
    at.session_state["show_instc"] = False
    at.session_state["map_view"] = ((1.5, 2.5), 4)
    at.run()
    before = at.session_state["view"]
    at.button(key="tour_start").click().run()
    at.button(key="tour_next").click().run()
    assert at.session_state["view"].corridors == ("instc",)
    at.button(key="tour_end").click().run()
    assert at.session_state["view"] == before
    assert at.session_state["map_view"] == ((1.5, 2.5), 4)


def test_a_link_to_a_tour_step_opens_the_steps_view_with_a_notice_for_what_it_changed(
    world: World,
) -> None:
    at = AppTest.from_function(url_script, args=(world, Tour.model_validate(TOUR)))
    at.query_params.update({"step": "2", "year": "1860"})
    at.run()
    session = at.session_state
    assert (session["tour_step"], session["selected_corridor"]) == (1, "instc")
    # The step's view, not only its number: its box, for the browser to fit.
    assert session["map_move"] == ((12.0, -7.0, 18.0, -3.0), 1)
    assert session["closed_chokepoints"] == ["strait-x"]
    first, last = year_bounds(world.dataset)
    assert session["timeline_year"] == first
    assert [w.value for w in at.warning] == [
        f"Showing year={first} instead of 1860 from the link: the data runs from {first} to {last}."
    ]


# Your route


def upload_script(world) -> None:
    import streamlit as st

    from corridors.ui import state
    from corridors.ui.upload_panel import show_upload, your_route

    state.init_state(world.dataset)
    state.do_presses()  # as the page does, before its widgets
    route = your_route(world.dataset, world.pool)
    st.session_state["for_map"] = None if route.uploaded is None else route.uploaded[0].id
    shown = show_upload(world.dataset, world.analyses, route)
    st.session_state["uploaded"] = shown


LINE = {
    "type": "Feature",
    "properties": {"name": "<b>Mine</b>"},
    "geometry": {"type": "LineString", "coordinates": [[5, 5], [15, 5], [25, 5]]},
}


def test_an_uploaded_route_is_analysed_against_the_chosen_baseline(world: World) -> None:
    at = run(upload_script, world)
    assert at.session_state["uploaded"] is None
    at.selectbox(key="upload_baseline").set_value("northern-corridor")
    at.file_uploader(key="upload_file").upload("mine.geojson", json.dumps(LINE).encode()).run()
    route, analysis = at.session_state["uploaded"]
    assert route.name == "<b>Mine</b>"
    assert [s.iso3 for s in analysis.bypassed] == ["EEE", "DDD", "FFF"]
    assert at.session_state["for_map"] == route.id  # the map gets it in the same run
    text = at.success[0].value
    assert text.startswith("The \\<b\\>Mine\\</b\\> runs 2,218 km through Alphaland")
    table = at.dataframe[0].value
    assert list(table["route"]) == ["North Line", "<b>Mine</b>"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty"),
        (b"{oops", "not valid JSON"),
        (json.dumps({"type": "Point", "coordinates": [1, 2]}).encode(), "no LineString"),
    ],
)
def test_a_bad_upload_shows_the_reason(world: World, content: bytes, message: str) -> None:
    at = run(upload_script, world)
    at.file_uploader(key="upload_file").upload("bad.geojson", content).run()
    assert not at.exception
    assert message in plain(at.error[0].value)
    assert at.session_state["uploaded"] is None
    assert at.session_state["for_map"] is None


# The view in the URL


def url_script(world, tour) -> None:
    import streamlit as st

    from corridors.ui import state

    notices = state.restore_from_url(world.dataset, closable_states={"BBB", "DDD"}, tour=tour)
    state.init_state(world.dataset)
    st.toggle("Timeline", key=state.YEAR_ON)
    for notice in notices:
        st.warning(notice)
    state.sync_url(world.dataset)


def test_a_link_restores_the_view_and_the_address_follows_changes(world: World) -> None:
    at = AppTest.from_function(url_script, args=(world, Tour.model_validate(TOUR)))
    at.query_params.update(
        {
            "on": "instc",
            "corridor": "instc",
            "year": "2016",
            "closed_states": "BBB",
            "step": "2",
            "center": "5.5,15.25",
            "zoom": "6",
            "present": "1",
            "junk": "x",
        }
    )
    at.run()
    session = at.session_state
    assert session["show_middle-corridor"] is False
    assert session["show_instc"] is True
    assert (session["selected_corridor"], session["timeline_year"]) == ("instc", 2016)
    assert (session["closed_states"], session["tour_step"]) == (["BBB"], 1)
    assert (session["map_view"], session[state.PRESENTATION]) == (((5.5, 15.25), 6), True)
    assert [w.value for w in at.warning] == ["Ignored the unknown link parameter 'junk'."]
    # The address is rewritten to the view, without what was ignored.
    assert "junk" not in at.query_params
    assert at.query_params["year"] == "2016"
    at.toggle(key="timeline_on").set_value(False).run()
    assert "year" not in at.query_params
    assert at.query_params["corridor"] == "instc"
