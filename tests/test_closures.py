"""What-if closures on hand-made states: which routes still run, and where the others break."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.data import Dataset, load_dataset
from corridors.figures import format_date
from corridors.geometry import StateIndex
from corridors.model import Analysis
from corridors.policy.closures import (
    ClosureResult,
    Exposure,
    RouteOutcome,
    apply_closures,
    build_exposure,
    closable_states,
    summarise,
)
from corridors.policy.tour import load_tour


def outcome(result: ClosureResult, route_id: str) -> RouteOutcome:
    return next(r for r in result.routes if r.route_id == route_id)


#: Both fixture corridors are open end to end from 2035 on (if their plans hold); the North
#: Line's middle leg closed in 2022.
OPEN = 2040


def test_nothing_closed_everything_open_runs(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, year=OPEN)
    assert {r.route_id for r in result.routes if r.runs} == {"middle-corridor", "instc"}
    assert result.broken_legs() == {}
    assert result.summary == "In 2040, nothing is closed: both corridors run."


def test_a_leg_that_is_not_open_never_runs(policy_exposure: Exposure) -> None:
    """Today the South Line is under construction, the Sea Link planned, the North Line closed."""
    result = apply_closures(policy_exposure)
    assert not any(r.runs for r in result.routes)
    assert result.broken_legs() == {}  # nothing is cut: the map marks no closure
    assert result.summary == (
        "Nothing is closed: neither corridor runs; "
        "Sea Link and South Line are not yet open end to end."
    )
    north = outcome(apply_closures(policy_exposure, states=["AAA"]), "northern-corridor")
    assert [(n.leg_id, n.status) for n in north.not_open] == [("nl-2", "closed")]
    assert north.closed


def test_a_closed_leg_never_runs_in_the_timeline_either(policy_exposure: Exposure) -> None:
    before = apply_closures(policy_exposure, states=["BBB"], year=2021)
    assert outcome(before, "northern-corridor").runs  # nl-2 closed only in 2022
    after = apply_closures(policy_exposure, states=["BBB"], year=2022)
    assert not outcome(after, "northern-corridor").runs
    assert after.summary.endswith("The baseline does not run; North Line is closed.")
    # The status the data records, with the date its source confirmed it.
    assert outcome(after, "northern-corridor").why_not == "Epsilon - Phi is closed (as of 2025)"
    both = apply_closures(policy_exposure, states=["EEE"], year=2022)
    assert outcome(both, "northern-corridor").why_not == (
        "cut at Epsilonia; Epsilon - Phi is closed (as of 2025)"
    )


def test_a_leg_not_yet_open_in_the_year_does_not_run(policy_exposure: Exposure) -> None:
    # The Sea Link's legs opened in 1995: in 1990 it does not run, though nothing is closed.
    sea = outcome(apply_closures(policy_exposure, year=1990), "instc")
    assert {n.status for n in sea.not_open} == {"not yet open", "planned"}
    assert not sea.runs
    # A status the year implies is dated by the year; the one the data records by its source.
    assert {n.standing for n in sea.not_open} == {
        "not yet open in 1990",
        *(f"planned (as of {format_date(n.as_of)})" for n in sea.not_open if n.as_of),
    }
    assert all(n.as_of for n in sea.not_open if n.status == "planned")
    assert "not yet open in 1990" in sea.why_not


def test_every_reason_a_route_does_not_run_today_is_dated(
    policy_exposure: Exposure,
) -> None:
    for route in apply_closures(policy_exposure).routes:
        for leg in route.not_open:
            assert leg.as_of, leg
            assert f"{leg.status} (as of {format_date(leg.as_of)})" in route.why_not


def test_closing_a_state_breaks_the_legs_that_cross_it(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, states=["BBB"], year=OPEN)
    south = outcome(result, "middle-corridor")
    assert not south.runs
    assert south.broken_legs == ("sl-1", "sl-2")
    first = south.breaks[0]
    assert (first.kind, first.closed, first.closed_name) == ("state", "BBB", "Betaland")
    # The break is marked where the leg enters Betaland, on its western border.
    assert first.lon == pytest.approx(10.0, abs=0.05)
    assert first.km == pytest.approx(898, abs=2)
    assert outcome(result, "instc").runs
    assert result.broken_legs() == {"middle-corridor": ("sl-1", "sl-2")}
    assert result.summary == (
        "In 2040, with Betaland closed, 1 of 2 corridors still runs: Sea Link. "
        "The baseline does not run; North Line is closed."
    )


def test_closing_a_chokepoint_breaks_the_leg_that_passes_it(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, chokepoints=["strait-x"])
    sea = outcome(result, "instc")
    assert sea.broken_legs == ("sk-2",)
    cut = sea.breaks[0]
    assert (cut.kind, cut.closed_name, cut.lon, cut.lat, cut.km) == (
        "chokepoint",
        "Strait of X",
        15,
        -5,
        None,
    )


def test_states_and_chokepoints_together(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, states=["DDD"], chokepoints=["strait-x"], year=OPEN)
    assert result.broken_legs() == {"northern-corridor": ("nl-2",), "instc": ("sk-2",)}
    assert result.summary == (
        "In 2040, with Deltaland and the Strait of X closed, 1 of 2 corridors still runs: "
        "South Line. The baseline does not run."
    )


def test_a_short_overlap_is_not_a_transit(policy_exposure: Exposure) -> None:
    # The South Line passes 17 km from Deltaland: closing it changes nothing for that line.
    assert outcome(
        apply_closures(policy_exposure, states=["DDD"], year=OPEN), "middle-corridor"
    ).runs
    # Nor does a closed state a leg enters for less than min_transit_km.
    assert outcome(
        apply_closures(policy_exposure, states=["AAA"], min_transit_km=1e6, year=OPEN),
        "middle-corridor",
    ).runs


def test_closing_the_shared_origin_stops_everything(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, states=["AAA"], year=OPEN)
    assert not any(r.runs for r in result.routes)
    assert result.summary == (
        "In 2040, with Alphaland closed, neither corridor runs. The baseline does not run."
    )


def test_unknown_closures_are_refused_by_name(policy_exposure: Exposure) -> None:
    with pytest.raises(ValueError, match=r"\['ZZZ', 'panama'\]"):
        apply_closures(policy_exposure, states=["ZZZ"], chokepoints=["panama"])
    with pytest.raises(ValueError, match=r"\['sl-9'\]"):
        apply_closures(policy_exposure, legs=["sl-9"])


def test_a_closed_leg_is_cut_from_its_start_and_named(policy_exposure: Exposure) -> None:
    result = apply_closures(policy_exposure, legs=["sl-2"], year=OPEN)
    south = outcome(result, "middle-corridor")
    assert not south.runs
    (cut,) = south.breaks
    assert (cut.leg_id, cut.kind, cut.closed, cut.closed_name) == (
        "sl-2",
        "leg",
        "sl-2",
        "Beta - Gamma",
    )
    leg = next(g.leg for r in policy_exposure.routes for g in r.legs if g.leg_id == "sl-2")
    assert (cut.lon, cut.lat) == leg.coords[0]
    assert result.broken_legs() == {"middle-corridor": ("sl-2",)}
    assert result.closed_legs == ("sl-2",)
    assert result.summary.startswith("In 2040, with the Beta - Gamma line closed, 1 of 2")


def test_a_closed_leg_cuts_every_leg_on_its_track(policy_exposure: Exposure) -> None:
    """Legs of two routes on one track (the network says which) close together."""
    result = apply_closures(policy_exposure, legs=["sl-1"], tracks={"sl-1": ["sk-1"]}, year=OPEN)
    assert result.broken_legs() == {"middle-corridor": ("sl-1",), "instc": ("sk-1",)}
    (cut,) = outcome(result, "instc").breaks
    assert (cut.closed, cut.closed_name) == ("sl-1", "Alpha - Beta")  # what the viewer closed
    assert "with the Alpha - Beta line closed" in result.summary  # named once


def test_states_chokepoints_and_legs_together(policy_exposure: Exposure) -> None:
    result = apply_closures(
        policy_exposure, states=["DDD"], chokepoints=["strait-x"], legs=["sl-2"], year=OPEN
    )
    assert result.broken_legs() == {
        "northern-corridor": ("nl-2",),
        "middle-corridor": ("sl-2",),
        "instc": ("sk-2",),
    }
    assert result.summary.startswith(
        "In 2040, with Deltaland, the Strait of X and the Beta - Gamma line closed, neither"
    )


@given(st.lists(st.sampled_from(["AAA", "BBB", "CCC", "DDD", "EEE", "FFF"]), unique=True))
def test_closing_more_never_reopens_a_route(policy_exposure: Exposure, states: list[str]) -> None:
    for cut in range(len(states)):
        before = apply_closures(policy_exposure, states=states[:cut]).broken_legs()
        after = apply_closures(policy_exposure, states=states[: cut + 1]).broken_legs()
        assert set(before) <= set(after)


def test_summary_wording_for_one_and_for_many() -> None:
    def route(name: str, role: str, *, runs: bool) -> RouteOutcome:
        breaks = () if runs else (object(),)
        return RouteOutcome(name.lower(), name, role, breaks)  # type: ignore[arg-type]

    five = [route(n, "corridor", runs=n in {"Middle Corridor", "BTK"}) for n in
            ("Middle Corridor", "TRIPP", "BTK", "INSTC", "Russia-Gulf")]  # fmt: skip
    assert summarise(five, ["Russia", "Iran"]) == (
        "With Russia and Iran closed, 2 of 5 corridors still run: Middle Corridor, BTK."
    )
    one = [route("BTK", "corridor", runs=True)]
    assert summarise(one, ["Armenia"]) == "With Armenia closed, the corridor still runs."
    assert summarise([], ["Armenia"]) == "With Armenia closed, there are no corridors to compare."


def test_closable_states_are_those_crossed_by_name(policy_analyses: dict[str, Analysis]) -> None:
    names = [s.name for s in closable_states(policy_analyses.values())]
    assert names == ["Alphaland", "Betaland", "Deltaland", "Epsilonia", "Gammaland", "Philand"]


# The real data: the what-if steps of the guided tour say what the analysis finds.


@pytest.fixture(scope="module")
def real(world_states: gpd.GeoDataFrame) -> tuple[Dataset, Exposure]:
    dataset = load_dataset()
    routes = (*dataset.corridors, *dataset.baselines)  # display order, as the dashboard passes
    return dataset, build_exposure(routes, StateIndex(world_states), dataset.chokepoints)


def running(result: ClosureResult) -> set[str]:
    return {r.route_id for r in result.routes if r.runs}


def uncut(result: ClosureResult) -> set[str]:
    """Routes no closure cuts: they run, or would once open end to end."""
    return {r.route_id for r in result.routes if not r.breaks}


def test_the_issue_example_with_russia_and_iran_closed(real: tuple[Dataset, Exposure]) -> None:
    """The what-if once said a line closed since 1993 still ran, where Compare says closed."""
    _, exposure = real
    result = apply_closures(exposure, states=["RUS", "IRN"])
    assert "kars-gyumri" not in running(result)
    assert "None of the 5 baselines runs; Baku-Tbilisi-Gyumri-Kars is closed." in result.summary
    assert running(result) == {"middle-corridor", "btk"}
    assert "TRIPP is not cut but not yet open end to end" in result.summary


def test_the_issue_example_with_russia_iran_and_armenia_closed(
    real: tuple[Dataset, Exposure],
) -> None:
    _, exposure = real
    result = apply_closures(exposure, states=["RUS", "IRN", "ARM"])
    assert running(result) == {"middle-corridor", "btk"}
    assert "2 of 5 corridors still run: Middle Corridor, Baku-Tbilisi-Kars railway." in (
        result.summary
    )


@pytest.mark.parametrize(
    ("states", "chokepoints", "runs", "cut"),
    [
        (["RUS", "BLR"], [], {"middle-corridor"}, {"northern-corridor"}),
        (["IRN"], [], {"tripp", "middle-corridor", "btk"}, {"aras-iran-route", "instc"}),
        ([], ["bab-el-mandeb"], {"instc"}, {"suez-sea-route"}),
        ([], ["hormuz"], {"middle-corridor"}, {"instc"}),
        ([], ["aktau-baku-ferry"], {"btk"}, {"middle-corridor"}),
    ],
)
def test_real_closures(
    real: tuple[Dataset, Exposure],
    states: list[str],
    chokepoints: list[str],
    runs: set[str],
    cut: set[str],
) -> None:
    result = apply_closures(real[1], states=states, chokepoints=chokepoints)
    assert runs <= uncut(result)
    assert not cut & uncut(result)


def test_in_every_tour_what_if_the_selected_corridor_still_runs(
    real: tuple[Dataset, Exposure],
) -> None:
    """Each what-if step shows a corridor going around what is closed, as its narrative says.

    TRIPP and the INSTC are not open end to end: their narratives say "once built", so they
    need only be uncut.
    """
    dataset, exposure = real
    for step in load_tour(dataset=dataset).steps:
        if step.closed_states or step.closed_chokepoints:
            closed = {"states": step.closed_states, "chokepoints": step.closed_chokepoints}
            result = apply_closures(exposure, **closed)
            assert step.selected in uncut(result), step.id
            if "still runs" in step.narrative or "still run " in step.narrative:
                assert step.selected in running(result), step.id
