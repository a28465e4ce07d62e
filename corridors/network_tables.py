"""Tables of the corridor network for the dashboard and CSV: detours, waits, corridor summaries.

Plain data frames, no Streamlit: the What-if, Analysis and Compare tabs show them as they are.
Kilometres are rounded by :func:`corridors.figures.km`; days and hours are written as ranges by
the format functions of :mod:`corridors.figures`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from corridors.data import Dataset
from corridors.figures import (
    format_days,
    format_days_change,
    format_hours,
    format_hours_in_days,
    format_usd,
    km,
)
from corridors.model import Route
from corridors.netdata import CorridorCost
from corridors.network import GaugeBreak, Network, PairResult, Trip, corridor_trip
from corridors.provenance import citations, standing
from corridors.tables import with_links
from corridors.wording import short_name

DETOUR_COLUMNS = [
    "Pair",
    "From",
    "To",
    "By",
    "Usual km",
    "Usual days",
    "Now km",
    "Now days",
    "Change km",
    "Change days",
    "States now",
    "Gauge breaks now",
    "Why",
]
WAIT_COLUMNS = ["#", "Kind", "At", "From", "To", "Gauges (mm)", "Adds", "Days added"]
SUMMARY_COLUMNS = [
    "Corridor",
    "km",
    "Days",
    "Border crossings",
    "Gauge breaks",
    "Days at borders and breaks",
    "Cost per FEU",
]


def _change(usual: Trip, now: Trip) -> str:
    """Write the change in days, end for end of the two ranges."""
    return format_days_change((now.days[0] - usual.days[0], now.days[1] - usual.days[1]))


def detour_table(network: Network, results: Iterable[PairResult], dataset: Dataset) -> pd.DataFrame:
    """Return one row per OD pair: its usual route, its route now, the change, and why.

    "Standing" grades the facts both trips' days rest on (:attr:`corridors.network.Trip.sources`:
    the speeds, port hours, border crossings and gauge breaks used), and "Link", "Link 2"...
    link their distinct sources, or it says "no source".
    """
    rows = []
    cited = []
    for r in results:
        usual, now = r.open, r.closed
        rows.append(
            {
                "Pair": r.name,
                "From": r.origin,
                "To": r.destination,
                "By": ", ".join(r.modes),
                "Usual km": None if usual is None else km(usual.km),
                "Usual days": "" if usual is None else format_days(usual.days),
                "Now km": None if now is None else km(now.km),
                "Now days": "no route" if now is None else format_days(now.days),
                "Change km": None if usual is None or now is None else km(now.km - usual.km),
                "Change days": "" if usual is None or now is None else _change(usual, now),
                "States now": ""
                if now is None
                else ", ".join(network.state_name(s) for s in now.states),
                "Gauge breaks now": None if now is None else len(now.gauge_breaks),
                "Why": r.why,
            }
        )
        trips = [t for t in (usual, now) if t is not None]
        cited.append(citations(dataset, dict.fromkeys(f for t in trips for f in t.sources)))
        rows[-1]["Standing"] = standing(cited[-1])
    frame = pd.DataFrame(rows, columns=[*DETOUR_COLUMNS, "Standing"])
    return with_links(frame, [list(dict.fromkeys(c.url for c in w if c.url)) for w in cited])


def waits_table(network: Network, trip: Trip, dataset: Dataset) -> pd.DataFrame:
    """Return a trip's border crossings and gauge breaks in travel order, with what each adds.

    "Standing" grades the facts each wait's hours come from, and "Link", "Link 2"... link
    their sources (:func:`corridors.tables.with_links`), or it says "no source".
    """
    rows = []
    cited = [citations(dataset, item.sources) for item in trip.waits]
    for n, item in enumerate(trip.waits, start=1):
        if isinstance(item, GaugeBreak):
            kind, gauges = "gauge break", f"{item.from_mm:,} to {item.to_mm:,}"
            adds = format_hours(item.hours)
        else:
            kind, gauges = f"border ({item.mode})", ""
            union = item.customs_union
            adds = f"none (customs union: {union})" if union else format_hours(item.hours)
        rows.append(
            {
                "#": n,
                "Kind": kind,
                "At": item.at,
                "From": network.state_name(item.from_iso3),
                "To": network.state_name(item.to_iso3),
                "Gauges (mm)": gauges,
                "Adds": adds,
                "Days added": format_hours_in_days(item.hours),
                "Standing": standing(cited[n - 1]),
            }
        )
    frame = pd.DataFrame(rows, columns=[*WAIT_COLUMNS, "Standing"])
    return with_links(frame, [list(dict.fromkeys(c.url for c in w if c.url)) for w in cited])


#: A route's name and what a whole trip along it costs (None where no source gives it).
Costed = tuple[str, CorridorCost | None]


def _cost(cost: CorridorCost | None, baseline: Costed | None) -> str:
    """Write a corridor's cost, and its baseline's for the same trip where a source gives it."""
    if cost is None:
        return ""
    text = f"{format_usd((cost.usd_per_feu.low, cost.usd_per_feu.high))} ({cost.between})"
    if baseline is not None and baseline[1] is not None:
        other = baseline[1].usd_per_feu
        text += f"; {short_name(baseline[0])}: {format_usd((other.low, other.high))}"
    return text


def corridor_rows(
    network: Network, routes: Mapping[str, Route], corridors: Iterable[Route]
) -> list[tuple[str, Trip, CorridorCost | None, Costed | None]]:
    """Return each corridor's name, trip and cost, and its baseline's name and cost."""
    rows = []
    for route in corridors:
        baseline = routes.get(route.baseline) if route.baseline else None
        rows.append(
            (
                route.name,
                corridor_trip(network, route.legs),
                network.costs.get(route.id),
                None if baseline is None else (baseline.name, network.costs.get(baseline.id)),
            )
        )
    return rows


def corridor_summary(
    trips: Sequence[tuple[str, Trip, CorridorCost | None, Costed | None]],
    dataset: Dataset,
) -> pd.DataFrame:
    """Return one row per corridor: km, days, crossings, gauge breaks and the days they add.

    "Cost per FEU" is what a whole trip costs per 40-foot container, where a source gives it
    (blank elsewhere): no source gives a cost per leg, so trips off a corridor have none. The
    costs' sources (the corridor's, then its baseline's) follow as "Link", "Link 2"...
    """
    rows = []
    urls = []
    for name, trip, cost, baseline in trips:
        waits = (0.0, 0.0)
        spans = [c.hours for c in trip.crossings] + [g.hours for g in trip.gauge_breaks]
        for lo, hi in spans:
            waits = (waits[0] + lo, waits[1] + hi)
        rows.append(
            {
                "Corridor": name,
                "km": km(trip.km),
                "Days": format_days(trip.days),
                "Border crossings": len(trip.crossings),
                "Gauge breaks": len(trip.gauge_breaks),
                "Days at borders and breaks": format_hours_in_days(waits),
                "Cost per FEU": _cost(cost, baseline),
            }
        )
        costs = [] if cost is None else [cost, *([baseline[1]] if baseline and baseline[1] else [])]
        facts = [f for c in costs for f in c.usd_per_feu.sources]
        urls.append(list(dict.fromkeys(c.url for c in citations(dataset, facts) if c.url)))
    return with_links(pd.DataFrame(rows, columns=SUMMARY_COLUMNS), urls)
