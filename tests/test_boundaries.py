"""The bundled Natural Earth boundaries: each known trap of the source is caught here."""

from __future__ import annotations

from collections import defaultdict

import geopandas as gpd
import pycountry
import pytest
import shapely

from corridors.data import BOUNDARIES_FILE, CorridorDataError, load_states
from corridors.geometry import GEOD, StateIndex


@pytest.fixture(scope="module")
def states() -> gpd.GeoDataFrame:
    return load_states()


@pytest.fixture(scope="module")
def index(states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(states)


def test_every_polygon_is_valid(states: gpd.GeoDataFrame) -> None:
    """52 units are invalid in the source; the build repairs them."""
    invalid = states.loc[~states.is_valid, "iso3"].tolist()
    assert invalid == []


def test_no_part_wraps_around_the_globe(states: gpd.GeoDataFrame) -> None:
    """Russia crosses the antimeridian; decoded carelessly, Chukotka becomes a 360-degree band."""
    wide = [
        iso3
        for iso3, geom in zip(states["iso3"], states.geometry, strict=True)
        for part in shapely.get_parts(geom)
        if part.bounds[2] - part.bounds[0] > 180
    ]
    assert wide == []


def test_russia_has_its_real_area(states: gpd.GeoDataFrame) -> None:
    """17.1 million km2; a smeared band would add tens of millions."""
    area, _ = GEOD.geometry_area_perimeter(states.loc["RUS", "geometry"])
    assert abs(area) / 1e6 == pytest.approx(17.1e6, rel=0.02)


@pytest.mark.parametrize(
    ("lon", "lat", "iso3"),
    [
        (0.0, 60.5, None),  # North Sea: in no state (a smeared Russia would cover it)
        (-100.0, 65.0, None),  # Canada is outside the study area entirely
        (172.0, 66.5, "RUS"),  # inland Chukotka, east of 180 W
        (-179.5, 68.0, "RUS"),  # Chukotka beyond the antimeridian
    ],
)
def test_points_fall_in_the_right_place(
    index: StateIndex, lon: float, lat: float, iso3: str | None
) -> None:
    assert index.locate(lon, lat) == iso3


@pytest.mark.parametrize(
    ("place", "lon", "lat", "iso3"),
    [
        ("Baikonur (leased to Russia)", 63.32, 45.62, "KAZ"),
        ("Pristina, Kosovo", 21.17, 42.66, "XKX"),
        ("Kyrenia, Northern Cyprus", 33.32, 35.33, "CYP"),
        ("Hargeisa, Somaliland", 44.06, 9.56, "SOM"),
        ("Dhekelia Sovereign Base Area", 33.75, 34.98, "GBR"),
    ],
)
def test_units_without_iso_codes_are_attributed(
    index: StateIndex, place: str, lon: float, lat: float, iso3: str
) -> None:
    """Baikonur, Northern Cyprus, Kosovo and Somaliland have no ISO numeric code in the source."""
    assert index.locate(lon, lat) == iso3, place


#: pycountry's formal short names the build replaces with everyday ones.
EVERYDAY = defaultdict(lambda: None, {"RUS": "Russia", "PSE": "Palestine", "COD": "DR Congo"})


def test_codes_are_iso_alpha3_with_pycountry_names(states: gpd.GeoDataFrame) -> None:
    user_assigned = {"XKX", "XSP", "XSC"}
    assert states.index.is_unique
    for iso3, name in zip(states["iso3"], states["name"], strict=True):
        if iso3 in user_assigned:
            continue
        country = pycountry.countries.get(alpha_3=iso3)
        assert country is not None, iso3
        assert name in {country.name, getattr(country, "common_name", None), EVERYDAY[iso3]}


def test_study_area_is_covered(states: gpd.GeoDataFrame) -> None:
    """Europe, the Middle East, North-East Africa, the Caucasus, Central and South Asia, China."""
    needed = {
        "DEU",
        "POL",
        "TUR",
        "EGY",
        "SDN",
        "YEM",
        "ARM",
        "AZE",
        "GEO",
        "IRN",
        "KAZ",
        "TKM",
        "UZB",
        "IND",
        "PAK",
        "CHN",
        "RUS",
        "BLR",
        "GBR",
        "ESP",
        "MAR",
        "SAU",
        "OMN",
    }
    assert needed <= set(states["iso3"])


@pytest.mark.parametrize(
    ("port", "lon", "lat", "iso3"),
    [
        ("Port of Baku, Alat", 49.4256, 39.9431, "AZE"),
        ("Makhachkala port", 47.52, 42.98, "RUS"),
        ("Poti port", 41.65, 42.15, "GEO"),
    ],
)
def test_some_real_ports_sit_just_offshore(
    index: StateIndex, port: str, lon: float, lat: float, iso3: str
) -> None:
    """At 1:10m these quays fall in the sea; the data tests therefore allow ports 5 km offshore."""
    assert index.locate(lon, lat) is None, port
    near = index.nearest_km([shapely.LineString([(lon, lat), (lon + 1e-5, lat)])], within_km=5)
    assert set(near) == {iso3}, port


def test_missing_file_is_a_clear_error(tmp_path) -> None:
    with pytest.raises(CorridorDataError, match="cannot read boundaries"):
        load_states(tmp_path / "nope.geojson")


def test_file_lacking_columns_is_a_clear_error(tmp_path) -> None:
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"x":1},'
        '"geometry":{"type":"Point","coordinates":[0,0]}}]}'
    )
    with pytest.raises(CorridorDataError, match="missing columns"):
        load_states(bad)


def test_bundled_file_is_where_the_docs_say() -> None:
    assert BOUNDARIES_FILE.name == "countries-10m.geojson"
    assert (BOUNDARIES_FILE.parent / "README.md").read_text().count("world-atlas 2.0.2") >= 1
