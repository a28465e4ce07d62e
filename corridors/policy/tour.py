"""The guided tour for teachers: a sequence of map views with a short narrative each.

The tour is data (``data/tour.json``, described in ``data/TOUR.md``) so a teacher can reorder or
rewrite it without touching code. Like every loader here, :func:`load_tour` collects every problem,
each naming its step, and raises once.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from corridors.data import DATA_DIR, CorridorDataError, Dataset, read_json
from corridors.extent import route_bounds
from corridors.model import Fact, Source
from corridors.view import YEAR_RANGE, ViewState

TOUR_FILE = DATA_DIR / "tour.json"

_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_ISO3 = re.compile(r"^[A-Z]{3}$")


class TourStep(BaseModel):
    """One step: what the map shows and what the narrator says about it."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=_ID_PATTERN)
    title: str = Field(min_length=1, max_length=80)
    narrative: str = Field(min_length=1, max_length=900, description="two to four sentences")
    corridors: tuple[str, ...] = Field(min_length=1, description="corridors drawn on the map")
    baselines: bool = Field(default=True, description="draw those corridors' baselines")
    selected: str = Field(description="the corridor highlighted; one of corridors")
    bounds: tuple[float, float, float, float] = Field(
        description="[west, south, east, north]: what the map must show, fitted to each screen"
    )
    year: int | None = Field(default=None, ge=YEAR_RANGE[0], le=YEAR_RANGE[1])
    facts: tuple[str, ...] = ()
    closed_states: tuple[str, ...] = ()
    closed_chokepoints: tuple[str, ...] = ()

    @field_validator("bounds")
    @classmethod
    def _box(cls, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        west, south, east, north = bounds
        if not (-180 <= west < east <= 180 and -85 <= south < north <= 85):
            msg = (
                "bounds must be [west, south, east, north] with west < east within +-180 and "
                f"south < north within +-85, got {list(bounds)}"
            )
            raise ValueError(msg)
        return bounds


class Tour(BaseModel):
    """The whole tour."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=1)
    steps: tuple[TourStep, ...] = Field(min_length=1)


def _step_name(data: Any, position: int) -> str:
    steps = data.get("steps") if isinstance(data, dict) else None
    raw = steps[position] if isinstance(steps, list) and position < len(steps) else None
    step_id = raw.get("id") if isinstance(raw, dict) else None
    return f"step {position + 1}" + (f" ({step_id})" if isinstance(step_id, str) else "")


def parse_tour(data: Any, name: str = "tour.json") -> tuple[Tour | None, list[str]]:
    """Validate the tour's JSON, returning it with every problem, each naming its step."""
    try:
        return Tour.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = list(error["loc"])
            where = name
            position = loc[1] if len(loc) > 1 and loc[0] == "steps" else None
            if isinstance(position, int):
                where = f"{name}: {_step_name(data, position)}"
                loc = loc[2:]
            field = ".".join(str(p) for p in loc) or "(root)"
            problems.append(f"{where}: {field}: {error['msg']} (got {error.get('input')!r:.80})")
        return None, problems


def _step_problems(step: TourStep, dataset: Dataset) -> list[str]:
    known = {cp.id for cp in dataset.chokepoints}
    corridors = {r.id for r in dataset.corridors}
    problems = [f"unknown corridor {r!r}" for r in step.corridors if r not in corridors]
    if step.selected not in step.corridors:
        problems.append(f"selected {step.selected!r} is not among its corridors")
    route = dataset.routes.get(step.selected)
    if route is not None:
        (south, west), (north, east) = route_bounds(route)
        w, s, e, n = step.bounds
        if not (w <= east and west <= e and s <= north and south <= n):
            problems.append(f"bounds {list(step.bounds)} miss the selected corridor")
    problems += [f"unknown fact id {f!r}" for f in step.facts if f not in dataset.facts]
    problems += [f"unknown chokepoint {c!r}" for c in step.closed_chokepoints if c not in known]
    problems += [
        f"closed_states needs ISO alpha-3 codes, got {s!r}"
        for s in step.closed_states
        if not _ISO3.match(s)
    ]
    return problems


def check_tour(tour: Tour, dataset: Dataset, name: str = "tour.json") -> list[str]:
    """Return problems with the tour's references to routes, facts, states and chokepoints.

    Every corridor must be the selected route of at least one step, so the tour visits them all.
    """
    problems = []
    seen: set[str] = set()
    for position, step in enumerate(tour.steps):
        where = f"{name}: step {position + 1} ({step.id})"
        if step.id in seen:
            problems.append(f"{where}: duplicate step id")
        seen.add(step.id)
        problems += [f"{where}: {problem}" for problem in _step_problems(step, dataset)]
    visited = {step.selected for step in tour.steps}
    missing = [r.id for r in dataset.corridors if r.id not in visited]
    problems += [f"{name}: no step selects the corridor {r!r}" for r in missing]
    return problems


def load_tour(path: Path = TOUR_FILE, dataset: Dataset | None = None) -> Tour:
    """Load and validate the tour, and its references when ``dataset`` is given.

    Raises
    ------
    CorridorDataError
        Listing every problem, each naming the step it is in.
    """
    problems: list[str] = []
    data = read_json(path, problems)
    if data is None:
        raise CorridorDataError(problems)
    tour, found = parse_tour(data, path.name)
    problems += found
    if tour is not None and dataset is not None:
        problems += check_tour(tour, dataset, path.name)
    if tour is None or problems:
        raise CorridorDataError(problems)
    return tour


def clamp_step(index: int | None, delta: int, count: int) -> int:
    """Return the step index after moving ``delta`` steps, kept within the tour (None: start).

    Examples
    --------
    >>> clamp_step(0, -1, 5), clamp_step(3, 1, 5), clamp_step(4, 1, 5), clamp_step(None, 1, 5)
    (0, 4, 4, 0)
    """
    if count < 1:
        msg = f"a tour needs at least one step, got count={count}"
        raise ValueError(msg)
    if index is None:
        return 0
    return max(0, min(count - 1, index + delta))


def step_view(tour: Tour, index: int, current: ViewState) -> ViewState:
    """Return the view a step asks for; presentation mode is the viewer's and is kept.

    The view has no centre or zoom: the map fits the step's bounds on the viewer's screen (a
    phone shows all of Turkiye where a projector shows it larger), and only the browser knows
    the screen's size, so it fits them (``fitMap`` in ``corridors/webmap/static/corridors.js``)
    in one move, without a guess from the page to move from first.
    """
    step = tour.steps[index]
    return replace(
        current,
        corridors=step.corridors,
        baselines=step.baselines,
        selected=step.selected,
        year=step.year,
        closed_states=step.closed_states,
        closed_chokepoints=step.closed_chokepoints,
        tour_step=index,
        center=None,
        zoom=None,
        bounds=None,
    )


def cited_facts(step: TourStep, dataset: Dataset) -> tuple[tuple[Fact, Source], ...]:
    """Return the facts a step cites, each with its source, skipping unknown ids."""
    return tuple(
        (dataset.facts[f], dataset.fact_source[f]) for f in step.facts if f in dataset.facts
    )
