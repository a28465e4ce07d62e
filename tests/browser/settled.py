"""Whether a tour step has settled on the map: one owner for the wait the tour tests share.

The page sends a step only as a box to fit; the map fits it and reports where it landed, and
the page writes that view into its address. Until then the map and the address disagree: a
test measures the step's box, or counts the map's moves, once they agree.
"""

from __future__ import annotations

from playwright.sync_api import Frame, Page

from tests.browser.conftest import MAP_FRAME

# In the map's frame: whether the map keeps a fit of the page's (a tour step's) and the page's
# address holds the view the map shows, with the step ``step``: the map has settled there.
STEP_SETTLED = """(step) => {
  const map = window.__corridorMap;
  if (!map || !map.__corridorFit || !map.__corridorFit.fit) return false;
  const q = new URLSearchParams(window.parent.location.search);
  if (q.get('step') !== String(step) || Number(q.get('zoom')) !== map.getZoom()) return false;
  const [lat, lon] = (q.get('center') || '').split(',').map(Number);
  const p = map.latLngToContainerPoint([lat, lon]), size = map.getSize();
  return Math.abs(p.x - size.x / 2) < 3 && Math.abs(p.y - size.y / 2) < 3;
}"""


# In the map's frame: whether the map has taken its frame's size and the page's address holds
# the view it shows (after the page's layout resized the map, before a step is started).
VIEW_SETTLED = """() => {
  const map = window.__corridorMap;
  if (!map) return false;
  const size = map.getSize(), box = map.getContainer();
  if (size.x !== box.clientWidth || size.y !== box.clientHeight) return false;
  const q = new URLSearchParams(window.parent.location.search);
  if (Number(q.get('zoom')) !== map.getZoom()) return false;
  const [lat, lon] = (q.get('center') || '').split(',').map(Number);
  const p = map.latLngToContainerPoint([lat, lon]);
  return Math.abs(p.x - size.x / 2) < 3 && Math.abs(p.y - size.y / 2) < 3;
}"""


def wait_view_settled(frame: Frame, *, timeout: float = 60_000) -> None:
    """Wait in the map's frame until the map fills its frame and the address holds its view."""
    frame.wait_for_function(VIEW_SETTLED, polling=200, timeout=timeout)


def wait_settled(frame: Frame, step: int, *, timeout: float = 60_000) -> None:
    """Wait in the map's frame until step ``step`` has settled (raises on the hang guard)."""
    frame.wait_for_function(STEP_SETTLED, arg=step, polling=200, timeout=timeout)


def map_frame(page: Page) -> Frame:
    """Return the map's frame, to run scripts in it."""
    handle = page.locator(MAP_FRAME).element_handle()
    assert handle is not None
    frame = handle.content_frame()
    assert frame is not None
    return frame
