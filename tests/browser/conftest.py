"""One Streamlit server for the whole session, and Debian's chromium instead of a downloaded one.

The server runs the app on the dashboard fixture, on a free port; tests wait on its health
endpoint and on page conditions, never on fixed delays. Every page is opened with requests off
this machine refused and fails its test on any console error.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from playwright.sync_api import FrameLocator, Page, Route, expect

from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60.0
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium (never a browser fetched by ``playwright install``)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``/_stcore/health``; between polls, wait on the server process exiting instead."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        try:
            server.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        msg = f"streamlit exited with {server.returncode}:\n{log.read_text()}"
        raise RuntimeError(msg)
    msg = f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}"
    raise TimeoutError(msg)


@pytest.fixture(scope="session")
def app_url(
    dashboard_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Start ``streamlit run app.py`` on the dashboard fixture; yield its URL; stop it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@dataclass
class Offline:
    """A page whose requests off this machine are aborted, with what it tried and logged."""

    page: Page
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def map(self) -> FrameLocator:
        return self.page.frame_locator(MAP_FRAME)


@pytest.fixture
def open_app(page: Page, app_url: str) -> Iterator[Callable[[str], Offline]]:
    """Return a function that opens the app at ``app_url + query`` offline, once its map is drawn.

    The test fails if the page tried to reach another machine or logged an error.
    """
    state = Offline(page)

    def local_only(route: Route) -> None:
        if urlparse(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            state.refused.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.on("console", lambda m: state.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: state.errors.append(str(e)))

    def open_(query: str = "") -> Offline:
        page.goto(app_url + query)
        expect(state.map.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
        return state

    yield open_
    assert state.refused == []
    assert state.errors == []


@pytest.fixture
def offline(open_app: Callable[[str], Offline]) -> Offline:
    """The app at its plain address, offline."""
    return open_app("")
