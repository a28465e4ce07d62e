"""Command line: ``python -m corridors COMMAND`` (also installed as ``corridors``).

Commands: report, validate, analyse, compare, snapshot, export-html, network, whatif,
build-assets, serve. Each subcommand is a function taking parsed arguments and returning an exit
code; errors in data or arguments print one clear message to stderr and exit non-zero.
Subcommands live in modules of their own and share only :mod:`corridors.cli.common`, so nothing
imports in a cycle.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from corridors.cli import analyse, compare, export, network, report, serve
from corridors.cli.common import CliError
from corridors.data import CorridorDataError


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser with every subcommand."""
    parser = argparse.ArgumentParser(prog="corridors", description="Trade-corridor analysis.")
    sub = parser.add_subparsers(dest="command", required=True)
    report.add_commands(sub)
    compare.add_commands(sub)
    analyse.add_commands(sub)
    export.add_commands(sub)
    network.add_commands(sub)
    serve.add_commands(sub)
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
