"""Presentation mode's pure parts: what the URL asks for, the page config, the style sheet."""

from __future__ import annotations

import pytest

from corridors.ui.presentation import (
    FONT_PX,
    map_height_css,
    page_config,
    presentation_css,
    presentation_requested,
)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"present": "1"}, True),
        ({"present": "true"}, True),
        ({"present": ["0", "on"]}, True),  # the last value wins, as in st.query_params
        ({"present": "0"}, False),
        ({"present": "maybe"}, False),
        ({"present": []}, False),
        ({}, False),
    ],
)
def test_presentation_requested(params: dict, expected: bool) -> None:
    assert presentation_requested(params) is expected


def test_page_config_collapses_the_sidebar_only_when_presenting() -> None:
    assert page_config(True) == {"layout": "wide", "initial_sidebar_state": "collapsed"}
    assert page_config(False)["initial_sidebar_state"] == "auto"


def test_css_enlarges_type_hides_chrome_and_stretches_the_map() -> None:
    css = presentation_css()
    assert f"html {{ font-size: {FONT_PX}px; }}" in css
    assert 'header[data-testid="stHeader"]' in css
    assert "streamlit_folium.st_folium" in css
    assert "100vh" in css
    assert css.startswith("<style>")
    assert css.endswith("</style>")


def test_outside_presentation_the_map_only_shrinks_to_fit_the_first_screen() -> None:
    css = map_height_css(2, max_px=640)
    assert "height: min(640px, calc(100vh - 7rem)) !important" in css
    assert "min-height: 360px" in css
    assert "min(" not in map_height_css(9)  # presenting: the map fills the window
