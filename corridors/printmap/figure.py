"""The snapshot figure: what one view shows, laid out on a page and drawn layer by layer.

Used by :mod:`corridors.printmap.snapshot`, which validates the arguments and writes the file.
The page (:mod:`~corridors.printmap.page`), the layers (:mod:`~corridors.printmap.layers`), the
legend (:mod:`~corridors.printmap.legend`), the scale bar and inset
(:mod:`~corridors.printmap.furniture`) and the names (:mod:`~corridors.printmap.labels`) each
draw from the :class:`SnapshotFigure` they are given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from functools import cached_property

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from shapely.geometry import LineString

from corridors.data import Dataset
from corridors.geometry import chokepoints_passed
from corridors.model import Analysis, Chokepoint, Leg, Route
from corridors.places import Place
from corridors.policy.closures import ClosureResult
from corridors.policy.describe import map_note
from corridors.policy.timeline import timeline_disruptions
from corridors.printmap.cartography import BBox, LabelPlacer, View, extent_aspect, fit_view
from corridors.printmap.detail import Detail
from corridors.printmap.furniture import ScaleBar, draw_locator, frame_map
from corridors.printmap.labels import draw_labels
from corridors.printmap.layers import draw_routes, draw_states
from corridors.printmap.legend import draw_legend
from corridors.printmap.page import MUTED, Sheet
from corridors.provenance import attribution

#: Legs are densified to this many degrees before projecting, so they bend as the conic does.
_DENSIFY_DEG = 0.25


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
        #: The page's sizes and the renderer that measures text on it.
        self.sheet = Sheet(fig)
        self.page = self.sheet.page
        self.renderer = self.sheet.renderer
        #: The detail inset drawn (set when the names are), if any: crowded states named larger.
        self.detail: Detail | None = None
        self._projected: tuple[View, dict[tuple[str, str], LineString]] | None = None

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
    def focus_lines(self) -> list[tuple[Leg, list[LineString]]]:
        """The selected route's legs and their parts in its :attr:`focus` states (lon/lat).

        Found once for the map and its detail inset, which both band them.
        """
        if self.selected is None or not self.focus:
            return []
        shapes = self.states.set_index("iso3").geometry
        area = shapely.union_all([shapes[i] for i in self.focus if i in shapes.index])
        shapely.prepare(area)
        found = []
        for leg in self.selected.legs:
            inside = shapely.intersection(self.lines[(self.selected.id, leg.id)], area)
            parts = [
                part
                for part in shapely.get_parts(inside)
                if part.geom_type == "LineString" and not part.is_empty
            ]
            found.append((leg, parts))
        return found

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

    def draw(self, extent: BBox, title: str, subtitle: str, date: str) -> None:
        """Lay out the page (header, map with legend, footer) and draw everything.

        The legend names what the drawn frame shows, and the frame is the extent widened to the
        map's shape, which depends on the legend's size: the two are fitted until they agree.
        """
        p = self.page
        text_width = p.width - 2 * p.margin
        top = self.sheet.header(title, subtitle, self.caption(date), text_width) - 0.15 * p.unit
        credit = attribution(self.dataset, [r.id for r in self.routes])
        bottom = self.sheet.footer(credit, extent, date, text_width)
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
        frame_map(ax, view.xlim, view.ylim, edge=MUTED, width=0.6 * self.page.unit)
        shapes = draw_states(self, ax, view)
        lines = draw_routes(self, ax, view)
        placer = LabelPlacer(ax.get_window_extent(self.renderer), pad=p.px(1.5 * p.unit))
        bar = ScaleBar(self, ax, view)
        placer.block(bar.box)
        draw_locator(self, ax, view, lines, placer)
        self.detail = draw_labels(
            self, ax, view, shapes=shapes, lines=lines, placer=placer, bar=bar
        )

    def _shown_in(self, view: View) -> frozenset[tuple[str, str]]:
        """Return the legs whose line crosses the map rectangle of ``view``."""
        projected = self.projected(view)
        frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
        inside = shapely.intersects(np.array(list(projected.values())), frame)
        return frozenset(k for k, hit in zip(projected, inside, strict=True) if hit)

    def projected(self, view: View) -> dict[tuple[str, str], LineString]:
        """Return every leg's line (:attr:`lines`) in the map metres of ``view``.

        Projected at once, and kept for the last view asked: the frame fitted to the legend
        asks which legs it shows, then the map draws them.
        """
        if self._projected is None or self._projected[0] != view:
            lines = view.project(np.array(list(self.lines.values()), dtype=object))
            self._projected = (view, dict(zip(self.lines, lines, strict=True)))
        return self._projected[1]

    def _map_and_legend(
        self, extent: BBox, top: float, bottom: float, text_width: float
    ) -> tuple[Axes, Legend]:
        """Place the legend beside or below the map, whichever lets the map be drawn larger."""
        p = self.page
        aspect = extent_aspect(extent)
        options = []
        for side in (True, False):
            legend, legend_w, legend_h = draw_legend(self, side, text_width)
            if side:
                frame = (p.margin, bottom, text_width - legend_w - p.margin, top - bottom)
                anchor = (p.width - p.margin - legend_w, top)
            else:
                height = top - bottom - legend_h - p.margin / 2
                frame = (p.margin, bottom + legend_h + p.margin / 2, text_width, height)
                anchor = (p.margin, bottom + legend_h)
            legend.set_bbox_to_anchor(anchor, self.fig.dpi_scale_trans)
            # A legend taller than the room beside the map (or wider than the page below it)
            # would run into the credits: that side is no option, however large its map.
            fits = legend_h <= top - bottom if side else legend_w <= text_width
            scale = min(frame[2] / aspect, frame[3]) if fits and min(frame[2:]) > 0 else 0.0
            options.append((scale, frame[2] * frame[3], side, legend, frame))
        # The largest map, then the roomiest (more room for names and the detail inset).
        *_, legend, frame = max(options, key=lambda o: o[:3])
        for other in options:
            if other[3] is not legend:
                other[3].remove()
        rect = (frame[0] / p.width, frame[1] / p.height, frame[2] / p.width, frame[3] / p.height)
        return self.fig.add_axes(rect), legend
