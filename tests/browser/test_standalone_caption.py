"""The standalone page of the real data in chromium: a caption that leaves the map in view.

Its credit names every outlet the shown routes cite; folded to two lines, the caption covers
little of the map at 1280x720 and on a phone, and the whole credit is in the page, opened from
the keyboard as with a click.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from corridors.cli import main
from tests.browser.boxes import Box, overlap
from tests.browser.conftest import Offline

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def tripp_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The page ``export-html`` writes for TRIPP with its baselines, every corridor shown.

    Run in this process, whose interpreter has the libraries loaded already (a new one took
    seconds to import them); ``tests/test_cli_export.py`` runs the command in a process of
    its own.
    """
    out = tmp_path_factory.mktemp("standalone") / "tripp.html"
    command = ["export-html", "--selected", "tripp", "--baselines", "-o", str(out)]
    assert main(command) == 0
    return out


@pytest.mark.parametrize(("size", "share"), [((1280, 720), 0.2), ((390, 844), 0.25)])
def test_the_caption_covers_little_of_the_map_and_keeps_the_whole_credit(
    page: Page, tripp_page: Path, size: tuple[int, int], share: float
) -> None:
    """The caption's box is at most ``share`` of the map's height; the credit opens whole."""
    width, height = size
    page.set_viewport_size({"width": width, "height": height})
    app = Offline.watch(page)
    page.goto(tripp_page.as_uri())
    caption = page.locator(".corridors-caption")
    expect(page.locator("path.corridor-leg").first).to_be_visible(timeout=60_000)
    folded, shown = _box(caption), _box(page.locator(".leaflet-container"))
    assert folded["bottom"] - folded["top"] <= share * (shown["bottom"] - shown["top"]), folded
    assert not overlap(folded, _box(page.locator(".corridor-legend")))  # nor over the legend
    credit = caption.locator(".corridors-credit")
    text = credit.text_content() or ""
    assert text.startswith("Data as of ")
    assert "Sources: " in text  # every outlet, in the page for a screen reader
    summary = credit.locator("summary")
    expect(summary).to_have_accessible_name(text)
    clamped = _box(summary)
    page.keyboard.press("Tab")
    expect(summary).to_be_focused()  # the caption comes first in the page, before the map
    page.keyboard.press("Enter")
    expect(credit).to_have_attribute("open", "")
    opened = _box(summary)
    assert opened["bottom"] > clamped["bottom"]  # the rest of the credit is shown
    assert (app.refused, app.errors) == ([], [])


def _box(locator: Locator) -> Box:
    """The element's box on screen, as :mod:`tests.browser.boxes` takes it."""
    box = locator.bounding_box()
    assert box is not None
    return {"left": box["x"], "top": box["y"],
            "right": box["x"] + box["width"], "bottom": box["y"] + box["height"]}  # fmt: skip
