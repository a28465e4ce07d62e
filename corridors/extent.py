"""Extents: route bounds, and the centre and zoom that fit them on a Web Mercator map."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from corridors.model import Route

#: Width kept free for the legend when fitting the view (pixels).
LEGEND_WIDTH_PX = 250

#: Size assumed for the map when choosing a zoom level that fits a corridor (pixels).
MAP_SIZE_PX: tuple[int, int] = (900, 640)


def routes_bounds(routes: Iterable[Route]) -> list[list[float]]:
    """Return the bounds of all the routes' legs as ``[[south, west], [north, east]]``."""
    coords = np.array([c for r in routes for leg in r.legs for c in leg.coords])
    if coords.size == 0:
        msg = "no route to fit the view to"
        raise ValueError(msg)
    (west, south), (east, north) = coords.min(axis=0), coords.max(axis=0)
    return [[float(south), float(west)], [float(north), float(east)]]


def route_bounds(route: Route) -> list[list[float]]:
    """Return a route's bounds as ``[[south, west], [north, east]]``, as Leaflet takes them."""
    return routes_bounds([route])


def fit_view(
    bounds: Sequence[Sequence[float]],
    size_px: tuple[int, int] = MAP_SIZE_PX,
    *,
    right_px: int = LEGEND_WIDTH_PX,
    pad: float = 0.05,
) -> tuple[tuple[float, float], int]:
    """Return the centre ``(lat, lon)`` and the highest whole Web Mercator zoom that shows bounds.

    Used to move the map to a corridor without reloading it (streamlit-folium's ``center`` and
    ``zoom``). The bounds are fitted into the map less ``right_px`` on the right, where the
    legend is, and ``pad`` (a fraction of the map) on each side.

    Examples
    --------
    >>> fit_view([[40.0, 40.0], [42.0, 50.0]], right_px=0)
    ((41.0, 45.0), 6)
    """
    (south, west), (north, east) = bounds

    def merc_y(lat: float) -> float:
        lat = math.radians(max(min(lat, 85.0), -85.0))
        return math.log(math.tan(math.pi / 4 + lat / 2)) / (2 * math.pi)

    width_px = size_px[0] * (1 - 2 * pad) - right_px
    height_px = size_px[1] * (1 - 2 * pad)
    dx = max((east - west) / 360.0, 1e-9)
    dy = max(merc_y(north) - merc_y(south), 1e-9)
    zoom = math.floor(math.log2(min(width_px / (256 * dx), height_px / (256 * dy))))
    zoom = max(1, min(zoom, 12))
    # Shift the centre east by half the legend, so the bounds sit in the free part of the map.
    shift_deg = right_px / 2 / (256 * 2**zoom) * 360
    return ((south + north) / 2, (west + east) / 2 + shift_deg), zoom
