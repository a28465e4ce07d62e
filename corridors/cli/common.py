"""What every subcommand shares: loading the data once, checking route ids, the usage error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from corridors.data import (
    DATA_DIR,
    SEEDS_DIR,
    Dataset,
    load_dataset,
    load_states,
)
from corridors.geometry import MIN_TRANSIT_KM, SKIRT_KM, StateIndex, analyse_routes
from corridors.model import Analysis


@dataclass(frozen=True)
class Loaded:
    """Data, boundaries and analyses, loaded once per command."""

    dataset: Dataset
    index: StateIndex
    analyses: dict[str, Analysis]


def load_all(
    *,
    data_dir: Path = DATA_DIR,
    seeds_dir: Path = SEEDS_DIR,
    min_transit_km: float = MIN_TRANSIT_KM,
    skirt_km: float = SKIRT_KM,
) -> Loaded:
    """Load and analyse the data (the bundled data unless told otherwise)."""
    dataset = load_dataset(data_dir, seeds_dir)
    index = StateIndex(load_states())
    analyses = analyse_routes(
        dataset.routes, index, dataset.chokepoints, min_transit_km=min_transit_km, skirt_km=skirt_km
    )
    return Loaded(dataset, index, analyses)


def route_ids(dataset: Dataset, wanted: Sequence[str] | None, *, baselines: bool) -> list[str]:
    """Return the route ids to report, checking each requested id exists."""
    if wanted:
        unknown = [w for w in wanted if w not in dataset.routes]
        if unknown:
            known = ", ".join(sorted(dataset.routes))
            msg = f"unknown corridor id(s): {', '.join(unknown)} (known: {known})"
            raise CliError(msg)
        return list(wanted)
    ids = [r.id for r in dataset.corridors]
    if baselines:
        ids += [r.id for r in dataset.baselines]
    return ids


class CliError(Exception):
    """A bad argument: printed as one line, exit code 2."""
