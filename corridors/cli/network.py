"""``python -m corridors network [--json]`` and ``python -m corridors whatif --close ISO3 ...``.

``whatif --preset ID`` closes what a disruption preset (``data/disruptions.toml``) closes: its
disruptions' states, chokepoints and legs.

``network`` lists, per corridor, its border crossings and gauge breaks in travel order with the
hours each adds, and the best route of every origin-destination pair; ``whatif`` closes states,
chokepoints or legs and prints every pair's detour beside its usual route.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corridors.cli.common import CliError
from corridors.data import DATA_DIR, SEEDS_DIR, Dataset, load_dataset, load_states
from corridors.disruptions import preset_closures
from corridors.figures import format_days, format_hours, format_km
from corridors.geometry import StateIndex
from corridors.netdata import load_network_data
from corridors.network import (
    Network,
    Scenario,
    Trip,
    build_network,
    corridor_trip,
    cost_record,
    pair_record,
    summarise,
    trip_record,
    whatif,
)


def _load(args: argparse.Namespace) -> tuple[Dataset, Network, list[tuple[str, str, Trip]]]:
    """Build the network and each corridor's trip along it: (id, name, trip)."""
    dataset = load_dataset(args.data_dir, args.seeds_dir)
    data = load_network_data(dataset, args.data_dir / "network", args.data_dir / "od-pairs.json")
    network = build_network(dataset, data, StateIndex(load_states()))
    corridors = [(r.id, r.name, corridor_trip(network, r.legs)) for r in dataset.corridors]
    return dataset, network, corridors


def _preset(dataset: Dataset, preset_id: str | None) -> tuple[set[str], set[str], set[str]]:
    """Return the states, chokepoints and legs a disruption preset closes (none without one)."""
    if preset_id is None:
        return set(), set(), set()
    presets = {p.id: p for p in dataset.presets}
    if preset_id not in presets:
        msg = f"unknown preset {preset_id!r} (known: {', '.join(sorted(presets)) or 'none'})"
        raise CliError(msg)
    preset = presets[preset_id]
    closes = preset_closures(dataset, preset)
    legs = {leg for d in dataset.disruptions if d.id in preset.disruptions for leg in d.legs}
    return set(closes.states), set(closes.chokepoints), legs


def _scenario(args: argparse.Namespace, network: Network, dataset: Dataset) -> Scenario:
    states, chokepoints, legs = _preset(dataset, args.preset)
    scenario = Scenario(
        year=args.year,
        planned=args.planned,
        states=frozenset(states | {s.upper() for s in args.close or ()}),
        chokepoints=frozenset(chokepoints | set(args.chokepoint or ())),
        legs=frozenset(legs | set(args.leg or ())),
    )
    try:
        whatif(network, scenario)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    return scenario


def _trip_line(network: Network, trip: Trip | None) -> str:
    if trip is None:
        return "no route"
    states = ", ".join(network.state_name(s) for s in trip.states)
    return f"{format_km(trip.km)}, {format_days(trip.days)}, through {states}"


def _waits(network: Network, trip: Trip) -> list[str]:
    lines = [
        f"    border {c.at}: {network.state_name(c.from_iso3)} to {network.state_name(c.to_iso3)}"
        f" by {c.mode}, {format_hours(c.hours)}"
        + (f" (customs union: {c.customs_union})" if c.customs_union else "")
        for c in trip.crossings
    ]
    lines += [
        f"    gauge break {g.at}: {g.from_mm:,} to {g.to_mm:,} mm, {format_hours(g.hours)}"
        for g in trip.gauge_breaks
    ]
    return lines


def cmd_network(args: argparse.Namespace) -> int:
    """Print each corridor's border crossings and gauge breaks, and each pair's best route."""
    dataset, network, corridors = _load(args)
    scenario = _scenario(args, network, dataset)
    results = whatif(network, scenario)
    if args.json:
        records: list[dict[str, object]] = [
            {
                "id": cid,
                "name": name,
                **(trip_record(trip) or {}),
                "cost": cost_record(network.costs.get(cid)),
                "baseline_cost": cost_record(network.costs.get(dataset.routes[cid].baseline or "")),
            }
            for cid, name, trip in corridors
        ]
        pairs: list[dict[str, object]] = [
            {
                "id": r.id,
                "name": r.name,
                "from": r.origin,
                "to": r.destination,
                "route": trip_record(r.open),
                "why": r.why,
            }
            for r in results
        ]
        payload = {
            "year": args.year,
            "planned": args.planned,
            "nodes": len(network.nodes),
            "edges": len(network.edges),
            "corridors": records,
            "pairs": pairs,
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    lines = []
    for _, name, trip in corridors:
        lines.append(f"{name}: {_trip_line(network, trip)}")
        lines += _waits(network, trip)
    lines.append("")
    for r in results:
        lines.append(f"{r.name} ({r.origin} to {r.destination}): {_trip_line(network, r.open)}")
        if r.open is None:
            lines.append(f"    {r.why}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def cmd_whatif(args: argparse.Namespace) -> int:
    """Close states, chokepoints or legs and print every pair's detour."""
    dataset, network, _ = _load(args)
    scenario = _scenario(args, network, dataset)
    results = whatif(network, scenario)
    summary = summarise(network, scenario, results)
    if args.json:
        payload = {
            "year": args.year,
            "planned": args.planned,
            "closed": {
                "states": sorted(scenario.states),
                "chokepoints": sorted(scenario.chokepoints),
                "legs": sorted(scenario.legs),
            },
            "summary": summary,
            "pairs": [pair_record(network, r) for r in results],
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    lines = [summary, ""]
    for r in results:
        lines.append(f"{r.name} ({r.origin} to {r.destination})")
        lines.append(f"  usual: {_trip_line(network, r.open)}")
        lines.append(f"  now:   {_trip_line(network, r.closed)}")
        if r.why:
            lines.append(f"  {r.why}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        year = 0
    if not 1850 <= year <= 2100:
        msg = f"must be a year from 1850 to 2100, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return year


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``network`` and ``whatif`` to the command line's subcommands."""
    network = sub.add_parser(
        "network", help="border crossings and gauge breaks per corridor; best route per pair"
    )
    network.set_defaults(func=cmd_network)
    what = sub.add_parser("whatif", help="close states, chokepoints or legs; reroute every pair")
    what.add_argument(
        "--close", action="append", metavar="ISO3", help="close a state (repeatable), e.g. IRN"
    )
    what.add_argument(
        "--chokepoint", action="append", metavar="ID", help="close a chokepoint (repeatable)"
    )
    what.add_argument("--leg", action="append", metavar="ID", help="close a leg (repeatable)")
    what.add_argument(
        "--preset",
        metavar="ID",
        help="close what a disruption preset of data/disruptions.toml closes, e.g. march-2026-iran",
    )
    what.set_defaults(func=cmd_whatif)
    for command in (network, what):
        command.add_argument("--json", action="store_true", help="print JSON instead of text")
        command.add_argument("--year", type=_year, help="the network as it stands in this year")
        command.add_argument(
            "--planned", action="store_true", help="count planned and unfinished lines as built"
        )
        command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
        command.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)
    network.set_defaults(close=None, chokepoint=None, leg=None, preset=None)
