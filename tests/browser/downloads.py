"""The Export panel's slow files as a user gets them: press "Make PNG", then its download.

The picture or page is made in the run the first button starts; the download button that
takes its place sends the file from the session. Both steps wait on what the page shows, never
on a delay.
"""

from __future__ import annotations

import re

from playwright.sync_api import Download, Locator, Page, expect

#: How many times a file may be out of date as soon as it is made before a test gives up.
ATTEMPTS = 3


def make(panel: Locator, what: str, label: str, *, timeout: float) -> Locator:
    """Press "Make ``what``" in ``panel``; return the download button ``label`` once it is made.

    ``label`` is the download's whole label, "Download PNG (1920×1080)": it says what was made.
    A file made while the map was still reporting where a move took it is out of date at once,
    and the panel offers to make it again; a user presses it again, and so does this.
    """
    button = panel.get_by_role("button", name=label, exact=True)
    for _ in range(ATTEMPTS):
        panel.get_by_role("button", name=re.compile(rf"^Make {re.escape(what)}($| again)")).click()
        if made(panel, what, button, timeout=timeout):
            return button
    msg = f"{what} was out of date {ATTEMPTS} times in a row"
    raise AssertionError(msg)


def made(panel: Locator, what: str, button: Locator, *, timeout: float) -> bool:
    """Wait until ``button`` (the download) or "Make ``what`` again" shows; whether it is made."""
    again = panel.get_by_role("button", name=re.compile(rf"^Make {re.escape(what)} again"))
    expect(button.or_(again)).to_be_visible(timeout=timeout)
    if button.is_visible():
        expect(button).to_be_enabled(timeout=timeout)
        return True
    return False


def download(page: Page, button: Locator, *, timeout: float) -> Download:
    """Press a download button; return the download once the browser has it."""
    with page.expect_download(timeout=timeout) as started:
        button.click()
    return started.value
