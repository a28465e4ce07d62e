"""Where exported maps and tables come from: the credits every export carries.

A snapshot on a slide, a CSV in a spreadsheet or a GeoJSON in a GIS loses the dashboard around it,
so each export states its own sources and licences (Natural Earth for the boundaries, our source
notes for the routes) and the date it was made.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from corridors.data import Dataset, cited_ids
from corridors.figures import format_date
from corridors.model import Source, Waypoint

BOUNDARIES_CREDIT = "Boundaries: Natural Earth 1:10m (public domain), via world-atlas (ISC licence)"
#: The route files and source notes are part of the project and share its licence (pyproject.toml).
DATA_LICENCE = "MIT"
PROJECT = "corridors: Eurasian trade-corridor map"


def cited_sources(dataset: Dataset, route_ids: Iterable[str]) -> list[Source]:
    """Return the sources the given routes cite, in id order.

    Unknown fact ids are skipped: the data tests already fail on them, and an export should not.
    """
    fact_ids: set[str] = set()
    for route_id in route_ids:
        fact_ids |= set(cited_ids(dataset.routes[route_id]))
    found = {
        dataset.fact_source[f].id: dataset.fact_source[f]
        for f in fact_ids
        if f in dataset.fact_source
    }
    return [found[key] for key in sorted(found)]


def source_urls(dataset: Dataset, fact_ids: Iterable[str]) -> list[str]:
    """Return the addresses of the source notes the given facts come from, once each, in order.

    A leg cites facts by id; a reader follows the note's address. Unknown fact ids are skipped
    (the data tests fail on them), and only web addresses are given: nothing else is clickable.
    """
    urls = (dataset.fact_source[f].url for f in fact_ids if f in dataset.fact_source)
    return list(dict.fromkeys(u for u in urls if u.startswith(("https://", "http://"))))


def coords_note(dataset: Dataset, waypoint: Waypoint) -> Source | None:
    """Return the source note that a waypoint's coordinates were checked against, if any.

    A waypoint is checked when its ``coords_source`` opens with the address of a dated source note,
    or of a page under it (a gazetteer's page for one place, under the gazetteer's note). One drawn
    by hand, or citing an address no note covers, was not checked against a published point.
    """
    address = waypoint.coords_source.split(" ", 1)[0]
    if not address.startswith(("https://", "http://")):
        return None
    covering = [s for s in dataset.sources.values() if address.startswith(s.url)]
    return max(covering, key=lambda s: len(s.url), default=None)


def unchecked_waypoints(dataset: Dataset) -> list[tuple[str, Waypoint]]:
    """Return (route id, waypoint) for each waypoint not checked against a published point."""
    return [
        (route.id, wp)
        for route in dataset.routes.values()
        for wp in route.waypoints
        if coords_note(dataset, wp) is None
    ]


def source_label(source: Source) -> str:
    """Return a short credit for a source: its publisher, else its author, else its title."""
    return source.publisher or source.author or source.title


def attribution(dataset: Dataset, route_ids: Iterable[str]) -> str:
    """Return the one-paragraph credit printed in a snapshot's footer."""
    labels = sorted(
        {source_label(s) for s in cited_sources(dataset, route_ids)} - {"corridors project"}
    )
    credit = f"{BOUNDARIES_CREDIT}. Routes: corridors project ({DATA_LICENCE} licence)"
    as_of = f" Data as of {format_date(dataset.as_of)}." if dataset.as_of else ""
    return (f"{credit}; sources: {', '.join(labels)}." if labels else f"{credit}.") + as_of


def provenance(dataset: Dataset, route_ids: Iterable[str], date: dt.date | str) -> dict[str, Any]:
    """Return the provenance record embedded in data exports (JSON-ready)."""
    ids = list(route_ids)
    return {
        "generator": PROJECT,
        "generated": str(date),
        "data_as_of": dataset.as_of,
        "licence": DATA_LICENCE,
        "boundaries": BOUNDARIES_CREDIT,
        "routes": ids,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "author": s.author,
                "publisher": s.publisher,
                "date": s.date,
                "url": s.url,
                "checked": s.checked,
                "kind": s.kind,
            }
            for s in cited_sources(dataset, ids)
        ],
    }
