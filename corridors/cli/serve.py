"""``python -m corridors build-assets`` and ``corridors serve``: the dashboard, ready to serve.

The map's static files are built before any server starts (see :mod:`corridors.webmap.assets`).
``serve`` builds them, then becomes ``streamlit run`` on the dashboard script: the checkout's
``app.py``, or the copy an installed wheel carries, with its ``.streamlit/config.toml`` beside
it. So one command starts the dashboard from a clone, a ``pip install`` or a container.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from corridors.cli.common import CliError
from corridors.data import BOUNDARIES_FILE, load_states, shipped
from corridors.webmap import basemap_json, display_states, names_json
from corridors.webmap.assets import build


def app_script() -> Path:
    """Return the dashboard script: the checkout's ``app.py``, else the installed copy."""
    return shipped("app.py")


def static_dir(app: Path) -> Path:
    """Return the folder Streamlit serves at ``/app/static``: ``static`` beside the script."""
    return app.with_name("static")


def cmd_build_assets(args: argparse.Namespace) -> int:
    """Write the map's libraries, basemap and names into the static folder; fail if it cannot."""
    target = static_dir(app_script())
    shown = display_states(load_states(args.boundaries))
    try:
        built = build(target, basemap_json(shown), names_json(shown))
    except OSError as exc:
        msg = f"cannot write the map's files into {target}: {exc}"
        raise CliError(msg) from exc
    print(f"built {len(built)} files the map loads in {target}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the assets, then run ``streamlit run`` on the dashboard in this process."""
    cmd_build_assets(args)
    # argparse keeps the "--" that ends corridors' own options; to streamlit it would mean
    # "arguments for the script".
    options = args.streamlit[1:] if args.streamlit[:1] == ["--"] else args.streamlit
    command = [sys.executable, "-m", "streamlit", "run", str(app_script()), *options]
    sys.stdout.flush()
    # exec, not a child: a process manager's or container's signals reach Streamlit itself.
    os.execv(command[0], command)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``build-assets`` and ``serve`` to the command line's subcommands."""
    assets = sub.add_parser(
        "build-assets", help="write the map's static files, before the dashboard is served"
    )
    assets.set_defaults(func=cmd_build_assets)
    serve = sub.add_parser(
        "serve",
        help="build the assets and run the dashboard",
        description="Build the map's files, then run `streamlit run` on the dashboard. "
        "Arguments after -- go to streamlit, e.g. corridors serve -- --server.port 8080",
    )
    serve.add_argument("streamlit", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    serve.set_defaults(func=cmd_serve)
    for command in (assets, serve):
        command.add_argument(
            "--boundaries",
            type=Path,
            default=BOUNDARIES_FILE,
            help="state boundaries the basemap is drawn from (default: the bundled ones)",
        )
