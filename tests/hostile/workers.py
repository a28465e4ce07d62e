"""Jobs for the isolation tests; module-level so a worker process can import them by name."""

from __future__ import annotations

import ctypes
import time

from shapely.geometry import LineString


def ready() -> None:
    """Start a worker with nothing to load."""


def double(value: int) -> int:
    return value * 2


def segfault() -> None:
    ctypes.string_at(0)


def allocate(gigabytes: float) -> int:
    return len(bytearray(int(gigabytes * 1e9)))


def sleep(seconds: float) -> None:
    time.sleep(seconds)


def refuse(message: str) -> None:
    raise ValueError(message)


def degree_simplify_zigzag(vertices: int) -> int:
    """The call that crashed the server: GEOS's recursive Douglas-Peucker on a long zigzag."""
    coords = [(40 + i * 0.00025, 41 + (0.0034 if i % 2 else 0)) for i in range(vertices)]
    return len(LineString(coords).simplify(0.001).coords)
