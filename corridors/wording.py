"""Small text helpers for names in the sentences and tables the dashboard writes.

Numbers are written by :mod:`corridors.figures`, never here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

#: Names that already start with a determiner take no "the" ("Your route", "The Silk Road").
_DETERMINERS = frozenset({"the", "a", "an", "your", "my", "our", "this"})
_BRACKETED = re.compile(r"(?P<head>.+?)\s*\((?P<inner>[^()]+)\)")
_ACRONYM = re.compile(r"[A-Z]{2,8}")


def join_names(names: Sequence[str]) -> str:
    """Join names as English prose: ``"A"``, ``"A and B"``, ``"A, B and C"``.

    Examples
    --------
    >>> join_names(["Russia", "Iran", "Armenia"])
    'Russia, Iran and Armenia'
    """
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def with_article(name: str, *, capital: bool = False) -> str:
    """Put "the" before a name that does not already start with a determiner.

    Examples
    --------
    >>> with_article("Strait of Hormuz"), with_article("Your route", capital=True)
    ('the Strait of Hormuz', 'Your route')
    """
    if name.split(" ", 1)[0].lower() in _DETERMINERS:
        return name[:1].upper() + name[1:] if capital else name
    return f"{'The' if capital else 'the'} {name}"


def short_name(name: str) -> str:
    """Return a route name without its bracketed gloss, or the acronym the brackets give.

    Sentences that list several routes stay readable with the short form; tables keep the full
    name.

    Examples
    --------
    >>> short_name("Middle Corridor (Trans-Caspian International Transport Route)")
    'Middle Corridor'
    >>> short_name("Trump Route for International Peace and Prosperity (TRIPP)")
    'TRIPP'
    """
    match = _BRACKETED.fullmatch(name)
    if match is None:
        return name
    inner = match["inner"].strip()
    return inner if _ACRONYM.fullmatch(inner) else match["head"]


def display_name(name: str) -> str:
    """Drop a long parenthesis from a route name, keeping a short one such as an acronym.

    Examples
    --------
    >>> display_name("Middle Corridor (Trans-Caspian International Transport Route)")
    'Middle Corridor'
    >>> display_name("Trump Route for International Peace and Prosperity (TRIPP)")
    'Trump Route for International Peace and Prosperity (TRIPP)'
    """
    return re.sub(r"\s*\([^)]{9,}\)", "", name).strip() or name
