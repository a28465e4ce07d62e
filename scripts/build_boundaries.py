"""Rebuild ``data/boundaries/countries-10m.geojson`` from world-atlas 2.0.2 (Natural Earth 1:10m).

Run from the repository root with the world-atlas TopoJSON at hand::

    uv run python scripts/build_boundaries.py path/to/world-atlas/countries-10m.json

Steps, each fixing a known trap of this source:

1. decode the TopoJSON with GDAL (through pyogrio);
2. split rings that cross the antimeridian (Russia's Chukotka and Wrangel Island, Fiji) with the
   ``antimeridian`` package: decoded as-is they smear into a band around the whole globe;
3. repair invalid polygons with ``shapely.make_valid``, keeping only polygonal parts;
4. key every unit by ISO 3166-1 alpha-3 through pycountry; units without a numeric code are
   attributed to the state that holds them de jure (see ``UNCODED_UNITS``);
5. keep the states that reach into the study area and dissolve units of one state together.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import antimeridian
import geopandas as gpd
import pycountry
import shapely
from shapely.geometry import box, mapping, shape

from corridors import extent

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "data" / "boundaries" / "countries-10m.geojson"

STUDY_AREA = box(*extent.STUDY_AREA)

#: Natural Earth units with no ISO 3166-1 numeric code, by world-atlas name:
#: (ISO alpha-3 of the state they are attributed to, why).
UNCODED_UNITS: dict[str, tuple[str, str]] = {
    "Baikonur": ("KAZ", "Kazakh territory leased to Russia until 2050"),
    "Kosovo": ("XKX", "not in ISO 3166-1; XKX is the user-assigned code used by the EU and IMF"),
    "N. Cyprus": ("CYP", "de jure part of Cyprus; recognised only by Turkey"),
    "Cyprus U.N. Buffer Zone": ("CYP", "de jure part of Cyprus"),
    "Dhekelia": ("GBR", "UK Sovereign Base Area on Cyprus"),
    "Akrotiri": ("GBR", "UK Sovereign Base Area on Cyprus"),
    "Somaliland": ("SOM", "de jure part of Somalia"),
    "Siachen Glacier": ("IND", "held by India, claimed by Pakistan"),
    "Indian Ocean Ter.": ("AUS", "Australian external territories"),
    "Coral Sea Is.": ("AUS", "Australian external territory"),
    "Spratly Is.": ("XSP", "disputed; no single holder"),
    "Scarborough Reef": ("XSC", "disputed between China and the Philippines"),
    "Bajo Nuevo Bank": ("XBN", "disputed in the Caribbean"),
    "Serranilla Bank": ("XSB", "disputed in the Caribbean"),
    "Clipperton I.": ("FRA", "French overseas island"),
    "USNB Guantanamo Bay": ("CUB", "Cuban territory leased to the United States"),
}

#: Names for codes pycountry does not have.
EXTRA_NAMES = {
    "XKX": "Kosovo",
    "XSP": "Spratly Islands (disputed)",
    "XSC": "Scarborough Reef (disputed)",
    "XBN": "Bajo Nuevo Bank (disputed)",
    "XSB": "Serranilla Bank (disputed)",
}


def iso3_for(numeric: object, unit_name: str) -> tuple[str, str]:
    """Return (ISO alpha-3, note) for one world-atlas unit."""
    if isinstance(numeric, str) and numeric:
        country = pycountry.countries.get(numeric=numeric)
        if country is not None:
            return country.alpha_3, ""
    if unit_name in UNCODED_UNITS:
        return UNCODED_UNITS[unit_name]
    raise SystemExit(f"unit {unit_name!r} (numeric {numeric!r}) has no ISO code and no attribution")


#: Where pycountry's short name is the formal one ("Russian Federation", "Palestine, State of"),
#: the name maps, headlines and sentences use instead.
EVERYDAY_NAMES = {"RUS": "Russia", "PSE": "Palestine", "COD": "DR Congo"}


def state_name(iso3: str) -> str:
    """Return the English name: pycountry's common name where it has one, else its short name."""
    if iso3 in EXTRA_NAMES:
        return EXTRA_NAMES[iso3]
    if iso3 in EVERYDAY_NAMES:
        return EVERYDAY_NAMES[iso3]
    country = pycountry.countries.get(alpha_3=iso3)
    return getattr(country, "common_name", None) or country.name


def fix_geometry(geom: shapely.Geometry) -> shapely.Geometry:
    """Split at the antimeridian, then repair, keeping only polygons."""
    # Only a part that wraps the world needs the split; the rest is left untouched.
    if any(p.bounds[2] - p.bounds[0] > 180 for p in shapely.get_parts(geom)):
        geom = shape(antimeridian.fix_shape(mapping(geom), fix_winding=True))
    fixed = shapely.make_valid(geom)
    polygons = [g for g in shapely.get_parts(fixed) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(polygons)


def build(source: Path) -> gpd.GeoDataFrame:
    """Decode, repair, key and subset the boundaries."""
    units = gpd.read_file(source, layer="countries")
    # Select by the raw bounding boxes first: Antarctica wraps the pole and must never reach the
    # antimeridian fix, which assumes a ring that does not enclose a pole.
    units = units[units.geometry.intersects(STUDY_AREA) | (units.geometry.bounds["miny"] > 0)]
    units = units[units.geometry.bounds["maxy"] > STUDY_AREA.bounds[1]]
    rows = []
    for numeric, unit_name, geom in zip(units["id"], units["name"], units.geometry, strict=True):
        iso3, note = iso3_for(numeric, unit_name)
        rows.append({"iso3": iso3, "unit": unit_name, "note": note, "geometry": fix_geometry(geom)})
    frame = gpd.GeoDataFrame(rows, crs="EPSG:4326")
    in_area = set(frame.loc[frame.intersects(STUDY_AREA), "iso3"])
    frame = frame[frame["iso3"].isin(in_area)]
    states = frame.dissolve(
        by="iso3", aggfunc={"unit": lambda s: "; ".join(sorted(s))}
    ).reset_index()
    states["name"] = states["iso3"].map(state_name)
    # Snap to the 1e-5 degree grid the file is written on, so that what is read back stays valid.
    states["geometry"] = shapely.set_precision(states.geometry.map(shapely.make_valid).values, 1e-5)
    return states[["iso3", "name", "unit", "geometry"]].sort_values("iso3").reset_index(drop=True)


def write(states: gpd.GeoDataFrame, output: Path) -> None:
    """Write compact GeoJSON; 5 decimals keep the 0.0036 x 0.0017 degree source grid."""
    geojson = json.loads(states.to_json(drop_id=True))
    text = json.dumps(geojson, separators=(",", ":"))
    output.write_text(_round_coordinates(text), encoding="utf-8")


def _round_coordinates(text: str) -> str:
    """Round every float in the GeoJSON text to 5 decimals (about 1 m)."""
    return re.sub(r"(-?\d+\.\d{5})\d+", r"\1", text)


def main(argv: list[str] | None = None) -> int:
    """Build the boundaries file from the world-atlas TopoJSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="world-atlas 2.0.2 countries-10m.json")
    parser.add_argument("-o", "--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    states = build(args.source)
    write(states, args.output)
    print(f"wrote {len(states)} states to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
