"""The basemap: state polygons simplified for display only (analysis keeps full resolution)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from shapely.geometry import mapping

from corridors.webmap.labels import state_labels

#: Display window (west, south, east, north): the study area of data/boundaries with a margin.
DISPLAY_BBOX: tuple[float, float, float, float] = (-30.0, -15.0, 160.0, 84.0)
#: Douglas-Peucker tolerance for display: 0.05 degrees is about 5 km, under a pixel at the
#: continental zooms the dashboard opens at, and keeps the basemap near 400 kB of GeoJSON.
DISPLAY_TOLERANCE_DEG = 0.05
#: Islands smaller than this (square degrees, about 100 km2 at mid latitudes) are not drawn.
MIN_PART_AREA = 0.01
#: Decimals kept in display coordinates: 0.01 degree is about 1 km.
DISPLAY_DECIMALS = 2

# Display geometry.


def display_states(
    states: gpd.GeoDataFrame,
    tolerance_deg: float = DISPLAY_TOLERANCE_DEG,
    *,
    bbox: tuple[float, float, float, float] = DISPLAY_BBOX,
    min_area: float = MIN_PART_AREA,
    decimals: int = DISPLAY_DECIMALS,
) -> gpd.GeoDataFrame:
    """Return state polygons clipped, simplified and rounded for drawing, never for analysis.

    Each state is simplified on its own, so neighbours may show hairline gaps along shared
    borders; at the dashboard's zooms they are hidden under the border stroke.

    Parameters
    ----------
    states
        Boundaries with ``iso3`` and ``name`` columns, as from :func:`corridors.data.load_states`.
    tolerance_deg
        Douglas-Peucker tolerance in degrees (topology-preserving).
    bbox
        Window kept: west, south, east, north.
    min_area
        Parts smaller than this (square degrees) are dropped, except a state's largest part.
    decimals
        Decimals kept in coordinates; fewer make a smaller page.
    """
    if not isinstance(states, gpd.GeoDataFrame) or not {"iso3", "name"} <= set(states.columns):
        msg = f"'states' should be a GeoDataFrame with iso3 and name columns, got {type(states)}"
        raise TypeError(msg)
    if tolerance_deg < 0:
        msg = f"tolerance_deg must be non-negative, got {tolerance_deg}"
        raise ValueError(msg)
    geoms = shapely.clip_by_rect(states.geometry.to_numpy(), *bbox)
    geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    geoms = np.array([_drop_specks(g, min_area) for g in geoms], dtype=object)
    geoms = shapely.transform(geoms, lambda coords: np.round(coords, decimals))
    shown = gpd.GeoDataFrame(
        {"iso3": states["iso3"].to_numpy(), "name": states["name"].to_numpy()},
        geometry=geoms,
        crs=states.crs,
        index=states.index,
    )
    return shown[~shown.geometry.is_empty]


def _drop_specks(geom: shapely.Geometry, min_area: float) -> shapely.Geometry:
    """Keep the polygon parts of at least ``min_area``, or the largest part if none is."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
    if not parts:
        return shapely.Polygon()
    kept = [p for p in parts if p.area >= min_area] or [max(parts, key=lambda p: p.area)]
    return kept[0] if len(kept) == 1 else shapely.MultiPolygon(kept)


def basemap_json(states_display: gpd.GeoDataFrame) -> bytes:
    """Return the basemap as the GeoJSON file :class:`BasemapLayer` loads."""
    return json.dumps(states_geojson(states_display), separators=(",", ":")).encode()


def names_json(states_display: gpd.GeoDataFrame) -> bytes:
    """Return the states' names as the file :class:`FetchedLabels` loads.

    They were most of the map's script (about 40 KB), which streamlit-folium sends again with
    every change of the map; like the basemap, they depend on the boundaries alone.
    """
    records = [label.as_json() for label in state_labels(states_display)]
    return json.dumps(records, separators=(",", ":"), ensure_ascii=False).encode()


@lru_cache(maxsize=512)
def _geometry(geom: shapely.Geometry) -> dict[str, Any]:
    """Return a state's GeoJSON geometry, converted once per shape (shapes are immutable).

    The map asks for the selected corridor's states on every run; converting them afresh was
    a fifth of building the map. The dict is shared: callers serialise it, never change it.
    """
    return dict(mapping(geom))


def states_geojson(
    states: gpd.GeoDataFrame,
    codes: Iterable[str] | None = None,
    labels: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Return a FeatureCollection of the states (all, or those in ``codes``), id = ISO code.

    Every feature carries an id so folium's GeoJson never adds one to the dict it is given.
    ``labels`` are HTML (already escaped) stored as ``properties.label``.
    """
    rows = states if codes is None else states[states["iso3"].isin(list(codes))]
    labels = labels or {}
    features = [
        {
            "type": "Feature",
            "id": iso3,
            "properties": {"label": labels[iso3]} if iso3 in labels else {},
            "geometry": _geometry(geom),
        }
        for iso3, geom in zip(rows["iso3"], rows.geometry, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}
