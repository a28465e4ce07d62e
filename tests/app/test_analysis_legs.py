"""The Analysis tab's legs table, run with AppTest: each status says as of when, with sources."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from corridors.ui import state
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.app.test_app import APP, html_table


@pytest.fixture
def app(
    monkeypatch: pytest.MonkeyPatch, dashboard_dirs: dict[str, Path], tmp_path: Path
) -> AppTest:
    """The app on a copy of the dashboard fixture whose Kars-Istanbul leg was confirmed on a day."""
    data, seeds = tmp_path / "data", tmp_path / "seeds"
    shutil.copytree(dashboard_dirs["data"], data)
    shutil.copytree(dashboard_dirs["seeds"], seeds)
    path = data / "routes" / "middle-corridor.geojson"
    doc = json.loads(path.read_text(encoding="utf-8"))
    (leg,) = [f for f in doc["features"] if f["id"] == "middle-corridor-04"]
    leg["properties"]["as_of"] = "2026-03-09"
    path.write_text(json.dumps(doc), encoding="utf-8")
    monkeypatch.setenv(ENV_DATA_DIR, str(data))
    monkeypatch.setenv(ENV_SEEDS_DIR, str(seeds))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_legs_table_says_each_status_as_of_when_with_its_sources(app: AppTest) -> None:
    app.radio(key=state.SELECTED).set_value("middle-corridor").run()
    assert not app.exception
    legs = html_table(app, {"Leg", "Status"}).set_index("Leg")
    row = legs.loc["Kars - Istanbul upgrade"]
    assert row["Status"] == "under construction (as of 9 March 2026)"
    assert row["Sources"] == "fx-mc-days"
    assert row["Link"] == "example.org"
    links = html_table(app, {"Leg", "Status"}, links=True).set_axis(legs.index)
    assert links.loc["Kars - Istanbul upgrade", "Link"] == "https://example.org/fixture"
    assert all(" (as of " in status for status in legs["Status"])


def test_the_legs_table_links_every_leg_to_its_source(app: AppTest) -> None:
    """Each leg's "Link" is a link to a web address, shown as the site's name."""
    app.radio(key=state.SELECTED).set_value("btk").run()
    assert not app.exception
    legs = html_table(app, {"Leg", "Link"})
    urls = html_table(app, {"Leg", "Link"}, links=True)["Link"]
    assert urls.str.startswith("https://").all()
    assert all(
        host in (shown, f"www.{shown}")
        for shown, host in zip(legs["Link"], urls.str.split("/").str[2], strict=True)
    )
    grades = {"verified", "claim", "disputed", "verified, claim"}
    assert set(legs["Standing"]) <= grades
    # The sources table's addresses are links too, and every row has one.
    sources = html_table(app, {"Fact", "Cited by", "URL"}, links=True)
    assert sources["URL"].str.startswith("https://").all()


def test_each_headline_figure_links_to_its_source_with_its_grade(app: AppTest) -> None:
    app.radio(key=state.SELECTED).set_value("middle-corridor").run()
    page = "".join(h.value for h in app.html)
    paragraphs = re.findall(r"<p><strong>[^<]+:</strong> .*?</p>", page)
    figures = [p for p in paragraphs if '<a href="https://' in p]
    assert figures
    link = r'<a href="https://[^"]+" target="_blank" rel="noopener">[^<]+</a>'
    assert all(re.search(rf" \((verified|claim|disputed); {link}\)</p>$", f) for f in figures)
