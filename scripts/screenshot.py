"""Take the README screenshot of a running dashboard, offline, in Debian's chromium.

Start the app (``uv run streamlit run app.py``), then::

    uv run python scripts/screenshot.py http://localhost:8501 docs/screenshot.png

Requests off this machine are refused, as in the browser tests, so the picture shows what a
school network without tile servers sees.
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path
from urllib.parse import urlparse

from playwright.sync_api import Route, expect, sync_playwright

VIEWPORT = {"width": 1440, "height": 900}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def _local_only(route: Route) -> None:
    if urlparse(route.request.url).hostname in {"127.0.0.1", "localhost"}:
        route.continue_()
    else:
        route.abort()


def main() -> None:
    """Save a PNG of the app's first screen once the corridors are drawn."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    chromium = shutil.which("chromium")
    if chromium is None:
        parser.error("Debian's chromium is not installed (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT)
        page.route("**/*", _local_only)
        page.goto(args.url)
        legs = page.frame_locator('iframe[title="streamlit_folium.st_folium"]').locator(
            "path.corridor-leg"
        )
        expect(legs.first).to_be_visible(timeout=60_000)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=args.out)
        browser.close()


if __name__ == "__main__":
    main()
