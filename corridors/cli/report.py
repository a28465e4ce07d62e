"""``python -m corridors report [--json]`` and ``python -m corridors validate``."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

from corridors.cli.common import load_all, route_ids
from corridors.data import DATA_DIR, SEEDS_DIR, CorridorDataError
from corridors.freshness import freshness_warnings
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM
from corridors.netdata import OD_PAIRS_FILE, load_network_data
from corridors.policy.tour import TOUR_FILE, load_tour
from corridors.report import format_report, report_records
from corridors.validate import check_geography


def cmd_report(args: argparse.Namespace) -> int:
    """Print the analysis of every route, as a table or as JSON."""
    loaded = load_all(
        data_dir=args.data_dir,
        seeds_dir=args.seeds_dir,
        min_transit_km=args.min_transit_km,
        skirt_km=args.skirt_km,
    )
    ids = route_ids(loaded.dataset, args.corridor, baselines=args.baselines)
    records = report_records(loaded.analyses, loaded.dataset, ids)
    if args.json:
        doc = {"as_of": loaded.dataset.as_of, "corridors": records}
        print(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(format_report(records))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every data file and source note; print each problem and exit 1 if there is one.

    Overdue legs and stale figures as of ``--today`` are printed as warnings and do not fail.
    """
    loaded = load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    problems = check_geography(loaded.dataset, loaded.index, loaded.analyses)
    tour_file = args.data_dir / TOUR_FILE.name
    if tour_file.exists():  # the app reads it on every page; a broken one breaks them all
        try:
            load_tour(tour_file, dataset=loaded.dataset)
        except CorridorDataError as exc:
            problems += exc.problems
    if problems:
        raise CorridorDataError(problems)
    for line in freshness_warnings(loaded.dataset, args.today):
        print(f"warning: {line}", file=sys.stderr)
    routes, sources = len(loaded.dataset.routes), len(loaded.dataset.sources)
    print(f"ok: {routes} routes, {len(loaded.dataset.chokepoints)} chokepoints, {sources} sources")
    if (args.data_dir / "network").exists() or (args.data_dir / OD_PAIRS_FILE.name).exists():
        # networkx is imported only here: a report never builds the network.
        from corridors.network import build_network  # noqa: PLC0415

        data = load_network_data(
            loaded.dataset, args.data_dir / "network", args.data_dir / OD_PAIRS_FILE.name
        )
        network = build_network(loaded.dataset, data, loaded.index)
        print(
            f"ok: network of {len(network.nodes)} places, {len(network.edges)} edges, "
            f"{len(network.pairs)} origin-destination pairs"
        )
    return 0


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        msg = f"must be >= 0, got {text}"
        raise argparse.ArgumentTypeError(msg)
    return value


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``report`` and ``validate`` to the command line's subcommands."""
    report = sub.add_parser("report", help="print which states each route crosses and bypasses")
    report.add_argument("--json", action="store_true", help="print JSON instead of a table")
    report.add_argument(
        "--corridor", action="append", help="route id (repeatable); default: every corridor"
    )
    report.add_argument("--baselines", action="store_true", help="also report the baselines")
    report.add_argument("--min-transit-km", type=_non_negative, default=MIN_TRANSIT_KM)
    report.add_argument("--skirt-km", type=_non_negative, default=SKIRT_KM)
    report.set_defaults(func=cmd_report)
    validate = sub.add_parser("validate", help="check the data files and source notes")
    validate.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="date to judge overdue legs and stale figures by (YYYY-MM-DD; default: today)",
    )
    validate.set_defaults(func=cmd_validate)
    for command in (report, validate):
        command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
        command.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)
