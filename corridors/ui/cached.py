"""Data, boundaries and analyses, loaded once per server and shared by every session.

``st.cache_resource`` hands every session the same objects without copying them (a copy of the
boundaries per rerun would cost more than the page); none of them may be changed by a reader.
Each loader is keyed by paths and by :func:`data_stamp`, so an edited data file is picked up on
the next rerun without restarting the server. Every run calls a dozen loaders, and Streamlit
hashes each call's arguments: the keys are made cheap to hash (:data:`_KEYS`, a stamp that is one
string), and the page works out the stamp once a run.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import geopandas as gpd
import pandas as pd
import streamlit as st

from corridors import data, netdata, webmap
from corridors.geometry import StateIndex, analyse_routes
from corridors.isolation import WorkerPool
from corridors.memo import Made
from corridors.model import Analysis, Route
from corridors.network import Network, build_network
from corridors.places import PLACES_FILE, Place, places_in
from corridors.policy import closures, tour, upload_worker
from corridors.policy.compare import compare_table, figure_table, linked_table, to_csv
from corridors.policy.timeline import analysis_in_year

#: Environment variables that point the app at other data, e.g. a test fixture.
ENV_DATA_DIR = "CORRIDORS_DATA_DIR"
ENV_SEEDS_DIR = "CORRIDORS_SEEDS_DIR"
ENV_BOUNDARIES = "CORRIDORS_BOUNDARIES"

#: A digest of the data files' names, modification times and sizes (:func:`data_stamp`).
Stamp = str


@dataclass(frozen=True)
class Paths:
    """Where the app reads routes, chokepoints, source notes and boundaries."""

    data_dir: Path
    seeds_dir: Path
    boundaries: Path


def paths_from_env(environ: Mapping[str, str] = os.environ) -> Paths:
    """Return the data paths, from ``CORRIDORS_*`` environment variables or the bundled data."""
    return Paths(
        data_dir=Path(environ.get(ENV_DATA_DIR, data.DATA_DIR)),
        seeds_dir=Path(environ.get(ENV_SEEDS_DIR, data.SEEDS_DIR)),
        boundaries=Path(environ.get(ENV_BOUNDARIES, data.BOUNDARIES_FILE)),
    )


def _files(folder: Path, suffix: str = "") -> list[str]:
    """Return the paths of the files in ``folder`` whose names end with ``suffix``, sorted."""
    try:
        with os.scandir(folder) as entries:
            found = [e.path for e in entries if e.name.endswith(suffix) and e.is_file()]
    except (FileNotFoundError, NotADirectoryError):
        return []
    return sorted(found)


def data_stamp(paths: Paths) -> Stamp:
    """Return a digest of the name, modification time and size of every data and source file.

    Any route, chokepoint, place, tour, network or source file added, removed or edited changes
    it. Read once a run: the seeds folder alone holds some 180 files.
    """
    data_dir = paths.data_dir
    files = [
        *_files(data_dir / "routes", ".geojson"),
        str(data_dir / "chokepoints.geojson"),
        str(data_dir / PLACES_FILE.name),
        str(data_dir / tour.TOUR_FILE.name),
        *_files(data_dir / "network"),
        str(data_dir / netdata.OD_PAIRS_FILE.name),
        *_files(paths.seeds_dir, ".toml"),
    ]
    digest = hashlib.sha256()
    for name in files:
        try:
            found = os.stat(name)
        except (FileNotFoundError, NotADirectoryError):
            continue
        if stat.S_ISREG(found.st_mode):
            digest.update(f"{name}\0{found.st_mtime_ns}\0{found.st_size}\n".encode())
    return digest.hexdigest()


def _paths_key(paths: Paths) -> tuple[str, str, str]:
    return str(paths.data_dir), str(paths.seeds_dir), str(paths.boundaries)


#: How the loaders' keys are hashed: Streamlit hashes a path by pickling it, about 1.5 ms each
#: time, and a run calls a dozen loaders. A path is its text.
_KEYS: dict[str | type[Any], Callable[[Any], Any]] = {Paths: _paths_key, type(Path()): str}


@st.cache_resource(show_spinner="Loading corridor data...", max_entries=4, hash_funcs=_KEYS)
def dataset(paths: Paths, stamp: Stamp) -> data.Dataset:
    """Return the validated dataset; raises :class:`~corridors.data.CorridorDataError`."""
    del stamp  # only part of the cache key
    return data.load_dataset(paths.data_dir, paths.seeds_dir)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=_KEYS)
def places(paths: Paths, stamp: Stamp) -> tuple[Place, ...]:
    """Return the seas, regions and straits the map names (none if the data has no file)."""
    del stamp  # only part of the cache key
    return tuple(places_in(paths.data_dir))


@st.cache_resource(show_spinner="Loading state boundaries...", hash_funcs=_KEYS)
def states(boundaries: Path) -> gpd.GeoDataFrame:
    """Return the full-resolution boundaries, for analysis."""
    return data.load_states(boundaries)


@st.cache_resource(show_spinner="Indexing state boundaries...", hash_funcs=_KEYS)
def state_index(boundaries: Path) -> StateIndex:
    """Return the spatial index of the boundaries."""
    return StateIndex(states(boundaries))


@st.cache_resource(show_spinner="Simplifying boundaries for the map...", hash_funcs=_KEYS)
def display_states(boundaries: Path) -> gpd.GeoDataFrame:
    """Return the boundaries simplified for drawing."""
    return webmap.display_states(states(boundaries))


@st.cache_resource(show_spinner="Analysing routes...", max_entries=4, hash_funcs=_KEYS)
def analyses(paths: Paths, stamp: Stamp) -> Mapping[str, Analysis]:
    """Return every route's analysis by id, read-only."""
    loaded = dataset(paths, stamp)
    results = analyse_routes(loaded.routes, state_index(paths.boundaries), loaded.chokepoints)
    return MappingProxyType(results)


@st.cache_resource(show_spinner=False, max_entries=64, hash_funcs=_KEYS)
def analyses_in_year(paths: Paths, stamp: Stamp, year: int) -> Mapping[str, Analysis]:
    """Return what every route crosses in a timeline year, from its legs open then; read-only."""
    loaded = dataset(paths, stamp)
    index = state_index(paths.boundaries)
    results = {
        rid: analysis_in_year(loaded.routes[rid], today, year, index, loaded.chokepoints)
        for rid, today in analyses(paths, stamp).items()
    }
    return MappingProxyType(results)


@st.cache_resource(
    show_spinner="Working out what each route depends on...", max_entries=4, hash_funcs=_KEYS
)
def exposure(paths: Paths, stamp: Stamp) -> closures.Exposure:
    """Return the states and chokepoints every leg of every route depends on, for the what-if."""
    loaded = dataset(paths, stamp)
    return closures.build_exposure(
        (*loaded.corridors, *loaded.baselines), state_index(paths.boundaries), loaded.chokepoints
    )


@st.cache_resource(show_spinner="Building the corridor network...", max_entries=4, hash_funcs=_KEYS)
def network(paths: Paths, stamp: Stamp) -> Network | None:
    """Return the corridor network: its graph, gauges, crossings and what-if results cache.

    None for a data folder with neither ``network/`` nor ``od-pairs.json`` (a dataset of routes
    only); raises :class:`~corridors.data.CorridorDataError` if the network's files are malformed.
    """
    network_dir = paths.data_dir / "network"
    od_pairs = paths.data_dir / netdata.OD_PAIRS_FILE.name
    if not network_dir.exists() and not od_pairs.exists():
        return None
    loaded = dataset(paths, stamp)
    found = netdata.load_network_data(loaded, network_dir, od_pairs)
    return build_network(loaded, found, state_index(paths.boundaries))


@st.cache_resource(show_spinner="Loading the tour...", max_entries=4, hash_funcs=_KEYS)
def guided_tour(paths: Paths, stamp: Stamp) -> tour.Tour:
    """Return the tour in the data folder, checked against the dataset.

    Raises :class:`~corridors.data.CorridorDataError` if it is missing or malformed.
    """
    return tour.load_tour(paths.data_dir / tour.TOUR_FILE.name, dataset=dataset(paths, stamp))


@st.cache_resource(show_spinner=False, hash_funcs=_KEYS)
def upload_pool(boundaries: Path) -> WorkerPool:
    """Return the worker processes that analyse uploads and drawings, shared by every session.

    Untrusted geometry never runs in the server process (see :mod:`corridors.isolation`).
    """
    return upload_worker.upload_pool(boundaries)


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=_KEYS)
def basemap(boundaries: Path) -> bytes:
    """Return the display basemap as ``build-assets`` writes it, to find its file by hash."""
    return webmap.basemap_json(display_states(boundaries))


@st.cache_resource(show_spinner=False, max_entries=4, hash_funcs=_KEYS)
def names(boundaries: Path) -> bytes:
    """Return the states' names as ``build-assets`` writes them, to find their file by hash."""
    return webmap.names_json(display_states(boundaries))


@dataclass(frozen=True)
class CompareTables:
    """The Compare tab's two tables and their CSV downloads, made once per dataset."""

    #: The comparison as shown, each status's and headline figure's source a link of its own.
    table: pd.DataFrame
    table_csv: bytes
    #: The headline figures as shown (without the ids the CSV keeps), and their CSV.
    figures: pd.DataFrame
    figures_csv: bytes

    @classmethod
    def build(
        cls,
        dataset: data.Dataset,
        analyses: Mapping[str, Analysis],
        extra_routes: tuple[Route, ...] = (),
    ) -> CompareTables:
        """Return the tables of these analyses; ``extra_routes`` are added at the end."""
        table = compare_table(dataset, analyses, extra_routes=extra_routes)
        figures = figure_table(dataset, [rid for rid in table.index if rid in dataset.routes])
        return cls(
            table=linked_table(table),
            table_csv=to_csv(table),
            figures=figures.drop(columns=["route_id", "fact_id"]),
            figures_csv=to_csv(figures.set_index("fact_id")),
        )


#: One entry per data version being served, and the test worlds of one test process.
_compare_made: Made[CompareTables] = Made(4)


def compare_tables(dataset: data.Dataset, analyses: Mapping[str, Analysis]) -> CompareTables:
    """Return the Compare tab's tables, made once for each dataset and its analyses.

    Building them took about 120 ms of every rerun, whatever the rerun changed. They depend
    only on the dataset and the analyses (see :class:`Made`).
    """
    return _compare_made.get(
        (dataset, analyses), None, lambda: CompareTables.build(dataset, analyses)
    )
