"""The analysis panel: what the selected corridor crosses, skirts, bypasses and passes.

Each section of the tab (the corridor and its headline figures; the states; its legs; its
sources) is one block of HTML, not a Markdown, caption and table element each: a first load
opens on this tab, and the browser renders every element of it on the same thread before the
map's frame is made (its thirty-odd elements cost the first map about 250-300 ms). Every text
from the data is escaped (:func:`corridors.text.escape_html`); the tables are
:func:`corridors.tables.to_html`'s, not Streamlit's data grid, whose browser code was most of
a first load, nor Markdown, which the browser renders in script. The page's style sheet sets
the notes in the muted type of Streamlit's captions (``corridors-note``).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from corridors import tables
from corridors.data import Dataset
from corridors.figures import fact_value, format_date, format_km
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM
from corridors.memo import Made
from corridors.model import Analysis, Figure, Route
from corridors.provenance import (
    BOUNDARIES_FACT,
    NO_SOURCE,
    borders_citation,
    citations,
    html_link,
)
from corridors.text import escape_html as esc
from corridors.ui.blocks import columns, note, section
from corridors.ui.page import PageContext


def show_analysis(ctx: PageContext) -> None:
    """Draw the analysis of the corridor selected in the sidebar or on the map."""
    route_id = ctx.view.selected
    if route_id is None:
        st.info("Pick a corridor in the sidebar or click one on the map.")
        return
    route = ctx.dataset.routes[route_id]
    analysis = ctx.analyses[route_id]
    baseline = ctx.dataset.routes.get(analysis.baseline or "")
    # Written once for a corridor and data version: about a quarter of every run's CPU went
    # here, on a toggle or a closure as much as on a pick.
    blocks = _sections_made.get(
        (route, analysis, baseline, ctx.dataset),
        None,
        lambda: tuple(sections(route, analysis, baseline, ctx.dataset)),
    )
    for block in blocks:
        st.html(block)


#: Each corridor's sections, for each data version being served (see :class:`corridors.memo.Made`).
_sections_made: Made[tuple[str, ...]] = Made(64)


def sections(
    route: Route, analysis: Analysis, baseline: Route | None, dataset: Dataset
) -> list[str]:
    """Return the tab's sections, each one HTML block: the corridor, its states, legs, sources."""
    legs = section(
        "<h4>Legs</h4>",
        tables.to_html(tables.legs(route, dataset), "Legs"),
        note(
            "Each leg's status, years and stated length come from the sources linked on its "
            f'row; a leg with none to follow says {NO_SOURCE!r}. "Standing" grades the facts '
            'the status rests on (verified, claim or disputed). "km" is measured on the drawn '
            "line."
        ),
    )
    return [
        _headline(route, analysis, dataset),
        section(columns(_states(analysis), _around(analysis, baseline, dataset))),
        legs,
        _sources(route, dataset),
    ]


def _headline(route: Route, analysis: Analysis, dataset: Dataset) -> str:
    # One row of a table, not st.metric: the metric's browser code (a number
    # formatter among it) was 7 requests and 66 KB of a first load, which opens on this tab.
    headline = pd.DataFrame(
        {
            "Length": [format_km(analysis.length_km)],
            "States crossed": [len(analysis.transit)],
            "States bypassed": [len(analysis.bypassed)],
            "Chokepoints passed": [len(analysis.chokepoints)],
        }
    )
    by_mode = tables.to_html(tables.km_by(analysis.km_by_mode, "Mode"), "Kilometres by mode")
    by_status = tables.to_html(
        tables.km_by(analysis.km_by_status, "Status"), "Kilometres by status"
    )
    return section(
        f"<h3>{esc(route.name)}</h3>",
        note(f"{esc(route.origin)} to {esc(route.destination)}"),
        f"<p>{esc(route.description)}</p>",
        tables.to_html(headline, "Headline figures", row_headers=False),
        note(
            "Length, states and chokepoints are computed from the route's drawn lines and "
            f"Natural Earth 1:10m borders: measurements, not quoted figures ({_borders(dataset)})."
        ),
        *(f"<p>{figure_html(figure, dataset)}</p>" for figure in route.figures),
        columns(by_mode, by_status),
    )


def _borders(dataset: Dataset) -> str:
    """Link the borders the measurements are made on, with their release date."""
    cited = borders_citation(dataset)
    source = dataset.fact_source.get(BOUNDARIES_FACT)
    released = f", {esc(format_date(source.date))}" if source is not None else ""
    return f"borders: {html_link(cited.title, cited.url)}{released}"


def figure_html(figure: Figure, dataset: Dataset) -> str:
    """Write a headline figure with its fact, its grade and a link to its source.

    Everything from the data is escaped; a figure whose source cannot be followed says so.
    """
    (cited,) = citations(dataset, [figure.fact])
    fact = dataset.facts.get(figure.fact)
    value = fact_value(fact) if fact is not None else ""
    lead = f"<strong>{esc(figure.label)}:</strong> " + (f"{esc(value)} – " if value else "")
    text = esc(fact.text) if fact is not None else ""
    # Not in italics, like every tab's source notes: italics alone fetch a 138 KB font.
    return f"{lead}{text} ({esc(cited.standing)}; {html_link(cited.title, cited.url)})"


def _states(analysis: Analysis) -> str:
    km = tables.km_by_state(analysis)
    parts = [
        "<h4>Kilometres per state</h4>",
        "<p>No state crossed.</p>" if km.empty else tables.to_html(km, "Kilometres per state"),
    ]
    if analysis.touches:
        touched = ", ".join(f"{esc(s.name)} ({format_km(s.km)})" for s in analysis.touches)
        parts.append(
            note(
                f"Touches, under {format_km(MIN_TRANSIT_KM)} and so probably a precision artefact "
                f"of 1:10m borders rather than transit: {touched}."
            )
        )
    return "".join(parts)


def _around(analysis: Analysis, baseline: Route | None, dataset: Dataset) -> str:
    parts = ["<h4>Bypassed</h4>"]
    if baseline is None:
        parts.append("<p>No baseline to compare with.</p>")
    elif analysis.bypassed:
        names = ", ".join(esc(s.name) for s in analysis.bypassed)
        parts.append(
            f"<p>{names}: crossed by the baseline, <strong>{esc(baseline.name)}</strong>, "
            "but not by this.</p>"
        )
    else:
        parts.append(
            f"<p>Every state the baseline, <strong>{esc(baseline.name)}</strong>, crosses.</p>"
        )
    parts.append("<h4>Skirted</h4>")
    if analysis.skirted:
        parts.append(
            note(f"States within {format_km(SKIRT_KM)} of a land leg that it never enters.")
        )
        parts.append(tables.to_html(tables.skirted(analysis), "States skirted"))
    else:
        parts.append(f"<p>No state within {format_km(SKIRT_KM)} that it does not enter.</p>")
    chokepoints = {cp.id: f"{cp.name} ({cp.kind})" for cp in dataset.chokepoints}
    parts.append("<h4>Chokepoints</h4>")
    parts.append(
        f"<p><strong>Passed:</strong> {_listed(chokepoints[i] for i in analysis.chokepoints)}</p>"
    )
    if baseline is not None:
        avoided = _listed(chokepoints[i] for i in analysis.chokepoints_avoided)
        parts.append(f"<p><strong>Avoided</strong> (the baseline passes them): {avoided}</p>")
    return "".join(parts)


def _listed(items: Iterable[str]) -> str:
    text = ", ".join(esc(i) for i in items)
    return text or "none"


def _sources(route: Route, dataset: Dataset) -> str:
    return section(
        "<h4>Sources</h4>",
        note(
            "Status: <strong>verified</strong> on a primary source (a government, operator or "
            "treaty text) or two independent outlets, <strong>claim</strong> on one secondary "
            "source or one party's word, <strong>disputed</strong> where sources disagree. Data "
            f"as of {esc(format_date(dataset.as_of))}."
        ),
        tables.to_html(tables.sources(route, dataset), "Sources"),
    )
