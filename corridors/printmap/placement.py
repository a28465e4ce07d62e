"""Where a name fits on the print map: inside its area, beside its point, or with a leader.

:class:`Labeller` tries the candidate positions of each name in turn and keeps the first that
fits the frame, misses every name placed before it, the furniture and the markers
(:class:`corridors.printmap.cartography.LabelPlacer`) and, where it can, the route lines.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import shapely
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.patheffects import Stroke
from matplotlib.transforms import Bbox
from shapely.ops import polylabel

from corridors.places import Place
from corridors.printmap.cartography import LabelPlacer
from corridors.printmap.layers import put_back
from corridors.printmap.page import INK, Page, plain
from corridors.style import REGION_INK, SEA_INK

#: ``gid`` of the white outlines under labels (the SVG keeps it as the group's id); state and
#: place names are ``state-ISO3`` and ``place-ID``, their leaders ``leader-ISO3``/``leader-ID``.
HALO_GID = "label-halo"
#: Candidate points per side of the grid a state's name may be centred on, and how many of
#: them are tried; the detail inset tries them all, on a finer grid (:data:`FINE_GRID`): its
#: states are crossed by many routes, and the roomiest points are often on a line of stations.
_LABEL_GRID = 11
_LABEL_CANDIDATES = 30
FINE_GRID = 25
#: A sea's name may lie this much over land, no more: it names the water.
MAX_SEA_LABEL_ON_LAND = 0.12
#: A name that must be shown is set this much smaller where it fits no other way in its area,
#: before it goes beside the area with a leader.
SMALLER = 0.85
#: A state's name the view is about that has no room in its state at :data:`SMALLER`, and
#: would go out on a leader longer than :data:`SHORT_LEADER`, is tried in it a step smaller
#: again first: :data:`SMALLER` twice, 7.2 points a unit (9.5 x 1.05 x 0.7225), not below the
#: page's smallest type, the footer's 7 (:class:`corridors.printmap.page.Page`). ("Belarus"
#: and "Turkmenistan" on the Middle Corridor's and the Russia-Gulf railway's squares fitted to
#: every corridor went 6.7 and 13.7 line heights out.)
SMALLEST = SMALLER**2
#: The sizes a name that must be shown is tried at, as shares of its own: on its area at the
#: first two, beside it on a leader at the last two (a step smaller than on its area: a call-out,
#: which then finds room nearer; a region's name, a step smaller than a state's to begin with,
#: is tried at its size and :data:`SMALLER` on a leader); on the map, none smaller than the
#: page's smallest type, its footer's (:attr:`Labeller.min_size`). Another crossed state's name,
#: set smaller than the selected route's, went out at :data:`SMALLEST` of it, 6.2 points a
#: unit, below the 7 of the footer (TRIPP's and the INSTC's A4 fitted to every corridor).
ON_AREA = (1.0, SMALLER)
ON_LEADER = (SMALLER, SMALLEST)
#: A name found on the fine grid (:meth:`Labeller.inside`, ``thorough``) that is not wholly in
#: its state lies on it by at least this share of its box: one mostly over the sea beside it
#: ("Turkmenistan" over the Caspian) reads better beside it on a leader.
FINE_OWN = 0.5
#: The radius of a station's or chokepoint's marker, in units (:attr:`Page.unit`) of a point:
#: names keep off it, and a leader from a point on a line may cross the line inside it.
MARKER_RADIUS = 3.2
#: How far (line heights) from its area a name with a leader is looked for: near first, and
#: only then far enough to reach the open sea or an empty stretch of land off a crowded coast.
NEAR_REACHES = (1.2, 2.4)
FAR_REACHES = (3.6, 5.0, 7.0, 10.0, 14.0)
#: The longest leader (line heights) a state's name gets while a detail inset could name it
#: instead (:mod:`corridors.printmap.detail`): a longer one runs across other states, and a
#: presenter would retouch it ("Georgia" in the Arabian Sea on a leader across Iran).
SHORT_LEADER = 4.0
#: How far a leader may reach: not at all, :data:`NEAR_REACHES`, up to :data:`SHORT_LEADER`,
#: or as far as :data:`FAR_REACHES` (and then, as a last resort, over other states).
Reach = Literal["none", "near", "short", "far"]
_REACHES: dict[str, tuple[float, ...]] = {
    "none": (),
    "near": NEAR_REACHES,
    "short": tuple(r for r in (*NEAR_REACHES, *FAR_REACHES) if r <= SHORT_LEADER),
    "far": (*NEAR_REACHES, *FAR_REACHES),
}
#: Points of an area a leader may start from, best first: its pole may lie under a name. In
#: the detail inset, twice as many: its roomiest points lie between lines of stations, and a
#: leader from them finds no room ("Azerbaijan" on the squares fitted to every corridor, whose
#: name goes beside its Caspian coast).
LEADER_ANCHORS = 6
DETAIL_LEADER_ANCHORS = 12
#: What a leader's name pays, in line heights of reach, for lying on a route line, for lying
#: wholly over another state (a share of it for part), and for being set at the smaller of its
#: leader's sizes.
ON_LINE_COST = 3.0
ON_OTHERS_COST = 5.0
SMALLER_COST = 0.5
#: A name on a leader may lie over other states' land by this share of its box, no more, while
#: any place is left that keeps to it: past it the ground under the name, not the thin leader,
#: tells a reader whose name it is ("Azerbaijan" over Türkiye).
MAX_LEADER_ON_OTHERS = 0.1
#: A state's name whose box is not wholly in the state covers at least this many times as much
#: of it as of any other one state, so that it reads as its own.
READS_AS_OWN = 2.0
#: A detail inset's state with no room for its name across it, nor beside it on a leader off
#: the route lines, has it set along its long axis (turned by these degrees from it) before a
#: leader may cross a line, as atlases set an elongated country's name: "Armenia" on the BTK's
#: square fitted to every corridor, ringed by the BTK's and the TRIPP's lines, has no place for
#: an upright box of its name at 7.8 pt, and its leader crossed the TRIPP's line; turned 38
#: degrees clockwise (its smallest rectangle's long side is 34 degrees from the horizontal) it
#: lies on Armenia by four fifths.
ALONG_TURNS = (0.0, -4.0, 4.0, -8.0, 8.0)
#: A name is turned no steeper than this (degrees): nearer the vertical it reads badly.
MAX_TILT = 60.0
#: Only an area at least this many times as long as it is wide (its smallest rectangle's
#: sides) has its name turned: a compact one's turned name reads as a neighbour's ("Azerbaijan",
#: 1.3 times as long as wide, turned over Dagestan on the Middle Corridor's square fitted to
#: every corridor; Armenia is 2.1 times, Georgia 2.9).
ELONGATED = 1.8
#: Sixteen directions a leader's name may lie in, a compass rose's: right, left, up and down
#: first.
_ANGLES = np.radians(
    [0, 180, 90, 270, 45, 135, 315, 225, 22.5, 157.5, 337.5, 202.5, 67.5, 112.5, 292.5, 247.5]
)
#: A name's box around its anchor (display pixels) by text, font, size, alignment and dpi, kept
#: between maps (the same names recur); emptied when it grows past :data:`_MAX_SHAPES`.
_SHAPES: dict[tuple[Any, ...], Bbox] = {}
_MAX_SHAPES = 20_000
_DIRECTIONS = tuple(zip(np.round(np.cos(_ANGLES), 6), np.round(np.sin(_ANGLES), 6), strict=True))
#: How a leader's name in each of :data:`_DIRECTIONS` is aligned: away from its anchor.
_ALIGNS = tuple(
    "center" if abs(dx) < 0.3 else "left" if dx > 0 else "right" for dx, _ in _DIRECTIONS
)


@dataclass(frozen=True)
class Mark:
    """What a :class:`Labeller` and its placer held at one moment (:meth:`Labeller.undo`)."""

    taken: np.ndarray
    names: np.ndarray
    texts: frozenset[str]
    boxes: int
    leaders: int
    line_px: np.ndarray
    #: The names, halos and leaders set, themselves, not their ids: an artist freed after the
    #: mark could hand its id to a new one, which would then pass for one held at the mark.
    artists: frozenset[Artist]


@dataclass(frozen=True)
class Kept:
    """What a :class:`Labeller` placed since a mark, to put back after a later try.

    :meth:`Labeller.restore`: a detail inset's first try, kept when a second one is no better,
    is put back rather than set again (which cost a third of the inset's time); so is the best
    of the insets drawn with other room around their states, and its names on the map.
    """

    #: What the labeller held after it.
    state: Mark
    #: Its names, halos and leaders, in the order they were drawn, and their boxes and lines.
    artists: list[Any]
    boxes: list[Bbox]
    leaders: list[shapely.LineString]


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
        detail: bool = False,
        min_size: float = 0.0,
    ) -> None:
        self.ax = ax
        #: A detail inset's: names centred in an area are tried at every point of a fine grid
        #: (:data:`FINE_GRID`), and a name on a near leader may lie over the neighbours, in
        #: an inset where a small state is all neighbours; a leader crosses no route line
        #: where another place is left (:meth:`_leader`).
        self.detail = detail
        #: No name is set smaller than this (points), :data:`SMALLER` or not: the map's names
        #: are set at the page's smallest type at least, the credits'
        #: (:func:`corridors.printmap.labels.draw_labels`), and a detail inset's too where
        #: they have room (:func:`corridors.printmap.labels._name_in_detail`).
        self.min_size = min_size
        #: Whether a detail inset's leader is tried off the route lines, then across them where
        #: no other way is left: its names are tried first with leaders that keep off the lines
        #: (``(False,)``), and only then with near ones across them (``(True,)``,
        #: :func:`corridors.printmap.labels._set_detail_names`).
        self.across_routes: tuple[bool, ...] = (False, True)
        #: The states drawn (map metres) by ISO code: a sea's name keeps off them, a region's
        #: stays in its own.
        self.states = dict(land or {})
        self.land = np.asarray(list(self.states.values()), dtype=object)
        self.land_iso3 = np.asarray(list(self.states), dtype=object)
        self.land_tree = shapely.STRtree(self.land)
        #: The area of the states under each box :meth:`_on_land` measured (map metres), or
        #: None where there are none, by the box's display pixels.
        self._land_under: dict[tuple[float, ...], float | None] = {}
        #: The largest area of one state but the named one under each box
        #: :meth:`_reads_as_own` measured, or None where there is none, by box and ISO code.
        self._others_under: dict[tuple[float | str | None, ...], float | None] = {}
        self.placer = placer
        self.renderer = ax.figure.canvas.get_renderer()  # type: ignore[attr-defined]
        self.page = page
        self.line_px = line_px
        #: The route lines' points alone (display pixels): a detail inset's leaders cross them
        #: only where no other way is left.
        self.route_px = line_px
        #: The names placed so far, and their boxes (display pixels), which leaders keep off.
        self.texts: set[str] = set()
        self.boxes: list[Bbox] = []
        #: The leaders drawn (display pixels): no other leader crosses them.
        self.leaders: list[shapely.LineString] = []
        #: The names, halos and leaders set: what :meth:`undo` takes back. Only these: the
        #: scale bar's figures and the detail inset's outline on the same axes are put back
        #: by their own owners (an undo that took every text since its mark took the bar's
        #: figures, drawn again beside a detail inset's try, and left the bar bare).
        self.placed: list[Artist] = []

    def mark(self) -> Mark:
        """Return what is placed now, to go back to: names placed on trial can be taken back."""
        return Mark(
            self.placer.taken.copy(),
            self.placer.names.copy(),
            frozenset(self.texts),
            len(self.boxes),
            len(self.leaders),
            self.line_px.copy(),
            frozenset(self.placed),
        )

    def undo(self, mark: Mark) -> None:
        """Take back every name and leader placed since ``mark``, freeing their places."""
        for artist in self.placed:
            if artist not in mark.artists:
                artist.remove()
        self.placed = [a for a in self.placed if a in mark.artists]
        self.placer.taken, self.placer.names = mark.taken.copy(), mark.names.copy()
        self.texts = set(mark.texts)
        del self.boxes[mark.boxes :], self.leaders[mark.leaders :]
        self.line_px = mark.line_px.copy()

    def keep(self, since: Mark) -> Kept:
        """Return what was placed since ``since``, to put back later (:meth:`restore`)."""
        new = set(self.placed) - since.artists
        return Kept(
            self.mark(),
            [a for a in self.ax.get_children() if a in new],
            self.boxes[since.boxes :],
            self.leaders[since.leaders :],
        )

    def restore(self, since: Mark, kept: Kept) -> None:
        """Take back what was placed since ``since``, and put back what ``kept`` holds."""
        self.undo(since)
        for artist in kept.artists:
            put_back(self.ax, artist)
        self.placed += kept.artists
        state = kept.state
        self.placer.taken, self.placer.names = state.taken.copy(), state.names.copy()
        self.texts = set(state.texts)
        self.boxes += kept.boxes
        self.leaders += kept.leaders
        self.line_px = state.line_px.copy()

    def _keep(self, artist: Any, box: Bbox) -> bool:
        """Record a placed label and draw its white halo underneath.

        The halo is a separate artist: matplotlib turns text with path effects into outlines,
        and the label itself should stay text in an SVG or PDF (editable, searchable).
        """
        self.placer.take(box, self.page.px(artist.get_fontsize()))
        self.texts.add(artist.get_text())
        self.boxes.append(box)
        x, y = artist.get_position()
        halo = self.ax.text(
            x,
            y,
            artist.get_text(),
            fontproperties=artist.get_fontproperties(),
            ha=artist.get_ha(),
            va=artist.get_va(),
            linespacing=1.0,
            rotation=artist.get_rotation(),
            rotation_mode=artist.get_rotation_mode(),
            color="white",
            zorder=artist.get_zorder() - 0.5,
            gid=HALO_GID,
            path_effects=[Stroke(linewidth=2.4 * self.page.unit, foreground="white")],
        )
        halo.set_in_layout(False)
        self.placed += [artist, halo]
        return True

    def _typeset(self, size: float) -> float:
        """Return ``size`` (points), or :attr:`min_size` if it is smaller."""
        return max(size, self.min_size)

    def _mover(self, artist: Any) -> Callable[[np.ndarray], Bbox]:
        """Return the box ``artist`` would have at a display point, as it is now set.

        Moving text keeps its shape: measuring it once per text, font, size and alignment
        (:data:`_SHAPES`, kept between maps), not at every candidate position, is what keeps a
        crowded map's names fast to place.
        """
        font = artist.get_fontproperties()
        key = (
            artist.get_text(),
            tuple(font.get_family()),
            font.get_size_in_points(),
            str(font.get_weight()),
            font.get_style(),
            artist.get_ha(),
            artist.get_va(),
            artist.get_linespacing(),
            self.ax.figure.dpi,
        )
        if key not in _SHAPES:
            if len(_SHAPES) >= _MAX_SHAPES:
                _SHAPES.clear()
            at = self.ax.transData.transform(artist.get_position())
            _SHAPES[key] = artist.get_window_extent(self.renderer).translated(*(-at))
        shape = _SHAPES[key]
        return lambda point: shape.translated(*point)

    def _shape(self, artist: Any) -> np.ndarray:
        """Return the box ``artist`` would have at the display origin, ``x0, y0, x1, y1``.

        Rows of boxes are compared at once; moved, each is :meth:`_mover`'s box there.
        """
        return np.asarray(self._mover(artist)(np.zeros(2)).extents)

    def _clear_of_lines(self, box: Bbox | np.ndarray) -> bool:
        """Return whether a label's box, with room for its halo and a line's width, misses lines.

        ``box`` is a :class:`Bbox` or its ``x0, y0, x1, y1`` (display pixels).
        """
        extents = np.asarray(box.extents if isinstance(box, Bbox) else box)
        return not self._lines_under(extents[None, :])[0]

    def _first_centred(
        self,
        boxes: np.ndarray,
        shape: shapely.Geometry,
        iso3: str | None,
        *,
        whole: bool,
        clear: bool,
        fine: bool,
    ) -> int | None:
        """Return the index of the first name's box centred in ``shape`` that may stay there.

        ``boxes`` are ``x0, y0, x1, y1`` rows (display pixels), best first. A box may stay off
        the lines if ``clear``; wholly in the area if ``whole``, else reading as the state
        ``iso3``'s, and from the ``fine`` grid mostly on it (:data:`FINE_OWN`). None if none may.

        The cheap tests run on a few boxes at once, then on more: most boxes fail them, and a
        fine grid has hundreds.
        """
        to_data = self.ax.transData.inverted()
        start, step = 0, 8
        while start < len(boxes):
            chunk = boxes[start : start + step]
            ok = self._lines_under(chunk) == 0 if clear else np.ones(len(chunk), dtype=bool)
            x0, y0, x1, y1 = to_data.transform(chunk.reshape(-1, 2)).reshape(-1, 4).T
            rects = shapely.box(x0, y0, x1, y1)
            if whole:
                ok &= shapely.contains(shape, rects)
            for i in np.flatnonzero(ok):
                rect = rects[i]
                if whole or (
                    self._reads_as_own(rect, shape, iso3)
                    and not (fine and shape.intersection(rect).area < FINE_OWN * rect.area)
                ):
                    return start + int(i)
            start, step = start + step, step * 4
        return None

    def _lines_under(self, boxes: np.ndarray) -> np.ndarray:
        """Return how many line points lie under each label's box, with its halo and a line's width.

        ``boxes`` are ``x0, y0, x1, y1`` rows (display pixels).
        """
        pad = self.page.px(2.5 * self.page.unit)
        x, y = self.line_px[:, 0], self.line_px[:, 1]
        x0, y0, x1, y1 = (boxes[:, i : i + 1] for i in range(4))
        under = (x >= x0 - pad) & (x <= x1 + pad) & (y >= y0 - pad) & (y <= y1 + pad)
        return np.count_nonzero(under, axis=1)

    def inside(
        self,
        shape: shapely.Geometry,
        text: str,
        *,
        size: float,
        must: bool,
        over_lines: bool = True,
        reach: Reach = "far",
        iso3: str | None = None,
        thorough: bool = False,
        scales: tuple[float, ...] = ON_AREA,
        fewest_lines: bool = False,
        **style: Any,
    ) -> bool:
        """Name an area with its label centred inside it, wholly inside where there is room.

        Candidate centres are the pole of inaccessibility of the area's largest part and the
        roomiest points of a grid over it (and, ``thorough``, then every point of a fine grid,
        :data:`FINE_GRID`). The first that fits is taken, trying in turn: the
        label inside the area and off the lines, then (for a name that must be shown) on a line,
        then its centre only inside the area, off the lines and, for a must, on them; a name
        that must be shown is tried at each of ``scales`` of its size at each step, and last
        goes beside the area with a line pointing in, as far as ``reach`` lets it, at
        :data:`ON_LEADER` of its size; none below :attr:`min_size`. Without
        ``over_lines`` a name is never put on a route line. A name only
        centred in the state ``iso3`` reads as its own (:data:`READS_AS_OWN`), and one on a
        leader keeps off the other states (:data:`MAX_LEADER_ON_OTHERS`). With
        ``fewest_lines``, a name on the lines is put where its box holds the fewest of their
        points, not at the roomiest point: it crosses one line, not a bundle of them.
        """
        candidates = (
            inside_points(shape, FINE_GRID, FINE_GRID**2) if self.detail else inside_points(shape)
        )
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
        grids: list[Callable[[], list[tuple[float, float]]]] = [lambda: candidates]
        if thorough and not self.detail:
            # Where the coarse grid finds no room, a name the view is about is tried at every
            # point of a fine one before it goes out on a leader: a large state under many lines
            # and stations may have room only between them ("Kazakhstan" on the Middle
            # Corridor's square, which went 14 line heights out over Europe). Only then is the
            # fine grid ranked: most names find room on the coarse one.
            grids.append(lambda: inside_points(shape, FINE_GRID, FINE_GRID**2))
        tiers = [(True, True), (True, False), (False, True), (False, False)]
        if not over_lines:
            tiers = [(whole, clear) for whole, clear in tiers if clear]
        scales = scales if must else (1.0,)
        for fine, points_of in enumerate(grids):
            grid = points_of()
            points = self.ax.transData.transform(grid)
            # Where each size fits is the same in every tier: measured once.
            fitting: dict[float, tuple[np.ndarray, np.ndarray]] = {}
            for whole, clear in tiers if must else [(w, c) for w, c in tiers if c]:
                for scale in scales:
                    artist.set_fontsize(self._typeset(size * scale))
                    if scale not in fitting:
                        em = self.page.px(self._typeset(size * scale))
                        boxes = points[:, [0, 1, 0, 1]] + self._shape(artist)
                        fitting[scale] = boxes, np.flatnonzero(self.placer.fits_all(boxes, em))
                    boxes, order = fitting[scale]
                    if fewest_lines and not clear:
                        under = self._lines_under(boxes[order])
                        order = order[np.argsort(under, kind="stable")]
                    first = self._first_centred(
                        boxes[order], shape, iso3, whole=whole, clear=clear, fine=bool(fine)
                    )
                    if first is not None:
                        at = order[first]
                        artist.set_position((float(grid[at][0]), float(grid[at][1])))
                        return self._keep(artist, Bbox(boxes[at].reshape(2, 2)))
        # In a detail inset, along its area before a leader crosses a route line.
        if (
            must
            and self.detail
            and all(self.across_routes)
            and self._along(artist, shape, candidates, size=size, scales=scales, iso3=iso3)
        ):
            return True
        anchors = candidates[: DETAIL_LEADER_ANCHORS if self.detail else LEADER_ANCHORS]
        if must and self._leader(
            artist,
            anchors,
            size=size,
            scales=ON_LEADER,
            over_lines=over_lines,
            own=shape,
            reach=reach,
        ):
            return True
        artist.remove()
        return False

    def _along(
        self,
        artist: Any,
        shape: shapely.Geometry,
        centres: list[tuple[float, float]],
        *,
        size: float,
        scales: tuple[float, ...],
        iso3: str | None,
    ) -> bool:
        """Set ``artist`` centred in ``shape``, turned along its long axis, where it fits.

        The axis is the long side of the smallest rectangle round the area's largest part, if
        it is elongated (:data:`ELONGATED`); the name is tried turned by each of
        :data:`ALONG_TURNS` from it (no steeper than :data:`MAX_TILT`), at each of ``scales``
        of its ``size`` (points), centred at each of ``centres`` (data). Its turned box keeps
        off everything the placer holds (markers, names), its upright box apart from the
        names, and it lies on the area at least :data:`FINE_OWN` of its box and
        :data:`READS_AS_OWN` times as much as on any other state. Of those, one off the route
        lines, then the most on its area, the least turned. Later names keep off its upright
        box.
        """
        parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon"]
        if not parts or not centres:
            return False
        part = max(parts, key=lambda p: p.area)
        to_px = self.ax.transData
        rim = to_px.transform(np.asarray(shapely.minimum_rotated_rectangle(part).exterior.coords))
        sides = np.diff(rim[:3], axis=0)
        lengths = np.hypot(sides[:, 0], sides[:, 1])
        if lengths.max() < ELONGATED * lengths.min():
            return False
        dx, dy = sides[int(np.argmax(lengths))]
        axis = (np.degrees(np.arctan2(dy, dx)) + 90.0) % 180.0 - 90.0
        points = to_px.transform(np.asarray(centres))
        frame, pad = self.placer.frame, self.placer.pad
        inner = np.array([frame.x0 + pad, frame.y0 + pad, frame.x1 - pad, frame.y1 - pad])
        halo = self.page.px(2.5 * self.page.unit)
        for scale in scales:
            artist.set_fontsize(self._typeset(size * scale))
            em = self.page.px(self._typeset(size * scale))
            x0, y0, x1, y1 = self._shape(artist)
            corners = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
            best: tuple[tuple[bool, float, float], float, int] | None = None
            for turn in ALONG_TURNS:
                angle = float(axis + turn)
                if abs(angle) > MAX_TILT:
                    continue
                c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
                turned = corners @ np.array([[c, s], [-s, c]])
                at_points = points[:, None, :] + turned[None, :, :]
                bounds = np.column_stack([at_points.min(axis=1), at_points.max(axis=1)])
                ok = (bounds[:, :2] >= inner[:2]).all(axis=1) & (bounds[:, 2:] <= inner[2:]).all(
                    axis=1
                )
                ok &= _clear_of_boxes(at_points, turned, self.placer.taken)
                ok &= self.placer.apart_from_names(bounds, em)
                fits = np.flatnonzero(ok)
                if not len(fits):
                    continue
                own, reads = self._on_own(shapely.polygons(at_points[fits]), shape, iso3)
                fits, own = fits[reads], own[reads]
                # Line points under each turned box, with its halo: in the box's own frame.
                rel = self.line_px[None, :, :] - points[fits][:, None, :]
                lengthwise, crosswise = rel @ np.array([c, s]), rel @ np.array([-s, c])
                crossed = (
                    (lengthwise >= x0 - halo)
                    & (lengthwise <= x1 + halo)
                    & (crosswise >= y0 - halo)
                    & (crosswise <= y1 + halo)
                ).any(axis=1)
                for k, at in enumerate(fits):
                    rank = (bool(crossed[k]), -float(own[k]), abs(turn))
                    if best is None or rank < best[0]:
                        best = (rank, angle, int(at))
            if best is not None:
                _, angle, at = best
                artist.set_rotation(angle)
                artist.set_rotation_mode("anchor")
                artist.set_position(centres[at])
                return self._keep(artist, artist.get_window_extent(self.renderer).frozen())
        return False

    def _on_own(
        self, boxes: np.ndarray, shape: shapely.Geometry, iso3: str | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return the share of each name's box (display pixels) on ``shape``, and if it is its own.

        It is when that share is at least :data:`FINE_OWN` and :data:`READS_AS_OWN` times the
        share on any other one state (the states in map metres, as :meth:`_reads_as_own`).
        """
        rects = shapely.transform(boxes, self.ax.transData.inverted().transform)
        areas = shapely.area(rects)
        own = shapely.area(shapely.intersection(shape, rects)) / areas
        pairs = self.land_tree.query(rects, predicate="intersects")
        pairs = pairs[:, self.land_iso3[pairs[1]] != iso3]
        most = np.zeros(len(rects))
        over = shapely.area(shapely.intersection(rects[pairs[0]], self.land[pairs[1]]))
        np.maximum.at(most, pairs[0], over / areas[pairs[0]])
        return own, (own >= FINE_OWN) & (own >= READS_AS_OWN * most)

    def _leader(
        self,
        artist: Any,
        anchors: list[tuple[float, float]],
        *,
        size: float,
        scales: tuple[float, ...],
        over_lines: bool,
        own: shapely.Geometry | None = None,
        reach: Reach = "far",
        keep_off: bool = True,
    ) -> bool:
        """Put a name the area has no room for beside it, with a thin line pointing in.

        From the first of ``anchors`` (the area's pole, then its roomiest points) where there is
        a place: positions line heights away as ``reach`` lets them (:data:`_REACHES`), in
        sixteen directions, at each of ``scales`` of its ``size`` (points), are scored by
        :func:`_leader_cost` and the cheapest taken: near, off
        the route lines, and over water or its ``own`` area rather than another state, so that
        it does not read as another state's name: with ``keep_off`` (a state's name, or a
        region's in a detail inset), over them
        by at most :data:`MAX_LEADER_ON_OTHERS` while any such place is left, and outside a
        :attr:`detail` inset only there, however far it reaches: a name that can only land on
        another state is left out rather than read as that state's (the Middle Corridor's
        square fitted to it set "Azerbaijan" over Türkiye). The leader never crosses a name
        placed before, nor, where any other way is left, another leader, nor in a detail inset
        a route line (Syunik's leader across the TRIPP's line on the Middle Corridor's A4).
        """
        stricts = ((True, False) if self.detail else (True,)) if keep_off else (False,)
        tiers = [(a, s) for a in (self.across_routes if self.detail else (True,)) for s in stricts]
        # Nothing is placed until a name is, so every place is measured once, for all the tiers.
        places = _LeaderPlaces(
            self,
            artist,
            anchors=anchors,
            size=size,
            scales=scales,
            reaches=_REACHES[reach],
            own=own,
        )
        for across, strict in tiers:
            for apart in (True, False):
                for a in range(len(anchors)):
                    best = places.best(
                        a, over_lines=over_lines, apart=apart, strict=strict, across=across
                    )
                    if best is not None:
                        _, scale, ha, xy = best
                        return self._draw_leader(
                            artist, places.base[a], size=size, scale=scale, ha=ha, xy=xy
                        )
        artist.set_fontsize(size)
        return False

    def _draw_leader(
        self, artist: Any, base: np.ndarray, *, size: float, scale: float, ha: str, xy: np.ndarray
    ) -> bool:
        """Set ``artist`` at ``xy`` (data), at ``scale`` of its ``size``, with a leader in."""
        to_data = self.ax.transData.inverted()
        artist.set_fontsize(self._typeset(size * scale))
        artist.set_ha(ha)
        artist.set_position(xy)
        box = self._mover(artist)(self.ax.transData.transform(xy))
        end = np.clip(base, [box.x0, box.y0], [box.x1, box.y1])
        (x0, y0), (x1, y1) = to_data.transform([base, end])
        self.leaders.append(shapely.LineString([base, end]))
        # Later names keep off the leader as they keep off the route lines, where they can.
        step = self.page.px(2 * self.page.unit)
        along = np.linspace(0.0, 1.0, max(int(np.hypot(*(end - base)) / step), 1) + 1)
        self.line_px = np.vstack([self.line_px, base + along[:, None] * (end - base)])
        self.placed += self.ax.plot(
            [x0, x1],
            [y0, y1],
            color=INK,
            lw=0.6 * self.page.unit,
            zorder=19,
            gid="leader-" + str(artist.get_gid()).split("-", 1)[-1],
        )
        return self._keep(artist, box)

    def _crosses_routes(self, start: np.ndarray, end: np.ndarray) -> bool:
        """Return whether a leader from ``start`` to ``end`` (display pixels) meets a route line.

        It does if it passes within a point's spacing (:func:`line_points`'s, two units) of one
        of :attr:`route_px`, outside a marker's radius (:data:`MARKER_RADIUS`) of its start: a
        region's or a state's point may lie on a line.
        """
        pts = self.route_px
        unit = self.page.px(self.page.unit)
        # Only the few points within three units of the leader's box can lie within two of
        # the leader: the rest are not measured.
        near = (pts >= np.minimum(start, end) - 3 * unit) & (
            pts <= np.maximum(start, end) + 3 * unit
        )
        pts = pts[near.all(axis=1)]
        pts = pts[np.hypot(*(pts - start).T) > MARKER_RADIUS * unit]
        if not len(pts):
            return False
        along = end - start
        length = float(along @ along)
        t = np.clip((pts - start) @ along / length, 0.0, 1.0) if length else np.zeros(len(pts))
        gap = np.hypot(*(pts - (start + t[:, None] * along)).T)
        return bool((gap < 2 * unit).any())

    def place(
        self,
        xy: tuple[np.ndarray, np.ndarray],
        place: Place,
        *,
        must: bool,
        nudge: bool,
        reach: Reach = "far",
        smaller: float = 1.0,
    ) -> bool:
        """Name a sea, region or strait at the first of its anchors where the name fits.

        With ``nudge``, the name may also move a line (a sea's, two letters sideways) from an
        anchor; every name is tried :data:`SMALLER` too, and one that ``must`` be shown then
        goes beside its first anchor with a leader (in a detail inset, beside any of them: the
        first may be hemmed in by stations and lines), as far as ``reach`` lets it. A place
        already named (a strait that is also a chokepoint) is not named twice. Its size is the
        kind's, times ``smaller``.
        """
        if place.name in self.texts:
            return False
        sea = place.kind != "region"
        size = self.page.label * (1.0 if place.kind == "sea" else 0.9) * smaller
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
        water = place.kind == "sea"
        nudges = [(0, 0)]
        if nudge:
            nudges = [(0, 1), (0, -1), (2, 0), (-2, 0)] if water else [(0, 1), (0, -1)]
        home = self.states.get(place.iso3 or "")
        tries = [(c, s) for c in ((True, False) if must else (True,)) for s in (1.0, SMALLER)]
        spots: dict[float, tuple[np.ndarray, ...]] = {}
        for clear, scale in tries:
            artist.set_fontsize(self._typeset(size * scale))
            em_px = self.page.px(self._typeset(size * scale))
            if scale not in spots:
                spots[scale] = self._spots(artist, xy, nudges, em_px, home)
            at, boxes, fit, off_lines = spots[scale]
            for i in np.flatnonzero(fit & off_lines if clear else fit):
                if water and self._on_land(boxes[i]) > MAX_SEA_LABEL_ON_LAND:
                    continue
                artist.set_position((float(at[i, 0]), float(at[i, 1])))
                return self._keep(artist, Bbox(boxes[i].reshape(2, 2)))
        # Syunik's first anchor is hemmed in by the TRIPP's stations in most detail insets: its
        # leader crossed the line to a place south of it.
        anchors = [(float(x), float(y)) for x, y in zip(*xy, strict=True)]
        if (
            must
            and nudge
            and self._leader(
                artist,
                anchors if self.detail else anchors[:1],
                size=size,
                scales=(1.0, SMALLER),
                over_lines=True,
                own=home,
                reach=reach,
                keep_off=self.detail,
            )
        ):
            return True
        artist.remove()
        return False

    def _spots(
        self,
        artist: Any,
        xy: tuple[np.ndarray, np.ndarray],
        nudges: list[tuple[int, int]],
        em_px: float,
        home: shapely.Geometry | None,
    ) -> tuple[np.ndarray, ...]:
        """Return where :meth:`place` may set ``artist``, as it is set now, in the order tried.

        Each anchor of ``xy`` moved by each of ``nudges`` (ems of ``em_px``): the points (data),
        the boxes (display pixels), which fit the placer (and lie in ``home``, a region's
        state), and which keep off the lines. Measured at once, once per size: :meth:`place`
        tries each size off the lines, then on them.
        """
        bases = np.array([self.ax.transData.transform(anchor) for anchor in zip(*xy, strict=True)])
        points = (bases[:, None, :] + np.array(nudges)[None, :, :] * em_px).reshape(-1, 2)
        at = self.ax.transData.inverted().transform(points)
        boxes = self._shape(artist) + points[:, [0, 1, 0, 1]]
        fit = self.placer.fits_all(boxes, em_px)
        if home is not None:
            fit &= shapely.contains_xy(home, at[:, 0], at[:, 1])
        return at, boxes, fit, self._lines_under(boxes) == 0

    def _on_land(self, box: Bbox | np.ndarray, *, but: shapely.Geometry | None = None) -> float:
        """Return the share of a label's box (display pixels) over a state (``but`` this area).

        ``box`` is a :class:`Bbox` or its ``x0, y0, x1, y1``.
        """
        extents = np.asarray(box.extents if isinstance(box, Bbox) else box)
        (x0, y0), (x1, y1) = self.ax.transData.inverted().transform(extents.reshape(2, 2))
        rect = shapely.box(x0, y0, x1, y1)
        # A leader's places are tried again after a trial is taken back (the detail inset's
        # states, named on the map first): half the boxes a whole-Eurasia frame tries.
        key = tuple(extents.tolist())
        if key not in self._land_under:
            hits = self.land[self.land_tree.query(rect, predicate="intersects")]
            areas = shapely.area(shapely.intersection(hits, rect))
            self._land_under[key] = float(areas.sum()) if len(hits) else None
        over = self._land_under[key]
        if over is None:
            return 0.0
        if but is not None:
            over -= float(shapely.area(shapely.intersection(but, rect)))
        return over / rect.area

    def _reads_as_own(
        self, rect: shapely.Geometry, shape: shapely.Geometry, iso3: str | None
    ) -> bool:
        """Return whether a name's box reads as the state ``iso3``, its area ``shape``.

        It does when the box (map metres) covers the state at least :data:`READS_AS_OWN` times
        as much as any other one state.
        """
        key = (*rect.bounds, iso3)  # tried again after a trial, as :meth:`_on_land`'s boxes
        if key not in self._others_under:
            hits = self.land_tree.query(rect, predicate="intersects")
            others = [i for i in hits if self.land_iso3[i] != iso3]
            areas = shapely.area(shapely.intersection(self.land[others], rect))
            self._others_under[key] = float(areas.max()) if others else None
        most = self._others_under[key]
        if most is None:
            return True
        return float(shapely.intersection(shape, rect).area) >= READS_AS_OWN * most

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
            point = base + np.array([dx, dy]) * em
            xy = self.ax.transData.inverted().transform(point)
            box = self._mover(artist)(point)
            if not self.placer.fits(box, em):
                continue
            if self._clear_of_lines(box):
                artist.set_position(xy)
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


class _LeaderPlaces:
    """The places a name may go on a leader from each of its anchors, measured once.

    :meth:`Labeller._leader` tries them from each anchor in up to eight tiers (across the
    route lines or not, strict or not, apart from other leaders or not) while nothing else is
    placed: what a place fits, and whether its leader crosses a name, a leader or a route line,
    is the same in every tier. Measuring all of them at once, and each test once, is most of
    what took the 40 default frames of ``tests/test_print_names.py`` from 81-89 s of CPU to
    45-49 s (docs/performance.md).
    """

    def __init__(
        self,
        label: Labeller,
        artist: Any,
        *,
        anchors: list[tuple[float, float]],
        size: float,
        scales: tuple[float, ...],
        reaches: tuple[float, ...],
        own: shapely.Geometry | None,
    ) -> None:
        self.label, self.scales, self.reaches, self.own = label, scales, reaches, own
        self.base = [label.ax.transData.transform(anchor) for anchor in anchors]
        #: Each place's text anchor and box (display pixels), by anchor, reach, scale and
        #: direction; which fit the placer, and which of those keep off the lines.
        shape = (len(anchors), len(reaches), len(scales), len(_DIRECTIONS))
        self.points = np.zeros((*shape, 2))
        self.boxes = np.zeros((*shape, 4))
        self.fit = np.zeros(shape, dtype=bool)
        for si, scale in enumerate(scales):
            artist.set_fontsize(label._typeset(size * scale))
            em = label.page.px(label._typeset(size * scale))
            shapes = {}
            for ha in ("left", "right", "center"):
                artist.set_ha(ha)
                shapes[ha] = label._shape(artist)
            rows = np.array([shapes[ha] for ha in _ALIGNS])
            for ai, base in enumerate(self.base):
                for ri, reach in enumerate(reaches):
                    points = base + np.asarray(_DIRECTIONS) * reach * em
                    self.points[ai, ri, si] = points
                    self.boxes[ai, ri, si] = rows + points[:, [0, 1, 0, 1]]
            # Every place's box at once against the placer: most are taken.
            self.fit[:, :, si] = label.placer.fits_all(
                self.boxes[:, :, si].reshape(-1, 4), em
            ).reshape(shape[0], shape[1], shape[3])
        self.clear = np.zeros(shape, dtype=bool)
        self.clear[self.fit] = label._lines_under(self.boxes[self.fit]) == 0
        x0, y0, x1, y1 = np.array([b.extents for b in label.boxes]).reshape(-1, 4).T
        self.names = shapely.box(x0, y0, x1, y1)
        #: Each test's result by test and place: a place is tried again in later tiers.
        self._tests: dict[tuple[str, tuple[int, ...]], Any] = {}

    def _once(self, test: Callable[[tuple[int, ...]], Any], at: tuple[int, ...]) -> Any:
        """Return ``test(at)``, run once per test and place ``at`` (anchor, reach, scale, i)."""
        key = (test.__name__, at)
        if key not in self._tests:
            self._tests[key] = test(at)
        return self._tests[key]

    def _end(self, at: tuple[int, ...]) -> np.ndarray:
        """Return where the leader to the place ``at`` ends: its box's point nearest its anchor."""
        box = self.boxes[at]
        return np.clip(self.base[at[0]], box[:2], box[2:])

    def _leader(self, at: tuple[int, ...]) -> shapely.LineString:
        """Return the leader to the place ``at`` (display pixels)."""
        return shapely.LineString([self.base[at[0]], self._end(at)])

    def _crosses_names(self, at: tuple[int, ...]) -> bool:
        """Return whether the leader to ``at`` crosses a name placed before.

        One vectorised test against every name's box: a crowded map's leaders try hundreds of
        places against dozens of names.
        """
        return bool(shapely.intersects(self._once(self._leader, at), self.names).any())

    def _crosses_leaders(self, at: tuple[int, ...]) -> bool:
        """Return whether the leader to ``at`` crosses another: the reader would guess whose."""
        return bool(shapely.intersects(self._once(self._leader, at), self.label.leaders).any())

    def _crosses_routes(self, at: tuple[int, ...]) -> bool:
        """Return whether the leader to ``at`` meets a route line (as ``Labeller``'s does)."""
        return self.label._crosses_routes(self.base[at[0]], self._end(at))

    def _on_others(self, at: tuple[int, ...]) -> float:
        """Return the share of the place ``at``'s box over states but the name's own."""
        return self.label._on_land(self.boxes[at], but=self.own)

    def best(
        self, a: int, *, over_lines: bool, apart: bool, strict: bool, across: bool
    ) -> tuple[float, float, str, np.ndarray] | None:
        """Return the cheapest place from anchor ``a``: cost, scale, alignment, point (data).

        It crosses other leaders only if not ``apart``. With ``strict``, it lies over other
        states by at most :data:`MAX_LEADER_ON_OTHERS`; without ``across``, the leader crosses
        no route line (:meth:`Labeller._crosses_routes`). None if there is none.
        """
        label = self.label
        best: tuple[float, float, str, np.ndarray] | None = None
        for ri, reach in enumerate(self.reaches):
            if best is not None and best[0] <= reach:
                break  # a name no nearer costs at least its reach
            for si, scale in enumerate(self.scales):
                smaller = scale < self.scales[0]
                for i in np.flatnonzero(self.fit[a, ri, si]):
                    at = (a, ri, si, int(i))
                    clear = bool(self.clear[at])
                    if not over_lines and not clear:
                        continue
                    # Land under the name only adds to its cost: a place that costs no less
                    # than the best one even over none is not worth the tests below.
                    if best is not None and _leader_cost(reach, smaller, clear, 0.0) >= best[0]:
                        continue
                    if self._once(self._crosses_names, at):
                        continue
                    if apart and self._once(self._crosses_leaders, at):
                        continue
                    if not across and self._once(self._crosses_routes, at):
                        continue
                    on_others = self._once(self._on_others, at)
                    if strict and on_others > MAX_LEADER_ON_OTHERS:
                        continue
                    cost = _leader_cost(reach, smaller, clear, on_others)
                    if best is None or cost < best[0]:
                        to_data = label.ax.transData.inverted()
                        best = (cost, scale, _ALIGNS[i], to_data.transform(self.points[at]))
        return best


def _clear_of_boxes(corners: np.ndarray, turned: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Return which turned rectangles ``corners`` (``n x 4 x 2``) miss every one of ``boxes``.

    ``turned`` is their shape about their centres (``4 x 2``), ``boxes`` upright ``x0, y0, x1,
    y1`` rows. Two convex shapes miss each other when some side's direction separates them:
    the upright boxes' two and the turned rectangles' two, all compared at once.
    """
    if not len(boxes):
        return np.ones(len(corners), dtype=bool)
    apart = np.zeros((len(corners), len(boxes)), dtype=bool)
    x0, y0, x1, y1 = boxes.T
    lo, hi = corners.min(axis=1), corners.max(axis=1)
    apart |= (hi[:, :1] < x0) | (x1 < lo[:, :1]) | (hi[:, 1:] < y0) | (y1 < lo[:, 1:])
    rims = np.stack([boxes[:, [0, 1]], boxes[:, [2, 1]], boxes[:, [2, 3]], boxes[:, [0, 3]]], 1)
    for side in (turned[1] - turned[0], turned[3] - turned[0]):
        on_side = corners @ side
        on_rims = rims @ side
        apart |= (on_side.max(axis=1)[:, None] < on_rims.min(axis=1)) | (
            on_rims.max(axis=1) < on_side.min(axis=1)[:, None]
        )
    return np.asarray(apart.all(axis=1))


def inside_points(
    shape: shapely.Geometry, grid: int = _LABEL_GRID, count: int = _LABEL_CANDIDATES
) -> list[tuple[float, float]]:
    """Return up to ``count`` points where a name may be centred in an area, best first.

    The pole of inaccessibility of its largest part, then points of a ``grid`` by ``grid``
    grid over that part, farthest from its edge first.
    """
    parts = [p for p in shapely.get_parts(shape) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return []
    part = max(parts, key=lambda p: p.area)
    xmin, ymin, xmax, ymax = part.bounds
    pole = polylabel(part, tolerance=max(xmax - xmin, ymax - ymin) / 100)
    xs, ys = np.meshgrid(
        np.linspace(xmin, xmax, grid + 2)[1:-1],
        np.linspace(ymin, ymax, grid + 2)[1:-1],
        indexing="ij",
    )
    # Prepared, the area tests the fine grid's 625 points thirty times as fast (Kazakhstan).
    shapely.prepare(part)
    inside = shapely.contains_xy(part, xs.ravel(), ys.ravel())
    points = np.column_stack([xs.ravel()[inside], ys.ravel()[inside]])
    room = shapely.distance(part.exterior, shapely.points(points))
    ranked = points[np.argsort(-room)][: count - 1]
    return [(float(pole.x), float(pole.y)), *((float(x), float(y)) for x, y in ranked)]


def _leader_cost(reach: float, smaller: bool, clear: bool, on_others: float) -> float:
    """Return the cost of a leader's name ``reach`` line heights out: the cheapest is taken.

    ``smaller``: set at the smaller of its leader's sizes.

    Examples
    --------
    >>> _leader_cost(1.2, False, True, 0.0) < _leader_cost(1.2, False, False, 0.0)
    True
    >>> _leader_cost(3.6, False, True, 0.0) < _leader_cost(1.2, False, True, 1.0)
    True
    """
    return (
        reach
        + (0.0 if clear else ON_LINE_COST)
        + ON_OTHERS_COST * max(on_others, 0.0)
        + (SMALLER_COST if smaller else 0.0)
    )
