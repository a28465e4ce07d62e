"""The page: load everything, draw the sidebar and the map, then one tab per panel.

A panel is a title and a function of :class:`PageContext`; adding one is one entry in the list
``app.py`` passes to :func:`run`. Only the open tab is drawn (see :class:`Panel`).

The order of a run matters: a shared link is read into session state before any widget exists;
the map, drawn above the tabs, reads the panels' choices (year, closures, upload) from session
state before their widgets are drawn; and the address bar is rewritten last, from everything the
run ended with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from corridors.data import CorridorDataError, Dataset
from corridors.figures import format_date
from corridors.geometry import StateIndex
from corridors.model import Analysis, Route
from corridors.network import Network, PairResult
from corridors.places import Place
from corridors.policy.closures import ClosureResult, Exposure, closable_states
from corridors.policy.describe import describe_view
from corridors.policy.tour import Tour
from corridors.text import escape_markdown
from corridors.ui import (
    cached,
    network_panel,
    presentation,
    state,
    tour_panel,
    upload_panel,
    whatif_panel,
    widgets,
)
from corridors.view import ViewState
from corridors.webmap.assets import AssetsMissingError
from corridors.webmap.assets import check as check_assets

#: The page's heading and the line under it.
TITLE = "Eurasia's new trade corridors"
SUBTITLE = "Which states each route crosses, and which it goes around."


@dataclass(frozen=True)
class PageContext:
    """What every panel gets: shared read-only data, the sidebar's and the panels' choices."""

    paths: cached.Paths
    dataset: Dataset
    analyses: Mapping[str, Analysis]
    states: gpd.GeoDataFrame
    index: StateIndex
    states_display: gpd.GeoDataFrame
    #: What the viewer sees, as the sidebar and the panels' choices left it before this run's
    #: panels were drawn, and the ids of the corridors it shows.
    view: ViewState
    visible: tuple[str, ...]
    #: What each leg depends on, for the what-if panel.
    exposure: Exposure
    tour: Tour
    #: The what-if closures in force, the timeline year (None: today) and the uploaded route.
    closures: ClosureResult
    year: int | None
    upload: upload_panel.YourRoute
    #: The corridor network (None if the data folder has none), and every OD pair's route under
    #: the closures, for the What-if tab and the map.
    network: Network | None
    detours: tuple[PairResult, ...]
    #: What each route crosses in the year the map shows: ``analyses`` when it shows today.
    shown_analyses: Mapping[str, Analysis]
    #: The seas, regions and straits the map names.
    places: tuple[Place, ...]


@dataclass(frozen=True)
class Panel:
    """A tab under the map: its title, the function that draws it, and how it reruns.

    Only the open tab is drawn, so a first load fetches the browser code of one panel's
    elements (a data grid, a chart, a slider), not of seven; switching tabs reruns the page.
    A widget whose value the page reads keeps it while its tab is closed
    (``persist_state="session"``), and an uploaded file is kept by the session
    (:func:`corridors.ui.upload_panel.keep_upload`). Downloads are bytes kept by this
    session, so a tab switched away from and back offers the same file.
    """

    title: str
    show: Callable[[PageContext], object]
    #: Its widgets change nothing outside it (no view key, nothing the map reads), so they
    #: rerun only the panel (``st.fragment``), not the map: a download or a "Make PNG" pressed
    #: there is answered without a run of the whole page.
    alone: bool = False
    #: It starts the tour: while it is open, the step's column beside the map is there before
    #: the tour starts (with the tour's outline), so starting it does not narrow the map as
    #: the step's box reaches it, which would fit the box a second time.
    tour: bool = False


def run(
    panels: Sequence[Panel], *, static_dir: Path, title: str = TITLE, subtitle: str = SUBTITLE
) -> None:
    """Draw the whole page, or the error that stops it: malformed data, or the map's files missing.

    Parameters
    ----------
    panels
        The tabs under the map, in order.
    static_dir
        The folder Streamlit serves at ``/app/static``, built before serving; only read here.
    title, subtitle
        The page's heading and the line under it, left out in presentation mode.
    """
    # Always first and always there, whatever the mode: the map below keeps its place on the
    # page (an element that moves is a new element to Streamlit, and the map would reload).
    # The first screen holds the title row, a running tour's bar and the map row.
    screen = st.container(key=presentation.FIRST_SCREEN)
    head = screen.container(key="page_head")
    with head:
        st.html(presentation.STYLES / "page.css")
        present = presentation.presentation_requested(st.query_params)
        presentation.apply_presentation(present)
        if not present:
            presentation.apply_map_height(widgets.MAP_HEIGHT_PX)
    paths = cached.paths_from_env()
    try:
        stamp = cached.data_stamp(paths)
        dataset = cached.dataset(paths, stamp)
        analyses = cached.analyses(paths, stamp)
        states = cached.states(paths.boundaries)
        tour = cached.guided_tour(paths, stamp)
        network = cached.network(paths, stamp)
    except CorridorDataError as exc:
        problems = "\n".join(f"- {escape_markdown(p)}" for p in exc.problems)
        st.error(f"The corridor data is malformed; fix these and reload:\n\n{problems}")
        return
    try:
        boundaries = paths.boundaries
        basemap_file = check_assets(
            static_dir, cached.basemap(boundaries), cached.names(boundaries)
        ).as_posix()
    except AssetsMissingError as exc:  # a blank map would say nothing
        st.error(escape_markdown(str(exc)))
        return
    if not dataset.corridors:
        st.warning(f"No corridors found in {escape_markdown(paths.data_dir / 'routes')}.")
        return
    notices = state.restore_from_url(
        dataset, closable_states=[s.iso3 for s in closable_states(analyses.values())], tour=tour
    )
    state.init_state(dataset)
    for notice in notices:
        st.warning(escape_markdown(notice))
    with head:
        present = _title_row(title, subtitle, dataset, tour)
    widgets.sidebar(dataset)
    view = state.current_view(dataset)
    exposure = cached.exposure(paths, stamp)
    index = cached.state_index(paths.boundaries)
    year = view.year
    context = PageContext(
        paths=paths,
        dataset=dataset,
        analyses=analyses,
        states=states,
        index=index,
        states_display=cached.display_states(paths.boundaries),
        view=view,
        visible=view.shown([r.id for r in dataset.corridors]),
        exposure=exposure,
        tour=tour,
        closures=whatif_panel.current_closures(exposure, network),
        year=year,
        upload=upload_panel.your_route(dataset, cached.upload_pool(paths.boundaries)),
        network=network,
        detours=() if network is None else network_panel.current_detours(network, year),
        shown_analyses=analyses if year is None else cached.analyses_in_year(paths, stamp, year),
        places=cached.places(paths, stamp),
    )
    titles = [p.title for p in panels]
    if state.PANEL not in st.session_state:
        st.session_state[state.PANEL] = state.first_panel(titles, context.dataset)
    tour_open = any(p.tour and p.title == st.session_state[state.PANEL] for p in panels)
    _map_and_tour(context, screen, present=present, tour_open=tour_open, basemap_file=basemap_file)
    _map_in_words(context)
    _panels(panels, context)
    state.sync_url(dataset)


def _panels(panels: Sequence[Panel], context: PageContext) -> None:
    """Draw the tabs and, in the open one, its panel.

    The open tab's title is a session key (set by :func:`run` before the map): a link opens
    on the tab that explains it, and a switch reruns the page, which draws only the tab
    switched to.
    """
    titles = [p.title for p in panels]
    tabs = st.tabs(titles, key=state.PANEL, on_change="rerun")
    for tab, panel in zip(tabs, panels, strict=True):
        if not tab.open:
            continue
        with tab:
            if panel.alone:
                _alone(panel, context)
            else:
                panel.show(context)


@st.fragment
def _alone(panel: Panel, context: PageContext) -> None:
    """Draw a panel whose widgets rerun only it, with the context of the page's last run."""
    panel.show(context)


def _title_row(title: str, subtitle: str, dataset: Dataset, tour: Tour) -> bool:
    """Draw the title and subtitle, or when presenting "Start the tour", beside the toggle.

    Presenting, the Tour tab is a scroll below the map; the button here starts the tour while
    none runs. Returns whether the page is in presentation mode.
    """
    words, toggle = st.columns([3, 1], vertical_alignment="center")
    if not st.session_state.get(state.PRESENTATION):
        words.title(title, anchor=False)
        words.caption(subtitle)
    else:
        with words:
            tour_panel.show_tour_start(dataset, tour)
    with toggle:
        return presentation.presentation_toggle()


def _map_and_tour(
    context: PageContext,
    screen: DeltaGenerator,
    *,
    present: bool,
    tour_open: bool,
    basemap_file: str,
) -> None:
    """Draw a running tour's step above the map (presenting) or beside it, and the map.

    Outside presentation mode the step's column is there while the tour runs or its tab is
    open (``tour_open``), so the tour started from its tab keeps the map's size.

    Every container here is always there, empty or not, so the map keeps its place on the
    page: an element that moves is a new element to Streamlit, and the map would be loaded
    again from nothing. The step's column is hidden by the page's style sheet while empty.
    All of it is in the first ``screen``, which presentation mode fits to the window.
    """
    with screen, st.container(key="tour_bar"):
        if present:
            tour_panel.show_tour_bar(context.dataset, context.tour)
    with screen, st.container(key=presentation.MAP_ROW):
        map_column, step_column = st.columns([5, 2], gap="medium")
    with map_column:
        _map(context, basemap_file=basemap_file)
    if not present:
        with step_column:
            tour_panel.show_tour_beside(context.dataset, context.tour, outline=tour_open)


def _map(context: PageContext, *, basemap_file: str) -> None:
    """Draw the map; ``basemap_file`` is the basemap's path in the static folder."""
    extra: list[Route] = []
    if context.upload.uploaded is not None:
        extra.append(context.upload.uploaded[0])
    network_layers, network_legend = network_panel.map_layers(context)
    widgets.corridor_map(
        context.dataset,
        context.shown_analyses,
        context.states_display,
        context.view,
        visible=context.visible,
        closures=context.closures,
        extra_routes=extra,
        extra_layers=network_layers,
        extra_legend=network_legend,
        basemap_file=basemap_file,
        places=context.places,
        words=_step_words(context),
    )


def _step_words(context: PageContext) -> str:
    """Return the words of the tour step shown beside the map ("": no step shown)."""
    index = context.view.tour_step
    if index is None or not 0 <= index < len(context.tour.steps):
        return ""
    step = context.tour.steps[index]
    return f"{step.title}\n{step.narrative}"


def _map_in_words(context: PageContext) -> None:
    """Draw, under the map's row, the same view in words for screen readers, and the data's date.

    Outside the first screen, so presentation mode gives the map all of the window.
    """
    text = describe_view(
        context.view,
        context.dataset,
        context.shown_analyses,
        closures=context.closures,
        user_routes=() if context.upload.uploaded is None else (context.upload.uploaded,),
    )
    # Folded under the map, so the tabs stay near the first screen; screen readers reach it by
    # its title and open it as anyone else does.
    with st.expander("The map in words"):
        st.caption(escape_markdown(text))
    as_of = format_date(context.dataset.as_of)
    st.caption(f"Data as of {as_of}: the newest leg status confirmed by a source.")
