"""A teacher can point at every place a tour step's words name, on a phone and a projector.

The tour walked with its Next button, as a class sees it: at each step, every state, sea,
strait, region or station the step's title and narrative name (not inside a route's own name,
which the legend gives) is named on the map, wherever one of its label's anchors lies in view
or, for a state, wherever the part of it in view (clear of the map's buttons) has room for its
name; a name too big for the room it has is named beside it on a leader, which counts only
where the leader ends inside its state (a station's or region's at its anchor) and crosses no
other name; and no state's name lies mostly over another state, but on such a leader.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from corridors.policy.tour import TOUR_FILE, load_tour
from tests.browser.conftest import Offline
from tests.browser.names import names_in_view
from tests.browser.settled import map_frame, wait_settled

pytestmark = pytest.mark.browser

STEPS = load_tour(TOUR_FILE).steps

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
    astray: set[tuple[str, str]] = set()
    crossed: set[tuple[str, str, str]] = set()
    twice: set[tuple[str, str]] = set()
    checked = leaders = 0
    for number, step in enumerate(STEPS, start=1):
        if number > 1:
            words.get_by_role("button", name="Next").click()
        expect(words.get_by_text(f"step {number} of")).to_be_visible(timeout=90_000)
        frame = map_frame(page)
        try:
            wait_settled(frame, number)  # step 12 on a projector once never was (see roomBeside)
        except PlaywrightTimeoutError:
            pytest.fail(f"step {number} ({step.id}) never settled: the page is at {page.url}")
        seen = names_in_view(frame, "mentioned")
        checked += len(seen["found"])
        missing |= {(step.id, name) for name, shown in seen["found"].items() if not shown}
        astray |= {(step.id, name) for name in seen["over"]}
        twice |= {(step.id, iso3) for iso3 in seen["twice"]}
        crossed |= {(step.id, name, other) for name, other in seen["crossed"]}
        leaders += seen["leaders"]
    assert checked >= 3 * len(STEPS)  # the words name places on every step
    assert missing == set()
    assert astray == set()  # a state's name mostly over another state reads as the other's
    assert twice == set()  # a state's name and its "bypassed" label: one of them
    assert leaders > 0  # Armenia's on the last step, a few pixels across
    assert crossed == set()  # a leader through another name would seem to point at it
    assert (app.refused, app.errors) == ([], [])
