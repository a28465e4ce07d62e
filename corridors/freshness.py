"""What in the data has gone out of date on a given day.

Two kinds of staleness, both warnings rather than errors (the data is still valid, only old):
a leg whose target year is past while it is still planned or under construction (*overdue*),
and a moving figure -- a volume or capacity -- last true more than 18 months ago (*stale*).
Pure functions of the dataset and a ``today`` date, so they test with fixed dates.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

from corridors.data import Dataset

#: A volume or capacity older than this (months after the period it was true for) is stale.
STALE_MONTHS = 18
#: Statuses that promise an opening; past their target year they are overdue.
PENDING = frozenset({"planned", "under construction"})


@dataclass(frozen=True)
class Overdue:
    """A leg past its target year and not reported open."""

    route_id: str
    leg_id: str
    leg_name: str
    status: str
    target_year: int

    @property
    def label(self) -> str:
        """Short wording for a tooltip: ``target 2026, not reported open``."""
        return f"target {self.target_year}, not reported open"


@dataclass(frozen=True)
class Stale:
    """A moving figure last true more than :data:`STALE_MONTHS` ago."""

    fact_id: str
    source_id: str
    as_of: str
    months_old: int


def period_end(text: str) -> date:
    """Return the last day of the period a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date names.

    Examples
    --------
    >>> period_end("2025"), period_end("2024-02"), period_end("2026-03-09")
    (datetime.date(2025, 12, 31), datetime.date(2024, 2, 29), datetime.date(2026, 3, 9))
    """
    parts = [int(p) for p in text.split("-")]
    if len(parts) == 1:
        return date(parts[0], 12, 31)
    if len(parts) == 2:
        year, month = parts
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(*parts)


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later, clipped to the end of a shorter month."""
    year, month = divmod(day.month - 1 + months, 12)
    year += day.year
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (0 if ``end`` is earlier)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    return max(months, 0)


def overdue_legs(dataset: Dataset, today: date) -> tuple[Overdue, ...]:
    """Return every leg still planned or under construction after its target year ended."""
    return tuple(
        Overdue(route.id, leg.id, leg.name, leg.status, leg.year)
        for route in dataset.routes.values()
        for leg in route.legs
        if leg.status in PENDING and leg.year is not None and today > date(leg.year, 12, 31)
    )


def stale_figures(
    dataset: Dataset, today: date, *, months: int = STALE_MONTHS
) -> tuple[Stale, ...]:
    """Return every moving figure last true more than ``months`` months before ``today``."""
    stale = []
    for source in dataset.sources.values():
        for fact in source.facts:
            if not (fact.moving and fact.as_of):
                continue
            true_until = period_end(fact.as_of)
            if today > add_months(true_until, months):
                stale.append(
                    Stale(fact.id, source.id, fact.as_of, months_between(true_until, today))
                )
    return tuple(stale)


def freshness_warnings(dataset: Dataset, today: date) -> list[str]:
    """Return one readable line per overdue leg and stale figure."""
    lines = [
        f"overdue: {o.route_id}.geojson: leg {o.leg_id} ({o.leg_name}) is still {o.status}: "
        f"{o.label}"
        for o in overdue_legs(dataset, today)
    ]
    lines += [
        f"stale: {s.source_id}.toml: figure {s.fact_id} is as of {s.as_of}, "
        f"{s.months_old} months before {today.isoformat()}"
        for s in stale_figures(dataset, today)
    ]
    return lines
