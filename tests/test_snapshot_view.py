"""Snapshots of a view: the year, the closures, the frame drawn, place names, inset and focus.

The snapshot must draw what the dashboard's map draws for the same view. These tests read the
matplotlib figure itself (its lines, texts and axes) and the SVG and PDF files, on the export
fixture (``tests/fixtures/export``: box-shaped states, two corridors and their baselines).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from itertools import combinations
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PathCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from PIL import Image
from pypdf import PdfReader

from corridors import style
from corridors.data import Dataset, load_dataset, load_states
from corridors.export import render_snapshot
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.places import Place, load_places
from corridors.policy.closures import ClosureResult, apply_closures, build_exposure, entry_breaks
from corridors.policy.describe import map_note
from corridors.policy.timeline import analysis_in_year, timeline_disruptions
from corridors.printmap.cartography import frame_outline
from corridors.printmap.figure import SnapshotFigure
from corridors.printmap.furniture import LOCATOR_GID
from corridors.printmap.page import CAPTION_GID
from corridors.printmap.placement import HALO_GID, MAX_SEA_LABEL_ON_LAND

FIXTURE = Path(__file__).parent / "fixtures" / "export"
DATE = "2025-11-22"
BOTH = ["middle-corridor", "tripp"]
#: The Baku-Tbilisi leg opens in 2020 in this variant of the fixture.
OPENS = 2020
SVG = "{http://www.w3.org/2000/svg}"
#: Years searched for one with disruptions in the bundled data.
YEAR_SPAN = (1990, 2031)


def _anchor(snapshot: SnapshotFigure, text, leader: Line2D | None) -> tuple[float, float]:
    """Return the point a label names, ``(lon, lat)``: its leader's far end, or the label."""
    x, y = text.get_position() if leader is None else (leader.get_xdata()[0], leader.get_ydata()[0])
    return snapshot.view.inverse.transform(x, y)


@pytest.fixture(scope="module")
def states() -> gpd.GeoDataFrame:
    return load_states(FIXTURE / "states.geojson")


@pytest.fixture(scope="module")
def index(states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(states)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    """The fixture with a year on the Middle Corridor's Baku-Tbilisi leg: open from 2020."""
    loaded = load_dataset(FIXTURE / "data", FIXTURE / "seeds")
    route = loaded.routes["middle-corridor"]
    legs = tuple(
        dataclasses.replace(leg, year=OPENS) if leg.name == "Baku - Tbilisi" else leg
        for leg in route.legs
    )
    routes = {**loaded.routes, route.id: dataclasses.replace(route, legs=legs)}
    return dataclasses.replace(loaded, routes=routes)


@pytest.fixture(scope="module")
def analyses(dataset: Dataset, index: StateIndex) -> Mapping[str, Analysis]:
    return analyse_routes(dataset.routes, index, dataset.chokepoints)


@pytest.fixture(scope="module")
def closed_armenia(dataset: Dataset, index: StateIndex) -> ClosureResult:
    exposure = build_exposure((*dataset.corridors, *dataset.baselines), index, dataset.chokepoints)
    return apply_closures(exposure, states=["ARM"])


PLACES = (
    Place("fixture-sea", "Fixture Sea", "sea", 1, ((51.5, 44.0),), ("fixture-fact",)),
    Place("syunik", "Syunik", "region", 2, ((45.5, 40.5), (45.0, 40.2)), ("fixture-fact",), "ARM"),
    Place("close-strait", "Close Strait", "strait", 3, ((51.8, 41.5),), ("fixture-fact",)),
)


@pytest.fixture(scope="module")
def draw(dataset: Dataset, analyses: Mapping[str, Analysis], states: gpd.GeoDataFrame):
    """Draw a snapshot figure; return it and the :class:`SnapshotFigure` that drew it."""

    def make(
        *,
        visible=BOTH,
        selected: str | None = "middle-corridor",
        extent=(36.0, 36.0, 62.0, 48.0),
        size=(12.0, 6.75),
        shown_analyses: Mapping[str, Analysis] | None = None,
        **kwargs,
    ) -> tuple[Figure, SnapshotFigure]:
        fig = Figure(figsize=size, dpi=100)
        FigureCanvasAgg(fig)
        snapshot = SnapshotFigure(
            fig,
            dataset,
            shown_analyses or analyses,
            states,
            routes=[dataset.routes[i] for i in visible],
            selected=selected,
            **kwargs,
        )
        snapshot.draw(extent, "Title", "Subtitle", DATE)
        return fig, snapshot

    return make


def _route_lines(fig: Figure, colour: str) -> list[Line2D]:
    return [
        line
        for line in fig.axes[0].get_lines()
        if to_hex(line.get_color()) == colour.lower() and line.get_gid() is None
    ]


def _legend_texts(fig: Figure) -> list[str]:
    return [t.get_text().replace("\n", " ") for t in fig.legends[0].get_texts()]


def _caption(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.texts if t.get_gid() == CAPTION_GID)


def _svg_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg.decode("utf-8"))
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


# The year ---------------------------------------------------------------------------------------


def test_a_year_draws_each_leg_as_the_map_does(draw, dataset: Dataset) -> None:
    """Every leg's opacity is :func:`style.leg_look`'s for the year: not yet open is a ghost."""
    route = dataset.routes["middle-corridor"]
    for year in (None, OPENS - 1, OPENS):
        fig, _ = draw(year=year)
        alphas = sorted(line.get_alpha() for line in _route_lines(fig, route.colour))
        wanted = sorted(
            style.leg_look(leg, route.colour, selected=True, year=year).opacity
            for leg in route.legs
        )
        assert alphas == pytest.approx(wanted), year
    ghost = style.NOT_YET_OPEN_OPACITY
    assert ghost in [
        line.get_alpha() for line in _route_lines(draw(year=OPENS - 1)[0], route.colour)
    ]


def test_the_legend_and_caption_say_the_year(draw) -> None:
    fig, _ = draw(year=OPENS - 1)
    assert style.LINE_LABELS["not yet open"] in _legend_texts(fig)
    assert _caption(fig) == f"The map shows the routes as in {OPENS - 1}."
    today, _ = draw()
    assert style.LINE_LABELS["not yet open"] not in _legend_texts(today)
    assert _caption(today) == ""


def test_a_year_tints_only_the_states_crossed_then(
    draw, dataset: Dataset, analyses: Mapping[str, Analysis], index: StateIndex
) -> None:
    """In 2019 the Middle Corridor does not reach Georgia yet: Georgia is not tinted."""
    year = OPENS - 1
    shown = {
        rid: analysis_in_year(dataset.routes[rid], a, year, index, dataset.chokepoints)
        for rid, a in analyses.items()
    }
    assert "GEO" not in {s.iso3 for s in shown["middle-corridor"].transit}
    fig, snapshot = draw(year=year, shown_analyses=shown)
    assert "GEO" not in snapshot.highlighted[0]
    tinted = [
        c
        for c in fig.axes[0].collections
        if isinstance(c, PathCollection)
        and to_hex(c.get_facecolor()[0]) == style.CROSSED_FILL.lower()
    ]
    assert tinted
    assert len(tinted[0].get_paths()) == len(snapshot.highlighted[0])


# Closures ---------------------------------------------------------------------------------------


def test_closures_mark_the_cut_legs_and_entries(
    draw, closed_armenia: ClosureResult, dataset: Dataset
) -> None:
    fig, _ = draw(closures=closed_armenia, selected="tripp")
    ax = fig.axes[0]
    cut = [line for line in ax.get_lines() if line.get_gid() == "cut-leg"]
    broken = closed_armenia.broken_legs()["tripp"]
    assert broken
    assert len(cut) == len(broken)
    assert all(to_hex(line.get_color()) == style.CUT_COLOUR for line in cut)
    assert all(line.get_alpha() == style.CUT_OPACITY for line in cut)
    marks = [c for c in ax.collections if c.get_gid() == "cut-mark"]
    entries = entry_breaks(closed_armenia, [dataset.routes[i] for i in BOTH])
    assert len(marks) == 1
    assert len(marks[0].get_offsets()) == len(entries) > 0
    assert to_hex(marks[0].get_facecolor()[0]) == style.CUT_FILL.lower()
    legend = _legend_texts(fig)
    assert {"Cut by a what-if closure", "Where a closure cuts a route"} <= set(legend)
    assert closed_armenia.summary in _caption(fig).replace("\n", " ")
    assert "Armenia closed" in closed_armenia.summary


def test_nothing_closed_adds_no_marks_or_caption(draw, dataset, index) -> None:
    exposure = build_exposure((*dataset.corridors, *dataset.baselines), index, ())
    fig, _ = draw(closures=apply_closures(exposure))
    assert not [c for c in fig.axes[0].collections if c.get_gid() == "cut-mark"]
    assert "Cut by a what-if closure" not in _legend_texts(fig)
    assert _caption(fig) == ""


# The frame drawn --------------------------------------------------------------------------------


def test_the_legend_names_the_routes_in_the_frame_drawn(draw, dataset: Dataset) -> None:
    """A tall extent is widened to the wide frame: TRIPP, outside the extent, is then in it."""
    extent = (52.0, 38.0, 56.0, 46.0)
    tripp = dataset.routes["tripp"]
    assert max(x for leg in tripp.legs for x, _ in leg.coords) < extent[0]
    fig, snapshot = draw(extent=extent, selected=None)
    view = snapshot.view
    frame = shapely.box(view.xlim[0], view.ylim[0], view.xlim[1], view.ylim[1])
    for route_id in BOTH:
        route = dataset.routes[route_id]
        lines = view.project(np.array([shapely.LineString(leg.coords) for leg in route.legs]))
        assert shapely.intersects(lines, frame).any() == (route.name in _legend_texts(fig))
    assert "TRIPP" in _legend_texts(fig)
    assert (fig.axes[0].get_xlim(), fig.axes[0].get_ylim()) == (view.xlim, view.ylim)


def test_a_route_outside_the_frame_drawn_is_not_in_the_legend(draw) -> None:
    fig, _ = draw(extent=(55.0, 40.0, 60.0, 46.0), selected=None)
    assert "Middle Corridor" in _legend_texts(fig)
    assert "TRIPP" not in _legend_texts(fig)


# Names, inset, focus ----------------------------------------------------------------------------


def test_seas_and_regions_are_named_from_the_places_file(draw) -> None:
    fig, _ = draw(places=PLACES, selected="tripp")
    names = {t.get_gid(): t for t in fig.axes[0].texts if t.get_gid() != HALO_GID}
    assert names["place-fixture-sea"].get_text() == "Fixture Sea"
    assert names["place-fixture-sea"].get_color() == style.SEA_INK
    assert names["place-syunik"].get_fontstyle() == "italic"
    assert names["place-syunik"].get_color() == style.REGION_INK
    # A strait is named from zoom 5 only, as on the web map: not on a map of the whole region.
    assert "place-close-strait" not in names


def test_state_labels_lie_in_their_state_and_never_overlap(draw, states) -> None:
    fig, snapshot = draw(places=PLACES, selected="tripp")
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() != HALO_GID]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)]
    shapes = dict(zip(states["iso3"], states.geometry, strict=True))
    leaders = {
        line.get_gid(): line for line in ax.get_lines() if str(line.get_gid()).startswith("leader-")
    }
    named = [t for t in labels if str(t.get_gid()).startswith("state-")]
    assert {"state-ARM", "state-AZE", "state-TUR"} <= {t.get_gid() for t in named}
    for text in named:
        iso3 = text.get_gid().removeprefix("state-")
        lon, lat = _anchor(snapshot, text, leaders.get(f"leader-{iso3}"))
        assert shapes[iso3].contains(shapely.Point(lon, lat)), iso3


def test_the_locator_inset_outlines_the_frame(draw) -> None:
    fig, snapshot = draw()
    insets = [a for a in fig.axes if a.get_gid() == LOCATOR_GID]
    assert len(insets) == 1
    outline = frame_outline(snapshot.view)
    patch = next(p for p in insets[0].patches if isinstance(p, PathPatch))
    assert np.allclose(patch.get_path().vertices[:-1], outline[:-1])
    (x0, x1), (y0, y1) = insets[0].get_xlim(), insets[0].get_ylim()
    assert x0 < outline[:, 0].min()
    assert outline[:, 0].max() < x1
    assert y0 < outline[:, 1].min()
    assert outline[:, 1].max() < y1
    frame, inset = fig.axes[0].get_window_extent(), insets[0].get_window_extent()
    assert frame.x0 < inset.x0
    assert inset.x1 < frame.x1
    assert inset.y1 < frame.y1
    assert inset.width < 0.3 * frame.width


def test_a_map_of_most_of_the_world_has_no_inset(draw) -> None:
    fig, _ = draw(extent=(-170.0, -50.0, 170.0, 70.0), selected=None)
    assert not [a for a in fig.axes if a.get_gid() == LOCATOR_GID]


def test_the_focal_section_stands_out_where_the_baseline_does_not_run(
    draw, dataset: Dataset, states
) -> None:
    """TRIPP crosses Armenia where its baseline crosses Iran: a band marks its Armenian part."""
    fig, snapshot = draw(selected="tripp")
    assert snapshot.focus == ("ARM",)
    bands = [line for line in fig.axes[0].get_lines() if line.get_gid() == "focus"]
    assert bands
    armenia = states.set_index("iso3").geometry["ARM"].buffer(0.01)
    for band in bands:
        assert to_hex(band.get_color()) == dataset.routes["tripp"].colour.lower()
        lon, lat = snapshot.view.inverse.transform(band.get_xdata(), band.get_ydata())
        assert shapely.contains_xy(armenia, lon, lat).all()
    assert any(t.startswith("Its own section, through Armenia") for t in _legend_texts(fig))
    none, _ = draw(selected=None)
    assert not [line for line in none.axes[0].get_lines() if line.get_gid() == "focus"]


# Each format ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def view_files(dataset, analyses, states, closed_armenia) -> dict[str, bytes]:
    """The same view of 2019 with Armenia closed, as PNG, SVG and PDF."""
    return {
        fmt: render_snapshot(
            dataset,
            analyses,
            states,
            visible=BOTH,
            selected="tripp",
            size="slide-16x9",
            fmt=fmt,
            title="TRIPP",
            subtitle="",
            date=DATE,
            year=OPENS - 1,
            closures=closed_armenia,
            places=PLACES,
        )
        for fmt in ("png", "svg", "pdf")
    }


def test_the_svg_carries_the_caption_names_and_credits(view_files) -> None:
    texts = _svg_texts(view_files["svg"])
    joined = " ".join(texts)
    assert f"The map shows the routes as in {OPENS - 1}." in joined
    assert "Armenia closed" in joined
    assert {"Fixture Sea", "Syunik", "Cut by a what-if closure", DATE} <= set(texts)
    assert "Boundaries: Natural Earth" in joined
    svg = view_files["svg"].decode("utf-8")
    assert 'id="cut-leg' in svg
    assert 'id="locator' in svg


def test_the_pdf_keeps_the_caption_as_text(view_files) -> None:
    text = PdfReader(io.BytesIO(view_files["pdf"])).pages[0].extract_text()
    assert f"as in {OPENS - 1}" in text
    assert "Fixture Sea" in text


def test_the_png_shows_the_cut_marks(view_files) -> None:
    pixels = np.asarray(Image.open(io.BytesIO(view_files["png"])).convert("RGB"))
    assert pixels.shape[:2] == (1080, 1920)
    red = np.array([int(style.CUT_FILL[i : i + 2], 16) for i in (1, 3, 5)])
    assert int(np.all(pixels == red, axis=-1).sum()) > 20


def test_sea_names_lie_over_water(draw, states) -> None:
    fig, snapshot = draw(places=PLACES, selected="tripp")
    land = snapshot.view.project(states.geometry.to_numpy())
    renderer = fig.canvas.get_renderer()
    to_data = fig.axes[0].transData.inverted()
    seas = [t for t in fig.axes[0].texts if t.get_gid() == "place-fixture-sea"]
    assert len(seas) == 1
    box = seas[0].get_window_extent(renderer)
    (x0, y0), (x1, y1) = to_data.transform([(box.x0, box.y0), (box.x1, box.y1)])
    rect = shapely.box(x0, y0, x1, y1)
    assert shapely.area(shapely.intersection(land, rect)).sum() <= MAX_SEA_LABEL_ON_LAND * rect.area


# The real map, at a slide's and a portrait page's size ------------------------------------------


@pytest.mark.parametrize("size", [(1600, 900), (900, 1400)])
def test_real_caucasus_names_fit_their_states_and_the_page(size: tuple[int, int]) -> None:
    """On the real boundaries and places: nothing overlaps, is cut, or names the wrong state."""
    dataset = load_dataset()
    real = load_states()
    wanted = ("tripp", "btk", "middle-corridor")
    ids = {*wanted, *(dataset.routes[i].baseline for i in wanted)}
    analyses = analyse_routes(
        {i: dataset.routes[i] for i in ids if i}, StateIndex(real), dataset.chokepoints
    )
    fig = Figure(figsize=(size[0] / 150, size[1] / 150), dpi=150)
    FigureCanvasAgg(fig)
    snapshot = SnapshotFigure(
        fig,
        dataset,
        analyses,
        real,
        routes=[dataset.routes[i] for i in ("middle-corridor", "btk", "tripp")],
        selected="tripp",
        places=load_places(),
    )
    snapshot.draw((38.0, 36.0, 52.0, 44.0), "TRIPP", "Horadiz to Kars", DATE)
    fig.canvas.draw()  # lays out the legend's texts
    renderer = fig.canvas.get_renderer()
    ax = fig.axes[0]
    labels = [t for t in ax.texts if t.get_gid() != HALO_GID]
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert not [(a, b) for a, b in combinations(boxes, 2) if a.overlaps(b)]
    assert {"state-ARM", "state-AZE", "place-syunik", "place-nakhchivan"} <= {
        t.get_gid() for t in labels
    }
    shapes = dict(zip(real["iso3"], real.geometry, strict=True))
    leaders = {line.get_gid(): line for line in ax.get_lines()}
    regions = {f"place-{p.id}": p.iso3 for p in load_places() if p.iso3}
    for text in [
        t for t in labels if str(t.get_gid()).startswith("state-") or t.get_gid() in regions
    ]:
        name = text.get_gid().split("-", 1)[1]
        iso3 = regions.get(text.get_gid(), name)
        lon, lat = _anchor(snapshot, text, leaders.get(f"leader-{name}"))
        assert shapes[iso3].contains(shapely.Point(lon, lat)), iso3
    page = fig.bbox
    legend = fig.legends[0].get_window_extent(renderer)
    assert not legend.overlaps(ax.get_window_extent(renderer))
    for text in [*fig.texts, *fig.legends[0].get_texts(), *labels]:
        box = text.get_window_extent(renderer)
        inside = page.x0 <= box.x0 <= box.x1 <= page.x1 and page.y0 <= box.y0 <= box.y1 <= page.y1
        assert inside, text.get_text()


@pytest.mark.parametrize("fmt", ["png", "svg", "pdf"])
def test_a_snapshot_without_a_title_is_written(dataset, analyses, states, fmt: str) -> None:
    """A viewer may clear the title field: every format is still written, with no title."""
    data = render_snapshot(
        dataset, analyses, states, visible=BOTH, fmt=fmt, title="", date=DATE, size="square"
    )
    assert data.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF"}[fmt])
    if fmt == "svg":
        assert "<title>" not in data.decode("utf-8")


def test_the_year_note_counts_the_timelines_disruptions_as_the_map_does(states) -> None:
    """The caption is the web map's note: the year, and the disruptions the Timeline lists."""
    real = load_dataset()
    ids = [r.id for r in real.corridors]
    day = dt.date.fromisoformat(DATE)
    years = [
        y for y in range(*YEAR_SPAN) if timeline_disruptions(real, y, today=day, corridors=ids)
    ]
    assert years  # the bundled data records disruptions
    year = years[-1]
    count = len(timeline_disruptions(real, year, today=day, corridors=ids))
    fig = Figure(figsize=(8, 4.5), dpi=100)
    FigureCanvasAgg(fig)
    routes = [real.routes[i] for i in ids]
    SnapshotFigure(fig, real, {}, states, routes=routes, selected=None, year=year).draw(
        (36.0, 36.0, 62.0, 48.0), "Title", "", DATE
    )
    assert _caption(fig).startswith(f"{map_note(year, count)}.")
    assert "disruption" in _caption(fig)
