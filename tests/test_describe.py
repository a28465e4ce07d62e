"""The screen-reader paragraph: the map's content in words, from the same analyses."""

from __future__ import annotations

from dataclasses import replace

import pytest
from shapely.geometry import LineString

from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_route, route_from_lines
from corridors.model import Analysis
from corridors.policy.closures import Exposure, apply_closures
from corridors.policy.describe import describe_route, describe_view, describe_year
from corridors.policy.timeline import analysis_in_year
from corridors.view import ViewState
from corridors.wording import join_names, short_name, with_article


@pytest.fixture(scope="module")
def names(policy_dataset: Dataset) -> dict[str, str]:
    return {cp.id: cp.name for cp in policy_dataset.chokepoints}


def test_a_route_in_words(policy_dataset: Dataset, policy_analyses: dict[str, Analysis]) -> None:
    text = describe_route(
        policy_dataset.routes["middle-corridor"],
        policy_analyses["middle-corridor"],
        baseline=policy_dataset.routes["northern-corridor"],
    )
    assert text == (
        "The South Line runs 2,680 km from Alpha City to Gamma City through Alphaland, Betaland "
        "and Gammaland, and avoids Epsilonia, Deltaland and Philand, which its baseline, the "
        "North Line, crosses. It passes close to Deltaland (17 km away) without entering."
    )


def test_detail_adds_modes_and_chokepoints(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], names: dict[str, str]
) -> None:
    route, analysis = policy_dataset.routes["instc"], policy_analyses["instc"]
    full = describe_route(route, analysis, chokepoint_names=names)
    assert "(1,106 km by rail, 1,106 km by road, 2,218 km by sea)" in full
    assert full.endswith("It passes the Strait of X.")
    short = describe_route(route, analysis, chokepoint_names=names, detail=False)
    assert short == (
        "The Sea Link runs 4,429 km from Alpha City to Gamma City through Alphaland and Gammaland."
    )


def test_the_view_puts_the_selected_route_first_and_in_full(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], names: dict[str, str]
) -> None:
    view = ViewState(corridors=("middle-corridor", "instc"), selected="instc")
    text = describe_view(view, policy_dataset, policy_analyses)
    assert text.startswith("The map shows 2 routes: Sea Link and South Line. The Sea Link runs")
    assert "It passes the Strait of X." in text
    assert "Deltaland (17 km away)" not in text  # the South Line gets one sentence only


def test_year_and_closures_are_described_when_set(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_exposure: Exposure
) -> None:
    closures = apply_closures(policy_exposure, states=["BBB"], year=2020)
    view = ViewState(corridors=("middle-corridor",), year=2020, closed_states=("BBB",))
    text = describe_view(view, policy_dataset, policy_analyses, closures=closures)
    assert "In 2020: the South Line runs on 1 of 2 legs." in text
    assert text.endswith(
        "In 2020, with Betaland closed, neither corridor runs; Sea Link is not cut but not yet "
        "open end to end. The baseline still runs. "
        "The map marks the cut legs: the South Line is cut at Betaland."
    )


def test_nothing_closed_adds_no_closure_sentence(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_exposure: Exposure
) -> None:
    text = describe_view(
        ViewState(corridors=("middle-corridor",)),
        policy_dataset,
        policy_analyses,
        closures=apply_closures(policy_exposure),
    )
    assert "closed" not in text


def test_year_sentence(policy_dataset: Dataset) -> None:
    routes = [policy_dataset.routes[i] for i in ("northern-corridor", "instc", "middle-corridor")]
    assert describe_year(routes, 1950) == (
        "In 1950: the North Line runs end to end; the Sea Link is not yet open; "
        "the South Line is not yet open."
    )


def test_an_empty_map_and_unknown_ids(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis]
) -> None:
    for shown in ((), ("nowhere",)):
        text = describe_view(ViewState(corridors=shown), policy_dataset, policy_analyses)
        assert text == "The map shows no routes.", shown


def test_a_name_with_its_own_determiner_gets_no_the(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis]
) -> None:
    route = policy_dataset.routes["middle-corridor"]
    mine = type(route)(**{**route.__dict__, "name": "Your route"})
    assert describe_route(mine, policy_analyses["middle-corridor"]).startswith(
        "Your route runs 2,680 km"
    )


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("Middle Corridor (Trans-Caspian International Transport Route)", "Middle Corridor"),
        ("Trump Route for International Peace and Prosperity (TRIPP)", "TRIPP"),
        ("Baku-Tbilisi-Kars railway", "Baku-Tbilisi-Kars railway"),
        ("Aras route through Iran (mainland Azerbaijan - Nakhchivan)", "Aras route through Iran"),
        ("(odd)", "(odd)"),
    ],
)
def test_short_names(name: str, short: str) -> None:
    assert short_name(name) == short


def test_wording_helpers() -> None:
    assert join_names([]) == ""
    assert join_names(["Russia"]) == "Russia"
    assert join_names(["Russia", "Iran", "Armenia"]) == "Russia, Iran and Armenia"
    assert with_article("Bosphorus") == "the Bosphorus"
    assert with_article("The Silk Road") == "The Silk Road"


def test_the_map_says_which_year_it_shows(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_index: StateIndex
) -> None:
    routes, today = policy_dataset.routes, policy_analyses
    in_2020 = {
        rid: analysis_in_year(routes[rid], a, 2020, policy_index, policy_dataset.chokepoints)
        for rid, a in today.items()
    }
    view = ViewState(corridors=("middle-corridor",), year=2020)
    text = describe_view(view, policy_dataset, in_2020)
    assert text.startswith("The map shows one route as in 2020: South Line. The South Line runs ")
    # Only as far as its open legs: not to Gamma City, not through Gammaland.
    assert "through Alphaland and Betaland, and avoids" in text
    assert "Gamma City" not in text
    assert "Gammaland" not in text
    today_view = replace(view, year=None)
    assert "as in" not in describe_view(today_view, policy_dataset, today)


def test_a_route_not_open_in_the_year_gets_only_the_year_sentence(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis]
) -> None:
    view = ViewState(corridors=("middle-corridor",), year=2005)
    text = describe_view(view, policy_dataset, policy_analyses)
    assert text == (
        "The map shows one route as in 2005: South Line. In 2005: the South Line is not yet open."
    )


def test_an_uploaded_route_is_your_route_in_every_year(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_index: StateIndex
) -> None:
    mine = route_from_lines(LineString([(5, 5), (25, 5)]), route_id="mine", name="Your route")
    view = ViewState(corridors=(), year=1990)
    mine_analysed = (mine, analyse_route(mine, policy_index))
    text = describe_view(view, policy_dataset, policy_analyses, user_routes=[mine_analysed])
    assert "planned" not in text
    assert text.endswith("In 1990: Your route has no dates: it is shown the same in every year.")
    assert describe_year([mine], 2030).startswith("In 2030: Your route has no dates")


def test_the_words_follow_the_view_the_map_draws(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis]
) -> None:
    """Every corridor by default, in the data's order; the view's selection goes first."""
    everything = describe_view(ViewState(), policy_dataset, policy_analyses)
    # The baseline is named as what a corridor avoids, never as a route drawn.
    assert everything.startswith("The map shows 2 routes: South Line and Sea Link.")
    selected = describe_view(ViewState(selected="instc"), policy_dataset, policy_analyses)
    assert selected.startswith("The map shows 2 routes: Sea Link and South Line.")
    hidden = ViewState(corridors=("middle-corridor",), selected="instc")
    assert "Sea Link" not in describe_view(hidden, policy_dataset, policy_analyses)


def test_closures_of_another_view_are_refused(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_exposure: Exposure
) -> None:
    view = ViewState(closed_states=("BBB",))
    with pytest.raises(ValueError, match="closures must be those of the view"):
        describe_view(view, policy_dataset, policy_analyses)
    other = apply_closures(policy_exposure, states=["AAA"])
    with pytest.raises(ValueError, match="got"):
        describe_view(view, policy_dataset, policy_analyses, closures=other)
