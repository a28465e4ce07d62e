"""Route order and roles come from the route files: one more corridor file shows up everywhere.

A hard-coded list of the five corridor ids once hid any other corridor file: loaded, validated,
and then never listed, drawn, compared or reported.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from streamlit.testing.v1 import AppTest

from corridors.cli import main
from corridors.data import Dataset, load_dataset
from corridors.geometry import StateIndex, analyse_routes
from corridors.policy.closures import apply_closures, build_exposure
from corridors.policy.compare import compare_table
from corridors.ui import state
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR

APP = Path(__file__).resolve().parents[1] / "app.py"
NEW = "lapis"
NAME = "Lapis Test Line"


@pytest.fixture(scope="module")
def dirs(tmp_path_factory: pytest.TempPathFactory, dashboard_dirs: dict[str, Path]) -> Path:
    """The dashboard fixture with a third corridor file, listed first by its ``order``."""
    root = tmp_path_factory.mktemp("one-more")
    data = root / "data"
    shutil.copytree(dashboard_dirs["data"], data)
    shutil.copytree(dashboard_dirs["seeds"], root / "seeds")
    route = json.loads((data / "routes" / "btk.geojson").read_text(encoding="utf-8"))
    route["corridor"] |= {"id": NEW, "name": NAME, "order": 0, "colour": "#CC79A7"}
    (data / "routes" / f"{NEW}.geojson").write_text(json.dumps(route), encoding="utf-8")
    tour = json.loads((data / "tour.json").read_text(encoding="utf-8"))
    step = {**tour["steps"][1], "id": "lapis", "corridors": [NEW], "selected": NEW}
    tour["steps"].append(step)  # the tour's validator wants every corridor visited
    (data / "tour.json").write_text(json.dumps(tour), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def dataset(dirs: Path) -> Dataset:
    return load_dataset(dirs / "data", dirs / "seeds")


def test_corridors_come_from_the_files_in_their_order(
    dataset: Dataset, dashboard_dataset: Dataset
) -> None:
    assert [r.id for r in dashboard_dataset.corridors] == ["middle-corridor", "btk"]
    assert [r.id for r in dataset.corridors] == [NEW, "middle-corridor", "btk"]
    assert [r.id for r in dataset.baselines] == ["northern-route", "kars-gyumri"]


def test_the_new_corridor_is_compared_and_its_closures_counted(
    dataset: Dataset, world_states: gpd.GeoDataFrame
) -> None:
    index = StateIndex(world_states)
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    table = compare_table(dataset, analyses)
    assert list(table.index) == [NEW, "middle-corridor", "btk", "northern-route", "kars-gyumri"]
    exposure = build_exposure((*dataset.corridors, *dataset.baselines), index, dataset.chokepoints)
    assert "of 3 corridors" in apply_closures(exposure, states=["RUS"], year=2040).summary


def test_the_new_corridor_is_reported(dirs: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["--data-dir", str(dirs / "data"), "--seeds-dir", str(dirs / "seeds")]
    assert main(["report", "--json", *args]) == 0
    records = json.loads(capsys.readouterr().out)["corridors"]
    assert [r["id"] for r in records] == [NEW, "middle-corridor", "btk"]


def test_the_new_corridor_is_in_the_sidebar_and_on_the_map(
    dirs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(dirs / "data"))
    monkeypatch.setenv(ENV_SEEDS_DIR, str(dirs / "seeds"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.toggle(key=state.visible_key(NEW)).value
    assert at.radio(key=state.SELECTED).options[0] == NAME
    (component,) = at.get("component_instance")
    assert f"corridor-leg route-{NEW}" in json.loads(component.proto.json_args)["feature_group"]
