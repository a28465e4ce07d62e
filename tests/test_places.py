"""The places the maps name: the bundled file is valid, cited and where it says it is."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from corridors.data import CorridorDataError, Dataset, load_dataset
from corridors.places import PLACES_FILE, load_places, places_in


@pytest.fixture(scope="module")
def real_dataset() -> Dataset:
    return load_dataset()


def test_every_place_cites_known_facts(real_dataset: Dataset) -> None:
    places = load_places(PLACES_FILE, real_dataset.facts)
    names = {p.name for p in places}
    assert {"Nakhchivan", "Syunik", "Absheron", "Bosphorus", "Strait of Hormuz"} <= names
    assert {"Caspian Sea", "Black Sea"} <= names


def test_regions_lie_in_their_state_and_seas_in_none(world_states: gpd.GeoDataFrame) -> None:
    states = world_states.set_index("iso3").geometry
    land = shapely.union_all(world_states.geometry.to_numpy())
    for place in load_places():
        for lon, lat in place.anchors:
            point = shapely.Point(lon, lat)
            if place.kind == "region":
                assert states[place.iso3].contains(point), (place.id, lon, lat)
            elif place.kind == "sea":
                assert not land.contains(point), (place.id, lon, lat)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    bad = {
        "type": "FeatureCollection",
        "features": [
            {"properties": {"id": "a", "name": "", "kind": "sea", "rank": 1, "sources": ["x"]},
             "geometry": {"type": "MultiPoint", "coordinates": [[0, 0]]}},
            {"properties": {"id": "b", "name": "B", "kind": "lake", "rank": 9, "sources": []},
             "geometry": {"type": "Point", "coordinates": [0, 0]}},
            {"properties": {"id": "c", "name": "C", "kind": "region", "rank": 1,
                            "sources": ["nope"]},
             "geometry": {"type": "MultiPoint", "coordinates": [[200, 0]]}},
        ],
    }  # fmt: skip
    path = tmp_path / "places.geojson"
    path.write_text(json.dumps(bad))
    with pytest.raises(CorridorDataError) as caught:
        load_places(path, fact_ids={"x"})
    text = str(caught.value)
    for expected in ("'name'", "'kind'", "'rank'", "'sources'", "MultiPoint", "iso3", "'nope'"):
        assert expected in text
    assert "'a'" in text
    assert "'c'" in text


def test_a_data_folder_without_places_names_none(tmp_path: Path) -> None:
    assert places_in(tmp_path) == []
    (tmp_path / "places.geojson").write_text("{")
    with pytest.raises(CorridorDataError, match="cannot be read as JSON"):
        places_in(tmp_path)
