"""Which recorded disruptions are in force on a day, and what a what-if preset closes.

A disruption's dates are as precise as its sources: ``1993`` runs from 1 January 1993, and an
``end`` of ``2026-03`` lasts to 31 March 2026. One with no end is still in force.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from corridors.data import Dataset
from corridors.freshness import overdue_legs, period_end
from corridors.model import Disruption, Preset


@dataclass(frozen=True)
class Closures:
    """The states and chokepoints a preset closes, as the What-if tab takes them."""

    states: tuple[str, ...]
    chokepoints: tuple[str, ...]


def period_start(text: str) -> date:
    """Return the first day of the period a ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` date names.

    Examples
    --------
    >>> period_start("1993"), period_start("2026-03"), period_start("2026-03-05")
    (datetime.date(1993, 1, 1), datetime.date(2026, 3, 1), datetime.date(2026, 3, 5))
    """
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


def is_in_force(disruption: Disruption, day: date) -> bool:
    """Whether ``disruption`` had started by ``day`` and not yet ended."""
    started = period_start(disruption.start) <= day
    return started and (disruption.end is None or day <= period_end(disruption.end))


def in_force(dataset: Dataset, day: date) -> tuple[Disruption, ...]:
    """Return the disruptions in force on ``day``, in file order."""
    return tuple(d for d in dataset.disruptions if is_in_force(d, day))


def legs_affected(dataset: Dataset, day: date) -> dict[str, tuple[Disruption, ...]]:
    """Return, for each leg a disruption in force on ``day`` names, those disruptions."""
    affected: dict[str, list[Disruption]] = {}
    for disruption in in_force(dataset, day):
        for leg_id in disruption.legs:
            affected.setdefault(leg_id, []).append(disruption)
    return {leg_id: tuple(ds) for leg_id, ds in affected.items()}


def closures_of(disruptions: Iterable[Disruption]) -> Closures:
    """Return the states and chokepoints the disruptions close, sorted and without repeats."""
    items = tuple(disruptions)
    return Closures(
        states=tuple(sorted({s for d in items for s in d.states})),
        chokepoints=tuple(sorted({c for d in items for c in d.chokepoints})),
    )


def preset_closures(dataset: Dataset, preset: Preset) -> Closures:
    """Return what ``preset`` closes: the union of its disruptions' states and chokepoints."""
    by_id = {d.id: d for d in dataset.disruptions}
    return closures_of(by_id[i] for i in preset.disruptions)


def leg_notes(dataset: Dataset, day: date) -> dict[str, tuple[str, ...]]:
    """Return the warnings a leg's map tooltip carries on ``day``, by leg id.

    An overdue leg says ``target 2026, not reported open``; a leg a disruption in force names
    says which, and since when.
    """
    notes: dict[str, list[str]] = {}
    for overdue in overdue_legs(dataset, day):
        notes.setdefault(overdue.leg_id, []).append(overdue.label)
    for leg_id, disruptions in legs_affected(dataset, day).items():
        notes.setdefault(leg_id, []).extend(f"{d.title} (since {d.start})" for d in disruptions)
    return {leg_id: tuple(lines) for leg_id, lines in notes.items()}
