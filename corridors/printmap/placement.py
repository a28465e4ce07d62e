"""Where a name fits on the print map: inside its area, beside its point, or with a leader.

:class:`Labeller` tries the candidate positions of each name in turn and keeps the first that
fits the frame, misses every name placed before it, the furniture and the markers
(:class:`corridors.printmap.cartography.LabelPlacer`) and, where it can, the route lines.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patheffects import Stroke
from matplotlib.transforms import Bbox
from shapely.ops import polylabel

from corridors.places import Place
from corridors.printmap.cartography import LabelPlacer
from corridors.printmap.page import INK, Page, plain
from corridors.style import REGION_INK, SEA_INK

#: ``gid`` of the white outlines under labels (the SVG keeps it as the group's id); state and
#: place names are ``state-ISO3`` and ``place-ID``, their leaders ``leader-ISO3``/``leader-ID``.
HALO_GID = "label-halo"
#: Candidate points per side of the grid a state's name may be centred on.
_LABEL_GRID = 11
_LABEL_CANDIDATES = 30
#: A name put beside its state with a leader lies over other states this much at most, where
#: there is such a place.
MAX_LEADER_LABEL_ON_OTHERS = 0.3
#: A sea's name may lie this much over land, no more: it names the water.
MAX_SEA_LABEL_ON_LAND = 0.12


class Labeller:
    """Place text at the first candidate position that fits, or not at all."""

    def __init__(
        self,
        ax: Axes,
        placer: LabelPlacer,
        page: Page,
        line_px: np.ndarray,
        *,
        land: Mapping[str, shapely.Geometry] | None = None,
    ) -> None:
        self.ax = ax
        #: The states drawn (map metres) by ISO code: a sea's name keeps off them, a region's
        #: stays in its own.
        self.states = dict(land or {})
        self.land = np.asarray(list(self.states.values()), dtype=object)
        self.land_tree = shapely.STRtree(self.land)
        self.placer = placer
        self.renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.page = page
        self.line_px = line_px
        #: The names placed so far.
        self.texts: set[str] = set()

    def _keep(self, artist: Any, box: Bbox) -> bool:
        """Record a placed label and draw its white halo underneath.

        The halo is a separate artist: matplotlib turns text with path effects into outlines,
        and the label itself should stay text in an SVG or PDF (editable, searchable).
        """
        self.placer.take(box)
        self.texts.add(artist.get_text())
        x, y = artist.get_position()
        halo = self.ax.text(
            x,
            y,
            artist.get_text(),
            fontproperties=artist.get_fontproperties(),
            ha=artist.get_ha(),
            va=artist.get_va(),
            linespacing=1.0,
            color="white",
            zorder=artist.get_zorder() - 0.5,
            gid=HALO_GID,
            path_effects=[Stroke(linewidth=2.4 * self.page.unit, foreground="white")],
        )
        halo.set_in_layout(False)
        return True

    def _clear_of_lines(self, box: Bbox) -> bool:
        """Return whether a label's box, with room for its halo and a line's width, misses lines."""
        box = box.padded(self.page.px(2.5 * self.page.unit))
        pts = self.line_px
        inside = (
            (pts[:, 0] >= box.x0)
            & (pts[:, 0] <= box.x1)
            & (pts[:, 1] >= box.y0)
            & (pts[:, 1] <= box.y1)
        )
        return not bool(inside.any())

    def inside(
        self,
        shape: shapely.Geometry,
        text: str,
        *,
        size: float,
        must: bool,
        over_lines: bool = True,
        **style: Any,
    ) -> bool:
        """Name an area with its label centred inside it, wholly inside where there is room.

        Candidate centres are the pole of inaccessibility of the area's largest part and the
        roomiest points of a grid over it. The first that fits is taken, trying in turn: the
        label inside the area and off the lines, then (for a name that must be shown) on a line,
        then its centre only inside the area, off the lines and, for a must, on them; last, for
        a must, beside the area with a line pointing in. Without ``over_lines`` a name is never
        put on a route line.
        """
        candidates = inside_points(shape)
        if not candidates:
            return False
        shapely.prepare(shape)
        artist = self.ax.text(
            *candidates[0],
            text,
            fontsize=size,
            ha="center",
            va="center",
            zorder=20,
            linespacing=1.0,
            **style,
        )
        tiers = [(True, True), (True, False), (False, True), (False, False)]
        if not over_lines:
            tiers = [(whole, clear) for whole, clear in tiers if clear]
        to_data = self.ax.transData.inverted()
        for whole, clear in tiers if must else [(w, c) for w, c in tiers if c]:
            for xy in candidates:
                artist.set_position(xy)
                box = artist.get_window_extent(self.renderer)
                if not self.placer.fits(box) or (clear and not self._clear_of_lines(box)):
                    continue
                if whole:
                    (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
                    if not shape.contains(shapely.box(x0, y0, x1, y1)):
                        continue
                return self._keep(artist, box)
        if must and self._leader(artist, candidates[0], over_lines=over_lines, own=shape):
            return True
        artist.remove()
        return False

    def _leader(
        self,
        artist: Any,
        anchor: tuple[float, float],
        *,
        over_lines: bool,
        own: shapely.Geometry | None = None,
    ) -> bool:
        """Put a name the area has no room for beside it, with a thin line pointing in.

        Tried at one and then two line heights from the area's pole, right, left, above and
        below: off the route lines and mostly off other states (over water or its ``own`` area)
        first, so that it does not read as another state's name.
        """
        base = self.ax.transData.transform(anchor)
        em = self.page.px(artist.get_fontsize())
        directions = [(1, 0), (-1, 0), (0, 1), (0, -1), (1, 1), (-1, 1), (1, -1), (-1, -1)]
        to_data = self.ax.transData.inverted()
        tiers = [(True, True), (False, True), (True, False), (False, False)]
        for clear, apart in [(c, a) for c, a in tiers if over_lines or c]:
            for reach in (1.2, 2.4):
                for dx, dy in directions:
                    artist.set_ha("center" if dx == 0 else "left" if dx > 0 else "right")
                    artist.set_position(to_data.transform(base + np.array([dx, dy]) * reach * em))
                    box = artist.get_window_extent(self.renderer)
                    if not self.placer.fits(box) or (clear and not self._clear_of_lines(box)):
                        continue
                    if apart and self._on_land(box, but=own) > MAX_LEADER_LABEL_ON_OTHERS:
                        continue
                    end = np.clip(base, [box.x0, box.y0], [box.x1, box.y1])
                    (x0, y0), (x1, y1) = to_data.transform([base, end])
                    self.ax.plot(
                        [x0, x1],
                        [y0, y1],
                        color=INK,
                        lw=0.6 * self.page.unit,
                        zorder=19,
                        gid="leader-" + str(artist.get_gid()).split("-", 1)[-1],
                    )
                    return self._keep(artist, box)
        return False

    def place(
        self, xy: tuple[np.ndarray, np.ndarray], place: Place, *, must: bool, nudge: bool
    ) -> bool:
        """Name a sea, region or strait at the first of its anchors where the name fits.

        With ``nudge``, the name may also move a line (a sea's, two letters sideways) from an
        anchor, and a name that ``must`` be shown goes beside its first anchor with a leader. A
        place already named (a strait that is also a chokepoint) is not named twice.
        """
        if place.name in self.texts:
            return False
        sea = place.kind != "region"
        size = self.page.label * (1.0 if place.kind == "sea" else 0.9)
        artist = self.ax.text(
            xy[0][0],
            xy[1][0],
            plain(place.name),
            fontsize=size,
            ha="center",
            va="center",
            zorder=20,
            style="italic",
            weight="normal" if sea else "bold",
            color=SEA_INK if sea else REGION_INK,
            gid=f"place-{place.id}",
        )
        em = self.page.px(size)
        water = place.kind == "sea"
        nudges = [(0, 0)]
        if nudge:
            nudges = [(0, 1), (0, -1), (2, 0), (-2, 0)] if water else [(0, 1), (0, -1)]
        for clear in (True, False) if must else (True,):
            for anchor in zip(*xy, strict=True):
                base = self.ax.transData.transform(anchor)
                for dx, dy in nudges:
                    x, y = self.ax.transData.inverted().transform(base + np.array([dx, dy]) * em)
                    home = self.states.get(place.iso3 or "")
                    if home is not None and not shapely.contains_xy(home, x, y):
                        continue  # a region's name is never moved out of its state
                    artist.set_position((float(x), float(y)))
                    box = artist.get_window_extent(self.renderer)
                    if not self.placer.fits(box) or (clear and not self._clear_of_lines(box)):
                        continue
                    if water and self._on_land(box) > MAX_SEA_LABEL_ON_LAND:
                        continue
                    return self._keep(artist, box)
        anchor = (float(xy[0][0]), float(xy[1][0]))
        if must and nudge and self._leader(artist, anchor, over_lines=True):
            return True
        artist.remove()
        return False

    def _on_land(self, box: Bbox, *, but: shapely.Geometry | None = None) -> float:
        """Return the share of a label's box (display pixels) over a state (``but`` this area)."""
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        rect = shapely.box(x0, y0, x1, y1)
        hits = self.land[self.land_tree.query(rect, predicate="intersects")]
        if not len(hits):
            return 0.0
        over = float(shapely.area(shapely.intersection(hits, rect)).sum())
        if but is not None:
            over -= float(shapely.area(shapely.intersection(but, rect)))
        return over / rect.area

    def beside(self, point: tuple[float, float], text: str, **style: Any) -> bool:
        """Name a point marker: to its right, left, above or below."""
        size = self.page.small
        offsets = [
            (0.7, 0),
            (-0.7, 0),
            (0, 1.1),
            (0, -1.1),
            (0.5, 1.0),
            (-0.5, 1.0),
            (0.5, -1.0),
            (-0.5, -1.0),
        ]
        artist = self.ax.text(
            *point,
            text,
            fontsize=size,
            va="center",
            zorder=20,
            color=INK,
            **style,
        )
        return self._try(artist, point, offsets, size, "beside", clear_only=False)

    def _try(
        self,
        artist: Any,
        anchor: tuple[float, float],
        offsets: list[tuple[float, float]],
        size: float,
        mode: str,
        *,
        clear_only: bool,
    ) -> bool:
        base = self.ax.transData.transform(anchor)
        em = self.page.px(size)
        fallback = None
        for dx, dy in offsets:
            ha = "center" if mode == "center" or dx == 0 else "left" if dx > 0 else "right"
            artist.set_ha(ha)
            xy = self.ax.transData.inverted().transform(base + np.array([dx, dy]) * em)
            artist.set_position(xy)
            box = artist.get_window_extent(self.renderer)
            if not self.placer.fits(box):
                continue
            if self._clear_of_lines(box):
                return self._keep(artist, box)
            if fallback is None:
                fallback = (ha, xy, box)
        if fallback is not None and not clear_only:
            ha, xy, box = fallback
            artist.set_ha(ha)
            artist.set_position(xy)
            return self._keep(artist, box)
        artist.remove()
        return False


def inside_points(shape: shapely.Geometry) -> list[tuple[float, float]]:
    """Return where a name may be centred in an area, best first.

    The pole of inaccessibility of its largest part, then points of a grid over that part,
    farthest from its edge first.
    """
    parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return []
    part = max(parts, key=lambda p: p.area)
    xmin, ymin, xmax, ymax = part.bounds
    pole = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 100)
    xs = np.linspace(xmin, xmax, _LABEL_GRID + 2)[1:-1]
    ys = np.linspace(ymin, ymax, _LABEL_GRID + 2)[1:-1]
    grid = shapely.points(np.array([(x, y) for x in xs for y in ys]))
    grid = grid[shapely.contains(part, grid)]
    room = shapely.distance(part.exterior, grid)
    ranked = grid[np.argsort(-room)][: _LABEL_CANDIDATES - 1]
    return [(float(pole.x), float(pole.y)), *((float(g.x), float(g.y)) for g in ranked)]
