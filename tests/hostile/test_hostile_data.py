"""Hostile data files: one message naming the file and feature, never a traceback or a cascade."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from corridors.cli import main
from corridors.data import CorridorDataError, load_dataset
from corridors.policy.tour import load_tour

Edit = Callable[[Path], None]


def edit_json(relative: str, change: Callable[[dict], None]) -> Edit:
    def edit(data: Path) -> None:
        path = data / relative
        document = json.loads(path.read_text(encoding="utf-8"))
        change(document)
        path.write_text(json.dumps(document), encoding="utf-8")

    return edit


def write(relative: str, text: str) -> Edit:
    def edit(data: Path) -> None:
        (data / relative).write_text(text, encoding="utf-8")

    return edit


def first_feature(key: str, value: object) -> Callable[[dict], None]:
    return lambda document: document["features"][0].update({key: value})


def same_coordinates(document: dict) -> None:
    document["features"][0]["geometry"]["coordinates"] = [[44.8, 41.72], [44.8, 41.72]]


def bad_mode(document: dict) -> None:
    document["features"][0]["properties"]["mode"] = "teleport"


BTK = "routes/btk.geojson"
CASES: dict[str, tuple[Edit, list[str]]] = {
    "properties-string": (
        edit_json("chokepoints.geojson", first_feature("properties", "x")),
        ["chokepoints.geojson: feature 0: properties must be an object"],
    ),
    "nested-100000": (
        write("chokepoints.geojson", '{"features": ' + "[" * 100_000 + "]" * 100_000 + "}"),
        ["chokepoints.geojson: cannot be read as JSON: it nests too deeply"],
    ),
    "5000-digits": (
        lambda data: (data / BTK).write_text(
            (data / BTK).read_text(encoding="utf-8").replace("49.87", "4" * 5000, 1),
            encoding="utf-8",
        ),
        ["btk.geojson: cannot be read as JSON: it holds a number too long to read"],
    ),
    "identical-coordinates": (
        edit_json(BTK, same_coordinates),
        [
            "btk.geojson: feature btk-01: a LineString needs two different points, "
            "got [[44.8, 41.72], [44.8, 41.72]]"
        ],
    ),
    # One bad leg: no "does not start where it ends", no "unknown corridor 'btk'" after it.
    "one-bad-leg": (
        edit_json(BTK, bad_mode),
        [
            "btk.geojson: feature btk-01: mode: Input should be 'rail', 'road', 'sea' or "
            "'ferry' (got 'teleport')"
        ],
    ),
}


@pytest.fixture
def data(dashboard_dirs: dict[str, Path], tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(dashboard_dirs["data"], copy)
    return copy


@pytest.mark.parametrize("case", list(CASES))
def test_each_bad_file_gives_exactly_its_own_message(
    case: str, data: Path, dashboard_dirs: dict[str, Path]
) -> None:
    edit, expected = CASES[case]
    edit(data)
    with pytest.raises(CorridorDataError) as raised:
        load_dataset(data, dashboard_dirs["seeds"])
    assert list(raised.value.problems) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{oops", "tour.json: cannot be read as JSON: Expecting property name"),
        ("[" * 100_000 + "]" * 100_000, "tour.json: cannot be read as JSON: it nests too deeply"),
        ('"a tour"', "tour.json: (root): Input should be a valid dictionary"),
    ],
    ids=["broken", "nested", "string"],
)
def test_a_bad_tour_file_gives_a_message(data: Path, text: str, message: str) -> None:
    (data / "tour.json").write_text(text, encoding="utf-8")
    with pytest.raises(CorridorDataError) as raised:
        load_tour(data / "tour.json")
    assert raised.value.problems[0].startswith(message)


def test_validate_checks_the_tour(
    data: Path, dashboard_dirs: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    tour = data / "tour.json"
    tour.write_text(tour.read_text(encoding="utf-8").replace('"btk"', '"nowhere"'), "utf-8")
    code = main(["validate", "--data-dir", str(data), "--seeds-dir", str(dashboard_dirs["seeds"])])
    assert code == 1
    err = capsys.readouterr().err
    assert "tour.json: step 1 (overview): unknown corridor 'nowhere'" in err
    assert "Traceback" not in err
