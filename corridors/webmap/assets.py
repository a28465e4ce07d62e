"""Local copies of Leaflet and its line tool, and data files the map fetches, served by Streamlit.

The data files are the basemap and its states' names: the same for every view, so the browser
fetches them once instead of finding them in the map's script, which is sent again on every
change of the map.

folium takes Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The dashboard needs only
Leaflet, which it takes from the XStatic-Leaflet package (1.9.3, the version folium pins), and
Leaflet.draw for drawing a route, committed under ``corridors/webmap/vendor/leaflet-draw`` (see its
``PROVENANCE.md``). Both are served through Streamlit's static file serving:
``.streamlit/config.toml`` sets ``server.enableStaticServing`` and Streamlit serves the
``static/`` folder next to ``app.py`` at ``/app/static/``. The copies under ``static/vendor/``,
like the data :func:`publish` writes under ``static/data/``, are build output, not committed.

They are built before the server starts (:func:`build`, run by ``python -m corridors
build-assets``, by ``corridors serve`` and in the container image); a session only checks that
they are there (:func:`check`), so a server whose folder is missing says so instead of drawing
a blank map.
"""

from __future__ import annotations

import filecmp
import functools
import hashlib
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import xstatic.pkg.leaflet

#: URL at which Streamlit serves the app's ``static/`` folder (with an empty ``baseUrlPath``).
STATIC_URL = "/app/static"


@dataclass(frozen=True)
class Bundle:
    """A front-end library: where its files come from and where they go in the static folder."""

    source_dir: Path
    #: Files to copy, relative to ``source_dir``: scripts, stylesheets and the images they use.
    files: tuple[str, ...]
    #: Folder under the static folder.
    target: Path
    script: str
    stylesheet: str

    def links(self, static_url: str) -> tuple[str, str]:
        """Return the URLs of the script and the stylesheet under ``static_url``."""
        base = f"{static_url.rstrip('/')}/{self.target.as_posix()}"
        return f"{base}/{self.script}", f"{base}/{self.stylesheet}"


#: Leaflet version the copies come from; folium 0.20 pins the same one.
LEAFLET_VERSION: str = xstatic.pkg.leaflet.VERSION
LEAFLET = Bundle(
    source_dir=Path(xstatic.pkg.leaflet.BASE_DIR),
    files=(
        "leaflet.js",
        "leaflet.css",
        "images/layers.png",
        "images/layers-2x.png",
        "images/marker-icon.png",
        "images/marker-icon-2x.png",
        "images/marker-shadow.png",
    ),
    target=Path("vendor") / "leaflet",
    script="leaflet.js",
    stylesheet="leaflet.css",
)
#: Leaflet.draw version committed under ``corridors/webmap/vendor``.
DRAW_VERSION = "1.0.4"
LEAFLET_DRAW = Bundle(
    source_dir=Path(__file__).with_name("vendor") / "leaflet-draw",
    files=(
        "leaflet.draw.js",
        "leaflet.draw.css",
        "images/spritesheet.png",
        "images/spritesheet-2x.png",
        "images/spritesheet.svg",
    ),
    target=Path("vendor") / "leaflet-draw",
    script="leaflet.draw.js",
    stylesheet="leaflet.draw.css",
)
#: The map's own script and stylesheet (``corridors/webmap/static``), loaded after Leaflet.
MAP_SCRIPTS = Bundle(
    source_dir=Path(__file__).with_name("static"),
    files=("corridors.js", "corridors.css"),
    target=Path("corridors"),
    script="corridors.js",
    stylesheet="corridors.css",
)
BUNDLES = (LEAFLET, LEAFLET_DRAW, MAP_SCRIPTS)
#: The scripts the web map loads, in the order they run, joined into one file (:func:`map_script`).
MAP_SCRIPT_PARTS = (LEAFLET, MAP_SCRIPTS, LEAFLET_DRAW)
#: The name folium knows that file by, in a map's and its line tool's ``default_js``.
MAP_SCRIPT = "corridors_map_js"


def install(static_dir: Path, bundle: Bundle = LEAFLET) -> Path:
    """Copy a bundle into ``static_dir``, replacing only files that differ.

    Each file is written to a temporary name and renamed into place, so a browser fetching it
    while another session installs never reads half a file.

    Parameters
    ----------
    static_dir
        The folder Streamlit serves, next to ``app.py``.
    bundle
        What to copy; Leaflet by default.

    Returns
    -------
    Path
        The folder holding the copies.
    """
    target = static_dir / bundle.target
    for name in bundle.files:
        src, dst = bundle.source_dir / name, target / name
        if not (dst.is_file() and filecmp.cmp(src, dst, shallow=False)):
            _write_atomically(dst, src.read_bytes())
    return target


def publish(static_dir: Path, folder: str, stem: str, content: bytes, suffix: str) -> Path:
    """Write ``content`` to ``static_dir/folder`` under a name made from its hash; return it.

    The name changes whenever the content does, so a browser may cache the file for as long as
    it likes and a map never loads data another version of the app wrote.

    Returns
    -------
    Path
        The file's path relative to ``static_dir``, to append to the static URL.
    """
    relative = hashed_name(folder, stem, content, suffix)
    target = static_dir / relative
    if not (target.is_file() and target.read_bytes() == content):
        _write_atomically(target, content)
    return relative


def hashed_name(folder: str, stem: str, content: bytes, suffix: str) -> Path:
    """Return the path under the static folder at which :func:`publish` puts ``content``."""
    digest = hashlib.sha256(content).hexdigest()[:16]
    return Path(folder) / f"{stem}-{digest}{suffix}"


@functools.cache
def map_script() -> bytes:
    """Return Leaflet, the map's own script and Leaflet.draw as one script, in that order.

    streamlit-folium loads a map's scripts one after another, each once the one before it has
    arrived and run: as three files they were three round trips to the server before the map
    could be built (in headless Chromium the map frame's time from its arguments to the map
    drawn went from about 245 ms to 150 ms with one file). Each part ends on a line of its own
    and a semicolon, so a trailing comment or a missing semicolon cannot run into the next.
    """
    parts = ((b.source_dir / b.script).read_bytes().rstrip() for b in MAP_SCRIPT_PARTS)
    return b"".join(part + b"\n;\n" for part in parts)


def map_script_name() -> Path:
    """Return where :func:`map_script` lives in the static folder (its name changes with it)."""
    return hashed_name("corridors", "map", map_script(), ".js")


#: Static files are read by the server and by whatever serves them in front of it.
FILE_MODE = 0o644


def _write_atomically(target: Path, content: bytes) -> None:
    """Write to a temporary name and rename into place: no reader ever sees half a file.

    ``mkstemp`` makes the file readable by its owner only (0600); it is opened up to
    :data:`FILE_MODE` before it takes the real name, and removed if anything fails.

    Raises
    ------
    OSError
        If the folder cannot be created or written.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            os.fchmod(out.fileno(), FILE_MODE)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def install_all(static_dir: Path) -> list[Path]:
    """Copy every bundle the map uses into ``static_dir``; return their folders."""
    return [install(static_dir, bundle) for bundle in BUNDLES]


#: What builds the static folder; the page names it when a file is missing.
BUILD_COMMAND = "python -m corridors build-assets"


class AssetsMissingError(RuntimeError):
    """Files the map loads are not in the static folder: it was not built before serving."""

    def __init__(self, static_dir: Path, missing: Sequence[Path]) -> None:
        self.static_dir = static_dir
        self.missing = tuple(missing)
        shown = ", ".join(p.as_posix() for p in self.missing[:3])
        more = f" and {len(self.missing) - 3} more" if len(self.missing) > 3 else ""
        super().__init__(
            f"The map's files are missing from {static_dir} ({shown}{more}). Build them before "
            f'serving, with "{BUILD_COMMAND}", then reload the page.'
        )


def basemap_name(basemap: bytes) -> Path:
    """Return where the basemap file with this content lives in the static folder."""
    return hashed_name("data", "basemap", basemap, ".json")


def names_name(names: bytes) -> Path:
    """Return where the file of the states' names with this content lives in the static folder."""
    return hashed_name("data", "names", names, ".json")


def build(static_dir: Path, basemap: bytes, names: bytes) -> list[Path]:
    """Write every file the map loads into ``static_dir``, before the server starts.

    Sessions only read the static folder (:func:`check`): none writes it, so none can find it
    half-built, and a folder that is missing or incomplete is an error the page shows.

    Parameters
    ----------
    static_dir
        The folder Streamlit serves, next to the dashboard script.
    basemap, names
        The display basemap and its states' names, as :func:`corridors.webmap.basemap_json`
        and :func:`corridors.webmap.names_json` write them.

    Returns
    -------
    list[Path]
        The files written or found up to date, relative to ``static_dir``.
    """
    install_all(static_dir)
    publish(static_dir, "corridors", "map", map_script(), ".js")
    publish(static_dir, "data", "basemap", basemap, ".json")
    publish(static_dir, "data", "names", names, ".json")
    return _expected(basemap, names)


def check(static_dir: Path, basemap: bytes, names: bytes) -> Path:
    """Return the basemap's path in ``static_dir``, once every file the map loads is there.

    The names' file is then at :func:`names_name`.

    Raises
    ------
    AssetsMissingError
        Naming the files that are missing: the folder was not built, or not for this basemap.
    """
    missing = [name for name in _expected(basemap, names) if not (static_dir / name).is_file()]
    if missing:
        raise AssetsMissingError(static_dir, missing)
    return basemap_name(basemap)


def _expected(basemap: bytes, names: bytes) -> list[Path]:
    """Return every file the map loads, relative to the static folder."""
    bundled = [bundle.target / name for bundle in BUNDLES for name in bundle.files]
    return [*bundled, map_script_name(), basemap_name(basemap), names_name(names)]


def leaflet_links(
    static_url: str = STATIC_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return folium-style ``(name, url)`` lists of the local Leaflet and the map's own files.

    They replace a map's ``default_js`` and ``default_css``, which streamlit-folium also reads
    to decide what to load inside its iframe. The script is :func:`map_script`, one file.
    """
    _, css = LEAFLET.links(static_url)
    _, own_css = MAP_SCRIPTS.links(static_url)
    return [(MAP_SCRIPT, _map_script_url(static_url))], [
        ("leaflet_css", css),
        ("corridors_css", own_css),
    ]


def draw_links(
    static_url: str = STATIC_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return the local Leaflet.draw script and stylesheet, for ``folium.plugins.Draw``.

    The script is the map's own (:func:`map_script`, which holds Leaflet.draw), under the same
    name: folium and streamlit-folium then load it once.
    """
    _, css = LEAFLET_DRAW.links(static_url)
    return [(MAP_SCRIPT, _map_script_url(static_url))], [("leaflet_draw_css", css)]


def _map_script_url(static_url: str) -> str:
    return f"{static_url.rstrip('/')}/{map_script_name().as_posix()}"
