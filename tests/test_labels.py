"""Label records for the web map: where each name may go, and its room there."""

from __future__ import annotations

import dataclasses
import json

import folium
import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import given
from hypothesis import strategies as st

from corridors.data import Dataset
from corridors.model import Route, Waypoint
from corridors.places import load_places
from corridors.webmap import build_base_map, build_overlays, names_json
from corridors.webmap.basemap import display_states
from corridors.webmap.elements import Labels
from corridors.webmap.labels import (
    ASPECTS,
    BISECTIONS,
    FIT_ZOOM,
    bypassed_labels,
    fitting_rectangles,
    names_in,
    place_labels,
    state_labels,
    station_labels,
)


@pytest.fixture(scope="module")
def world_display(world_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return display_states(world_states)


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    x = (lon + 180.0) / 360.0
    y = (1.0 - np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) / np.pi) / 2.0
    return x, y


@given(
    width=st.floats(1, 50), height=st.floats(1, 50), fx=st.floats(0.1, 0.9), fy=st.floats(0.1, 0.9)
)
def test_the_box_fits_in_a_rectangle_and_touches_it(
    width: float, height: float, fx: float, fy: float
) -> None:
    """In a rectangle, the largest centred box reaches the nearest side, and stays inside."""
    point = np.array([[fx * width, fy * height]])
    halves = fitting_rectangles(shapely.box(0, 0, width, height), point)[0]
    room_x = min(fx, 1 - fx) * width
    room_y = min(fy, 1 - fy) * height
    for aspect, half in zip(ASPECTS, halves, strict=True):
        expected = min(room_y, room_x / aspect)
        assert half <= expected + 1e-9
        assert half == pytest.approx(expected, abs=max(width, height) / 2**BISECTIONS)


def test_a_point_outside_has_no_room() -> None:
    halves = fitting_rectangles(shapely.box(0, 0, 1, 1), np.array([[2.0, 2.0]]))
    assert halves.tolist() == [[0.0] * len(ASPECTS)]


def test_state_labels_fit_inside_their_state(world_display: gpd.GeoDataFrame) -> None:
    """At every anchor, the box promised to the browser lies inside the state (Armenia too)."""
    labels = {label.iso3: label for label in state_labels(world_display)}
    shapes = world_display.set_index("iso3").geometry
    pixels = 256 * 2**FIT_ZOOM
    for iso3 in ("ARM", "GEO", "AZE", "KAZ", "RUS", "TUR", "IRN"):
        shape = shapely.transform(
            shapes[iso3], lambda c: np.column_stack(_mercator(c[:, 0], c[:, 1]))
        )
        for lat, lon, fits in labels[iso3].anchors:
            x, y = _mercator(lon, lat)
            for aspect, half in zip(ASPECTS, fits, strict=True):
                h = half / pixels
                box = shapely.box(x - aspect * h, y - h, x + aspect * h, y + h)
                # 0.01 degree rounding of the anchor: about 1 km, a pixel at zoom 7
                assert shape.buffer(0.01 / 360).contains(box), (iso3, lat, lon, aspect)


def test_larger_states_are_named_first_and_from_farther_out(
    world_display: gpd.GeoDataFrame,
) -> None:
    labels = {label.iso3: label for label in state_labels(world_display)}
    assert labels["RUS"].priority < labels["KAZ"].priority < labels["ARM"].priority
    assert labels["RUS"].min_zoom < labels["GEO"].min_zoom <= labels["ARM"].min_zoom
    assert labels["RUS"].size == "xl"
    assert labels["ARM"].size == "s"


def test_bypassed_labels_start_near_the_baseline_and_stay_in_the_state(
    world_display: gpd.GeoDataFrame, dashboard_dataset: Dataset
) -> None:
    baseline = dashboard_dataset.routes["northern-route"]
    (russia,) = bypassed_labels(world_display, [("RUS", "Russia")], baseline)
    _lat, lon, _fits = russia.anchors[0]
    assert 30 <= lon <= 60  # European Russia, not Siberia
    # Each anchor inside the state: one beside it, a last resort, set the name over a neighbour.
    assert all(all(f > 0 for f in fits) for _lat, _lon, fits in russia.anchors)
    assert russia.note == "bypassed"
    assert bypassed_labels(world_display, [("XXX", "Nowhere")], baseline) == []


def _stopping_at(dataset: Dataset, name: str) -> Route:
    """A corridor of the fixture with one stop, named ``name``."""
    stop = Waypoint("x", name, "port", "AZE", 49.87, 40.41)
    return dataclasses.replace(dataset.corridors[0], waypoints=(stop,))


def test_stations_are_named_once_and_only_close_up(dashboard_dataset: Dataset) -> None:
    route = _stopping_at(dashboard_dataset, "Baku")
    (label,) = station_labels([route, route])
    assert label.text == "Baku"
    assert label.min_zoom >= 6


@given(
    name=st.text(st.characters(categories=["L"]), min_size=1, max_size=12),
    before=st.text(max_size=20),
    after=st.text(max_size=20),
)
def test_a_name_between_spaces_is_mentioned_and_one_inside_a_word_is_not(
    name: str, before: str, after: str
) -> None:
    assert names_in(f"{before} {name} {after}", [name]) == [name]
    assert names_in(f"x{name}x", [name]) == []  # one word of letters: never a whole name
    assert names_in(f"the {name} route", [name], not_in=[f"{name} route"]) == []


def test_a_tour_steps_words_name_a_baselines_station_and_reach_the_script(
    dashboard_dataset: Dataset, world_display: gpd.GeoDataFrame
) -> None:
    """Gyumri, on the grey line only, is named where the words mention it, and only there."""
    gyumri = Waypoint("gyumri", "Gyumri", "station", "ARM", 43.85, 40.79)
    baseline = dataclasses.replace(dashboard_dataset.routes["kars-gyumri"], waypoints=(gyumri,))
    routes = {**dashboard_dataset.routes, baseline.id: baseline}
    dataset = dataclasses.replace(dashboard_dataset, routes=routes)

    def labels(mentioned: list[str]) -> Labels:
        groups = build_overlays(
            dataset,
            {},
            world_display,
            visible=["btk"],
            selected=None,
            show_baselines=True,
            mentioned=mentioned,
        )
        (found,) = [c for g in groups for c in g._children.values() if isinstance(c, Labels)]
        return found

    assert "Gyumri" not in {label.text for label in labels([]).labels}
    told = labels(["Gyumri", "<Baku>"])
    assert "Gyumri" in {label.text for label in told.labels}
    assert told.mentioned == ["Gyumri", "&lt;Baku&gt;"]  # compared with the labels' escaped text


def test_places_keep_their_anchors_in_order() -> None:
    labels = {label.text: label for label in place_labels(load_places())}
    caspian = labels["Caspian Sea"]
    assert caspian.anchors[0][:2] == (38.9, 51.0)
    assert labels["Nakhchivan"].priority < labels["Caspian Sea"].priority


def test_label_text_reaches_the_script_escaped(dashboard_dataset: Dataset) -> None:
    route = _stopping_at(dashboard_dataset, "<img src=x onerror=alert(1)>")
    m = folium.Map(tiles=None)
    Labels(station_labels([route])).add_to(m)
    script = m.get_root().render()
    assert '"text": "&lt;img src=x onerror=alert(1)&gt;"' in script
    assert "<img" not in script


def test_the_base_map_names_states_and_places(
    dashboard_dataset: Dataset, world_display: gpd.GeoDataFrame
) -> None:
    html = (
        build_base_map(dashboard_dataset, world_display, places=load_places()).get_root().render()
    )
    assert "corridors.labelSet(map_corridormap, " in html
    assert '"text": "Caspian Sea"' in html
    assert '"text": "Armenia"' in html


def test_the_states_names_are_a_file_the_map_fetches_once(
    dashboard_dataset: Dataset, world_display: gpd.GeoDataFrame
) -> None:
    """The map's script, sent with every change of the map, names only the places."""
    url = "/app/static/data/names-0123.json"
    base = build_base_map(dashboard_dataset, world_display, places=load_places(), names_url=url)
    html = base.get_root().render()
    assert f"corridors.fetchedLabelSet(map_corridormap, {json.dumps(url)}, " in html
    assert '"text": "Caspian Sea"' in html
    assert '"text": "Armenia"' not in html
    records = json.loads(names_json(world_display))
    assert records == [label.as_json() for label in state_labels(world_display)]
    assert {"text": "Armenia", "kind": "state"}.items() <= next(
        r for r in records if r["text"] == "Armenia"
    ).items()
