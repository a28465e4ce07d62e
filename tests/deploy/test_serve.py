"""``corridors serve`` loads the page's data while the server starts, before the first visit."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.server import Server, streamlit_server
from corridors.data import CorridorDataError
from corridors.ui import serve
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.deploy.commands import wait_for_warm_up
from tests.sessions import Session, fetch, open_socket, run

#: The map's component frame, which Streamlit serves once a session's run has declared it.
MAP_COMPONENT = "/component/streamlit_folium.st_folium/index.html"

_WARM_AND_CHECK = """
import sys
from corridors import data
from corridors.ui import cached, serve

serve.warm()
components = sorted(m for m in sys.modules if m.startswith("streamlit_"))
assert not components, f"a component imported outside a session's run: {components}"

def again(*args, **kwargs):
    raise AssertionError("loaded again: the warm-up filled another cache entry than the page's")

data.load_dataset = data.load_states = again
paths = cached.paths_from_env()
stamp = cached.data_stamp(paths)
cached.dataset(paths, stamp)
cached.analyses(paths, stamp)
cached.state_index(paths.boundaries)
cached.display_states(paths.boundaries)
print("warm")
"""


@pytest.fixture
def fixture_env(dashboard_dirs: dict[str, Path]) -> dict[str, str]:
    """This process's environment, the dashboard pointed at the small fixture."""
    return {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }


def test_the_warm_up_fills_the_entries_the_page_reads_and_declares_no_component(
    fixture_env: dict[str, str],
) -> None:
    """A component declared outside a session's run is never registered: its frame is a 404."""
    done = subprocess.run(
        [sys.executable, "-c", _WARM_AND_CHECK],
        env=fixture_env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["warm"]


@pytest.fixture
def served(
    fixture_env: dict[str, str], tmp_path: Path, built_assets: None
) -> Iterator[tuple[Server, Path]]:
    """``corridors serve`` on the fixture; yield the server and its log."""
    log = tmp_path / "server.log"
    with streamlit_server(log, env=fixture_env, build=False) as server:
        yield server, log


def test_a_served_dashboard_has_its_data_loaded_before_anyone_visits(
    served: tuple[Server, Path],
) -> None:
    server, log = served
    text = wait_for_warm_up(log)
    assert "missing ScriptRunContext" not in text
    assert "not loaded ahead" not in text
    # The first visit's run draws the map, whose frame Streamlit then serves.
    with open_socket(server.url) as ws:
        session = run(Session(ws), timeout=120)
    assert session.errors == []
    assert session.map_id
    assert fetch(server.url, MAP_COMPONENT)[0] == 200


def test_a_failed_warm_up_says_so_and_leaves_the_loading_to_the_page(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Malformed data stops nothing at start: the page's own run shows the user the error."""

    def malformed() -> float:
        raise CorridorDataError(["routes/x.geojson: not GeoJSON"])

    monkeypatch.setattr(serve, "warm", malformed)
    monkeypatch.setattr(serve, "_started", lambda: True)
    serve._run()
    out, err = capsys.readouterr()
    assert serve.LOADED not in out
    assert "not loaded ahead of a visit" in err
    assert "routes/x.geojson: not GeoJSON" in err
