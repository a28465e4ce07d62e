"""The tooltip texts the server writes for a map's lines and markers, as the browser reads them.

The overlays send what a route's tooltips share once (``TooltipParts``); the elements still
know each tooltip's whole text, which tests compare with what is sent and what is bound.
"""

from __future__ import annotations

from collections.abc import Iterable

from branca.element import Element

from corridors.webmap.elements import CircleMarkers, LineTooltips


def tooltip_texts(elements: Iterable[Element]) -> list[str]:
    """Return every line's and marker's tooltip text among ``elements``, in their order."""
    texts: list[str] = []
    for e in elements:
        if isinstance(e, LineTooltips):
            texts += [e.text_of(line) for line in e.lines]
        elif isinstance(e, CircleMarkers):
            texts += [str(p[2]) for p in e.points]
    return texts
