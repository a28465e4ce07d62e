"""The data stamp the page's loaders are keyed by: any data or source file edited, added or gone."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from corridors.ui.cached import Paths, data_stamp


@pytest.fixture
def paths(tmp_path: Path, dashboard_dirs: dict[str, Path]) -> Paths:
    """A writable copy of the dashboard fixture's data and seeds."""
    shutil.copytree(dashboard_dirs["data"], tmp_path / "data")
    shutil.copytree(dashboard_dirs["seeds"], tmp_path / "seeds")
    return Paths(tmp_path / "data", tmp_path / "seeds", tmp_path / "states.geojson")


def test_same_files_same_stamp(paths: Paths) -> None:
    assert data_stamp(paths) == data_stamp(paths)


def test_a_route_edited_changes_it(paths: Paths) -> None:
    before = data_stamp(paths)
    route = sorted((paths.data_dir / "routes").glob("*.geojson"))[0]
    route.write_text(route.read_text() + " ")
    assert data_stamp(paths) != before


def test_the_same_size_written_later_changes_it(paths: Paths) -> None:
    before = data_stamp(paths)
    seed = sorted(paths.seeds_dir.glob("*.toml"))[0]
    stat = seed.stat()
    os.utime(seed, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert data_stamp(paths) != before


def test_a_source_added_or_removed_changes_it(paths: Paths) -> None:
    before = data_stamp(paths)
    added = paths.seeds_dir / "zz-new.toml"
    added.write_text("")
    assert data_stamp(paths) != before
    added.unlink()
    assert data_stamp(paths) == before


def test_other_files_and_folders_do_not_count(paths: Paths) -> None:
    before = data_stamp(paths)
    (paths.seeds_dir / "notes.txt").write_text("not a source")
    (paths.data_dir / "routes" / "drafts.geojson").mkdir()
    assert data_stamp(paths) == before


def test_a_missing_folder_is_no_error(tmp_path: Path) -> None:
    empty = Paths(tmp_path / "none", tmp_path / "none", tmp_path / "none.geojson")
    assert data_stamp(empty) == data_stamp(empty)
