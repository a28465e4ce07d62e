"""Tables of one route's analysis, legs and sources, as the dashboard and reports show them.

Plain pandas frames with readable column names; no Streamlit, so they are tested directly.
Every figure is rounded by :mod:`corridors.figures`, as on every other surface.
"""

from __future__ import annotations

import pandas as pd

from corridors.data import Dataset, cited_ids
from corridors.figures import format_share, format_status, km
from corridors.geometry import leg_km
from corridors.model import Analysis, Route
from corridors.provenance import source_urls


def km_by_state(analysis: Analysis) -> pd.DataFrame:
    """Return kilometres and share of the route in each state it crosses, in route order.

    The share is written out ("11.3%"), as in every sentence that gives it.
    """
    return pd.DataFrame(
        {
            "State": [s.name for s in analysis.transit],
            "ISO": [s.iso3 for s in analysis.transit],
            "km": [km(s.km) for s in analysis.transit],
            "Share": [format_share(s.share) for s in analysis.transit],
            "By canal": [s.via_canal for s in analysis.transit],
        }
    )


def km_by(pairs: tuple[tuple[str, float], ...], label: str) -> pd.DataFrame:
    """Return a two-column table of kilometres by mode or status (``Analysis.km_by_*``)."""
    return pd.DataFrame({label: [k for k, _ in pairs], "km": [km(v) for _, v in pairs]})


def skirted(analysis: Analysis) -> pd.DataFrame:
    """Return the states the route passes near without entering, nearest first."""
    return pd.DataFrame(
        {
            "State": [s.name for s in analysis.skirted],
            "ISO": [s.iso3 for s in analysis.skirted],
            "Nearest km": [km(s.min_km) for s in analysis.skirted],
        }
    )


def legs(route: Route, dataset: Dataset) -> pd.DataFrame:
    """Return the route's legs in travel order with status as of its date, lengths and sources.

    "Sources" holds the ids of the facts each leg cites and "Links" the addresses of their
    source notes, so a reader can check every status shown.
    """
    return pd.DataFrame(
        {
            "Leg": [leg.name for leg in route.legs],
            "Mode": [leg.mode for leg in route.legs],
            "Status": [format_status(leg.status, leg.as_of) for leg in route.legs],
            "Year": pd.array([leg.year for leg in route.legs], dtype="Int64"),
            "Closed": pd.array([leg.closed_year for leg in route.legs], dtype="Int64"),
            "km": [km(leg_km(leg)) for leg in route.legs],
            "km stated": [leg.length_km_stated for leg in route.legs],
            "Sources": [", ".join(leg.sources) for leg in route.legs],
            "Links": [source_urls(dataset, leg.sources) for leg in route.legs],
        }
    )


def sources(route: Route, dataset: Dataset) -> pd.DataFrame:
    """Return every fact the route cites, with its status and source, in fact-id order."""
    rows = []
    for fact_id, places in sorted(cited_ids(route).items()):
        fact = dataset.facts.get(fact_id)
        source = dataset.fact_source.get(fact_id)
        if fact is None or source is None:
            continue  # validate_references has already refused such a dataset
        rows.append(
            {
                "Fact": fact.text,
                "Status": fact.status,
                "Source": source.title,
                "Publisher": source.publisher,
                "Date": source.date,
                "Checked": source.checked,
                # Only web links: a javascript: or data: URL in a source note must not be clickable.
                "URL": source.url if source.url.startswith(("https://", "http://")) else "",
                "Cited by": ", ".join(sorted(places)),
            }
        )
    columns = ["Fact", "Status", "Source", "Publisher", "Date", "Checked", "URL", "Cited by"]
    return pd.DataFrame(rows, columns=columns)
