"""Command line exports: ``python -m corridors snapshot`` and ``python -m corridors export-html``.

Arguments that need no data (size, extent, output path, format, date, map size) are checked
before the data is loaded, so a typo fails at once with one line naming the bad value.

Both take the dashboard's view: its corridors, selection, timeline year and what-if closures,
from a shared link (``--view``) or from options (``--year``, ``--close``,
``--close-chokepoint``), and draw them as the dashboard's map does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Mapping
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
from corridors.model import Analysis
from corridors.netdata import OD_PAIRS_FILE, load_network_data
from corridors.network import build_network, track_legs
from corridors.places import places_in
from corridors.policy.closures import ClosureResult, apply_closures, build_exposure
from corridors.policy.timeline import analysis_in_year, year_bounds
from corridors.printmap.cartography import BBox, check_bbox
from corridors.printmap.snapshot import route_extent
from corridors.provenance import attribution, cited_sources
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


#: Sizes a ``--map-size`` may give, in screen pixels each way.
MAP_SIZE_RANGE = (100, 10_000)


def parse_map_size(text: str) -> tuple[int, int]:
    """Parse ``WIDTHxHEIGHT`` in screen pixels, such as ``1280x720``.

    Raises
    ------
    cli.CliError
        If it is not two whole numbers in :data:`MAP_SIZE_RANGE` joined by an ``x``.
    """
    low, high = MAP_SIZE_RANGE
    parts = text.lower().split("x")
    if len(parts) == 2 and all(p.strip().isdigit() for p in parts):
        width, height = (int(p) for p in parts)
        if low <= width <= high and low <= height <= high:
            return width, height
    msg = f"bad --map-size {text!r}: need WIDTHxHEIGHT in screen pixels, each {low} to {high}"
    raise cli.CliError(msg)


def map_size_px(size: Size) -> tuple[int, int]:
    """Return the screen size a snapshot of ``size`` stands for: its printed size at 96 px/in.

    A link's centre and zoom show more or less of the map as the screen is larger or smaller;
    with no ``--map-size``, the snapshot shows what a screen map of its own printed size (96
    pixels to the inch, CSS's pixel) shows at that zoom.

    Examples
    --------
    >>> map_size_px(Size(1920, 1080, 160))
    (1152, 648)
    """
    width, height = size.inches
    return round(width * 96), round(height * 96)


def _link_view(loaded: cli.Loaded, args: argparse.Namespace) -> ViewState | None:
    """Return the view a shared link (``--view``) carries, printing what it had that was not used.

    A link is the dashboard's address, or only its query string.

    Raises
    ------
    cli.CliError
        If ``--view`` comes with an option it replaces: ``--corridor``, ``--selected``,
        ``--bbox``, ``--year``, ``--close``, ``--close-chokepoint`` or ``--close-leg``.
    """
    if args.view is None:
        return None
    if args.corridor or args.selected or args.bbox or args.year is not None or _closing(args):
        msg = (
            "--view gives the corridors, the selection, the extent, the year and the closures: "
            "drop the other options"
        )
        raise cli.CliError(msg)
    query = urlsplit(args.view).query if "?" in args.view else args.view
    dataset = loaded.dataset
    view, notices = from_query(
        parse_qs(query, keep_blank_values=True),
        [r.id for r in dataset.corridors],
        [c.id for c in dataset.chokepoints],
        known_states=loaded.index.names,
        known_legs=_leg_ids(loaded),
        years=year_bounds(dataset),
    )
    for notice in notices:
        print(notice, file=sys.stderr)
    return view


def _closing(args: argparse.Namespace) -> bool:
    return bool(args.close or args.close_chokepoint or args.close_leg)


def _leg_ids(loaded: cli.Loaded) -> set[str]:
    return {leg.id for route in loaded.dataset.routes.values() for leg in route.legs}


def _options_view(loaded: cli.Loaded, args: argparse.Namespace) -> ViewState:
    """Return the year and closures the options give, checked against the data.

    Raises
    ------
    cli.CliError
        For a year outside the data's, or an unknown state code or chokepoint id.
    """
    year = args.year
    first, last = year_bounds(loaded.dataset)
    if year is not None and not first <= year <= last:
        msg = f"bad --year {year}: the data runs from {first} to {last}"
        raise cli.CliError(msg)
    states = tuple(dict.fromkeys(code.strip().upper() for code in args.close or ()))
    unknown = [code for code in states if code not in loaded.index.names]
    if unknown:
        msg = f"bad --close {', '.join(unknown)}: not the ISO alpha-3 code of a state on the map"
        raise cli.CliError(msg)
    known = {c.id for c in loaded.dataset.chokepoints}
    chokepoints = tuple(dict.fromkeys(args.close_chokepoint or ()))
    unknown = [c for c in chokepoints if c not in known]
    if unknown:
        msg = f"bad --close-chokepoint {', '.join(unknown)} (known: {', '.join(sorted(known))})"
        raise cli.CliError(msg)
    legs = tuple(dict.fromkeys(args.close_leg or ()))
    unknown = [g for g in legs if g not in _leg_ids(loaded)]
    if unknown:
        msg = f"bad --close-leg {', '.join(unknown)}: not the id of a leg of a route"
        raise cli.CliError(msg)
    return ViewState(
        year=year, closed_states=states, closed_chokepoints=chokepoints, closed_legs=legs
    )


def _closures(loaded: cli.Loaded, view: ViewState) -> ClosureResult | None:
    """Return the what-if closures of ``view`` applied as the dashboard applies them, if any."""
    if not (view.closed_states or view.closed_chokepoints or view.closed_legs):
        return None
    dataset = loaded.dataset
    exposure = build_exposure(
        (*dataset.corridors, *dataset.baselines), loaded.index, dataset.chokepoints
    )
    return apply_closures(
        exposure,
        states=view.closed_states,
        chokepoints=view.closed_chokepoints,
        legs=view.closed_legs,
        tracks=_tracks(loaded, view.closed_legs),
        year=view.year,
    )


def _tracks(loaded: cli.Loaded, legs: tuple[str, ...]) -> dict[str, frozenset[str]] | None:
    """Return the legs on each closed leg's track, as the dashboard's what-if closes them.

    The corridor network knows which legs share a track; a data folder without one has none.
    """
    network_dir, od_pairs = loaded.data_dir / "network", loaded.data_dir / OD_PAIRS_FILE.name
    if not legs or not (network_dir.exists() or od_pairs.exists()):
        return None
    data = load_network_data(loaded.dataset, network_dir, od_pairs)
    return track_legs(build_network(loaded.dataset, data, loaded.index), legs)


def _analyses_in_year(loaded: cli.Loaded, year: int | None) -> Mapping[str, Analysis]:
    """Return what each route crosses in ``year``, as the dashboard's map tints it."""
    if year is None:
        return loaded.analyses
    routes, chokepoints = loaded.dataset.routes, loaded.dataset.chokepoints
    return {
        rid: analysis_in_year(routes[rid], today, year, loaded.index, chokepoints)
        for rid, today in loaded.analyses.items()
    }


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
    screen = parse_map_size(args.map_size) if args.map_size else map_size_px(size)
    loaded = cli.load_all(data_dir=args.data_dir, seeds_dir=args.seeds_dir)
    link = _link_view(loaded, args)
    visible, selected = _selection(loaded, args, link)
    view = link or _options_view(loaded, args)
    if link is not None:
        bbox = view_extent(link.center, link.zoom, None, screen)
    title, subtitle = default_titles(loaded.dataset, loaded.analyses, visible, selected)
    payload = render_snapshot(
        loaded.dataset,
        _analyses_in_year(loaded, view.year),
        loaded.index.states,
        visible=visible,
        selected=selected,
        bbox=bbox,
        size=size,
        fmt=fmt,
        title=title if args.title is None else args.title,
        subtitle=subtitle if args.subtitle is None else args.subtitle,
        date=date,
        show_baselines=args.baselines or (link is not None and link.baselines),
        year=view.year,
        closures=_closures(loaded, view),
        places=places_in(args.data_dir),
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
    view = link or _options_view(loaded, args)
    # The extent a snapshot of the same arguments would show, which the page opens on; a
    # link's view opens at its centre and zoom.
    extent = bbox or route_extent([loaded.dataset.routes[i] for i in visible])
    fmap = webmap.build_map(
        loaded.dataset,
        _analyses_in_year(loaded, view.year),
        webmap.display_states(loaded.index.states),
        visible=visible,
        selected=selected,
        show_baselines=args.baselines or (link is not None and view.baselines),
        year=view.year,
        closures=_closures(loaded, view),
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
        sources=cited_sources(loaded.dataset, visible),
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
    command.add_argument(
        "--year", type=int, help="draw the routes as in this year, as the dashboard's timeline"
    )
    command.add_argument(
        "--close",
        action="append",
        metavar="ISO3",
        help="close a state to transit, as the dashboard's what-if (repeatable)",
    )
    command.add_argument(
        "--close-chokepoint",
        action="append",
        metavar="ID",
        help="close a chokepoint, as the dashboard's what-if (repeatable)",
    )
    command.add_argument(
        "--close-leg",
        action="append",
        metavar="ID",
        help="close a leg (and the legs on its track), as the dashboard's what-if (repeatable)",
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
    snapshot.add_argument(
        "--map-size",
        metavar="WxH",
        help=(
            "with --view: the size in screen pixels of the map the link was copied from, which "
            "its zoom shows; default: the snapshot's printed size at 96 pixels per inch"
        ),
    )
    snapshot.set_defaults(func=cmd_snapshot)
    page = sub.add_parser("export-html", help="save the map as one offline HTML page")
    _common(page)
    page.set_defaults(func=cmd_export_html)
