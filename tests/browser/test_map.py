"""The running app in chromium with every non-local request refused: the map must still draw."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from corridors.ui.widgets import MAP_HEIGHT_PX
from tests.browser.conftest import MAP_FRAME, Offline

pytestmark = pytest.mark.browser

# The dashboard fixture: Middle Corridor 4 legs, BTK 4; their baselines 2 legs each.
CORRIDOR_LEGS = 8
BASELINE_LEGS = 4
BTK_LEGS = 4


def test_map_draws_offline(offline: Offline) -> None:
    expect(offline.map.locator("path.corridor-leg")).to_have_count(CORRIDOR_LEGS)
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
