"""The print map's legend: the rows of :func:`corridors.style.legend_entries` as drawn.

It names what the drawn frame shows and nothing else, and stands beside or below the map.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import numpy as np
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


def _handles(snap: SnapshotFigure) -> list[tuple[Any, str]]:
    """Return the legend of what is drawn, handles and unwrapped labels: ``legend_entries``."""
    u = snap.page.unit

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
        label = entry.label
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
        pairs.insert(at, (focus, focus_text(snap)))
    return pairs


#: Longest a legend's label may wrap to; past it, it is cut short.
MAX_LABEL_LINES = 4
#: Columns of a legend below the map.
BELOW_COLUMNS = 2
#: The legend's handle and the gap after it, and the gap between columns, in its type's ems.
_HANDLE_EMS = 2.6 + 0.8
_COLUMN_EMS = 1.5


def column_widths(widths: list[float], columns: int, room: float) -> list[float]:
    """Return each column's width for labels ``widths`` wide (one line each) in ``room``.

    The labels fill the columns in order, as matplotlib's legend fills them (the first columns
    one longer where they do not divide evenly). A column of short labels keeps its width, and
    the others share what is left alike, so that no column is wrapped more than it must be:
    the legend is as short as its longest column.

    Examples
    --------
    >>> column_widths([3.0, 1.0, 1.0, 1.0, 4.0, 2.0], 3, 6.0)
    [2.5, 1.0, 2.5]
    """
    parts = np.array_split(np.asarray(widths, dtype=float), columns)
    natural = [float(part.max()) for part in parts if len(part)]
    left, count = room, len(natural)
    cap = left / count
    for width in sorted(natural):
        if width > cap:
            break
        # This column keeps its natural width; the wider ones share the rest.
        left, count = left - width, count - 1
        cap = left / count if count else math.inf
    return [min(w, cap) for w in natural]


def draw_legend(snap: SnapshotFigure, side: bool, text_width: float) -> tuple[Legend, float, float]:
    """Build the legend in one column beside the map or in columns below it.

    Return it with its size in inches. It is set in the page's small type: in the labels' own,
    the square's legend below its map took more of the page's height than the map.
    """
    p = snap.page
    size = p.small
    em = size / 72
    pairs = _handles(snap)
    labels = [label for _, label in pairs]
    # The selected route's name is set in bold, and wraps as such.
    bold = display_name(snap.selected.name) if snap.selected is not None else None
    weights = ["bold" if label == bold else "normal" for label in labels]
    columns = 1 if side else BELOW_COLUMNS
    if side:
        widths = [max(0.22 * p.width, 2.6 * p.unit) - 0.45 * p.unit] * len(labels)
    else:
        room = text_width - columns * _HANDLE_EMS * em - (columns - 1) * _COLUMN_EMS * em
        natural = [
            snap.sheet.line_width(label, size, weight=weight)
            for label, weight in zip(labels, weights, strict=True)
        ]
        fitted = column_widths(natural, columns, room)
        parts = np.array_split(np.arange(len(labels)), columns)
        widths = [fitted[i] for i, part in enumerate(parts) for _ in part]
    rows = list(zip(labels, widths, weights, strict=True))
    legend = snap.fig.legend(
        handles=[handle for handle, _ in pairs],
        labels=[
            plain("\n".join(snap.sheet.fit_lines(label, width, size, MAX_LABEL_LINES, weight=w)))
            for label, width, w in rows
        ],
        loc="upper left",
        ncols=columns,
        fontsize=size,
        frameon=False,
        borderpad=0.0,
        borderaxespad=0.0,
        handlelength=2.6,
        handleheight=1.0,
        labelspacing=0.55,
        columnspacing=_COLUMN_EMS,
        bbox_transform=snap.fig.dpi_scale_trans,
        bbox_to_anchor=(0, p.height),
    )
    for text, weight in zip(legend.get_texts(), weights, strict=True):
        text.set_fontweight(weight)
    box = legend.get_window_extent(snap.renderer)
    return legend, box.width / snap.fig.dpi, box.height / snap.fig.dpi
