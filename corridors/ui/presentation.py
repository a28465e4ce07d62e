"""Presentation mode: the map fills the screen and text is readable from the back of a room.

Turned on by ``?present=1`` in the URL (so a prepared link opens in it) or by a toggle, which
writes the parameter back. The pure parts (what the URL asks for, the page config, the CSS) are
plain functions; :func:`apply_presentation` and :func:`presentation_toggle` touch Streamlit.

Wiring in ``app.py``::

    present = presentation.presentation_requested(st.query_params)
    st.set_page_config(page_title=..., **presentation.page_config(present))
    presentation.apply_presentation(present)
    ...
    presentation.presentation_toggle()  # in the main area: the sidebar is collapsed
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import streamlit as st

from corridors.ui.state import PRESENTATION
from corridors.view import FLAG_ON, PRESENT_PARAM

#: Root font size in presentation mode: Streamlit sizes its text in rem, so everything scales.
#: 24 px is 1.5 times the default, about 1/45 of a 1080-pixel projector image: readable at
#: 10 metres on a 3-metre screen.
FONT_PX = 24
#: The st_folium iframe, by its component name and Streamlit's test id for components.
_MAP_IFRAME = (
    'iframe[title="streamlit_folium.st_folium"], iframe[data-testid="stCustomComponentV1"]'
)
#: Keys of the page's containers: the first screen (the title or toggle row, a running tour's
#: bar and the map row) and, in it, the row of the map and a running tour's step.
FIRST_SCREEN = "first_screen"
MAP_ROW = "map_row"


def presentation_requested(params: Mapping[str, Any]) -> bool:
    """Return whether the URL's query parameters ask for presentation mode.

    Examples
    --------
    >>> presentation_requested({"present": "1"}), presentation_requested({})
    (True, False)
    """
    value = params.get(PRESENT_PARAM)
    if isinstance(value, list):
        value = value[-1] if value else None
    return isinstance(value, str) and value.strip().lower() in FLAG_ON


class PageConfig(TypedDict):
    """The ``st.set_page_config`` arguments presentation mode decides."""

    layout: Literal["wide"]
    initial_sidebar_state: Literal["collapsed", "auto"]


def page_config(present: bool) -> PageConfig:
    """Return ``st.set_page_config`` arguments: wide, and the sidebar collapsed when presenting."""
    return {"layout": "wide", "initial_sidebar_state": "collapsed" if present else "auto"}


def presentation_css(font_px: int = FONT_PX) -> str:
    """Return the style sheet of presentation mode.

    Hides Streamlit's header, toolbar and footer, removes the page margins and enlarges the root
    font (every size in Streamlit's theme is in rem). The first screen (the toggle's row, a
    running tour's bar and the map; :data:`FIRST_SCREEN`) is a column exactly as tall as the
    window, and the map takes the room the rows above it leave: however tall the tour's bar
    grows at a size, the map's bottom, with its scale bar, stays on screen. The map keeps at
    least 360 pixels; below that the page scrolls rather than squeeze it.
    """
    return f"""<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
footer {{ display: none !important; }}
html {{ font-size: {font_px}px; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 0.5rem 1rem 0 1rem !important; max-width: 100% !important; }}
.st-key-{FIRST_SCREEN} {{ flex: none; height: calc(100vh - 0.5rem); }}
.st-key-{FIRST_SCREEN} > div {{ flex: none; }}
.st-key-{FIRST_SCREEN} > div:has(.st-key-{MAP_ROW}) {{ flex: 1 1 0; min-height: 360px; }}
.st-key-{MAP_ROW}, .st-key-{MAP_ROW} > div, .st-key-{MAP_ROW} [data-testid="stHorizontalBlock"],
.st-key-{MAP_ROW} [data-testid="stElementContainer"]:has(iframe) {{
  flex: 1 1 0; min-height: 0; }}
.st-key-{MAP_ROW} [data-testid="stColumn"] > [data-testid="stVerticalBlock"],
.st-key-{MAP_ROW} [data-testid="stElementContainer"] > div:has(> iframe) {{ height: 100%; }}
{_MAP_IFRAME} {{ height: 100% !important; display: block; }}
</style>"""


def map_height_css(above_rem: float, *, max_px: int) -> str:
    """Return the rule that keeps the map at most ``max_px`` tall, less when the window is short.

    Outside presentation mode ``above_rem`` is the room the title row takes: the map only
    shrinks to keep its whole height on the first screen (a 720-pixel laptop), never below
    360 pixels.
    """
    height = f"calc(100vh - {5 + above_rem:g}rem)"
    return (
        f"<style>{_MAP_IFRAME} {{ height: min({max_px}px, {height}) !important;"
        " min-height: 360px; }</style>"
    )


def apply_presentation(present: bool) -> None:
    """Inject the presentation style sheet when presenting; do nothing otherwise."""
    if present:
        st.html(presentation_css())


def _sync_query() -> None:
    """Put the toggle in the URL at once: the next run reads the page layout from it first."""
    if st.session_state[PRESENTATION]:
        st.query_params[PRESENT_PARAM] = "1"
    else:
        st.query_params.pop(PRESENT_PARAM, None)


def presentation_toggle(label: str = "Presentation mode") -> bool:
    """Draw the toggle that starts from the URL and keeps ``?present=1`` in step; return it."""
    return st.toggle(
        label,
        key=PRESENTATION,
        on_change=_sync_query,
        help="Full-screen map and large type for a projector; the link keeps it (?present=1).",
    )
