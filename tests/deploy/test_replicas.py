"""Many viewers: replicas behind HAProxy, with ``deploy/haproxy.cfg`` as shipped but for its ports.

Streamlit keeps a session in one server's memory and talks to it over a websocket, so the
balancer must keep each viewer on one replica and pass the websocket through. The test starts
one replica per ``server`` line of the shipped config on free loopback ports, HAProxy in front,
and twenty sessions the way a browser opens one: the page (which sets the replica cookie), then
Streamlit's websocket with that cookie, asking for a run of the page at the session's link.
Then it stops a replica: exactly the sessions it held lose their websocket, and each comes back
through the balancer with its old cookie, as the browser's reconnect does, and gets its view
again from its link on a replica still up. One page in Debian's chromium, on the replica that
is stopped, shows Streamlit's own page doing that reconnect by itself.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import ExitStack
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection

from benchmarks.browser import MAP_FRAME
from benchmarks.server import ROOT, dashboard_command, free_port, serving
from corridors.data import Dataset
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from corridors.ui.state import SELECTED
from tests.sessions import Session, ask, finish, open_socket

pytestmark = pytest.mark.replicas

HAPROXY = shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin")
CONFIG = ROOT / "deploy" / "haproxy.cfg"
COOKIE = "CORRIDORS_REPLICA"
SESSIONS = 20
#: Links the sessions open, in turn: each names the corridor the session inspects.
CORRIDORS = ("btk", "middle-corridor")
#: Hang guard for one run of the page with twenty sessions on two cores, not a timing.
RUN_TIMEOUT_S = 120.0


def server_names(config: str) -> list[str]:
    """Return the names of the ``server`` lines of an HAProxy config, in order."""
    return [line.split()[1] for line in config.splitlines() if line.strip().startswith("server ")]


def on_ports(config: str, port: int, replicas: Mapping[str, int]) -> str:
    """Return ``config`` listening on loopback ``port``, its servers on the ``replicas`` ports."""

    def moved(line: str) -> str:
        words = line.split()
        if words[:1] == ["bind"]:
            return f"    bind 127.0.0.1:{port}"
        if words[:1] == ["server"]:
            return line.replace(words[2], f"127.0.0.1:{replicas[words[1]]}")
        return line

    return "".join(f"{moved(line)}\n" for line in config.splitlines())


@dataclass
class Viewer:
    """One viewer: its link, its replica cookie and its session on that replica."""

    corridor: str
    cookie: str
    session: Session

    @property
    def replica(self) -> str:
        return SimpleCookie(self.cookie)[COOKIE].value

    @property
    def selected(self) -> str | None:
        """The corridor the sidebar's picker shows after the last run."""
        picked = self.session.selected.items()
        return next((v for k, v in picked if k.endswith(f"-{SELECTED}")), None)


def page_cookie(url: str, query: str) -> str:
    """Load the page as a browser does first; return the replica cookie HAProxy set."""
    with urllib.request.urlopen(f"{url}/?{query}", timeout=30) as response:
        cookies = SimpleCookie(", ".join(response.headers.get_all("Set-Cookie", [])))
    return f"{COOKIE}={cookies[COOKIE].value}"


def start(sockets: ExitStack, url: str, corridor: str, cookie: str) -> Viewer:
    """Open the viewer's websocket with its cookie, closed with ``sockets``; ask for a run."""
    ws = sockets.enter_context(open_socket(url, cookie=cookie, timeout=30))
    set_cookie = SimpleCookie(", ".join(ws.response.headers.get_all("Set-Cookie")))
    if COOKIE in set_cookie:  # HAProxy moved the session to another replica
        cookie = f"{COOKIE}={set_cookie[COOKIE].value}"
    viewer = Viewer(corridor, cookie, Session(ws))
    ask(viewer.session, query=f"corridor={corridor}")
    return viewer


def finish_run(viewer: Viewer) -> Viewer:
    """Read the viewer's run to its end."""
    finish(viewer.session, timeout=RUN_TIMEOUT_S)
    return viewer


def is_closed(ws: ClientConnection) -> bool:
    """Return whether the server side closed ``ws`` (waiting out what it still had to say)."""
    try:
        while True:
            ws.recv(timeout=30)
    except ConnectionClosed:
        return True
    except TimeoutError:
        return False


def answers(ws: ClientConnection) -> bool:
    """Return whether the replica behind ``ws`` still answers a ping."""
    try:
        return ws.ping().wait(timeout=30)
    except ConnectionClosed:
        return False


def test_shipped_config_is_valid() -> None:
    if HAPROXY is None:
        pytest.skip("HAProxy is not installed: apt-get install -y haproxy (.ci/run does)")
    checked = subprocess.run(
        [HAPROXY, "-c", "-f", str(CONFIG)], capture_output=True, text=True, check=False
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


@pytest.fixture
def cluster(
    dashboard_dirs: dict[str, Path], tmp_path: Path, built_assets: None
) -> Iterator[tuple[str, dict[str, subprocess.Popen[bytes]]]]:
    """Start a replica per server of the shipped config and HAProxy in front; yield its URL.

    The replicas serve the static folder ``built_assets`` built, as replicas of one release do.
    """
    if HAPROXY is None:
        pytest.skip("HAProxy is not installed: apt-get install -y haproxy (.ci/run does)")
    template = CONFIG.read_text(encoding="utf-8")
    ports = {name: free_port() for name in server_names(template)}
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    proxy_port = free_port()
    config = tmp_path / "haproxy.cfg"
    config.write_text(on_ports(template, proxy_port, ports), encoding="utf-8")
    with ExitStack() as stack:
        replicas = {
            name: stack.enter_context(
                serving(
                    dashboard_command(port),
                    f"http://127.0.0.1:{port}",
                    tmp_path / f"{name}.log",
                    env=env,
                )
            )
            for name, port in ports.items()
        }
        url = f"http://127.0.0.1:{proxy_port}"
        stack.enter_context(serving([HAPROXY, "-db", "-f", str(config)], url, tmp_path / "ha.log"))
        yield url, replicas


@pytest.mark.browser
def test_sessions_spread_stick_and_survive_a_replica(
    cluster: tuple[str, dict[str, subprocess.Popen[bytes]]],
    dashboard_dataset: Dataset,
    browser: Browser,
) -> None:
    url, replicas = cluster
    names = {route.id: route.name for route in dashboard_dataset.routes.values()}
    links = [CORRIDORS[i % len(CORRIDORS)] for i in range(SESSIONS)]
    # pytest-playwright's browser: a second sync Playwright in the same run would refuse to start.
    with ExitStack() as sockets:
        # One real page first: its replica is the one stopped below.
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{url}/?corridor=btk")
        legs = page.frame_locator(MAP_FRAME).locator("path.corridor-leg")
        expect(legs.first).to_be_visible(timeout=90_000)
        (stopped,) = (c["value"] for c in context.cookies() if c["name"] == COOKIE)

        # Every session asks before any is read: the replicas run the twenty pages side by side.
        viewers = [start(sockets, url, c, page_cookie(url, f"corridor={c}")) for c in links]
        for viewer in map(finish_run, viewers):
            assert viewer.session.errors == []
            assert viewer.selected == names[viewer.corridor]
        spread = Counter(s.replica for s in viewers)
        assert set(spread) == set(replicas)
        assert min(spread.values()) >= SESSIONS // (2 * len(replicas)), spread

        # The page's websocket is its session: when it ends, the page opens a new one itself.
        with page.expect_websocket(timeout=60_000):
            replicas[stopped].terminate()
            replicas[stopped].wait(timeout=30)
        lost = [s for s in viewers if s.replica == stopped]
        kept = [s for s in viewers if s.replica != stopped]
        # Sticky: the stopped replica held exactly the sessions its cookie named.
        assert all(is_closed(s.session.ws) for s in lost)
        assert all(answers(s.session.ws) for s in kept)

        # Each lost session reconnects with its old cookie, as its browser would.
        back = [start(sockets, url, s.corridor, s.cookie) for s in lost]
        for viewer in map(finish_run, back):
            assert viewer.session.errors == []
            assert viewer.selected == names[viewer.corridor]
            assert viewer.replica != stopped

        # The page ran again on another replica from its address alone: nothing stale is left.
        (now,) = (c["value"] for c in context.cookies() if c["name"] == COOKIE)
        assert now != stopped
        expect(page.locator("[data-stale='true']")).to_have_count(0, timeout=90_000)
        expect(legs.first).to_be_visible(timeout=90_000)
        picker = page.get_by_role("radiogroup", name="Corridor")
        expect(picker.get_by_role("radio", name=names["btk"], exact=True)).to_be_checked()
        context.close()
