"""``python -m corridors compare [--csv]``: the Compare tab's table on the command line.

The table is :func:`corridors.policy.compare.compare_table`, the one the app shows, and
``--csv`` writes :func:`~corridors.policy.compare.to_csv` of it: the same bytes as the app's
"Download the table (CSV)".
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Hashable
from pathlib import Path

import pandas as pd

from corridors.cli.common import load_all
from corridors.data import DATA_DIR, SEEDS_DIR
from corridors.figures import format_count, format_km, format_year
from corridors.model import MODES
from corridors.policy.compare import compare_table, to_csv

#: The text columns listed under each route, with the word that introduces them.
_LISTED = {
    "states_bypassed": "bypasses",
    "states_skirted": "skirts",
    "chokepoints": "passes",
    "chokepoints_avoided": "avoids",
    "headline_figures": "figures",
}


def _block(route_id: Hashable, row: pd.Series) -> str:
    """Return one route's row as a few readable lines; every figure as the app writes it."""
    modes = [f"{m} {format_km(row[f'{m}_km'])}" for m in MODES if row[f"{m}_km"] > 0]
    head = f"{row['route']} ({route_id}), {row['role']}"
    lines = [head, "=" * len(head)]
    length = format_km(row["length_km"])
    lines.append(f"{row['from']} to {row['to']}: {length} ({', '.join(modes)})")
    year = "" if pd.isna(row["year"]) else f" ({format_year(row['year'])})"
    lines.append(f"  status:      {row['status']}{year}")
    if row["baseline"]:
        lines.append(f"  compared with: {row['baseline']}")
    crossed = format_count(int(row["states_crossed_n"]), "state")
    lines.append(f"  crosses {crossed}: {row['states_crossed']}")
    lines += [f"  {word + ':':<12} {row[name]}" for name, word in _LISTED.items() if row[name]]
    return "\n".join(lines)


def format_compare(table: pd.DataFrame) -> str:
    """Return the Compare table as plain text, one block per route in the table's order."""
    return "\n\n".join(_block(route_id, row) for route_id, row in table.iterrows()) + "\n"


def cmd_compare(args: argparse.Namespace) -> int:
    """Print the Compare table, or write it as the app's CSV."""
    loaded = load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    table = compare_table(loaded.dataset, loaded.analyses)
    if not args.csv:
        sys.stdout.write(format_compare(table))
        return 0
    data = to_csv(table)
    if args.output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    else:
        args.output.write_bytes(data)
        print(f"wrote {args.output} ({len(table)} routes)")
    return 0


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``compare`` to the command line's subcommands."""
    compare = sub.add_parser(
        "compare", help="every corridor and baseline side by side, as in the Compare tab"
    )
    compare.add_argument(
        "--csv", action="store_true", help="write the table as CSV, as the app downloads it"
    )
    compare.add_argument(
        "-o", "--output", type=Path, help="with --csv: write to this file instead of stdout"
    )
    compare.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    compare.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)
    compare.set_defaults(func=cmd_compare)
