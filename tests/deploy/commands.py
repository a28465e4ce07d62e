"""Run a build, install or check step of a deploy test: its output, or a failure saying why."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path

from corridors.ui.serve import LOADED

#: A hang guard, not a timing: building and installing take seconds.
TIMEOUT_S = 300


def run(command: Sequence[str | Path], *, env: Mapping[str, str], cwd: Path | None = None) -> str:
    """Run ``command``; return its output, or fail the test with its output and errors."""
    done = subprocess.run(
        [str(c) for c in command],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def wait_for_warm_up(log: Path) -> str:
    """Wait until a served dashboard's ``log`` says its data is loaded; return the log."""
    deadline = time.monotonic() + TIMEOUT_S  # about 5 s on a quiet 2-core machine
    while LOADED not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    text = log.read_text()
    assert LOADED in text, text
    return text
