"""The Export panel: the map as PNG, SVG, PDF or an offline page, and the data behind it.

The pictures and the page take a second or more, so they are made only when their button is
pressed (Streamlit calls the ``data`` callable then, on its own thread). The CSV and GeoJSON
take milliseconds and are made in the run, once per selection, kept in the session's state:
Streamlit's media manager files a deferred download under no session, and cleanup at the end
of any other session's run deletes it, so under load the browser's fetch found a 404; a file
made in the run belongs to this session until its next run. Pressing a button does not rerun
the page (``on_click="ignore"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Mapping, Sequence

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
from corridors.policy.closures import ClosureResult
from corridors.printmap.cartography import BBox
from corridors.printmap.snapshot import route_extent
from corridors.provenance import attribution
from corridors.ui import cached
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
    )
    if preset != CUSTOM:
        return SIZE_PRESETS[preset]
    left, middle, right = st.columns(3)
    width = left.number_input("Width (px)", 200, 10_000, 1920, step=10, key=f"{key}_width")
    height = middle.number_input("Height (px)", 200, 10_000, 1080, step=10, key=f"{key}_height")
    dpi = right.number_input("Pixels per inch", 50, 1200, 150, step=10, key=f"{key}_dpi")
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
    choice = st.radio("Extent", options, format_func=EXTENTS.__getitem__, key=f"{key}_extent")
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


def show_export_panel(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    states: gpd.GeoDataFrame,
    states_display: gpd.GeoDataFrame,
    view: ViewState,
    *,
    visible: Sequence[str],
    closures: ClosureResult | None = None,
    key: str = "export",
) -> None:
    """Draw the export form and its download buttons.

    Parameters
    ----------
    dataset, analyses
        Routes and their analyses.
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
    key
        Prefix of the widget keys, so the panel can appear twice.
    """
    visible = list(visible)
    selected, show_baselines = view.selected, view.baselines
    today = dt.date.today()
    title, subtitle = default_titles(dataset, analyses, visible, selected)
    # Keys name the selection, so a new selection gets freshly prefilled text.
    text_key = f"{key}_{selected}_{'-'.join(visible)}"
    form, buttons = st.columns([3, 2])
    with form:
        fmt = st.radio(
            "Format", FORMATS, format_func=str.upper, horizontal=True, key=f"{key}_format"
        )
        size = _size_form(key)
        choice, extent = _extent(dataset, view, key)
        title = st.text_input("Title", value=title, key=f"{text_key}_title")
        subtitle = st.text_input("Subtitle", value=subtitle, key=f"{text_key}_subtitle")
    stem = file_stem(visible, selected, today)

    def snapshot() -> bytes:
        # As the map draws it: each route's states in the view's year, the closures, the names.
        paths = cached.paths_from_env()
        stamp = cached.data_stamp(paths)
        return render_snapshot(
            dataset,
            analyses if view.year is None else cached.analyses_in_year(paths, stamp, view.year),
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
            places=cached.places(paths, stamp),
        )

    def page() -> str:
        shown = extent or route_extent([dataset.routes[i] for i in visible])
        # The map's view opens at its centre and zoom: its bounds already include the room the
        # legend takes, which a fit would add again.
        at_view = choice == "view" and view.center is not None and view.zoom is not None
        paths = cached.paths_from_env()
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
            places=cached.places(paths, cached.data_stamp(paths)),
        )
        return standalone_html(
            fmap, title=title, subtitle=subtitle, credit=attribution(dataset, visible), date=today
        )

    ids = [*visible, *([selected] if selected and selected not in visible else [])]
    made = (tuple(ids), today, id(dataset), id(analyses))
    downloads: list[tuple[str, Callable[[], bytes | str] | str, str, str, str]] = [
        (f"Download {fmt.upper()}", snapshot, f"{stem}.{fmt}", MIME_TYPES[fmt], "snapshot"),
        ("Interactive page (HTML)", page, f"{stem}.html", "text/html", "html"),
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
                f"{key}_geojson", made, lambda: routes_geojson(dataset, analyses, ids, date=today)
            ),
            f"{stem}-routes.geojson",
            "application/geo+json",
            "geojson",
        ),
    ]
    with buttons:
        st.caption(
            "The snapshot shows the corridors switched on, the selected corridor's states, a "
            "legend, a scale bar, the sources and today's date. The page works offline."
        )
        for label, data, name, mime, suffix in downloads:
            st.download_button(
                label,
                data=data,
                file_name=name,
                mime=mime,
                on_click="ignore",
                key=f"{key}_download_{suffix}",
                disabled=size is None or not ids,
                type="primary" if suffix == "snapshot" else "secondary",
                width="stretch",
            )


def show_export_tab(context: PageContext) -> None:
    """Draw the panel from the page's context: an entry for ``PANELS`` in ``app.py``."""
    show_export_panel(
        context.dataset,
        context.analyses,
        context.states,
        context.states_display,
        context.view,
        visible=context.visible,
        closures=context.closures,
    )
