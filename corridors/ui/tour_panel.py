"""The Tour tab: a teacher steps through the corridors; each step sets the whole map.

Presentation mode (:mod:`corridors.ui.presentation`) is the viewer's: a step keeps it as it is.
"""

from __future__ import annotations

import streamlit as st

from corridors.data import Dataset
from corridors.text import escape_markdown
from corridors.tour import Tour, cited_facts, clamp_step, step_view
from corridors.ui import view
from corridors.ui.timeline_panel import source_link


def _go(dataset: Dataset, tour: Tour, index: int | None, delta: int) -> None:
    """Move to another step and set the view it asks for (a callback: runs before widgets)."""
    target = clamp_step(index, delta, len(tour.steps))
    view.apply_view(step_view(tour, target, view.view_from_session(dataset)), dataset)


def _end() -> None:
    st.session_state[view.TOUR_STEP] = None


def show_tour(dataset: Dataset, tour: Tour) -> int | None:
    """Draw the current step with Back and Next; return its index, or None before the tour."""
    count = len(tour.steps)
    index = st.session_state.get(view.TOUR_STEP)
    st.subheader(escape_markdown(tour.title))
    if index is None or not 0 <= index < count:
        st.markdown(f"A guided tour in {count} steps. Each step sets the map for you.")
        st.button("Start the tour", key="tour_start", on_click=_go, args=(dataset, tour, None, 1))
        return None
    step = tour.steps[index]
    st.caption(f"Step {index + 1} of {count}")
    st.markdown(f"### {escape_markdown(step.title)}")
    st.markdown(escape_markdown(step.narrative))
    cited = cited_facts(step, dataset)
    if cited:
        lines = [
            f"- {escape_markdown(fact.text)} *({fact.status}; {source_link(src.title, src.url)})*"
            for fact, src in cited
        ]
        st.markdown("**Sources**\n\n" + "\n".join(lines))
    back, forward, end = st.columns(3)
    back.button(
        "Back",
        key="tour_back",
        disabled=index == 0,
        on_click=_go,
        args=(dataset, tour, index, -1),
    )
    forward.button(
        "Next",
        key="tour_next",
        disabled=index == count - 1,
        on_click=_go,
        args=(dataset, tour, index, 1),
        type="primary",
    )
    end.button("End tour", key="tour_end", on_click=_end)
    return index
