"""The printed page around the map: type sizes, wrapped text, the header and the footer.

Sizes are in points and inches scaled by :attr:`Page.unit` (1 on a 16:9 slide 6.75 inches high),
so a square post, a slide and an A4 page share one look.
"""

from __future__ import annotations

from dataclasses import dataclass

from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from corridors.printmap.cartography import BBox, conic_parallels

INK = "#222222"
MUTED = "#6b6b6b"
#: ``gid`` of the caption under the title (the SVG keeps it as the text's id).
CAPTION_GID = "caption"
#: Words' widths in pixels by ``(word, size, weight, dpi)``, kept between pages: the credit
#: line and the legend repeat from one export to the next, and measuring a word costs as much
#: as laying it out. Emptied when it grows past :data:`_MAX_WIDTHS`.
_WIDTHS: dict[tuple[str, float, str, float], float] = {}
_MAX_WIDTHS = 20_000


def plain(text: str) -> str:
    """Escape dollar signs, which matplotlib would otherwise read as mathematics."""
    return text.replace("$", r"\$")


def _lat(lat: float) -> str:
    return f"{abs(lat):.1f}°{'N' if lat >= 0 else 'S'}"


@dataclass(frozen=True)
class Page:
    """Type sizes (points) and margins (inches) for a page ``width`` x ``height`` inches."""

    width: float
    height: float
    dpi: float

    @property
    def unit(self) -> float:
        """Scale of everything: 1 on a 16:9 slide 6.75 inches high."""
        return min(self.width, self.height) / 6.75

    @property
    def title(self) -> float:
        """Title size."""
        return 20 * self.unit

    @property
    def subtitle(self) -> float:
        """Subtitle size."""
        return 12 * self.unit

    @property
    def label(self) -> float:
        """Label size."""
        return 9.5 * self.unit

    @property
    def small(self) -> float:
        """Small text size."""
        return 8 * self.unit

    @property
    def footer(self) -> float:
        """Footer size."""
        return 7 * self.unit

    @property
    def margin(self) -> float:
        """Page margin (inches)."""
        return 0.3 * self.unit

    def px(self, points: float) -> float:
        """Return a length in points as display pixels."""
        return points * self.dpi / 72


class Sheet:
    """A figure being laid out as a page: its sizes, and a renderer to measure text with."""

    def __init__(self, fig: Figure) -> None:
        self.fig = fig
        width, height = fig.get_size_inches()
        self.page = Page(float(width), float(height), float(fig.dpi))
        self.renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]

    def fit_lines(
        self, text: str, width_in: float, size: float, max_lines: int, *, weight: str = "normal"
    ) -> list[str]:
        """Wrap ``text`` to ``width_in`` inches as rendered, ending with an ellipsis if cut.

        Each word is measured once (:data:`_WIDTHS`) and a line's width is their sum with the
        spaces: measuring every growing line again took seconds for a long credit.
        """
        if not text:
            return []
        limit = width_in * self.page.dpi

        def line_width(words: list[str]) -> float:
            return self._words_width(words, size, weight)

        rows: list[list[str]] = []
        for word in text.split():
            if rows and line_width([*rows[-1], word]) <= limit:
                rows[-1].append(word)
            else:
                rows.append([word])
        lines = [" ".join(row) for row in rows]
        if len(rows) > max_lines:
            rest = [w for row in rows[max_lines - 1 :] for w in row]
            while len(rest) > 1 and line_width([*rest, "..."]) > limit:
                rest.pop()
            last = " ".join(rest)
            lines = [*lines[: max_lines - 1], last + " ..."]
        return lines

    def line_width(self, text: str, size: float, *, weight: str = "normal") -> float:
        """Return the width (inches) of ``text`` set on one line, as :meth:`fit_lines` sees it."""
        return self._words_width(text.split(), size, weight) / self.page.dpi

    def _words_width(self, words: list[str], size: float, weight: str) -> float:
        """Return the width (pixels) of ``words`` on one line, each word measured once."""

        def width(word: str) -> float:
            key = (word, size, weight, self.page.dpi)
            if key not in _WIDTHS:
                if len(_WIDTHS) >= _MAX_WIDTHS:
                    _WIDTHS.clear()
                font = FontProperties(family="DejaVu Sans", size=size, weight=weight)
                _WIDTHS[key] = self.renderer.get_text_width_height_descent(
                    word, font, ismath=False
                )[0]
            return _WIDTHS[key]

        if not words:
            return 0.0
        space = width("a a") - 2 * width("a")
        return sum(width(w) for w in words) + space * (len(words) - 1)

    def header(self, title: str, subtitle: str, caption: str, width: float) -> float:
        """Draw title, subtitle and caption from the top margin down; return their end (inches)."""
        p = self.page
        top = p.height - p.margin
        size = p.title
        lines = self.fit_lines(title, width, size, 1, weight="bold")
        if lines and lines[0].endswith("..."):  # too long for one line: smaller, on two
            size *= 0.8
            lines = self.fit_lines(title, width, size, 2, weight="bold")
        for line in lines:
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                plain(line),
                fontsize=size,
                fontweight="bold",
                color=INK,
                va="top",
            )
            top -= size * 1.4 / 72
        for line in self.fit_lines(subtitle, width, p.subtitle, 2):
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                plain(line),
                fontsize=p.subtitle,
                color=MUTED,
                va="top",
            )
            top -= p.subtitle * 1.35 / 72
        for line in self.fit_lines(caption, width, p.small * 1.1, 3):
            self.fig.text(
                p.margin / p.width,
                top / p.height,
                plain(line),
                fontsize=p.small * 1.1,
                color=INK,
                va="top",
                gid=CAPTION_GID,
            )
            top -= p.small * 1.1 * 1.35 / 72
        return top

    def footer(self, credit: str, extent: BBox, date: str, width: float) -> float:
        """Draw the credit, projection note and date; return the map's lowest edge (inches)."""
        p = self.page
        lat1, lat2 = conic_parallels(extent)
        note = (
            f"Equidistant conic projection, true to scale along meridians and at {_lat(lat1)} and "
            f"{_lat(lat2)}; scale bar measured on the WGS 84 ellipsoid where it is drawn."
        )
        date_width = len(date) * p.footer * 0.7 / 72 + 0.3 * p.unit
        lines = [
            *self.fit_lines(credit, width - date_width, p.footer, 3),
            *self.fit_lines(note, width, p.footer, 2),
        ]
        step = p.footer * 1.4 / 72
        top = 0.35 * p.margin + len(lines) * step
        self.fig.text(
            1 - p.margin / p.width,
            top / p.height,
            date,
            fontsize=p.footer,
            color=INK,
            va="top",
            ha="right",
            fontweight="bold",
        )
        for i, line in enumerate(lines):
            self.fig.text(
                p.margin / p.width,
                (top - i * step) / p.height,
                plain(line),
                fontsize=p.footer,
                color=MUTED,
                va="top",
            )
        return top + 0.5 * p.margin
