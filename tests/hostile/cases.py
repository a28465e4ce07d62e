"""The hostile inputs of issue 10, generated (not committed: some are megabytes).

Each function returns the bytes of a file someone could upload, or a value the map component
could send; the name says the case. Shared by the pure, AppTest and server tests.
"""

from __future__ import annotations

import json
from typing import Any


def encode(value: Any) -> bytes:
    return json.dumps(value).encode()


def zigzag(vertices: int = 60_000) -> bytes:
    """A 1.1 MB LineString within the limits whose simplification crashed GEOS (issue 10, 1)."""
    coords = [[40 + i * 0.00025, 41 + (0.0034 if i % 2 else 0)] for i in range(vertices)]
    return encode({"type": "LineString", "coordinates": coords})


def many_parts(parts: int = 50_000) -> bytes:
    """A MultiLineString of tiny two-point parts, a map element each until now (issue 10, 4)."""
    lines = [
        [[x, y], [x + 0.001, y]]
        for x, y in ((30 + (i % 300) * 0.1, 40 + (i // 300) * 0.05) for i in range(parts))
    ]
    return encode({"type": "MultiLineString", "coordinates": lines})


def parallel(lat: float, west: float, east: float, step: float = 0.1) -> bytes:
    """A line along a parallel, densified every ``step`` degrees (issue 10, 5)."""
    count = round((east - west) / step)
    coords = [[west + i * step, lat] for i in range(count + 1)]
    return encode({"type": "LineString", "coordinates": coords})


def nested(depth: int) -> Any:
    """A drawing's coordinates nested ``depth`` lists deep."""
    value: Any = [44.0, 41.0]
    for _ in range(depth):
        value = [value]
    return [{"type": "Feature", "geometry": {"type": "LineString", "coordinates": value}}]


#: What a crafted ``setComponentValue`` can put in the map's session value (issue 10, 6).
COMPONENT_VALUES: tuple[Any, ...] = (
    "x",
    [1, 2],
    5,
    None,
    {"last_object_clicked_tooltip": ["not", "text"]},
    {"all_drawings": "x"},
    {"all_drawings": [5, "x", None, {"geometry": 7}]},
    {"all_drawings": nested(500)},
)
