"""Fixtures shared across test layers: the small made-up datasets and the real boundaries."""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest
from hypothesis import settings

from benchmarks.browser import CHROMIUM_ARGS
from corridors.cache import ENV_CACHE_DIR
from corridors.data import Dataset, load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.policy.closures import Exposure, build_exposure

FIXTURES = Path(__file__).parent / "fixtures"
POLICY = FIXTURES / "policy"

# CI runs the same examples every time, so a red build is reproducible; locally hypothesis explores.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")
#: Tests marked ``explore`` search afresh on every run, in CI too, with a fixed budget of examples:
#: a derandomized run tries the same inputs forever and never finds what they miss. A failure
#: prints the blob that reproduces it (``@reproduce_failure``).
EXPLORE = "explore"
settings.register_profile(
    EXPLORE, derandomize=False, max_examples=400, deadline=None, print_blob=True, database=None
)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Launch Debian's chromium, for every test (never one fetched by ``playwright install``)."""
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    return {**browser_type_launch_args, "executable_path": chromium, "args": CHROMIUM_ARGS}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the load tests last: their many sessions would slow the tests after them.

    Their modules go last, each whole, its load tests at its end: a module's server starts once.
    """

    def is_load(item: pytest.Item) -> bool:
        return item.get_closest_marker("load") is not None

    loaded = {item.path for item in items if is_load(item)}

    def order(item: pytest.Item) -> tuple[bool, str, bool]:
        last = item.path in loaded
        return last, str(item.path) if last else "", is_load(item)

    items.sort(key=order)


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str) or host == "localhost":
        return True  # Unix sockets and localhost
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@pytest.fixture(scope="session", autouse=True)
def _own_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep the analyses cache of this run (and of the processes it starts) out of the user's."""
    os.environ[ENV_CACHE_DIR] = str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refuse connections off this machine: tests must pass with no internet.

    Loopback stays open for the app server the browser tests start.
    """
    connect = socket.socket.connect

    def guarded(sock: socket.socket, address: object) -> object:
        if not _is_loopback(address):
            # An OSError, so library code closes the socket as after any refused connection.
            msg = f"tests must not use the network (tried {address!r})"
            raise ConnectionRefusedError(msg)
        return connect(sock, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


@pytest.fixture(scope="session")
def dashboard_dirs() -> dict[str, Path]:
    """Data and seeds folders of the dashboard fixture (two corridors, two baselines)."""
    return {"data": FIXTURES / "dashboard" / "data", "seeds": FIXTURES / "dashboard" / "seeds"}


@pytest.fixture(scope="session")
def dashboard_dataset(dashboard_dirs: dict[str, Path]) -> Dataset:
    """The dashboard fixture, loaded and validated."""
    return load_dataset(dashboard_dirs["data"], dashboard_dirs["seeds"])


@pytest.fixture(scope="session")
def world_states() -> gpd.GeoDataFrame:
    """The bundled full-resolution boundaries (read-only: shared by the whole session)."""
    return load_states()


# The policy fixture: three routes on six square states (see fixtures/policy/README.md). Built
# once per session: every object here is read-only.


@pytest.fixture(scope="session")
def policy_dataset() -> Dataset:
    """South Line and Sea Link against the North Line baseline, with dated event facts."""
    return load_dataset(POLICY / "data", POLICY / "seeds")


@pytest.fixture(scope="session")
def policy_index() -> StateIndex:
    """The six square states, indexed."""
    return StateIndex(load_states(POLICY / "states.geojson"))


@pytest.fixture(scope="session")
def policy_analyses(policy_dataset: Dataset, policy_index: StateIndex) -> dict[str, Analysis]:
    """Every policy route analysed, as the dashboard analyses the real ones."""
    return analyse_routes(policy_dataset.routes, policy_index, policy_dataset.chokepoints)


@pytest.fixture(scope="session")
def policy_exposure(policy_dataset: Dataset, policy_index: StateIndex) -> Exposure:
    """What the what-if closures need for every policy route."""
    return build_exposure(policy_dataset.routes.values(), policy_index, policy_dataset.chokepoints)


@pytest.fixture(scope="session")
def built_assets() -> None:
    """Build the checkout's static folder once, as a server start does before serving.

    In this process, for the whole run: the AppTest modules read it, and every server the
    tests start serves it (``streamlit_server(..., build=False)``) instead of building it
    again in an interpreter of its own, about 6 s of CPU a start.
    """
    from corridors.cli import main

    assert main(["build-assets"]) == 0


@pytest.fixture(autouse=True)
def _assets_for_apptest(request: pytest.FixtureRequest) -> None:
    """Give every AppTest module the map's files: app.py reads them, never writes them."""
    module = request.node.getparent(pytest.Module)
    if module is not None and "AppTest" in vars(module.obj):
        request.getfixturevalue("built_assets")
