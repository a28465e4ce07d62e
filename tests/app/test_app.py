"""The page, run headless with AppTest against the dashboard fixture, widgets driven by key."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from corridors.ui import state
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app.py"
MALFORMED = ROOT / "tests" / "fixtures" / "malformed"


@pytest.fixture
def app(monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path]) -> AppTest:
    """The app on the dashboard fixture, after its first run."""
    monkeypatch.setenv(ENV_DATA_DIR, str(dashboard_dirs["data"]))
    monkeypatch.setenv(ENV_SEEDS_DIR, str(dashboard_dirs["seeds"]))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def map_args(at: AppTest) -> dict[str, Any]:
    """The arguments the page passed to st_folium: what the browser will draw."""
    (component,) = at.get("component_instance")
    assert component.proto.component_name == "streamlit_folium.st_folium"
    return json.loads(component.proto.json_args)


def test_page_draws_the_map_from_local_leaflet(app: AppTest) -> None:
    args = map_args(app)
    assert args["js_links"] == ["/app/static/vendor/leaflet/leaflet.js"]
    assert args["css_links"] == ["/app/static/vendor/leaflet/leaflet.css"]
    assert "http:" not in args["script"] + args["header"] + args["feature_group"]
    assert "https:" not in args["script"] + args["header"] + args["feature_group"]
    assert args["returned_objects"] == ["last_object_clicked", "last_object_clicked_tooltip"]
    assert (ROOT / "static" / "vendor" / "leaflet" / "leaflet.js").is_file()


def test_every_corridor_is_on_by_default(app: AppTest) -> None:
    overlays = map_args(app)["feature_group"]
    assert "<b>Middle Corridor</b>" in overlays
    assert "<b>Baku-Tbilisi-Kars railway</b>" in overlays
    assert "<b>Northern route</b> (baseline)" in overlays
    assert app.selectbox(key=state.SELECTED).value == "middle-corridor"


def test_hiding_a_corridor_updates_the_overlays_not_the_map(app: AppTest) -> None:
    before = map_args(app)
    app.toggle(key=state.visible_key("btk")).set_value(False).run()
    after = map_args(app)
    assert "<b>Baku-Tbilisi-Kars railway</b>" not in after["feature_group"]
    assert "<b>Kars-Gyumri railway</b>" not in after["feature_group"]  # its baseline goes too
    assert "<b>Middle Corridor</b>" in after["feature_group"]
    # Same base script and key: streamlit-folium keeps the loaded map and swaps the overlays.
    assert (after["script"], after["key"]) == (before["script"], before["key"])


def test_baselines_toggle(app: AppTest) -> None:
    app.toggle(key=state.SHOW_BASELINES).set_value(False).run()
    assert "(baseline)" not in map_args(app)["feature_group"]


def test_web_tiles_toggle_adds_a_tile_layer(app: AppTest) -> None:
    assert "tile.openstreetmap.org" not in map_args(app)["script"]
    app.toggle(key=state.WEB_TILES).set_value(True).run()
    assert "tile.openstreetmap.org" in map_args(app)["script"]


def test_selecting_a_corridor_shows_its_states(app: AppTest) -> None:
    app.selectbox(key=state.SELECTED).select("btk").run()
    assert not app.exception
    assert app.subheader[0].value == "Baku\\-Tbilisi\\-Kars railway"
    km = app.dataframe[2].value  # mode, status, then kilometres per state
    assert list(km["State"]) == ["Azerbaijan", "Georgia", "Türkiye"]
    text = " ".join(m.value for m in app.markdown)
    assert "Armenia: crossed by the baseline, **Kars\\-Gyumri railway**" in text
    assert "Bosporus" in text


def test_selecting_a_corridor_moves_the_map_to_it(app: AppTest) -> None:
    assert map_args(app)["center"] is None  # the map's own fitted view
    app.selectbox(key=state.SELECTED).select("btk").run()
    args = map_args(app)
    lat, lon = args["center"]
    assert 39 < lat < 42
    assert 30 < lon < 50
    assert args["zoom"] >= 5


def test_sources_and_legs_of_the_selected_corridor(app: AppTest) -> None:
    frames = [d.value for d in app.dataframe]
    sources = next(f for f in frames if "Fact" in f.columns)
    assert list(sources["Status"]) == ["disputed"]
    legs = next(f for f in frames if "Leg" in f.columns)
    assert "under construction" in set(legs["Status"])


def test_malformed_data_shows_the_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(MALFORMED / "data"))
    monkeypatch.setenv(ENV_SEEDS_DIR, str(MALFORMED / "seeds"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    shown = error.value.replace("\\", "")  # the message is Markdown-escaped
    assert "broken.geojson: feature broken-01: mode" in shown
    assert "(got 'teleport')" in shown
    assert not at.get("component_instance")


def test_the_bundled_data_renders(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real data/ and seeds/, every corridor selected in turn."""
    monkeypatch.delenv(ENV_DATA_DIR, raising=False)
    monkeypatch.delenv(ENV_SEEDS_DIR, raising=False)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert not at.error
    names = at.selectbox(key=state.SELECTED).options
    for index, name in enumerate(names):
        at.selectbox(key=state.SELECTED).select_index(index).run()
        assert not at.exception, name
        assert at.subheader[0].value.replace("\\", "") == name
