"""Route colours stay apart for viewers with protanopia, deuteranopia or tritanopia."""

from __future__ import annotations

import pytest

from corridors.colourblind import (
    DEFICIENCIES,
    MIN_DELTA_E,
    colour_clashes,
    delta_e_2000,
    to_lab,
)
from corridors.data import load_dataset
from corridors.style import BASELINE_GREY

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")


@pytest.mark.parametrize(
    ("lab1", "lab2", "expected"),
    [
        # Sharma, Wu & Dalal (2005), table 1: pairs 1, 7, 17 and 34.
        ((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485), 2.0425),
        ((50.0, 0.0, 0.0), (50.0, -1.0, 2.0), 2.3669),
        ((50.0, 2.5, 0.0), (73.0, 25.0, -18.0), 27.1492),
        ((2.0776, 0.0795, -1.1350), (0.9033, -0.0636, -0.5514), 0.9082),
    ],
)
def test_ciede2000_matches_sharmas_test_data(lab1: tuple, lab2: tuple, expected: float) -> None:
    assert delta_e_2000(lab1, lab2) == pytest.approx(expected, abs=1e-4)
    assert delta_e_2000(lab2, lab1) == pytest.approx(expected, abs=1e-4)


def test_simulation_keeps_grey_grey_and_merges_red_with_green() -> None:
    for deficiency in DEFICIENCIES:
        _, a, b = to_lab("#808080", deficiency)
        assert (a, b) == pytest.approx((0, 0), abs=1.5)
    red, green = to_lab("#d62728"), to_lab("#2ca02c")
    assert delta_e_2000(red, green) > 50
    assert delta_e_2000(to_lab("#d62728", "deuteranopia"), to_lab("#2ca02c", "deuteranopia")) < 15


def test_okabe_ito_passes_and_red_green_fails() -> None:
    assert colour_clashes(dict(zip(OKABE_ITO, OKABE_ITO, strict=True))) == []
    clashes = colour_clashes({"red": "#d62728", "green": "#2ca02c"})
    assert {c.deficiency for c in clashes} >= {"deuteranopia"}
    assert all(c.delta_e < MIN_DELTA_E for c in clashes)


def test_a_colour_shared_on_purpose_is_not_a_clash() -> None:
    assert colour_clashes({"a": "#666666", "b": "#666666", "c": "#0072B2"}) == []


def test_bad_colours_are_refused() -> None:
    with pytest.raises(ValueError, match="#RRGGBB"):
        to_lab("red")


@pytest.fixture(scope="module")
def corridor_colours() -> dict[str, str]:
    return {r.id: r.colour for r in load_dataset().corridors}


def test_the_route_colours_in_the_data_are_distinguishable(
    corridor_colours: dict[str, str],
) -> None:
    """Every corridor's colour and each baseline's, as the route files give them."""
    baselines = {r.id: r.colour for r in load_dataset().baselines}
    assert colour_clashes({**corridor_colours, **baselines}) == []


def test_the_route_colours_on_the_map_are_distinguishable(
    corridor_colours: dict[str, str],
) -> None:
    """Every corridor's colour and the grey the map draws all baselines in."""
    assert colour_clashes({**corridor_colours, "baselines": BASELINE_GREY}) == []
