"""The whole view in session state and in the URL: the keys of the policy panels, spelled once.

The sidebar's keys live in :mod:`corridors.ui.state`; these are the ones the compare, what-if,
timeline, tour and upload panels add. :func:`restore_from_url` turns a shared link into session
state once per session, before any widget is drawn; :func:`sync_url` writes the current view back
into the address bar on every run, so the address is always a link to what is on screen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence

import streamlit as st

from corridors.data import Dataset
from corridors.policy.timeline import year_bounds
from corridors.ui import presentation, state
from corridors.view import ViewState, from_query, to_query

#: Whether the timeline is on (a year is set) and its year.
YEAR_ON = "timeline_on"
YEAR = "timeline_year"
#: What-if closures: ISO codes and chokepoint ids.
CLOSED_STATES = "closed_states"
CLOSED_CHOKEPOINTS = "closed_chokepoints"
#: Index of the tour step shown, or None when no tour is running.
TOUR_STEP = "tour_step"
#: Presentation mode, whose toggle and style live in :mod:`corridors.ui.presentation`.
PRESENTATION = presentation.KEY
#: The "Your route" panel: the file, the baseline it is compared with, and its mode.
UPLOAD_FILE = "upload_file"
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
#: What a link opens on, first to last: the tab that explains the view it carries.
_PANEL_FOR_LINK = (("closures", "What-if"), ("year", "Timeline"), ("tour", "Tour"))
#: Set once the URL has been read in this session, with what was ignored in it.
URL_READ = "url_read"
URL_NOTICES = "url_notices"


def default_year(dataset: Dataset) -> int:
    """Return the year the slider starts at: this year, within the data's range."""
    first, last = year_bounds(dataset)
    return min(max(dt.date.today().year, first), last)


def init_view_state(dataset: Dataset) -> None:
    """Set the panels' keys to their defaults once per session."""
    st.session_state.setdefault(YEAR_ON, False)
    st.session_state.setdefault(YEAR, default_year(dataset))
    st.session_state.setdefault(CLOSED_STATES, [])
    st.session_state.setdefault(CLOSED_CHOKEPOINTS, [])
    st.session_state.setdefault(TOUR_STEP, None)
    st.session_state.setdefault(PRESENTATION, False)
    st.session_state.setdefault(UPLOAD_BASELINE, None)
    st.session_state.setdefault(UPLOAD_MODE, "rail")


def first_panel(titles: Sequence[str], dataset: Dataset) -> str:
    """Return the tab a session opens on: the one that explains what its link shows."""
    shown = view_from_session(dataset)
    carried = {
        "closures": bool(shown.closed_states or shown.closed_chokepoints),
        "year": shown.year is not None,
        "tour": shown.tour_step is not None,
    }
    wanted = [title for what, title in _PANEL_FOR_LINK if carried[what] and title in titles]
    return (wanted or list(titles))[0]


def apply_view(view: ViewState, dataset: Dataset) -> None:
    """Write a view into session state; call it before the widgets are drawn (or in a callback)."""
    first, last = year_bounds(dataset)
    if view.corridors is not None:
        for route in dataset.corridors:
            st.session_state[state.visible_key(route.id)] = route.id in view.corridors
    st.session_state[state.SHOW_BASELINES] = view.baselines
    if view.selected is not None:
        st.session_state[state.SELECTED] = view.selected
    st.session_state[YEAR_ON] = view.year is not None
    if view.year is not None:
        st.session_state[YEAR] = min(max(view.year, first), last)
    st.session_state[CLOSED_STATES] = list(view.closed_states)
    st.session_state[CLOSED_CHOKEPOINTS] = list(view.closed_chokepoints)
    st.session_state[TOUR_STEP] = view.tour_step
    if view.center is not None and view.zoom is not None:
        st.session_state[state.MAP_VIEW] = (view.center, view.zoom)
    st.session_state[PRESENTATION] = view.presentation
    st.session_state[state.WEB_TILES] = view.tiles


def view_from_session(dataset: Dataset) -> ViewState:
    """Return the view the session state describes (all corridors on is the default, None)."""
    session = st.session_state
    visible = tuple(r.id for r in dataset.corridors if session.get(state.visible_key(r.id), True))
    map_view = session.get(state.MAP_VIEW)
    center, zoom = map_view if map_view is not None else (None, None)
    return ViewState(
        corridors=None if len(visible) == len(dataset.corridors) else visible,
        baselines=bool(session.get(state.SHOW_BASELINES, True)),
        selected=session.get(state.SELECTED),
        year=session[YEAR] if session.get(YEAR_ON) else None,
        closed_states=tuple(session.get(CLOSED_STATES, ())),
        closed_chokepoints=tuple(session.get(CLOSED_CHOKEPOINTS, ())),
        tour_step=session.get(TOUR_STEP),
        center=None if center is None else (float(center[0]), float(center[1])),
        zoom=zoom,
        presentation=bool(session.get(PRESENTATION, False)),
        tiles=bool(session.get(state.WEB_TILES, False)),
    )


def restore_from_url(
    dataset: Dataset, *, closable_states: Collection[str], tour_length: int
) -> list[str]:
    """Apply the link's view once per session; return what was ignored in it, for a notice.

    Call it before :func:`corridors.ui.state.init_state` and before any widget is drawn.
    """
    if not st.session_state.get(URL_READ):
        params = {key: st.query_params.get_all(key) for key in st.query_params}
        view, notices = from_query(
            params,
            [r.id for r in dataset.corridors],
            [cp.id for cp in dataset.chokepoints],
            known_states=closable_states,
            tour_length=tour_length,
        )
        init_view_state(dataset)
        apply_view(view, dataset)
        st.session_state[URL_READ] = True
        st.session_state[URL_NOTICES] = notices
    return list(st.session_state.get(URL_NOTICES, []))


def sync_url(dataset: Dataset) -> None:
    """Write the current view into the URL, touching it only when it changed."""
    query = to_query(view_from_session(dataset))
    if st.query_params.to_dict() != query:
        st.query_params.from_dict(query)
