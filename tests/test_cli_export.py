"""``python -m corridors snapshot`` and ``export-html``: files written, one-line errors.

Most tests run ``cli.main`` in-process on the export fixture (``common.load_all`` is replaced, so
no test waits for the real boundaries); one runs the real command in a subprocess.
"""

from __future__ import annotations

import io
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from corridors import cli
from corridors.cli import common

FIXTURE = Path(__file__).parent / "fixtures" / "export"
CDN_HOSTS = ("cdn.jsdelivr.net", "unpkg.com", "cdnjs.cloudflare.com", "code.jquery.com")


@pytest.fixture(scope="module")
def loaded() -> common.Loaded:
    return common.load_all(
        data_dir=FIXTURE / "data",
        seeds_dir=FIXTURE / "seeds",
        boundaries=FIXTURE / "states.geojson",
    )


@pytest.fixture
def run(loaded: common.Loaded, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run the command line on the fixture; return (exit code, stdout, stderr)."""
    monkeypatch.setattr(common, "load_all", lambda **_: loaded)

    def call(*argv: str) -> tuple[int, str, str]:
        code = cli.main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_snapshot_writes_png_of_the_chosen_size(run, tmp_path: Path) -> None:
    out = tmp_path / "map.png"
    args = "snapshot --corridor middle-corridor --corridor tripp --selected tripp --size square"
    args += " --subtitle Sub --date 2025-11-22 --bbox 30,35,62,50"
    code, stdout, _ = run(*args.split(), "--title", "Two corridors", "-o", str(out))
    assert code == 0
    assert f"wrote {out}" in stdout
    assert Image.open(io.BytesIO(out.read_bytes())).size == (1080, 1080)


def test_snapshot_takes_format_and_custom_size(run, tmp_path: Path) -> None:
    out = tmp_path / "map.pdf"
    args = ["snapshot", "--format", "pdf", "--width", "1440", "--height", "720", "--dpi", "144"]
    code, _, _ = run(*args, "-o", str(out))
    assert code == 0
    box = PdfReader(io.BytesIO(out.read_bytes())).pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx((720, 360))


def test_snapshot_svg_from_the_suffix(run, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    assert run("snapshot", "--baselines", "-o", str(out))[0] == 0
    assert out.read_text(encoding="utf-8").startswith("<?xml")


def test_export_html_writes_an_offline_page(run, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    code, stdout, _ = run("export-html", "--selected", "tripp", "--title", "T", "-o", str(out))
    assert code == 0
    assert "works offline" in stdout
    page = out.read_text(encoding="utf-8")
    assert "<script src=" not in page
    assert not [host for host in CDN_HOSTS if host in page]
    assert "fitBounds" in page


def test_export_html_opens_a_shared_links_view(run, tmp_path: Path) -> None:
    out = tmp_path / "map.html"
    link = "http://localhost:8501/?on=tripp&corridor=tripp&center=39.2,45.5&zoom=7&junk=1"
    code, _, stderr = run("export-html", "--view", link, "-o", str(out))
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "center: [39.2, 45.5]" in page
    assert '"zoom": 7' in page
    assert "route-tripp" in page
    assert "route-middle-corridor" not in page
    assert "junk" in stderr  # what the link had that the view cannot use, said, not hidden


def test_snapshot_of_a_shared_link_frames_its_view(run, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    code, _, _ = run(
        "snapshot", "--view", "?on=tripp,middle-corridor&center=43.5,56&zoom=7", "-o", str(out)
    )
    assert code == 0
    root = ET.fromstring(out.read_text(encoding="utf-8"))
    texts = {"".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text")}
    assert "Middle Corridor" in texts  # in the legend: in frame
    assert "TRIPP" not in texts  # switched on in the link, but far west of its view


def _svg_texts(path: Path) -> str:
    root = ET.fromstring(path.read_text(encoding="utf-8"))
    return " ".join("".join(t.itertext()) for t in root.iter("{http://www.w3.org/2000/svg}text"))


def test_snapshot_takes_a_year_and_closures(run, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    argv = ["snapshot", "--selected", "tripp", "--year", "2019", "--close", "arm", "-o", str(out)]
    assert run(*argv)[0] == 0
    texts = _svg_texts(out)
    assert "The map shows the routes as in 2019." in texts
    assert "Armenia closed" in texts
    assert "Cut by a what-if closure" in texts  # TRIPP runs through the fixture's Armenia
    assert 'id="cut-leg' in out.read_text(encoding="utf-8")


def test_snapshot_closes_a_leg(run, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    assert run("snapshot", "--selected", "tripp", "--close-leg", "tripp-02", "-o", str(out))[0] == 0
    assert "Cut by a what-if closure" in _svg_texts(out)
    assert out.read_text(encoding="utf-8").count('id="cut-leg') == 1


def test_snapshot_of_a_link_takes_its_year_and_closures(run, tmp_path: Path) -> None:
    out = tmp_path / "map.svg"
    link = "?on=tripp&corridor=tripp&year=2019&closed_states=ARM&center=39.5,44&zoom=6"
    code, _, stderr = run("snapshot", "--view", link, "--map-size", "1200x800", "-o", str(out))
    assert code == 0, stderr
    texts = _svg_texts(out)
    assert "The map shows the routes as in 2019." in texts
    assert "Armenia closed" in texts


def test_the_map_size_sets_what_a_links_zoom_shows(run, tmp_path: Path) -> None:
    """A larger screen shows more at the same zoom: a longer scale bar on the same paper."""
    link = "?on=tripp&center=39.5,44&zoom=6"
    bars = []
    for size in ("600x400", "2400x1600"):
        out = tmp_path / f"map-{size}.svg"
        assert run("snapshot", "--view", link, "--map-size", size, "-o", str(out))[0] == 0
        texts = _svg_texts(out).split()
        bars.append(float(texts[texts.index("km") - 1].replace(",", "")))
    assert bars[1] > bars[0]


def test_a_link_and_a_selection_do_not_mix(run, tmp_path: Path) -> None:
    code, _, stderr = run(
        "snapshot",
        "--view",
        "?zoom=5&center=1,2",
        "--bbox",
        "1,2,3,4",
        "-o",
        str(tmp_path / "m.png"),
    )
    assert code == 2
    assert "--view" in stderr


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["snapshot", "--corridor", "nope"], "unknown corridor id(s): nope (known: "),
        (["snapshot", "--selected", "nope"], "unknown corridor id(s): nope"),
        (["snapshot", "--size", "poster"], "unknown size 'poster' (known: slide-16x9"),
        (["snapshot", "--width", "800"], "give both width and height"),
        (["snapshot", "--bbox", "1,2,3"], "bad --bbox '1,2,3'"),
        (["snapshot", "--bbox", "50,40,10,60"], "bad --bbox '50,40,10,60'"),
        (["snapshot", "--date", "yesterday"], "bad --date 'yesterday'"),
        (["snapshot", "--year", "1990"], "bad --year 1990: the data runs from"),
        (["snapshot", "--close", "XYZ"], "bad --close XYZ: not the ISO alpha-3 code"),
        (["snapshot", "--close-chokepoint", "nope"], "bad --close-chokepoint nope (known: "),
        (["snapshot", "--close-leg", "nope"], "bad --close-leg nope: not the id of a leg"),
        (["snapshot", "--map-size", "big"], "bad --map-size 'big': need WIDTHxHEIGHT"),
        (["snapshot", "--map-size", "50x50"], "bad --map-size '50x50'"),
        (["snapshot", "--view", "?year=2019", "--year", "2019"], "--view gives the corridors"),
        (["export-html", "--corridor", "northern-route"], "draws corridors only"),
    ],
)
def test_bad_arguments_fail_with_one_line(
    run, tmp_path: Path, argv: list[str], message: str
) -> None:
    suffix = "html" if argv[0] == "export-html" else "png"
    out = tmp_path / f"map.{suffix}"
    code, _, stderr = run(*argv, "-o", str(out))
    assert code == 2
    assert message in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("output", "message"),
    [
        ("missing/map.png", "folder"),
        ("map.gif", "cannot tell the format"),
        (".", "should end in .png"),
    ],
)
def test_unwritable_output_fails_before_any_work(
    run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, output: str, message: str
) -> None:
    monkeypatch.chdir(tmp_path)
    args = ["snapshot", "-o", output] + (["--format", "png"] if output == "." else [])
    code, _, stderr = run(*args)
    assert code == 2
    assert message in stderr


def test_output_that_is_a_directory_is_refused(run, tmp_path: Path) -> None:
    folder = tmp_path / "map.png"
    folder.mkdir()
    code, _, stderr = run("snapshot", "-o", str(folder))
    assert code == 2
    assert "is a directory" in stderr


def test_real_command_in_a_subprocess(tmp_path: Path) -> None:
    """The whole path: ``python -m corridors``, the fixture data and the bundled boundaries."""
    out = tmp_path / "map.png"
    result = subprocess.run(
        [
            *f"{sys.executable} -m corridors snapshot --corridor middle-corridor".split(),
            *("--size", "slide-4x3", "--data-dir", str(FIXTURE / "data")),
            *("--seeds-dir", str(FIXTURE / "seeds"), "-o", str(out)),
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert Image.open(io.BytesIO(out.read_bytes())).size == (1600, 1200)
