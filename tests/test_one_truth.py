"""Every number shown for a route is the same on every surface.

Analysis, Compare and its CSV, the caption under the map (the text equivalent), the map's
tooltips, the command line's report and the analysis export all show a route's length and its
kilometres per state; on the real data they once disagreed (BTK in Türkiye: 68 km in Analysis
and the CLI, 67 km in Compare; the Middle Corridor: 5,985 km in Analysis, "5,980 km" in the
caption).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import pytest

from corridors import tables
from corridors.data import Dataset, load_dataset
from corridors.export import analysis_csv
from corridors.figures import format_km, format_share, km
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.policy.compare import compare_table, figure_table, to_csv
from corridors.policy.describe import describe_route
from corridors.report import format_report, report_records
from corridors.webmap.tooltips import state_tooltip


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def analyses(dataset: Dataset, world_states: gpd.GeoDataFrame) -> dict[str, Analysis]:
    return analyse_routes(dataset.routes, StateIndex(world_states), dataset.chokepoints)


@dataclass(frozen=True)
class Surfaces:
    """What the surfaces other than the panels show, each made once for the module."""

    compare: pd.DataFrame  # Compare's CSV, indexed by route id
    report: str  # the command line's report
    export: list[dict[str, str]]  # the rows of the analysis export


@pytest.fixture(scope="module")
def surfaces(dataset: Dataset, analyses: dict[str, Analysis]) -> Surfaces:
    data = to_csv(compare_table(dataset, analyses))
    text = analysis_csv(dataset, analyses, list(dataset.routes), date="2026-01-01")
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    return Surfaces(
        compare=pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", index_col="id"),
        report=format_report(report_records(analyses, dataset, list(dataset.routes))),
        export=list(csv.DictReader(io.StringIO(body))),
    )


def _block(report: str, route_id: str) -> list[str]:
    """Return the lines of one route's block in the CLI report."""
    (block,) = [b for b in report.split("\n\n") if b.splitlines()[0].endswith(f"({route_id})")]
    return block.splitlines()


def test_a_routes_length_reads_the_same_everywhere(
    dataset: Dataset, analyses: dict[str, Analysis], surfaces: Surfaces
) -> None:
    compare_csv, report_text, export_rows = surfaces.compare, surfaces.report, surfaces.export
    for route_id, analysis in analyses.items():
        route = dataset.routes[route_id]
        shown = format_km(analysis.length_km)
        assert f"runs {shown}" in describe_route(route, analysis), route_id  # caption
        assert f"{route.destination}: {shown}" in report_text, route_id  # CLI report
        assert compare_csv.loc[route_id, "length_km"] == km(analysis.length_km), route_id
        lengths = {float(r["route_length_km"]) for r in export_rows if r["route_id"] == route_id}
        assert lengths == {km(analysis.length_km)}, route_id
        by_mode = tables.km_by(analysis.km_by_mode, "Mode").set_index("Mode")["km"]
        for mode, value in analysis.km_by_mode:
            assert by_mode[mode] == compare_csv.loc[route_id, f"{mode}_km"]
            assert f"{mode} {format_km(value)}" in report_text, (route_id, mode)


def test_km_in_each_state_reads_the_same_everywhere(
    dataset: Dataset, analyses: dict[str, Analysis], surfaces: Surfaces
) -> None:
    compare_csv, report_text, export_rows = surfaces.compare, surfaces.report, surfaces.export
    for route_id, analysis in analyses.items():
        analysis_panel = tables.km_by_state(analysis).set_index("ISO")
        crossed = compare_csv.loc[route_id, "states_crossed"]
        for state in analysis.transit:
            shown = format_km(state.km)
            assert analysis_panel.loc[state.iso3, "km"] == km(state.km)
            assert analysis_panel.loc[state.iso3, "Share"] == format_share(state.share)
            assert f"{state.name} ({shown})" in crossed, (route_id, state.iso3)
            tooltip = state_tooltip(dataset.routes[route_id], state, ())  # the map's crossed states
            assert f"{shown}, {format_share(state.share)} of" in tooltip
            (line,) = [
                ln for ln in _block(report_text, route_id) if ln.strip().startswith(state.iso3)
            ]
            assert f" {shown} " in line, line
            assert format_share(state.share) in line, line
            (row,) = [
                r
                for r in export_rows
                if r["route_id"] == route_id
                and r["iso3"] == state.iso3
                and r["relation"] == "transit"
            ]
            assert float(row["km"]) == km(state.km), (route_id, state.iso3)


def test_btk_in_turkiye_is_one_number(analyses: dict[str, Analysis], surfaces: Surfaces) -> None:
    """The case from the issue: 68 km in Analysis and the CLI, 67 km in Compare and its CSV."""
    compare_csv, report_text = surfaces.compare, surfaces.report
    turkiye = next(s for s in analyses["btk"].transit if s.iso3 == "TUR")
    shown = format_km(turkiye.km)
    in_panel = tables.km_by_state(analyses["btk"]).set_index("ISO").loc["TUR", "km"]
    assert f"{format_km(in_panel)}" == shown
    assert f"({shown})" in compare_csv.loc["btk", "states_crossed"]
    assert any(ln.strip().startswith("TUR") and shown in ln for ln in _block(report_text, "btk"))


def test_headline_figures_show_values_not_sentences(dataset: Dataset) -> None:
    figures = figure_table(dataset, list(dataset.routes)).set_index("fact_id")
    assert figures.loc["kg-closed-1993", "Value"] == "1993"
    assert figures.loc["btk-opening", "Value"] == "30 October 2017"
    for fact_id, row in figures.iterrows():
        assert row["Value"] != dataset.facts[str(fact_id)].text
