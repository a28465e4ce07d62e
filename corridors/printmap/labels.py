"""Which names the print map shows, and in which order they claim their place.

The names the view is about come first and are never left out: the states the selected route
crosses and bypasses, and the regions the corridors are about (Nakhchivan, Syunik). Stations,
chokepoints, seas and the other states follow where there is room.
"""

from __future__ import annotations

import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
import shapely.affinity
from matplotlib.axes import Axes
from matplotlib.font_manager import FontProperties
from matplotlib.transforms import Bbox

from corridors.model import Chokepoint, Waypoint
from corridors.places import PLACE_MIN_ZOOM, Place
from corridors.printmap.cartography import LabelPlacer, View
from corridors.printmap.detail import (
    DETAIL_GID,
    EAST,
    OTHER_PADS,
    PAD,
    Detail,
    detail_extent,
    draw_detail,
)
from corridors.printmap.furniture import LOCATOR_GID, BarKept, ScaleBar
from corridors.printmap.layers import line_points, lonlat_xy, put_back
from corridors.printmap.page import plain
from corridors.printmap.placement import (
    HALO_GID,
    MARKER_RADIUS,
    ON_AREA,
    SHORT_LEADER,
    SMALLER,
    SMALLEST,
    Kept,
    Labeller,
    Mark,
    Reach,
)
from corridors.style import CROSSED_STATE_INK, STATE_INK

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure

#: Earth's equatorial circumference (m), for the web zoom a printed frame matches.
_EQUATOR_M = 40_075_016.686
#: Share of the map a state must fill to be labelled when it is neither transit nor bypassed.
MIN_LABEL_AREA = 0.004
#: A state's name in the detail inset spans at most this share of its largest part each way
#: (:func:`_zoom_for_names`).
NAME_FILL = 0.5
#: Names in the detail inset are this much smaller than on the map: it is a small map.
INSET_SCALE = 0.8
#: Names one above the other in the detail inset keep this share of a line apart: its small
#: names set close read as one name on two lines ("Nakhchivan" over "Syunik" on the TRIPP slide).
LEADING = 0.5
#: A detail inset takes the small crowded states whose bounds meet this many times the smallest
#: one's (around its centre), and are no larger than this many times its area: one corner of the
#: map, not two, and not a large state crowded by lines (Kazakhstan, Türkiye), which leaves the
#: inset no room on the map.
NEAR = 3.0
#: A state whose land shown, off the insets over the map, holds no round spot this many line
#: heights across (and is less than half of it) is not named on the map: a speck or a thin
#: strip of it at the frame's edge, or beside an inset, is nothing a reader can point at, and
#: its name went far out on a leader ("Belarus" on the Middle Corridor's slide and A4 fitted
#: to it, 13.5 line heights out, to a speck beside the locator and the strip above it, the
#: locator's margin, 0.6 line heights high).
MIN_SHOWN = 1.0
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
    bar: ScaleBar,
) -> Detail | None:
    """Name states, regions, markers, seas and straits, most important first, never overlapping.

    The selected route's crossed and bypassed states come first, then the regions the
    corridors are about (Syunik, Nakhchivan) whose point is in the frame, at the points the
    places file gives: these are always named, inside their area where there is room (smaller
    if need be), else beside it with a leader, over water or open land. Then, where there is
    room: the stations and chokepoints; the seas and straits; the other states the routes drawn
    cross; and the largest of the rest. A state's name is centred inside the state; labels keep
    clear of the route lines where they can, and a name that must be shown may sit on a line
    (with its white halo) rather than be left out.

    Where a crossed or bypassed state's name has no place inside it or on a short leader, a
    detail inset takes it and its crowded neighbours (:func:`_states`), and the scale ``bar``
    moves out of its way if need be; it is returned.
    """
    p = snap.page
    transit, bypassed = snap.highlighted
    frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
    in_view = {iso3: shapely.intersection(g, frame) for iso3, g in shapes.items()}
    in_view = shown_land(ax, in_view, p.px(p.label), whole=shapes)
    line_px = line_points(ax, lines, spacing=p.px(2 * p.unit))
    label = Labeller(ax, placer, p, line_px, land=shapes, min_size=p.footer)
    # Leaders keep off the locator as off a name: one run under it is hidden ("Belarus" on the
    # Middle Corridor's A4 fitted to it, 13.5 line heights out from the strip above it).
    label.boxes += [a.get_window_extent() for a in ax.figure.axes if a.get_gid() == LOCATOR_GID]
    markers: list[Waypoint | Chokepoint] = [*_waypoints_to_name(snap), *snap.chokepoints]
    _block_markers(snap, ax, view, placer)
    zoom = web_zoom(snap, ax, view)
    places = sorted(
        (pl for pl in snap.places if PLACE_MIN_ZOOM[pl.rank] <= zoom),
        key=lambda pl: (pl.kind != "region", pl.rank),
    )
    # The smallest first: they have the fewest places, and a large state has room to spare.
    must = sorted((transit | bypassed) & set(in_view), key=lambda i: (in_view[i].area, i))
    detail = _states(snap, ax, view, label, must=must, in_view=in_view, places=places, bar=bar)
    inset = set(detail.named) if detail is not None else set()
    if detail is not None:
        in_view = shown_land(ax, in_view, p.px(p.label), whole=shapes)
    regions = [pl for pl in places if pl.kind == "region" and f"place-{pl.id}" not in inset]
    # On a short leader rather than a cheaper place farther out (Syunik on the Russia-Gulf
    # railway's phone frame went 6.8 line heights out, off the lines it is among).
    named = _name_regions(label, view, regions, reach="short")
    _name_regions(label, view, [pl for pl in regions if pl.id not in named], reach="far")
    for marker in markers:
        x, y = lonlat_xy(view, [(marker.lon, marker.lat)])
        style = "italic" if isinstance(marker, Chokepoint) else "normal"
        label.beside((x[0], y[0]), plain(place_name(marker.name)), style=style)
    for nudge in (False, True):
        for place in [pl for pl in places if pl.kind != "region"]:
            label.place(lonlat_xy(view, list(place.anchors)), place, must=False, nudge=nudge)
    crossed = _crossed(snap)
    names = _state_names(snap)
    under = _under_detail(ax, detail, in_view) if detail is not None else set()
    others = sorted(
        (
            (iso3 not in crossed, -g.area, iso3)
            for iso3, g in in_view.items()
            if iso3 not in transit | bypassed
            and (iso3 in crossed or g.area >= MIN_LABEL_AREA * frame.area)
            # What the inset's area holds is named in the inset or not at all: "Armenia" on
            # the Middle Corridor's A4 fitted to every corridor went on a leader into the
            # outline over Georgia, where it read as Georgia's name.
            and iso3 not in under
        ),
    )
    for minor, _, iso3 in others:
        # A state a route crosses with no room off the lines is named across the fewest of
        # them, its white halo under it, rather than left out ("Türkiye" and "Kazakhstan" on
        # the INSTC's square fitted to every corridor, under the Middle Corridor's line).
        for over_lines in (False, True) if not minor else (False,):
            if label.inside(
                in_view[iso3],
                label_name(names[iso3]),
                size=p.label * 0.9,
                must=not minor,
                over_lines=over_lines,
                reach="near",
                # As the view's own: "Kazakhstan", under the lines of whole-Eurasia frames,
                # had room only on a leader at 6.2 points a unit, below the footer's 7.
                thorough=not minor,
                fewest_lines=True,
                color=STATE_INK,
                iso3=iso3,
                gid=f"state-{iso3}",
            ):
                break
    return detail


def _name_regions(label: Labeller, view: View, regions: list[Place], *, reach: Reach) -> set[str]:
    """Name the ``regions`` on the map; return the ids of those named.

    At the points the file gives first, for every region; nudged only then, so that one
    region's name moved aside never takes another's own place. A region whose point is in the
    frame must be named: beside it on a leader, as far as ``reach`` lets it, if need be.
    """
    frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
    named = set()
    for nudge in (False, True):
        for place in regions:
            xy = lonlat_xy(view, list(place.anchors))
            inside = shapely.contains_xy(frame, xy[0][0], xy[1][0])
            if place.id not in named and label.place(
                xy, place, must=bool(inside), nudge=nudge, reach=reach
            ):
                named.add(place.id)
    return named


def _block_markers(snap: SnapshotFigure, ax: Axes, view: View, placer: LabelPlacer) -> None:
    """Keep every name off the stations and chokepoints drawn: obstacles before any name."""
    drawn: list[Waypoint | Chokepoint] = [
        w for r in snap.routes if r.role == "corridor" for w in r.waypoints
    ]
    r = snap.page.px(MARKER_RADIUS * snap.page.unit)
    for marker in [*drawn, *snap.dataset.chokepoints]:
        x, y = lonlat_xy(view, [(marker.lon, marker.lat)])
        centre = ax.transData.transform((x[0], y[0]))
        placer.block(Bbox([centre - r, centre + r]))


def shown_land(
    ax: Axes,
    areas: Mapping[str, shapely.Geometry],
    em: float,
    *,
    whole: Mapping[str, shapely.Geometry],
) -> dict[str, shapely.Geometry]:
    """Return the land of ``areas`` (map metres) the map shows: off the insets drawn over it.

    A state whose land shown holds no round spot :data:`MIN_SHOWN` line heights (``em``
    display pixels) across, and is less than half its ``whole`` land, is left out. A small
    state the map shows whole (Armenia on a frame of all Eurasia) stays.
    """
    to_map = ax.transData.inverted()
    covers = [
        shapely.box(*to_map.transform(inset.get_window_extent().get_points()).ravel())
        for inset in ax.figure.axes
        if inset.get_gid() in {LOCATOR_GID, DETAIL_GID}
    ]
    hidden = shapely.union_all(covers)
    (x0, x1) = ax.get_xlim()
    radius = MIN_SHOWN / 2 * em * (x1 - x0) / ax.bbox.width
    shown = {iso3: shapely.difference(g, hidden) for iso3, g in areas.items()}
    return {
        iso3: g
        for iso3, g in shown.items()
        if g.area > 0
        and (g.area >= whole[iso3].area / 2 or not shapely.buffer(g, -radius, quad_segs=2).is_empty)
    }


def _crossed(snap: SnapshotFigure) -> set[str]:
    """Return the states the routes drawn cross."""
    return {
        s.iso3
        for r in snap.routes
        if (analysis := snap.analyses.get(r.id)) is not None
        for s in analysis.transit
    }


def _under_detail(ax: Axes, detail: Detail, areas: Mapping[str, shapely.Geometry]) -> set[str]:
    """Return the states of ``areas`` (map metres) whose land lies mostly in the inset's area."""
    outline = shapely.Polygon(ax.transData.inverted().transform(detail.outline_px))
    return {
        iso3 for iso3, g in areas.items() if g.area > 0 and _overlap(g, outline).area > g.area / 2
    }


def _overlap(area: shapely.Geometry, other: shapely.Geometry) -> shapely.Geometry:
    """Return the intersection of ``area`` and ``other``, made valid where GEOS needs it.

    A state cut at the frame's edge can project to a ring that crosses itself, and GEOS
    refuses to intersect it (an inset with more room around its states on the Middle
    Corridor's square fitted to all); made valid only then, as that is slow on every state.
    """
    try:
        return shapely.intersection(area, other)
    except shapely.errors.GEOSException:
        return shapely.intersection(shapely.make_valid(area), shapely.make_valid(other))


def _state_names(snap: SnapshotFigure) -> dict[str, str]:
    return dict(zip(snap.states["iso3"], snap.states["name"], strict=True))


def _name_states(
    snap: SnapshotFigure,
    label: Labeller,
    iso3s: list[str],
    areas: Mapping[str, shapely.Geometry],
    *,
    reach: Reach,
    size: float | None = None,
) -> tuple[list[str], list[str]]:
    """Name crossed or bypassed states in turn; return those left unnamed and those on leaders.

    At ``size`` (points), by default the crossed states' size on the map. A name that would go
    on a leader longer than :data:`SHORT_LEADER` is set in its state :data:`SMALLEST` where
    that fits.
    """
    names = _state_names(snap)
    unnamed, leadered = [], []

    def name(iso3: str, reach: Reach, scales: tuple[float, ...] = ON_AREA) -> bool:
        return label.inside(
            areas[iso3],
            label_name(names[iso3]),
            size=size or snap.page.label * 1.05,
            must=True,
            reach=reach,
            thorough=True,
            scales=scales,
            weight="bold",
            color=CROSSED_STATE_INK,
            iso3=iso3,
            gid=f"state-{iso3}",
        )

    for iso3 in iso3s:
        leaders = len(label.leaders)
        before = label.mark()
        named = name(iso3, reach)
        if named and len(label.leaders) > leaders and _long(label, iso3):
            label.undo(before)
            named = name(iso3, "none", (SMALLEST,)) or name(iso3, reach)
        if not named:
            unnamed.append(iso3)
        elif len(label.leaders) > leaders:
            leadered.append(iso3)
    return unnamed, leadered


def _long(label: Labeller, iso3: str) -> bool:
    """Return whether the state's name just set went on a leader longer than a short one."""
    (text,) = [t for t in label.ax.texts if t.get_gid() == f"state-{iso3}"]
    leader = label.leaders[-1]
    return bool(leader.length > SHORT_LEADER * label.page.px(float(text.get_fontsize())))


def _states(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    label: Labeller,
    *,
    must: list[str],
    in_view: Mapping[str, shapely.Geometry],
    places: list[Place],
    bar: ScaleBar,
) -> Detail | None:
    """Name the crossed and bypassed states ``must``, crowded ones in a detail inset.

    They are tried first with leaders no longer than :data:`SHORT_LEADER`. If that names them
    all, that stands. Otherwise the trial is taken back and a detail inset drawn of the states
    left unnamed and small (:func:`_crowded`) and those near them on leaders; it names them
    inside their areas, and the rest are named on the map as before, short leaders first (an
    inset that names nothing is taken back). A
    state the inset cannot name, and every one where there is no room for an inset, goes on
    the map as it always has, on a leader as long as it takes.
    """
    p = snap.page
    trial = label.mark()
    unnamed, leadered = _name_states(snap, label, must, in_view, reach="short")
    if not unnamed:
        return None
    label.undo(trial)
    taken = _crowded(snap, ax, view, unnamed=unnamed, leadered=leadered, areas=in_view)
    if not taken:
        _name_states(snap, label, must, in_view, reach="far")
        return None
    before = label.mark()

    def inset(
        room: tuple[float, float], shown: Sequence[str] = ()
    ) -> tuple[Detail | None, tuple[int, int]]:
        return _draw_named_detail(
            snap,
            ax,
            view,
            label,
            taken=taken,
            must=must,
            in_view=in_view,
            places=places,
            bar=bar,
            room=room,
            shown=shown,
        )

    detail, flaws = inset((PAD, 0.0))
    # With other room around its states where that leaves a name below the page's smallest
    # type or a leader across a route line (TRIPP's square fitted to every corridor); the
    # first try with the fewest flaws is kept, put back if another was drawn after it.
    # Its own names count, not those of the other states a route crosses: another try that
    # leaves one out (Absheron, its point beyond a tighter inset's edge) counts it as a flaw.
    own = [
        g
        for g in (detail.named if detail is not None else [])
        if g.removeprefix("state-") in taken or g.startswith("place-")
    ]
    best, drawn = (flaws, (PAD, 0.0)), (PAD, 0.0)
    # The best try so far, set aside whole while another is drawn (drawn again, it cost as
    # much as the first time and drew the same).
    kept: _SetAside | None = None
    rooms = [*((pad, 0.0) for pad in OTHER_PADS), (0.0, EAST)]
    for room in rooms if detail is not None and any(flaws) else ():
        aside = _take_back(detail, label, before, bar)
        if drawn == best[1]:
            kept = aside
        detail, flaws = inset(room, own)
        drawn = room
        if flaws < best[0]:
            best = (flaws, room)
        if not any(flaws):
            break
    if drawn != best[1]:
        _take_back(detail, label, before, bar)
        detail = _put_back(kept, label, before, bar)
    if detail is None:
        _name_states(snap, label, must, in_view, reach="far")
        return None
    # What the inset covers is named in it or not at all: no leader starts under it.
    shown = shown_land(ax, in_view, p.px(p.label), whole=label.states)
    rest = [i for i in must if f"state-{i}" not in detail.named and i in shown]
    unnamed, _ = _name_states(snap, label, rest, shown, reach="short")
    _name_states(snap, label, unnamed, shown, reach="far")
    return detail


def _draw_named_detail(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    label: Labeller,
    *,
    taken: list[str],
    must: list[str],
    in_view: Mapping[str, shapely.Geometry],
    places: list[Place],
    bar: ScaleBar,
    room: tuple[float, float],
    shown: Sequence[str] = (),
) -> tuple[Detail | None, tuple[int, int]]:
    """Draw a detail inset of the states ``taken``, ``room`` around them, and name them in it.

    ``room``: around them and more on their east, as :func:`detail_extent` takes them.

    Return it, None where it has no room or names nothing, and its flaws
    (:func:`_detail_flaws`), the names ``shown`` by another try it leaves out among them:
    with none drawn, every state it was to name is unset.
    """
    p = snap.page
    before = label.mark()
    detail = draw_detail(
        snap,
        ax,
        view,
        label.placer,
        extent=detail_extent(snap, taken, room=room[0], east=room[1]),
        zoom=max(
            _zoom_for_names(snap, ax, view, i, area=in_view[i], size=p.label * 1.05 * INSET_SCALE)
            for i in taken
        ),
        lines=label.line_px,
        land=[_land_points(ax, in_view[i], p.px(p.label)) for i in must if i not in taken],
        keep_clear=_keep_clear(snap, ax, view, places),
        bar=bar,
    )
    if detail is None:
        return None, (len(taken), 0)
    # The map's names keep off the outline of the inset's area as off a route line, and
    # their leaders off the inset as off a name.
    label.line_px = np.vstack([label.line_px, detail.outline_px])
    label.boxes.append(detail.ax.get_window_extent(snap.renderer))
    # The other states a route drawn crosses whose land is in the inset's area are named in
    # it too where there is room, after its own: the map does not name them.
    others = sorted(_under_detail(ax, detail, in_view) & _crossed(snap) - set(must))
    flaws = _name_in_detail(snap, detail, taken, others=others, shown=shown)
    if not detail.named:
        # An inset with no room for a name inside it is not worth the map it covers.
        _take_back(detail, label, before, bar)
        return None, (len(taken), 0)
    return detail, flaws


@dataclass(frozen=True)
class _SetAside:
    """A detail inset's try taken off the page, with what it drew on the map, to put back."""

    detail: Detail
    #: The map's names' state after it (the outline is the detail's, the bar its own).
    names: Kept
    bar: BarKept


def _take_back(
    detail: Detail | None, label: Labeller, before: Mark, bar: ScaleBar
) -> _SetAside | None:
    """Take back a detail inset drawn since ``before``: its axes, outline, and the bar's move.

    Return it set aside, to put back as it was (:func:`_put_back`).
    """
    if detail is None:
        return None
    aside = _SetAside(detail, label.keep(before), bar.keep())
    # Off the figure, not removed: an axes removed cannot be added again.
    detail.ax.figure.delaxes(detail.ax)
    detail.outline.remove()
    label.undo(before)
    if bar.right:
        bar.draw(right=False)
    return aside


def _put_back(
    aside: _SetAside | None, label: Labeller, before: Mark, bar: ScaleBar
) -> Detail | None:
    """Put back a detail inset's try set aside since ``before``, as it was drawn; return it.

    Its axes, its outline and names on the map, the room they took and the scale bar's place:
    what drawing it again from the same state gave, for none of a try's cost (about a second of
    CPU on a square print).
    """
    if aside is None:
        return None
    label.restore(before, aside.names)
    put_back(label.ax, aside.detail.outline)
    bar.restore(aside.bar)
    aside.detail.ax.figure.add_axes(aside.detail.ax)
    return aside.detail


def _crowded(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    *,
    unnamed: list[str],
    leadered: list[str],
    areas: Mapping[str, shapely.Geometry],
) -> list[str]:
    """Return the states a detail inset is to name: small ones crowded together.

    Of the states ``unnamed`` on the map, those too small for their names (where a large one
    has no room, the lines and names on it are to blame, not its size), with the smallest of
    them and those near it; and the states near them ``leadered`` no larger than their area.
    """
    size = snap.page.label * 1.05
    small = [i for i in unnamed if _zoom_for_names(snap, ax, view, i, area=areas[i], size=size) > 1]
    if not small:
        return []
    bounds = shapely.envelope(snap.states.set_index("iso3").geometry)
    seed = bounds[min(small, key=lambda i: areas[i].area)]
    near = shapely.affinity.scale(seed, NEAR, NEAR)
    small = [i for i in small if bounds[i].intersects(near) and bounds[i].area <= NEAR * seed.area]
    around = shapely.box(*detail_extent(snap, small))
    return [
        i
        for i in areas
        if i in small
        or (i in leadered and bounds[i].intersects(around) and bounds[i].area <= around.area)
    ]


def _zoom_for_names(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    iso3: str,
    *,
    area: shapely.Geometry,
    size: float,
) -> float:
    """Return how many times larger than on the map a state must be drawn to hold its name.

    The name, set :data:`SMALLER` than ``size`` (but no smaller than the page's smallest
    type, the credits'), is to span at most :data:`NAME_FILL` of the largest part of the
    state's ``area`` (map metres) each way: a state is not a rectangle, and its lines and
    stations take room too.
    """
    p = snap.page
    font = FontProperties(size=max(size * SMALLER, p.footer), weight="bold")
    px_per_m = ax.bbox.width / (view.xlim[1] - view.xlim[0])
    part = max(shapely.get_parts(area), key=lambda g: g.area)
    x0, y0, x1, y1 = part.bounds
    rows = label_name(_state_names(snap)[iso3]).split("\n")
    text_w = max(
        snap.renderer.get_text_width_height_descent(row, font, ismath=False)[0] for row in rows
    )
    text_h = len(rows) * p.px(max(size * SMALLER, p.footer))
    width, height = (x1 - x0) * px_per_m, (y1 - y0) * px_per_m
    return max(text_w / (NAME_FILL * width), text_h / (NAME_FILL * height))


def _land_points(ax: Axes, area: shapely.Geometry, spacing: float) -> np.ndarray:
    """Return points ``spacing`` pixels apart on ``area`` (map metres), in display pixels.

    The land of a state the map names outside a detail inset: the inset keeps off it. A state
    smaller than the spacing is one point, within it, so that the inset cannot hide it whole.
    """
    box = ax.bbox
    xs, ys = np.meshgrid(
        np.arange(box.x0, box.x1, spacing) + spacing / 2,
        np.arange(box.y0, box.y1, spacing) + spacing / 2,
    )
    grid = np.column_stack([xs.ravel(), ys.ravel()])
    x, y = ax.transData.inverted().transform(grid).T
    points = grid[shapely.contains_xy(area, x, y)]
    if len(points):
        return points
    inside = shapely.point_on_surface(area)
    return ax.transData.transform([(inside.x, inside.y)])


def _keep_clear(snap: SnapshotFigure, ax: Axes, view: View, places: list[Place]) -> np.ndarray:
    """Return the chokepoints and the seas' and straits' points (display pixels): named later."""
    lonlat = [(c.lon, c.lat) for c in snap.dataset.chokepoints]
    lonlat += [pl.anchors[0] for pl in places if pl.kind != "region"]
    if not lonlat:
        return np.empty((0, 2))
    x, y = lonlat_xy(view, lonlat)
    return ax.transData.transform(np.column_stack([x, y]))


def _name_in_detail(
    snap: SnapshotFigure,
    detail: Detail,
    iso3s: list[str],
    *,
    others: list[str],
    shown: Sequence[str] = (),
) -> tuple[int, int]:
    """Name the states ``iso3s`` in the inset, and the regions it shows; then ``others``.

    Inside their areas where there is room, else beside them on a short leader within the
    inset (a small state under many lines and stations: Armenia on the BTK A4).

    The states are named first, then the regions (:func:`_set_detail_names`). Where that
    leaves a name a presenter would retouch (:func:`_detail_flaws`), they are named again
    with those names first, and the try with fewer flaws is kept: a name placed early takes
    the room a later one had no other place for ("Azerbaijan" over Syunik's point sent
    Syunik's leader across the TRIPP's line on the TRIPP's A4 fitted to every corridor).
    Once: on the 26 default frames with an inset a third try, with the names still flawed
    first too, was never better, and a try took 0.06 to 3 s of CPU (load average 4).

    The ``others`` (states another route crosses) are named last, where there is room, in
    the type of the map's other states, as the map would name them: an inset that names
    nothing of its own names none of them either.

    The names it sets are added to ``detail.named``; those it has no room for are not.
    Return how flawed its own names are, as :func:`_detail_flaws` counts, with those of
    ``shown`` (another try's names) it leaves out among them.
    """
    p = snap.page
    inset, v = detail.ax, detail.view
    placer = LabelPlacer(
        inset.get_window_extent(snap.renderer), pad=p.px(1.0 * p.unit), leading=LEADING
    )
    _block_markers(snap, inset, v, placer)
    label = Labeller(
        inset,
        placer,
        p,
        line_points(inset, detail.lines, spacing=p.px(2 * p.unit)),
        land=detail.shapes,
        detail=True,
    )
    frame = shapely.box(v.xlim[0], v.ylim[0], v.xlim[1], v.ylim[1])
    areas = {i: shapely.intersection(detail.shapes[i], frame) for i in iso3s if i in detail.shapes}
    areas = {i: g for i, g in areas.items() if g.area > 0}
    zoom = web_zoom(snap, inset, v)
    regions = [
        pl
        for pl in snap.places
        if pl.kind == "region"
        and PLACE_MIN_ZOOM[pl.rank] <= zoom
        and shapely.contains_xy(frame, *lonlat_xy(v, [pl.anchors[0]]))[0]
    ]
    wanted = [*(f"state-{i}" for i in areas), *(f"place-{pl.id}" for pl in regions)]
    # Another try's names this one has not in its frame are unset too.
    counted = list(dict.fromkeys([*wanted, *shown]))
    start = label.mark()
    named = _set_detail_names(snap, label, v, areas, regions, first=[], lines=detail.lines)
    flaws = _detail_flaws(label, detail.lines, [g for g in counted if g not in named])
    if set(flaws[2]) & set(wanted):
        first = label.keep(start)
        label.undo(start)
        again = _set_detail_names(
            snap,
            label,
            v,
            areas,
            regions,
            first=[g for g in flaws[2] if g in wanted],
            lines=detail.lines,
        )
        # Of two as good, the first, as it was: no frame changes but for fewer flaws.
        fewer = _detail_flaws(label, detail.lines, [g for g in counted if g not in again])
        if fewer[:2] < flaws[:2]:
            named, flaws = again, fewer
        else:
            label.restore(start, first)
    detail.named += named
    if not named:
        return flaws[:2]
    names = _state_names(snap)
    label.min_size = p.footer
    for iso3 in others:
        area = shapely.intersection(detail.shapes.get(iso3, shapely.Polygon()), frame)
        before = label.mark()
        if area.area > 0 and label.inside(
            area,
            label_name(names[iso3]),
            size=p.label * 0.9 * INSET_SCALE,
            must=True,
            reach="short",
            fewest_lines=True,
            color=STATE_INK,
            iso3=iso3,
            gid=f"state-{iso3}",
        ):
            # Not named at all rather than with a flaw a presenter would retouch (a leader
            # across a route line: "Armenia" on the Middle Corridor's A4 fitted to all).
            if f"state-{iso3}" in _detail_flaws(label, detail.lines, [])[2]:
                label.undo(before)
            else:
                detail.named.append(f"state-{iso3}")
    return flaws[:2]


def _set_detail_names(
    snap: SnapshotFigure,
    label: Labeller,
    view: View,
    areas: Mapping[str, shapely.Geometry],
    regions: list[Place],
    *,
    first: list[str],
    lines: list[np.ndarray],
) -> list[str]:
    """Name the states of ``areas`` and the ``regions`` in a detail inset of ``view``.

    The names ``first`` (``state-ISO3``, ``place-ID``) in turn, each where it fits best, then
    the other states, then the other regions. Each is set at the page's smallest type or
    larger, the credits' (Nakhchivan and Syunik were set at 5.8 pt on a 16:9 slide, below its
    7 pt credits), where that has room anywhere; a state's name with none is set smaller as
    before rather than go out on a long leader on the map or be left out ("Azerbaijan" on the
    BTK's square fitted to every corridor). At each type, every name is tried with leaders
    that keep off the route ``lines`` first, a region's as far out as it takes, and only then
    with near ones across them: Absheron's near leader crossed the Russia-Gulf railway's line
    by Baku on three frames fitted to every corridor (and it was set at 7.1 pt on two), where
    the Caspian north of it had room.

    A region's name is set only that way: at that type, its leader across no route line, or
    not in the inset at all. The map names it by its point where the map's zoom names regions
    of its rank, and leaves it out elsewhere, as it leaves out a minor name with no room: set
    smaller or across a line it was what a presenter would retouch (Syunik at 6.5 pt on the
    Middle Corridor's and the BTK's squares fitted to every corridor, Absheron at 6.5 pt on the
    Middle Corridor's and the INSTC's squares fitted to them, and Syunik's leader across the
    TRIPP's line on those two: it is now set between that line's arms, north of it).
    Return the names set.
    """
    p = snap.page
    size = p.label * 1.05 * INSET_SCALE
    # At the smallest type first, each with leaders off the route lines, then across them.
    acrosses: list[tuple[bool, ...]] = [(False,), (True,)]
    tries = [(floor, across) for floor in (p.footer, 0.0) for across in acrosses]
    named: list[str] = []

    def states(iso3s: list[str]) -> None:
        unnamed = sorted(iso3s, key=lambda i: (areas[i].area, i))
        for label.min_size, label.across_routes in tries:
            unnamed, _ = _name_states(snap, label, unnamed, areas, reach="near", size=size)
            # A short leader in the inset rather than a long one on the map ("Azerbaijan"
            # under the stations of the square print's small inset).
            unnamed, _ = _name_states(snap, label, unnamed, areas, reach="short", size=size)
        named.extend(f"state-{i}" for i in iso3s if i not in unnamed)

    def places(chosen: list[Place]) -> None:
        # Near first; then, as on the map, a short leader rather than a long one there
        # (Syunik under the TRIPP's stations).
        reach: Reach
        label.min_size = p.footer
        # Leaders kept a line's width off the route lines, then any that merely miss them.
        for label.across_routes in acrosses:
            ladder: list[tuple[bool, Reach]] = [(False, "near"), (True, "near"), (True, "short")]
            if not any(label.across_routes):
                ladder.append((True, "far"))
            for nudge, reach in ladder:
                for place in chosen:
                    gid = f"place-{place.id}"
                    if gid in named:
                        continue
                    before = label.mark()
                    if not label.place(
                        lonlat_xy(view, list(place.anchors)),
                        place,
                        must=True,
                        nudge=nudge,
                        reach=reach,
                        smaller=INSET_SCALE,
                    ):
                        continue
                    if gid in _detail_flaws(label, lines, [])[2]:
                        label.undo(before)
                    else:
                        named.append(gid)

    by_gid = {f"place-{pl.id}": pl for pl in regions}
    for gid in first:
        if gid in by_gid:
            places([by_gid[gid]])
        else:
            states([gid.removeprefix("state-")])
    states([i for i in areas if f"state-{i}" not in first])
    places([pl for gid, pl in by_gid.items() if gid not in first])
    label.across_routes = (False, True)
    return named


def _detail_flaws(
    label: Labeller, lines: list[np.ndarray], unset: list[str]
) -> tuple[int, int, list[str]]:
    """Return what a presenter would retouch in a detail inset's names, least first.

    How many of the ``unset`` names are states' (they would go far out on the map), how many
    names are flawed: unset regions, and names set below the page's smallest type, the
    credits', or on a leader across one of the route ``lines`` (the inset's data units); and
    those names (``gid``), unset first.
    """
    floor = label.page.footer
    names = [t for t in label.ax.texts if t.get_gid() != HALO_GID]
    small = [str(t.get_gid()) for t in names if float(t.get_fontsize()) < floor]
    # A leader's gid is its name's with ``leader-`` for ``state-`` or ``place-``.
    by_leader = {"leader-" + str(t.get_gid()).split("-", 1)[-1]: str(t.get_gid()) for t in names}
    to_px = label.ax.transData.transform
    routes = shapely.MultiLineString([to_px(xy) for xy in lines if len(xy) >= 2])
    # Beyond the marker at its start: a region's or a state's point may lie on a line.
    marker = label.page.px(MARKER_RADIUS * label.page.unit)
    across = []
    for line in label.ax.lines:
        if str(line.get_gid()) in by_leader:
            ends = to_px(np.column_stack(line.get_data()))
            leader = shapely.LineString(ends).difference(shapely.Point(ends[0]).buffer(marker))
            if leader.intersects(routes):
                across.append(by_leader[str(line.get_gid())])
    flawed = list(dict.fromkeys([*unset, *small, *across]))
    states = sum(g.startswith("state-") for g in unset)
    return states, len(flawed) - states, flawed


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
