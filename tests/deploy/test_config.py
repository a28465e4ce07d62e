"""Streamlit's own settings agree with the app's, and a server started with no terminal serves.

The settings live in ``.streamlit/config.toml``, read by ``streamlit run`` from the working
directory and from the folder of the script it runs.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from benchmarks.server import ROOT, free_port, serving
from corridors.policy.upload import MAX_BYTES

CONFIG = ROOT / ".streamlit" / "config.toml"
#: Streamlit's browser side counts a megabyte as 1,000,000 bytes (1,048,576 on Windows), its
#: server side as 1,048,576.
MB_DECIMAL, MB_BINARY = 1_000_000, 1_048_576


def _server_config() -> dict[str, object]:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["server"]


def test_streamlit_upload_limit_is_the_apps() -> None:
    limit_mb = _server_config()["maxUploadSize"]
    assert isinstance(limit_mb, int)
    # The uploader refuses exactly what the app would refuse, and says the app's figure...
    assert limit_mb * MB_DECIMAL == MAX_BYTES
    # ...and Streamlit's server never drops a file the app would take.
    assert limit_mb * MB_BINARY >= MAX_BYTES


def test_server_is_headless() -> None:
    assert _server_config()["headless"] is True


def test_no_full_garbage_collection_after_each_run() -> None:
    """Streamlit's collection after every run held the interpreter about 100 ms per update."""
    runner = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["runner"]
    assert runner["postScriptGC"] is False


def test_no_watching_of_the_source_files() -> None:
    """Each new session's watcher walked every loaded module on the event loop, serving nothing."""
    assert _server_config()["fileWatcherType"] == "none"


def test_streamlit_run_with_no_terminal_serves_without_a_prompt(tmp_path: Path) -> None:
    """A desktop's first run (a display, no ~/.streamlit) with stdin closed: no "Email:" prompt.

    Without ``server.headless`` Streamlit asks for an email address on a desktop's first run
    and, with no terminal to read it from, exits; nothing here passes ``--server.headless``.
    (Streamlit turns headless by itself only where Linux has no display.)
    """
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path), "DISPLAY": ":0"}
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
    ]  # fmt: skip
    log = tmp_path / "streamlit.log"
    with serving(command, f"http://127.0.0.1:{port}", log, env) as proc:
        assert proc.poll() is None
    assert "Email" not in log.read_text()
    assert not (tmp_path / ".streamlit" / "credentials.toml").exists()


def test_a_rerun_request_during_a_run_joins_the_waiting_one() -> None:
    """With Streamlit's ``fastReruns`` a request stops the run and starts one with itself
    alone: a press whose run had not reached its callbacks was dropped by the map's report
    right behind it (see ``corridors.ui.state.press``)."""
    runner = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["runner"]
    assert runner["fastReruns"] is False
