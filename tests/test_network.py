"""The corridor network on the policy fixture: six square states, three routes with known answers.

Alphaland (lon 0-10) and Epsilonia, Deltaland above them, run on 1,435 mm track here; Betaland,
Gammaland and Philand on 1,520 mm. Speeds and waits are round numbers so every edge's hours can
be worked out by hand: rail 100 km/h, road 50, sea 25; 10 h per rail border, 5 per road border,
3 h per gauge break, none between the two members of the fixture's customs union.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import folium
import pandas as pd
import pytest

import corridors.network as network_module
from corridors.data import CorridorDataError, Dataset
from corridors.geometry import StateIndex
from corridors.model import Leg
from corridors.netdata import (
    CorridorCost,
    CustomsUnion,
    Gauge,
    GaugeTransfer,
    NetworkData,
    OdPair,
    Range,
    Timings,
    load_network_data,
)
from corridors.network import (
    Network,
    Scenario,
    build_network,
    describe,
    open_graph,
    pair_record,
    summarise,
    track_legs,
    whatif,
)
from corridors.network_tables import corridor_summary, detour_table, waits_table
from corridors.provenance import source_urls
from corridors.webmap.network_layers import gauge_break_tooltip, network_layers

GAUGES = {"AAA": 1435, "EEE": 1435, "DDD": 1435, "BBB": 1520, "CCC": 1520, "FFF": 1520}


def _range(value: float) -> Range:
    return Range(low=value, high=value, sources=("fx-opening",))


def _data(
    *,
    gauges: dict[str, int] = GAUGES,
    unions: tuple[CustomsUnion, ...] = (),
    connectors: tuple[Leg, ...] = (),
) -> NetworkData:
    timings = Timings(
        speed_kmh={"rail": _range(100), "road": _range(50), "sea": _range(25), "ferry": _range(25)},
        border_hours={"rail": _range(10), "road": _range(5)},
        gauge_break_hours=_range(3),
        ferry_port_hours=_range(0),
        customs_unions=unions,
    )
    pair = OdPair.model_validate(
        {
            "id": "alpha-gamma",
            "name": "Alpha-Gamma",
            "from": {"name": "Alpha City", "lon": 5, "lat": 5},
            "to": {"name": "Gamma City", "lon": 25, "lat": 5},
            "modes": ["rail", "road", "sea"],
            "sources": ["fx-opening"],
        }
    )
    return NetworkData(
        connectors,
        {iso: Gauge(iso3=iso, mm=mm, sources=("fx-opening",)) for iso, mm in gauges.items()},
        timings,
        (pair,),
    )


@pytest.fixture(scope="module")
def network(policy_dataset: Dataset, policy_index: StateIndex) -> Network:
    return build_network(policy_dataset, _data(), policy_index)


def _edge_of(network: Network, leg_id: str):
    (step,) = network.leg_edges[leg_id]
    return step.edge


def _result(network: Network, scenario: Scenario):
    (result,) = whatif(network, scenario)
    return result


def test_routes_meeting_at_a_place_share_its_node(network: Network) -> None:
    """Alpha City is one node for all three routes, Gamma City another."""
    starts = {_edge_of(network, leg).u for leg in ("nl-1", "sl-1", "sk-1")}
    ends = {_edge_of(network, leg).v for leg in ("nl-3", "sl-2", "sk-3")}
    assert len(starts) == 1
    assert len(ends) == 1
    assert network.nodes[starts.pop()].name == "Alpha City"


def test_edge_hours_are_speed_plus_border_plus_gauge_break(network: Network) -> None:
    edge = _edge_of(network, "sl-1")  # Alphaland into Betaland: one border, one gauge break
    assert edge.states == ("AAA", "BBB")
    assert [(c.from_iso3, c.to_iso3) for c in edge.crossings] == [("AAA", "BBB")]
    assert [(g.from_mm, g.to_mm) for g in edge.gauge_breaks] == [(1435, 1520)]
    assert edge.hours[0] == pytest.approx(edge.km / 100 + 10 + 3)
    assert edge.hours == pytest.approx((edge.hours[0], edge.hours[0]))


def test_a_gauge_break_adds_exactly_its_hours(
    policy_dataset: Dataset, policy_index: StateIndex, network: Network
) -> None:
    same_gauge = build_network(
        policy_dataset, _data(gauges=dict.fromkeys(GAUGES, 1435)), policy_index
    )
    with_break, without = _edge_of(network, "sl-1"), _edge_of(same_gauge, "sl-1")
    assert without.gauge_breaks == ()
    assert with_break.hours[0] - without.hours[0] == pytest.approx(3)


def test_border_and_gauge_break_lie_on_the_border(network: Network) -> None:
    edge = _edge_of(network, "sl-1")
    (crossing,), (gauge_break,) = edge.crossings, edge.gauge_breaks
    assert crossing.lon == pytest.approx(10, abs=0.1)
    assert (gauge_break.lon, gauge_break.lat) == (crossing.lon, crossing.lat)


#: A station in Betaland 33 km from its border with Alphaland, at the end of a connector.
BORDERTON = Leg("to-borderton", "Alpha - Borderton", "rail", "operational", ((5, 5), (10.3, 8.5)))


def _transfer(at: str, *states: str) -> GaugeTransfer:
    return GaugeTransfer(
        states=states or ("BBB", "AAA"), at=at, note="gauges change here", sources=("fx-opening",)
    )


def test_a_gauge_break_moves_to_its_transfer_station(
    policy_dataset: Dataset, policy_index: StateIndex, network: Network
) -> None:
    data = replace(
        _data(connectors=(BORDERTON,)), transfers=(_transfer("Borderton"), _transfer("Gamma City"))
    )
    moved = build_network(policy_dataset, data, policy_index)
    station = next(n for n in moved.nodes.values() if n.name == "Borderton")
    edge, usual = _edge_of(moved, "sl-1"), _edge_of(network, "sl-1")
    (crossing,), (gauge_break,) = edge.crossings, edge.gauge_breaks
    assert (gauge_break.at, gauge_break.lon, gauge_break.lat) == ("Borderton", 10.3, 8.5)
    assert (gauge_break.iso3, station.iso3) == ("BBB", "BBB")
    assert gauge_break.hours == usual.gauge_breaks[0].hours  # the same wait, at its real place
    assert edge.hours == pytest.approx(usual.hours)
    assert (crossing.lon, crossing.lat) == (usual.crossings[0].lon, usual.crossings[0].lat)
    # In Betaland, it comes after the border going east and before it going west.
    (step,) = moved.leg_edges["sl-1"]
    assert step.waits == (crossing, gauge_break)
    back = replace(step, forward=not step.forward)
    assert [type(w).__name__ for w in back.waits] == ["GaugeBreak", "Crossing"]
    # Gamma City lies far from that border: it takes no break, and no other border has one.
    assert all(g.at != "Gamma City" for e in moved.edges.values() for g in e.gauge_breaks)


def test_a_transfer_station_must_be_a_place_on_the_network(
    policy_dataset: Dataset, policy_index: StateIndex
) -> None:
    data = replace(_data(), transfers=(_transfer("Atlantis"),))
    with pytest.raises(CorridorDataError, match="transfer station 'Atlantis' is no place"):
        build_network(policy_dataset, data, policy_index)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"states": ("AAA", "BBB"), "at": "Borderton", "note": "n"}, "needs sources"),
        ({"states": ("AAA", "bb"), "note": "n"}, "ISO alpha-3"),
        ({"states": ("AAA", "BBB"), "at": "Borderton"}, "note"),
    ],
)
def test_a_transfer_without_sources_codes_or_note_is_refused(fields: dict, error: str) -> None:
    with pytest.raises(ValueError, match=error):
        GaugeTransfer.model_validate(fields)


def test_a_customs_union_border_takes_no_hours(
    policy_dataset: Dataset, policy_index: StateIndex
) -> None:
    union = CustomsUnion(
        id="fx", name="Fixture union", members=("AAA", "BBB"), sources=("fx-opening",)
    )
    network = build_network(policy_dataset, _data(unions=(union,)), policy_index)
    (crossing,) = _edge_of(network, "sl-1").crossings
    assert crossing.customs_union == "fx"
    assert crossing.hours == (0.0, 0.0)


def test_a_closed_state_removes_every_edge_crossing_it(network: Network) -> None:
    scenario = Scenario(year=2030, states=frozenset({"BBB"}))
    graph = open_graph(network, scenario)
    kept = {graph[u][v]["edge"] for u, v in graph.edges}
    crossing_b = {e.id for e in network.edges.values() if "BBB" in e.states}
    assert crossing_b  # the South Line runs through Betaland
    assert not kept & crossing_b


def test_a_planned_leg_is_absent_before_its_year(network: Network) -> None:
    edge = _edge_of(network, "sl-2")  # under construction, due 2028
    before = open_graph(network, Scenario(year=2027))
    after = open_graph(network, Scenario(year=2028))
    assert not before.has_edge(edge.u, edge.v)
    assert after.has_edge(edge.u, edge.v)
    assert open_graph(network, Scenario(year=2027, planned=True)).has_edge(edge.u, edge.v)


def test_best_route_follows_the_years(network: Network) -> None:
    """2020: North Line (South unfinished); 2025: nothing (North cut 2022); 2030: South Line."""
    assert _result(network, Scenario(year=2020)).open.legs == ("nl-1", "nl-2", "nl-3")
    in_2025 = _result(network, Scenario(year=2025))
    assert in_2025.open is None
    assert in_2025.closed is None
    assert in_2025.why.startswith("No route even with nothing closed")
    assert _result(network, Scenario(year=2030)).open.legs == ("sl-1", "sl-2")


def test_closing_a_state_reroutes_and_reports_the_change(network: Network) -> None:
    scenario = Scenario(year=2036, states=frozenset({"BBB"}))
    result = _result(network, scenario)
    assert result.open.legs == ("sl-1", "sl-2")
    assert result.closed.legs == ("sk-1", "sk-2", "sk-3")
    assert result.rerouted
    assert "BBB" not in result.closed.states
    assert result.closed.km > result.open.km
    record = pair_record(network, result)
    assert abs(record["delta"]["km"] - (result.closed.km - result.open.km)) <= 1
    assert "instead of" in describe(network, result)
    assert summarise(network, scenario, (result,)).startswith("With Betaland closed: Alpha-Gamma")


def test_no_route_names_the_closure_that_cuts_it(network: Network) -> None:
    result = _result(network, Scenario(year=2030, states=frozenset({"BBB"})))
    assert result.closed is None
    assert (
        result.why == "No route: closing Betaland cuts every way between Alpha City and Gamma City."
    )


def test_no_route_says_when_an_end_lies_in_a_closed_state(network: Network) -> None:
    result = _result(network, Scenario(year=2030, states=frozenset({"CCC"})))
    assert result.why == "No route: Gamma City is in Gammaland, which is closed."


def test_closing_a_chokepoint_or_a_leg(network: Network) -> None:
    by_sea = Scenario(year=2036, states=frozenset({"BBB"}), chokepoints=frozenset({"strait-x"}))
    assert _result(network, by_sea).closed is None
    leg_closed = _result(network, Scenario(year=2036, legs=frozenset({"sl-2"})))
    assert leg_closed.closed.legs == ("sk-1", "sk-2", "sk-3")


def test_unknown_closures_are_named(network: Network) -> None:
    with pytest.raises(ValueError, match=r"unknown state 'XXX', chokepoint 'nowhere'"):
        whatif(network, Scenario(states=frozenset({"XXX"}), chokepoints=frozenset({"nowhere"})))


def test_shared_track_is_one_edge_and_closing_either_leg_closes_it(
    policy_dataset: Dataset, policy_index: StateIndex
) -> None:
    twin = Leg("twin-1", "Alpha - Beta again", "rail", "operational", ((5, 5), (12, 9.85), (15, 5)))
    network = build_network(policy_dataset, _data(connectors=(twin,)), policy_index)
    edge = _edge_of(network, "twin-1")
    assert edge is _edge_of(network, "sl-1")
    assert set(edge.leg_ids) == {"sl-1", "twin-1"}
    graph = open_graph(network, Scenario(year=2030, legs=frozenset({"twin-1"})))
    assert not graph.has_edge(edge.u, edge.v)
    assert track_legs(network, ["twin-1", "sl-2", "nowhere"]) == {
        "twin-1": frozenset({"sl-1"}),
        "sl-2": frozenset(),
        "nowhere": frozenset(),
    }


def test_a_closed_leg_is_named_in_the_summary(network: Network) -> None:
    scenario = Scenario(year=2036, legs=frozenset({"sl-2"}))
    assert network.leg_name("sl-2") == "Beta - Gamma"
    assert network.leg_name("nowhere") == "nowhere"
    text = summarise(network, scenario, whatif(network, scenario))
    assert text.startswith("With the Beta - Gamma line closed: Alpha-Gamma goes")
    cut = Scenario(year=2036, legs=frozenset({"sl-2", "sk-2"}))
    (result,) = whatif(network, cut)
    assert result.closed is None
    assert "closing the Across the sea line and the Beta - Gamma line each cut" in result.why


def test_a_rail_state_without_gauge_is_a_data_error(
    policy_dataset: Dataset, policy_index: StateIndex
) -> None:
    gauges = {k: v for k, v in GAUGES.items() if k != "BBB"}
    with pytest.raises(CorridorDataError, match="no gauge for BBB"):
        build_network(policy_dataset, _data(gauges=gauges), policy_index)


def test_an_od_end_off_the_network_is_a_data_error(
    policy_dataset: Dataset, policy_index: StateIndex
) -> None:
    data = _data()
    far = data.pairs[0].model_copy(
        update={
            "destination": data.pairs[0].origin.model_copy(
                update={"name": "Nowhere", "lon": 15.0, "lat": 18.0}
            )
        }
    )
    with pytest.raises(CorridorDataError, match=r"Nowhere is .* km from the network"):
        build_network(policy_dataset, replace(data, pairs=(far,)), policy_index)


def _write_network_files(folder: Path, **overrides: object) -> tuple[Path, Path]:
    files = {
        "connectors.geojson": {"type": "FeatureCollection", "features": []},
        "gauges.json": {"gauges": [{"iso3": "AAA", "mm": 1435, "sources": ["fx-opening"]}]},
        "timings.json": json.loads(_data().timings.model_dump_json()),
    }
    files.update(overrides)
    for name, content in files.items():
        (folder / name).write_text(
            content if isinstance(content, str) else json.dumps(content), encoding="utf-8"
        )
    od = folder / "od-pairs.json"
    od.write_text(
        json.dumps({"pairs": [_data().pairs[0].model_dump(by_alias=True)]}), encoding="utf-8"
    )
    return folder, od


def test_load_network_data_reads_valid_files(tmp_path: Path, policy_dataset: Dataset) -> None:
    data = load_network_data(policy_dataset, *_write_network_files(tmp_path))
    assert data.pairs[0].id == "alpha-gamma"
    assert data.gauges["AAA"].mm == 1435


def test_costs_are_optional_and_checked(tmp_path: Path, policy_dataset: Dataset) -> None:
    folder, od = _write_network_files(tmp_path)
    assert load_network_data(policy_dataset, folder, od).costs == ()
    cost = {
        "route": "atlantis",
        "between": "Alpha and Gamma",
        "usd_per_feu": {"low": 3, "high": 2, "sources": ["no-such-fact"]},
    }
    (folder / "costs.json").write_text(json.dumps({"costs": [cost]}), encoding="utf-8")
    with pytest.raises(CorridorDataError, match=r"low 3\.0 is above high 2\.0"):
        load_network_data(policy_dataset, folder, od)
    cost["usd_per_feu"] = {"low": 2, "high": 3, "sources": ["no-such-fact"]}
    (folder / "costs.json").write_text(json.dumps({"costs": [cost]}), encoding="utf-8")
    with pytest.raises(CorridorDataError) as caught:
        load_network_data(policy_dataset, folder, od)
    assert "'atlantis' is no route" in str(caught.value)
    assert "costs.json: atlantis: unknown source id 'no-such-fact'" in str(caught.value)


def test_a_corridor_shows_its_cost_beside_its_baselines(
    network: Network, policy_dataset: Dataset
) -> None:
    cost = CorridorCost(
        route="middle-corridor",
        between="Alpha and Gamma",
        usd_per_feu=Range(low=2500, high=3250, sources=("fx-opening",)),
    )
    base = CorridorCost(
        route="northern-corridor",
        between="Alpha and Gamma",
        usd_per_feu=Range(low=2599, high=3121, sources=("fx-opening",)),
    )
    trip = network_module.corridor_trip(network, [])
    rows = corridor_summary(
        [
            ("South Line", trip, cost, ("North Line (old)", base)),
            ("Sea Link", trip, None, ("North Line (old)", base)),
        ],
        policy_dataset,
    ).to_dict("records")
    assert [r["Cost per FEU"] for r in rows] == [
        "US$2,500-3,250 (Alpha and Gamma); North Line: US$2,599-3,121",
        "",  # no source: no cost, whatever the baseline's
    ]
    # A cost links its sources; a row without a cost has none to link.
    assert rows[0]["Link"].startswith("https://")
    assert pd.isna(rows[1]["Link"])
    record = network_module.cost_record(cost)
    assert record == {
        "between": "Alpha and Gamma",
        "usd_per_feu": [2500, 3250],
        "sources": ["fx-opening"],
    }
    assert network_module.cost_record(None) is None


#: A connector that reuses a route's leg id and cites a source that does not exist.
CLASHING_LEG = {
    "type": "Feature",
    "id": "sl-1",
    "properties": {
        "feature": "leg",
        "name": "x",
        "mode": "rail",
        "status": "operational",
        "as_of": "2025",
        "sources": ["no-such-fact"],
    },
    "geometry": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]},
}


def test_load_network_data_lists_every_problem(tmp_path: Path, policy_dataset: Dataset) -> None:
    folder, od = _write_network_files(
        tmp_path,
        **{
            "connectors.geojson": {"type": "FeatureCollection", "features": [CLASHING_LEG, 7]},
            "gauges.json": "{not json",
        },
    )
    with pytest.raises(CorridorDataError) as caught:
        load_network_data(policy_dataset, folder, od)
    text = str(caught.value)
    assert "feature 1 is not an object" in text
    assert "gauges.json: cannot be read as JSON" in text


def test_load_network_data_checks_references(tmp_path: Path, policy_dataset: Dataset) -> None:
    connectors = {"type": "FeatureCollection", "features": [CLASHING_LEG]}
    folder, od = _write_network_files(tmp_path, **{"connectors.geojson": connectors})
    with pytest.raises(CorridorDataError) as caught:
        load_network_data(policy_dataset, folder, od)
    text = str(caught.value)
    assert "id 'sl-1' is already a route's leg" in text
    assert "unknown source id 'no-such-fact'" in text


def test_detour_and_waits_tables(network: Network, policy_dataset: Dataset) -> None:
    results = whatif(network, Scenario(year=2036, states=frozenset({"BBB"})))
    (row,) = detour_table(network, results, policy_dataset).to_dict("records")
    assert row["Pair"] == "Alpha-Gamma"
    # The days of both trips link their sources (speeds, crossings, gauge breaks), once each.
    trips = [results[0].open, results[0].closed]
    assert trips[0] is not None
    assert trips[1] is not None
    links = [row[c] for c in row if c == "Link" or c.startswith("Link ")]
    assert links
    assert all(u.startswith("https://") for u in links)
    assert len(links) == len(set(links))
    expected = source_urls(policy_dataset, [f for t in trips for f in t.sources])
    assert links == expected
    for trip in trips:
        assert all(f in trip.sources for s in trip.steps for f in s.edge.time_sources)
        assert all(f in trip.sources for w in trip.waits for f in w.sources)
        assert all(s.edge.time_sources for s in trip.steps)  # every edge's speed is cited
    assert row["Standing"] in {
        "verified",
        "claim",
        "disputed",
        "verified, claim",
        "claim, verified",
    }
    assert row["Now km"] > row["Usual km"]
    assert row["States now"] == "Alphaland, Gammaland"
    assert row["Why"] == ""
    assert row["Change days"].startswith("+")
    trip = results[0].open
    waits = waits_table(network, trip, policy_dataset)
    assert list(waits["Kind"]) == ["border (rail)", "gauge break", "border (rail)"]
    assert list(waits["Adds"]) == ["about 10 h", "about 3 h", "about 10 h"]
    # Each wait's hours link their source, with its grade.
    assert waits["Link"].str.startswith("https://").all()
    assert set(waits["Standing"]) <= {"verified", "claim", "disputed", "verified, claim"}
    (summary,) = corridor_summary([("South Line", trip, None, None)], policy_dataset).to_dict(
        "records"
    )
    assert (summary["Border crossings"], summary["Gauge breaks"]) == (2, 1)
    assert summary["Days at borders and breaks"] == "1.0"  # 23 hours


def test_map_layers_draw_the_detour_and_escape_tooltips(network: Network) -> None:
    results = whatif(network, Scenario(year=2036, states=frozenset({"BBB"})))
    groups, legend = network_layers(network, results, [results[0].open])
    assert [r.label for r in legend] == [
        "Detour of a trip under the closures",
        "Its usual route",
        "Gauge break (change of track width)",
    ]
    m = folium.Map()
    for group in groups:
        group.add_to(m)
    html = m.get_root().render()
    assert "detour pair-alpha-gamma" in html
    assert "usual-route pair-alpha-gamma" in html
    assert html.count("gauge-break") == 1
    item = results[0].open.gauge_breaks[0]
    hostile = replace(item, at="<script>x</script>")
    assert "<script>" not in gauge_break_tooltip(network, hostile)
    assert network_layers(network, whatif(network, Scenario(year=2036)), []) == ([], [])


def test_the_results_cache_keeps_the_latest_scenarios(
    policy_dataset: Dataset, policy_index: StateIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(network_module, "RESULTS_CACHE_SIZE", 2)
    network = build_network(policy_dataset, _data(), policy_index)
    first = whatif(network, Scenario(year=2020))
    whatif(network, Scenario(year=2030))
    assert whatif(network, Scenario(year=2020)) is first  # cached
    whatif(network, Scenario(year=2036))  # drops 2020, the oldest
    assert whatif(network, Scenario(year=2020)) is not first
    assert whatif(network, Scenario(year=2020)) == first
