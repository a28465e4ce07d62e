"""The guided tour: the real tour.json is valid, bad tours are named step by step."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.data import CorridorDataError, Dataset, load_dataset
from corridors.policy.tour import (
    TOUR_FILE,
    Tour,
    check_tour,
    cited_facts,
    clamp_step,
    load_tour,
    parse_tour,
    step_view,
)
from corridors.view import ViewState


def step(**fields: Any) -> dict[str, Any]:
    return {
        "id": "s",
        "title": "A step",
        "narrative": "Some words.",
        "corridors": ["middle-corridor"],
        "selected": "middle-corridor",
        "bounds": [4.0, 4.0, 26.0, 11.0],
        **fields,
    }


def test_the_bundled_tour_is_valid_and_visits_every_corridor() -> None:
    real = load_dataset()
    tour = load_tour(TOUR_FILE, real)
    assert {s.selected for s in tour.steps} >= {r.id for r in real.corridors}
    for s in tour.steps:
        assert cited_facts(s, real), f"step {s.id} cites no fact"


def test_a_good_tour_loads(tmp_path: Path, policy_dataset: Dataset) -> None:
    path = tmp_path / "tour.json"
    second = step(id="t", corridors=["instc"], selected="instc")
    steps = [step(year=2020, facts=["fx-opening"]), second]
    path.write_text(json.dumps({"title": "T", "steps": steps}))
    tour = load_tour(path, policy_dataset)
    assert tour.steps[0].year == 2020
    assert tour.steps[0].bounds == (4.0, 4.0, 26.0, 11.0)


def test_schema_errors_name_the_step_by_number_and_id() -> None:
    data = {
        "title": "T",
        "steps": [step(), step(id="second", year=40, bounds=[30, 0, 10, 5], colour="red")],
    }
    tour, problems = parse_tour(data)
    assert tour is None
    assert len(problems) == 3
    assert all(p.startswith("tour.json: step 2 (second): ") for p in problems)
    joined = "\n".join(problems)
    assert "year" in joined
    assert "bounds: Value error, bounds must be [west, south, east, north]" in joined
    assert "colour: Extra inputs are not permitted" in joined


def test_reference_errors_are_all_reported(policy_dataset: Dataset) -> None:
    tour = Tour.model_validate(
        {
            "title": "T",
            "steps": [
                step(
                    corridors=["middle-corridor", "northern-corridor"],
                    selected="instc",
                    facts=["nope"],
                    closed_chokepoints=["panama"],
                    closed_states=["russia"],
                ),
                step(),
                step(id="far", bounds=[100.0, 40.0, 120.0, 50.0]),
            ],
        }
    )
    problems = check_tour(tour, policy_dataset)
    expected = [
        "step 1 (s): unknown corridor 'northern-corridor'",  # a baseline cannot be switched on
        "step 1 (s): selected 'instc' is not among its corridors",
        "step 1 (s): unknown fact id 'nope'",
        "step 1 (s): unknown chokepoint 'panama'",
        "step 1 (s): closed_states needs ISO alpha-3 codes, got 'russia'",
        "step 2 (s): duplicate step id",
        "step 3 (far): bounds [100.0, 40.0, 120.0, 50.0] miss the selected corridor",
    ]
    for text in expected:
        assert any(text in p for p in problems), text


def test_every_corridor_must_be_visited(policy_dataset: Dataset) -> None:
    tour = Tour.model_validate({"title": "T", "steps": [step()]})
    assert check_tour(tour, policy_dataset) == ["tour.json: no step selects the corridor 'instc'"]


def test_unreadable_files_raise_the_data_error(tmp_path: Path, policy_dataset: Dataset) -> None:
    path = tmp_path / "tour.json"
    path.write_text("{not json")
    with pytest.raises(CorridorDataError, match=r"tour\.json: cannot be read as JSON"):
        load_tour(path, policy_dataset)
    path.write_text(json.dumps({"title": "T", "steps": []}))
    with pytest.raises(CorridorDataError, match="steps"):
        load_tour(path)


@given(st.none() | st.integers(-5, 20), st.integers(-3, 3), st.integers(1, 15))
def test_next_and_back_stay_within_the_tour(index: int | None, delta: int, count: int) -> None:
    moved = clamp_step(index, delta, count)
    assert 0 <= moved < count
    if index is None:
        assert moved == 0


def test_clamp_needs_a_step() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        clamp_step(0, 1, 0)


def test_a_step_sets_the_whole_view_but_keeps_presentation_mode(policy_dataset: Dataset) -> None:
    tour = Tour.model_validate(
        {
            "title": "T",
            "steps": [
                step(),
                step(id="b", year=2016, closed_states=["BBB"], baselines=False)
                | {"facts": ["fx-opening"]},
            ],
        }
    )
    current = ViewState(presentation=True, year=1999, closed_chokepoints=("strait-x",))
    assert step_view(tour, 1, current) == ViewState(
        corridors=("middle-corridor",),
        baselines=False,
        selected="middle-corridor",
        year=2016,
        closed_states=("BBB",),
        closed_chokepoints=(),
        tour_step=1,
        presentation=True,
    )
    # No guess at the view: the browser fits the step's box on the map's real size, once.
    moved = replace(current, center=(40.0, 50.0), zoom=5, bounds=(45.0, 35.0, 55.0, 45.0))
    shown = step_view(tour, 1, moved)
    assert (shown.center, shown.zoom, shown.bounds) == (None, None, None)
    ((fact, source),) = cited_facts(tour.steps[1], policy_dataset)
    assert (fact.id, source.id) == ("fx-opening", "fx-source")
