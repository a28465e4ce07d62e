"""Map furniture: the scale bar and the locator inset, placed where labels then keep off."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Bbox

from corridors.figures import format_km, format_number
from corridors.printmap.cartography import (
    LabelPlacer,
    View,
    frame_outline,
    locator_extent,
    scale_bar,
)
from corridors.printmap.layers import line_points, polygon_path, put_back
from corridors.printmap.page import INK
from corridors.style import BORDER, CUT_FILL, LAND, SEA

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure

#: ``gid`` of the locator inset's axes.
LOCATOR_GID = "locator"
#: ``gid`` of the scale bar's white ground, which holds the bar and its figures.
SCALE_BAR_GID = "scale-bar"


@dataclass(frozen=True)
class BarKept:
    """A :class:`ScaleBar` as it was drawn at one moment (:meth:`ScaleBar.restore`)."""

    artists: tuple[Artist, ...]
    box: Bbox
    length: float
    right: bool


class ScaleBar:
    """A two-part scale bar in a lower corner of the map, true where it stands.

    In the lower left corner, unless the detail inset takes that corner (it needs the room
    more: a bar's place is anywhere the map is true): then it is drawn again in the lower
    right (:meth:`draw`).
    """

    def __init__(self, snap: SnapshotFigure, ax: Axes, view: View) -> None:
        self.snap, self.ax, self.view = snap, ax, view
        self.artists: list[Artist] = []
        #: Where it is, in display pixels, with room around it: names keep off it.
        self.box = Bbox.null()
        #: Its length in map metres.
        self.length = 0.0
        self.right = False
        self.draw(right=False)

    def draw(self, *, right: bool) -> None:
        """Draw the bar in the lower right corner if ``right``, else the lower left one.

        On the right its box is as far from the map's edge as on the left; whatever it drew
        before is taken away (its texts may have been already).
        """
        x0, x1 = self.view.xlim
        margin = 0.035 * (x1 - x0)
        self._draw_at(x0 + margin)
        if right:
            frame = self.ax.get_window_extent(self.snap.renderer)
            gap = self.box.x0 - frame.x0
            start = x1 - margin - self.length
            for _ in range(2):
                self._draw_at(start)
                start += (frame.x1 - gap - self.box.x1) * (x1 - x0) / frame.width
        self.right = right

    def keep(self) -> BarKept:
        """Return the bar as it is drawn now, to put back later (:meth:`restore`)."""
        return BarKept(tuple(self.artists), self.box.frozen(), self.length, self.right)

    def restore(self, kept: BarKept) -> None:
        """Put the bar back as it was ``kept``: a detail inset's try set aside moved it too."""
        for artist in self.artists:
            if artist not in kept.artists and artist.axes is self.ax:
                artist.remove()
        for artist in kept.artists:
            if artist.axes is not self.ax:
                put_back(self.ax, artist)
        self.artists = list(kept.artists)
        self.box, self.length, self.right = kept.box.frozen(), kept.length, kept.right

    def _draw_at(self, start: float) -> None:
        """Draw the bar from ``start`` (map metres), measured there, and set :attr:`box`."""
        for artist in self.artists:
            if artist in self.ax.texts or artist in self.ax.patches:
                artist.remove()
        snap, ax, view = self.snap, self.ax, self.view
        u = snap.page.unit
        y0, y1 = view.ylim
        y = y0 + 0.05 * (y1 - y0)
        length, km = scale_bar(view, start, y, fraction=0.18)
        bar_h = 0.012 * (y1 - y0)
        parts = [
            ax.add_patch(
                Rectangle(
                    (start + i * length / 2, y),
                    length / 2,
                    bar_h,
                    facecolor=INK if i == 0 else "white",
                    edgecolor=INK,
                    linewidth=0.6 * u,
                    zorder=32,
                )
            )
            for i in range(2)
        ]
        texts = [
            ax.text(
                start + f * length,
                y + bar_h * 1.6,
                s,
                fontsize=snap.page.small,
                color=INK,
                ha="center",
                va="bottom",
                zorder=33,
            )
            for f, s in ((0.0, "0"), (0.5, format_number(km / 2)), (1.0, format_km(km)))
        ]
        boxes = [t.get_window_extent(snap.renderer).padded(snap.page.px(2 * u)) for t in texts]
        if boxes[1].overlaps(boxes[0]) or boxes[1].overlaps(boxes[2]):
            texts.pop(1).remove()
        if boxes[0].overlaps(boxes[2]):
            # A bar too short for "0" and its length apart (a narrow map): the length alone,
            # over the bar from its start, reads as the bar's length; "0200 km" did not.
            texts.pop(0).remove()
            texts[-1].set_x(start)
            texts[-1].set_horizontalalignment("left")
        corners = ax.transData.transform([(start, y), (start + length, y + bar_h)])
        box = Bbox.union([*(t.get_window_extent(snap.renderer) for t in texts), Bbox(corners)])
        box = box.padded(snap.page.px(4 * u))
        (bx0, by0), (bx1, by1) = ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        back = ax.add_patch(
            Rectangle(
                (bx0, by0),
                bx1 - bx0,
                by1 - by0,
                facecolor="white",
                alpha=0.9,
                edgecolor=BORDER,
                linewidth=0.6 * u,
                zorder=31,
                gid=SCALE_BAR_GID,
            )
        )
        self.artists = [*parts, *texts, back]
        self.box, self.length = box, length


def framed_inset(
    snap: SnapshotFigure,
    box: Bbox,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    zorder: float,
) -> Axes:
    """Add an inset map's axes over ``box`` (figure pixels): sea behind, framed, no ticks.

    The locator and the detail inset share it, so the two insets read as one kind of thing.
    """
    fig_w, fig_h = snap.fig.bbox.width, snap.fig.bbox.height
    inset = snap.fig.add_axes(
        (box.x0 / fig_w, box.y0 / fig_h, box.width / fig_w, box.height / fig_h), zorder=zorder
    )
    frame_map(inset, xlim, ylim, edge=INK, width=0.8 * snap.page.unit)
    return inset


def frame_map(
    ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float], *, edge: str, width: float
) -> None:
    """Set a map's axes to its extent: sea behind, no ticks, a frame of ``edge`` colour.

    The main map and both insets are drawn in one way; only their frames differ.
    """
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_facecolor(SEA)
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_edgecolor(edge)
        spine.set_linewidth(width)


def draw_locator(
    snap: SnapshotFigure, ax: Axes, view: View, lines: list[np.ndarray], placer: LabelPlacer
) -> None:
    """Draw a small inset map in the emptiest upper or lower-right corner: where the frame is.

    It shows the land around the frame, about four times as wide, and the frame's outline
    on it; a frame that already spans most of a hemisphere needs none.
    """
    outline = frame_outline(view)
    extent = locator_extent(outline)
    if extent is None:
        return
    p = snap.page
    frame = ax.get_window_extent(snap.renderer)
    mid_lat = math.radians((extent[1] + extent[3]) / 2)
    aspect = (extent[2] - extent[0]) * math.cos(mid_lat) / (extent[3] - extent[1])
    width = min(0.24 * frame.width, 0.4 * frame.height * aspect)
    height = width / aspect
    gap = p.px(6 * p.unit)
    corners = [
        (frame.x1 - gap - width, frame.y1 - gap - height),
        (frame.x0 + gap, frame.y1 - gap - height),
        (frame.x1 - gap - width, frame.y0 + gap),
    ]
    points = line_points(ax, lines, spacing=p.px(3 * p.unit))

    def crowding(corner: tuple[float, float]) -> int:
        x, y = corner
        inside = (
            (points[:, 0] >= x - gap)
            & (points[:, 0] <= x + width + gap)
            & (points[:, 1] >= y - gap)
            & (points[:, 1] <= y + height + gap)
        )
        return int(inside.sum())

    free = [c for c in corners if placer.fits(Bbox.from_bounds(*c, width, height))]
    if not free:
        return
    x, y = min(free, key=crowding)
    box = Bbox.from_bounds(x, y, width, height)
    placer.block(box)
    inset = framed_inset(
        snap, box, (extent[0], extent[2]), (extent[1], extent[3]), ax.get_zorder() + 1
    )
    inset.set_gid(LOCATOR_GID)
    tolerance = (extent[2] - extent[0]) / 300
    # Topology need not hold at this size: the fast simplification takes a tenth of the time.
    land = shapely.clip_by_rect(
        shapely.simplify(snap.states.geometry.to_numpy(), tolerance, preserve_topology=False),
        *extent,
    )
    paths = [path for g in land if (path := polygon_path(g)) is not None]
    inset.add_collection(
        PathCollection(paths, facecolors=LAND, edgecolors=BORDER, linewidths=0.3 * p.unit)
    )
    inset.add_patch(
        PathPatch(
            Path(outline, closed=True),
            facecolor="none",
            edgecolor=CUT_FILL,
            linewidth=1.4 * p.unit,
            zorder=3,
        )
    )
