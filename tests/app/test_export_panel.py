"""The Export panel and presentation mode, run headless with AppTest on the export fixture."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest


def _panel_script() -> None:
    """Run the panel alone on the export fixture (AppTest runs this function as a page)."""
    from pathlib import Path

    from corridors import webmap
    from corridors.data import load_dataset, load_states
    from corridors.geometry import StateIndex, analyse_routes
    from corridors.ui.export_panel import show_export_panel
    from corridors.view import ViewState

    root = Path("tests/fixtures/export")
    dataset = load_dataset(root / "data", root / "seeds")
    states = load_states(root / "states.geojson")
    analyses = analyse_routes(dataset.routes, StateIndex(states), dataset.chokepoints)
    view = ViewState(
        corridors=("middle-corridor", "tripp"), selected="tripp", bounds=(38.0, 36.0, 52.0, 44.0)
    )
    show_export_panel(
        dataset,
        analyses,
        states,
        webmap.display_states(states),
        view,
        visible=["middle-corridor", "tripp"],
    )


@pytest.fixture
def panel() -> AppTest:
    at = AppTest.from_function(_panel_script, default_timeout=30).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _labels(at: AppTest) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_panel_offers_every_download(panel: AppTest) -> None:
    assert _labels(panel) == [
        "Download PNG",
        "Interactive page (HTML)",
        "Analysis table (CSV)",
        "Routes (GeoJSON)",
    ]
    buttons = panel.get("download_button")
    assert all(b.proto.ignore_rerun for b in buttons)  # a download does not rerun the page
    assert not any(b.proto.disabled for b in buttons)


def test_panel_prefills_title_from_the_selection(panel: AppTest) -> None:
    title, subtitle = (box.value for box in panel.text_input)
    assert title == "TRIPP"
    assert subtitle == "Horadiz to Kars: crosses Azerbaijan, Armenia and Türkiye; bypasses Iran"


def test_panel_follows_the_chosen_format(panel: AppTest) -> None:
    panel.radio(key="export_format").set_value("pdf").run()
    assert _labels(panel)[0] == "Download PDF"


def test_panel_offers_the_map_view_extent_when_it_has_bounds(panel: AppTest) -> None:
    assert panel.radio(key="export_extent").options == [
        "Current map view",
        "Fit the selected corridor",
        "Fit the corridors switched on",
    ]


def test_custom_size_asks_for_width_height_and_dpi(panel: AppTest) -> None:
    panel.selectbox(key="export_size").set_value("custom").run()
    panel.number_input(key="export_width").set_value(1000).run()
    assert [n.value for n in panel.number_input] == [1000, 1080, 150]
    assert not panel.error
    assert not panel.get("download_button")[0].proto.disabled


def _presentation_script() -> None:
    import streamlit as st

    from corridors.ui import presentation

    present = presentation.presentation_requested(st.query_params)
    st.set_page_config(**presentation.page_config(present))
    st.session_state.setdefault("presentation_mode", present)  # as a link sets it in the app
    presentation.apply_presentation(present)
    st.write("presenting" if presentation.presentation_toggle() else "normal")


def test_presentation_mode_starts_from_the_url() -> None:
    at = AppTest.from_function(_presentation_script)
    at.query_params["present"] = "1"
    at.run()
    assert at.toggle(key="presentation_mode").value is True
    assert at.markdown[-1].value == "presenting"


def test_presentation_toggle_writes_the_url() -> None:
    at = AppTest.from_function(_presentation_script).run()
    assert at.markdown[-1].value == "normal"
    at.toggle(key="presentation_mode").set_value(True).run()
    assert at.query_params["present"] == "1"
    at.toggle(key="presentation_mode").set_value(False).run()
    assert "present" not in at.query_params
