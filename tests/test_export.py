"""Exports: snapshots (PNG, SVG, PDF), the standalone page, the CSV table and the GeoJSON routes.

Everything runs on ``tests/fixtures/export``: box-shaped states and two corridors with baselines,
so each test knows its answer and the module runs in a few seconds.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
import struct
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image
from pypdf import PdfReader

from corridors import style, webmap
from corridors.data import Dataset, load_dataset, load_states
from corridors.export import (
    CSV_COLUMNS,
    SIZE_PRESETS,
    analysis_csv,
    bbox_from_leaflet,
    default_titles,
    file_stem,
    render_snapshot,
    resolve_size,
    routes_geojson,
    standalone_html,
)
from corridors.figures import km
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.printmap.cartography import GEOD, LabelPlacer, fit_view, nice_distance, scale_bar
from corridors.printmap.figure import SnapshotFigure
from corridors.printmap.placement import HALO_GID
from corridors.printmap.snapshot import write_snapshot
from corridors.provenance import BOUNDARIES_FACT, cited_sources

FIXTURE = Path(__file__).parent / "fixtures" / "export"
DATE = "2025-11-22"
BOTH = ["middle-corridor", "tripp"]
#: Hosts a page must never load from when it is meant to work offline.
CDN_HOSTS = (
    "cdn.jsdelivr.net",
    "unpkg.com",
    "cdnjs.cloudflare.com",
    "code.jquery.com",
    "netdna.bootstrapcdn.com",
    "tile.openstreetmap.org",
    "basemaps.cartocdn.com",
)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(FIXTURE / "data", FIXTURE / "seeds")


@pytest.fixture(scope="module")
def states() -> gpd.GeoDataFrame:
    """Seven boxes with real ISO codes: GEO, ARM, AZE, TUR, IRN, RUS, KAZ (see the README)."""
    return load_states(FIXTURE / "states.geojson")


@pytest.fixture(scope="module")
def analyses(dataset: Dataset, states: gpd.GeoDataFrame) -> Mapping[str, Analysis]:
    return analyse_routes(dataset.routes, StateIndex(states), dataset.chokepoints)


@pytest.fixture(scope="module")
def snap(dataset: Dataset, analyses: Mapping[str, Analysis], states: gpd.GeoDataFrame):
    """Render a snapshot of the fixture with defaults that the test may override."""

    def make(**kwargs) -> bytes:
        args = {
            "visible": BOTH,
            "selected": "middle-corridor",
            "title": "Middle Corridor",
            "subtitle": "Aktau to Kars",
            "date": DATE,
            "fmt": "png",
            "size": "slide-16x9",
        }
        return render_snapshot(dataset, analyses, states, **(args | kwargs))

    return make


def _pixels(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def _count(pixels: np.ndarray, colour: str) -> int:
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int(np.all(pixels == rgb, axis=-1).sum())


# Snapshots ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", ["slide-16x9", "square"])
def test_png_has_the_preset_size(snap, preset: str) -> None:
    image = Image.open(io.BytesIO(snap(size=preset)))
    assert image.format == "PNG"
    assert image.size == (SIZE_PRESETS[preset].width, SIZE_PRESETS[preset].height)


def test_png_shows_each_visible_corridor_in_its_colour(snap, dataset: Dataset) -> None:
    pixels = _pixels(snap(selected=None))
    for route_id in BOTH:
        assert _count(pixels, dataset.routes[route_id].colour) > 200, route_id


def test_png_leaves_out_corridors_switched_off(snap, dataset: Dataset) -> None:
    pixels = _pixels(snap(visible=["tripp"], selected=None))
    assert _count(pixels, dataset.routes["tripp"].colour) > 200
    assert _count(pixels, dataset.routes["middle-corridor"].colour) == 0


def test_png_fills_the_selected_corridors_transit_states(snap) -> None:
    pixels = _pixels(snap())
    assert _count(pixels, style.CROSSED_FILL) > 10_000
    assert _count(_pixels(snap(selected=None)), style.CROSSED_FILL) == 0


def test_svg_parses_with_route_paths_and_legend_text(snap, dataset: Dataset) -> None:
    svg = snap(fmt="svg").decode("utf-8")
    root = ET.fromstring(svg)
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert {
        "Middle Corridor",
        "TRIPP",
        "Rail or road, operational",
        "Planned or being built",
    } <= texts
    assert {"Georgia", "Azerbaijan", "Russia"} <= texts  # transit and bypassed states labelled
    assert "2025-11-22" in texts
    for route_id in BOTH:
        colour = dataset.routes[route_id].colour.lower()
        assert f"stroke: {colour}" in svg, route_id
    assert "<image" not in svg  # vector all through, no embedded raster


def test_the_legend_lists_only_the_routes_in_frame(snap) -> None:
    """A snapshot of the map's view names what it shows, not every corridor switched on."""
    svg = snap(fmt="svg", bbox=(55.0, 40.0, 60.0, 46.0)).decode("utf-8")
    root = ET.fromstring(svg)
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Middle Corridor" in texts
    assert "TRIPP" not in texts  # switched on, but west of the frame


@pytest.mark.parametrize(
    ("preset", "points"),
    [("a4-landscape", (841.89, 595.28)), ("slide-16x9", (864.0, 486.0))],
)
def test_pdf_page_has_the_presets_printed_size(
    snap, preset: str, points: tuple[float, float]
) -> None:
    reader = PdfReader(io.BytesIO(snap(fmt="pdf", size=preset)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(points, abs=0.1)
    assert "Middle Corridor" in reader.pages[0].extract_text()  # text stays text


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_same_inputs_give_identical_bytes(snap, fmt: str) -> None:
    assert snap(fmt=fmt) == snap(fmt=fmt)


def test_snapshot_fits_a_custom_size(snap) -> None:
    png = snap(size=resolve_size(width=800, height=1000, dpi=100))
    assert Image.open(io.BytesIO(png)).size == (800, 1000)


def _png_chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Return a PNG's chunks, type and data, after checking its signature and each CRC.

    PIL does not check the image data's.
    """
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(png):
        (length,) = struct.unpack(">I", png[at : at + 4])
        kind, data = png[at + 4 : at + 8], png[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", png[at + 8 + length : at + 12 + length])
        assert crc == zlib.crc32(kind + data), kind
        chunks.append((kind, data))
        at += 12 + length
    return chunks


@pytest.mark.parametrize(
    ("title", "face", "mode"),
    [("Middle Corridor", "white", "RGB"), ("Türkiye – Azerbaijan", (1, 1, 1, 0.5), "RGBA")],
)
def test_png_holds_the_drawn_pixels_its_dpi_and_title(title: str, face: object, mode: str) -> None:
    """PIL reads back what the canvas drew, in RGB where the page is opaque, and every chunk
    is whole.

    A title beyond Latin-1 (the en dash) is stored as UTF-8; a page that is not opaque keeps
    its alpha.
    """
    fig = Figure(figsize=(3, 2), dpi=160, facecolor=face)
    FigureCanvasAgg(fig)
    fig.add_axes((0.1, 0.1, 0.8, 0.8)).plot([0, 1], [0, 1])
    png = write_snapshot(fig, "png", title)
    text = b"tEXt" if mode == "RGB" else b"iTXt"
    kinds = [kind for kind, _ in _png_chunks(png)]
    assert (kinds[0], kinds[-1]) == (b"IHDR", b"IEND")
    assert {b"pHYs", text, b"IDAT"} <= set(kinds)
    image = Image.open(io.BytesIO(png))
    drawn = np.asarray(fig.canvas.buffer_rgba())  # type: ignore[attr-defined]
    assert image.mode == mode
    assert np.array_equal(np.asarray(image), drawn[..., : len(mode)])
    assert image.info["Title"] == title
    assert image.info["dpi"] == pytest.approx((160, 160), abs=0.01)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"visible": ["nope"]}, "unknown route id"),
        ({"selected": "nope"}, "unknown route id"),
        ({"fmt": "gif"}, "unknown format"),
        ({"bbox": (10, 50, 5, 40)}, "bbox must have"),
        ({"size": "poster"}, "unknown size"),
    ],
)
def test_snapshot_rejects_bad_arguments(snap, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        snap(**kwargs)


def test_snapshot_draws_baselines_in_grey_when_asked(snap) -> None:
    with_baselines = _count(_pixels(snap(selected=None, show_baselines=True)), style.BASELINE_GREY)
    without = _count(_pixels(snap(selected=None)), style.BASELINE_GREY)
    assert with_baselines > 1000
    assert without < 100  # a few anti-aliased text pixels at most


def test_labels_never_overlap(dataset: Dataset, analyses: Mapping[str, Analysis]) -> None:
    """On the real boundaries around the Caucasus: many states, little room."""
    states = load_states()
    for size in (SIZE_PRESETS["slide-16x9"], SIZE_PRESETS["square"]):
        fig = Figure(figsize=size.inches, dpi=size.dpi)
        FigureCanvasAgg(fig)
        routes = [dataset.routes[i] for i in BOTH]
        SnapshotFigure(
            fig, dataset, analyses, states, routes=routes, selected="middle-corridor"
        ).draw((35.0, 36.0, 62.0, 48.0), "Title", "Subtitle", DATE)
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        labels = [t for t in ax.texts if t.get_gid() != HALO_GID]
        boxes = [t.get_window_extent(renderer) for t in labels]
        assert len(boxes) >= 10  # states, waypoints and the scale bar are labelled
        assert not [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)]
        frame = ax.get_window_extent(renderer)
        assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in boxes)
        assert {"Georgia", "Azerbaijan", "Kazakhstan"} <= {t.get_text() for t in labels}


# Map furniture ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bbox", "y_fraction"),
    [
        ((40.0, 38.0, 50.0, 44.0), 0.05),
        ((20.0, 10.0, 120.0, 60.0), 0.05),
        ((20.0, 10.0, 120.0, 60.0), 0.9),
    ],
)
def test_scale_bar_is_true_where_it_is_drawn(bbox, y_fraction: float) -> None:
    view = fit_view(bbox, 16 / 9)
    x0 = view.xlim[0] + 0.05 * (view.xlim[1] - view.xlim[0])
    y = view.ylim[0] + y_fraction * (view.ylim[1] - view.ylim[0])
    length, km = scale_bar(view, x0, y)
    lon, lat = view.inverse.transform([x0, x0 + length], [y, y])
    measured = GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] / 1000
    assert measured == pytest.approx(km, rel=1e-3)
    assert km == nice_distance(km)


def test_fit_view_widens_to_the_frame_and_keeps_the_extent() -> None:
    bbox = (40.0, 38.0, 50.0, 44.0)
    view = fit_view(bbox, 4.0)
    width, height = view.xlim[1] - view.xlim[0], view.ylim[1] - view.ylim[0]
    assert width / height == pytest.approx(4.0)
    corners = view.forward.transform([40, 50, 40, 50], [38, 38, 44, 44])
    assert all(view.xlim[0] <= x <= view.xlim[1] for x in corners[0])
    assert all(view.ylim[0] <= y <= view.ylim[1] for y in corners[1])


def test_label_placer_refuses_overlaps_and_the_frame_edge() -> None:
    from matplotlib.transforms import Bbox

    placer = LabelPlacer(Bbox([[0, 0], [100, 100]]), pad=1)
    first = Bbox([[10, 10], [30, 20]])
    assert placer.fits(first)
    placer.take(first)
    assert not placer.fits(Bbox([[25, 15], [45, 25]]))
    assert placer.fits(Bbox([[40, 40], [60, 50]]))
    assert not placer.fits(Bbox([[90, 90], [110, 95]]))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"preset": "poster"}, "unknown size 'poster'"),
        ({"width": 800}, "give both width and height"),
        ({"width": 50, "height": 50}, "must be 200 to 10000 px"),
        ({"dpi": 5}, "dpi must be"),
    ],
)
def test_resolve_size_names_the_bad_value(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        resolve_size(**kwargs)


def test_size_presets_match_their_formats() -> None:
    a4 = SIZE_PRESETS["a4-landscape"]
    assert a4.inches == pytest.approx((297 / 25.4, 210 / 25.4), abs=0.01)
    assert (SIZE_PRESETS["slide-16x9"].width, SIZE_PRESETS["slide-16x9"].height) == (1920, 1080)
    assert SIZE_PRESETS["square"].width == SIZE_PRESETS["square"].height == 1080


# Titles and names ---------------------------------------------------------------------------------


def test_default_titles_describe_the_selection(dataset, analyses) -> None:
    title, subtitle = default_titles(dataset, analyses, BOTH, "middle-corridor")
    assert title == "Middle Corridor"
    assert subtitle == (
        "Aktau to Kars: crosses Kazakhstan, Azerbaijan, Georgia and Türkiye; bypasses Russia"
    )
    assert default_titles(dataset, analyses, BOTH, None) == (
        "Eurasian trade corridors",
        "Middle Corridor and TRIPP",
    )


def test_file_stem_names_the_selection_and_date() -> None:
    assert file_stem(BOTH, "tripp", DATE) == "tripp-map-2025-11-22"
    assert file_stem(["a", "b", "c"], None, DATE) == "corridors-map-2025-11-22"


def test_bbox_from_leaflet_reads_and_clamps_bounds() -> None:
    bounds = {"_southWest": {"lat": 35, "lng": -200}, "_northEast": {"lat": 45, "lng": 55}}
    assert bbox_from_leaflet(bounds) == (-180.0, 35.0, 55.0, 45.0)
    assert bbox_from_leaflet(None) is None
    assert bbox_from_leaflet({"_southWest": {}}) is None


# Standalone page ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page(dataset, analyses, states) -> str:
    fmap = webmap.build_map(
        dataset,
        analyses,
        webmap.display_states(states),
        visible=BOTH,
        selected="tripp",
        show_baselines=True,
    )
    return standalone_html(
        fmap,
        title="TRIPP <and> friends",
        subtitle="Sub",
        credit="Credit",
        date=DATE,
        sources=cited_sources(dataset, BOTH),
    )


def test_page_inlines_leaflet_and_loads_nothing_remote(page: str) -> None:
    assert not re.search(r"<script[^>]+src=", page)
    assert not re.search(r"<link[^>]+href=", page)
    assert not [host for host in CDN_HOSTS if host in page]
    assert "{z}" not in page
    assert "tileLayer(" not in page
    assert "L.Icon.Default.imagePath = ''" in page  # the inlined Leaflet itself
    assert "data:image/png;base64," in page  # its stylesheet's images


def test_page_has_the_layers_tooltips_and_caption(page: str, dataset: Dataset) -> None:
    for route_id in BOTH:
        for leg in dataset.routes[route_id].legs:
            assert leg.name in page, leg.name  # leg tooltips
    assert "Georgia" in page  # the vector basemap
    assert "<title>TRIPP &lt;and&gt; friends</title>" in page
    # The credit is a fold's summary: two lines show (caption.css), all of it is in the page.
    assert '<details class="corridors-credit"><summary>Credit 2025-11-22</summary>' in page


def test_page_lists_its_sources_each_linked_in_a_new_tab(page: str, dataset: Dataset) -> None:
    """The hover tooltips' links cannot be clicked; the caption's folded list can."""
    sources = cited_sources(dataset, BOTH)
    assert sources
    assert f"<summary>Sources ({len(sources)})</summary>" in page
    for source in sources:
        assert f'<a href="{source.url}" target="_blank" rel="noopener">' in page


def test_a_hostile_source_in_the_page_is_text(dataset: Dataset) -> None:
    (note, *_) = dataset.sources.values()
    evil = note.model_copy(update={"title": "<script>alert(1)</script>", "url": "javascript:x"})
    page = standalone_html(folium.Map(tiles=None), sources=[evil])
    html = page[page.index('<div class="corridors-caption">') : page.index('class="folium-map')]
    assert "<script>alert" not in html
    assert "href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; (no source link)" in html


def test_page_refuses_a_tile_layer_or_remote_script() -> None:
    with pytest.raises(ValueError, match="tile layer"):
        standalone_html(folium.Map())
    fmap = folium.Map(tiles=None)
    fmap.default_js = [*fmap.default_js, ("plugin", "https://example.org/plugin.js")]
    with pytest.raises(ValueError, match=r"https://example\.org/plugin\.js"):
        standalone_html(fmap)


def test_page_refuses_the_line_tool(dataset: Dataset, states: gpd.GeoDataFrame) -> None:
    """Leaflet.draw is served with the dashboard's map script; a standalone page has no tool."""
    fmap = webmap.build_base_map(dataset, webmap.display_states(states), line_tool=True)
    with pytest.raises(ValueError, match="line tool"):
        standalone_html(fmap)


# Data out -----------------------------------------------------------------------------------------


def _csv_rows(text: str) -> tuple[list[str], list[dict[str, str]]]:
    comments = [line for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    reader = csv.DictReader(io.StringIO(body))
    return comments, list(reader)


def test_csv_has_provenance_columns_and_the_analysis(dataset, analyses) -> None:
    comments, rows = _csv_rows(analysis_csv(dataset, analyses, BOTH, date=DATE))
    assert "# generated: 2025-11-22" in comments
    assert "# licence: MIT" in comments
    assert any("Natural Earth" in line for line in comments)
    assert any(line.startswith("# source fixture-notes: Fixture notes") for line in comments)
    assert tuple(rows[0]) == CSV_COLUMNS
    middle = analyses["middle-corridor"]
    transit = [r for r in rows if r["route_id"] == "middle-corridor" and r["relation"] == "transit"]
    assert [r["iso3"] for r in transit] == [s.iso3 for s in middle.transit]
    assert [float(r["km"]) for r in transit] == [km(s.km) for s in middle.transit]
    # A leg cites its facts; a state's km and share cite the borders they are measured on.
    assert {r["sources"] for r in rows if r["relation"] == "leg"} == {"fixture-fact"}
    assert {r["sources"] for r in rows if r["relation"] != "leg"} == {BOUNDARIES_FACT}
    bypassed = [(r["route_id"], r["iso3"]) for r in rows if r["relation"] == "bypassed"]
    assert bypassed == [("middle-corridor", "RUS"), ("tripp", "IRN")]


def _dated(dataset: Dataset, route_id: str, as_of: str) -> Dataset:
    """Return the dataset with the route's first leg confirmed on ``as_of``."""
    route = dataset.routes[route_id]
    leg = dataclasses.replace(route.legs[0], as_of=as_of)
    routes = {**dataset.routes, route_id: dataclasses.replace(route, legs=(leg, *route.legs[1:]))}
    return dataclasses.replace(dataset, routes=routes)


def test_csv_lists_each_leg_with_its_status_as_of_and_source_links(dataset, analyses) -> None:
    dated = _dated(dataset, "tripp", "2026-03-09")
    _, rows = _csv_rows(analysis_csv(dated, analyses, ["tripp"], date=DATE))
    legs = [r for r in rows if r["relation"] == "leg"]
    route = dated.routes["tripp"]
    assert [r["leg_id"] for r in legs] == [leg.id for leg in route.legs]
    first = legs[0]
    assert first["leg"] == route.legs[0].name
    assert first["status"] == f"{route.legs[0].status} (as of 9 March 2026)"
    assert first["as_of"] == "2026-03-09"
    assert first["sources"] == "fixture-fact"
    assert first["source_urls"] == "https://example.org/fixture"
    assert first["standing"] in {"verified", "claim", "disputed"}
    assert all(r["status"].endswith("(as of 2025)") for r in legs[1:])
    # State rows keep their shape: no leg fields; their figures are measured, not quoted.
    states = [r for r in rows if r["relation"] != "leg"]
    assert all(r["leg"] == r["status"] == r["standing"] == "" for r in states)
    assert {r["source_urls"] for r in states} == {"no source"}


def test_geojson_legs_carry_their_as_of_date_and_source_links(dataset, analyses) -> None:
    dated = _dated(dataset, "tripp", "2026-03-09")
    collection = json.loads(routes_geojson(dated, analyses, ["tripp"], date=DATE))
    legs = [f["properties"] for f in collection["features"] if f["properties"]["feature"] == "leg"]
    status = dated.routes["tripp"].legs[0].status
    assert legs[0]["as_of"] == "2026-03-09"
    assert legs[0]["status"] == status
    assert legs[0]["status_text"] == f"{status} (as of 9 March 2026)"
    assert legs[0]["sources"] == ["fixture-fact"]
    assert legs[0]["source_urls"] == ["https://example.org/fixture"]
    assert legs[0]["standing"] in {"verified", "claim", "disputed"}
    assert all(leg["status_text"].endswith("(as of 2025)") for leg in legs[1:])


def test_geojson_is_valid_with_provenance(dataset, analyses) -> None:
    collection = json.loads(routes_geojson(dataset, analyses, ["tripp"], date=DATE))
    assert collection["type"] == "FeatureCollection"
    provenance = collection["provenance"]
    assert provenance["licence"] == "MIT"
    assert provenance["generated"] == DATE
    assert [s["id"] for s in provenance["sources"]] == ["fixture-notes"]
    assert "Natural Earth" in provenance["boundaries"]
    route = dataset.routes["tripp"]
    assert [c["id"] for c in collection["corridors"]] == ["tripp"]
    assert collection["corridors"][0]["analysis"]["bypassed"] == [{"iso3": "IRN", "name": "Iran"}]
    features = collection["features"]
    assert len(features) == len(route.legs) + len(route.waypoints)
    for feature, leg in zip(features, route.legs, strict=False):
        assert feature["geometry"] == {
            "type": "LineString",
            "coordinates": [list(c) for c in leg.coords],
        }
        assert feature["properties"]["route_id"] == "tripp"
    point = features[-1]
    assert point["geometry"]["type"] == "Point"
    assert point["properties"]["feature"] == "waypoint"


def test_text_with_dollar_signs_is_not_read_as_mathematics(snap) -> None:
    svg = snap(fmt="svg", title="Costs $5bn to $7bn").decode("utf-8")
    assert "Costs $5bn to $7bn" in svg


def test_page_is_reproducible(dataset, analyses, states) -> None:
    def build() -> str:
        fmap = webmap.build_map(
            dataset,
            analyses,
            webmap.display_states(states),
            visible=BOTH,
            selected=None,
            show_baselines=False,
        )
        return standalone_html(fmap, title="T", date=DATE)

    assert build() == build()
