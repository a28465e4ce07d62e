"""A station's and a state's tooltip say where their figures come from.

A station cites its facts' sources and where its position was read (a gazetteer's page,
linked) or how it was placed by hand, and how far off it may be; a state's km say how they
were measured. Lines stay short (a tooltip is read at a glance) and every part is escaped.
"""

from __future__ import annotations

import dataclasses
import html
import re
from html.parser import HTMLParser

from hypothesis import given
from hypothesis import strategies as st

from corridors.data import Dataset, load_dataset
from corridors.figures import format_km
from corridors.model import Route, StateKm, Waypoint
from corridors.provenance import BOUNDARIES_FACT, citations
from corridors.webmap import selection_from_event
from corridors.webmap.tooltips import (
    MEASURED,
    POSITION_NOTE_CHARS,
    cut_tooltip,
    position_line,
    state_tooltip,
    waypoint_tooltip,
)

EVIL = "<img src=x onerror=alert(1)>"
#: A gazetteer address (its first word: no space) that would close the href and add an element
#: if it were not escaped.
EVIL_URL = 'https://www.geonames.org/587084?a="><img/src=x/onerror=alert(1)>'
#: The note of a station placed by hand, as the real data words one.
HAND = (
    "placed by hand on the drawn line; no published point found for the station (searched "
    "30 Nov 2026: news and encyclopedia pages)"
)


class _Parsed(HTMLParser):
    """A piece of HTML's start tags with their attributes, and its text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _lines(tooltip: str) -> list[str]:
    """A tooltip's lines as a reader sees them."""
    return ["".join(_Parsed(line).text) for line in tooltip.split("<br>")]


def _station(dataset: Dataset, **changes: object) -> tuple[Route, Waypoint]:
    route = dataset.routes["middle-corridor"]
    return route, dataclasses.replace(route.waypoints[0], **changes)  # type: ignore[arg-type]


def test_a_station_read_from_a_gazetteer_links_it_and_its_sources(
    dashboard_dataset: Dataset,
) -> None:
    route, wp = _station(
        dashboard_dataset,
        coords_source=f"{EVIL_URL} (GeoNames point 'Almaty' 43.25 N, 76.92 E)",
        coords_precision_km=0.5,
    )
    tooltip = waypoint_tooltip(
        route, wp, {"KAZ": "Kazakhstan"}, citations(dashboard_dataset, wp.sources)
    )
    (url,) = {s.url for s in dashboard_dataset.sources.values()}
    links = [attrs for tag, attrs in _Parsed(tooltip).tags if tag == "a"]
    assert links == [
        {"href": url, "target": "_blank", "rel": "noopener"},
        {"href": EVIL_URL, "target": "_blank", "rel": "noopener"},
    ]
    assert _lines(tooltip) == [
        wp.name,
        f"{wp.kind}, Kazakhstan",
        "Middle Corridor",  # the short name, as in the legend
        "Sources (disputed): example.org",
        "Position within 0.5 km: geonames.org",
    ]
    assert "<img" not in tooltip


def test_a_station_placed_by_hand_says_so_in_short(dashboard_dataset: Dataset) -> None:
    route, wp = _station(dashboard_dataset, coords_source=HAND, coords_precision_km=5.0)
    tooltip = waypoint_tooltip(route, wp, {}, citations(dashboard_dataset, wp.sources))
    assert _lines(tooltip)[-2:] == ["Position within 5 km:", "Placed by hand on the drawn line"]
    assert tooltip.count("<a ") == 1  # its sources; nothing to follow for the position


def test_a_long_hostile_note_is_cut_at_a_word_and_escaped(dashboard_dataset: Dataset) -> None:
    _, wp = _station(dashboard_dataset, coords_source=f"drawn {EVIL} " + "near the line " * 9)
    line = position_line(wp)
    shown = _lines(line)[-1]
    assert shown == f"Drawn {EVIL} near\N{HORIZONTAL ELLIPSIS}"  # capitalised, cut at a word
    assert len(shown) <= POSITION_NOTE_CHARS
    assert "<img" not in line
    assert _Parsed(line).tags == [("br", {})]


def test_a_javascript_address_is_never_a_link(dashboard_dataset: Dataset) -> None:
    _, wp = _station(dashboard_dataset, coords_source="javascript:alert(1) (point)")
    assert "<a " not in position_line(wp)


@given(
    note=st.text(min_size=1, max_size=200),
    off=st.floats(min_value=0.01, max_value=50, allow_nan=False),
)
def test_any_position_line_is_short_escaped_and_uses_the_one_km_format(
    note: str, off: float
) -> None:
    wp = Waypoint(
        "w", "W", "station", "AZE", 45.0, 41.0, coords_source=note, coords_precision_km=off
    )
    line = position_line(wp)
    head, *rest = _lines(line)
    assert head.startswith(f"Position within {format_km(off)}:")
    assert all(len(text) <= POSITION_NOTE_CHARS for text in rest)
    assert {tag for tag, _ in _Parsed(line).tags} <= {"a", "br"}


def test_a_station_click_picks_no_corridor(dashboard_dataset: Dataset) -> None:
    """streamlit-folium reports a clicked station's tooltip as its text: it names the route
    (short), its sources and its position, and must not read as a corridor's leg."""
    for route in dashboard_dataset.corridors:
        for wp in route.waypoints:
            tooltip = waypoint_tooltip(route, wp, {}, citations(dashboard_dataset, wp.sources))
            text = html.unescape(re.sub(r"<[^>]+>", "", tooltip))
            event = {"last_object_clicked": {"lat": wp.lat, "lng": wp.lon}}
            event["last_object_clicked_tooltip"] = text
            assert selection_from_event(event, dashboard_dataset.corridors) is None


def test_a_states_tooltip_says_how_its_km_were_measured_and_links_the_borders(
    dashboard_dataset: Dataset,
) -> None:
    name = f"Middle {EVIL} (Trans-Caspian International Transport Route)"
    route = dataclasses.replace(dashboard_dataset.routes["middle-corridor"], name=name)
    state = StateKm("GEO", f"Georgia {EVIL}", 228.4, 0.181)
    bundled = load_dataset()  # the borders' note is in the bundled seeds, not the fixture's
    tooltip = state_tooltip(route, state, citations(bundled, [BOUNDARIES_FACT]))
    assert f"<br>{MEASURED}<br>" in tooltip
    assert _lines(tooltip) == [
        f"Georgia {EVIL}",
        f"228 km, 18.1% of the Middle {EVIL}",  # the short name, as in the legend
        "Measured, not quoted: geodesic km",
        "on Natural Earth 1:10m borders",
        "Sources (verified): github.com",
    ]
    # The borders' release is linked, in a new tab: the note that dates them.
    source = bundled.fact_source[BOUNDARIES_FACT]
    assert source.date == "2019-09-05"
    assert f'<a href="{source.url}" target="_blank" rel="noopener">github.com</a>' in tooltip
    assert "<img" not in tooltip
    # Data with no note on the borders says so rather than link nowhere.
    unsourced = state_tooltip(route, state, citations(dashboard_dataset, [BOUNDARIES_FACT]))
    assert _lines(unsourced)[-1] == "Sources: no source"


def test_a_cut_names_what_closed_each_route_there_and_links_its_sources(
    dashboard_dataset: Dataset,
) -> None:
    """Each route and leg cut there, what closed it, then the sources of each closed chokepoint
    or leg, once, linked as in its own tooltip (a closed state has none); all escaped."""
    route = dataclasses.replace(dashboard_dataset.routes["btk"], name=f"BTK {EVIL}")
    strait = dashboard_dataset.chokepoints[0]
    cited = {f"{strait.name} {EVIL}": citations(dashboard_dataset, strait.sources)}
    cuts = [
        (route, "Baku-Tbilisi", f"{strait.name} {EVIL}"),
        (route, "Tbilisi-Kars", "Georgia"),
        (route, "Baku-Tbilisi", f"{strait.name} {EVIL}"),
    ]
    tooltip = cut_tooltip(cuts, cited)
    assert "<img" not in tooltip
    (source,) = {dashboard_dataset.fact_source[f].url for f in strait.sources}
    assert f'<a href="{source}" target="_blank" rel="noopener">' in tooltip
    assert _lines(tooltip) == [
        "Cut by a closure",
        f"BTK {EVIL}: Baku-Tbilisi, {strait.name} {EVIL} closed",
        f"BTK {EVIL}: Tbilisi-Kars, Georgia closed",
        f"{strait.name} {EVIL}: Sources (claim): example.org",
    ]
    assert _lines(cut_tooltip(cuts[1:2])) == [
        "Cut by a closure",
        f"BTK {EVIL}: Tbilisi-Kars, Georgia closed",
    ]
