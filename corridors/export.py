"""Everything a presenter takes away: snapshots, a standalone page, the table and the routes.

Each export carries its own provenance (sources, licence, date), because it travels without the
dashboard. The snapshot itself is drawn in :mod:`corridors.printmap.snapshot`; this module
re-exports it so callers have one place to import from.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import folium
import xstatic.pkg.leaflet
from folium.plugins import Draw

from corridors.data import Dataset
from corridors.extent import MAP_SIZE_PX
from corridors.figures import format_date, format_status, km
from corridors.geometry import leg_km
from corridors.model import Analysis, Source
from corridors.printmap.cartography import BBox, check_bbox
from corridors.printmap.snapshot import (
    DEFAULT_SIZE,
    FORMATS,
    MIME_TYPES,
    SIZE_PRESETS,
    Format,
    Size,
    render_snapshot,
    resolve_size,
)
from corridors.provenance import (
    BOUNDARIES_CREDIT,
    BOUNDARIES_FACT,
    DATA_LICENCE,
    NO_SOURCE,
    PROJECT,
    borders_citation,
    citations,
    html_link,
    provenance,
    source_urls,
    standing,
)
from corridors.report import analysis_record
from corridors.text import escape_html
from corridors.webmap.assets import MAP_SCRIPT, MAP_SCRIPTS, STATIC_URL, leaflet_links
from corridors.wording import display_name, join_names

__all__ = [
    "CSV_COLUMNS",
    "DEFAULT_SIZE",
    "FORMATS",
    "MIME_TYPES",
    "SIZE_PRESETS",
    "Format",
    "Size",
    "analysis_csv",
    "bbox_from_leaflet",
    "default_titles",
    "file_stem",
    "leaflet_bounds",
    "render_snapshot",
    "resolve_size",
    "routes_geojson",
    "standalone_html",
    "view_extent",
]

LEAFLET_DIR = Path(xstatic.pkg.leaflet.BASE_DIR)
#: Columns of the analysis table: one row per route and state it crosses, touches, skirts or
#: bypasses, then one per leg with its status as of the date its sources confirm it.
CSV_COLUMNS: tuple[str, ...] = (
    "route_id",
    "route_name",
    "role",
    "baseline",
    "origin",
    "destination",
    "route_length_km",
    "relation",
    "iso3",
    "state",
    "km",
    "share",
    "min_km",
    "via_canal",
    "leg_id",
    "leg",
    "mode",
    "status",
    "as_of",
    "standing",
    "sources",
    "source_urls",
)
_RELATIONS = (
    "transit: the route runs through the state for at least the transit threshold",
    "touches: it enters for less (boundary precision, not transit)",
    "skirted: it passes within the skirt distance without entering",
    "bypassed: the baseline crosses it and this route does not",
    "leg: one leg of the route; status as of the date in as_of, sources its facts and their links",
    "standing: the grade of a leg's facts (verified, claim, disputed), or 'no source'",
    "km, share and min_km of a state are measured on the lines and Natural Earth borders: "
    "sources and source_urls name the borders",
)


def default_titles(
    dataset: Dataset, analyses: Mapping[str, Analysis], visible: Sequence[str], selected: str | None
) -> tuple[str, str]:
    """Return the title and subtitle that describe the current selection, to prefill the form.

    Examples
    --------
    >>> default_titles(dataset, analyses, ["btk"], "btk")  # doctest: +SKIP
    ('Baku-Tbilisi-Kars railway', 'Baku to Kars: crosses Azerbaijan, Georgia and Türkiye; ...')
    """
    if selected and selected in dataset.routes:
        route = dataset.routes[selected]
        parts = []
        analysis = analyses.get(selected)
        if analysis is not None and analysis.transit:
            parts.append("crosses " + join_names([s.name for s in analysis.transit]))
        if analysis is not None and analysis.bypassed:
            parts.append("bypasses " + join_names([s.name for s in analysis.bypassed]))
        lead = f"{route.origin} to {route.destination}" if route.origin else ""
        subtitle = ": ".join(p for p in (lead, "; ".join(parts)) if p)
        return display_name(route.name), subtitle
    names = [display_name(dataset.routes[i].name) for i in visible if i in dataset.routes]
    return "Eurasian trade corridors", join_names(names)


def bbox_from_leaflet(bounds: Mapping[str, Any] | None) -> BBox | None:
    """Return (min lon, min lat, max lon, max lat) from the Leaflet bounds streamlit-folium sends.

    A map panned round the antimeridian reports longitudes beyond 180; they are clamped. Anything
    malformed gives None, so the caller falls back to fitting the routes.

    Examples
    --------
    >>> corners = {"_southWest": {"lat": 35, "lng": 40}, "_northEast": {"lat": 45, "lng": 55}}
    >>> bbox_from_leaflet(corners)
    (40.0, 35.0, 55.0, 45.0)
    """
    try:
        south_west, north_east = bounds["_southWest"], bounds["_northEast"]  # type: ignore[index]
        box = (
            max(float(south_west["lng"]), -180.0),
            max(float(south_west["lat"]), -90.0),
            min(float(north_east["lng"]), 180.0),
            min(float(north_east["lat"]), 90.0),
        )
        return check_bbox(box)
    except (KeyError, TypeError, ValueError):
        return None


def leaflet_bounds(bbox: BBox) -> list[list[float]]:
    """Return (min lon, min lat, max lon, max lat) as Leaflet's ``[[south, west], [north, east]]``.

    Examples
    --------
    >>> leaflet_bounds((40.0, 35.0, 55.0, 45.0))
    [[35.0, 40.0], [45.0, 55.0]]
    """
    west, south, east, north = bbox
    return [[south, west], [north, east]]


def view_extent(
    center: tuple[float, float] | None,
    zoom: float | None,
    bounds: BBox | None,
    size_px: tuple[int, int] = MAP_SIZE_PX,
) -> BBox | None:
    """Return what the map shows as (min lon, min lat, max lon, max lat), or None if unknown.

    The bounds the map reported, if any; else the extent a map of ``size_px`` shows at
    ``center`` and ``zoom`` (Web Mercator: 256 pixels span the world at zoom 0).

    Examples
    --------
    >>> view_extent((0.0, 0.0), 1, None, (256, 256))
    (-90.0, -66.51326, 90.0, 66.51326)
    """
    if bounds is not None:
        return bounds
    if center is None or zoom is None:
        return None
    world_px = 256 * 2**zoom
    lat, lon = center
    half_lon = size_px[0] / 2 / world_px * 360
    y = math.log(math.tan(math.pi / 4 + math.radians(max(min(lat, 85.0), -85.0)) / 2))
    half_y = size_px[1] / 2 / world_px * 2 * math.pi

    def lat_of(merc: float) -> float:
        return round(math.degrees(2 * math.atan(math.exp(merc)) - math.pi / 2), 5)

    box = (
        max(lon - half_lon, -180.0),
        max(lat_of(y - half_y), -90.0),
        min(lon + half_lon, 180.0),
        min(lat_of(y + half_y), 90.0),
    )
    return check_bbox(box)


def file_stem(visible: Sequence[str], selected: str | None, date: dt.date | str) -> str:
    """Return a file name stem naming what is exported and when, e.g. ``tripp-map-2025-11-22``."""
    what = selected or ("-".join(visible) if 0 < len(visible) <= 2 else "corridors")
    return f"{what}-map-{date}"


def analysis_csv(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    route_ids: Sequence[str],
    *,
    date: dt.date | str,
) -> str:
    """Return the analysis table as CSV, with ``#`` provenance lines before the header.

    ``pandas.read_csv(..., comment="#")`` and most spreadsheets skip the comment lines; the
    ``sources`` column keeps each row's fact ids for whoever drops them.
    """
    out = io.StringIO()
    record = provenance(dataset, route_ids, date)
    out.write(f"# {PROJECT}: analysis table\n# generated: {record['generated']}\n")
    out.write(f"# data as of: {record['data_as_of']}\n")
    out.write(f"# licence: {DATA_LICENCE}\n# {BOUNDARIES_CREDIT}\n")
    for source in record["sources"]:
        credit = ", ".join(v for v in (source["publisher"], source["date"], source["url"]) if v)
        out.write(f"# source {source['id']}: {source['title']} ({credit})\n")
    out.write("".join(f"# {line}\n" for line in _RELATIONS))
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for route_id in route_ids:
        writer.writerows(_csv_rows(dataset, analyses[route_id], route_id))
    return out.getvalue()


def _csv_rows(dataset: Dataset, analysis: Analysis, route_id: str) -> list[dict[str, Any]]:
    route = dataset.routes[route_id]
    rec = analysis_record(analysis, route)
    common = {
        "route_id": rec["id"],
        "route_name": rec["name"],
        "role": rec["role"],
        "baseline": rec["baseline"] or "",
        "origin": rec["origin"],
        "destination": rec["destination"],
        "route_length_km": rec["length_km"],
        "sources": ";".join(route.sources),
    }
    rows = []
    borders = borders_citation(dataset)
    for relation in ("transit", "touches", "skirted", "bypassed"):
        for state in rec[relation]:
            rows.append(
                {
                    **common,
                    "relation": relation,
                    "iso3": state["iso3"],
                    "state": state["name"],
                    "km": state.get("km", ""),
                    "share": state.get("share", ""),
                    "min_km": state.get("min_km", ""),
                    "via_canal": state.get("via_canal", ""),
                    # Measured, not quoted: the source is the borders measured on.
                    "sources": BOUNDARIES_FACT,
                    "source_urls": borders.url or NO_SOURCE,
                }
            )
    for leg in route.legs:
        cited = citations(dataset, leg.sources)
        rows.append(
            {
                **common,
                "relation": "leg",
                "km": km(leg_km(leg)),
                "leg_id": leg.id,
                "leg": leg.name,
                "mode": leg.mode,
                "status": format_status(leg.status, leg.as_of),
                "as_of": leg.as_of,
                "standing": standing(cited),
                "sources": ";".join(leg.sources),
                "source_urls": " ".join(dict.fromkeys(c.url for c in cited if c.url)) or NO_SOURCE,
            }
        )
    return rows


def routes_geojson(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    route_ids: Sequence[str],
    *,
    date: dt.date | str,
) -> str:
    """Return the routes as one GeoJSON FeatureCollection, legs first, then waypoints.

    Route metadata with its analysis goes in a top-level ``corridors`` member and the sources and
    licence in ``provenance`` (foreign members, which RFC 7946 section 6.1 allows).
    """
    features: list[dict[str, Any]] = []
    corridors = []
    for route_id in route_ids:
        route = dataset.routes[route_id]
        corridors.append(
            {
                "id": route.id,
                "name": route.name,
                "role": route.role,
                "colour": route.colour,
                "description": route.description,
                "sources": list(route.sources),
                "analysis": analysis_record(analyses[route_id], route),
            }
        )
        common = {"route_id": route.id, "route_name": route.name}
        for leg in route.legs:
            features.append(
                {
                    "type": "Feature",
                    "id": leg.id,
                    "properties": {
                        **common,
                        "feature": "leg",
                        "name": leg.name,
                        "mode": leg.mode,
                        "status": leg.status,
                        "as_of": leg.as_of,
                        "status_text": format_status(leg.status, leg.as_of),
                        "year": leg.year,
                        "closed_year": leg.closed_year,
                        "length_km_stated": leg.length_km_stated,
                        "note": leg.note,
                        "standing": standing(citations(dataset, leg.sources)),
                        "sources": list(leg.sources),
                        "source_urls": source_urls(dataset, leg.sources),
                    },
                    "geometry": {
                        "type": "LineString",
                        "coordinates": [list(c) for c in leg.coords],
                    },
                }
            )
        for wp in route.waypoints:
            features.append(
                {
                    "type": "Feature",
                    "id": wp.id,
                    "properties": {
                        **common,
                        "feature": "waypoint",
                        "name": wp.name,
                        "kind": wp.kind,
                        "iso3": wp.iso3,
                        "note": wp.note,
                        "sources": list(wp.sources),
                    },
                    "geometry": {"type": "Point", "coordinates": [wp.lon, wp.lat]},
                }
            )
    collection = {
        "type": "FeatureCollection",
        "provenance": provenance(dataset, route_ids, date),
        "corridors": corridors,
        "features": features,
    }
    return json.dumps(collection, ensure_ascii=False, indent=1) + "\n"


# Standalone page ----------------------------------------------------------------------------------

_SCRIPT = re.compile(r'<script\s+src="([^"]+)"\s*>\s*</script>')
_STYLESHEET = re.compile(r'<link\s+rel="stylesheet"\s+href="([^"]+)"\s*/?>')
_TILE_LAYER = re.compile(r"L\.tileLayer(?:\.wms)?\(\s*\"([^\"]*)\"")
#: folium's other defaults (jQuery, Bootstrap, Font Awesome, awesome-markers): only folium.Icon
#: markers need them, and the page refuses those rather than fetch them.
_UNNEEDED = {url for _, url in [*folium.Map.default_js, *folium.Map.default_css]} - {
    url
    for name, url in [*folium.Map.default_js, *folium.Map.default_css]
    if name.startswith("leaflet")
}


def _data_uri(path: Path) -> str:
    return "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode("ascii")


def _leaflet_css() -> str:
    """Return Leaflet's stylesheet with its images inlined as data URIs."""
    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    return re.sub(
        r"url\((images/[\w.-]+\.png)\)", lambda m: f"url({_data_uri(LEAFLET_DIR / m[1])})", css
    )


def _leaflet_js() -> str:
    """Return Leaflet's script, with the default marker icons pointed at inlined images.

    Leaflet finds its marker images relative to its stylesheet's URL, which an inlined stylesheet
    does not have; setting the icon URLs outright (and the path prefix to '') sidesteps that.
    """
    js = (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8")
    images = LEAFLET_DIR / "images"
    icons = {
        "iconUrl": _data_uri(images / "marker-icon.png"),
        "iconRetinaUrl": _data_uri(images / "marker-icon-2x.png"),
        "shadowUrl": _data_uri(images / "marker-shadow.png"),
    }
    return (
        f"{js}\nL.Icon.Default.imagePath = '';\nL.Icon.Default.mergeOptions({json.dumps(icons)});"
    )


def standalone_html(
    fmap: folium.Map,
    *,
    title: str = "",
    subtitle: str = "",
    credit: str = "",
    date: dt.date | str = "",
    sources: Sequence[Source] = (),
) -> str:
    """Return the map as one self-contained HTML page that works offline.

    Leaflet's script and stylesheet (from XStatic-Leaflet) are inlined, folium's other CDN
    libraries are dropped, and a caption with the title, credit and date is added.

    Parameters
    ----------
    fmap
        The map, with its vector basemap and layers; see :func:`corridors.webmap.map.build_map`.
    title, subtitle, credit, date
        Caption text; ``credit`` is usually :func:`corridors.provenance.attribution`.
    sources
        The source notes the map's routes cite (:func:`corridors.provenance.cited_sources`),
        listed under the caption, folded, each linked: a reader of the page can follow them,
        which the map's hover tooltips do not allow.

    Raises
    ------
    ValueError
        If the map has a tile layer or loads any other remote file: such a page would not work
        offline, and it must not fetch anything from a third party when opened.
    """
    page = fmap.get_root().render()
    tiles = _TILE_LAYER.findall(page)
    if tiles:
        msg = f"the map has a tile layer ({tiles[0]}); a standalone page needs the vector basemap"
        raise ValueError(msg)
    if any(isinstance(child, Draw) for child in fmap._children.values()):
        msg = "the map has the line tool (folium.plugins.Draw), which only the dashboard serves"
        raise ValueError(msg)
    if "L.AwesomeMarkers" in page:
        msg = "the map uses folium.Icon markers, which need files from CDNs; use CircleMarker"
        raise ValueError(msg)

    def script(match: re.Match[str]) -> str:
        url = match[1]
        if url.rsplit("/", 1)[-1] == "leaflet.js":
            return f"<script>{_leaflet_js()}</script>"
        if url == dict(leaflet_links(STATIC_URL)[0])[MAP_SCRIPT]:
            # Leaflet and the map's own script; Leaflet.draw, the rest of that file, only
            # serves the dashboard's line tool, which a standalone page refuses.
            own = (MAP_SCRIPTS.source_dir / MAP_SCRIPTS.script).read_text()
            return f"<script>{_leaflet_js()}</script>\n<script>{own}</script>"
        if url in _UNNEEDED:
            return ""
        msg = f"the map loads a script from {url}; a standalone page cannot"
        raise ValueError(msg)

    def stylesheet(match: re.Match[str]) -> str:
        url = match[1]
        if url.rsplit("/", 1)[-1] == "leaflet.css":
            return f"<style>{_leaflet_css()}</style>"
        if url == MAP_SCRIPTS.links(STATIC_URL)[1]:
            return f"<style>{(MAP_SCRIPTS.source_dir / MAP_SCRIPTS.stylesheet).read_text()}</style>"
        if url in _UNNEEDED:
            return ""
        msg = f"the map loads a stylesheet from {url}; a standalone page cannot"
        raise ValueError(msg)

    page = _SCRIPT.sub(script, page)
    page = _STYLESHEET.sub(stylesheet, page)
    head = f"<title>{escape_html(title or 'Corridors map')}</title>\n"
    page = page.replace("<head>", "<head>\n" + head, 1)
    # First in the body, though drawn over the map: read first, and first to Tab to.
    caption = _caption(title, subtitle, credit, str(date), sources)
    return page.replace("<body>", "<body>\n" + caption, 1)


def _sources_list(sources: Sequence[Source]) -> str:
    """Return the folded list of sources, each linked (new tab) with its publisher and date."""
    items = "".join(
        f"<li>{html_link(s.title, s.url)} ({escape_html(s.publisher)}, "
        f"{escape_html(format_date(s.date))})</li>"
        for s in sources
    )
    return (
        f'<details class="corridors-sources"><summary>Sources ({len(sources)})</summary>'
        f"<ul>{items}</ul></details>"
    )


def _caption(
    title: str, subtitle: str, credit: str, date: str, sources: Sequence[Source] = ()
) -> str:
    """Return a fixed caption box: title and subtitle on top, credit, date and sources below."""
    parts = []
    if title:
        parts.append(f'<div class="corridors-title">{escape_html(title)}</div>')
    if subtitle:
        parts.append(f'<div class="corridors-subtitle">{escape_html(subtitle)}</div>')
    if credit or date:
        # Two lines of it show, the rest on opening it (caption.css); all of it is in the page.
        line = escape_html(" ".join(p for p in (credit, date) if p))
        parts.append(f'<details class="corridors-credit"><summary>{line}</summary></details>')
    if sources:
        parts.append(_sources_list(sources))
    if not parts:
        return ""
    style = (MAP_SCRIPTS.source_dir / "caption.css").read_text()
    return f'<style>{style}</style><div class="corridors-caption">{"".join(parts)}</div>'
