"""Fixtures shared across test layers: the dashboard's small dataset and the real boundaries."""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path

import geopandas as gpd
import pytest
from hypothesis import settings

from corridors.data import Dataset, load_dataset, load_states

FIXTURES = Path(__file__).parent / "fixtures"

# CI runs the same examples every time, so a red build is reproducible; locally hypothesis explores.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def _is_loopback(address: object) -> bool:
    host = address[0] if isinstance(address, tuple) else address
    if not isinstance(host, str) or host == "localhost":
        return True  # Unix sockets and localhost
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


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
