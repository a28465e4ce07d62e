"""The corridor network: how long building it takes, and how long a closure's recompute takes.

A what-if closure must feel instant: every OD pair rerouted well under 100 ms. Each closure is
timed on a fresh results cache, so the figure is the recompute, not a cache hit.
"""

from __future__ import annotations

import time

from corridors.data import Dataset
from corridors.geometry import StateIndex
from corridors.netdata import load_network_data
from corridors.network import Network, Scenario, build_network, whatif

#: Closures a viewer tries first: single states, a pair, a chokepoint, planned lines, a leg.
CLOSURES = (
    Scenario(legs=frozenset({"btk-06"})),
    Scenario(states=frozenset({"RUS"})),
    Scenario(states=frozenset({"IRN"})),
    Scenario(states=frozenset({"RUS", "IRN"})),
    Scenario(planned=True, states=frozenset({"ARM"})),
    Scenario(chokepoints=frozenset({"suez", "aktau-baku-ferry"})),
)


def build_times(dataset: Dataset, index: StateIndex, runs: int) -> tuple[Network, list[float]]:
    """Return the network and the seconds of each of ``runs`` builds."""
    data = load_network_data(dataset)
    times = []
    network = build_network(dataset, data, index)
    for _ in range(runs):
        start = time.perf_counter()
        network = build_network(dataset, data, index)
        times.append(time.perf_counter() - start)
    return network, times


def closure_times(network: Network, runs: int) -> list[float]:
    """Return the seconds of each closure's recompute of every pair, ``runs`` times over."""
    times = []
    for _ in range(runs):
        for scenario in CLOSURES:
            start = time.perf_counter()
            whatif(network, scenario, cached=False)
            times.append(time.perf_counter() - start)
    return times
