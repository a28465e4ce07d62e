"""A click on a leg, station or chokepoint opens its tooltip's text in a popup (``sourcePopups`` in
``static/corridors.js``), where its links can be clicked. The popup shows that text as HTML,
so it must come escaped: a source's address can hold quotes and markup, and must stay one
link's address, never become an attribute or an element of its own.
"""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import geopandas as gpd
import pytest

from corridors import webmap
from corridors.data import Dataset
from corridors.provenance import citations
from corridors.webmap.tooltips import chokepoint_tooltip, leg_tooltip, waypoint_tooltip

#: An address that would close the href and add an element if it were not escaped.
HOSTILE_URL = 'https://example.org/a?b="><img src=x onerror=alert(1)>&c=<script>1</script>'


class _Elements(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.tags


@pytest.fixture(scope="module")
def hostile(dashboard_dataset: Dataset) -> Dataset:
    """The dashboard fixture with every source note at :data:`HOSTILE_URL`."""
    sources = {
        key: note.model_copy(update={"url": HOSTILE_URL, "publisher": "<b>P</b>, Q"})
        for key, note in dashboard_dataset.sources.items()
    }
    return dataclasses.replace(dashboard_dataset, sources=sources)


def _assert_one_safe_link(html: str) -> None:
    tags = _elements(html)
    assert {tag for tag, _ in tags} <= {"b", "br", "a", "i", "span", "div"}, tags
    links = [attrs for tag, attrs in tags if tag == "a"]
    assert links
    for attrs in links:
        assert attrs == {"href": HOSTILE_URL, "target": "_blank", "rel": "noopener"}
    assert "<img" not in html
    assert "<script" not in html


def test_a_legs_popup_text_is_escaped(hostile: Dataset) -> None:
    for route in hostile.routes.values():
        for leg in route.legs:
            _assert_one_safe_link(leg_tooltip(route, leg, cited=citations(hostile, leg.sources)))


def test_a_stations_popup_text_is_escaped(hostile: Dataset) -> None:
    """Its sources and the gazetteer its position was read from are each one safe link: the
    gazetteer's address is the first word of ``coords_source``, so it holds no space."""
    gazetteer = HOSTILE_URL.replace(" ", "/")
    for route in hostile.corridors:
        for wp in route.waypoints:
            read = dataclasses.replace(wp, coords_source=f"{gazetteer} (a gazetteer's point)")
            tooltip = waypoint_tooltip(route, read, {}, citations(hostile, wp.sources))
            tags = _elements(tooltip)
            assert {tag for tag, _ in tags} <= {"b", "br", "a"}, tags
            assert [attrs for tag, attrs in tags if tag == "a"] == [
                {"href": url, "target": "_blank", "rel": "noopener"}
                for url in (HOSTILE_URL, gazetteer)
            ]
            assert "<img" not in tooltip
            assert "<script" not in tooltip


def test_a_chokepoints_popup_text_is_escaped(hostile: Dataset) -> None:
    for cp in hostile.chokepoints:
        _assert_one_safe_link(chokepoint_tooltip(cp, None, None, citations(hostile, cp.sources)))


def test_every_map_opens_source_popups(
    dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    """The base map wires clicks to popups, once: the app's map and the standalone page."""
    base = webmap.build_base_map(dashboard_dataset, webmap.display_states(world_states))
    page = base.get_root().render()
    assert page.count("corridors.sourcePopups(") == 1
