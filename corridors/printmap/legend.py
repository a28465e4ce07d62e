"""The print map's legend: the rows of :func:`corridors.style.legend_entries` as drawn.

It names what the drawn frame shows and nothing else, and stands beside or below the map.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from corridors.printmap.layers import BYPASSED_FILL, PX_TO_PT, dashes, transit_edge
from corridors.printmap.page import plain
from corridors.style import (
    BASELINE_GREY,
    FOCUS_EXTRA_WIDTH,
    FOCUS_OPACITY,
    LAND_WIDTH,
    leg_look,
    legend_entries,
)
from corridors.wording import display_name, join_names

if TYPE_CHECKING:
    from corridors.printmap.figure import SnapshotFigure


def focus_text(snap: SnapshotFigure) -> str:
    """Return the legend's words for the focal band."""
    names = dict(zip(snap.states["iso3"], snap.states["name"], strict=True))
    where = join_names([names.get(i, i) for i in snap.focus])
    return f"Its own section, through {where}, where its baseline does not run"


def _handles(snap: SnapshotFigure, width_in: float) -> list[tuple[Any, str]]:
    """Return the legend of what is drawn, handles and labels: from ``legend_entries``."""
    u = snap.page.unit

    def wrap(text: str) -> str:
        return plain("\n".join(snap.sheet.fit_lines(text, width_in, snap.page.label, 4)))

    in_frame = [r for r in snap.routes if any((r.id, leg.id) in snap.shown for leg in r.legs)]
    corridors = [r for r in in_frame if r.role == "corridor"]
    routes = [(display_name(r.name), r.colour) for r in corridors]
    if len(corridors) < len(in_frame):
        routes.append(("Baseline (existing route)", BASELINE_GREY))
    transit, bypassed = snap.highlighted
    crossed_text = bypassed_text = None
    if snap.selected is not None and transit:
        crossed_text = f"State crossed by the {display_name(snap.selected.name)}"
    if snap.selected is not None and bypassed and snap.analysis is not None:
        base = snap.dataset.routes.get(snap.analysis.baseline or "")
        bypassed_text = "State bypassed"
        if base is not None:
            bypassed_text += f": crossed by the {display_name(base.name)} instead"
    entries = legend_entries(
        routes,
        [
            leg_look(leg, "", year=snap.year)
            for r in in_frame
            for leg in r.legs
            if (r.id, leg.id) in snap.shown
        ],
        waypoints=any(r.waypoints for r in corridors),
        chokepoints=bool(snap.dataset.chokepoints),
        cuts=bool(snap.cut_legs & snap.shown),
        crossed=crossed_text,
        bypassed=bypassed_text,
    )
    handles: list[Any] = []
    lw = LAND_WIDTH * PX_TO_PT * u
    for entry in entries:
        style = dashes(snap.page, entry.dash, lw)
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
            handles.append(Patch(facecolor=entry.fill, edgecolor=transit_edge(snap), label=label))
    pairs: list[tuple[Any, str]] = [(h, h.get_label()) for h in handles]
    if snap.selected is not None and snap.focus:
        colour = snap.selected.colour
        band = lw + FOCUS_EXTRA_WIDTH * PX_TO_PT * u
        focus = (
            Line2D([], [], color=colour, lw=band, alpha=FOCUS_OPACITY, solid_capstyle="butt"),
            Line2D([], [], color=colour, lw=lw),
        )
        at = next((i for i, h in enumerate(handles) if isinstance(h, Patch)), len(handles))
        pairs.insert(at, (focus, wrap(focus_text(snap))))
    return pairs


def draw_legend(snap: SnapshotFigure, side: bool, text_width: float) -> tuple[Legend, float, float]:
    """Build the legend for beside or below the map; return it with its size in inches."""
    p = snap.page
    columns = 1 if side else 2
    column_in = max(0.22 * p.width, 2.6 * p.unit) if side else text_width / 2 - 0.6 * p.unit
    pairs = _handles(snap, column_in - 0.45 * p.unit)
    legend = snap.fig.legend(
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
        bbox_transform=snap.fig.dpi_scale_trans,
        bbox_to_anchor=(0, p.height),
    )
    if snap.selected is not None:
        name = plain(display_name(snap.selected.name))
        for text in legend.get_texts():
            if text.get_text().replace("\n", " ") == name:
                text.set_fontweight("bold")
    box = legend.get_window_extent(snap.renderer)
    return legend, box.width / snap.fig.dpi, box.height / snap.fig.dpi
