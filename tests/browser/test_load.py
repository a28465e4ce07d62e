"""Twenty people at once on one server: each keeps its own view and files, memory stays flat.

Twenty browser contexts in one chromium are twenty Streamlit sessions. They arrive a wave at a
time; then each step is started in every session before any is waited on, so the server runs
the twenty reruns and downloads side by side. Half the sessions open a link to one corridor and
hide the other, half the reverse: a session that saw its neighbour's state would show the wrong
heading, map, link or file. Afterwards the server's memory must be near where it was after a
single visit (Streamlit keeps a closed session for two minutes, so it cannot fall back fully).
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from urllib.parse import urlparse

import psutil
import pytest
from playwright.sync_api import Browser, FrameLocator, Locator, Page, expect

from corridors.data import Dataset
from corridors.model import Route
from tests.browser.conftest import MAP_FRAME

pytestmark = [pytest.mark.browser, pytest.mark.load]

SESSIONS = 20
#: Sessions that arrive together; see :func:`crowd`.
WAVE = 5
#: Twenty sessions loading at once on two cores take a while; each wait is bounded by this.
TIMEOUT_MS = 90_000
MB = 1024 * 1024
#: The downloads of the Export panel's default PNG (a 16:9 slide) and of its page.
PNG_LABEL = "Download PNG (1920×1080)"
HTML_LABEL = "Download interactive page (HTML)"
#: What the server may keep after the sessions leave: Streamlit holds a closed session for two
#: minutes in case it reconnects, and Python seldom hands freed memory back to the system.
RSS_SLACK_BYTES = 150 * MB


def server_process(app_url: str) -> psutil.Process:
    """Return the server process the session fixture started for ``app_url``: it listens there."""
    port = urlparse(app_url).port
    for child in psutil.Process().children(recursive=True):
        listening = child.net_connections(kind="tcp")
        if any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in listening):
            return child
    msg = f"no process serving {app_url} among this process's children"
    raise LookupError(msg)


def rss(proc: psutil.Process) -> int:
    """Return the resident memory of the server and any children it started."""
    return proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(True))


@dataclass
class Person:
    """One session: the corridor it inspects, the one it hides, what went wrong in its page."""

    page: Page
    chosen: Route
    hidden: Route
    errors: list[str] = field(default_factory=list)

    @property
    def map(self) -> FrameLocator:
        return self.page.frame_locator(MAP_FRAME)


def arrive(browser: Browser, url: str, chosen: Route, hidden: Route) -> Person:
    """Open a link to the session's corridor in a new context (a new session); do not wait."""
    page = browser.new_context().new_page()
    person = Person(page, chosen, hidden)
    page.on("console", lambda m: person.errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: person.errors.append(str(e)))
    page.goto(f"{url}/?corridor={chosen.id}", wait_until="commit")
    return person


def wait_for_map(person: Person, legs: int) -> None:
    expect(person.map.locator("path.corridor-leg")).to_have_count(legs, timeout=TIMEOUT_MS)


def hide_the_other(person: Person) -> None:
    """Switch off the corridor the session does not inspect."""
    sidebar = person.page.get_by_test_id("stSidebar")
    sidebar.get_by_test_id("stCheckbox").get_by_text(person.hidden.name, exact=True).click()


def check_own_view(person: Person) -> None:
    """The session shows its own corridor, map and link, and nothing of its neighbour's."""
    # The address is rewritten last in a run: once it names the view, the run is complete.
    expect(person.page).to_have_url(re.compile(rf"on={person.chosen.id}(&|$)"), timeout=TIMEOUT_MS)
    expect(person.page).to_have_url(re.compile(rf"corridor={person.chosen.id}(&|$)"))
    expect(person.map.locator(f"path.route-{person.hidden.id}")).to_have_count(0)
    expect(person.map.locator(f"path.route-{person.chosen.id}")).to_have_count(
        len(person.chosen.legs)
    )
    panel = person.page.get_by_role("tabpanel", name="Analysis", exact=True)
    expect(panel.get_by_role("heading", name=person.chosen.name)).to_be_visible()


def export_panel(person: Person) -> Locator:
    return person.page.get_by_role("tabpanel", name="Export", exact=True)


def make_all(people: list[Person], what: str, label: str) -> None:
    """Press "Make ``what``" in every session, then wait for each one's download ``label``."""
    for person in people:
        export_panel(person).get_by_role("button", name=f"Make {what}", exact=True).click()
    for person in people:
        button = export_panel(person).get_by_role("button", name=label, exact=True)
        expect(button).to_be_enabled(timeout=TIMEOUT_MS)


def download_all(
    people: list[Person], label: str, *, meanwhile: Sequence[Person] = ()
) -> list[bytes]:
    """Press a download button in every session, all requests in flight together.

    The sessions in ``meanwhile`` rerun at the same time (each switches the corridor it hides
    on or off): the end of every run cleans up the files no session holds.
    """
    with ExitStack() as stack:
        waits = [stack.enter_context(p.page.expect_download(timeout=TIMEOUT_MS)) for p in people]
        for person in people:
            export_panel(person).get_by_role("button", name=label, exact=True).click()
        for person in meanwhile:
            hide_the_other(person)
    return [wait.value.path().read_bytes() for wait in waits]


def export_files(people: list[Person]) -> dict[str, list[bytes]]:
    """Download the analysis CSV and the routes GeoJSON in every session, by file type.

    Every fifth session also makes a PNG and the interactive page and downloads them while
    the others rerun: a snapshot takes the renderer's lock for a second, so only a few ask.
    """
    for person in people:
        person.page.get_by_role("tab", name="Export", exact=True).click()
    for person in people:  # a tab is drawn by the run its click starts
        table = export_panel(person).get_by_role("button", name="Analysis table (CSV)")
        expect(table).to_be_enabled(timeout=TIMEOUT_MS)
    files = {
        "csv": download_all(people, "Analysis table (CSV)"),
        "geojson": download_all(people, "Routes (GeoJSON)"),
    }
    few, others = people[::5], [p for p in people if p not in people[::5]]
    make_all(few, "PNG", PNG_LABEL)
    make_all(few, "interactive page (HTML)", HTML_LABEL)
    files["png"] = download_all(few, PNG_LABEL, meanwhile=others)
    files["html"] = download_all(few, HTML_LABEL, meanwhile=others)
    return files


@contextmanager
def crowd(
    browser: Browser, app_url: str, dataset: Dataset, *, size: int = SESSIONS
) -> Iterator[list[Person]]:
    """Sessions alternately inspecting one corridor and the other, arriving a wave at a time.

    Each wave's maps are drawn before the next arrives, as people trickle in to a class: twenty
    first loads at once on two cores can exceed the 60 s Streamlit gives a component to start.
    All of them stay open until the block ends.
    """
    first, second = dataset.corridors[:2]
    legs = sum(len(r.legs) for r in dataset.corridors)
    people: list[Person] = []
    try:
        for n in range(size):
            chosen, hidden = (first, second) if n % 2 else (second, first)
            people.append(arrive(browser, app_url, chosen, hidden))
            if len(people) % WAVE == 0 or len(people) == size:
                for person in people[-WAVE:]:
                    wait_for_map(person, legs)
        yield people
    finally:
        for person in people:
            person.page.context.close()


def visit_once(browser: Browser, app_url: str, dataset: Dataset) -> None:
    """One person through the whole flow, so every cache the crowd will use is filled."""
    with crowd(browser, app_url, dataset, size=1) as (person,):
        hide_the_other(person)
        check_own_view(person)
        export_files([person])


def test_twenty_sessions_at_once_each_keep_their_own_view_and_files(
    browser: Browser, app_url: str, dashboard_dataset: Dataset
) -> None:
    server = server_process(app_url)
    visit_once(browser, app_url, dashboard_dataset)
    baseline = rss(server)
    with crowd(browser, app_url, dashboard_dataset) as people:
        for person in people:
            hide_the_other(person)
        for person in people:
            check_own_view(person)
        files = export_files(people)
        peak = rss(server)
        tables, routes = files["csv"], files["geojson"]
        for n, (person, table, geojson) in enumerate(zip(people, tables, routes, strict=True)):
            rows = csv.DictReader(line for line in table.decode().splitlines() if line[:1] != "#")
            assert {r["route_id"] for r in rows} == {person.chosen.id}, f"session {n}"
            features = json.loads(geojson)["features"]
            assert {f["properties"]["route_id"] for f in features} == {person.chosen.id}
            assert person.errors == [], f"session {n}"
        assert all(p.startswith(b"\x89PNG\r\n\x1a\n") for p in files["png"])
        assert all(p.lstrip().lower().startswith(b"<!doctype html") for p in files["html"])
    after = rss(server)
    print(  # shown with -s: the figures behind the bound below
        f"\nserver RSS: {baseline / MB:.0f} MB after one visit, {peak / MB:.0f} MB with "
        f"{SESSIONS} sessions, {after / MB:.0f} MB after they left"
    )
    assert after - baseline < RSS_SLACK_BYTES
