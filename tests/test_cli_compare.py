"""``python -m corridors compare [--csv]``: the Compare tab's table on the command line."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

from corridors.cli import main
from corridors.data import Dataset, load_dataset
from corridors.figures import format_km
from corridors.geometry import StateIndex, analyse_routes
from corridors.policy.compare import compare_table, to_csv


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def app_download(dataset: Dataset, world_states: gpd.GeoDataFrame) -> bytes:
    """What the Compare tab's "Download the table (CSV)" gives (ui/compare_panel.py)."""
    analyses = analyse_routes(dataset.routes, StateIndex(world_states), dataset.chokepoints)
    return to_csv(compare_table(dataset, analyses))


def test_csv_is_byte_identical_to_the_apps_download(app_download: bytes) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "corridors", "compare", "--csv"],
        capture_output=True,
        check=True,
        timeout=300,  # a hang guard, not a speed test
    )
    assert done.stdout == app_download


def test_csv_has_machine_readable_columns(app_download: bytes, dataset: Dataset) -> None:
    table = pd.read_csv(io.BytesIO(app_download), encoding="utf-8-sig")
    assert {"id", "length_km", "rail_km", "states_crossed", "status", "year"} <= set(table.columns)
    assert set(table["id"]) == set(dataset.routes)
    assert pd.api.types.is_float_dtype(table["length_km"])


def test_csv_to_a_file(tmp_path: Path, app_download: bytes, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "compare.csv"
    assert main(["compare", "--csv", "-o", str(out)]) == 0
    assert out.read_bytes() == app_download
    assert f"wrote {out}" in capsys.readouterr().out


def test_the_table_as_text_has_the_apps_figures(
    app_download: bytes, capsys: pytest.CaptureFixture
) -> None:
    assert main(["compare"]) == 0
    text = capsys.readouterr().out
    table = pd.read_csv(io.BytesIO(app_download), encoding="utf-8-sig", index_col="id")
    for route_id, row in table.iterrows():
        assert f"({route_id}), {row['role']}" in text
        assert f": {format_km(row['length_km'])} (" in text
        assert row["states_crossed"] in text
    assert "Opened: 30 October 2017 (verified;" in text
