"""The Timeline tab: a year slider, the disruptions that apply, and the dated events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import streamlit as st

from corridors.data import Dataset
from corridors.figures import format_date
from corridors.policy.describe import describe_year
from corridors.policy.timeline import TimelineDisruption, events, timeline_disruptions, year_bounds
from corridors.provenance import NO_SOURCE, markdown_link
from corridors.text import escape_markdown
from corridors.ui import state

#: The events list scrolls inside a box this tall rather than pushing the page down.
EVENTS_HEIGHT_PX = 420
#: Session key of the row of event years.
JUMP = "timeline_jump"


def disruptions_markdown(listed: Sequence[TimelineDisruption], year: int | None) -> str:
    """Return the disruptions list: each one's kind, title, dates, as-of date, grade and links.

    Every piece of data text is escaped: a title or source is shown, never read as Markdown.
    """
    when = "today" if year is None else f"in {year}"
    if not listed:
        return f"No recorded disruption applies {when}."
    count = "1 recorded disruption applies" if len(listed) == 1 else f"{len(listed)} apply"
    lines = [f"**Disruptions {when}** ({count}):"]
    for item in listed:
        links = ", ".join(markdown_link(s.title, s.url) for s in item.sources) or NO_SOURCE
        lines.append(
            f"- **{escape_markdown(item.kind.capitalize())}**: {escape_markdown(item.title)}; "
            f"{escape_markdown(item.when)} (as of {escape_markdown(format_date(item.as_of))}; "
            f"{escape_markdown(item.standing)}; {links})"
        )
    return "\n".join(lines)


def current_year() -> int | None:
    """Return the year the map should show, or None for today as the data records it."""
    return st.session_state[state.YEAR] if st.session_state.get(state.YEAR_ON) else None


def _jump_to_event() -> None:
    """Move the slider to the year picked, then let the pick go.

    A press, done before the widgets, so the map follows at once; the pick is cleared so it
    never disagrees with the slider. As the row's own callback, a rerun request arriving
    meanwhile could leave the year picked and the slider where it was
    (:func:`corridors.ui.state.press`).
    """
    year = st.session_state.get(JUMP)
    if year is not None:
        st.session_state[state.YEAR_ON] = True
        st.session_state[state.YEAR] = year
        st.session_state[JUMP] = None


def show_timeline(dataset: Dataset, visible: Sequence[str]) -> int | None:
    """Draw the year slider, the disruptions and the events of the visible corridors.

    Returns the year chosen, or None while the timeline is off (the map shows today).

    The events are one list and their years one row of buttons: as a button and a line each,
    they made most of the page's elements, all sent again on every rerun.
    """
    first, last = year_bounds(dataset)
    st.subheader("The corridors over time")
    st.toggle("Show the network in a chosen year", key=state.YEAR_ON, persist_state="session")
    year = current_year()
    st.slider(
        "Year",
        min_value=first,
        max_value=last,
        key=state.YEAR,
        disabled=year is None,
        persist_state="session",
    )
    shown = [dataset.routes[rid] for rid in visible if rid in dataset.routes]
    if year is None:
        st.caption("The map shows each leg as it is today; turn the timeline on to look back.")
    elif shown:
        st.info(escape_markdown(describe_year(shown, year)))
        st.caption(
            "On the map, legs not yet open are faint, and legs open only because a plan says so "
            "are paler than the rest: a plan's year is its promoters' target, not a promise."
        )
    st.markdown(
        disruptions_markdown(
            timeline_disruptions(dataset, year, today=dt.date.today(), corridors=visible), year
        )
    )
    listed = events(dataset, visible)
    if not listed:
        return year
    st.pills(
        "Events: move the map to the year of one",
        options=sorted({event.year for event in listed}),
        key=JUMP,
        on_change=state.noting(_jump_to_event),
    )
    with st.container(height=EVENTS_HEIGHT_PX):
        st.markdown(
            "\n".join(
                f"- **{escape_markdown(format_date(event.date))}** {escape_markdown(event.text)} "
                f"({event.status}; {markdown_link(event.source_title, event.source_url)})"
                for event in listed
            )
        )
    return year
