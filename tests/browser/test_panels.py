"""The policy and export panels in chromium: shared links, a real download, a hostile upload."""

from __future__ import annotations

import json
import re
import struct
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.conftest import Offline
from tests.browser.downloads import download, make

pytestmark = pytest.mark.browser

EVIL = "<img src=x onerror=alert(1)>"
#: The Export panel's default size, "16:9 slide".
PNG_SIZE = (1920, 1080)


def test_a_shared_link_restores_the_view(open_app: Callable[[str], Offline]) -> None:
    app = open_app("?on=middle-corridor,btk&corridor=btk&year=2016&closed_states=RUS&zoom=5")
    page = app.page
    picker = page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name="Baku-Tbilisi-Kars railway")).to_be_checked()
    # In 2016 the 2017 legs of both corridors were not yet open; Russia cuts the baseline.
    expect(app.map.locator("path.leg-not-yet-open")).to_have_count(2)
    expect(app.map.locator("path.cut-leg.route-northern-route").first).to_be_attached()
    expect(app.map.locator("path.cut-marker")).to_have_count(1)
    # A link with a closure opens on the tab that explains it.
    expect(page.get_by_role("tab", name="What-if")).to_have_attribute("aria-selected", "true")
    tabs = page.get_by_test_id("stTabs")
    summary = tabs.get_by_text("In 2016, with Russia closed, neither corridor runs")
    expect(summary).to_be_visible()
    page.get_by_role("tab", name="Analysis").click()
    expect(page.get_by_role("heading", name="Baku-Tbilisi-Kars railway")).to_be_visible()
    expect(page.get_by_text("Armenia: crossed by the baseline")).to_be_visible()
    assert "corridor=btk" in page.url  # the address still links to this view
    assert "year=2016" in page.url


def _map_view(app: Offline) -> tuple[float, float, float]:
    """Return the live map's centre and zoom, as Leaflet reports them."""
    lat, lon, zoom = app.map.locator("body").evaluate(
        "() => { const c = window.map.getCenter(); return [c.lat, c.lng, window.map.getZoom()]; }"
    )
    return lat, lon, zoom


def _query(page: Page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def test_moving_the_map_puts_its_view_in_the_address(
    open_app: Callable[[str], Offline], browser: Browser, app_url: str
) -> None:
    app = open_app("")
    page = app.page
    _, _, start_zoom = _map_view(app)
    container = app.map.locator(".leaflet-container")
    container.focus()
    container.press("Equal")  # Leaflet's own keys: zoom in, then pan
    expect(page).to_have_url(re.compile(rf"zoom={start_zoom + 1:g}\b"))
    zoomed_centre = _query(page)["center"]
    container.press("ArrowDown")
    expect(page).not_to_have_url(re.compile(re.escape(quote(zoomed_centre))))
    # A widget rewrites the query string; the map's view stays in it.
    page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").get_by_text(
        "Baku-Tbilisi-Kars railway"
    ).click()
    expect(page).to_have_url(re.compile(r"on=middle-corridor"))
    lat, lon, zoom = _map_view(app)
    query = _query(page)
    assert float(query["zoom"]) == zoom
    shared_lat, shared_lon = (float(x) for x in query["center"].split(","))
    # Within a pixel: a keyboard pan may end a fraction of one after the map last reported.
    pixel = 360 / (256 * 2**zoom)
    assert (shared_lat, shared_lon) == pytest.approx((lat, lon), abs=pixel)
    lat, lon = shared_lat, shared_lon
    # The link opens on the same view in a new browser.
    other = browser.new_page()
    try:
        other.goto(page.url)
        reopened = Offline(other)
        expect(reopened.map.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
        expect(reopened.map.locator("path.route-btk")).to_have_count(0)
        # Leaflet sets a link's centre to the nearest whole pixel: within one, as above.
        assert _map_view(reopened) == pytest.approx((lat, lon, zoom), abs=pixel)
    finally:
        other.close()


def test_the_export_panel_downloads_a_png_of_the_chosen_size(offline: Offline) -> None:
    page = offline.page
    page.get_by_role("tab", name="Export").click()
    panel = page.get_by_role("tabpanel", name="Export", exact=True)
    width, height = PNG_SIZE
    button = make(panel, "PNG", f"Download PNG ({width}×{height})", timeout=60_000)
    saved = download(page, button, timeout=60_000)
    assert saved.suggested_filename.endswith(".png")
    data = Path(saved.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == PNG_SIZE  # the IHDR chunk's width and height
    # A corridor switched off: the PNG made shows it, so it is out of date.
    btk = (
        page.get_by_test_id("stSidebar")
        .get_by_test_id("stCheckbox")
        .get_by_text("Baku-Tbilisi-Kars railway")
    )
    btk.click()
    again = panel.get_by_role("button", name="Make PNG again (the view, size or text changed)")
    expect(again).to_be_visible()
    # Switched on again, the view is the one the PNG was made of: the session still has it.
    btk.click()
    expect(button).to_be_enabled()
    assert download(page, button, timeout=60_000).path().read_bytes() == data


def test_a_hostile_upload_is_shown_as_text(offline: Offline, tmp_path: Path) -> None:
    page: Page = offline.page
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    route = {
        "type": "Feature",
        "properties": {"name": EVIL, "note": "<script>alert(2)</script>", EVIL: EVIL},
        "geometry": {"type": "LineString", "coordinates": [[44.8, 41.7], [49.85, 40.4]]},
    }
    page.get_by_role("tab", name="Your route").click()
    page.locator('input[type="file"]').set_input_files(
        files=[
            {
                "name": f"{EVIL}.geojson",
                "mimeType": "application/geo+json",
                "buffer": json.dumps(route).encode(),
            }
        ]
    )
    line = offline.map.locator("path.upload-leg")
    expect(line).to_have_count(1, timeout=60_000)
    expect(page.get_by_test_id("stAlertContentSuccess")).to_contain_text(f"The {EVIL} runs")
    # The file's name, as text (the uploader shortens it on screen, not in the button's label).
    expect(page.get_by_role("button", name=f"Remove {EVIL}.geojson")).to_be_visible()
    line.dispatch_event("mouseover")
    tooltip = offline.map.locator(".leaflet-tooltip")
    expect(tooltip).to_contain_text(EVIL)
    assert page.locator('img[src="x"]').count() == 0
    assert offline.map.locator('img[src="x"]').count() == 0
    assert offline.map.locator("script", has_text="alert(2)").count() == 0
    # Another tab opened, the uploader is gone and the route stays; back, the file is named.
    page.get_by_role("tab", name="Analysis").click()
    expect(page.locator('input[type="file"]')).to_have_count(0)
    expect(line).to_have_count(1)
    page.get_by_role("tab", name="Your route").click()
    expect(page.get_by_text(f"In use: {EVIL}.geojson, uploaded before.")).to_be_visible()
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == []


def test_a_route_drawn_on_the_map_is_analysed(offline: Offline) -> None:
    page = offline.page
    # A corridor clicked on the map, then another picked in the sidebar: drawing must not bring
    # the clicked one back (every map event repeats the last click).
    picker = page.get_by_role("radiogroup", name="Corridor")
    middle = picker.get_by_role("radio", name="Middle Corridor")
    offline.map.locator("path.route-btk").first.dispatch_event("click")
    expect(picker.get_by_role("radio", name="Baku-Tbilisi-Kars railway")).to_be_checked()
    picker.get_by_text("Middle Corridor", exact=True).click()
    expect(middle).to_be_checked()
    page.get_by_role("tab", name="Your route").click()
    offline.map.locator("a.leaflet-draw-draw-polyline").click()
    container = offline.map.locator(".leaflet-container")
    tabriz, zanjan, tehran = (38.08, 46.29), (36.68, 48.5), (35.69, 51.39)
    for lat, lon in (tabriz, zanjan, tehran):
        x, y = container.evaluate(
            "(el, ll) => { const p = window.map.latLngToContainerPoint(ll); return [p.x, p.y]; }",
            [lat, lon],
        )
        container.click(position={"x": x, "y": y})
    offline.map.get_by_role("link", name="Finish").click()
    # A hang guard: the tab's own run (a click on a tab reruns the page) may still be going.
    expect(offline.map.locator("path.upload-leg")).to_have_count(1, timeout=60_000)
    success = page.get_by_test_id("stAlertContentSuccess")
    expect(success).to_contain_text("Your drawn route runs")
    expect(success).to_contain_text("Iran")
    expect(middle).to_be_checked()
    # Deleting the line with the same toolbar takes the route away.
    offline.map.locator("a.leaflet-draw-edit-remove").click()
    offline.map.get_by_role("link", name="Clear all").click()
    expect(offline.map.locator("path.upload-leg")).to_have_count(0)
    expect(success).to_have_count(0)
