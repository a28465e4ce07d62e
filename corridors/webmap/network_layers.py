"""Map layers of the corridor network: detours beside usual routes, and gauge breaks.

Every string from data reaches a tooltip through :func:`corridors.text.escape_html`. The looks
come from :mod:`corridors.style`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import folium

from corridors.figures import format_days, format_hours, format_km
from corridors.network import GaugeBreak, Network, PairResult, Trip
from corridors.style import (
    DETOUR_CASING,
    DETOUR_CASING_WIDTH,
    DETOUR_COLOUR,
    DETOUR_WIDTH,
    GAUGE_BREAK_FILL,
    GAUGE_BREAK_RING,
    USUAL_ROUTE_COLOUR,
    USUAL_ROUTE_DASH,
    USUAL_ROUTE_WIDTH,
    LegendEntry,
    network_legend,
)
from corridors.text import escape_html
from corridors.webmap.elements import inert, named, slug, stabilise_ids

#: Decimals kept in drawn coordinates: 0.001 degree is about 100 m.
_DECIMALS = 3


def _latlons(trip: Trip) -> list[tuple[float, float]]:
    points: list[tuple[float, float]] = []
    for step in trip.steps:
        for lon, lat in step.coords:
            point = (round(lat, _DECIMALS), round(lon, _DECIMALS))
            if not points or points[-1] != point:
                points.append(point)
    return points


def detour_tooltip(network: Network, result: PairResult) -> str:
    """Return the tooltip of a detour: the pair, its new and usual km and days, the states."""
    if result.closed is None or result.open is None:
        return escape_html(result.why)
    states = ", ".join(network.state_name(s) for s in result.closed.states)
    return (
        f"<b>Detour: {escape_html(result.name)}</b><br>"
        f"{format_km(result.closed.km)}, {format_days(result.closed.days)} "
        f"(usually {format_km(result.open.km)}, {format_days(result.open.days)})<br>"
        f"through {escape_html(states)}"
    )


def gauge_break_tooltip(network: Network, item: GaugeBreak) -> str:
    """Return the tooltip of a gauge break: where, the two gauges and states, the hours."""
    return (
        f"<b>Gauge break: {escape_html(item.at)}</b><br>"
        f"{item.from_mm:,} mm ({escape_html(network.state_name(item.from_iso3))}) to "
        f"{item.to_mm:,} mm ({escape_html(network.state_name(item.to_iso3))})<br>"
        f"adds {format_hours(item.hours)}"
    )


def detour_group(network: Network, results: Iterable[PairResult]) -> folium.FeatureGroup | None:
    """Return each rerouted pair's detour, cased in black, with its usual route dotted beside it.

    None if no pair is rerouted onto a surviving route.
    """
    rerouted = [(r, r.closed) for r in results if r.rerouted and r.closed is not None]
    if not rerouted:
        return None
    group = named(folium.FeatureGroup(name="Detours"), "networkdetours")
    for result, detour in rerouted:
        if result.open is not None:
            usual = folium.PolyLine(
                _latlons(result.open),
                color=USUAL_ROUTE_COLOUR,
                weight=USUAL_ROUTE_WIDTH,
                opacity=0.8,
                dash_array=USUAL_ROUTE_DASH,
                class_name=f"usual-route pair-{result.id}",
            )
            named(inert(usual), f"usual{slug(result.id)}", group)
        points = _latlons(detour)
        casing = folium.PolyLine(
            points, color=DETOUR_CASING, weight=DETOUR_CASING_WIDTH, opacity=0.9
        )
        named(inert(casing), f"detourcasing{slug(result.id)}", group)
        line = folium.PolyLine(
            points,
            color=DETOUR_COLOUR,
            weight=DETOUR_WIDTH,
            opacity=1.0,
            tooltip=detour_tooltip(network, result),
            class_name=f"detour pair-{result.id}",
        )
        named(line, f"detour{slug(result.id)}", group)
    stabilise_ids([group])
    return group


def gauge_break_group(network: Network, trips: Sequence[Trip]) -> folium.FeatureGroup | None:
    """Return a marker per gauge break on the trips (one per place), or None if there is none."""
    seen: dict[tuple[float, float], GaugeBreak] = {}
    for trip in trips:
        for item in trip.gauge_breaks:
            seen.setdefault((round(item.lat, _DECIMALS), round(item.lon, _DECIMALS)), item)
    if not seen:
        return None
    group = named(folium.FeatureGroup(name="Gauge breaks"), "gaugebreaks")
    for n, (place, item) in enumerate(seen.items()):
        marker = folium.CircleMarker(
            place,
            radius=6,
            color=GAUGE_BREAK_RING,
            weight=3,
            fill_color=GAUGE_BREAK_FILL,
            fill_opacity=1.0,
            tooltip=gauge_break_tooltip(network, item),
            class_name="gauge-break",
        )
        named(marker, f"gaugebreak{n}", group)
    stabilise_ids([group])
    return group


def network_layers(
    network: Network, results: Iterable[PairResult], corridor_trips: Sequence[Trip]
) -> tuple[list[folium.FeatureGroup], list[LegendEntry]]:
    """Return the network's layers for the map (detours, then gauge breaks) and their legend.

    Gauge breaks are marked on the corridors drawn (``corridor_trips``) and on every detour.
    """
    results = tuple(results)
    detours = [r.closed for r in results if r.rerouted and r.closed is not None]
    drawn = detour_group(network, results)
    breaks = gauge_break_group(network, [*corridor_trips, *detours])
    legend = network_legend(detours=drawn is not None, gauge_breaks=breaks is not None)
    return [g for g in (drawn, breaks) if g is not None], legend
