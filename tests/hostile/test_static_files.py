"""Static files the server writes are readable by any server in front; a bad folder is an error."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from corridors.webmap.assets import FILE_MODE, build, publish


def test_built_files_are_readable_by_everyone(tmp_path: Path) -> None:
    static = tmp_path / "static"
    built = build(static, b'{"type": "FeatureCollection", "features": []}', b"[]")
    modes = {name.as_posix(): stat.S_IMODE((static / name).stat().st_mode) for name in built}
    assert set(modes.values()) == {FILE_MODE}, modes


def test_a_static_folder_that_cannot_be_written_leaves_nothing_behind(tmp_path: Path) -> None:
    blocker = tmp_path / "static"
    blocker.write_text("a file where the folder should be", encoding="utf-8")
    with pytest.raises(OSError, match="static"):
        publish(blocker, "data", "basemap", b"{}", ".json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["static"]
