"""No text from data or users is ever template source, on any surface that shows it.

folium renders each element's template, then branca parses the output again as a template of
its own: a route named ``BTK {{ 7*7 }}`` came out as "BTK 49", and ``Plan {% A %}`` replaced
the page with a TemplateSyntaxError. Each hostile name below goes into every text field of a
copy of the dashboard fixture (route, leg, waypoint and chokepoint names and notes) and into an
uploaded route's name, then through the web map (as streamlit-folium renders it and as a whole
page), the standalone HTML export, the print snapshot, the CSV and GeoJSON downloads and the
command line. Pages must carry it escaped; plain-text outputs must carry it unchanged.
"""

from __future__ import annotations

import contextlib
import csv
import html
import io
import json
import shutil
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString
from streamlit_folium import _get_feature_group_string, _get_map_string

from corridors import tables, webmap
from corridors.cli import main
from corridors.data import Dataset, load_dataset
from corridors.export import analysis_csv, routes_geojson, standalone_html
from corridors.geometry import StateIndex, analyse_routes, route_from_lines
from corridors.model import Analysis, Route
from corridors.printmap.snapshot import render_snapshot
from corridors.provenance import citations
from corridors.style import legend_entries
from corridors.ui import analysis
from corridors.webmap.legend import legend_html
from corridors.webmap.tooltips import state_tooltip, waypoint_tooltip

#: Jinja's three openers, an unterminated comment and an HTML end tag that would end a script.
HOSTILE = ("BTK {{ 7*7 }}", "Plan {% x %}", "Line {#2", "Stop </script><b>x</b>")
#: What "{{ 7*7 }}" turns into if it is ever executed.
EXECUTED = "BTK 49"


def _rename(value: dict, name: str) -> None:
    """Put ``name`` into every free-text field of a route file's feature or metadata."""
    for key in ("name", "note", "description", "origin", "destination", "coords_source"):
        if key in value:
            value[key] = f"{name} {key}"


@pytest.fixture(scope="module", params=HOSTILE, ids=["expression", "statement", "comment", "tag"])
def hostile(
    request: pytest.FixtureRequest,
    dashboard_dirs: dict[str, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[str, Path]:
    """Return a hostile name and a copy of the dashboard data with it in every text field."""
    name = request.param
    data = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(dashboard_dirs["data"], data)
    for path in [*sorted((data / "routes").glob("*.geojson")), data / "chokepoints.geojson"]:
        document = json.loads(path.read_text(encoding="utf-8"))
        if "corridor" in document:
            _rename(document["corridor"], name)
        for feature in document["features"]:
            _rename(feature["properties"], name)
        path.write_text(json.dumps(document), encoding="utf-8")
    return name, data


@pytest.fixture(scope="module")
def states_display(world_states: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    return webmap.display_states(world_states)


@pytest.fixture(scope="module")
def world_index(world_states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(world_states)


@dataclass(frozen=True)
class Loaded:
    """The hostile name, the dataset carrying it, its analyses, and an upload named with it."""

    name: str
    dataset: Dataset
    analyses: dict[str, Analysis]
    upload: Route


@pytest.fixture(scope="module")
def loaded(
    hostile: tuple[str, Path], dashboard_dirs: dict[str, Path], world_index: StateIndex
) -> Loaded:
    name, data = hostile
    dataset = load_dataset(data, dashboard_dirs["seeds"])
    analyses = analyse_routes(dataset.routes, world_index, dataset.chokepoints)
    upload = route_from_lines(
        [LineString([(44.0, 41.0), (45.0, 41.5)])], route_id="your-route", name=name
    )
    return Loaded(name, dataset, analyses, upload)


def assert_escaped(page: str, name: str) -> None:
    """The page shows ``name`` only escaped: never executed, never as markup or template."""
    assert EXECUTED not in page
    assert name not in page
    for opener in ("{{ 7", "{% x", "{#2", "</script><b>"):
        assert opener not in page


def shown(dataset: Dataset) -> dict[str, Any]:
    """The view every surface draws: every corridor, the first one selected."""
    ids = [r.id for r in dataset.corridors]
    return {"visible": ids, "selected": ids[0]}


def build(loaded: Loaded, states_display: gpd.GeoDataFrame) -> folium.Map:
    """The web map of :func:`shown` with the baselines and the uploaded route."""
    dataset, analyses, upload = loaded.dataset, loaded.analyses, loaded.upload
    return webmap.build_map(
        dataset,
        analyses,
        states_display,
        **shown(dataset),
        show_baselines=True,
        extra_routes=[upload],
    )


def test_the_web_map_as_streamlit_folium_renders_it(
    loaded: Loaded,
    states_display: gpd.GeoDataFrame,
) -> None:
    name = loaded.name
    dataset, analyses, upload = loaded.dataset, loaded.analyses, loaded.upload
    base = webmap.build_base_map(dataset, states_display)
    overlays = webmap.build_overlays(
        dataset,
        analyses,
        states_display,
        **shown(dataset),
        show_baselines=True,
        extra_routes=[upload],
    )
    base.render()
    script = _get_map_string(base)
    groups = [_get_feature_group_string(group, base, i) for i, group in enumerate(overlays)]
    for text in (script, *groups):
        assert_escaped(text, name)
    assert "&#123;" in "".join(groups) or "{" not in name  # the name is there, escaped


def test_the_whole_page_and_the_standalone_export(
    loaded: Loaded,
    states_display: gpd.GeoDataFrame,
) -> None:
    name = loaded.name
    page = build(loaded, states_display).get_root().render()
    assert_escaped(page, name)
    standalone = standalone_html(build(loaded, states_display), title=name, subtitle=name)
    assert_escaped(standalone, name)


def test_the_legend_and_the_tooltips(
    loaded: Loaded,
) -> None:
    name = loaded.name
    dataset, upload = loaded.dataset, loaded.upload
    rows = legend_entries([(r.name, r.colour) for r in (*dataset.corridors, upload)], [])
    assert_escaped(legend_html(rows), name)
    for route in (*dataset.routes.values(), upload):
        for leg in route.legs:
            assert_escaped(webmap.leg_tooltip(route, leg), name)
        for wp in route.waypoints:  # its name and its hand-placing note (coords_source)
            tooltip = waypoint_tooltip(route, wp, {}, citations(dataset, wp.sources))
            assert_escaped(tooltip, name)
            assert f"{name} coords_source" in html.unescape(tooltip)
    for route_id, result in loaded.analyses.items():
        for state in result.transit:
            assert_escaped(state_tooltip(dataset.routes[route_id], state, ()), name)


def test_the_print_snapshot_draws_the_names(
    loaded: Loaded,
    world_states: gpd.GeoDataFrame,
) -> None:
    name = loaded.name
    dataset, analyses = loaded.dataset, loaded.analyses
    svg = render_snapshot(
        dataset,
        analyses,
        world_states,
        **shown(dataset),
        show_baselines=True,
        size="square",
        fmt="svg",
        title=name,
        subtitle=name,
        date="2026-11-30",
    ).decode()
    # Well-formed XML whose title is the name as given: nothing was run or read as markup.
    assert ElementTree.fromstring(svg).findtext("{http://www.w3.org/2000/svg}title") == name
    assert EXECUTED not in svg


class _Text(HTMLParser):
    """Collect the text a browser shows of an HTML fragment, and every tag it opens."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:  # noqa: ARG002
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_analysis_tables_show_the_names_as_text(loaded: Loaded) -> None:
    """The Analysis tab's tables are HTML (``st.html``): the legs' names escaped, read as given."""
    name, dataset = loaded.name, loaded.dataset
    route = dataset.corridors[0]
    page = tables.to_html(tables.legs(route, dataset), f"Legs of {name}")
    assert_escaped(page, name)
    shown = _Text()
    shown.feed(page)
    assert f"{name} name" in shown.text  # a leg's name, one cell
    assert shown.tags <= {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "a"}


def test_the_analysis_tab_shows_the_names_as_text(loaded: Loaded) -> None:
    """The whole Analysis tab is HTML blocks (``st.html``): every name escaped, read as given."""
    name, dataset, analyses = loaded.name, loaded.dataset, loaded.analyses
    route = dataset.corridors[0]
    baseline = dataset.routes.get(analyses[route.id].baseline or "")
    shown = _Text()
    for block in analysis.sections(route, analyses[route.id], baseline, dataset):
        assert_escaped(block, name)
        shown.feed(block)
    text = "".join(shown.text)
    for field in ("name", "origin", "destination", "description"):
        assert f"{name} {field}" in text  # the corridor's, in its heading and sentences
    assert f"{name} name (" in text  # a chokepoint passed, with its kind
    tables_tags = {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "a"}
    assert shown.tags <= tables_tags | {"h3", "h4", "p", "strong"}


def test_csv_and_geojson_carry_the_names_as_plain_text(
    loaded: Loaded,
) -> None:
    name = loaded.name
    dataset, analyses = loaded.dataset, loaded.analyses
    route = dataset.corridors[0]
    table = analysis_csv(dataset, analyses, [route.id], date="2026-11-30")
    rows = list(csv.reader(io.StringIO(table)))
    assert any(f"{name} name" in cell for row in rows for cell in row)
    collection = json.loads(routes_geojson(dataset, analyses, [route.id], date="2026-11-30"))
    names = [f["properties"].get("name") for f in collection["features"]]
    assert f"{name} name" in names


def test_the_command_line_prints_the_names_as_plain_text(
    hostile: tuple[str, Path], dashboard_dirs: dict[str, Path]
) -> None:
    name, data = hostile
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(
            [
                "report",
                "--json",
                "--data-dir",
                str(data),
                "--seeds-dir",
                str(dashboard_dirs["seeds"]),
            ]
        )
    assert code == 0
    assert f"{name} name" in json.dumps(json.loads(out.getvalue()), ensure_ascii=False)
    assert EXECUTED not in out.getvalue()
