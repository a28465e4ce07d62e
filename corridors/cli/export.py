"""Command line exports: ``python -m corridors snapshot`` and ``python -m corridors export-html``.

Arguments that need no data (size, extent, output path, format, date) are checked before the
data is loaded, so a typo fails at once with one line naming the bad value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from corridors import webmap
from corridors.cli import common as cli
from corridors.data import DATA_DIR, SEEDS_DIR
from corridors.export import (
    FORMATS,
    SIZE_PRESETS,
    Size,
    default_titles,
    leaflet_bounds,
    render_snapshot,
    resolve_size,
    standalone_html,
    view_extent,
)
from corridors.places import places_in
from corridors.policy.timeline import year_bounds
from corridors.printmap.cartography import BBox, check_bbox
from corridors.printmap.snapshot import route_extent
from corridors.provenance import attribution
from corridors.view import ViewState, from_query


def parse_bbox(text: str) -> BBox:
    """Parse ``minlon,minlat,maxlon,maxlat``.

    Raises
    ------
    cli.CliError
        If it is not four numbers in range with min < max.
    """
    parts = text.split(",")
    try:
        if len(parts) != 4:
            raise ValueError(text)
        return check_bbox(tuple(float(p) for p in parts))  # type: ignore[arg-type]
    except ValueError as exc:
        msg = (
            f"bad --bbox {text!r}: need minlon,minlat,maxlon,maxlat with min < max, in range "
            f"({exc})"
        )
        raise cli.CliError(msg) from exc


def _output(path: Path, suffixes: tuple[str, ...]) -> Path:
    """Check the output path can be written before any work is done."""
    if path.suffix.lower().lstrip(".") not in suffixes:
        msg = f"output {path} should end in {' or '.join('.' + s for s in suffixes)}"
        raise cli.CliError(msg)
    folder = path.parent if str(path.parent) else Path()
    if path.is_dir():
        msg = f"output {path} is a directory"
        raise cli.CliError(msg)
    if not folder.is_dir():
        msg = f"cannot write {path}: folder {folder} does not exist"
        raise cli.CliError(msg)
    if not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        msg = f"cannot write {path}: permission denied"
        raise cli.CliError(msg)
    return path


def _date(text: str | None) -> str:
    if text is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError as exc:
        msg = f"bad --date {text!r}: need YYYY-MM-DD"
        raise cli.CliError(msg) from exc


def _size(args: argparse.Namespace) -> Size:
    try:
        return resolve_size(args.size, width=args.width, height=args.height, dpi=args.dpi)
    except ValueError as exc:
        raise cli.CliError(str(exc)) from exc


def _write(path: Path, payload: bytes) -> None:
    try:
        path.write_bytes(payload)
    except OSError as exc:
        msg = f"cannot write {path}: {exc.strerror or exc}"
        raise cli.CliError(msg) from exc


def _link_view(loaded: cli.Loaded, args: argparse.Namespace) -> ViewState | None:
    """Return the view a shared link (``--view``) carries, printing what it had that was not used.

    A link is the dashboard's address, or only its query string.

    Raises
    ------
    cli.CliError
        If ``--view`` comes with ``--corridor``, ``--selected`` or ``--bbox``, which it replaces.
    """
    if args.view is None:
        return None
    if args.corridor or args.selected or args.bbox:
        msg = "--view gives the corridors, the selection and the extent: drop the other options"
        raise cli.CliError(msg)
    query = urlsplit(args.view).query if "?" in args.view else args.view
    dataset = loaded.dataset
    view, notices = from_query(
        parse_qs(query, keep_blank_values=True),
        [r.id for r in dataset.corridors],
        [c.id for c in dataset.chokepoints],
        years=year_bounds(dataset),
    )
    for notice in notices:
        print(notice, file=sys.stderr)
    return view


def _selection(
    loaded: cli.Loaded, args: argparse.Namespace, view: ViewState | None
) -> tuple[list[str], str | None]:
    """Return the visible corridors and the selected one, from a link's view or checked ids."""
    if view is not None:
        visible = list(view.shown([r.id for r in loaded.dataset.corridors]))
        if view.selected is not None and view.selected not in visible:
            visible.append(view.selected)
        return visible, view.selected
    visible = cli.route_ids(loaded.dataset, args.corridor, baselines=False)
    selected = args.selected
    if selected is not None:
        cli.route_ids(loaded.dataset, [selected], baselines=False)
        if selected not in visible:
            visible.append(selected)
    return visible, selected


def cmd_snapshot(args: argparse.Namespace) -> int:
    """Write the map as PNG, SVG or PDF."""
    fmt = args.format or args.output.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        msg = f"cannot tell the format from {args.output}: give --format ({', '.join(FORMATS)})"
        raise cli.CliError(msg)
    output = _output(args.output, (fmt,))
    size = _size(args)
    bbox = parse_bbox(args.bbox) if args.bbox else None
    date = _date(args.date)
    loaded = cli.load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    view = _link_view(loaded, args)
    visible, selected = _selection(loaded, args, view)
    if view is not None:
        bbox = view_extent(view.center, view.zoom, None)
    title, subtitle = default_titles(loaded.dataset, loaded.analyses, visible, selected)
    payload = render_snapshot(
        loaded.dataset,
        loaded.analyses,
        loaded.index.states,
        visible=visible,
        selected=selected,
        bbox=bbox,
        size=size,
        fmt=fmt,
        title=title if args.title is None else args.title,
        subtitle=subtitle if args.subtitle is None else args.subtitle,
        date=date,
        show_baselines=args.baselines or (view is not None and view.baselines),
    )
    _write(output, payload)
    print(f"wrote {output} ({size.width} x {size.height} px, {fmt})")
    return 0


def cmd_export_html(args: argparse.Namespace) -> int:
    """Write the interactive map as one standalone HTML page that works offline."""
    output = _output(args.output, ("html", "htm"))
    bbox = parse_bbox(args.bbox) if args.bbox else None
    date = _date(args.date)
    loaded = cli.load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    link = _link_view(loaded, args)
    visible, selected = _selection(loaded, args, link)
    corridors = {r.id for r in loaded.dataset.corridors}
    not_corridors = [i for i in visible if i not in corridors]
    if not_corridors:
        msg = f"export-html draws corridors only, not {', '.join(not_corridors)}; use --baselines"
        raise cli.CliError(msg)
    view = link or ViewState()
    # The extent a snapshot of the same arguments would show, which the page opens on; a
    # link's view opens at its centre and zoom.
    extent = bbox or route_extent([loaded.dataset.routes[i] for i in visible])
    fmap = webmap.build_map(
        loaded.dataset,
        loaded.analyses,
        webmap.display_states(loaded.index.states),
        visible=visible,
        selected=selected,
        show_baselines=args.baselines or (link is not None and view.baselines),
        year=view.year,
        center=view.center,
        zoom=view.zoom,
        fit=None if extent is None else leaflet_bounds(extent),
        places=places_in(args.data_dir),
    )
    title, subtitle = default_titles(loaded.dataset, loaded.analyses, visible, selected)
    page = standalone_html(
        fmap,
        title=title if args.title is None else args.title,
        subtitle=subtitle if args.subtitle is None else args.subtitle,
        credit=attribution(loaded.dataset, visible),
        date=date,
    )
    _write(output, page.encode("utf-8"))
    print(f"wrote {output} ({len(page) // 1024:,} kB, works offline)")
    return 0


def _common(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--corridor",
        action="append",
        help="corridor id to show (repeatable); default: every corridor",
    )
    command.add_argument("--selected", help="corridor whose transit and bypassed states are shown")
    command.add_argument("--baselines", action="store_true", help="also draw the baselines")
    command.add_argument("--bbox", help="extent minlon,minlat,maxlon,maxlat; default: fit routes")
    command.add_argument(
        "--view",
        metavar="LINK",
        help="a link copied from the dashboard (or its ?query): its corridors, selection and view",
    )
    command.add_argument("--title", help="default: from the selection")
    command.add_argument("--subtitle", help="default: from the selection")
    command.add_argument("--date", help="date printed on the map, YYYY-MM-DD; default: today")
    command.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    command.add_argument("--data-dir", type=Path, default=DATA_DIR, help=argparse.SUPPRESS)
    command.add_argument("--seeds-dir", type=Path, default=SEEDS_DIR, help=argparse.SUPPRESS)


def add_commands(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``snapshot`` and ``export-html`` to the command line's subcommands."""
    presets = ", ".join(SIZE_PRESETS)
    snapshot = sub.add_parser("snapshot", help="save the map as PNG, SVG or PDF")
    _common(snapshot)
    snapshot.add_argument("--format", choices=FORMATS, help="default: from the output's suffix")
    snapshot.add_argument("--size", help=f"preset: {presets}; default: slide-16x9")
    snapshot.add_argument("--width", type=int, help="custom width in pixels (with --height)")
    snapshot.add_argument("--height", type=int, help="custom height in pixels (with --width)")
    snapshot.add_argument("--dpi", type=float, help="pixels per inch: sets the printed size")
    snapshot.set_defaults(func=cmd_snapshot)
    page = sub.add_parser("export-html", help="save the map as one offline HTML page")
    _common(page)
    page.set_defaults(func=cmd_export_html)
