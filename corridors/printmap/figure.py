"""The snapshot figure: page layout, states, routes, legend, scale bar and labels.

Used by :mod:`corridors.printmap.snapshot`, which validates the arguments and writes the file.
Sizes are in points and inches scaled by ``unit`` (1 on a 16:9 slide 6.75 inches high), so a square
post, a slide and an A4 page share one look.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.patheffects import Stroke
from matplotlib.transforms import Bbox
from shapely.geometry import LineString
from shapely.ops import polylabel

from corridors.data import Dataset
from corridors.figures import format_km, format_number
from corridors.geometry import chokepoints_passed
from corridors.model import Analysis, Chokepoint, Leg, Route, Waypoint
from corridors.places import PLACE_MIN_ZOOM, Place
from corridors.policy.closures import ClosureResult, entry_breaks
from corridors.policy.describe import map_note
from corridors.policy.timeline import timeline_disruptions
from corridors.printmap.cartography import (
    BBox,
    LabelPlacer,
    View,
    conic_parallels,
    extent_aspect,
    fit_view,
    frame_outline,
    locator_extent,
    scale_bar,
)
from corridors.provenance import attribution
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
    LAND_WIDTH,
    REGION_INK,
    SEA,
    SEA_INK,
    WAYPOINT_FILL,
    WAYPOINT_RADIUS,
    WAYPOINT_RING,
    dash_lengths,
    leg_look,
    legend_entries,
)
from corridors.wording import display_name, join_names

# The app's colours (corridors.style), so a snapshot looks like the screen it was taken from.
TRANSIT_FILL = CROSSED_FILL
BYPASSED_FILL = LAND
BYPASSED_EDGE = BYPASS_OUTLINE
INK = "#222222"
MUTED = "#6b6b6b"
#: Screen pixels (corridors.style) to points at unit scale: lines as heavy as on screen.
PX_TO_PT = 0.55
#: Names from pycountry that are too formal for a map.
#: ``gid`` of the white outlines under labels (the SVG keeps it as the group's id); state and
#: place names are ``state-ISO3`` and ``place-ID``, the caption ``caption``, the locator inset
#: ``locator``, the closures' marks ``cut-leg`` and ``cut-mark``, the focal band ``focus``.
HALO_GID = "label-halo"
CAPTION_GID = "caption"
LOCATOR_GID = "locator"
#: Earth's equatorial circumference (m), for the web zoom a printed frame matches.
_EQUATOR_M = 40_075_016.686
#: Candidate points per side of the grid a state's name may be centred on.
_LABEL_GRID = 11
_LABEL_CANDIDATES = 30
#: Share of the map a state must fill to be labelled when it is neither transit nor bypassed.
MIN_LABEL_AREA = 0.004
#: From this web zoom (the Caucasus on a slide) a region is always named, on a line or with a
#: leader if need be; farther out only where its name fits off the lines.
REGIONS_ALWAYS_NAMED_ZOOM = 5.0
#: A name put beside its state with a leader lies over other states this much at most, where
#: there is such a place.
MAX_LEADER_LABEL_ON_OTHERS = 0.3
#: A sea's name may lie this much over land, no more: it names the water.
MAX_SEA_LABEL_ON_LAND = 0.12
#: At most this many waypoints are named: more turn a national map into a timetable.
MAX_WAYPOINT_LABELS = 10
#: Waypoints named first: the places a briefing talks about.
_KIND_ORDER = ("port", "border crossing", "terminal", "city", "junction", "station")
#: Aspect ratio (width / height) above which the legend goes beside the map, not below it.
_SIDE_LEGEND_ASPECT = 1.45
_DENSIFY_DEG = 0.25


def _label_name(name: str) -> str:
    """Return a state's map label, on two lines if it is long."""
    text = name
    return "\n".join(textwrap.wrap(text, max(len(text) // 2 + 1, 9))) if len(text) > 14 else text


def _plain(text: str) -> str:
    """Escape dollar signs, which matplotlib would otherwise read as mathematics."""
    return text.replace("$", r"\$")


def _place_name(name: str) -> str:
    """Drop a parenthesis from a place name: ``Port of Baku (Alat)`` is ``Port of Baku``."""
    return re.sub(r"\s*\(.*?\)", "", name).strip() or name


def _lat(lat: float) -> str:
    return f"{abs(lat):.1f}°{'N' if lat >= 0 else 'S'}"


@dataclass(frozen=True)
class Page:
    """Type sizes (points) and margins (inches) for a page ``width`` x ``height`` inches."""

    width: float
    height: float
    dpi: float

    @property
    def unit(self) -> float:
        """Scale of everything: 1 on a 16:9 slide 6.75 inches high."""
        return min(self.width, self.height) / 6.75

    @property
    def title(self) -> float:
        """Title size."""
        return 20 * self.unit

    @property
    def subtitle(self) -> float:
        """Subtitle size."""
        return 12 * self.unit

    @property
    def label(self) -> float:
        """Label size."""
        return 9.5 * self.unit

    @property
    def small(self) -> float:
        """Small text size."""
        return 8 * self.unit

    @property
    def footer(self) -> float:
        """Footer size."""
        return 7 * self.unit

    @property
    def margin(self) -> float:
        """Page margin (inches)."""
        return 0.3 * self.unit

    def px(self, points: float) -> float:
        """Return a length in points as display pixels."""
        return points * self.dpi / 72


class SnapshotFigure:
    """One snapshot being drawn on a matplotlib figure."""

    def __init__(
        self,
        fig: Figure,
        dataset: Dataset,
        analyses: Mapping[str, Analysis],
        states: gpd.GeoDataFrame,
        *,
        routes: list[Route],
        selected: str | None,
        year: int | None = None,
        closures: ClosureResult | None = None,
        places: Sequence[Place] = (),
    ) -> None:
        self.fig = fig
        self.dataset = dataset
        self.analyses = analyses
        self.states = states
        self.routes = routes
        self.year = year
        self.closures = closures
        self.places = tuple(places)
        self.selected = dataset.routes[selected] if selected else None
        self.analysis = analyses.get(selected) if selected else None
        #: Every leg drawn, by (route id, leg id), in longitude/latitude, densified to project.
        self.lines = {
            (r.id, leg.id): shapely.segmentize(LineString(leg.coords), _DENSIFY_DEG)
            for r in routes
            for leg in r.legs
        }
        #: The legs the drawn frame shows, which the legend names (set when the frame is fitted).
        self.shown: frozenset[tuple[str, str]] = frozenset(self.lines)
        width, height = fig.get_size_inches()
        self.page = Page(float(width), float(height), float(fig.dpi))
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

    @cached_property
    def highlighted(self) -> tuple[set[str], set[str]]:
        """ISO codes of the selected route's transit and bypassed states."""
        if self.analysis is None:
            return set(), set()
        return {s.iso3 for s in self.analysis.transit}, {s.iso3 for s in self.analysis.bypassed}

    @cached_property
    def focus(self) -> tuple[str, ...]:
        """The states the selected route crosses and its baseline does not: its own section.

        That is what makes it an alternative (TRIPP's Armenian section, instead of Iran's bank
        of the Aras), so the print map stands it out.
        """
        if self.analysis is None:
            return ()
        base = self.analyses.get(self.analysis.baseline or "")
        if base is None:
            return ()
        avoided = {s.iso3 for s in base.transit}
        return tuple(s.iso3 for s in self.analysis.transit if s.iso3 not in avoided)

    @cached_property
    def cut_legs(self) -> set[tuple[str, str]]:
        """The legs drawn that the closures cut, by (route id, leg id)."""
        if self.closures is None:
            return set()
        cut = self.closures.broken_legs()
        return {(r.id, leg_id) for r in self.routes for leg_id in cut.get(r.id, ())}

    def caption(self, date: str) -> str:
        """Say the year the map shows and what is closed, as the dashboard does: or nothing.

        The year's note counts the disruptions the Timeline lists for it, on ``date`` (ISO).
        """
        disruptions = 0
        if self.year is not None:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError:
                today = dt.date.today()
            corridors = [r.id for r in self.routes if r.role == "corridor"]
            found = timeline_disruptions(self.dataset, self.year, today=today, corridors=corridors)
            disruptions = len(found)
        parts = [f"{note}." for note in [map_note(self.year, disruptions)] if note]
        closures = self.closures
        if closures is not None and (
            closures.closed_states or closures.closed_chokepoints or closures.closed_legs
        ):
            parts.append(closures.summary)
        return " ".join(parts)

    @cached_property
    def chokepoints(self) -> list[Chokepoint]:
        """The chokepoints the visible routes pass (within each chokepoint's own radius)."""
        lines = [LineString(leg.coords) for route in self.routes for leg in route.legs]
        passed = set(chokepoints_passed(lines, self.dataset.chokepoints))
        return [c for c in self.dataset.chokepoints if c.id in passed]

    # Page ---------------------------------------------------------------------------------------

    def fit_lines(
        self, text: str, width_in: float, size: float, max_lines: int, *, weight: str = "normal"
    ) -> list[str]:
        """Wrap ``text`` to ``width_in`` inches as rendered, ending with an ellipsis if cut.

        Each word is measured once and a line's width is their sum with the spaces: measuring
        every growing line again took seconds for a long credit.
        """
        if not text:
            return []
        font = FontProperties(family="DejaVu Sans", size=size, weight=weight)
        limit = width_in * self.page.dpi
        measured: dict[str, float] = {}

        def width(word: str) -> float:
            if word not in measured:
                measured[word] = self.renderer.get_text_width_height_descent(
                    word, font, ismath=False
                )[0]
            return measured[word]

        space = width("a a") - 2 * width("a")

        def line_width(words: list[str]) -> float:
            return sum(width(w) for w in words) + space * (len(words) - 1)

        rows: list[list[str]] = []
        for word in text.split():
            if rows and line_width([*rows[-1], word]) <= limit:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines = [" ".join(row) for row in rows]
        if len(rows) > max_lines:
            rest = [w for row in rows[max_lines - 1 :] for w in row]
            while len(rest) > 1 and line_width([*rest, "..."]) > limit:
                rest.pop()
            last = " ".join(rest)
            lines = [*lines[: max_lines - 1], last + " ..."]
        return lines

    def draw(self, extent: BBox, title: str, subtitle: str, date: str) -> None:
        """Lay out the page (header, map with legend, footer) and draw everything.

        The legend names what the drawn frame shows, and the frame is the extent widened to the
        map's shape, which depends on the legend's size: the two are fitted until they agree.
        """
        p = self.page
        text_width = p.width - 2 * p.margin
        top = self._header(title, subtitle, self.caption(date), text_width) - 0.15 * p.unit
        bottom = self._footer(extent, date, text_width)
        asked = shapely.box(*extent)
        shown = frozenset(key for key, line in self.lines.items() if asked.intersects(line))
        for attempt in range(4):
            self.shown = shown
            ax, legend = self._map_and_legend(extent, top, bottom, text_width)
            view = fit_view(extent, ax.bbox.width / ax.bbox.height)
            shown = self._shown_in(view)
            if shown == self.shown or attempt == 3:
                break
            ax.remove()
            legend.remove()
        #: The projection and map rectangle drawn, for tests and callers that inspect the figure.
        self.view = view
        self._frame(ax, view)
        shapes = self._states(ax, view)
        lines = self._routes(ax, view)
        placer = LabelPlacer(ax.get_window_extent(self.renderer), pad=p.px(1.5 * p.unit))
        self._scale_bar(ax, view, placer)
        self._locator(ax, view, lines, placer)
        self._labels(ax, view, shapes, lines, placer)

    def _shown_in(self, view: View) -> frozenset[tuple[str, str]]:
        """Return the legs whose line crosses the map rectangle of ``view``."""
        keys = list(self.lines)
        projected = view.project(np.array([self.lines[k] for k in keys], dtype=object))
        frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
        inside = shapely.intersects(projected, frame)
        return frozenset(k for k, hit in zip(keys, inside, strict=True) if hit)

    def _map_and_legend(
        self, extent: BBox, top: float, bottom: float, text_width: float
    ) -> tuple[Axes, Legend]:
        """Place the legend beside or below the map, whichever lets the map be drawn larger."""
        p = self.page
        aspect = extent_aspect(extent)
        options = []
        for side in (True, False):
            legend, legend_w, legend_h = self._legend(side, text_width)
            if side:
                frame = (p.margin, bottom, text_width - legend_w - p.margin, top - bottom)
                anchor = (p.width - p.margin - legend_w, top)
            else:
                height = top - bottom - legend_h - p.margin / 2
                frame = (p.margin, bottom + legend_h + p.margin / 2, text_width, height)
                anchor = (p.margin, bottom + legend_h)
            legend.set_bbox_to_anchor(anchor, self.fig.dpi_scale_trans)
            scale = min(frame[2] / aspect, frame[3]) if min(frame[2:]) > 0 else 0.0
            options.append((scale, side, legend, frame))
        _, _, legend, frame = max(options, key=lambda o: (o[0], o[1]))
        for other in options:
            if other[2] is not legend:
                other[2].remove()
        rect = (frame[0] / p.width, frame[1] / p.height, frame[2] / p.width, frame[3] / p.height)
        return self.fig.add_axes(rect), legend

    def _header(self, title: str, subtitle: str, caption: str, width: float) -> float:
        """Draw title, subtitle and caption from the top margin down; return their end (inches)."""
        p = self.page
        top = p.height - p.margin
        size = p.title
        lines = self.fit_lines(title, width, size, 1, weight="bold")
        if lines and lines[0].endswith("..."):  # too long for one line: smaller, on two
            size *= 0.8
            lines = self.fit_lines(title, width, size, 2, weight="bold")
        for line in lines:
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                _plain(line),
                fontsize=size,
                fontweight="bold",
                color=INK,
                va="top",
            )
            top -= size * 1.4 / 72
        for line in self.fit_lines(subtitle, width, p.subtitle, 2):
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                _plain(line),
                fontsize=p.subtitle,
                color=MUTED,
                va="top",
            )
            top -= p.subtitle * 1.35 / 72
        for line in self.fit_lines(caption, width, p.small * 1.1, 3):
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                _plain(line),
                fontsize=p.small * 1.1,
                color=INK,
                va="top",
                gid=CAPTION_GID,
            )
            top -= p.small * 1.1 * 1.35 / 72
        return top

    def _footer(self, extent: BBox, date: str, width: float) -> float:
        """Draw the credit, projection note and date; return the map's lowest edge (inches)."""
        p = self.page
        lat1, lat2 = conic_parallels(extent)
        note = (
            f"Equidistant conic projection, true to scale along meridians and at {_lat(lat1)} and "
            f"{_lat(lat2)}; scale bar measured on the WGS 84 ellipsoid where it is drawn."
        )
        credit = attribution(self.dataset, [r.id for r in self.routes])
        date_width = len(date) * p.footer * 0.7 / 72 + 0.3 * p.unit
        lines = [
            *self.fit_lines(credit, width - date_width, p.footer, 3),
            *self.fit_lines(note, width, p.footer, 2),
        ]
        step = p.footer * 1.4 / 72
        top = 0.35 * p.margin + len(lines) * step
        self.fig.text(
            1 - p.margin / p.width,
            top / p.height,
            date,
            fontsize=p.footer,
            color=INK,
            va="top",
            ha="right",
            fontweight="bold",
        )
        for i, line in enumerate(lines):
            self.fig.text(
                p.margin / p.width,
                (top - i * step) / p.height,
                _plain(line),
                fontsize=p.footer,
                color=MUTED,
                va="top",
            )
        return top + 0.5 * p.margin

    def _frame(self, ax: Axes, view: View) -> None:
        ax.set_xlim(*view.xlim)
        ax.set_ylim(*view.ylim)
        ax.set_facecolor(SEA)
        ax.set_xticks([])
        ax.set_yticks([])
        for spine in ax.spines.values():
            spine.set_edgecolor(MUTED)
            spine.set_linewidth(0.6 * self.page.unit)

    # Layers -------------------------------------------------------------------------------------

    def _states(self, ax: Axes, view: View) -> dict[str, shapely.Geometry]:
        """Draw the states in view, highlighted by role; return their projected shapes."""
        metres_per_px = (view.xlim[1] - view.xlim[0]) / ax.get_window_extent(self.renderer).width
        lonlat = shapely.clip_by_rect(self.states.geometry.to_numpy(), *view.lonlat_bounds)
        keep = ~shapely.is_empty(lonlat)
        pad = 0.02 * (view.xlim[1] - view.xlim[0])
        projected = shapely.clip_by_rect(
            view.project(lonlat[keep]),
            view.xlim[0] - pad,
            view.ylim[0] - pad,
            view.xlim[1] + pad,
            view.ylim[1] + pad,
        )
        # Half a pixel: invisible at this size, and it drops nine in ten vertices of a 1:10m map.
        projected = shapely.simplify(projected, metres_per_px / 2)
        transit, bypassed = self.highlighted
        groups: dict[str, list[Path]] = {"other": [], "transit": [], "bypassed": []}
        shapes: dict[str, shapely.Geometry] = {}
        for iso3, geom in zip(self.states["iso3"].to_numpy()[keep], projected, strict=True):
            path = _path(geom)
            if path is not None:
                shapes[str(iso3)] = geom
                group = (
                    "transit" if iso3 in transit else "bypassed" if iso3 in bypassed else "other"
                )
                groups[group].append(path)
        u = self.page.unit
        styles: dict[str, dict[str, Any]] = {
            "other": {"facecolors": LAND, "edgecolors": BORDER, "linewidths": 0.5 * u},
            "transit": {
                "facecolors": TRANSIT_FILL,
                "edgecolors": self._transit_edge,
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

    @property
    def _transit_edge(self) -> str:
        return self.selected.colour if self.selected is not None else BORDER

    @staticmethod
    def _colour(route: Route) -> str:
        return BASELINE_GREY if route.role == "baseline" else route.colour

    def _look(self, route: Route, leg: Leg) -> tuple[float, Any, float]:
        """Return a leg's line width, matplotlib line style and opacity, from corridors.style."""
        look = leg_look(leg, self._colour(route), selected=route is self.selected, year=self.year)
        lw = look.width * PX_TO_PT * self.page.unit
        return lw, self._dashes(look.dash, lw), look.opacity

    def _dashes(self, dash: str | None, lw: float) -> Any:
        """Return an SVG dash pattern (screen pixels) as a matplotlib line style for width ``lw``.

        matplotlib scales dashes by the line width; corridors.style gives them in pixels.
        """
        dashes = tuple(d * PX_TO_PT * self.page.unit / lw for d in dash_lengths(dash))
        return (0, dashes) if dashes else "solid"

    def _routes(self, ax: Axes, view: View) -> list[np.ndarray]:
        """Draw the legs (colour by route, dashes by status, thinner at sea) and markers.

        Returns the projected lines, for labels to keep clear of.
        """
        u = self.page.unit
        drawn = []
        self._focus_band(ax, view)
        for route in sorted(self.routes, key=lambda r: (r is self.selected, r.role == "corridor")):
            zorder = 10 if route is self.selected else 5
            for leg in route.legs:
                line = self.lines[(route.id, leg.id)]
                xy = shapely.get_coordinates(view.project(np.array([line])))
                drawn.append(xy)
                lw, linestyle, alpha = self._look(route, leg)
                if route is self.selected:  # the web map's casing: readable over its states
                    ax.plot(
                        xy[:, 0],
                        xy[:, 1],
                        color=CASING_COLOUR,
                        lw=lw + CASING_EXTRA_WIDTH * PX_TO_PT * u,
                        zorder=zorder,
                        alpha=CASING_OPACITY,
                        solid_capstyle="round",
                        solid_joinstyle="round",
                        gid="casing",
                    )
                ax.plot(
                    xy[:, 0],
                    xy[:, 1],
                    color=self._colour(route),
                    lw=lw,
                    zorder=zorder + 0.1,
                    alpha=alpha,
                    linestyle=linestyle,
                    solid_capstyle="round",
                    dash_capstyle="butt",
                )
                if (route.id, leg.id) in self.cut_legs:
                    cut_lw = CUT_WIDTH * PX_TO_PT * u
                    ax.plot(
                        xy[:, 0],
                        xy[:, 1],
                        color=CUT_COLOUR,
                        lw=cut_lw,
                        alpha=CUT_OPACITY,
                        linestyle=self._dashes(DASH_CUT, cut_lw),
                        dash_capstyle="butt",
                        zorder=14,
                        gid="cut-leg",
                    )
        self._cut_marks(ax, view)
        # Every corridor's stations and every chokepoint, as the web map marks them.
        for route in self.routes:
            if route.role != "corridor" or not route.waypoints:
                continue
            x, y = self._xy(view, [(w.lon, w.lat) for w in route.waypoints])
            ax.scatter(
                x,
                y,
                s=(2 * WAYPOINT_RADIUS * PX_TO_PT * u) ** 2,
                facecolor=WAYPOINT_FILL,
                edgecolor=route.colour,
                linewidth=WAYPOINT_RING * PX_TO_PT * u,
                zorder=12.5 if route is self.selected else 12,
                gid=f"waypoints-{route.id}",
            )
        if self.dataset.chokepoints:
            x, y = self._xy(view, [(c.lon, c.lat) for c in self.dataset.chokepoints])
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

    def _cut_marks(self, ax: Axes, view: View) -> None:
        """Mark where each route drawn enters what is closed, as the web map does."""
        if self.closures is None:
            return
        cuts = entry_breaks(self.closures, self.routes)
        if not cuts:
            return
        x, y = self._xy(view, [(cut.lon, cut.lat) for _, cut in cuts])
        diameter = 2 * CUT_MARK_RADIUS * PX_TO_PT * self.page.unit
        ax.scatter(
            x,
            y,
            s=diameter**2,
            facecolor=CUT_FILL,
            edgecolor="white",
            linewidth=1.1 * self.page.unit,
            zorder=15,
            gid="cut-mark",
        )

    def _focus_band(self, ax: Axes, view: View) -> None:
        """Lay a soft band of the selected route's colour under its own section (:attr:`focus`)."""
        if self.selected is None or not self.focus:
            return
        shapes = self.states.set_index("iso3").geometry
        area = shapely.union_all([shapes[i] for i in self.focus if i in shapes.index])
        shapely.prepare(area)
        for leg in self.selected.legs:
            inside = shapely.intersection(self.lines[(self.selected.id, leg.id)], area)
            lw = self._look(self.selected, leg)[0] + FOCUS_EXTRA_WIDTH * PX_TO_PT * self.page.unit
            for part in shapely.get_parts(inside):
                if part.geom_type != "LineString" or part.is_empty:
                    continue
                xy = shapely.get_coordinates(view.project(np.array([part])))
                ax.plot(
                    xy[:, 0],
                    xy[:, 1],
                    color=self.selected.colour,
                    lw=lw,
                    alpha=FOCUS_OPACITY,
                    solid_capstyle="butt",
                    zorder=9,
                    gid="focus",
                )

    @property
    def focus_text(self) -> str:
        """The legend's words for the focal band."""
        names = dict(zip(self.states["iso3"], self.states["name"], strict=True))
        where = join_names([names.get(i, i) for i in self.focus])
        return f"Its own section, through {where}, where its baseline does not run"

    @staticmethod
    def _xy(view: View, lonlat: list[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
        points = np.asarray(lonlat, dtype=float)
        x, y = view.forward.transform(points[:, 0], points[:, 1])
        return np.asarray(x), np.asarray(y)

    # Legend and scale bar -----------------------------------------------------------------------

    def _legend_handles(self, width_in: float) -> list[tuple[Any, str]]:
        """Return the legend of what is drawn, handles and labels: from ``legend_entries``."""
        u = self.page.unit

        def wrap(text: str) -> str:
            return _plain("\n".join(self.fit_lines(text, width_in, self.page.label, 4)))

        in_frame = [r for r in self.routes if any((r.id, leg.id) in self.shown for leg in r.legs)]
        corridors = [r for r in in_frame if r.role == "corridor"]
        routes = [(display_name(r.name), r.colour) for r in corridors]
        if len(corridors) < len(in_frame):
            routes.append(("Baseline (existing route)", BASELINE_GREY))
        transit, bypassed = self.highlighted
        crossed_text = bypassed_text = None
        if self.selected is not None and transit:
            crossed_text = f"State crossed by the {display_name(self.selected.name)}"
        if self.selected is not None and bypassed and self.analysis is not None:
            base = self.dataset.routes.get(self.analysis.baseline or "")
            bypassed_text = "State bypassed"
            if base is not None:
                bypassed_text += f": crossed by the {display_name(base.name)} instead"
        entries = legend_entries(
            routes,
            [
                leg_look(leg, "", year=self.year)
                for r in in_frame
                for leg in r.legs
                if (r.id, leg.id) in self.shown
            ],
            waypoints=any(r.waypoints for r in corridors),
            chokepoints=bool(self.dataset.chokepoints),
            cuts=bool(self.cut_legs & self.shown),
            crossed=crossed_text,
            bypassed=bypassed_text,
        )
        handles: list[Any] = []
        lw = LAND_WIDTH * PX_TO_PT * u
        for entry in entries:
            style = self._dashes(entry.dash, lw)
            label = wrap(entry.label)
            if entry.swatch == "line":
                handles.append(
                    Line2D(
                        [],
                        [],
                        color=entry.colour,
                        lw=lw,
                        ls=style,
                        alpha=entry.opacity,
                        label=label,
                    )
                )
            elif entry.swatch == "point":
                handles.append(
                    Line2D(
                        [],
                        [],
                        marker="o",
                        color="none",
                        markerfacecolor=entry.fill,
                        markeredgecolor=entry.colour,
                        markersize=5 * u,
                        label=label,
                    )
                )
            elif entry.fill is None:  # bypassed: hatched, so it reads in black and white
                handles.append(
                    Patch(
                        facecolor=BYPASSED_FILL,
                        edgecolor=entry.colour,
                        hatch="////",
                        linestyle=style,
                        label=label,
                    )
                )
            else:
                handles.append(
                    Patch(facecolor=entry.fill, edgecolor=self._transit_edge, label=label)
                )
        pairs: list[tuple[Any, str]] = [(h, h.get_label()) for h in handles]
        if self.selected is not None and self.focus:
            colour = self.selected.colour
            band = lw + FOCUS_EXTRA_WIDTH * PX_TO_PT * u
            focus = (
                Line2D([], [], color=colour, lw=band, alpha=FOCUS_OPACITY, solid_capstyle="butt"),
                Line2D([], [], color=colour, lw=lw),
            )
            at = next((i for i, h in enumerate(handles) if isinstance(h, Patch)), len(handles))
            pairs.insert(at, (focus, wrap(self.focus_text)))
        return pairs

    def _legend(self, side: bool, text_width: float) -> tuple[Legend, float, float]:
        """Build the legend for beside or below the map; return it with its size in inches."""
        p = self.page
        columns = 1 if side else 2
        column_in = max(0.22 * p.width, 2.6 * p.unit) if side else text_width / 2 - 0.6 * p.unit
        pairs = self._legend_handles(column_in - 0.45 * p.unit)
        legend = self.fig.legend(
            handles=[handle for handle, _ in pairs],
            labels=[label for _, label in pairs],
            loc="upper left",
            ncols=columns,
            fontsize=p.label,
            frameon=False,
            borderpad=0.0,
            borderaxespad=0.0,
            handlelength=2.6,
            handleheight=1.0,
            labelspacing=0.55,
            columnspacing=1.5,
            bbox_transform=self.fig.dpi_scale_trans,
            bbox_to_anchor=(0, p.height),
        )
        if self.selected is not None:
            name = _plain(display_name(self.selected.name))
            for text in legend.get_texts():
                if text.get_text().replace("\n", " ") == name:
                    text.set_fontweight("bold")
        box = legend.get_window_extent(self.renderer)
        return legend, box.width / self.fig.dpi, box.height / self.fig.dpi

    def _scale_bar(self, ax: Axes, view: View, placer: LabelPlacer) -> None:
        """Draw a two-part scale bar in the lower left corner, true where it stands."""
        u = self.page.unit
        (x0, x1), (y0, y1) = view.xlim, view.ylim
        start, y = x0 + 0.035 * (x1 - x0), y0 + 0.05 * (y1 - y0)
        length, km = scale_bar(view, start, y, fraction=0.18)
        bar_h = 0.012 * (y1 - y0)
        for i in range(2):
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
        texts = [
            ax.text(
                start + f * length,
                y + bar_h * 1.6,
                s,
                fontsize=self.page.small,
                color=INK,
                ha="center",
                va="bottom",
                zorder=33,
            )
            for f, s in ((0.0, "0"), (0.5, format_number(km / 2)), (1.0, format_km(km)))
        ]
        boxes = [t.get_window_extent(self.renderer).padded(self.page.px(2 * u)) for t in texts]
        if boxes[1].overlaps(boxes[0]) or boxes[1].overlaps(boxes[2]):
            texts.pop(1).remove()
        corners = ax.transData.transform([(start, y), (start + length, y + bar_h)])
        box = Bbox.union([*(t.get_window_extent(self.renderer) for t in texts), Bbox(corners)])
        box = box.padded(self.page.px(4 * u))
        (bx0, by0), (bx1, by1) = ax.transData.inverted().transform(
            [(box.x0, box.y0), (box.x1, box.y1)]
        )
        ax.add_patch(
            Rectangle(
                (bx0, by0),
                bx1 - bx0,
                by1 - by0,
                facecolor="white",
                alpha=0.9,
                edgecolor=BORDER,
                linewidth=0.6 * u,
                zorder=31,
            )
        )
        placer.block(box)

    # Labels -------------------------------------------------------------------------------------

    def _labels(
        self,
        ax: Axes,
        view: View,
        shapes: dict[str, shapely.Geometry],
        lines: list[np.ndarray],
        placer: LabelPlacer,
    ) -> None:
        """Name states, regions, markers, seas and straits, most important first, never overlapping.

        The regions the corridors are about (Syunik, Nakhchivan) come first, at the points the
        places file gives; then the selected route's crossed and bypassed states, which are
        always named (inside the state where there is room, else beside it with a leader); the
        stations and chokepoints; the seas and straits; the other states the routes drawn
        cross; and the largest of the rest. A state's
        name is centred inside the state; labels keep clear of the route lines where they can,
        and a highlighted state's or a region's label may sit on a line (with its white halo)
        rather than be left out.
        """
        p = self.page
        transit, bypassed = self.highlighted
        frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
        in_view = {iso3: shapely.intersection(g, frame) for iso3, g in shapes.items()}
        in_view = {iso3: g for iso3, g in in_view.items() if g.area > 0}
        names = dict(zip(self.states["iso3"], self.states["name"], strict=True))
        line_px = _line_points(ax, lines, spacing=p.px(2 * p.unit))
        label = _Labeller(ax, placer, p, line_px, land=shapes)
        markers: list[Waypoint | Chokepoint] = [*self._waypoints_to_name(), *self.chokepoints]
        drawn: list[Waypoint | Chokepoint] = [
            w for r in self.routes if r.role == "corridor" for w in r.waypoints
        ]
        for marker in [*drawn, *self.dataset.chokepoints]:  # obstacles before any name
            x, y = self._xy(view, [(marker.lon, marker.lat)])
            centre = ax.transData.transform((x[0], y[0]))
            r = p.px(3.2 * p.unit)
            placer.block(Bbox([centre - r, centre + r]))
        zoom = self._web_zoom(ax, view)
        places = sorted(
            (pl for pl in self.places if PLACE_MIN_ZOOM[pl.rank] <= zoom),
            key=lambda pl: (pl.kind != "region", pl.rank),
        )
        regions = [pl for pl in places if pl.kind == "region"]
        # At the points the file gives first, for every region; nudged only then, so that one
        # region's name moved aside never takes another's own place.
        close_up = zoom >= REGIONS_ALWAYS_NAMED_ZOOM
        for nudge in (False, True):
            for place in regions:
                xy = self._xy(view, list(place.anchors))
                label.place(xy, place, must=close_up, nudge=nudge)
        for iso3 in [*sorted(transit & set(in_view)), *sorted(bypassed & set(in_view))]:
            label.inside(
                in_view[iso3],
                _label_name(names[iso3]),
                size=p.label * 1.05,
                must=True,
                weight="bold",
                color=INK,
                gid=f"state-{iso3}",
            )
        for marker in markers:
            x, y = self._xy(view, [(marker.lon, marker.lat)])
            style = "italic" if isinstance(marker, Chokepoint) else "normal"
            label.beside((x[0], y[0]), _plain(_place_name(marker.name)), style=style)
        for nudge in (False, True):
            for place in [pl for pl in places if pl.kind != "region"]:
                label.place(self._xy(view, list(place.anchors)), place, must=False, nudge=nudge)
        crossed = {
            s.iso3
            for r in self.routes
            if (analysis := self.analyses.get(r.id)) is not None
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
        for far, _, iso3 in others:
            label.inside(
                in_view[iso3],
                _label_name(names[iso3]),
                size=p.label * 0.9,
                must=not far,
                over_lines=False,
                color=MUTED,
                gid=f"state-{iso3}",
            )

    def _web_zoom(self, ax: Axes, view: View) -> float:
        """Return the web map zoom whose scale the frame's middle has, on a 96-dpi screen.

        Seas, regions and straits are named in print from the zoom they are named on screen.
        """
        width_px = ax.bbox.width / self.fig.dpi * 96
        metres_per_px = (view.xlim[1] - view.xlim[0]) / width_px
        middle = ((view.xlim[0] + view.xlim[1]) / 2, (view.ylim[0] + view.ylim[1]) / 2)
        lat = float(view.inverse.transform(*middle)[1])
        return math.log2(_EQUATOR_M * math.cos(math.radians(lat)) / (256 * metres_per_px))

    def _locator(self, ax: Axes, view: View, lines: list[np.ndarray], placer: LabelPlacer) -> None:
        """Draw a small inset map in the emptiest upper or lower-right corner: where the frame is.

        It shows the land around the frame, about four times as wide, and the frame's outline
        on it; a frame that already spans most of a hemisphere needs none.
        """
        outline = frame_outline(view)
        extent = locator_extent(outline)
        if extent is None:
            return
        p = self.page
        frame = ax.get_window_extent(self.renderer)
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
        points = _line_points(ax, lines, spacing=p.px(3 * p.unit))

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
        fig_w, fig_h = self.fig.bbox.width, self.fig.bbox.height
        inset = self.fig.add_axes(
            (x / fig_w, y / fig_h, width / fig_w, height / fig_h), zorder=ax.get_zorder() + 1
        )
        inset.set_gid(LOCATOR_GID)
        inset.set_xlim(extent[0], extent[2])
        inset.set_ylim(extent[1], extent[3])
        inset.set_facecolor(SEA)
        inset.set_xticks([])
        inset.set_yticks([])
        for spine in inset.spines.values():
            spine.set_edgecolor(INK)
            spine.set_linewidth(0.8 * p.unit)
        tolerance = (extent[2] - extent[0]) / 300
        # Topology need not hold at this size: the fast simplification takes a tenth of the time.
        land = shapely.clip_by_rect(
            shapely.simplify(self.states.geometry.to_numpy(), tolerance, preserve_topology=False),
            *extent,
        )
        paths = [path for g in land if (path := _path(g)) is not None]
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

    def _waypoints_to_name(self) -> list[Waypoint]:
        """Return the selected route's waypoints worth naming, most important first."""
        if self.selected is None:
            return []
        ranked = sorted(
            enumerate(self.selected.waypoints),
            key=lambda item: (_KIND_ORDER.index(item[1].kind), item[0]),
        )
        return [wp for _, wp in ranked[:MAX_WAYPOINT_LABELS]]


class _Labeller:
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
        candidates = _inside_points(shape)
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
            _plain(place.name),
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


def _line_points(ax: Axes, lines: list[np.ndarray], spacing: float) -> np.ndarray:
    """Return points every ``spacing`` pixels along the drawn lines, in display coordinates."""
    if not lines:
        return np.empty((0, 2))
    display = [ax.transData.transform(xy) for xy in lines if len(xy) >= 2]
    if not display:
        return np.empty((0, 2))
    dense = shapely.segmentize(np.array([LineString(xy) for xy in display]), spacing)
    return shapely.get_coordinates(dense)


def _path(geom: shapely.Geometry) -> Path | None:
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


def _inside_points(shape: shapely.Geometry) -> list[tuple[float, float]]:
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
