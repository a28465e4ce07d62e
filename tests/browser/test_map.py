"""The running app in chromium with every non-local request refused: the map must still draw."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import urlparse

import pytest
from playwright.sync_api import FrameLocator, Page, Route, expect

from corridors.ui.widgets import MAP_HEIGHT_PX

pytestmark = pytest.mark.browser

MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
# The dashboard fixture: Middle Corridor 4 legs, BTK 4; their baselines 2 legs each.
CORRIDOR_LEGS = 8
BASELINE_LEGS = 4
BTK_LEGS = 4


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
def offline(page: Page, app_url: str) -> Iterator[Offline]:
    """The app loaded with the network cut off; fails the test on any console error."""
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
    page.goto(app_url)
    expect(state.map.locator("path.corridor-leg")).to_have_count(CORRIDOR_LEGS, timeout=60_000)
    yield state
    assert state.refused == []
    assert state.errors == []


def test_map_draws_offline(offline: Offline) -> None:
    expect(offline.map.locator("path.baseline-leg")).to_have_count(BASELINE_LEGS)
    expect(offline.map.locator("path.route-btk")).to_have_count(BTK_LEGS)
    expect(offline.map.locator("#corridor-legend")).to_contain_text("Middle Corridor")
    frame = offline.page.locator(MAP_FRAME)
    assert frame.bounding_box()["height"] >= MAP_HEIGHT_PX


def test_hiding_a_corridor_keeps_the_loaded_map(offline: Offline) -> None:
    offline.map.locator("body").evaluate("() => { window.loadedOnce = true; }")
    sidebar = offline.page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Baku-Tbilisi-Kars railway").click()
    expect(offline.map.locator("path.route-btk")).to_have_count(0)
    expect(offline.map.locator("path.corridor-leg")).to_have_count(CORRIDOR_LEGS - BTK_LEGS)
    assert offline.map.locator("body").evaluate("() => window.loadedOnce") is True


def test_clicking_a_corridor_selects_it(offline: Offline) -> None:
    offline.map.locator("path.route-btk").first.dispatch_event("click")
    picker = offline.page.get_by_role("combobox", name="Corridor")
    expect(picker).to_have_value("Baku-Tbilisi-Kars railway")
    expect(offline.page.get_by_role("heading", name="Baku-Tbilisi-Kars railway")).to_be_visible()
