"""Figures taken in headless Chromium against a running app, and the server's memory.

Times are read inside the page, not by polling from Python: a script added to every frame
notes, on the shared clock ``performance.timeOrigin + performance.now()``, when the map iframe
first holds every corridor line, each change to its document and each time its arguments
arrive, and the top page notes each click and key press. Navigation starts at the top page's
``performance.timeOrigin``. Requests and bytes are Chromium's own counts (DevTools protocol).
The network is cut: Chromium resolves no host but the loopback address.
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    FrameLocator,
    Locator,
    Page,
    expect,
    sync_playwright,
)
from playwright.sync_api import (
    TimeoutError as PlaywrightTimeoutError,
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

#: Chromium resolves no host name but the loopback address: the network is cut for the page
#: without intercepting its requests (interception would slow every one of them).
NETWORK_CUT = ["--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]

#: Added to the page before its own scripts run; ``%(legs)d`` is the number of corridor legs.
#: It notes clicks and key presses, and watches each iframe's document from the top page (a
#: script added to the iframe itself may run in the iframe's first, empty document and miss the
#: real one): the corridor lines, every change, and in the map's frame each load and each
#: ``streamlit:render`` message, the map's arguments arriving.
_PROBE = """
(() => {
  const now = () => performance.timeOrigin + performance.now();
  if (window !== window.top || window.__inputs) return;
  window.__inputs = [];
  window.__renders = [];
  window.__frameLoads = 0;
  addEventListener("click", () => window.__inputs.push(now()), true);
  addEventListener("keydown", () => window.__inputs.push(now()), true);
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
    if (doc.URL.includes("streamlit_folium")) {
      window.__frameLoads += 1;
      win.addEventListener("message", (event) => {
        const data = event.data;
        if (data && data.type === "streamlit:render") {
          window.__renders.push([now(), JSON.stringify(data.args ?? {}).length]);
        }
      });
    }
    win.__changes = [];
    win.__mutations = [];
    let last = -1;
    const check = () => {
      win.__mutations.push(now());
      const n = doc.querySelectorAll("path.corridor-leg").length;
      if (n === last) return;
      last = n;
      win.__changes.push([now(), n]);
      if (n >= %(legs)d && win.__drawnAt === undefined) win.__drawnAt = now();
    };
    new MutationObserver(check).observe(doc, {childList: true, subtree: true, attributes: true});
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

#: Resolves, in the top page, once a new set of map arguments has arrived (more than ``n``
#: renders) and the map has not changed for ``quiet`` ms: to the time of its last change.
_SETTLED = """
([n, quiet, frame]) => {
  const now = performance.timeOrigin + performance.now();
  const renders = window.__renders;
  if (renders.length <= n) return false;
  const win = document.querySelector(frame).contentWindow;
  const changes = win.__mutations || [];
  const last = Math.max(renders[renders.length - 1][0], changes.at(-1) ?? 0);
  return now - last > quiet ? last : false;
}
"""
#: How long the map must stay unchanged before an update counts as finished, in ms.
QUIET_MS = 600
#: Resolves, in the top page, once the map has had no new arguments and no change for ``quiet``
#: ms: whatever an action that is not measured did to it is over.
_QUIET = """
([quiet, frame]) => {
  const now = performance.timeOrigin + performance.now();
  const win = document.querySelector(frame).contentWindow;
  const last = Math.max((window.__renders.at(-1) || [0])[0], (win.__mutations || []).at(-1) ?? 0);
  return now - last > quiet;
}
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
    """One browser context with a page open, and what it fetched, as Chromium counts it."""

    context: BrowserContext
    page: Page
    cdp: CDPSession
    requests: int = 0
    http_bytes: int = 0
    ws_bytes: int = 0
    failed: list[str] = field(default_factory=list)
    last_traffic: float = field(default_factory=time.monotonic)
    #: Each HTTP request's URL and the bytes received for it, by DevTools' request id.
    fetched: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def map(self) -> FrameLocator:
        """The map's iframe."""
        return self.page.frame_locator(MAP_FRAME)

    def _request(self, event: dict[str, Any]) -> None:
        url = event["request"]["url"]
        if url.startswith("http"):
            self.requests += 1
            self.fetched[event["requestId"]] = (url, 0)
            self.last_traffic = time.monotonic()

    def _loaded(self, event: dict[str, Any]) -> None:
        size = int(event["encodedDataLength"])
        self.http_bytes += size
        url, _ = self.fetched.get(event["requestId"], ("", 0))
        if url:
            self.fetched[event["requestId"]] = (url, size)
        self.last_traffic = time.monotonic()

    def _frame(self, event: dict[str, Any]) -> None:
        self.ws_bytes += len(event["response"]["payloadData"])
        self.last_traffic = time.monotonic()

    def script_s(self) -> float:
        """Return the seconds the page (with its same-site frames) has spent running script."""
        metrics = self.cdp.send("Performance.getMetrics")["metrics"]
        return float(next(m["value"] for m in metrics if m["name"] == "ScriptDuration"))

    def renders(self) -> list[tuple[float, int]]:
        """Return when each set of arguments reached a component frame, and its JSON length."""
        return [(t, n) for t, n in self.page.evaluate("() => window.__renders")]

    def frame_loads(self) -> int:
        """Return how many component documents have loaded in this page."""
        return int(self.page.evaluate("() => window.__frameLoads || 0"))


def open_session(browser: Browser, url: str, legs: int, *, count: bool = True) -> Session:
    """Open ``url`` in a fresh context (a new Streamlit session) without waiting for the map.

    With ``count``, requests, bytes (HTTP bodies and headers as received, and websocket frames)
    and failed requests are counted through the DevTools protocol from the start of navigation.
    """
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    context.add_init_script(_PROBE % {"legs": legs})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    session = Session(context, page, cdp)
    if count:
        cdp.on("Network.requestWillBeSent", session._request)
        cdp.on("Network.loadingFinished", session._loaded)
        cdp.on("Network.webSocketFrameReceived", session._frame)
        cdp.send("Network.enable")
        cdp.send("Performance.enable")
    page.on("requestfailed", lambda request: session.failed.append(request.url))
    page.goto(url, wait_until="commit")
    return session


def wait_for_map(session: Session, legs: int) -> float:
    """Wait until every corridor line is drawn; return ms from navigation to that moment."""
    expect(session.map.locator("path.corridor-leg")).to_have_count(legs, timeout=TIMEOUT_MS)
    drawn = session.map.locator("body").evaluate("() => window.__drawnAt")
    start = session.page.evaluate("() => performance.timeOrigin")
    return float(drawn - start)


def wait_for_quiet(session: Session, quiet_s: float = 1.5) -> None:
    """Wait until the page has fetched nothing for ``quiet_s`` (the first load is over)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while time.monotonic() - session.last_traffic < quiet_s:
        if time.monotonic() > deadline:
            msg = "the page kept fetching"
            raise TimeoutError(msg)
        session.page.wait_for_timeout(100)  # lets the DevTools events in


def first_message_ms(session: Session) -> float:
    """Return ms from navigation to the first message from the server: Streamlit's boot."""
    return float(session.page.evaluate("() => window.__firstMessageAt - performance.timeOrigin"))


@dataclass(frozen=True)
class FirstLoad:
    """One page's first load: when the map was drawn, what it fetched and ran, renders seen."""

    map_ms: float
    booted_ms: float
    requests: int
    bytes: int
    ws_bytes: int
    script_s: float
    renders: int
    render_bytes: int
    failed: int
    #: Each HTTP request's URL and the bytes received for it, in the order they were sent.
    fetched: tuple[tuple[str, int], ...] = ()


def first_load(browser: Browser, url: str, legs: int) -> FirstLoad:
    """Open ``url`` in a fresh context, wait for its map and for its traffic to stop; measure."""
    session = open_session(browser, url, legs)
    drawn = wait_for_map(session, legs)
    wait_for_quiet(session)
    renders = session.renders()
    load = FirstLoad(
        map_ms=drawn,
        booted_ms=first_message_ms(session),
        requests=session.requests,
        bytes=session.http_bytes + session.ws_bytes,
        ws_bytes=session.ws_bytes,
        script_s=session.script_s(),
        renders=len(renders),
        render_bytes=sum(n for _, n in renders),
        failed=len(session.failed),
        fetched=tuple(session.fetched.values()),
    )
    session.context.close()
    return load


def update_ms(session: Session, act: Callable[[], object]) -> float:
    """Do ``act`` (a click or key press in the page); return ms from it to the map updated.

    The map is updated when new arguments have reached its frame and its document has then not
    changed for :data:`QUIET_MS`; the time is that of its last change. The action's moment is the
    last click or key press before the arguments arrived (choosing from a list is two clicks).
    """
    renders = len(session.renders())
    inputs = len(session.page.evaluate("() => window.__inputs"))
    act()
    done = session.page.wait_for_function(
        _SETTLED, arg=[renders, QUIET_MS, MAP_FRAME], polling=50, timeout=TIMEOUT_MS
    ).json_value()
    arrived = session.renders()[renders][0]
    pressed = [t for t in session.page.evaluate("() => window.__inputs")[inputs:] if t <= arrived]
    return float(done - pressed[-1])


def _mark_map(session: Session) -> None:
    session.map.locator("body").evaluate("() => { window.__benchMark = 1; map.__benchMark = 1; }")


def _map_kept(session: Session) -> bool:
    return bool(
        session.map.locator("body").evaluate(
            "() => window.__benchMark === 1 && map.__benchMark === 1"
        )
    )


@dataclass(frozen=True)
class Actions:
    """Where the benchmark clicks: a corridor to toggle and one to pick, a state, year tabs."""

    toggled: Corridor
    picked: tuple[str, str]
    state: str
    whatif_tab: str = "What-if"
    timeline_tab: str = "Timeline"


@dataclass(frozen=True)
class Updates:
    """Milliseconds from each kind of action to the map updated, and whether it was re-mounted."""

    toggle: list[float]
    pick: list[float]
    close: list[float]
    year: list[float]
    remounted: bool


def _settle(session: Session, act: Callable[[], object]) -> None:
    """Do an action that is not measured, and wait for whatever it does to the map."""
    update_ms(session, act)


def _open_tab(session: Session, name: str, ready: Locator) -> None:
    """Open a tab under the map, which reruns the page, and wait until that run is over."""
    session.page.get_by_role("tab", name=name).click()
    expect(ready).to_be_visible(timeout=TIMEOUT_MS)
    session.page.wait_for_function(
        _QUIET, arg=[QUIET_MS, MAP_FRAME], polling=50, timeout=TIMEOUT_MS
    )


def updates(browser: Browser, url: str, legs: int, actions: Actions, runs: int) -> Updates:
    """Toggle, pick, close a state and move the year ``runs`` times each, in one session."""
    session = open_session(browser, url, legs)
    wait_for_map(session, legs)
    wait_for_quiet(session)
    _mark_map(session)
    page = session.page
    sidebar = page.get_by_test_id("stSidebar")
    toggle = sidebar.get_by_test_id("stCheckbox").get_by_text(actions.toggled.name, exact=True)
    toggles = [update_ms(session, toggle.click) for _ in range(2 * runs)]

    def pick(name: str) -> None:
        page.get_by_role("radiogroup", name="Corridor").get_by_text(name, exact=True).click()

    picks = [update_ms(session, partial(pick, actions.picked[n % 2])) for n in range(2 * runs)]
    closing = page.get_by_role("combobox", name="Close states to transit")
    _open_tab(session, actions.whatif_tab, closing)

    def close() -> None:
        closing.click()
        page.keyboard.type(actions.state)
        page.keyboard.press("Enter")

    def reopen() -> None:
        closing.click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")

    closes = []
    for _ in range(runs):
        closes.append(update_ms(session, close))
        _settle(session, reopen)
    year_on = page.get_by_text("Show the network in a chosen year")
    _open_tab(session, actions.timeline_tab, year_on)
    _settle(session, year_on.click)
    thumb = page.get_by_test_id("stSlider").get_by_role("slider")
    thumb.focus()
    years = [
        update_ms(session, partial(page.keyboard.press, ("ArrowLeft", "ArrowRight")[n % 2]))
        for n in range(2 * runs)
    ]
    kept = _map_kept(session)
    session.context.close()
    return Updates(toggles, picks, closes, years, remounted=not kept)


def floor_updates(browser: Browser, url: str, runs: int) -> list[float]:
    """Toggle the floor page's overlay ``2 * runs`` times; return ms to the map updated each time.

    The floor of an update: Streamlit's rerun of a one-line page and streamlit-folium swapping
    a one-line layer, timed as :func:`update_ms` times the dashboard's.
    """
    session = open_session(browser, f"{url}/?updates=1", 1)
    wait_for_map(session, 1)
    wait_for_quiet(session)
    toggle = session.page.get_by_text("Blue overlay", exact=True)
    times = [update_ms(session, toggle.click) for _ in range(2 * runs)]
    session.context.close()
    return times


@dataclass(frozen=True)
class Memory:
    """The server's memory with one session, many at once and after; how long they took."""

    one: int
    many: int
    after: int
    load_s: float
    #: How many of the sessions' maps were drawn within the timeout.
    drawn: int


@dataclass(frozen=True)
class BrowserFigures:
    """The in-browser figures of the app and the floor, and the server's memory."""

    first_map_cold_ms: float
    app: list[FirstLoad]
    floor: list[FirstLoad]
    updates: Updates
    #: Milliseconds from toggling the floor page's overlay to its map updated.
    floor_updates: list[float]
    rss_idle: int
    memory: Memory


def _first_loads(
    browser: Browser, server: Server, floor: Server, legs: int, runs: int
) -> tuple[float, list[FirstLoad], list[FirstLoad]]:
    """Return the app's cold first map (ms), then ``runs`` first loads of the app and the floor.

    The first page after start-up pays for loading data into the servers' caches; after it, the
    app's and the floor's loads alternate, which comes first swapping each run.
    """
    cold = first_load(browser, server.url, legs).map_ms
    first_load(browser, floor.url, 1)
    app: list[FirstLoad] = []
    base: list[FirstLoad] = []
    for n in range(runs):
        pair = [(app, server.url, legs), (base, floor.url, 1)]
        for loads, url, count in pair if n % 2 == 0 else pair[::-1]:
            loads.append(first_load(browser, url, count))
    return cold, app, base


def measure_first_loads(
    server: Server, floor: Server, legs: int, *, runs: int
) -> tuple[float, list[FirstLoad], list[FirstLoad]]:
    """Measure only the first loads (see :func:`_first_loads`), in a browser of their own."""
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *NETWORK_CUT]
        )
        try:
            return _first_loads(browser, server, floor, legs, runs)
        finally:
            browser.close()


def measure(
    server: Server,
    floor: Server,
    corridors: Sequence[Corridor],
    actions: Actions,
    *,
    runs: int,
    sessions: int = 20,
) -> BrowserFigures:
    """Run every browser measurement against ``server`` and ``floor``, ``runs`` times each.

    The app's and the floor's first loads alternate, which comes first swapping each run, so
    both meet the same load on the machine.
    """
    legs = sum(c.legs for c in corridors)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *NETWORK_CUT]
        )
        try:
            rss_idle = server.rss()
            first_cold, app, base = _first_loads(browser, server, floor, legs, runs)
            found = updates(browser, server.url, legs, actions, runs)
            floor_found = floor_updates(browser, floor.url, runs)
            memory = _memory(browser, server, legs, sessions)
        finally:
            browser.close()
    return BrowserFigures(
        first_map_cold_ms=first_cold,
        app=app,
        floor=base,
        updates=found,
        floor_updates=floor_found,
        rss_idle=rss_idle,
        memory=memory,
    )


def measure_updates(
    server: Server, floor: Server, corridors: Sequence[Corridor], actions: Actions, *, runs: int
) -> tuple[Updates, list[float]]:
    """Time only the dashboard's updates and the floor's (:func:`updates`, :func:`floor_updates`).

    The two alternate, ``runs`` times each, so both meet the same load on the machine; a first
    page on each server pays for loading data into its caches and is not timed.
    """
    legs = sum(c.legs for c in corridors)
    found: list[Updates] = []
    floor_found: list[float] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium_path(), args=[*CHROMIUM_ARGS, *NETWORK_CUT]
        )
        try:
            first_load(browser, server.url, legs)
            first_load(browser, floor.url, 1)
            for _ in range(runs):
                found.append(updates(browser, server.url, legs, actions, 1))
                floor_found += floor_updates(browser, floor.url, 1)
        finally:
            browser.close()
    joined = Updates(
        *(
            [t for u in found for t in getattr(u, name)]
            for name in ("toggle", "pick", "close", "year")
        ),
        remounted=any(u.remounted for u in found),
    )
    return joined, floor_found


def _memory(browser: Browser, server: Server, legs: int, sessions: int) -> Memory:
    """Return RSS with one session, with ``sessions`` at once, after closing them; load time."""
    one = open_session(browser, server.url, legs, count=False)
    wait_for_map(one, legs)
    rss_one = server.rss()
    start = time.perf_counter()
    more = [open_session(browser, server.url, legs, count=False) for _ in range(sessions - 1)]
    drawn = 1
    for session in more:
        try:
            wait_for_map(session, legs)
            drawn += 1
        # Said in the table: a map that never came is a finding too, not the end of the run
        # (expect fails with an AssertionError, reading the drawn time with a TimeoutError).
        except (AssertionError, PlaywrightTimeoutError):
            continue
    load_s = time.perf_counter() - start
    rss_twenty = server.rss()
    for session in [one, *more]:
        session.context.close()
    return Memory(rss_one, rss_twenty, server.rss(), load_s, drawn)
