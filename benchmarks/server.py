"""``corridors serve`` on a free port, for the benchmark and the browser tests alike.

One way to start the app and wait on its health endpoint, so the figures and the tests run the
same server, started as users start it (the map's files checked, the data loaded while it
starts: :mod:`corridors.ui.serve`). The benchmark serves the bundled data; the browser tests
point it at their fixture through ``env``. :class:`Server` also reads the server's memory for
the benchmark.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

from corridors.webmap.assets import LEAFLET, install

ROOT = Path(__file__).resolve().parents[1]
FLOOR_APP = Path(__file__).with_name("floor_app.py")
STARTUP_TIMEOUT_S = 60.0


def free_port() -> int:
    """Return a TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def rss_bytes(pid: int) -> int:
    """Return the resident memory of a process and all its children, in bytes."""
    proc = psutil.Process(pid)
    total = proc.memory_info().rss
    for child in proc.children(recursive=True):
        try:
            total += child.memory_info().rss
        except psutil.NoSuchProcess:  # a child may exit between listing and reading
            continue
    return total


@dataclass(frozen=True)
class Server:
    """A running Streamlit server: where it listens and its process id."""

    url: str
    pid: int
    started_s: float

    def rss(self) -> int:
        """Return the server's resident memory (with children) in bytes."""
        return rss_bytes(self.pid)


def wait_until_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``/_stcore/health``; between polls, wait on the process exiting instead of sleeping."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        try:
            proc.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        msg = f"streamlit exited with {proc.returncode}:\n{log.read_text()}"
        raise RuntimeError(msg)
    msg = f"streamlit not healthy after {STARTUP_TIMEOUT_S} s:\n{log.read_text()}"
    raise TimeoutError(msg)


def build_assets(env: Mapping[str, str] | None = None) -> None:
    """Build the map's static files, as a deployment does before it serves; fail with its output."""
    done = subprocess.run(
        [sys.executable, "-m", "corridors", "build-assets"],
        cwd=ROOT,
        env=dict(os.environ if env is None else env),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        msg = f"build-assets exited with {done.returncode}:\n{done.stdout}{done.stderr}"
        raise RuntimeError(msg)


#: Streamlit's options for a server on loopback, headless, whatever the machine's own config.
_LOOPBACK = ("--server.headless", "true", "--server.address", "127.0.0.1",
             "--browser.gatherUsageStats", "false")  # fmt: skip


def streamlit_command(port: int, script: Path) -> list[str]:
    """Return the command that serves ``script`` (the floor page) headless on loopback ``port``."""
    return [sys.executable, "-m", "streamlit", "run", str(script), *_LOOPBACK, "--server.port",
            str(port)]  # fmt: skip


def dashboard_command(port: int) -> list[str]:
    """Return ``corridors serve`` for the dashboard, headless on loopback ``port``."""
    return [sys.executable, "-m", "corridors", "serve", "--", *_LOOPBACK, "--server.port",
            str(port)]  # fmt: skip


@contextmanager
def serving(
    command: Sequence[str],
    url: str,
    log: Path,
    env: Mapping[str, str] | None = None,
    *,
    cwd: Path = ROOT,
) -> Iterator[subprocess.Popen[bytes]]:
    """Run a server ``command`` in ``cwd`` until the block ends, once ``url`` is healthy.

    Its standard input is closed, as under a process manager or in CI: a server that asks a
    question instead of serving fails here. ``env`` is its whole environment (default: this
    process's); its output goes to ``log``. The server is stopped on leaving, if it still runs.
    """
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=dict(os.environ if env is None else env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
        )
    try:
        wait_until_healthy(url, proc, log)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def streamlit_server(
    log: Path, env: Mapping[str, str] | None = None, *, build: bool = True
) -> Iterator[Server]:
    """Build the assets, then run ``corridors serve`` headless on loopback for the block.

    ``env`` is the server's whole environment (default: this process's); its output goes to
    ``log``. ``build=False`` serves the static folder as it is, for a caller that has built it
    in this process already (the tests' ``built_assets``): the files depend on the checkout
    alone, and each build is a new interpreter loading geopandas and the world's boundaries.
    """
    if build:
        build_assets(env)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    with serving(dashboard_command(port), url, log, env) as proc:
        yield Server(url=url, pid=proc.pid, started_s=time.perf_counter() - start)


@contextmanager
def floor_server(
    log: Path, workdir: Path, env: Mapping[str, str] | None = None
) -> Iterator[Server]:
    """Serve :mod:`benchmarks.floor_app` like the dashboard, from a folder of its own.

    Streamlit serves the ``static/`` folder next to the script it runs and reads
    ``.streamlit/config.toml`` from its working directory, so ``workdir`` gets the floor's
    script, Leaflet under ``static/`` and the dashboard's own config: the same server settings.
    """
    script = workdir / FLOOR_APP.name
    script.write_bytes(FLOOR_APP.read_bytes())
    install(workdir / "static", LEAFLET)
    (workdir / ".streamlit").mkdir(exist_ok=True)
    config = ROOT / ".streamlit" / "config.toml"
    (workdir / ".streamlit" / "config.toml").write_bytes(config.read_bytes())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    start = time.perf_counter()
    command = streamlit_command(port, script)
    with serving(command, url, log, env, cwd=workdir) as proc:
        yield Server(url=url, pid=proc.pid, started_s=time.perf_counter() - start)
