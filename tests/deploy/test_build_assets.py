"""The map's files are built before serving; a page whose server skipped that says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corridors.cli import main, serve
from corridors.text import escape_markdown
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from corridors.webmap.assets import (
    BUILD_COMMAND,
    LEAFLET,
    LEAFLET_DRAW,
    MAP_SCRIPTS,
    STATIC_URL,
    AssetsMissingError,
    basemap_name,
    build,
    check,
    draw_links,
    leaflet_links,
    map_script_name,
    names_name,
)

BASEMAP = b'{"type":"FeatureCollection","features":[]}'
NAMES = b"[]"


def test_build_writes_every_file_the_map_links_to(tmp_path: Path) -> None:
    built = build(tmp_path, BASEMAP, NAMES)
    assert all((tmp_path / name).is_file() for name in built)
    assert check(tmp_path, BASEMAP, NAMES) == basemap_name(BASEMAP)
    links = [url for pairs in (*leaflet_links(), *draw_links()) for _, url in pairs]
    for url in links:
        assert (tmp_path / url.removeprefix(f"{STATIC_URL}/")).is_file()


def test_the_map_script_is_leaflet_its_own_script_and_leaflet_draw_in_order(tmp_path: Path) -> None:
    """streamlit-folium loads a map's scripts one after another: one file is one round trip."""
    build(tmp_path, BASEMAP, NAMES)
    script = (tmp_path / map_script_name()).read_bytes()
    parts = [
        (b.source_dir / b.script).read_bytes().rstrip()
        for b in (LEAFLET, MAP_SCRIPTS, LEAFLET_DRAW)
    ]
    starts = [script.index(part) for part in parts]
    assert starts[0] == 0
    assert starts == sorted(starts)
    assert script.endswith(parts[-1] + b"\n;\n")
    assert sum(map(len, parts)) < len(script) < sum(map(len, parts)) + 10


def test_an_unbuilt_folder_names_what_is_missing_and_the_build_command(tmp_path: Path) -> None:
    with pytest.raises(AssetsMissingError, match=BUILD_COMMAND) as missing:
        check(tmp_path / "static", BASEMAP, NAMES)
    assert Path("vendor/leaflet/leaflet.js") in missing.value.missing
    assert basemap_name(BASEMAP) in missing.value.missing
    assert names_name(NAMES) in missing.value.missing


def test_a_file_removed_after_the_build_is_missing(tmp_path: Path) -> None:
    build(tmp_path, BASEMAP, NAMES)
    (tmp_path / "vendor" / "leaflet-draw" / "leaflet.draw.js").unlink()
    with pytest.raises(AssetsMissingError) as missing:
        check(tmp_path, BASEMAP, NAMES)
    assert missing.value.missing == (Path("vendor/leaflet-draw/leaflet.draw.js"),)


def test_a_folder_built_for_other_boundaries_lacks_this_basemap(tmp_path: Path) -> None:
    build(tmp_path, b'{"other": "boundaries"}', NAMES)
    with pytest.raises(AssetsMissingError) as missing:
        check(tmp_path, BASEMAP, NAMES)
    assert missing.value.missing == (basemap_name(BASEMAP),)


def _page(static_dir: str) -> None:
    """The dashboard's page with no panels, serving ``static_dir`` (run by AppTest)."""
    from pathlib import Path

    from corridors.ui import page

    page.run([], static_dir=Path(static_dir))


def test_page_without_its_files_shows_an_error_not_a_blank_map(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path]
) -> None:
    monkeypatch.setenv(ENV_DATA_DIR, str(dashboard_dirs["data"]))
    monkeypatch.setenv(ENV_SEEDS_DIR, str(dashboard_dirs["seeds"]))
    at = AppTest.from_function(_page, args=(str(tmp_path / "static"),), default_timeout=60).run()
    assert not at.exception
    (error,) = at.error
    assert "missing" in error.value
    assert escape_markdown(BUILD_COMMAND) in error.value  # the markdown source of the message
    assert at.get("component_instance") == []


def test_building_a_built_folder_writes_nothing(tmp_path: Path) -> None:
    """The image's server, not root, runs ``serve`` over the folder root built: it only reads."""
    build(tmp_path, BASEMAP, NAMES)
    before = {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")}
    build(tmp_path, BASEMAP, NAMES)
    assert {p: p.stat().st_mtime_ns for p in tmp_path.rglob("*")} == before


def _boundaries(path: Path, name: str = "Testland") -> Path:
    """Write a one-state boundaries file, as small as a build can take."""
    square = [[[40.0, 40.0], [41.0, 40.0], [41.0, 41.0], [40.0, 41.0], [40.0, 40.0]]]
    feature = {
        "type": "Feature",
        "properties": {"iso3": "TST", "name": name},
        "geometry": {"type": "Polygon", "coordinates": square},
    }
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    return path


@pytest.fixture
def into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ``build-assets`` at a static folder of the test's own; return that folder."""
    monkeypatch.setattr(serve, "app_script", lambda: tmp_path / "app" / "app.py")
    return tmp_path / "app" / "static"


def _build(boundaries: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["build-assets", "--boundaries", str(boundaries)]) == 0
    return capsys.readouterr().out


def test_a_folder_built_from_the_same_inputs_is_left_alone(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A restart of ``corridors serve`` skips the build: no boundaries read, nothing written."""
    boundaries = _boundaries(tmp_path / "states.geojson")
    assert _build(boundaries, capsys).startswith("built 17 files")
    before = {p: p.stat().st_mtime_ns for p in into.rglob("*")}
    assert "are up to date" in _build(boundaries, capsys)
    assert {p: p.stat().st_mtime_ns for p in into.rglob("*")} == before


def test_other_boundaries_a_lost_file_or_a_spoilt_stamp_build_again(
    into: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    boundaries = _boundaries(tmp_path / "states.geojson")
    _build(boundaries, capsys)
    names = next((into / "data").glob("names-*.json"))
    assert b"Testland" in names.read_bytes()

    _boundaries(boundaries, name="Otherland")
    assert _build(boundaries, capsys).startswith("built")
    assert any(b"Otherland" in p.read_bytes() for p in (into / "data").glob("names-*.json"))

    (into / map_script_name()).unlink()
    assert _build(boundaries, capsys).startswith("built")
    assert (into / map_script_name()).is_file()

    for spoilt in ("", "{", '{"key": 1}', '{"files": []}', "[]"):
        (into / serve.STAMP).write_text(spoilt)
        assert _build(boundaries, capsys).startswith("built"), spoilt


def test_the_key_follows_the_boundaries_and_the_package(tmp_path: Path) -> None:
    boundaries = _boundaries(tmp_path / "states.geojson")
    key = serve.inputs_key(boundaries)
    assert serve.inputs_key(boundaries) == key
    assert serve.inputs_key(_boundaries(boundaries, name="Otherland")) != key
    assert serve.up_to_date(tmp_path, key) is None  # never built


@pytest.mark.usefixtures("built_assets")
def test_serving_a_built_checkout_imports_neither_geopandas_nor_folium() -> None:
    """The check before ``streamlit run`` costs a fraction of a second, not a build's 5 s."""
    probe = (
        "import sys; from corridors.cli import main; rc = main(['build-assets']); "
        "print(rc, sorted({'geopandas', 'folium'} & set(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=120
    )
    assert "are up to date" in done.stdout
    assert done.stdout.rstrip().endswith("0 []")
