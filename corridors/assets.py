"""Local copies of Leaflet, so the map draws with no internet connection.

folium takes Leaflet, jQuery, Bootstrap and Font Awesome from CDNs. The dashboard needs only
Leaflet, which it takes from the XStatic-Leaflet package (1.9.3, the version folium pins) and
serves through Streamlit's static file serving: ``.streamlit/config.toml`` sets
``server.enableStaticServing`` and Streamlit serves the ``static/`` folder next to ``app.py`` at
``/app/static/``. The copies under ``static/vendor/`` are build output, not committed.
"""

from __future__ import annotations

import filecmp
import os
import shutil
import tempfile
from pathlib import Path

import xstatic.pkg.leaflet

#: Leaflet version the copies come from; folium 0.20 pins the same one.
LEAFLET_VERSION: str = xstatic.pkg.leaflet.VERSION
#: Files the map needs: the script, its stylesheet and the images the stylesheet refers to.
LEAFLET_FILES: tuple[str, ...] = (
    "leaflet.js",
    "leaflet.css",
    "images/layers.png",
    "images/layers-2x.png",
    "images/marker-icon.png",
    "images/marker-icon-2x.png",
    "images/marker-shadow.png",
)
#: Where the copies go, relative to the static folder.
VENDOR_LEAFLET = Path("vendor") / "leaflet"
#: URL at which Streamlit serves the app's ``static/`` folder (with an empty ``baseUrlPath``).
STATIC_URL = "/app/static"


def install_leaflet(static_dir: Path, *, source_dir: Path | None = None) -> Path:
    """Copy Leaflet into ``static_dir/vendor/leaflet``, replacing only files that differ.

    Each file is written to a temporary name and renamed into place, so a browser fetching it
    while another session installs never reads half a file.

    Parameters
    ----------
    static_dir
        The folder Streamlit serves, next to ``app.py``.
    source_dir
        Where to copy from; XStatic-Leaflet's data folder by default.

    Returns
    -------
    Path
        The folder holding the copies.
    """
    source = Path(source_dir or xstatic.pkg.leaflet.BASE_DIR)
    target = static_dir / VENDOR_LEAFLET
    for name in LEAFLET_FILES:
        src, dst = source / name, target / name
        if dst.is_file() and filecmp.cmp(src, dst, shallow=False):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=dst.parent, prefix=f".{dst.name}.")
        os.close(fd)
        shutil.copyfile(src, tmp)
        os.replace(tmp, dst)
    return target


def leaflet_links(
    static_url: str = STATIC_URL,
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Return folium-style ``(name, url)`` lists of the local Leaflet script and stylesheet.

    They replace a map's ``default_js`` and ``default_css``, which streamlit-folium also reads
    to decide what to load inside its iframe.
    """
    base = f"{static_url.rstrip('/')}/{VENDOR_LEAFLET.as_posix()}"
    return [("leaflet", f"{base}/leaflet.js")], [("leaflet_css", f"{base}/leaflet.css")]
