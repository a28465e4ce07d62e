"""Analyses kept on disk between runs, keyed by a hash of everything they are computed from.

Most of a cold command-line call was reading the world's boundaries (6 MB of GeoJSON) and
analysing every route against them, to print a table that only changes when the data or the
code does. The analyses are small (a few KB), so they are written once to a file named by the
SHA-256 of the route and chokepoint files, the boundaries, the thresholds and the source of the
modules that compute them, and read back while all of those stay the same. Any change gives a
new key, so a stale file is never read; a missing, unreadable or malformed one is recomputed.

The file is JSON read back through pydantic, not a pickle: a cache is a file anyone who can
write the folder could swap, and reading it must not run code. It lives in the user's cache
folder (``$CORRIDORS_CACHE_DIR``, else ``$XDG_CACHE_HOME/corridors``, else
``~/.cache/corridors``), never in the repository; where that cannot be written the analysis is
simply computed each time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from corridors.model import Analysis

#: Names a folder for the cache instead of the user's cache folder.
ENV_CACHE_DIR = "CORRIDORS_CACHE_DIR"
#: Bumped when the file's layout changes.
_FORMAT = b"corridors-analyses-1"
#: The code an analysis depends on: its source is part of the key.
_CODE = ("geometry.py", "model.py", "cache.py")
_ANALYSES = TypeAdapter(dict[str, Analysis])


def cache_dir() -> Path:
    """Return the folder the cache is kept in (it may not exist yet)."""
    chosen = os.environ.get(ENV_CACHE_DIR)
    if chosen:
        return Path(chosen)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "corridors"


def inputs_key(files: Iterable[Path], **params: object) -> str:
    """Return the SHA-256 of ``files`` (names and bytes), ``params`` and the analysing code.

    Raises
    ------
    OSError
        If a file cannot be read.
    """
    digest = hashlib.sha256(_FORMAT)
    here = Path(__file__).parent
    for path in [*(here / name for name in _CODE), *files]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    digest.update(repr(sorted(params.items())).encode())
    return digest.hexdigest()


def cached_analyses(
    key: str, compute: Callable[[], dict[str, Analysis]], folder: Path | None = None
) -> dict[str, Analysis]:
    """Return the analyses stored under ``key``, or ``compute()`` them and store them.

    ``folder`` defaults to :func:`cache_dir`. A file that cannot be read or does not hold
    analyses is recomputed and replaced; one that cannot be written is skipped.
    """
    path = (folder or cache_dir()) / f"analyses-{key}.json"
    try:
        return _ANALYSES.validate_json(path.read_bytes())
    except (OSError, ValidationError):
        pass
    analyses = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a concurrent reader sees the whole file or none.
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as out:
            out.write(_ANALYSES.dump_json(analyses))
        Path(out.name).replace(path)
    except OSError:
        pass
    return analyses
