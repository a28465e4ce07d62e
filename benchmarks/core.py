"""Figures of the pure core: cold start, analysis and its scaling, map payload, exports.

Each function returns raw samples (seconds or bytes); :mod:`benchmarks.run` takes the medians
and sets them against the targets.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import streamlit.config
import streamlit.logger

from benchmarks.server import ROOT
from corridors import webmap
from corridors.data import Dataset
from corridors.geometry import GEOD, StateIndex, analyse_routes
from corridors.model import Analysis, Chokepoint, Leg, Mode, Route
from corridors.policy.closures import apply_closures, build_exposure, closable_states
from corridors.policy.timeline import year_bounds
from corridors.policy.upload import UPLOAD_ID
from corridors.webmap.assets import BUNDLES, STATIC_URL

#: Run in a fresh interpreter: every import and every file read is paid for again.
_COLD_START = """
import json, time
start = time.perf_counter()
from corridors.data import load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.validate import check_geography
imported = time.perf_counter()
dataset = load_dataset()
loaded = time.perf_counter()
states = load_states()
bounded = time.perf_counter()
index = StateIndex(states)
indexed = time.perf_counter()
analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
analysed = time.perf_counter()
problems = check_geography(dataset, index, analyses)
checked = time.perf_counter()
assert not problems, problems
print(json.dumps({
    "import": imported - start,
    "routes, chokepoints, sources": loaded - imported,
    "boundaries": bounded - loaded,
    "StateIndex": indexed - bounded,
    "analysis": analysed - indexed,
    "geographic checks": checked - analysed,
}))
"""


#: Where the benchmark keeps compiled bytecode, outside the source tree (gitignored).
PYCACHE = ROOT / "bench-results" / "pycache"


def bytecode_env(*, cached: bool) -> dict[str, str]:
    """Return this environment with Python's bytecode cache on (in :data:`PYCACHE`) or off.

    An installed app compiles each module once and reuses the bytecode; a sandbox that sets
    ``PYTHONDONTWRITEBYTECODE`` compiles all of Streamlit, pandas and shapely on every start.
    """
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONDONTWRITEBYTECODE"}}
    if cached:
        env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env.pop("PYTHONPYCACHEPREFIX", None)
    return env


def cold_start(env: Mapping[str, str]) -> dict[str, float]:
    """Return seconds for each step of a cold start, and the whole process's wall time."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _COLD_START],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    return {"process": wall, **json.loads(done.stdout)}


def cli_report(env: Mapping[str, str]) -> float:
    """Return the wall seconds of ``python -m corridors report`` in a fresh process."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "corridors", "report"],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - start


def timed(function: Callable[[], object], runs: int) -> list[float]:
    """Return the seconds of each of ``runs`` calls, after one untimed warm-up call."""
    function()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def warm_analysis(dataset: Dataset, index: StateIndex, runs: int) -> list[float]:
    """Return seconds per analysis of every bundled route (corridors and baselines)."""
    return timed(lambda: analyse_routes(dataset.routes, index, dataset.chokepoints), runs)


#: Where synthetic routes wander: the corridors' part of Eurasia (lon, lat), as the snapshot's
#: default extent.
STUDY_AREA = (25.0, 22.0, 80.0, 52.0)


def _walk(rng: np.random.Generator, km: float, vertices: int) -> list[tuple[float, float]]:
    """Return a random walk of ``vertices`` points and about ``km`` length inside the area."""
    xmin, ymin, xmax, ymax = STUDY_AREA
    lon, lat = rng.uniform(xmin + 5, xmax - 5), rng.uniform(ymin + 3, ymax - 3)
    heading = rng.uniform(0, 360)
    step_m = km * 1000 / (vertices - 1)
    coords = [(lon, lat)]
    for _ in range(vertices - 1):
        heading += rng.normal(0, 25)  # trade routes wander, but rarely double back
        next_lon, next_lat, _ = GEOD.fwd(lon, lat, heading, step_m)
        if not (xmin <= next_lon <= xmax and ymin <= next_lat <= ymax):
            heading += 180  # bounce off the edge of the area
            next_lon, next_lat, _ = GEOD.fwd(lon, lat, heading, step_m)
        lon, lat = next_lon, next_lat
        coords.append((round(lon, 4), round(lat, 4)))
    return coords


def synthetic_routes(count: int, *, seed: int = 2025) -> dict[str, Route]:
    """Return ``count`` corridors of 1,000-3,000 km and 20-50 vertices, the same for a seed.

    Each is cut into two to four legs, one of them by sea a fifth of the time, as the real
    corridors mix rail, road and ferries.
    """
    rng = np.random.default_rng(seed)
    routes = {}
    for n in range(count):
        coords = _walk(rng, rng.uniform(1000, 3000), int(rng.integers(20, 51)))
        cuts = sorted(rng.choice(range(2, len(coords) - 2), int(rng.integers(1, 4)), replace=False))
        bounds = [0, *cuts, len(coords) - 1]
        legs = []
        for i, (a, b) in enumerate(itertools.pairwise(bounds)):
            mode: Mode = "sea" if rng.random() < 0.2 else ("rail", "road")[i % 2]
            legs.append(Leg(f"s{n}-{i}", f"leg {i}", mode, "operational", tuple(coords[a : b + 1])))
        route_id = f"synthetic-{n}"
        routes[route_id] = Route(
            id=route_id,
            name=f"Synthetic {n}",
            role="corridor",
            description="",
            colour="#000000",
            baseline=None,
            origin="",
            destination="",
            declared_transit=(),
            legs=tuple(legs),
            waypoints=(),
        )
    return routes


def scaling(
    index: StateIndex, chokepoints: tuple[Chokepoint, ...], count: int, runs: int
) -> list[float]:
    """Return seconds per analysis of ``count`` synthetic routes."""
    routes = synthetic_routes(count)
    return timed(lambda: analyse_routes(routes, index, chokepoints), runs)


def synthetic_stats(count: int) -> tuple[float, float]:
    """Return the mean length (km) and vertex count of ``count`` synthetic routes."""
    routes = synthetic_routes(count).values()
    km = [sum(GEOD.line_length(*zip(*leg.coords, strict=True)) for leg in r.legs) for r in routes]
    vertices = [sum(len(leg.coords) for leg in r.legs) - len(r.legs) + 1 for r in routes]
    return float(np.mean(km)) / 1000, float(np.mean(vertices))


@dataclass(frozen=True)
class Payload:
    """Bytes streamlit-folium sends for one map: the script, header and overlays, as JSON."""

    base_bytes: int
    overlay_bytes: int

    @property
    def total(self) -> int:
        """Bytes of the whole map."""
        return self.base_bytes + self.overlay_bytes


def component_args(base: folium.Map, overlays: list[folium.FeatureGroup]) -> dict[str, Any]:
    """Return the arguments ``st_folium`` hands to its frontend for this map.

    st_folium itself builds them; only its last step, the component call, is replaced by one
    that returns what it was given.
    """
    # Outside a running app Streamlit warns, on import and on each call, that there is no
    # script context: quieten it, after reading its config (which sets the level again).
    streamlit.config.get_option("logger.level")
    streamlit.logger.set_log_level("error")
    import streamlit_folium  # noqa: PLC0415

    from corridors.ui.widgets import RETURNED_OBJECTS  # noqa: PLC0415

    captured: dict[str, Any] = {}
    original = streamlit_folium._component_func

    def capture(**kwargs: Any) -> dict[str, Any]:
        captured.update(kwargs)
        return kwargs.get("default", {})

    streamlit_folium._component_func = capture
    try:
        streamlit_folium.st_folium(
            base,
            key="payload",
            height=640,
            use_container_width=True,
            returned_objects=list(RETURNED_OBJECTS),
            feature_group_to_add=webmap.kept_layers(overlays),  # as the app hands them
        )
    finally:
        streamlit_folium._component_func = original
    return captured


def map_payload(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states_display: gpd.GeoDataFrame,
    *,
    every_layer: bool = False,
    index: StateIndex | None = None,
) -> Payload:
    """Return the payload of the app's first view: every corridor on, baselines, a selection.

    With ``every_layer``, also web tiles, a timeline year, two states and a chokepoint closed in
    the what-if panel and an uploaded route of 2,000 km (``index`` is then needed).
    """
    extra: dict[str, Any] = {}
    if every_layer:
        if index is None:
            msg = "every_layer needs the StateIndex, for the closures and the uploaded route"
            raise ValueError(msg)
        exposure = build_exposure(dataset.routes.values(), index, dataset.chokepoints)
        closable = [s.iso3 for s in closable_states(analyses.values())]
        first, last = year_bounds(dataset)
        upload = next(iter(synthetic_routes(1, seed=7).values()))
        extra = {
            "year": (first + last) // 2,
            "closures": apply_closures(
                exposure, states=closable[:2], chokepoints=[dataset.chokepoints[0].id]
            ),
            "extra_routes": [replace(upload, id=UPLOAD_ID, name="Your route")],
        }
    # As the app builds it: the basemap and the states' names fetched from the static folder,
    # the line tool on.
    base = webmap.build_base_map(
        dataset,
        states_display,
        tiles=every_layer,
        basemap_url=f"{STATIC_URL}/data/basemap.json",
        names_url=f"{STATIC_URL}/data/names.json",
        line_tool=True,
    )
    overlays = webmap.build_overlays(
        dataset,
        analyses,
        states_display,
        visible=[r.id for r in dataset.corridors],
        selected=dataset.corridors[0].id,
        show_baselines=True,
        **extra,
    )
    args = component_args(base, overlays)
    # The callback and the widget key stay on the server; everything else goes to the browser.
    base_part = {k: v for k, v in args.items() if k not in {"feature_group", "on_change", "key"}}
    return Payload(
        base_bytes=len(json.dumps(base_part, default=str).encode()),
        overlay_bytes=len(json.dumps(args.get("feature_group") or "").encode()),
    )


def static_bytes() -> int:
    """Return the size of Leaflet's and Leaflet.draw's scripts and stylesheets, cached."""
    files = [b.source_dir / name for b in BUNDLES for name in (b.script, b.stylesheet)]
    return sum(path.stat().st_size for path in files)


def per_route_ms(seconds: float, count: int) -> float:
    """Return milliseconds per route."""
    return seconds * 1000 / count if count else math.nan
