"""Boxes on screen, as ``getBoundingClientRect`` gives them: what overlaps and what fits.

Half a pixel is allowed at an edge, for the subpixel layout browsers round differently.
"""

from __future__ import annotations

Box = dict[str, float]


def inside(inner: Box, outer: Box) -> bool:
    """Return whether ``inner`` lies wholly within ``outer``."""
    return (
        outer["left"] - 0.5 <= inner["left"]
        and inner["right"] <= outer["right"] + 0.5
        and outer["top"] - 0.5 <= inner["top"]
        and inner["bottom"] <= outer["bottom"] + 0.5
    )


def overlap(a: Box, b: Box) -> bool:
    """Return whether two boxes share any area (touching edges do not count)."""
    return (
        a["left"] < b["right"]
        and b["left"] < a["right"]
        and a["top"] < b["bottom"]
        and b["top"] < a["bottom"]
    )
