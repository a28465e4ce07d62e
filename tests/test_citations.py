"""Every figure each table, tooltip and export shows reaches its source's web address, or says
plainly that it has none ("no source"): never a fake link, never a bare fact id.

Run on the real data, where every figure has an address, and on the same data with every
address spoiled (a ``javascript:`` URL that must never become a link), where every figure must
say "no source".
"""

from __future__ import annotations

import csv
import dataclasses
import io
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd
import pytest

from corridors import tables
from corridors.data import Dataset, load_dataset
from corridors.export import analysis_csv
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.policy.closures import apply_closures, build_exposure
from corridors.policy.compare import LINK_NAMES, compare_table, figure_table, linked_table
from corridors.policy.timeline import events, timeline_disruptions, year_bounds
from corridors.provenance import (
    BOUNDARIES_FACT,
    NO_SOURCE,
    attribution,
    citations,
    cited_sources,
    source_label,
)
from corridors.report import leg_records
from corridors.ui.whatif_panel import routes_table
from corridors.webmap.tooltips import chokepoint_tooltip, leg_tooltip

GRADES = {"verified", "claim", "disputed"}
TODAY = "2026-06-30"


def _web(url: object) -> bool:
    return isinstance(url, str) and url.startswith(("https://", "http://"))


def _addresses(cell: str) -> list[str]:
    """The space-separated addresses of a CSV cell, none where it says "no source"."""
    return [] if cell == NO_SOURCE else cell.split()


def _grades(text: str) -> set[str]:
    return set(text.split(", "))


@pytest.fixture(scope="module")
def real() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def spoiled(real: Dataset) -> Dataset:
    """The real data with no source a reader could follow."""
    bad = {k: s.model_copy(update={"url": "javascript:alert(1)"}) for k, s in real.sources.items()}
    return dataclasses.replace(real, sources=bad)


@pytest.fixture(scope="module", params=["real", "spoiled"])
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def index(world_states: gpd.GeoDataFrame) -> StateIndex:
    return StateIndex(world_states)


@pytest.fixture(scope="module")
def analyses(real: Dataset, index: StateIndex) -> dict[str, Analysis]:
    return analyse_routes(real.routes, index, real.chokepoints)


def _linked_or_said(links: Iterable[object], said: str, dataset: Dataset) -> None:
    """A row has a web link, or says "no source" (on the spoiled data, it must say so)."""
    found = [u for u in links if isinstance(u, str) and u]
    assert all(_web(u) for u in found), found
    if dataset.sources and all(not _web(s.url) for s in dataset.sources.values()):
        assert not found
        assert NO_SOURCE in said
    else:
        assert found, said


def test_every_legs_status_in_analysis_links_its_sources(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        legs = tables.legs(route, dataset)
        links = tables.link_columns(legs)
        for _, row in legs.iterrows():
            _linked_or_said([row[c] for c in links if pd.notna(row[c])], row["Standing"], dataset)
            assert _grades(row["Standing"]) <= GRADES or row["Standing"] == NO_SOURCE


def test_every_fact_in_analysis_sources_links_its_source(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        for _, row in tables.sources(route, dataset).iterrows():
            _linked_or_said([row["URL"]], row["Source"], dataset)
            assert row["Status"] in GRADES


def test_every_headline_figure_in_compare_links_its_source(dataset: Dataset) -> None:
    figures = figure_table(dataset, list(dataset.routes))
    assert not figures.empty
    for _, row in figures.iterrows():
        _linked_or_said([row["Link"]], row["Source"], dataset)
        assert row["Standing"] in GRADES


def test_every_compare_row_gives_its_status_and_figure_sources(
    dataset: Dataset, analyses: dict[str, Analysis]
) -> None:
    table = compare_table(dataset, analyses)
    for route_id, row in table.iterrows():
        for column in ("status_sources", "headline_sources"):
            if column == "headline_sources" and not dataset.routes[str(route_id)].figures:
                assert row[column] == NO_SOURCE
                continue
            _linked_or_said(_addresses(row[column]), row[column], dataset)


def test_every_compare_row_shows_its_status_and_figure_sources_as_links(
    dataset: Dataset, analyses: dict[str, Analysis]
) -> None:
    """On screen, a route's row links each address its CSV cells hold, one link to a cell."""
    table = compare_table(dataset, analyses)
    shown = linked_table(table)
    assert not set(shown.columns) & {"status_sources", "headline_sources"}
    links = tables.link_columns(shown)
    assert links == [c for c in shown.columns if " link" in c]  # every link column is found
    for route_id, row in shown.iterrows():
        for column, name in LINK_NAMES.items():
            cells = [row[c] for c in links if c.split(" ")[:2] == name.split(" ")]
            assert [u for u in cells if isinstance(u, str)] == _addresses(
                table.at[route_id, column]
            )
    if any(_web(s.url) for s in dataset.sources.values()):
        assert {"Status link", "Figure link"} <= set(links)


def test_every_leg_in_the_csv_export_and_report_links_its_sources(
    dataset: Dataset, analyses: dict[str, Analysis]
) -> None:
    text = analysis_csv(dataset, analyses, list(dataset.routes), date=TODAY)
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    rows = list(csv.DictReader(io.StringIO(body)))
    legs = [r for r in rows if r["relation"] == "leg"]
    assert len(legs) == sum(len(r.legs) for r in dataset.routes.values())
    for row in legs:
        _linked_or_said(_addresses(row["source_urls"]), row["source_urls"], dataset)
        assert _grades(row["standing"]) <= GRADES or row["standing"] == NO_SOURCE
    # A state's km and share are measured, and link the borders measured on where the data has
    # a note on them (the bundled data), or say they have no source.
    (borders,) = citations(dataset, [BOUNDARIES_FACT])
    assert {r["source_urls"] for r in rows if r["relation"] != "leg"} == {borders.url or NO_SOURCE}
    for route in dataset.routes.values():
        for record in leg_records(route, dataset):
            _linked_or_said(record["source_urls"], record["standing"], dataset)


def test_every_disruption_and_event_on_the_timeline_links_its_sources(dataset: Dataset) -> None:
    first, last = year_bounds(dataset)
    today = pd.Timestamp(TODAY).date()
    for year in [None, *range(first, last + 1)]:
        for item in timeline_disruptions(dataset, year, today=today):
            _linked_or_said([s.url for s in item.sources], item.standing, dataset)
    for event in events(dataset):
        (cited,) = citations(dataset, [event.fact_id])
        _linked_or_said([cited.url], cited.label, dataset)
        assert event.status in GRADES


def test_every_leg_and_chokepoint_tooltip_links_its_sources(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        for leg in route.legs:
            tip = leg_tooltip(route, leg, cited=citations(dataset, leg.sources))
            hrefs = [part.split('"', 1)[0] for part in tip.split('<a href="')[1:]]
            _linked_or_said(hrefs, tip, dataset)
            assert 'target="_blank" rel="noopener"' in tip or NO_SOURCE in tip
    for cp in dataset.chokepoints:
        tip = chokepoint_tooltip(cp, None, None, citations(dataset, cp.sources))
        hrefs = [part.split('"', 1)[0] for part in tip.split('<a href="')[1:]]
        _linked_or_said(hrefs, tip, dataset)


def test_every_reason_a_route_does_not_run_links_its_sources(
    dataset: Dataset, index: StateIndex
) -> None:
    exposure = build_exposure(dataset.routes.values(), index, dataset.chokepoints)
    result = apply_closures(exposure, states=["IRN"])
    routes = routes_table(result, dataset)
    links = tables.link_columns(routes)
    not_open = {o.name: bool(o.not_open) for o in result.routes}
    assert any(not_open.values())  # planned legs today: some routes do not run anyway
    for _, row in routes.iterrows():
        if not not_open[row["Route"]]:
            assert row["Standing"] == ""  # runs, or only the closure cuts it: nothing to cite
            continue
        assert "(as of " in row["Why not"]
        _linked_or_said([row[c] for c in links if pd.notna(row[c])], row["Standing"], dataset)


def test_the_credit_line_keeps_a_label_with_a_comma_in_one_piece(real: Dataset) -> None:
    """A publisher's label may hold a comma ("1news.az, citing Armenpress"): sources are
    separated by "; ", so each label reads whole, and none is cut at its comma."""
    ids = list(real.routes)
    labels = {source_label(s) for s in cited_sources(real, ids)} - {"corridors project"}
    assert any(", " in label for label in labels)  # the case this guards against is in the data
    credit = attribution(real, ids)
    listed = credit.split(" Sources: ", 1)[1].removesuffix(".")
    assert listed.split("; ") == sorted(labels)
