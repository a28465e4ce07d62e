"""Turn analyses into plain records and readable text, for the CLI, exports and the app."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from corridors.model import Analysis, Route


def analysis_record(analysis: Analysis, route: Route) -> dict[str, Any]:
    """Return a JSON-ready record of one route's analysis (km rounded to 0.1)."""
    return {
        "id": analysis.route_id,
        "name": analysis.name,
        "role": route.role,
        "baseline": analysis.baseline,
        "origin": route.origin,
        "destination": route.destination,
        "length_km": round(analysis.length_km, 1),
        "km_by_mode": {mode: round(km, 1) for mode, km in analysis.km_by_mode},
        "km_by_status": {status: round(km, 1) for status, km in analysis.km_by_status},
        "declared_transit": list(route.declared_transit),
        "transit": [
            {
                "iso3": s.iso3,
                "name": s.name,
                "km": round(s.km, 1),
                "share": round(s.share, 4),
                "via_canal": s.via_canal,
            }
            for s in analysis.transit
        ],
        "touches": [
            {"iso3": s.iso3, "name": s.name, "km": round(s.km, 2)} for s in analysis.touches
        ],
        "skirted": [
            {"iso3": s.iso3, "name": s.name, "min_km": round(s.min_km, 1)} for s in analysis.skirted
        ],
        "bypassed": [{"iso3": s.iso3, "name": s.name} for s in analysis.bypassed],
        "chokepoints": list(analysis.chokepoints),
        "chokepoints_avoided": list(analysis.chokepoints_avoided),
    }


def report_records(
    analyses: Mapping[str, Analysis], routes: Mapping[str, Route], ids: Iterable[str]
) -> list[dict[str, Any]]:
    """Return records for the given route ids, in that order."""
    return [analysis_record(analyses[i], routes[i]) for i in ids]


def format_report(records: Iterable[dict[str, Any]]) -> str:
    """Format records as a readable plain-text report, one block per route."""
    blocks = []
    for rec in records:
        lines = [f"{rec['name']} ({rec['id']})", "=" * (len(rec["name"]) + len(rec["id"]) + 3)]
        lines.append(f"{rec['origin']} to {rec['destination']}: {rec['length_km']:,.0f} km")
        modes = ", ".join(f"{mode} {km:,.0f}" for mode, km in rec["km_by_mode"].items())
        lines.append(f"  by mode:     {modes}")
        if rec["baseline"]:
            lines.append(f"  compared with: {rec['baseline']}")
        lines.append("  transit:")
        width = max((len(s["name"]) for s in rec["transit"]), default=10)
        for s in rec["transit"]:
            canal = "  (canal)" if s["via_canal"] else ""
            lines.append(
                f"    {s['iso3']}  {s['name']:<{width}}  {s['km']:>8,.0f} km"
                f"  {s['share']:>6.1%}{canal}"
            )
        if rec["bypassed"]:
            lines.append(
                "  bypassed:    " + ", ".join(f"{s['name']} ({s['iso3']})" for s in rec["bypassed"])
            )
        if rec["skirted"]:
            lines.append(
                "  skirted:     "
                + ", ".join(f"{s['name']} {s['min_km']:.1f} km" for s in rec["skirted"])
            )
        if rec["touches"]:
            lines.append(
                "  touches:     "
                + ", ".join(f"{s['name']} {s['km']:.1f} km" for s in rec["touches"])
                + "  (boundary precision, not transit)"
            )
        if rec["chokepoints"]:
            lines.append("  chokepoints: " + ", ".join(rec["chokepoints"]))
        if rec["chokepoints_avoided"]:
            lines.append("  avoids:      " + ", ".join(rec["chokepoints_avoided"]))
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"
