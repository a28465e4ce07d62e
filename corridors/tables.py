"""Tables of one route's analysis, legs and sources, as the dashboard and reports show them.

Plain pandas frames with readable column names; no Streamlit, so they are tested directly.
Every figure is rounded by :mod:`corridors.figures`, as on every other surface.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Sequence

import pandas as pd

from corridors.data import Dataset, cited_ids
from corridors.figures import format_number, format_share, format_status, km
from corridors.geometry import leg_km
from corridors.model import Analysis, Route
from corridors.provenance import NO_SOURCE, citations, html_link, site, standing
from corridors.text import escape_html


def km_by_state(analysis: Analysis) -> pd.DataFrame:
    """Return kilometres and share of the route in each state it crosses, in route order.

    The share is written out ("11.3%"), as in every sentence that gives it.
    """
    return pd.DataFrame(
        {
            "State": [s.name for s in analysis.transit],
            "ISO": [s.iso3 for s in analysis.transit],
            "km": [km(s.km) for s in analysis.transit],
            "Share": [format_share(s.share) for s in analysis.transit],
            "By canal": [s.via_canal for s in analysis.transit],
        }
    )


def km_by(pairs: tuple[tuple[str, float], ...], label: str) -> pd.DataFrame:
    """Return a two-column table of kilometres by mode or status (``Analysis.km_by_*``)."""
    return pd.DataFrame({label: [k for k, _ in pairs], "km": [km(v) for _, v in pairs]})


def skirted(analysis: Analysis) -> pd.DataFrame:
    """Return the states the route passes near without entering, nearest first."""
    return pd.DataFrame(
        {
            "State": [s.name for s in analysis.skirted],
            "ISO": [s.iso3 for s in analysis.skirted],
            "Nearest km": [km(s.min_km) for s in analysis.skirted],
        }
    )


def link_column(n: int, name: str = "Link") -> str:
    """Return the header of the ``n``-th link column (from 1): ``"Link"``, ``"Link 2"``...

    A table with links of several kinds names each (``"Status link"``, ``"Status link 2"``).
    """
    return name if n == 1 else f"{name} {n}"


#: A link column's header (:func:`link_column`): "Link", "Link 2", "Status link 3"..., or the
#: source notes' "URL".
_LINK_HEADER = re.compile(r"(?:[A-Z][a-z]* l|L)ink(?: \d+)?|URL")


def link_columns(frame: pd.DataFrame) -> list[str]:
    """Return the link columns of a table made here, in order, whatever their kind."""
    return [c for c in frame.columns if isinstance(c, str) and _LINK_HEADER.fullmatch(c)]


def with_links(
    frame: pd.DataFrame, urls: Sequence[Sequence[str]], name: str = "Link"
) -> pd.DataFrame:
    """Add the rows' source addresses as "Link", "Link 2"... columns, one link to a cell.

    ``urls`` holds each row's addresses; a row with fewer leaves the rest empty, and a table
    whose rows have none gains no column. ``name`` names the columns of another kind of link.
    """
    for n in range(max(map(len, urls), default=0)):
        frame[link_column(n + 1, name)] = [u[n] if n < len(u) else None for u in urls]
    return frame


def legs(route: Route, dataset: Dataset) -> pd.DataFrame:
    """Return the route's legs in travel order with status as of its date, lengths and sources.

    "Standing" grades what each leg's status rests on (verified, claim, disputed, or "no
    source"), "Sources" names the facts it cites, and "Link", "Link 2"... hold the web
    addresses of their source notes, one per column so each is a link of its own (a leg citing
    fewer leaves the rest empty). "km" is measured on the line; "km stated" is the sources'.
    """
    cited = [citations(dataset, leg.sources) for leg in route.legs]
    urls = [list(dict.fromkeys(c.url for c in leg if c.url)) for leg in cited]
    return with_links(
        pd.DataFrame(
            {
                "Leg": [leg.name for leg in route.legs],
                "Mode": [leg.mode for leg in route.legs],
                "Status": [format_status(leg.status, leg.as_of) for leg in route.legs],
                "Year": pd.array([leg.year for leg in route.legs], dtype="Int64"),
                "Closed": pd.array([leg.closed_year for leg in route.legs], dtype="Int64"),
                "km": [km(leg_km(leg)) for leg in route.legs],
                "km stated": [leg.length_km_stated for leg in route.legs],
                "Standing": [standing(leg) for leg in cited],
                "Sources": [", ".join(leg.sources) or NO_SOURCE for leg in route.legs],
            }
        ),
        urls,
    )


def sources(route: Route, dataset: Dataset) -> pd.DataFrame:
    """Return every fact the route cites, with its standing and source, in fact-id order.

    "URL" is the source note's web address; a fact with none a reader can follow says so in
    "Source" ("no source link") and leaves "URL" empty, rather than offer a link to nowhere.
    """
    cited_by = cited_ids(route)
    rows = [
        {
            "Fact": dataset.facts[c.fact_id].text if c.fact_id in dataset.facts else c.fact_id,
            "Status": c.standing,
            "Source": c.label,
            "Publisher": c.publisher,
            "Date": source.date if (source := dataset.fact_source.get(c.fact_id)) else "",
            "Checked": source.checked if source else "",
            "URL": c.url,
            "Cited by": ", ".join(sorted(cited_by[c.fact_id])),
        }
        for c in citations(dataset, sorted(cited_by))
    ]
    columns = ["Fact", "Status", "Source", "Publisher", "Date", "Checked", "URL", "Cited by"]
    return pd.DataFrame(rows, columns=columns)


def to_html(frame: pd.DataFrame, caption: str, *, row_headers: bool = True) -> str:
    """Write a table as HTML, every cell shown as text and every source link a real link.

    The dashboard shows its tables this way (with ``st.html``) rather than in Streamlit's data
    grid, whose browser code is most of a first load, or in Markdown, which the browser parses
    and renders in script on every run: the Analysis tab's Markdown tables were about 140 ms of
    a pick. Every cell and header is escaped, so nothing from the data becomes markup; each
    address in a link column ("Link", "Link 2"..., "URL") is a link shown as its site. Lengths
    (floats, already rounded by :func:`corridors.figures.km`) get thousands separators; whole
    numbers (years, row numbers) are written plainly, and a column of numbers is marked
    ``num`` so the page's style sheet sets it right. The ``caption`` names the table to screen
    readers, as does the box around it, which scrolls sideways on a narrow screen; with
    ``row_headers`` each row's first cell heads its row.

    Examples
    --------
    >>> frame = pd.DataFrame({"State": ["A|B <i>"], "km": [1234.0]})
    >>> print(to_html(frame, "States & km"))
    <div class="corridors-table" role="region" aria-label="States &amp; km" tabindex="0">
    <table><caption>States &amp; km</caption>
    <thead><tr><th scope="col">State</th><th scope="col" class="num">km</th></tr></thead>
    <tbody><tr><th scope="row">A|B &lt;i&gt;</th><td class="num">1,234</td></tr></tbody>
    </table></div>
    """
    links = set(link_columns(frame))
    cells = [[_cell(value, link=name in links) for value in frame[name]] for name in frame.columns]
    numeric = [name not in links and _numeric(frame[name]) for name in frame.columns]
    head = "".join(
        _tag("th", num, scope="col") + f"{escape_html(name)}</th>"
        for name, num in zip(frame.columns, numeric, strict=True)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            _tag("th", num, scope="row") + f"{cell}</th>"
            if n == 0 and row_headers
            else _tag("td", num) + f"{cell}</td>"
            for n, (cell, num) in enumerate(zip(row, numeric, strict=True))
        )
        + "</tr>"
        for row in zip(*cells, strict=True)
    )
    name = escape_html(caption)
    return (
        f'<div class="corridors-table" role="region" aria-label="{name}" tabindex="0">\n'
        f"<table><caption>{name}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>{rows}</tbody>\n</table></div>"
    )


def _tag(name: str, num: bool, scope: str = "") -> str:
    """Open a cell: a header's ``scope``, and the ``num`` class on a column of numbers."""
    scoped = f' scope="{scope}"' if scope else ""
    marked = ' class="num"' if num else ""
    return f"<{name}{scoped}{marked}>"


#: A figure as :mod:`corridors.figures` writes it in a table: "1,234", "3.4", "-3", "11.3%".
_NUMBER = re.compile(r"-?\d[\d,]*(\.\d+)?%?")


def _numeric(column: pd.Series) -> bool:
    """Return whether every value a column shows is a number, so it reads right-aligned."""
    values = [v for v in column if not _missing(v)]
    return bool(values) and all(
        not isinstance(v, bool)
        and (isinstance(v, numbers.Real) or (isinstance(v, str) and _NUMBER.fullmatch(v)))
        for v in values
    )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and pd.isna(value))


def _cell(value: object, *, link: bool) -> str:
    """Write one cell as HTML: empty for a missing value, escaped text or a link otherwise."""
    if _missing(value):
        return ""
    if link:
        return html_link(site(str(value)), str(value)) if value else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    text = format_number(value) if isinstance(value, float) else str(value)
    # Runs of white space read as one in HTML anyway; writing them so keeps a cell one line.
    return escape_html(" ".join(text.split()))
