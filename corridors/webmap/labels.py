"""Place names for the web map: states, seas, regions, straits and stations, as label records.

Python decides *what* may be named and *where it could go*; the browser decides, at each zoom,
which labels fit (``labelSet`` in ``static/corridors.js``): most important first, each tried at
its anchors in turn, hidden when its box would overlap a label already placed, a route line or
a marker, or (for a state) leave the state.

That last test needs the shape of the state, which is too heavy to send: instead each anchor
carries, for a few widths-to-heights, the half height of the largest rectangle of that shape
centred on the anchor that fits inside the state, in pixels at zoom :data:`FIT_ZOOM`. The
browser scales it by ``2**(zoom - FIT_ZOOM)`` and compares it with the label's box.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Geod
from shapely.ops import polylabel

from corridors.model import Route
from corridors.places import PLACE_MIN_ZOOM, Place
from corridors.text import escape_html

#: Widths-to-heights of the rectangles measured at each anchor: from a two-line "Iran /
#: bypassed" (about 2) to a long single-line name such as "SAUDI ARABIA" (about 10).
ASPECTS = (1.5, 3.0, 6.0, 10.0)
#: Zoom at which the room at an anchor is given, in whole pixels (a 256-pixel world at zoom 0).
FIT_ZOOM = 10
#: Candidate anchors tried per state: a grid of this many points a side over its largest part.
GRID = 9
#: Anchors sent per state, best first: more for large states, which routes cross more often.
ANCHORS_PER_STATE = 6
ANCHORS_PER_SMALL_STATE = 3
#: Halving steps when measuring a rectangle: precise to 1/2**12 of the starting size.
BISECTIONS = 12
#: States at least this large (km2) are named from zoom 2, then 3, 4 and 5 by size.
AREA_CLASSES_KM2 = ((1_000_000, "xl", 2.0), (250_000, "l", 3.0), (50_000, "m", 4.0))
SMALL_STATE = ("s", 5.0)
#: How far from the baseline's stretch a "bypassed" label is first looked for: 0.003 of the
#: world's width, about 120 km at the equator and 70 km in Russia's west.
NEAR_BASELINE = 0.003
#: Stations and ports are named only from this zoom, where the Caucasus fills a laptop's map.
STATION_MIN_ZOOM = 6.0
#: Order in which labels claim their space (lower first).
PRIORITY = {"bypassed": 0, "region": 1, "strait": 2, "sea": 3, "state": 4, "station": 8}

_GEOD = Geod(ellps="WGS84")
LabelKind = Literal["state", "sea", "region", "strait", "station", "bypassed"]


@dataclass(frozen=True)
class Label:
    """One name the map may show.

    ``anchors`` are ``(lat, lon, fits)`` best first; ``fits`` holds, per :data:`ASPECTS`, the
    half height in pixels at zoom :data:`FIT_ZOOM` of the rectangle that fits inside the state
    there (empty: no shape to stay in, the label may also move beside its anchor, as a
    station's). ``text`` and ``note`` are HTML, escaped here.
    ``size`` is a CSS class suffix (``xl`` to ``s``) for states; ``iso3`` ties a state's label
    to its "bypassed" label, which replaces it.
    """

    kind: LabelKind
    text: str
    anchors: tuple[tuple[float, float, tuple[float, ...]], ...]
    min_zoom: float
    priority: float
    size: str = ""
    iso3: str = ""
    note: str = ""

    def as_json(self) -> dict[str, object]:
        """Return the record ``labelSet`` takes, its text escaped, empty fields left out."""
        record: dict[str, object] = {
            "kind": self.kind,
            "text": escape_html(self.text),
            "anchors": [[lat, lon, list(fits)] for lat, lon, fits in self.anchors],
            "minZoom": self.min_zoom,
            "priority": round(self.priority, 4),
        }
        optional = {"note": escape_html(self.note), "size": self.size, "iso3": self.iso3}
        record.update({key: value for key, value in optional.items() if value})
        return record


def _mercator(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return Web Mercator world units (0..1 across the world, y growing southwards)."""
    lat = np.clip(lat, -85.0, 85.0)
    x = (lon + 180.0) / 360.0
    y = (1.0 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / np.pi) / 2.0
    return x, y


def _to_mercator(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(geom, lambda c: np.column_stack(_mercator(c[:, 0], c[:, 1])))


def fitting_rectangles(shape: shapely.Geometry, points: np.ndarray) -> np.ndarray:
    """Return, per point and per :data:`ASPECTS`, the half height of the largest fitting box.

    ``shape`` and ``points`` (``(n, 2)``) are in the same planar units; a box is centred on its
    point with width ``aspect`` times its height. A point outside ``shape`` gets 0.

    Examples
    --------
    >>> square = shapely.box(0, 0, 12, 2)
    >>> fitting_rectangles(square, np.array([[6.0, 1.0]]))[0, 2].round(2)
    np.float64(1.0)
    """
    shapely.prepare(shape)
    xmin, ymin, xmax, ymax = shape.bounds
    out = np.zeros((len(points), len(ASPECTS)))
    for column, aspect in enumerate(ASPECTS):
        low = np.zeros(len(points))
        high = np.full(len(points), max(xmax - xmin, ymax - ymin))
        for _ in range(BISECTIONS):
            mid = (low + high) / 2
            boxes = shapely.box(
                points[:, 0] - aspect * mid,
                points[:, 1] - mid,
                points[:, 0] + aspect * mid,
                points[:, 1] + mid,
            )
            inside = shapely.contains(shape, boxes)
            low = np.where(inside, mid, low)
            high = np.where(inside, high, mid)
        out[:, column] = low
    return out


def _best_anchors(
    shape: shapely.Geometry, candidates: np.ndarray, keep: int
) -> list[tuple[float, float, tuple[float, ...]]]:
    """Return up to ``keep`` well-spread anchors (Mercator in, lat/lon out), roomiest first."""
    fits = fitting_rectangles(shape, candidates)
    room = fits[:, 2] + fits[:, 1]  # names of usual length: aspects 3 and 6
    order = np.argsort(-room)
    spread = 0.1 * float(np.hypot(*np.ptp(candidates, axis=0)))
    chosen: list[int] = []
    for index in order:
        if room[index] <= 0 or len(chosen) == keep:
            break
        if all(np.hypot(*(candidates[index] - candidates[c])) >= spread for c in chosen):
            chosen.append(int(index))
    anchors: list[tuple[float, float, tuple[float, ...]]] = []
    for index in chosen:
        lon, lat = _lonlat(*candidates[index])
        fit = tuple(int(v * 256 * 2**FIT_ZOOM) for v in fits[index])
        anchors.append((lat, lon, fit))
    return anchors


def _lonlat(x: float, y: float) -> tuple[float, float]:
    """Return Web Mercator world units as ``(lon, lat)``, to 0.01 degree (about 1 km)."""
    lon = float(x) * 360.0 - 180.0
    lat = float(np.degrees(np.arctan(np.sinh(np.pi * (1 - 2 * float(y))))))
    return round(lon, 2), round(lat, 2)


def _largest_part(geom: shapely.Geometry) -> shapely.Geometry:
    return max(shapely.get_parts(geom), key=lambda part: part.area)


def _pole(part: shapely.Geometry) -> tuple[float, float]:
    """Return a shape's pole of inaccessibility, to a hundredth of its size."""
    xmin, ymin, xmax, ymax = part.bounds
    pole = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 100)
    return pole.x, pole.y


def _grid(part: shapely.Geometry, size: int = GRID) -> tuple[np.ndarray, np.ndarray]:
    """Return a ``size``-square grid of points over a shape's bounds, edges left out."""
    xmin, ymin, xmax, ymax = part.bounds
    xs = np.linspace(xmin, xmax, size + 2)[1:-1]
    ys = np.linspace(ymin, ymax, size + 2)[1:-1]
    return np.meshgrid(xs, ys)


def _area_km2(geom: shapely.Geometry) -> float:
    return abs(_GEOD.geometry_area_perimeter(geom)[0]) / 1e6


def state_labels(states_display: gpd.GeoDataFrame) -> list[Label]:
    """Return a label per state: sized by its area, anchored where a name fits inside it.

    Anchors are the pole of inaccessibility of the state's largest part and points of a grid
    over it, the roomiest few kept, spread apart so that a route line through one leaves others.
    Measuring takes seconds, so the result is kept for the last few sets of boundaries.
    """
    geoms = states_display.geometry.to_numpy()
    key = tuple(
        zip(
            states_display["iso3"].astype(str),
            states_display["name"].astype(str),
            shapely.to_wkb(geoms),
            strict=True,
        )
    )
    return list(_state_labels(key))


@lru_cache(maxsize=4)
def _state_labels(states: tuple[tuple[str, str, bytes], ...]) -> tuple[Label, ...]:
    labels = []
    for iso3, name, wkb in states:
        geom = shapely.from_wkb(wkb)
        if geom is None or geom.is_empty:
            continue
        part = _to_mercator(_largest_part(geom))
        gx, gy = _grid(part)
        candidates = np.vstack([_pole(part), np.column_stack([gx.ravel(), gy.ravel()])])
        area = _area_km2(geom)
        classes = ((s, z) for limit, s, z in AREA_CLASSES_KM2 if area >= limit)
        size, zoom = next(classes, SMALL_STATE)
        keep = ANCHORS_PER_STATE if size in {"xl", "l"} else ANCHORS_PER_SMALL_STATE
        anchors = _best_anchors(part, candidates, keep)
        if not anchors:
            continue
        labels.append(
            Label(
                kind="state",
                text=name,
                anchors=tuple(anchors),
                min_zoom=zoom,
                priority=PRIORITY["state"] - min(area, 2e7) / 2e7,  # larger first
                size=size,
                iso3=iso3,
            )
        )
    return tuple(labels)


def place_labels(places: Iterable[Place]) -> list[Label]:
    """Return a label per sea, region and strait, anchored where ``data/places.geojson`` says."""
    return [
        Label(
            kind=place.kind,
            text=place.name,
            anchors=tuple((lat, lon, ()) for lon, lat in place.anchors),
            min_zoom=PLACE_MIN_ZOOM[place.rank],
            priority=PRIORITY[place.kind] + place.rank / 10,
        )
        for place in places
    ]


def station_labels(routes: Sequence[Route]) -> list[Label]:
    """Return a label per named waypoint of the routes (once per name), from a closer zoom."""
    seen: set[str] = set()
    labels = []
    for route in routes:
        for waypoint in route.waypoints:
            if waypoint.name in seen:
                continue
            seen.add(waypoint.name)
            labels.append(
                Label(
                    kind="station",
                    text=waypoint.name,
                    anchors=((round(waypoint.lat, 2), round(waypoint.lon, 2), ()),),
                    min_zoom=STATION_MIN_ZOOM,
                    priority=PRIORITY["station"],
                )
            )
    return labels


def names_in(words: str, names: Iterable[str], *, not_in: Iterable[str] = ()) -> list[str]:
    """Return the ``names`` that ``words`` mention as whole words, once each, in their order.

    A tour step's map names first, at any zoom, the places its words talk about, so a teacher
    reading "Syunik" or "Kars" aloud can point at it (:class:`corridors.webmap.elements.Labels`).
    A name inside a longer word ("Iran" in "Iranian") is not a mention; one joined by a hyphen
    ("Kars" in "Kars-Gyumri") is, except inside a phrase of ``not_in``, the routes' own
    names, which the legend gives ("Baku" in "the Baku-Tbilisi-Kars railway").

    Examples
    --------
    >>> names_in("Iranian reactions; Kars-Gyumri", ["Iran", "Gyumri", "Kars"])
    ['Gyumri', 'Kars']
    >>> names_in("the Baku-Tbilisi-Kars railway", ["Baku"], not_in=["Baku-Tbilisi-Kars railway"])
    []
    """
    if not words:
        return []  # no step shown: the path of every run of the page
    for phrase in sorted(filter(None, not_in), key=len, reverse=True):
        words = words.replace(phrase, "\n")
    return list(
        dict.fromkeys(
            name for name in names if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", words)
        )
    )


def bypassed_labels(
    states_display: gpd.GeoDataFrame, bypassed: Iterable[tuple[str, str]], baseline: Route | None
) -> list[Label]:
    """Return a "bypassed" label per ``(iso3, name)``, anchored near the baseline first.

    The baseline's path through the state is where the reader is already looking (Russia's own
    centre is far off in Siberia): the roomy points of a fine grid over the state nearest the
    middle of that path come first, then the state's roomiest points. Every anchor keeps the
    name inside the state: where it has no room, the browser names the state as it names one
    the selected route crosses (in its part in view, else beside it on a leader), never beside
    an anchor, where it lay mostly over a neighbour and read as the neighbour's.
    """
    shown = dict(zip(states_display["iso3"], states_display.geometry, strict=True))
    path = () if baseline is None else tuple(leg.coords for leg in baseline.legs)
    return [
        _bypassed_label(iso3, name, shown[iso3], path) for iso3, name in bypassed if iso3 in shown
    ]


@lru_cache(maxsize=256)
def _bypassed_label(
    iso3: str,
    name: str,
    state: shapely.Geometry,
    baseline: tuple[tuple[tuple[float, float], ...], ...],
) -> Label:
    """Return one state's "bypassed" label; the same state and baseline give the same one.

    Worked out once: the map asks again on every run for the selected corridor's bypassed
    states, and finding the roomy points was a sixth of building its overlays.
    """
    geom = _to_mercator(state)
    part = _largest_part(geom)
    anchors = []
    path = _baseline_points(baseline)
    if len(path):
        x, y = _mercator(path[:, 0], path[:, 1])
        along = np.column_stack([x, y])[shapely.contains_xy(geom, x, y)]
        if len(along):
            middle = along[len(along) // 2]
            (xmin, ymin), (xmax, ymax) = along.min(axis=0), along.max(axis=0)
            margin = NEAR_BASELINE
            stretch = shapely.box(xmin - margin, ymin - margin, xmax + margin, ymax + margin)
            near = _grid(stretch, 2 * GRID)
            points = np.column_stack([near[0].ravel(), near[1].ravel()])
            points = points[np.argsort(np.hypot(*(points - middle).T))][: 4 * GRID]
            anchors = _best_anchors(geom, points, ANCHORS_PER_STATE)
    gx, gy = _grid(part)
    anchors += _best_anchors(geom, np.column_stack([gx.ravel(), gy.ravel()]), 3)
    return Label(
        kind="bypassed",
        text=name,
        note="bypassed",
        anchors=tuple(anchors),
        min_zoom=0.0,
        priority=PRIORITY["bypassed"],
        iso3=iso3,
    )


def _baseline_points(baseline: Sequence[Sequence[tuple[float, float]]]) -> np.ndarray:
    """Return the baseline's legs' vertices, densified to 0.1 degree, as ``(lon, lat)`` rows."""
    if not baseline:
        return np.empty((0, 2))
    lines = [shapely.segmentize(shapely.LineString(coords), 0.1) for coords in baseline]
    return np.concatenate([shapely.get_coordinates(line) for line in lines])
