"""The curated data itself: schema, references, and geography against the boundaries."""

from __future__ import annotations

import json
import re
import tomllib
import urllib.parse
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from corridors.cli import main as cli_main
from corridors.data import ROOT, CorridorDataError, Dataset, load_dataset, load_states
from corridors.disruptions import period_start
from corridors.figures import format_date
from corridors.geometry import GEOD, StateIndex, analyse_routes
from corridors.model import Analysis
from corridors.provenance import coords_note, unchecked_waypoints
from corridors.validate import check_geography

BASELINES = {
    "middle-corridor": "northern-corridor",
    "tripp": "aras-iran-route",
    "btk": "kars-gyumri",
    "instc": "suez-sea-route",
    "russia-gulf": "eastern-rail-route",
}
ARTICLES = ROOT.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="module")
def index() -> StateIndex:
    return StateIndex(load_states())


@pytest.fixture(scope="module")
def analyses(dataset: Dataset, index: StateIndex) -> dict[str, Analysis]:
    return analyse_routes(dataset.routes, index, dataset.chokepoints)


# The real files.


def test_all_five_corridors_and_their_baselines_are_there(dataset: Dataset) -> None:
    corridors = ("middle-corridor", "tripp", "btk", "instc", "russia-gulf")
    assert tuple(r.id for r in dataset.corridors) == corridors  # in their files' order
    for corridor, baseline in BASELINES.items():
        assert dataset.routes[corridor].role == "corridor"
        assert dataset.routes[corridor].baseline == baseline
        assert dataset.routes[baseline].role == "baseline"


def test_geography_matches_the_boundaries(
    dataset: Dataset, index: StateIndex, analyses: dict[str, Analysis]
) -> None:
    """Every waypoint in its state and on its route; computed transit equals declared transit."""
    assert check_geography(dataset, index, analyses) == []


@pytest.mark.parametrize("route_id", sorted(BASELINES) + sorted(BASELINES.values()))
def test_computed_transit_equals_declared(
    route_id: str, dataset: Dataset, analyses: dict[str, Analysis]
) -> None:
    route = dataset.routes[route_id]
    assert {s.iso3 for s in analyses[route_id].transit} == set(route.declared_transit)


@pytest.mark.parametrize(
    ("corridor", "bypassed"),
    [
        ("middle-corridor", {"RUS", "BLR"}),
        ("tripp", {"IRN"}),
        ("btk", {"ARM"}),
        ("instc", {"EGY"}),
        ("russia-gulf", {"KAZ", "TKM"}),
    ],
)
def test_each_corridor_bypasses_what_it_is_built_to_avoid(
    corridor: str, bypassed: set[str], analyses: dict[str, Analysis]
) -> None:
    assert {s.iso3 for s in analyses[corridor].bypassed} == bypassed


@pytest.mark.parametrize(
    ("corridor", "skirted"),
    [("tripp", "IRN"), ("btk", "ARM"), ("middle-corridor", "ARM")],
)
def test_close_neighbours_are_skirted(
    corridor: str, skirted: str, analyses: dict[str, Analysis]
) -> None:
    """TRIPP runs along the Aras within sight of Iran; BTK along Armenia's Tavush border."""
    assert skirted in {s.iso3 for s in analyses[corridor].skirted}


#: How far a corridor's ends may lie from its baseline's, in km. Most share both ends; the Middle
#: Corridor leaves China at Altynkol, the Northern Corridor at Dostyk (both on the China-Kazakhstan
#: border), and the two reach the EU at different borders (Kapikule, Brest).
END_GAP_KM = {"middle-corridor": (250, None)}


def test_each_route_starts_and_ends_with_its_baseline(dataset: Dataset) -> None:
    """Same trip: a corridor and its baseline start and end in the same places."""
    from corridors.geometry import GEOD

    for corridor, baseline in BASELINES.items():
        a, b = dataset.routes[corridor], dataset.routes[baseline]
        for end, limit in zip((0, -1), END_GAP_KM.get(corridor, (150, 150)), strict=True):
            if limit is None:
                continue
            (lon_a, lat_a), (lon_b, lat_b) = a.legs[end].coords[end], b.legs[end].coords[end]
            assert GEOD.inv(lon_a, lat_a, lon_b, lat_b)[2] / 1000 < limit, (corridor, end)


def test_btk_length_is_near_the_published_826_to_850_km(analyses: dict[str, Analysis]) -> None:
    """Curated polylines cut mountain curves, so they run shorter: within 10 % of the range."""
    assert 826 * 0.9 <= analyses["btk"].length_km <= 850 * 1.1


def test_computed_leg_lengths_are_near_stated_ones(dataset: Dataset) -> None:
    """Where a source gives a leg's length, the drawn leg is close to it.

    Curated polylines generalise the curves of valley lines (Horadiz-Aghband follows the Aras for
    110 km where the drawn line takes 94), so they may run up to a fifth short; never long.
    """
    from corridors.geometry import leg_km

    for route in dataset.routes.values():
        for leg in route.legs:
            if leg.length_km_stated:
                ratio = leg_km(leg) / leg.length_km_stated
                assert 0.8 <= ratio <= 1.2, (
                    route.id,
                    leg.id,
                    round(leg_km(leg)),
                    leg.length_km_stated,
                )


def test_every_leg_and_waypoint_cites_a_source(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        assert all(leg.sources for leg in route.legs)
        assert all(wp.sources for wp in route.waypoints)
        assert all(figure.fact in dataset.facts for figure in route.figures)
    assert all(c.sources for c in dataset.chokepoints)
    assert all(d.sources for d in dataset.disruptions)


def test_chokepoints_layer_has_the_named_ones(dataset: Dataset) -> None:
    names = {cp.id for cp in dataset.chokepoints}
    assert {
        "hormuz",
        "bab-el-mandeb",
        "suez",
        "bosphorus",
        "aktau-baku-ferry",
        "rasht-astara-gap",
        "meghri",
    } <= names


@pytest.mark.parametrize(
    ("route_id", "passes", "avoids"),
    [
        ("instc", {"hormuz", "rasht-astara-gap"}, {"suez", "bab-el-mandeb"}),
        ("middle-corridor", {"aktau-baku-ferry", "bosphorus"}, set()),
        ("tripp", {"meghri"}, set()),
        ("aras-iran-route", set(), {"meghri"}),
    ],
)
def test_chokepoints_passed(
    route_id: str, passes: set[str], avoids: set[str], analyses: dict[str, Analysis]
) -> None:
    passed = set(analyses[route_id].chokepoints)
    assert passes <= passed
    assert not (avoids & passed)


def test_notes_copy_no_sentence_from_the_articles() -> None:
    """Our notes are our own words: no run of 12 words from a source article appears in the
    summaries or fact texts (titles are citations and may be quoted; 12 words leave room for
    long proper names such as the Trump Route for International Peace and Prosperity)."""
    if not ARTICLES.is_dir():
        pytest.skip(f"source articles not present at {ARTICLES}")

    def runs(text: str) -> set[str]:
        w = re.findall(r"[a-z0-9]+", text.lower())
        return {" ".join(w[i : i + 12]) for i in range(len(w) - 11)}

    article_runs = set().union(
        *(runs(a.read_text(encoding="utf-8")) for a in ARTICLES.glob("*.txt"))
    )
    for note in (ROOT / "seeds").glob("*.toml"):
        doc = tomllib.loads(note.read_text(encoding="utf-8"))
        ours = " | ".join([doc["source"]["summary"], *(f["text"] for f in doc["facts"])])
        assert sorted(runs(ours) & article_runs) == [], note.name


# Malformed files: every problem is reported with its file and feature, and the CLI exits non-zero.


def _copy_dataset(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], route_id: str = "btk"
) -> tuple[Path, Path]:
    data_dir, seeds_dir = tmp_path / "data", tmp_path / "seeds"
    (data_dir / "routes").mkdir(parents=True)
    seeds_dir.mkdir()
    for path in (ROOT / "data" / "routes").glob("*.geojson"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        if path.stem == route_id:
            edit(doc)
        (data_dir / "routes" / path.name).write_text(json.dumps(doc), encoding="utf-8")
    (data_dir / "chokepoints.geojson").write_text(
        (ROOT / "data" / "chokepoints.geojson").read_text()
    )
    for path in (ROOT / "seeds").glob("*.toml"):
        (seeds_dir / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    return data_dir, seeds_dir


def _first(doc: dict[str, Any], kind: str) -> dict[str, Any]:
    return next(f for f in doc["features"] if f["properties"]["feature"] == kind)


def _drop_mode(doc: dict[str, Any]) -> None:
    del _first(doc, "leg")["properties"]["mode"]


def _unknown_source(doc: dict[str, Any]) -> None:
    _first(doc, "waypoint")["properties"]["sources"] = ["no-such-fact"]


def _bad_json(doc: dict[str, Any]) -> None:
    doc.clear()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_mode, r"btk\.geojson: feature btk-\S+: mode: Field required"),
        (_unknown_source, r"btk\.geojson: waypoint \S+: unknown source id 'no-such-fact'"),
        (_bad_json, r"btk\.geojson: must be a GeoJSON FeatureCollection"),
    ],
)
def test_malformed_route_file_names_file_and_feature(
    tmp_path: Path,
    edit: Callable[[dict[str, Any]], None],
    message: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, edit)
    with pytest.raises(CorridorDataError, match=message):
        load_dataset(data_dir, seeds_dir)
    assert cli_main(["validate", "--data-dir", str(data_dir), "--seeds-dir", str(seeds_dir)]) == 1
    assert re.search(message, capsys.readouterr().err)


def test_all_problems_are_reported_at_once(tmp_path: Path) -> None:
    def two_faults(doc: dict[str, Any]) -> None:
        _drop_mode(doc)
        doc["corridor"]["colour"] = "red"

    data_dir, seeds_dir = _copy_dataset(tmp_path, two_faults)
    with pytest.raises(CorridorDataError) as caught:
        load_dataset(data_dir, seeds_dir)
    problems = caught.value.problems
    assert len(problems) == 2
    assert any("colour" in p for p in problems)
    assert any("mode: Field required" in p for p in problems)
    # Nothing that follows from the file not loading: its facts still name a known corridor.
    assert not any("unknown corridor 'btk'" in p for p in problems)


def test_waypoint_in_the_wrong_state_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def misplace(doc: dict[str, Any]) -> None:
        waypoint = next(f for f in doc["features"] if f["properties"].get("iso3") == "GEO")
        waypoint["properties"]["iso3"] = "ARM"

    data_dir, seeds_dir = _copy_dataset(tmp_path, misplace)
    assert cli_main(["validate", "--data-dir", str(data_dir), "--seeds-dir", str(seeds_dir)]) == 1
    err = capsys.readouterr().err
    assert re.search(r"btk\.geojson: waypoint \S+ \(.+\) claims ARM but lies in Georgia", err)


def test_undeclared_transit_fails_validation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def undeclare(doc: dict[str, Any]) -> None:
        doc["corridor"]["declared_transit"] = ["AZE", "TUR"]

    data_dir, seeds_dir = _copy_dataset(tmp_path, undeclare)
    assert cli_main(["validate", "--data-dir", str(data_dir), "--seeds-dir", str(seeds_dir)]) == 1
    assert "btk.geojson: crosses AZE, GEO, TUR but declares AZE, TUR" in capsys.readouterr().err


def test_duplicate_fact_id_and_bad_toml_are_reported(tmp_path: Path) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, lambda _doc: None)
    first = sorted(seeds_dir.glob("*.toml"))[0]
    facts = tomllib.loads(first.read_text())["facts"]
    twin = seeds_dir / "zz-twin.toml"
    twin.write_text(
        '[source]\nid = "zz-twin"\ntitle = "t"\npublisher = "p"\ndate = "2025"\n'
        'url = "https://example.org/t"\nchecked = "2026-11-30"\nkind = "reference"\nsummary = "s"\n'
        f'[[facts]]\nid = "{facts[0]["id"]}"\ntext = "t"\nstatus = "claim"\n'
    )
    (seeds_dir / "broken.toml").write_text("[source\n")
    with pytest.raises(CorridorDataError) as caught:
        load_dataset(data_dir, seeds_dir)
    text = str(caught.value)
    assert f"fact id {facts[0]['id']!r} is defined twice" in text
    assert "broken.toml: cannot be read as TOML" in text


def test_the_bundled_data_validates_from_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["validate"]) == 0
    assert capsys.readouterr().out.startswith("ok: ")


def test_copy_helper_leaves_the_real_files_alone(tmp_path: Path) -> None:
    before = (ROOT / "data" / "routes" / "btk.geojson").read_bytes()
    _copy_dataset(tmp_path, _drop_mode)
    assert (ROOT / "data" / "routes" / "btk.geojson").read_bytes() == before


# Sources a reader can follow: every note links to its original, dated and rated by the rules.


def test_every_source_links_to_a_dated_original(dataset: Dataset) -> None:
    for source in dataset.sources.values():
        assert source.url.startswith(("https://", "http://")), source.id
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", source.checked), source.id
        assert source.publisher, source.id


#: Article notes whose own address was not found (searched November 2026): they link to a page
#: that lists the article. Replace the link when found; no note may join this set.
INDEX_PAGE_NOTES = {"caci-2025-georgia-eu", "kyivpost-2022-russia-iran"}


def _is_index_page(url: str) -> bool:
    """True for a site's home page, a tag or category listing, or an articles index."""
    parts = urllib.parse.urlsplit(url)
    home = parts.path in ("", "/") and not parts.query  # "/?p=123" is a permalink
    return home or "/itemlist/" in parts.path or parts.path.endswith("-articles.html")


def test_article_notes_link_to_the_article_not_an_index(dataset: Dataset) -> None:
    """An article note links to the article; only the named, unfound ones link to a listing."""
    assert _is_index_page("https://www.kyivpost.com/")
    assert _is_index_page("http://cacianalyst.org/publications/analytical-articles.html")
    assert not _is_index_page(dataset.sources["caci-2025-tripp-iran"].url)
    on_index = {
        s.id for s in dataset.sources.values() if s.kind == "article" and _is_index_page(s.url)
    }
    assert on_index == INDEX_PAGE_NOTES


def test_every_leg_status_and_figure_has_an_as_of_date(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        assert all(leg.as_of for leg in route.legs), route.id
        for figure in route.figures:
            assert dataset.facts[figure.fact].as_of, (route.id, figure.label)
    assert dataset.as_of == max(leg.as_of for r in dataset.routes.values() for leg in r.legs)


def _newest(dates: list[str]) -> tuple[date, int]:
    """Order partial ISO dates: later start first, then the more precise."""
    return max((period_start(d), len(d)) for d in dates)


def test_no_leg_status_is_dated_before_the_sources_it_cites(dataset: Dataset) -> None:
    """A leg's as-of date is at least its newest source's (fact as-of or publication) date.

    Otherwise the dataset's as-of date, the newest leg status, would understate what is known.
    """
    for route in dataset.routes.values():
        for leg in route.legs:
            cited = [
                d
                for f in leg.sources
                for d in (dataset.facts[f].as_of, dataset.fact_source[f].date)
                if d is not None
            ]
            assert _newest([leg.as_of]) >= _newest(cited), (route.id, leg.id, leg.as_of)


def test_the_readme_states_the_as_of_date_the_app_shows(dataset: Dataset) -> None:
    """The README's 'current as of' is the dataset's as-of date the app, CSV and report show."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"**The data is current as of {format_date(dataset.as_of)}**" in readme


def test_every_waypoint_says_where_its_coordinates_come_from(dataset: Dataset) -> None:
    for route in dataset.routes.values():
        for wp in route.waypoints:
            assert wp.coords_source, (route.id, wp.id)
            assert wp.coords_precision_km, (route.id, wp.id)


#: Waypoints still placed by hand on the drawn line: none of these was found in a published source
#: (searched November 2026). A newly checked one lowers the count; an unchecked new one must say so.
UNCHECKED_WAYPOINTS = 14


def test_checked_waypoints_cite_a_dated_note(dataset: Dataset) -> None:
    """A waypoint is checked only against an address a note covers; the rest say hand-placed."""
    unchecked = unchecked_waypoints(dataset)
    for route_id, wp in unchecked:
        assert wp.coords_source.startswith("placed by hand"), (route_id, wp.id, wp.coords_source)
    assert len(unchecked) == UNCHECKED_WAYPOINTS


def test_a_checked_waypoint_lies_within_its_precision_of_the_published_point(
    dataset: Dataset,
) -> None:
    """The point a coordinate source quotes is no farther from the waypoint than its precision."""
    quoted = re.compile(r"(\d+\.\d+) N, (\d+\.\d+) E\)$")
    seen = 0
    for route in dataset.routes.values():
        for wp in route.waypoints:
            found = quoted.search(wp.coords_source)
            if found is None or coords_note(dataset, wp) is None:
                continue
            lat, lon = (float(x) for x in found.groups())
            km = GEOD.inv(wp.lon, wp.lat, lon, lat)[2] / 1000
            # 0.05 km: the quoted point is rounded to four decimals (about 10 m).
            assert km <= (wp.coords_precision_km or 0) + 0.05, (route.id, wp.id, round(km, 2))
            seen += 1
    assert seen > 150


def test_horadiz_sits_where_it_is_published(dataset: Dataset) -> None:
    """Horadiz is on the Aras at 39.448 N, 47.336 E, not near Jabrayil (47.04 E)."""
    horadiz = next(wp for wp in dataset.routes["tripp"].waypoints if wp.name == "Horadiz")
    assert (round(horadiz.lat, 3), round(horadiz.lon, 3)) == (39.448, 47.336)


def _write_note(seeds_dir: Path, body: str) -> None:
    (seeds_dir / "zz-note.toml").write_text(
        '[source]\nid = "zz-note"\ntitle = "t"\npublisher = "Some Outlet"\ndate = "2025"\n'
        + body
        + 'kind = "article"\nsummary = "s"\n'
        '[[facts]]\nid = "zz-fact"\ntext = "t"\nstatus = "verified"\nvalue = 3\n'
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('checked = "2026-11-30"\n', r"zz-note\.toml: url: Field required"),
        ('url = "https://example.org/a"\n', r"zz-note\.toml: checked: Field required"),
        (
            'url = "not a link"\nchecked = "2026-11-30"\n',
            r"zz-note\.toml: url: String should match",
        ),
        (
            'url = "https://example.org/a"\nchecked = "2026-11-30"\n',
            r"fact zz-fact: verified on one secondary source \(Some Outlet\)",
        ),
        (
            'url = "https://example.org/a"\nchecked = "2026-11-30"\n',
            r"fact zz-fact: a figure needs as_of",
        ),
    ],
)
def test_source_rules_are_enforced(tmp_path: Path, body: str, message: str) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, lambda _doc: None)
    _write_note(seeds_dir, body)
    with pytest.raises(CorridorDataError, match=message):
        load_dataset(data_dir, seeds_dir)


def test_a_source_without_a_publication_date_is_refused(tmp_path: Path) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, lambda _doc: None)
    _write_note(
        seeds_dir, 'url = "https://example.org/a"\nchecked = "2026-11-30"\nprimary = true\n'
    )
    path = seeds_dir / "zz-note.toml"
    path.write_text(path.read_text().replace('date = "2025"\n', ""))
    with pytest.raises(CorridorDataError, match=r"zz-note\.toml: date: Field required"):
        load_dataset(data_dir, seeds_dir)


def test_a_primary_source_or_a_second_outlet_may_verify(tmp_path: Path) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, lambda _doc: None)
    _write_note(
        seeds_dir, 'url = "https://example.org/a"\nchecked = "2026-11-30"\nprimary = true\n'
    )
    text = (
        (seeds_dir / "zz-note.toml").read_text().replace("value = 3", 'value = 3\nas_of = "2025"')
    )
    (seeds_dir / "zz-note.toml").write_text(text)
    assert "zz-fact" in load_dataset(data_dir, seeds_dir).facts
    second = text.replace("primary = true\n", "").replace(
        'as_of = "2025"', 'as_of = "2025"\nalso = ["btk-no-such-source"]'
    )
    (seeds_dir / "zz-note.toml").write_text(second)
    with pytest.raises(CorridorDataError, match="also names unknown source 'btk-no-such-source'"):
        load_dataset(data_dir, seeds_dir)


def test_a_disputed_figure_is_a_range(tmp_path: Path) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, lambda _doc: None)
    _write_note(
        seeds_dir, 'url = "https://example.org/a"\nchecked = "2026-11-30"\nprimary = true\n'
    )
    path = seeds_dir / "zz-note.toml"
    path.write_text(
        path.read_text().replace('"verified"\nvalue = 3', '"disputed"\nvalue = 3\nas_of = "2025"')
    )
    with pytest.raises(CorridorDataError, match="a disputed figure needs a range"):
        load_dataset(data_dir, seeds_dir)


def _drop_as_of(doc: dict[str, Any]) -> None:
    del _first(doc, "leg")["properties"]["as_of"]


def _drop_provenance(doc: dict[str, Any]) -> None:
    del _first(doc, "waypoint")["properties"]["coords_source"]


def _drop_precision(doc: dict[str, Any]) -> None:
    del _first(doc, "waypoint")["properties"]["coords_precision_km"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_drop_as_of, r"btk\.geojson: feature btk-\S+: as_of: Field required"),
        (_drop_provenance, r"btk\.geojson: feature \S+: coords_source: Field required"),
        (_drop_precision, r"btk\.geojson: feature \S+: coords_precision_km: Field required"),
    ],
)
def test_leg_without_as_of_or_waypoint_without_provenance_fails(
    tmp_path: Path, edit: Callable[[dict[str, Any]], None], message: str
) -> None:
    data_dir, seeds_dir = _copy_dataset(tmp_path, edit)
    with pytest.raises(CorridorDataError, match=message):
        load_dataset(data_dir, seeds_dir)
