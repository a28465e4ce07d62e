"""The container recipe, checked without a Docker engine (none runs on this machine or in CI).

The Dockerfile is parsed for what the image must be: Debian slim, the locked dependencies
without dev groups, the map's files built at image build time, a non-root user and a health
check on Streamlit's health endpoint. Then its build stage is replayed here: the build context
that ``.dockerignore`` leaves is copied to a temporary folder and the stage's ``uv`` and
``corridors`` commands run in it, offline; the run stage's command serves from the resulting
venv as the image would (from a folder with no Streamlit config, on a desktop's first run),
and the image's own health check must pass against it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import shutil
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from benchmarks.server import ROOT, free_port, serving
from corridors.webmap.assets import STATIC_URL
from tests.deploy.commands import run, wait_for_warm_up

DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
UV = os.environ.get("UV") or shutil.which("uv")
PORT = "8501"


@dataclass(frozen=True)
class Instruction:
    """One Dockerfile instruction: its keyword and the rest of its (joined) lines."""

    keyword: str
    args: str


def parse(text: str) -> list[list[Instruction]]:
    """Return the Dockerfile's stages, each a list of instructions starting with its FROM."""
    joined = re.sub(r"\\\n\s*", "", text)
    stages: list[list[Instruction]] = []
    for line in joined.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        keyword, _, args = line.strip().partition(" ")
        instruction = Instruction(keyword.upper(), args.strip())
        if instruction.keyword == "FROM":
            stages.append([])
        stages[-1].append(instruction)
    return stages


STAGES = parse(DOCKERFILE.read_text(encoding="utf-8"))
BUILD, RUN = STAGES[0], STAGES[-1]


def _all(stage: list[Instruction], keyword: str) -> list[str]:
    return [i.args for i in stage if i.keyword == keyword]


def _exec_form(args: str) -> list[str]:
    """Return a JSON-array instruction's words (CMD, HEALTHCHECK's CMD)."""
    words = json.loads(args)
    assert isinstance(words, list)
    return [str(w) for w in words]


def test_every_stage_is_debian_slim_on_the_python_floor() -> None:
    for stage in STAGES:
        image = stage[0].args.split()[0]
        assert re.fullmatch(r"python:3\.11-slim-bookworm", image), image


def test_dependencies_are_the_locked_runtime_set() -> None:
    syncs = [r for r in _all(BUILD, "RUN") if r.startswith("uv sync")]
    assert syncs
    for sync in syncs:
        words = shlex.split(sync.split("&&")[0])
        assert {"--locked", "--no-dev"} <= set(words)
        assert not {"--all-groups", "--group", "--dev", "--all-extras"} & set(words)


def test_map_files_are_built_into_the_image() -> None:
    assert any("corridors build-assets" in r for r in _all(BUILD, "RUN"))
    assert any(c.startswith("--from=build") for c in _all(RUN, "COPY"))


def test_server_runs_as_a_user_that_is_not_root() -> None:
    keywords = [i.keyword for i in RUN]
    (user,) = _all(RUN, "USER")
    assert user.split(":")[0] not in {"root", "0"}
    assert keywords.index("USER") < keywords.index("CMD")


def test_health_check_asks_streamlit_on_the_served_port() -> None:
    (check,) = _all(RUN, "HEALTHCHECK")
    command = _exec_form(check[check.index("CMD") + len("CMD") :].strip())
    assert f"127.0.0.1:{PORT}/_stcore/health" in " ".join(command)
    (cmd,) = _all(RUN, "CMD")
    assert f"--server.port={PORT}" in _exec_form(cmd)
    assert _all(RUN, "EXPOSE") == [PORT]


def _context(destination: Path) -> Path:
    """Copy the build context that ``.dockerignore`` leaves into ``destination``."""
    patterns = [
        p.strip() for p in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
        if p.strip() and not p.startswith("#")
    ]  # fmt: skip

    def ignored(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(ROOT)
        out = set()
        for name in names:
            path = (relative / name).as_posix()
            # As Docker reads them: a pattern is a path from the context's root; only "**/"
            # matches a name in any folder (so "static" is not corridors/webmap/static).
            anywhere = [p[3:] for p in patterns if p.startswith("**/")]
            if any(fnmatch.fnmatch(path, p) for p in patterns) or any(
                fnmatch.fnmatch(name, p) for p in anywhere
            ):
                out.add(name)
        return out

    shutil.copytree(ROOT, destination, ignore=ignored)
    return destination


def test_build_stage_replayed_here_serves_and_passes_its_health_check(tmp_path: Path) -> None:
    """The build stage's commands in a copy of the build context, then the image's command."""
    if UV is None:
        pytest.fail("uv is not on PATH: run the tests with `uv run pytest`")
    workdir = _context(tmp_path / "app")
    assert not (workdir / "tests").exists()
    # Offline, from uv's cache. The image's ENV is left out: it only trades time for speed later
    # (bytecode compiled, files copied rather than linked).
    drop = {"VIRTUAL_ENV", "PYTHONPATH", "UV_PROJECT_ENVIRONMENT"}
    env = {k: v for k, v in os.environ.items() if k not in drop} | {"UV_OFFLINE": "1"}
    for step in _all(BUILD, "RUN"):
        if step.startswith("pip install"):  # uv itself: already here
            continue
        run(
            ["bash", "-c", step.replace("uv sync", f"{shlex.quote(UV)} sync")], cwd=workdir, env=env
        )
    venv = workdir / ".venv"
    shutil.rmtree(workdir / "data")  # the image's run stage has the venv only
    shutil.rmtree(workdir / "seeds")

    port = str(free_port())
    home = tmp_path / "home"
    home.mkdir()
    # A display and no ~/.streamlit, as on a desktop's first run: only the config the wheel
    # carries (no config in the working directory) keeps Streamlit from asking for an email.
    path = f"{venv / 'bin'}:{env['PATH']}"
    run_env = env | {"HOME": str(home), "PATH": path, "DISPLAY": ":0"}
    (cmd,) = _all(RUN, "CMD")
    command = [w.replace(PORT, port).replace("0.0.0.0", "127.0.0.1") for w in _exec_form(cmd)]
    (check,) = _all(RUN, "HEALTHCHECK")
    health = _exec_form(check[check.index("CMD") + len("CMD") :].strip())
    url = f"http://127.0.0.1:{port}"
    with serving(command, url, tmp_path / "serve.log", run_env, cwd=home):
        run([w.replace(PORT, port) for w in health], env=run_env)
        # Static serving is on (the wheel's config) and the map's files are in the image.
        with urllib.request.urlopen(f"{url}{STATIC_URL}/vendor/leaflet/leaflet.js") as response:
            assert response.status == 200
        # The installed package's own data, loaded before the first visit.
        wait_for_warm_up(tmp_path / "serve.log")
    assert "Email" not in (tmp_path / "serve.log").read_text()
