"""Snapshots of the map as PNG, SVG or PDF, for slides and print.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no display, no network). Output
is byte-for-byte reproducible: fonts are fixed to DejaVu Sans, which ships with matplotlib; SVG
ids are salted with a constant; dates are left out of the file metadata and printed only where
the caller asks, in the footer.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from corridors.data import Dataset
from corridors.model import Analysis, Route
from corridors.places import Place
from corridors.policy.closures import ClosureResult
from corridors.printmap.cartography import BBox, check_bbox
from corridors.printmap.figure import SnapshotFigure

__all__ = [
    "DEFAULT_EXTENT",
    "DEFAULT_SIZE",
    "FORMATS",
    "MIME_TYPES",
    "SIZE_PRESETS",
    "Format",
    "Size",
    "draw_snapshot",
    "render_snapshot",
    "resolve_size",
    "route_extent",
    "write_snapshot",
]

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[Format, ...] = ("png", "svg", "pdf")
MIME_TYPES: dict[str, str] = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}


@dataclass(frozen=True)
class Size:
    """Output size: pixels, and the pixels per inch that set the printed size of a PDF or SVG."""

    width: int
    height: int
    dpi: float = 150.0
    label: str = ""

    @property
    def inches(self) -> tuple[float, float]:
        """Width and height in inches."""
        return self.width / self.dpi, self.height / self.dpi


#: A4 is 297 x 210 mm; at 300 dpi that is 3508 x 2480 pixels.
SIZE_PRESETS: dict[str, Size] = {
    "slide-16x9": Size(1920, 1080, 160, "16:9 slide, 1920 x 1080"),
    "slide-4x3": Size(1600, 1200, 160, "4:3 slide, 1600 x 1200"),
    "slide-4x3-1440": Size(1440, 1080, 144, "4:3 slide, 1440 x 1080"),
    "a4-landscape": Size(3508, 2480, 300, "A4 landscape, print at 300 dpi"),
    "square": Size(1080, 1080, 144, "Square post, 1080 x 1080"),
}
DEFAULT_SIZE = "slide-16x9"
MIN_PX, MAX_PX = 200, 10_000
MIN_DPI, MAX_DPI = 50.0, 1200.0


def resolve_size(
    preset: str | None = None,
    *,
    width: int | None = None,
    height: int | None = None,
    dpi: float | None = None,
) -> Size:
    """Return a preset size, or a custom one when ``width`` and ``height`` are given.

    Raises
    ------
    ValueError
        For an unknown preset, a width without a height (or the reverse), or a size or dpi out of
        range; the message names the bad value.
    """
    if (width is None) != (height is None):
        msg = f"give both width and height for a custom size, got width={width}, height={height}"
        raise ValueError(msg)
    if width is not None and height is not None:
        base = Size(int(width), int(height), 150.0, f"custom, {width} x {height}")
    else:
        key = preset or DEFAULT_SIZE
        if key not in SIZE_PRESETS:
            msg = f"unknown size {key!r} (known: {', '.join(SIZE_PRESETS)})"
            raise ValueError(msg)
        base = SIZE_PRESETS[key]
    if not (MIN_PX <= base.width <= MAX_PX and MIN_PX <= base.height <= MAX_PX):
        msg = f"width and height must be {MIN_PX} to {MAX_PX} px, got {base.width} x {base.height}"
        raise ValueError(msg)
    if dpi is None:
        return base
    if not MIN_DPI <= dpi <= MAX_DPI:
        msg = f"dpi must be {MIN_DPI:g} to {MAX_DPI:g}, got {dpi:g}"
        raise ValueError(msg)
    return Size(base.width, base.height, float(dpi), base.label)


_RC: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "svg.hashsalt": "corridors",
    "svg.fonttype": "none",  # SVG text stays text: editable and searchable
    "pdf.fonttype": 42,  # embedded TrueType: PDF text stays vector and selectable
    "hatch.linewidth": 0.5,
    "path.simplify": True,
}
# matplotlib's rcParams and our cached PROJ transformers are shared: renders take turns (and a
# render holds the lock while it draws and then writes).
_LOCK = threading.RLock()


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Hold Python's cyclic garbage collector off while a snapshot is drawn and written.

    A drawing allocates tens of thousands of artists, transforms and boxes that live until it
    is written: collected during it, they pass into the oldest generation and set off full
    collections of the whole heap (the boundaries, fonts, the app: 170,000 objects; three in six
    exports, 61 ms an export on average). Collected after it, they are young garbage: 27 ms an
    export, and no full collection in six (2026-12-01).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _metadata(fmt: Format, title: str) -> dict[str, Any]:
    """Return an SVG's or PDF's metadata with no timestamps, so the same map gives the same bytes.

    A PNG's is written with it (:func:`_write_png`).
    """
    if fmt == "svg":  # matplotlib's SVG writer takes a title as text or not at all
        return {"Date": None, **({"Title": title} if title else {})}
    return {"CreationDate": None, "ModDate": None, "Title": title, "Creator": "corridors"}


def route_extent(routes: Sequence[Route]) -> BBox | None:
    """Return the longitude/latitude bounds of the routes' legs, padded by 8 % each side."""
    coords = np.array([c for route in routes for leg in route.legs for c in leg.coords])
    if len(coords) == 0:
        return None
    (xmin, ymin), (xmax, ymax) = coords.min(axis=0), coords.max(axis=0)
    padx, pady = max((xmax - xmin) * 0.08, 0.5), max((ymax - ymin) * 0.08, 0.5)
    return (
        max(float(xmin - padx), -180.0),
        max(float(ymin - pady), -90.0),
        min(float(xmax + padx), 180.0),
        min(float(ymax + pady), 90.0),
    )


#: Shown when nothing is switched on and no extent is given: the corridors' part of Eurasia.
DEFAULT_EXTENT: BBox = (25.0, 22.0, 80.0, 52.0)


def draw_snapshot(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states: gpd.GeoDataFrame,
    *,
    visible: Sequence[str],
    selected: str | None = None,
    bbox: BBox | None = None,
    size: Size | str = DEFAULT_SIZE,
    title: str = "",
    subtitle: str = "",
    date: dt.date | str,
    show_baselines: bool = False,
    year: int | None = None,
    closures: ClosureResult | None = None,
    places: Sequence[Place] = (),
) -> SnapshotFigure:
    """Draw the map as the user sees it on a new figure; return what drew it.

    :func:`render_snapshot` writes it to a file; tests read its labels and frame. The
    parameters are :func:`render_snapshot`'s.

    Raises
    ------
    ValueError
        For an unknown route id, or a bad extent or size.
    """
    visible = list(dict.fromkeys(visible))
    unknown = [i for i in [*visible, *([selected] if selected else [])] if i not in dataset.routes]
    if unknown:
        known = ", ".join(sorted(dataset.routes))
        msg = f"unknown route id(s): {', '.join(unknown)} (known: {known})"
        raise ValueError(msg)
    if selected and selected not in visible:
        visible.append(selected)
    size = resolve_size(size) if isinstance(size, str) else size
    if show_baselines:
        wanted = [dataset.routes[i].baseline for i in visible]
        visible += [b for b in wanted if b and b in dataset.routes and b not in visible]
    routes = [dataset.routes[i] for i in visible]
    extent = check_bbox(bbox) if bbox is not None else route_extent(routes) or DEFAULT_EXTENT
    with _LOCK, mpl.rc_context(_RC):  # type: ignore[arg-type]
        fig = Figure(figsize=size.inches, dpi=size.dpi, facecolor="white")
        FigureCanvasAgg(fig)
        snapshot = SnapshotFigure(
            fig,
            dataset,
            analyses,
            states,
            routes=routes,
            selected=selected,
            year=year,
            closures=closures,
            places=places,
        )
        snapshot.draw(extent, title, subtitle, str(date))
    return snapshot


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        msg = f"unknown format {fmt!r} (known: {', '.join(FORMATS)})"
        raise ValueError(msg)


def write_snapshot(fig: Figure, fmt: Format, title: str = "") -> bytes:
    """Return a drawn snapshot's file, with no timestamps in it.

    Raises
    ------
    ValueError
        For an unknown format.
    """
    _check_format(fmt)
    with _LOCK, mpl.rc_context(_RC):  # type: ignore[arg-type]
        out = io.BytesIO()
        if fmt == "png":
            _write_png(fig, out, title)
        else:
            fig.savefig(out, format=fmt, dpi=fig.dpi, metadata=_metadata(fmt, title))
    return out.getvalue()


def _write_png(fig: Figure, out: io.BytesIO, title: str) -> None:
    """Write the figure as a PNG, in RGB where the page is opaque (it is), with PIL.

    matplotlib's own writer keeps an alpha channel and compresses harder: twice the time for a
    file 10 % larger. PIL tries five filters on every row; written unfiltered by our own code
    the PNG took 30 ms instead of 63 and was 17 % smaller (2026-12-01), not worth an encoder of
    our own.
    """
    canvas = FigureCanvasAgg(fig) if not isinstance(fig.canvas, FigureCanvasAgg) else fig.canvas
    canvas.draw()
    buffer = canvas.buffer_rgba()
    rgba = np.asarray(buffer)
    image = Image.frombuffer("RGBA", (rgba.shape[1], rgba.shape[0]), buffer, "raw", "RGBA", 0, 1)
    if bool((rgba[..., 3] == 255).all()):
        # PIL drops the alpha in C: a fifth of the time numpy's strided copy of the RGB takes.
        image = image.convert("RGB")
    info = PngInfo()
    if title:
        info.add_text("Title", title)
    image.save(out, format="png", pnginfo=info, dpi=(fig.dpi, fig.dpi), compress_level=3)


def render_snapshot(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states: gpd.GeoDataFrame,
    *,
    visible: Sequence[str],
    selected: str | None = None,
    bbox: BBox | None = None,
    size: Size | str = DEFAULT_SIZE,
    fmt: Format = "png",
    title: str = "",
    subtitle: str = "",
    date: dt.date | str,
    show_baselines: bool = False,
    year: int | None = None,
    closures: ClosureResult | None = None,
    places: Sequence[Place] = (),
) -> bytes:
    """Draw the map as the user sees it and return the file's bytes.

    The same view draws the same map as the dashboard's: each leg looks as
    :func:`corridors.style.leg_look` says for the ``year`` shown, the legs the ``closures`` cut
    carry the same dashes and dots, and a caption under the title says the year and what is
    closed.

    Parameters
    ----------
    dataset, analyses
        The routes and what each crosses in the year shown (today's analyses when ``year`` is
        None; :func:`corridors.policy.timeline.analysis_in_year` otherwise), as the web map takes
        them: the selected route's transit and bypassed states are tinted from them.
    states
        State boundaries (``iso3``, ``name``, geometry in longitude/latitude). Full resolution is
        fine: they are clipped to the extent and simplified to half a pixel before drawing.
    visible
        Ids of the routes switched on, drawn in this order.
    selected
        Id of the route whose transit and bypassed states are highlighted, if any.
    bbox
        Extent (min lon, min lat, max lon, max lat), e.g. the map's bounds; default: fitted to the
        visible routes. It is widened, never cropped, to the output's aspect ratio.
    size
        A :data:`SIZE_PRESETS` key or a :class:`Size`.
    fmt
        ``png``, ``svg`` or ``pdf``.
    title, subtitle
        Header text; see :func:`corridors.export.default_titles`.
    date
        Printed in the footer; passed in so that output does not depend on the clock.
    show_baselines
        Also draw, in grey, the baselines of the visible corridors, as the app does.
    year
        The timeline's year, or None for the routes as they are today.
    closures
        The what-if closures in force (:func:`corridors.policy.closures.apply_closures`), or None.
    places
        Seas, regions and straits to name (:mod:`corridors.places`), as the web map does.

    Raises
    ------
    ValueError
        For an unknown route id or format, or a bad extent or size.
    """
    _check_format(fmt)
    with _LOCK, _collector_paused():
        snapshot = draw_snapshot(
            dataset,
            analyses,
            states,
            visible=visible,
            selected=selected,
            bbox=bbox,
            size=size,
            title=title,
            subtitle=subtitle,
            date=date,
            show_baselines=show_baselines,
            year=year,
            closures=closures,
            places=places,
        )
        return write_snapshot(snapshot.fig, fmt, title)
