"""The "Your route" tab: analyse a drawn or uploaded line exactly as a built-in corridor."""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

import streamlit as st

from corridors.compare import compare_table
from corridors.data import Dataset
from corridors.describe import describe_route
from corridors.geometry import StateIndex
from corridors.model import MODES, Analysis, Mode, Route
from corridors.text import escape_markdown
from corridors.ui import view
from corridors.upload import MAX_BYTES, MAX_VERTICES, UploadError, analyse_upload, parse_upload

Uploaded = tuple[Route, Analysis]


class _Read(NamedTuple):
    """An analysed route, the parts of its file skipped, and its vertices before simplifying."""

    uploaded: Uploaded
    ignored: tuple[str, ...]
    vertices: int


@st.cache_data(max_entries=16, show_spinner="Analysing your route...")
def _analyse(
    data: bytes,
    baseline: str | None,
    mode: Mode,
    identity: tuple[int, int],
    _dataset: Dataset,
    _analyses: Mapping[str, Analysis],
    _index: StateIndex,
) -> _Read:
    """Parse and analyse an upload; keyed by its bytes, the choices and the shared objects' ids.

    Raises
    ------
    UploadError
        Not cached, so a corrected file is read afresh.
    """
    del identity  # only part of the cache key: which dataset and index were used
    upload = parse_upload(data, max_bytes=MAX_BYTES, max_vertices=MAX_VERTICES)
    base = _analyses.get(baseline) if baseline else None
    route, analysis = analyse_upload(upload, _index, _dataset.chokepoints, base, mode=mode)
    return _Read((route, analysis), upload.ignored, upload.vertex_count)


def _read(dataset: Dataset, analyses: Mapping[str, Analysis], index: StateIndex) -> _Read | None:
    """Return the analysed route and the parts of its file skipped, or None with no route.

    The route is the uploaded file if there is one, else the lines drawn on the map.

    Raises
    ------
    UploadError
        If the file or the drawing cannot be used.
    """
    file = st.session_state.get(view.UPLOAD_FILE)
    data = file.getvalue() if file is not None else st.session_state.get(view.DRAWN_ROUTE)
    if data is None:
        return None
    return _analyse(
        data,
        st.session_state.get(view.UPLOAD_BASELINE),
        st.session_state.get(view.UPLOAD_MODE, "rail"),
        (id(dataset), id(index)),
        dataset,
        analyses,
        index,
    )


def uploaded_route(
    dataset: Dataset, analyses: Mapping[str, Analysis], index: StateIndex
) -> Uploaded | None:
    """Return the uploaded route and its analysis, or None if there is none or it is invalid.

    Reads the widgets' session state, so the map above the tabs can draw the route in the same
    run as the upload; the panel shows why a file was refused.
    """
    try:
        read = _read(dataset, analyses, index)
    except UploadError:
        return None
    return None if read is None else read.uploaded


def show_upload(
    dataset: Dataset, analyses: Mapping[str, Analysis], index: StateIndex
) -> Uploaded | None:
    """Draw the uploader and the analysis of the uploaded route; return it for the map."""
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
        key=view.UPLOAD_FILE,
        help=f"Up to {MAX_BYTES / 1e6:g} MB and {MAX_VERTICES:,} vertices.",
    )
    left, right = st.columns(2)
    left.selectbox(
        "Compare with the baseline",
        options=[None, *baselines],
        format_func=lambda rid: "no baseline" if rid is None else baselines[rid],
        # Streamlit shows a None value as the placeholder, not through format_func.
        placeholder="no baseline",
        key=view.UPLOAD_BASELINE,
    )
    right.selectbox(
        "Travelled by",
        options=list(MODES),
        key=view.UPLOAD_MODE,
        help="Sea and ferry legs count as transit only where they cross land, as for a canal.",
    )
    try:
        read = _read(dataset, analyses, index)
    except UploadError as exc:
        what = "file" if st.session_state.get(view.UPLOAD_FILE) is not None else "drawing"
        st.error(f"This {what} cannot be used: {escape_markdown(exc)}")
        return None
    if read is None:
        return None
    (route, analysis), ignored, vertices = read
    baseline = dataset.routes.get(route.baseline or "")
    st.success(escape_markdown(describe_route(route, analysis, baseline=baseline)))
    for note in ignored:
        st.caption(escape_markdown(note))
    analysed = sum(len(leg.coords) for leg in route.legs)
    if analysed < vertices:
        st.caption(
            f"Analysed at about 100 m detail, the borders' own accuracy: {vertices:,} vertices "
            f"became {analysed:,}."
        )
    shown = {route.id: analysis}
    if baseline is not None:
        shown[baseline.id] = analyses[baseline.id]
    table = compare_table(dataset, shown, extra_routes=[route])
    st.dataframe(table, hide_index=True, key="upload_table")
    return route, analysis
