"""Whether the map is kept to the study area: one owner for the checks the map tests share.

The map's bounds are the study area (``corridors.extent.STUDY_AREA``, Leaflet's ``maxBounds``)
and its lowest zoom the one at which the whole area fits the map (``keepToArea`` in
``static/corridors.js``). Run in the document holding the map: the dashboard's map frame, or a
standalone page.
"""

from __future__ import annotations

import math
import re
from typing import Any

from playwright.sync_api import Frame, Locator, expect

#: How many presses of a zoom button reach any zoom from the highest (18) in half steps: more.
MAX_PRESSES = 40

#: In the map's document: the map's zoom and lowest zoom; how much of the map's width or height
#: the study area spans (``fill``, the larger of the two); whether the view shows the whole of
#: every corridor drawn; per side of the map (x, y), the pixels of the study area shown there
#: less the pixels it could show (the map's, or the area's if that is smaller): zero where as
#: much of the area is on the map as fits, negative where the map shows less; and the room the
#: map's bounds keep east of the area for the legend, in pixels (keepToArea).
AREA_ON_MAP = """() => {
  const map = window.__corridorMap;
  const size = map.getSize(), area = map.__corridorArea;
  const nw = map.latLngToContainerPoint(area.getNorthWest());
  const se = map.latLngToContainerPoint(area.getSouthEast());
  const span = [se.x - nw.x, se.y - nw.y];
  const shown = [
    Math.min(se.x, size.x) - Math.max(nw.x, 0), Math.min(se.y, size.y) - Math.max(nw.y, 0),
  ];
  let routes = null;
  map.eachLayer((layer) => {
    if (/corridor-leg/.test((layer.options && layer.options.className) || '')) {
      routes = routes ? routes.extend(layer.getBounds()) : L.latLngBounds([layer.getBounds()]);
    }
  });
  return {
    zoom: map.getZoom(),
    minZoom: map.getMinZoom(),
    fill: Math.max(span[0] / size.x, span[1] / size.y),
    routesShown: routes !== null && map.getBounds().contains(routes),
    shortfall: [0, 1].map((i) => shown[i] - Math.min([size.x, size.y][i], span[i])),
    room: map.latLngToContainerPoint(map.options.maxBounds.getNorthEast()).x - se.x,
  };
}"""

#: In the map's document: whether the map is still, its zoom and pan animations over.
STILL = """() => {
  const map = window.__corridorMap;
  return !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress);
}"""


#: In the map's document: whether the map is at its lowest zoom.
AT_LOWEST = "() => window.__corridorMap.getZoom() <= window.__corridorMap.getMinZoom()"


def area_on_map(doc: Frame) -> dict[str, Any]:
    """Return :data:`AREA_ON_MAP` once the map is still."""
    doc.wait_for_function(STILL)
    result: dict[str, Any] = doc.evaluate(AREA_ON_MAP)
    return result


def zoom_out_fully(doc: Frame, zoom_out: Locator) -> int:
    """Press the zoom-out button until the map is at its lowest zoom; return how many presses.

    Leaflet then disables the button (checked), but only once the zoom has ended: read before,
    the button is still enabled and a press does nothing.
    """
    for presses in range(MAX_PRESSES):
        doc.wait_for_function(STILL)
        if doc.evaluate(AT_LOWEST):
            expect(zoom_out).to_have_class(re.compile("leaflet-disabled"))
            return presses
        zoom = doc.evaluate("() => window.__corridorMap.getZoom()")
        zoom_out.click()
        doc.wait_for_function("z => window.__corridorMap.getZoom() < z", arg=zoom)
    msg = f"the map was not at its lowest zoom after {MAX_PRESSES} presses of zoom-out"
    raise AssertionError(msg)


def assert_kept_to_area(doc: Frame, *, lowest: bool = True) -> None:
    """Check the map shows the study area, corridors in view, as much of it as fits.

    At its ``lowest`` zoom (checked), which snaps to halves, the area spans at least 1/sqrt(2)
    of the map's width or height, and at most all of it; at any zoom, at least that.
    """
    seen = area_on_map(doc)
    assert seen["zoom"] == seen["minZoom"] if lowest else seen["zoom"] >= seen["minZoom"], seen
    assert 1 / math.sqrt(2) - 0.01 <= seen["fill"], seen
    if lowest:
        assert seen["fill"] <= 1.0 + 0.01, seen
    assert seen["routesShown"], seen
    assert_as_much_as_fits(seen)


def assert_as_much_as_fits(seen: dict[str, Any]) -> None:
    """Check the map shows as much of the study area as fits, but for the legend's room."""
    assert seen["shortfall"][0] >= -seen["room"] - 1, seen
    assert seen["shortfall"][1] >= -1, seen


def drag_far(doc: Frame, at: dict[str, float], dx: float, dy: float) -> None:
    """Drag the map from the middle of ``at`` (its box on the page) by ``dx``, ``dy`` pixels."""
    mouse = doc.page.mouse
    x, y = at["x"] + at["width"] / 2, at["y"] + at["height"] / 2
    mouse.move(x, y)
    mouse.down()
    mouse.move(x + dx, y + dy, steps=20)
    mouse.up()
