"""The running app in chromium with every non-local request refused: the map must still draw."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import geopandas as gpd
import pytest
from playwright.sync_api import Browser, Locator, expect

from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_routes
from corridors.style import BYPASS_OUTLINE, CROSSED_FILL
from corridors.ui.widgets import MAP_HEIGHT_PX
from tests.browser.conftest import MAP_FRAME, Offline
from tests.browser.downloads import download, make
from tests.browser.settled import map_frame, wait_view_settled
from tests.browser.study_area import (
    area_on_map,
    assert_as_much_as_fits,
    assert_kept_to_area,
    drag_far,
    zoom_out_fully,
)

pytestmark = pytest.mark.browser

# The dashboard fixture: Middle Corridor 4 legs, BTK 4; their baselines 2 legs each.
CORRIDOR_LEGS = 8
BASELINE_LEGS = 4
BTK_LEGS = 4


def test_map_draws_offline(offline: Offline) -> None:
    expect(offline.map.locator("path.corridor-leg")).to_have_count(CORRIDOR_LEGS)
    expect(offline.map.locator("path.baseline-leg")).to_have_count(BASELINE_LEGS)
    expect(offline.map.locator("path.route-btk")).to_have_count(BTK_LEGS)
    expect(offline.map.locator("#corridor-legend")).to_contain_text("Middle Corridor")


PHONE = (390, 844)
LAPTOP = (1280, 720)
DESKTOP = (1440, 900)


@pytest.fixture(scope="module", params=[PHONE, LAPTOP, DESKTOP], ids=["phone", "laptop", "desktop"])
def first_screen(
    request: pytest.FixtureRequest, browser: Browser, app_url: str
) -> Iterator[tuple[Offline, tuple[int, int]]]:
    """The app at its plain address in a fresh window of a phone's, a laptop's or a desktop's
    size, offline, with its size.

    One page load per size (seconds of the suite's time each) for the three tests that open
    the plain address at these sizes, which take it in the file's order: the first screen is
    read, then the map dragged and zoomed out, then (phone and laptop) the tour started and
    ended. Each checks the page's requests and console at its end.
    """
    size: tuple[int, int] = request.param
    with _fresh(browser, size) as app:
        app.page.goto(app_url)
        yield app, size


def test_the_whole_map_is_on_the_first_screen(
    first_screen: tuple[Offline, tuple[int, int]],
) -> None:
    """Title, subtitle and toggle take one short row: the map, up to its full height, fits.

    The map in words is folded under it, so it does not push the tabs down.
    """
    app, (_, height) = first_screen
    expect(app.map.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
    title = app.page.get_by_role("heading", name="Eurasia's new trade corridors")
    expect(title).to_be_visible()
    box = app.page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    assert box["y"] >= 0
    assert box["y"] + box["height"] <= height
    assert box["height"] >= min(MAP_HEIGHT_PX, height / 2)
    words = app.page.get_by_test_id("stExpander").filter(has_text="The map in words")
    expect(words).to_be_visible()
    expect(words.get_by_text("The map shows")).to_be_hidden()
    words.get_by_text("The map in words").click()
    expect(words.get_by_text("The map shows")).to_be_visible()
    assert (app.refused, app.errors) == ([], [])


def test_the_selected_corridors_states_are_drawn_from_the_basemap(
    offline: Offline, dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    """The overlays name the states; the map draws them from the basemap it fetched."""
    analyses = analyse_routes(
        dashboard_dataset.routes, StateIndex(world_states), dashboard_dataset.chokepoints
    )
    crossed = offline.map.locator(f'path.leaflet-interactive[fill="{CROSSED_FILL}"]')
    bypassed = offline.map.locator(f'path[fill="{BYPASS_OUTLINE}"][stroke-dasharray="6 4"]')
    expect(crossed).to_have_count(len(analyses["middle-corridor"].transit))
    expect(bypassed).to_have_count(len(analyses["middle-corridor"].bypassed))
    crossed.first.dispatch_event("mouseover")
    expect(offline.map.locator(".leaflet-tooltip")).to_contain_text("of the Middle Corridor")
    picker = offline.page.get_by_role("radiogroup", name="Corridor")
    picker.get_by_text("Baku-Tbilisi-Kars railway", exact=True).click()
    expect(crossed).to_have_count(len(analyses["btk"].transit))
    expect(bypassed).to_have_count(len(analyses["btk"].bypassed))


def test_the_selected_corridors_states_are_named_in_bold_and_no_others(offline: Offline) -> None:
    """The crossed states' names are emphasised; picking another corridor moves the emphasis."""
    crossed = offline.map.locator(".corridor-label-state.corridor-label-crossed")
    expect(crossed.filter(has_text="Kazakhstan")).to_have_count(1)
    expect(crossed.filter(has_text="Georgia")).to_have_count(1)
    picker = offline.page.get_by_role("radiogroup", name="Corridor")
    picker.get_by_text("Baku-Tbilisi-Kars railway", exact=True).click()
    expect(crossed.filter(has_text="Kazakhstan")).to_have_count(0)
    expect(crossed.filter(has_text="Georgia")).to_have_count(1)


def test_hiding_a_corridor_keeps_the_loaded_map(offline: Offline) -> None:
    offline.map.locator("body").evaluate("() => { window.loadedOnce = true; }")
    sidebar = offline.page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stCheckbox").get_by_text("Baku-Tbilisi-Kars railway").click()
    expect(offline.map.locator("path.route-btk")).to_have_count(0)
    expect(offline.map.locator("path.corridor-leg")).to_have_count(CORRIDOR_LEGS - BTK_LEGS)
    assert offline.map.locator("body").evaluate("() => window.loadedOnce") is True


def test_a_change_redraws_only_the_layers_it_changes(offline: Offline) -> None:
    """Hiding a corridor keeps the other one's lines as drawn; showing it again puts it back
    under the selected corridor, whose lines stay over it, and the states under both."""
    marked = """() => { document.querySelectorAll("path.route-middle-corridor")
        .forEach((el) => { el.kept = true; }); }"""
    offline.map.locator("body").evaluate(marked)
    sidebar = offline.page.get_by_test_id("stSidebar")
    btk = sidebar.get_by_test_id("stCheckbox").get_by_text("Baku-Tbilisi-Kars railway")
    btk.click()
    expect(offline.map.locator("path.route-btk")).to_have_count(0)
    btk.click()
    expect(offline.map.locator("path.route-btk")).to_have_count(BTK_LEGS)
    order = offline.map.locator("body").evaluate(
        f"""() => {{
            const middle = [...document.querySelectorAll("path.route-middle-corridor")];
            const btk = [...document.querySelectorAll("path.route-btk")];
            const states = [...document.querySelectorAll('path[fill="{CROSSED_FILL}"]')];
            const after = (a, b) => a.every((x) => b.every(
                (y) => y.compareDocumentPosition(x) & Node.DOCUMENT_POSITION_FOLLOWING));
            return {{
                kept: middle.length > 0 && middle.every((el) => el.kept === true),
                selectedOnTop: after(middle, btk),
                statesUnder: states.length > 0 && after(btk, states),
            }};
        }}"""
    )
    assert order == {"kept": True, "selectedOnTop": True, "statesUnder": True}


def test_clicking_a_corridor_selects_it(offline: Offline) -> None:
    offline.map.locator("path.route-btk").first.dispatch_event("click")
    picker = offline.page.get_by_role("radiogroup", name="Corridor")
    expect(picker.get_by_role("radio", name="Baku-Tbilisi-Kars railway")).to_be_checked()
    expect(offline.page.get_by_role("heading", name="Baku-Tbilisi-Kars railway")).to_be_visible()


@contextmanager
def _fresh(browser: Browser, size: tuple[int, int] | None = None) -> Iterator[Offline]:
    """Yield a page in a fresh browser context (no session, no history), closed after."""
    sized = {} if size is None else {"viewport": {"width": size[0], "height": size[1]}}
    context = browser.new_context(**sized)
    try:
        yield Offline.watch(context.new_page())
    finally:
        context.close()


def test_the_wheel_scrolls_the_page_until_the_map_is_pressed(
    browser: Browser, app_url: str
) -> None:
    """Over a map not in use the wheel scrolls the page (to the tabs) and a hint says how to
    zoom; once the map is pressed the wheel zooms it; off the map and back, it scrolls again."""
    with _fresh(browser, LAPTOP) as app:
        page = app.page
        page.goto(app_url)
        frame = map_frame(page)
        wait_view_settled(frame)
        zoom = _centre_and_zoom(app)[2]
        hint = app.map.locator(".corridor-wheel-hint")

        def wheel_over_the_map(delta: int) -> None:
            box = page.locator(MAP_FRAME).bounding_box()
            assert box is not None
            page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
            page.mouse.wheel(0, delta)

        wheel_over_the_map(200)
        expect(hint).to_have_class(re.compile("corridor-wheel-hint-shown"))
        page.wait_for_function(SCROLLED)
        assert _centre_and_zoom(app)[2] == zoom
        expect(hint).not_to_have_class(re.compile("corridor-wheel-hint-shown"))  # for a moment

        app.map.locator(".leaflet-control-scale").click()  # pressed, on a spot that picks nothing
        wheel_over_the_map(-200)
        frame.wait_for_function("z => map.getZoom() > z", arg=zoom)
        assert hint.get_attribute("class") == "corridor-wheel-hint"

        zoomed = _centre_and_zoom(app)[2]
        page.mouse.move(5, 5)  # off the map
        wheel_over_the_map(200)
        expect(hint).to_have_class(re.compile("corridor-wheel-hint-shown"))
        assert _centre_and_zoom(app)[2] == zoomed
        assert (app.refused, app.errors) == ([], [])


def test_the_wheel_zooms_a_presented_map_at_once(browser: Browser, app_url: str) -> None:
    """In presentation mode the map fills the screen, with no page to scroll to: the wheel zooms
    it without a press first, and no hint is drawn."""
    with _fresh(browser, LAPTOP) as app:
        page = app.page
        page.goto(app_url + "/?present=1")
        frame = map_frame(page)
        wait_view_settled(frame)
        zoom = _centre_and_zoom(app)[2]
        box = page.locator(MAP_FRAME).bounding_box()
        assert box is not None
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.wheel(0, -200)
        frame.wait_for_function("z => map.getZoom() > z", arg=zoom)
        expect(app.map.locator(".corridor-wheel-hint")).to_have_count(0)
        assert (app.refused, app.errors) == ([], [])


def test_the_map_cannot_be_lost(first_screen: tuple[Offline, tuple[int, int]]) -> None:
    """Dragged far off, the map stays on the study area; zoomed out, it stops where the area fits.

    It opens fitted to the corridors, as before; zoomed out with the button it stops where the
    whole study area fits the map (not a speck of Eurasia in an empty world), corridors in view.
    """
    app, size = first_screen
    frame = map_frame(app.page)
    wait_view_settled(frame)
    first = area_on_map(frame)
    assert first["routesShown"], first
    assert first["zoom"] > first["minZoom"], first
    box = app.page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    drag_far(frame, box, 3 * size[0], 3 * size[1])  # towards the south-west, past Africa
    assert_as_much_as_fits(area_on_map(frame))
    drag_far(frame, box, -3 * size[0], -3 * size[1])  # towards the Arctic and Japan
    assert_as_much_as_fits(area_on_map(frame))
    zoom_out_fully(frame, app.map.locator(".leaflet-control-zoom-out"))
    assert_kept_to_area(frame)
    drag_far(frame, box, size[0], -size[1])
    assert_kept_to_area(frame)
    assert (app.refused, app.errors) == ([], [])


def test_a_link_off_the_study_area_opens_on_it(browser: Browser, app_url: str) -> None:
    """A link's centre in the Pacific and zoom 1 (the lowest a link may carry): the map opens on
    the study area, zoomed in as far as its lowest zoom at least (Leaflet brings the view into
    range: the page cannot know the map's size), and the address says where, as after a zoom.
    A note on the map says the view was moved, until the reader dismisses it."""
    with _fresh(browser, LAPTOP) as app:
        app.page.goto(app_url + "/?center=-40,-170&zoom=1")
        frame = map_frame(app.page)
        wait_view_settled(frame)  # the address holds the view the map shows
        assert_kept_to_area(frame, lowest=False)
        note = app.map.get_by_role("status").filter(has_text="outside the map's area")
        expect(note).to_be_visible()
        note.get_by_role("button", name="Dismiss this note").click()
        expect(note).to_have_count(0)
        assert (app.refused, app.errors) == ([], [])


#: Whether the page's main column has scrolled down from the top.
SCROLLED = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop > 0"


def _without_centre(url: str) -> str:
    return re.sub(r"center=[^&]*&?", "", url)


def _centre_and_zoom(app: Offline) -> tuple[float, float, float]:
    """Return the live map's centre and zoom, as Leaflet reports them."""
    return tuple(
        app.map.locator("body").evaluate(
            "() => { const c = map.getCenter(); return [c.lat, c.lng, map.getZoom()]; }"
        )
    )


def _settles_at(app: Offline, lat: float, lon: float, zoom: float, within: float) -> None:
    """Wait until the live map shows this view, to ``within`` degrees; fail if it never does.

    streamlit-folium pans the map to a new view with Leaflet's animation, which the page's
    address does not wait for: a map read at once may be halfway there on a busy machine.
    """
    frame = app.page.locator(MAP_FRAME).element_handle().content_frame()
    assert frame is not None
    frame.wait_for_function(
        """([lat, lon, zoom, within]) => {
            const c = map.getCenter();
            return Math.abs(c.lat - lat) <= within && Math.abs(c.lng - lon) <= within
                && map.getZoom() === zoom;
        }""",
        arg=[lat, lon, zoom, within],
        timeout=30_000,
    )


def test_a_link_with_a_centre_and_zoom_opens_there(browser: Browser, app_url: str) -> None:
    """A fresh browser (no session, no history) shows the link's view, and keeps showing it.

    The map used to fit every corridor in an animation Leaflet runs a frame later, which landed
    after, and undid, the link's view.
    """
    with _fresh(browser) as app:
        app.page.goto(app_url + "/?corridor=btk&center=41.17,44.87&zoom=7")
        expect(app.map.locator("path.route-btk").first).to_be_visible(timeout=60_000)
        # The map reports its view after it settles, and the page writes it into the address:
        # by then any animation Leaflet had queued has run.
        picker = app.page.get_by_role("radiogroup", name="Corridor")
        expect(picker.get_by_role("radio", name="Baku-Tbilisi-Kars railway")).to_be_checked()
        expect(app.page).to_have_url(re.compile(r"center=41\.17(%2C|,)44\.87&zoom=7"))
        # Within a pixel: at zoom 7 one pixel is 360 / (256 * 2**7) = 0.011 degrees.
        _settles_at(app, 41.17, 44.87, 7, within=0.011)
        expect(app.map.get_by_text("outside the map's area")).to_have_count(0)
        assert (app.refused, app.errors) == ([], [])


@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)])
def test_a_tour_in_presentation_mode_keeps_the_map_and_ending_it_restores_the_view(
    browser: Browser, app_url: str, size: tuple[int, int]
) -> None:
    """Starting the tour puts its bar above the map: the map stays loaded and shows the step.

    The bar used to be a new element above the map, so Streamlit made the map a new element
    and reloaded it, blank for many seconds.
    """
    with _fresh(browser, size) as app:
        app.page.goto(app_url + "/?present=1&on=btk&center=40,50&zoom=5")
        expect(app.map.locator("path.route-btk").first).to_be_attached(timeout=60_000)
        # The page's own address, not the link's: it writes presentation mode last.
        expect(app.page).to_have_url(re.compile(r"zoom=5&present=1"), timeout=60_000)
        before = app.page.url
        app.map.locator("body").evaluate("() => { window.loadedOnce = true; }")
        # Presenting, the top row offers the tour (the Tour tab is a scroll below the map).
        app.page.locator(".st-key-present_tour_start").get_by_role("button").click()
        # The bar above the map, not the Tour tab, which says "Step 1 of 3" too.
        expect(app.page.get_by_text("\N{EM DASH} step 1 of")).to_be_visible(timeout=60_000)
        expect(app.page).to_have_url(re.compile(r"step=1"), timeout=60_000)
        expect(app.map.locator("path.route-middle-corridor").first).to_be_attached(timeout=60_000)
        assert app.map.locator("body").evaluate("() => window.loadedOnce") is True
        app.page.get_by_role("button", name="End tour").first.click()
        # The same view as before; the map may report its centre a pixel off (Leaflet snaps it).
        expect(app.page).not_to_have_url(re.compile(r"step="), timeout=60_000)
        expect(app.page).to_have_url(re.compile(r"zoom=5&"), timeout=60_000)
        assert _without_centre(app.page.url) == _without_centre(before)
        _settles_at(app, 40, 50, 5, within=0.05)
        assert (app.refused, app.errors) == ([], [])


def _press_until_shown(button: Locator, shown: Locator) -> None:
    """Press ``button`` until ``shown`` shows, at most three times, as a user would.

    A press in the instant a run takes its request is lost (README, Known limits).
    """
    for _ in range(3):
        button.click()
        try:
            expect(shown).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if shown.count():
                break
    expect(shown).to_be_visible(timeout=60_000)


@pytest.mark.parametrize("first_screen", [PHONE, LAPTOP], ids=["phone", "laptop"], indirect=True)
def test_a_tour_step_sits_beside_the_map_or_above_it_on_a_phone(
    first_screen: tuple[Offline, tuple[int, int]],
) -> None:
    """The step's words and its map on screen together; the map stays loaded as the step shows."""
    app, (width, _) = first_screen
    expect(app.map.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
    expect(app.page).to_have_url(re.compile(r"zoom="), timeout=60_000)
    # The page has written the view the map shows (a test before may have moved it): no run
    # of a report is under way to race the clicks below.
    wait_view_settled(map_frame(app.page))
    app.map.locator("body").evaluate("() => { window.loadedOnce = true; }")
    app.page.get_by_role("tab", name="Tour").click()
    # At once, as the open tab's column narrows the map and its report reruns the page.
    expect(app.page.locator(".st-key-tour_side")).to_be_visible(timeout=60_000)
    step = app.page.locator(".st-key-tour_side")
    # Pressed at once, as the map's report of its narrower frame reruns the page.
    _press_until_shown(
        app.page.get_by_role("button", name="Start the tour"), step.get_by_text("Tour: step 1 of")
    )
    # Next at once: the rerun of the map's report of step 1, racing the click, carries the
    # picker's value from step 1, which must not move the map off step 2's box.
    expect(app.page).to_have_url(re.compile(r"step=1"), timeout=60_000)
    second = step.get_by_text("Tour: step 2 of")
    _press_until_shown(step.get_by_role("button", name="Next"), second)
    words, frame = step.bounding_box(), app.page.locator(MAP_FRAME).bounding_box()
    assert words is not None
    assert frame is not None
    if width > 640:
        assert words["x"] >= frame["x"] + frame["width"]  # beside
    else:
        assert words["y"] + words["height"] <= frame["y"]  # above
    assert app.map.locator("body").evaluate("() => window.loadedOnce") is True
    # At once, as the map reports the view it fitted step 2 to.
    step.get_by_role("button", name="End tour").click()
    # The Tour tab is open: its column keeps the tour's outline, without a step.
    expect(step.get_by_text(re.compile(r"^Tour: \d+ steps$"))).to_be_visible(timeout=30_000)
    expect(step.get_by_role("button")).to_have_count(0)
    assert (app.refused, app.errors) == ([], [])


#: Whether every state filled as crossed lies in a pane over every pane holding the basemap.
CROSSED_OVER_BASEMAP = """fill => {
  const z = el => Number(getComputedStyle(el.closest('.leaflet-pane')).zIndex);
  const crossed = [...document.querySelectorAll(`path[fill="${fill}"]`)].map(z);
  const basemap = [...document.querySelectorAll('path')]
    .filter(p => p.closest('.leaflet-basemap-pane')).map(z);
  return crossed.length > 0 && basemap.length > 0 && Math.min(...crossed) > Math.max(...basemap);
}"""


def test_the_standalone_page_opens_on_the_current_map_view(
    open_app: Callable[[str], Offline], tmp_path: Path
) -> None:
    """The Export panel's page shows what the map shows, not a fit of every corridor."""
    app = open_app("?center=41.2,44.9&zoom=6")
    on_screen = _centre_and_zoom(app)
    app.page.get_by_role("tab", name="Export").click()
    # Offered once the map has reported where it is, and then the default.
    expect(app.page.get_by_role("radio", name="Current map view")).to_be_checked()
    panel = app.page.get_by_role("tabpanel", name="Export", exact=True)
    what = "interactive page (HTML)"
    button = make(panel, what, f"Download {what}", timeout=60_000)
    saved = tmp_path / "map.html"
    download(app.page, button, timeout=60_000).save_as(saved)
    page = app.page.context.new_page()
    try:
        page.goto(saved.as_uri())
        centre = page.evaluate(
            "() => { const c = map_corridormap.getCenter();"
            " return [c.lat, c.lng, map_corridormap.getZoom()]; }"
        )
        # The states the route crosses are painted over the basemap, as on the dashboard: the
        # page's basemap, added after them in one pane, covered them.
        expect(page.locator(f'path[fill="{CROSSED_FILL}"]').first).to_be_attached()
        assert page.evaluate(CROSSED_OVER_BASEMAP, CROSSED_FILL)
    finally:
        page.close()
    assert map_frame(app.page).evaluate(CROSSED_OVER_BASEMAP, CROSSED_FILL)
    # The page opens at the map's zoom and centre, to within a pixel: Leaflet snaps a centre to
    # its pixel grid, and the map may report the snapped one after the page was made. At zoom 6
    # a pixel is 360 / (256 * 2**6) = 0.022 degrees.
    assert centre == pytest.approx(on_screen, abs=0.022)


def test_the_states_names_come_from_a_file_fetched_once(browser: Browser, app_url: str) -> None:
    """The names are not in the map's script, which every change sends again: a static file."""
    with _fresh(browser) as app:
        fetched: list[str] = []
        app.page.on("request", lambda r: fetched.append(r.url) if "/data/names-" in r.url else None)
        app.page.goto(app_url)
        expect(app.map.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
        states = app.map.locator(".corridor-label-state")
        expect(states.filter(has_text="Georgia")).to_be_attached(timeout=30_000)
        expect(app.page).to_have_url(re.compile(r"zoom="), timeout=60_000)
        app.page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").get_by_text(
            "Baku-Tbilisi-Kars railway"
        ).click()
        expect(app.map.locator("path.route-btk")).to_have_count(0)
        expect(states.filter(has_text="Georgia")).to_be_attached()
        assert len(fetched) == 1, fetched
        assert (app.refused, app.errors) == ([], [])


def test_a_move_the_page_made_is_made_once(offline: Offline) -> None:
    """Picking a corridor moves the map there; a later change of layers must not move it back."""
    page = offline.page
    picker = page.get_by_role("radiogroup", name="Corridor")
    picker.get_by_text("Baku-Tbilisi-Kars railway", exact=True).click()
    expect(page).to_have_url(re.compile(r"corridor=btk"))
    moved = _centre_and_zoom(offline)
    container = offline.map.locator(".leaflet-container")
    container.focus()
    container.press("Minus")  # the user zooms out, away from the move
    zoomed = moved[2] - 1
    expect(page).to_have_url(re.compile(rf"zoom={zoomed:g}\b"))
    page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").get_by_text(
        "Middle Corridor", exact=True
    ).click()
    expect(offline.map.locator("path.route-middle-corridor")).to_have_count(0)
    expect(page).to_have_url(re.compile(r"on=btk"))
    assert _centre_and_zoom(offline)[2] == zoomed


def test_a_pan_sends_the_map_nothing(offline: Offline) -> None:
    """The view the map reports is not sent back to it: only a change of the page's does.

    The map's arguments used to come back after every pan with the reported centre and zoom.
    """
    page = offline.page
    offline.map.locator("body").evaluate(
        """() => {
            window.sent = new Set();
            window.addEventListener("message", (event) => {
                if (event.data && event.data.type === "streamlit:render") {
                    window.sent.add(JSON.stringify(event.data.args));
                }
            });
        }"""
    )
    container = offline.map.locator(".leaflet-container")
    container.focus()
    before = page.url
    container.press("ArrowDown")  # Leaflet's own key: a pan the map reports
    expect(page).not_to_have_url(before)
    page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").get_by_text(
        "Baku-Tbilisi-Kars railway"
    ).click()
    expect(offline.map.locator("path.route-btk")).to_have_count(0)
    # The toggle's arguments, and no others (a repeat of the same ones would change nothing).
    assert offline.map.locator("body").evaluate("() => window.sent.size") == 1
