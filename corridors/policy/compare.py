"""One table comparing every corridor and baseline, and the headline figures behind it.

Each figure is shown with its source and its standing (verified, claim or disputed) so that a
reader never takes a one-party claim for an agreed fact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from corridors.data import Dataset
from corridors.figures import fact_value, format_km, km
from corridors.model import MODES, Analysis, Route, Status
from corridors.policy.timeline import YOUR_ROUTE
from corridors.provenance import NO_SOURCE, citations, source_urls
from corridors.tables import with_links

#: Statuses from the least to the most advanced: a route runs end to end only as far as its
#: least advanced leg, so that leg's status is the route's.
_READINESS: tuple[Status, ...] = (
    "closed",
    "proposed",
    "planned",
    "under construction",
    "operational",
)


def route_status(route: Route) -> tuple[Status, int | None]:
    """Return the route's status (that of its least advanced leg) and the year that goes with it.

    The year is when the route opened end to end, is planned to, or closed: the latest year given
    by a leg with that status (``closed_year`` for closed legs), or None where no leg gives one.
    """
    present = {leg.status for leg in route.legs}
    status = next(s for s in _READINESS if s in present)
    legs = [leg for leg in route.legs if status in {"operational", leg.status}]
    years = [leg.closed_year if status == "closed" else leg.year for leg in legs]
    known = [y for y in years if y is not None]
    return status, max(known) if known else None


def figure_table(dataset: Dataset, route_ids: Iterable[str]) -> pd.DataFrame:
    """Return one row per headline figure of the given routes, with its fact and source.

    "Link" is the source's web address; where there is none to follow, it is empty and
    "Source" says so. Figures whose fact id is unknown are left out;
    ``data.validate_references`` reports them.
    """
    rows = []
    for route_id in route_ids:
        route = dataset.routes[route_id]
        for figure in route.figures:
            fact = dataset.facts.get(figure.fact)
            if fact is None:
                continue
            source = dataset.fact_source[fact.id]
            (cited,) = citations(dataset, [fact.id])
            rows.append(
                {
                    "route_id": route.id,
                    "Route": route.name,
                    "Figure": figure.label,
                    "Value": fact_value(fact),
                    "Standing": fact.status,
                    "As of": fact.as_of or fact.date or source.date,
                    "Fact": fact.text,
                    "Source": cited.label,
                    "Publisher": source.publisher,
                    "Link": cited.url,
                    "fact_id": fact.id,
                }
            )
    columns = ["route_id", "Route", "Figure", "Value", "Standing", "As of", "Fact", "Source"]
    return pd.DataFrame(rows, columns=[*columns, "Publisher", "Link", "fact_id"])


#: Column names and the headers the app shows for them. The names are what the CSV carries
#: (``id``, ``length_km``...), for whoever reads it into a program; the app and the command
#: line show the headers.
COLUMNS: dict[str, str] = {
    "id": "id",
    "route": "Route",
    "role": "Role",
    "baseline": "Baseline",
    "from": "From",
    "to": "To",
    "length_km": "Length (km)",
    **{f"{mode}_km": f"{mode.capitalize()} (km)" for mode in MODES},
    "states_crossed_n": "States crossed (n)",
    "states_crossed": "States crossed",
    "states_bypassed": "States bypassed",
    "states_skirted": "States skirted",
    "chokepoints": "Chokepoints",
    "chokepoints_avoided": "Chokepoints avoided",
    "status": "Status",
    "year": "Year",
    "headline_figures": "Headline figures",
    "status_sources": "Status sources",
    "headline_sources": "Figure sources",
}
#: Columns of web addresses, one or more per route, for the CSV: the app links each figure and
#: status where it shows it, one link to a cell.
SOURCE_COLUMNS: tuple[str, ...] = ("status_sources", "headline_sources")
#: The columns that hold kilometres.
KM_COLUMNS: tuple[str, ...] = ("length_km", *(f"{mode}_km" for mode in MODES))


def _figures_text(figures: pd.DataFrame) -> str:
    return " | ".join(
        f"{row.Figure}: {row.Value} ({row.Standing}; {row.Source})" for row in figures.itertuples()
    )


def _row(route: Route, analysis: Analysis, dataset: Dataset, figures: pd.DataFrame) -> dict:
    names = {cp.id: cp.name for cp in dataset.chokepoints}
    baseline = dataset.routes.get(analysis.baseline or "")
    by_mode = dict(analysis.km_by_mode)
    status, year = (YOUR_ROUTE, None) if route.user else route_status(route)
    return {
        "id": route.id,
        "route": route.name,
        "role": route.role,
        "baseline": baseline.name if baseline else "",
        "from": route.origin,
        "to": route.destination,
        "length_km": km(analysis.length_km),
        **{f"{mode}_km": km(by_mode.get(mode, 0.0)) for mode in MODES},
        "states_crossed_n": len(analysis.transit),
        "states_crossed": "; ".join(f"{s.name} ({format_km(s.km)})" for s in analysis.transit),
        "states_bypassed": "; ".join(s.name for s in analysis.bypassed),
        "states_skirted": "; ".join(
            f"{s.name} ({format_km(s.min_km)} off)" for s in analysis.skirted
        ),
        "chokepoints": "; ".join(names.get(c, c) for c in analysis.chokepoints),
        "chokepoints_avoided": "; ".join(names.get(c, c) for c in analysis.chokepoints_avoided),
        "status": status,
        "year": year,
        "headline_figures": _figures_text(figures[figures["route_id"] == route.id]),
        # The legs that give the route its status say where it comes from.
        "status_sources": _addresses(
            source_urls(dataset, [f for g in route.legs if g.status == status for f in g.sources])
        ),
        "headline_sources": _addresses(figures.loc[figures["route_id"] == route.id, "Link"]),
    }


def _addresses(urls: Iterable[str]) -> str:
    """Web addresses once each, space-separated (none of them has a space), or "no source"."""
    return " ".join(dict.fromkeys(u for u in urls if u)) or NO_SOURCE


def compare_table(
    dataset: Dataset,
    analyses: Mapping[str, Analysis],
    *,
    extra_routes: Iterable[Route] = (),
) -> pd.DataFrame:
    """Return one row per analysed route: corridors in display order, then baselines, then extras.

    The columns are the keys of :data:`COLUMNS`, indexed by ``id``; kilometres are rounded by
    :func:`corridors.figures.km`.

    Parameters
    ----------
    dataset
        The loaded data; its facts and sources give the headline figures.
    analyses
        Analyses by route id; routes without one are left out.
    extra_routes
        Routes outside the dataset, such as an uploaded one, to add at the end.

    Raises
    ------
    ValueError
        If an analysis names a route that is neither in the dataset nor in ``extra_routes``.
    """
    routes = {**dataset.routes, **{r.id: r for r in extra_routes}}
    unknown = sorted(set(analyses) - set(routes))
    if unknown:
        msg = f"analyses for unknown routes {unknown}; pass them as extra_routes"
        raise ValueError(msg)
    listed = [r.id for r in (*dataset.corridors, *dataset.baselines)]
    listed += [rid for rid in routes if rid not in dataset.routes]
    ids = [rid for rid in listed if rid in analyses]
    figures = figure_table(dataset, [rid for rid in ids if rid in dataset.routes])
    rows = [_row(routes[rid], analyses[rid], dataset, figures) for rid in ids]
    table = pd.DataFrame(rows, columns=list(COLUMNS)).set_index("id")
    table["year"] = table["year"].astype("Int64")
    return table


#: The link columns the app shows for each column of addresses (:data:`SOURCE_COLUMNS`).
LINK_NAMES: dict[str, str] = {"status_sources": "Status link", "headline_sources": "Figure link"}


def linked_table(table: pd.DataFrame) -> pd.DataFrame:
    """Return :func:`compare_table`'s table as the app shows it: each address a link of its own.

    The CSV keeps a route's addresses in one cell each for its status and its headline figures;
    on screen they become "Status link", "Status link 2"... and "Figure link"... columns, one
    clickable link to a cell. A cell saying "no source" gives no link.
    """
    shown = table.drop(columns=list(SOURCE_COLUMNS))
    for column, name in LINK_NAMES.items():
        urls = [[] if cell == NO_SOURCE else cell.split() for cell in table[column]]
        with_links(shown, urls, name)
    return shown


def to_csv(table: pd.DataFrame) -> bytes:
    """Return a table as UTF-8 CSV bytes (with a BOM so spreadsheet programs read the accents)."""
    return table.to_csv().encode("utf-8-sig")
