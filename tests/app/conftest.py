"""AppTest runs app.py from the checkout, whose static folder a server start would build."""

from __future__ import annotations

import pytest

from corridors.cli import main


@pytest.fixture(scope="session", autouse=True)
def _built_assets() -> None:
    """Build the map's files once, as ``python -m corridors build-assets`` does before serving."""
    assert main(["build-assets"]) == 0
