"""``python -m corridors network`` and ``whatif``: the JSON shapes of issue 12 on the real data."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from corridors.cli import main
from corridors.data import DATA_DIR


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_network_json_lists_crossings_and_gauge_breaks(capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys, ["network", "--json"])
    corridors = {c["id"]: c for c in payload["corridors"]}
    assert set(corridors) == {"middle-corridor", "tripp", "btk", "instc", "russia-gulf"}
    middle = corridors["middle-corridor"]
    assert [(b["from"], b["to"]) for b in middle["border_crossings"]] == [
        ("AZE", "GEO"),
        ("GEO", "TUR"),
    ]
    (gauge_break,) = middle["gauge_breaks"]
    assert {"at", "lat", "lon", "from_mm", "to_mm", "hours"} <= set(gauge_break)
    assert (gauge_break["from_mm"], gauge_break["to_mm"]) == (1520, 1435)
    # At Akhalkalaki, in Georgia, where the sources put it: before the Turkish border.
    assert (gauge_break["at"], gauge_break["in"]) == ("Akhalkalaki", "GEO")
    assert middle["cost"]["usd_per_feu"] == [2500, 3250]
    assert middle["cost"]["sources"] == ["mc-china-europe-usd-per-feu"]
    assert middle["baseline_cost"]["usd_per_feu"] == [2599, 3121]
    assert corridors["tripp"]["cost"] is None  # no source gives one: absent, not invented
    assert {p["id"] for p in payload["pairs"]} >= {"china-europe", "india-russia", "baku-kars"}


def test_whatif_json_reroutes_every_pair(capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys, ["whatif", "--close", "rus", "--json"])
    assert payload["closed"]["states"] == ["RUS"]
    pairs = {p["id"]: p for p in payload["pairs"]}
    china = pairs["china-europe"]
    assert {"id", "from", "to", "open", "closed", "why"} <= set(china)
    assert "RUS" in china["open"]["states"]
    assert "RUS" not in china["closed"]["states"]
    assert china["closed"]["km"] > china["open"]["km"]
    assert abs(china["delta"]["km"] - (china["closed"]["km"] - china["open"]["km"])) <= 1
    assert pairs["russia-gulf"]["closed"] is None
    assert pairs["russia-gulf"]["why"] == "No route: Moscow is in Russia, which is closed."
    assert payload["summary"].startswith("With Russia closed")


def test_whatif_text_names_the_detour(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whatif", "--close", "IRN", "--chokepoint", "bosphorus", "--year", "2025"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("With Iran and the Bosphorus closed:")
    assert "India-Russia goes through Egypt" in out


def test_whatif_rejects_an_unknown_state(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["whatif", "--close", "XXX"]) == 2
    assert "unknown state 'XXX'" in capsys.readouterr().err


def test_whatif_rejects_a_bad_year(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["whatif", "--year", "soon"])
    assert "must be a year from 1850 to 2100" in capsys.readouterr().err


def test_validate_checks_the_network_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data, ignore=shutil.ignore_patterns("boundaries"))
    assert main(["validate", "--data-dir", str(data)]) == 0
    assert "ok: network of" in capsys.readouterr().out
    pairs = json.loads((data / "od-pairs.json").read_text(encoding="utf-8"))
    pairs["pairs"][0]["to"] = {"name": "Reykjavik", "lon": -21.9, "lat": 64.1}
    (data / "od-pairs.json").write_text(json.dumps(pairs), encoding="utf-8")
    assert main(["validate", "--data-dir", str(data)]) == 1
    assert "china-europe: Reykjavik is" in capsys.readouterr().err


def test_whatif_takes_a_disruption_preset(capsys: pytest.CaptureFixture[str]) -> None:
    payload = _json(capsys, ["whatif", "--preset", "march-2026-iran", "--json"])
    assert "IRN" in payload["closed"]["states"]
    assert "hormuz" in payload["closed"]["chokepoints"]
    assert "instc-01" in payload["closed"]["legs"]
    india = next(p for p in payload["pairs"] if p["id"] == "india-russia")
    assert "suez" in india["closed"]["chokepoints"]
    assert main(["whatif", "--preset", "nope"]) == 2
    assert "unknown preset 'nope' (known: " in capsys.readouterr().err
