"""The analysis panel's tables, from the dashboard fixture."""

from __future__ import annotations

import dataclasses
from html.parser import HTMLParser

import geopandas as gpd
import pandas as pd
import pytest
from hypothesis import assume, given
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


class _Reader(HTMLParser):
    """Read an HTML table back: every tag opened, the caption, and each row's cells' text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.caption = ""
        self.rows: list[list[str]] = []
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "tr":
            self.rows.append([])
        elif tag in {"th", "td"}:
            self.rows[-1].append("")
        if tag in {"th", "td", "caption"}:
            self._in = tag

    def handle_endtag(self, tag: str) -> None:
        if tag in {"th", "td", "caption"}:
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "caption":
            self.caption += data
        elif self._in is not None:
            self.rows[-1][-1] += data


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


#: The only tags a table without links is written with.
_TABLE_TAGS = {"div", "table", "caption", "thead", "tbody", "tr", "th", "td"}


@given(
    st.lists(st.text(), min_size=1, max_size=4, unique=True),
    st.lists(st.text(), min_size=1, max_size=4),
    st.text(),
)
def test_an_html_table_shows_any_data_text_literally(
    names: list[str], cells: list[str], caption: str
) -> None:
    """Headers, cells and caption come back as the text they were: none of it becomes markup.

    (A link column's cell shows the site it leads to, or "no source": drawn a column named "URL",
    hypothesis found that, outside CI's fixed examples.)
    """
    cells = (cells * len(names))[: len(names)]
    frame = pd.DataFrame([cells], columns=names)
    assume(not tables.link_columns(frame))
    read = _read(tables.to_html(frame, caption))
    assert {tag for tag, _ in read.tags} <= _TABLE_TAGS
    assert read.caption == caption
    assert read.rows == [names, [" ".join(c.split()) for c in cells]]
    (box,) = [attrs for tag, attrs in read.tags if tag == "div"]
    assert box["aria-label"] == caption


def test_a_link_column_is_never_read_as_numbers() -> None:
    """A source address that is not a web address says so, set as text, not as a figure."""
    frame = pd.DataFrame({"URL": ["0"], "Link 2": ["12"]})
    assert tables.link_columns(frame) == ["URL", "Link 2"]
    html = tables.to_html(frame, "Sources")
    assert 'class="num"' not in html
    assert _read(html).rows == [["URL", "Link 2"], ["no source", "no source"]]


def test_hostile_names_stay_text_and_only_web_addresses_become_links() -> None:
    frame = pd.DataFrame(
        {
            "State <b>": ["<script>alert(1)</script> | A|B", "{{ 7*7 }} `${x}`"],
            "km": [5984.0, 3.4],
            "Year": pd.array([2017, None], dtype="Int64"),
            "By canal": [True, False],
            "Link": ['https://www.trend.az/a"b <c>', None],
            "Link 2": ["javascript:alert(1)", ""],
        }
    )
    html = tables.to_html(frame, 'Legs "<i>"')
    assert "<script>" not in html
    assert "<b>" not in html
    assert "{{" not in html
    assert "${" not in html
    read = _read(html)
    assert read.rows == [
        ["State <b>", "km", "Year", "By canal", "Link", "Link 2"],
        ["<script>alert(1)</script> | A|B", "5,984", "2017", "yes", "trend.az", "no source"],
        ["{{ 7*7 }} `${x}`", "3.4", "", "no", "", ""],
    ]
    (link,) = [attrs for tag, attrs in read.tags if tag == "a"]
    assert link == {"href": 'https://www.trend.az/a"b <c>', "target": "_blank", "rel": "noopener"}
    assert read.caption == 'Legs "<i>"'


def test_an_html_table_heads_its_columns_and_rows_and_marks_its_numbers() -> None:
    frame = pd.DataFrame(
        {
            "State": ["Georgia", "Türkiye"],
            "km": [228.0, 1852.0],
            "Share": ["3.8%", "31.0%"],
            "Year": pd.array([None, 2017], dtype="Int64"),
            "ISO": ["GEO", "TUR"],
            "By canal": [False, False],
        }
    )
    read = _read(tables.to_html(frame, "Kilometres per state"))
    heads = [attrs for tag, attrs in read.tags if tag == "th"]
    assert [h["scope"] for h in heads] == ["col"] * 6 + ["row", "row"]
    numbers = [h.get("class") == "num" for h in heads[:6]]
    assert numbers == [False, True, True, True, False, False]
    data = [attrs.get("class") for tag, attrs in read.tags if tag == "td"]
    assert data == ["num", "num", "num", None, None] * 2
    # The headline figures are one row of figures: no cell heads it.
    headline = _read(tables.to_html(frame.iloc[:1], "Headline figures", row_headers=False))
    assert [attrs["scope"] for tag, attrs in headline.tags if tag == "th"] == ["col"] * 6
