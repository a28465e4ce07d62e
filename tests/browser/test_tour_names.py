"""A teacher can point at every place a tour step's words name, on a phone and a projector.

The tour walked with its Next button, as a class sees it: at each step, every state, sea,
strait, region or station the step's title and narrative name (not inside a route's own name,
which the legend gives) is named on the map, wherever one of its label's anchors lies in view.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from corridors.policy.tour import TOUR_FILE, load_tour
from tests.browser.conftest import Offline
from tests.browser.settled import map_frame, wait_settled

pytestmark = pytest.mark.browser

STEPS = load_tour(TOUR_FILE).steps

# In the map's frame, once the labels are laid out: the names the words mention whose label
# has an anchor in view, and whether each is shown whole inside the map.
MENTIONED_IN_VIEW = """async () => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const map = window.__corridorMap;
  const outer = map.getContainer().getBoundingClientRect(), view = map.getBounds();
  const found = {};
  map.__corridorLabels.sets.forEach(set => set._items.forEach(item => {
    if (!item.mentioned || !item.record.anchors.some(a => view.contains([a[0], a[1]]))) return;
    const r = item.el.getBoundingClientRect();
    const whole = item.el.style.display !== 'none' && r.left >= outer.left &&
      r.right <= outer.right && r.top >= outer.top && r.bottom <= outer.bottom;
    found[item.record.text] = found[item.record.text] || whole;
  }));
  return found;
}"""

#: Names a step's words mention, in view, that the map may not place, by screen: (step id,
#: name). The most the test allows: a new gap fails it. A name goes no farther than a corner
#: by its anchor, where it would name a neighbour, so on the steps fitted to western Asia
#: (zoom 3 to 3.5) Armenia and Azerbaijan, a few pixels across under the lines and stations,
#: go unnamed; on a phone at zoom 5.5, so do Tbilisi, Gyumri and, in some layouts (the map's
#: year note comes and goes), Akhalkalaki, among the crowded stations of Georgia.
KNOWN_GAPS = {
    "phone": {
        ("btk", "Tbilisi"),
        ("btk", "Gyumri"),
        ("btk-2016", "Gyumri"),
        ("btk-2016", "Akhalkalaki"),
        ("instc", "Azerbaijan"),
        ("russia-gulf", "Azerbaijan"),
        ("all-closed", "Armenia"),
    },
    "projector": {
        ("instc", "Azerbaijan"),
        ("russia-gulf", "Azerbaijan"),
        ("all-closed", "Armenia"),
    },
}


#: Each screen: its size, the link's extra parameters and the box holding the step's words.
SCREENS = {
    "phone": ((390, 844), "", ".st-key-tour_side"),
    "projector": ((1280, 720), "&present=1", ".st-key-tour_bar"),
}


@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_place_a_steps_words_name_is_named_on_its_map(
    page: Page, bundled_url: str, screen: str
) -> None:
    size, query, bar = SCREENS[screen]
    page.set_viewport_size({"width": size[0], "height": size[1]})
    app = Offline.watch(page)
    page.goto(f"{bundled_url}/?step=1{query}")
    words = page.locator(bar)
    missing: set[tuple[str, str]] = set()
    checked = 0
    for number, step in enumerate(STEPS, start=1):
        if number > 1:
            words.get_by_role("button", name="Next").click()
        expect(words.get_by_text(f"step {number} of")).to_be_visible(timeout=90_000)
        frame = map_frame(page)
        try:
            wait_settled(frame, number)  # step 12 on a projector once never was (see roomBeside)
        except PlaywrightTimeoutError:
            pytest.fail(f"step {number} ({step.id}) never settled: the page is at {page.url}")
        found = frame.evaluate(MENTIONED_IN_VIEW)
        checked += len(found)
        missing |= {(step.id, name) for name, shown in found.items() if not shown}
    assert checked >= 3 * len(STEPS)  # the words name places on every step
    assert missing <= KNOWN_GAPS[screen], missing - KNOWN_GAPS[screen]
    assert (app.refused, app.errors) == ([], [])
