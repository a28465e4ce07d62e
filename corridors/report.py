"""Turn analyses into plain records and readable text, for the CLI, exports and the app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corridors.data import Dataset
from corridors.figures import format_km, format_share, format_status, km, share
from corridors.model import Analysis, Route
from corridors.provenance import (
    BOUNDARIES_FACT,
    NO_SOURCE,
    borders_citation,
    citations,
    standing,
)


def analysis_record(analysis: Analysis, route: Route) -> dict[str, Any]:
    """Return a JSON-ready record of one route's analysis, its figures rounded as shown everywhere.

    Kilometres and shares go through :func:`corridors.figures.km` and
    :func:`~corridors.figures.share`, so the JSON, the CSV export and the app agree.
    """
    return {
        "id": analysis.route_id,
        "name": analysis.name,
        "role": route.role,
        "baseline": analysis.baseline,
        "origin": route.origin,
        "destination": route.destination,
        "length_km": km(analysis.length_km),
        "km_by_mode": {mode: km(value) for mode, value in analysis.km_by_mode},
        "km_by_status": {status: km(value) for status, value in analysis.km_by_status},
        "declared_transit": list(route.declared_transit),
        "transit": [
            {
                "iso3": s.iso3,
                "name": s.name,
                "km": km(s.km),
                "share": share(s.share),
                "via_canal": s.via_canal,
            }
            for s in analysis.transit
        ],
        "touches": [{"iso3": s.iso3, "name": s.name, "km": km(s.km)} for s in analysis.touches],
        "skirted": [
            {"iso3": s.iso3, "name": s.name, "min_km": km(s.min_km)} for s in analysis.skirted
        ],
        "bypassed": [{"iso3": s.iso3, "name": s.name} for s in analysis.bypassed],
        "chokepoints": list(analysis.chokepoints),
        "chokepoints_avoided": list(analysis.chokepoints_avoided),
    }


def leg_records(route: Route, dataset: Dataset) -> list[dict[str, Any]]:
    """Return a JSON-ready record of each leg: its status as of the date confirmed, its sources.

    ``status_text`` is the status as every surface writes it
    (:func:`corridors.figures.format_status`); ``as_of`` stays a date for machines.
    ``standing`` grades the facts the status rests on and ``source_urls`` links their notes.
    """
    records = []
    for leg in route.legs:
        cited = citations(dataset, leg.sources)
        records.append(
            {
                "id": leg.id,
                "name": leg.name,
                "mode": leg.mode,
                "status": leg.status,
                "as_of": leg.as_of,
                "status_text": format_status(leg.status, leg.as_of),
                "standing": standing(cited),
                "sources": list(leg.sources),
                "source_urls": list(dict.fromkeys(c.url for c in cited if c.url)),
            }
        )
    return records


def report_records(
    analyses: Mapping[str, Analysis], dataset: Dataset, ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Return records for the given route ids, in that order: each analysis and its legs.

    Each also names the borders its states' km and shares are measured on, with their address,
    as a leg names its sources: a reader quoting a measured figure can check it.
    """
    routes = dataset.routes
    cited = borders_citation(dataset)
    borders = {"sources": [BOUNDARIES_FACT], "source_urls": [cited.url] if cited.url else []}
    return [
        {
            **analysis_record(analyses[i], routes[i]),
            "measured_on": borders,
            "legs": leg_records(routes[i], dataset),
        }
        for i in ids
    ]


def format_report(records: Iterable[dict[str, Any]]) -> str:
    """Format records as a readable plain-text report, one block per route."""
    blocks = []
    for rec in records:
        lines = [f"{rec['name']} ({rec['id']})", "=" * (len(rec["name"]) + len(rec["id"]) + 3)]
        lines.append(f"{rec['origin']} to {rec['destination']}: {format_km(rec['length_km'])}")
        modes = ", ".join(f"{mode} {format_km(value)}" for mode, value in rec["km_by_mode"].items())
        lines.append(f"  by mode:     {modes}")
        if rec["baseline"]:
            lines.append(f"  compared with: {rec['baseline']}")
        lines.append("  transit:")
        width = max((len(s["name"]) for s in rec["transit"]), default=10)
        for s in rec["transit"]:
            canal = "  (canal)" if s["via_canal"] else ""
            lines.append(
                f"    {s['iso3']}  {s['name']:<{width}}  {format_km(s['km']):>11}"
                f"  {format_share(s['share']):>6}{canal}"
            )
        if "measured_on" in rec:
            urls = " ".join(rec["measured_on"]["source_urls"]) or NO_SOURCE
            lines.append(f"  (km and shares measured on the borders at {urls})")
        if rec["bypassed"]:
            lines.append(
                "  bypassed:    " + ", ".join(f"{s['name']} ({s['iso3']})" for s in rec["bypassed"])
            )
        if rec["skirted"]:
            lines.append(
                "  skirted:     "
                + ", ".join(f"{s['name']} {format_km(s['min_km'])}" for s in rec["skirted"])
            )
        if rec["touches"]:
            lines.append(
                "  touches:     "
                + ", ".join(f"{s['name']} {format_km(s['km'])}" for s in rec["touches"])
                + "  (boundary precision, not transit)"
            )
        if rec["chokepoints"]:
            lines.append("  chokepoints: " + ", ".join(rec["chokepoints"]))
        if rec["chokepoints_avoided"]:
            lines.append("  avoids:      " + ", ".join(rec["chokepoints_avoided"]))
        if rec.get("legs"):
            lines.append("  legs:")
            lines += [
                f"    {leg['name']}: {leg['mode']}, {leg['status_text']}; "
                f"sources: {', '.join(leg['sources'])} ({leg['standing']}) "
                f"{' '.join(leg['source_urls']) or NO_SOURCE}"
                for leg in rec["legs"]
            ]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
