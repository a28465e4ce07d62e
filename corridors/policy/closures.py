"""What-if closures: which routes still run when states, chokepoints or legs are closed to them.

The costly part, which states and chokepoints each leg runs through, does not depend on what is
closed, so :func:`build_exposure` computes it once and :func:`apply_closures` only filters it:
the what-if panel stays instant however often the viewer changes the closures.

A route is a chain of legs in travel order, so it connects its ends only if every leg runs. A leg
is broken by a closed state it runs through for at least ``min_transit_km`` (shorter overlaps are
boundary precision, as in :func:`corridors.geometry.analyse_route`), or by a closed chokepoint it
passes (:func:`corridors.geometry.chokepoints_passed`), or by being closed itself, or a leg on
its track (the corridor network knows which share one). Whatever is closed, a leg that is not
open -- closed itself, planned, under construction, or not yet opened in the timeline's year --
never runs: the what-if must not say a line closed since 1993 "still runs" where Compare says
closed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from corridors.figures import format_status, format_year
from corridors.geometry import (
    MIN_TRANSIT_KM,
    StateIndex,
    chokepoints_passed,
    leg_line,
)
from corridors.model import Analysis, Chokepoint, Leg, Role, Route, StateRef
from corridors.policy.timeline import DrawStatus, status_in_year
from corridors.wording import join_names, short_name, with_article


@dataclass(frozen=True)
class StateEntry:
    """A state a leg runs through: its km inside, and where the leg first enters it."""

    iso3: str
    km: float
    lon: float
    lat: float


@dataclass(frozen=True)
class LegExposure:
    """The states and chokepoints one leg depends on."""

    leg: Leg
    states: tuple[StateEntry, ...]
    chokepoints: tuple[str, ...]

    @property
    def leg_id(self) -> str:
        """The leg's id."""
        return self.leg.id

    @property
    def leg_name(self) -> str:
        """The leg's name."""
        return self.leg.name


@dataclass(frozen=True)
class RouteExposure:
    """The legs of one route, in travel order, with what each depends on."""

    route_id: str
    name: str
    role: Role
    legs: tuple[LegExposure, ...]


@dataclass(frozen=True)
class Exposure:
    """Everything :func:`apply_closures` needs, computed once from the routes and boundaries."""

    routes: tuple[RouteExposure, ...]
    state_names: Mapping[str, str]
    chokepoints: Mapping[str, Chokepoint]


def _entries(leg: Leg, index: StateIndex) -> tuple[StateEntry, ...]:
    passage = index.passage([leg_line(leg)])
    return tuple(StateEntry(c, km, *passage.entries[c]) for c, km in passage.km.items())


def build_exposure(
    routes: Iterable[Route], index: StateIndex, chokepoints: Iterable[Chokepoint]
) -> Exposure:
    """Work out, for every leg of every route, the states and chokepoints it depends on."""
    chokepoints = tuple(chokepoints)
    exposed = tuple(
        RouteExposure(
            route.id,
            route.name,
            route.role,
            tuple(
                LegExposure(
                    leg,
                    _entries(leg, index),
                    chokepoints_passed([leg_line(leg)], chokepoints),
                )
                for leg in route.legs
            ),
        )
        for route in routes
    )
    return Exposure(exposed, dict(index.names), {cp.id: cp for cp in chokepoints})


@dataclass(frozen=True)
class Break:
    """Why and where a leg is cut: a closed state, chokepoint or leg (itself or one on its track).

    A leg closed as a whole is cut from its start.
    """

    leg_id: str
    leg_name: str
    kind: Literal["state", "chokepoint", "leg"]
    closed: str
    closed_name: str
    lon: float
    lat: float
    km: float | None = None


@dataclass(frozen=True)
class NotOpen:
    """A leg that does not run whatever is closed: how it stands in the year looked at.

    ``as_of`` is the date a source last confirmed the status, given where the status is the one
    the data records; a status the timeline works out for an earlier or later ``year`` (not yet
    open in 2016) is dated by that year instead.
    """

    leg_id: str
    leg_name: str
    status: DrawStatus
    as_of: str = ""
    year: int | None = None

    @property
    def standing(self) -> str:
        """The status with its date: ``closed (as of 9 March 2026)``, ``not yet open in 2016``.

        Examples
        --------
        >>> NotOpen("a", "A", "closed", "2026-03-09").standing
        'closed (as of 9 March 2026)'
        >>> NotOpen("b", "B", "not yet open", year=2016).standing
        'not yet open in 2016'
        """
        if self.as_of:
            return format_status(self.status, self.as_of)
        return f"{self.status} in {format_year(self.year)}" if self.year else self.status


@dataclass(frozen=True)
class RouteOutcome:
    """One route under the closures: where closures cut it, and which of its legs are not open."""

    route_id: str
    name: str
    role: Role
    breaks: tuple[Break, ...]
    not_open: tuple[NotOpen, ...] = ()

    @property
    def runs(self) -> bool:
        """Whether the route connects its ends: every leg is open and none is cut."""
        return not self.breaks and not self.not_open

    @property
    def closed(self) -> bool:
        """Whether a leg of the route is itself closed (not by the what-if)."""
        return any(n.status == "closed" for n in self.not_open)

    @property
    def why_not(self) -> str:
        """Say why the route does not run, or ``""`` if it does.

        Examples
        --------
        >>> shut = NotOpen("kg-2", "Kars-Gyumri", "closed", "2026-03-09")
        >>> RouteOutcome("kg", "Kars-Gyumri line", "baseline", (), (shut,)).why_not
        'Kars-Gyumri is closed (as of 9 March 2026)'
        """
        reasons = [f"cut at {join_names(list(dict.fromkeys(b.closed_name for b in self.breaks)))}"]
        by_status: dict[str, list[str]] = {}
        for leg in self.not_open:
            by_status.setdefault(leg.standing, []).append(leg.leg_name)
        reasons += [f"{join_names(names)} {_is(names)} {st}" for st, names in by_status.items()]
        return "; ".join(reasons[0 if self.breaks else 1 :])

    @property
    def broken_legs(self) -> tuple[str, ...]:
        """Ids of the legs that are cut, in travel order."""
        return tuple(dict.fromkeys(b.leg_id for b in self.breaks))


@dataclass(frozen=True)
class ClosureResult:
    """Every route under the closures, and a one-sentence summary."""

    closed_states: tuple[str, ...]
    closed_chokepoints: tuple[str, ...]
    routes: tuple[RouteOutcome, ...]
    summary: str
    closed_legs: tuple[str, ...] = ()

    def broken_legs(self) -> dict[str, tuple[str, ...]]:
        """Return the cut legs by route id, for the map; routes that run are left out."""
        return {r.route_id: r.broken_legs for r in self.routes if r.breaks}


def _breaks(
    leg: LegExposure,
    closed: tuple[set[str], set[str], Mapping[str, tuple[str, str]]],
    exposure: Exposure,
    min_km: float,
) -> list[Break]:
    """Return the cuts of one leg.

    ``closed`` holds the closed states and chokepoints, and every leg a closed leg cuts mapped to
    that closed leg's id and name (itself, or one on its track).
    """
    states, chokepoints, legs = closed
    found = []
    if leg.leg_id in legs:
        lon, lat = leg.leg.coords[0]
        by, by_name = legs[leg.leg_id]
        found.append(Break(leg.leg_id, leg.leg_name, "leg", by, by_name, lon, lat))
    for e in leg.states:
        if e.iso3 in states and e.km >= min_km:
            name = exposure.state_names[e.iso3]
            found.append(Break(leg.leg_id, leg.leg_name, "state", e.iso3, name, e.lon, e.lat, e.km))
    for cp in (exposure.chokepoints[c] for c in leg.chokepoints if c in chokepoints):
        found.append(Break(leg.leg_id, leg.leg_name, "chokepoint", cp.id, cp.name, cp.lon, cp.lat))
    return found


def _tally(running: list[str], total: int, noun: str, *, still: str = "still ") -> str:
    nouns = noun if total == 1 else f"{noun}s"
    if total == 0:
        return f"there are no {nouns} to compare"
    if len(running) == total:
        every = {1: f"the {noun} {still}runs", 2: f"both {nouns} {still}run"}
        return every.get(total, f"all {total} {nouns} {still}run")
    if not running:
        none = {1: f"the {noun} does not run", 2: f"neither {noun} runs"}
        return none.get(total, f"none of the {total} {nouns} runs")
    verb = "runs" if len(running) == 1 else "run"
    return f"{len(running)} of {total} {nouns} {still}{verb}: {', '.join(running)}"


def _is(names: list[str]) -> str:
    return "is" if len(names) == 1 else "are"


def _standing(outcomes: list[RouteOutcome], *, closing: bool) -> str:
    """Name the routes no closure cuts that do not run anyway: not yet open, or closed."""
    waiting = [short_name(o.name) for o in outcomes if not o.breaks and o.not_open and not o.closed]
    shut = [short_name(o.name) for o in outcomes if not o.breaks and o.closed]
    parts = []
    if waiting:
        cut = "not cut but " if closing else ""
        parts.append(f"{join_names(waiting)} {_is(waiting)} {cut}not yet open end to end")
    if shut:
        parts.append(f"{join_names(shut)} {_is(shut)} closed")
    return "".join(f"; {p}" for p in parts)


def summarise(
    outcomes: Iterable[RouteOutcome], closed_names: list[str], *, year: int | None = None
) -> str:
    """Return the summary: ``"With Russia and Iran closed, 2 of 5 corridors still run: ..."``.

    A second sentence does the same for the baselines when something is closed. Routes that no
    closure cuts but that do not run anyway, not yet open or closed, are named after the tally.
    With a timeline ``year`` the summary says which year it is about.
    """
    outcomes = tuple(outcomes)
    corridors = [o for o in outcomes if o.role == "corridor"]
    baselines = [o for o in outcomes if o.role == "baseline"]
    running = [short_name(o.name) for o in corridors if o.runs]
    closing = bool(closed_names)
    standing = _standing(corridors, closing=closing)
    if not closing:
        text = f"Nothing is closed: {_tally(running, len(corridors), 'corridor', still='')}"
    else:
        tally = _tally(running, len(corridors), "corridor")
        text = f"With {join_names(closed_names)} closed, {tally}"
    text += f"{standing}."
    if closing and baselines:
        still = [short_name(o.name) for o in baselines if o.runs]
        tally = _tally(still, len(baselines), "baseline")
        text += f" {tally[0].upper()}{tally[1:]}{_standing(baselines, closing=True)}."
    return f"In {format_year(year)}, {text[0].lower()}{text[1:]}" if year is not None else text


def apply_closures(
    exposure: Exposure,
    *,
    states: Iterable[str] = (),
    chokepoints: Iterable[str] = (),
    legs: Iterable[str] = (),
    tracks: Mapping[str, Iterable[str]] | None = None,
    min_transit_km: float = MIN_TRANSIT_KM,
    year: int | None = None,
) -> ClosureResult:
    """Close states, chokepoints and legs; report whether each route runs, and where it breaks.

    Parameters
    ----------
    exposure
        From :func:`build_exposure`.
    states
        ISO alpha-3 codes of the states closed to transit.
    chokepoints
        Ids of the closed chokepoints.
    legs
        Ids of the closed legs of the routes.
    tracks
        For a closed leg, the ids of the other legs on its track
        (:func:`corridors.network.track_legs`): closing one closes them too. None: none share.
    min_transit_km
        A leg must run at least this far in a closed state to be cut by it.
    year
        The timeline's year, or None for today: a leg not open then never runs.

    Raises
    ------
    ValueError
        If a state code, chokepoint id or leg id is unknown.
    """
    states = tuple(dict.fromkeys(states))
    chokepoints = tuple(dict.fromkeys(chokepoints))
    legs = tuple(dict.fromkeys(legs))
    leg_names = {leg.leg_id: leg.leg_name for route in exposure.routes for leg in route.legs}
    unknown = [s for s in states if s not in exposure.state_names]
    unknown += [c for c in chokepoints if c not in exposure.chokepoints]
    unknown += [g for g in legs if g not in leg_names]
    if unknown:
        msg = f"unknown states, chokepoints or legs to close: {unknown}"
        raise ValueError(msg)
    # Each leg a closed leg cuts, and by which: itself, or one on its track.
    cut_legs: dict[str, tuple[str, str]] = {}
    for g in legs:
        for other in (g, *((tracks or {}).get(g, ()))):
            cut_legs.setdefault(other, (g, leg_names[g]))
    closed = (set(states), set(chokepoints), cut_legs)
    outcomes = []
    for route in exposure.routes:
        breaks = [
            cut for leg in route.legs for cut in _breaks(leg, closed, exposure, min_transit_km)
        ]
        not_open = tuple(
            _not_open(leg.leg, status, year)
            for leg in route.legs
            if (status := status_in_year(leg.leg, year)) != "operational"
        )
        outcomes.append(
            RouteOutcome(route.route_id, route.name, route.role, tuple(breaks), not_open)
        )
    names = [exposure.state_names[s] for s in states]
    names += [with_article(exposure.chokepoints[c].name) for c in chokepoints]
    names += leg_phrases([leg_names[g] for g in legs])
    summary = summarise(outcomes, names, year=year)
    return ClosureResult(states, chokepoints, tuple(outcomes), summary, legs)


def _not_open(leg: Leg, status: DrawStatus, year: int | None) -> NotOpen:
    """Date a leg's status: by its source where the data records it, else by the year looked at."""
    if status == status_in_year(leg, None):
        return NotOpen(leg.id, leg.name, status, as_of=leg.as_of)
    return NotOpen(leg.id, leg.name, status, year=year)


def leg_phrases(names: Sequence[str]) -> list[str]:
    """Name closed legs for a sentence: each by name up to two, else a count.

    Examples
    --------
    >>> leg_phrases(["Aktau - Baku"]), leg_phrases(["A - B", "C - D", "E - F"])
    (['the Aktau - Baku line'], ['3 lines'])
    """
    names = list(dict.fromkeys(names))
    if len(names) > 2:
        return [f"{len(names)} lines"]
    return [f"the {name} line" for name in names]


def entry_breaks(closures: ClosureResult, routes: Sequence[Route]) -> list[tuple[Route, Break]]:
    """Return the places each of ``routes`` enters what is closed: the cuts a map marks.

    A leg that continues a stretch the closure already cuts gets no mark of its own: the mark is
    where the route entered. The web map and the print map both mark these, in this order.
    """
    drawn = {route.id: route for route in routes}
    found = []
    for outcome in closures.routes:
        route = drawn.get(outcome.route_id)
        if route is None:
            continue
        previous = {leg.id: route.legs[i - 1].id for i, leg in enumerate(route.legs) if i}
        cut_by = {(cut.leg_id, cut.closed) for cut in outcome.breaks}
        found += [
            (route, cut)
            for cut in outcome.breaks
            if (previous.get(cut.leg_id), cut.closed) not in cut_by
        ]
    return found


def closable_states(analyses: Iterable[Analysis]) -> tuple[StateRef, ...]:
    """Return the states any of the analysed routes crosses, by name: the ones worth closing."""
    found = {s.iso3: StateRef(s.iso3, s.name) for a in analyses for s in a.transit}
    return tuple(sorted(found.values(), key=lambda s: s.name))
