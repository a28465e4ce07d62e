"""The wheel works outside the checkout: data, source notes and the dashboard travel inside it.

The wheel is built from the checkout and installed, with the locked runtime dependencies only,
into a virtual environment in a temporary folder; its commands then run from that folder, where
no ``data/`` or ``seeds/`` is in sight. Everything comes from uv's cache: no network.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest

from benchmarks.server import ROOT
from tests.deploy.commands import run

UV = os.environ.get("UV") or shutil.which("uv")


def _clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without what would point Python or uv back at the checkout."""
    drop = {"PYTHONPATH", "VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "CORRIDORS_DATA_DIR"}
    return {k: v for k, v in os.environ.items() if k not in drop} | extra


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build the wheel from the checkout, offline."""
    if UV is None:
        pytest.fail("uv is not on PATH: run the tests with `uv run pytest`")
    out = tmp_path_factory.mktemp("dist")
    run([UV, "build", "--wheel", "--offline", "--out-dir", out], cwd=ROOT, env=_clean_env())
    (built,) = out.glob("corridors-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Install the wheel and the locked runtime dependencies (no dev groups) into a new venv."""
    venv = tmp_path_factory.mktemp("installed") / "venv"
    env = _clean_env(UV_PROJECT_ENVIRONMENT=str(venv))
    sync = [UV, "sync", "--locked", "--offline", "--no-dev", "--no-install-project", "--quiet"]
    run(sync, cwd=ROOT, env=env)
    python = venv / "bin" / "python"
    install = [UV, "pip", "install", "--offline", "--no-deps", "--python", python, wheel]
    run(install, cwd=ROOT, env=env)
    # Every requirement the wheel declares is met by the locked runtime set.
    run([UV, "pip", "check", "--offline", "--python", python], cwd=ROOT, env=env)
    return venv


def test_wheel_carries_data_source_notes_and_the_dashboard(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    packaged = "corridors/_data/"
    for route in (ROOT / "data" / "routes").glob("*.geojson"):
        assert f"{packaged}data/routes/{route.name}" in names
    for note in (ROOT / "seeds").glob("*.toml"):
        assert f"{packaged}seeds/{note.name}" in names
    for name in ("boundaries/countries-10m.geojson", "tour.json", "chokepoints.geojson"):
        assert f"{packaged}data/{name}" in names
    assert {f"{packaged}app.py", f"{packaged}.streamlit/config.toml"} <= names


def test_installed_package_reads_its_own_copy(installed: Path, tmp_path: Path) -> None:
    script = "from corridors import data; print(data.__file__); print(data.DATA_DIR)"
    out = run([installed / "bin" / "python", "-c", script], cwd=tmp_path, env=_clean_env())
    module, data_dir = (Path(line) for line in out.splitlines())
    assert module.is_relative_to(installed)
    assert data_dir.is_relative_to(installed)
    assert data_dir.name == "data"


def test_report_runs_outside_the_checkout(installed: Path, tmp_path: Path) -> None:
    corridors = installed / "bin" / "corridors"
    run([corridors, "validate"], cwd=tmp_path, env=_clean_env())
    report = run([corridors, "report", "--json"], cwd=tmp_path, env=_clean_env())
    for corridor in ("middle-corridor", "tripp", "btk", "instc", "russia-gulf"):
        assert f'"{corridor}"' in report
