"""``python -m corridors report``: the analysis of every route as a table or JSON."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from corridors.cli import main
from corridors.data import load_dataset
from corridors.figures import format_date


@pytest.fixture(scope="module")
def report_json() -> dict:
    """The JSON report, from a real ``python -m corridors`` process."""
    done = subprocess.run(
        [sys.executable, "-m", "corridors", "report", "--json"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def test_json_lists_the_five_corridors_with_every_field(report_json: dict) -> None:
    records = report_json["corridors"]
    assert [r["id"] for r in records] == ["middle-corridor", "tripp", "btk", "instc", "russia-gulf"]
    for record in records:
        assert {"id", "name", "baseline", "length_km", "transit", "touches", "skirted"} <= set(
            record
        )
        assert {"bypassed", "chokepoints"} <= set(record)
        assert all({"iso3", "name", "km"} <= set(s) for s in record["transit"])
        assert all({"iso3", "name", "min_km"} <= set(s) for s in record["skirted"])
        assert all({"iso3", "name"} <= set(s) for s in record["bypassed"])
        assert record["length_km"] > 0


def test_json_matches_the_real_geography(report_json: dict) -> None:
    """What the routes are built to do: cross some states and go around others."""
    by_id = {r["id"]: r for r in report_json["corridors"]}
    transit = {i: [s["iso3"] for s in r["transit"]] for i, r in by_id.items()}
    bypassed = {i: {s["iso3"] for s in r["bypassed"]} for i, r in by_id.items()}
    assert transit["middle-corridor"] == ["KAZ", "AZE", "GEO", "TUR"]
    assert bypassed["middle-corridor"] == {"RUS", "BLR"}
    assert transit["tripp"] == ["AZE", "ARM", "TUR"]
    assert bypassed["tripp"] == {"IRN"}
    assert "IRN" in {s["iso3"] for s in by_id["tripp"]["skirted"]}
    assert transit["btk"] == ["AZE", "GEO", "TUR"]
    assert bypassed["btk"] == {"ARM"}
    assert transit["instc"] == ["IRN", "AZE", "RUS"]
    assert bypassed["instc"] == {"EGY"}
    assert transit["russia-gulf"] == ["RUS", "AZE", "IRN"]
    assert bypassed["russia-gulf"] == {"KAZ", "TKM"}


def test_km_per_state_add_up_to_the_land_length(report_json: dict) -> None:
    for record in report_json["corridors"]:
        land = sum(km for mode, km in record["km_by_mode"].items() if mode in ("rail", "road"))
        crossed = sum(
            s["km"] for s in record["transit"] + record["touches"] if not s.get("via_canal")
        )
        assert crossed == pytest.approx(land, rel=0.02), record["id"]


def test_table_is_readable(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--corridor", "btk"]) == 0
    out = capsys.readouterr().out
    assert "Baku-Tbilisi-Kars railway (btk)" in out
    assert "bypassed:    Armenia (ARM)" in out
    assert "skirted:     Armenia" in out


def test_baselines_and_thresholds_are_options(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--json", "--baselines", "--skirt-km", "0"]) == 0
    records = json.loads(capsys.readouterr().out)["corridors"]
    assert len(records) == 10
    assert all(r["skirted"] == [] for r in records)


def test_unknown_corridor_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--corridor", "silk-road"]) == 2
    err = capsys.readouterr().err
    assert "unknown corridor id(s): silk-road" in err
    assert "middle-corridor" in err


def test_negative_threshold_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["report", "--min-transit-km", "-1"])
    assert exited.value.code == 2
    assert "must be >= 0" in capsys.readouterr().err


def test_json_gives_each_legs_status_as_of_its_date(report_json: dict) -> None:
    dataset = load_dataset()
    for record in report_json["corridors"]:
        route = dataset.routes[record["id"]]
        assert [leg["id"] for leg in record["legs"]] == [leg.id for leg in route.legs]
        for shown, leg in zip(record["legs"], route.legs, strict=True):
            assert shown["as_of"] == leg.as_of
            assert shown["status_text"] == f"{leg.status} (as of {format_date(leg.as_of)})"
            assert shown["sources"] == list(leg.sources)
            assert shown["source_urls"]
            assert all(url.startswith(("https://", "http://")) for url in shown["source_urls"])
            assert shown["standing"] != "no source"


def test_table_lists_each_leg_with_its_status_as_of_and_sources(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["report", "--corridor", "tripp"]) == 0
    out = capsys.readouterr().out
    legs = out.split("  legs:\n", 1)[1].splitlines()
    route = load_dataset().routes["tripp"]
    assert len(legs) == len(route.legs)
    for line, leg in zip(legs, route.legs, strict=True):
        assert line.startswith(f"    {leg.name}: {leg.mode}, {leg.status} (as of ")
        assert f"(as of {format_date(leg.as_of)}); sources: {', '.join(leg.sources)} (" in line
        assert " http" in line  # each leg's sources linked


def test_the_report_names_the_borders_its_km_are_measured_on(report_json: dict) -> None:
    """Measured figures cite the borders they are measured on, as legs cite their sources."""
    borders = load_dataset().fact_source["boundaries-natural-earth"]
    for record in report_json["corridors"]:
        assert record["measured_on"] == {
            "sources": ["boundaries-natural-earth"],
            "source_urls": [borders.url],
        }
    done = subprocess.run(
        [sys.executable, "-m", "corridors", "report", "--corridor", "btk"],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    assert f"  (km and shares measured on the borders at {borders.url})\n" in done.stdout
