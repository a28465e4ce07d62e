"""The map's layers: the states by their role, the routes as the web map draws them, markers.

Every look comes from :mod:`corridors.style`, in screen pixels, scaled by :data:`PX_TO_PT` and
the page's unit, so a snapshot looks like the screen it was taken from.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.lines import Line2D
from matplotlib.path import Path

from corridors.model import Leg, Route
from corridors.policy.closures import entry_breaks
from corridors.printmap.cartography import View
from corridors.printmap.page import Page
from corridors.style import (
    BASELINE_GREY,
    BORDER,
    BYPASS_OUTLINE,
    CASING_COLOUR,
    CASING_EXTRA_WIDTH,
    CASING_OPACITY,
    CHOKEPOINT_FILL,
    CHOKEPOINT_OPACITY,
    CHOKEPOINT_RADIUS,
    CHOKEPOINT_RING,
    CROSSED_FILL,
    CUT_COLOUR,
    CUT_FILL,
    CUT_MARK_RADIUS,
    CUT_OPACITY,
    CUT_WIDTH,
    DASH_CUT,
    FOCUS_EXTRA_WIDTH,
    FOCUS_OPACITY,
    LAND,
    WAYPOINT_FILL,
    WAYPOINT_RADIUS,
    WAYPOINT_RING,
    dash_lengths,
    leg_look,
)

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure

TRANSIT_FILL = CROSSED_FILL
BYPASSED_FILL = LAND
BYPASSED_EDGE = BYPASS_OUTLINE
#: Screen pixels (corridors.style) to points at unit scale: lines as heavy as on screen.
PX_TO_PT = 0.55


def draw_states(snap: SnapshotFigure, ax: Axes, view: View) -> dict[str, shapely.Geometry]:
    """Draw the states in view, highlighted by role; return their projected shapes."""
    metres_per_px = (view.xlim[1] - view.xlim[0]) / ax.get_window_extent(snap.renderer).width
    lonlat = shapely.clip_by_rect(snap.states.geometry.to_numpy(), *view.lonlat_bounds)
    keep = ~shapely.is_empty(lonlat)
    pad = 0.02 * (view.xlim[1] - view.xlim[0])
    projected = shapely.clip_by_rect(
        view.project(lonlat[keep]),
        view.xlim[0] - pad,
        view.ylim[0] - pad,
        view.xlim[1] + pad,
        view.ylim[1] + pad,
    )
    projected = simplified(projected, metres_per_px / 2)
    transit, bypassed = snap.highlighted
    groups: dict[str, list[Path]] = {"other": [], "transit": [], "bypassed": []}
    shapes: dict[str, shapely.Geometry] = {}
    for iso3, geom in zip(snap.states["iso3"].to_numpy()[keep], projected, strict=True):
        path = polygon_path(geom)
        if path is not None:
            shapes[str(iso3)] = geom
            group = "transit" if iso3 in transit else "bypassed" if iso3 in bypassed else "other"
            groups[group].append(path)
    u = snap.page.unit
    styles: dict[str, dict[str, Any]] = {
        "other": {"facecolors": LAND, "edgecolors": BORDER, "linewidths": 0.5 * u},
        "transit": {
            "facecolors": TRANSIT_FILL,
            "edgecolors": transit_edge(snap),
            "linewidths": 0.9 * u,
        },
        "bypassed": {
            "facecolors": BYPASSED_FILL,
            "edgecolors": BYPASSED_EDGE,
            "linewidths": 1.1 * u,
            "linestyles": (0, (4, 2)),
            "hatch": "////",
        },
    }
    for zorder, (group, paths) in enumerate(groups.items(), start=1):
        if paths:
            ax.add_collection(PathCollection(paths, zorder=zorder, **styles[group]))
    return shapes


def simplified(shapes: np.ndarray, tolerance: float) -> np.ndarray:
    """Return the shapes simplified by ``tolerance`` (half a pixel: invisible at this size).

    It drops nine in ten vertices of a 1:10m map. Plain Douglas-Peucker is seven times faster
    than shapely's topology-preserving kind; the few shapes it leaves empty (islands under a
    pixel) or invalid are simplified the slow way instead, so no state is lost.
    """
    fast = shapely.simplify(shapes, tolerance, preserve_topology=False)
    slow = shapely.is_empty(fast) | ~shapely.is_valid(fast)
    fast[slow] = shapely.simplify(shapes[slow], tolerance)
    return fast


def transit_edge(snap: SnapshotFigure) -> str:
    """Return the outline of the crossed states: the selected route's colour."""
    return snap.selected.colour if snap.selected is not None else BORDER


def route_colour(route: Route) -> str:
    """Return a route's line colour: every baseline in one grey, as on the web map."""
    return BASELINE_GREY if route.role == "baseline" else route.colour


def line_look(snap: SnapshotFigure, route: Route, leg: Leg) -> tuple[float, Any, float]:
    """Return a leg's line width, matplotlib line style and opacity, from corridors.style."""
    look = leg_look(leg, route_colour(route), selected=route is snap.selected, year=snap.year)
    lw = look.width * PX_TO_PT * snap.page.unit
    return lw, dashes(snap.page, look.dash, lw), look.opacity


def dashes(page: Page, dash: str | None, lw: float) -> Any:
    """Return an SVG dash pattern (screen pixels) as a matplotlib line style for width ``lw``.

    matplotlib scales dashes by the line width; corridors.style gives them in pixels.
    """
    scaled = tuple(d * PX_TO_PT * page.unit / lw for d in dash_lengths(dash))
    return (0, scaled) if scaled else "solid"


def draw_routes(snap: SnapshotFigure, ax: Axes, view: View) -> list[np.ndarray]:
    """Draw the legs (colour by route, dashes by status, thinner at sea) and markers.

    Returns the projected lines, for labels to keep clear of.
    """
    u = snap.page.unit
    drawn = []
    _focus_band(snap, ax, view)
    projected = snap.projected(view)
    for route in sorted(snap.routes, key=lambda r: (r is snap.selected, r.role == "corridor")):
        zorder = 10 if route is snap.selected else 5
        for leg in route.legs:
            xy = shapely.get_coordinates(projected[(route.id, leg.id)])
            drawn.append(xy)
            lw, linestyle, alpha = line_look(snap, route, leg)
            if route is snap.selected:  # the web map's casing: readable over its states
                _add_line(
                    ax,
                    xy,
                    color=CASING_COLOUR,
                    lw=lw + CASING_EXTRA_WIDTH * PX_TO_PT * u,
                    zorder=zorder,
                    alpha=CASING_OPACITY,
                    solid_capstyle="round",
                    solid_joinstyle="round",
                    gid="casing",
                )
            _add_line(
                ax,
                xy,
                color=route_colour(route),
                lw=lw,
                zorder=zorder + 0.1,
                alpha=alpha,
                linestyle=linestyle,
                solid_capstyle="round",
                dash_capstyle="butt",
            )
            if (route.id, leg.id) in snap.cut_legs:
                cut_lw = CUT_WIDTH * PX_TO_PT * u
                _add_line(
                    ax,
                    xy,
                    color=CUT_COLOUR,
                    lw=cut_lw,
                    alpha=CUT_OPACITY,
                    linestyle=dashes(snap.page, DASH_CUT, cut_lw),
                    dash_capstyle="butt",
                    zorder=14,
                    gid="cut-leg",
                )
    _cut_marks(snap, ax, view)
    # Every corridor's stations and every chokepoint, as the web map marks them.
    for route in snap.routes:
        if route.role != "corridor" or not route.waypoints:
            continue
        x, y = lonlat_xy(view, [(w.lon, w.lat) for w in route.waypoints])
        ax.scatter(
            x,
            y,
            s=(2 * WAYPOINT_RADIUS * PX_TO_PT * u) ** 2,
            facecolor=WAYPOINT_FILL,
            edgecolor=route.colour,
            linewidth=WAYPOINT_RING * PX_TO_PT * u,
            zorder=12.5 if route is snap.selected else 12,
            gid=f"waypoints-{route.id}",
        )
    if snap.dataset.chokepoints:
        x, y = lonlat_xy(view, [(c.lon, c.lat) for c in snap.dataset.chokepoints])
        ax.scatter(
            x,
            y,
            s=(2 * CHOKEPOINT_RADIUS * PX_TO_PT * u) ** 2,
            marker="o",
            facecolor=CHOKEPOINT_FILL,
            edgecolor="white",
            alpha=CHOKEPOINT_OPACITY,
            linewidth=CHOKEPOINT_RING * PX_TO_PT * u,
            zorder=13,
            gid="chokepoints",
        )
    return drawn


def _cut_marks(snap: SnapshotFigure, ax: Axes, view: View) -> None:
    """Mark where each route drawn enters what is closed, as the web map does."""
    if snap.closures is None:
        return
    cuts = entry_breaks(snap.closures, snap.routes)
    if not cuts:
        return
    x, y = lonlat_xy(view, [(cut.lon, cut.lat) for _, cut in cuts])
    diameter = 2 * CUT_MARK_RADIUS * PX_TO_PT * snap.page.unit
    ax.scatter(
        x,
        y,
        s=diameter**2,
        facecolor=CUT_FILL,
        edgecolor="white",
        linewidth=1.1 * snap.page.unit,
        zorder=15,
        gid="cut-mark",
    )


def _focus_band(snap: SnapshotFigure, ax: Axes, view: View) -> None:
    """Lay a soft band of the selected route's colour under its own section (:attr:`focus`)."""
    if snap.selected is None:
        return
    for leg, parts in snap.focus_lines:
        lw = line_look(snap, snap.selected, leg)[0] + FOCUS_EXTRA_WIDTH * PX_TO_PT * snap.page.unit
        for part in parts:
            xy = shapely.get_coordinates(view.project(np.array([part])))
            _add_line(
                ax,
                xy,
                color=snap.selected.colour,
                lw=lw,
                alpha=FOCUS_OPACITY,
                solid_capstyle="butt",
                zorder=9,
                gid="focus",
            )


def _add_line(ax: Axes, xy: np.ndarray, **style: Any) -> None:
    """Draw a line of ``xy`` rows (map metres) on a map whose limits are set.

    As ``ax.plot`` would draw it, at half the cost: a map's limits are its frame's, so the
    line has no data limits to widen and no arguments to parse (a whole-Eurasia frame draws
    some two hundred lines).
    """
    ax.add_artist(Line2D(xy[:, 0], xy[:, 1], **style))


def put_back(ax: Axes, artist: Artist) -> None:
    """Add an ``artist`` taken off ``ax`` back to it, as it was drawn.

    ``add_artist`` would clip a name to the axes, which ``ax.text`` does not; a patch or a line
    keeps the clip it had.
    """
    box = artist.get_clip_box()
    ax.add_artist(artist)
    artist.set_clip_box(box)


def lonlat_xy(view: View, lonlat: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """Return ``(lon, lat)`` points as map metres, the x and the y apart."""
    points = np.asarray(lonlat, dtype=float)
    x, y = view.forward.transform(points[:, 0], points[:, 1])
    return np.asarray(x), np.asarray(y)


def polygon_path(geom: shapely.Geometry) -> Path | None:
    """Return a compound path of a (multi)polygon's rings, holes wound against the shell."""
    polygons = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not polygons:
        return None
    verts: list[np.ndarray] = []
    codes: list[np.ndarray] = []
    for polygon in shapely.orient_polygons(np.array(polygons, dtype=object)):
        for ring in [polygon.exterior, *polygon.interiors]:
            xy = np.asarray(ring.coords)
            if len(xy) < 4:
                continue
            code = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            code[0], code[-1] = Path.MOVETO, Path.CLOSEPOLY
            verts.append(xy)
            codes.append(code)
    return Path(np.concatenate(verts), np.concatenate(codes)) if verts else None


def line_points(ax: Axes, lines: list[np.ndarray], spacing: float) -> np.ndarray:
    """Return points every ``spacing`` pixels along the drawn lines, in display coordinates."""
    if not lines:
        return np.empty((0, 2))
    display = [ax.transData.transform(xy) for xy in lines if len(xy) >= 2]
    if not display:
        return np.empty((0, 2))
    dense = shapely.segmentize(np.array([shapely.LineString(xy) for xy in display]), spacing)
    return shapely.get_coordinates(dense)
