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

#: Maps narrower or lower than this (phones, a short window) start with the legend folded to its
#: title and leave it no room when fitting the view: (width, height) in pixels
#: (``static/corridors.js`` folds it; ``webmap.elements`` passes this on to it).
LEGEND_FOLD_BELOW_PX = (600, 420)

#: The study area (west, south, east, north): Europe, North Africa to the Equator, the Middle
#: East, the Caucasus, Central, South and East Asia. The boundaries keep the states reaching into
#: it (scripts/build_boundaries.py), and the web map cannot be panned or zoomed out beyond it.
STUDY_AREA: tuple[float, float, float, float] = (-25.0, 0.0, 135.0, 82.0)


def in_study_area(lat: float, lon: float) -> bool:
    """Return whether a point lies in :data:`STUDY_AREA`, its edges included.

    >>> in_study_area(40.4, 49.9), in_study_area(-40.0, -170.0)
    (True, False)
    """
    west, south, east, north = STUDY_AREA
    return west <= lon <= east and south <= lat <= north


#: Web Mercator: a whole world is 256 pixels wide at zoom 0.
_TILE_PX = 256


def _merc_y(lat: float) -> float:
    """Return the Web Mercator y of a latitude, as a fraction of the world's width."""
    lat = math.radians(max(min(lat, 85.0), -85.0))
    return math.log(math.tan(math.pi / 4 + lat / 2)) / (2 * math.pi)


def fit_screen(
    bounds: Sequence[Sequence[float]], size_px: tuple[int, int] = MAP_SIZE_PX
) -> tuple[tuple[float, float], int]:
    """Return the centre and zoom that fit bounds on a map of ``size_px``, as its first view does.

    Room is kept for the legend only where it is open (a map at least
    :data:`LEGEND_FOLD_BELOW_PX`), as ``fitRoutes`` in ``static/corridors.js`` keeps it.

    Examples
    --------
    >>> fit_screen([[36.0, 26.0], [42.0, 45.0]], (360, 640))  # a phone: Turkiye to Baku
    ((39.0, 35.5), 4)
    """
    folded = size_px[0] < LEGEND_FOLD_BELOW_PX[0] or size_px[1] < LEGEND_FOLD_BELOW_PX[1]
    return fit_view(bounds, size_px, right_px=0 if folded else LEGEND_WIDTH_PX)


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
    width_px = size_px[0] * (1 - 2 * pad) - right_px
    height_px = size_px[1] * (1 - 2 * pad)
    dx = max((east - west) / 360.0, 1e-9)
    dy = max(_merc_y(north) - _merc_y(south), 1e-9)
    zoom = math.floor(math.log2(min(width_px / (_TILE_PX * dx), height_px / (_TILE_PX * dy))))
    zoom = max(1, min(zoom, 12))
    # Shift the centre east by half the legend, so the bounds sit in the free part of the map.
    shift_deg = right_px / 2 / (_TILE_PX * 2**zoom) * 360
    return ((south + north) / 2, (west + east) / 2 + shift_deg), zoom
