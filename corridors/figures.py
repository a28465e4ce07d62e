"""Every number the dashboard shows, rounded once and written once.

Analysis, Compare and its CSV, the caption under the map, the tooltips, the print snapshot and
the command line all take their figures from here, so a route's length or a state's kilometres
read the same wherever they appear. Two steps, kept apart on purpose:

- a *value* function (:func:`km`, :func:`share`) rounds a measurement to the precision we stand
  behind; tables and CSV columns hold that value, so they stay sortable numbers;
- a *format* function (:func:`format_km`, :func:`format_share`, :func:`format_year`...) writes the
  same value as text, for sentences, tooltips and reports.

A value function is idempotent (``km(km(x)) == km(x)``), so formatting a rounded value again
never shifts it: the double rounding that gave 67 km in one place and 68 km in another cannot
happen.
"""

from __future__ import annotations

import math
from datetime import date as _date

from corridors.model import Fact

#: From this length up, a kilometre is as fine as our lines are good for; below it, a tenth of a
#: kilometre, so a 0.3 km touch or a 3.4 km skirt is not shown as 0 or 3 km.
WHOLE_KM_FROM = 10.0

#: The unit of a fact whose value is a calendar year: written as ``1993``, never ``1,993``.
YEAR_UNIT = "year"


def _half_up(value: float, decimals: int = 0) -> float:
    """Round half away from zero, as people do (Python's ``round`` rounds half to even)."""
    scale = 10.0**decimals
    return math.copysign(math.floor(abs(value) * scale + 0.5) / scale, value)


def km(value: float) -> float:
    """Return a length or distance in km as shown everywhere: whole km, tenths below 10 km.

    Examples
    --------
    >>> km(5984.6), km(67.5), km(3.44), km(km(67.5))
    (5985.0, 68.0, 3.4, 68.0)
    """
    whole = _half_up(value)
    return whole if abs(whole) >= WHOLE_KM_FROM else _half_up(value, 1)


def share(value: float) -> float:
    """Return a share of a route (0 to 1) as shown everywhere: to a tenth of a percent.

    Examples
    --------
    >>> share(0.11349), share(0.0005)
    (0.113, 0.001)
    """
    return _half_up(value, 3)


def format_number(value: float) -> str:
    """Write a figure for reading: thousands separators, decimals only where the value has them.

    Examples
    --------
    >>> format_number(4650.0), format_number(2.5), format_number(0.125), format_number(-3.0)
    ('4,650', '2.5', '0.125', '-3')
    """
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3f}".rstrip("0")


def format_km(value: float) -> str:
    """Write a length or distance: ``"5,985 km"``, ``"3.4 km"`` (see :func:`km`).

    Examples
    --------
    >>> format_km(5984.6), format_km(3.44), format_km(0.04)
    ('5,985 km', '3.4 km', '0 km')
    """
    return f"{format_number(km(value))} km"


def format_share(value: float) -> str:
    """Write a share of a route as a percentage (see :func:`share`), always to a tenth.

    Every share has that precision, so it says so even where the tenth is 0: in a column of
    shares, "31.0%" under "50.3%" keeps their points in line and does not look rounder.

    Examples
    --------
    >>> format_share(0.11349), format_share(0.5), format_share(1.0)
    ('11.3%', '50.0%', '100.0%')
    """
    return f"{_half_up(share(value) * 100, 1):,.1f}%"


def format_year(year: float) -> str:
    """Write a calendar year: digits only, never a thousands separator.

    Examples
    --------
    >>> format_year(1993)
    '1993'
    """
    return str(int(year))


def format_count(count: int, noun: str, plural: str | None = None) -> str:
    """Write a count with its noun, singular or plural as the count needs.

    Examples
    --------
    >>> format_count(1, "state"), format_count(3, "state"), format_count(1200, "vertex", "vertices")
    ('1 state', '3 states', '1,200 vertices')
    """
    word = noun if count == 1 else plural or f"{noun}s"
    return f"{count:,} {word}"


def with_unit(figure: str, unit: str) -> str:
    """Put a unit after a figure as it reads: ``"30%"``, ``"25 days"``, ``"1993"``.

    A percent sign (and whatever words follow it) sticks to the number; the unit :data:`YEAR_UNIT`
    is left out, the year says it.

    Examples
    --------
    >>> with_unit("30", "% cheaper than via Suez"), with_unit("25", "days"), with_unit("7", "")
    ('30% cheaper than via Suez', '25 days', '7')
    """
    unit = unit.strip()
    if not unit or unit == YEAR_UNIT:
        return figure
    return f"{figure}{unit}" if unit.startswith("%") else f"{figure} {unit}"


def format_value(value: float, unit: str = "", value_max: float | None = None) -> str:
    """Write a value with its unit, or a range where sources disagree.

    Examples
    --------
    >>> format_value(826, "km", 850), format_value(1993, "year"), format_value(6.5, "million t")
    ('826-850 km', '1993', '6.5 million t')
    """
    write = format_year if unit.strip() == YEAR_UNIT else format_number
    figure = write(value)
    if value_max is not None and value_max != value:
        figure = f"{figure}-{write(value_max)}"
    return with_unit(figure, unit)


#: A range ``(low, high)`` of hours or days, as the corridor network gives its times.
Span = tuple[float, float]


def format_days(days: Span) -> str:
    """Write a range of days: whole days, one figure when both ends round alike.

    Examples
    --------
    >>> format_days((11.6, 14.2)), format_days((0.4, 0.6)), format_days((2.0, 2.4))
    ('12-14 days', 'about 1 day', 'about 2 days')
    """
    lo, hi = int(_half_up(days[0])), max(1, int(_half_up(days[1])))
    lo = max(lo, 1) if hi == 1 else lo
    if lo == hi:
        return f"about {format_count(hi, 'day')}"
    return f"{lo:,}-{hi:,} days"


def format_hours(hours: Span) -> str:
    """Write a range of hours (a wait): whole hours, ``"none"`` for no wait at all.

    Examples
    --------
    >>> format_hours((20.6, 23.0)), format_hours((6.0, 6.4)), format_hours((0.0, 0.0))
    ('21-23 h', 'about 6 h', 'none')
    """
    if hours == (0.0, 0.0):
        return "none"
    lo, hi = int(_half_up(hours[0])), int(_half_up(hours[1]))
    return f"about {hi:,} h" if lo == hi else f"{lo:,}-{hi:,} h"


def format_hours_in_days(hours: Span) -> str:
    """Write a range of hours as days to a tenth, for a column of days: ``"0.9-1.0"``.

    Examples
    --------
    >>> format_hours_in_days((20.6, 23.0)), format_hours_in_days((3.0, 3.0))
    ('0.9-1.0', '0.1')
    >>> format_hours_in_days((0.0, 0.0))
    'none'
    """
    if hours == (0.0, 0.0):
        return "none"
    lo, hi = _half_up(hours[0] / 24, 1), _half_up(hours[1] / 24, 1)
    return f"{lo:.1f}-{hi:.1f}" if lo != hi else f"{hi:.1f}"


def format_days_change(change: Span) -> str:
    """Write a change in a range of days, end for end, signed: ``"+11.6 to +14.4"``.

    Examples
    --------
    >>> format_days_change((11.62, 14.4)), format_days_change((-0.04, 0.04))
    ('+11.6 to +14.4', '+0.0')
    """
    lo, hi = _half_up(change[0], 1), _half_up(change[1], 1)
    # -0.0 reads as a loss of nothing: write it +0.0.
    lo, hi = lo + 0.0, hi + 0.0
    return f"{lo:+.1f}" if lo == hi else f"{lo:+.1f} to {hi:+.1f}"


def format_usd(span: Span) -> str:
    """Write a range of US dollars, whole dollars: ``"US$2,500-3,250"``.

    Examples
    --------
    >>> format_usd((2500, 3250)), format_usd((2599.4, 2599.4))
    ('US$2,500-3,250', 'US$2,599')
    """
    lo, hi = int(_half_up(span[0])), int(_half_up(span[1]))
    return f"US${lo:,}" if lo == hi else f"US${lo:,}-{hi:,}"


def format_date(text: str) -> str:
    """Write a date as precise as its source: ``"2017"``, ``"April 1993"``, ``"30 October 2017"``.

    Examples
    --------
    >>> format_date("2017-10-30"), format_date("1993-04"), format_date("2022")
    ('30 October 2017', 'April 1993', '2022')
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return format_year(parts[0])
    day = _date(parts[0], parts[1], parts[2] if len(parts) == 3 else 1)
    month = f"{day:%B} {format_year(day.year)}"
    return month if len(parts) == 2 else f"{day.day} {month}"


def format_status(status: str, as_of: str) -> str:
    """Write a status with the date it was last confirmed: ``"open (as of 9 March 2026)"``.

    Every surface that shows a leg's status (tooltip, Analysis table, CSV, GeoJSON, report) writes
    it with this, so no status is shown without its date. A status with no date (a drawn route's)
    is written alone rather than with an empty "as of".

    Examples
    --------
    >>> format_status("operational", "2017-10-30"), format_status("planned", "2026-03")
    ('operational (as of 30 October 2017)', 'planned (as of March 2026)')
    >>> format_status("under construction", "")
    'under construction'
    """
    return f"{status} (as of {format_date(as_of)})" if as_of else status


def fact_value(fact: Fact) -> str:
    """Return a fact's figure: its value with unit or range, else its date, else nothing.

    The figure is never the fact's sentence: that is its *text*, shown beside it. A fact with no
    value is an event, and the date it happened is its figure ("Opened: 30 October 2017").

    Examples
    --------
    >>> from corridors.model import Fact
    >>> fact_value(Fact(id="a", text="t", status="disputed", value=826, value_max=850, unit="km"))
    '826-850 km'
    >>> fact_value(Fact(id="b", text="It opened.", status="verified", date="2017-10-30"))
    '30 October 2017'
    """
    if fact.value is not None:
        return format_value(fact.value, fact.unit, fact.value_max)
    return format_date(fact.date) if fact.date else ""
