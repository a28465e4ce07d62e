"""Overdue legs and stale figures, judged on fixed dates."""

from __future__ import annotations

import re
from datetime import date

import pytest

from corridors.cli import main as cli_main
from corridors.data import Dataset, load_dataset
from corridors.figures import format_date
from corridors.freshness import (
    add_months,
    freshness_warnings,
    overdue_legs,
    period_end,
    stale_figures,
)


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def test_horadiz_aghband_is_overdue_the_day_after_its_target_year_ends(dataset: Dataset) -> None:
    """The line is under construction with a 2026 target."""
    on_time = {o.leg_id for o in overdue_legs(dataset, date(2026, 12, 31))}
    late = {o.leg_id: o for o in overdue_legs(dataset, date(2027, 1, 1))}
    assert "tripp-01" not in on_time
    assert late["tripp-01"].label == "target 2026, not reported open"
    assert late["tripp-01"].status == "under construction"


def test_open_and_undated_legs_are_never_overdue(dataset: Dataset) -> None:
    far_future = overdue_legs(dataset, date(2100, 1, 1))
    legs = {leg.id: leg for r in dataset.routes.values() for leg in r.legs}
    assert far_future
    for o in far_future:
        assert legs[o.leg_id].status in {"planned", "under construction"}
        assert legs[o.leg_id].year is not None


def test_a_2025_volume_goes_stale_18_months_after_the_year_ends(dataset: Dataset) -> None:
    """mc-volume-2025 is as of 2025: true until 31 Dec 2025, stale after 30 Jun 2027."""
    assert "mc-volume-2025" not in {s.fact_id for s in stale_figures(dataset, date(2027, 6, 30))}
    stale = {s.fact_id: s for s in stale_figures(dataset, date(2027, 7, 1))}
    assert stale["mc-volume-2025"].months_old == 18


def test_only_moving_figures_go_stale(dataset: Dataset) -> None:
    stale = {s.fact_id for s in stale_figures(dataset, date(2100, 1, 1))}
    assert stale
    assert all(dataset.facts[i].moving for i in stale)
    assert "suez-canal-length" not in stale


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("2025", date(2025, 12, 31)),
        ("2024-02", date(2024, 2, 29)),
        ("2026-03-09", date(2026, 3, 9)),
    ],
)
def test_period_end(text: str, end: date) -> None:
    assert period_end(text) == end


def test_add_months_clips_to_a_short_month() -> None:
    assert add_months(date(2025, 8, 31), 18) == date(2027, 2, 28)


def test_validate_warns_but_passes(capsys: pytest.CaptureFixture[str], dataset: Dataset) -> None:
    assert cli_main(["validate", "--today", "2027-01-01"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("ok: ")
    assert re.search(r"warning: overdue: tripp\.geojson: leg tripp-01 .*target 2026", captured.err)
    assert len(captured.err.splitlines()) == len(freshness_warnings(dataset, date(2027, 1, 1)))


def test_report_json_carries_the_dataset_as_of(
    capsys: pytest.CaptureFixture[str], dataset: Dataset
) -> None:
    import json

    assert cli_main(["report", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["as_of"] == dataset.as_of


def test_exports_carry_the_as_of_date_and_source_links(dataset: Dataset) -> None:
    from corridors.data import load_states
    from corridors.export import analysis_csv
    from corridors.geometry import StateIndex, analyse_routes
    from corridors.provenance import attribution, provenance

    # First, so a footer cut at its end for want of room keeps it.
    assert attribution(dataset, ["tripp"]).startswith(f"Data as of {format_date(dataset.as_of)}. ")
    record = provenance(dataset, ["tripp"], "2026-11-30")
    assert record["data_as_of"] == dataset.as_of
    assert all(s["url"].startswith("http") for s in record["sources"])
    assert all(s["checked"] for s in record["sources"])
    analyses = analyse_routes(dataset.routes, StateIndex(load_states()), dataset.chokepoints)
    text = analysis_csv(dataset, analyses, ["tripp"], date="2026-11-30")
    assert f"# data as of: {dataset.as_of}" in text
    assert "https://www.1lurer.am/en/2026/01/14/1/1446632" in text
