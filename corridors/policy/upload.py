"""A route the viewer uploads as GeoJSON, checked before anything else sees it.

The file comes from outside, so :func:`parse_upload` trusts nothing: it bounds the size, the
nesting and the number of vertices before it walks the data, and it ends either in an
:class:`UploadedRoute` or in an :class:`UploadError` saying what is wrong in words a viewer can act
on. Names and properties are kept as plain text; escaping happens where they are shown.
"""

from __future__ import annotations

import itertools
import json
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from shapely.geometry import LineString

from corridors.geometry import StateIndex, analyse_route, route_from_lines, simplify_line
from corridors.model import Analysis, Chokepoint, Mode, Route

MAX_BYTES = 5_000_000
MAX_VERTICES = 100_000
#: Lines (MultiLineString parts, or line features) per upload: each becomes a leg the analysis
#: walks and a table row, and 50,000 two-point parts took seconds where one line of as many
#: vertices takes a fraction; a GPS track split into segments has tens.
MAX_PARTS = 1_000
#: A FeatureCollection of MultiLineStrings nests six deep; anything far deeper is not a route.
MAX_DEPTH = 20
#: Names and property values are cut to these lengths: they label a route, they are not documents.
MAX_NAME_CHARS = 80
MAX_PROPERTY_CHARS = 200
MAX_PROPERTIES = 50
#: Skipped features are listed up to this many, then counted: a file of 100,000 markers beside
#: its line must not become 100,000 captions on the page.
MAX_IGNORED = 20
#: Longest route, as the sum of its segments in degrees of longitude and latitude: twice around
#: the world. The analysis works on the line cut into 0.1-degree pieces, so a few vertices that
#: jump back and forth across the map would otherwise hold the server for minutes.
MAX_SPAN_DEG = 720.0
#: Uploads are analysed at this detail, in metres: finer than the borders they are checked
#: against (Natural Earth 1:10m, a few hundred metres), so it never changes which states a
#: route crosses, while it keeps GPS jitter from adding length and a 100,000-vertex track from
#: taking seconds. See :func:`corridors.geometry.simplify_line`.
SIMPLIFY_M = 100.0
UPLOAD_ID = "your-route"
DEFAULT_NAME = "Your route"
DRAWN_NAME = "Your drawn route"

_LINE_TYPES = ("LineString", "MultiLineString")
_JSON_KINDS = {list: "array", str: "string", int: "number", float: "number", bool: "boolean"}


class UploadError(ValueError):
    """The uploaded file is not a usable route; the message says why, for the viewer."""


@dataclass(frozen=True)
class UploadedRoute:
    """A parsed upload: its lines as (lon, lat) tuples, its name and its properties as text."""

    name: str
    lines: tuple[tuple[tuple[float, float], ...], ...]
    properties: tuple[tuple[str, str], ...] = ()
    ignored: tuple[str, ...] = ()

    @property
    def vertex_count(self) -> int:
        """Number of vertices over all lines."""
        return sum(len(line) for line in self.lines)

    def to_route(self, *, baseline: str | None = None, mode: Mode = "rail") -> Route:
        """Return a new :class:`Route` for analysis, simplified to :data:`SIMPLIFY_M`.

        Built-in data is never touched.
        """
        return route_from_lines(
            [LineString(simplify_line(line, SIMPLIFY_M)) for line in self.lines],
            route_id=UPLOAD_ID,
            name=self.name,
            mode=mode,
            baseline=baseline,
        )


def _plain(value: Any, limit: int) -> str:
    """Return a value as one line of text without control characters, cut to ``limit``."""
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = "".join(ch if ch.isprintable() else " " for ch in text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _depth(data: Any) -> int:
    """Return how deeply objects and arrays nest in parsed JSON, level by level, stopping early."""
    depth, level = 0, [data] if isinstance(data, dict | list) else []
    while level and depth <= MAX_DEPTH:
        depth += 1
        level = [
            child
            for node in level
            for child in (node.values() if isinstance(node, dict) else node)
            if isinstance(child, dict | list)
        ]
    return depth


def _properties(obj: dict) -> dict:
    props = obj.get("properties")
    return props if isinstance(props, dict) else {}


def _decode(data: bytes, max_bytes: int) -> Any:
    if not isinstance(data, bytes | bytearray):
        msg = f"expected the file's bytes, got {type(data).__name__}"
        raise TypeError(msg)
    if not data.strip():
        msg = "The file is empty."
        raise UploadError(msg)
    if len(data) > max_bytes:
        msg = f"The file is {len(data):,} bytes; the limit is {max_bytes:,} bytes."
        raise UploadError(msg)
    try:
        text = bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        msg = f"The file is not UTF-8 text (bad byte at position {exc.start}). Save it as UTF-8."
        raise UploadError(msg) from None
    too_deep = f"The file is nested too deeply (more than {MAX_DEPTH} levels) to be GeoJSON."
    try:
        parsed = json.loads(text)
    except RecursionError:
        raise UploadError(too_deep) from None
    except json.JSONDecodeError as exc:
        msg = f"The file is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        raise UploadError(msg) from None
    except ValueError:  # Python refuses integers of more than 4,300 digits
        msg = "The file is not valid JSON: it holds a number too long to read."
        raise UploadError(msg) from None
    if _depth(parsed) > MAX_DEPTH:
        raise UploadError(too_deep)
    return parsed


def _line_geometries(data: Any) -> Iterator[tuple[str, Any, dict]]:
    """Yield (where, geometry, properties) for every geometry in a GeoJSON object."""
    if not isinstance(data, dict):
        msg = f"The file holds a JSON {_JSON_KINDS.get(type(data), 'null')}, not a GeoJSON object."
        raise UploadError(msg)
    kind = data.get("type")
    if not isinstance(kind, str):
        msg = 'The file is JSON but not GeoJSON: its object has no "type".'
        raise UploadError(msg)
    if kind == "FeatureCollection":
        features = data.get("features")
        if not isinstance(features, list) or not features:
            msg = "The FeatureCollection has no features."
            raise UploadError(msg)
        for number, feature in enumerate(features, start=1):
            if not isinstance(feature, dict) or feature.get("type") != "Feature":
                msg = f"Feature {number} is not a GeoJSON Feature."
                raise UploadError(msg)
            yield f"Feature {number}", feature.get("geometry"), _properties(feature)
    elif kind == "Feature":
        yield "The feature", data.get("geometry"), _properties(data)
    else:
        yield "The geometry", data, {}


def _point(position: Any, where: str) -> tuple[float, float]:
    if not isinstance(position, list) or len(position) not in {2, 3}:
        msg = (
            f"{where}: a position must be [longitude, latitude] or [longitude, latitude, "
            f"altitude], got {_plain(position, 40)}."
        )
        raise UploadError(msg)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in position):
        msg = f"{where}: coordinates must be numbers, got {_plain(position, 40)}."
        raise UploadError(msg)
    try:
        lon, lat = float(position[0]), float(position[1])
    except OverflowError:  # an integer too large for a float is out of range anyway
        lon = lat = math.inf
    if math.isnan(lon) or math.isnan(lat):
        msg = f"{where}: coordinates must be numbers, got NaN."
        raise UploadError(msg)
    if not (abs(lon) <= 180 and abs(lat) <= 90):
        msg = (
            f"{where}: [{lon:g}, {lat:g}] is out of range; GeoJSON is [longitude, latitude] with "
            "longitude from -180 to 180 and latitude from -90 to 90."
        )
        raise UploadError(msg)
    return lon, lat


def _lines(geometry: dict, where: str) -> list[tuple[str, Any]]:
    coords = geometry.get("coordinates")
    if geometry["type"] == "LineString":
        return [(where, coords)]
    if not isinstance(coords, list) or not coords:
        msg = f"{where}: a MultiLineString needs a list of lines."
        raise UploadError(msg)
    return [(f"{where}, line {n}", line) for n, line in enumerate(coords, start=1)]


def parse_upload(  # noqa: PLR0912 -- one flat list of checks, each its own message
    data: bytes,
    *,
    max_bytes: int = MAX_BYTES,
    max_vertices: int = MAX_VERTICES,
    max_parts: int = MAX_PARTS,
) -> UploadedRoute:
    """Parse an uploaded GeoJSON LineString or MultiLineString (bare, Feature or collection).

    Features of other geometry types in a collection are skipped and listed in ``ignored``, so a
    file with a few markers beside the line still loads.

    Raises
    ------
    UploadError
        If the file is empty, too large, not UTF-8, not JSON, nested too deep, holds no line or
        more than ``max_parts`` lines, or a line has bad coordinates, too many vertices or fewer
        than two distinct points, crosses the 180th meridian, or the lines run more than
        :data:`MAX_SPAN_DEG` degrees across the map.
    """
    parsed = _decode(data, max_bytes)
    lines: list[tuple[tuple[float, float], ...]] = []
    ignored: list[str] = []
    found_types: list[str] = []
    name = ""
    properties: tuple[tuple[str, str], ...] = ()
    vertices = 0
    span = 0.0
    for where, geometry, props in _line_geometries(parsed):
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind not in _LINE_TYPES:
            found_types.append(str(kind) if isinstance(kind, str) else "no geometry")
            ignored.append(f"{where}: {_plain(found_types[-1], 40)} skipped (not a line)")
            continue
        for place, coords in _lines(geometry, where):
            if len(lines) >= max_parts:
                msg = (
                    f"The route has more than {max_parts:,} separate lines; join them into "
                    "fewer lines first."
                )
                raise UploadError(msg)
            if not isinstance(coords, list):
                msg = f"{place}: coordinates must be a list of positions."
                raise UploadError(msg)
            vertices += len(coords)
            if vertices > max_vertices:
                msg = f"The route has more than {max_vertices:,} vertices; simplify it first."
                raise UploadError(msg)
            line = tuple(_point(p, f"{place}, point {i}") for i, p in enumerate(coords, start=1))
            if len(set(line)) < 2:
                msg = f"{place}: a line needs at least 2 distinct points, got {len(set(line))}."
                raise UploadError(msg)
            for i, (a, b) in enumerate(itertools.pairwise(line), start=2):
                if abs(b[0] - a[0]) > 180:
                    # Drawn and cut in longitude/latitude, such a segment would go the long way
                    # round the world while its length is measured the short way.
                    msg = (
                        f"{place}, point {i}: the line jumps {abs(b[0] - a[0]):.0f} degrees of "
                        "longitude across the 180th meridian; split it there (RFC 7946, 3.1.9)."
                    )
                    raise UploadError(msg)
            span += sum(math.dist(a, b) for a, b in itertools.pairwise(line))
            if span > MAX_SPAN_DEG:
                msg = (
                    f"{place}: the route runs more than {MAX_SPAN_DEG:,.0f} degrees across the "
                    "map, twice around the world; check that positions are [longitude, latitude] "
                    "and that no line jumps across the map."
                )
                raise UploadError(msg)
            lines.append(line)
        if not name and isinstance(props.get("name"), str):
            name = _plain(props["name"], MAX_NAME_CHARS)
        if not properties:
            properties = tuple(
                (_plain(k, MAX_NAME_CHARS), _plain(v, MAX_PROPERTY_CHARS))
                for k, v in list(props.items())[:MAX_PROPERTIES]
            )
    if not name and isinstance(parsed.get("name"), str):
        name = _plain(parsed["name"], MAX_NAME_CHARS)  # ogr2ogr and QGIS name the collection
    if not lines:
        got = ", ".join(dict.fromkeys(found_types)) or "nothing"
        msg = f"The file holds no LineString or MultiLineString (found {_plain(got, 80)})."
        raise UploadError(msg)
    if len(ignored) > MAX_IGNORED:
        more = len(ignored) - MAX_IGNORED
        ignored[MAX_IGNORED:] = [f"{more:,} more features skipped (not lines)"]
    return UploadedRoute(name or DEFAULT_NAME, tuple(lines), properties, tuple(ignored))


def drawing_to_geojson(features: Any) -> bytes | None:
    """Return the lines drawn on the map as a file :func:`parse_upload` reads, or None if none.

    ``features`` is streamlit-folium's ``all_drawings``: GeoJSON features from the browser,
    which are checked like any upload. Their properties are dropped; shapes other than lines
    cannot be drawn, and are skipped if they come anyway.

    Raises
    ------
    UploadError
        If the drawing nests deeper than any GeoJSON line (it was crafted, not drawn).
    """
    if not isinstance(features, list):
        return None
    if _depth(features) > MAX_DEPTH:
        msg = f"The drawing is nested too deeply (more than {MAX_DEPTH} levels) to be GeoJSON."
        raise UploadError(msg)
    geometries = [
        f["geometry"]
        for f in features
        if isinstance(f, dict)
        and isinstance(f.get("geometry"), dict)
        and f["geometry"].get("type") in _LINE_TYPES
    ]
    if not geometries:
        return None
    collection = {
        "type": "FeatureCollection",
        "name": DRAWN_NAME,
        "features": [{"type": "Feature", "properties": {}, "geometry": g} for g in geometries],
    }
    return json.dumps(collection).encode()


@dataclass(frozen=True)
class AnalysedUpload:
    """A read and analysed upload: the route, its analysis, what was skipped, vertices given."""

    route: Route
    analysis: Analysis
    ignored: tuple[str, ...]
    #: Vertices in the file, before simplifying to :data:`SIMPLIFY_M`.
    vertices: int


def read_route(
    data: bytes,
    index: StateIndex,
    chokepoints: Iterable[Chokepoint],
    baseline: Route | None,
    *,
    mode: Mode = "rail",
) -> AnalysedUpload:
    """Parse and analyse a file's bytes against ``baseline`` (a route of the dataset), or none.

    This is the whole of what untrusted bytes go through. The app and the command line parse
    in their own process (pure Python, bounded by the limits) and run the rest, which runs
    GEOS, in a worker process (:mod:`corridors.policy.upload_worker`).

    Raises
    ------
    UploadError
        If the file cannot be used, see :func:`parse_upload`.
    """
    return analyse_parsed(parse_upload(data), index, chokepoints, baseline, mode=mode)


def analyse_parsed(
    upload: UploadedRoute,
    index: StateIndex,
    chokepoints: Iterable[Chokepoint],
    baseline: Route | None,
    *,
    mode: Mode = "rail",
) -> AnalysedUpload:
    """Simplify and analyse a parsed upload: the part of :func:`read_route` that runs GEOS."""
    chokepoints = tuple(chokepoints)
    base = analyse_route(baseline, index, chokepoints) if baseline is not None else None
    route, analysis = analyse_upload(upload, index, chokepoints, base, mode=mode)
    return AnalysedUpload(route, analysis, upload.ignored, upload.vertex_count)


def analyse_upload(
    upload: UploadedRoute,
    index: StateIndex,
    chokepoints: Iterable[Chokepoint],
    baseline: Analysis | None,
    *,
    mode: Mode = "rail",
) -> tuple[Route, Analysis]:
    """Analyse an upload exactly as a built-in corridor, against the baseline the viewer picked."""
    route = upload.to_route(baseline=baseline.route_id if baseline else None, mode=mode)
    return route, analyse_route(route, index, chokepoints, baseline)
