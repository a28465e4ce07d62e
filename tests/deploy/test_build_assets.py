"""The map's files are built before serving; a page whose server skipped that says so."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

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
