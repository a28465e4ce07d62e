"""Load and validate everything in ``data/`` and ``seeds/``.

Validators collect every problem they find and raise one :class:`CorridorDataError` naming each
file and feature, so a curator fixes a data file in one pass.
"""

from __future__ import annotations

import itertools
import json
import reprlib
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ValidationError

from corridors.model import (
    Chokepoint,
    ChokepointProperties,
    Disruption,
    DisruptionProperties,
    Fact,
    Leg,
    LegProperties,
    Preset,
    PresetProperties,
    Route,
    RouteMeta,
    Source,
    Waypoint,
    WaypointProperties,
)

if TYPE_CHECKING:
    import geopandas as gpd

#: The checkout, when the package runs from one: data/ and seeds/ live at its top level.
ROOT = Path(__file__).resolve().parents[1]


def shipped(name: str) -> Path:
    """Return the top-level file or folder ``name`` of the checkout, or the wheel's copy of it.

    data/, seeds/ and app.py stay at the top of the repository, where curators edit them; a
    wheel carries copies under ``corridors/_data`` (``force-include`` in pyproject.toml), so an
    installed package finds them wherever it runs. The checkout wins when there is one, so an
    edited data file counts at once. Wheels install unpacked, so the resource is a real path,
    as geopandas and Streamlit need.
    """
    in_checkout = ROOT / name
    if (ROOT / "pyproject.toml").is_file() and in_checkout.exists():
        return in_checkout
    return Path(str(resources.files(__package__ or "corridors").joinpath("_data", name)))


DATA_DIR = shipped("data")
SEEDS_DIR = shipped("seeds")
BOUNDARIES_FILE = DATA_DIR / "boundaries" / "countries-10m.geojson"
ROUTES_DIR = DATA_DIR / "routes"
CHOKEPOINTS_FILE = DATA_DIR / "chokepoints.geojson"
DISRUPTIONS_FILE = DATA_DIR / "disruptions.toml"


#: Reprs of bad values in messages: a few levels and items deep, a line long.
_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother, _SHORT.maxlong = 3, 60, 60, 40


class CorridorDataError(ValueError):
    """A data or source-note file is malformed; the message lists every problem found."""

    def __init__(self, problems: Iterable[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(self.problems))


def read_json(path: Path, problems: list[str]) -> Any:
    """Return a data file's JSON, or None with the reason added to ``problems``.

    Data files are edited by hand: nesting deeper than Python's parser goes and integers longer
    than it converts (4,300 digits) are reported like any other unreadable file.
    """
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except RecursionError:
        problems.append(f"{path.name}: cannot be read as JSON: it nests too deeply")
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{path.name}: cannot be read as JSON: {exc}")
    except ValueError:  # Python refuses to convert integers of more than 4,300 digits
        problems.append(f"{path.name}: cannot be read as JSON: it holds a number too long to read")
    return None


def _show(value: Any) -> str:
    """Return a short repr of a value from a data file, however large or deep it is."""
    return _SHORT.repr(value)


def _check(model: type[BaseModel], data: Any, where: str, problems: list[str]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"]) or "(root)"
            problems.append(f"{where}: {loc}: {error['msg']} (got {_show(error.get('input'))})")
        return None


def _coords(geometry: Any, kind: str, where: str, problems: list[str]) -> Any:
    """Return the coordinates of a GeoJSON geometry of the expected type, or None."""
    if not isinstance(geometry, Mapping) or geometry.get("type") != kind:
        got = geometry.get("type") if isinstance(geometry, Mapping) else geometry
        problems.append(f"{where}: geometry must be a {kind}, got {_show(got)}")
        return None
    coords = geometry.get("coordinates")
    points = [coords] if kind == "Point" else coords
    if not isinstance(points, list) or (kind == "LineString" and len(points) < 2):
        problems.append(f"{where}: {kind} needs coordinates, got {_show(coords)}")
        return None
    for point in points:
        if (
            not isinstance(point, list)
            or len(point) != 2
            or not all(isinstance(v, int | float) for v in point)
            or not (-180 <= point[0] <= 180 and -90 <= point[1] <= 90)
        ):
            problems.append(f"{where}: bad coordinate {_show(point)} (need [lon, lat] in range)")
            return None
    if kind == "LineString" and len({tuple(p) for p in points}) < 2:
        problems.append(f"{where}: a LineString needs two different points, got {_show(coords)}")
        return None
    return coords


def _parse_feature(
    feature: Any, index: int, name: str, problems: list[str]
) -> tuple[str, Leg | Waypoint | None]:
    """Parse one leg or waypoint feature; return its id and record (None if it has problems)."""
    if not isinstance(feature, Mapping):
        problems.append(f"{name}: feature {index} is not an object")
        return "", None
    fid = str(feature.get("id", ""))
    where = f"{name}: feature {fid or index}"
    if not fid:
        problems.append(f"{where}: missing id")
    props = feature.get("properties") or {}
    kind = props.get("feature") if isinstance(props, Mapping) else None
    if kind not in ("leg", "waypoint"):
        problems.append(f"{where}: properties.feature must be 'leg' or 'waypoint', got {kind!r}")
        return fid, None
    model = LegProperties if kind == "leg" else WaypointProperties
    parsed = _check(model, props, where, problems)
    geometry_type = "LineString" if kind == "leg" else "Point"
    coords = _coords(feature.get("geometry"), geometry_type, where, problems)
    if parsed is None or coords is None:
        return fid, None
    fields = parsed.model_dump(exclude={"feature"})
    if kind == "leg":
        return fid, Leg(id=fid, coords=tuple(tuple(c) for c in coords), **fields)
    return fid, Waypoint(id=fid, lon=coords[0], lat=coords[1], **fields)


def parse_route(data: Any, name: str) -> tuple[Route | None, list[str]]:
    """Parse one route file's JSON into a :class:`Route`, returning it with its problems."""
    if not isinstance(data, Mapping) or data.get("type") != "FeatureCollection":
        return None, [f"{name}: must be a GeoJSON FeatureCollection"]
    problems: list[str] = []
    meta = _check(RouteMeta, data.get("corridor"), f"{name}: corridor", problems)
    features = data.get("features")
    if not isinstance(features, list) or not features:
        problems.append(f"{name}: features must be a non-empty list")
        features = []
    records = [_parse_feature(f, i, name, problems) for i, f in enumerate(features)]
    ids = [fid for fid, _ in records if fid]
    problems += [f"{name}: feature {i}: duplicate id" for i in sorted(set(ids)) if ids.count(i) > 1]
    legs = [r for _, r in records if isinstance(r, Leg)]
    waypoints = [r for _, r in records if isinstance(r, Waypoint)]
    if any(record is None for _, record in records):
        # A feature that could not be read leaves a gap: its neighbours' ends would not meet
        # and the route could seem to have no legs, which its own problem already explains.
        return None, problems
    for before, after in itertools.pairwise(legs):
        if before.coords[-1] != after.coords[0]:
            problems.append(f"{name}: leg {before.id} ends where leg {after.id} does not start")
    if not legs:
        problems.append(f"{name}: has no legs")
    if meta is None or problems:
        return None, problems
    if meta.id != name.removesuffix(".geojson"):
        return None, [f"{name}: corridor.id {meta.id!r} does not match the file name"]
    fields = meta.model_dump(exclude={"figures"})
    route = Route(**fields, figures=meta.figures, legs=tuple(legs), waypoints=tuple(waypoints))
    return route, []


def parse_chokepoints(data: Any, name: str) -> tuple[tuple[Chokepoint, ...], list[str]]:
    """Parse the chokepoints FeatureCollection, returning it with its problems."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("features"), list):
        return (), [f"{name}: must be a GeoJSON FeatureCollection"]
    chokepoints = []
    for index, feature in enumerate(data["features"]):
        props = feature.get("properties") if isinstance(feature, Mapping) else None
        if not isinstance(props, Mapping):
            problems.append(f"{name}: feature {index}: properties must be an object")
            continue
        where = f"{name}: feature {_show(props.get('id', index))}"
        cp = _check(ChokepointProperties, props, where, problems)
        coords = _coords(feature.get("geometry") if props else None, "Point", where, problems)
        if cp and coords:
            chokepoints.append(Chokepoint(lon=coords[0], lat=coords[1], **cp.model_dump()))
    ids = [c.id for c in chokepoints]
    problems += [
        f"{name}: duplicate chokepoint id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1
    ]
    return tuple(chokepoints), problems


def parse_source(data: Any, name: str) -> tuple[Source | None, list[str]]:
    """Parse one source-note TOML document, returning it with its problems."""
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("source"), Mapping):
        return None, [f"{name}: needs a [source] table and [[facts]]"]
    source = _check(Source, {**data["source"], "facts": data.get("facts", [])}, name, problems)
    if source and source.id != name.removesuffix(".toml"):
        problems.append(f"{name}: source.id {source.id!r} does not match the file name")
    return source, problems


def parse_disruptions(
    data: Any, name: str
) -> tuple[tuple[Disruption, ...], tuple[Preset, ...], list[str]]:
    """Parse the disruptions document (``[[disruptions]]`` and ``[[presets]]``)."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        return (), (), [f"{name}: needs [[disruptions]] tables"]
    disruptions, presets = [], []
    for index, item in enumerate(data.get("disruptions", [])):
        where = f"{name}: disruption {(item or {}).get('id', index)}"
        parsed = _check(DisruptionProperties, item, where, problems)
        if parsed is not None:
            if parsed.end is not None and parsed.end[: len(parsed.start)] < parsed.start:
                problems.append(f"{where}: ends ({parsed.end}) before it starts ({parsed.start})")
            disruptions.append(Disruption(**parsed.model_dump()))
    for index, item in enumerate(data.get("presets", [])):
        parsed = _check(PresetProperties, item, f"{name}: preset {index}", problems)
        if parsed is not None:
            presets.append(Preset(**parsed.model_dump()))
    for kind, ids in (
        ("disruption", [d.id for d in disruptions]),
        ("preset", [p.id for p in presets]),
    ):
        problems += [
            f"{name}: duplicate {kind} id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1
        ]
    return tuple(disruptions), tuple(presets), problems


@dataclass(frozen=True)
class Dataset:
    """Everything the dashboard shows: routes, chokepoints and the source notes they cite."""

    routes: Mapping[str, Route]
    chokepoints: tuple[Chokepoint, ...]
    sources: Mapping[str, Source]
    disruptions: tuple[Disruption, ...] = ()
    presets: tuple[Preset, ...] = ()

    def __repr__(self) -> str:
        # The full repr runs to hundreds of kilobytes: unreadable in a log or a test report.
        return (
            f"Dataset({len(self.routes)} routes, {len(self.chokepoints)} chokepoints, "
            f"{len(self.sources)} sources)"
        )

    @cached_property
    def facts(self) -> dict[str, Fact]:
        """Every fact by id."""
        return {fact.id: fact for source in self.sources.values() for fact in source.facts}

    @cached_property
    def fact_source(self) -> dict[str, Source]:
        """The source each fact comes from, by fact id."""
        return {fact.id: s for s in self.sources.values() for fact in s.facts}

    @cached_property
    def as_of(self) -> str:
        """The newest date a leg's status was confirmed: what the whole dataset is current to."""
        return max((leg.as_of for r in self.routes.values() for leg in r.legs), default="")

    @property
    def corridors(self) -> tuple[Route, ...]:
        """The corridors, every route file whose role says so, in their files' ``order``."""
        return _in_order(r for r in self.routes.values() if r.role == "corridor")

    @property
    def baselines(self) -> tuple[Route, ...]:
        """The baselines the corridors are compared with, in their files' ``order``."""
        return _in_order(r for r in self.routes.values() if r.role == "baseline")


def _in_order(routes: Iterable[Route]) -> tuple[Route, ...]:
    """Sort routes by their ``order``; routes without one come after, by id."""
    return tuple(sorted(routes, key=lambda r: (r.order is None, r.order or 0, r.id)))


def cited_ids(route: Route) -> dict[str, set[str]]:
    """Return every fact id the route cites, with where each is cited."""
    cited: dict[str, set[str]] = {}
    items: list[tuple[str, Iterable[str]]] = [("corridor", route.sources)]
    items += [(f"figure {f.label!r}", (f.fact,)) for f in route.figures]
    items += [(f"leg {leg.id}", leg.sources) for leg in route.legs]
    items += [(f"waypoint {wp.id}", wp.sources) for wp in route.waypoints]
    for where, ids in items:
        for fact_id in ids:
            cited.setdefault(fact_id, set()).add(where)
    return cited


def validate_references(dataset: Dataset, *, unread: Collection[str] = ()) -> list[str]:
    """Return problems with ids that point nowhere: facts, baselines, duplicate fact ids.

    ``unread`` holds the ids of route files that exist but could not be read: references to
    them are not reported again, since their own problems already are.
    """
    problems = []
    fact_ids = [fact.id for s in dataset.sources.values() for fact in s.facts]
    problems += [
        f"seeds: fact id {i!r} is defined twice"
        for i in sorted(set(fact_ids))
        if fact_ids.count(i) > 1
    ]
    known = set(fact_ids)
    for route in dataset.routes.values():
        for fact_id, places in sorted(cited_ids(route).items()):
            if fact_id not in known:
                problems.append(
                    f"{route.id}.geojson: {', '.join(sorted(places))}: "
                    f"unknown source id {fact_id!r}"
                )
        if route.baseline is not None and route.baseline not in {*dataset.routes, *unread}:
            problems.append(f"{route.id}.geojson: baseline {route.baseline!r} is not a route file")
        if route.role == "corridor" and route.baseline is None:
            problems.append(f"{route.id}.geojson: a corridor needs a baseline")
    for cp in dataset.chokepoints:
        problems += [
            f"chokepoints.geojson: {cp.id}: unknown source id {s!r}"
            for s in cp.sources
            if s not in known
        ]
    problems += _disruption_references(dataset, known)
    for source in dataset.sources.values():
        for fact in source.facts:
            problems += [
                f"{source.id}.toml: fact {fact.id}: unknown corridor {c!r}"
                for c in fact.corridors
                if c not in dataset.routes and c not in unread
            ]
    return problems


def _disruption_references(dataset: Dataset, facts: set[str]) -> list[str]:
    """Return disruption and preset ids that point nowhere."""
    legs = {leg.id for r in dataset.routes.values() for leg in r.legs}
    chokepoints = {c.id for c in dataset.chokepoints}
    problems = []
    for d in dataset.disruptions:
        where = f"disruptions.toml: disruption {d.id}"
        problems += [f"{where}: unknown leg {i!r}" for i in d.legs if i not in legs]
        problems += [
            f"{where}: unknown chokepoint {i!r}" for i in d.chokepoints if i not in chokepoints
        ]
        problems += [f"{where}: unknown source id {i!r}" for i in d.sources if i not in facts]
    ids = {d.id for d in dataset.disruptions}
    for p in dataset.presets:
        problems += [
            f"disruptions.toml: preset {p.id}: unknown disruption {i!r}"
            for i in p.disruptions
            if i not in ids
        ]
    return problems


def _publishers(source: Source, sources: Mapping[str, Source], fact: Fact) -> set[str]:
    others = [sources[i] for i in fact.also if i in sources]
    return {s.publisher.casefold() for s in (source, *others)}


def validate_sources(sources: Mapping[str, Source]) -> list[str]:
    """Return problems with how facts are sourced, dated and rated.

    A fact is *verified* only on a primary source (a government, operator, treaty text or an
    institution such as the World Bank speaking for itself) or on at least two independent
    outlets (``also`` names the others); a *disputed* figure is a range; every figure carries the
    date it was true as of.
    """
    problems = []
    for source in sources.values():
        for fact in source.facts:
            where = f"{source.id}.toml: fact {fact.id}"
            problems += [
                f"{where}: also names unknown source {i!r}"
                for i in fact.also
                if i not in sources or i == source.id
            ]
            if (
                fact.status == "verified"
                and not source.primary
                and len(_publishers(source, sources, fact)) < 2
            ):
                problems.append(
                    f"{where}: verified on one secondary source ({source.publisher}); "
                    "mark it a claim or name an independent source in 'also'"
                )
            if fact.value is not None and not fact.as_of:
                problems.append(f"{where}: a figure needs as_of (the date it was true)")
            if fact.status == "disputed" and fact.value is not None and fact.value_max is None:
                problems.append(f"{where}: a disputed figure needs a range (value_max)")
            if (
                fact.value is not None
                and fact.value_max is not None
                and fact.value_max < fact.value
            ):
                problems.append(f"{where}: value_max {fact.value_max:g} < value {fact.value:g}")
    return problems


def load_dataset(data_dir: Path = DATA_DIR, seeds_dir: Path = SEEDS_DIR) -> Dataset:
    """Load and validate routes, chokepoints, disruptions and source notes.

    Raises
    ------
    CorridorDataError
        Listing every problem in every file, each with its file and feature.
    """
    problems: list[str] = []
    routes: dict[str, Route] = {}
    route_files = sorted((data_dir / "routes").glob("*.geojson"))
    if not route_files:
        problems.append(f"{data_dir / 'routes'}: no route files (*.geojson)")
    unread: set[str] = set()
    for path in route_files:
        data = read_json(path, problems)
        route, found = parse_route(data, path.name) if data is not None else (None, [])
        problems += found
        if route:
            routes[route.id] = route
        else:
            unread.add(path.stem)
    chokepoints: tuple[Chokepoint, ...] = ()
    chokepoints_file = data_dir / "chokepoints.geojson"
    data = read_json(chokepoints_file, problems)
    if data is not None:
        chokepoints, found = parse_chokepoints(data, chokepoints_file.name)
        problems += found
    sources: dict[str, Source] = {}
    for path in sorted(seeds_dir.glob("*.toml")):
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"{path.name}: cannot be read as TOML: {exc}")
            continue
        source, found = parse_source(data, path.name)
        problems += found
        if source:
            sources[source.id] = source
    disruptions: tuple[Disruption, ...] = ()
    presets: tuple[Preset, ...] = ()
    disruptions_file = data_dir / "disruptions.toml"
    if disruptions_file.exists():  # optional: a dataset may record no disruptions
        try:
            doc = tomllib.loads(disruptions_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            problems.append(f"{disruptions_file.name}: cannot be read as TOML: {exc}")
        else:
            disruptions, presets, found = parse_disruptions(doc, disruptions_file.name)
            problems += found
    dataset = Dataset(
        routes=routes,
        chokepoints=chokepoints,
        sources=sources,
        disruptions=disruptions,
        presets=presets,
    )
    problems += validate_references(dataset, unread=unread)
    problems += validate_sources(sources)
    if problems:
        raise CorridorDataError(problems)
    return dataset


def load_states(path: Path = BOUNDARIES_FILE) -> gpd.GeoDataFrame:
    """Load the full-resolution state boundaries (one row per ISO alpha-3 code).

    Raises
    ------
    CorridorDataError
        If the file is missing, unreadable or lacks the ``iso3`` and ``name`` columns.
    """
    # geopandas, with pandas, is most of a cold start: only the boundaries need it.
    import geopandas as gpd  # noqa: PLC0415

    try:
        states = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises several unrelated types for unreadable files
        raise CorridorDataError([f"{path.name}: cannot read boundaries: {exc}"]) from exc
    missing = {"iso3", "name"} - set(states.columns)
    if missing:
        raise CorridorDataError([f"{path.name}: missing columns {sorted(missing)}"])
    return states[["iso3", "name", "geometry"]].set_index("iso3", drop=False)
