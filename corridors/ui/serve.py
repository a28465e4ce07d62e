"""Run the dashboard's server, loading what the page's first run needs while it starts.

The first visit after a start waited about 7 s more than any later one (9.8 s to the map drawn
against 2.2 s, on a 2-core machine): the first run of the page imported geopandas and folium,
read the world's boundaries, indexed them, analysed every route and built the network.
:func:`run` (``corridors serve``) loads all that in a thread of the server's own process as
Streamlit starts, filling the caches every session shares (``st.cache_resource``), so a
teacher who opens the browser a few seconds later finds them full. A session that arrives
sooner waits on the same cache entries instead of computing them twice.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Sequence
from pathlib import Path

from streamlit import runtime
from streamlit.runtime.runtime import RuntimeState
from streamlit.web import cli

#: The thread's name, by which the log filter below knows it.
THREAD = "corridors-warm-up"
#: Where Streamlit warns of a cached function called outside a session's run.
_CONTEXT_LOGGER = "streamlit.runtime.scriptrunner_utils.script_run_context"
#: What the server prints once the warm-up has filled the caches, then the seconds it took.
LOADED = "corridors: data loaded for the first visit in"
#: How long the warm-up waits for the server to start before it begins anyway.
START_WAIT_S = 30.0


def warm() -> float:
    """Fill the page's loaders' caches, as its first run would, importing what they need.

    Returns the seconds it took. Raises whatever a loader raises (malformed data, say), which
    the page reports to the user on its own run.
    """
    start = time.perf_counter()
    # Not the page's own modules: streamlit-folium registers its map component only when it is
    # first imported inside a session's run, and a registration made here would be lost (the
    # map's frame then fails to load, 404). The loaders bring geopandas, folium and networkx.
    from corridors.ui import cached  # noqa: PLC0415

    paths = cached.paths_from_env()
    stamp = cached.data_stamp(paths)
    dataset = cached.dataset(paths, stamp)
    analyses = cached.analyses(paths, stamp)
    cached.places(paths, stamp)
    cached.guided_tour(paths, stamp)
    cached.network(paths, stamp)
    cached.exposure(paths, stamp)
    cached.basemap(paths.boundaries)
    cached.names(paths.boundaries)
    cached.compare_tables(dataset, analyses)
    return time.perf_counter() - start


def _run() -> None:
    """Warm the caches and say how long it took; a failure only means the page loads them.

    It waits for Streamlit's runtime to be made first: begun at once, it competed with the
    server's own start for the interpreter and put off its health check by about 2 s.
    """
    deadline = time.monotonic() + START_WAIT_S
    while not _started() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        took = warm()
    except Exception as exc:  # the page's own run reports it to the user, in full
        print(f"corridors: the data was not loaded ahead of a visit: {exc}", file=sys.stderr)
        return
    print(f"{LOADED} {took:.1f} s", flush=True)


def _started() -> bool:
    """Return whether Streamlit's runtime is made and started (it serves from then on)."""
    return runtime.exists() and runtime.get_instance().state is not RuntimeState.INITIAL


class _NotFromWarmUp(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warnings about the warm-up's thread.

    Cached functions look for the run that called them (for a spinner) and warn when there is
    none; the warm-up runs outside any session, as the warning itself says may be ignored.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != THREAD


def start() -> threading.Thread:
    """Run :func:`warm` in a daemon thread of this process; return the thread."""
    logging.getLogger(_CONTEXT_LOGGER).addFilter(_NotFromWarmUp())
    thread = threading.Thread(target=_run, name=THREAD, daemon=True)
    thread.start()
    return thread


def run(app: Path, options: Sequence[str]) -> int:
    """Run ``streamlit run app *options`` in this process, the data loading beside it.

    In this process, not a child: a process manager's or container's signals reach Streamlit
    itself. Streamlit's own command line parses the options and exits the process itself.
    """
    start()
    sys.stdout.flush()
    return int(cli.main(["run", str(app), *options], prog_name="streamlit") or 0)
