"""Figures: each number rounded once and written once, the same on every surface."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from corridors.figures import (
    fact_value,
    format_count,
    format_date,
    format_days,
    format_days_change,
    format_hours,
    format_hours_in_days,
    format_km,
    format_number,
    format_share,
    format_status,
    format_usd,
    format_value,
    format_year,
    km,
    share,
)
from corridors.model import Fact


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (5984.6, "5,985 km"),  # the Middle Corridor: not "5,980 km" in one place
        (67.5, "68 km"),  # half up, once: never 67 in one place and 68 in another
        (67.49, "67 km"),
        (9.96, "10 km"),
        (3.44, "3.4 km"),  # under 10 km a tenth, so a short touch is not "3 km" or "0 km"
        (0.0, "0 km"),
    ],
)
def test_km_is_whole_from_ten_and_tenths_below(value: float, shown: str) -> None:
    assert format_km(value) == shown


@given(st.floats(min_value=0, max_value=50_000, allow_nan=False))
def test_rounding_twice_changes_nothing(value: float) -> None:
    assert km(km(value)) == km(value)
    assert format_km(km(value)) == format_km(value)
    assert share(share(value / 50_000)) == share(value / 50_000)


@pytest.mark.parametrize(
    ("value", "shown"), [(0.11349, "11.3%"), (0.5, "50.0%"), (1.0, "100.0%"), (0.0004, "0.0%")]
)
def test_share(value: float, shown: str) -> None:
    assert format_share(value) == shown


def test_years_never_get_a_thousands_separator() -> None:
    assert format_year(1993) == "1993"
    assert format_value(1993, "year") == "1993"
    assert format_value(2017, "year", 2018) == "2017-2018"
    assert format_number(1993) == "1,993"  # a number is not a year


@pytest.mark.parametrize(
    ("value", "value_max", "unit", "expected"),
    [
        (826, 850, "km", "826-850 km"),
        (826, None, "km", "826 km"),
        (826, 826, "km", "826 km"),
        (2.5, None, "", "2.5"),
        (19000, None, "trains", "19,000 trains"),
        (30, None, "% cheaper than via Suez", "30% cheaper than via Suez"),
        (6.5, 17, "million t/year", "6.5-17 million t/year"),
    ],
)
def test_value_with_unit(value: float, value_max: float | None, unit: str, expected: str) -> None:
    assert format_value(value, unit, value_max) == expected


def test_a_facts_value_is_never_its_text() -> None:
    event = Fact(id="f", text="It opened with a ceremony.", status="verified", date="2017-10-30")
    assert fact_value(event) == "30 October 2017"
    undated = Fact(id="g", text="It is long.", status="claim")
    assert fact_value(undated) == ""


@pytest.mark.parametrize(
    ("text", "shown"),
    [("2022", "2022"), ("1993-04", "April 1993"), ("2017-10-03", "3 October 2017")],
)
def test_dates_as_precise_as_their_source(text: str, shown: str) -> None:
    assert format_date(text) == shown


@pytest.mark.parametrize(
    ("status", "as_of", "shown"),
    [
        ("operational", "2026-03-09", "operational (as of 9 March 2026)"),
        ("under construction", "2025-12", "under construction (as of December 2025)"),
        ("closed", "1993", "closed (as of 1993)"),
        ("planned", "", "planned"),  # a drawn route's leg has no date: no empty "as of"
    ],
)
def test_a_status_says_as_of_when(status: str, as_of: str, shown: str) -> None:
    assert format_status(status, as_of) == shown


@given(st.dates(min_value=date(1850, 1, 1), max_value=date(2100, 12, 31)))
def test_a_status_names_the_day_month_and_year_it_was_confirmed(day: date) -> None:
    text = format_status("operational", day.isoformat())
    assert text.startswith("operational (as of ")
    assert text.endswith(f" {day:%B} {day.year})")
    assert f"(as of {day.day} " in text
    assert day.isoformat() not in text  # written for reading, not as a machine date


def test_counts() -> None:
    assert format_count(1, "baseline") == "1 baseline"
    assert format_count(5, "baseline") == "5 baselines"


@pytest.mark.parametrize(
    ("days", "text"),
    [
        ((11.6, 14.2), "12-14 days"),
        ((0.4, 0.6), "about 1 day"),  # never "0-1 days": a trip takes at least a day
        ((2.0, 2.4), "about 2 days"),
        ((2.5, 3.5), "3-4 days"),  # half up, as figures everywhere round
        ((1000.0, 1200.0), "1,000-1,200 days"),
    ],
)
def test_days_ranges(days: tuple[float, float], text: str) -> None:
    assert format_days(days) == text


@pytest.mark.parametrize(
    ("hours", "text", "in_days"),
    [
        ((20.6, 23.0), "21-23 h", "0.9-1.0"),
        ((6.0, 6.4), "about 6 h", "0.3"),
        ((0.0, 0.0), "none", "none"),
        ((48.0, 72.0), "48-72 h", "2.0-3.0"),
    ],
)
def test_hours_ranges_and_the_same_in_days(
    hours: tuple[float, float], text: str, in_days: str
) -> None:
    assert format_hours(hours) == text
    assert format_hours_in_days(hours) == in_days


@pytest.mark.parametrize(
    ("change", "text"),
    [((11.62, 14.4), "+11.6 to +14.4"), ((-2.0, -1.0), "-2.0 to -1.0"), ((-0.04, 0.04), "+0.0")],
)
def test_a_change_in_days_is_signed_end_for_end(change: tuple[float, float], text: str) -> None:
    assert format_days_change(change) == text


def test_dollar_ranges() -> None:
    assert format_usd((2500, 3250)) == "US$2,500-3,250"
    assert format_usd((2599.4, 2599.5)) == "US$2,599-2,600"
    assert format_usd((2599.4, 2599.4)) == "US$2,599"
