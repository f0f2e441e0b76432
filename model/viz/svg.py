"""Drawing primitives for the page's charts: SVG elements as text, in a plot box's coordinates.

Hand-drawn SVG keeps a Step cheap (a few kilobytes of text per view, no
plotting library, nothing fetched from the network) and every function here
is pure, so the views are testable without a browser. Nothing here knows the
model: :mod:`model.viz.components` draws the model with these.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass

WIDTH, HEIGHT = 560.0, 300.0
"""A chart's drawing size (px): the SVG scales it to the width of its column."""
SVG_STYLE = "width:100%;height:auto;display:block"
"""A chart fills its column's width and keeps its proportions, so its text scales with it (never below
the drawn size by much: the page's grid keeps a column at least about 480 px wide)."""


@dataclass(frozen=True)
class Axes:
    """A plot box and the data ranges it maps.

    Attributes:
        x0: Data value at the left edge.
        x1: Data value at the right edge.
        y0: Data value at the bottom edge.
        y1: Data value at the top edge.
        left: Left edge (px).
        top: Top edge (px).
        width: Width (px).
        height: Height (px).
    """

    x0: float
    x1: float
    y0: float
    y1: float
    left: float = 44.0
    top: float = 34.0
    width: float = WIDTH - 56.0
    height: float = HEIGHT - 62.0

    def x(self, value: float) -> float:
        """Pixel position of a data x value."""
        span = self.x1 - self.x0 or 1.0
        return self.left + (value - self.x0) / span * self.width

    def y(self, value: float) -> float:
        """Pixel position of a data y value."""
        span = self.y1 - self.y0 or 1.0
        return self.top + (1.0 - (value - self.y0) / span) * self.height

    @property
    def bottom(self) -> float:
        """Bottom edge (px)."""
        return self.top + self.height


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[low, high]``, about ``count`` of them."""
    span = high - low
    if span <= 0 or not math.isfinite(span):
        return [low]
    raw = span / max(count - 1, 1)
    magnitude = 10.0 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1.0, 2.0, 2.5, 5.0, 10.0) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9 * step:
        ticks.append(round(value, 10))
        value += step
    return ticks


def element(tag: str, text: str | None = None, /, **attrs: object) -> str:
    """One SVG element; ``stroke_width`` becomes ``stroke-width`` and ``cls`` becomes ``class``."""
    parts = []
    for key, value in attrs.items():
        name = "class" if key == "cls" else key.replace("_", "-")
        shown = px(value) if isinstance(value, float) else str(value)
        parts.append(f'{name}="{html.escape(shown)}"')
    opening = f"<{tag} {' '.join(parts)}"
    return f"{opening}/>" if text is None else f"{opening}>{html.escape(text)}</{tag}>"


def px(value: float) -> str:
    """A coordinate or length as SVG text, to a tenth of a pixel (not a value shown to a reader)."""
    return f"{value:.1f}"


def line_path(ax: Axes, xs: Sequence[float], ys: Sequence[float]) -> str:
    """SVG path data through the points, broken where a value is missing (NaN or None)."""
    parts: list[str] = []
    pen_down = False
    for x, y in zip(xs, ys):
        if y is None or not math.isfinite(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{px(ax.x(x))} {px(ax.y(y))}")
        pen_down = True
    return "".join(parts)


def band_path(ax: Axes, xs: Sequence[float], lows: Sequence[float], highs: Sequence[float]) -> str:
    """SVG path data of the closed area between two curves."""
    if not xs:
        return ""
    upper = [f"{px(ax.x(x))} {px(ax.y(h))}" for x, h in zip(xs, highs)]
    lower = [f"{px(ax.x(x))} {px(ax.y(lo))}" for x, lo in zip(reversed(xs), reversed(lows))]
    return "M" + "L".join(upper + lower) + "Z"


def runs(flags: Sequence[object]) -> list[tuple[int, int]]:
    """Index ranges ``[start, end]`` (inclusive) where the flags are true."""
    out: list[tuple[int, int]] = []
    start: int | None = None
    for i, flag in enumerate(flags):
        if flag and start is None:
            start = i
        elif not flag and start is not None:
            out.append((start, i - 1))
            start = None
    if start is not None:
        out.append((start, len(flags) - 1))
    return out


def shade(ax: Axes, xs: Sequence[float], flags: Sequence[object], colour: str, name: str) -> str:
    """Background columns over the rounds where ``flags`` hold."""
    rects = []
    for a, b in runs(flags):
        x_a = max(ax.left, ax.x(xs[a] - 0.5))
        x_b = min(ax.left + ax.width, ax.x(xs[b] + 0.5))
        rects.append(element("rect", cls=name, x=x_a, y=ax.top, width=max(x_b - x_a, 0.5), height=ax.height, fill=colour))
    return "".join(rects)


def vline(x: float, y1: float, y2: float, **style: object) -> str:
    """A vertical line at ``x`` from ``y1`` to ``y2`` (px), styled by :func:`element`'s attributes."""
    return element("line", x1=x, x2=x, y1=y1, y2=y2, **style)


def hline(x1: float, x2: float, y: float, **style: object) -> str:
    """A horizontal line at ``y`` from ``x1`` to ``x2`` (px), styled by :func:`element`'s attributes."""
    return element("line", x1=x1, x2=x2, y1=y, y2=y, **style)


def label_at(x: float, y: float, text: str, size: float = 10.0, anchor: str = "start", fill: str = "#555", **more: object) -> str:
    """A text label at ``(x, y)`` (px); ``more`` adds SVG attributes (``font_weight``, ``cls``, ...)."""
    return element("text", text, x=x, y=y, font_size=size, text_anchor=anchor, fill=fill, **more)


def x_ticks(ax: Axes, x_label: bool = True) -> str:
    """Tick marks and labels under the plot box, and the x axis's name unless ``x_label`` is false."""
    out = []
    for t in nice_ticks(ax.x0, ax.x1, 6):
        out.append(vline(ax.x(t), ax.bottom, ax.bottom + 4, stroke="#999"))
        out.append(label_at(ax.x(t), ax.bottom + 14, f"{t:g}", anchor="middle"))
    if x_label:
        out.append(label_at(ax.left + ax.width, ax.bottom + 26, "round (week)", anchor="end"))
    return "".join(out)


def frame(ax: Axes, y_ticks: Sequence[float], y_label: str, y_format: str = "{:g}", x_label: bool = True) -> str:
    """Axes, grid lines and tick labels."""
    out = [element("rect", x=ax.left, y=ax.top, width=ax.width, height=ax.height, fill="none", stroke="#bbb")]
    for t in y_ticks:
        out.append(hline(ax.left, ax.left + ax.width, ax.y(t), stroke="#eee"))
        out.append(label_at(ax.left - 4, ax.y(t) + 3.5, y_format.format(t), anchor="end"))
    out.append(x_ticks(ax, x_label))
    middle = ax.top + ax.height / 2
    out.append(label_at(10, middle, y_label, anchor="middle", transform=f"rotate(-90 10 {px(middle)})"))
    return "".join(out)


def legend(items: Sequence[tuple[str, str, str]], x: float = 8.0, y: float = 14.0) -> str:
    """A one-line legend: (label, colour, kind) with kind ``line``, ``dash``, ``dot``, ``band`` or ``box``."""
    out = []
    for label, colour, kind in items:
        if kind == "band":
            out.append(element("rect", x=x, y=y - 6, width=16, height=9, fill=colour, fill_opacity=0.3))
        elif kind == "box":
            out.append(element("rect", x=x, y=y - 6, width=16, height=9, fill=colour))
        elif kind == "dot":
            out.append(element("circle", cx=x + 8, cy=y - 1.5, r=3, fill=colour))
        else:
            dash = {"stroke_dasharray": "4 3"} if kind == "dash" else {}
            out.append(hline(x, x + 16, y - 1.5, stroke=colour, stroke_width=2, **dash))
        out.append(label_at(x + 20, y + 2, label, size=10.5, fill="#333"))
        x += 28 + 5.4 * len(label)
    return "".join(out)


def curve(ax: Axes, xs: Sequence[float], ys: Sequence[float], name: str, colour: str, width: float, dash: str = "") -> str:
    """A named line through the points (broken at missing values), ``dash`` an SVG dash pattern."""
    style: dict[str, object] = {"stroke_dasharray": dash} if dash else {}
    return element("path", cls=name, d=line_path(ax, xs, ys), fill="none", stroke=colour, stroke_width=width, **style)


def latest_dot(ax: Axes, xs: Sequence[float], ys: Sequence[float], colour: str, radius: float = 3.0) -> str:
    """A dot on the latest value, so that the present shows even before a line exists."""
    if not xs or ys[-1] is None or not math.isfinite(ys[-1]):
        return ""
    return element("circle", cx=ax.x(xs[-1]), cy=ax.y(ys[-1]), r=radius, fill=colour)


def document(body: str, height: float = HEIGHT) -> str:
    """An ``<svg>`` document around the drawn elements, scaled to its column."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:g} {height:g}" style="{SVG_STYLE};aspect-ratio:{WIDTH:g}/{height:g}" '
        f'preserveAspectRatio="xMidYMid meet" font-family="sans-serif">{body}</svg>'
    )
