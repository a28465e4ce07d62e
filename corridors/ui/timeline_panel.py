"""The Timeline tab: a year slider, and the dated events that move it."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from corridors.data import Dataset
from corridors.figures import format_date
from corridors.policy.describe import describe_year
from corridors.policy.timeline import events, year_bounds
from corridors.text import escape_markdown
from corridors.ui import state

#: The events list scrolls inside a box this tall rather than pushing the page down.
EVENTS_HEIGHT_PX = 420
#: Session key of the row of event years.
JUMP = "timeline_jump"


def source_link(title: str, url: str) -> str:
    """Return Markdown for a source: its escaped title, linked when the URL is a web address."""
    text = escape_markdown(title)
    if not url.startswith(("https://", "http://")):
        return text
    return f"[{text}]({url.replace('(', '%28').replace(')', '%29').replace(' ', '%20')})"


def current_year() -> int | None:
    """Return the year the map should show, or None for today as the data records it."""
    return st.session_state[state.YEAR] if st.session_state.get(state.YEAR_ON) else None


def _jump_to_event() -> None:
    """Move the slider to the year picked, then let the pick go.

    A callback, so the map follows at once; the pick is cleared so it never disagrees with the
    slider.
    """
    year = st.session_state.get(JUMP)
    if year is not None:
        st.session_state[state.YEAR_ON] = True
        st.session_state[state.YEAR] = year
        st.session_state[JUMP] = None


def show_timeline(dataset: Dataset, visible: Sequence[str]) -> int | None:
    """Draw the year slider and the events of the visible corridors; return the year chosen.

    The events are one list and their years one row of buttons: as a button and a line each,
    they made most of the page's elements, all sent again on every rerun.
    """
    first, last = year_bounds(dataset)
    st.subheader("The corridors over time")
    st.toggle("Show the network in a chosen year", key=state.YEAR_ON)
    year = current_year()
    st.slider("Year", min_value=first, max_value=last, key=state.YEAR, disabled=year is None)
    shown = [dataset.routes[rid] for rid in visible if rid in dataset.routes]
    if year is None:
        st.caption("The map shows each leg as it is today; turn the timeline on to look back.")
    elif shown:
        st.info(escape_markdown(describe_year(shown, year)))
        st.caption(
            "On the map, legs not yet open are faint, and legs open only because a plan says so "
            "are paler than the rest: a plan's year is its promoters' target, not a promise."
        )
    listed = events(dataset, visible)
    if not listed:
        return year
    st.pills(
        "Events: move the map to the year of one",
        options=sorted({event.year for event in listed}),
        key=JUMP,
        on_change=_jump_to_event,
    )
    with st.container(height=EVENTS_HEIGHT_PX):
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(format_date(event.date))}** {escape_markdown(event.text)} "
                f"*({event.status}; {source_link(event.source_title, event.source_url)})*"
                for event in listed
            )
        )
    return year
