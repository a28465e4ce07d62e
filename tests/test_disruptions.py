"""Disruptions as data: loading, dates in force, and the closures each what-if preset applies."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from corridors.data import ROOT, CorridorDataError, Dataset, load_dataset, load_states
from corridors.disruptions import (
    closures_of,
    in_force,
    is_in_force,
    leg_notes,
    legs_affected,
    period_start,
    preset_closures,
)
from corridors.geometry import StateIndex
from corridors.policy.closures import apply_closures, build_exposure
from corridors.webmap.tooltips import leg_tooltip


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


def _by_id(dataset: Dataset, disruption_id: str):
    return next(d for d in dataset.disruptions if d.id == disruption_id)


def test_every_disruption_cites_facts_and_dates(dataset: Dataset) -> None:
    assert dataset.disruptions
    for d in dataset.disruptions:
        assert all(s in dataset.facts for s in d.sources), d.id
        assert d.states or d.chokepoints or d.legs, d.id


def test_the_truck_halt_is_in_force_from_5_to_9_march_2026(dataset: Dataset) -> None:
    halt = _by_id(dataset, "az-ir-trucks-2026")
    assert not is_in_force(halt, date(2026, 3, 4))
    assert is_in_force(halt, date(2026, 3, 5))
    assert is_in_force(halt, date(2026, 3, 9))
    assert not is_in_force(halt, date(2026, 3, 10))


def test_in_force_lists_only_started_and_unended(dataset: Dataset) -> None:
    before = {d.id for d in in_force(dataset, date(2026, 2, 27))}
    after = {d.id for d in in_force(dataset, date(2026, 3, 2))}
    assert before == {"kars-gyumri-border-1993"}
    assert {"strikes-on-iran-2026", "instc-suspension-2026", "hormuz-closure-2026"} <= after


def test_a_year_only_start_counts_from_its_first_day() -> None:
    assert period_start("1993") == date(1993, 1, 1)


def test_legs_affected_names_the_disruptions(dataset: Dataset) -> None:
    affected = legs_affected(dataset, date(2026, 3, 6))
    assert {d.id for d in affected["instc-01"]} == {"instc-suspension-2026", "hormuz-closure-2026"}
    assert "aras-iran-route-04" in affected
    assert "aras-iran-route-04" not in legs_affected(dataset, date(2026, 3, 10))


def test_presets_close_what_they_say(dataset: Dataset) -> None:
    presets = {p.id: p for p in dataset.presets}
    march = preset_closures(dataset, presets["march-2026-iran"])
    assert march.states == ("IRN",)
    assert march.chokepoints == ("hormuz",)
    assert preset_closures(dataset, presets["turkey-armenia-border"]).chokepoints == (
        "kars-gyumri-border",
    )
    assert closures_of([]).states == ()


def test_the_march_2026_preset_cuts_the_iranian_routes_only(dataset: Dataset) -> None:
    """Closing Iran and Hormuz cuts the INSTC and the Russia-Gulf link, not BTK."""
    exposure = build_exposure(
        dataset.routes.values(), StateIndex(load_states()), dataset.chokepoints
    )
    closes = preset_closures(dataset, next(p for p in dataset.presets if p.id == "march-2026-iran"))
    result = apply_closures(exposure, states=closes.states, chokepoints=closes.chokepoints)
    connects = {r.route_id: r.runs for r in result.routes}
    assert not connects["instc"]
    assert not connects["russia-gulf"]
    assert connects["middle-corridor"]
    assert connects["btk"]


def test_the_april_2026_blockade_is_still_in_force_and_the_hormuz_reopening_lasted_a_day(
    dataset: Dataset,
) -> None:
    """The US blockade of Iranian ports (13 April 2026) has no firmly reported end; Iran's declared
    reopening of Hormuz (17 April) was reversed the next day, and it closed it again on 20 June."""
    today = {d.id for d in in_force(dataset, date(2026, 11, 30))}
    assert {"us-blockade-iran-ports-2026", "hormuz-closure-2026"} <= today
    strikes = _by_id(dataset, "strikes-on-iran-2026")  # halted by the mid-June memorandum
    assert is_in_force(strikes, date(2026, 6, 30))
    assert not is_in_force(strikes, date(2026, 7, 1))
    assert "us-blockade-iran-ports-2026" not in {d.id for d in in_force(dataset, date(2026, 4, 12))}
    reopening = _by_id(dataset, "hormuz-reopening-april-2026")
    assert reopening.kind == "reopening"
    assert is_in_force(reopening, date(2026, 4, 17))
    assert not is_in_force(reopening, date(2026, 4, 19))
    assert "us-blockade-iran-ports-2026" in {
        d.id for d in legs_affected(dataset, date(2026, 11, 30))["instc-01"]
    }


def test_the_april_2026_preset_closes_iran_and_hormuz(dataset: Dataset) -> None:
    preset = next(p for p in dataset.presets if p.id == "april-2026-blockade")
    closes = preset_closures(dataset, preset)
    assert (closes.states, closes.chokepoints) == (("IRN",), ("hormuz",))


def _write(data_dir: Path, text: str) -> None:
    (data_dir / "disruptions.toml").write_text(text, encoding="utf-8")


def _copy(tmp_path: Path) -> tuple[Path, Path]:
    data_dir = tmp_path / "data"
    (data_dir / "routes").mkdir(parents=True)
    for path in (ROOT / "data" / "routes").glob("*.geojson"):
        (data_dir / "routes" / path.name).write_bytes(path.read_bytes())
    (data_dir / "chokepoints.geojson").write_bytes(
        (ROOT / "data" / "chokepoints.geojson").read_bytes()
    )
    return data_dir, ROOT / "seeds"


HEAD = '[[disruptions]]\nid = "x"\ntitle = "t"\n'
CITE = 'sources = ["kg-closed-1993"]\n'


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (HEAD + 'kind = "flood"\nstart = "2026"\n' + CITE, r"disruption x: kind: Input should be"),
        (
            HEAD + 'kind = "closure"\nstart = "2026-03-05"\nend = "2026-03-01"\n' + CITE,
            r"disruption x: ends \(2026-03-01\) before it starts",
        ),
        (
            HEAD + 'kind = "closure"\nstart = "2026"\nlegs = ["no-leg"]\n'
            'chokepoints = ["no-cp"]\nsources = ["no-fact"]\n',
            r"unknown leg 'no-leg'(.|\n)*unknown chokepoint 'no-cp'(.|\n)*unknown source id",
        ),
        (
            '[[presets]]\nid = "p"\nlabel = "l"\ndisruptions = ["nothing"]\n',
            r"preset p: unknown disruption 'nothing'",
        ),
        ("[[disruptions\n", r"disruptions\.toml: cannot be read as TOML"),
    ],
)
def test_bad_disruptions_are_reported(tmp_path: Path, text: str, message: str) -> None:
    data_dir, seeds_dir = _copy(tmp_path)
    _write(data_dir, text)
    with pytest.raises(CorridorDataError, match=message):
        load_dataset(data_dir, seeds_dir)


def test_leg_notes_name_overdue_and_disrupted_legs(dataset: Dataset) -> None:
    notes = leg_notes(dataset, date(2027, 1, 1))
    assert "target 2026, not reported open" in notes["tripp-01"]
    assert any(n.startswith("North-South corridor cargo") for n in notes["instc-02"])
    assert "tripp-01" not in leg_notes(dataset, date(2026, 3, 1))


def test_a_leg_tooltip_carries_its_notes_escaped(dataset: Dataset) -> None:
    route = dataset.routes["tripp"]
    html = leg_tooltip(route, route.legs[0], notes=("target 2026, not reported open", "<b>x</b>"))
    assert "<i>target 2026, not reported open</i>" in html
    assert "&lt;b&gt;x&lt;/b&gt;" in html
