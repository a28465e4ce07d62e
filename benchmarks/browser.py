"""Figures taken in headless Chromium against a running app, and the server's memory.

Times are read inside the page, not by polling from Python: a script added to every frame
notes, on the shared clock ``performance.timeOrigin + performance.now()``, when the map iframe
first holds every corridor line and each time the number of lines changes, and the top page
notes when a click happens. Navigation starts at the top page's ``performance.timeOrigin``.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    FrameLocator,
    Page,
    expect,
    sync_playwright,
)

from benchmarks.server import Server

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: Generous: the slowest wait is 20 sessions loading at once on two cores.
TIMEOUT_MS = 120_000
MB = 1024 * 1024

#: Added to the page before its own scripts run; ``%(legs)d`` is the number of corridor legs.
#: It notes clicks, and watches each iframe's document from the top page: a script added to the
#: iframe itself may run in the iframe's first, empty document and miss the real one.
_PROBE = """
(() => {
  if (window !== window.top || window.__clicks) return;
  const now = () => performance.timeOrigin + performance.now();
  window.__clicks = [];
  addEventListener("click", () => window.__clicks.push(now()), true);
  // When Streamlit's own frontend has booted and heard from the server: the floor under any map.
  const Socket = window.WebSocket;
  window.WebSocket = Object.assign(function (...args) {
    const socket = new Socket(...args);
    socket.addEventListener("message", () => { window.__firstMessageAt ??= now(); });
    return socket;
  }, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3, prototype: Socket.prototype});
  const probe = (doc) => {
    const win = doc.defaultView;
    doc.__probed = true;
    win.__changes = [];
    let last = -1;
    const check = () => {
      const n = doc.querySelectorAll("path.corridor-leg").length;
      if (n === last) return;
      last = n;
      win.__changes.push([now(), n]);
      if (n >= %(legs)d && win.__drawnAt === undefined) win.__drawnAt = now();
    };
    new MutationObserver(check).observe(doc, {childList: true, subtree: true});
    check();
  };
  const scan = () => {
    for (const frame of document.querySelectorAll("iframe")) {
      const doc = frame.contentDocument;
      if (doc && doc.defaultView && doc.URL !== "about:blank" && !doc.__probed) probe(doc);
    }
    requestAnimationFrame(scan);
  };
  requestAnimationFrame(scan);
})();
"""


def chromium_path() -> str:
    """Return Debian's chromium; the benchmark never downloads a browser."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not shutil.which(path):
        msg = "Debian's chromium is not installed (apt-get install chromium)"
        raise RuntimeError(msg)
    return path


@dataclass(frozen=True)
class Corridor:
    """What the browser needs to know of a corridor: its id, sidebar label and legs drawn."""

    id: str
    name: str
    legs: int


@dataclass
class Session:
    """One browser context with the app open, and the websocket bytes it received."""

    context: BrowserContext
    page: Page
    ws_bytes: list[int] = field(default_factory=list)

    @property
    def map(self) -> FrameLocator:
        """The map's iframe."""
        return self.page.frame_locator(MAP_FRAME)


def open_session(browser: Browser, url: str, legs: int) -> Session:
    """Open the app in a fresh context (a new Streamlit session) without waiting for the map."""
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(_PROBE % {"legs": legs})
    page = context.new_page()
    session = Session(context, page)

    def on_websocket(ws: Any) -> None:
        ws.on("framereceived", lambda payload: session.ws_bytes.append(len(payload)))

    page.on("websocket", on_websocket)
    page.goto(url, wait_until="commit")
    return session


def wait_for_map(session: Session, legs: int) -> float:
    """Wait until every corridor line is drawn; return ms from navigation to that moment."""
    expect(session.map.locator("path.corridor-leg")).to_have_count(legs, timeout=TIMEOUT_MS)
    drawn = session.map.locator("body").evaluate("() => window.__drawnAt")
    start = session.page.evaluate("() => performance.timeOrigin")
    return float(drawn - start)


def first_message_ms(session: Session) -> float:
    """Return ms from navigation to the first message from the server: Streamlit's boot."""
    return float(session.page.evaluate("() => window.__firstMessageAt - performance.timeOrigin"))


def _toggle_ms(session: Session, corridor: Corridor, expected: int) -> float:
    """Click a corridor's sidebar toggle; return ms from the click to the map showing it."""
    body = session.map.locator("body")
    before = len(body.evaluate("() => window.__changes"))
    clicks = len(session.page.evaluate("() => window.__clicks"))
    session.page.get_by_test_id("stSidebar").get_by_text(corridor.name, exact=True).click()
    expect(session.map.locator("path.corridor-leg")).to_have_count(expected, timeout=TIMEOUT_MS)
    clicked = session.page.evaluate("() => window.__clicks")[clicks]
    changes = body.evaluate("() => window.__changes")[before:]
    done = next(t for t, n in changes if n == expected)
    return float(done - clicked)


@dataclass(frozen=True)
class BrowserFigures:
    """Medians of the in-browser timings, the bytes received, and the server's memory."""

    first_map_cold_ms: float
    first_map_ms: list[float]
    first_message_ms: list[float]
    ws_first_page_bytes: list[int]
    toggle_ms: list[float]
    toggle_remounted: bool
    rss_idle: int
    rss_one: int
    rss_twenty: int
    rss_after: int
    twenty_load_s: float


def measure(
    server: Server, corridors: Sequence[Corridor], *, runs: int, sessions: int = 20
) -> BrowserFigures:
    """Run every browser measurement against ``server`` with ``runs`` repetitions each."""
    legs = sum(c.legs for c in corridors)
    # Not the first corridor: that one is selected, and its highlighted states would redraw too.
    toggled = corridors[1] if len(corridors) > 1 else corridors[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            rss_idle = server.rss()
            # The first page after start-up pays for loading data into the server's caches.
            cold = open_session(browser, server.url, legs)
            first_cold = wait_for_map(cold, legs)
            cold.context.close()
            first, booted, ws_bytes = [], [], []
            for _ in range(runs):
                session = open_session(browser, server.url, legs)
                first.append(wait_for_map(session, legs))
                booted.append(first_message_ms(session))
                ws_bytes.append(sum(session.ws_bytes))
                session.context.close()
            toggles, remounted = _toggles(browser, server.url, legs, toggled, runs)
            rss_one, rss_twenty, rss_after, load_s = _memory(browser, server, legs, sessions)
        finally:
            browser.close()
    return BrowserFigures(
        first_map_cold_ms=first_cold,
        first_map_ms=first,
        first_message_ms=booted,
        ws_first_page_bytes=ws_bytes,
        toggle_ms=toggles,
        toggle_remounted=remounted,
        rss_idle=rss_idle,
        rss_one=rss_one,
        rss_twenty=rss_twenty,
        rss_after=rss_after,
        twenty_load_s=load_s,
    )


def _toggles(
    browser: Browser, url: str, legs: int, corridor: Corridor, runs: int
) -> tuple[list[float], bool]:
    """Switch a corridor off and on ``runs`` times each; say whether the map was re-mounted."""
    session = open_session(browser, url, legs)
    wait_for_map(session, legs)
    mark = "() => { window.__benchMark = 1; window.map.__benchMark = 1; }"
    session.map.locator("body").evaluate(mark)
    times = []
    for _ in range(runs):
        times.append(_toggle_ms(session, corridor, legs - corridor.legs))
        times.append(_toggle_ms(session, corridor, legs))
    kept = session.map.locator("body").evaluate(
        "() => window.__benchMark === 1 && window.map.__benchMark === 1"
    )
    session.context.close()
    return times, not kept


def _memory(
    browser: Browser, server: Server, legs: int, sessions: int
) -> tuple[int, int, int, float]:
    """Return RSS with one session, with ``sessions`` at once, after closing them; load time."""
    one = open_session(browser, server.url, legs)
    wait_for_map(one, legs)
    rss_one = server.rss()
    start = time.perf_counter()
    more = [open_session(browser, server.url, legs) for _ in range(sessions - 1)]
    for session in more:
        wait_for_map(session, legs)
    load_s = time.perf_counter() - start
    rss_twenty = server.rss()
    for session in [one, *more]:
        session.context.close()
    return rss_one, rss_twenty, server.rss(), load_s
