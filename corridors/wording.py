"""Small text helpers shared by the sentences and tables the dashboard writes."""

from __future__ import annotations

from collections.abc import Sequence


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


def format_number(value: float) -> str:
    """Format a figure for reading: thousands separators, decimals only where the value has them.

    Examples
    --------
    >>> format_number(4650.0), format_number(2.5), format_number(0.125)
    ('4,650', '2.5', '0.125')
    """
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0")


def format_km(km: float) -> str:
    """Format a length rounded to 10 km (our lines are good to a few km, not to one).

    Examples
    --------
    >>> format_km(4653.2), format_km(3.0)
    ('4,650 km', '3 km')
    """
    rounded = round(km, -1) if km >= 50 else round(km)
    return f"{rounded:,.0f} km"
