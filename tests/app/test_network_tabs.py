"""The network in the dashboard, on the bundled data: a closure reroutes every pair in What-if."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from corridors.ui import state
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.app.test_app import APP, html_headings, html_table, map_args, open_panel, plain


@pytest.fixture(scope="module")
def bundled() -> AppTest:
    """The app on the real data, after its first run (module-wide: it takes a while)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_DATA_DIR, raising=False)
        patch.delenv(ENV_SEEDS_DIR, raising=False)
        at = AppTest.from_file(str(APP), default_timeout=90).run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error
    return at


def _frame(at: AppTest, columns: set[str]) -> pd.DataFrame:
    (frame,) = [d.value for d in at.dataframe if columns <= set(d.value.columns)]
    return frame


def test_closing_iran_reroutes_india_russia_in_the_detour_table(bundled: AppTest) -> None:
    at = open_panel(bundled, "What-if")
    at.multiselect(key=state.CLOSED_STATES).set_value(["IRN"]).run()
    assert not at.exception
    detours = _frame(at, {"Pair", "Now km", "Why"}).set_index("Pair")
    india = detours.loc["India-Russia"]
    assert india["Now km"] > india["Usual km"]
    assert "Egypt" in india["States now"]
    assert "Iran" not in india["States now"]
    assert detours.loc["Russia-Gulf", "Now days"] == "no route"
    assert (
        detours.loc["Russia-Gulf", "Why"] == "No route: Bandar Abbas is in Iran, which is closed."
    )
    summaries = [plain(i.value) for i in at.info]
    assert any(s.startswith("With Iran closed: India-Russia goes through Egypt") for s in summaries)
    overlays = map_args(at)["feature_group"]
    assert "detour pair-india-russia" in overlays
    assert "usual-route pair-india-russia" in overlays
    assert "gauge-break" in overlays
    assert "Detour of a trip under the closures" in overlays  # its legend row


def test_planned_lines_send_baku_nakhchivan_through_armenia_then_iran(bundled: AppTest) -> None:
    at = open_panel(bundled, "What-if")
    at.checkbox(key=state.PLANNED_BUILT).check().run()
    at.multiselect(key=state.CLOSED_STATES).set_value([]).run()
    usual = _frame(at, {"Pair", "States now"}).set_index("Pair").loc["Baku-Nakhchivan"]
    assert "Armenia" in usual["States now"]
    at.multiselect(key=state.CLOSED_STATES).set_value(["ARM"]).run()
    now = _frame(at, {"Pair", "States now"}).set_index("Pair").loc["Baku-Nakhchivan"]
    assert "Armenia" not in now["States now"]
    assert "Iran" in now["States now"]


def test_analysis_and_compare_list_crossings_and_gauge_breaks(bundled: AppTest) -> None:
    at = open_panel(bundled, "Analysis")
    waits = html_table(at, {"Kind", "At", "Days added", "Standing"})
    assert "gauge break" in set(waits["Kind"])
    # Its heading, table and note are one element, the tab's fifth and last (see test_app).
    (tab,) = [t for t in at.tabs if t.label == "Analysis"]
    assert not tab.markdown
    assert not tab.caption
    assert len(tab.html) == 5
    last = tab.html[-1].value
    assert last.startswith('<div class="corridors-section"><h4>Border crossings and gauge breaks')
    assert "ADB CAREC corridor monitoring" in last
    assert html_headings(at, "h4")[-1] == "Border crossings and gauge breaks"
    links = html_table(at, {"Kind", "At", "Days added", "Standing"}, links=True)
    assert links["Link"].str.startswith("https://").all()
    open_panel(at, "Compare")
    summary = _frame(at, {"Corridor", "Border crossings", "Gauge breaks"}).set_index("Corridor")
    assert summary["Gauge breaks"].min() >= 1
    assert json.dumps(list(summary.index))  # plain names, one row per corridor
    assert len(summary) == 5
    middle = summary.loc[summary.index.str.startswith("Middle Corridor")].iloc[0]
    assert middle["Cost per FEU"].startswith("US$2,500-3,250 (China and Europe); Northern")
    assert summary.loc["Baku-Tbilisi-Kars railway", "Cost per FEU"] == ""  # no source, no cost


def test_a_disruption_preset_reroutes_the_pairs(bundled: AppTest) -> None:
    at = open_panel(bundled, "What-if")
    at.checkbox(key=state.PLANNED_BUILT).uncheck().run()
    at.button(key="whatif_preset_march-2026-iran").click().run()
    assert not at.exception
    detours = _frame(at, {"Pair", "States now"}).set_index("Pair")
    assert "Egypt" in detours.loc["India-Russia", "States now"]
    assert detours.loc["Russia-Gulf", "Now days"] == "no route"


def test_closing_a_leg_cuts_its_track_on_the_map_and_reroutes(bundled: AppTest) -> None:
    """Akhalkalaki-Kars is BTK's and the Middle Corridor's: closing BTK's leg cuts both."""
    at = open_panel(bundled, "What-if")
    at.checkbox(key=state.PLANNED_BUILT).uncheck().run()
    at.multiselect(key=state.CLOSED_STATES).set_value([]).run()
    at.multiselect(key=state.CLOSED_CHOKEPOINTS).set_value([]).run()
    picker = at.multiselect(key=state.CLOSED_LEGS)
    assert "Akhalkalaki - Kartsakhi - Kars (Baku-Tbilisi-Kars railway)" in picker.options
    picker.set_value(["btk-06"]).run()
    assert not at.exception, [e.value for e in at.exception]
    routes = _frame(at, {"Route", "Still runs", "Why not"}).set_index("Route")
    for name in (
        "Baku-Tbilisi-Kars railway",
        routes.index[routes.index.str.startswith("Middle")][0],
    ):
        assert not routes.loc[name, "Still runs"]
        assert "cut at Akhalkalaki - Kartsakhi - Kars" in routes.loc[name, "Why not"]
    cuts = _frame(at, {"Leg", "Cut by", "Kind"})
    assert set(cuts["Kind"]) == {"leg"}
    detours = _frame(at, {"Pair", "Now km", "Why"}).set_index("Pair")
    assert detours.loc["Baku-Kars", "Now km"] > detours.loc["Baku-Kars", "Usual km"]
    summaries = [plain(i.value) for i in at.info]
    assert any(
        s.startswith("With the Akhalkalaki - Kartsakhi - Kars line closed: Baku-Kars goes")
        for s in summaries
    )
    overlays = map_args(at)["feature_group"]
    assert "cut-leg route-btk" in overlays
    assert "cut-leg route-middle-corridor" in overlays
    assert "detour pair-baku-kars" in overlays
    assert at.query_params["closed_legs"] == "btk-06"
    picker = at.multiselect(key=state.CLOSED_LEGS)
    picker.set_value([]).run()
    assert "closed_legs" not in at.query_params


def test_a_link_closing_legs_opens_what_if_with_them_closed() -> None:
    """The link round trip: known legs are closed, an unknown one is dropped with a notice."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(ENV_DATA_DIR, raising=False)
        patch.delenv(ENV_SEEDS_DIR, raising=False)
        at = AppTest.from_file(str(APP), default_timeout=90)
        at.query_params.update({"closed_legs": "btk-06,atlantis-01"})
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key=state.CLOSED_LEGS).value == ["btk-06"]
    assert at.session_state[state.PANEL] == "What-if"
    assert [plain(w.value) for w in at.warning] == [
        "Ignored closed_legs='atlantis-01' from the link: not a known leg."
    ]
    assert at.query_params["closed_legs"] == "btk-06"
    assert "cut-leg route-btk" in map_args(at)["feature_group"]
    detours = _frame(at, {"Pair", "Now km", "Why"}).set_index("Pair")
    assert detours.loc["Baku-Kars", "Now km"] > detours.loc["Baku-Kars", "Usual km"]
