"""A tiny SVG builder for the explorers' charts (modules 01 and 04), in plain Python.

Why not matplotlib: a participant's kernel should need nothing beyond the standard library, ipywidgets and anywidget,
so every module also runs in the browser alone (JupyterLite's Pyodide kernel installs pure-Python wheels; numpy,
pandas and matplotlib would add tens of megabytes to download and over 70 MiB to every hub kernel). The two charts
are a few lines, circles, rectangles and words; SVG says that directly, stays sharp when zoomed, and ``Chart``
(``quiz/access.py``) shows it as an image with a German text alternative.

Everything put into the drawing — labels, a company name from the profile — is escaped here, so hostile text stays
text. The drawing has an opaque white background: a dark JupyterLab theme must not put dark text on dark ground.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Iterable, Sequence

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
INK = "#1f1f1f"  # text: 16:1 on white
MUTED_INK = "#444444"  # axis labels and ticks: 9.7:1 on white
GRID = "#d5dde0"  # decoration only


def number(value: float) -> str:
    """A coordinate for SVG: at most two decimals, a point as decimal separator, no '-0'."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _attributes(attrs: dict[str, object]) -> str:
    """``stroke_width=2`` → `` stroke-width="2"``; floats as ``number``; None leaves the attribute out."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        shown = number(value) if isinstance(value, float) else str(value)
        parts.append(f' {key.rstrip("_").replace("_", "-")}="{html.escape(shown, quote=True)}"')
    return "".join(parts)


class Svg:
    """One drawing: add shapes and text in painting order, then ``render()`` the SVG document as a string."""

    def __init__(self, width: int, height: int, title: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self._parts: list[str] = []
        self.rect(0, 0, width, height, fill="#ffffff")

    def element(self, tag: str, content: str = "", **attrs: object) -> None:
        """A raw element; ``content`` must already be SVG (use ``text`` for words)."""
        opening = f"<{tag}{_attributes(attrs)}"
        self._parts.append(f"{opening}>{content}</{tag}>" if content else f"{opening}/>")

    def rect(self, x: float, y: float, width: float, height: float, **attrs: object) -> None:
        self.element("rect", x=float(x), y=float(y), width=float(width), height=float(height), **attrs)

    def circle(self, cx: float, cy: float, r: float, **attrs: object) -> None:
        self.element("circle", cx=float(cx), cy=float(cy), r=float(r), **attrs)

    def line(self, x1: float, y1: float, x2: float, y2: float, **attrs: object) -> None:
        self.element("line", x1=float(x1), y1=float(y1), x2=float(x2), y2=float(y2), **attrs)

    def polyline(self, points: Iterable[tuple[float, float]], **attrs: object) -> None:
        self.element("polyline", points=" ".join(f"{number(x)},{number(y)}" for x, y in points), fill="none",
                     **attrs)

    def text(self, x: float, y: float, lines: str | Sequence[str], *, size: float = 12, fill: str = INK,
             anchor: str = "start", line_height: float = 1.3, **attrs: object) -> None:
        """Words at (x, y) (the first line's baseline), one ``tspan`` per line; escaped."""
        lines = [lines] if isinstance(lines, str) else list(lines)
        spans = "".join(
            f'<tspan x="{number(x)}" dy="{number(0 if i == 0 else size * line_height)}">{html.escape(line)}</tspan>'
            for i, line in enumerate(lines)
        )
        self.element("text", spans, x=float(x), y=float(y), font_size=float(size), fill=fill, text_anchor=anchor,
                     **attrs)

    def render(self) -> str:
        """The SVG document (with its ``<title>``), ready for ``Chart.value``."""
        title = html.escape(self.title)
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{self.width}" height="{self.height}" '
            f'viewBox="0 0 {self.width} {self.height}" role="img" aria-label="{html.escape(self.title, quote=True)}" '
            f'font-family="{FONT}"><title>{title}</title>{"".join(self._parts)}</svg>'
        )


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters (SVG text does not wrap by itself); an empty text is one empty line."""
    return textwrap.wrap(text, width, break_long_words=True) or [""]


class LogScale:
    """Values from ``low`` to ``high`` (both > 0) onto pixels ``start``…``end`` on a base-10 log scale."""

    def __init__(self, low: float, high: float, start: float, end: float) -> None:
        low, high = max(low, 1e-9), max(high, 1e-9)
        self.low, self.high = math.log10(min(low, high)), math.log10(max(low, high))
        if self.high - self.low < 1e-9:  # a single value: one decade around it
            self.low, self.high = self.low - 0.5, self.high + 0.5
        self.start, self.end = start, end

    def __call__(self, value: float) -> float:
        share = (math.log10(max(value, 1e-9)) - self.low) / (self.high - self.low)
        return self.start + share * (self.end - self.start)

    def ticks(self, most: int = 6) -> list[float]:
        """Powers of ten inside the range (every second or third when there are many); 1-2-5 steps when the range
        holds fewer than two powers of ten, so the axis always has numbers to read."""
        first, last = math.ceil(self.low - 1e-9), math.floor(self.high + 1e-9)
        decades = [10.0**k for k in range(first, last + 1)]
        if len(decades) >= 2:
            step = math.ceil(len(decades) / most)
            return decades[::step]
        steps = [m * 10.0**k for k in range(first - 1, last + 1) for m in (1, 2, 5)]
        return [t for t in steps if self.low - 1e-9 <= math.log10(t) <= self.high + 1e-9]
