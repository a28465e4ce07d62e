"""The places the maps name besides states: seas, regions and straits (``data/places.geojson``).

The web map and the print map both label them from this one file, so the same names appear on
screen and on paper. Each place has one or more label anchors, best first: a map that cannot
fit the name at the first (a route line runs there, or another label) tries the next.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast, get_args

from corridors.data import DATA_DIR, CorridorDataError

PLACES_FILE = DATA_DIR / "places.geojson"
PlaceKind = Literal["sea", "region", "strait"]
#: 1 is named first and from the farthest zoom; 3 last and only close up.
RANKS = (1, 2, 3)
#: Web Mercator zoom from which each rank is named, on screen and (at the zoom a printed frame
#: matches) on paper.
PLACE_MIN_ZOOM = {1: 3.0, 2: 4.0, 3: 5.0}


@dataclass(frozen=True)
class Place:
    """A named place: where its label may go (``(lon, lat)`` anchors, best first) and sources.

    ``iso3`` is the state a region lies in (its anchors must lie in that state); seas have none
    and their anchors lie in no state.
    """

    id: str
    name: str
    kind: PlaceKind
    rank: int
    anchors: tuple[tuple[float, float], ...]
    sources: tuple[str, ...]
    iso3: str | None = None


def places_in(data_dir: Path) -> list[Place]:
    """Return the places of a data folder, or none if it has no ``places.geojson``."""
    path = data_dir / PLACES_FILE.name
    return load_places(path) if path.is_file() else []


def load_places(path: Path = PLACES_FILE, fact_ids: Iterable[str] | None = None) -> list[Place]:
    """Return the places of ``path``, after checking every feature.

    Parameters
    ----------
    path
        A GeoJSON FeatureCollection of MultiPoint features (see ``data/README.md``).
    fact_ids
        The source-note fact ids; when given, every place must cite only these.

    Raises
    ------
    CorridorDataError
        Listing every problem found, each with the file and the feature id.
    """
    try:
        collection = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CorridorDataError([f"{path.name}: cannot be read as JSON: {exc}"]) from exc
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise CorridorDataError([f"{path.name}: not a FeatureCollection"])
    known = None if fact_ids is None else set(fact_ids)
    problems: list[str] = []
    places: list[Place] = []
    seen: set[str] = set()
    for number, feature in enumerate(features):
        place = _place(feature, f"{path.name} feature {number}", known, problems)
        if place is None:
            continue
        if place.id in seen:
            problems.append(f"{path.name}: two places have the id {place.id!r}")
        seen.add(place.id)
        places.append(place)
    if problems:
        raise CorridorDataError(problems)
    return places


def _place(
    feature: object, where: str, known: set[str] | None, problems: list[str]
) -> Place | None:
    """Return one feature as a :class:`Place`, or None after noting what is wrong with it."""
    before = len(problems)
    props = feature.get("properties") if isinstance(feature, dict) else None
    geometry = feature.get("geometry") if isinstance(feature, dict) else None
    if not isinstance(props, dict):
        problems.append(f"{where}: no properties")
        return None
    where = f"{where} ({props.get('id')!r})"
    name, kind, rank = props.get("name"), props.get("kind"), props.get("rank")
    if not isinstance(props.get("id"), str) or not props["id"]:
        problems.append(f"{where}: 'id' must be a non-empty string")
    if not isinstance(name, str) or not name.strip():
        problems.append(f"{where}: 'name' must be a non-empty string, got {name!r}")
    if kind not in get_args(PlaceKind):
        problems.append(f"{where}: 'kind' must be one of {get_args(PlaceKind)}, got {kind!r}")
    if rank not in RANKS:
        problems.append(f"{where}: 'rank' must be one of {RANKS}, got {rank!r}")
    iso3 = props.get("iso3")
    if (kind == "region") != isinstance(iso3, str):
        problems.append(f"{where}: a region, and only a region, names its state in 'iso3'")
    sources = props.get("sources")
    if not isinstance(sources, list) or not sources or not all(isinstance(s, str) for s in sources):
        problems.append(f"{where}: 'sources' must be a non-empty list of fact ids")
        sources = []
    elif known is not None:
        problems += [f"{where}: unknown source fact {s!r}" for s in sources if s not in known]
    anchors = _anchors(geometry)
    if not anchors:
        problems.append(f"{where}: geometry must be a MultiPoint of lon, lat in range")
    if len(problems) > before:
        return None
    return Place(
        id=props["id"],
        name=str(name),
        kind=cast(PlaceKind, kind),  # checked above
        rank=cast(int, rank),
        anchors=anchors,
        sources=tuple(sources),
        iso3=iso3,
    )


def _anchors(geometry: object) -> tuple[tuple[float, float], ...]:
    """Return a MultiPoint's points as ``(lon, lat)``, or () if any is not a valid position."""
    if not isinstance(geometry, dict) or geometry.get("type") != "MultiPoint":
        return ()
    points = geometry.get("coordinates")
    if not isinstance(points, list) or not points:
        return ()
    anchors = []
    for point in points:
        if not (isinstance(point, list) and len(point) == 2):
            return ()
        lon, lat = point
        if not all(isinstance(v, int | float) and math.isfinite(v) for v in (lon, lat)):
            return ()
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            return ()
        anchors.append((float(lon), float(lat)))
    return tuple(anchors)
