"""The keyboard's walk over the map: which groups it takes, in what order, and where it starts.

The walk itself runs in the browser (``keyboardNav`` in ``static/corridors.js``, tested in
``tests/browser/test_map_keys.py``); here, what the map's script gives it to walk by.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
import shapely

from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_routes, route_from_lines
from corridors.model import Analysis
from corridors.webmap import build_base_map, build_overlays, display_states
from corridors.webmap.elements import KeyGroup, slug
from corridors.webmap.layers import KEY_ORDER


@pytest.fixture(scope="module")
def shown(world_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return display_states(world_states)


@pytest.fixture(scope="module")
def analyses(dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame) -> dict[str, Analysis]:
    return analyse_routes(
        dashboard_dataset.routes, StateIndex(world_states), dashboard_dataset.chokepoints
    )


def _marks(groups: list[folium.FeatureGroup]) -> dict[str, KeyGroup]:
    """Each group's keyboard mark by group id; a group has at most one."""
    marks: dict[str, KeyGroup] = {}
    for group in groups:
        found = [c for c in group._children.values() if isinstance(c, KeyGroup)]
        assert len(found) <= 1, group._id
        if found:
            marks[group._id] = found[0]
    return marks


def test_the_walk_goes_by_corridor_then_baselines_chokepoints_and_states(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """Ranks follow the dataset's order whatever is drawn on top; the selected corridor is
    where the keyboard starts, and only it."""
    upload = route_from_lines(
        [shapely.LineString([(44.8, 41.7), (49.85, 40.4)])], route_id="your-route", name="Mine"
    )
    corridors = [r.id for r in dashboard_dataset.corridors]
    groups = build_overlays(
        dashboard_dataset,
        analyses,
        shown,
        visible=corridors,
        selected=corridors[-1],
        show_baselines=True,
        extra_routes=[upload],
    )
    marks = _marks(groups)
    walk = sorted(marks.values(), key=lambda mark: mark.rank)
    expected = [
        *[f"corridor-{r.id}" for r in dashboard_dataset.corridors],
        *[f"baseline-{r.id}" for r in dashboard_dataset.baselines],
        "upload-your-route",
        "chokepoint-all",
        f"state-{corridors[-1]}",
    ]
    assert [mark.name for mark in walk] == expected
    assert [mark.rank[0] for mark in walk] == sorted(
        KEY_ORDER.index(name.split("-")[0]) for name in expected
    )
    assert [mark.name for mark in walk if mark.start] == [f"corridor-{corridors[-1]}"]
    # Drawn last (on top), the selected corridor still comes in the dataset's order.
    assert marks[f"corridor{slug(corridors[-1])}"].rank == [0, len(corridors) - 1]


def test_a_groups_mark_does_not_change_with_what_else_is_drawn(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """A group's script, and so the layer the map keeps, stays the same when another corridor
    is hidden: its rank is its place in the dataset, not among the groups drawn."""
    first, second = (r.id for r in dashboard_dataset.corridors[:2])

    def rank_of_second(visible: list[str]) -> list[int]:
        groups = build_overlays(
            dashboard_dataset, analyses, shown, visible=visible, selected=None, show_baselines=False
        )
        return _marks(groups)[f"corridor{slug(second)}"].rank

    assert rank_of_second([first, second]) == rank_of_second([second]) == [0, 1]


def test_every_map_walks_its_lines_from_the_keyboard(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame
) -> None:
    """The base map sets the walk up once: the dashboard's map and the standalone page."""
    page = build_base_map(dashboard_dataset, shown).get_root().render()
    assert page.count("corridors.keyboardNav(") == 1
