"""The analysis panel's tables, from the dashboard fixture."""

from __future__ import annotations

import dataclasses
import re

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors import tables
from corridors.data import Dataset
from corridors.geometry import StateIndex, analyse_routes
from corridors.model import Analysis


@pytest.fixture(scope="module")
def analyses(dashboard_dataset: Dataset, world_states: gpd.GeoDataFrame) -> dict[str, Analysis]:
    index = StateIndex(world_states)
    return analyse_routes(dashboard_dataset.routes, index, dashboard_dataset.chokepoints)


def test_km_by_state_reads_along_the_route(analyses: dict[str, Analysis]) -> None:
    km = tables.km_by_state(analyses["middle-corridor"])
    assert list(km["ISO"]) == ["KAZ", "AZE", "GEO", "TUR"]
    assert km["Share"].iloc[0].endswith("%")
    assert sum(float(share.rstrip("%")) for share in km["Share"]) <= 100.2


def test_km_by_mode(analyses: dict[str, Analysis]) -> None:
    by_mode = tables.km_by(analyses["middle-corridor"].km_by_mode, "Mode")
    assert list(by_mode["Mode"]) == ["rail", "ferry"]
    assert by_mode["km"].sum() == pytest.approx(analyses["middle-corridor"].length_km, abs=1)


def test_legs_keep_dates_as_nullable_integers(dashboard_dataset: Dataset) -> None:
    legs = tables.legs(dashboard_dataset.routes["kars-gyumri"], dashboard_dataset)
    assert list(legs["Status"]) == ["operational (as of 2025)", "closed (as of 2025)"]
    assert legs["Closed"].iloc[1] == 1993
    assert legs["Closed"].isna().iloc[0]


def test_sources_list_each_cited_fact_with_its_source(dashboard_dataset: Dataset) -> None:
    sources = tables.sources(dashboard_dataset.routes["btk"], dashboard_dataset)
    assert list(sources["Status"]) == ["verified"]
    assert sources["Source"].iloc[0] == "Fixture notes on corridors"
    assert "leg btk-01" in sources["Cited by"].iloc[0]


def test_skirted(analyses: dict[str, Analysis]) -> None:
    skirted = tables.skirted(analyses["btk"])
    assert list(skirted["ISO"]) == ["ARM"]


def test_only_web_links_are_kept(dashboard_dataset: Dataset) -> None:
    (source,) = dashboard_dataset.sources.values()
    bad = source.model_copy(update={"url": "javascript:alert(1)"})
    dataset = dataclasses.replace(dashboard_dataset, sources={source.id: bad})
    assert list(tables.sources(dataset.routes["btk"], dataset)["URL"]) == [""]


def test_each_legs_status_says_as_of_when_with_its_sources(dashboard_dataset: Dataset) -> None:
    route = dashboard_dataset.routes["btk"]
    dated = dataclasses.replace(route.legs[0], as_of="2026-03-09", sources=("fx-btk-open", "fx-nr"))
    route = dataclasses.replace(route, legs=(dated, *route.legs[1:]))
    legs = tables.legs(route, dashboard_dataset)
    assert legs["Status"].iloc[0] == "operational (as of 9 March 2026)"
    assert legs["Sources"].iloc[0] == "fx-btk-open, fx-nr"
    # Both facts come from one note: its address once, in a link column of its own.
    assert tables.link_columns(legs) == ["Link"]
    assert legs["Link"].iloc[0] == "https://example.org/fixture"
    assert legs["Standing"].iloc[0] == "verified, claim"  # each fact's grade, once
    assert all("(as of " in status for status in legs["Status"])


def test_a_leg_with_two_source_notes_gets_two_links(dashboard_dataset: Dataset) -> None:
    (note,) = dashboard_dataset.sources.values()
    other = note.model_copy(
        update={
            "id": "fx-other",
            "url": "https://example.org/other",
            "facts": (note.facts[0].model_copy(update={"id": "fx-other-fact", "status": "claim"}),),
        }
    )
    dataset = dataclasses.replace(
        dashboard_dataset, sources={**dashboard_dataset.sources, other.id: other}
    )
    route = dataset.routes["btk"]
    two = dataclasses.replace(route.legs[0], sources=("fx-btk-open", "fx-other-fact"))
    route = dataclasses.replace(route, legs=(two, *route.legs[1:]))
    legs = tables.legs(route, dataset)
    assert tables.link_columns(legs) == ["Link", "Link 2"]
    assert list(legs.loc[0, ["Link", "Link 2"]]) == [
        "https://example.org/fixture",
        "https://example.org/other",
    ]
    assert legs["Standing"].iloc[0] == "verified, claim"
    assert legs["Link 2"].iloc[1:].isna().all()  # the others cite one note: no second link


def test_a_leg_whose_source_cannot_be_followed_says_no_source(dashboard_dataset: Dataset) -> None:
    (source,) = dashboard_dataset.sources.values()
    bad = source.model_copy(update={"url": "javascript:alert(1)"})
    dataset = dataclasses.replace(dashboard_dataset, sources={source.id: bad})
    legs = tables.legs(dataset.routes["btk"], dataset)
    assert tables.link_columns(legs) == []
    assert set(legs["Standing"]) == {"no source"}
    listed = tables.sources(dataset.routes["btk"], dataset)
    assert list(listed["Source"]) == ["Fixture notes on corridors (no source link)"]


#: What Markdown could read as markup in a table cell (``corridors.text`` escapes each).
_SPECIAL = set("\\`*_{}[]()#+-.!|<>~$:=")


def _read_cell(cell: str) -> str:
    """Return a cell's text, failing if any character that marks up is left unescaped."""
    text, chars = [], iter(cell)
    for char in chars:
        if char == "\\":
            escaped = next(chars)
            assert escaped in _SPECIAL, cell
            text.append(escaped)
        else:
            assert char not in _SPECIAL, cell
            text.append(char)
    return "".join(text)


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_a_markdown_table_shows_any_data_text_literally_one_row_one_line(cells: list[str]) -> None:
    frame = pd.DataFrame([cells], columns=[f"c{n}" for n in range(len(cells))])
    _head, rule, row = tables.to_markdown(frame).split("\n")
    assert rule == "| " + " | ".join(["---"] * len(cells)) + " |"
    shown = [c.strip(" ") for c in re.split(r"(?<!\\)\|", row[1:-1])]
    assert [_read_cell(c) for c in shown] == [" ".join(c.split()) for c in cells]


def test_a_markdown_tables_links_are_links_to_the_site_and_nothing_else_is() -> None:
    frame = pd.DataFrame(
        {
            "Fact": ["[x](javascript:alert(1)) <img src=x onerror=alert(1)>", "b"],
            "km": [5984.0, 3.4],
            "Year": pd.array([2017, None], dtype="Int64"),
            "By canal": [True, False],
            "Link": ["https://www.trend.az/a b", None],
            "Link 2": ["javascript:alert(1)", ""],
        }
    )
    lines = tables.to_markdown(frame).split("\n")
    assert lines[2] == (
        r"| \[x\]\(javascript\:alert\(1\)\) \<img src\=x onerror\=alert\(1\)\> | 5,984 | 2017 "
        r"| yes | [trend\.az](https://www.trend.az/a%20b) | no source |"
    )
    assert lines[3] == "| b | 3\\.4 |  | no |  |  |"
