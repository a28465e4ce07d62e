"""Measure the dashboard on the bundled data and print one table of figures against targets.

``uv run python -m benchmarks.run [--runs N] [--sessions N] [--no-browser | --map-only |
--updates-only | --first-load [--requests]]``; ``--first-load`` measures only the first loads,
and ``--requests`` lists the app's requests beyond the floor's.

Every figure is the median of ``--runs`` runs (after a warm-up run, except where the figure is
the cold case itself); the table is also written as JSON to ``bench-results/bench.json``.
The browser figures start ``streamlit run app.py`` on a free port and drive Debian's chromium.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks import bench_network, browser, core
from benchmarks.bench_export import time_exports
from benchmarks.server import ROOT, Server, floor_server, streamlit_server
from corridors import webmap
from corridors.cache import ENV_CACHE_DIR
from corridors.data import Dataset, load_dataset, load_states
from corridors.geometry import StateIndex, analyse_routes
from corridors.policy.closures import closable_states

OUT = ROOT / "bench-results" / "bench.json"
KB = 1024
MB = 1024 * 1024
SCALES = (10, 100, 1000)
#: Environment variables that would point the app away from the bundled data.
_DATA_ENV = ("CORRIDORS_DATA_DIR", "CORRIDORS_SEEDS_DIR", "CORRIDORS_BOUNDARIES")


@dataclass(frozen=True)
class Figure:
    """One row of the table: a median of samples, in a unit, and the target it must meet."""

    name: str
    samples: list[float]
    unit: str
    #: The figure passes when its median is at most this, in ``unit``; None: no target.
    limit: float | None = None
    target: str = ""
    note: str = ""
    #: How many runs the median is of, where ``samples`` holds only the median already.
    runs: int | None = None
    value: float = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "value", float(statistics.median(self.samples)))

    @property
    def passed(self) -> bool | None:
        """Whether the target is met; None if the figure has none."""
        return None if self.limit is None else self.value <= self.limit

    def shown(self) -> str:
        """Return the median as the table prints it."""
        if self.unit == "yes/no":
            return "yes" if self.value else "no"
        if self.unit == "x":
            return f"{self.value:.2f}x"
        digits = 0 if self.unit in {"ms", "KB", "MB"} and self.value >= 100 else 1
        digits = 2 if self.unit == "s" else digits
        digits = 0 if self.unit in {"requests", "times"} else digits
        return f"{self.value:,.{digits}f} {self.unit}"


def _analysis_figures(runs: int) -> list[Figure]:
    """Cold start, warm analysis and scaling, on the bundled data."""
    cached = core.bytecode_env(cached=True)
    core.cold_start(cached)  # compiles the bytecode once, as a first run after install does
    cold = [core.cold_start(cached) for _ in range(runs)]
    uncached = [core.cold_start(core.bytecode_env(cached=False)) for _ in range(runs)]
    figures = [
        Figure(
            "cold start: fresh process, import + load + validate all data",
            [c["process"] for c in cold],
            "s",
            note="interpreter start-up included; bytecode cached",
        )
    ]
    figures += [
        Figure(f"  of which {step}", [c[step] * 1000 for c in cold], "ms")
        for step in cold[0]
        if step != "process"
    ]
    figures.append(
        Figure(
            "  the same with no bytecode cache",
            [c["process"] for c in uncached],
            "s",
            note=f"import {statistics.median(c['import'] for c in uncached):.2f} s: "
            "PYTHONDONTWRITEBYTECODE, as in this sandbox",
        )
    )
    with tempfile.TemporaryDirectory() as cache:
        env = {**cached, ENV_CACHE_DIR: cache}
        core.cli_report(env)  # fills the analyses cache, as the first call after install does
        report = [core.cli_report(env) for _ in range(runs)]
    empty = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as cache:
            empty.append(core.cli_report({**cached, ENV_CACHE_DIR: cache}))
    figures += [
        Figure(
            "`python -m corridors report`, fresh process",
            report,
            "s",
            limit=3.0,
            target="< 3 s",
            note="analyses read from the cache (corridors.cache); bytecode cached",
        ),
        Figure(
            "  the same with an empty analyses cache",
            empty,
            "s",
            note="reads the boundaries and analyses every route, then writes the cache",
        ),
    ]
    dataset = load_dataset()
    states = load_states()
    index = StateIndex(states)
    warm = core.warm_analysis(dataset, index, runs)
    figures.append(
        Figure(
            f"warm analysis of all {len(dataset.routes)} routes",
            [t * 1000 for t in warm],
            "ms",
            limit=50,
            target="< 50 ms",
        )
    )
    km, vertices = core.synthetic_stats(SCALES[-1])
    for count in SCALES:
        times = core.scaling(index, dataset.chokepoints, count, runs if count < 1000 else 3)
        figures.append(
            Figure(
                f"analysis of {count:,} synthetic routes",
                times,
                "s",
                limit=5.0 if count == 1000 else None,
                target="< 5 s" if count == 1000 else "",
                note=f"{core.per_route_ms(statistics.median(times), count):.1f} ms per route"
                + (f"; mean {km:,.0f} km, {vertices:.0f} vertices" if count == 1000 else ""),
            )
        )
    return figures


def _network_figures(runs: int) -> list[Figure]:
    """Time building the corridor network, and a what-if closure rerouting every OD pair."""
    dataset = load_dataset()
    index = StateIndex(load_states())
    network, builds = bench_network.build_times(dataset, index, runs)
    closures = bench_network.closure_times(network, runs)
    return [
        Figure(
            f"corridor network build ({len(network.nodes)} nodes, {len(network.edges)} edges)",
            builds,
            "s",
            note="once per data change, cached per server",
        ),
        Figure(
            f"what-if closure: all {len(network.pairs)} OD pairs rerouted",
            [t * 1000 for t in closures],
            "ms",
            limit=100,
            target="< 100 ms",
            note=f"{len(bench_network.CLOSURES)} closures, recomputed without the cache",
        ),
    ]


def _payload_figures() -> list[Figure]:
    """Map payload of the default view and with every layer on."""
    dataset = load_dataset()
    states = load_states()
    index = StateIndex(states)
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    shown = webmap.display_states(states)
    default = core.map_payload(dataset, analyses, shown)
    every = core.map_payload(dataset, analyses, shown, every_layer=True, index=index)
    return [
        Figure(
            "map payload, default view (st_folium arguments)",
            [default.total / KB],
            "KB",
            limit=1024,
            target="< 1 MB",
            note=f"base {default.base_bytes / KB:,.0f} KB + overlays "
            f"{default.overlay_bytes / KB:,.0f} KB",
        ),
        Figure(
            "map payload, every layer on",
            [every.total / KB],
            "KB",
            note="+ web tiles, a timeline year, closures, an uploaded route",
        ),
        Figure(
            "  plus the basemap (static file, fetched once)",
            [len(webmap.basemap_json(shown)) / KB],
            "KB",
        ),
        Figure(
            "  plus Leaflet and Leaflet.draw js + css (static, cached)",
            [core.static_bytes() / KB],
            "KB",
        ),
    ]


def _export_figures(runs: int) -> list[Figure]:
    """Snapshot exports of all five corridors."""
    dataset = load_dataset()
    states = load_states()
    analyses = analyse_routes(dataset.routes, StateIndex(states), dataset.chokepoints)
    figures = []
    for name, seconds in time_exports(dataset, analyses, states, repeat=runs).items():
        png = name == "png 1920x1080"
        figures.append(
            Figure(
                f"export {name}, all five corridors",
                [seconds],
                "s",
                limit=1.0 if png else None,
                target="< 1 s" if png else "",
                runs=runs,
            )
        )
    return figures


def _ratios(app: Sequence[float], floor: Sequence[float]) -> list[float]:
    """Return each run's app figure over the floor's from the same run."""
    return [a / f for a, f in zip(app, floor, strict=True)]


def _first_load_figures(
    app: list[browser.FirstLoad], floor: list[browser.FirstLoad]
) -> list[Figure]:
    """Return the app's first load beside the floor's, with each run's ratio."""

    def pair(
        name: str, unit: str, pick: Callable[[browser.FirstLoad], float], limit: float | None
    ) -> list[Figure]:
        ours, base = [pick(a) for a in app], [pick(f) for f in floor]
        return [
            Figure(name, ours, unit),
            Figure("  the floor", base, unit),
            Figure(
                "  ratio to the floor",
                _ratios(ours, base),
                "x",
                limit=limit,
                target="" if limit is None else f"<= {limit}x",
                note="each run's own ratio",
            ),
        ]

    refused = max(a.failed for a in app)
    renders = [a.render_bytes / a.renders / KB for a in app if a.renders]
    return [
        *pair("first map drawn from navigation", "ms", lambda r: r.map_ms, 1.3),
        *pair("  of which Streamlit's own start (first server message)", "ms",
              lambda r: r.booted_ms, None),
        *pair("first load: requests", "requests", lambda r: r.requests, 1.3),
        *pair("first load: bytes received (HTTP and websocket)", "KB", lambda r: r.bytes / KB, 1.3),
        *pair("first load: time running script", "s", lambda r: r.script_s, None),
        Figure(
            "first load: map arguments reaching the map frame",
            [a.renders for a in app],
            "times",
            limit=1,
            target="once",
            note=f"{statistics.median(renders) if renders else 0:,.0f} KB each; the floor: "
            f"{statistics.median(f.renders for f in floor):.0f}; "
            f"{refused} requests off this machine refused",
        ),
    ]  # fmt: skip


def _actions(dataset: Dataset, corridors: Sequence[browser.Corridor]) -> browser.Actions:
    """Return where the update figures click, on the bundled data."""
    analyses = analyse_routes(dataset.routes, StateIndex(load_states()), dataset.chokepoints)
    closable = {s.iso3: s.name for s in closable_states(analyses.values())}
    return browser.Actions(
        toggled=corridors[1],  # not the selected one, whose states would redraw too
        picked=(corridors[2].name, corridors[0].name),
        state=closable.get("IRN", next(iter(closable.values()))),
    )


@contextmanager
def _servers() -> Iterator[tuple[Server, Server]]:
    """Serve the app on the bundled data and the floor page beside it, for the block."""
    env = {k: v for k, v in core.bytecode_env(cached=True).items() if k not in _DATA_ENV}
    logs = ROOT / "bench-results"
    with (
        tempfile.TemporaryDirectory() as workdir,
        streamlit_server(logs / "streamlit.log", env=env) as server,
        floor_server(logs / "floor.log", Path(workdir), env=env) as floor,
    ):
        yield server, floor


def _corridors() -> list[browser.Corridor]:
    """Return the bundled corridors as the browser sees them."""
    return [browser.Corridor(r.id, r.name, len(r.legs)) for r in load_dataset().corridors]


def _first_load_only(
    runs: int,
) -> tuple[list[Figure], list[browser.FirstLoad], list[browser.FirstLoad]]:
    """Measure only the app's and the floor's first loads; return the figures and the loads."""
    legs = sum(c.legs for c in _corridors())
    with _servers() as (server, floor):
        cold, app, base = browser.measure_first_loads(server, floor, legs, runs=runs)
    cold_figure = Figure("first map drawn, first visit after start (cold caches)", [cold], "ms")
    return [cold_figure, *_first_load_figures(app, base)], app, base


def _short(url: str) -> str:
    """Return a URL's path: each server has its own port, which queries repeat."""
    return urlsplit(url).path


def requests_listing(app: browser.FirstLoad, floor: browser.FirstLoad) -> str:
    """List what the app's first load fetched that the floor's did not, with the bytes of each.

    A path the floor fetched as often is not listed; the totals of both close the listing.
    """
    left = Counter(_short(url) for url, _ in floor.fetched)
    lines = []
    extra = 0
    for url, size in app.fetched:
        path = _short(url)
        if left[path] > 0:
            left[path] -= 1
            continue
        extra += size
        lines.append(f"{size / KB:9.1f} KB  {path}")
    lines.append(
        f"{len(lines)} requests and {extra / KB:,.0f} KB beyond the floor; the app "
        f"{len(app.fetched)} requests, the floor {len(floor.fetched)}"
    )
    unused = sorted((+left).elements())
    if unused:
        lines.append("fetched by the floor only: " + ", ".join(unused))
    return "\n".join(lines)


def _browser_figures(runs: int, sessions: int, *, updates_only: bool = False) -> list[Figure]:
    """Start the app and the floor page on the bundled data; measure them in headless chromium.

    ``updates_only`` times only the four updates and the floor's, alternating run by run.
    """
    dataset = load_dataset()
    corridors = [browser.Corridor(r.id, r.name, len(r.legs)) for r in dataset.corridors]
    actions = _actions(dataset, corridors)
    with _servers() as (server, floor):
        if updates_only:
            moves, floor_moves = browser.measure_updates(
                server, floor, corridors, actions, runs=runs
            )
            return _update_figures(moves, floor_moves, actions)
        found = browser.measure(server, floor, corridors, actions, runs=runs, sessions=sessions)
    memory = found.memory
    return [
        Figure("server start to healthy", [server.started_s], "s"),
        Figure("  the floor", [floor.started_s], "s"),
        Figure(
            "first map drawn, first visit after start (cold caches)",
            [found.first_map_cold_ms],
            "ms",
        ),
        *_first_load_figures(found.app, found.floor),
        *_update_figures(found.updates, found.floor_updates, actions),
        Figure("server RSS, idle", [found.rss_idle / MB], "MB"),
        Figure("server RSS, 1 session", [memory.one / MB], "MB"),
        Figure(
            f"server RSS, {sessions} sessions",
            [memory.many / MB],
            "MB",
            limit=400,
            target="< 400 MB",
            note=f"{(memory.many - memory.one) / MB / (sessions - 1):.1f} MB per "
            f"extra session; {memory.drawn} of {sessions} maps drawn, in {memory.load_s:.1f} s",
        ),
        Figure(
            "server RSS, after they disconnect",
            [memory.after / MB],
            "MB",
            note="Streamlit keeps a closed session 2 min for reconnection",
        ),
    ]


def _update_figures(
    moves: browser.Updates, floor_updates: list[float], actions: browser.Actions
) -> list[Figure]:
    """Return the four updates' times, each beside the floor's, and whether any re-mounted."""
    update = [
        ("toggle a corridor", moves.toggle, f"{actions.toggled.name}, off and on"),
        ("pick a corridor", moves.pick, " and back to ".join(actions.picked)),
        ("close a state", moves.close, f"{actions.state}, in the What-if tab"),
        ("move the year", moves.year, "a year back and forth on the Timeline's slider"),
    ]
    return [
        Figure(
            "the floor: toggle its overlay to map updated",
            floor_updates,
            "ms",
            note=f"{len(floor_updates)} times: a one-line layer recoloured",
        ),
        *[
            figure
            for name, times, note in update
            for figure in (
                Figure(
                    f"{name} to map updated",
                    times,
                    "ms",
                    limit=300,
                    target="< 300 ms",
                    note=f"{len(times)} times: {note}",
                ),
                Figure(
                    "  ratio to the floor's update",
                    [statistics.median(times) / statistics.median(floor_updates)],
                    "x",
                    note="medians, same run",
                    runs=len(times),
                ),
            )
        ],
        Figure(
            "  map re-mounted by any of them",
            [float(moves.remounted)],
            "yes/no",
            limit=0.5,
            target="no",
        ),
    ]


def table(figures: Sequence[Figure]) -> str:
    """Return the figures as a fixed-width table."""
    rows = [("figure", "median", "runs", "target", "result", "note")]
    for f in figures:
        verdict = "" if f.passed is None else ("pass" if f.passed else "FAIL")
        runs = f.runs or len(f.samples)
        rows.append((f.name, f.shown(), str(runs), f.target, verdict, f.note))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(w) if i in {1, 2} else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(row, widths, strict=False))
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths) + "  " + "-" * 4)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; return 1 with ``--check`` if a target was missed, else 0."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    parser.add_argument("--sessions", type=int, default=20, help="concurrent browser sessions")
    parser.add_argument("--no-browser", action="store_true", help="skip the chromium figures")
    parser.add_argument(
        "--map-only",
        action="store_true",
        help="only the map's payload and the chromium figures (first load, updates, memory)",
    )
    parser.add_argument(
        "--updates-only",
        action="store_true",
        help="only the four map updates and the floor's, timed in chromium, alternating",
    )
    parser.add_argument(
        "--first-load",
        action="store_true",
        help="only the chromium first loads of the app and the floor (map drawn, requests, bytes)",
    )
    parser.add_argument(
        "--requests",
        action="store_true",
        help="with --first-load: also list each request the app's last first load made beyond "
        "the floor's, with its bytes",
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"JSON output (default {OUT})")
    parser.add_argument("--check", action="store_true", help="exit 1 if a target is missed")
    args = parser.parse_args(argv)
    load_before = os.getloadavg()[0]
    if args.first_load:
        figures, app, base = _first_load_only(args.runs)
        if args.requests:
            print(requests_listing(app[-1], base[-1]), end="\n\n")
    else:
        only = args.map_only or args.updates_only
        figures = [] if only else _analysis_figures(args.runs)
        figures += [] if only else _network_figures(args.runs)
        figures += [] if args.updates_only else _payload_figures()
        figures += [] if only else _export_figures(args.runs)
        if args.updates_only or not args.no_browser:
            figures += _browser_figures(args.runs, args.sessions, updates_only=args.updates_only)
    load_after = os.getloadavg()[0]
    print(table(figures))
    # Other work on the machine slows every figure: say how busy it was.
    print(
        f"\n{os.cpu_count()} CPUs; load average {load_before:.1f} at the start, "
        f"{load_after:.1f} at the end"
    )
    report = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
            "load_average": [load_before, load_after],
        },
        "runs": args.runs,
        "figures": [{**asdict(f), "passed": f.passed} for f in figures],
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {args.out}")
    return 1 if args.check and any(f.passed is False for f in figures) else 0


if __name__ == "__main__":
    sys.exit(main())
