"""Presentation mode's pure parts: what the URL asks for, the page config, the style sheet."""

from __future__ import annotations

import pytest

from corridors.ui.presentation import (
    FIRST_SCREEN,
    MAP_ROW,
    STYLES,
    map_height_sheet,
    page_config,
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


def test_css_enlarges_type_hides_chrome_and_gives_the_map_what_the_rows_above_leave() -> None:
    css = (STYLES / "presentation.css").read_text()
    assert "html { font-size: 24px; }" in css
    assert 'header[data-testid="stHeader"]' in css
    # The first screen is the window's height; the map row takes what is left, the map all of it.
    assert f".st-key-{FIRST_SCREEN} {{ flex: none; height: calc(100vh - 0.5rem); }}" in css
    assert f".st-key-{FIRST_SCREEN} > div:has(.st-key-{MAP_ROW}) {{ flex: 1 1 0;" in css
    assert "streamlit_folium.st_folium" in css
    assert "height: 100% !important" in css
    assert "rem)" not in css.split(FIRST_SCREEN, 2)[2]  # no room guessed for a bar's height
    assert "<" not in css  # a style sheet, which Streamlit wraps in its tags


def test_outside_presentation_the_map_only_shrinks_to_fit_the_first_screen() -> None:
    css = (STYLES / "map_height.css").read_text()
    assert "height: min(var(--corridors-map-px), calc(100vh - 7rem)) !important" in css
    assert "min-height: 360px" in css
    assert map_height_sheet(640) == "<style>:root { --corridors-map-px: 640px; }</style>"


def test_the_page_style_sheet_names_the_containers_the_page_keys() -> None:
    css = (STYLES / "page.css").read_text()
    assert f".st-key-{MAP_ROW}" in css
    assert f".st-key-{FIRST_SCREEN}" in css
