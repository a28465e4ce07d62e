"""The Export panel and presentation mode, run headless with AppTest on the export fixture."""

from __future__ import annotations

from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from corridors.ui import export_panel


def _panel_script() -> None:
    """Run the panel alone on the export fixture (AppTest runs this function as a page).

    The data are loaded once, as the app's ``cached`` module does: the panel knows a file it
    made from the same objects.
    """
    from pathlib import Path

    import streamlit as st

    from corridors import webmap
    from corridors.data import load_dataset, load_states
    from corridors.geometry import StateIndex, analyse_routes
    from corridors.ui.export_panel import show_export_panel
    from corridors.view import ViewState

    @st.cache_resource
    def load():
        root = Path("tests/fixtures/export")
        dataset = load_dataset(root / "data", root / "seeds")
        states = load_states(root / "states.geojson")
        analyses = analyse_routes(dataset.routes, StateIndex(states), dataset.chokepoints)
        return dataset, states, analyses

    dataset, states, analyses = load()
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
    """The labels of the panel's buttons, in order: the Make buttons, then the downloads."""
    return [b.label for b in at.button] + [b.proto.label for b in at.get("download_button")]


def test_panel_makes_the_pictures_on_request_and_downloads_the_data(panel: AppTest) -> None:
    assert _labels(panel) == [
        "Make PNG",
        "Make interactive page (HTML)",
        "Analysis table (CSV)",
        "Routes (GeoJSON)",
    ]
    assert not any(b.disabled for b in panel.button)
    buttons = panel.get("download_button")
    assert all(b.proto.ignore_rerun for b in buttons)  # a download does not rerun the page
    assert not any(b.proto.disabled for b in buttons)


def test_a_made_png_is_offered_in_the_session_until_the_view_changes(panel: AppTest) -> None:
    panel.button(key="export_snapshot_make").click().run()
    assert not panel.exception
    assert _labels(panel)[:2] == ["Make interactive page (HTML)", "Download PNG (1920×1080)"]
    png = panel.get("download_button")[0].proto
    assert png.ignore_rerun
    # Made in the run, so filed under this session, not a deferred download made later.
    assert "/media/" in png.url
    assert not png.deferred_file_id
    assert panel.session_state["export_snapshot"][1][:8] == b"\x89PNG\r\n\x1a\n"
    panel.run()  # another run of the page keeps offering the same file
    assert panel.get("download_button")[0].proto.url == png.url
    panel.text_input[0].set_value("Another title").run()
    assert _labels(panel)[0] == "Make PNG again (the view, size or text changed)"
    panel.radio(key="export_format").set_value("pdf").run()
    assert _labels(panel)[0] == "Make PDF"  # no PDF was made, so none is out of date


def test_a_file_made_in_one_session_is_not_made_again_for_the_next(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two sessions ask for the same PNG one after the other: it is drawn once, and the second
    session is offered the same file, filed under its own session."""
    drawn: list[str] = []
    render = export_panel.render_snapshot

    def counted(*args: Any, **kwargs: Any) -> bytes:
        drawn.append(kwargs["title"])
        return render(*args, **kwargs)

    monkeypatch.setattr(export_panel, "render_snapshot", counted)
    title = "Made once for two sessions"  # a file no other test has made
    files, urls = [], []
    for _ in range(2):
        at = AppTest.from_function(_panel_script, default_timeout=30).run()
        at.text_input[0].set_value(title).run()
        at.button(key="export_snapshot_make").click().run()
        assert not at.exception, [e.value for e in at.exception]
        png = at.get("download_button")[0].proto
        assert png.label == "Download PNG (1920×1080)"
        assert not png.deferred_file_id
        files.append(at.session_state["export_snapshot"][1])
        urls.append(png.url)
    assert drawn == [title]
    assert files[0] == files[1]
    assert files[0][:8] == b"\x89PNG\r\n\x1a\n"
    assert all("/media/" in url for url in urls)


def test_the_interactive_page_is_made_on_request(panel: AppTest) -> None:
    panel.button(key="export_html_make").click().run()
    assert not panel.exception
    page = panel.get("download_button")[0].proto
    assert page.label == "Download interactive page (HTML)"
    assert panel.session_state["export_html"][1].lstrip().lower().startswith("<!doctype html>")


def test_panel_prefills_title_from_the_selection(panel: AppTest) -> None:
    title, subtitle = (box.value for box in panel.text_input)
    assert title == "TRIPP"
    assert subtitle == "Horadiz to Kars: crosses Azerbaijan, Armenia and Türkiye; bypasses Iran"


def test_panel_follows_the_chosen_format(panel: AppTest) -> None:
    panel.radio(key="export_format").set_value("pdf").run()
    assert _labels(panel)[0] == "Make PDF"


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
    assert not panel.button(key="export_snapshot_make").disabled
    panel.button(key="export_snapshot_make").click().run()
    assert panel.get("download_button")[0].proto.label == "Download PNG (1000×1080)"


def _presentation_script() -> None:
    import streamlit as st

    from corridors.ui import presentation, state

    state.do_presses()  # as app.py does, before it reads the URL
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
