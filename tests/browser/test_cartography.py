"""The map at a phone's, a laptop's and a projector's size: fitted, named, nothing hidden or cut."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from corridors import style
from corridors.policy.tour import TOUR_FILE, load_tour
from tests.browser.boxes import inside, overlap
from tests.browser.conftest import MAP_FRAME, Offline, wait_map_ready
from tests.browser.names import names_in_view
from tests.browser.settled import map_frame, wait_settled, wait_view_settled

pytestmark = pytest.mark.browser

PHONE = (390, 844)
LAPTOP = (1280, 720)
DESKTOP = (1440, 900)
PROJECTOR = (1920, 1080)

# Run in the map's frame once the labels are laid out (two animation frames after the last
# change): every shown label's box, relative to the map.
SHOWN_LABELS = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const outer = window.__corridorMap.getContainer().getBoundingClientRect();
  return [...document.querySelectorAll('.corridor-label')]
    .filter(el => el.style.display !== 'none')
    .map(el => {
      const r = el.getBoundingClientRect();
      return {text: el.textContent, left: r.left - outer.left, top: r.top - outer.top,
              right: r.right - outer.left, bottom: r.bottom - outer.top};
    });
}"""

ROUTES_IN_VIEW = """() => {
  const map = window.__corridorMap;
  const drawn = L.latLngBounds([]);
  map.eachLayer(l => {
    if (l instanceof L.Polyline && /corridor-leg/.test(l.options.className || '')) {
      drawn.extend(l.getBounds());
    }
  });
  return drawn.isValid() && map.getBounds().contains(drawn);
}"""


def _open(page: Page, open_app: Callable[[str], Offline], size: tuple[int, int], query: str = ""):
    page.set_viewport_size({"width": size[0], "height": size[1]})
    app = open_app(query)
    expect(app.map.locator(".corridor-label >> visible=true").first).to_be_visible(timeout=30_000)
    return app


@pytest.fixture(scope="module", params=[PHONE, LAPTOP, DESKTOP], ids=["phone", "laptop", "desktop"])
def first_view(
    request: pytest.FixtureRequest, browser: Browser, app_url: str
) -> Iterator[tuple[Offline, tuple[int, int]]]:
    """The app's first view at a phone's, a laptop's and a desktop's size, offline, named.

    One page load per size for the tests below, which read the first view and leave it as
    they found it (a page load is seconds of the suite's time); each checks the page's
    requests and console at its end.
    """
    size: tuple[int, int] = request.param
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    try:
        app = Offline.watch(context.new_page())
        app.page.goto(app_url)
        wait_map_ready(app.page)
        labels = app.map.locator(".corridor-label >> visible=true").first
        expect(labels).to_be_visible(timeout=30_000)
        yield app, size
    finally:
        context.close()


def _labels(app: Offline) -> list[dict[str, Any]]:
    return app.map.locator("body").evaluate(SHOWN_LABELS)


def test_the_first_view_shows_every_corridor(first_view: tuple[Offline, tuple[int, int]]) -> None:
    app, size = first_view
    assert app.map.locator("body").evaluate(ROUTES_IN_VIEW)
    box = app.page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    on_screen = min(box["y"] + box["height"], size[1]) - max(box["y"], 0)
    assert on_screen >= size[1] / 2  # the map is most of the first screen, a phone's too
    assert (app.refused, app.errors) == ([], [])


def test_no_two_labels_overlap(first_view: tuple[Offline, tuple[int, int]]) -> None:
    app, size = first_view
    labels = _labels(app)
    texts = [label["text"] for label in labels]
    assert "Russiabypassed" in texts
    if size != LAPTOP:  # there Belarus in view is a strip beside the map's buttons, unnamed
        assert "Belarusbypassed" in texts  # once printed over Russia's
    # The states the selected route crosses are named before the seas, small ones too: on a
    # phone Georgia's name takes the only spot the Black Sea's had.
    assert "Georgia" in texts
    if size != PHONE:
        assert "Black Sea" in texts
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not overlap(a, b), (a, b)
    # A sea's name in style.py's ink, which the stylesheet only refers to.
    sea = app.map.locator(".corridor-label-sea >> visible=true").first
    red, green, blue = (int(style.SEA_INK[i : i + 2], 16) for i in (1, 3, 5))
    assert sea.evaluate("el => getComputedStyle(el).color") == f"rgb({red}, {green}, {blue})"
    # Closer in, stations are named, and still nothing overlaps.
    first = app.map.locator("body").evaluate(
        "() => { const m = window.__corridorMap; const c = m.getCenter();"
        " m.setView([41.5, 45], 7); return [[c.lat, c.lng], m.getZoom()]; }"
    )
    expect(app.map.locator(".corridor-label-station >> visible=true").first).to_be_visible()
    labels = _labels(app)
    assert any(label["text"] == "Tbilisi" for label in labels)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not overlap(a, b), (a, b)
    assert (app.refused, app.errors) == ([], [])
    # Back to the first view for the next test on this page, once the page has noted it.
    app.map.locator("body").evaluate(
        "(_body, [centre, zoom]) => window.__corridorMap.setView(centre, zoom, {animate: false})",
        first,
    )
    wait_view_settled(map_frame(app.page))


# The point of a corridor's line nearest the legend's lower left corner, outside the legend.
NEAR_LEGEND = """() => {
  const map = window.__corridorMap;
  const legend = document.querySelector('.corridor-legend').getBoundingClientRect();
  const outer = map.getContainer().getBoundingClientRect();
  let best = null;
  map.eachLayer(l => {
    if (!(l instanceof L.Polyline) || !/corridor-leg/.test(l.options.className || '')) return;
    l.getLatLngs().forEach(ll => {
      const p = map.latLngToContainerPoint(ll);
      const x = p.x + outer.left, y = p.y + outer.top;
      const under = x >= legend.left && x <= legend.right && y >= legend.top && y <= legend.bottom;
      const inside = p.x > 5 && p.y > 5 && p.x < outer.width - 5 && p.y < outer.height - 5;
      const d = Math.hypot(x - legend.left, y - legend.bottom);
      if (!under && inside && (!best || d < best.d)) best = {x: p.x, y: p.y, d: d};
    });
  });
  return best;
}"""

TOOLTIP_AND_LEGEND = """() => {
  const tip = document.querySelector('.leaflet-tooltip');
  const legend = document.querySelector('.corridor-legend');
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const outer = window.__corridorMap.getContainer().getBoundingClientRect();
  return {tip: box(tip), legend: box(legend), map: box(window.__corridorMap.getContainer()),
          legendShown: getComputedStyle(legend).visibility !== 'hidden'};
}"""


def test_the_legend_never_covers_a_tooltip(first_view: tuple[Offline, tuple[int, int]]) -> None:
    app, _ = first_view
    page = app.page
    point = app.map.locator("body").evaluate(NEAR_LEGEND)
    frame = page.locator(MAP_FRAME).bounding_box()
    assert point is not None
    assert frame is not None
    page.mouse.move(frame["x"] + point["x"], frame["y"] + point["y"])
    expect(app.map.locator(".leaflet-tooltip").first).to_be_visible()
    page.mouse.move(frame["x"] + point["x"] + 1, frame["y"] + point["y"])  # sticky: it follows
    boxes = app.map.locator("body").evaluate(TOOLTIP_AND_LEGEND)
    tip, legend, whole = boxes["tip"], boxes["legend"], boxes["map"]
    assert not (boxes["legendShown"] and overlap(tip, legend))
    # Whole inside the map, not cut at its edge.
    assert whole["left"] <= tip["left"]
    assert tip["right"] <= whole["right"]
    assert whole["top"] <= tip["top"]
    assert tip["bottom"] <= whole["bottom"]
    assert (app.refused, app.errors) == ([], [])


# Open a leg's tooltip away from the legend, then move the map (as a resize's fit or a tour step
# does, with no pointer or tooltip event) until the tooltip lies on the legend's middle; two
# animation frames later, say whether they overlap and whether the legend is still shown.
TOOLTIP_MOVED_UNDER_LEGEND = """async () => {
  const map = window.__corridorMap;
  const legend = document.querySelector('.corridor-legend');
  const centre = el => { const r = el.getBoundingClientRect();
    return [(r.left + r.right) / 2, (r.top + r.bottom) / 2]; };
  let layer = null, west = Infinity;  // the line farthest from the legend, top right
  map.eachLayer(l => {
    if (!(l.getTooltip && l.getTooltip() && l.getLatLngs)) return;
    const x = map.latLngToContainerPoint(l.getBounds().getCenter()).x;
    if (x < west) { west = x; layer = l; }
  });
  layer.openTooltip();
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const tip = layer.getTooltip().getElement();
  const before = getComputedStyle(legend).visibility !== 'hidden';
  const [tx, ty] = centre(tip), [lx, ly] = centre(legend);
  map.panBy([tx - lx, ty - ly], {animate: false});
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const a = tip.getBoundingClientRect(), b = legend.getBoundingClientRect();
  return {before, open: layer.isTooltipOpen(),
          overlap: a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom,
          shown: getComputedStyle(legend).visibility !== 'hidden'};
}"""


def test_the_legend_yields_to_a_tooltip_the_map_moved_under_it(
    page: Page, open_app: Callable[[str], Offline]
) -> None:
    """A tooltip open while the map moves (a fit after a resize, a tour step) can end under
    the legend with no pointer event: the legend hides then, as when a pointer opens one."""
    app = _open(page, open_app, DESKTOP)
    moved = app.map.locator("body").evaluate(TOOLTIP_MOVED_UNDER_LEGEND)
    assert (moved["before"], moved["open"], moved["overlap"]) == (True, True, True), moved
    assert not moved["shown"], moved


INSIDE_THE_FRAME = """() => {
  const box = el => { const r = el.getBoundingClientRect();
    return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; };
  const c = window.__corridorMap.getContainer();
  const legend = document.querySelector('.corridor-legend');
  return {frame: {left: 0, top: 0, right: innerWidth, bottom: innerHeight}, map: box(c),
          legend: box(legend), scale: box(document.querySelector('.leaflet-control-scale')),
          legendScrolls: legend.scrollHeight > legend.clientHeight + 1,
          legendOpen: legend.querySelector('details').open};
}"""


@pytest.mark.parametrize("size", [LAPTOP, PROJECTOR])
def test_presentation_mode_cuts_nothing(
    page: Page, open_app: Callable[[str], Offline], size: tuple[int, int]
) -> None:
    app = _open(page, open_app, size, "?present=1")
    frame = page.locator(MAP_FRAME).bounding_box()
    assert frame is not None
    assert frame["y"] >= 0
    assert frame["y"] + frame["height"] <= size[1]  # the whole map on the screen
    boxes = app.map.locator("body").evaluate(INSIDE_THE_FRAME)
    for part in ("map", "legend", "scale"):
        for outer, inner in (("frame", part), ("map", part)):
            box, within = boxes[inner], boxes[outer]
            assert within["left"] <= box["left"], (outer, inner)
            assert box["right"] <= within["right"], (outer, inner)
            assert within["top"] <= box["top"], (outer, inner)
            assert box["bottom"] <= within["bottom"] + 0.5, (outer, inner)
    assert boxes["legendOpen"]
    assert not boxes["legendScrolls"]  # every row shown, none scrolled out of sight
    assert app.map.locator("body").evaluate(ROUTES_IN_VIEW)
    labels = _labels(app)
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            assert not overlap(a, b), (a, b)


# In the map's frame, once laid out (two animation frames after the last change): the map's
# box and each shown control's (the zoom and drawing buttons, legend, scale bar, credits), and
# with a ``[west, south, east, north]`` box, that box on screen as ``step``.
CONTROL_BOXES = """async (_body, bounds) => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const map = window.__corridorMap;
  const box = (r) => ({left: r.left, top: r.top, right: r.right, bottom: r.bottom});
  const found = {map: box(map.getContainer().getBoundingClientRect())};
  const controls = {zoom: '.leaflet-control-zoom', draw: '.leaflet-draw',
                    legend: '.corridor-legend', scale: '.leaflet-control-scale',
                    credits: '.leaflet-control-attribution'};
  for (const [name, selector] of Object.entries(controls)) {
    const el = document.querySelector(selector);
    if (el && el.offsetWidth) { found[name] = box(el.getBoundingClientRect()); }
  }
  if (bounds) {
    const [west, south, east, north] = bounds;
    const nw = map.latLngToContainerPoint([north, west]);
    const se = map.latLngToContainerPoint([south, east]);
    found.step = {left: nw.x, top: nw.y, right: se.x, bottom: se.y};
  }
  return found;
}"""


def _apart_inside_the_map(boxes: dict[str, dict[str, float]]) -> None:
    """Every box but the map's inside the map, and no two of them overlapping."""
    parts = {name: box for name, box in boxes.items() if name != "map"}
    for name, box in parts.items():
        assert inside(box, boxes["map"]), (name, boxes)
    names = sorted(parts)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            assert not overlap(parts[a], parts[b]), (a, b, boxes)


def _bundled(browser: Browser, bundled_url: str, size: tuple[int, int], query: str) -> Offline:
    """The app on the bundled data at ``size``, offline, once its map has reported its view."""
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    app = Offline.watch(context.new_page())
    app.page.goto(bundled_url + query)
    wait_map_ready(app.page, timeout=90_000)
    return app


@pytest.mark.parametrize(
    ("size", "query"), [(PHONE, ""), (LAPTOP, ""), (LAPTOP, "?present=1"), (DESKTOP, "")]
)
def test_the_open_legend_the_buttons_scale_bar_and_credits_sit_apart_inside_the_map(
    browser: Browser, bundled_url: str, size: tuple[int, int], query: str
) -> None:
    """The bundled data's legend is the longest: in presentation mode at 1280x720 it ran over
    the credits at the map's bottom edge. Opened where it starts folded (a phone)."""
    app = _bundled(browser, bundled_url, size, query)
    try:
        details = app.map.locator(".corridor-legend details")
        if details.get_attribute("open") is None:
            app.map.get_by_text("Legend", exact=True).click()
        expect(details).to_have_attribute("open", "")
        boxes = app.map.locator("body").evaluate(CONTROL_BOXES, None)
        assert {"zoom", "legend", "scale", "credits"} <= boxes.keys(), boxes
        _apart_inside_the_map(boxes)
        assert (app.refused, app.errors) == ([], [])
    finally:
        app.page.context.close()


def test_a_tour_steps_box_keeps_clear_of_the_maps_buttons_on_a_phone(
    browser: Browser, bundled_url: str
) -> None:
    """Fitted to the map's edge, step 9's box (the North-South corridor, tall) lay under the
    drawing buttons on a phone; it keeps clear of every control, all inside the map."""
    step = 9
    app = _bundled(browser, bundled_url, PHONE, f"?step={step}")
    try:
        content = map_frame(app.page)
        wait_settled(content, step)
        bounds = list(load_tour(TOUR_FILE).steps[step - 1].bounds)
        boxes = app.map.locator("body").evaluate(CONTROL_BOXES, bounds)
        assert {"zoom", "draw", "legend", "scale", "credits", "step"} <= boxes.keys(), boxes
        _apart_inside_the_map(boxes)
        assert (app.refused, app.errors) == ([], [])
    finally:
        app.page.context.close()


#: Per corridor, states it crosses or skirts that are a few pixels across on its first view of
#: Eurasia (the Middle Corridor skirts Armenia, 6.7 km off it in Georgia).
SMALL_STATES = {
    "tripp": {"Armenia", "Azerbaijan"},
    "russia-gulf": {"Azerbaijan"},
    "middle-corridor": {"Armenia", "Azerbaijan"},
}


@pytest.mark.parametrize("size", [PHONE, LAPTOP])
@pytest.mark.parametrize("corridor", list(SMALL_STATES))
def test_the_selected_routes_states_are_named_on_its_first_view(
    browser: Browser, bundled_url: str, size: tuple[int, int], corridor: str
) -> None:
    """A teacher points at the states a route crosses, skirts and bypasses from the map itself
    (issue #13): each one in view is named, in its state or on a leader ending inside it, once."""
    app = _bundled(browser, bundled_url, size, f"?corridor={corridor}")
    try:
        frame = map_frame(app.page)
        wait_view_settled(frame)
        seen = names_in_view(frame, "route")
        assert SMALL_STATES[corridor] <= seen["found"].keys(), seen["found"]
        assert [name for name, shown in seen["found"].items() if not shown] == []
        assert seen["leaders"] > 0  # the small ones have no room in them at this zoom
        assert seen["over"] == []  # a state's name mostly over another reads as the other's
        assert seen["twice"] == []  # its name and its "bypassed" label: one of them
        assert seen["crossed"] == []  # a leader through a name would seem to point at it
        boxes = seen["boxes"]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not overlap(a, b), (a, b)
        assert (app.refused, app.errors) == ([], [])
    finally:
        app.page.context.close()
