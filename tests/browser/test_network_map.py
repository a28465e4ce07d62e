"""The bundled data in chromium: a link that closes Iran draws India-Russia's detour on the map."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Offline

pytestmark = pytest.mark.browser


def test_closing_iran_draws_the_detour_beside_the_usual_route(page: Page, bundled_url: str) -> None:
    state = Offline.watch(page)
    page.goto(bundled_url + "/?closed_states=IRN")
    detour = state.map.locator("path.detour.pair-india-russia")
    expect(detour).to_be_visible(timeout=90_000)
    expect(state.map.locator("path.usual-route.pair-india-russia")).to_have_count(1)
    expect(state.map.locator("path.gauge-break").first).to_be_visible()
    assert state.refused == []
    assert state.errors == []


def test_a_link_closing_a_leg_draws_it_cut_and_the_detour(page: Page, bundled_url: str) -> None:
    state = Offline.watch(page)
    page.goto(bundled_url + "/?closed_legs=btk-06")
    expect(state.map.locator("path.detour.pair-baku-kars")).to_be_visible(timeout=90_000)
    expect(state.map.locator("path.cut-leg.route-btk")).to_have_count(1)
    expect(state.map.locator("path.cut-leg.route-middle-corridor")).to_have_count(1)
    assert state.refused == []
    assert state.errors == []
