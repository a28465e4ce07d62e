"""The worst inputs against a running server: it stays up, answers, and serves everyone's files.

Sessions are Streamlit's own websocket protocol (as the browser speaks it), far cheaper than a
chromium each: a run is asked for with a ``rerun_script`` message, the map's value is sent as
the component's widget state, as streamlit-folium sends it, and download buttons give the
``/media`` URLs the browser would fetch.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from benchmarks.server import Server, streamlit_server
from corridors.ui.cached import ENV_DATA_DIR, ENV_SEEDS_DIR
from tests.hostile import cases

#: Generous bound on one run: many sessions share two busy cores.
RUN_TIMEOUT_S = 180
SESSIONS = 30
#: The downloads made in the run, which every session fetches while the others rerun.
DATA_DOWNLOADS = ("Analysis table (CSV)", "Routes (GeoJSON)")


@pytest.fixture(scope="module")
def server(
    dashboard_dirs: dict[str, Path], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Server]:
    log = tmp_path_factory.mktemp("hostile-server") / "server.log"
    env = {
        **os.environ,
        ENV_DATA_DIR: str(dashboard_dirs["data"]),
        ENV_SEEDS_DIR: str(dashboard_dirs["seeds"]),
    }
    with streamlit_server(log, env=env) as running:
        yield running


@dataclass
class Session:
    """One viewer's websocket and what its last run showed."""

    ws: ClientConnection
    map_id: str = ""
    downloads: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def open_session(stack: ExitStack, url: str) -> Session:
    socket = connect(
        f"{url.replace('http', 'ws', 1)}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        max_size=None,
        open_timeout=60,
        ping_interval=None,  # a server busy with thirty runs answers pings late; not a failure
    )
    return Session(stack.enter_context(socket))


def run(session: Session, *, map_value: Any = None) -> Session:
    """Ask for a run (with the map sending ``map_value``) and read it to its end."""
    message = BackMsg()
    message.rerun_script.query_string = ""
    if map_value is not None:
        widget = message.rerun_script.widget_states.widgets.add()
        widget.id = session.map_id
        widget.json_value = json.dumps(map_value)
    session.ws.send(message.SerializeToString())
    session.errors.clear()
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(session.ws.recv(timeout=RUN_TIMEOUT_S))
        kind = reply.WhichOneof("type")
        if kind == "script_finished":
            if reply.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                session.errors.append(f"run ended with {reply.script_finished}")
            return session
        if kind != "delta" or reply.delta.WhichOneof("type") != "new_element":
            continue
        element = reply.delta.new_element
        match element.WhichOneof("type"):
            case "exception":
                session.errors.append(element.exception.message)
            case "alert" if element.alert.format == element.alert.ERROR:
                session.errors.append(element.alert.body)
            case "component_instance":
                session.map_id = element.component_instance.id
            case "download_button":
                button = element.download_button
                session.downloads[button.label] = button.url


def fetch(url: str, path: str) -> int:
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=60) as response:
            response.read()
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return exc.code


def healthy(url: str) -> bool:
    return fetch(url, "/_stcore/health") == 200


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
        run(attacker)
        assert attacker.map_id
        for value, message in worst:
            run(attacker, map_value=value)
            assert healthy(server.url)
            if message is None:
                assert attacker.errors == []
            else:
                assert attacker.errors
                assert all(message in error for error in attacker.errors), attacker.errors
        assert run(bystander).errors == []  # a session that arrives afterwards is served


@pytest.mark.load
def test_every_session_gets_its_data_files_while_the_others_rerun(server: Server) -> None:
    with ExitStack() as stack:
        sessions = [open_session(stack, server.url) for _ in range(SESSIONS)]

        def rerun_and_fetch(session: Session) -> list[int]:
            statuses = []
            for _ in range(2):
                run(session)
                assert session.errors == []
                urls = [session.downloads[d] for d in DATA_DOWNLOADS]
                assert all(url.startswith("/media/") for url in urls)  # made in the run
                statuses += [fetch(server.url, url) for url in urls]
            return statuses

        with ThreadPoolExecutor(SESSIONS) as pool:
            statuses = [s for result in pool.map(rerun_and_fetch, sessions) for s in result]
    assert statuses == [200] * (SESSIONS * 2 * len(DATA_DOWNLOADS))
