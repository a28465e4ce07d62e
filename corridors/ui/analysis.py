"""The analysis panel: what the selected corridor crosses, skirts, bypasses and passes.

Text from the data goes through :func:`~corridors.text.escape_markdown` before Markdown, or
into data frames, which Streamlit shows as plain text.
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st

from corridors import tables
from corridors.data import Dataset
from corridors.figures import fact_value, format_date, format_km
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM
from corridors.model import Analysis, Figure, Route
from corridors.provenance import NO_SOURCE, citations, markdown_link
from corridors.text import escape_markdown as md
from corridors.ui.links import link_config
from corridors.ui.page import PageContext

#: Kilometres arrive rounded by :func:`corridors.figures.km` (whole km, tenths below 10 km);
#: "localized" shows them as they are, with thousands separators and no added decimals.
_KM = {
    "km": st.column_config.NumberColumn(format="localized"),
    "km stated": st.column_config.NumberColumn(format="localized"),
    "Nearest km": st.column_config.NumberColumn(format="localized"),
}
#: Years as years: "2017", never "2,017".
_LEGS = {
    **_KM,
    "Year": st.column_config.NumberColumn(format="plain"),
    "Closed": st.column_config.NumberColumn(format="plain"),
    "Standing": st.column_config.TextColumn(
        help="verified, claim or disputed: the grade of the facts the status rests on"
    ),
}


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
    legs = tables.legs(route, ctx.dataset)
    st.dataframe(
        legs,
        hide_index=True,
        column_config={**_LEGS, **link_config(legs)},
        placeholder="",
    )
    st.caption(
        "Each leg's status, years and stated length come from the sources linked on its row; "
        f'a leg with none to follow says {NO_SOURCE!r}. "km" is measured on the drawn line.'
    )
    _sources(route, ctx.dataset)


def _headline(route: Route, analysis: Analysis, dataset: Dataset) -> None:
    cols = st.columns(4)
    cols[0].metric("Length", format_km(analysis.length_km))
    cols[1].metric("States crossed", len(analysis.transit))
    cols[2].metric("States bypassed", len(analysis.bypassed))
    cols[3].metric("Chokepoints passed", len(analysis.chokepoints))
    st.caption(
        "Length, states and chokepoints are computed from the route's drawn lines and Natural "
        f"Earth 1:10m borders: measurements, not quoted figures ({NO_SOURCE})."
    )
    for figure in route.figures:
        st.markdown(figure_markdown(figure, dataset))
    by_mode, by_status = st.columns(2)
    by_mode.dataframe(tables.km_by(analysis.km_by_mode, "Mode"), hide_index=True, column_config=_KM)
    by_status.dataframe(
        tables.km_by(analysis.km_by_status, "Status"), hide_index=True, column_config=_KM
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
    return f"{lead}{text} *({md(cited.standing)}; {markdown_link(cited.title, cited.url)})*"


def _states(analysis: Analysis) -> None:
    st.markdown("#### Kilometres per state")
    km = tables.km_by_state(analysis)
    st.dataframe(km, hide_index=True, column_config=_KM)
    if not km.empty:
        st.bar_chart(km, x="State", y="km", horizontal=True, sort=False)
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
    if analysis.skirted:
        st.caption(f"States within {format_km(SKIRT_KM)} of a land leg that it never enters.")
        st.dataframe(tables.skirted(analysis), hide_index=True, column_config=_KM)
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
        "Status: *verified* on a primary source (a government, operator or treaty text) or two "
        "independent outlets, *claim* on one secondary source or one party's word, *disputed* "
        f"where sources disagree. Data as of {format_date(dataset.as_of)}."
    )
    listed = tables.sources(route, dataset)
    st.dataframe(listed, hide_index=True, column_config=link_config(listed))
