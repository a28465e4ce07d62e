"""The "Your route" tab: analyse a drawn or uploaded line exactly as a built-in corridor."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.uploaded_file_manager import UploadedFile

from corridors.data import Dataset
from corridors.isolation import WorkerPool
from corridors.model import MODES, Analysis, Route
from corridors.policy.compare import compare_table, linked_table
from corridors.policy.describe import describe_route
from corridors.policy.upload import (
    MAX_BYTES,
    MAX_PARTS,
    MAX_VERTICES,
    SIMPLIFY_M,
    AnalysedUpload,
    UploadError,
)
from corridors.policy.upload_worker import read_isolated
from corridors.text import escape_markdown
from corridors.ui import state
from corridors.ui.compare_panel import column_config, column_order
from corridors.ui.links import link_config

Uploaded = tuple[Route, Analysis]


@dataclass(frozen=True)
class YourRoute:
    """The route the viewer drew or uploaded, read once per run: analysed, refused, or none."""

    read: AnalysedUpload | None = None
    #: Why the file or drawing was refused, for the panel.
    error: str | None = None

    @property
    def uploaded(self) -> Uploaded | None:
        """The route and its analysis, for the map; None if there is none or it was refused."""
        return None if self.read is None else (self.read.route, self.read.analysis)


@dataclass(frozen=True)
class KeptFile:
    """An uploaded file as the session keeps it: its name and bytes (None: already gone)."""

    name: str
    data: bytes | None


def keep_upload() -> None:
    """Keep the uploader's file in session state as it changes (the uploader's ``on_change``).

    Streamlit forgets a file uploader's file in any run that does not draw it, and the "Your
    route" tab is drawn only while open (so a first load does not fetch the uploader's browser
    code): the session keeps the file, so the map keeps the route with the tab closed. A file
    removed with the uploader's own button is no longer kept. After the file was removed from
    the server (an old tab, a restarted server) the widget names a deleted upload.

    A press (:func:`corridors.ui.state.press`), done before the widgets: as the uploader's
    own callback, a rerun request arriving meanwhile (the map's report) could end it before it
    kept the file, and the new file would not be used.
    """
    file = st.session_state.get(state.UPLOAD_FILE)
    if isinstance(file, UploadedFile):
        kept: KeptFile | None = KeptFile(file.name, file.getvalue())
    else:
        kept = None if file is None else KeptFile("", None)
    st.session_state[state.UPLOAD_KEPT] = kept


def _forget_upload() -> None:
    """Stop using the kept file (the panel's button, once the uploader has forgotten it).

    A press, as :func:`keep_upload` is: as the button's own callback it could be lost.
    """
    st.session_state[state.UPLOAD_KEPT] = None


def _file_bytes() -> tuple[bytes | None, str | None]:
    """Return the uploaded file's bytes, or the drawing's, and why neither can be read, if so."""
    kept = st.session_state.get(state.UPLOAD_KEPT)
    if isinstance(kept, KeptFile):
        if kept.data is None:
            return None, "The uploaded file is no longer on the server; upload it again."
        return kept.data, None
    drawn = st.session_state.get(state.DRAWN_ROUTE)
    if drawn is None:
        return None, st.session_state.get(state.DRAWN_ERROR)
    return drawn, None


def your_route(dataset: Dataset, pool: WorkerPool) -> YourRoute:
    """Read the file or the drawing from session state; the map and the panel share the result.

    The widgets' values are in session state before they are drawn, so the map above the tabs
    draws the route in the same run as the upload. The analysis runs in one of ``pool``'s
    worker processes (:mod:`corridors.policy.upload_worker`), once per file and choice: the
    result, or the refusal, is kept in this session's state, so it goes when the session does.
    """
    data, problem = _file_bytes()
    what = "file" if st.session_state.get(state.UPLOAD_KEPT) is not None else "drawing"
    if data is None:
        return YourRoute(error=problem and f"This {what} cannot be used: {problem}")
    baseline_id = st.session_state.get(state.UPLOAD_BASELINE)
    mode = st.session_state.get(state.UPLOAD_MODE, "rail")
    key = (hashlib.sha256(data).hexdigest(), baseline_id, mode, id(dataset))
    kept = st.session_state.get(state.UPLOAD_READ)
    if kept is not None and kept[0] == key:
        return kept[1]
    baseline = dataset.routes.get(baseline_id) if isinstance(baseline_id, str) else None
    try:
        with st.spinner("Analysing your route..."):
            read = read_isolated(pool, data, dataset.chokepoints, baseline, mode=mode)
        route = YourRoute(read=read)
    except UploadError as exc:
        route = YourRoute(error=f"This {what} cannot be used: {exc}")
    st.session_state[state.UPLOAD_READ] = (key, route)
    return route


def show_upload(
    dataset: Dataset, analyses: Mapping[str, Analysis], route: YourRoute
) -> Uploaded | None:
    """Draw the uploader and the analysis of the route :func:`your_route` read; return it."""
    baselines = {r.id: r.name for r in dataset.baselines}
    st.subheader("Your own route")
    st.markdown(
        "Draw a route on the map with the line tool at its top left (click for each stop, click "
        "the last stop again to finish; the tools below it edit or delete it), or upload a "
        "GeoJSON **LineString** or **MultiLineString** (a bare geometry, a Feature or a "
        "FeatureCollection, longitude before latitude). See which states it crosses and which "
        "it goes around, compared with a baseline you choose. An uploaded file is used before "
        "a drawing. Nothing is stored."
    )
    st.file_uploader(
        "GeoJSON file",
        type=["geojson", "json"],
        key=state.UPLOAD_FILE,
        help=(f"Up to {MAX_BYTES / 1e6:g} MB, {MAX_VERTICES:,} vertices and {MAX_PARTS:,} lines."),
        on_change=state.noting(keep_upload),
    )
    kept = st.session_state.get(state.UPLOAD_KEPT)
    if st.session_state.get(state.UPLOAD_FILE) is None and isinstance(kept, KeptFile) and kept.data:
        # The uploader forgot the file while the tab was closed; the session did not.
        st.caption(f"In use: {escape_markdown(kept.name)}, uploaded before.")
        st.button(
            "Remove the uploaded file", key="upload_forget", on_click=state.noting(_forget_upload)
        )
    left, right = st.columns(2)
    left.selectbox(
        "Compare with the baseline",
        options=[None, *baselines],
        format_func=lambda rid: "no baseline" if rid is None else baselines[rid],
        # Streamlit shows a None value as the placeholder, not through format_func.
        placeholder="no baseline",
        key=state.UPLOAD_BASELINE,
        persist_state="session",
    )
    right.selectbox(
        "Travelled by",
        options=list(MODES),
        key=state.UPLOAD_MODE,
        persist_state="session",
        help="Sea and ferry legs count as transit only where they cross land, as for a canal.",
    )
    if route.error is not None:
        st.error(escape_markdown(route.error))
        return None
    if route.read is None:
        return None
    line, analysis, ignored, vertices = (
        route.read.route,
        route.read.analysis,
        route.read.ignored,
        route.read.vertices,
    )
    baseline = dataset.routes.get(line.baseline or "")
    st.success(escape_markdown(describe_route(line, analysis, baseline=baseline)))
    for note in ignored:
        st.caption(escape_markdown(note))
    analysed = sum(len(leg.coords) for leg in line.legs)
    if analysed < vertices:
        st.caption(
            f"Analysed at about {SIMPLIFY_M:,.0f} m detail, the borders' own accuracy: "
            f"{vertices:,} vertices became {analysed:,}."
        )
    shown = {line.id: analysis}
    if baseline is not None:
        shown[baseline.id] = analyses[baseline.id]
    table = linked_table(compare_table(dataset, shown, extra_routes=[line]))
    st.dataframe(
        table,
        hide_index=True,
        key="upload_table",
        column_config={**column_config(), **link_config(table)},
        column_order=column_order(table.columns),
    )
    return line, analysis
