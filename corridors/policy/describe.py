"""A plain-language paragraph describing what the map shows, for screen readers.

The map is a picture; this paragraph carries the same content in words, from the same analyses:
which routes are drawn, what they cross and avoid, and, when set, the year and the closures.
:func:`describe_view` reads the same :class:`~corridors.view.ViewState` as the map and the link.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from corridors.data import Dataset
from corridors.figures import format_count, format_km, format_year
from corridors.model import Analysis, Route
from corridors.policy.closures import ClosureResult
from corridors.policy.timeline import leg_statuses, open_legs
from corridors.view import ViewState
from corridors.wording import join_names, short_name, with_article


def _modes(analysis: Analysis) -> str:
    parts = [f"{format_km(km)} by {mode}" for mode, km in analysis.km_by_mode if km > 0]
    return f" ({', '.join(parts)})" if len(parts) > 1 else ""


def describe_route(
    route: Route,
    analysis: Analysis,
    *,
    baseline: Route | None = None,
    chokepoint_names: Mapping[str, str] | None = None,
    detail: bool = True,
    ends: bool = True,
) -> str:
    """Return one to three sentences on a route: length, ends, states crossed and avoided.

    ``detail`` adds the split by mode, the states skirted and the chokepoints passed; ``ends``
    names where the route starts and ends (not for a route only partly open in a past year).
    """
    names = chokepoint_names or {}
    name = route.name if detail else short_name(route.name)
    text = f"{with_article(name, capital=True)} runs {format_km(analysis.length_km)}"
    if detail:
        text += _modes(analysis)
    if ends and route.origin and route.destination:
        text += f" from {route.origin} to {route.destination}"
    if analysis.transit:
        text += f" through {join_names([s.name for s in analysis.transit])}"
    if analysis.bypassed and baseline is not None:
        avoided = join_names([s.name for s in analysis.bypassed])
        base = with_article(short_name(baseline.name))
        text += f", and avoids {avoided}, which its baseline, {base}, crosses"
    sentences = [text + "."]
    if detail and analysis.skirted:
        near = [f"{s.name} ({format_km(s.min_km)} away)" for s in analysis.skirted]
        sentences.append(f"It passes close to {join_names(near)} without entering.")
    if detail and analysis.chokepoints:
        passed = join_names([with_article(names.get(c, c)) for c in analysis.chokepoints])
        sentences.append(f"It passes {passed}.")
    return " ".join(sentences)


def describe_year(routes: Sequence[Route], year: int) -> str:
    """Return a sentence on what of each route was open in ``year``.

    A route the viewer drew or uploaded has no dates, so it is never "planned".
    """
    parts = []
    for route in routes:
        name = with_article(short_name(route.name))
        if route.user:
            parts.append(f"{name} has no dates: it is shown the same in every year")
            continue
        counts = Counter(leg_statuses(route, year).values())
        total, running = sum(counts.values()), counts["operational"]
        if running == total:
            parts.append(f"{name} runs end to end")
        elif running:
            parts.append(f"{name} runs on {running} of {total} legs")
        else:
            parts.append(f"{name} is {counts.most_common(1)[0][0]}")
    return f"In {format_year(year)}: {'; '.join(parts)}." if parts else ""


def describe_closures(closures: ClosureResult) -> str:
    """Return the closure summary and where each cut route breaks."""
    cuts = []
    for outcome in closures.routes:
        if outcome.breaks:
            where = join_names(list(dict.fromkeys(b.closed_name for b in outcome.breaks)))
            cuts.append(f"{with_article(short_name(outcome.name))} is cut at {where}")
    text = closures.summary
    if cuts:
        text += f" The map marks the cut legs: {'; '.join(cuts)}."
    return text


def describe_view(
    view: ViewState,
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    *,
    closures: ClosureResult | None = None,
    user_routes: Sequence[tuple[Route, Analysis]] = (),
) -> str:
    """Return a paragraph describing a view of the map: its routes, year and closures.

    The same :class:`~corridors.view.ViewState` the map, the link and the exports are drawn
    from says which corridors are on, which is selected, the year and what is closed, so the
    words cannot describe another map than the one on screen.

    Parameters
    ----------
    view
        What the map shows.
    dataset
        The routes (corridors in their order), and the chokepoints' names.
    analyses
        Each route's analysis by id, in ``view.year`` when it is set
        (:func:`~corridors.policy.timeline.analysis_in_year`); ids without one are skipped.
    closures
        The view's closures applied (:func:`~corridors.policy.closures.apply_closures`), needed
        when the view closes anything.
    user_routes
        Routes the viewer drew or uploaded, drawn after the corridors, each with its analysis.

    Raises
    ------
    ValueError
        If the view closes states, chokepoints or legs and ``closures`` is missing or was worked out
        for other closures.
    """

    def closing(c: ViewState | ClosureResult) -> tuple[set[str], ...]:
        return set(c.closed_states), set(c.closed_chokepoints), set(c.closed_legs)

    closed = any(closing(view))
    if closed and (closures is None or closing(closures) != closing(view)):
        got = None if closures is None else closing(closures)
        msg = f"closures must be those of the view {closing(view)}, got {got}"
        raise ValueError(msg)
    routes = {**dataset.routes, **{r.id: r for r, _ in user_routes}}
    analyses = {**analyses, **{r.id: a for r, a in user_routes}}
    shown = [*view.shown([r.id for r in dataset.corridors]), *(r.id for r, _ in user_routes)]
    drawn = [rid for rid in shown if rid in analyses]
    if not drawn:
        return "The map shows no routes."
    selected, year = view.selected, view.year
    if selected in drawn:
        drawn.remove(selected)
        drawn.insert(0, selected)
    names = [short_name(routes[rid].name) for rid in drawn]
    count = "one route" if len(drawn) == 1 else f"{len(drawn)} routes"
    when = "" if year is None else f" as in {format_year(year)}"
    sentences = [f"The map shows {count}{when}: {join_names(names)}."]
    chokepoint_names = {c.id: c.name for c in dataset.chokepoints}
    for rid in drawn:
        route = routes[rid]
        running = route.legs if year is None else open_legs(route, year)
        if not running:
            continue  # the year's sentence says it is not open yet, or closed
        baseline = routes.get(analyses[rid].baseline or "")
        full = rid == selected or len(drawn) == 1
        sentences.append(
            describe_route(
                route,
                analyses[rid],
                baseline=baseline,
                chokepoint_names=chokepoint_names,
                detail=full,
                ends=running == route.legs,
            )
        )
    if year is not None:
        sentences.append(describe_year([routes[rid] for rid in drawn], year))
    if closures is not None and closed:
        sentences.append(describe_closures(closures))
    return " ".join(sentences)


def map_note(year: int | None, disruptions: int = 0) -> str:
    """Return the note a map carries about what it shows: the timeline's year, if set.

    ``disruptions`` counts the recorded disruptions that apply in that year (those the Timeline
    tab lists), so a reader of the map knows to look there. The web map shows the note over the
    map, the print map in its caption.

    Examples
    --------
    >>> map_note(2016)
    'The map shows the routes as in 2016'
    >>> map_note(2026, 2)
    'The map shows the routes as in 2026 · 2 disruptions in force (see Timeline)'
    >>> map_note(None)
    ''
    """
    if year is None:
        return ""
    note = f"The map shows the routes as in {year}"
    if disruptions:
        note += f" · {format_count(disruptions, 'disruption')} in force (see Timeline)"
    return note
