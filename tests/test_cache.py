"""The on-disk analyses cache: the same answers as computing them, and never a stale one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from corridors.cache import ENV_CACHE_DIR, cache_dir, cached_analyses, inputs_key
from corridors.cli import COMMANDS, MODULES, build_parser
from corridors.cli.common import load_all
from corridors.model import Analysis

POLICY = Path(__file__).parent / "fixtures" / "policy"


def _counting(analyses: dict[str, Analysis]) -> tuple[list[int], object]:
    calls: list[int] = []

    def compute() -> dict[str, Analysis]:
        calls.append(1)
        return analyses

    return calls, compute


def test_a_stored_analysis_reads_back_equal(
    policy_analyses: dict[str, Analysis], tmp_path: Path
) -> None:
    calls, compute = _counting(policy_analyses)
    first = cached_analyses("k", compute, tmp_path)  # type: ignore[arg-type]
    again = cached_analyses("k", compute, tmp_path)  # type: ignore[arg-type]
    assert first == again == policy_analyses
    assert all(isinstance(a, Analysis) for a in again.values())
    assert len(calls) == 1


def test_a_corrupt_or_foreign_file_is_recomputed(
    policy_analyses: dict[str, Analysis], tmp_path: Path
) -> None:
    calls, compute = _counting(policy_analyses)
    for content in (b"{not json", b'{"x": {"route_id": 1}}', b"\x80\x04pickle"):
        (tmp_path / "analyses-k.json").write_bytes(content)
        assert cached_analyses("k", compute, tmp_path) == policy_analyses  # type: ignore[arg-type]
    assert len(calls) == 3
    assert cached_analyses("k", compute, tmp_path) == policy_analyses  # type: ignore[arg-type]
    assert len(calls) == 3  # the last one was rewritten whole


def test_an_unwritable_folder_still_answers(
    policy_analyses: dict[str, Analysis], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the folder would be")
    calls, compute = _counting(policy_analyses)
    assert cached_analyses("k", compute, blocker / "cache") == policy_analyses  # type: ignore[arg-type]
    assert len(calls) == 1


def test_the_key_changes_with_any_input(tmp_path: Path) -> None:
    data = tmp_path / "route.geojson"
    data.write_text('{"a": 1}')
    key = inputs_key([data], skirt_km=25.0)
    assert inputs_key([data], skirt_km=25.0) == key
    assert inputs_key([data], skirt_km=30.0) != key
    data.write_text('{"a": 2}')
    edited = inputs_key([data], skirt_km=25.0)
    assert edited != key
    renamed = data.rename(tmp_path / "other.geojson")
    assert inputs_key([renamed], skirt_km=25.0) not in {key, edited}


def test_the_folder_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_CACHE_DIR, "/somewhere/else")
    assert cache_dir() == Path("/somewhere/else")
    monkeypatch.delenv(ENV_CACHE_DIR)
    monkeypatch.setenv("XDG_CACHE_HOME", "/xdg")
    assert cache_dir() == Path("/xdg/corridors")


def test_an_edited_route_is_analysed_afresh(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The command line's analyses follow the data: a cached answer for old data is not used."""
    monkeypatch.setenv(ENV_CACHE_DIR, str(tmp_path / "cache"))
    data = tmp_path / "data"
    shutil.copytree(POLICY / "data", data)
    states = POLICY / "states.geojson"
    first = load_all(data_dir=data, seeds_dir=POLICY / "seeds", boundaries=states).analyses
    route = next((data / "routes").glob("*.geojson"))
    route.write_text(route.read_text().replace('"name": "', '"name": "Renamed ', 1))
    after = load_all(data_dir=data, seeds_dir=POLICY / "seeds", boundaries=states)
    assert after.analyses != first
    assert {a.name for a in after.analyses.values()} != {a.name for a in first.values()}
    assert len(list((tmp_path / "cache").glob("analyses-*.json"))) == 2


def test_report_from_a_warm_cache_reads_no_boundaries(tmp_path: Path) -> None:
    """A second report in a fresh process reads its analyses back and never imports pandas."""
    env = {ENV_CACHE_DIR: str(tmp_path)}
    command = [sys.executable, "-m", "corridors", "report", "--json"]
    script = (
        "import runpy, sys; sys.argv = ['corridors', 'report', '--json'];"
        "\ntry: runpy.run_module('corridors', run_name='__main__')"
        "\nexcept SystemExit: pass"
        "\nprint('pandas' in sys.modules, file=sys.stderr)"
    )
    cold = subprocess.run(
        command, env={**os.environ, **env}, capture_output=True, text=True, check=True, timeout=120
    )
    warm = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert warm.stdout == cold.stdout
    assert warm.stderr.strip() == "False"


def test_each_command_is_found_in_its_own_module() -> None:
    """The command line imports one module per call: each command must map to the right one."""
    full = build_parser()
    commands = next(a for a in full._actions if a.dest == "command").choices
    assert set(commands) == set(COMMANDS)
    for command, module in COMMANDS.items():
        alone = build_parser(command)
        assert command in next(a for a in alone._actions if a.dest == "command").choices
        assert module in MODULES
