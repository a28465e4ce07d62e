"""One style: the web map and the print figure draw every leg from corridors.style."""

from __future__ import annotations

import itertools

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from corridors.data import Dataset
from corridors.model import Leg
from corridors.printmap.figure import SnapshotFigure
from corridors.printmap.layers import PX_TO_PT, line_look
from corridors.style import LINE_LABELS, dash_lengths, leg_look, legend_entries
from corridors.webmap import leg_style

MODES = ("rail", "road", "sea", "ferry")
STATUSES = ("operational", "under construction", "planned", "proposed", "closed")


def _leg(mode: str, status: str) -> Leg:
    return Leg("l", "Leg", mode, status, ((40.0, 40.0), (41.0, 40.0)), year=2017)  # type: ignore[arg-type]


@pytest.mark.parametrize(("mode", "status"), list(itertools.product(MODES, STATUSES)))
@pytest.mark.parametrize("year", [None, 2010, 2030])
def test_web_and_print_translate_the_same_look(
    mode: str, status: str, year: int | None, dashboard_dataset: Dataset
) -> None:
    leg = _leg(mode, status)
    look = leg_look(leg, "#0072B2", year=year)
    web = leg_style(leg, "#0072B2", year=year)
    assert (web["dash_array"], web["opacity"], web["weight"]) == (
        look.dash,
        look.opacity,
        look.width,
    )
    fig = Figure(figsize=(6.75, 6.75), dpi=100)
    FigureCanvasAgg(fig)
    route = dashboard_dataset.corridors[0]
    figure = SnapshotFigure(fig, dashboard_dataset, {}, None, routes=[route], selected=None)
    lw, linestyle, alpha = line_look(figure, route, leg)
    assert alpha == leg_look(leg, route.colour).opacity
    if leg_look(leg, route.colour).dash is None:
        assert linestyle == "solid"
    else:
        _, dashes = linestyle
        # matplotlib multiplies the pattern by the line width: undo it to compare with the screen.
        in_px = tuple(round(d * lw / (PX_TO_PT * figure.page.unit), 6) for d in dashes)
        assert in_px == dash_lengths(leg_look(leg, route.colour).dash)


def test_the_legend_lists_only_the_kinds_of_line_drawn() -> None:
    looks = [
        leg_look(_leg("rail", "operational"), "#000"),
        leg_look(_leg("ferry", "planned"), "#000"),
    ]
    rows = legend_entries([("BTK", "#E69F00")], looks)
    lines = [r.label for r in rows if r.section == "Lines"]
    assert lines == [LINE_LABELS["open"], LINE_LABELS["not built"]]
    assert not [r for r in rows if r.section in ("Points", "States")]
