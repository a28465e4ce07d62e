"""Streamlit sessions spoken over its own websocket, as the browser speaks it.

Far cheaper than a chromium each, so tests can run thirty at once: a run is asked for with a
``rerun_script`` message (its link's query string, the map's value as the component's widget
state as streamlit-folium sends it, a button pressed as a trigger, the tab opened under the
map), and read to its
``script_finished``, noting what a person would see of it: errors, the map, buttons,
downloads (the ``/media`` URLs the browser would fetch) and the values of select boxes.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol


@dataclass
class Session:
    """One viewer's websocket and what its last run showed.

    ``buttons`` and ``downloads`` are keyed by label (widget id and ``/media`` URL),
    ``selected`` by the select box's or radio's widget id (the option shown); ``tabs_id`` is
    the widget id of the tabs under the map, whose open tab is the only one drawn.
    """

    ws: ClientConnection
    map_id: str = ""
    tabs_id: str = ""
    buttons: dict[str, str] = field(default_factory=dict)
    downloads: dict[str, str] = field(default_factory=dict)
    selected: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def open_socket(url: str, *, cookie: str | None = None, timeout: float = 60) -> ClientConnection:
    """Open Streamlit's websocket at ``url`` (``http://host:port``), with a cookie if given."""
    return connect(
        f"{url.replace('http', 'ws', 1)}/_stcore/stream",
        subprotocols=[Subprotocol("streamlit")],
        additional_headers={"Cookie": cookie} if cookie else None,
        max_size=None,
        open_timeout=timeout,
        # A browser sends no pings; a server busy with many runs would answer them late.
        ping_interval=None,
    )


def ask(
    session: Session, *, query: str = "", map_value: Any = None, press: str = "", tab: str = ""
) -> None:
    """Ask for a run of the page at ``?query``, the map sending ``map_value``, button ``press``.

    ``press`` is a button's label from the session's last run; ``tab`` the title of a tab to
    open, as a click on it does (it stays open for later runs).
    """
    message = BackMsg()
    message.rerun_script.query_string = query
    widgets = message.rerun_script.widget_states.widgets
    if map_value is not None:
        widget = widgets.add()
        widget.id = session.map_id
        widget.json_value = json.dumps(map_value)
    if press:
        widget = widgets.add()
        widget.id = session.buttons[press]
        widget.trigger_value = True
    if tab:
        widget = widgets.add()
        widget.id = session.tabs_id
        widget.string_value = tab
    session.ws.send(message.SerializeToString())


def finish(session: Session, *, timeout: float) -> Session:
    """Read the session's messages to the end of its run; note what the run showed.

    ``timeout`` bounds the wait for each message: a hang guard, not a timing.
    """
    session.errors.clear()
    session.buttons.clear()
    session.downloads.clear()
    while True:
        reply = ForwardMsg()
        reply.ParseFromString(session.ws.recv(timeout=timeout))
        kind = reply.WhichOneof("type")
        if kind == "script_finished":
            if reply.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                session.errors.append(f"run ended with {reply.script_finished}")
            return session
        if kind != "delta":
            continue
        block = reply.delta.add_block
        if reply.delta.WhichOneof("type") == "add_block" and block.HasField("tab_container"):
            session.tabs_id = block.tab_container.id
        if reply.delta.WhichOneof("type") != "new_element":
            continue
        element = reply.delta.new_element
        match element.WhichOneof("type"):
            case "exception":
                session.errors.append(element.exception.message)
            case "alert" if element.alert.format == element.alert.ERROR:
                session.errors.append(element.alert.body)
            case "component_instance":
                session.map_id = element.component_instance.id
            case "button":
                session.buttons[element.button.label] = element.button.id
            case "download_button":
                session.downloads[element.download_button.label] = element.download_button.url
            case "selectbox" | "radio" as kind:
                chooser = getattr(element, kind)
                session.selected[chooser.id] = chooser.raw_value


def run(
    session: Session,
    *,
    timeout: float,
    query: str = "",
    map_value: Any = None,
    press: str = "",
    tab: str = "",
) -> Session:
    """Ask for a run (see :func:`ask`) and read it to its end (see :func:`finish`)."""
    ask(session, query=query, map_value=map_value, press=press, tab=tab)
    return finish(session, timeout=timeout)


def fetch(url: str, path: str) -> tuple[int, bytes]:
    """Return the status and body of a GET of ``path`` on the server at ``url``."""
    try:
        with urllib.request.urlopen(f"{url}{path}", timeout=60) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
