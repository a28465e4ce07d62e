"""The legend and the map's note list what is drawn, and change with it without a reload."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Offline

pytestmark = pytest.mark.browser


def test_the_legend_follows_the_layers(offline: Offline) -> None:
    legend = offline.map.locator("#corridor-legend")
    expect(legend).to_contain_text("Baku-Tbilisi-Kars")
    expect(legend).to_contain_text("Baseline (existing route)")
    offline.map.locator("body").evaluate("() => { window.loadedOnce = true; }")
    offline.page.get_by_test_id("stSidebar").get_by_test_id("stCheckbox").get_by_text(
        "Baku-Tbilisi-Kars railway"
    ).click()
    expect(legend).not_to_contain_text("Baku-Tbilisi-Kars")
    expect(legend).to_contain_text("Middle Corridor")
    assert offline.map.locator("body").evaluate("() => window.loadedOnce") is True


def test_the_map_says_which_year_it_shows(open_app: Callable[[str], Offline]) -> None:
    app = open_app("?year=2016")
    expect(app.map.locator(".corridor-map-note")).to_have_text(
        "The map shows the routes as in 2016"
    )
    expect(app.map.locator("#corridor-legend")).to_contain_text("Not yet open in the year shown")
