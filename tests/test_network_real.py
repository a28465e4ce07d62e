"""The corridor network on the bundled data: the detours the issue names, and where gauges meet."""

from __future__ import annotations

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString

from corridors.data import Dataset, load_dataset
from corridors.geometry import StateIndex
from corridors.netdata import load_network_data
from corridors.network import (
    TRANSFER_KM,
    Network,
    PairResult,
    Scenario,
    build_network,
    corridor_trip,
    whatif,
)
from corridors.network_tables import corridor_rows, corridor_summary, detour_table, waits_table
from corridors.provenance import NO_SOURCE, source_urls

#: The first densified point inside the next state lies within a few km of the border.
ON_BORDER_KM = 10.0


@pytest.fixture(scope="module")
def real_dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def real_index(world_states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(world_states)


@pytest.fixture(scope="module")
def network(real_dataset: Dataset, real_index: StateIndex) -> Network:
    return build_network(real_dataset, load_network_data(real_dataset), real_index)


def _pair(network: Network, scenario: Scenario, pair_id: str) -> PairResult:
    return next(r for r in whatif(network, scenario) if r.id == pair_id)


def test_every_pair_has_a_route_on_the_open_network(network: Network) -> None:
    results = whatif(network, Scenario())
    assert {r.id for r in results} >= {
        "china-europe",
        "india-russia",
        "russia-gulf",
        "baku-nakhchivan",
        "baku-kars",
    }
    assert all(r.open is not None and r.closed is r.open for r in results)


def test_btk_and_the_middle_corridor_share_the_line_through_georgia(network: Network) -> None:
    assert network.leg_edges["btk-04"] == network.leg_edges["middle-corridor-13"]


def test_closing_russia_leaves_china_europe_on_the_middle_corridor(network: Network) -> None:
    result = _pair(network, Scenario(states=frozenset({"RUS"})), "china-europe")
    assert "RUS" in result.open.states
    assert result.closed is not None
    assert "RUS" not in result.closed.states
    assert result.closed.state_km.get("RUS", 0.0) < 1.0
    assert "middle-corridor-09" in result.closed.legs  # the Caspian ferry
    assert {"KAZ", "AZE", "GEO", "TUR"} <= set(result.closed.states)


def test_closing_iran_sends_india_russia_by_suez_at_a_greater_length(network: Network) -> None:
    result = _pair(network, Scenario(states=frozenset({"IRN"})), "india-russia")
    assert "IRN" in result.open.states
    assert "IRN" not in result.closed.states
    assert "suez" in result.closed.chokepoints
    assert result.closed.km > result.open.km
    assert result.closed.days[0] > result.open.days[0]


def test_closing_armenia_sends_baku_nakhchivan_through_iran(network: Network) -> None:
    """With the planned lines built, TRIPP through Armenia is the way; closed, Iran is."""
    result = _pair(network, Scenario(planned=True, states=frozenset({"ARM"})), "baku-nakhchivan")
    assert "ARM" in result.open.states
    assert "ARM" not in result.closed.states
    assert "IRN" in result.closed.states


def test_every_gauge_break_lies_where_the_gauges_meet(
    network: Network, real_dataset: Dataset, real_index: StateIndex
) -> None:
    """At the transfer station the sources name, near the border; else on the border itself.

    A break left on the border is one whose two states ``gauges.json`` lists with no station and
    a note saying why: none is left there in silence.
    """
    data = load_network_data(real_dataset)
    stations = {t.at: t for t in data.transfers if t.at is not None}
    unplaced = {frozenset(t.states) for t in data.transfers if t.at is None}
    breaks = [g for e in network.edges.values() for g in e.gauge_breaks]
    assert len(breaks) >= 5  # China-Kazakhstan twice, Brest, Astara, Akhalkalaki, Julfa, ...
    for g in breaks:
        assert data.gauges[g.from_iso3].mm == g.from_mm != g.to_mm == data.gauges[g.to_iso3].mm
        point = LineString([(g.lon, g.lat), (g.lon + 1e-6, g.lat)])
        assert g.iso3 in (g.from_iso3, g.to_iso3)
        assert real_index.locate(g.lon, g.lat) == g.iso3
        other = g.to_iso3 if g.iso3 == g.from_iso3 else g.from_iso3
        if g.at in stations:
            assert set(stations[g.at].states) == {g.from_iso3, g.to_iso3}
            assert stations[g.at].sources[0] in g.sources
            near = real_index.nearest_km([point], TRANSFER_KM, exclude=(g.iso3,))
        else:
            assert frozenset((g.from_iso3, g.to_iso3)) in unplaced, g.at
            near = real_index.nearest_km([point], ON_BORDER_KM, exclude=(g.iso3,))
        assert other in near, f"{g.at}: {other} is not near"


def test_gauge_breaks_sit_at_the_transfer_stations_the_sources_name(network: Network) -> None:
    places = {
        (g.at, g.from_iso3, g.to_iso3) for e in network.edges.values() for g in e.gauge_breaks
    }
    placed = {(at, *sorted((a, b))) for at, a, b in places}
    assert {
        ("Akhalkalaki", "GEO", "TUR"),
        ("Astara (Iran)", "AZE", "IRN"),
        ("Dostyk (Alashankou border station)", "CHN", "KAZ"),
        ("Altynkol (Khorgos border station)", "CHN", "KAZ"),
        ("Brest (gauge change to Malaszewicze, Poland)", "BLR", "POL"),
    } <= placed
    assert not any(at.startswith("Kartsakhi") for at, _, _ in placed)


def test_rail_edges_change_gauge_only_at_breaks(network: Network, real_dataset: Dataset) -> None:
    gauges = load_network_data(real_dataset).gauges
    for edge in network.edges.values():
        if edge.mode != "rail":
            continue
        changes = sum(
            gauges[a].mm != gauges[b].mm for a, b in zip(edge.states, edge.states[1:], strict=False)
        )
        assert changes == len(edge.gauge_breaks), edge.id


def test_the_middle_corridor_lists_its_crossings_and_gauge_breaks_in_order(
    network: Network, real_dataset: Dataset
) -> None:
    trip = corridor_trip(network, real_dataset.routes["middle-corridor"].legs)
    assert [(c.from_iso3, c.to_iso3) for c in trip.crossings] == [("AZE", "GEO"), ("GEO", "TUR")]
    assert [(g.from_mm, g.to_mm) for g in trip.gauge_breaks] == [(1520, 1435)]


CLOSABLE = ("RUS", "IRN", "AZE", "GEO", "ARM", "TUR", "KAZ", "TKM", "EGY", "BLR", "POL")


@settings(max_examples=40, deadline=None)
@given(
    states=st.sets(st.sampled_from(CLOSABLE), max_size=3),
    chokepoints=st.sets(st.sampled_from(("suez", "hormuz", "aktau-baku-ferry")), max_size=2),
    planned=st.booleans(),
)
def test_a_closure_never_shortens_a_trip_nor_crosses_what_is_closed(
    network: Network, states: set[str], chokepoints: set[str], planned: bool
) -> None:
    scenario = Scenario(
        planned=planned, states=frozenset(states), chokepoints=frozenset(chokepoints)
    )
    for result in whatif(network, scenario):
        if result.closed is None:
            assert result.why.startswith("No route")
            continue
        assert result.open is not None
        assert not set(result.closed.states) & states
        assert not set(result.closed.chokepoints) & chokepoints
        mid = sum(result.closed.days) / 2
        assert mid >= sum(result.open.days) / 2 - 1e-9


def test_every_corridors_border_and_gauge_waits_link_their_sources(
    network: Network, real_dataset: Dataset
) -> None:
    """The Analysis tab's waits table: each crossing's and break's hours reach their source."""
    for route in real_dataset.corridors:
        waits = waits_table(network, corridor_trip(network, route.legs), real_dataset)
        assert not waits.empty, route.id
        assert waits["Link"].str.startswith(("https://", "http://")).all(), route.id
        assert (waits["Standing"] != NO_SOURCE).all()


def test_every_corridors_cost_links_its_sources(network: Network, real_dataset: Dataset) -> None:
    """Compare's summary: a corridor's cost per container reaches its source, or is not shown."""
    trips = corridor_rows(network, real_dataset.routes, real_dataset.corridors)
    summary = corridor_summary(trips, real_dataset)
    costed = summary[summary["Cost per FEU"] != ""]
    assert not costed.empty
    assert costed["Link"].str.startswith(("https://", "http://")).all()


@pytest.mark.parametrize("closed", [frozenset(), frozenset({"IRN"}), frozenset({"RUS", "IRN"})])
def test_every_detours_days_link_their_sources(
    network: Network, real_dataset: Dataset, closed: frozenset[str]
) -> None:
    """What-if's detour table: each pair's days reach every source they rest on, graded."""
    results = whatif(network, Scenario(states=closed))
    table = detour_table(network, results, real_dataset)
    links = [c for c in table.columns if c == "Link" or c.startswith("Link ")]
    for result, (_, row) in zip(results, table.iterrows(), strict=True):
        urls = [row[c] for c in links if isinstance(row[c], str)]
        assert urls, result.id
        assert all(u.startswith(("https://", "http://")) for u in urls)
        # The speeds of every mode the trips take are among them.
        trips = [t for t in (result.open, result.closed) if t is not None]
        speeds = {f for t in trips for s in t.steps for f in s.edge.time_sources}
        assert set(source_urls(real_dataset, speeds)) <= set(urls)
        assert row["Standing"] != NO_SOURCE
