"""Presentation mode: the map fills the screen and text is readable from the back of a room.

Turned on by ``?present=1`` in the URL (so a prepared link opens in it) or by a toggle, which
writes the parameter back. What the URL asks for and the page config are plain functions; the
style sheets are files in ``styles/``; :func:`apply_presentation` and :func:`presentation_toggle`
touch Streamlit.

Wiring in ``app.py``::

    state.do_presses()  # the toggle's press writes the URL
    present = presentation.presentation_requested(st.query_params)
    st.set_page_config(page_title=..., **presentation.page_config(present))
    presentation.apply_presentation(present)
    ...
    presentation.presentation_toggle()  # in the main area: the sidebar is collapsed
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, TypedDict

import streamlit as st

from corridors.ui.state import PRESENTATION, noting
from corridors.view import FLAG_ON, PRESENT_PARAM

#: The style sheets, real files beside this module (``styles/``).
STYLES = Path(__file__).parent / "styles"
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


def map_height_sheet(max_px: int) -> str:
    """Return the style that hands ``styles/map_height.css`` the map's largest height.

    Only the value is written here; the rule that uses it lives in the style sheet.
    """
    return f"<style>:root {{ --corridors-map-px: {max_px}px; }}</style>"


def apply_map_height(max_px: int) -> None:
    """Keep the map at most ``max_px`` tall outside presentation mode, less on a short window."""
    st.html(map_height_sheet(max_px))
    st.html(STYLES / "map_height.css")


def apply_presentation(present: bool) -> None:
    """Load the presentation style sheet when presenting; do nothing otherwise."""
    if present:
        st.html(STYLES / "presentation.css")


def _sync_query() -> None:
    """Put the toggle in the URL at once: the run reads the page layout from it first.

    A press (:func:`corridors.ui.state.press`), done first in the run, before the URL is
    read: as the toggle's own callback, a rerun request arriving meanwhile could leave the
    toggle on and the URL without ``present=1``, the page half presenting.
    """
    if st.session_state[PRESENTATION]:
        st.query_params[PRESENT_PARAM] = "1"
    else:
        st.query_params.pop(PRESENT_PARAM, None)


def presentation_toggle(label: str = "Presentation mode") -> bool:
    """Draw the toggle that starts from the URL and keeps ``?present=1`` in step; return it."""
    return st.toggle(
        label,
        key=PRESENTATION,
        on_change=noting(_sync_query),
        help="Full-screen map and large type for a projector; the link keeps it (?present=1).",
    )
