"""Local Leaflet and Leaflet.draw: copied into the static folder, refreshed when changed."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import folium
import folium.plugins
import pytest

from corridors.webmap.assets import (
    BUNDLES,
    DRAW_VERSION,
    LEAFLET,
    LEAFLET_DRAW,
    LEAFLET_VERSION,
    MAP_SCRIPTS,
    Bundle,
    draw_links,
    install,
    install_all,
    leaflet_links,
    map_script_name,
    publish,
)


@pytest.mark.parametrize("bundle", BUNDLES, ids=lambda b: b.target.name)
def test_install_copies_every_file(tmp_path: Path, bundle: Bundle) -> None:
    target = install(tmp_path, bundle)
    assert target == tmp_path / bundle.target
    for name in bundle.files:
        assert (target / name).read_bytes() == (bundle.source_dir / name).read_bytes()
    assert not list(target.rglob(".*"))  # no temporary files left behind


def test_install_leaves_identical_files_alone(tmp_path: Path) -> None:
    target = install(tmp_path)
    before = {name: (target / name).stat().st_mtime_ns for name in LEAFLET.files}
    install(tmp_path)
    assert {name: (target / name).stat().st_mtime_ns for name in LEAFLET.files} == before


def test_install_refreshes_a_changed_file(tmp_path: Path) -> None:
    target = install(tmp_path)
    (target / "leaflet.js").write_text("stale")
    install(tmp_path)
    assert (target / "leaflet.js").read_bytes() != b"stale"


def test_install_all_serves_both_libraries_and_the_maps_own_files(tmp_path: Path) -> None:
    assert install_all(tmp_path) == [
        tmp_path / "vendor/leaflet",
        tmp_path / "vendor/leaflet-draw",
        tmp_path / "corridors",
    ]


def test_links_point_at_the_static_folder() -> None:
    js, css = leaflet_links()
    assert js == [("corridors_map_js", f"/app/static/{map_script_name().as_posix()}")]
    assert re.fullmatch(r"corridors/map-[0-9a-f]{16}\.js", map_script_name().as_posix())
    assert css == [
        ("leaflet_css", "/app/static/vendor/leaflet/leaflet.css"),
        ("corridors_css", "/app/static/corridors/corridors.css"),
    ]
    js, css = draw_links("/base/app/static/")
    assert js == [("corridors_map_js", f"/base/app/static/{map_script_name().as_posix()}")]
    assert css == [("leaflet_draw_css", "/base/app/static/vendor/leaflet-draw/leaflet.draw.css")]


def test_local_leaflet_is_the_version_folium_expects() -> None:
    cdn = dict(folium.Map.default_js)["leaflet"]
    pinned = re.search(r"leaflet@([\d.]+)/", cdn)
    assert pinned is not None
    assert pinned[1] == LEAFLET_VERSION


def test_committed_leaflet_draw_is_the_release_its_provenance_names() -> None:
    script = (LEAFLET_DRAW.source_dir / "leaflet.draw.js").read_text()
    assert f'L.drawVersion="{DRAW_VERSION}"' in script
    provenance = (LEAFLET_DRAW.source_dir / "PROVENANCE.md").read_text()
    assert f"Leaflet.draw {DRAW_VERSION}" in provenance
    # The stylesheet's images are all shipped.
    css = (LEAFLET_DRAW.source_dir / "leaflet.draw.css").read_text()
    for image in set(re.findall(r"url\('([^']+)'\)", css)):
        assert image in LEAFLET_DRAW.files
    # folium's plugin is written for the same major version.
    cdn = dict(folium.plugins.Draw.default_js)["leaflet_draw_js"]
    assert re.search(r"leaflet\.draw/1\.", cdn)
    # The script is the one the provenance vouches for, byte for byte.
    digest = hashlib.sha256((LEAFLET_DRAW.source_dir / "leaflet.draw.js").read_bytes())
    assert digest.hexdigest() in provenance


def test_published_data_is_named_by_its_content(tmp_path: Path) -> None:
    first = publish(tmp_path, "data", "basemap", b'{"a": 1}', ".json")
    assert first.parent == Path("data")
    assert first.name.startswith("basemap-")
    assert first.suffix == ".json"
    assert (tmp_path / first).read_bytes() == b'{"a": 1}'
    assert publish(tmp_path, "data", "basemap", b'{"a": 1}', ".json") == first
    second = publish(tmp_path, "data", "basemap", b'{"a": 2}', ".json")
    assert second != first
    assert (tmp_path / first).read_bytes() == b'{"a": 1}'  # a page still loading it keeps it
    assert not list(tmp_path.rglob(".*"))


@pytest.mark.parametrize(
    "script", [MAP_SCRIPTS.source_dir / MAP_SCRIPTS.script], ids=lambda p: p.name
)
def test_the_maps_own_scripts_parse(script: Path) -> None:
    """The map's scripts are real files: a syntax error shows here, not as a blank map."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed: the script is checked where it is (CI has it)")
    done = subprocess.run(
        [node, "--check", str(script)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
