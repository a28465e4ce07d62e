"""Time the server's part of each map update: the page's run, as CPU time, in an AppTest.

``uv run python -m benchmarks.bench_updates [--repeat N] [--app PATH]`` runs the dashboard on the
bundled data headless, makes the browser benchmark's four updates ``N`` times each (toggle the
second corridor, pick the third and the first in turn, close Iran and open it again, move the
year back and forth) and prints the median CPU milliseconds of the page's run for each. CPU
time, not wall time: this 2-core machine is shared, and a run's wall time moves with its load
far more than its CPU time does. ``--app`` runs another checkout's ``app.py`` with its own
``corridors`` package (a worktree of main, say), so old and new code can be timed alternately
with one environment.

The time is the process's, so it includes AppTest reading the run's messages (a few ms). It
times the server alone, up to the run's last message; the browser's share (Streamlit
rendering the page, the map frame taking the new overlays) is ``benchmarks.run --updates-only``.
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path

import streamlit.config
import streamlit.logger
from streamlit.testing.v1 import AppTest

from benchmarks.server import ROOT

#: The updates timed, in the order they are made.
KINDS = ("toggle", "pick", "close", "year")


def _use_app_config(app: Path) -> None:
    """Set the runner options the app's ``.streamlit/config.toml`` sets (AppTest reads none)."""
    config = tomllib.loads((app.parent / ".streamlit" / "config.toml").read_text())
    for name, value in config.get("runner", {}).items():
        streamlit.config.set_option(f"runner.{name}", value)


def time_updates(app: Path, repeat: int) -> dict[str, list[float]]:
    """Return the CPU milliseconds of each run of the page, by update kind.

    The app's folder goes first on the import path, and the ``corridors`` modules imported so
    far (this checkout's, by :mod:`benchmarks.server`) are forgotten, so the page runs its own.
    """
    sys.path.insert(0, str(app.parent))
    for name in [m for m in sys.modules if m.split(".")[0] == "corridors"]:
        del sys.modules[name]
    state = importlib.import_module("corridors.ui.state")
    dataset_module = importlib.import_module("corridors.data")
    corridors = [r.id for r in dataset_module.load_dataset().corridors]
    _use_app_config(app)
    at = AppTest.from_file(str(app), default_timeout=120).run()
    at.run()  # warm: the loaders' first calls are not an update

    def once(act: Callable[[], object]) -> float:
        act()
        start = time.process_time()
        at.run()
        spent = (time.process_time() - start) * 1000
        if at.exception:
            msg = f"the page failed: {[e.value for e in at.exception]}"
            raise RuntimeError(msg)
        return spent

    def toggle() -> None:
        switch = at.toggle(key=state.visible_key(corridors[1]))
        switch.set_value(not switch.value)

    def pick(n: int) -> None:
        at.radio(key=state.SELECTED).set_value((corridors[2], corridors[0])[n % 2])

    def close(states: list[str]) -> None:
        at.multiselect(key=state.CLOSED_STATES).set_value(states)

    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    times["toggle"] = [once(toggle) for _ in range(repeat)]
    times["pick"] = [once(lambda n=n: pick(n)) for n in range(repeat)]
    at.session_state[state.PANEL] = "What-if"
    at.run()
    for _ in range(repeat):
        times["close"].append(once(lambda: close(["IRN"])))
        once(lambda: close([]))
    at.session_state[state.PANEL] = "Timeline"
    at.run()
    at.toggle(key=state.YEAR_ON).set_value(True).run()
    year = at.slider(key=state.YEAR).value
    times["year"] = [
        once(lambda n=n: at.slider(key=state.YEAR).set_value(year - 1 + n % 2))
        for n in range(repeat)
    ]
    return times


def main() -> None:
    """Print the median CPU milliseconds of the page's run for each update."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--app", type=Path, default=ROOT / "app.py")
    args = parser.parse_args()
    streamlit.logger.set_log_level("error")
    times = time_updates(args.app.resolve(), args.repeat)
    print(" ".join(f"{kind} {statistics.median(ms):.1f}" for kind, ms in times.items()), "ms CPU")


if __name__ == "__main__":
    main()
