"""The "Your route" analysis in a worker process: a file that crashes GEOS costs one request.

See :mod:`corridors.isolation` for why and how. Each worker loads the state boundaries once,
then analyses parsed uploads with :func:`corridors.policy.upload.analyse_parsed`; the caller
keeps one :class:`~corridors.isolation.WorkerPool` per boundaries file (the app caches it per
server, the command line opens one per run).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from corridors.data import load_states
from corridors.geometry import StateIndex
from corridors.isolation import IsolationError, WorkerPool
from corridors.model import Chokepoint, Mode, Route
from corridors.policy.upload import (
    AnalysedUpload,
    UploadedRoute,
    UploadError,
    analyse_parsed,
    parse_upload,
)

#: The worker's own index, built by :func:`load_index` when the worker starts.
_index: StateIndex | None = None


def load_index(boundaries: str) -> None:
    """Build the worker's spatial index of the boundaries (runs in the worker)."""
    global _index  # noqa: PLW0603 -- the worker's state, set once when it starts
    _index = StateIndex(load_states(Path(boundaries)))


def _analyse(
    upload: UploadedRoute, chokepoints: tuple[Chokepoint, ...], baseline: Route | None, mode: Mode
) -> AnalysedUpload:
    """Run :func:`analyse_parsed` on the worker's index (runs in the worker)."""
    if _index is None:
        msg = "the worker's index was not loaded; start the pool with load_index"
        raise RuntimeError(msg)
    return analyse_parsed(upload, _index, chokepoints, baseline, mode=mode)


def upload_pool(boundaries: Path, *, max_workers: int = 2) -> WorkerPool:
    """Return a pool of workers that analyse uploads against ``boundaries``."""
    return WorkerPool(load_index, (str(boundaries),), max_workers=max_workers)


def read_isolated(
    pool: WorkerPool,
    data: bytes,
    chokepoints: Iterable[Chokepoint],
    baseline: Route | None,
    *,
    mode: Mode = "rail",
) -> AnalysedUpload:
    """Read an upload here and analyse it in one of ``pool``'s workers.

    Parsing is pure Python and bounded by the upload limits, so a bad file is refused without
    waiting for a worker; simplifying and the analysis run GEOS, so they run in the worker.

    Raises
    ------
    UploadError
        If the file cannot be used, or its analysis crashed, ran out of memory or time (the
        :class:`~corridors.isolation.IsolationError`'s message, for the viewer).
    """
    upload = parse_upload(data)
    try:
        return pool.run(_analyse, upload, tuple(chokepoints), baseline, mode)
    except IsolationError as exc:
        raise UploadError(str(exc)) from exc
