"""The corridor network: one graph of every leg and connector, with gauges, borders and days.

The five corridors are drawn as separate polylines, but routes that share track share places:
BTK and the Middle Corridor are one line through Georgia. :func:`build_network` joins them:

- **Nodes** are places. Leg ends and waypoints within ``SNAP_KM`` of each other in the same
  state become one node, except that the two ends of one leg never merge (the Marmaray tunnel
  and the Astara border bridge are shorter than that). A leg is also cut at any of its interior
  vertices lying within ``ON_VERTEX_KM`` of a place, so a junction in the middle of a leg joins
  the routes that meet there.
- **Edges** are the pieces of legs between nodes, merged where several routes run on the same
  track. Each carries its mode, its legs (and so its status in any year), geodesic km, the states
  it runs through in order, the chokepoints it passes, and its border crossings and gauge
  breaks. A crossing lies where the line enters the next state; a gauge break at the transfer
  station where the gauge is really changed (``transfers`` in ``gauges.json``: Akhalkalaki, not
  the Georgian-Turkish border), or at the border where no source says which station it is.
- **Time** is a range per edge: km at the mode's speed range, plus each border crossing's hours
  (none between members of one customs union), each gauge break's hours, and a ferry's port
  hours, all from ``data/network/timings.json``. Sea legs add no port or customs time: we found
  no sourced figure, so the range leaves it out and says so in the notes.

The best route between two places is the one with the fewest days, counting each edge at the
**midpoint** of its range, then the fewest km. Building the network is the costly step (the
state overlays); a closure only filters edges and reruns Dijkstra on a graph of a few hundred
edges, well under the 100 ms a what-if panel can spend.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import networkx as nx
from shapely.geometry import LineString

from corridors.data import CorridorDataError, Dataset
from corridors.figures import format_days, format_km
from corridors.geometry import GEOD, MIN_TRANSIT_KM, StateIndex, chokepoints_passed
from corridors.model import LAND_MODES, Leg, Mode
from corridors.netdata import CorridorCost, GaugeTransfer, NetworkData, Range
from corridors.policy.closures import leg_phrases
from corridors.policy.timeline import status_in_year
from corridors.wording import join_names, with_article

#: Leg ends and waypoints this close, in one state, are one place (curated lines meet to ~1 km,
#: but some routes end a station's length apart, as in Moscow and Baku).
SNAP_KM = 8.0
#: An interior vertex this close to a place is that place: the leg is cut there.
ON_VERTEX_KM = 0.5
#: An origin or destination must lie this close to a node.
OD_SNAP_KM = 25.0
#: What-if results kept per network (one per scenario asked for; the oldest goes first).
RESULTS_CACHE_SIZE = 256
#: Breaks ties between routes of equal days in favour of fewer km, without outweighing an hour.
_KM_TIEBREAK = 1e-7

Hours = tuple[float, float]
#: An edge's identity before it is built: its two nodes, sorted, and its mode.
_Track = tuple[str, str, str]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return float(GEOD.inv(a[0], a[1], b[0], b[1])[2]) / 1000.0


def _add(a: Hours, b: Hours) -> Hours:
    return (a[0] + b[0], a[1] + b[1])


def _scaled(r: Range, count: int = 1) -> Hours:
    return (r.low * count, r.high * count)


@dataclass(frozen=True)
class Node:
    """A place on the network: a station, port, junction or border point."""

    id: str
    name: str
    lon: float
    lat: float
    iso3: str | None


@dataclass(frozen=True)
class Crossing:
    """A land border crossing on an edge: where, between which states, and its hours."""

    at: str
    lon: float
    lat: float
    from_iso3: str
    to_iso3: str
    mode: Mode
    hours: Hours
    sources: tuple[str, ...]
    customs_union: str | None = None

    def reversed(self) -> Crossing:
        """Return the same crossing travelled the other way."""
        return Crossing(
            self.at,
            self.lon,
            self.lat,
            self.to_iso3,
            self.from_iso3,
            self.mode,
            self.hours,
            self.sources,
            self.customs_union,
        )


@dataclass(frozen=True)
class GaugeBreak:
    """Where a railway changes track gauge: the place, the two states and gauges, the hours.

    ``iso3`` is the state the place lies in: a transfer station lies on either side of the
    border, so a trip meets it before or after the crossing.
    """

    at: str
    lon: float
    lat: float
    from_iso3: str
    to_iso3: str
    from_mm: int
    to_mm: int
    hours: Hours
    sources: tuple[str, ...]
    iso3: str

    def reversed(self) -> GaugeBreak:
        """Return the same break travelled the other way."""
        return GaugeBreak(
            self.at,
            self.lon,
            self.lat,
            self.to_iso3,
            self.from_iso3,
            self.to_mm,
            self.from_mm,
            self.hours,
            self.sources,
            self.iso3,
        )


@dataclass(frozen=True)
class Edge:
    """A piece of track, road or sea lane between two nodes, drawn from ``u`` to ``v``."""

    id: str
    u: str
    v: str
    mode: Mode
    legs: tuple[Leg, ...]
    coords: tuple[tuple[float, float], ...]
    km: float
    states: tuple[str, ...]
    state_km: Mapping[str, float]
    chokepoints: tuple[str, ...]
    crossings: tuple[Crossing, ...]
    gauge_breaks: tuple[GaugeBreak, ...]
    hours: Hours
    move_hours: Hours
    #: The facts its moving time rests on: the mode's speeds, and a ferry's port hours.
    time_sources: tuple[str, ...]

    @property
    def leg_ids(self) -> tuple[str, ...]:
        """Ids of the legs (of any route or connector) that run on this edge."""
        return tuple(leg.id for leg in self.legs)

    def is_open(self, year: int | None, *, planned: bool = False) -> bool:
        """Return whether any of its legs runs in ``year`` (planned ones too if ``planned``)."""
        wanted = {"operational", "planned", "under construction"} if planned else {"operational"}
        return any(status_in_year(leg, year) in wanted for leg in self.legs)


@dataclass(frozen=True)
class Scenario:
    """What is closed, and when: the question a what-if asks of the network."""

    year: int | None = None
    planned: bool = False
    states: frozenset[str] = frozenset()
    chokepoints: frozenset[str] = frozenset()
    legs: frozenset[str] = frozenset()

    @property
    def closes_anything(self) -> bool:
        """Whether any state, chokepoint or leg is closed."""
        return bool(self.states or self.chokepoints or self.legs)

    def opened(self) -> Scenario:
        """Return the same year and plans with nothing closed."""
        return Scenario(self.year, self.planned)


@dataclass(frozen=True)
class Step:
    """One edge of a trip, in the direction travelled."""

    edge: Edge
    forward: bool

    @property
    def coords(self) -> tuple[tuple[float, float], ...]:
        """The edge's line in travel order."""
        return self.edge.coords if self.forward else self.edge.coords[::-1]

    @property
    def crossings(self) -> tuple[Crossing, ...]:
        """Border crossings in travel order."""
        c = self.edge.crossings
        return c if self.forward else tuple(x.reversed() for x in reversed(c))

    @property
    def gauge_breaks(self) -> tuple[GaugeBreak, ...]:
        """Gauge breaks in travel order."""
        g = self.edge.gauge_breaks
        return g if self.forward else tuple(x.reversed() for x in reversed(g))

    @property
    def states(self) -> tuple[str, ...]:
        """States in travel order."""
        return self.edge.states if self.forward else self.edge.states[::-1]

    @property
    def waits(self) -> tuple[Crossing | GaugeBreak, ...]:
        """Border crossings and gauge breaks in travel order.

        A gauge break at a station in the state a trip leaves comes before that border's
        crossing; one in the state it enters, or on the border itself, after it.
        """
        breaks = list(self.gauge_breaks)
        found: list[Crossing | GaugeBreak] = []
        for crossing in self.crossings:
            pair = (crossing.from_iso3, crossing.to_iso3)
            here = [g for g in breaks if (g.from_iso3, g.to_iso3) == pair]
            breaks = [g for g in breaks if g not in here]
            found += [g for g in here if g.iso3 == crossing.from_iso3]
            found += [crossing, *(g for g in here if g.iso3 != crossing.from_iso3)]
        return (*found, *breaks)


@dataclass(frozen=True)
class Trip:
    """A route through the network: its steps, length, days and what it crosses."""

    nodes: tuple[str, ...]
    steps: tuple[Step, ...]

    @property
    def km(self) -> float:
        """Geodesic length."""
        return sum(s.edge.km for s in self.steps)

    @property
    def hours(self) -> Hours:
        """Time as a range, in hours."""
        total = (0.0, 0.0)
        for s in self.steps:
            total = _add(total, s.edge.hours)
        return total

    @property
    def days(self) -> Hours:
        """Time as a range, in days."""
        lo, hi = self.hours
        return (lo / 24.0, hi / 24.0)

    @property
    def states(self) -> tuple[str, ...]:
        """States passed through, in travel order, each once."""
        return tuple(dict.fromkeys(iso for s in self.steps for iso in s.states))

    @property
    def state_km(self) -> dict[str, float]:
        """Kilometres inside each state."""
        km: dict[str, float] = {}
        for s in self.steps:
            for iso, value in s.edge.state_km.items():
                km[iso] = km.get(iso, 0.0) + value
        return km

    @property
    def crossings(self) -> tuple[Crossing, ...]:
        """Land border crossings in travel order."""
        return tuple(c for s in self.steps for c in s.crossings)

    @property
    def gauge_breaks(self) -> tuple[GaugeBreak, ...]:
        """Gauge breaks in travel order."""
        return tuple(g for s in self.steps for g in s.gauge_breaks)

    @property
    def waits(self) -> tuple[Crossing | GaugeBreak, ...]:
        """Border crossings and gauge breaks together, in travel order (see :attr:`Step.waits`)."""
        return tuple(w for s in self.steps for w in s.waits)

    @property
    def chokepoints(self) -> tuple[str, ...]:
        """Chokepoints passed, in travel order, each once."""
        return tuple(dict.fromkeys(c for s in self.steps for c in s.edge.chokepoints))

    @property
    def sources(self) -> tuple[str, ...]:
        """The facts its days rest on, each once: speeds, port hours, crossings, gauge breaks."""
        moving = (f for s in self.steps for f in s.edge.time_sources)
        waiting = (f for w in self.waits for f in w.sources)
        return tuple(dict.fromkeys([*moving, *waiting]))

    @property
    def legs(self) -> tuple[str, ...]:
        """Ids of the legs travelled (every leg sharing a travelled track), each once."""
        return tuple(dict.fromkeys(i for s in self.steps for i in s.edge.leg_ids))

    @property
    def km_by_mode(self) -> dict[str, float]:
        """Kilometres by mode."""
        km: dict[str, float] = {}
        for s in self.steps:
            km[s.edge.mode] = km.get(s.edge.mode, 0.0) + s.edge.km
        return km


@dataclass(frozen=True)
class Pair:
    """An origin-destination pair matched to its two nodes."""

    id: str
    name: str
    origin: str
    destination: str
    source: str
    target: str
    modes: frozenset[str]


@dataclass(frozen=True)
class PairResult:
    """One origin-destination pair under a scenario, beside the same pair with nothing closed."""

    id: str
    name: str
    origin: str
    destination: str
    open: Trip | None
    closed: Trip | None
    why: str
    #: The modes the pair's trips may use, as its data says (a rail-only pair takes no truck).
    modes: tuple[str, ...] = ()

    @property
    def rerouted(self) -> bool:
        """Whether the closures change the route (or cut it)."""
        if self.open is None or self.closed is None:
            return self.open is not self.closed
        return self.open.nodes != self.closed.nodes


@dataclass
class Network:
    """The graph and everything a what-if needs, built once per data change."""

    nodes: dict[str, Node]
    edges: dict[str, Edge]
    pairs: dict[str, Pair]
    leg_edges: dict[str, tuple[Step, ...]]
    state_names: dict[str, str]
    chokepoint_names: dict[str, str]
    #: What a whole trip along a route costs, by route id, where a source gives it.
    costs: dict[str, CorridorCost] = field(default_factory=dict)
    _cache: dict[Scenario, tuple[PairResult, ...]] = field(default_factory=dict, repr=False)

    def __repr__(self) -> str:
        return f"Network({len(self.nodes)} nodes, {len(self.edges)} edges, {len(self.pairs)} pairs)"

    def state_name(self, iso3: str) -> str:
        """Return a state's name, or its code if the boundaries do not have it."""
        return self.state_names.get(iso3, iso3)

    def leg_name(self, leg_id: str) -> str:
        """Return a leg's name (a route's or a connector's), or its id if there is no such leg."""
        steps = self.leg_edges.get(leg_id, ())
        found = (leg.name for s in steps for leg in s.edge.legs if leg.id == leg_id)
        return next(found, leg_id)


def track_legs(network: Network, legs: Iterable[str]) -> dict[str, frozenset[str]]:
    """Return, for each leg, the other legs that run on any piece of its track.

    Closing a leg closes its track, and so every route's leg along it: BTK's Tbilisi-Akhalkalaki
    leg and the Middle Corridor's are one line. Legs the network does not know map to nothing.
    """
    found = {}
    for leg_id in legs:
        steps = network.leg_edges.get(leg_id, ())
        found[leg_id] = frozenset(i for s in steps for i in s.edge.leg_ids) - {leg_id}
    return found


# Building the network.


@dataclass
class _Anchor:
    lon: float
    lat: float
    name: str
    iso3: str | None
    waypoint: bool
    leg_start: str | None = None
    leg_end: str | None = None


def _anchors(legs: Sequence[Leg], dataset: Dataset, index: StateIndex) -> list[_Anchor]:
    found = [
        _Anchor(wp.lon, wp.lat, wp.name, wp.iso3, True)
        for route in dataset.routes.values()
        for wp in route.waypoints
    ]
    for leg in legs:
        names = [part.strip() for part in leg.name.split(" - ")]
        for end, (lon, lat) in (("start", leg.coords[0]), ("end", leg.coords[-1])):
            name = names[0] if end == "start" else names[-1]
            anchor = _Anchor(lon, lat, name.split(",")[0].strip(), index.locate(lon, lat), False)
            if end == "start":
                anchor.leg_start = leg.id
            else:
                anchor.leg_end = leg.id
            found.append(anchor)
    return found


class _Clusters:
    """Union-find over anchors that never puts both ends of one leg, or two states, in a set."""

    def __init__(self, anchors: list[_Anchor]) -> None:
        self.parent = list(range(len(anchors)))
        self.starts = [{a.leg_start} - {None} for a in anchors]
        self.ends = [{a.leg_end} - {None} for a in anchors]
        self.isos = [{a.iso3} - {None} for a in anchors]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, i: int, j: int, *, same_state: bool) -> None:
        a, b = self.find(i), self.find(j)
        if a == b:
            return
        if self.starts[a] & self.ends[b] or self.ends[a] & self.starts[b]:
            return
        if same_state and len(self.isos[a] | self.isos[b]) > 1:
            return
        self.parent[b] = a
        self.starts[a] |= self.starts[b]
        self.ends[a] |= self.ends[b]
        self.isos[a] |= self.isos[b]


def _cluster(anchors: list[_Anchor]) -> list[int]:
    """Return each anchor's cluster root, merging the closest pairs first."""
    pairs = []
    for i, a in enumerate(anchors):
        for j in range(i + 1, len(anchors)):
            b = anchors[j]
            if abs(a.lat - b.lat) > 0.1 or abs(a.lon - b.lon) > 0.2:  # ~11 km: cheap prefilter
                continue
            d = _km((a.lon, a.lat), (b.lon, b.lat))
            if d <= SNAP_KM:
                pairs.append((d, i, j))
    clusters = _Clusters(anchors)
    for d, i, j in sorted(pairs):
        # Within a few hundred metres two anchors are one place whatever the border file says.
        clusters.union(i, j, same_state=d > ON_VERTEX_KM)
    return [clusters.find(i) for i in range(len(anchors))]


def _nodes(anchors: list[_Anchor], roots: list[int]) -> tuple[dict[str, Node], dict[int, str]]:
    members: dict[int, list[_Anchor]] = {}
    for anchor, root in zip(anchors, roots, strict=True):
        members.setdefault(root, []).append(anchor)
    nodes: dict[str, Node] = {}
    node_of_root: dict[int, str] = {}
    for n, (root, group) in enumerate(sorted(members.items())):
        named = [a for a in group if a.waypoint] or group
        isos = [a.iso3 for a in named if a.iso3] or [a.iso3 for a in group if a.iso3]
        lon = sum(a.lon for a in group) / len(group)
        lat = sum(a.lat for a in group) / len(group)
        node = Node(f"n{n}", named[0].name, lon, lat, isos[0] if isos else None)
        nodes[node.id] = node
        node_of_root[root] = node.id
    return nodes, node_of_root


def _pieces(
    leg: Leg, anchors: list[_Anchor], node_at: list[str]
) -> list[tuple[str, str, tuple[tuple[float, float], ...]]]:
    """Cut a leg at its ends and at interior vertices on a place: (u, v, coords) pieces."""
    ends = {i: node_at[i] for i, a in enumerate(anchors) if leg.id in (a.leg_start, a.leg_end)}
    start = next(n for i, n in ends.items() if anchors[i].leg_start == leg.id)
    end = next(n for i, n in ends.items() if anchors[i].leg_end == leg.id)
    cuts: list[tuple[int, str]] = [(0, start)]
    for k, vertex in enumerate(leg.coords[1:-1], start=1):
        near = [
            node_at[i]
            for i, a in enumerate(anchors)
            if abs(a.lat - vertex[1]) < 0.01 and _km(vertex, (a.lon, a.lat)) <= ON_VERTEX_KM
        ]
        if near and near[0] != cuts[-1][1] and near[0] != end:
            cuts.append((k, near[0]))
    cuts.append((len(leg.coords) - 1, end))
    return [(u, v, leg.coords[i : j + 1]) for (i, u), (j, v) in itertools.pairwise(cuts) if u != v]


def _state_sequence(
    coords: Sequence[tuple[float, float]], index: StateIndex, u: Node, v: Node
) -> tuple[list[str], dict[str, float], dict[str, tuple[float, float]]]:
    passage = index.passage([LineString(coords)])
    km, entries = passage.km, passage.entries
    middle = [iso for iso, value in km.items() if value >= MIN_TRANSIT_KM]
    sequence: list[str] = []
    for iso in [u.iso3, *middle, v.iso3]:
        if iso and (not sequence or sequence[-1] != iso):
            sequence.append(iso)
    return sequence, km, entries


def _where(iso: str, entries: Mapping[str, tuple[float, float]], v: Node) -> tuple[float, float]:
    """Where a line enters ``iso``: its first point inside, or the end node if it never is."""
    return entries.get(iso, (v.lon, v.lat))


def _edge(
    key: str,
    legs: tuple[Leg, ...],
    *,
    ends: tuple[Node, Node],
    coords: tuple[tuple[float, float], ...],
    context: _Context,
) -> Edge:
    u, v = ends
    mode = legs[0].mode
    timings = context.data.timings
    sequence, state_km, entries = _state_sequence(coords, context.index, u, v)
    km = float(GEOD.geometry_length(LineString(coords))) / 1000.0
    speed = timings.speed_kmh[mode]
    move = (km / speed.high, km / speed.low)
    crossings: list[Crossing] = []
    breaks: list[GaugeBreak] = []
    for a, b in itertools.pairwise(sequence):
        lon, lat = _where(b, entries, v)
        if mode in LAND_MODES:
            union = next(
                (c.id for c in timings.customs_unions if a in c.members and b in c.members), None
            )
            rule = timings.border_hours.get(mode)
            if rule is None:
                context.problems.append(f"timings.json: border_hours has no {mode!r}")
                continue
            hours = (0.0, 0.0) if union else _scaled(rule)
            sources = context.union_sources[union] if union else rule.sources
            crossings.append(
                Crossing(
                    _place(context, lon, lat, a, b), lon, lat, a, b, mode, hours, sources, union
                )
            )
        if mode == "rail":
            missing = [iso for iso in (a, b) if iso not in context.data.gauges]
            if missing:
                context.problems += [
                    f"gauges.json: no gauge for {iso}, which rail edge {key} runs through"
                    for iso in missing
                ]
                continue
            ga, gb = context.data.gauges[a], context.data.gauges[b]
            if ga.mm != gb.mm:
                rule = timings.gauge_break_hours
                station = _transfer(context, (a, b), lon, lat)
                cited: tuple[str, ...]
                if station is None:
                    at, place, where, cited = _place(context, lon, lat, a, b), (lon, lat), b, ()
                else:
                    node, transfer = station
                    at, place, cited = node.name, (node.lon, node.lat), transfer.sources
                    where = node.iso3 or b
                breaks.append(
                    GaugeBreak(
                        at,
                        *place,
                        a,
                        b,
                        ga.mm,
                        gb.mm,
                        _scaled(rule),
                        tuple(dict.fromkeys(cited + ga.sources + gb.sources + rule.sources)),
                        where,
                    )
                )
    hours = move
    waits: list[Crossing | GaugeBreak] = [*crossings, *breaks]
    for item in waits:
        hours = _add(hours, item.hours)
    time_sources = speed.sources
    if mode == "ferry":
        hours = _add(hours, _scaled(timings.ferry_port_hours))
        time_sources += timings.ferry_port_hours.sources
    passed = chokepoints_passed([LineString(coords)], context.dataset.chokepoints)
    return Edge(
        key,
        u.id,
        v.id,
        mode,
        legs,
        coords,
        km,
        tuple(sequence),
        state_km,
        passed,
        tuple(crossings),
        tuple(breaks),
        hours,
        move,
        tuple(dict.fromkeys(time_sources)),
    )


@dataclass
class _Context:
    dataset: Dataset
    data: NetworkData
    index: StateIndex
    nodes: dict[str, Node]
    union_sources: dict[str | None, tuple[str, ...]]
    problems: list[str]


#: A border point takes the name of a node this close (a border station); else the states'.
PLACE_NAME_KM = 30.0
#: A gauge break moves to a transfer station of its two states at most this far from where the
#: line crosses their border (Akhalkalaki is about 30 km from the Turkish border).
TRANSFER_KM = 60.0


def _transfer(
    context: _Context, states: tuple[str, str], lon: float, lat: float
) -> tuple[Node, GaugeTransfer] | None:
    """Return the transfer station nearest a border point of these states, if one is near."""
    found = [
        (_km((node.lon, node.lat), (lon, lat)), node, transfer)
        for transfer in context.data.transfers
        if transfer.at is not None and set(transfer.states) == set(states)
        for node in context.nodes.values()
        if node.name == transfer.at
    ]
    near = [f for f in found if f[0] <= TRANSFER_KM]
    if not near:
        return None
    _, node, transfer = min(near, key=lambda f: f[0])
    return node, transfer


def _place(context: _Context, lon: float, lat: float, a: str, b: str) -> str:
    """Name a point where a line enters a state: the nearest node, or "A-B border"."""
    near = [n for n in context.nodes.values() if abs(n.lat - lat) < 0.5]
    if near:
        node = min(near, key=lambda n: _km((n.lon, n.lat), (lon, lat)))
        if _km((node.lon, node.lat), (lon, lat)) <= PLACE_NAME_KM:
            return node.name
    return f"{context.index.name(a)}-{context.index.name(b)} border"


def build_network(dataset: Dataset, data: NetworkData, index: StateIndex) -> Network:
    """Build the corridor network from the routes, the connectors and their figures.

    Raises
    ------
    CorridorDataError
        If a rail edge runs through a state with no gauge, a mode has no border hours, or an OD
        pair's end is more than ``OD_SNAP_KM`` from every node.
    """
    legs = [leg for route in dataset.routes.values() for leg in route.legs] + list(data.connectors)
    anchors = _anchors(legs, dataset, index)
    roots = _cluster(anchors)
    nodes, node_of_root = _nodes(anchors, roots)
    node_at = [node_of_root[r] for r in roots]
    names = {node.name for node in nodes.values()}
    placed = [t.at for t in data.transfers if t.at is not None]
    problems = [
        f"gauges.json: transfer station {at!r} is no place on the network"
        for at in placed
        if at not in names
    ]
    context = _Context(
        dataset,
        data,
        index,
        nodes,
        {u.id: u.sources for u in data.timings.customs_unions},
        problems,
    )
    tracks: dict[_Track, tuple[list[Leg], str, str, tuple[tuple[float, float], ...]]] = {}
    leg_pieces: dict[str, list[tuple[_Track, str]]] = {}
    for leg in legs:
        for u, v, coords in _pieces(leg, anchors, node_at):
            a, b = sorted((u, v))
            key: _Track = (a, b, leg.mode)
            if key not in tracks:
                tracks[key] = ([], u, v, coords)
            tracks[key][0].append(leg)
            leg_pieces.setdefault(leg.id, []).append((key, u))
    edges: dict[str, Edge] = {}
    edge_of_track: dict[_Track, Edge] = {}
    for key, (track_legs, u, v, coords) in tracks.items():
        first = track_legs[0].id
        count = sum(1 for k in edge_of_track if tracks[k][0][0].id == first)
        edge_id = first if count == 0 else f"{first}-{count + 1}"
        edge = _edge(
            edge_id, tuple(track_legs), ends=(nodes[u], nodes[v]), coords=coords, context=context
        )
        edges[edge_id] = edge
        edge_of_track[key] = edge
    leg_edges = {
        leg_id: tuple(Step(edge_of_track[key], edge_of_track[key].u == u) for key, u in pieces)
        for leg_id, pieces in leg_pieces.items()
    }
    pairs = {}
    for pair in data.pairs:
        ends: list[str] = []
        for place in (pair.origin, pair.destination):
            node, km = _nearest(nodes, place.lon, place.lat)
            if km > OD_SNAP_KM:
                context.problems.append(
                    f"od-pairs.json: {pair.id}: {place.name} is {km:.0f} km from the network "
                    f"(the limit is {OD_SNAP_KM:g} km)"
                )
            ends.append(node)
        pairs[pair.id] = Pair(
            pair.id,
            pair.name,
            pair.origin.name,
            pair.destination.name,
            ends[0],
            ends[1],
            frozenset(pair.modes),
        )
    if context.problems:
        raise CorridorDataError(sorted(set(context.problems)))
    return Network(
        nodes,
        edges,
        pairs,
        leg_edges,
        dict(index.names),
        {cp.id: cp.name for cp in dataset.chokepoints},
        {cost.route: cost for cost in data.costs},
    )


def _nearest(nodes: Mapping[str, Node], lon: float, lat: float) -> tuple[str, float]:
    best = min(nodes.values(), key=lambda n: _km((n.lon, n.lat), (lon, lat)))
    return best.id, _km((best.lon, best.lat), (lon, lat))


# Routing and closures.


def _check(network: Network, scenario: Scenario) -> None:
    unknown = [f"state {s!r}" for s in sorted(scenario.states) if s not in network.state_names]
    unknown += [
        f"chokepoint {c!r}"
        for c in sorted(scenario.chokepoints)
        if c not in network.chokepoint_names
    ]
    unknown += [f"leg {g!r}" for g in sorted(scenario.legs) if g not in network.leg_edges]
    if unknown:
        msg = f"unknown {', '.join(unknown)} to close"
        raise ValueError(msg)


def _blocked(edge: Edge, scenario: Scenario) -> bool:
    return bool(
        scenario.states.intersection(edge.states)
        or scenario.chokepoints.intersection(edge.chokepoints)
        or scenario.legs.intersection(edge.leg_ids)
    )


def open_graph(
    network: Network, scenario: Scenario, modes: frozenset[str] | None = None
) -> nx.Graph:
    """Return the graph of edges open under the scenario, the quickest of parallel edges kept.

    Each edge weighs the midpoint of its hours range, plus a trace of its km to break ties.
    ``modes``, if given, keeps only edges of those modes (an OD pair's trips may use only some).
    """
    graph = nx.Graph()
    for edge in network.edges.values():
        if modes is not None and edge.mode not in modes:
            continue
        if not edge.is_open(scenario.year, planned=scenario.planned) or _blocked(edge, scenario):
            continue
        weight = (edge.hours[0] + edge.hours[1]) / 2 + edge.km * _KM_TIEBREAK
        if graph.has_edge(edge.u, edge.v) and graph[edge.u][edge.v]["weight"] <= weight:
            continue
        graph.add_edge(edge.u, edge.v, weight=weight, edge=edge.id)
    return graph


def best_trip(network: Network, graph: nx.Graph, source: str, target: str) -> Trip | None:
    """Return the quickest trip from ``source`` to ``target`` in ``graph``, or None."""
    if source not in graph or target not in graph:
        return None
    try:
        path = nx.dijkstra_path(graph, source, target, weight="weight")
    except nx.NetworkXNoPath:
        return None
    steps = []
    for a, b in itertools.pairwise(path):
        edge = network.edges[graph[a][b]["edge"]]
        steps.append(Step(edge, edge.u == a))
    return Trip(tuple(path), tuple(steps))


def _closed_names(network: Network, scenario: Scenario) -> list[tuple[Scenario, str]]:
    """Return, for each closed item, the scenario with only it reopened, and its name."""
    found = [
        (replace_scenario(scenario, states=scenario.states - {s}), network.state_name(s))
        for s in sorted(scenario.states)
    ]
    found += [
        (
            replace_scenario(scenario, chokepoints=scenario.chokepoints - {c}),
            with_article(network.chokepoint_names[c]),
        )
        for c in sorted(scenario.chokepoints)
    ]
    found += [
        (replace_scenario(scenario, legs=scenario.legs - {g}), f"the {network.leg_name(g)} line")
        for g in sorted(scenario.legs)
    ]
    return found


def replace_scenario(scenario: Scenario, **changes: frozenset[str]) -> Scenario:
    """Return the scenario with some of its closed sets replaced."""
    return Scenario(
        scenario.year,
        scenario.planned,
        changes.get("states", scenario.states),
        changes.get("chokepoints", scenario.chokepoints),
        changes.get("legs", scenario.legs),
    )


def _when(scenario: Scenario) -> str:
    when = "today" if scenario.year is None else f"in {scenario.year}"
    return f"{when}{', with planned lines built' if scenario.planned else ''}"


def _why_none(network: Network, scenario: Scenario, pair: Pair, open_trip: Trip | None) -> str:
    ends = f"{pair.origin} and {pair.destination}"
    modes = join_names(sorted(pair.modes))
    if open_trip is None:
        return (
            f"No route even with nothing closed: no open {modes} line joins {ends} "
            f"{_when(scenario)}."
        )
    for place, node in ((pair.origin, pair.source), (pair.destination, pair.target)):
        iso3 = network.nodes[node].iso3
        if iso3 in scenario.states:
            return f"No route: {place} is in {network.state_name(iso3)}, which is closed."
    blockers = []
    for reopened, name in _closed_names(network, scenario):
        graph = open_graph(network, reopened, pair.modes)
        ends_in = pair.source in graph and pair.target in graph
        if ends_in and nx.has_path(graph, pair.source, pair.target):
            blockers.append(name)
    if blockers:
        verb = "cuts" if len(blockers) == 1 else "each cut"
        return f"No route: closing {join_names(blockers)} {verb} every way between {ends}."
    return f"No route: the closures together cut every way between {ends}."


def whatif(network: Network, scenario: Scenario, *, cached: bool = True) -> tuple[PairResult, ...]:
    """Return every OD pair's best route under the scenario beside its route with nothing closed.

    Results are cached on the network per scenario, since the panel asks again on every rerun;
    ``cached=False`` recomputes them (to time the recompute).

    Raises
    ------
    ValueError
        If the scenario closes a state, chokepoint or leg the network does not know.
    """
    if cached and scenario in network._cache:
        return network._cache[scenario]
    _check(network, scenario)
    graphs: dict[frozenset[str], tuple[nx.Graph, nx.Graph]] = {}
    results = []
    for pair in network.pairs.values():
        if pair.modes not in graphs:
            opened = open_graph(network, scenario.opened(), pair.modes)
            closed = (
                open_graph(network, scenario, pair.modes) if scenario.closes_anything else opened
            )
            graphs[pair.modes] = (opened, closed)
        opened, closed = graphs[pair.modes]
        open_trip = best_trip(network, opened, pair.source, pair.target)
        trip = (
            best_trip(network, closed, pair.source, pair.target)
            if closed is not opened
            else open_trip
        )
        why = "" if trip is not None else _why_none(network, scenario, pair, open_trip)
        results.append(
            PairResult(
                pair.id,
                pair.name,
                pair.origin,
                pair.destination,
                open_trip,
                trip,
                why,
                tuple(sorted(pair.modes)),
            )
        )
    if len(network._cache) >= RESULTS_CACHE_SIZE:
        network._cache.pop(next(iter(network._cache)))  # the oldest scenario asked for
    network._cache[scenario] = tuple(results)
    return network._cache[scenario]


def corridor_trip(network: Network, legs: Iterable[Leg]) -> Trip:
    """Return a route's legs as one trip through the network, in the route's travel order."""
    steps = tuple(step for leg in legs for step in network.leg_edges[leg.id])
    nodes = [steps[0].edge.u if steps[0].forward else steps[0].edge.v] if steps else []
    nodes += [s.edge.v if s.forward else s.edge.u for s in steps]
    return Trip(tuple(nodes), steps)


# Words and records.


def _by(network: Network, usual: Trip, detour: Trip) -> str:
    """Name what the detour newly uses: states, then chokepoints."""
    states = [s for s in detour.states if s not in usual.states]
    chokepoints = [c for c in detour.chokepoints if c not in usual.chokepoints]
    names = [network.state_name(s) for s in states]
    names += [with_article(network.chokepoint_names[c]) for c in chokepoints]
    return f" through {join_names(names)}" if names else " by another line"


def describe(network: Network, result: PairResult) -> str:
    """Return one sentence on a pair: its detour and what it costs, or why there is none."""
    if result.closed is None:
        return f"{result.name}: {result.why}"
    if not result.rerouted or result.open is None:
        return (
            f"{result.name} is unchanged: {format_km(result.closed.km)}, "
            f"{format_days(result.closed.days)}."
        )
    return (
        f"{result.name} goes{_by(network, result.open, result.closed)}: "
        f"{format_km(result.closed.km)} instead of "
        f"{format_km(result.open.km)}, {format_days(result.closed.days)} instead of "
        f"{format_days(result.open.days)}."
    )


def summarise(network: Network, scenario: Scenario, results: Sequence[PairResult]) -> str:
    """Return the what-if summary: what is closed, then one sentence per pair it changes."""
    names = [network.state_name(s) for s in sorted(scenario.states)]
    names += [with_article(network.chokepoint_names[c]) for c in sorted(scenario.chokepoints)]
    names += leg_phrases([network.leg_name(g) for g in sorted(scenario.legs)])
    changed = [r for r in results if r.rerouted]
    if not names:
        return f"Nothing is closed: every pair runs on its usual route {_when(scenario)}."
    head = f"With {join_names(names)} closed"
    if not changed:
        return f"{head}, every pair keeps its usual route."
    return f"{head}: " + " ".join(describe(network, r) for r in changed)


def _point_record(item: Crossing | GaugeBreak) -> dict[str, object]:
    record: dict[str, object] = {
        "at": item.at,
        "lat": round(item.lat, 4),
        "lon": round(item.lon, 4),
        "from": item.from_iso3,
        "to": item.to_iso3,
        "hours": [round(item.hours[0], 1), round(item.hours[1], 1)],
        "sources": list(item.sources),
    }
    if isinstance(item, GaugeBreak):
        record |= {"from_mm": item.from_mm, "to_mm": item.to_mm, "in": item.iso3}
    else:
        record |= {"mode": item.mode, "customs_union": item.customs_union}
    return record


def cost_record(cost: CorridorCost | None) -> dict[str, object] | None:
    """Return a route's sourced cost as plain JSON-ready data, or None where there is none."""
    if cost is None:
        return None
    figure = cost.usd_per_feu
    return {
        "between": cost.between,
        "usd_per_feu": [figure.low, figure.high],
        "sources": list(figure.sources),
    }


def trip_record(trip: Trip | None) -> dict[str, object] | None:
    """Return a trip as plain JSON-ready data."""
    if trip is None:
        return None
    return {
        "km": round(trip.km),
        "days": [round(trip.days[0], 1), round(trip.days[1], 1)],
        "states": list(trip.states),
        "km_by_state": {k: round(v) for k, v in trip.state_km.items()},
        "km_by_mode": {k: round(v) for k, v in trip.km_by_mode.items()},
        "border_crossings": [_point_record(c) for c in trip.crossings],
        "gauge_breaks": [_point_record(g) for g in trip.gauge_breaks],
        "chokepoints": list(trip.chokepoints),
        "legs": list(trip.legs),
    }


def pair_record(network: Network, result: PairResult) -> dict[str, object]:
    """Return a what-if result as plain JSON-ready data, with the change against the open route."""
    delta = None
    if result.open is not None and result.closed is not None:
        delta = {
            "km": round(result.closed.km - result.open.km),
            "days": [
                round(result.closed.days[0] - result.open.days[0], 1),
                round(result.closed.days[1] - result.open.days[1], 1),
            ],
        }
    return {
        "id": result.id,
        "name": result.name,
        "from": result.origin,
        "to": result.destination,
        "modes": list(result.modes),
        "open": trip_record(result.open),
        "closed": trip_record(result.closed),
        "rerouted": result.rerouted,
        "why": result.why,
        "summary": describe(network, result),
        "delta": delta,
    }
