"""Command line: ``python -m corridors COMMAND`` (also installed as ``corridors``).

Commands: report, validate, analyse, compare, snapshot, export-html, network, whatif,
build-assets, serve. Each subcommand is a function taking parsed arguments and returning an exit
code; errors in data or arguments print one clear message to stderr and exit non-zero.
Subcommands live in modules of their own and share only :mod:`corridors.cli.common`, so nothing
imports in a cycle.

A call imports only the module of the command it runs: a report must not pay for matplotlib,
folium and networkx, which the other commands import.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from corridors.cli.common import CliError
from corridors.data import CorridorDataError

#: The modules under ``corridors.cli`` that add commands, in the order ``--help`` lists them.
MODULES = ("report", "compare", "analyse", "export", "network", "serve")
#: Each command's module; a command missing here still runs, after importing every module.
COMMANDS = {
    "report": "report",
    "validate": "report",
    "compare": "compare",
    "analyse": "analyse",
    "snapshot": "export",
    "export-html": "export",
    "network": "network",
    "whatif": "network",
    "build-assets": "serve",
    "serve": "serve",
}


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """Build the argument parser: with ``command``'s module only, if it is known; else all."""
    parser = argparse.ArgumentParser(prog="corridors", description="Trade-corridor analysis.")
    sub = parser.add_subparsers(dest="command", required=True)
    modules = [COMMANDS[command]] if command in COMMANDS else MODULES
    for name in modules:
        importlib.import_module(f"corridors.cli.{name}").add_commands(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # The first word not an option names the command (the top level has only --help).
    command = next((word for word in argv if not word.startswith("-")), None)
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.func(args))
    except CorridorDataError as exc:
        print(f"corridors: the data is invalid:\n{exc}", file=sys.stderr)
        return 1
    except CliError as exc:
        print(f"corridors: {exc}", file=sys.stderr)
        return 2
