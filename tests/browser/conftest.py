"""One Streamlit server for the whole session, and Debian's chromium instead of a downloaded one.

The server runs the app on the dashboard fixture, on a free port; tests wait on its health
endpoint and on page conditions, never on fixed delays.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = shutil.which("chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_TIMEOUT_S = 60.0


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium (never a browser fetched by ``playwright install``)."""
    if CHROMIUM is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``/_stcore/health``; between polls, wait on the server process exiting instead."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        try:
            server.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        msg = f"streamlit exited with {server.returncode}:\n{log.read_text()}"
        raise RuntimeError(msg)
    msg = f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}"
    raise TimeoutError(msg)


@pytest.fixture(scope="session")
def app_url(
    dashboard_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """Start ``streamlit run app.py`` on the dashboard fixture; yield its URL; stop it."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    with log.open("wb") as out:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        _wait_until_healthy(url, server, log)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
