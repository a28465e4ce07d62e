"""The web map's legend: :func:`corridors.style.legend_entries` as escaped HTML rows."""

from __future__ import annotations

from collections.abc import Sequence

from corridors.style import LEGEND_SECTIONS, LegendEntry
from corridors.text import escape_html


def _swatch(entry: LegendEntry) -> str:
    # Colours and dashes come from corridors.style, never from data, but are escaped anyway.
    colour, fill = escape_html(entry.colour), escape_html(entry.fill or "none")
    dash = f' stroke-dasharray="{escape_html(entry.dash)}"' if entry.dash else ""
    if entry.swatch == "line":
        return (
            f'<svg width="34" height="10" aria-hidden="true"><line x1="2" y1="5" x2="32" y2="5" '
            f'stroke="{colour}" stroke-width="4" stroke-linecap="round" '
            f'stroke-opacity="{entry.opacity:g}"{dash}/></svg>'
        )
    if entry.swatch == "point":
        return (
            f'<svg width="34" height="12" aria-hidden="true"><circle cx="17" cy="6" r="4.5" '
            f'fill="{fill}" stroke="{colour}" stroke-width="2"/></svg>'
        )
    return (
        f'<svg width="34" height="12" aria-hidden="true"><rect x="5" y="1" width="24" '
        f'height="10" fill="{fill}" fill-opacity="{entry.opacity:g}" stroke="{colour}" '
        f'stroke-width="1.5"{dash}/></svg>'
    )


def legend_html(entries: Sequence[LegendEntry]) -> str:
    """Return the legend's rows as HTML, one heading per section, every text escaped.

    Examples
    --------
    >>> from corridors.style import LegendEntry
    >>> legend_html([LegendEntry("Routes", "<b>", "line", "#000")]).count("&lt;b&gt;")
    1
    >>> a, b, c = (LegendEntry(s, "x", "point", "#000") for s in ("Points", "States", "Points"))
    >>> legend_html([a, b, c]).count("<h4>Points</h4>")
    1
    """
    parts: list[str] = []
    section = None
    # Rows added by other layers (the network's) join their section: one heading each.
    for entry in sorted(entries, key=lambda e: LEGEND_SECTIONS.index(e.section)):
        if entry.section != section:
            section = entry.section
            parts.append(f"<h4>{escape_html(section)}</h4>")
        parts.append(
            f'<div class="row">{_swatch(entry)}<span>{escape_html(entry.label)}</span></div>'
        )
    return "".join(parts)
