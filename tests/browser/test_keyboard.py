"""Every control outside the map, reached with Tab and worked with the keys alone.

No test here clicks: each control is reached by pressing Tab from wherever the focus is (Shift+Tab
if it lies behind) and operated with Space, Enter, arrows or typing, as a keyboard user would.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import Offline
from tests.browser.downloads import ATTEMPTS, made

pytestmark = pytest.mark.browser

#: More Tab presses than the page has stops (sidebar, map controls, tabs, panel widgets).
MAX_TABS = 120
#: Tries at a tab that a run disabled or took the focus from between the wait and the press.
PRESSES = 5


def _focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def tab_to(page: Page, target: Locator, *, backwards: bool = False) -> Locator:
    """Press Tab until ``target`` has the focus; fail if the keyboard cannot reach it."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(MAX_TABS):
        if _focused(target):
            return target
        page.keyboard.press(key)
    where = page.evaluate(
        "() => { const e = document.activeElement;"
        " return e ? `${e.tagName} ${e.getAttribute('data-testid') || ''}"
        " ${(e.textContent || '').slice(0, 40)}` : 'nothing'; }"
    )
    msg = f"{key} never reached {target}; the focus is on {where}"
    raise AssertionError(msg)


def _reach_tab(page: Page, wanted: Locator) -> None:
    """Focus ``wanted`` from the selected tab with the arrow keys, as a keyboard user would."""
    tab_to(page, page.get_by_role("tab", selected=True), backwards=True)
    for _ in range(page.get_by_role("tab").count()):
        if _focused(wanted):
            return
        page.keyboard.press("ArrowRight")


def open_tab(page: Page, name: str) -> Locator:
    """Reach the tab list by keyboard and move along it with the arrow keys to ``name``."""
    wanted = page.get_by_role("tab", name=name, exact=True)
    for _ in range(PRESSES):
        # Streamlit greys out and disables a tab while a run has not redrawn it yet (the map's
        # report reruns the page after a tour step), and a redraw can take the focus off it; a key
        # pressed then does nothing, and a user moves back to the tab and presses again.
        expect(wanted).to_be_enabled()
        if not _focused(wanted):
            _reach_tab(page, wanted)
        page.keyboard.press("Enter")
        try:
            expect(wanted).to_have_attribute("aria-selected", "true", timeout=2_000)
            break
        except AssertionError:
            continue
    expect(wanted).to_have_attribute("aria-selected", "true")
    return page.get_by_role("tabpanel", name=name, exact=True)


def test_sidebar_controls_work_from_the_keyboard(open_app: Callable[[str], Offline]) -> None:
    app = open_app("")
    page, sidebar = app.page, app.page.get_by_test_id("stSidebar")
    btk = sidebar.get_by_role("switch", name="Baku-Tbilisi-Kars railway", exact=True)
    tab_to(page, btk)
    page.keyboard.press("Space")
    expect(app.map.locator("path.route-btk")).to_have_count(0)
    page.keyboard.press("Space")
    expect(app.map.locator("path.route-btk")).not_to_have_count(0)
    picker = sidebar.get_by_role("radiogroup", name="Corridor")
    wanted = picker.get_by_role("radio", name="Baku-Tbilisi-Kars railway", exact=True)
    tab_to(page, picker.get_by_role("radio", checked=True))
    for _ in range(picker.get_by_role("radio").count()):
        if wanted.is_checked():
            break
        page.keyboard.press("ArrowDown")
    expect(wanted).to_be_checked()
    expect(page.get_by_role("heading", name="Baku-Tbilisi-Kars railway")).to_be_visible()


def test_panels_work_from_the_keyboard(open_app: Callable[[str], Offline]) -> None:
    app = open_app("")
    page = app.page
    page.get_by_test_id("stSidebar").get_by_role("switch").first.focus()

    panel = open_tab(page, "What-if")
    tab_to(page, panel.get_by_role("combobox", name="Close states to transit"))
    page.keyboard.type("Russia")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(panel.get_by_text("With Russia closed")).to_be_visible()
    expect(app.map.locator("path.cut-marker").first).to_be_attached()

    panel = open_tab(page, "Timeline")
    tab_to(page, panel.get_by_role("switch", name="Show the network in a chosen year"))
    page.keyboard.press("Space")
    slider = panel.get_by_role("slider", name="Year")
    tab_to(page, slider)
    start = int(slider.get_attribute("aria-valuenow") or 0)
    page.keyboard.press("Home")
    expect(slider).not_to_have_attribute("aria-valuenow", str(start))
    expect(page).to_have_url(re.compile(r"[?&]year=\d+"))

    panel = open_tab(page, "Tour")
    tab_to(page, panel.get_by_role("button", name="Start the tour"))
    page.keyboard.press("Enter")
    expect(panel.get_by_text("Step 1 of")).to_be_visible()
    tab_to(page, panel.get_by_role("button", name="Next"))
    page.keyboard.press("Enter")
    expect(panel.get_by_text("Step 2 of")).to_be_visible()

    panel = open_tab(page, "Export")
    button = panel.get_by_role("button", name="Download PNG (1920×1080)", exact=True)
    for _ in range(ATTEMPTS):  # "Make PNG again" if the map was still settling from the step
        tab_to(page, panel.get_by_role("button", name=re.compile(r"^Make PNG($| again)")))
        page.keyboard.press("Enter")
        if made(panel, "PNG", button, timeout=60_000):
            break
    tab_to(page, button)
    with page.expect_download(timeout=60_000) as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename.endswith(".png")
