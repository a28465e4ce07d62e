"""The year slider: what each leg looked like in a year, the disruptions and events it lists."""

from __future__ import annotations

from datetime import date

import geopandas as gpd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from shapely.geometry import LineString

from corridors.data import Dataset, load_dataset
from corridors.geometry import StateIndex, analyse_routes, route_from_lines
from corridors.model import STATUSES, Analysis, Disruption, Fact, Leg, Source, Status
from corridors.policy.timeline import (
    DRAW_STATUSES,
    SourceLink,
    analysis_in_year,
    events,
    is_projection,
    leg_statuses,
    open_legs,
    status_in_year,
    timeline_disruptions,
    year_bounds,
)


def leg(status: Status, year: int | None = None, closed_year: int | None = None) -> Leg:
    return Leg("l", "L", "rail", status, ((0.0, 0.0), (1.0, 0.0)), year, closed_year)


@pytest.mark.parametrize(
    ("status", "year", "closed_year", "expected"),
    [
        # An operational leg was not yet open before its year.
        ("operational", 2017, None, {2016: "not yet open", 2017: "operational"}),
        ("operational", None, None, {1900: "operational"}),
        # Planned legs show as planned until their year, then as (projected) operational.
        ("planned", 2030, None, {2025: "planned", 2029: "planned", 2030: "operational"}),
        ("proposed", None, None, {2000: "planned", 2100: "planned"}),
        ("under construction", 2028, None, {2020: "under construction", 2028: "operational"}),
        ("under construction", None, None, {2090: "under construction"}),
        # Closed legs are closed from closed_year, operational between year and closed_year.
        ("closed", 1899, 1993, {1890: "not yet open", 1950: "operational", 1993: "closed"}),
        ("closed", None, None, {1900: "closed", 2020: "closed"}),
        ("operational", 1900, 2022, {2021: "operational", 2022: "closed"}),
    ],
)
def test_status_in_year(
    status: Status, year: int | None, closed_year: int | None, expected: dict[int, str]
) -> None:
    for when, drawn in expected.items():
        assert status_in_year(leg(status, year, closed_year), when) == drawn, when


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("operational", "operational"),
        ("under construction", "under construction"),
        ("planned", "planned"),
        ("proposed", "planned"),
        ("closed", "closed"),
    ],
)
def test_no_year_means_today_as_recorded(status: Status, expected: str) -> None:
    assert status_in_year(leg(status, 2030, None), None) == expected


@given(
    st.sampled_from(STATUSES),
    st.none() | st.integers(1850, 2100),
    st.none() | st.integers(1850, 2100),
    st.integers(1850, 2100),
)
def test_every_leg_has_one_drawing_per_year_and_closure_is_final(
    status: Status, year: int | None, closed_year: int | None, when: int
) -> None:
    drawn = status_in_year(leg(status, year, closed_year), when)
    assert drawn in DRAW_STATUSES
    if closed_year is not None and when >= closed_year:
        assert drawn == "closed"


def test_projection_is_flagged_only_for_plans() -> None:
    assert is_projection(leg("planned", 2030), 2031)
    assert not is_projection(leg("planned", 2030), 2029)
    assert not is_projection(leg("operational", 2010), 2031)


def test_leg_statuses_cover_every_leg(policy_dataset: Dataset) -> None:
    route = policy_dataset.routes["middle-corridor"]
    assert leg_statuses(route, 2020) == {"sl-1": "operational", "sl-2": "under construction"}
    assert leg_statuses(route, 2005) == {"sl-1": "not yet open", "sl-2": "under construction"}


def test_events_are_dated_facts_oldest_first_with_their_source(policy_dataset: Dataset) -> None:
    found = events(policy_dataset)
    assert [e.fact_id for e in found] == ["fx-sea-opened", "fx-opening", "fx-north-closed"]
    first = found[0]
    assert (first.date, first.year, first.status) == ("1995-03", 1995, "claim")
    assert (first.source_title, first.source_url) == (
        "Fixture report on corridors",
        "https://example.org/report",
    )
    assert first.corridors == ("instc",)


def test_events_can_be_limited_to_the_corridors_shown(policy_dataset: Dataset) -> None:
    assert [e.fact_id for e in events(policy_dataset, ["middle-corridor"])] == ["fx-opening"]
    assert events(policy_dataset, []) == ()


def test_year_bounds_span_legs_and_events(policy_dataset: Dataset) -> None:
    assert year_bounds(policy_dataset) == (1900, 2035)


# What a route crosses in a year: the map's tints and the text follow the legs open then.


def test_a_route_crosses_only_what_its_open_legs_cross(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_index: StateIndex
) -> None:
    """The South Line's Beta-Gamma leg is due in 2028: before, it stops in Betaland."""
    route, today = policy_dataset.routes["middle-corridor"], policy_analyses["middle-corridor"]
    chokepoints = policy_dataset.chokepoints
    in_2020 = analysis_in_year(route, today, 2020, policy_index, chokepoints)
    assert [s.iso3 for s in today.transit] == ["AAA", "BBB", "CCC"]
    assert [s.iso3 for s in in_2020.transit] == ["AAA", "BBB"]
    assert in_2020.length_km < today.length_km
    assert in_2020.bypassed == today.bypassed  # it already goes round the North Line's states
    assert analysis_in_year(route, today, 2030, policy_index, chokepoints) is today
    assert analysis_in_year(route, today, None, policy_index, chokepoints) is today


def test_a_route_not_open_in_a_year_crosses_and_bypasses_nothing(
    policy_dataset: Dataset, policy_analyses: dict[str, Analysis], policy_index: StateIndex
) -> None:
    route, today = policy_dataset.routes["middle-corridor"], policy_analyses["middle-corridor"]
    before = analysis_in_year(route, today, 2005, policy_index, policy_dataset.chokepoints)
    assert (before.transit, before.bypassed, before.length_km) == ((), (), 0.0)


def test_btk_in_2016_stops_in_georgia(world_states: gpd.GeoDataFrame) -> None:
    """The issue's case: at 2016 Türkiye was tinted "crossed" though the line stopped in Georgia."""
    dataset = load_dataset()
    index = StateIndex(world_states)
    analyses = analyse_routes(dataset.routes, index, dataset.chokepoints)
    btk = dataset.routes["btk"]
    in_2016 = analysis_in_year(btk, analyses["btk"], 2016, index, dataset.chokepoints)
    assert [s.iso3 for s in in_2016.transit] == ["AZE", "GEO"]
    assert [s.iso3 for s in in_2016.bypassed] == ["ARM"]
    in_2017 = analysis_in_year(btk, analyses["btk"], 2017, index, dataset.chokepoints)
    assert [s.iso3 for s in in_2017.transit] == ["AZE", "GEO", "TUR"]


def test_your_route_has_no_status_history() -> None:
    mine = route_from_lines(LineString([(0, 0), (1, 0)]), name="Your route")
    assert mine.user
    assert open_legs(mine, 1900) == mine.legs


# Disruptions as the timeline lists them

TODAY = date(2026, 11, 30)


def note(fact_id: str, published: str, *, as_of: str | None = None) -> Source:
    """A one-fact source note published on ``published``."""
    return Source(
        id=f"note-{fact_id}",
        title=f"Report on {fact_id}",
        publisher="Some Outlet",
        date=published,
        url=f"https://example.org/{fact_id}",
        checked="2026-11-30",
        kind="article",
        summary="s",
        facts=(Fact(id=fact_id, text="t", status="claim", as_of=as_of),),
    )


def disruption(did: str, start: str, end: str | None = None, *sources: str) -> Disruption:
    return Disruption(did, f"Title {did}", "closure", start, end, ("AAA",), (), (), sources)


@pytest.fixture(scope="module")
def troubled() -> Dataset:
    """Three disruptions: one since 1993, one for four days of 2026, one from 2026 on."""
    notes = [
        note("f-old", "2009-10-12", as_of="1993"),
        note("f-short", "2026-03-05"),
        note("f-short-end", "2026-03-09"),
        note("f-new", "2026-03"),
    ]
    return Dataset(
        routes={},
        chokepoints=(),
        sources={n.id: n for n in notes},
        disruptions=(
            disruption("new", "2026-02-28", None, "f-new"),
            disruption("short", "2026-03-05", "2026-03-09", "f-short", "f-short-end"),
            disruption("old", "1993", None, "f-old"),
        ),
    )


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (1992, {}),
        (1993, {"old": "started 1993, no end reported"}),
        (2025, {"old": "in force since 1993, no end reported"}),
        (
            2026,
            {
                "old": "in force since 1993, no end reported",
                "new": "started 28 February 2026, no end reported",
                "short": "started 5 March 2026, ended 9 March 2026",
            },
        ),
        (
            2027,
            {
                "old": "in force since 1993, no end reported",
                "new": "in force since 28 February 2026, no end reported",
            },
        ),
        # Timeline off: what is in force today.
        (
            None,
            {
                "old": "in force since 1993, no end reported",
                "new": "in force since 28 February 2026, no end reported",
            },
        ),
    ],
)
def test_disruptions_that_apply_in_a_year(
    troubled: Dataset, year: int | None, expected: dict[str, str]
) -> None:
    listed = timeline_disruptions(troubled, year, today=TODAY)
    assert {d.id: d.when for d in listed} == expected
    assert [d.id for d in listed] == [i for i in ("old", "new", "short") if i in expected]


def test_a_disruption_ended_before_today_is_not_in_force_today(troubled: Dataset) -> None:
    listed = timeline_disruptions(troubled, None, today=date(2026, 3, 7))
    assert {d.id: d.when for d in listed}[
        "short"
    ] == "in force since 5 March 2026, ended 9 March 2026"


def test_a_disruption_is_as_of_its_newest_report(troubled: Dataset) -> None:
    by_id = {d.id: d for d in timeline_disruptions(troubled, 2026, today=TODAY)}
    # A 2009 article on a border closed since 1993 reports it closed as of 2009.
    assert by_id["old"].as_of == "2009-10-12"
    assert by_id["short"].as_of == "2026-03-09"
    assert by_id["short"].sources == (
        SourceLink("Report on f-short", "https://example.org/f-short"),
        SourceLink("Report on f-short-end", "https://example.org/f-short-end"),
    )


@given(year=st.integers(1900, 2100))
def test_a_disruption_applies_exactly_in_the_years_it_spans(troubled: Dataset, year: int) -> None:
    listed = {d.id for d in timeline_disruptions(troubled, year, today=TODAY)}
    assert ("old" in listed) == (year >= 1993)
    assert ("short" in listed) == (year == 2026)
    assert ("new" in listed) == (year >= 2026)


def test_disruptions_follow_the_corridors_shown() -> None:
    """A leg-less strike concerns every route; a suspension of INSTC legs only INSTC's.

    A closure on a shown corridor's baseline counts too: BTK goes round the closed Kars-Gyumri.
    """
    dataset = load_dataset()
    shown = {d.id for d in timeline_disruptions(dataset, 2026, today=TODAY, corridors=["btk"])}
    assert shown == {"strikes-on-iran-2026", "kars-gyumri-border-1993"}
    instc = {d.id for d in timeline_disruptions(dataset, 2026, today=TODAY, corridors=["instc"])}
    assert {"instc-suspension-2026", "hormuz-closure-2026", "strikes-on-iran-2026"} <= instc
    assert "kars-gyumri-border-1993" not in instc


def test_in_2016_the_kars_gyumri_closure_counts_for_the_corridors_shown() -> None:
    """The map's note and the Timeline both count it: it is a baseline's, not a corridor's."""
    dataset = load_dataset()
    everything = [r.id for r in dataset.corridors]
    listed = timeline_disruptions(dataset, 2016, today=TODAY, corridors=everything)
    assert "kars-gyumri-border-1993" in {d.id for d in listed}
    assert {d.id for d in listed} == {
        d.id for d in timeline_disruptions(dataset, 2016, today=TODAY)
    }


def test_in_2016_the_maps_note_counts_what_the_timeline_lists(
    world_states: gpd.GeoDataFrame,
) -> None:
    """Every corridor shown, baselines hidden: the Kars-Gyumri closure is still counted."""
    from corridors.webmap import build_overlays, display_states

    dataset = load_dataset()
    analyses = analyse_routes(dataset.routes, StateIndex(world_states), dataset.chokepoints)
    visible = [r.id for r in dataset.corridors]
    groups = build_overlays(
        dataset,
        analyses,
        display_states(world_states),
        visible=visible,
        selected=None,
        show_baselines=False,
        year=2016,
    )
    (note,) = [e for g in groups for e in [g, *g._children.values()] if e._id == "mapnote"]
    listed = timeline_disruptions(dataset, 2016, today=date.today(), corridors=visible)
    assert "kars-gyumri-border-1993" in {d.id for d in listed}
    count = "1 disruption" if len(listed) == 1 else f"{len(listed)} disruptions"
    assert note.text == f"The map shows the routes as in 2016 · {count} in force (see Timeline)"
