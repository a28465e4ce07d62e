"""A tab's section as one block of HTML: heading, sentences, tables and notes together.

The browser renders every Streamlit element of the open tab before the map's frame is made,
so a tab written as a few blocks draws the first map sooner than one of thirty elements
(``corridors/ui/analysis.py``). Their look is in ``styles/page.css`` (``corridors-section``,
``corridors-note``, ``corridors-columns``); every text from data or users is escaped before
it reaches these functions.
"""

from __future__ import annotations


def section(*parts: str) -> str:
    """Return a section of the tab as one HTML block: its parts spaced as Streamlit's elements.

    Examples
    --------
    >>> section("<h4>Legs</h4>", note("As of 2026."))
    '<div class="corridors-section"><h4>Legs</h4><p class="corridors-note">As of 2026.</p></div>'
    """
    return f'<div class="corridors-section">{"".join(parts)}</div>'


def note(text: str) -> str:
    """Return a note in the muted type of a Streamlit caption; ``text`` is HTML, escaped already."""
    return f'<p class="corridors-note">{text}</p>'


def columns(left: str, right: str) -> str:
    """Two columns side by side, stacked on a phone as Streamlit's ``st.columns`` are."""
    return (
        f'<div class="corridors-columns"><div class="corridors-section">{left}</div>'
        f'<div class="corridors-section">{right}</div></div>'
    )
