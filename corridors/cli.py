"""Command line: ``python -m corridors report [--json]`` and the export commands.

Each subcommand is a function taking parsed arguments and returning an exit code; errors in
data or arguments print one clear message to stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridors.data import (
    CORRIDOR_IDS,
    DATA_DIR,
    SEEDS_DIR,
    CorridorDataError,
    Dataset,
    load_dataset,
    load_states,
)
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM, StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.report import format_report, report_records
from corridors.validate import check_geography


@dataclass(frozen=True)
class Loaded:
    """Data, boundaries and analyses, loaded once per command."""

    dataset: Dataset
    index: StateIndex
    analyses: dict[str, Analysis]


def load_all(
    *,
    data_dir: Path = DATA_DIR,
    seeds_dir: Path = SEEDS_DIR,
    min_transit_km: float = MIN_TRANSIT_KM,
    skirt_km: float = SKIRT_KM,
) -> Loaded:
    """Load and analyse the data (the bundled data unless told otherwise)."""
    dataset = load_dataset(data_dir, seeds_dir)
    index = StateIndex(load_states())
    analyses = analyse_routes(
        dataset.routes, index, dataset.chokepoints, min_transit_km=min_transit_km, skirt_km=skirt_km
    )
    return Loaded(dataset, index, analyses)


def route_ids(dataset: Dataset, wanted: Sequence[str] | None, *, baselines: bool) -> list[str]:
    """Return the route ids to report, checking each requested id exists."""
    if wanted:
        unknown = [w for w in wanted if w not in dataset.routes]
        if unknown:
            known = ", ".join(sorted(dataset.routes))
            msg = f"unknown corridor id(s): {', '.join(unknown)} (known: {known})"
            raise CliError(msg)
        return list(wanted)
    ids = [i for i in CORRIDOR_IDS if i in dataset.routes]
    if baselines:
        ids += [r.id for r in dataset.baselines]
    return ids


class CliError(Exception):
    """A bad argument: printed as one line, exit code 2."""


def cmd_report(args: argparse.Namespace) -> int:
    """Print the analysis of every route, as a table or as JSON."""
    loaded = load_all(
        data_dir=args.data_dir,
        seeds_dir=args.seeds_dir,
        min_transit_km=args.min_transit_km,
        skirt_km=args.skirt_km,
    )
    ids = route_ids(loaded.dataset, args.corridor, baselines=args.baselines)
    records = report_records(loaded.analyses, loaded.dataset.routes, ids)
    if args.json:
        print(json.dumps({"corridors": records}, indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(format_report(records))
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Check every data file and source note; print each problem and exit 1 if there is one."""
    loaded = load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    problems = check_geography(loaded.dataset, loaded.index, loaded.analyses)
    if problems:
        raise CorridorDataError(problems)
    routes, sources = len(loaded.dataset.routes), len(loaded.dataset.sources)
    print(f"ok: {routes} routes, {len(loaded.dataset.chokepoints)} chokepoints, {sources} sources")
    return 0


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        msg = f"must be >= 0, got {text}"
        raise argparse.ArgumentTypeError(msg)
    return value


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="corridors", description="Trade-corridor analysis.")
    sub = parser.add_subparsers(dest="command", required=True)
    report = sub.add_parser("report", help="print which states each route crosses and bypasses")
    report.add_argument("--json", action="store_true", help="print JSON instead of a table")
    report.add_argument(
        "--corridor", action="append", help="route id (repeatable); default: all five"
    )
    report.add_argument("--baselines", action="store_true", help="also report the baselines")
    report.add_argument("--min-transit-km", type=_non_negative, default=MIN_TRANSIT_KM)
    report.add_argument("--skirt-km", type=_non_negative, default=SKIRT_KM)
    report.set_defaults(func=cmd_report)
    validate = sub.add_parser("validate", help="check the data files and source notes")
    validate.set_defaults(func=cmd_validate)
    for command in (report, validate):
        command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
        command.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)
    # Imported here because cli_export builds on this module's CliError, load_all and route_ids.
    from corridors.cli_export import add_commands  # noqa: PLC0415

    add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except CorridorDataError as exc:
        print(f"corridors: the data is invalid:\n{exc}", file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"corridors: {exc}", file=sys.stderr)
        return 2
