"""The Tour tab: a teacher steps through the corridors; each step sets the whole map.

Presentation mode (:mod:`corridors.ui.presentation`) is the viewer's: a step keeps it as it is.
While presenting, :func:`show_tour_start` offers the tour in the top row and
:func:`show_tour_bar` puts the step above the map; otherwise
:func:`show_tour_beside` puts it beside the map (above it on a phone). "End tour" puts back
the view from before the tour.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from corridors.data import Dataset
from corridors.policy.tour import Tour, cited_facts, clamp_step
from corridors.provenance import markdown_link
from corridors.text import escape_markdown
from corridors.ui import state


def _go(dataset: Dataset, tour: Tour, index: int | None, delta: int) -> None:
    """Move to another step and set the view it asks for (a press: done before widgets)."""
    state.start_tour_step(dataset, tour, clamp_step(index, delta, len(tour.steps)))


def show_tour(dataset: Dataset, tour: Tour) -> int | None:
    """Draw the current step with Back and Next; return its index, or None before the tour."""
    count = len(tour.steps)
    index = st.session_state.get(state.TOUR_STEP)
    st.subheader(escape_markdown(tour.title))
    if index is None or not 0 <= index < count:
        st.markdown(f"A guided tour in {count} steps. Each step sets the map for you.")
        start_button(dataset, tour, key="tour_start")
        return None
    step = tour.steps[index]
    st.caption(f"Step {index + 1} of {count}")
    st.markdown(f"### {escape_markdown(step.title)}")
    st.markdown(escape_markdown(step.narrative))
    cited = cited_facts(step, dataset)
    if cited:
        lines = [
            f"- {escape_markdown(fact.text)} ({fact.status}; {markdown_link(src.title, src.url)})"
            for fact, src in cited
        ]
        st.markdown("**Sources**\n\n" + "\n".join(lines))
    _step_buttons(dataset, tour, index, key="tour")
    return index


def start_button(dataset: Dataset, tour: Tour, *, key: str) -> None:
    """Draw "Start the tour", which sets the first step's view; ``key`` keeps two apart."""
    st.button(
        "Start the tour", key=key, on_click=state.noting(partial(_go, dataset, tour, None, 1))
    )


def show_tour_start(dataset: Dataset, tour: Tour) -> bool:
    """Draw "Start the tour" in presentation mode's top row when no tour runs; return if drawn.

    On a projector the Tour tab is below the map, a scroll away; started from here the page
    stays at its top, where the step's bar and the map it sets come up.
    """
    index = st.session_state.get(state.TOUR_STEP)
    if index is not None and 0 <= index < len(tour.steps):
        return False
    start_button(dataset, tour, key="present_tour_start")
    return True


def show_tour_bar(dataset: Dataset, tour: Tour) -> bool:
    """Draw the running tour's step above the map, for presentation mode; return if drawn.

    On a projector the map fills the screen and the Tour tab is below it, so the step's title,
    narrative and buttons come up here, and the map gives up the room they take (see
    ``styles/presentation.css``). The narrative keeps one height from step to step (four of
    its lines, scrolling beyond), so a step moves the map once: a bar that grew or shrank with
    the words would resize the map, and the map would fit the step's box again.
    """
    index = st.session_state.get(state.TOUR_STEP)
    if index is None or not 0 <= index < len(tour.steps):
        return False
    step = tour.steps[index]
    title, buttons = st.columns([3, 2], vertical_alignment="center")
    title.markdown(
        f"**{escape_markdown(step.title)}** \N{EM DASH} step {index + 1} of {len(tour.steps)}"
    )
    with buttons:
        _step_buttons(dataset, tour, index, key="tour_bar")
    with st.container(key="tour_bar_words"):
        st.caption(escape_markdown(step.narrative))
    return True


def show_tour_beside(dataset: Dataset, tour: Tour, *, outline: bool = False) -> bool:
    """Draw the running tour's step beside the map, outside presentation mode; return if drawn.

    The step's words and the map it sets are on screen together, with Back, Next and End
    tour; the Tour tab keeps the step's sources. Drawn in a container keyed ``tour_side``,
    which the page's style sheet looks for to show the column (above the map on a phone).
    Before the tour, with ``outline`` (its tab open), the column holds the tour's title and
    where to start it: the map keeps its size when the tour starts, and is fitted once.
    """
    index = st.session_state.get(state.TOUR_STEP)
    if index is None or not 0 <= index < len(tour.steps):
        if outline:
            _outline(tour)
        return outline
    step = tour.steps[index]
    with st.container(key="tour_side"):
        st.caption(f"Tour: step {index + 1} of {len(tour.steps)}")
        st.markdown(f"**{escape_markdown(step.title)}**")
        with st.container(key="tour_side_words"):  # scrolls in its own box on a phone
            st.markdown(escape_markdown(step.narrative))
        _step_buttons(dataset, tour, index, key="tour_side")
    return True


def _outline(tour: Tour) -> None:
    """Draw, in the step's column, the tour's title and that it starts from its tab."""
    with st.container(key="tour_side"):
        st.caption(f"Tour: {len(tour.steps)} steps")
        st.markdown(f"**{escape_markdown(tour.title)}**")
        with st.container(key="tour_side_words"):
            st.markdown("Each step's words come here, beside the map it sets.")


def _step_buttons(dataset: Dataset, tour: Tour, index: int, *, key: str) -> None:
    """Draw Back, Next and End tour in a row, wrapped where narrow; ``key`` keeps rows apart."""
    row = st.container(horizontal=True)
    back, next_ = partial(_go, dataset, tour, index, -1), partial(_go, dataset, tour, index, 1)
    row.button("Back", key=f"{key}_back", disabled=index == 0, on_click=state.noting(back))
    last = index == len(tour.steps) - 1
    row.button(
        "Next", key=f"{key}_next", disabled=last, type="primary", on_click=state.noting(next_)
    )
    row.button(
        "End tour", key=f"{key}_end", on_click=state.noting(partial(state.end_tour, dataset))
    )
