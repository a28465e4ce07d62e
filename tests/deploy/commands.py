"""Run a build, install or check step of a deploy test: its output, or a failure saying why."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

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
