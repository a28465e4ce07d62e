"""Check that route colours stay apart for viewers with a colour-vision deficiency.

Each colour is seen through Machado, Oliveira & Fernandes' simulation of full protanopia,
deuteranopia and tritanopia (IEEE TVCG 15(6), 2009; severity 1.0 matrices, applied to linear
RGB), then every pair is compared with the CIEDE2000 colour difference (Sharma, Wu & Dalal,
Color Res. Appl. 30(1), 2005) in CIELAB under D65.

``MIN_DELTA_E = 10``: a CIEDE2000 difference of about 1 is just noticeable between two large
patches side by side; thin lines apart on a map need far more. The Okabe-Ito palette, designed
for colour-blind readers and used for the routes, keeps every pair of its colours at 10.9 or more
under all three simulations, so 10 is the floor it meets and the one a new colour must meet too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import combinations
from typing import Literal

import numpy as np

Deficiency = Literal["normal", "protanopia", "deuteranopia", "tritanopia"]
DEFICIENCIES: tuple[Deficiency, ...] = ("normal", "protanopia", "deuteranopia", "tritanopia")
MIN_DELTA_E = 10.0

_MACHADO: dict[Deficiency, np.ndarray] = {
    "normal": np.eye(3),
    "protanopia": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deuteranopia": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
    "tritanopia": np.array(
        [
            [1.255528, -0.076749, -0.178779],
            [-0.078411, 0.930809, 0.147602],
            [0.004733, 0.691367, 0.303900],
        ]
    ),
}
# sRGB (linear) to CIE XYZ, D65 white (IEC 61966-2-1).
_RGB_TO_XYZ = np.array(
    [
        [0.4124564, 0.3575761, 0.1804375],
        [0.2126729, 0.7151522, 0.0721750],
        [0.0193339, 0.1191920, 0.9503041],
    ]
)
_D65 = _RGB_TO_XYZ.sum(axis=1)
_SRGB_KNEE = 0.04045  # where the sRGB transfer curve turns from linear to a power law
_HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def _linear(hex_colour: str) -> np.ndarray:
    if not _HEX.match(hex_colour):
        msg = f"colour must be '#RRGGBB', got {hex_colour!r}"
        raise ValueError(msg)
    srgb = np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    return np.where(srgb <= _SRGB_KNEE, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)


def to_lab(hex_colour: str, deficiency: Deficiency = "normal") -> tuple[float, float, float]:
    """Return the CIELAB (D65) coordinates of a colour as seen with a deficiency.

    Examples
    --------
    >>> [round(v, 1) for v in to_lab("#ffffff")]
    [100.0, 0.0, 0.0]
    """
    rgb = np.clip(_MACHADO[deficiency] @ _linear(hex_colour), 0.0, 1.0)
    xyz = (_RGB_TO_XYZ @ rgb) / _D65
    eps, kappa = 216 / 24389, 24389 / 27
    f = np.where(xyz > eps, np.cbrt(xyz), (kappa * xyz + 16) / 116)
    return float(116 * f[1] - 16), float(500 * (f[0] - f[1])), float(200 * (f[1] - f[2]))


def delta_e_2000(lab1: tuple[float, float, float], lab2: tuple[float, float, float]) -> float:
    """Return the CIEDE2000 difference between two CIELAB colours (Sharma et al. 2005).

    Examples
    --------
    >>> round(delta_e_2000((50.0, 2.6772, -79.7751), (50.0, 0.0, -82.7485)), 4)
    2.0425
    """
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_bar = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_bar**7 / (c_bar**7 + 25**7)))
    a1p, a2p = a1 * (1 + g), a2 * (1 + g)
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dl, dc = l2 - l1, c2p - c1p
    dh = h2p - h1p
    if c1p * c2p == 0:
        dh = 0.0
    elif dh > 180:
        dh -= 360
    elif dh < -180:
        dh += 360
    big_dh = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dh / 2))
    l_bar, c_bar_p = (l1 + l2) / 2, (c1p + c2p) / 2
    h_sum = h1p + h2p
    if c1p * c2p == 0:
        h_bar = h_sum
    elif abs(h1p - h2p) <= 180:
        h_bar = h_sum / 2
    else:
        h_bar = (h_sum + 360) / 2 if h_sum < 360 else (h_sum - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_bar - 30))
        + 0.24 * math.cos(math.radians(2 * h_bar))
        + 0.32 * math.cos(math.radians(3 * h_bar + 6))
        - 0.20 * math.cos(math.radians(4 * h_bar - 63))
    )
    s_l = 1 + 0.015 * (l_bar - 50) ** 2 / math.sqrt(20 + (l_bar - 50) ** 2)
    s_c = 1 + 0.045 * c_bar_p
    s_h = 1 + 0.015 * c_bar_p * t
    r_c = 2 * math.sqrt(c_bar_p**7 / (c_bar_p**7 + 25**7))
    r_t = -math.sin(math.radians(2 * 30 * math.exp(-(((h_bar - 275) / 25) ** 2)))) * r_c
    return math.sqrt(
        (dl / s_l) ** 2 + (dc / s_c) ** 2 + (big_dh / s_h) ** 2 + r_t * (dc / s_c) * (big_dh / s_h)
    )


@dataclass(frozen=True)
class ColourClash:
    """Two colours too alike for viewers with one deficiency."""

    first: str
    second: str
    deficiency: Deficiency
    delta_e: float


def colour_clashes(
    colours: Mapping[str, str], *, min_delta_e: float = MIN_DELTA_E
) -> list[ColourClash]:
    """Return every pair of labelled colours closer than ``min_delta_e`` for some viewer.

    Labels sharing one colour on purpose (all baselines in grey, say) are compared once, under
    the first label.
    """
    unique: dict[str, str] = {}
    for label, colour in colours.items():
        unique.setdefault(colour.lower(), label)
    clashes = []
    for deficiency in DEFICIENCIES:
        labs = {colour: to_lab(colour, deficiency) for colour in unique}
        for a, b in combinations(unique, 2):
            delta = delta_e_2000(labs[a], labs[b])
            if delta < min_delta_e:
                clashes.append(ColourClash(unique[a], unique[b], deficiency, delta))
    return clashes
