"""Load the network's own data: connectors, track gauges, timings and origin-destination pairs.

The corridors in ``data/routes/`` are five polylines; real trips need the lines that join them
(China's feeders, Europe beyond Kapikule and Brest, Caspian and Iranian links) and the figures
that turn kilometres into days. Those live in ``data/network/`` and ``data/od-pairs.json``; every
figure is a range citing fact ids in ``seeds/``. Like :mod:`corridors.data`, the loader collects
every problem and raises one :class:`~corridors.data.CorridorDataError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from corridors.data import DATA_DIR, CorridorDataError, Dataset
from corridors.model import Leg, LegProperties, Mode

NETWORK_DIR = DATA_DIR / "network"
OD_PAIRS_FILE = DATA_DIR / "od-pairs.json"

_ID = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ISO3 = r"^[A-Z]{3}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    """A sourced range, ``low`` to ``high``, in the unit its field names."""

    low: float = Field(ge=0)
    high: float = Field(ge=0)
    note: str = ""
    sources: tuple[str, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _ordered(self) -> Range:
        if self.low > self.high:
            msg = f"low {self.low} is above high {self.high}"
            raise ValueError(msg)
        return self


class CustomsUnion(_Strict):
    """States that do not stop freight for customs at their common borders."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    members: tuple[str, ...] = Field(min_length=2)
    sources: tuple[str, ...] = Field(min_length=1)


class Timings(_Strict):
    """Speeds per mode and the waits that turn kilometres into days (``timings.json``)."""

    speed_kmh: dict[Mode, Range]
    border_hours: dict[Mode, Range]
    gauge_break_hours: Range
    ferry_port_hours: Range
    customs_unions: tuple[CustomsUnion, ...] = ()


class Gauge(_Strict):
    """The track gauge of one state's railways."""

    iso3: str = Field(pattern=_ISO3)
    mm: int = Field(gt=0)
    sources: tuple[str, ...] = Field(min_length=1)


class GaugeTransfer(_Strict):
    """Where trains between two states of different gauge really change it.

    A gauge break is found where a rail line enters a state of another gauge, but the change
    happens at a transfer station (bogie exchange, transshipment) near that border: ``at`` names
    that station, a place on the network. Where no source says which station it is, ``at`` is
    None and ``note`` says so: the break stays where the line crosses the border.
    """

    states: tuple[str, str] = Field(description="the two states, either way round")
    at: str | None = Field(default=None, min_length=1)
    note: str = Field(min_length=1)
    sources: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _placed_on_a_source(self) -> GaugeTransfer:
        bad = [iso for iso in self.states if not re.fullmatch(_ISO3, iso)]
        if bad:
            msg = f"states must be ISO alpha-3 codes, got {bad}"
            raise ValueError(msg)
        if self.at is not None and not self.sources:
            msg = f"placing a gauge break at {self.at!r} needs sources"
            raise ValueError(msg)
        return self


class Gauges(_Strict):
    """The ``gauges.json`` file: each state's gauge, and where gauges are changed."""

    gauges: tuple[Gauge, ...]
    transfers: tuple[GaugeTransfer, ...] = ()


class CorridorCost(_Strict):
    """What a whole trip along one route costs, as a source gives it: never per leg."""

    route: str = Field(pattern=_ID)
    between: str = Field(min_length=1, description="the trip the figure is for")
    usd_per_feu: Range


class Costs(_Strict):
    """The ``costs.json`` file (optional: without it, no cost is shown)."""

    costs: tuple[CorridorCost, ...] = ()


class Place(_Strict):
    """An end of an origin-destination pair; it is matched to the nearest network node."""

    name: str = Field(min_length=1)
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)


class OdPair(_Strict):
    """An origin-destination pair whose best route the network answers for."""

    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    origin: Place = Field(alias="from")
    destination: Place = Field(alias="to")
    modes: tuple[Mode, ...] = Field(min_length=1, description="the modes a trip may use")
    sources: tuple[str, ...] = Field(min_length=1)


class OdPairs(_Strict):
    """The ``od-pairs.json`` file."""

    pairs: tuple[OdPair, ...] = Field(min_length=1)


@dataclass(frozen=True)
class NetworkData:
    """Everything the network adds to the routes, validated and cross-checked against seeds."""

    connectors: tuple[Leg, ...]
    gauges: Mapping[str, Gauge]
    timings: Timings
    pairs: tuple[OdPair, ...]
    transfers: tuple[GaugeTransfer, ...] = ()
    costs: tuple[CorridorCost, ...] = ()


def _read(path: Path, problems: list[str]) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        problems.append(f"{path.name}: cannot be read as JSON: {exc}")
        return None


def _model(model: type[BaseModel], data: Any, where: str, problems: list[str]) -> Any:
    if data is None:
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for error in exc.errors():
            loc = ".".join(str(p) for p in error["loc"]) or "(root)"
            problems.append(f"{where}: {loc}: {error['msg']} (got {error.get('input')!r:.80})")
        return None


def _connector(feature: Any, index: int, problems: list[str]) -> Leg | None:
    where = "connectors.geojson: feature"
    if not isinstance(feature, Mapping):
        problems.append(f"{where} {index} is not an object")
        return None
    fid = str(feature.get("id") or "")
    props = _model(LegProperties, feature.get("properties"), f"{where} {fid or index}", problems)
    geometry = feature.get("geometry")
    coords = geometry.get("coordinates") if isinstance(geometry, Mapping) else None
    ok = (
        isinstance(geometry, Mapping)
        and geometry.get("type") == "LineString"
        and isinstance(coords, list)
        and len(coords) >= 2
        and all(
            isinstance(c, list)
            and len(c) == 2
            and all(isinstance(v, int | float) for v in c)
            and -180 <= c[0] <= 180
            and -90 <= c[1] <= 90
            for c in coords
        )
    )
    if not fid:
        problems.append(f"{where} {index}: missing id")
    if not ok:
        problems.append(f"{where} {fid or index}: needs a LineString of [lon, lat] pairs")
    if props is None or not ok or not fid or not isinstance(coords, list):
        return None
    fields = props.model_dump(exclude={"feature"})
    return Leg(id=fid, coords=tuple((float(x), float(y)) for x, y in coords), **fields)


def _cited(data: NetworkData) -> list[tuple[str, tuple[str, ...]]]:
    """Return (where, fact ids) for every citation in the network data."""
    t = data.timings
    cited = [(f"connectors.geojson: {leg.id}", leg.sources) for leg in data.connectors]
    cited += [(f"gauges.json: {g.iso3}", g.sources) for g in data.gauges.values()]
    cited += [(f"gauges.json: transfer {'-'.join(t.states)}", t.sources) for t in data.transfers]
    cited += [(f"timings.json: speed_kmh.{m}", r.sources) for m, r in t.speed_kmh.items()]
    cited += [(f"timings.json: border_hours.{m}", r.sources) for m, r in t.border_hours.items()]
    cited += [("timings.json: gauge_break_hours", t.gauge_break_hours.sources)]
    cited += [("timings.json: ferry_port_hours", t.ferry_port_hours.sources)]
    cited += [(f"timings.json: customs union {u.id}", u.sources) for u in t.customs_unions]
    cited += [(f"od-pairs.json: {p.id}", p.sources) for p in data.pairs]
    cited += [(f"costs.json: {c.route}", c.usd_per_feu.sources) for c in data.costs]
    return cited


def load_network_data(
    dataset: Dataset, network_dir: Path = NETWORK_DIR, od_pairs_file: Path = OD_PAIRS_FILE
) -> NetworkData:
    """Load and check the connectors, gauges, timings and OD pairs against the dataset.

    Raises
    ------
    CorridorDataError
        Listing every problem: unreadable files, bad fields, duplicate ids, unknown fact ids,
        connector ids that clash with route legs, and modes without a speed.
    """
    problems: list[str] = []
    raw = _read(network_dir / "connectors.geojson", problems)
    features = raw.get("features") if isinstance(raw, Mapping) else None
    if raw is not None and not isinstance(features, list):
        problems.append("connectors.geojson: must be a FeatureCollection with features")
    if not isinstance(features, list):
        features = []
    found = [_connector(f, i, problems) for i, f in enumerate(features)]
    connectors = tuple(leg for leg in found if leg is not None)
    gauges = _model(Gauges, _read(network_dir / "gauges.json", problems), "gauges.json", problems)
    timings = _model(
        Timings, _read(network_dir / "timings.json", problems), "timings.json", problems
    )
    pairs = _model(OdPairs, _read(od_pairs_file, problems), od_pairs_file.name, problems)
    costs_file = network_dir / "costs.json"
    costs = (
        _model(Costs, _read(costs_file, problems), costs_file.name, problems)
        if costs_file.exists()
        else Costs()
    )
    if problems or gauges is None or timings is None or pairs is None or costs is None:
        raise CorridorDataError(problems)
    data = NetworkData(
        connectors,
        {g.iso3: g for g in gauges.gauges},
        timings,
        pairs.pairs,
        gauges.transfers,
        costs.costs,
    )
    leg_ids = [leg.id for route in dataset.routes.values() for leg in route.legs]
    ids = [leg.id for leg in connectors]
    problems += [
        f"connectors.geojson: duplicate id {i!r}" for i in sorted(set(ids)) if ids.count(i) > 1
    ]
    problems += [
        f"connectors.geojson: id {i!r} is already a route's leg" for i in ids if i in leg_ids
    ]
    problems += [
        f"costs.json: {c.route!r} is no route in routes/"
        for c in costs.costs
        if c.route not in dataset.routes
    ]
    isos = [g.iso3 for g in gauges.gauges]
    problems += [
        f"gauges.json: {i} is listed twice" for i in sorted(set(isos)) if isos.count(i) > 1
    ]
    pair_ids = [p.id for p in pairs.pairs]
    problems += [
        f"{od_pairs_file.name}: duplicate pair id {i!r}"
        for i in sorted(set(pair_ids))
        if pair_ids.count(i) > 1
    ]
    modes = {leg.mode for leg in connectors} | {
        leg.mode for route in dataset.routes.values() for leg in route.legs
    }
    problems += [
        f"timings.json: speed_kmh has no {m!r}, which legs use"
        for m in sorted(modes - set(timings.speed_kmh))
    ]
    for where, fact_ids in _cited(data):
        problems += [
            f"{where}: unknown source id {f!r}" for f in fact_ids if f not in dataset.facts
        ]
    if problems:
        raise CorridorDataError(problems)
    return data
