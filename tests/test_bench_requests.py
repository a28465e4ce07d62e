"""The benchmark's listing of the requests a first load made beyond the floor's."""

from __future__ import annotations

from benchmarks.browser import FirstLoad
from benchmarks.run import requests_listing


def _load(*fetched: tuple[str, int]) -> FirstLoad:
    return FirstLoad(
        map_ms=1.0,
        booted_ms=1.0,
        requests=len(fetched),
        bytes=sum(n for _, n in fetched),
        ws_bytes=0,
        script_s=0.1,
        renders=3,
        render_bytes=30,
        failed=0,
        fetched=fetched,
    )


def test_only_what_the_floor_did_not_fetch_as_often_is_listed() -> None:
    floor = _load(
        ("http://127.0.0.1:1/static/js/index.js", 500),
        ("http://127.0.0.1:1/favicon.png", 10),
        ("http://127.0.0.1:1/component/x/index.html?streamlitUrl=http%3A%2F%2F127.0.0.1%3A1", 9),
        ("http://127.0.0.1:1/only-floor.js", 1),
    )
    app = _load(
        ("http://127.0.0.1:2/static/js/index.js", 500),
        ("http://127.0.0.1:2/component/x/index.html?streamlitUrl=http%3A%2F%2F127.0.0.1%3A2", 9),
        ("http://127.0.0.1:2/static/js/Radio.js", 2048),
        ("http://127.0.0.1:2/favicon.png", 10),
        ("http://127.0.0.1:2/favicon.png", 10),
    )
    lines = requests_listing(app, floor).splitlines()
    assert lines == [
        "      2.0 KB  /static/js/Radio.js",
        "      0.0 KB  /favicon.png",
        "2 requests and 2 KB beyond the floor; the app 5 requests, the floor 4",
        "fetched by the floor only: /only-floor.js",
    ]
