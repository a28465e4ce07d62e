"""The map's lines and markers from the keyboard: one Tab stop, arrows along them, Enter, Escape.

Leaflet 1.9 made every line and marker with a tooltip a Tab stop in Chromium; ``keyboardNav``
in ``static/corridors.js`` makes them one (a roving tabindex). Each test works the keys as a
keyboard user would, in the dashboard's map frame and in the standalone page, and waits on
conditions only.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from playwright.sync_api import Browser, ElementHandle, Frame, Page, expect

from corridors.data import Dataset, load_dataset
from corridors.export import standalone_html
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Route
from corridors.provenance import BOUNDARIES_FACT
from corridors.webmap import SEPARATOR, build_map, display_states
from tests.browser.conftest import Offline
from tests.browser.settled import map_frame, wait_view_settled
from tests.browser.study_area import (
    AT_LOWEST,
    area_on_map,
    assert_kept_to_area,
    drag_far,
    zoom_out_fully,
)

pytestmark = pytest.mark.browser

#: How long a condition may take on a loaded machine: a hang guard, not a measure.
WAIT_MS = 30_000

#: More Tab presses than the map has stops (its own, the lines', zoom, tools, legend, credits).
MAX_TABS = 40

#: In a document: what has the focus, or None when the document has lost it (Tab left the
#: map's frame, or the page).
FOCUSED = """() => {
  const el = document.activeElement;
  if (!document.hasFocus() || !el || el === document.body) return null;
  return {
    tag: el.tagName.toLowerCase(),
    label: el.getAttribute('aria-label'),
    tabindex: el.getAttribute('tabindex'),
    tooltip: el.getAttribute('aria-describedby'),
    inMap: Boolean(el.closest('.leaflet-container')),
    inPopup: Boolean(el.closest('.leaflet-popup')),
    href: el.getAttribute('href'),
  };
}"""


def leg_label(route: Route, index: int) -> str:
    """The name a leg goes by on the map: the first line of its tooltip."""
    return f"{route.name}{SEPARATOR}{route.legs[index].name}"


def focused(frame: Frame) -> dict[str, Any]:
    """What has the focus in ``frame``; fail if nothing there has it."""
    now = frame.evaluate(FOCUSED)
    assert now is not None, "the focus left the map"
    return now


def enter_lines(page: Page, frame: Frame) -> dict[str, Any]:
    """Focus the map (its own Tab stop, for panning), press Tab once: the lines' stop."""
    frame.locator(".leaflet-container").focus()
    page.keyboard.press("Tab")
    now = focused(frame)
    assert now["tag"] == "path", now
    return now


def press(page: Page, frame: Frame, key: str) -> dict[str, Any]:
    """Press ``key``; return what has the focus then, after checking its tooltip is shown."""
    page.keyboard.press(key)
    now = focused(frame)
    if now["tag"] == "path":
        assert now["tooltip"], now  # Leaflet points it at the tooltip it opened on focus
        tooltip = frame.locator(f"#{now['tooltip']}")
        expect(tooltip).to_be_visible(timeout=WAIT_MS)
        expect(tooltip).to_contain_text(now["label"], timeout=WAIT_MS)
    return now


def walk_to(page: Page, frame: Frame, label: str) -> dict[str, Any]:
    """Press the right arrow until the item named ``label`` has the focus; return it."""
    now = focused(frame)
    for _ in range(MAX_TABS):
        if now["label"] == label:
            return now
        now = press(page, frame, "ArrowRight")
    msg = f"the arrows never reached {label!r}; the focus is on {now}"
    raise AssertionError(msg)


def rest_on_other_corridor(
    offline: Offline, dataset: Dataset, index: int
) -> tuple[Page, Frame, Route, dict[str, Any], ElementHandle]:
    """Walk the keyboard onto leg ``index`` of the second corridor, from the map's lines.

    Return the page, the map's frame, that corridor, the focused leg and its element as drawn
    now (a rerun that picks the corridor draws it anew).
    """
    page, frame = offline.page, map_frame(offline.page)
    wait_view_settled(frame)
    enter_lines(page, frame)
    other = dataset.corridors[1]
    press(page, frame, "PageDown")
    now = walk_to(page, frame, leg_label(other, index))
    old = frame.locator('path[tabindex="0"]').element_handle()
    return page, frame, other, now, old


def tab_stops(page: Page, frame: Frame) -> list[dict[str, Any]]:
    """Press Tab until the focus leaves the map; return every stop on the way."""
    stops = []
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        now = frame.evaluate(FOCUSED)
        if now is None or not now["inMap"]:
            return stops
        stops.append(now)
    msg = f"Tab never left the map: {stops}"
    raise AssertionError(msg)


def test_the_lines_and_markers_are_one_tab_stop(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """From the map's own stop, Tab reaches the selected corridor's first leg, and the next
    Tab leaves the lines: the map's stops are a handful, not one per line and marker."""
    page, frame = offline.page, map_frame(offline.page)
    wait_view_settled(frame)
    frame.locator(".leaflet-container").focus()
    stops = tab_stops(page, frame)
    first = dashboard_dataset.corridors[0]  # selected when the page opens
    assert stops[0]["tag"] == "path"
    assert stops[0]["label"] == leg_label(first, 0)
    assert [s for s in stops if s["tag"] == "path"] == [stops[0]]
    assert stops[1]["tag"] == "a"  # the zoom buttons, then the map's other controls
    assert len(stops) < 15, stops
    expect(frame.locator('path[tabindex="0"]')).to_have_count(1, timeout=WAIT_MS)
    untabbed = frame.locator("path.leaflet-interactive:not([tabindex])")
    expect(untabbed).to_have_count(0, timeout=WAIT_MS)


def test_the_arrows_walk_each_corridor_along_its_route(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """Home, then the arrows: the first corridor's legs in travel order with its stations
    among them, then the next corridor; Page Up and Down between routes; End stays at the end."""
    page, frame = offline.page, map_frame(offline.page)
    wait_view_settled(frame)
    enter_lines(page, frame)
    first, second = dashboard_dataset.corridors[:2]
    walked = [press(page, frame, "Home")]
    for _ in range(len(first.legs) + len(first.waypoints) - 1):
        walked.append(press(page, frame, "ArrowRight"))
    labels = [step["label"] for step in walked]
    assert [x for x in labels if SEPARATOR in x] == [
        leg_label(first, i) for i in range(len(first.legs))
    ]
    assert {x for x in labels if SEPARATOR not in x} == {wp.name for wp in first.waypoints}
    following = press(page, frame, "ArrowRight")["label"]
    second_items = {leg_label(second, i) for i in range(len(second.legs))}
    assert following in second_items | {wp.name for wp in second.waypoints}
    assert press(page, frame, "ArrowLeft")["label"] == labels[-1]
    assert press(page, frame, "PageUp")["label"] == labels[0]
    assert press(page, frame, "PageDown")["label"] == following
    last = press(page, frame, "End")
    assert press(page, frame, "ArrowRight") == last
    assert press(page, frame, "Home")["label"] == labels[0]


def test_enter_opens_the_popup_and_escape_returns_to_the_leg(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """Enter on a leg of the other corridor does what a click does (the popup, the corridor
    picked), with the focus in the popup, where Tab reaches a source's link; the pick draws
    that corridor anew, and Escape closes the popup and focuses the leg as drawn now."""
    page, frame, other, now, old = rest_on_other_corridor(offline, dashboard_dataset, 0)
    page.keyboard.press("Enter")
    popup = frame.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible(timeout=WAIT_MS)
    expect(popup).to_have_attribute("role", "dialog", timeout=WAIT_MS)
    expect(popup).to_have_attribute("aria-label", now["label"], timeout=WAIT_MS)
    assert focused(frame)["inPopup"]
    link = press(page, frame, "Tab")
    assert (link["tag"], link["inPopup"]) == ("a", True), link
    assert link["href"] in {s.url for s in dashboard_dataset.sources.values()}
    picker = page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name=other.name)).to_be_checked(timeout=30_000)
    frame.wait_for_function("(el) => !el.isConnected", arg=old, timeout=30_000)
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0, timeout=WAIT_MS)
    back = press(page, frame, "Escape")  # nothing more to close: the focus stays on the leg
    assert (back["tag"], back["label"], back["tabindex"]) == ("path", now["label"], "0")


def test_enter_or_space_on_a_cut_opens_it_and_escape_returns(
    open_app: Callable[[str], Offline],
) -> None:
    """A cut (Russia closed: the Middle Corridor's baseline enters it) walked to with the arrows
    opens its text in the popup on Enter, and on Space, named after it, with the focus there;
    Escape closes it and returns to the cut."""
    app = open_app("?closed_states=RUS")
    page, frame = app.page, map_frame(app.page)
    wait_view_settled(frame)
    enter_lines(page, frame)
    cut = walk_to(page, frame, "Cut by a closure")
    popup = frame.locator(".leaflet-popup.corridor-popup")
    for key in ["Enter", "Space"]:
        page.keyboard.press(key)
        expect(popup).to_be_visible(timeout=WAIT_MS)
        expect(popup).to_have_attribute("role", "dialog", timeout=WAIT_MS)
        expect(popup).to_have_attribute("aria-label", "Cut by a closure", timeout=WAIT_MS)
        expect(popup).to_contain_text("Russia closed", timeout=WAIT_MS)
        assert focused(frame)["inPopup"]
        page.keyboard.press("Escape")
        expect(popup).to_have_count(0, timeout=WAIT_MS)
        assert focused(frame) == {**cut, "tabindex": "0"}


def test_the_tab_stop_follows_its_leg_drawn_anew(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """The keyboard rests on a leg; picking its corridor from the sidebar draws it anew: the
    leg as drawn now is the map's one Tab stop, and Tab from the map reaches it."""
    page, frame, other, now, old = rest_on_other_corridor(offline, dashboard_dataset, 1)
    page.get_by_role("radiogroup", name="Corridor").get_by_text(other.name, exact=True).click()
    frame.wait_for_function("(el) => !el.isConnected", arg=old, timeout=30_000)
    stop = frame.locator('path[tabindex="0"]')
    expect(stop).to_have_count(1, timeout=WAIT_MS)
    expect(stop).to_have_attribute("aria-label", now["label"], timeout=WAIT_MS)
    assert enter_lines(page, frame)["label"] == now["label"]


#: Where the dashboard fixture's station Baku is read from, in the standalone page's copy: a
#: gazetteer's page, which its tooltip links (the fixture's stations are placed by hand).
GAZETTEER = "https://www.geonames.org/587084"


@pytest.fixture(scope="module")
def standalone(
    dashboard_dataset: Dataset,
    world_states: gpd.GeoDataFrame,
    tmp_path_factory: pytest.TempPathFactory,
) -> Path:
    """The standalone page of the dashboard fixture, the BTK railway selected, with baselines;
    the BTK's station Baku is read from :data:`GAZETTEER`."""
    btk = dashboard_dataset.routes["btk"]
    read = f"{GAZETTEER} (GeoNames point 'Baku' 40.38 N, 49.89 E)"
    baku = dataclasses.replace(btk.waypoints[0], coords_source=read, coords_precision_km=2.0)
    routes = {**dashboard_dataset.routes, "btk": dataclasses.replace(btk, waypoints=(baku,))}
    dataset = dataclasses.replace(dashboard_dataset, routes=routes)
    analyses = analyse_routes(dataset.routes, StateIndex(world_states), dataset.chokepoints)
    fmap = build_map(
        dataset,
        analyses,
        display_states(world_states),
        visible=[r.id for r in dataset.corridors],
        selected="btk",
        show_baselines=True,
    )
    out = tmp_path_factory.mktemp("keys") / "map.html"
    out.write_text(standalone_html(fmap, title="Keys"), encoding="utf-8")
    return out


@pytest.fixture
def standalone_page(browser: Browser, standalone: Path) -> Iterator[Page]:
    """The standalone page in a fresh window, offline, failing on a console error."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        app = Offline.watch(context.new_page())
        app.page.goto(standalone.as_uri())
        expect(app.page.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
        yield app.page
        assert (app.refused, app.errors) == ([], [])
    finally:
        context.close()


def test_the_wheel_zooms_a_standalone_page_at_once(standalone_page: Page) -> None:
    """The standalone page is all map, with nothing to scroll to: the wheel zooms it without a
    press first, and no hint is drawn (in the dashboard it scrolls the page until pressed)."""
    page = standalone_page
    zoom = page.evaluate("() => window.__corridorMap.getZoom()")
    page.mouse.move(640, 400)
    page.mouse.wheel(0, -200)
    page.wait_for_function("z => window.__corridorMap.getZoom() > z", arg=zoom)
    expect(page.locator(".corridor-wheel-hint")).to_have_count(0)


def test_the_standalone_page_is_kept_to_the_study_area(standalone_page: Page) -> None:
    """As in the dashboard: it opens on the corridors, the wheel zooms it out only as far as the
    whole study area fits, and dragged far off it stays on the area."""
    page, doc = standalone_page, standalone_page.main_frame
    first = area_on_map(doc)
    assert first["routesShown"], first
    assert first["zoom"] > first["minZoom"], first
    page.mouse.move(640, 400)
    for _ in range(10):
        page.mouse.wheel(0, 400)
    doc.wait_for_function(AT_LOWEST)
    assert_kept_to_area(doc)
    assert zoom_out_fully(doc, page.locator(".leaflet-control-zoom-out")) == 0  # disabled
    drag_far(doc, {"x": 0, "y": 0, "width": 1280, "height": 800}, -2000, 1500)
    assert_kept_to_area(doc)


def test_the_standalone_page_works_the_same(
    standalone_page: Page, dashboard_dataset: Dataset
) -> None:
    """One stop on the selected corridor's first leg; arrows; Enter, a link, Escape."""
    page, frame = standalone_page, standalone_page.main_frame
    btk = dashboard_dataset.routes["btk"]
    frame.locator(".leaflet-container").focus()
    stops = tab_stops(page, frame)
    assert [s["label"] for s in stops if s["tag"] == "path"] == [leg_label(btk, 0)]
    start = enter_lines(page, frame)
    assert start["label"] == leg_label(btk, 0)
    moved = press(page, frame, "ArrowRight")
    assert moved["tag"] == "path"
    assert moved["label"] != start["label"]
    press(page, frame, "ArrowLeft")
    page.keyboard.press("Space")
    popup = page.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible(timeout=WAIT_MS)
    link = press(page, frame, "Tab")
    assert (link["tag"], link["inPopup"]) == ("a", True), link
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0, timeout=WAIT_MS)
    assert focused(frame) == {**start, "tabindex": "0"}


def test_a_station_in_the_standalone_page_links_its_gazetteer(
    standalone_page: Page, dashboard_dataset: Dataset
) -> None:
    """Enter on a station read from a gazetteer: its popup links its sources, then the
    gazetteer's page, each a new tab; Escape returns to the station."""
    page, frame = standalone_page, standalone_page.main_frame
    baku = dashboard_dataset.routes["btk"].waypoints[0]
    enter_lines(page, frame)
    press(page, frame, "Home")  # the keyboard starts on the BTK's first leg, past its first stop
    station = walk_to(page, frame, baku.name)
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible(timeout=WAIT_MS)
    expect(popup).to_have_attribute("aria-label", baku.name, timeout=WAIT_MS)
    expect(popup).to_contain_text("Position within 2 km: geonames.org", timeout=WAIT_MS)
    assert focused(frame)["inPopup"]
    links = [press(page, frame, "Tab"), press(page, frame, "Tab")]
    assert [(x["tag"], x["inPopup"]) for x in links] == [("a", True)] * 2, links
    (source,) = {s.url for s in dashboard_dataset.sources.values()}
    assert [x["href"] for x in links] == [source, GAZETTEER]
    gazetteer = popup.locator(f'a[href="{GAZETTEER}"]')
    expect(gazetteer).to_have_attribute("target", "_blank", timeout=WAIT_MS)
    expect(gazetteer).to_have_attribute("rel", "noopener", timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0, timeout=WAIT_MS)
    assert focused(frame) == {**station, "tabindex": "0"}


def test_enter_on_a_station_opens_its_sources_and_picks_no_corridor(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """Enter on the other corridor's station does what a click on it does: its sources open in
    the popup, named after it, with the focus there and Tab on a link; Escape returns to it.
    Unlike a leg's, the click picks no corridor: once a later change (the baselines hidden) is
    drawn, which the click's report came before, the first corridor is still the one picked."""
    page, frame = offline.page, map_frame(offline.page)
    wait_view_settled(frame)
    enter_lines(page, frame)
    first, other = dashboard_dataset.corridors[:2]
    station = other.waypoints[0]
    press(page, frame, "PageDown")
    now = walk_to(page, frame, station.name)
    page.keyboard.press("Enter")
    popup = frame.locator(".leaflet-popup.corridor-popup")
    expect(popup).to_be_visible(timeout=WAIT_MS)
    expect(popup).to_have_attribute("role", "dialog", timeout=WAIT_MS)
    expect(popup).to_have_attribute("aria-label", station.name, timeout=WAIT_MS)
    expect(popup).to_contain_text("Position within", timeout=WAIT_MS)
    assert focused(frame)["inPopup"]
    link = press(page, frame, "Tab")
    assert (link["tag"], link["inPopup"]) == ("a", True), link
    assert link["href"] in {s.url for s in dashboard_dataset.sources.values()}
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0, timeout=WAIT_MS)
    assert focused(frame) == {**now, "tabindex": "0"}
    baselines = frame.locator("path.baseline-leg")
    expect(baselines.first).to_be_attached(timeout=WAIT_MS)
    page.get_by_test_id("stSidebar").get_by_text("Baselines", exact=True).click()
    expect(baselines).to_have_count(0, timeout=WAIT_MS)
    picker = page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name=first.name)).to_be_checked(timeout=WAIT_MS)


def test_a_focused_leg_drawn_anew_keeps_the_focus(
    offline: Offline, dashboard_dataset: Dataset
) -> None:
    """The focus rests on a leg of the other corridor when a click on it (a pointer's, which
    leaves the focus where it is) picks the corridor and the rerun draws the leg anew: the leg
    as drawn now has the focus, not the page's body."""
    page, frame, other, now, old = rest_on_other_corridor(offline, dashboard_dataset, 0)
    old.evaluate("(el) => el.dispatchEvent(new MouseEvent('click', {bubbles: true}))")
    picker = page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name=other.name)).to_be_checked(timeout=WAIT_MS)
    frame.wait_for_function("(el) => !el.isConnected", arg=old, timeout=WAIT_MS)
    frame.wait_for_function(
        "(label) => document.activeElement.getAttribute('aria-label') === label",
        arg=now["label"],
        timeout=WAIT_MS,
    )
    assert focused(frame)["tabindex"] == "0"


#: The focused item, its focus ring, and how many of its points (sampled along its outline,
#: inside the map) its tooltip covers.
RING_AND_TOOLTIP = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const tip = document.getElementById(el.getAttribute('aria-describedby'));
  const box = tip.getBoundingClientRect();
  const map = el.closest('.leaflet-container').getBoundingClientRect();
  const toScreen = el.getScreenCTM();
  const length = el.getTotalLength();
  let covered = 0;
  for (let i = 0; i <= 60; i++) {
    const at = el.getPointAtLength((length * i) / 60);
    const p = new DOMPoint(at.x, at.y).matrixTransform(toScreen);
    const inMap = map.left <= p.x && p.x <= map.right && map.top <= p.y && p.y <= map.bottom;
    const under = box.left <= p.x && p.x <= box.right && box.top <= p.y && p.y <= box.bottom;
    covered += inMap && under ? 1 : 0;
  }
  return {
    label: el.getAttribute('aria-label'),
    outline: style.outlineStyle,
    ring: style.filter,
    covered: covered,
  };
}"""


#: A point of an element's box where the element itself is uppermost: a pointer's spot on it.
OPEN_SPOT = """(el) => {
  const box = el.getBoundingClientRect();
  for (let i = 1; i < 20; i++) {
    for (let j = 1; j < 20; j++) {
      const x = box.left + (box.width * i) / 20;
      const y = box.top + (box.height * j) / 20;
      if (document.elementFromPoint(x, y) === el) return [x, y];
    }
  }
  throw new Error('no open spot on ' + el.getAttribute('aria-label'));
}"""


def test_a_focused_item_shows_its_ring_and_its_tooltip_beside_it(
    standalone_page: Page, dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    """Every line, marker and state, walked with the arrows, has a ring that follows its shape
    (not the browser's box around it); a line's or a marker's tooltip leaves it in view (a
    state's sits on its land). A click on a state, a pointer's focus, draws no ring."""
    page, frame = standalone_page, standalone_page.main_frame
    enter_lines(page, frame)
    last = press(page, frame, "End")["label"]
    press(page, frame, "Home")
    walked = []
    for _ in range(500):
        now = frame.evaluate(RING_AND_TOOLTIP)
        walked.append(now)
        if now["label"] == last:
            break
        press(page, frame, "ArrowRight")
    assert walked[-1]["label"] == last
    assert len(walked) > sum(len(r.legs) for r in dashboard_dataset.corridors)
    assert {w["outline"] for w in walked} == {"none"}
    assert all("drop-shadow" in w["ring"] for w in walked), walked[0]
    states = set(world_states["name"])
    assert [w for w in walked if w["covered"] and w["label"] not in states] == []
    assert any(w["label"] in states for w in walked)
    state = frame.locator('path[aria-label="Georgia"]')  # the BTK crosses it
    x, y = state.evaluate(OPEN_SPOT)
    page.mouse.click(x, y)
    clicked = frame.evaluate(
        "() => [document.activeElement.getAttribute('aria-label'),"
        " getComputedStyle(document.activeElement).outlineStyle,"
        " getComputedStyle(document.activeElement).filter]"
    )
    assert clicked == ["Georgia", "none", "none"]


#: The focused item's tooltip's box and the map's, in the page.
TOOLTIP_IN_MAP = """async () => {
  // After the next frame, once keepTooltipsClear has moved the tooltip inside the map.
  await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  const el = document.activeElement;
  const tip = document.getElementById(el.getAttribute('aria-describedby')).getBoundingClientRect();
  const map = el.closest('.leaflet-container').getBoundingClientRect();
  return {
    label: el.getAttribute('aria-label'),
    inside: map.left <= tip.left && tip.right <= map.right
      && map.top <= tip.top && tip.bottom <= map.bottom,
    width: Math.round(tip.width),
  };
}"""


@contextmanager
def bundled_map(browser: Browser, url: str, size: tuple[int, int]) -> Iterator[Offline]:
    """The dashboard on the bundled data at ``size``, its map's view settled, in a context of
    its own (closed after)."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        app = Offline.watch(context.new_page())
        app.page.goto(url)
        wait_view_settled(map_frame(app.page))
        yield app
    finally:
        context.close()


def test_enter_on_a_crossed_state_opens_the_borders_its_km_are_measured_on(
    browser: Browser, bundled_url: str
) -> None:
    """On the bundled data, whose notes date the borders, Enter on a state the picked corridor
    crosses opens its km in the popup, named after it, with Tab on the borders' link (a new
    tab); Escape returns to the state, and the corridor picked stays the same.

    The picked corridor's states come last in the keyboard's order: End, then the left arrow
    reaches Georgia in a few presses (from Home it took the bundled data's ~200).
    """
    borders = load_dataset().fact_source[BOUNDARIES_FACT]
    with bundled_map(browser, bundled_url, (1280, 720)) as app:
        page, frame = app.page, map_frame(app.page)
        picker = page.get_by_role("radiogroup", name="Corridor")
        picked = picker.locator("input:checked").evaluate("el => el.closest('label').innerText")
        enter_lines(page, frame)
        state = press(page, frame, "End")
        for _ in range(400):  # the bundled data's ~200 items; the Middle Corridor crosses Georgia
            if state["label"] == "Georgia":
                break
            state = press(page, frame, "ArrowLeft")
        assert state["label"] == "Georgia", state
        page.keyboard.press("Enter")
        popup = frame.locator(".leaflet-popup.corridor-popup")
        expect(popup).to_be_visible(timeout=WAIT_MS)
        expect(popup).to_have_attribute("aria-label", "Georgia", timeout=WAIT_MS)
        expect(popup).to_contain_text("Measured, not quoted", timeout=WAIT_MS)
        link = press(page, frame, "Tab")
        assert (link["tag"], link["inPopup"], link["href"]) == ("a", True, borders.url), link
        expect(popup.locator(f'a[href="{borders.url}"]')).to_have_attribute(
            "target", "_blank", timeout=WAIT_MS
        )
        page.keyboard.press("Escape")
        expect(popup).to_have_count(0, timeout=WAIT_MS)
        assert focused(frame) == {**state, "tabindex": "0"}
        again = picker.locator("input:checked").evaluate("el => el.closest('label').innerText")
        assert again == picked
        assert (app.refused, app.errors) == ([], [])


def test_every_tooltip_fits_a_phones_map(browser: Browser, bundled_url: str) -> None:
    """On a 390x844 phone, on the bundled data (the longest names), every line's, marker's
    and state's tooltip, walked with the arrows, lies whole inside the map: long ones wrap
    rather than run past its edges (a chokepoint's was 1,100 px wide on one line)."""
    with bundled_map(browser, bundled_url, (390, 844)) as app:
        page, frame = app.page, map_frame(app.page)
        enter_lines(page, frame)
        last = press(page, frame, "End")["label"]
        press(page, frame, "Home")
        walked = []
        for _ in range(1000):
            walked.append(frame.evaluate(TOOLTIP_IN_MAP))
            if walked[-1]["label"] == last:
                break
            press(page, frame, "ArrowRight")
        assert walked[-1]["label"] == last
        assert [w for w in walked if not w["inside"]] == []
        assert max(w["width"] for w in walked) > 200  # a real tooltip, not an empty box
        assert (app.refused, app.errors) == ([], [])
