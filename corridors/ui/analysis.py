"""The analysis panel: what the selected corridor crosses, skirts, bypasses and passes.

Text from the data goes through :func:`~corridors.text.escape_markdown` before Markdown. The
tables are plain HTML (:func:`corridors.tables.to_html`), not Streamlit's data grid or a chart,
and its headline figures are one too, not metrics: a first load opens on this tab, and their
browser code was most of what it fetched. Not Markdown either: the browser renders Markdown
tables in script, and on this tab that was about 140 ms of picking a corridor.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from corridors import tables
from corridors.data import Dataset
from corridors.figures import fact_value, format_date, format_km
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM
from corridors.model import Analysis, Figure, Route
from corridors.provenance import NO_SOURCE, citations, markdown_link
from corridors.text import escape_markdown as md
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
    st.subheader(md(route.name))
    st.caption(f"{md(route.origin)} to {md(route.destination)}")
    st.markdown(md(route.description))
    _headline(route, analysis, ctx.dataset)
    left, right = st.columns(2)
    with left:
        _states(analysis)
    with right:
        _around(analysis, baseline, ctx.dataset)
    st.markdown("#### Legs")
    st.html(tables.to_html(tables.legs(route, ctx.dataset), "Legs"))
    st.caption(
        "Each leg's status, years and stated length come from the sources linked on its row; "
        f'a leg with none to follow says {NO_SOURCE!r}. "Standing" grades the facts the status '
        'rests on (verified, claim or disputed). "km" is measured on the drawn line.'
    )
    _sources(route, ctx.dataset)


def _headline(route: Route, analysis: Analysis, dataset: Dataset) -> None:
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
    st.html(tables.to_html(headline, "Headline figures", row_headers=False))
    st.caption(
        "Length, states and chokepoints are computed from the route's drawn lines and Natural "
        f"Earth 1:10m borders: measurements, not quoted figures ({NO_SOURCE})."
    )
    # One container, however many figures: the elements after it keep their places, so a pick
    # updates them where they are instead of drawing them anew beside the last corridor's.
    with st.container():
        for figure in route.figures:
            st.markdown(figure_markdown(figure, dataset))
    by_mode, by_status = st.columns(2)
    by_mode.html(tables.to_html(tables.km_by(analysis.km_by_mode, "Mode"), "Kilometres by mode"))
    by_status.html(
        tables.to_html(tables.km_by(analysis.km_by_status, "Status"), "Kilometres by status")
    )


def figure_markdown(figure: Figure, dataset: Dataset) -> str:
    """Write a headline figure with its fact, its grade and a link to its source.

    Everything from the data is escaped; a figure whose source cannot be followed says so.
    """
    (cited,) = citations(dataset, [figure.fact])
    fact = dataset.facts.get(figure.fact)
    value = fact_value(fact) if fact is not None else ""
    lead = f"**{md(figure.label)}:** {md(value)} – " if value else f"**{md(figure.label)}:** "
    text = md(fact.text) if fact is not None else ""
    # Not in italics, like every tab's source notes: italics alone fetch a 138 KB font.
    return f"{lead}{text} ({md(cited.standing)}; {markdown_link(cited.title, cited.url)})"


def _states(analysis: Analysis) -> None:
    st.markdown("#### Kilometres per state")
    km = tables.km_by_state(analysis)
    if km.empty:
        st.markdown("No state crossed.")
    else:
        st.html(tables.to_html(km, "Kilometres per state"))
    if analysis.touches:
        touched = ", ".join(f"{md(s.name)} ({format_km(s.km)})" for s in analysis.touches)
        st.caption(
            f"Touches, under {format_km(MIN_TRANSIT_KM)} and so probably a precision artefact of "
            f"1:10m borders rather than transit: {touched}."
        )


def _around(analysis: Analysis, baseline: Route | None, dataset: Dataset) -> None:
    st.markdown("#### Bypassed")
    if baseline is None:
        st.markdown("No baseline to compare with.")
    elif analysis.bypassed:
        names = ", ".join(md(s.name) for s in analysis.bypassed)
        st.markdown(f"{names}: crossed by the baseline, **{md(baseline.name)}**, but not by this.")
    else:
        st.markdown(f"Every state the baseline, **{md(baseline.name)}**, crosses.")
    st.markdown("#### Skirted")
    with st.container():  # one place for a table or a sentence (see _headline)
        if analysis.skirted:
            st.caption(f"States within {format_km(SKIRT_KM)} of a land leg that it never enters.")
            st.html(tables.to_html(tables.skirted(analysis), "States skirted"))
        else:
            st.markdown(f"No state within {format_km(SKIRT_KM)} that it does not enter.")
    st.markdown("#### Chokepoints")
    chokepoints = {cp.id: f"{cp.name} ({cp.kind})" for cp in dataset.chokepoints}
    st.markdown(f"**Passed:** {_listed(chokepoints[i] for i in analysis.chokepoints)}")
    if baseline is not None:
        avoided = _listed(chokepoints[i] for i in analysis.chokepoints_avoided)
        st.markdown(f"**Avoided** (the baseline passes them): {avoided}")


def _listed(items: Iterable[str]) -> str:
    text = ", ".join(md(i) for i in items)
    return text or "none"


def _sources(route: Route, dataset: Dataset) -> None:
    st.markdown("#### Sources")
    st.caption(
        "Status: **verified** on a primary source (a government, operator or treaty text) or two "
        "independent outlets, **claim** on one secondary source or one party's word, **disputed** "
        f"where sources disagree. Data as of {format_date(dataset.as_of)}."
    )
    st.html(tables.to_html(tables.sources(route, dataset), "Sources"))
