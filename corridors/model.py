"""Records shared by every module: routes, legs, waypoints, chokepoints, source notes, analyses.

The file formats in ``data/`` and ``seeds/`` are validated with the pydantic models here; the
analysis results are frozen dataclasses so a cached result cannot be changed by its readers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Mode = Literal["rail", "road", "sea", "ferry"]
Status = Literal["operational", "under construction", "planned", "proposed", "closed"]
WaypointKind = Literal["port", "border crossing", "junction", "city", "station", "terminal"]
ChokepointKind = Literal["strait", "canal", "ferry", "missing link", "closed border"]
DisruptionKind = Literal["closure", "suspension", "strike", "reopening"]
Role = Literal["corridor", "baseline"]
FactStatus = Literal["verified", "claim", "disputed"]

#: Modes that run on land; sea and ferry legs count only where they cross land (a canal).
LAND_MODES: frozenset[str] = frozenset({"rail", "road"})
MODES: tuple[Mode, ...] = ("rail", "road", "sea", "ferry")
STATUSES: tuple[Status, ...] = (
    "operational",
    "under construction",
    "planned",
    "proposed",
    "closed",
)

#: Coordinate reference system of every file in data/ (GeoJSON, RFC 7946).
WGS84 = "EPSG:4326"

_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ISO3_PATTERN = r"^[A-Z]{3}$"
_COLOUR_PATTERN = r"^#[0-9A-Fa-f]{6}$"
#: A date as precise as the source gives it: YYYY, YYYY-MM or YYYY-MM-DD.
_DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
#: A day: when something was checked is always known to the day.
_DAY_PATTERN = r"^\d{4}-\d{2}-\d{2}$"
_URL_PATTERN = r"^https?://\S+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LegProperties(_Strict):
    """Properties of one leg: a LineString travelled in one mode."""

    feature: Literal["leg"]
    name: str = Field(min_length=1)
    mode: Mode
    status: Status
    year: int | None = Field(default=None, ge=1850, le=2100, description="opened or planned for")
    closed_year: int | None = Field(default=None, ge=1850, le=2100)
    length_km_stated: float | None = Field(
        default=None, gt=0, description="length the source gives"
    )
    as_of: str = Field(pattern=_DATE_PATTERN, description="the status was last confirmed then")
    note: str = ""
    sources: tuple[str, ...] = Field(min_length=1)


class WaypointProperties(_Strict):
    """Properties of one waypoint: a named place on the route, in one state."""

    feature: Literal["waypoint"]
    name: str = Field(min_length=1)
    kind: WaypointKind
    iso3: str = Field(pattern=_ISO3_PATTERN)
    coords_source: str = Field(
        min_length=1, description="where the coordinates come from: a gazetteer URL, or how drawn"
    )
    coords_precision_km: float = Field(gt=0, le=50, description="how far off they may be")
    note: str = ""
    sources: tuple[str, ...] = Field(min_length=1)


class Figure(_Strict):
    """A headline figure of a route (volume, transit time, cost, length), cited to a fact."""

    label: str = Field(min_length=1)
    fact: str = Field(min_length=1)


class RouteMeta(_Strict):
    """Route-level metadata, the ``corridor`` member of a route file."""

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    role: Role
    order: int | None = Field(
        default=None, ge=0, description="place in the lists among routes of its role; else last"
    )
    description: str = Field(min_length=1)
    colour: str = Field(pattern=_COLOUR_PATTERN)
    baseline: str | None = Field(default=None, pattern=_ID_PATTERN)
    origin: str = Field(min_length=1)
    destination: str = Field(min_length=1)
    declared_transit: tuple[Annotated[str, Field(pattern=_ISO3_PATTERN)], ...] = Field(min_length=1)
    figures: tuple[Figure, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class ChokepointProperties(_Strict):
    """Properties of a chokepoint: a strait, canal, ferry, missing link or closed border."""

    id: str = Field(pattern=_ID_PATTERN)
    name: str = Field(min_length=1)
    kind: ChokepointKind
    radius_km: float = Field(gt=0, le=200, description="a route within this distance passes it")
    note: str = Field(min_length=1)
    sources: tuple[str, ...] = Field(min_length=1)


class Fact(_Strict):
    """One fact in a source note, with a stable id the data cites."""

    id: str = Field(pattern=_ID_PATTERN)
    text: str = Field(min_length=1, description="our own words, never a copied sentence")
    status: FactStatus
    date: str | None = Field(default=None, pattern=_DATE_PATTERN)
    who: str = ""
    value: float | None = None
    value_max: float | None = None
    unit: str = ""
    as_of: str | None = Field(
        default=None, pattern=_DATE_PATTERN, description="the figure was true then"
    )
    moving: bool = Field(
        default=False, description="a volume or capacity that changes: goes stale after 18 months"
    )
    also: tuple[str, ...] = Field(
        default=(), description="ids of other sources that report the same fact independently"
    )
    event: bool = Field(default=False, description="show on the timeline")
    corridors: tuple[str, ...] = ()


class Source(_Strict):
    """One original source -- an article, an official text, a dataset -- and what we took from it.

    ``primary`` marks a government, an operator, a treaty text or an institution such as the World
    Bank speaking for itself: its facts may be verified on its word alone.
    """

    id: str = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1, description="the original's own title")
    author: str = ""
    publisher: str = Field(min_length=1)
    date: str = Field(pattern=_DATE_PATTERN, description="when the original was published")
    url: str = Field(pattern=_URL_PATTERN)
    checked: str = Field(pattern=_DAY_PATTERN, description="when we last read it at that URL")
    kind: Literal["article", "reference", "dataset", "official"]
    primary: bool = False
    summary: str = Field(min_length=1)
    facts: tuple[Fact, ...] = Field(min_length=1)


class DisruptionProperties(_Strict):
    """One dated disruption in ``data/disruptions.toml``: what it affects, from when to when."""

    id: str = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1)
    kind: DisruptionKind
    start: str = Field(pattern=_DATE_PATTERN, description="as precise as the sources give it")
    end: str | None = Field(default=None, pattern=_DATE_PATTERN, description="None: still on")
    states: tuple[Annotated[str, Field(pattern=_ISO3_PATTERN)], ...] = ()
    chokepoints: tuple[str, ...] = ()
    legs: tuple[str, ...] = ()
    sources: tuple[str, ...] = Field(min_length=1)


class PresetProperties(_Strict):
    """A one-click what-if: the closures a set of disruptions implies."""

    id: str = Field(pattern=_ID_PATTERN)
    label: str = Field(min_length=1)
    disruptions: tuple[str, ...] = Field(min_length=1)


# Records the loaders build from the files: plain, frozen, cheap to hash and to cache.


@dataclass(frozen=True)
class Leg:
    """One leg of a route."""

    id: str
    name: str
    mode: Mode
    status: Status
    coords: tuple[tuple[float, float], ...]
    year: int | None = None
    closed_year: int | None = None
    length_km_stated: float | None = None
    note: str = ""
    sources: tuple[str, ...] = ()
    as_of: str = ""


@dataclass(frozen=True)
class Waypoint:
    """A named place on a route."""

    id: str
    name: str
    kind: WaypointKind
    iso3: str
    lon: float
    lat: float
    note: str = ""
    sources: tuple[str, ...] = ()
    coords_source: str = ""
    coords_precision_km: float | None = None


@dataclass(frozen=True)
class Route:
    """A corridor or a baseline: its metadata, legs in travel order, and waypoints."""

    id: str
    name: str
    role: Role
    description: str
    colour: str
    baseline: str | None
    origin: str
    destination: str
    declared_transit: tuple[str, ...]
    legs: tuple[Leg, ...]
    waypoints: tuple[Waypoint, ...]
    figures: tuple[Figure, ...] = ()
    sources: tuple[str, ...] = ()
    #: Place in the dashboard's lists among routes of the same role (None: after, by id).
    order: int | None = None
    #: A line the viewer drew or uploaded: it has no status history, so it is "your route" in
    #: every year and on every surface, never "planned".
    user: bool = False


@dataclass(frozen=True)
class Chokepoint:
    """A strait, canal, ferry crossing, missing link or closed border."""

    id: str
    name: str
    kind: ChokepointKind
    lon: float
    lat: float
    radius_km: float
    note: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Disruption:
    """A dated closure, suspension, strike or reopening and what it affects."""

    id: str
    title: str
    kind: DisruptionKind
    start: str
    end: str | None
    states: tuple[str, ...]
    chokepoints: tuple[str, ...]
    legs: tuple[str, ...]
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Preset:
    """A named set of disruptions the What-if tab can apply in one click."""

    id: str
    label: str
    disruptions: tuple[str, ...]


# Analysis results.


@dataclass(frozen=True)
class StateKm:
    """Kilometres of a route inside one state."""

    iso3: str
    name: str
    km: float
    share: float
    via_canal: bool = False


@dataclass(frozen=True)
class StateDistance:
    """A state the route passes near without entering, and how near."""

    iso3: str
    name: str
    min_km: float


@dataclass(frozen=True)
class StateRef:
    """A state named by code and name."""

    iso3: str
    name: str


@dataclass(frozen=True)
class Analysis:
    """What a route crosses, touches, skirts, bypasses and passes, with its lengths."""

    route_id: str
    name: str
    baseline: str | None
    length_km: float
    transit: tuple[StateKm, ...]
    touches: tuple[StateKm, ...]
    skirted: tuple[StateDistance, ...]
    bypassed: tuple[StateRef, ...]
    chokepoints: tuple[str, ...]
    chokepoints_avoided: tuple[str, ...]
    km_by_mode: tuple[tuple[str, float], ...] = ()
    km_by_status: tuple[tuple[str, float], ...] = ()
