"""The Export panel's slow files as a user gets them: press "Make PNG", then its download.

The picture or page is made in the run the first button starts; the download button that
takes its place sends the file from the session. Both steps wait on what the page shows, never
on a delay.
"""

from __future__ import annotations

from playwright.sync_api import Download, Locator, Page, expect


def make(panel: Locator, what: str, label: str, *, timeout: float) -> Locator:
    """Press "Make ``what``" in ``panel``; return the download button ``label`` once it is made.

    ``label`` is the download's whole label, "Download PNG (1920×1080)": it says what was made.
    """
    panel.get_by_role("button", name=f"Make {what}", exact=True).click()
    button = panel.get_by_role("button", name=label, exact=True)
    expect(button).to_be_enabled(timeout=timeout)
    return button


def download(page: Page, button: Locator, *, timeout: float) -> Download:
    """Press a download button; return the download once the browser has it."""
    with page.expect_download(timeout=timeout) as started:
        button.click()
    return started.value
