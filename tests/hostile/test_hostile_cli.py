"""The command line refuses hostile files and extents with a message and exit code 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from corridors.cli import main
from tests.conftest import POLICY
from tests.hostile import cases

#: The policy fixture's six square states: the workers start in a moment.
WORLD = ["--data-dir", str(POLICY / "data"), "--seeds-dir", str(POLICY / "seeds")]
BOUNDARIES = ["--boundaries", str(POLICY / "states.geojson")]


def analyse(tmp_path: Path, data: bytes, *options: str) -> list[str]:
    path = tmp_path / "route.geojson"
    path.write_bytes(data)
    return ["analyse", str(path), *options, *WORLD, *BOUNDARIES]


def test_analyse_prints_the_route_against_its_baseline(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = {"type": "LineString", "coordinates": [[5, 5], [15, 5], [25, 5]]}
    document = {"type": "Feature", "properties": {"name": "Mine {{ 7*7 }}"}, "geometry": line}
    args = analyse(tmp_path, cases.encode(document), "--baseline", "northern-corridor", "--json")
    assert main(args) == 0
    record = json.loads(capsys.readouterr().out)["route"]
    assert record["name"] == "Mine {{ 7*7 }}"
    assert [s["iso3"] for s in record["transit"]] == ["AAA", "BBB", "CCC"]
    assert [s["iso3"] for s in record["bypassed"]] == ["EEE", "DDD", "FFF"]
    assert record["vertices"]["given"] == 3
    assert main(analyse(tmp_path, cases.encode(document))) == 0
    assert "Mine {{ 7*7 }} (your-route)" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("data", "options", "message"),
    [
        (b"{oops", (), "not valid JSON"),
        (cases.many_parts(), (), "separate lines"),
        (cases.encode(cases.nested(500)[0]), (), "nested too deeply"),
        (cases.parallel(5, 5, 25), ("--baseline", "nope"), "unknown baseline 'nope'"),
        (b"[" + b" " * 6_000_000 + b"]", (), "the limit is 5,000,000 bytes"),
    ],
    ids=["json", "parts", "nesting", "baseline", "size"],
)
def test_analyse_refuses_bad_input_with_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    data: bytes,
    options: tuple[str, ...],
    message: str,
) -> None:
    assert main(analyse(tmp_path, data, *options)) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_analyse_a_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyse", "/nonexistent/route.geojson", *WORLD, *BOUNDARIES]) == 2
    assert "cannot read /nonexistent/route.geojson" in capsys.readouterr().err


def test_a_snapshot_of_a_speck_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "speck.png"
    assert main(["snapshot", "--bbox", "40,40,40.000001,40.000001", "-o", str(out)]) == 2
    assert "at least 10 km each way" in capsys.readouterr().err
    assert not out.exists()


def test_a_snapshot_of_the_whole_world_is_drawn(tmp_path: Path) -> None:
    out = tmp_path / "world.png"
    assert main(["snapshot", "--bbox=-180,-90,180,90", "--size", "square", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"\x89PNG")
