"""One Streamlit server for the whole session, and Debian's chromium instead of a downloaded one.

The server runs the app on the dashboard fixture, on a free port; tests wait on its health
endpoint and on page conditions, never on fixed delays. Every page is opened with requests off
this machine refused and fails its test on any console error.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self
from urllib.parse import urlparse

import pytest
from playwright.sync_api import FrameLocator, Page, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from benchmarks.browser import MAP_FRAME
from benchmarks.server import streamlit_server
from corridors.ui.cached import ENV_BOUNDARIES, ENV_DATA_DIR, ENV_SEEDS_DIR

LOCAL_HOSTS = {"127.0.0.1", "localhost"}


@pytest.fixture(scope="session")
def app_url(
    dashboard_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, built_assets: None
) -> Iterator[str]:
    """Start ``streamlit run app.py`` on the dashboard fixture; yield its URL; stop it."""
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    with streamlit_server(log, env=env, build=False) as server:
        yield server.url


@pytest.fixture(scope="session")
def bundled_url(tmp_path_factory: pytest.TempPathFactory, built_assets: None) -> Iterator[str]:
    """A server on the real data/ and seeds/ (``app_url`` runs the small fixture)."""
    log = tmp_path_factory.mktemp("streamlit-bundled") / "server.log"
    drop = {ENV_DATA_DIR, ENV_SEEDS_DIR, ENV_BOUNDARIES}
    env = {k: v for k, v in os.environ.items() if k not in drop}
    with streamlit_server(log, env=env, build=False) as server:
        yield server.url


@dataclass
class Offline:
    """A page whose requests off this machine are aborted, with what it tried and logged."""

    page: Page
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @classmethod
    def watch(cls, page: Page) -> Self:
        """Refuse ``page``'s requests off this machine and record them and its console errors."""
        state = cls(page)

        def local_only(route: Route) -> None:
            url = urlparse(route.request.url)
            if url.hostname in LOCAL_HOSTS or url.scheme in {"file", "data"}:
                route.continue_()
            else:
                state.refused.append(route.request.url)
                route.abort()

        page.route("**/*", local_only)
        page.on("console", lambda m: state.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: state.errors.append(str(e)))
        return state

    @property
    def map(self) -> FrameLocator:
        return self.page.frame_locator(MAP_FRAME)


#: In the page: whether the map's first corridor line is drawn (visible as Playwright counts
#: it: a box, not hidden) and the address holds a zoom, i.e. the map has reported its view and
#: the page's rerun has written it there.
MAP_READY = """(frameSelector) => {
  if (!/[?&]zoom=/.test(location.href)) return false;
  const frame = document.querySelector(frameSelector);
  const leg = frame && frame.contentDocument
    && frame.contentDocument.querySelector('path.corridor-leg');
  if (!leg) return false;
  const box = leg.getBoundingClientRect();
  return box.width > 0 && box.height > 0 && getComputedStyle(leg).visibility === 'visible';
}"""


def wait_map_ready(page: Page, *, timeout: float = 60_000) -> None:
    """Wait until the map is drawn and the page has put its view in the address.

    The map reports where it is once drawn, and the page reruns to put it in the address: a
    test starts after that rerun, which would otherwise replace what it clicks. Checked in
    the page every 50 ms: ``expect`` polls every 500 ms once a wait passes 0.3 s, so each of
    its two waits here overran a page load by a quarter of a second on average.
    """
    try:
        page.wait_for_function(MAP_READY, arg=MAP_FRAME, polling=50, timeout=timeout)
    except PlaywrightTimeoutError as exc:
        msg = f"no corridor line drawn, or no view in the address ({page.url}), within {timeout} ms"
        raise AssertionError(msg) from exc


@pytest.fixture
def open_app(page: Page, app_url: str) -> Iterator[Callable[[str], Offline]]:
    """Return a function that opens the app at ``app_url + query`` offline, once its map is drawn.

    The test fails if the page tried to reach another machine or logged an error.
    """
    state = Offline.watch(page)

    def open_(query: str = "") -> Offline:
        page.goto(app_url + query)
        wait_map_ready(page)
        return state

    yield open_
    assert state.refused == []
    assert state.errors == []


@pytest.fixture
def offline(open_app: Callable[[str], Offline]) -> Offline:
    """The app at its plain address, offline."""
    return open_app("")
