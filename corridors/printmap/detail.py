"""The detail inset: crowded small states enlarged in a framed corner of the map.

On a whole-Eurasia print the Caucasus is a few millimetres across: Georgia, Armenia and
Azerbaijan have no room for their names, and a name set far out on a long leader (Georgia
in the Arabian Sea, its leader across Iran) is what a presenter would retouch. The inset
draws their area again, larger, where the map has room, and its area is outlined on the map.
:func:`corridors.printmap.labels.draw_labels` decides which states it takes and names them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.transforms import Bbox

from corridors.printmap.cartography import (
    BBox,
    LabelPlacer,
    View,
    extent_aspect,
    fit_view,
    frame_outline,
)
from corridors.printmap.furniture import ScaleBar, framed_inset
from corridors.printmap.layers import draw_routes, draw_states, lonlat_xy
from corridors.printmap.page import INK

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure

#: ``gid`` of the detail inset's axes, and of its area's outline on the map.
DETAIL_GID = "detail"
#: Room around the states' bounds, as a share of their larger side, so their neighbours show.
PAD = 0.08
#: Where the inset's names at :data:`PAD` are flawed (a name below the page's smallest type, a
#: leader across a route line), the inset is drawn again with these in turn: less room
#: enlarges its states (up to a seventh more in the same box), more shows more of the sea and
#: the neighbours its names may go over, and the inset's place and size change with its area
#: (:func:`corridors.printmap.labels._states`).
OTHER_PADS = (0.03, 0.0, 0.2)
#: Last, the inset is drawn with no room around its states but this share of their larger side
#: more on their east: the Caspian's open water, where the names of a coast crowded with lines
#: and ports go (on the Middle Corridor's square fitted to every corridor Absheron was set at
#: 6.5 pt, below the 7.8 pt credits, and Syunik's leader crossed the TRIPP's line; with it,
#: Absheron is set at 7.8 pt over the Caspian and no leader crosses a line). Room all round
#: would show that water too, but shrink the states in a box of the same height.
EAST = 0.15
#: The inset's widths tried, as shares of the map's, largest first; it is at most
#: :data:`MAX_HEIGHT` of the map's height.
WIDTHS = tuple(w / 40 for w in range(20, 4, -1))
#: Where no inset is as large as its names need, one at least this share of the largest one's
#: width may be taken if it covers fewer route lines or less of the land named on the map.
SIZE_SLACK = 0.9
MAX_HEIGHT = 0.6
#: Of the insets as large as its states' names need, one this many times larger is taken where
#: it comes no nearer the points to keep clear: the regions it names go beside their points on
#: leaders, between lines of stations, and need room too (Syunik's leader crossed the TRIPP's
#: line on the Middle Corridor's phone frame and the Russia-Gulf railway's 16:9 slide fitted to
#: them; on the INSTC's A4 a larger inset came near Hormuz and left its name out).
ROOMIER = 1.4
#: The inset draws its area at least this many times as large as the map does, or it is not
#: worth the room it covers.
MIN_ZOOM = 2.0
#: Where no inset that large has room, one this many times as large is looked for once: on the
#: Russia-Gulf railway's square fitted to it none at twice its scale kept off the scale bar and
#: its own outline, and "Azerbaijan" went 9.8 line heights out over the Black Sea; with it, an
#: inset beside the bar names Azerbaijan and Syunik at the page's type or larger. Not always:
#: where a larger one fits, it names more (the Russia-Gulf railway's A4 fitted to it).
LEAST_ZOOM = 1.7
#: Positions tried along each side of the map: the corners and points between them.
_STEPS = 7
#: Points (a sea's or strait's name, a chokepoint) an inset keeps this many line heights from,
#: where it can: their names go beside them.
KEEP_CLEAR_EMS = 4.0
#: An inset covers no more than this share of the land in view of a state the map still has to
#: name, where any place does: its name and its leader's anchor need the rest (the Middle
#: Corridor's square fitted to it hid Belarus, where that name's leader started).
MAX_COVERED = 0.5


@dataclass
class Detail:
    """A detail inset drawn: its axes, projection, states (map metres) and route lines."""

    ax: Axes
    view: View
    shapes: dict[str, shapely.Geometry]
    lines: list[np.ndarray]
    #: Its area's outline on the map, in display pixels: the map's names keep off it.
    outline_px: np.ndarray
    #: That outline drawn: taken off the map with the inset's try and put back with it.
    outline: Line2D
    #: The names set in the inset (``state-ISO3``, ``place-ID``), not repeated on the map.
    named: list[str] = field(default_factory=list)


def detail_extent(
    snap: SnapshotFigure, iso3s: list[str], *, room: float = PAD, east: float = 0.0
) -> BBox:
    """Return the longitude/latitude extent of an inset showing the states ``iso3s``.

    Their bounds with ``room`` (a share of their larger side, :data:`PAD`) around them, and
    ``east`` more on their east (:data:`EAST`).
    """
    rows = snap.states[snap.states["iso3"].isin(iso3s)]
    lon0, lat0, lon1, lat1 = (float(v) for v in rows.total_bounds)
    side = max(lon1 - lon0, lat1 - lat0)
    pad = room * side
    return (
        max(lon0 - pad, -180.0),
        max(lat0 - pad, -90.0),
        min(lon1 + pad + east * side, 180.0),
        min(lat1 + pad, 90.0),
    )


def detail_spot(
    frame: Bbox,
    placer: LabelPlacer,
    *,
    area: Bbox,
    aspect: float,
    zoom: float,
    gap: float,
    lines: np.ndarray,
    land: Sequence[np.ndarray],
    keep_clear: np.ndarray,
    em: float,
    movable: Bbox | None = None,
    min_zoom: float = MIN_ZOOM,
) -> tuple[Bbox | None, Bbox | None]:
    """Return where on the map (display pixels) an inset of ``area``, ``aspect`` wide, goes.

    Two answers from one search: the best place clear of the ``movable`` box (the scale bar,
    which ``placer`` does not hold), and the best one anywhere (where the bar would move).

    It lies inside the map ``frame`` ``gap`` from its edge, clear of what ``placer`` holds
    (scale bar, locator, markers) and of its own ``area``, and draws it at least ``min_zoom``
    times as large (:data:`MIN_ZOOM`). Of the sizes :data:`WIDTHS` and the places along the
    map's sides (and beside the furniture the ``placer`` holds), those over no route ``lines``
    point are kept where there are any (an inset over the Mediterranean hid its sea route);
    of them, one enlarging ``zoom`` times (what its states' names need) is taken where there is
    one, :data:`ROOMIER` times that where it keeps as clear of the ``keep_clear`` points, else
    one of the largest (:data:`SIZE_SLACK`); of those, the one over the fewest route line
    points, then over the fewest ``land`` points (one array for each state the map names
    outside the inset: one over Russia on the Russia-Gulf phone frame pushed its name off the
    map's empty north), then nearer the fewest ``keep_clear`` points, the largest, a corner.
    Before all that, one over no more than :data:`MAX_COVERED` of any one state's points is
    taken where there is one. None if none fits.

    Examples
    --------
    >>> frame = Bbox.from_bounds(0, 0, 1600, 900)
    >>> spot, anywhere = detail_spot(frame, LabelPlacer(frame, 2.0),
    ...     area=Bbox.from_bounds(700, 400, 100, 60), aspect=1.5, zoom=3.0, gap=10.0,
    ...     lines=np.array([[1500.0, 800.0]]), land=[],
    ...     keep_clear=np.empty((0, 2)), em=10.0, movable=Bbox.from_bounds(900, 20, 200, 40))
    >>> [round(v) for v in spot.bounds], [round(v) for v in anywhere.bounds]
    ([830, 72, 760, 507], [830, 10, 760, 507])
    """
    blocked = area.padded(gap)
    # The furniture: large boxes held, and the movable one, with the room ``placer`` keeps.
    held = LabelPlacer(placer.frame, placer.pad)
    if movable is not None:
        held.block(movable)
    taken = np.vstack([placer.taken, held.taken])
    big = (taken[:, 2] - taken[:, 0] > 4 * em) | (taken[:, 3] - taken[:, 1] > 4 * em)
    furniture = taken[big]
    # Each spot: whether too small for the names, its size, what it is ranked by, and whether
    # it is clear of the movable box.
    spots: list[tuple[bool, int, tuple[bool, int, int, int, int, bool], Bbox, bool]] = []
    for size, width in enumerate(_widths(frame, area, aspect, min_zoom)):
        height = width / aspect
        x0, x1 = frame.x0 + gap, frame.x1 - gap - width
        y0, y1 = frame.y0 + gap, frame.y1 - gap - height
        xs = list(np.linspace(x0, x1, _STEPS))
        ys = list(np.linspace(y0, y1, _STEPS))
        # Along the sides, and beside the furniture there (a scale bar in a corner).
        for fx0, fy0, fx1, fy1 in furniture:
            xs += [fx1 + gap, fx0 - gap - width]
            ys += [fy1 + gap, fy0 - gap - height]
        places = {(float(x), float(y)) for x in xs for y in (y0, y1)}
        places |= {(float(x), float(y)) for x in (x0, x1) for y in ys}
        for x, y in sorted(places):
            box = Bbox.from_bounds(x, y, width, height)
            if box.overlaps(blocked) or not placer.fits(box):
                continue
            covered = [_inside(points, box) for points in land]
            rank = (
                any(c > MAX_COVERED * len(p) for c, p in zip(covered, land, strict=True)),
                _inside(lines, box.padded(gap)),
                sum(covered),
                _inside(keep_clear, box.padded(KEEP_CLEAR_EMS * em)),
                size,
                not (x in (x0, x1) and y in (y0, y1)),
            )
            spots.append((width < zoom * area.width, size, rank, box, held.fits(box)))
    need = ROOMIER * zoom * area.width
    return _best([s for s in spots if s[4]], need), _best(spots, need)


def _widths(frame: Bbox, area: Bbox, aspect: float, min_zoom: float) -> list[float]:
    """Return the inset's widths tried in ``frame``, largest first, for ``area``, ``aspect`` wide.

    The shares :data:`WIDTHS` of the frame's width that draw the area at least ``min_zoom``
    times as large, and that least width itself: the shares step by a
    fortieth of the map, and on a crowded map the room left between the stations may be a
    little smaller than the smallest of them (the Middle Corridor's square fitted to it).
    """
    tallest = MAX_HEIGHT * frame.height * aspect
    least = min_zoom * max(area.width, area.height * aspect)
    widths = [min(share * frame.width, tallest) for share in WIDTHS]
    widths = [w for w in widths if w >= least]
    if least <= min(WIDTHS[0] * frame.width, tallest) and least not in widths:
        widths.append(least)
    return widths


def _best(
    spots: list[tuple[bool, int, tuple[bool, int, int, int, int, bool], Bbox, bool]],
    roomy: float,
) -> Bbox | None:
    """Return the best of ``spots`` (:func:`detail_spot`'s), None if there are none.

    Of those large enough, one ``roomy`` wide or wider where it keeps as clear (:data:`ROOMIER`).
    """
    if not spots:
        return None
    # Hiding no state the map names if any spot does, then off the route lines if any spot
    # is, however small (down to MIN_ZOOM).
    spots = [s for s in spots if not s[2][0]] or spots
    clear = [s for s in spots if s[2][1] == 0]
    spots = clear or spots
    large = [s for s in spots if not s[0]]
    if not large:
        largest = max(s[3].width for s in spots)
        large = [s for s in spots if s[3].width >= SIZE_SLACK * largest]
    best = min(large, key=lambda s: s[2])
    roomier = [s for s in large if s[3].width >= roomy and s[2][3] <= best[2][3]]
    return min(roomier or [best], key=lambda s: s[2])[3]


def _inside(points: np.ndarray, box: Bbox) -> int:
    """Return how many of ``points`` (display pixels) lie in ``box``."""
    if not len(points):
        return 0
    x, y = points[:, 0], points[:, 1]
    return int(((x >= box.x0) & (x <= box.x1) & (y >= box.y0) & (y <= box.y1)).sum())


def draw_detail(
    snap: SnapshotFigure,
    ax: Axes,
    view: View,
    placer: LabelPlacer,
    *,
    extent: BBox,
    zoom: float,
    lines: np.ndarray,
    land: Sequence[np.ndarray],
    keep_clear: np.ndarray,
    bar: ScaleBar,
) -> Detail | None:
    """Draw an inset of ``extent``, ``zoom`` times larger if it can, where there is room.

    None if there is no room (:func:`detail_spot`). Where taking the lower left corner of the
    scale ``bar`` lets it be larger, it does, and the bar moves to the lower right if there is
    room there (the inset above the bar on the Middle Corridor's A4 was too small to name
    Azerbaijan); else it keeps off the bar.

    It draws the same states and routes at its own scale, in its own conic; its area is
    outlined on the map, and the map's names keep off the inset.
    """
    p = snap.page
    frame = ax.get_window_extent(snap.renderer)
    aspect = extent_aspect(extent)
    detail = fit_view(extent, aspect)
    ring = frame_outline(detail)
    ox, oy = lonlat_xy(view, [(float(lon), float(lat)) for lon, lat in ring])
    outline_px = ax.transData.transform(np.column_stack([ox, oy]))

    taken = placer.taken
    placer.unblock(bar.box)

    def search(min_zoom: float) -> tuple[Bbox | None, Bbox | None]:
        return detail_spot(
            frame,
            placer,
            area=Bbox([outline_px.min(axis=0), outline_px.max(axis=0)]),
            aspect=aspect,
            zoom=zoom,
            gap=p.px(6 * p.unit),
            lines=lines,
            land=land,
            keep_clear=keep_clear,
            em=p.px(p.label),
            movable=bar.box,
            min_zoom=min_zoom,
        )

    spot, larger = search(MIN_ZOOM)
    if spot is None:
        # None clear of the bar at that scale: a smaller one beside it, should the bar not move.
        spot, _ = search(LEAST_ZOOM)
    chosen: Bbox | None = None
    # The bar moves only for an inset larger than the one beside it: one merely in its corner
    # gains nothing and takes the bar's new place from a name (Turkmenistan on a square).
    if larger is not None and (spot is None or larger.width > spot.width):
        placer.block(larger)
        bar.draw(right=True)
        if placer.fits(bar.box):
            placer.block(bar.box)
            chosen = larger
        else:
            bar.draw(right=False)
    if chosen is None:
        placer.taken = taken
        if spot is None:
            return None
        placer.block(spot)
        chosen = spot
    inset = framed_inset(snap, chosen, detail.xlim, detail.ylim, ax.get_zorder() + 2)
    inset.set_gid(DETAIL_GID)
    shapes = draw_states(snap, inset, detail)
    inset_lines = draw_routes(snap, inset, detail)
    (outline,) = ax.plot(ox, oy, color=INK, linewidth=0.7 * p.unit, zorder=15, gid=DETAIL_GID)
    return Detail(inset, detail, shapes, inset_lines, outline_px, outline)
