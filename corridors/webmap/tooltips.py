"""Tooltips: HTML built from escaped parts only, and reading a clicked line back from one."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from corridors.figures import format_km, format_share, format_status, format_year
from corridors.geometry import leg_km
from corridors.model import Analysis, Chokepoint, Leg, Route, StateKm, Waypoint
from corridors.policy.timeline import YOUR_ROUTE, is_projection, status_in_year
from corridors.provenance import NO_SOURCE, Citation, coords_address, html_link, site, standing
from corridors.text import escape_html
from corridors.wording import short_name, with_article

#: Between the route name and the rest of a leg's tooltip; :func:`selection_from_event` relies
#: on it to tell which corridor a clicked line belongs to.
SEPARATOR = " \N{EM DASH} "

#: A hand-placed station's note is cut to its first clause, and to this many characters, in its
#: tooltip: a tooltip is read at a glance, and 40 characters of its 12 px type fit one line of a
#: 390 px phone's map (longer lines wrap, corridors.css). The whole note is in the data and the
#: GeoJSON.
POSITION_NOTE_CHARS = 40

#: How a state's km are measured, and on what (``StateIndex`` in :mod:`corridors.geometry`; the
#: borders' source note, :func:`corridors.provenance.borders_citation`, is linked after it).
MEASURED = "Measured, not quoted: geodesic km<br>on Natural Earth 1:10m borders"

# Tooltips: HTML built from escaped parts only.


def _when(leg: Leg) -> str:
    if leg.status == "closed" and leg.closed_year:
        return f", closed {format_year(leg.closed_year)}"
    if leg.year is None:
        return ""
    when = "opened" if leg.status == "operational" else "target"
    return f", {when} {format_year(leg.year)}"


def sources_line(cited: Sequence[Citation]) -> str:
    """Return a tooltip's line of sources: their grade, then a link to each site, new tab.

    Each link shows the site it leads to ("trend.az"), so the line stays short; a figure with
    nothing to follow says "no source".

    Examples
    --------
    >>> from corridors.provenance import Citation
    >>> print(sources_line([Citation("f", "claim", "T", "P", "https://www.trend.az/1")]))
    Sources (claim): <a href="https://www.trend.az/1" target="_blank" rel="noopener">trend.az</a>
    >>> sources_line([])
    'Sources: no source'
    """
    links = list(dict.fromkeys(html_link(site(c.url), c.url) for c in cited if c.url))
    if not links:
        return f"Sources: {NO_SOURCE}"
    return f"Sources ({escape_html(standing(cited))}): {', '.join(links)}"


@lru_cache(maxsize=4096)
def _dataset_leg_km(leg: Leg) -> float:
    """Return a curated leg's length, measured once: its tooltip is written on every run."""
    return leg_km(leg)


def leg_tooltip(
    route: Route,
    leg: Leg,
    year: int | None = None,
    notes: Sequence[str] = (),
    cited: Sequence[Citation] = (),
) -> str:
    """Return a leg's tooltip HTML; it starts with the route name and :data:`SEPARATOR`.

    The status carries the date it was confirmed, and a line links the sources it rests on
    (``cited``: :func:`corridors.provenance.citations` of the leg's facts), so a reader can
    check it. With a timeline ``year``, a last line says how the leg is drawn in that year;
    ``notes`` (overdue, disrupted: :func:`corridors.disruptions.leg_notes`) follow, one per
    line.
    """
    text = f"{leg_heading(route)}{escape_html(leg.name)}<br>"
    if route.user:  # a drawn or uploaded line has no status history: the viewer's route, always
        text += f"{escape_html(leg.mode)}, {YOUR_ROUTE}, {format_km(leg_km(leg))}"
    else:
        # The status and its date on a line of their own keep the tooltip narrow on a phone.
        text += (
            f"{escape_html(leg.mode)}, {format_km(_dataset_leg_km(leg))}{_when(leg)}<br>"
            f"{escape_html(format_status(leg.status, leg.as_of))}"
        )
        text += f"<br>{sources_line(cited)}"
    if year is not None and not route.user:
        projected = " (if the plan holds)" if is_projection(leg, year) else ""
        text += f"<br>In {format_year(year)}: {escape_html(status_in_year(leg, year))}{projected}"
    text += "".join(f"<br><i>{escape_html(note)}</i>" for note in notes)
    return text


def leg_heading(route: Route) -> str:
    """Return what each of a route's legs' tooltips starts with: its name, role and separator.

    The map sends it once for the route (:class:`corridors.webmap.elements.TooltipParts`).
    """
    role = " (baseline)" if route.role == "baseline" else ""
    return f"<b>{escape_html(route.name)}</b>{role}{SEPARATOR}"


def upload_tooltip(route: Route) -> str:
    """Return the tooltip of a drawn or uploaded route: its name, parts, mode and length."""
    parts = len(route.legs)
    km = sum(leg_km(leg) for leg in route.legs)
    lines = f", {parts:,} lines" if parts > 1 else ""
    return (
        f"<b>{escape_html(route.name)}</b>{SEPARATOR}{escape_html(route.legs[0].mode)}"
        f"{lines}, {format_km(km)}"
    )


def state_tooltip(route: Route, state: StateKm, borders: Sequence[Citation]) -> str:
    """Return the tooltip of a state the selected route crosses: its km and share of the route.

    The last lines say how the km were measured and link the borders they were measured on
    (``borders``: :func:`corridors.provenance.borders_citation`), so a reader
    quoting them can say so and check them. The route goes by its short name, as in the legend
    ("Crossed by the Middle Corridor").
    """
    canal = " (canal)" if state.via_canal else ""
    return (
        f"<b>{escape_html(state.name)}</b><br>{format_km(state.km)}, "
        f"{format_share(state.share)} of {escape_html(with_article(short_name(route.name)))}{canal}"
        f"<br>{MEASURED}<br>{sources_line(borders)}"
    )


def cut_tooltip(
    cuts: Sequence[tuple[Route, str, str]],
    cited: Mapping[str, Sequence[Citation]] | None = None,
) -> str:
    """Return the tooltip of a cut: each route, leg and what closed it there, then its sources.

    ``cited`` maps what was closed, by name, to the sources of what it is (a chokepoint's, a
    leg's: :func:`corridors.provenance.citations`), each linked on a line of its own as in its
    own tooltip; a closed state has none (its borders are not why it closed). A click or Enter
    opens the text in a popup, where the links can be followed.
    """
    lines = [
        f"{escape_html(route.name)}: {escape_html(leg_name)}, {escape_html(closed_name)} closed"
        for route, leg_name, closed_name in cuts
    ]
    cited = cited or {}
    sources = [
        f"{escape_html(name)}: {sources_line(cited[name])}"
        for name in dict.fromkeys(closed_name for _, _, closed_name in cuts)
        if name in cited
    ]
    return "<b>Cut by a closure</b><br>" + "<br>".join([*dict.fromkeys(lines), *sources])


def waypoint_tooltip(
    route: Route, wp: Waypoint, state_names: Mapping[str, str], cited: Sequence[Citation] = ()
) -> str:
    """Return a waypoint's tooltip: its name, kind, state and route, its sources and position.

    Like a leg's, it links the sources it rests on (``cited``: :func:`corridors.provenance.
    citations` of the waypoint's facts), so a click or Enter opens them in a popup; then where
    its position comes from (:func:`position_line`). The route goes by its short name, as in
    the legend: its full name would be the widest line on a phone.
    """
    state = state_names.get(wp.iso3, wp.iso3)
    return _waypoint_tooltip(short_name(route.name), wp, state, tuple(cited))


@lru_cache(maxsize=4096)
def _waypoint_tooltip(route: str, wp: Waypoint, state: str, cited: tuple[Citation, ...]) -> str:
    """Return a waypoint's tooltip, written once: the map's 200 stations are drawn every run."""
    return (
        f"<b>{escape_html(wp.name)}</b><br>{escape_html(wp.kind)}, {escape_html(state)}"
        f"<br>{escape_html(route)}<br>{sources_line(cited)}<br>{position_line(wp)}"
    )


def position_line(wp: Waypoint) -> str:
    """Return where a waypoint's position comes from, and how far off it may be.

    A gazetteer's page is linked as a source is, by its site's name; a station placed by hand
    says how, in its note's first clause (:data:`POSITION_NOTE_CHARS`), on a line of its own.

    Examples
    --------
    >>> from corridors.model import Waypoint
    >>> read = Waypoint("b", "Baku", "city", "AZE", 49.9, 40.4, coords_source="https://a.org/1 (a)")
    >>> position_line(read)
    'Position: <a href="https://a.org/1" target="_blank" rel="noopener">a.org</a>'
    >>> hand = "placed by hand on the drawn line; no published point found (searched 2026)"
    >>> print(position_line(Waypoint("k", "Kesik", "station", "AZE", 45, 41, coords_source=hand,
    ...                              coords_precision_km=5.0)))
    Position within 5 km:<br>Placed by hand on the drawn line
    """
    off = wp.coords_precision_km
    within = "" if off is None else f" within {format_km(off)}"
    address = coords_address(wp)
    if address:
        return f"Position{within}: {html_link(site(address) or address, address)}"
    return f"Position{within}:<br>{escape_html(_short_note(wp.coords_source))}"


def _short_note(note: str) -> str:
    """Return a note's first clause (up to a semicolon), cut at a word to fit a tooltip's line."""
    clause = note.split(";", 1)[0].strip() or note.strip()
    clause = clause[:1].upper() + clause[1:]
    if len(clause) <= POSITION_NOTE_CHARS:
        return clause
    cut = clause[:POSITION_NOTE_CHARS]  # a word that ends just before the limit is kept
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,:") + "\N{HORIZONTAL ELLIPSIS}"


def chokepoint_tooltip(
    cp: Chokepoint,
    selected: Route | None,
    analysis: Analysis | None,
    cited: Sequence[Citation] = (),
) -> str:
    """Return a chokepoint's tooltip with its note's sources linked.

    With a selected route, a last line says whether it passes or avoids the chokepoint.
    """
    lines = [
        f"<b>{escape_html(cp.name)}</b> ({escape_html(cp.kind)})",
        escape_html(cp.note),
        sources_line(cited),
    ]
    if selected is not None and analysis is not None:
        if cp.id in analysis.chokepoints:
            lines.append(f"Passed by {escape_html(with_article(selected.name))}")
        elif cp.id in analysis.chokepoints_avoided:
            lines.append(f"Avoided by {escape_html(with_article(selected.name))}")
    return "<br>".join(lines)


def selection_from_event(event: Mapping[str, Any] | None, corridors: Iterable[Route]) -> str | None:
    """Return the id of the corridor whose line was clicked, from a streamlit-folium event.

    streamlit-folium reports the clicked object's tooltip as plain text; a leg's tooltip starts
    with its corridor's name and :data:`SEPARATOR` (see :func:`leg_tooltip`). Anything else (a
    baseline, a waypoint, a state, an empty event, a value that is not an event) selects nothing.
    """
    if not isinstance(event, Mapping):  # a crafted component value can be anything
        return None
    text = event.get("last_object_clicked_tooltip")
    if not isinstance(text, str):
        return None
    text = text.strip()
    for route in sorted(corridors, key=lambda r: len(r.name), reverse=True):
        if text == route.name or text.startswith(route.name + SEPARATOR):
            return route.id
    return None
