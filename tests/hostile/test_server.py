"""The worst inputs against a running server: it stays up, answers, and serves everyone's files.

Sessions speak Streamlit's own websocket protocol (``tests/sessions.py``), far cheaper than a
chromium each.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest

from benchmarks.server import Server, streamlit_server
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.hostile import cases
from tests.sessions import Session, fetch, open_socket, run

#: Generous bound on one run: many sessions share two busy cores.
RUN_TIMEOUT_S = 180
SESSIONS = 30
#: The downloads made in every run, which every session fetches while the others rerun.
DATA_DOWNLOADS = ("Analysis table (CSV)", "Routes (GeoJSON)")
#: The slow files, made when their button is pressed: the button's label, the download's, and
#: how the file begins. Every third session makes them, as a few people export at a time.
MADE = (
    ("Make PNG", "Download PNG (1920×1080)", b"\x89PNG\r\n\x1a\n"),
    ("Make interactive page (HTML)", "Download interactive page (HTML)", b"<!DOCTYPE html>"),
)


@pytest.fixture(scope="module")
def server(
    dashboard_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory, built_assets: None
) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("hostile-server") / "server.log"
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    with streamlit_server(log, env=env, build=False) as running:
        yield running


def healthy(url: str) -> bool:
    return fetch(url, "/_stcore/health")[0] == 200


def open_session(stack: ExitStack, url: str) -> Session:
    return Session(stack.enter_context(open_socket(url)))


def test_worst_inputs_cost_their_sender_a_message_and_the_server_stays_up(
    server: Server,
) -> None:
    drawing = {"type": "Feature", "geometry": json.loads(cases.zigzag())}
    worst: Sequence[tuple[Any, str | None]] = [
        ({"all_drawings": [drawing]}, None),  # crashed the server; now analysed in a worker
        ({"all_drawings": cases.nested(500)}, "nested too deeply"),
        ({"all_drawings": [{"geometry": json.loads(cases.many_parts())}]}, "separate lines"),
    ]
    with ExitStack() as stack:
        attacker, bystander = (open_session(stack, server.url) for _ in range(2))
        run(attacker, timeout=RUN_TIMEOUT_S)
        assert attacker.map_id
        for value, message in worst:
            # A drawing's refusal is said in the "Your route" tab, drawn only while open.
            run(attacker, map_value=value, tab="Your route", timeout=RUN_TIMEOUT_S)
            assert healthy(server.url)
            if message is None:
                assert attacker.errors == []
            else:
                assert attacker.errors
                assert all(message in error for error in attacker.errors), attacker.errors
        # A session that arrives afterwards is served.
        assert run(bystander, timeout=RUN_TIMEOUT_S).errors == []


@pytest.mark.load
def test_every_session_gets_its_files_while_the_others_rerun(server: Server) -> None:
    """Thirty sessions rerun side by side; each fetches its files after each of its runs.

    Every run of any session ends by deleting the files no session holds: a file made outside
    its session's run (a deferred download) was gone before the browser asked for it.
    """
    with ExitStack() as stack:
        sessions = [open_session(stack, server.url) for _ in range(SESSIONS)]
        makers = sessions[::3]

        def rerun_and_fetch(session: Session) -> list[tuple[str, int, bool]]:
            run(session, timeout=RUN_TIMEOUT_S)
            run(session, tab="Export", timeout=RUN_TIMEOUT_S)  # only the open tab is drawn
            made = MADE if session in makers else ()
            for press, _, _ in made:
                run(session, press=press, timeout=RUN_TIMEOUT_S)
            got = []
            for _ in range(2):
                assert run(session, timeout=RUN_TIMEOUT_S).errors == []
                files = [(label, b"") for label in DATA_DOWNLOADS]
                files += [(label, start) for _, label, start in made]
                for label, start in files:
                    url = session.downloads[label]
                    assert url.startswith("/media/")  # made in a run of this session
                    status, body = fetch(server.url, url)
                    got.append((label, status, body.lstrip().startswith(start)))
            return got

        with ThreadPoolExecutor(SESSIONS) as pool:
            got = [g for result in pool.map(rerun_and_fetch, sessions) for g in result]
    failed = [g for g in got if g[1:] != (200, True)]
    assert failed == []
    assert len(got) == 2 * (SESSIONS * len(DATA_DOWNLOADS) + len(makers) * len(MADE))
