"""The web map's legend."""

from __future__ import annotations

from collections.abc import Sequence

from corridors.model import Route
from corridors.style import (
    BASELINE_GREY,
    BYPASS_OUTLINE,
    CHOKEPOINT_FILL,
    CLOSED_OPACITY,
    CROSSED_FILL,
    DASH_CLOSED,
    DASH_NOT_BUILT,
    DASH_WATER,
)
from corridors.text import escape_html
from corridors.wording import short_name


def _legend_swatch(colour: str, *, dash: str | None = None, opacity: float = 1.0) -> str:
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<svg width="34" height="10" aria-hidden="true"><line x1="2" y1="5" x2="32" y2="5" '
        f'stroke="{colour}" stroke-width="4" stroke-linecap="round" stroke-opacity="{opacity}"'
        f"{dash_attr}/></svg>"
    )


def legend_html(corridors: Sequence[Route]) -> str:
    """Return the legend's HTML: corridor colours, line styles, markers and state shading."""

    def row(swatch: str, text: str) -> str:
        return f'<div class="row">{swatch}<span>{escape_html(text)}</span></div>'

    circle = (
        '<svg width="34" height="12" aria-hidden="true"><circle cx="17" cy="6" r="{r}" '
        'fill="{fill}" stroke="{stroke}" stroke-width="2"/></svg>'
    )
    box = (
        '<svg width="34" height="12" aria-hidden="true"><rect x="5" y="1" width="24" height="10" '
        'fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1.5" '
        'stroke-dasharray="{dash}"/></svg>'
    )
    parts = ["<details open><summary>Legend</summary>", "<h4>Corridors</h4>"]
    # Short names (no bracketed gloss) keep the legend narrow; tooltips give the full ones.
    parts += [row(_legend_swatch(r.colour), short_name(r.name)) for r in corridors]
    parts.append(row(_legend_swatch(BASELINE_GREY), "Baseline (existing route)"))
    parts.append("<h4>Lines</h4>")
    parts.append(row(_legend_swatch("#333"), "Rail or road, operational"))
    parts.append(row(_legend_swatch("#333", dash=DASH_WATER), "Sea or ferry"))
    parts.append(row(_legend_swatch("#333", dash=DASH_NOT_BUILT), "Planned or being built"))
    parts.append(row(_legend_swatch("#333", dash=DASH_CLOSED, opacity=CLOSED_OPACITY), "Closed"))
    parts.append("<h4>Points</h4>")
    parts.append(row(circle.format(r=4, fill="#fff", stroke="#333"), "Port, station or crossing"))
    parts.append(row(circle.format(r=5, fill=CHOKEPOINT_FILL, stroke="#fff"), "Chokepoint"))
    parts.append("<h4>Selected corridor</h4>")
    parts.append(
        row(box.format(fill=CROSSED_FILL, opacity=0.75, stroke="#333", dash="none"), "Crossed")
    )
    parts.append(
        row(box.format(fill="#fff", opacity=0, stroke=BYPASS_OUTLINE, dash="4 3"), "Bypassed")
    )
    parts.append("</details>")
    return "".join(parts)
