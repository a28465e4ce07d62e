"""The comparison table: one row per route, figures with their source and standing."""

from __future__ import annotations

import dataclasses
import io

import pandas as pd
import pytest
from shapely.geometry import LineString

from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_route, route_from_lines
from corridors.model import Analysis
from corridors.policy.compare import (
    compare_table,
    figure_table,
    linked_table,
    route_status,
    to_csv,
)
from corridors.ui.compare_panel import column_config, column_order
from corridors.ui.route_column import route_config


@pytest.fixture(scope="module")
def table(policy_dataset: Dataset, policy_analyses: dict[str, Analysis]) -> pd.DataFrame:
    return compare_table(policy_dataset, policy_analyses)


def test_one_row_per_route_corridors_before_baselines(table: pd.DataFrame) -> None:
    assert list(table.index) == ["middle-corridor", "instc", "northern-corridor"]
    assert list(table["role"]) == ["corridor", "corridor", "baseline"]


def test_lengths_total_and_by_mode_are_numbers_that_add_up(table: pd.DataFrame) -> None:
    modes = ["rail_km", "road_km", "sea_km", "ferry_km"]
    assert pd.api.types.is_float_dtype(table["length_km"])
    # Each figure is rounded to the km on its own, so four of them may add up to 2 km apart.
    assert table[modes].sum(axis=1).to_numpy() == pytest.approx(table["length_km"], abs=2)
    assert table.loc["instc", "sea_km"] == pytest.approx(2218, abs=5)


def test_states_crossed_bypassed_and_skirted(table: pd.DataFrame) -> None:
    row = table.loc["middle-corridor"]
    assert row["states_crossed_n"] == 3
    assert row["states_crossed"].startswith("Alphaland (673 km); Betaland (1,453 km)")
    assert row["states_bypassed"] == "Epsilonia; Deltaland; Philand"
    assert row["states_skirted"] == "Deltaland (17 km off)"
    assert table.loc["northern-corridor", "states_bypassed"] == ""


def test_chokepoints_by_name(table: pd.DataFrame) -> None:
    assert table.loc["instc", "chokepoints"] == "Strait of X"
    assert table.loc["instc", "chokepoints_avoided"] == "Delta ferry"


def test_status_is_the_least_advanced_leg_with_its_year(
    table: pd.DataFrame, policy_dataset: Dataset
) -> None:
    assert table.loc["middle-corridor", ["status", "year"]].tolist() == ["under construction", 2028]
    assert table.loc["instc", ["status", "year"]].tolist() == ["planned", 2035]
    assert route_status(policy_dataset.routes["northern-corridor"]) == ("closed", 2022)
    assert str(table["year"].dtype) == "Int64"


def test_headline_figures_carry_source_and_standing(table: pd.DataFrame) -> None:
    assert table.loc["instc", "headline_figures"] == (
        "Transit time: 20-25 days (disputed; Fixture report on corridors)"
    )
    south = table.loc["middle-corridor", "headline_figures"]
    assert "Length: 2,200 km (verified;" in south
    assert "Cost: 5 billion USD (claim;" in south


def test_figure_table_has_one_row_per_figure_with_link(policy_dataset: Dataset) -> None:
    figures = figure_table(policy_dataset, ["middle-corridor", "instc"])
    assert list(figures["fact_id"]) == ["fx-south-length", "fx-south-cost", "fx-sea-days"]
    assert set(figures["Standing"]) == {"verified", "claim", "disputed"}
    assert set(figures["Link"]) == {"https://example.org/report"}
    assert figures.loc[2, "As of"] == "2024-05"  # the fact has no date: the source's


def test_the_csv_gives_the_sources_of_each_routes_status_and_figures(table: pd.DataFrame) -> None:
    assert table.loc["instc", "headline_sources"] == "https://example.org/report"
    assert table["status_sources"].str.startswith("https://").all()
    # The app's table gives each address a link column of its own, after every figure.
    order = column_order(linked_table(table).columns)
    assert not {"status_sources", "headline_sources"} & set(order)
    assert order[-2:] == ["Status link", "Figure link"]
    assert linked_table(table).loc["instc", "Figure link"] == "https://example.org/report"


def test_a_figure_whose_source_cannot_be_followed_says_so(policy_dataset: Dataset) -> None:
    broken = {
        key: note.model_copy(update={"url": "javascript:alert(1)"})
        for key, note in policy_dataset.sources.items()
    }
    dataset = dataclasses.replace(policy_dataset, sources=broken)
    figures = figure_table(dataset, ["instc"])
    assert list(figures["Link"]) == [""]
    assert figures["Source"].iloc[0].endswith("(no source link)")


def test_an_uploaded_route_is_added_at_the_end(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_index: StateIndex
) -> None:
    line = LineString([(5, 5), (25, 5)])
    mine = route_from_lines(line, route_id="mine", baseline="northern-corridor")
    extra = {
        **policy_analyses,
        "mine": analyse_route(mine, policy_index, (), policy_analyses["northern-corridor"]),
    }
    table = compare_table(policy_dataset, extra, extra_routes=[mine])
    assert table.index[-1] == "mine"
    assert table.loc["mine", "baseline"] == "North Line"
    # An upload has no status history: it is "your route", never "proposed" or "planned".
    assert table.loc["mine", "status"] == "your route"
    assert pd.isna(table.loc["mine", "year"])
    with pytest.raises(ValueError, match="mine"):
        compare_table(policy_dataset, extra)


def test_csv_round_trips_and_keeps_accents(table: pd.DataFrame) -> None:
    accented = table.assign(route=table["route"] + " Türkiye")
    data = to_csv(accented)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", index_col="id")
    assert list(back.index) == list(table.index)
    assert back.loc["middle-corridor", "route"] == "South Line Türkiye"


def test_the_route_column_stays_in_view_and_leaves_room_for_the_figures() -> None:
    """Pinned, and no wider than Streamlit's "medium" (200 px), in Compare and in every table
    with a "Route" column (What-if, headline figures): on a 390 px phone the route's full name
    took the table's whole width, and the figures were all off screen."""
    wanted = (True, "medium")
    route = column_config()["route"]
    assert (route.get("pinned"), route.get("width")) == wanted
    (config,) = route_config(pd.DataFrame({"Route": ["TRIPP"], "km": [1.0]})).values()
    assert (config.get("pinned"), config.get("width")) == wanted
    assert route_config(pd.DataFrame({"Pair": ["Baku - Nakhchivan"]})) == {}
