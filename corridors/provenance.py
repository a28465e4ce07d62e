"""Where exported maps and tables come from: the credits every export carries.

A snapshot on a slide, a CSV in a spreadsheet or a GeoJSON in a GIS loses the dashboard around it,
so each export states its own sources and licences (Natural Earth for the boundaries, our source
notes for the routes) and the date it was made.
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from corridors.data import Dataset, cited_ids
from corridors.figures import format_date
from corridors.model import Source, Waypoint
from corridors.text import escape_html, escape_markdown

BOUNDARIES_CREDIT = "Boundaries: Natural Earth 1:10m (public domain), via world-atlas (ISC licence)"
#: The fact every measured figure (a state's km, share, skirt distance) rests on: the borders it is
#: measured on, with their release and address (``seeds/worldatlas-2019-countries.toml``).
BOUNDARIES_FACT = "boundaries-natural-earth"
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


#: What every surface shows where a figure has no source a reader can follow: never a fake link.
NO_SOURCE = "no source"
#: Characters a source address keeps as they are in a Markdown link (RFC 3986 delimiters and %).
_URL_SAFE = ":/?#@!$&'*+,;=%~-._"


#: A source link is shown as the site it leads to: the host, without "www." ("trend.az").
SITE_PATTERN = r"https?://(?:www\.)?([^/?#]+)"


def site(url: str) -> str:
    """Return the site a web address leads to, as a link to it is shown.

    Examples
    --------
    >>> site("https://www.trend.az/business/123"), site("javascript:alert(1)")
    ('trend.az', '')
    """
    match = re.match(SITE_PATTERN, web_url(url))
    return match[1] if match else ""


def web_url(url: str) -> str:
    """Return ``url`` if it is a web address, else ``""``.

    A javascript: or data: URL in a source note must never become clickable.

    Examples
    --------
    >>> web_url("https://example.org/a"), web_url("javascript:alert(1)")
    ('https://example.org/a', '')
    """
    return url if url.startswith(("https://", "http://")) else ""


@dataclass(frozen=True)
class Citation:
    """A fact a figure cites, as a reader checks it: its grade and where to read it.

    ``standing`` is the fact's grade (verified, claim, disputed); ``url`` is the source note's
    web address, or ``""`` where there is none to follow (then the figure says :data:`NO_SOURCE`).
    """

    fact_id: str
    standing: str
    title: str
    publisher: str
    url: str

    @property
    def label(self) -> str:
        """The source's title; said plainly where it cannot be followed.

        Examples
        --------
        >>> Citation("f", "claim", "BTK opens", "Trend", "").label
        'BTK opens (no source link)'
        >>> Citation("f", "no source", "", "", "").label
        'no source'
        """
        if self.url:
            return self.title
        return f"{self.title} ({NO_SOURCE} link)" if self.title else NO_SOURCE


def citations(dataset: Dataset, fact_ids: Iterable[str]) -> tuple[Citation, ...]:
    """Return what each cited fact rests on, in the order cited, once each.

    An unknown fact id (the data tests fail on one; an export should not) is cited with no
    grade and no address, so it reads :data:`NO_SOURCE` rather than vanishing.
    """
    found = []
    for fact_id in dict.fromkeys(fact_ids):
        fact, source = dataset.facts.get(fact_id), dataset.fact_source.get(fact_id)
        if fact is None or source is None:
            found.append(Citation(fact_id, NO_SOURCE, "", "", ""))
        else:
            found.append(
                Citation(fact_id, fact.status, source.title, source.publisher, web_url(source.url))
            )
    return tuple(found)


def borders_citation(dataset: Dataset) -> Citation:
    """Return what every measured figure rests on: the borders (:data:`BOUNDARIES_FACT`).

    Data with no note on them cites them with no address, so they read :data:`NO_SOURCE`.
    """
    (cited,) = citations(dataset, [BOUNDARIES_FACT])
    return cited


def source_urls(dataset: Dataset, fact_ids: Iterable[str]) -> list[str]:
    """Return the addresses of the source notes the given facts come from, once each, in order.

    A leg cites facts by id; a reader follows the note's address. Only web addresses are given:
    nothing else is clickable.
    """
    return list(dict.fromkeys(c.url for c in citations(dataset, fact_ids) if c.url))


def standing(cited: Iterable[Citation]) -> str:
    """Return the grades of what a figure cites, once each: ``"verified"``, ``"verified, claim"``.

    A figure citing nothing a reader can check is graded :data:`NO_SOURCE`.
    """
    grades = list(dict.fromkeys(c.standing for c in cited if c.url))
    return ", ".join(grades) or NO_SOURCE


def markdown_link(title: str, url: str) -> str:
    r"""Return Markdown for a source: its escaped title, linked where it has a web address.

    Without one the title is followed by "(no source link)", so no one takes it for a link;
    with no title either, it is :data:`NO_SOURCE`.

    Examples
    --------
    >>> print(markdown_link("BTK (2017)", "https://example.org/a b"))
    [BTK \(2017\)](https://example.org/a%20b)
    >>> markdown_link("Notes", "")
    'Notes (no source link)'
    """
    text = escape_markdown(title)
    if not web_url(url):
        return f"{text} ({NO_SOURCE} link)" if title else NO_SOURCE
    # Percent-encode whatever could end the link or start markup: brackets, parentheses, angle
    # brackets, quotes, spaces, backslashes; an address already encoded keeps its escapes.
    return f"[{text}]({urllib.parse.quote(url, safe=_URL_SAFE)})"


def html_link(text: str, url: str) -> str:
    """Return an HTML link to a source opening in a new tab, both parts escaped; or plain text.

    Examples
    --------
    >>> print(html_link("Trend <news>", "https://example.org/?a=1&b=2"))
    <a href="https://example.org/?a=1&amp;b=2" target="_blank" rel="noopener">Trend &lt;news&gt;</a>
    >>> html_link("Notes", "javascript:alert(1)")
    'Notes (no source link)'
    """
    if not web_url(url):
        return f"{escape_html(text)} ({NO_SOURCE} link)" if text else NO_SOURCE
    return f'<a href="{escape_html(url)}" target="_blank" rel="noopener">{escape_html(text)}</a>'


def coords_address(waypoint: Waypoint) -> str:
    """Return the web address a waypoint's coordinates were read from, or ``""``.

    ``coords_source`` opens with that address and goes on to say what was read there; one
    placed by hand opens with how it was placed instead, and has none.

    Examples
    --------
    >>> from corridors.model import Waypoint
    >>> read = "https://www.geonames.org/587084 (GeoNames point 40.4 N)"
    >>> coords_address(Waypoint("b", "Baku", "city", "AZE", 49.9, 40.4, coords_source=read))
    'https://www.geonames.org/587084'
    >>> coords_address(Waypoint("k", "Kesik", "station", "AZE", 45, 41, coords_source="by hand"))
    ''
    """
    return web_url(waypoint.coords_source.split(" ", 1)[0])


def coords_note(dataset: Dataset, waypoint: Waypoint) -> Source | None:
    """Return the source note that a waypoint's coordinates were checked against, if any.

    A waypoint is checked when its ``coords_source`` opens with the address of a dated source note,
    or of a page under it (a gazetteer's page for one place, under the gazetteer's note). One drawn
    by hand, or citing an address no note covers, was not checked against a published point.
    """
    address = coords_address(waypoint)
    if not address:
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
    """Return the one-paragraph credit printed in a snapshot's footer.

    The data's "as of" date comes first: a footer too long for its lines is cut at its end,
    and with every corridor shown the outlets fill it, so a date written last was the part
    cut. Sources are separated by "; " because a publisher's label may itself hold a comma
    ("1news.az, citing Armenpress"); with ", " a reader could not tell where one ends.
    """
    labels = sorted(
        {source_label(s) for s in cited_sources(dataset, route_ids)} - {"corridors project"}
    )
    credit = f"{BOUNDARIES_CREDIT}. Routes: corridors project ({DATA_LICENCE} licence)"
    as_of = f"Data as of {format_date(dataset.as_of)}. " if dataset.as_of else ""
    return as_of + (f"{credit}. Sources: {'; '.join(labels)}." if labels else f"{credit}.")


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
