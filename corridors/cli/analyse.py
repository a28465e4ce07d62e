"""``python -m corridors analyse FILE.geojson [--baseline ID] [--json]``: the "Your route" panel.

The file goes through exactly what an upload goes through in the app: the same limits and
messages, read and analysed in a worker process (:mod:`corridors.policy.upload_worker`), so a
file that crashes GEOS or runs away ends in a message. A file that cannot be used is a usage
error (exit 2), as a bad argument is.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corridors.cli.common import CliError
from corridors.data import BOUNDARIES_FILE, DATA_DIR, SEEDS_DIR, load_dataset
from corridors.model import MODES
from corridors.policy.describe import describe_route
from corridors.policy.upload import MAX_BYTES, UploadError
from corridors.policy.upload_worker import read_isolated, upload_pool
from corridors.report import analysis_record, format_report


def _read_bytes(path: Path) -> bytes:
    """Return the file's bytes, refusing one over the upload limit before reading it whole."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_BYTES + 1)
    except OSError as exc:
        msg = f"cannot read {path}: {exc.strerror or exc}"
        raise CliError(msg) from None
    return data


def cmd_analyse(args: argparse.Namespace) -> int:
    """Analyse a GeoJSON line as the app's "Your route" panel does; print it or its JSON."""
    dataset = load_dataset(args.data_dir, args.seeds_dir)
    baseline = None
    if args.baseline is not None:
        baselines = {r.id: r for r in dataset.baselines}
        if args.baseline not in baselines:
            known = ", ".join(sorted(baselines)) or "none"
            msg = f"unknown baseline {args.baseline!r} (known: {known})"
            raise CliError(msg)
        baseline = baselines[args.baseline]
    data = _read_bytes(args.file)
    with upload_pool(args.boundaries, max_workers=1) as pool:
        try:
            read = read_isolated(pool, data, dataset.chokepoints, baseline, mode=args.mode)
        except UploadError as exc:
            msg = f"{args.file} cannot be used: {exc}"
            raise CliError(msg) from None
    record = analysis_record(read.analysis, read.route)
    # A drawn line has no named ends: give its first and last positions instead.
    (lon0, lat0), (lon1, lat1) = read.route.legs[0].coords[0], read.route.legs[-1].coords[-1]
    record["origin"] = record["origin"] or f"{lon0:.4f}, {lat0:.4f}"
    record["destination"] = record["destination"] or f"{lon1:.4f}, {lat1:.4f}"
    if args.json:
        record["vertices"] = {
            "given": read.vertices,
            "analysed": sum(len(leg.coords) for leg in read.route.legs),
        }
        record["ignored"] = list(read.ignored)
        print(json.dumps({"route": record}, indent=2, ensure_ascii=False))
        return 0
    sys.stdout.write(format_report([record]))
    print(describe_route(read.route, read.analysis, baseline=baseline))
    for note in read.ignored:
        print(f"note: {note}")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``analyse`` to the command line's subcommands."""
    command = sub.add_parser(
        "analyse", help="analyse your own GeoJSON line as the app's 'Your route' panel does"
    )
    command.add_argument("file", type=Path, help="a GeoJSON LineString or MultiLineString")
    command.add_argument("--baseline", help="id of the baseline route to compare with")
    command.add_argument("--mode", choices=MODES, default="rail", help="default: rail")
    command.add_argument("--json", action="store_true", help="print JSON instead of a table")
    command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    command.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)
    command.add_argument("--boundaries", type=Path, default=BOUNDARIES_FILE, help=argparse.SUPPRESS)
    command.set_defaults(func=cmd_analyse)
