"""The test suite itself runs offline: connections off this machine are refused."""

from __future__ import annotations

import socket

import pytest


def test_connections_off_the_machine_are_refused() -> None:
    with pytest.raises(ConnectionRefusedError, match="must not use the network"):
        socket.create_connection(("192.0.2.1", 80), timeout=1)


def test_loopback_stays_open() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
