"""Map furniture for printed snapshots: the projection fitted to an extent, the scale bar, labels.

Snapshots use an equidistant conic projection fitted to the extent (standard parallels at one sixth
and five sixths of its latitude range, Snyder's rule of thumb for conics: *Map Projections: A
Working Manual*, USGS 1987, p. 99). It keeps distances true along every meridian and both standard
parallels, so the corridors' lengths look right across Eurasia, where a Web Mercator slide
stretches Russia and Kazakhstan by half. Everything here is pure: no figures are drawn.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import shapely
from matplotlib.transforms import Bbox
from pyproj import Geod, Transformer

from corridors.model import WGS84

GEOD = Geod(ellps="WGS84")
BBox = tuple[float, float, float, float]
#: Points per side when a rectangle is projected, so curved edges bound it closely.
_EDGE_POINTS = 64
#: The smallest extent a snapshot shows, each way: Natural Earth 1:10m borders are good to a few
#: hundred metres, so a smaller map shows only their error, and one a millionth of a degree
#: across made the renderer grow to 23.5 GB.
MIN_EXTENT_KM = 10.0


def check_bbox(bbox: BBox) -> BBox:
    """Return ``bbox`` as floats (min lon, min lat, max lon, max lat) after checking it.

    Raises
    ------
    ValueError
        If it does not have four finite numbers in range with min < max, or it is less than
        :data:`MIN_EXTENT_KM` across either way.
    """
    try:
        minlon, minlat, maxlon, maxlat = (float(v) for v in bbox)
    except (TypeError, ValueError) as exc:
        msg = f"bbox must be four numbers minlon,minlat,maxlon,maxlat, got {bbox!r}"
        raise ValueError(msg) from exc
    if not all(math.isfinite(v) for v in (minlon, minlat, maxlon, maxlat)):
        msg = f"bbox must be finite, got {bbox!r}"
        raise ValueError(msg)
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        msg = (
            f"bbox must have -180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90, "
            f"got {minlon},{minlat},{maxlon},{maxlat}"
        )
        raise ValueError(msg)
    mid = (minlat + maxlat) / 2
    across_km = GEOD.line_length([minlon, (minlon + maxlon) / 2, maxlon], [mid] * 3) / 1000
    high_km = GEOD.line_length([minlon, minlon], [minlat, maxlat]) / 1000
    if min(across_km, high_km) < MIN_EXTENT_KM:
        msg = (
            f"bbox is {across_km:.3g} km wide and {high_km:.3g} km high; a map must be at least "
            f"{MIN_EXTENT_KM:g} km each way (the borders are good to a few hundred metres)"
        )
        raise ValueError(msg)
    return minlon, minlat, maxlon, maxlat


def _rectangle(xmin: float, ymin: float, xmax: float, ymax: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the outline of a rectangle, densified so it can be projected."""
    t = np.linspace(0.0, 1.0, _EDGE_POINTS)
    xs = np.concatenate(
        [
            xmin + (xmax - xmin) * t,
            np.full_like(t, xmax),
            xmax - (xmax - xmin) * t,
            np.full_like(t, xmin),
        ]
    )
    ys = np.concatenate(
        [
            np.full_like(t, ymin),
            ymin + (ymax - ymin) * t,
            np.full_like(t, ymax),
            ymax - (ymax - ymin) * t,
        ]
    )
    return xs, ys


@lru_cache(maxsize=32)
def _transformer(source: str, target: str) -> Transformer:
    """Return a cached transformer: building one costs about 10 ms, a thousand small transforms."""
    return Transformer.from_crs(source, target, always_xy=True)


@dataclass(frozen=True)
class View:
    """A projection and the rectangle of it that the map shows.

    Attributes
    ----------
    proj
        PROJ string of the equidistant conic.
    xlim, ylim
        The map rectangle in projected metres; its aspect ratio is the map frame's.
    lonlat_bounds
        Longitude/latitude rectangle that contains the map rectangle, to clip data before
        projecting it.
    standard_parallels
        The two latitudes where the scale is true, for the footer.
    """

    proj: str
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    lonlat_bounds: BBox
    standard_parallels: tuple[float, float]

    @property
    def forward(self) -> Transformer:
        """Transformer from longitude/latitude to map metres."""
        return _transformer(WGS84, self.proj)

    @property
    def inverse(self) -> Transformer:
        """Transformer from map metres to longitude/latitude."""
        return _transformer(self.proj, WGS84)

    def project(self, geoms: np.ndarray) -> np.ndarray:
        """Project an array of longitude/latitude geometries to map metres."""
        forward = self.forward

        def transform(coords: np.ndarray) -> np.ndarray:
            x, y = forward.transform(coords[:, 0], coords[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geoms, transform)


def _projection(bbox: BBox) -> tuple[str, tuple[float, float]]:
    """Return the PROJ string of the conic fitted to ``bbox``, and its standard parallels."""
    minlon, minlat, maxlon, maxlat = check_bbox(bbox)
    span = maxlat - minlat
    lat1, lat2 = minlat + span / 6, maxlat - span / 6
    lon0, lat0 = (minlon + maxlon) / 2, (minlat + maxlat) / 2
    # A cone with opposite standard parallels is a cylinder: fall back to equidistant cylindrical.
    if abs(lat1 + lat2) < 1.0:
        proj = f"+proj=eqc +lat_ts={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m +no_defs"
    else:
        proj = (
            f"+proj=eqdc +lat_0={lat0:.4f} +lon_0={lon0:.4f} +lat_1={lat1:.4f} +lat_2={lat2:.4f} "
            "+datum=WGS84 +units=m +no_defs"
        )
    return proj, (lat1, lat2)


def _projected_bounds(bbox: BBox, proj: str) -> tuple[float, float, float, float]:
    x, y = _transformer(WGS84, proj).transform(*_rectangle(*check_bbox(bbox)))
    return float(np.min(x)), float(np.min(y)), float(np.max(x)), float(np.max(y))


def conic_parallels(bbox: BBox) -> tuple[float, float]:
    """Return the standard parallels of the projection fitted to ``bbox``, for the footer."""
    return _projection(bbox)[1]


def extent_aspect(bbox: BBox) -> float:
    """Return width over height of ``bbox`` as the snapshot projection draws it."""
    xmin, ymin, xmax, ymax = _projected_bounds(bbox, _projection(bbox)[0])
    return (xmax - xmin) / (ymax - ymin)


def fit_view(bbox: BBox, aspect: float) -> View:
    """Fit an equidistant conic to ``bbox`` and widen the extent to the frame's aspect ratio.

    The extent is only ever widened, never cropped, so everything the user saw stays on the map.

    Parameters
    ----------
    bbox
        Minimum longitude, minimum latitude, maximum longitude, maximum latitude.
    aspect
        Width over height of the map frame.

    Examples
    --------
    >>> view = fit_view((40.0, 38.0, 50.0, 44.0), 16 / 9)
    >>> w = view.xlim[1] - view.xlim[0]; h = view.ylim[1] - view.ylim[0]
    >>> round(w / h, 3)
    1.778
    """
    proj, parallels = _projection(bbox)
    xmin, ymin, xmax, ymax = _projected_bounds(bbox, proj)
    width, height = xmax - xmin, ymax - ymin
    if width / height < aspect:
        pad = (height * aspect - width) / 2
        xmin, xmax = xmin - pad, xmax + pad
    else:
        pad = (width / aspect - height) / 2
        ymin, ymax = ymin - pad, ymax + pad
    lon, lat = _transformer(proj, WGS84).transform(*_rectangle(xmin, ymin, xmax, ymax))
    ok = np.isfinite(lon) & np.isfinite(lat)
    # One degree of slack: clipped edges then fall outside the frame, never inside it.
    bounds = (
        max(float(np.min(lon[ok])) - 1, -180.0),
        max(float(np.min(lat[ok])) - 1, -90.0),
        min(float(np.max(lon[ok])) + 1, 180.0),
        min(float(np.max(lat[ok])) + 1, 90.0),
    )
    return View(proj, (xmin, xmax), (ymin, ymax), bounds, parallels)


def frame_outline(view: View) -> np.ndarray:
    """Return the map rectangle of ``view`` as a closed ring of ``(lon, lat)`` rows.

    Examples
    --------
    >>> ring = frame_outline(fit_view((40.0, 38.0, 50.0, 44.0), 16 / 9))
    >>> bool((ring[0] == ring[-1]).all()), bool(ring[:, 0].min() < 40.0 < 50.0 < ring[:, 0].max())
    (True, True)
    """
    (x0, x1), (y0, y1) = view.xlim, view.ylim
    lon, lat = view.inverse.transform(*_rectangle(x0, y0, x1, y1))
    ring = np.column_stack([lon, lat])
    ring = ring[np.isfinite(ring).all(axis=1)]
    return np.vstack([ring, ring[:1]])


#: A locator inset shows about this many times the frame's width, at least :data:`_LOCATOR_MIN`
#: degrees of longitude; a frame wider than :data:`_LOCATOR_MAX` degrees needs no inset.
_LOCATOR_ZOOM_OUT = 4.0
_LOCATOR_MIN = 40.0
_LOCATOR_MAX = 150.0


def locator_extent(outline: np.ndarray) -> BBox | None:
    """Return the longitude/latitude extent of a locator inset around a frame's outline.

    About :data:`_LOCATOR_ZOOM_OUT` times as wide as the frame and half as high as wide, moved
    to stay between 180 W and 180 E and 70 S and 85 N; None for a frame too wide to need one.

    Examples
    --------
    >>> ring = np.array([(44.0, 39.0), (47.0, 39.0), (47.0, 41.0), (44.0, 41.0), (44.0, 39.0)])
    >>> locator_extent(ring)
    (25.5, 30.0, 65.5, 50.0)
    >>> locator_extent(np.array([(-170.0, -50.0), (170.0, 60.0)])) is None
    True
    """
    (xmin, ymin), (xmax, ymax) = outline.min(axis=0), outline.max(axis=0)
    if xmax - xmin > _LOCATOR_MAX:
        return None
    width = min(max((xmax - xmin) * _LOCATOR_ZOOM_OUT, _LOCATOR_MIN), 360.0)
    height = min(max(width / 2, (ymax - ymin) * 1.5), 155.0)
    lon0 = min(max((xmin + xmax) / 2, -180 + width / 2), 180 - width / 2)
    lat0 = min(max((ymin + ymax) / 2, -70 + height / 2), 85 - height / 2)
    return (
        float(lon0 - width / 2),
        float(lat0 - height / 2),
        float(lon0 + width / 2),
        float(lat0 + height / 2),
    )


def nice_distance(km: float) -> float:
    """Return the largest 1, 2 or 5 times a power of ten not above ``km``.

    Examples
    --------
    >>> nice_distance(437.0), nice_distance(0.7), nice_distance(2000.0)
    (200.0, 0.5, 2000.0)
    """
    if km <= 0:
        msg = f"km must be positive, got {km}"
        raise ValueError(msg)
    power = 10.0 ** math.floor(math.log10(km))
    return max(step * power for step in (1.0, 2.0, 5.0) if step * power <= km)


def ground_km(view: View, x0: float, x1: float, y: float) -> float:
    """Return the geodesic length in km of the horizontal map segment from (x0, y) to (x1, y)."""
    lon, lat = view.inverse.transform([x0, x1], [y, y])
    return float(GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2]) / 1000.0


def _on_the_globe(view: View, x0: float, x1: float, y: float) -> float:
    """Return ``y``, or the frame's middle row if the bar at ``y`` would be off the globe.

    A map of the whole world widened to a slide's shape reaches past the poles, where the
    projection has no ground to measure; the bar is then measured across the middle of the map.

    Raises
    ------
    ValueError
        If the middle row is off the globe too (no map of the bundled data is).
    """
    for at in (y, (view.ylim[0] + view.ylim[1]) / 2):
        if math.isfinite(ground_km(view, x0, x1, at)):
            return at
    msg = f"the map's middle row is off the globe: {view.xlim}, {view.ylim}"
    raise ValueError(msg)


def scale_bar(view: View, x0: float, y: float, fraction: float = 0.2) -> tuple[float, float]:
    """Return a scale bar starting at map point (x0, y): its length in map metres and in km.

    The bar's ground length is measured on the ellipsoid at the place it is drawn, so it is true
    there whatever the projection's scale factor; its length is a round number of km no longer
    than ``fraction`` of the map width.
    """
    trial = (view.xlim[1] - view.xlim[0]) * fraction
    y = _on_the_globe(view, x0, x0 + trial, y)
    km = nice_distance(ground_km(view, x0, x0 + trial, y))
    length = trial
    # The scale changes a little along the bar: two secant steps settle it to well under 0.1 %.
    for _ in range(2):
        length *= km / ground_km(view, x0, x0 + length, y)
    return length, km


class LabelPlacer:
    """Keep placed labels from overlapping each other, the legend or the frame's edge.

    Boxes are in display units (pixels of the figure); ``pad`` keeps a gap around each one.
    Names one above the other keep ``leading`` of an em apart (:meth:`fits_all`).
    """

    def __init__(self, frame: Bbox, pad: float, leading: float = 0.0) -> None:
        self.frame = frame
        self.pad = pad
        self.leading = leading
        #: Every box taken, one ``x0, y0, x1, y1`` row each: a crowded map tries thousands of
        #: positions against hundreds of markers and names, so they are compared at once.
        self.taken = np.empty((0, 4))
        #: The names placed, ``x0, y0, x1, y1, em`` each, unpadded: a name on the same line of
        #: text keeps an em from them (:meth:`fits`).
        self.names = np.empty((0, 5))

    def block(self, box: Bbox) -> None:
        """Mark a region (legend, scale bar) that labels must avoid."""
        padded = box.padded(self.pad)
        self.taken = np.vstack([self.taken, [padded.x0, padded.y0, padded.x1, padded.y1]])

    def unblock(self, box: Bbox) -> None:
        """Free a region :meth:`block` marked (a scale bar moved out of the detail inset's way)."""
        padded = box.padded(self.pad)
        row = [padded.x0, padded.y0, padded.x1, padded.y1]
        self.taken = self.taken[~np.isclose(self.taken, row).all(axis=1)]

    def fits(self, box: Bbox, em: float = 0.0) -> bool:
        """Return whether ``box`` lies inside the frame and clear of everything taken.

        The rule is :meth:`fits_all`'s, for one box.
        """
        return bool(self.fits_all(np.array([box.extents]), em)[0])

    def fits_all(self, boxes: np.ndarray, em: float = 0.0) -> np.ndarray:
        """Return which of ``boxes`` (``x0, y0, x1, y1`` rows) lie in the frame, clear of all taken.

        A name ``em`` pixels high also keeps at least an em (its own or the other's, the larger)
        from each name beside it on the same line of text, as a typesetter spaces words: two
        names closer than a letter read as one phrase ("Ethiopia South Sudan"). One above or
        below a name, sharing some of its width, keeps :attr:`leading` of that em from it: set
        closer it reads as the name's second line ("Nakhchivan" over "Syunik"). The boxes are
        compared at once: a name tried at hundreds of points of a state costs one step.
        """
        bx0, by0, bx1, by1 = (boxes[:, i : i + 1] for i in range(4))
        frame, pad = self.frame, self.pad
        ok = (
            (bx0[:, 0] >= frame.x0 + pad)
            & (bx1[:, 0] <= frame.x1 - pad)
            & (by0[:, 0] >= frame.y0 + pad)
            & (by1[:, 0] <= frame.y1 - pad)
        )
        x0, y0, x1, y1 = self.taken.T
        ok &= ~((bx0 <= x1) & (x0 <= bx1) & (by0 <= y1) & (y0 <= by1)).any(axis=1)
        return ok & self.apart_from_names(boxes, em)

    def apart_from_names(self, boxes: np.ndarray, em: float = 0.0) -> np.ndarray:
        """Return which of ``boxes`` keep from the names placed as :meth:`fits_all` has them.

        An em beside each and :attr:`leading` above or below, whatever else is taken: a name
        turned along its area keeps off the markers by its own outline, not its upright box
        (:meth:`corridors.printmap.placement.Labeller.inside`).
        """
        bx0, by0, bx1, by1 = (boxes[:, i : i + 1] for i in range(4))
        ok = np.ones(len(boxes), dtype=bool)
        x0, y0, x1, y1, other_em = self.names.T
        same_line = (by0 < y1) & (y0 < by1)
        gap = np.maximum(x0 - bx1, bx0 - x1)
        ok &= ~(same_line & (gap < np.maximum(other_em, em))).any(axis=1)
        if self.leading:
            same_column = (bx0 < x1) & (x0 < bx1)
            apart = np.maximum(y0 - by1, by0 - y1)
            ok &= ~(same_column & (apart < self.leading * np.maximum(other_em, em))).any(axis=1)
        return ok

    def take(self, box: Bbox, em: float = 0.0) -> None:
        """Record a placed label ``em`` pixels high."""
        self.block(box)
        self.names = np.vstack([self.names, [box.x0, box.y0, box.x1, box.y1, em]])
