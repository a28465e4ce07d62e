"""The year slider: what each leg looked like in a year, and the events under the map."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.data import Dataset
from corridors.model import STATUSES, Leg, Status
from corridors.policy.timeline import (
    DRAW_STATUSES,
    events,
    is_projection,
    leg_statuses,
    status_in_year,
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
