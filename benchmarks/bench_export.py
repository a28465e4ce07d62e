"""Time the snapshot exports of all five corridors on the bundled data.

``uv run python benchmarks/bench_export.py [--repeat N]`` prints the median time of each format
(PNG 1920 x 1080, SVG and PDF of the 16:9 slide, PNG of A4 at 300 dpi), after one warm-up run
that pays for font loading. :func:`time_exports` is what a wider benchmark calls.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Mapping

import geopandas as gpd

from corridors.data import Dataset, load_dataset, load_states
from corridors.export import default_titles, render_snapshot
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis

#: (name, format, size preset) of each timed export.
CASES: tuple[tuple[str, str, str], ...] = (
    ("png 1920x1080", "png", "slide-16x9"),
    ("svg 16:9", "svg", "slide-16x9"),
    ("pdf 16:9", "pdf", "slide-16x9"),
    ("png A4 300 dpi", "png", "a4-landscape"),
)


def time_exports(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states: gpd.GeoDataFrame,
    *,
    repeat: int = 5,
    selected: str | None = "middle-corridor",
) -> dict[str, float]:
    """Return the median seconds per export of all five corridors, by case name."""
    visible = [r.id for r in dataset.corridors]
    title, subtitle = default_titles(dataset, analyses, visible, selected)
    results = {}
    for name, fmt, size in CASES:
        times = []
        for _ in range(repeat + 1):  # the first run warms font and projection caches
            start = time.perf_counter()
            render_snapshot(
                dataset,
                analyses,
                states,
                visible=visible,
                selected=selected,
                size=size,
                fmt=fmt,
                title=title,
                subtitle=subtitle,
                date="2025-01-01",
            )
            times.append(time.perf_counter() - start)
        results[name] = statistics.median(times[1:])
    return results


def main() -> None:
    """Load the bundled data and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    dataset = load_dataset()
    states = load_states()
    analyses = analyse_routes(dataset.routes, StateIndex(states), dataset.chokepoints)
    for name, seconds in time_exports(dataset, analyses, states, repeat=args.repeat).items():
        print(f"{name:<16} {seconds:6.3f} s")


if __name__ == "__main__":
    main()
