"""What the map's names show, read in its frame: one owner for the checks the names tests share.

A teacher points at a place from its name: a name counts where it is shown whole inside the map,
or beside its place on a leader that ends inside it (a state's inside its shape, another's at
its anchor) and crosses no other name. A state's name lies mostly over another state only on
such a leader, and no state is named twice (its name and its "bypassed" label).
"""

from __future__ import annotations

from typing import Any, Literal

from playwright.sync_api import Frame

#: Which names a check is about: those the words beside the map (a tour step's) mention, or the
#: states the selected route crosses (the emphasis the page sends), touches or skirts, and bypasses.
Sought = Literal["mentioned", "route"]

# In the map's frame, once the labels are laid out: the sought names the map should show (a
# label's anchor in view, or a state's part in view with room for its name in it), and whether
# each is shown whole inside the map (on a leader: one ending in its place); the states' names
# (a "bypassed" label too) shown mostly over another state, but on such a leader; the states
# named twice; how many leaders are drawn, and which cross another shown name's box. States are
# the basemap's shapes on screen, tested point by point (a point in a polygon by the even-odd
# rule), the name's box sampled every 4 pixels, a leader every pixel.
NAMES_IN_VIEW = """async (sought) => {
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
  const map = window.__corridorMap, size = map.getSize();
  const outer = map.getContainer().getBoundingClientRect(), view = map.getBounds();
  const shapes = {};
  map.eachLayer(l => {
    if (!l.feature || l.options.pane !== 'basemap' || !view.intersects(l.getBounds())) return;
    const g = l.feature.geometry;
    const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
    shapes[l.feature.id] = polygons.flat().map(
      ring => ring.map(c => map.latLngToContainerPoint([c[1], c[0]])));
  });
  const within = (rings, [x, y]) => {
    let odd = false;
    for (const ring of rings) {
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const a = ring[i], b = ring[j];
        if ((a.y > y) !== (b.y > y) && x < (b.x - a.x) * (y - a.y) / (b.y - a.y) + a.x) odd = !odd;
      }
    }
    return odd;
  };
  const points = (left, top, w, h) => {
    const out = [[left + w / 2, top + h / 2]], nx = Math.ceil(w / 4), ny = Math.ceil(h / 4);
    for (let i = 0; i <= nx; i++) {
      for (let j = 0; j <= ny; j++) out.push([left + w * i / nx, top + h * j / ny]);
    }
    return out;
  };
  const controls = [...map.getContainer().querySelectorAll('.leaflet-control')].map(el => {
    const r = el.getBoundingClientRect();
    return [r.left - outer.left, r.top - outer.top, r.right - outer.left, r.bottom - outer.top];
  });
  const clear = (x, y, w, h) => controls.every(
    ([left, top, right, bottom]) => x >= right || x + w <= left || y >= bottom || y + h <= top);
  const roomIn = (rings, w, h) => {
    for (let y = 2; y + h <= size.y - 2; y += 8) {
      for (let x = 2; x + w <= size.x - 2; x += 8) {
        if (clear(x, y, w, h) && points(x, y, w, h).every(p => within(rings, p))) return true;
      }
    }
    return false;
  };
  const routeStates = new Set();
  map.__corridorLabels.sets.forEach(set => [...set._emphasis, ...set._near].forEach(
    iso3 => routeStates.add(iso3)));
  const isSought = item => sought === 'mentioned' ? item.mentioned
    : item.record.kind === 'bypassed' ||
      (item.record.kind === 'state' && routeStates.has(item.record.iso3));
  const found = {}, over = [], leaders = [], boxes = [], named = {};
  map.__corridorLabels.sets.forEach(set => set._items.forEach(item => {
    const record = item.record, r = item.el.getBoundingClientRect();
    const shown = item.el.style.display !== 'none';
    const stateName = record.kind === 'state' || record.kind === 'bypassed';
    // A name on a leader names its place only where the leader ends in it: a state's inside
    // its shape, another's at one of its anchors.
    const line = shown && item.leader;
    const led = Boolean(line) && (stateName
      ? Boolean(shapes[record.iso3]) && within(shapes[record.iso3], [line[2], line[3]])
      : record.anchors.some(a => {
          const p = map.latLngToContainerPoint([a[0], a[1]]);
          return Math.hypot(p.x - line[2], p.y - line[3]) < 1;
        }));
    if (line) leaders.push({text: record.text, line});
    if (shown) boxes.push({text: record.text, left: r.left - outer.left, top: r.top - outer.top,
                           right: r.right - outer.left, bottom: r.bottom - outer.top});
    if (shown && stateName) named[record.iso3] = (named[record.iso3] || 0) + 1;
    if (shown && stateName && !led) {
      const box = points(r.left - outer.left, r.top - outer.top, r.width, r.height);
      const others = Object.entries(shapes).filter(([iso3]) => iso3 !== record.iso3);
      const elsewhere = box.filter(p => others.some(([, rings]) => within(rings, p)));
      if (elsewhere.length > box.length / 2) over.push(record.text);
    }
    if (!isSought(item)) return;
    const whole = shown && (!line || led) && r.left >= outer.left && r.right <= outer.right &&
      r.top >= outer.top && r.bottom <= outer.bottom;
    if (!whole && !record.anchors.some(a => view.contains([a[0], a[1]])) &&
        !(shapes[record.iso3] &&
          roomIn(shapes[record.iso3], item.w, item.h))) return;
    found[record.text] = found[record.text] || whole;
  }));
  const crossed = [];
  leaders.forEach(({text, line: [x0, y0, x1, y1]}) => {
    const steps = Math.ceil(Math.hypot(x1 - x0, y1 - y0));
    boxes.filter(b => b.text !== text).forEach(b => {
      for (let i = 0; i <= steps; i++) {
        const x = x0 + (x1 - x0) * i / steps, y = y0 + (y1 - y0) * i / steps;
        if (x > b.left + 0.5 && x < b.right - 0.5 && y > b.top + 0.5 && y < b.bottom - 0.5) {
          crossed.push([text, b.text]);
          return;
        }
      }
    });
  });
  const twice = Object.keys(named).filter(iso3 => named[iso3] > 1);
  return {found, over, twice, leaders: leaders.length, crossed, boxes};
}"""


def names_in_view(frame: Frame, sought: Sought) -> dict[str, Any]:
    """Return what the map in ``frame`` shows of the ``sought`` names, once laid out.

    ``found`` maps each sought name the map should show to whether it does; ``over`` lists the
    states' names mostly over another state (not on a leader ending in their own); ``twice``
    the states named twice; ``leaders`` counts the leaders and ``crossed`` pairs each leader's
    name with another name its line crosses; ``boxes`` are the shown names' boxes in the map.
    """
    return frame.evaluate(NAMES_IN_VIEW, sought)
