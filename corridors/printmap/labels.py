"""Which names the print map shows, and in which order they claim their place.

The names the view is about come first and are never left out: the states the selected route
crosses and bypasses, and the regions the corridors are about (Nakhchivan, Syunik). Stations,
chokepoints, seas and the other states follow where there is room.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from corridors.model import Chokepoint, Waypoint
from corridors.places import PLACE_MIN_ZOOM
from corridors.printmap.cartography import LabelPlacer, View
from corridors.printmap.layers import line_points, lonlat_xy
from corridors.printmap.page import plain
from corridors.printmap.placement import Labeller
from corridors.style import CROSSED_STATE_INK, STATE_INK

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure

#: Earth's equatorial circumference (m), for the web zoom a printed frame matches.
_EQUATOR_M = 40_075_016.686
#: Share of the map a state must fill to be labelled when it is neither transit nor bypassed.
MIN_LABEL_AREA = 0.004
#: At most this many waypoints are named: more turn a national map into a timetable.
MAX_WAYPOINT_LABELS = 10
#: Waypoints named first: the places a briefing talks about.
_KIND_ORDER = ("port", "border crossing", "terminal", "city", "junction", "station")


def label_name(name: str) -> str:
    """Return a state's map label, on two lines if it is long."""
    text = name
    return "\n".join(textwrap.wrap(text, max(len(text) // 2 + 1, 9))) if len(text) > 14 else text


def place_name(name: str) -> str:
    """Drop a parenthesis from a place name: ``Port of Baku (Alat)`` is ``Port of Baku``."""
    return re.sub(r"\s*\(.*?\)", "", name).strip() or name


def draw_labels(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    *,
    shapes: dict[str, shapely.Geometry],
    lines: list[np.ndarray],
    placer: LabelPlacer,
    detail: Callable[[list[str]], list[str]],
) -> list[str]:
    """Name states, regions, markers, seas and straits, most important first, never overlapping.

    The selected route's crossed and bypassed states come first, then the regions the
    corridors are about (Syunik, Nakhchivan) whose point is in the frame, at the points the
    places file gives: these are always named, inside their area where there is room (smaller
    if need be), else beside it with a leader, over water or open land. Then, where there is
    room: the stations and chokepoints; the seas and straits; the other states the routes drawn
    cross; and the largest of the rest. A state's name is centred inside the state; labels keep
    clear of the route lines where they can, and a name that must be shown may sit on a line
    (with its white halo) rather than be left out.

    The crossed or bypassed states whose name finds no place (too small for it, with no short
    leader free) are handed to ``detail``, which draws the detail inset before the other names
    (so they keep off it) and returns those it names there; they are returned.
    """
    p = snap.page
    transit, bypassed = snap.highlighted
    frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
    in_view = {iso3: shapely.intersection(g, frame) for iso3, g in shapes.items()}
    in_view = {iso3: g for iso3, g in in_view.items() if g.area > 0}
    names = dict(zip(snap.states["iso3"], snap.states["name"], strict=True))
    line_px = line_points(ax, lines, spacing=p.px(2 * p.unit))
    label = Labeller(ax, placer, p, line_px, land=shapes)
    markers: list[Waypoint | Chokepoint] = [*_waypoints_to_name(snap), *snap.chokepoints]
    drawn: list[Waypoint | Chokepoint] = [
        w for r in snap.routes if r.role == "corridor" for w in r.waypoints
    ]
    for marker in [*drawn, *snap.dataset.chokepoints]:  # obstacles before any name
        x, y = lonlat_xy(view, [(marker.lon, marker.lat)])
        centre = ax.transData.transform((x[0], y[0]))
        r = p.px(3.2 * p.unit)
        placer.block(Bbox([centre - r, centre + r]))
    zoom = web_zoom(snap, ax, view)
    places = sorted(
        (pl for pl in snap.places if PLACE_MIN_ZOOM[pl.rank] <= zoom),
        key=lambda pl: (pl.kind != "region", pl.rank),
    )
    # The smallest first: they have the fewest places, and a large state has room to spare.
    unnamed = []
    for iso3 in sorted((transit | bypassed) & set(in_view), key=lambda i: (in_view[i].area, i)):
        named = label.inside(
            in_view[iso3],
            label_name(names[iso3]),
            size=p.label * 1.05,
            must=True,
            weight="bold",
            color=CROSSED_STATE_INK,
            iso3=iso3,
            gid=f"state-{iso3}",
        )
        if not named:
            unnamed.append(iso3)
    detailed = detail(unnamed)
    regions = [pl for pl in places if pl.kind == "region"]
    # At the points the file gives first, for every region; nudged only then, so that one
    # region's name moved aside never takes another's own place.
    for nudge in (False, True):
        for place in regions:
            xy = lonlat_xy(view, list(place.anchors))
            inside = shapely.contains_xy(frame, xy[0][0], xy[1][0])
            label.place(xy, place, must=bool(inside), nudge=nudge)
    for marker in markers:
        x, y = lonlat_xy(view, [(marker.lon, marker.lat)])
        style = "italic" if isinstance(marker, Chokepoint) else "normal"
        label.beside((x[0], y[0]), plain(place_name(marker.name)), style=style)
    for nudge in (False, True):
        for place in [pl for pl in places if pl.kind != "region"]:
            label.place(lonlat_xy(view, list(place.anchors)), place, must=False, nudge=nudge)
    crossed = {
        s.iso3
        for r in snap.routes
        if (analysis := snap.analyses.get(r.id)) is not None
        for s in analysis.transit
    }
    others = sorted(
        (
            (iso3 not in crossed, -g.area, iso3)
            for iso3, g in in_view.items()
            if iso3 not in transit | bypassed
            and (iso3 in crossed or g.area >= MIN_LABEL_AREA * frame.area)
        ),
    )
    for minor, _, iso3 in others:
        label.inside(
            in_view[iso3],
            label_name(names[iso3]),
            size=p.label * 0.9,
            must=not minor,
            over_lines=False,
            far=False,
            color=STATE_INK,
            iso3=iso3,
            gid=f"state-{iso3}",
        )
    return detailed


def web_zoom(snap: SnapshotFigure, ax: Axes, view: View) -> float:
    """Return the web map zoom whose scale the frame's middle has, on a 96-dpi screen.

    Seas, regions and straits are named in print from the zoom they are named on screen.
    """
    width_px = ax.bbox.width / snap.fig.dpi * 96
    metres_per_px = (view.xlim[1] - view.xlim[0]) / width_px
    middle = ((view.xlim[0] + view.xlim[1]) / 2, (view.ylim[0] + view.ylim[1]) / 2)
    lat = float(view.inverse.transform(*middle)[1])
    return math.log2(_EQUATOR_M * math.cos(math.radians(lat)) / (256 * metres_per_px))


def _waypoints_to_name(snap: SnapshotFigure) -> list[Waypoint]:
    """Return the selected route's waypoints worth naming, most important first."""
    if snap.selected is None:
        return []
    ranked = sorted(
        enumerate(snap.selected.waypoints),
        key=lambda item: (_KIND_ORDER.index(item[1].kind), item[0]),
    )
    return [wp for _, wp in ranked[:MAX_WAYPOINT_LABELS]]
