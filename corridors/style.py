"""How things look on every map, web and print: one description, translated by each.

Corridors carry their own Okabe-Ito colours (Okabe & Ito 2008, "Color Universal Design");
everything else stays in greys and pale neutrals so the corridors stand out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from corridors.model import LAND_MODES, Leg
from corridors.policy.timeline import is_projection, status_in_year

SEA = "#dde6ec"
LAND = "#f3f0e8"
BORDER = "#c2bcae"
#: The baselines' grey, as the route files give it: at least 10 CIEDE2000 from every corridor
#: colour under each colour-vision deficiency (tests/test_colourblind.py); lighter greys merge
#: with the green corridor for deuteranopes.
BASELINE_GREY = "#666666"
BYPASS_OUTLINE = "#1a1a1a"
#: Fill of the states the selected corridor crosses: a warm highlight rather than the
#: corridor's own colour, which for the blue corridors would read as water.
CROSSED_FILL = "#f2d58a"
CHOKEPOINT_FILL = "#1a1a1a"
#: A line the viewer is drawing, before the dashboard draws the analysed route over it.
SKETCH_COLOUR = "#444444"
#: Line-style and marker swatches in the legend: a neutral dark grey, not any route's colour.
LEGEND_INK = "#333333"

#: SVG dash patterns (pixels). Status wins over mode: a planned ferry is drawn dashed.
DASH_WATER = "1 7"
DASH_NOT_BUILT = "10 8"
DASH_CLOSED = "14 6 2 6"
NOT_BUILT = frozenset({"planned", "proposed", "under construction"})
CLOSED_OPACITY = 0.45
#: With a timeline year set: legs not yet open are ghosts, and legs drawn as open only because a
#: plan says so are paler than legs that really were open.
NOT_YET_OPEN_OPACITY = 0.18
PROJECTION_OPACITY = 0.55
#: What-if closures: the cut legs get thin black dashes over their own colour (readable on every
#: corridor colour and for every colour-vision deficiency), and a red dot marks where a route
#: enters what is closed.
CUT_COLOUR = "#1a1a1a"
DASH_CUT = "4 8"
CUT_FILL = "#d7191c"
#: Width (pixels) and opacity of the cut dashes, and the radius of the dot where a cut begins.
CUT_WIDTH = 2.0
CUT_OPACITY = 0.95
CUT_MARK_RADIUS = 6.0

#: What a line's look says, in the legend's words. Status wins over mode: a planned ferry is
#: drawn as planned.
LineKind = Literal["open", "water", "not built", "closed", "not yet open", "projection"]
LINE_LABELS: dict[LineKind, str] = {
    "open": "Rail or road, operational",
    "water": "Sea or ferry",
    "not built": "Planned or being built",
    "closed": "Closed",
    "not yet open": "Not yet open in the year shown",
    "projection": "Open only if the plan holds",
}
#: The print map's emphasis of the selected corridor's own section (where it runs through states
#: its baseline does not, such as TRIPP's Armenian section): a soft band of the corridor's colour
#: this many pixels wider than the line, under it.
FOCUS_EXTRA_WIDTH = 9.0
FOCUS_OPACITY = 0.3
#: Names of seas and straits, and of regions: the print map's, and the web map's through the
#: ``--corridor-sea-ink`` and ``--corridor-region-ink`` variables ``static/corridors.css`` reads.
SEA_INK = "#3d6a8a"
REGION_INK = "#5a4632"
#: Names of states: those the shown routes cross or go around, and the others, on both maps
#: (the web map's through ``--corridor-state-ink`` and ``--corridor-crossed-ink``).
STATE_INK = "#6f6858"
CROSSED_STATE_INK = "#3b3425"
#: Line widths in screen pixels at normal type size; print scales them with the page.
LAND_WIDTH = 4.0
WATER_WIDTH = 3.0
SELECTED_EXTRA_WIDTH = 2.0
OPEN_OPACITY = 1.0


@dataclass(frozen=True)
class LineLook:
    """How one leg is drawn, on screen and on paper.

    ``dash`` is an SVG dash pattern in screen pixels (None: solid); ``kind`` is the legend row
    the look belongs to.
    """

    colour: str
    width: float
    opacity: float
    dash: str | None
    kind: LineKind


def leg_look(leg: Leg, colour: str, *, selected: bool = False, year: int | None = None) -> LineLook:
    """Return how a leg looks: colour from its route, dash and opacity from mode and status.

    Operational land legs are solid, sea and ferry legs dotted; planned, proposed and
    under-construction legs dashed; closed legs dash-dotted and faded. With a ``year``, the leg's
    status in that year (:func:`corridors.policy.timeline.status_in_year`) decides instead: legs
    not yet open are ghosts, and legs open only in a plan's projection are paler.

    Examples
    --------
    >>> from corridors.model import Leg
    >>> ferry = Leg("f", "Ferry", "ferry", "operational", ((50.0, 40.0), (51.0, 40.0)))
    >>> leg_look(ferry, "#0072B2").dash, leg_look(ferry, "#0072B2").kind
    ('1 7', 'water')
    """
    status = leg.status if year is None else status_in_year(leg, year)
    water = leg.mode not in LAND_MODES
    kind: LineKind
    dash: str | None
    opacity = OPEN_OPACITY
    if status == "closed":
        kind, dash, opacity = "closed", DASH_CLOSED, CLOSED_OPACITY
    elif status in NOT_BUILT:
        kind, dash = "not built", DASH_NOT_BUILT
    elif status == "not yet open":
        kind, dash, opacity = "not yet open", DASH_WATER if water else None, NOT_YET_OPEN_OPACITY
    elif is_projection(leg, year):
        kind, dash, opacity = "projection", DASH_WATER if water else None, PROJECTION_OPACITY
    else:
        kind, dash = ("water", DASH_WATER) if water else ("open", None)
    width = (WATER_WIDTH if water else LAND_WIDTH) + (SELECTED_EXTRA_WIDTH if selected else 0)
    return LineLook(colour=colour, width=width, opacity=opacity, dash=dash, kind=kind)


def user_look(colour: str) -> LineLook:
    """Return how a drawn or uploaded route looks: solid in its colour.

    It has no status or history, so it is never drawn as planned, closed or not yet open.
    """
    return LineLook(colour=colour, width=LAND_WIDTH, opacity=OPEN_OPACITY, dash=None, kind="open")


def dash_lengths(dash: str | None) -> tuple[float, ...]:
    """Return an SVG dash pattern as numbers, for renderers that take them (matplotlib).

    Examples
    --------
    >>> dash_lengths("14 6 2 6")
    (14.0, 6.0, 2.0, 6.0)
    >>> dash_lengths(None)
    ()
    """
    return tuple(float(part) for part in (dash or "").split())


#: Markers and state fills, as the legend shows them.
WAYPOINT_FILL = "#ffffff"
#: Marker sizes in screen pixels: a station's radius and ring (in its route's colour), a
#: chokepoint's radius and white ring.
WAYPOINT_RADIUS = 4.0
WAYPOINT_RING = 2.0
CHOKEPOINT_RADIUS = 5.0
CHOKEPOINT_RING = 2.0
CHOKEPOINT_OPACITY = 0.9
#: The white casing under the selected corridor's lines: this many pixels wider than the line.
CASING_COLOUR = "#ffffff"
CASING_EXTRA_WIDTH = 3.0
CASING_OPACITY = 0.85
CROSSED_OPACITY = 0.75
BYPASS_DASH = "6 4"


#: The legend's sections, in the order they are shown.
LEGEND_SECTIONS = ("Routes", "Lines", "Points", "States")


@dataclass(frozen=True)
class LegendEntry:
    """One row of a legend: a swatch and its words, the same on screen and on paper.

    ``swatch`` says what to draw: a ``line`` in ``colour`` with ``dash`` and ``opacity``, a
    ``point`` filled with ``fill`` and ringed with ``colour``, or an ``area`` filled with ``fill``
    and outlined in ``colour`` with ``dash``.
    """

    section: Literal["Routes", "Lines", "Points", "States"]
    label: str
    swatch: Literal["line", "point", "area"]
    colour: str
    dash: str | None = None
    opacity: float = 1.0
    fill: str | None = None


def legend_entries(
    routes: Sequence[tuple[str, str]],
    looks: Iterable[LineLook],
    *,
    waypoints: bool = False,
    chokepoints: bool = False,
    cuts: bool = False,
    crossed: str | None = None,
    bypassed: str | None = None,
) -> list[LegendEntry]:
    """Return the legend of what is drawn, and of nothing else.

    Parameters
    ----------
    routes
        ``(label, colour)`` of each route drawn, in legend order; baselines share one entry.
    looks
        The looks of every leg drawn: each kind of line present gets one row.
    waypoints, chokepoints, cuts
        Whether stations, chokepoints, or what-if cuts are drawn.
    crossed, bypassed
        The words for the selected route's crossed and bypassed states, if they are shaded.

    Examples
    --------
    >>> rows = legend_entries([("BTK", "#E69F00")], [])
    >>> [(r.section, r.label) for r in rows]
    [('Routes', 'BTK')]
    """
    entries = [
        LegendEntry("Routes", label, "line", colour) for label, colour in dict(routes).items()
    ]
    present = {look.kind for look in looks}
    for kind, label in LINE_LABELS.items():
        if kind in present:
            dash = {"water": DASH_WATER, "not built": DASH_NOT_BUILT, "closed": DASH_CLOSED}.get(
                kind
            )
            opacity = {
                "closed": CLOSED_OPACITY,
                "not yet open": NOT_YET_OPEN_OPACITY,
                "projection": PROJECTION_OPACITY,
            }.get(kind, 1.0)
            entries.append(LegendEntry("Lines", label, "line", LEGEND_INK, dash, opacity))
    if cuts:
        entries.append(
            LegendEntry("Lines", "Cut by a what-if closure", "line", CUT_COLOUR, DASH_CUT)
        )
        entries.append(
            LegendEntry("Points", "Where a closure cuts a route", "point", "#ffffff", fill=CUT_FILL)
        )
    if waypoints:
        entries.append(
            LegendEntry(
                "Points", "Port, station or crossing", "point", LEGEND_INK, fill=WAYPOINT_FILL
            )
        )
    if chokepoints:
        entries.append(
            LegendEntry("Points", "Chokepoint", "point", "#ffffff", fill=CHOKEPOINT_FILL)
        )
    if crossed:
        entries.append(
            LegendEntry(
                "States", crossed, "area", LEGEND_INK, opacity=CROSSED_OPACITY, fill=CROSSED_FILL
            )
        )
    if bypassed:
        entries.append(
            LegendEntry("States", bypassed, "area", BYPASS_OUTLINE, BYPASS_DASH, fill=None)
        )
    return entries


#: The network what-if (corridors.network): a pair's detour is drawn yellow on a black casing, a
#: look no corridor, baseline or cut uses; its usual route is a thin dotted black line beside it.
#: A gauge break is a white dot in a black ring (chokepoints are black dots, cuts red ones).
DETOUR_COLOUR = "#F0E442"
DETOUR_CASING = "#1a1a1a"
DETOUR_WIDTH = 4.0
DETOUR_CASING_WIDTH = 8.0
USUAL_ROUTE_COLOUR = "#1a1a1a"
USUAL_ROUTE_WIDTH = 2.0
USUAL_ROUTE_DASH = "1 6"
GAUGE_BREAK_FILL = "#ffffff"
GAUGE_BREAK_RING = "#1a1a1a"


def network_legend(*, detours: bool, gauge_breaks: bool) -> list[LegendEntry]:
    """Return the legend rows of the network's layers that are drawn.

    Examples
    --------
    >>> [r.label for r in network_legend(detours=False, gauge_breaks=True)]
    ['Gauge break (change of track width)']
    """
    entries = []
    if detours:
        entries += [
            LegendEntry(
                "Lines", "Detour of a trip under the closures", "line", DETOUR_COLOUR, fill=None
            ),
            LegendEntry("Lines", "Its usual route", "line", USUAL_ROUTE_COLOUR, USUAL_ROUTE_DASH),
        ]
    if gauge_breaks:
        entries.append(
            LegendEntry(
                "Points",
                "Gauge break (change of track width)",
                "point",
                GAUGE_BREAK_RING,
                fill=GAUGE_BREAK_FILL,
            )
        )
    return entries
