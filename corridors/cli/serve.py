"""``python -m corridors build-assets`` and ``corridors serve``: the dashboard, ready to serve.

The map's static files are built before any server starts (see :mod:`corridors.webmap.assets`).
``serve`` builds them, then becomes ``streamlit run`` on the dashboard script: the checkout's
``app.py``, or the copy an installed wheel carries, with its ``.streamlit/config.toml`` beside
it. So one command starts the dashboard from a clone, a ``pip install`` or a container.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from importlib import metadata
from pathlib import Path

import corridors
from corridors.cli.common import CliError
from corridors.data import BOUNDARIES_FILE, load_states, shipped

#: In the static folder: the key of the inputs it was last built from, and the files built.
STAMP = ".built.json"
#: Libraries whose versions can change the basemap drawn from the same boundaries.
_LIBRARIES = ("geopandas", "pyogrio", "shapely")


def app_script() -> Path:
    """Return the dashboard script: the checkout's ``app.py``, else the installed copy."""
    return shipped("app.py")


def static_dir(app: Path) -> Path:
    """Return the folder Streamlit serves at ``/app/static``: ``static`` beside the script."""
    return app.with_name("static")


def inputs_key(boundaries: Path) -> str:
    """Return the SHA-256 of everything the static folder is built from.

    That is the boundaries, every file of the package (its code, the map's scripts and the
    vendored libraries; not the data a wheel carries) and the versions of the libraries that
    read and simplify the boundaries. Hashing them takes milliseconds; building takes seconds.
    """
    package = Path(corridors.__file__).parent
    sources = sorted(
        path
        for path in package.rglob("*")
        if path.is_file() and not {"__pycache__", "_data"} & set(path.relative_to(package).parts)
    )
    digest = hashlib.sha256(b"corridors-static-1\0")
    for path in [*sources, boundaries]:
        name = path.relative_to(package).as_posix() if path.is_relative_to(package) else path.name
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    for library in _LIBRARIES:
        digest.update(f"{library}=={metadata.version(library)}\0".encode())
    return digest.hexdigest()


def up_to_date(target: Path, key: str) -> list[Path] | None:
    """Return the files a build from ``key`` wrote into ``target``, if all are still there.

    ``None`` when the folder was built from other inputs, never built, or lost a file since.
    """
    try:
        stamp = json.loads((target / STAMP).read_text(encoding="utf-8"))
        built = [Path(name) for name in stamp["files"]]
        fresh = stamp["key"] == key
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return built if fresh and all((target / name).is_file() for name in built) else None


def _record(target: Path, key: str, built: list[Path]) -> None:
    """Write the stamp :func:`up_to_date` reads, renamed into place whole.

    Written aside under a name of this process's own (replicas may start together on one
    folder), readable by all like the files it lists.
    """
    stamp = {"key": key, "files": [name.as_posix() for name in built]}
    aside = target / f"{STAMP}.{os.getpid()}.tmp"
    aside.write_text(json.dumps(stamp, indent=1), encoding="utf-8")
    os.replace(aside, target / STAMP)


def cmd_build_assets(args: argparse.Namespace) -> int:
    """Write the map's libraries, basemap and names into the static folder; fail if it cannot.

    A folder built from the same inputs (:func:`inputs_key`) is left as it is: a restart of
    the server then skips reading the boundaries and importing geopandas and folium, about
    5 s of a start on a 2-core machine, which the server's own process pays again anyway.
    """
    target = static_dir(app_script())
    try:
        key = inputs_key(args.boundaries)
    except OSError as exc:
        raise CliError(f"cannot read {args.boundaries}: {exc}") from exc
    built = up_to_date(target, key)
    if built is not None:
        print(f"the {len(built)} files the map loads in {target} are up to date")
        return 0
    # geopandas and folium are most of the build's time: imported only when building.
    from corridors.webmap import basemap_json, display_states, names_json  # noqa: PLC0415
    from corridors.webmap.assets import build  # noqa: PLC0415

    shown = display_states(load_states(args.boundaries))
    try:
        built = build(target, basemap_json(shown), names_json(shown))
        _record(target, key, built)
    except OSError as exc:
        msg = f"cannot write the map's files into {target}: {exc}"
        raise CliError(msg) from exc
    print(f"built {len(built)} files the map loads in {target}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Build the assets, then run ``streamlit run`` on the dashboard in this process.

    The page's data is loaded in a thread beside the server as it starts
    (:mod:`corridors.ui.serve`), so the first visit finds it ready.
    """
    cmd_build_assets(args)
    # argparse keeps the "--" that ends corridors' own options; to streamlit it would mean
    # "arguments for the script".
    options = args.streamlit[1:] if args.streamlit[:1] == ["--"] else args.streamlit
    from corridors.ui import serve  # noqa: PLC0415

    return serve.run(app_script(), options)


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
