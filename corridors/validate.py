"""Geographic checks of the curated data against the boundaries.

Schema and reference checks live in :mod:`corridors.data`; these need the geometry: a waypoint in
the state it names, on its route, and each corridor crossing exactly the states it declares.
"""

from __future__ import annotations

from collections.abc import Mapping

from shapely.geometry import LineString

from corridors.data import Dataset
from corridors.geometry import StateIndex, point_distance_km
from corridors.model import Analysis

#: At 1:10m some real quays fall just off the coastline (Alat, Makhachkala, Poti).
PORT_OFFSHORE_KM = 5.0
#: A waypoint farther than this from every leg of its route is misplaced.
WAYPOINT_ON_ROUTE_KM = 1.0


def check_geography(
    dataset: Dataset, index: StateIndex, analyses: Mapping[str, Analysis]
) -> list[str]:
    """Return every geographic problem, each naming its file and feature."""
    problems: list[str] = []
    for route in dataset.routes.values():
        where = f"{route.id}.geojson"
        legs = [LineString(leg.coords) for leg in route.legs]
        for wp in route.waypoints:
            point = LineString([(wp.lon, wp.lat), (wp.lon + 1e-6, wp.lat)])
            found = index.locate(wp.lon, wp.lat)
            if found != wp.iso3:
                tolerance = PORT_OFFSHORE_KM if wp.kind == "port" and found is None else 0.0
                near = index.nearest_km([point], within_km=tolerance) if tolerance else {}
                if wp.iso3 not in near:
                    actual = index.name(found) if found else "the sea"
                    problems.append(
                        f"{where}: waypoint {wp.id} ({wp.name}) claims {wp.iso3} "
                        f"but lies in {actual}"
                    )
            off = point_distance_km(wp.lon, wp.lat, legs, within_km=WAYPOINT_ON_ROUTE_KM)
            if off > WAYPOINT_ON_ROUTE_KM:
                problems.append(
                    f"{where}: waypoint {wp.id} ({wp.name}) is more than "
                    f"{WAYPOINT_ON_ROUTE_KM:g} km off the route"
                )
        analysis = analyses.get(route.id)
        if analysis is None:
            continue
        computed = [s.iso3 for s in analysis.transit]
        if set(computed) != set(route.declared_transit):
            problems.append(
                f"{where}: crosses {', '.join(computed)} "
                f"but declares {', '.join(route.declared_transit)}"
            )
        for iso3 in route.declared_transit:
            if iso3 not in index.names:
                problems.append(f"{where}: declared state {iso3!r} is not in the boundaries")
    return problems
