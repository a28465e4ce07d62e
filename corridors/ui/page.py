"""The page: load everything, draw the sidebar and the map, then one tab per panel.

A panel is a title and a function of :class:`PageContext`; adding one is one entry in the list
``app.py`` passes to :func:`run`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import streamlit as st

from corridors.data import CorridorDataError, Dataset
from corridors.geometry import StateIndex
from corridors.model import Analysis
from corridors.text import escape_markdown
from corridors.ui import cached, state, widgets


@dataclass(frozen=True)
class PageContext:
    """What every panel gets: shared read-only data and the sidebar's choices."""

    paths: cached.Paths
    dataset: Dataset
    analyses: Mapping[str, Analysis]
    states: gpd.GeoDataFrame
    index: StateIndex
    states_display: gpd.GeoDataFrame
    layers: widgets.Layers


Panel = tuple[str, Callable[[PageContext], None]]


def run(panels: Sequence[Panel], *, static_dir: Path) -> None:
    """Draw the whole page, or the data error if the files are malformed.

    Parameters
    ----------
    panels
        ``(tab title, function)`` pairs drawn in tabs under the map.
    static_dir
        The folder Streamlit serves at ``/app/static``; Leaflet is copied into it.
    """
    cached.leaflet(static_dir)
    paths = cached.paths_from_env()
    try:
        stamp = cached.data_stamp(paths)
        dataset = cached.dataset(paths, stamp)
        analyses = cached.analyses(paths, stamp)
        states = cached.states(paths.boundaries)
    except CorridorDataError as exc:
        problems = "\n".join(f"- {escape_markdown(p)}" for p in exc.problems)
        st.error(f"The corridor data is malformed; fix these and reload:\n\n{problems}")
        return
    if not dataset.corridors:
        st.warning(f"No corridors found in {escape_markdown(paths.data_dir / 'routes')}.")
        return
    state.init_state(dataset.corridors)
    layers = widgets.sidebar(dataset)
    context = PageContext(
        paths=paths,
        dataset=dataset,
        analyses=analyses,
        states=states,
        index=cached.state_index(paths.boundaries),
        states_display=cached.display_states(paths.boundaries),
        layers=layers,
    )
    widgets.corridor_map(dataset, analyses, context.states_display, layers)
    for tab, (_title, show) in zip(st.tabs([title for title, _ in panels]), panels, strict=True):
        with tab:
            show(context)
