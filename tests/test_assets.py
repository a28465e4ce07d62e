"""Local Leaflet: copied from XStatic-Leaflet, refreshed when changed, the version folium pins."""

from __future__ import annotations

import re
from pathlib import Path

import folium
import xstatic.pkg.leaflet

from corridors.assets import LEAFLET_FILES, LEAFLET_VERSION, install_leaflet, leaflet_links


def test_install_copies_every_file(tmp_path: Path) -> None:
    target = install_leaflet(tmp_path)
    source = Path(xstatic.pkg.leaflet.BASE_DIR)
    assert target == tmp_path / "vendor" / "leaflet"
    for name in LEAFLET_FILES:
        assert (target / name).read_bytes() == (source / name).read_bytes()
    assert not list(target.rglob(".*"))  # no temporary files left behind


def test_install_leaves_identical_files_alone(tmp_path: Path) -> None:
    target = install_leaflet(tmp_path)
    before = {name: (target / name).stat().st_mtime_ns for name in LEAFLET_FILES}
    install_leaflet(tmp_path)
    assert {name: (target / name).stat().st_mtime_ns for name in LEAFLET_FILES} == before


def test_install_refreshes_a_changed_file(tmp_path: Path) -> None:
    target = install_leaflet(tmp_path)
    (target / "leaflet.js").write_text("stale")
    install_leaflet(tmp_path)
    assert (target / "leaflet.js").read_bytes() != b"stale"


def test_links_point_at_the_static_folder() -> None:
    js, css = leaflet_links()
    assert js == [("leaflet", "/app/static/vendor/leaflet/leaflet.js")]
    assert css == [("leaflet_css", "/app/static/vendor/leaflet/leaflet.css")]


def test_local_leaflet_is_the_version_folium_expects() -> None:
    cdn = dict(folium.Map.default_js)["leaflet"]
    pinned = re.search(r"leaflet@([\d.]+)/", cdn)
    assert pinned is not None
    assert pinned[1] == LEAFLET_VERSION
