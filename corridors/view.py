"""Every choice the viewer makes, as a URL query string, so a link reopens the same view.

A link comes from outside: :func:`from_query` never raises on what it finds there. Anything
unknown or malformed is dropped, and anything out of range is brought into range, each with a
notice the page can show: a link never shows something other than what it says in silence.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

#: Years a link may ask for; the same bounds the data files accept (``model.LegProperties``).
YEAR_RANGE = (1850, 2100)
#: Zoom levels Leaflet's default tiles serve.
ZOOM_RANGE = (1, 18)
#: The map snaps its zoom to halves (``zoomSnap``), so a link keeps halves and rounds to them.
ZOOM_STEP = 0.5
#: Decimal places kept for the map centre: 1e-4 degrees is about 11 m, finer than any screen.
CENTER_DECIMALS = 4
#: Names of the map's parameters: a link carries both or neither (a centre needs a zoom).
CENTER_PARAM = "center"
ZOOM_PARAM = "zoom"
#: Presentation mode, which the page reads before anything else (``ui.presentation``).
PRESENT_PARAM = "present"
#: Longer values are not read at all: no real link needs them.
MAX_VALUE_CHARS = 2000
#: Notices past this many are counted in one last notice: each becomes a warning on the page.
MAX_NOTICES = 20

_INT = re.compile(r"^-?\d{1,7}$", re.ASCII)
#: Spaces a link may carry around a value: ASCII only. ``str.strip`` also removes characters that
#: ``int`` and ``float`` refuse (such as U+001F), so a value is stripped of these, once, and the
#: stripped text is both matched and parsed.
_SPACE = " \t\r\n"
_ISO3 = re.compile(r"^[A-Z]{3}$")
#: Values of a yes/no parameter (``present``), lower-cased: on, and off. Others are dropped.
FLAG_ON = frozenset({"1", "true", "yes", "on"})
FLAG_OFF = frozenset({"0", "false", "no", "off", ""})


@dataclass(frozen=True)
class ViewState:
    """What the dashboard shows.

    ``corridors`` None means the default set (every corridor), while an empty tuple means none;
    ``baselines`` draws the baselines of the corridors shown; ``tour_step`` counts from 0 and is
    shown to people from 1; ``center`` is (lat, lon); ``tiles`` puts web map tiles behind the
    states. ``bounds`` is the map's extent on screen (west, south, east, north), as the map
    reports it: it depends on the screen, so a link carries the centre and zoom instead.
    """

    corridors: tuple[str, ...] | None = None
    baselines: bool = True
    selected: str | None = None
    year: int | None = None
    closed_states: tuple[str, ...] = ()
    closed_chokepoints: tuple[str, ...] = ()
    closed_legs: tuple[str, ...] = ()
    tour_step: int | None = None
    center: tuple[float, float] | None = None
    zoom: float | None = None
    presentation: bool = False
    tiles: bool = False
    bounds: tuple[float, float, float, float] | None = None

    def shown(self, corridor_ids: Sequence[str]) -> tuple[str, ...]:
        """Return the ids of the corridors this view draws, in the order given.

        Examples
        --------
        >>> ViewState().shown(["a", "b"]), ViewState(corridors=("b",)).shown(["a", "b"])
        (('a', 'b'), ('b',))
        """
        return tuple(i for i in corridor_ids if self.corridors is None or i in self.corridors)


def with_map(view: ViewState, center: tuple[float, float] | None, zoom: float | None) -> ViewState:
    """Return the view with a new map centre (rounded, so links stay short) and zoom."""
    if center is not None:
        center = (round(center[0], CENTER_DECIMALS), round(center[1], CENTER_DECIMALS))
    return replace(view, center=center, zoom=zoom)


def to_query(view: ViewState) -> dict[str, str | list[str]]:
    """Return the query parameters for a view, leaving out everything at its default.

    Examples
    --------
    >>> to_query(ViewState(corridors=("btk", "tripp"), selected="btk", year=2017))
    {'on': 'btk,tripp', 'corridor': 'btk', 'year': '2017'}
    """
    query: dict[str, str | list[str]] = {}
    if view.corridors is not None:
        query["on"] = ",".join(view.corridors)
    if not view.baselines:
        query["baselines"] = "0"
    if view.selected is not None:
        query["corridor"] = view.selected
    if view.year is not None:
        query["year"] = str(view.year)
    if view.closed_states:
        query["closed_states"] = ",".join(view.closed_states)
    if view.closed_chokepoints:
        query["closed_chokepoints"] = ",".join(view.closed_chokepoints)
    if view.closed_legs:
        query["closed_legs"] = ",".join(view.closed_legs)
    if view.tour_step is not None:
        query["step"] = str(view.tour_step + 1)
    if view.center is not None:
        query[CENTER_PARAM] = f"{view.center[0]!r},{view.center[1]!r}"
    if view.zoom is not None:
        query[ZOOM_PARAM] = f"{view.zoom:g}"
    if view.tiles:
        query["tiles"] = "1"
    if view.presentation:
        query[PRESENT_PARAM] = "1"
    return query


def _shown(value: Any, width: int = 40) -> str:
    """Quote a value from a link for a notice, cut short: it may be anything."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


class _Reader:
    """Reads one parameter at a time, collecting a notice for everything it drops."""

    def __init__(self, params: Mapping[Any, Any]) -> None:
        self.notices: list[str] = []
        self.values: dict[str, str] = {}
        for key, raw in params.items():
            values = list(raw) if isinstance(raw, list | tuple) else [raw]
            if not isinstance(key, str) or not all(isinstance(v, str) for v in values):
                self.notices.append(f"Ignored the link parameter {_shown(key)}: it is not text.")
            elif any(len(v) > MAX_VALUE_CHARS for v in values):
                self.notices.append(f"Ignored the link parameter {_shown(key)}: it is too long.")
            elif key in _KEYS:
                # A repeated list parameter adds up; a repeated single one keeps its last value.
                self.values[key] = ",".join(values) if key in _LIST_KEYS else (values or [""])[-1]
            else:
                self.notices.append(f"Ignored the unknown link parameter {_shown(key)}.")

    def drop(self, key: str, value: str, why: str) -> None:
        self.notices.append(f"Ignored {key}={_shown(value)} from the link: {why}.")

    def ids(
        self, key: str, known: Collection[str] | None, what: str, *, codes: bool = False
    ) -> tuple[str, ...] | None:
        if key not in self.values:
            return None
        kept: list[str] = []
        dropped: set[str] = set()
        for part in self.values[key].split(","):
            item = part.strip().upper() if codes else part.strip()
            if not item or item in kept or item in dropped:
                continue
            if (codes and not _ISO3.match(item)) or (known is not None and item not in known):
                self.drop(key, item, f"not a known {what}")
                dropped.add(item)
            else:
                kept.append(item)
        return tuple(kept)

    def choice(self, key: str, known: Collection[str]) -> str | None:
        value = self.values.get(key)
        if value is None or value in known:
            return value
        self.drop(key, value, "not a known route")
        return None

    def integer(
        self, key: str, low: int, high: int, *, shown: tuple[int, int] | None = None
    ) -> int | None:
        """Read a whole number from ``low`` to ``high``, brought into ``shown`` with a notice."""
        value = self.values.get(key)
        if value is None:
            return None
        text = value.strip(_SPACE)
        if not (_INT.match(text) and low <= int(text) <= high):
            self.drop(key, value, f"not a whole number from {low} to {high}")
            return None
        number = int(text)
        if shown is not None and not shown[0] <= number <= shown[1]:
            kept = min(max(number, shown[0]), shown[1])
            self.notices.append(
                f"Showing {key}={kept} instead of {number} from the link: the data runs from "
                f"{shown[0]} to {shown[1]}."
            )
            return kept
        return number

    def center(self) -> tuple[float, float] | None:
        value = self.values.get(CENTER_PARAM)
        if value is None:
            return None
        try:
            lat, lon = (float(part) for part in value.split(","))
        except ValueError:
            lat = lon = float("nan")
        # abs() of NaN compares False, so NaN fails here too; inf fails the bound.
        if abs(lat) <= 90 and abs(lon) <= 180:
            return lat, lon
        self.drop(CENTER_PARAM, value, "not a latitude,longitude pair")
        return None

    def zoom(self) -> float | None:
        value = self.values.get(ZOOM_PARAM)
        if value is None:
            return None
        try:
            zoom = round(float(value) / ZOOM_STEP) * ZOOM_STEP
        except (ValueError, OverflowError):  # not a number, or infinite
            zoom = float("nan")
        low, high = ZOOM_RANGE
        if low <= zoom <= high:
            return int(zoom) if zoom.is_integer() else zoom
        self.drop(ZOOM_PARAM, value, f"not a zoom level from {low} to {high}")
        return None

    def flag(self, key: str, *, default: bool) -> bool:
        value = self.values.get(key)
        if value is None:
            return default
        if value.strip().lower() in FLAG_ON | FLAG_OFF:
            return value.strip().lower() in FLAG_ON
        self.drop(key, value, "not 1 or 0")
        return default


_LIST_KEYS = frozenset({"on", "closed_states", "closed_chokepoints", "closed_legs"})
#: ``corridor`` holds the selected corridor, as the first version of the dashboard's links did.
_KEYS = _LIST_KEYS | {
    "baselines",
    "corridor",
    "year",
    "step",
    CENTER_PARAM,
    ZOOM_PARAM,
    PRESENT_PARAM,
    "tiles",
}


def _map_view(read: _Reader) -> tuple[tuple[float, float] | None, float | None]:
    """Read the map's centre and zoom, which only make a view together."""
    center, zoom = read.center(), read.zoom()
    if (center is None) == (zoom is None):
        return center, zoom
    given, missing = (CENTER_PARAM, ZOOM_PARAM) if zoom is None else (ZOOM_PARAM, CENTER_PARAM)
    read.notices.append(
        f"Ignored {given}={_shown(read.values[given])} from the link: it needs a {missing} too."
    )
    return None, None


def from_query(
    params: Mapping[Any, Any],
    known_routes: Collection[str],
    known_chokepoints: Collection[str],
    *,
    known_states: Collection[str] | None = None,
    known_legs: Collection[str] | None = None,
    tour_length: int | None = None,
    years: tuple[int, int] | None = None,
    base: ViewState | None = None,
) -> tuple[ViewState, list[str]]:
    """Read a view from query parameters, dropping with a notice whatever is unknown or malformed.

    Parameters
    ----------
    params
        Parameter name to value or list of values, as ``st.query_params`` holds them.
    known_routes, known_chokepoints
        Ids a link may name.
    known_states
        ISO codes a link may close; None accepts any three-letter code.
    known_legs
        Ids of the legs a link may close; None accepts any id.
    tour_length
        Number of tour steps; None accepts any step number.
    years
        The first and last year the data can show: a year outside them is brought to the
        nearer one, with a notice. None keeps any year in :data:`YEAR_RANGE`.
    base
        What the view holds where the link says nothing (a tour step's view, say); None takes
        the defaults of :class:`ViewState`.

    Returns
    -------
    tuple
        The view, and one human-readable notice per parameter or value that was ignored (at
        most :data:`MAX_NOTICES`, the last counting the rest).
    """
    base = base or ViewState()
    read = _Reader(params)
    step = read.integer("step", 1, 10**6 if tour_length is None else tour_length)
    year = read.integer("year", *YEAR_RANGE, shown=years)
    closed_states = read.ids("closed_states", known_states, "state code", codes=True)
    closed_chokepoints = read.ids("closed_chokepoints", known_chokepoints, "chokepoint")
    closed_legs = read.ids("closed_legs", known_legs, "leg")
    center, zoom = _map_view(read)
    view = ViewState(
        corridors=read.ids("on", known_routes, "route") if "on" in read.values else base.corridors,
        baselines=read.flag("baselines", default=base.baselines),
        selected=read.choice("corridor", known_routes) or base.selected,
        year=base.year if year is None else year,
        closed_states=base.closed_states if closed_states is None else closed_states,
        closed_chokepoints=(
            base.closed_chokepoints if closed_chokepoints is None else closed_chokepoints
        ),
        closed_legs=base.closed_legs if closed_legs is None else closed_legs,
        tour_step=base.tour_step if step is None else step - 1,
        center=base.center if center is None else center,
        zoom=base.zoom if zoom is None else zoom,
        presentation=read.flag(PRESENT_PARAM, default=base.presentation),
        tiles=read.flag("tiles", default=base.tiles),
    )
    notices = read.notices
    if len(notices) > MAX_NOTICES:
        more = len(notices) - MAX_NOTICES + 1
        notices = [*notices[: MAX_NOTICES - 1], f"Ignored {more:,} more problems in the link."]
    return view, notices
