"""Overlays handed to streamlit-folium as layers the map keeps while their script is unchanged."""

from __future__ import annotations

import folium
import geopandas as gpd
import pytest
from streamlit_folium import _get_feature_group_string

from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.webmap import (
    KeptLayer,
    build_base_map,
    build_overlays,
    display_states,
    kept_layers,
)
from corridors.webmap.elements import named, script_of, stabilise_ids


@pytest.fixture(scope="module")
def shown(world_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return display_states(world_states)


@pytest.fixture(scope="module")
def analyses(dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame) -> dict[str, Analysis]:
    index = StateIndex(world_states)
    return analyse_routes(dashboard_dataset.routes, index, dashboard_dataset.chokepoints)


def _overlays(
    dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame, visible: list[str]
) -> list[KeptLayer]:
    groups = build_overlays(
        dataset, analyses, shown, visible=visible, selected="middle-corridor", show_baselines=False
    )
    return kept_layers(groups)


def _sent(dataset: Dataset, layers: list[KeptLayer], shown: gpd.GeoDataFrame) -> list[str]:
    """Each layer's script as streamlit-folium writes it, on a base map of its own."""
    base = build_base_map(dataset, shown)
    base.render()
    return [_get_feature_group_string(layer, base, i) for i, layer in enumerate(layers)]


def test_each_layer_is_sent_as_a_function_of_its_own_script(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    layers = _overlays(dashboard_dataset, analyses, shown, ["middle-corridor", "btk"])
    sent = _sent(dashboard_dataset, layers, shown)
    for index, (layer, text) in enumerate(zip(layers, sent, strict=True)):
        inner = script_of(layer.layer).replace(layer._parent.get_name(), "map_div")
        expected_start = f"var feature_group_feature_group_{index} = corridors.overlay(map_div, "
        assert text.startswith(expected_start)
        assert " ".join(inner.split()) in " ".join(text.split())  # nothing renamed in it
        assert f"return {layer.layer.get_name()};" in text


def test_a_layer_is_sent_with_the_same_text_wherever_it_falls_among_the_overlays(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """Hiding a corridor moves the layers after it up one place: the map must still know them."""

    def functions(visible: list[str]) -> set[str]:
        layers = _overlays(dashboard_dataset, analyses, shown, visible)
        sent = _sent(dashboard_dataset, layers, shown)
        return {
            text.split(" = corridors.overlay(", 1)[1].split("\nmap_div.addLayer(")[0]
            for text in sent
        }

    both, one = functions(["middle-corridor", "btk"]), functions(["middle-corridor"])
    same = {t for t in one if "feature_group_selectedstates" in t or "route-middle-corridor" in t}
    assert len(same) == 2  # the selected corridor's states, and its line
    assert same <= both


def test_folium_layers_are_added_to_the_map_as_streamlit_folium_adds_them(
    dashboard_dataset: Dataset, shown: gpd.GeoDataFrame
) -> None:
    """folium's own groups (the network's detours) write their ``addTo`` call as they render."""
    group = named(folium.FeatureGroup(name="Detours"), "networkdetours")
    named(folium.PolyLine([(40, 45), (41, 46)], tooltip="<b>x</b>"), "detourx", group)
    stabilise_ids([group])
    (text,) = _sent(dashboard_dataset, [KeptLayer(group)], shown)
    assert "feature_group_networkdetours.addTo(map_div);" in text
    assert ").addTo(feature_group_networkdetours);" in text
    assert "poly_line_detourx.bindTooltip(" in text


def test_shared_route_layers_are_built_once_for_what_they_are_drawn_from(
    dashboard_dataset: Dataset, analyses: dict[str, Analysis], shown: gpd.GeoDataFrame
) -> None:
    """The dashboard's route layers are reused from run to run, and sent as if built anew."""

    def groups(selected: str, year: int | None, *, shared: bool) -> dict[str, folium.FeatureGroup]:
        built = build_overlays(
            dashboard_dataset,
            analyses,
            shown,
            visible=["middle-corridor", "btk"],
            selected=selected,
            show_baselines=True,
            year=year,
            shared=shared,
        )
        return {group.get_name(): group for group in built}

    first = groups("middle-corridor", None, shared=True)
    again = groups("middle-corridor", None, shared=True)
    picked = groups("btk", None, shared=True)
    in_2015 = groups("middle-corridor", 2015, shared=True)
    kinds = ("feature_group_corridor", "feature_group_baseline")
    routes = [name for name in first if name.startswith(kinds)]
    assert len(routes) == 4  # two corridors and their baselines
    for name in routes:
        assert again[name] is first[name]
        assert in_2015[name] is not first[name]
    middle, btk = "feature_group_corridormiddlecorridor", "feature_group_corridorbtk"
    assert picked[middle] is not first[middle]
    assert picked[btk] is not first[btk]
    for selected, year in (("middle-corridor", None), ("btk", None), ("middle-corridor", 2015)):
        fresh = kept_layers(list(groups(selected, year, shared=False).values()))
        reused = kept_layers(list(groups(selected, year, shared=True).values()))
        assert _sent(dashboard_dataset, reused, shown) == _sent(dashboard_dataset, fresh, shown)
