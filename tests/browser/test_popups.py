"""A tooltip's source links close with it as the pointer leaves: a click opens them in a popup."""

from __future__ import annotations

import pytest
from playwright.sync_api import Frame, expect

from corridors.data import Dataset
from tests.browser.conftest import MAP_FRAME, Offline

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


def _click(app: Offline, selector: str) -> None:
    """Click the first ``selector`` path that shows on top somewhere, with the mouse, there."""
    paths = app.map.locator(selector)
    found = (paths.nth(i).evaluate(_ON_TOP) for i in range(paths.count()))
    x, y = next(point for point in found if point is not None)
    box = app.page.locator(MAP_FRAME).bounding_box()
    assert box is not None
    app.page.mouse.click(box["x"] + x, box["y"] + y)


@pytest.mark.parametrize("selector", ["path.route-btk", "path.chokepoint"])
def test_clicking_a_leg_or_chokepoint_opens_its_sources_in_a_popup_inside_the_map(
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
        picker = offline.page.get_by_role("combobox", name="Corridor")
        expect(picker).not_to_have_value("Middle Corridor")
    expect(link).to_be_visible()
    frame.wait_for_function(_REACHABLE, timeout=30_000)
