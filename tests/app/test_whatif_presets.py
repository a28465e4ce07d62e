"""The What-if tab's disruption presets: one click sets the closures the preset implies."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from streamlit.testing.v1 import AppTest

from corridors.data import load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Disruption, Preset
from corridors.policy.closures import build_exposure

FIXTURES = Path(__file__).parents[1] / "fixtures" / "policy"


def whatif_script(dataset, analyses, exposure) -> None:
    from corridors.ui import state
    from corridors.ui.whatif_panel import show_whatif

    state.init_state(dataset)
    state.do_presses()  # as the page does, before its widgets
    show_whatif(dataset, analyses, exposure)


def test_a_preset_button_sets_the_closures() -> None:
    """On the made-up world: a recorded closure of Betaland and strait-x, one click away."""
    base = load_dataset(FIXTURES / "data", FIXTURES / "seeds")
    fact = next(iter(base.facts))
    closure = Disruption(
        "fx-closure", "Betaland closes", "closure", "2026", None,
        ("BBB",), ("strait-x",), (), (fact,),
    )  # fmt: skip
    preset = Preset("fx-preset", "2026: Betaland closed", ("fx-closure",))
    dataset = dataclasses.replace(base, disruptions=(closure,), presets=(preset,))
    index = StateIndex(load_states(FIXTURES / "states.geojson"))
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    routes = (*dataset.corridors, *dataset.baselines)
    exposure = build_exposure(routes, index, dataset.chokepoints)
    at = AppTest.from_function(whatif_script, args=(dataset, analyses, exposure))
    at.default_timeout = 10
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["closed_states"] == []
    at.button(key="whatif_preset_fx-preset").click().run()
    assert not at.exception, at.exception
    assert at.session_state["closed_states"] == ["BBB"]
    assert at.session_state["closed_chokepoints"] == ["strait-x"]
    assert at.multiselect(key="closed_states").value == ["BBB"]
