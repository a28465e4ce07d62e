"""Hostile inputs through Streamlit's AppTest: a message in the page, never a traceback.

AppTest cannot send a component value or lose an upload, so the scripts below put into session
state what the map's callback or a deleted file leaves there, then run the page's own code.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from corridors.data import Dataset, load_dataset
from corridors.isolation import WorkerPool
from corridors.policy.upload_worker import upload_pool
from corridors.ui import state
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.conftest import POLICY
from tests.hostile import cases
from tests.hostile.test_names import HOSTILE

APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="module")
def world() -> Iterator[tuple[Dataset, WorkerPool]]:
    dataset = load_dataset(POLICY / "data", POLICY / "seeds")
    with upload_pool(POLICY / "states.geojson", max_workers=1) as pool:
        yield dataset, pool


def crafted_event_script(dataset, pool, value) -> None:
    """Put a crafted value where streamlit-folium puts the map event, then read it as the page."""
    import streamlit as st

    from corridors.ui import state, upload_panel, widgets

    state.init_state(dataset)
    st.session_state[state.MAP_EVENT] = value
    widgets._on_map_event(dataset.corridors)
    route = upload_panel.your_route(dataset, pool)
    upload_panel.show_upload(dataset, {}, route)


@pytest.mark.parametrize("value", cases.COMPONENT_VALUES, ids=repr)
def test_a_crafted_map_value_gives_a_message_or_nothing(
    world: tuple[Dataset, WorkerPool], value: Any
) -> None:
    at = AppTest.from_function(crafted_event_script, args=(*world, value), default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    errors = [e.value for e in at.error]
    if value == cases.COMPONENT_VALUES[-1]:
        assert len(errors) == 1
        assert "nested too deeply" in errors[0]
    else:
        assert errors == []


def deleted_upload_script(dataset, pool) -> None:
    """A widget state naming an upload the server no longer holds."""
    import streamlit as st
    from streamlit.runtime.uploaded_file_manager import DeletedFile

    from corridors.ui import state, upload_panel

    state.init_state(dataset)
    st.session_state[state.UPLOAD_FILE] = DeletedFile("gone")
    upload_panel.keep_upload()  # what the uploader's on_change does with it
    route = upload_panel.your_route(dataset, pool)
    st.session_state["error"] = route.error


def test_a_deleted_upload_asks_for_the_file_again(world: tuple[Dataset, WorkerPool]) -> None:
    at = AppTest.from_function(deleted_upload_script, args=world, default_timeout=30)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "no longer on the server; upload it again" in at.session_state["error"]


@pytest.fixture(scope="module")
def app_env(dashboard_dirs: dict[str, Path]) -> Iterator[None]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ENV_DATA_DIR, str(dashboard_dirs["data"]))
        patch.setenv(ENV_SEEDS_DIR, str(dashboard_dirs["seeds"]))
        yield


@pytest.mark.usefixtures("app_env")
def test_hostile_uploads_and_names_leave_the_page_working() -> None:
    """One session: each file in turn, as one visitor might try them, then a good route."""
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    at.session_state[state.PANEL] = "Your route"
    at.run()
    for name in HOSTILE:
        line = {"type": "LineString", "coordinates": [[44.8, 41.7], [45.5, 41.3]]}
        document = {"type": "Feature", "properties": {"name": name}, "geometry": line}
        upload = json.dumps(document).encode()
        at.file_uploader(key=state.UPLOAD_FILE).upload(f"{name}.geojson", upload).run()
        assert not at.exception, [e.value for e in at.exception]
        (component,) = at.get("component_instance")
        overlays = json.loads(component.proto.json_args)["feature_group"]
        assert "upload-leg route-your-route" in overlays
        assert name not in overlays
        assert "BTK 49" not in overlays
    for data, message in [
        (cases.many_parts(), "separate lines"),
        (b'{"type": "LineString", "coordinates": ' + b"[" * 5000 + b"]" * 5000 + b"}", "nested"),
    ]:
        at.file_uploader(key=state.UPLOAD_FILE).upload("bad.geojson", data).run()
        assert not at.exception, [e.value for e in at.exception]
        assert message in at.error[0].value, [e.value for e in at.error]
