"""The session's view: every session key, spelled once, and the one way in and out of them.

What the viewer sees is a :class:`corridors.view.ViewState`. The session holds it in the keys
below, because Streamlit widgets keep their values under keys: widgets are created with these
keys and no ``value``/``index`` argument, so the session state is the one source of their
values, and callbacks may change it before the widgets render. :func:`current_view` reads the
whole view from the keys and :func:`apply_view` writes one into them; nothing else reads or writes
a view key by hand except the widget bound to it.

:func:`restore_from_url` turns a shared link into session state once per session, before any
widget is drawn; :func:`sync_url` writes the current view back into the address bar at the end
of every run, so the address is always a link to what is on screen. The map reports where it is
(centre, zoom and the bounds on screen) after every move, and :mod:`corridors.ui.widgets` writes
that in here with :func:`map_reported`; a move the page makes (a corridor picked, "End tour")
goes through :func:`move_map`, a tour step's box through :func:`fit_map`, and reaches the map
as a numbered move (:func:`map_move`), made once: the view the map reports is never sent back
to it. Each report says which move it answers, so one the map made before the page's last
move reached it is told apart by its number, not guessed from where it says the map is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial

import streamlit as st

from corridors.data import Dataset
from corridors.policy.timeline import year_bounds
from corridors.policy.tour import Tour, step_view
from corridors.printmap.cartography import BBox
from corridors.view import ViewState, from_query, to_query, with_map

#: What a move asks of the map: a view, ``((lat, lon), zoom)``, or a box, ``(west, south, east,
#: north)``, to fit on the map as it is on screen (a tour step: only the browser knows its size).
MoveTo = tuple[tuple[float, float], float] | BBox

# The sidebar and the map.
#: st_folium's key: streamlit-folium copies the map's last event here.
MAP_EVENT = "corridor_map"
#: The last click the map reported, ``(position, tooltip)``, to tell a new click from a repeat.
MAP_CLICK = "map_click"
#: Id of the corridor the analysis panel shows and the map highlights.
SELECTED = "selected_corridor"
SHOW_BASELINES = "show_baselines"
WEB_TILES = "web_tiles"
#: ``((lat, lon), zoom)`` where the map is, or None while it shows its own opening fit.
MAP_VIEW = "map_view"
#: What-if: count planned and unfinished lines as built when rerouting the network's pairs.
PLANNED_BUILT = "network_planned_built"
#: The map's bounds on screen, ``(west, south, east, north)``, as it last reported them.
MAP_BOUNDS = "map_bounds"
#: The session values a view moving the map wrote (:func:`apply_view`), kept until the map
#: reports that move: a rerun a report made before it started carries the widget values the
#: browser showed before that view, which would undo its toggles and selection.
VIEW_WRITTEN = "view_written"
#: The corridor selected before the view in :data:`VIEW_WRITTEN` replaced it: the picker's value
#: a browser that has not shown that view yet sends back with its next rerun.
VIEW_REPLACED = "view_replaced"
#: ``((lat, lon), zoom)`` the map opens at, fixed for the session (a link's view), or None to fit
#: the corridors. The map's script must not change as the view does, or the map would reload.
MAP_OPENING = "map_opening"
#: The last move the page made, ``(MoveTo, number)``, or None. The map makes each numbered move
#: once, so a view it reports is never sent back to it as a new one, and its reports carry the
#: number of the last move it made (:func:`map_reported`).
MAP_MOVE = "map_move"
#: What the map's fixed part was last drawn with (web tiles, presentation mode): a new one is
#: a new map, which opens where the session's map last was.
MAP_BASE = "map_base"
#: The corridor selected when nothing else says which.
DEFAULT_CORRIDOR = "middle-corridor"

# The panels.
#: Whether the timeline is on (a year is set) and its year.
YEAR_ON = "timeline_on"
YEAR = "timeline_year"
#: What-if closures: ISO codes, chokepoint ids and the ids of routes' legs.
CLOSED_STATES = "closed_states"
CLOSED_CHOKEPOINTS = "closed_chokepoints"
CLOSED_LEGS = "closed_legs"
#: Index of the tour step shown, or None when no tour is running.
TOUR_STEP = "tour_step"
#: The view before the tour started, which "End tour" puts back.
BEFORE_TOUR = "before_tour"
#: The controls' presses noted and not yet done, oldest first (see :func:`press`).
PRESSES = "presses"
#: Presentation mode; its toggle and style live in :mod:`corridors.ui.presentation`.
PRESENTATION = "presentation_mode"
#: The "Your route" panel: the file, the baseline it is compared with, and its mode.
UPLOAD_FILE = "upload_file"
#: The uploaded file as the session keeps it (``upload_panel.KeptFile``), or None: Streamlit
#: forgets the uploader's own file while its tab is closed.
UPLOAD_KEPT = "upload_kept"
UPLOAD_BASELINE = "upload_baseline"
UPLOAD_MODE = "upload_mode"
#: Lines drawn with the map's line tool, as GeoJSON bytes (``upload.drawing_to_geojson``), or
#: why the drawing the map sent cannot be read.
DRAWN_ROUTE = "drawn_route"
DRAWN_ERROR = "drawn_error"
#: The last file or drawing read in this session: ``(its key, upload_panel.YourRoute)``.
UPLOAD_READ = "upload_read"
#: Title of the tab under the map a session opens on.
PANEL = "panel"
#: What a link opens on, first to last: the tab that explains the view it carries. A tour step
#: comes first: its view may hold a year and closures, which the step's narrative explains.
_PANEL_FOR_LINK = (("tour", "Tour"), ("closures", "What-if"), ("year", "Timeline"))
#: Set once the URL has been read in this session, with what was ignored in it.
URL_READ = "url_read"
URL_NOTICES = "url_notices"


def visible_key(route_id: str) -> str:
    """Return the session key of a corridor's show/hide toggle."""
    return f"show_{route_id}"


def default_year(dataset: Dataset) -> int:
    """Return the year the slider starts at: this year, within the data's range."""
    first, last = year_bounds(dataset)
    return min(max(dt.date.today().year, first), last)


def init_state(dataset: Dataset) -> None:
    """Set every key's default once per session, and mend a selection the data no longer has."""
    ids = [r.id for r in dataset.corridors]
    session = st.session_state
    for route_id in ids:
        session.setdefault(visible_key(route_id), True)
    session.setdefault(SHOW_BASELINES, True)
    session.setdefault(WEB_TILES, False)
    session.setdefault(MAP_VIEW, None)
    session.setdefault(MAP_BOUNDS, None)
    session.setdefault(VIEW_WRITTEN, None)
    session.setdefault(MAP_OPENING, None)
    session.setdefault(MAP_MOVE, None)
    session.setdefault(MAP_BASE, None)
    session.setdefault(PLANNED_BUILT, False)
    fallback = DEFAULT_CORRIDOR if DEFAULT_CORRIDOR in ids else next(iter(ids), None)
    session.setdefault(SELECTED, fallback)
    # The data may have changed under a running session (a curator renamed a route).
    if session[SELECTED] not in ids:
        session[SELECTED] = fallback
    session.setdefault(YEAR_ON, False)
    session.setdefault(YEAR, default_year(dataset))
    session.setdefault(CLOSED_STATES, [])
    session.setdefault(CLOSED_CHOKEPOINTS, [])
    session.setdefault(CLOSED_LEGS, [])
    session.setdefault(TOUR_STEP, None)
    session.setdefault(BEFORE_TOUR, None)
    session.setdefault(PRESENTATION, False)
    session.setdefault(UPLOAD_BASELINE, None)
    session.setdefault(UPLOAD_MODE, "rail")


def selected() -> str | None:
    """Return the selected corridor's id."""
    return st.session_state.get(SELECTED)


def first_panel(titles: Sequence[str], dataset: Dataset) -> str:
    """Return the tab a session opens on: the one that explains what its link shows."""
    shown = current_view(dataset)
    carried = {
        "closures": bool(shown.closed_states or shown.closed_chokepoints or shown.closed_legs),
        "year": shown.year is not None,
        "tour": shown.tour_step is not None,
    }
    wanted = [title for what, title in _PANEL_FOR_LINK if carried[what] and title in titles]
    return (wanted or list(titles))[0]


def apply_view(view: ViewState, dataset: Dataset, *, fit: BBox | None = None) -> None:
    """Write a view into session state; call it before the widgets are drawn (or in a callback).

    The map goes to the view's centre and zoom or, given ``fit``, fits that box instead (a tour
    step). The map's bounds on screen are not part of a view that comes from elsewhere: they
    are forgotten until the map reports them for the new view. What is written is kept until
    the map reports that move, for :func:`map_reported` to write again over a rerun a report
    made before it started (with the widget values the browser showed before this view).
    """
    session = st.session_state
    replaced = session.get(SELECTED)
    first, last = year_bounds(dataset)
    shown = view.shown([r.id for r in dataset.corridors])
    values: dict[str, object] = {visible_key(r.id): r.id in shown for r in dataset.corridors}
    values |= {
        SHOW_BASELINES: view.baselines,
        YEAR_ON: view.year is not None,
        CLOSED_STATES: list(view.closed_states),
        CLOSED_CHOKEPOINTS: list(view.closed_chokepoints),
        CLOSED_LEGS: list(view.closed_legs),
        TOUR_STEP: view.tour_step,
        PRESENTATION: view.presentation,
        WEB_TILES: view.tiles,
    }
    if view.selected is not None:
        values[SELECTED] = view.selected
    if view.year is not None:
        values[YEAR] = min(max(view.year, first), last)
    session.update(values)
    if fit is not None:
        moved = fit_map(fit)
    elif view.center is not None and view.zoom is not None:
        moved = move_map(view.center, view.zoom)
    else:
        moved = False
    if moved:
        session[VIEW_WRITTEN] = values
        session[VIEW_REPLACED] = replaced


def current_view(dataset: Dataset) -> ViewState:
    """Return the view the session state describes (all corridors on is the default, None)."""
    session = st.session_state
    visible = tuple(r.id for r in dataset.corridors if session.get(visible_key(r.id), True))
    map_view = session.get(MAP_VIEW)
    center, zoom = map_view if map_view is not None else (None, None)
    view = ViewState(
        corridors=None if len(visible) == len(dataset.corridors) else visible,
        baselines=bool(session.get(SHOW_BASELINES, True)),
        selected=session.get(SELECTED),
        year=session[YEAR] if session.get(YEAR_ON) else None,
        closed_states=tuple(session.get(CLOSED_STATES, ())),
        closed_chokepoints=tuple(session.get(CLOSED_CHOKEPOINTS, ())),
        closed_legs=tuple(session.get(CLOSED_LEGS, ())),
        tour_step=session.get(TOUR_STEP),
        presentation=bool(session.get(PRESENTATION, False)),
        tiles=bool(session.get(WEB_TILES, False)),
        bounds=session.get(MAP_BOUNDS),
    )
    # The map reports its centre to the last bit; a link keeps it to about 11 m.
    return with_map(view, center and (float(center[0]), float(center[1])), zoom)


def move_map(center: tuple[float, float], zoom: float) -> bool:
    """Move the map from the page (a link, "End tour", a corridor picked), not by the user.

    Its bounds on screen are forgotten until the map reports them for the new view. Returns
    whether a move was ordered: none when the map is there already, unless the last move was
    a box to fit. The map keeps that fitted until the page's next move, and may not have
    fitted it yet (a frame not laid out): where it reported it was is not where it stays.
    """
    session = st.session_state
    here, last = session.get(MAP_VIEW), session.get(MAP_MOVE)
    fitting = last is not None and len(last[0]) == 4
    if here is not None and not fitting and _same_view(here, (center, zoom)):
        return False
    _order_move((center, zoom))
    session[MAP_VIEW] = (center, zoom)  # last: done again after a cut, the move is ordered
    return True


def fit_map(box: BBox) -> bool:
    """Fit a box on the map from the page (a tour step), in one move the browser makes.

    The map's size on screen is known only in the browser, so the page does not guess the
    view: where the map went is unknown until it reports it. Returns True (a move is ordered).
    """
    st.session_state[MAP_VIEW] = None
    _order_move(box)
    return True


def _order_move(to: MoveTo) -> None:
    """Give the map a numbered move to make once (see :data:`MAP_MOVE`).

    The bounds on screen and what an earlier move wrote are forgotten with the view they were of.
    """
    session = st.session_state
    last = session.get(MAP_MOVE)
    session[MAP_MOVE] = (to, 1 if last is None else last[1] + 1)
    session[MAP_BOUNDS] = None
    session[VIEW_WRITTEN] = None


def map_move(base: object) -> tuple[MoveTo, int] | None:
    """Return the move the map is to make: the last the page made, by its number.

    ``base`` is what the map's fixed part is drawn with. When it differs from the last run's,
    the browser loads a new map, which opens where the session's link said: the move is then
    to where the map last was (or the fit it has not reported yet), as a new one, so the new
    map makes it.
    """
    session = st.session_state
    drawn, session[MAP_BASE] = session.get(MAP_BASE), base
    here, last = session.get(MAP_VIEW), session.get(MAP_MOVE)
    to = here if here is not None else (last[0] if last is not None else None)
    if drawn is not None and drawn != base and to is not None:
        written = session.get(VIEW_WRITTEN)
        _order_move(to)
        session[VIEW_WRITTEN] = written  # the same view, moved to again
    return session.get(MAP_MOVE)


def map_reported(
    center: tuple[float, float], zoom: float, bounds: BBox | None, answers: int | None
) -> None:
    """Record where the map is, as it reported it after the move numbered ``answers``.

    ``answers`` is the number of the last move the map had made (None: none yet, the map
    shows its opening view). A report answering an earlier move than the page's last was
    made before that move reached the map (the user pressed "End tour" while the map was
    still saying where the tour step had put it): taking it in would move the map back, so it
    is dropped, and the view that ordered the move is written again over the widget values
    the browser sent with it, which are those it showed before. Numbers, not places, tell
    it: the map passes through views the page never named (a step fitted, then fitted again
    as the page settles around it).

    A report of the view the session already holds, to within the pixel Leaflet snaps a centre
    by, keeps the session's centre: a link's ``center=41.17,44.87`` stays as written. Any other
    centre is kept as reported: passed back to the map unrounded, it does not move it.
    """
    session = st.session_state
    last = session.get(MAP_MOVE)
    if last is not None and (answers is None or answers < last[1]):
        session.update(session.get(VIEW_WRITTEN) or {})
        return
    reported, wanted = (center, zoom), session.get(MAP_VIEW)
    arrived = wanted is not None and _same_view(reported, wanted)
    session[VIEW_WRITTEN] = None
    session[MAP_VIEW] = wanted if arrived else reported
    session[MAP_BOUNDS] = bounds


def picked_by_user() -> bool:
    """Return whether the corridor picker's new value is the user's pick, not a stale browser's.

    Until the map reports the move a view made (:data:`VIEW_WRITTEN`), a rerun the browser
    started before that view reached it carries the picker's value from before
    (:data:`VIEW_REPLACED`), or the view's own once the map's late report in the same rerun
    has written the view back (:func:`map_reported`). Neither is a pick: the view is written
    again, and the map is left to make its move (a tour step's box), not centred on a corridor.
    """
    session = st.session_state
    written = session.get(VIEW_WRITTEN)
    if not written or SELECTED not in written:
        return True
    if session.get(SELECTED) not in (written[SELECTED], session.get(VIEW_REPLACED)):
        return True
    session.update(written)
    return False


def _same_view(a: tuple[tuple[float, float], float], b: tuple[tuple[float, float], float]) -> bool:
    """Whether two ``(centre, zoom)`` views are the same on screen, to within two pixels.

    Leaflet snaps a centre it is given to its pixel grid, so a view comes back a little off.

    Examples
    --------
    >>> _same_view(((40.0, 50.0), 5), ((40.004, 49.996), 5))
    True
    >>> _same_view(((40.0, 50.0), 5), ((40.0, 50.0), 4))
    False
    """
    (lat_a, lon_a), zoom_a = a
    (lat_b, lon_b), zoom_b = b
    pixel = 360 / (256 * 2**zoom_a)  # degrees of longitude per pixel (fewer of latitude)
    return zoom_a == zoom_b and abs(lat_a - lat_b) < 2 * pixel and abs(lon_a - lon_b) < 2 * pixel


def presses() -> list[Callable[[], None]]:
    """Return the session's list of presses not yet done, to hand to a control's :func:`press`."""
    waiting: list[Callable[[], None]] = st.session_state.setdefault(PRESSES, [])
    return waiting


def press(waiting: list[Callable[[], None]], action: Callable[[], None]) -> None:
    """Note ``action`` in ``waiting`` (:func:`presses`), to be done: a control's callback.

    Streamlit looks for a newer rerun request at every read and write of the session state,
    in callbacks too, and one waiting there (the map's report of a move, which follows a
    press within a second) ends the callback where it stands: the press was lost, or half
    done, and the next run does not call it again (the control's value is no longer new).
    Appending to a list reads and writes no session key, so a press whose callback starts is
    noted whole; :func:`do_presses` does it in the script, before any widget.
    """
    waiting.append(action)


def noting(action: Callable[[], None]) -> Callable[[], None]:
    """Return a control's callback that notes ``action`` whole (:func:`press`), to do later."""
    return partial(press, presses(), action)


def do_presses() -> None:
    """Do the presses noted, oldest first (the order of their callbacks); call it first.

    First in the run: before the URL is read (the presentation toggle's press writes it) and
    before any widget is drawn. A press is forgotten only once done: a run ended half-way
    through one (by a newer request) does it again, whole, in the next run.
    """
    waiting = st.session_state.get(PRESSES) or []
    while waiting:
        waiting[0]()
        waiting.pop(0)


def start_tour_step(dataset: Dataset, tour: Tour, index: int) -> None:
    """Show a tour step's view and fit its box; the first step remembers the view it replaces.

    A step with the same box as another step shown before it leaves the map where it is (the
    viewer may have moved it since). Done again after a run ended half-way through it
    (:func:`do_presses`), it keeps the view it remembered, and fits the box again.
    """
    current = current_view(dataset)
    if current.tour_step is None and st.session_state.get(BEFORE_TOUR) is None:
        st.session_state[BEFORE_TOUR] = current
    shown = current.tour_step
    box = tour.steps[index].bounds
    same = (
        shown is not None
        and shown != index
        and 0 <= shown < len(tour.steps)
        and tour.steps[shown].bounds == box
    )
    apply_view(step_view(tour, index, current), dataset, fit=None if same else box)


def end_tour(dataset: Dataset) -> None:
    """Stop the tour and put back the view from before it (presentation mode stays as it is)."""
    current = current_view(dataset)
    before = st.session_state.get(BEFORE_TOUR)
    if before is None:
        st.session_state[TOUR_STEP] = None
        return
    apply_view(replace(before, tour_step=None, presentation=current.presentation), dataset)
    st.session_state[BEFORE_TOUR] = None


def restore_from_url(
    dataset: Dataset, *, closable_states: Collection[str], tour: Tour
) -> list[str]:
    """Apply the link's view once per session; return what was ignored or changed in it.

    Call it before any widget is drawn. A link to a tour step opens that step's view, as its
    Next button would, with whatever else the link says on top (a link copied during a tour
    carries the step's view as the viewer left it). The map opens where the link says.
    """
    session = st.session_state
    if not session.get(URL_READ):
        params = {key: st.query_params.get_all(key) for key in st.query_params}

        def read(base: ViewState | None = None) -> tuple[ViewState, list[str]]:
            return from_query(
                params,
                [r.id for r in dataset.corridors],
                [cp.id for cp in dataset.chokepoints],
                known_states=closable_states,
                known_legs=[leg.id for r in dataset.routes.values() for leg in r.legs],
                tour_length=len(tour.steps),
                years=year_bounds(dataset),
                base=base,
            )

        view, notices = read()
        fit = None
        step = view.tour_step
        if step is not None:
            view, notices = read(step_view(tour, step, ViewState()))
            if view.center is None:  # a link to a step, not to where a viewer took its map
                fit = tour.steps[step].bounds
        init_state(dataset)
        apply_view(view, dataset)
        session[MAP_OPENING] = session[MAP_VIEW]
        session[MAP_MOVE] = None  # the map opens there
        if fit is not None:
            fit_map(fit)
        session[URL_READ] = True
        session[URL_NOTICES] = notices
    return list(session.get(URL_NOTICES, []))


def sync_url(dataset: Dataset) -> None:
    """Write the current view into the URL, touching it only when it changed."""
    query = to_query(current_view(dataset))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
