"""Which states a route crosses, touches, skirts and bypasses, and how long it is.

Lengths and distances are geodesic on the WGS 84 ellipsoid (``pyproj.Geod``). Overlays run in
longitude/latitude on boundaries cut into small pieces held in an STRtree, so a route is matched
only against the few pieces near each of its segments and the cost grows with the route, not with
the size of Russia's coastline.

Defaults, and why:

- ``MIN_TRANSIT_KM = 5``: Natural Earth 1:10m borders are good to a few hundred metres and a
  curated line to about a kilometre; a shorter entry is a precision artefact, reported as a touch.
- ``SKIRT_KM = 25``: a state this close to the line can see and often influence the route
  (a border town, a river frontier) without being crossed.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from corridors.model import (
    LAND_MODES,
    MODES,
    STATUSES,
    Analysis,
    Chokepoint,
    Leg,
    Mode,
    Route,
    StateDistance,
    StateKm,
    StateRef,
)

if TYPE_CHECKING:
    import geopandas as gpd

GEOD = Geod(ellps="WGS84")
MIN_TRANSIT_KM = 5.0
SKIRT_KM = 25.0
#: Pieces of a state boundary hold at most this many vertices (as PostGIS ST_Subdivide does).
MAX_PIECE_VERTICES = 256
#: Lines are densified to this spacing (degrees) so that a straight segment in longitude/latitude
#: and the geodesic between its ends agree to well under a kilometre.
DENSIFY_DEG = 0.1
#: Kilometres per degree of latitude, rounded down (110.57 at the equator) with a 10 % margin, so a
#: search window in degrees never misses a candidate; exact distances are measured afterwards.
_KM_PER_DEG_SAFE = 100.0
#: The sphere used for simplifying (IUGG mean radius): tolerances are metres to within 0.5 %.
EARTH_RADIUS_M = 6_371_008.8
#: A line is simplified in chunks of at most this many vertices and this many km along it, so
#: GEOS's recursion stays shallow and the gnomonic projection of each chunk stays near true scale.
SIMPLIFY_CHUNK_VERTICES = 500
SIMPLIFY_CHUNK_KM = 500.0
#: Where a line enters a state is marked this far past the border (or halfway along a shorter
#: stretch inside): in the state, where a point on the border would belong to both.
ENTRY_INSIDE_KM = 0.1


def _subdivide(geom: shapely.Geometry, max_vertices: int) -> list[shapely.Geometry]:
    """Cut a polygon into pieces of at most ``max_vertices`` vertices by halving its bbox."""
    if shapely.get_num_coordinates(geom) <= max_vertices:
        return [geom] if not geom.is_empty else []
    xmin, ymin, xmax, ymax = geom.bounds
    if xmax - xmin >= ymax - ymin:
        mid = (xmin + xmax) / 2
        halves = [(xmin, ymin, mid, ymax), (mid, ymin, xmax, ymax)]
    else:
        mid = (ymin + ymax) / 2
        halves = [(xmin, ymin, xmax, mid), (xmin, mid, xmax, ymax)]
    pieces = []
    for rect in halves:
        clipped = shapely.clip_by_rect(geom, *rect)
        for part in shapely.get_parts(clipped):
            if part.geom_type == "Polygon" and not part.is_empty:
                pieces += _subdivide(part, max_vertices)
    return pieces


class StateIndex:
    """State boundaries cut into small pieces behind a spatial index.

    Build it once (it takes a second or two on the bundled boundaries) and share it: it is
    read-only after construction.
    """

    def __init__(self, states: gpd.GeoDataFrame, *, max_vertices: int = MAX_PIECE_VERTICES) -> None:
        # Imported here: a command that reads its analyses from the cache never needs pandas.
        import geopandas as gpd  # noqa: PLC0415

        if not isinstance(states, gpd.GeoDataFrame) or not {"iso3", "name"} <= set(states.columns):
            msg = (
                f"'states' should be a GeoDataFrame with iso3 and name columns, got {type(states)}"
            )
            raise TypeError(msg)
        self.names: dict[str, str] = dict(zip(states["iso3"], states["name"], strict=True))
        self.states = states
        pieces: list[shapely.Geometry] = []
        owners: list[str] = []
        for iso3, geom in zip(states["iso3"], states.geometry, strict=True):
            for polygon in shapely.get_parts(geom):
                cut = _subdivide(polygon, max_vertices)
                pieces += cut
                owners += [iso3] * len(cut)
        self.pieces = np.asarray(pieces, dtype=object)
        self.owners = np.asarray(owners, dtype=object)
        shapely.prepare(self.pieces)
        self.tree = shapely.STRtree(self.pieces)

    def name(self, iso3: str) -> str:
        """Return the English name of a state, or the code if it is not in the boundaries."""
        return self.names.get(iso3, iso3)

    def locate(self, lon: float, lat: float) -> str | None:
        """Return the ISO code of the state containing a point, or None at sea.

        Examples
        --------
        >>> index.locate(44.79, 41.72)  # Tbilisi  # doctest: +SKIP
        'GEO'
        """
        hits = self.tree.query(shapely.points(lon, lat), predicate="intersects")
        return str(self.owners[hits[0]]) if len(hits) else None

    def _pairs(self, geoms: np.ndarray, pad: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Return (geometry, piece) index pairs whose bounding boxes, widened by ``pad``, meet.

        No predicate here: the tree's own predicate prepares the small query geometry and tests
        it against the unprepared pieces; callers test the prepared pieces instead, much faster.
        """
        if pad:
            xmin, ymin, xmax, ymax = shapely.bounds(geoms).T
            geoms = shapely.box(xmin - pad, ymin - pad, xmax + pad, ymax + pad)
        geom_idx, piece_idx = self.tree.query(geoms)
        return geom_idx, piece_idx

    def passage(self, lines: Sequence[LineString]) -> Passage:
        """Return how the lines pass through the states: km in each, where each is entered."""
        return self._overlay(_segments(lines)).passage()

    def _overlay(self, segments: np.ndarray) -> _Overlay:
        """Return the part of each segment (:func:`_segments`) inside each state's pieces.

        One overlay gives both the kilometres and the order the states are entered in, so a
        route's table, a leg's closures and the network's edges read the same crossing.
        """
        if len(segments) == 0:
            return _Overlay(np.empty(0, dtype=int), np.empty(0, dtype=object), *np.zeros((4, 0)))
        seg_idx, piece_idx = self._pairs(segments)
        pieces, segs = self.pieces[piece_idx], segments[seg_idx]
        # Most segments lie wholly inside one piece: their whole length counts, entered at their
        # start, no overlay needed.
        whole = shapely.contains_properly(pieces, segs)
        cut = np.flatnonzero(~whole & shapely.intersects(pieces, segs))
        km = np.zeros(len(seg_idx))
        km[whole] = _geodesic_km(segments)[seg_idx[whole]]
        start = np.zeros(len(seg_idx))
        inside = shapely.intersection(segs[cut], pieces[cut])
        km[cut] = _geodesic_km(inside)
        start[cut], entered = _first_inside(segs[cut], pieces[cut], inside)
        entry = shapely.get_coordinates(segs).reshape(-1, 2, 2)[:, 0]
        entry[cut] = entered
        keep = km > 0
        return _Overlay(
            seg_idx[keep], self.owners[piece_idx[keep]], km[keep], start[keep], *entry[keep].T
        )

    def nearest_km(
        self, lines: Sequence[LineString], within_km: float, *, exclude: Collection[str] = ()
    ) -> dict[str, float]:
        """Return, for each state within ``within_km`` of the lines, its geodesic distance in km.

        States in ``exclude`` (those the route enters, say) are not measured.
        """
        return self._nearest_km(_segments(lines), within_km, exclude=exclude)

    def _nearest_km(
        self, segments: np.ndarray, within_km: float, *, exclude: Collection[str] = ()
    ) -> dict[str, float]:
        """Return :meth:`nearest_km` of the segments of lines (:func:`_segments`)."""
        if len(segments) == 0:
            return {}
        # Search window in degrees: generous in longitude at the segments' highest latitude.
        lat = np.abs(shapely.get_coordinates(segments)[:, 1]).max()
        pad = within_km / (_KM_PER_DEG_SAFE * max(np.cos(np.radians(min(lat, 85.0))), 0.05))
        seg_idx, piece_idx = self._pairs(segments, pad)
        if exclude:
            keep = ~np.isin(self.owners[piece_idx], list(exclude))
            seg_idx, piece_idx = seg_idx[keep], piece_idx[keep]
        near = _dwithin(self.pieces[piece_idx], segments[seg_idx], pad)
        seg_idx, piece_idx = seg_idx[near], piece_idx[near]
        if len(seg_idx) == 0:
            return {}
        km = _nearest_geodesic_km(segments[seg_idx], self.pieces[piece_idx])
        best: dict[str, float] = {}
        for owner, value in zip(self.owners[piece_idx], km, strict=True):
            if value <= within_km and value < best.get(str(owner), np.inf):
                best[str(owner)] = float(value)
        return best


@dataclass(frozen=True)
class Passage:
    """How lines pass through the states, each state where the lines first enter it.

    ``km`` holds the geodesic kilometres inside each state, ``entries`` where the lines first
    run inside it (lon, lat: their start if they start there, else :data:`ENTRY_INSIDE_KM`
    past its border, so the point lies in the state); both in travel order.
    """

    km: dict[str, float]
    entries: dict[str, tuple[float, float]]


@dataclass(frozen=True)
class _Overlay:
    """Each stretch of a line's segments inside one piece of a state: one row per pair."""

    segment: np.ndarray
    owner: np.ndarray
    km: np.ndarray
    #: Where along its segment (0 to 1) the stretch starts: the order within a segment.
    start: np.ndarray
    lon: np.ndarray
    lat: np.ndarray

    def first(self) -> dict[str, int]:
        """Return each state's first row along the lines, the states in travel order."""
        first: dict[str, int] = {}
        for row in np.lexsort((self.start, self.segment)).tolist():
            first.setdefault(str(self.owner[row]), row)
        return first

    def km_by_state(self, rows: np.ndarray | None = None) -> dict[str, float]:
        """Return the kilometres inside each state, of all rows or of the ``rows`` mask."""
        owners, km = (self.owner, self.km) if rows is None else (self.owner[rows], self.km[rows])
        totals: dict[str, float] = defaultdict(float)
        for owner, value in zip(owners, km, strict=True):
            totals[str(owner)] += value
        return dict(totals)

    def passage(self) -> Passage:
        """Return the :class:`Passage` of the lines whose segments were overlaid."""
        first = self.first()
        totals = self.km_by_state()
        return Passage(
            {iso3: float(totals[iso3]) for iso3 in first},
            {iso3: (float(self.lon[r]), float(self.lat[r])) for iso3, r in first.items()},
        )


def _first_inside(
    segments: np.ndarray, pieces: np.ndarray, inside: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Return where each segment's first stretch ``inside`` its piece starts (0 to 1), and a point.

    ``inside`` is each two-point segment's intersection with its piece: one stretch, several,
    or a point where it only touches (then the start is 1). The point is the segment's start
    where that lies inside the piece, else :data:`ENTRY_INSIDE_KM` into the stretch (halfway
    along a shorter one): in the piece, not on the border it shares with the state before.
    """
    ends = shapely.get_coordinates(segments).reshape(-1, 2, 2)
    start, point = np.ones(len(segments)), ends[:, 1].copy()
    parts, owner = shapely.get_parts(inside, return_index=True)
    stretch = shapely.length(parts) > 0
    parts, owner = parts[stretch], owner[stretch]
    if len(parts) == 0:
        return start, point
    coords, part = shapely.get_coordinates(parts, return_index=True)
    a, d = ends[owner, 0], ends[owner, 1] - ends[owner, 0]
    along = np.einsum("ij,ij->i", coords - a[part], d[part]) / np.einsum("ij,ij->i", d, d)[part]
    first, last = np.full(len(parts), np.inf), np.full(len(parts), -np.inf)
    np.minimum.at(first, part, along)
    np.maximum.at(last, part, along)
    # Each segment's earliest stretch: sort by (segment, start), keep the first of each.
    order = np.lexsort((first, owner))
    segment, head = np.unique(owner[order], return_index=True)
    chosen = order[head]
    into = np.minimum(0.5, ENTRY_INSIDE_KM / _geodesic_km(parts[chosen]))
    start[segment] = first[chosen]
    at = first[chosen] + (last[chosen] - first[chosen]) * into
    point[segment] = a[chosen] + at[:, None] * d[chosen]
    # A segment that starts inside, not on the border, is entered at its start, as a whole one is.
    begins = np.flatnonzero(start < 1e-9)
    inner = begins[shapely.contains_xy(pieces[begins], *ends[begins, 0].T)]
    point[inner] = ends[inner, 0]
    return start, point


def _dwithin(a: Any, b: Any, distance: float) -> np.ndarray:
    """Return ``shapely.dwithin(a, b, distance)`` without numpy's floating-point warnings.

    GEOS can divide by zero on its way past a degenerate (zero-length) edge and leave the flag
    that numpy reports as a RuntimeWarning (seen in fuzzing uploads); such an edge is a point
    its neighbouring edges already reach, so the answer stands.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return shapely.dwithin(a, b, distance)


def _segments(lines: Iterable[LineString]) -> np.ndarray:
    """Split lines into densified two-point segments (an array of LineStrings)."""
    return _numbered_segments(list(lines))[0]


def _numbered_segments(
    lines: Sequence[LineString] | np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Return :func:`_segments` of the lines, in order, and which line each segment is from."""
    dense = shapely.segmentize(np.asarray(lines, dtype=object), DENSIFY_DEG)
    coords, line = shapely.get_coordinates(dense, return_index=True)
    same = line[:-1] == line[1:]
    starts, stops, line = coords[:-1][same], coords[1:][same], line[:-1][same]
    # Drop zero-length segments (repeated or denormal-close vertices): they have no direction.
    keep = np.hypot(*(stops - starts).T) > 1e-9
    if not keep.any():
        return np.empty(0, dtype=object), np.empty(0, dtype=int)
    return shapely.linestrings(np.stack([starts[keep], stops[keep]], axis=1)), line[keep]


def _geodesic_km(geoms: np.ndarray) -> np.ndarray:
    """Return the geodesic length in km of each (multi)line in an array; points count zero."""
    parts, owner = shapely.get_parts(geoms, return_index=True)
    coords, part_idx = shapely.get_coordinates(parts, return_index=True)
    km = np.zeros(len(geoms))
    if len(coords) < 2:
        return km
    same_part = part_idx[:-1] == part_idx[1:]
    _, _, dist = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    dist = np.where(same_part, dist, 0.0)
    np.add.at(km, owner[part_idx[:-1]], dist / 1000.0)
    return km


def _nearest_geodesic_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Return geodesic km between the nearest points of each pair (a[i], b[i]).

    Nearest points are found in a plane whose longitudes are scaled by cos(latitude) at the pair,
    which is locally close to equidistant, then measured on the ellipsoid.
    """
    if len(a) == 0:
        return np.empty(0)
    lat0 = np.radians(shapely.get_coordinates(shapely.centroid(a))[:, 1])
    scale = np.cos(lat0)

    def squash(geoms: np.ndarray) -> np.ndarray:
        coords, owner = shapely.get_coordinates(geoms, return_index=True)
        coords[:, 0] *= scale[owner]
        return shapely.set_coordinates(geoms.copy(), coords)

    shortest = shapely.shortest_line(squash(a), squash(b))
    ends = shapely.get_coordinates(shortest).reshape(-1, 2, 2)
    lon1, lon2 = ends[:, 0, 0] / scale, ends[:, 1, 0] / scale
    _, _, dist = GEOD.inv(lon1, ends[:, 0, 1], lon2, ends[:, 1, 1])
    return dist / 1000.0


def _gnomonic_m(coords: np.ndarray, lon0: float, lat0: float) -> np.ndarray:
    """Return (lon, lat) degrees as metres in the sphere's gnomonic projection at (lon0, lat0).

    The gnomonic projection draws every great circle as a straight line, so a vertex's
    distance from a chord there is its distance from the geodesic between the chord's ends,
    which is how the analysis reads the line. Its scale is 1 at the centre and grows to
    1/cos^2 of the angular distance: under 0.7 % within :data:`SIMPLIFY_CHUNK_KM`.
    """
    lon, lat = np.radians(coords[:, 0] - lon0), np.radians(coords[:, 1])
    phi0 = np.radians(lat0)
    cos_c = np.sin(phi0) * np.sin(lat) + np.cos(phi0) * np.cos(lat) * np.cos(lon)
    x = np.cos(lat) * np.sin(lon) / cos_c
    y = (np.cos(phi0) * np.sin(lat) - np.sin(phi0) * np.cos(lat) * np.cos(lon)) / cos_c
    return np.column_stack([x, y]) * EARTH_RADIUS_M


def _chunk_ends(coords: np.ndarray) -> list[int]:
    """Return the vertex indices that cut a line into simplifiable chunks, first and last included.

    A chunk holds at most :data:`SIMPLIFY_CHUNK_VERTICES` vertices and runs at most
    :data:`SIMPLIFY_CHUNK_KM` along the line (one longer segment is a chunk of its own).
    """
    _, _, dist = GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    ends, run = [0], 0.0
    for i, metres in enumerate(np.asarray(dist, dtype=float), start=1):
        too_long = run + metres > SIMPLIFY_CHUNK_KM * 1000.0
        if i - 1 > ends[-1] and (too_long or i - ends[-1] >= SIMPLIFY_CHUNK_VERTICES):
            ends.append(i - 1)
            run = 0.0
        run += metres
    if ends[-1] != len(coords) - 1:
        ends.append(len(coords) - 1)
    return ends


def simplify_line(
    coords: Sequence[tuple[float, float]], tolerance_m: float
) -> tuple[tuple[float, float], ...]:
    """Drop vertices within ``tolerance_m`` metres of the geodesic between the vertices kept.

    Douglas-Peucker runs in metres, in a gnomonic projection centred on each chunk of the line
    (see :func:`_chunk_ends`), never in degrees: a degree-simplified line along a parallel
    collapses to its two ends and a geodesic that goes the other way round. Chunks also bound
    the depth of GEOS's recursion, which overflows the stack on a long zigzag. Chunk ends are
    always kept, so the result stays within ``tolerance_m`` (times the projection's scale, see
    :func:`_gnomonic_m`) of the line as given, and no longer than it.

    Examples
    --------
    >>> len(simplify_line([(lon / 10, 60.0) for lon in range(-1790, 1791)], 100.0)) > 300
    True
    >>> simplify_line([(0.0, 0.0), (0.5, 0.0), (1.0, 0.0)], 100.0)
    ((0.0, 0.0), (1.0, 0.0))
    """
    if tolerance_m < 0:
        msg = f"tolerance_m must be non-negative, got {tolerance_m}"
        raise ValueError(msg)
    points = np.asarray(coords, dtype=float).reshape(-1, 2)
    if len(points) < 3:
        return tuple((float(x), float(y)) for x, y in points)
    ends = _chunk_ends(points)
    keep = np.zeros(len(points), dtype=bool)
    keep[ends] = True
    for start, stop in itertools.pairwise(ends):
        if stop - start < 2:
            continue
        chunk = points[start : stop + 1]
        middle = chunk[len(chunk) // 2]
        flat = _gnomonic_m(chunk, float(middle[0]), float(middle[1]))
        with np.errstate(divide="ignore", invalid="ignore"):  # degenerate edges, see _dwithin
            simple = shapely.simplify(
                shapely.linestrings(flat), tolerance_m, preserve_topology=False
            )
        kept = shapely.get_coordinates(simple)
        # Douglas-Peucker keeps a subset of the vertices: find them again by position.
        keep[start : stop + 1] |= np.isin(flat @ [1, 1j], kept @ [1, 1j])
    return tuple((float(x), float(y)) for x, y in points[keep])


def leg_line(leg: Leg) -> LineString:
    """Return a leg's geometry."""
    return shapely.linestrings(leg.coords)


def leg_km(leg: Leg) -> float:
    """Return the geodesic length of a leg in km.

    Examples
    --------
    >>> from corridors.model import Leg
    >>> round(leg_km(Leg("a", "a", "rail", "operational", ((0.0, 0.0), (1.0, 0.0)))), 1)
    111.3
    """
    return float(_geodesic_km(np.asarray([leg_line(leg)], dtype=object))[0])


def point_distance_km(
    lon: float, lat: float, lines: Sequence[LineString], *, within_km: float
) -> float:
    """Return the geodesic km from a point to the nearest line, or ``inf`` beyond ``within_km``.

    Examples
    --------
    >>> round(point_distance_km(1.0, 0.09, [LineString([(0, 0), (2, 0)])], within_km=50), 2)
    9.95
    """
    segments = _segments(lines)
    point = shapely.points(lon, lat)
    pad = within_km / (_KM_PER_DEG_SAFE * max(np.cos(np.radians(min(abs(lat), 85.0))), 0.05))
    near = segments[_dwithin(segments, point, pad)] if len(segments) else segments
    if len(near) == 0:
        return float("inf")
    km = float(_nearest_geodesic_km(near, np.full(len(near), point)).min())
    return km if km <= within_km else float("inf")


def chokepoints_passed(
    lines: Sequence[LineString], chokepoints: Iterable[Chokepoint]
) -> tuple[str, ...]:
    """Return ids of the chokepoints whose point lies within their radius of any of the lines."""
    return _chokepoints_passed(_segments(lines), chokepoints)


def _chokepoints_passed(segments: np.ndarray, chokepoints: Iterable[Chokepoint]) -> tuple[str, ...]:
    """Return :func:`chokepoints_passed` of the segments of lines (:func:`_segments`)."""
    chokepoints = tuple(chokepoints)
    if not chokepoints or len(segments) == 0:
        return ()
    lon = np.array([cp.lon for cp in chokepoints])
    lat = np.array([cp.lat for cp in chokepoints])
    radius = np.array([cp.radius_km for cp in chokepoints])
    cos_lat = np.maximum(np.cos(np.radians(np.minimum(np.abs(lat), 85.0))), 0.05)
    points = shapely.points(lon, lat)
    # One query for every chokepoint against the segments, cut once, not once per chokepoint.
    with np.errstate(divide="ignore", invalid="ignore"):  # see _dwithin
        point_idx, seg_idx = shapely.STRtree(segments).query(
            points, predicate="dwithin", distance=radius / (_KM_PER_DEG_SAFE * cos_lat)
        )
    nearest = np.full(len(chokepoints), np.inf)
    if len(point_idx):
        km = _nearest_geodesic_km(segments[seg_idx], points[point_idx])
        np.minimum.at(nearest, point_idx, km)
    return tuple(cp.id for cp, km in zip(chokepoints, nearest, strict=True) if km <= cp.radius_km)


@dataclass(frozen=True)
class _RouteLines:
    """A route's legs' lengths and segments, in travel order, made once.

    Splitting lines into segments was a third of analysing a route when each measure did it.
    """

    #: Each leg's geodesic km, as :func:`leg_km` measures it.
    km: np.ndarray
    segments: np.ndarray
    #: For each segment, whether its leg is a sea or ferry leg.
    water: np.ndarray

    @property
    def land(self) -> np.ndarray:
        """The rail and road legs' segments: only they can skirt a state."""
        return self.segments[~self.water]

    @classmethod
    def of(cls, route: Route) -> _RouteLines:
        lines = np.asarray([leg_line(leg) for leg in route.legs], dtype=object)
        segments, leg = _numbered_segments(lines)
        water = np.asarray([leg.mode not in LAND_MODES for leg in route.legs], dtype=bool)
        return cls(_geodesic_km(lines), segments, water[leg])


@dataclass(frozen=True)
class _Crossing:
    transit: tuple[StateKm, ...]
    touches: tuple[StateKm, ...]


def _crossings(
    lines: _RouteLines, index: StateIndex, min_transit_km: float, length_km: float
) -> _Crossing:
    """Sort the states the route enters into transit and touches, in the order it enters them."""
    overlay = index._overlay(lines.segments)
    water = lines.water[overlay.segment]
    land_km, water_km = overlay.km_by_state(~water), overlay.km_by_state(water)
    transit: list[StateKm] = []
    touches: list[StateKm] = []
    for iso3 in overlay.first():
        km = land_km.get(iso3, 0.0) + water_km.get(iso3, 0.0)
        # A ship only crosses land through a canal; short overlaps are coastline precision.
        via_canal = land_km.get(iso3, 0.0) < min_transit_km <= km
        share = km / length_km if length_km else 0.0
        record = StateKm(iso3, index.name(iso3), float(km), float(share), bool(via_canal))
        (transit if km >= min_transit_km else touches).append(record)
    return _Crossing(tuple(transit), tuple(touches))


def analyse_route(
    route: Route,
    index: StateIndex,
    chokepoints: Iterable[Chokepoint] = (),
    baseline: Analysis | None = None,
    *,
    min_transit_km: float = MIN_TRANSIT_KM,
    skirt_km: float = SKIRT_KM,
) -> Analysis:
    """Analyse one route against the boundaries and, if given, its baseline's analysis.

    Parameters
    ----------
    route
        Any route: a bundled corridor, or a user's line wrapped by :func:`route_from_lines`.
    index
        The boundaries, see :class:`StateIndex`.
    chokepoints
        Chokepoints to test; a route passes one when its line comes within the chokepoint's radius.
    baseline
        Analysis of the existing route this one is an alternative to: states it crosses and this
        route does not are *bypassed*, chokepoints it passes and this route does not are *avoided*.
    min_transit_km
        Shorter entries into a state are reported as touches, not transit.
    skirt_km
        States this close to a land leg that the route never enters are reported as skirted.

    Examples
    --------
    >>> analysis = analyse_route(route, index)  # doctest: +SKIP
    >>> [s.iso3 for s in analysis.transit]  # doctest: +SKIP
    ['AZE', 'GEO', 'TUR']
    """
    if min_transit_km < 0 or skirt_km < 0:
        msg = (
            "thresholds must be non-negative, got "
            f"min_transit_km={min_transit_km}, skirt_km={skirt_km}"
        )
        raise ValueError(msg)
    chokepoints = tuple(chokepoints)
    km_by_mode: dict[str, float] = defaultdict(float)
    km_by_status: dict[str, float] = defaultdict(float)
    lines = _RouteLines.of(route)
    for leg, km in zip(route.legs, lines.km.tolist(), strict=True):
        km_by_mode[leg.mode] += km
        km_by_status[leg.status] += km
    length_km = sum(km_by_mode.values())
    crossing = _crossings(lines, index, min_transit_km, length_km)
    entered = {s.iso3 for s in crossing.transit + crossing.touches}
    near = index._nearest_km(lines.land, skirt_km, exclude=entered)
    skirted = tuple(
        StateDistance(iso3, index.name(iso3), float(km))
        for iso3, km in sorted(near.items(), key=lambda item: (item[1], item[0]))
        if iso3 not in entered
    )
    passed = _chokepoints_passed(lines.segments, chokepoints)
    crossed = {s.iso3 for s in crossing.transit}
    bypassed: tuple[StateRef, ...] = ()
    avoided: tuple[str, ...] = ()
    if baseline is not None:
        bypassed = tuple(
            StateRef(s.iso3, s.name) for s in baseline.transit if s.iso3 not in crossed
        )
        avoided = tuple(c for c in baseline.chokepoints if c not in passed)
    return Analysis(
        route_id=route.id,
        name=route.name,
        baseline=route.baseline if baseline is None else baseline.route_id,
        length_km=float(length_km),
        transit=crossing.transit,
        touches=crossing.touches,
        skirted=skirted,
        bypassed=bypassed,
        chokepoints=passed,
        chokepoints_avoided=avoided,
        km_by_mode=tuple((m, float(km_by_mode[m])) for m in MODES if m in km_by_mode),
        km_by_status=tuple((s, float(km_by_status[s])) for s in STATUSES if s in km_by_status),
    )


def analyse_routes(
    routes: Mapping[str, Route],
    index: StateIndex,
    chokepoints: Iterable[Chokepoint] = (),
    *,
    min_transit_km: float = MIN_TRANSIT_KM,
    skirt_km: float = SKIRT_KM,
) -> dict[str, Analysis]:
    """Analyse every route, baselines first so each corridor is compared with its baseline."""
    chokepoints = tuple(chokepoints)
    results: dict[str, Analysis] = {}
    for route in sorted(routes.values(), key=lambda r: r.baseline is not None):
        base = results.get(route.baseline) if route.baseline else None
        if route.baseline and base is None and route.baseline in routes:
            base = analyse_route(
                routes[route.baseline],
                index,
                chokepoints,
                min_transit_km=min_transit_km,
                skirt_km=skirt_km,
            )
        results[route.id] = analyse_route(
            route, index, chokepoints, base, min_transit_km=min_transit_km, skirt_km=skirt_km
        )
    return {rid: results[rid] for rid in routes}


def route_from_lines(
    lines: LineString | MultiLineString | Sequence[LineString],
    *,
    route_id: str = "custom",
    name: str = "Custom route",
    mode: Mode = "rail",
    baseline: str | None = None,
) -> Route:
    """Wrap any user-supplied (Multi)LineString as a route of one leg per line, for analysis."""
    if isinstance(lines, LineString):
        lines = [lines]
    elif isinstance(lines, MultiLineString):
        lines = list(lines.geoms)
    legs = tuple(
        Leg(
            id=f"{route_id}-{i + 1}",
            name=f"{name} part {i + 1}",
            mode=mode,
            status="proposed",
            coords=tuple((float(x), float(y)) for x, y, *_ in line.coords),
        )
        for i, line in enumerate(lines)
    )
    if not legs:
        msg = "a route needs at least one line"
        raise ValueError(msg)
    return Route(
        id=route_id,
        name=name,
        role="corridor",
        description="A route supplied by the user.",
        colour="#000000",
        baseline=baseline,
        origin="",
        destination="",
        declared_transit=(),
        legs=legs,
        waypoints=(),
        user=True,
    )
