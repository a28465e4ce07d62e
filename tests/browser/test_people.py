"""The app used as people use it, in chromium, on a network that lets nothing out.

A teacher on a school network that blocks tile servers, a policy officer switching corridors and
reading the numbers, a presenter downloading a snapshot for slides, someone on a phone: every
test here runs with each request off this machine refused, and fails on any console error.
test_map.py checks the corridor lines offline; these add the basemap, each corridor's toggle,
the analysis panel, the downloads and the phone.
"""

from __future__ import annotations

import csv
import io
import json
import re
import struct
from collections.abc import Iterator
from typing import Any
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

from corridors.data import Dataset
from corridors.figures import format_km
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.printmap.snapshot import DEFAULT_SIZE, SIZE_PRESETS
from tests.browser.conftest import MAP_FRAME, Offline
from tests.browser.downloads import download as download_file
from tests.browser.downloads import make as make_file

pytestmark = pytest.mark.browser

TIMEOUT_MS = 60_000
PHONE = {"width": 390, "height": 844}


class Visit(Offline):
    """The app open in a page whose requests off this machine are refused."""

    @property
    def sidebar(self) -> Locator:
        return self.page.get_by_test_id("stSidebar")

    def tab(self, name: str) -> Locator:
        """Open a tab under the map; return its panel."""
        self.page.get_by_role("tab", name=name, exact=True).click()
        panel = self.page.get_by_role("tabpanel", name=name, exact=True)
        expect(panel).to_be_visible()
        return panel

    def legs(self, css: str = "path.corridor-leg") -> Locator:
        return self.map.locator(css)


def open_app(page: Page, url: str, corridor_legs: int) -> Visit:
    """Load the app offline and wait until every corridor line is drawn."""
    visit = Visit.watch(page)
    page.goto(url)
    expect(visit.legs()).to_have_count(corridor_legs, timeout=TIMEOUT_MS)
    return visit


@pytest.fixture(scope="module")
def analyses(dashboard_dataset: Dataset, world_states: Any) -> dict[str, Analysis]:
    """What the app computes for the dashboard fixture, to compare the panel against."""
    index = StateIndex(world_states)
    return analyse_routes(dashboard_dataset.routes, index, dashboard_dataset.chokepoints)


@pytest.fixture(scope="module")
def corridor_legs(dashboard_dataset: Dataset) -> int:
    return sum(len(r.legs) for r in dashboard_dataset.corridors)


@pytest.fixture(scope="module")
def loaded(browser: Browser, app_url: str, corridor_legs: int) -> Iterator[Visit]:
    """The app loaded offline in a window of its own, once for the tests that take ``visit``.

    They take it in the file's order (the map read, each corridor toggled off and on again,
    each picked, then the exports): a page load is seconds of the suite's time.
    """
    context = browser.new_context()
    try:
        yield open_app(context.new_page(), app_url, corridor_legs)
    finally:
        context.close()


@pytest.fixture
def visit(loaded: Visit) -> Iterator[Visit]:
    """The loaded app; the test fails on any request out or console error while it runs."""
    loaded.refused.clear()
    loaded.errors.clear()
    yield loaded
    assert loaded.refused == []
    assert loaded.errors == []


def test_the_basemap_draws_offline(visit: Visit, world_states: Any) -> None:
    # The states, fetched from the static folder, in their own pane under the lines.
    states = visit.map.locator(".leaflet-basemap-pane path")
    expect(states.nth(100)).to_be_attached()
    assert states.count() < 2 * len(world_states)
    expect(visit.map.locator(".leaflet-tile-pane img")).to_have_count(0)  # no web tiles


def test_each_corridor_toggles_off_and_on_in_place(
    visit: Visit, dashboard_dataset: Dataset, corridor_legs: int
) -> None:
    visit.map.locator("body").evaluate("() => { window.notReloaded = true; }")
    for route in dashboard_dataset.corridors:
        toggle = visit.sidebar.get_by_test_id("stCheckbox").get_by_text(route.name, exact=True)
        toggle.click()
        expect(visit.legs(f"path.route-{route.id}")).to_have_count(0)
        expect(visit.legs()).to_have_count(corridor_legs - len(route.legs))
        toggle.click()
        expect(visit.legs(f"path.route-{route.id}")).to_have_count(len(route.legs))
        expect(visit.legs()).to_have_count(corridor_legs)
    assert visit.map.locator("body").evaluate("() => window.notReloaded") is True


def test_selecting_a_corridor_shows_its_analysis(
    visit: Visit, dashboard_dataset: Dataset, analyses: dict[str, Analysis]
) -> None:
    for route in reversed(dashboard_dataset.corridors):  # the first is selected already
        picker = visit.sidebar.get_by_role("radiogroup", name="Corridor")
        picker.get_by_text(route.name, exact=True).click()
        panel = visit.tab("Analysis")
        expect(panel.get_by_role("heading", name=route.name)).to_be_visible()
        analysis = analyses[route.id]

        headline = panel.locator("table").filter(has_text="States crossed")
        cells = headline.get_by_role("cell")
        expect(headline.get_by_role("columnheader")).to_have_text(
            ["Length", "States crossed", "States bypassed", "Chokepoints passed"]
        )
        expect(cells).to_have_text(
            [
                format_km(analysis.length_km),
                str(len(analysis.transit)),
                str(len(analysis.bypassed)),
                str(len(analysis.chokepoints)),
            ]
        )
        for state in analysis.bypassed:
            expect(panel).to_contain_text(state.name)
        states = panel.locator("table").filter(has_text="Share")
        for state in analysis.transit:
            expect(states).to_contain_text(state.name)


def test_on_a_phone_the_analysis_tables_scroll_sideways_in_their_own_box(
    page: Page, app_url: str, corridor_legs: int
) -> None:
    """The tables are HTML, not a data grid: a wide one scrolls in its box, the page does not."""
    page.set_viewport_size(PHONE)
    visit = open_app(page, app_url, corridor_legs)
    box = visit.tab("Analysis").get_by_role("region", name="Legs")
    legs = box.get_by_role("table", name="Legs")
    expect(legs).to_contain_text("km stated")
    scroll_width, client_width = box.evaluate("b => [b.scrollWidth, b.clientWidth]")
    assert scroll_width > client_width
    assert client_width <= PHONE["width"]
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The box scrolls from the keyboard too, and each row is headed by its leg's name.
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle(), timeout=TIMEOUT_MS)
    expect(legs.get_by_role("rowheader").first).to_be_visible()
    # Each source is a link shown as its site, not Markdown written out.
    links = legs.locator('a[href^="https://"]')
    expect(links.first).to_have_text(re.compile(r"^[\w.-]+\.[a-z]+$"))
    expect(legs).not_to_contain_text("](")
    assert visit.refused == []
    assert visit.errors == []


def download(visit: Visit, panel: Locator, label: str, *, make: str = "") -> tuple[str, bytes]:
    """Press a download button, after "Make ``make``" if given; return the file's name and bytes."""
    if make:
        button = make_file(panel, make, label, timeout=TIMEOUT_MS)
    else:
        button = panel.get_by_role("button", name=label, exact=True)
        expect(button).to_be_enabled()
    saved = download_file(visit.page, button, timeout=TIMEOUT_MS)
    return saved.suggested_filename, saved.path().read_bytes()


def test_every_export_downloads_what_it_claims_to_be(
    visit: Visit, dashboard_dataset: Dataset
) -> None:
    panel = visit.tab("Export")
    names = [r.name for r in dashboard_dataset.corridors]

    size = SIZE_PRESETS[DEFAULT_SIZE]
    pixels = f"({size.width}×{size.height})"
    name, png = download(visit, panel, f"Download PNG {pixels}", make="PNG")
    assert name.endswith(".png")
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", png[16:24]) == (size.width, size.height)

    panel.get_by_text("SVG", exact=True).click()
    name, svg = download(visit, panel, f"Download SVG {pixels}", make="SVG")
    assert name.endswith(".svg")
    root = ElementTree.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    assert any(n in "".join(root.itertext()) for n in names)

    panel.get_by_text("PDF", exact=True).click()
    name, pdf = download(visit, panel, f"Download PDF {pixels}", make="PDF")
    assert name.endswith(".pdf")
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    assert any(n in reader.pages[0].extract_text() for n in names)

    name, html = download(
        visit, panel, "Download interactive page (HTML)", make="interactive page (HTML)"
    )
    assert name.endswith(".html")
    page = html.decode()
    assert page.lstrip().lower().startswith("<!doctype html")
    assert "L.map(" in page
    assert '<script src="http' not in page  # it works offline: nothing to fetch

    name, table = download(visit, panel, "Analysis table (CSV)")
    assert name.endswith(".csv")
    rows = list(csv.DictReader(line for line in table.decode().splitlines() if line[:1] != "#"))
    assert {r["route_id"] for r in rows} == {r.id for r in dashboard_dataset.corridors}
    assert {r["relation"] for r in rows} >= {"transit"}

    name, geojson = download(visit, panel, "Routes (GeoJSON)")
    assert name.endswith(".geojson")
    assert json.loads(geojson)["type"] == "FeatureCollection"


def test_a_phone_shows_the_map_and_reaches_the_controls(
    page: Page, app_url: str, dashboard_dataset: Dataset, corridor_legs: int
) -> None:
    page.set_viewport_size(PHONE)
    visit = open_app(page, app_url, corridor_legs)
    frame = page.locator(MAP_FRAME)
    expect(frame).to_be_in_viewport()
    box = frame.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    assert box["width"] >= PHONE["width"] * 0.8
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # The legend starts folded to its title, leaving the map to the map; a tap unfolds it.
    legend = visit.map.locator("#corridor-legend")
    expect(legend.get_by_text("Routes", exact=True)).to_be_hidden()
    legend.get_by_text("Legend", exact=True).click()
    expect(legend.get_by_text("Routes", exact=True)).to_be_visible()
    # The sidebar folds away on a phone; its button opens it and the toggles work from there.
    expect(visit.sidebar).not_to_be_in_viewport()
    page.get_by_test_id("stExpandSidebarButton").click()
    route = dashboard_dataset.corridors[-1]
    toggle = visit.sidebar.get_by_test_id("stCheckbox").get_by_text(route.name, exact=True)
    expect(toggle).to_be_in_viewport()
    toggle.click()
    expect(visit.legs(f"path.route-{route.id}")).to_have_count(0)
    assert visit.refused == []
    assert visit.errors == []
