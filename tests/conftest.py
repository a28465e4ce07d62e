"""Fixtures shared across test layers: the dashboard's small dataset and the real boundaries."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest

from corridors.data import Dataset, load_dataset, load_states

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def dashboard_dirs() -> dict[str, Path]:
    """Data and seeds folders of the dashboard fixture (two corridors, two baselines)."""
    return {"data": FIXTURES / "dashboard" / "data", "seeds": FIXTURES / "dashboard" / "seeds"}


@pytest.fixture(scope="session")
def dashboard_dataset(dashboard_dirs: dict[str, Path]) -> Dataset:
    """The dashboard fixture, loaded and validated."""
    return load_dataset(dashboard_dirs["data"], dashboard_dirs["seeds"])


@pytest.fixture(scope="session")
def world_states() -> gpd.GeoDataFrame:
    """The bundled full-resolution boundaries (read-only: shared by the whole session)."""
    return load_states()
