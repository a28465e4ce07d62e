"""Presentation mode's pure parts: what the URL asks for, the page config, the style sheet."""

from __future__ import annotations

import pytest

from corridors.ui.presentation import (
    FONT_PX,
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
