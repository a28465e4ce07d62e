"""The "Your route" tab: analyse a drawn or uploaded line exactly as a built-in corridor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import streamlit as st

from corridors.data import Dataset
from corridors.geometry import StateIndex
from corridors.model import MODES, Analysis, Mode, Route
from corridors.policy.compare import compare_table
from corridors.policy.describe import describe_route
from corridors.policy.upload import (
    MAX_BYTES,
    MAX_VERTICES,
    SIMPLIFY_M,
    UploadError,
    analyse_upload,
    parse_upload,
)
from corridors.text import escape_markdown
from corridors.ui import view

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


@dataclass(frozen=True)
class YourRoute:
    """The route the viewer drew or uploaded, read once per run: analysed, refused, or none."""

    read: _Read | None = None
    #: Why the file or drawing was refused, for the panel.
    error: str | None = None

    @property
    def uploaded(self) -> Uploaded | None:
        """The route and its analysis, for the map; None if there is none or it was refused."""
        return None if self.read is None else self.read.uploaded


def your_route(dataset: Dataset, analyses: Mapping[str, Analysis], index: StateIndex) -> YourRoute:
    """Read the file or the drawing from session state; the map and the panel share the result.

    The widgets' values are in session state before they are drawn, so the map above the tabs
    draws the route in the same run as the upload.
    """
    try:
        return YourRoute(read=_read(dataset, analyses, index))
    except UploadError as exc:
        what = "file" if st.session_state.get(view.UPLOAD_FILE) is not None else "drawing"
        return YourRoute(error=f"This {what} cannot be used: {exc}")


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
    if route.error is not None:
        st.error(escape_markdown(route.error))
        return None
    if route.read is None:
        return None
    (line, analysis), ignored, vertices = route.read
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
    table = compare_table(dataset, shown, extra_routes=[line])
    st.dataframe(table, hide_index=True, key="upload_table")
    return line, analysis
