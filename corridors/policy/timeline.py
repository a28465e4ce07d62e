"""What each leg looked like in a given year, and the dated events and disruptions it lists.

A leg's ``status`` is its state today; ``year`` is when it opened or is due to open, and
``closed_year`` when it closed. Looking back, an operational leg was *not yet open* before its
year; looking forward, a planned or unfinished leg is drawn as such until the year it is due and
as operational (a projection, see :func:`is_projection`) from then on.

A route drawn or uploaded by the viewer (``Route.user``) has no such history: it is
:data:`YOUR_ROUTE` in every year, and the timeline leaves it as it is.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from corridors.data import Dataset
from corridors.disruptions import is_in_force, period_start
from corridors.figures import format_date
from corridors.freshness import period_end
from corridors.geometry import StateIndex, analyse_route
from corridors.model import (
    Analysis,
    Chokepoint,
    Disruption,
    DisruptionKind,
    FactStatus,
    Leg,
    Route,
    Status,
)
from corridors.provenance import NO_SOURCE, citations, standing

DrawStatus = Literal["not yet open", "planned", "under construction", "operational", "closed"]
DRAW_STATUSES: tuple[DrawStatus, ...] = (
    "not yet open",
    "planned",
    "under construction",
    "operational",
    "closed",
)

#: What a route the viewer drew or uploaded is called wherever a status would be shown.
YOUR_ROUTE = "your route"

#: Used by :func:`year_bounds` when the data gives no year at all.
DEFAULT_YEARS = (2000, 2030)

_TODAY: dict[Status, DrawStatus] = {
    "operational": "operational",
    "under construction": "under construction",
    "planned": "planned",
    "proposed": "planned",
    "closed": "closed",
}


def status_in_year(leg: Leg, year: int | None) -> DrawStatus:
    """Return how to draw a leg in ``year``; None means today, as the data records it.

    Examples
    --------
    >>> from corridors.model import Leg
    >>> leg = Leg("a", "a", "rail", "planned", ((0.0, 0.0), (1.0, 0.0)), year=2030)
    >>> status_in_year(leg, 2025), status_in_year(leg, 2030), status_in_year(leg, None)
    ('planned', 'operational', 'planned')
    """
    if year is None:
        return _TODAY[leg.status]
    if leg.closed_year is not None and year >= leg.closed_year:
        return "closed"
    if leg.status == "closed" and leg.closed_year is None:
        return "closed"  # we do not know when it closed, so it is shown closed throughout
    if leg.status in {"operational", "closed"}:
        return "not yet open" if leg.year is not None and year < leg.year else "operational"
    if leg.year is not None and year >= leg.year:
        return "operational"
    return "under construction" if leg.status == "under construction" else "planned"


def is_projection(leg: Leg, year: int | None) -> bool:
    """Return True where a leg is drawn operational only because a plan says it will be."""
    return leg.status in {"planned", "proposed", "under construction"} and (
        status_in_year(leg, year) == "operational"
    )


def leg_statuses(route: Route, year: int | None) -> dict[str, DrawStatus]:
    """Return how to draw each leg of a route in ``year``, by leg id."""
    return {leg.id: status_in_year(leg, year) for leg in route.legs}


def open_legs(route: Route, year: int) -> tuple[Leg, ...]:
    """Return the legs of a route that run in ``year``, projections included.

    Every leg of a route the viewer drew or uploaded runs: it has no dates to say otherwise.
    """
    if route.user:
        return route.legs
    return tuple(leg for leg in route.legs if status_in_year(leg, year) == "operational")


def analysis_in_year(
    route: Route,
    analysis: Analysis,
    year: int | None,
    index: StateIndex,
    chokepoints: Iterable[Chokepoint] = (),
) -> Analysis:
    """Return what a route crosses in ``year``: the analysis of the legs open then.

    The map tints and the text names the states a route crosses; in 2016 the Baku-Tbilisi-Kars
    line stopped in Georgia, so Türkiye is not crossed then. The states it *bypasses* stay those
    of ``analysis`` (its baseline's, which the whole route goes round) while any leg runs: a
    route that does not run at all in ``year`` crosses and bypasses nothing.

    Parameters
    ----------
    route, analysis
        The route and its analysis as the data records it today (``analyse_routes``).
    year
        The timeline year; None returns ``analysis`` itself.
    index, chokepoints
        What ``analysis`` was computed with, to analyse the open legs the same way.

    """
    if year is None:
        return analysis
    legs = open_legs(route, year)
    if legs == route.legs:
        return analysis
    if not legs:
        return dataclasses.replace(
            analysis,
            length_km=0.0,
            transit=(),
            touches=(),
            skirted=(),
            bypassed=(),
            chokepoints=(),
            chokepoints_avoided=(),
            km_by_mode=(),
            km_by_status=(),
        )
    part = analyse_route(dataclasses.replace(route, legs=legs), index, chokepoints)
    return dataclasses.replace(
        part,
        baseline=analysis.baseline,
        bypassed=analysis.bypassed,
        chokepoints_avoided=tuple(
            c for c in analysis.chokepoints_avoided if c not in part.chokepoints
        ),
    )


@dataclass(frozen=True)
class Event:
    """A dated fact to list under the map; choosing it moves the year slider to ``year``."""

    date: str
    year: int
    text: str
    status: FactStatus
    corridors: tuple[str, ...]
    fact_id: str
    source_id: str
    source_title: str
    source_url: str


def events(dataset: Dataset, corridors: Collection[str] | None = None) -> tuple[Event, ...]:
    """Return the facts marked ``event = true``, oldest first.

    Parameters
    ----------
    dataset
        The loaded data.
    corridors
        If given, keep only events about one of these routes, and events about no route in
        particular. Events without a date cannot be placed on a timeline and are left out.
    """
    found = []
    for fact_id, fact in dataset.facts.items():
        if not fact.event or fact.date is None:
            continue
        if corridors is not None and fact.corridors and not set(fact.corridors) & set(corridors):
            continue
        source = dataset.fact_source[fact_id]
        found.append(
            Event(
                date=fact.date,
                year=int(fact.date[:4]),
                text=fact.text,
                status=fact.status,
                corridors=fact.corridors,
                fact_id=fact_id,
                source_id=source.id,
                source_title=source.title,
                source_url=source.url,
            )
        )
    return tuple(sorted(found, key=lambda e: (e.date, e.fact_id)))


def year_bounds(dataset: Dataset) -> tuple[int, int]:
    """Return the first and last year the data mentions: the slider's range."""
    legs = [leg for route in dataset.routes.values() for leg in route.legs]
    years = [y for leg in legs for y in (leg.year, leg.closed_year)]
    years += [e.year for e in events(dataset)]
    known = [y for y in years if y is not None]
    return (min(known), max(known)) if known else DEFAULT_YEARS


@dataclass(frozen=True)
class SourceLink:
    """A source a reader can follow: its title and address."""

    title: str
    url: str


@dataclass(frozen=True)
class TimelineDisruption:
    """A recorded disruption as the timeline lists it for one year (or for today).

    ``when`` says how it stands in that year in words ("in force since 1993, no end reported");
    ``as_of`` is the newest date a source reported on it, so a reader knows how old "no end
    reported" is. ``standing`` grades the facts it rests on (verified, claim, disputed).
    """

    id: str
    title: str
    kind: DisruptionKind
    when: str
    as_of: str
    sources: tuple[SourceLink, ...]
    standing: str = NO_SOURCE


def disruption_as_of(dataset: Dataset, disruption: Disruption) -> str:
    """Return the newest date a source reported on a disruption.

    Each source counts with the later of its fact's ``as_of`` and its note's publication date: a
    2009 article that says the border closed in 1993 is still closed reports it as of 2009. Of
    two dates the one that starts later is newer ("2026-03-11" is newer than "2026-03").
    """
    dates = [
        d
        for f in disruption.sources
        if f in dataset.facts
        for d in (dataset.facts[f].as_of, dataset.fact_source[f].date)
        if d is not None
    ]
    return max(dates, key=lambda d: (period_start(d), len(d)), default=disruption.start)


def _when(disruption: Disruption, year: int | None) -> str:
    """Say in words how a disruption stands in ``year`` (None: today)."""
    start, end = format_date(disruption.start), disruption.end
    started = year is not None and period_start(disruption.start).year == year
    ended = end is not None and (year is None or period_end(end).year == year)
    opening = f"started {start}" if started else f"in force since {start}"
    if end is None:
        return f"{opening}, no end reported"
    return f"{opening}, ended {format_date(end)}" if ended else opening


def _applies(disruption: Disruption, year: int | None, today: date) -> bool:
    """Whether a disruption is in force at some time in ``year``, or on ``today`` for None."""
    if year is None:
        return is_in_force(disruption, today)
    if period_start(disruption.start).year > year:
        return False
    return disruption.end is None or period_end(disruption.end).year >= year


def concerned_routes(dataset: Dataset, corridors: Collection[str]) -> set[str]:
    """Return the ids of the given corridors and of the baselines they are compared with."""
    baselines = (dataset.routes[c].baseline for c in corridors if c in dataset.routes)
    return set(corridors) | {b for b in baselines if b is not None}


def timeline_disruptions(
    dataset: Dataset,
    year: int | None,
    *,
    today: date,
    corridors: Collection[str] | None = None,
) -> tuple[TimelineDisruption, ...]:
    """Return the disruptions that apply in ``year``, oldest first, each with its as-of date.

    A disruption applies in a year when it is in force at any time in it: it started that year,
    ended that year, or ran through it. With ``year`` None the timeline is off and the map shows
    today: the disruptions in force on ``today`` apply.

    Parameters
    ----------
    dataset
        The loaded data, disruptions included.
    year
        The timeline year, or None for today.
    today
        The day "today" means (passed in, so the result does not depend on the clock).
    corridors
        If given, keep disruptions that name a leg of one of these routes or of their baselines,
        and those that name no leg (a strike on a state concerns every route through it). A
        baseline's closure is part of its corridor's story: the Kars-Gyumri border, closed since
        1993, is what the Baku-Tbilisi-Kars railway goes round. The map's year note, the print
        caption and the Timeline tab all count through here, so they agree on a year's list.
    """
    route_of = {leg.id: r.id for r in dataset.routes.values() for leg in r.legs}
    concerned = None if corridors is None else concerned_routes(dataset, corridors)
    found = []
    for order, disruption in enumerate(dataset.disruptions):
        if not _applies(disruption, year, today):
            continue
        routes = {route_of[leg] for leg in disruption.legs if leg in route_of}
        if concerned is not None and disruption.legs and not routes & concerned:
            continue
        cited = citations(dataset, disruption.sources)
        sources = {c.url: SourceLink(c.title, c.url) for c in cited if c.url}
        found.append(
            (
                (period_start(disruption.start), order),
                TimelineDisruption(
                    id=disruption.id,
                    title=disruption.title,
                    kind=disruption.kind,
                    when=_when(disruption, year),
                    as_of=disruption_as_of(dataset, disruption),
                    sources=tuple(sources.values()),
                    standing=standing(cited),
                ),
            )
        )
    # Oldest first; disruptions of one day keep the file's order (the strike before its effects).
    return tuple(entry for _, entry in sorted(found, key=lambda pair: pair[0]))
