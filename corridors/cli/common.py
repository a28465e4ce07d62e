"""What every subcommand shares: loading the data once, checking route ids, the usage error."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from corridors.cache import cached_analyses, inputs_key
from corridors.data import (
    BOUNDARIES_FILE,
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
    """The data of one command; the boundaries and analyses are loaded when first asked for.

    A report needs only the analyses, which come from the on-disk cache (:mod:`corridors.cache`)
    while the data is unchanged: it never reads the boundaries.
    """

    dataset: Dataset
    data_dir: Path
    min_transit_km: float = MIN_TRANSIT_KM
    skirt_km: float = SKIRT_KM
    boundaries: Path = BOUNDARIES_FILE

    @cached_property
    def index(self) -> StateIndex:
        """The state boundaries behind their spatial index."""
        return StateIndex(load_states(self.boundaries))

    @cached_property
    def analyses(self) -> dict[str, Analysis]:
        """Every route's analysis, from the cache when the inputs are those it was made from."""

        def compute() -> dict[str, Analysis]:
            return analyse_routes(
                self.dataset.routes,
                self.index,
                self.dataset.chokepoints,
                min_transit_km=self.min_transit_km,
                skirt_km=self.skirt_km,
            )

        routes = sorted((self.data_dir / "routes").glob("*.geojson"))
        files = [*routes, self.data_dir / "chokepoints.geojson", self.boundaries]
        try:
            key = inputs_key(files, min_transit_km=self.min_transit_km, skirt_km=self.skirt_km)
        except OSError:  # the dataset loaded, so this is a file changing under us: no cache
            return compute()
        return cached_analyses(key, compute)


def load_all(
    *,
    data_dir: Path = DATA_DIR,
    seeds_dir: Path = SEEDS_DIR,
    min_transit_km: float = MIN_TRANSIT_KM,
    skirt_km: float = SKIRT_KM,
    boundaries: Path = BOUNDARIES_FILE,
) -> Loaded:
    """Load and check the data (the bundled data unless told otherwise), to analyse on demand."""
    dataset = load_dataset(data_dir, seeds_dir)
    return Loaded(
        dataset, data_dir, min_transit_km=min_transit_km, skirt_km=skirt_km, boundaries=boundaries
    )


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
