"""The Export panel: the map as PNG, SVG, PDF or an offline page, and the data behind it.

Every file is made in a run of this session and handed to ``st.download_button`` as bytes:
Streamlit files such a download under the session while the button is drawn in each run.
A deferred download (``data`` a callable, made when pressed) belongs to no session, and cleanup
at the end of any other session's run deleted it, so under load the browser's fetch found a
404. The CSV and GeoJSON take milliseconds and are made in every run, once per selection. The
pictures and the page take a second or more, so a button makes them ("Make PNG") and then the
download sends them ("Download PNG (1920×1080)"); a change to anything the file is made from
turns it back into a button that says the file is out of date. A made file is kept in this
session's state, gone with the session, and for a few minutes for every session
(:func:`_made_for_all`): a class's projector and its students ask for the same view, and the
second gets the file at once. Pressing a download does not rerun the page
(``on_click="ignore"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import streamlit as st

from corridors import webmap
from corridors.data import Dataset
from corridors.export import (
    DEFAULT_SIZE,
    FORMATS,
    MIME_TYPES,
    SIZE_PRESETS,
    Size,
    analysis_csv,
    default_titles,
    file_stem,
    leaflet_bounds,
    render_snapshot,
    resolve_size,
    routes_geojson,
    standalone_html,
    view_extent,
)
from corridors.model import Analysis
from corridors.places import Place
from corridors.policy.closures import ClosureResult
from corridors.printmap.cartography import BBox
from corridors.printmap.snapshot import route_extent
from corridors.provenance import attribution, cited_sources
from corridors.ui.page import PageContext
from corridors.view import ViewState

CUSTOM = "custom"
#: Extent choices: what the user is looking at, or fitted to routes.
EXTENTS: dict[str, str] = {
    "view": "Current map view",
    "selected": "Fit the selected corridor",
    "visible": "Fit the corridors switched on",
}


def _size_form(key: str) -> Size | None:
    """Draw the size picker; return the size, or None (with an error shown) if it is invalid."""
    labels = {name: size.label for name, size in SIZE_PRESETS.items()} | {CUSTOM: "Custom size"}
    preset = st.selectbox(
        "Size",
        list(labels),
        format_func=labels.__getitem__,
        key=f"{key}_size",
        index=list(labels).index(DEFAULT_SIZE),
        persist_state="session",
    )
    if preset != CUSTOM:
        return SIZE_PRESETS[preset]
    left, middle, right = st.columns(3)
    width = left.number_input(
        "Width (px)", 200, 10_000, 1920, step=10, key=f"{key}_width", persist_state="session"
    )
    height = middle.number_input(
        "Height (px)", 200, 10_000, 1080, step=10, key=f"{key}_height", persist_state="session"
    )
    dpi = right.number_input(
        "Pixels per inch", 50, 1200, 150, step=10, key=f"{key}_dpi", persist_state="session"
    )
    try:
        return resolve_size(width=int(width), height=int(height), dpi=float(dpi))
    except ValueError as exc:
        st.error(str(exc))
        return None


def _extent(dataset: Dataset, view: ViewState, key: str) -> tuple[str, BBox | None]:
    """Draw the extent choice, the current map view first; return it and its extent.

    None fits the corridors switched on.
    The options never change, so the choice a viewer made is kept whatever the map reports.
    """
    options = [k for k in EXTENTS if k != "selected" or view.selected]
    choice = st.radio(
        "Extent",
        options,
        format_func=EXTENTS.__getitem__,
        key=f"{key}_extent",
        persist_state="session",
    )
    on_screen = view_extent(view.center, view.zoom, view.bounds)
    if choice == "view" and on_screen is None:
        st.caption("The map has not said where it is yet, so the exports fit the corridors.")
    if choice == "view":
        return choice, on_screen
    if choice == "selected" and view.selected:
        return choice, route_extent([dataset.routes[view.selected]])
    return choice, None


def _kept(name: str, made_from: Hashable, make: Callable[[], str]) -> str:
    """Return ``make()``, kept in the session's state while ``made_from`` stays the same.

    One copy per session and file, gone with the session: not a cache every session fills.
    """
    kept = st.session_state.get(name)
    if kept is None or kept[0] != made_from:
        kept = (made_from, make())
        st.session_state[name] = kept
    return kept[1]


@st.cache_resource(show_spinner=False, max_entries=8, ttl=dt.timedelta(minutes=10))
def _made_for_all(what: str, made_from: Hashable, _make: Callable[[], bytes | str]) -> bytes | str:
    """Return ``_make()``, the file ``what`` made from ``made_from``, shared by all sessions.

    ``made_from`` is everything the file is made from (the same key the session keeps it
    under), so a session asking for the same file gets the one made, without waiting a second
    or more for it (a session asking while it is made waits for that one). A few files, for
    a few minutes: each may be megabytes. The bytes are never changed, only sent.
    """
    del what, made_from  # only the cache key
    return _make()


@dataclass(frozen=True)
class _Download:
    """A file the panel offers: its name, type and the labels of its buttons."""

    what: str  # "PNG", "interactive page (HTML)": what the Make button makes
    label: str  # the download button's label, which says what the file is
    file_name: str
    mime: str


def _made_on_request(
    name: str,
    made_from: Hashable,
    make: Callable[[], bytes | str],
    download: _Download,
    *,
    disabled: bool,
    primary: bool,
) -> None:
    """Draw a button that makes a slow file, then, in its place, the download of that file.

    The file is kept in the session's state with ``made_from``, everything it was made from.
    While that is what the panel would make now, the download is drawn in every run, so the
    file stays Streamlit's for this session. Otherwise the button offers to make it again and
    says why the file it made is out of date.
    """
    kept = st.session_state.get(name)
    kind: Literal["primary", "secondary"] = "primary" if primary else "secondary"
    slot = st.empty()
    if kept is None or kept[0] != made_from:
        label = f"Make {download.what}"
        if kept is not None and kept[2] == download.what:
            label += " again (the view, size or text changed)"
        if not slot.button(
            label, key=f"{name}_make", disabled=disabled, type=kind, width="stretch"
        ):
            return
        with st.spinner(f"Making the {download.what}..."):
            kept = (made_from, _made_for_all(download.what, made_from, make), download.what)
        st.session_state[name] = kept
    slot.download_button(
        download.label,
        data=kept[1],
        file_name=download.file_name,
        mime=download.mime,
        on_click="ignore",
        key=f"{name}_download",
        disabled=disabled,
        type=kind,
        width="stretch",
    )


def show_export_panel(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states: gpd.GeoDataFrame,
    states_display: gpd.GeoDataFrame,
    view: ViewState,
    *,
    visible: Sequence[str],
    closures: ClosureResult | None = None,
    places: Sequence[Place] = (),
    key: str = "export",
) -> None:
    """Draw the export form and its download buttons.

    Parameters
    ----------
    dataset, analyses
        Routes and their analyses in the year the view shows (today's when it shows today), as
        the map draws them: the titles, the files and the tables all describe that year.
    states
        Boundaries for the snapshot (full resolution; it simplifies them for the extent).
    states_display
        Boundaries simplified for the interactive page, as the app's map uses.
    view
        What the map shows; its bounds on screen are the exports' default extent.
    visible
        The ids of the corridors the view shows.
    closures
        The what-if closures in force, marked on the interactive page as on the map.
    places
        The seas, regions and straits the map names (the page's), named in the exports too.
    key
        Prefix of the widget keys, so the panel can appear twice.
    """
    visible = list(visible)
    selected, show_baselines = view.selected, view.baselines
    today = dt.date.today()
    title, subtitle = default_titles(dataset, analyses, visible, selected)
    # Keys name the selection, so a new selection gets freshly prefilled text.
    text_key = f"{key}_{selected}_{'-'.join(visible)}_{view.year}"
    form, buttons = st.columns([3, 2])
    with form:
        fmt = st.radio(
            "Format",
            FORMATS,
            format_func=str.upper,
            horizontal=True,
            key=f"{key}_format",
            persist_state="session",
        )
        size = _size_form(key)
        choice, extent = _extent(dataset, view, key)
        title = st.text_input(
            "Title", value=title, key=f"{text_key}_title", persist_state="session"
        )
        subtitle = st.text_input(
            "Subtitle", value=subtitle, key=f"{text_key}_subtitle", persist_state="session"
        )
    stem = file_stem(visible, selected, today)

    def snapshot() -> bytes:
        # As the map draws it: each route's states in the view's year, the closures, the names.
        return render_snapshot(
            dataset,
            analyses,
            states,
            visible=visible,
            selected=selected,
            bbox=extent,
            size=size or DEFAULT_SIZE,
            fmt=fmt,
            title=title,
            subtitle=subtitle,
            date=today,
            show_baselines=show_baselines,
            year=view.year,
            closures=closures,
            places=places,
        )

    # The map's view opens at its centre and zoom: its bounds already include the room the
    # legend takes, which a fit would add again.
    at_view = choice == "view" and view.center is not None and view.zoom is not None

    def page() -> str:
        shown = extent or route_extent([dataset.routes[i] for i in visible])
        fmap = webmap.build_map(
            dataset,
            analyses,
            states_display,
            visible=visible,
            selected=selected,
            show_baselines=show_baselines,
            year=view.year,
            closures=closures,
            center=view.center if at_view else None,
            zoom=view.zoom if at_view else None,
            fit=None if shown is None else leaflet_bounds(shown),
            places=places,
        )
        return standalone_html(
            fmap,
            title=title,
            subtitle=subtitle,
            credit=attribution(dataset, visible),
            date=today,
            sources=cited_sources(dataset, visible),
        )

    ids = [*visible, *([selected] if selected and selected not in visible else [])]
    made = (tuple(ids), today, id(dataset), id(analyses))
    # Everything a picture or the page is made from: a change makes the file made out of date.
    drawn = (*made, tuple(visible), selected, show_baselines, view.year, closures, title, subtitle)
    opens_at = (view.center, view.zoom) if at_view else None
    disabled = size is None or not ids
    width, height = (size.width, size.height) if size else (0, 0)
    with buttons:
        st.caption(
            "The snapshot shows the corridors switched on, the selected corridor's states, a "
            "legend, a scale bar, the sources and today's date. The page works offline."
        )
        _made_on_request(
            f"{key}_snapshot",
            (*drawn, fmt, size, extent),
            snapshot,
            _Download(
                fmt.upper(),
                f"Download {fmt.upper()} ({width}×{height})",
                f"{stem}.{fmt}",
                MIME_TYPES[fmt],
            ),
            disabled=disabled,
            primary=True,
        )
        _made_on_request(
            f"{key}_html",
            (*drawn, extent, opens_at),
            page,
            _Download(
                "interactive page (HTML)",
                "Download interactive page (HTML)",
                f"{stem}.html",
                "text/html",
            ),
            disabled=disabled,
            primary=False,
        )
        data = [
            (
                "Analysis table (CSV)",
                _kept(f"{key}_csv", made, lambda: analysis_csv(dataset, analyses, ids, date=today)),
                f"{stem}-analysis.csv",
                "text/csv",
                "csv",
            ),
            (
                "Routes (GeoJSON)",
                _kept(
                    f"{key}_geojson",
                    made,
                    lambda: routes_geojson(dataset, analyses, ids, date=today),
                ),
                f"{stem}-routes.geojson",
                "application/geo+json",
                "geojson",
            ),
        ]
        for label, content, name, mime, suffix in data:
            st.download_button(
                label,
                data=content,
                file_name=name,
                mime=mime,
                on_click="ignore",
                key=f"{key}_download_{suffix}",
                disabled=disabled,
                width="stretch",
            )


def show_export_tab(context: PageContext) -> None:
    """Draw the panel from the page's context: an entry for ``PANELS`` in ``app.py``."""
    show_export_panel(
        context.dataset,
        context.shown_analyses,  # in the year the map shows, as the map draws them
        context.states,
        context.states_display,
        context.view,
        visible=context.visible,
        closures=context.closures,
        places=context.places,
    )
