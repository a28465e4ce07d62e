"""A tooltip's source links close with it as the pointer leaves: a click opens them in a popup.

A leg's, a station's and a chokepoint's tooltips link their sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date

import geopandas as gpd
import pytest
from playwright.sync_api import Browser, Frame, expect

from corridors.data import Dataset
from corridors.disruptions import leg_notes
from corridors.geometry import StateIndex, analyse_routes
from corridors.style import CROSSED_FILL
from corridors.webmap import build_overlays, display_states
from tests.browser.conftest import MAP_FRAME, Offline
from tests.tooltip_texts import tooltip_texts

pytestmark = pytest.mark.browser

#: A point of an SVG path a mouse reaches (no other shape on top), in the map frame's viewport.
_ON_TOP = """(path) => {
    const m = path.getScreenCTM();
    for (let k = 1; k < 20; k++) {
        const at = path.getPointAtLength(path.getTotalLength() * k / 20);
        const x = at.x * m.a + at.y * m.c + m.e, y = at.x * m.b + at.y * m.d + m.f;
        if (document.elementFromPoint(x, y) === path) { return [x, y]; }
    }
    return null;
}"""

#: Whether the open popup lies wholly inside the map (it pans the map to fit: wait for that).
_INSIDE = """() => {
    const popup = document.querySelector(".leaflet-popup.corridor-popup");
    if (!popup) { return false; }
    const box = popup.getBoundingClientRect();
    const map = document.querySelector(".leaflet-container").getBoundingClientRect();
    return box.width > 0 && box.left >= map.left && box.right <= map.right
        && box.top >= map.top && box.bottom <= map.bottom;
}"""

#: Whether the popup's first link is what a click at its centre reaches (nothing covers it).
_REACHABLE = """() => {
    const link = document.querySelector(".leaflet-popup.corridor-popup a");
    const box = link.getBoundingClientRect();
    return document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2) === link;
}"""


def _frame(app: Offline) -> Frame:
    handle = app.page.locator(MAP_FRAME).element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    return frame


def _on_top(app: Offline, selector: str) -> tuple[float, float]:
    """A point of the first ``selector`` path that shows on top somewhere, in the page."""
    paths = app.map.locator(selector)
    found = (paths.nth(i).evaluate(_ON_TOP) for i in range(paths.count()))
    x, y = next(point for point in found if point is not None)
    box = app.page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    return box["x"] + x, box["y"] + y


def _click(app: Offline, selector: str) -> None:
    """Click the first ``selector`` path that shows on top somewhere, with the mouse, there."""
    app.page.mouse.click(*_on_top(app, selector))


def _hover(app: Offline, selector: str) -> None:
    """Move the mouse off the map, then onto the first ``selector`` path showing on top."""
    x, y = _on_top(app, selector)
    app.page.mouse.move(1, 1)
    app.page.mouse.move(x, y)


@pytest.mark.parametrize("selector", ["path.route-btk", "path.chokepoint", "path.waypoint"])
def test_clicking_a_leg_station_or_chokepoint_opens_its_sources_in_a_popup_inside_the_map(
    offline: Offline, dashboard_dataset: Dataset, selector: str
) -> None:
    (url,) = {s.url for s in dashboard_dataset.sources.values()}
    expect(offline.map.locator(selector).first).to_be_visible()
    _click(offline, selector)
    popup = offline.map.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible()
    link = popup.locator(f'a[href="{url}"]').first
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener")
    expect(popup).to_contain_text("Sources (")
    frame = _frame(offline)
    frame.wait_for_function(_INSIDE, timeout=30_000)
    # The click reruns the page and swaps the overlays: the popup, the map's own, stays.
    if selector == "path.route-btk":
        picker = offline.page.get_by_role("radiogroup", name="Corridor")
        expect(picker.get_by_role("radio", name="Middle Corridor")).not_to_be_checked()
    expect(link).to_be_visible()
    frame.wait_for_function(_REACHABLE, timeout=30_000)


def test_clicking_a_cut_opens_its_text_in_a_popup(open_app: Callable[[str], Offline]) -> None:
    """A cut links nothing, but a click opens its text in a popup as on the others: what closed
    the route stays on screen once the pointer leaves it."""
    app = open_app("?closed_states=RUS")
    expect(app.map.locator("path.cut-marker").first).to_be_visible()
    _click(app, "path.cut-marker")
    popup = app.map.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("Cut by a closure")
    expect(popup).to_contain_text("Russia closed")
    _frame(app).wait_for_function(_INSIDE, timeout=30_000)


def test_a_link_in_a_stations_popup_opens_its_source_in_a_new_tab(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """The station's tooltip came as parts, its links sent once for the route: the link the
    popup shows is whole and opens its address."""
    (url,) = {s.url for s in dashboard_dataset.sources.values()}
    context = offline.page.context
    # The new tab is not the app's page: its request is answered here, never sent off the machine.
    context.route(url, lambda route: route.fulfill(body="the source", content_type="text/plain"))
    _click(offline, "path.waypoint")
    link = offline.map.locator(".leaflet-popup.corridor-popup").locator(f'a[href="{url}"]')
    expect(link.first).to_be_visible()
    with context.expect_page() as opened:
        link.first.click()
    tab = opened.value
    tab.wait_for_load_state()
    assert tab.url == url
    tab.close()


#: The tooltip of every leg and station on the map, as the map bound it (escaped HTML).
_BOUND = """() => {
    const found = [];
    window.__corridorMap.eachLayer((layer) => {
        const tip = layer.getTooltip && layer.getTooltip();
        if (tip && /waypoint|-leg/.test(layer.options.className || "")) {
            found.push(tip.getContent());
        }
    });
    return found;
}"""


def test_the_map_binds_each_tooltip_as_the_server_wrote_it(
    offline: Offline, dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    """What a route's tooltips share (links, heading) goes once; the map puts each tooltip
    back together as the text the server wrote, which its popup, the keyboard and a click's
    report read."""
    groups = build_overlays(
        dashboard_dataset,
        {},
        display_states(world_states),
        visible=[r.id for r in dashboard_dataset.corridors],
        selected=None,
        show_baselines=True,
        leg_notes=leg_notes(dashboard_dataset, date.today()),
    )
    written = {
        f"<div>{text}</div>" for group in groups for text in tooltip_texts(group._children.values())
    }
    bound = _frame(offline).evaluate(_BOUND)
    stations = offline.map.locator("path.waypoint").count()
    assert stations > 0
    assert len(bound) == stations + offline.map.locator("path[class*='-leg']").count()
    assert set(bound) <= written


#: For each path, whether it is what the mouse reaches at its midpoint (nothing on top of it).
_MIDPOINTS_ON_TOP = """(paths) => paths.map((path) => {
    const m = path.getScreenCTM();
    const at = path.getPointAtLength(path.getTotalLength() / 2);
    const x = at.x * m.a + at.y * m.c + m.e, y = at.x * m.b + at.y * m.d + m.f;
    return document.elementFromPoint(x, y) === path;
})"""

#: The font size of an element's text.
_TYPE = "(el) => getComputedStyle(el).fontSize"


@pytest.fixture(scope="module")
def desktop(browser: Browser, app_url: str) -> Iterator[Offline]:
    """The app with the BTK railway selected, in a fresh 1440x900 window, offline.

    One page load (seconds of the suite's time) for the two tests below, in the file's order:
    the first only reads it, the second clicks. Each checks the page's requests and console
    at its end.
    """
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        app = Offline.watch(context.new_page())
        app.page.goto(app_url + "/?corridor=btk")
        expect(app.map.locator("path.route-btk").first).to_be_visible(timeout=60_000)
        expect(app.page).to_have_url(re.compile(r"[?&]zoom="), timeout=60_000)
        yield app
    finally:
        context.close()


def test_every_leg_of_the_selected_corridor_lies_over_the_states_it_crosses(
    desktop: Offline, dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    """The crossed states' shading, drawn after the lines, must not take their hover and click."""
    btk = dashboard_dataset.routes["btk"]
    analyses = analyse_routes(
        dashboard_dataset.routes, StateIndex(world_states), dashboard_dataset.chokepoints
    )
    crossed = desktop.map.locator(f'path.leaflet-interactive[fill="{CROSSED_FILL}"]')
    expect(crossed).to_have_count(len(analyses["btk"].transit))
    legs = desktop.map.locator("path.corridor-leg.route-btk")
    expect(legs).to_have_count(len(btk.legs))
    _wait_on_top(desktop, "path.corridor-leg.route-btk")
    assert legs.evaluate_all(_MIDPOINTS_ON_TOP) == [True] * len(btk.legs)
    assert (desktop.refused, desktop.errors) == ([], [])


def _wait_on_top(app: Offline, selector: str) -> None:
    """Wait until every ``selector`` path shows on top at its midpoint (the states go under
    the lines a frame after anything is added)."""
    _frame(app).wait_for_function(
        f"() => ({_MIDPOINTS_ON_TOP})([...document.querySelectorAll({selector!r})]).every(Boolean)",
        timeout=30_000,
    )


#: Whether the crossed states' shading (``fill``) lies under every corridor line: first in the
#: overlays' drawing, and after the line at each line's midpoint on screen (a line may sit
#: under a shared track's line or a name there, never under a state). False until both are drawn.
_STATES_UNDER_LINES = """(fill) => {
    const svg = document.querySelector(".leaflet-overlay-pane svg");
    const paths = svg ? [...svg.querySelectorAll("path")] : [];
    const states = paths.filter((p) => p.getAttribute("fill") === fill);
    const legs = paths.filter((p) => p.classList.contains("corridor-leg"));
    if (states.length === 0 || legs.length === 0) { return false; }
    if (paths.indexOf(states[states.length - 1]) > paths.indexOf(legs[0])) { return false; }
    return legs.every((leg) => {
        const m = leg.getScreenCTM();
        const at = leg.getPointAtLength(leg.getTotalLength() / 2);
        const x = at.x * m.a + at.y * m.c + m.e, y = at.x * m.b + at.y * m.d + m.f;
        const stack = document.elementsFromPoint(x, y);  // topmost first
        const own = stack.indexOf(leg);
        return own < 0 || !stack.slice(0, own).some((el) => states.includes(el));
    });
}"""


def _states_under_lines(app: Offline) -> None:
    """Wait until the crossed states lie under every corridor line (a frame after a change)."""
    _frame(app).wait_for_function(_STATES_UNDER_LINES, arg=CROSSED_FILL, timeout=30_000)


@contextmanager
def _redrawn(app: Offline) -> Iterator[None]:
    """Run the block, which reruns the page; then wait for the overlays drawn anew (the old
    states gone) to have their states under the lines."""
    old = app.map.locator(f'path[fill="{CROSSED_FILL}"]').first.element_handle()
    yield
    _frame(app).wait_for_function("(el) => !el.isConnected", arg=old, timeout=30_000)
    _states_under_lines(app)


@pytest.mark.parametrize("size", [(1440, 900), (390, 844)])
def test_the_selected_corridors_lines_lie_over_its_states_on_load_and_after_a_redraw(
    browser: Browser, bundled_url: str, size: tuple[int, int]
) -> None:
    """On the bundled data the basemap the states are drawn from lands after the lines: its
    states, drawn last, covered the Middle Corridor and took its hover and click. They must go
    under the lines on the first load, after a change the map keeps them through, and again
    whenever a rerun draws them anew."""
    width, height = size
    context = browser.new_context(viewport={"width": width, "height": height})
    try:
        app = Offline.watch(context.new_page())
        page = app.page
        page.goto(bundled_url)
        expect(app.map.locator("path.corridor-leg.route-middle-corridor").first).to_be_visible(
            timeout=60_000
        )
        expect(page).to_have_url(re.compile(r"[?&]zoom="), timeout=60_000)
        _states_under_lines(app)
        sidebar = page.get_by_test_id("stSidebar")
        if sidebar.get_attribute("data-collapsed") == "true":  # folded on a phone
            page.get_by_test_id("stExpandSidebarButton").click()
            expect(sidebar).to_have_attribute("data-collapsed", "false")
        baselines = app.map.locator("path.baseline-leg")
        expect(baselines.first).to_be_attached()
        # The states' layer is kept as drawn when only the baselines change (KeptLayer).
        states = app.map.locator(f'path[fill="{CROSSED_FILL}"]').first.element_handle()
        sidebar.get_by_text("Baselines", exact=True).click()
        expect(baselines).to_have_count(0)
        assert states.evaluate("(el) => el.isConnected")
        _states_under_lines(app)
        with _redrawn(app):
            picker = sidebar.get_by_role("radiogroup", name="Corridor")
            picker.get_by_text("Baku-Tbilisi-Kars railway", exact=True).click()
        expect(page).to_have_url(re.compile(r"corridor=btk"))
        assert (app.refused, app.errors) == ([], [])
    finally:
        context.close()


def test_a_legs_tooltip_stays_closed_while_its_popup_is_open(desktop: Offline) -> None:
    """The pointer rests on the clicked line, drawn again by the rerun: its tooltip would cover
    the popup. It opens again on the next hover once the popup is closed."""
    _click(desktop, "path.route-middle-corridor")
    popup = desktop.map.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible()
    picker = desktop.page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name="Middle Corridor")).to_be_checked(timeout=30_000)
    expect(desktop.map.locator("path.corridor-leg.route-middle-corridor").first).to_be_visible()
    tooltip = desktop.map.locator(".leaflet-tooltip")
    expect(tooltip).to_have_count(0)
    _hover(desktop, "path.corridor-leg.route-middle-corridor")  # the redrawn line, popup open
    expect(popup).to_be_visible()
    expect(tooltip).to_have_count(0)
    # Closed as a press of Escape or a click on the map would (the legend may cover its button).
    _frame(desktop).evaluate("() => map.closePopup()")
    expect(popup).to_have_count(0)
    _hover(desktop, "path.corridor-leg.route-middle-corridor")
    expect(tooltip).to_be_visible()
    tooltip_type = tooltip.evaluate(_TYPE)
    _click(desktop, "path.corridor-leg.route-middle-corridor")
    expect(popup).to_be_visible()
    expect(tooltip).to_have_count(0)
    assert popup.locator(".leaflet-popup-content").evaluate(_TYPE) == tooltip_type
    assert (desktop.refused, desktop.errors) == ([], [])
