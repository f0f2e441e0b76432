"""The browser page's domain views: light SVG and HTML drawn from a model's per-round record.

Each view is a pure function ``model -> str`` (an HTML fragment with an inline
SVG chart) plus a thin Solara component that shows it. Hand-drawn SVG keeps a
Step cheap (a few kilobytes of text per view, no plotting library, nothing
fetched from the network) and the functions are testable without a browser.

The views read the model's public state (``battlefield``, ``russia``,
``ukraine``, ``agreed``, ``on_table``, ``open_step``, ``confidence``,
``ceasefire``, ``proposal``, ``status``, ``table_state()``, ...) and the per-round record its DataCollector
keeps (``model.datacollector.model_vars``, the columns of ``_REPORTERS``).
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import solara

from model.issues import ISSUE_INDEX, STEP_ISSUES, Step
from model.model import WarTerminationModel
from model.outcome import OutcomeKind, Side

RUSSIA = "#b2182b"
UKRAINE = "#2166ac"
TRUTH = "#111111"
FRONT = "#8c6d31"
MEDIATOR = "#762a83"
PROPOSAL = "#1b7837"
CEASEFIRE_SHADE = "#dbe8f5"
RANGE_SHADE = "#d9f0d3"
VIOLATION = "#e08214"
MUTED = "#777777"

STEP_NAMES: dict[Step, str] = {
    Step.CEASEFIRE: "Ceasefire",
    Step.STATUS: "International status",
    Step.TERRITORY: "Territory",
    Step.EUROPEAN_SECURITY: "European security",
}

STEP_SHORT: dict[Step, str] = {
    Step.CEASEFIRE: "Ceasefire",
    Step.STATUS: "Intl. status",
    Step.TERRITORY: "Territory",
    Step.EUROPEAN_SECURITY: "Eur. security",
}
"""The names that fit a step's box in the plan view (the full name shows on hover)."""


class StepState(StrEnum):
    """Where a step of the plan stands after the round on screen (the plan view draws each differently)."""

    AGREED = "agreed"
    ON_TABLE = "on-table"
    WAITING = "waiting"
    NOT_YET = "not-yet"


STEP_STATE_TEXT: dict[StepState, str] = {
    StepState.AGREED: "agreed ✓",
    StepState.ON_TABLE: "on the table",
    StepState.WAITING: "waits for confidence",
    StepState.NOT_YET: "not yet",
}

STATUS_COLOURS: dict[str, str] = {
    "war": "#b2182b",
    "ceasefire": "#2166ac",
    "settlement": "#1b7837",
    "victory": "#4d4d4d",
}

_WIDTH, _HEIGHT = 560.0, 300.0
_SVG_STYLE = "width:100%;height:300px;display:block"


# ----------------------------------------------------------------------
# Drawing helpers
# ----------------------------------------------------------------------
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
    width: float = _WIDTH - 56.0
    height: float = _HEIGHT - 62.0

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


def _el(tag: str, text: str | None = None, /, **attrs: object) -> str:
    """One SVG element; ``stroke_width`` becomes ``stroke-width`` and ``cls`` becomes ``class``."""
    parts = []
    for key, value in attrs.items():
        name = "class" if key == "cls" else key.replace("_", "-")
        shown = _fmt(value) if isinstance(value, float) else str(value)
        parts.append(f'{name}="{html.escape(shown)}"')
    opening = f"<{tag} {' '.join(parts)}"
    return f"{opening}/>" if text is None else f"{opening}>{html.escape(text)}</{tag}>"


def _fmt(value: float) -> str:
    return f"{value:.1f}"


def line_path(ax: Axes, xs: Sequence[float], ys: Sequence[float]) -> str:
    """SVG path data through the points, broken where a value is missing (NaN or None)."""
    parts: list[str] = []
    pen_down = False
    for x, y in zip(xs, ys):
        if y is None or not math.isfinite(y):
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(ax.x(x))} {_fmt(ax.y(y))}")
        pen_down = True
    return "".join(parts)


def band_path(ax: Axes, xs: Sequence[float], lows: Sequence[float], highs: Sequence[float]) -> str:
    """SVG path data of the closed area between two curves."""
    if not xs:
        return ""
    upper = [f"{_fmt(ax.x(x))} {_fmt(ax.y(h))}" for x, h in zip(xs, highs)]
    lower = [f"{_fmt(ax.x(x))} {_fmt(ax.y(lo))}" for x, lo in zip(reversed(xs), reversed(lows))]
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


def _shade(ax: Axes, xs: Sequence[float], flags: Sequence[object], colour: str, name: str) -> str:
    """Background columns over the rounds where ``flags`` hold."""
    rects = []
    for a, b in runs(flags):
        x_a = max(ax.left, ax.x(xs[a] - 0.5))
        x_b = min(ax.left + ax.width, ax.x(xs[b] + 0.5))
        rects.append(_el("rect", cls=name, x=x_a, y=ax.top, width=max(x_b - x_a, 0.5), height=ax.height, fill=colour))
    return "".join(rects)


def _vline(x: float, y1: float, y2: float, **style: object) -> str:
    return _el("line", x1=x, x2=x, y1=y1, y2=y2, **style)


def _hline(x1: float, x2: float, y: float, **style: object) -> str:
    return _el("line", x1=x1, x2=x2, y1=y, y2=y, **style)


def _label(x: float, y: float, text: str, size: float = 10.0, anchor: str = "start", fill: str = "#555", **more: object) -> str:
    return _el("text", text, x=x, y=y, font_size=size, text_anchor=anchor, fill=fill, **more)


def _x_ticks(ax: Axes, x_label: bool = True) -> str:
    out = []
    for t in nice_ticks(ax.x0, ax.x1, 6):
        out.append(_vline(ax.x(t), ax.bottom, ax.bottom + 4, stroke="#999"))
        out.append(_label(ax.x(t), ax.bottom + 14, f"{t:g}", anchor="middle"))
    if x_label:
        out.append(_label(ax.left + ax.width, ax.bottom + 26, "round (week)", anchor="end"))
    return "".join(out)


def _frame(ax: Axes, y_ticks: Sequence[float], y_label: str, y_format: str = "{:g}", x_label: bool = True) -> str:
    """Axes, grid lines and tick labels."""
    out = [_el("rect", x=ax.left, y=ax.top, width=ax.width, height=ax.height, fill="none", stroke="#bbb")]
    for t in y_ticks:
        out.append(_hline(ax.left, ax.left + ax.width, ax.y(t), stroke="#eee"))
        out.append(_label(ax.left - 4, ax.y(t) + 3.5, y_format.format(t), anchor="end"))
    out.append(_x_ticks(ax, x_label))
    middle = ax.top + ax.height / 2
    out.append(_label(10, middle, y_label, anchor="middle", transform=f"rotate(-90 10 {_fmt(middle)})"))
    return "".join(out)


def _legend(items: Sequence[tuple[str, str, str]], x: float = 8.0, y: float = 14.0) -> str:
    """A one-line legend: (label, colour, kind) with kind ``line``, ``dash``, ``dot``, ``band`` or ``box``."""
    out = []
    for label, colour, kind in items:
        if kind == "band":
            out.append(_el("rect", x=x, y=y - 6, width=16, height=9, fill=colour, fill_opacity=0.3))
        elif kind == "box":
            out.append(_el("rect", x=x, y=y - 6, width=16, height=9, fill=colour))
        elif kind == "dot":
            out.append(_el("circle", cx=x + 8, cy=y - 1.5, r=3, fill=colour))
        else:
            dash = {"stroke_dasharray": "4 3"} if kind == "dash" else {}
            out.append(_hline(x, x + 16, y - 1.5, stroke=colour, stroke_width=2, **dash))
        out.append(_label(x + 20, y + 2, label, size=10.5, fill="#333"))
        x += 28 + 5.4 * len(label)
    return "".join(out)


def _curve(ax: Axes, xs: Sequence[float], ys: Sequence[float], name: str, colour: str, width: float, dash: str = "") -> str:
    style: dict[str, object] = {"stroke_dasharray": dash} if dash else {}
    return _el("path", cls=name, d=line_path(ax, xs, ys), fill="none", stroke=colour, stroke_width=width, **style)


def _now(ax: Axes, xs: Sequence[float], ys: Sequence[float], colour: str, radius: float = 3.0) -> str:
    """A dot on the latest value, so that the present shows even before a line exists."""
    if not xs or ys[-1] is None or not math.isfinite(ys[-1]):
        return ""
    return _el("circle", cx=ax.x(xs[-1]), cy=ax.y(ys[-1]), r=radius, fill=colour)


def _svg(body: str, height: float = _HEIGHT) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_WIDTH:g} {height:g}" style="{_SVG_STYLE}" '
        f'preserveAspectRatio="xMidYMid meet" font-family="sans-serif">{body}</svg>'
    )


def _card(testid: str, title: str, subtitle: str, body: str, model: WarTerminationModel) -> str:
    """A titled block; ``data-testid`` and ``data-round`` let tests find it and see it change."""
    return (
        f'<div data-testid="{testid}" data-round="{model.steps}" style="padding:4px 8px;background:white">'
        f'<div style="font-weight:600;font-size:15px">{html.escape(title)}</div>'
        f'<div style="font-size:12px;color:#555;margin-bottom:2px">{subtitle}</div>{body}</div>'
    )


def record(model: WarTerminationModel) -> dict[str, list[Any]]:
    """The model's per-round record, one list per column of ``_REPORTERS``."""
    return model.datacollector.model_vars


def _x_range(model: WarTerminationModel) -> tuple[float, float]:
    return 0.0, float(max(model.max_rounds, model.steps, 1))


# ----------------------------------------------------------------------
# The views
# ----------------------------------------------------------------------
def battlefield_view(model: WarTerminationModel) -> str:
    """The front and the true balance of power over time, with each side's belief (mean +- 1 sd).

    Args:
        model: The running model.

    Returns:
        An HTML fragment with an SVG chart.
    """
    rec = record(model)
    xs = [float(r) for r in rec["round"]]
    ax = Axes(*_x_range(model), 0.0, 1.0)
    body = [_shade(ax, xs, rec["ceasefire"], CEASEFIRE_SHADE, "ceasefire"), _frame(ax, [0, 0.25, 0.5, 0.75, 1.0], "share / probability")]
    shock = int(model.battlefield.shock_round)
    if 0 < shock <= ax.x1 and model.battlefield.shock_size:
        body.append(_vline(ax.x(shock), ax.top, ax.bottom, stroke="#999", stroke_dasharray="2 3"))
        body.append(_label(ax.x(shock) + 3, ax.bottom - 4, "shock", size=9.5))
    for side, colour in (("russia", RUSSIA), ("ukraine", UKRAINE)):
        means, sds = rec[f"belief_{side}"], rec[f"belief_sd_{side}"]
        lows = [max(0.0, m - s) for m, s in zip(means, sds)]
        highs = [min(1.0, m + s) for m, s in zip(means, sds)]
        body.append(_el("path", cls=f"band-{side}", d=band_path(ax, xs, lows, highs), fill=colour, fill_opacity=0.15, stroke="none"))
        body.append(_curve(ax, xs, means, f"belief-{side}", colour, 1.6) + _now(ax, xs, means, colour, 2.5))
    body.append(_curve(ax, xs, rec["mediator_estimate"], "mediator", MEDIATOR, 1.2, "1 2"))
    body.append(_curve(ax, xs, rec["balance"], "balance", TRUTH, 2.0, "5 3") + _now(ax, xs, rec["balance"], TRUTH, 2.5))
    body.append(_curve(ax, xs, rec["front"], "front", FRONT, 2.8) + _now(ax, xs, rec["front"], FRONT, 3.5))
    legend = [
        ("front (Russian share)", FRONT, "line"),
        ("true balance", TRUTH, "dash"),
        ("Russia's belief", RUSSIA, "band"),
        ("Ukraine's belief", UKRAINE, "band"),
        ("IFG estimate", MEDIATOR, "dash"),
    ]
    body.append(_legend(legend))
    front, balance = rec["front"][-1], rec["balance"][-1]
    subtitle = (
        f"Russia holds <b>{front:.0%}</b> of the contested territory and wins an engagement with probability "
        f"<b>{balance:.2f}</b>; Russia believes <b>{model.russia.believed_balance:.2f}</b>, "
        f"Ukraine <b>{model.ukraine.believed_balance:.2f}</b> (bands: ±1 sd; blue columns: ceasefire)"
    )
    return _card("battlefield-view", "Front and balance of power", subtitle, _svg("".join(body)), model)


def _panel(ax: Axes, xs: Sequence[float], rec: dict[str, list[Any]], side: str, colour: str, x_label: bool) -> str:
    war = rec[f"war_value_{side}"]
    body = [_shade(ax, xs, rec["bargaining_range"], RANGE_SHADE, "range")]
    body.append(_frame(ax, nice_ticks(ax.y0, ax.y1, 4), "utility / round", "{:.2g}", x_label))
    body.append(_curve(ax, xs, war, f"war-{side}", colour, 2.0) + _now(ax, xs, war, colour, 2.5))
    # the value of no agreement differs from that of war only while a ceasefire holds
    reservation = [r if abs(r - w) > 1e-12 else math.nan for r, w in zip(rec[f"reservation_{side}"], war)]
    body.append(_curve(ax, xs, reservation, f"reservation-{side}", colour, 1.2, "4 3"))
    dots = [
        _el("circle", cx=ax.x(x), cy=ax.y(v), r=2.2, fill=PROPOSAL)
        for x, v in zip(xs, rec[f"proposal_value_{side}"])
        if v is not None and math.isfinite(v)
    ]
    body.append(f'<g class="proposal-{side}">{"".join(dots)}</g>')
    name = "Russia" if side == "russia" else "Ukraine"
    body.append(_label(ax.left + ax.width - 5, ax.top + 12, name, size=11, anchor="end", fill=colour, font_weight=600))
    return "".join(body)


def _value_range(values: Sequence[object]) -> tuple[float, float]:
    finite = [float(v) for v in values if isinstance(v, (int, float)) and math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    low, high = min(finite), max(finite)
    pad = max((high - low) * 0.08, 0.01)
    return low - pad, high + pad


def bargaining_view(model: WarTerminationModel) -> str:
    """Each side's value of war, of no agreement and of the proposal on the table; the range shaded.

    Args:
        model: The running model.

    Returns:
        An HTML fragment with two SVG panels (Russia above, Ukraine below).
    """
    rec = record(model)
    xs = [float(r) for r in rec["round"]]
    x0, x1 = _x_range(model)
    panels = []
    for i, (side, colour) in enumerate((("russia", RUSSIA), ("ukraine", UKRAINE))):
        low, high = _value_range([*rec[f"war_value_{side}"], *rec[f"reservation_{side}"], *rec[f"proposal_value_{side}"]])
        ax = Axes(x0, x1, low, high, top=26.0 + i * 128.0, height=108.0)
        panels.append(_panel(ax, xs, rec, side, colour, x_label=i == 1))
    legend = [
        ("value of war", MUTED, "line"),
        ("of the ceasefire", MUTED, "dash"),
        ("of the proposal", PROPOSAL, "dot"),
        ("range exists", RANGE_SHADE, "box"),
    ]
    panels.append(_legend(legend))
    exists = bool(rec["bargaining_range"][-1])
    if model.proposal:
        terms = ", ".join(f"{html.escape(k.replace('_', ' '))} {v:.2f}" for k, v in model.proposal.items())
        table = f"on the table: {terms}"
    else:
        table = "no proposal on the table this round"
    subtitle = f"Bargaining range this round: <b>{'yes' if exists else 'no'}</b>; {table}"
    return _card("bargaining-view", "Bargaining range", subtitle, _svg("".join(panels)), model)


def waits_for_confidence(model: WarTerminationModel, step: Step) -> bool:
    """True if ``step`` is the next step and the protocol will table it once confidence reaches the threshold.

    Under ``ifg_sequential`` this is the step after the agreed ones while a
    ceasefire holds and confidence is below the threshold; the protocol's own
    agenda decides, so any protocol that gates a step on confidence is drawn alike.

    Args:
        model: The running model.
        step: A step of the plan.

    Returns:
        Whether the step waits for confidence.
    """
    if model.outcome is not None or not model.ceasefire or step != model.open_step or step in model.agreed:
        return False
    if model.confidence >= model.confidence_threshold:
        return False
    confident = dataclasses.replace(model.table_state(), confidence=model.confidence_threshold)
    return step in model.protocol.agenda(confident)


def step_state(model: WarTerminationModel, step: Step) -> StepState:
    """Where a step stands: agreed, on the table this round, waiting for confidence, or not yet.

    Args:
        model: The running model.
        step: A step of the plan.

    Returns:
        The step's state.
    """
    if step in model.agreed:
        return StepState.AGREED
    if step in model.on_table:
        return StepState.ON_TABLE
    if waits_for_confidence(model, step):
        return StepState.WAITING
    return StepState.NOT_YET


_STEP_STYLE: dict[StepState, dict[str, object]] = {
    StepState.AGREED: {"fill": "#d9f0d3", "stroke": PROPOSAL},
    StepState.ON_TABLE: {"fill": "#fee8c8", "stroke": VIOLATION},
    StepState.WAITING: {"fill": "#deebf7", "stroke": UKRAINE, "stroke_dasharray": "5 3"},
    StepState.NOT_YET: {"fill": "#f2f2f2", "stroke": "#bbb"},
}


def _step_box(model: WarTerminationModel, step: Step, x: float, width: float) -> str:
    state = step_state(model, step)
    style = _STEP_STYLE[state]
    out = [f'<g class="step step-{int(step)} {state.value}">', f"<title>{html.escape(STEP_NAMES[step])}</title>"]
    out.append(_el("rect", x=x, y=6, width=width, height=78, rx=6, stroke_width=1.6, **style))
    out.append(_label(x + 8, 24, f"{int(step)} {STEP_SHORT[step]}", size=12, fill="#222", font_weight=600))
    out.append(_label(x + 8, 40, STEP_STATE_TEXT[state], size=11, fill=str(style["stroke"])))
    terms = model.agreed.get(step)
    for k, issue in enumerate(STEP_ISSUES[step]):
        value = f" {terms[ISSUE_INDEX[issue]]:.2f}" if terms is not None else ""
        out.append(_label(x + 8, 54 + 11 * k, issue.replace("_", " ") + value, size=9.5))
    out.append("</g>")
    return "".join(out)


def _confidence_bar(model: WarTerminationModel, x: float, y: float, width: float) -> str:
    threshold = model.confidence_threshold
    tx = x + width * threshold
    return "".join(
        [
            _label(8, y + 11, f"confidence {model.confidence:.2f}", size=11, fill="#222"),
            _el("rect", x=x, y=y, width=width, height=14, fill="#f2f2f2", stroke="#bbb"),
            _el("rect", cls="confidence", x=x, y=y, width=width * model.confidence, height=14, fill=UKRAINE, fill_opacity=0.6),
            _vline(tx, y - 4, y + 18, stroke="#222", stroke_width=2),
            _label(tx, y + 30, f"threshold {threshold:.2f}", size=9.5, anchor="middle", fill="#222"),
        ]
    )


def _timeline(model: WarTerminationModel, rec: dict[str, list[Any]]) -> str:
    """War or ceasefire each round, confidence while a ceasefire holds, violations and breakdowns."""
    xs = [float(r) for r in rec["round"]]
    ax = Axes(*_x_range(model), 0.0, 1.0, left=44.0, top=168.0, height=60.0)
    out = [_label(8, 160, "rounds: war (red), ceasefire (blue, line: confidence); ▲ detected violation, ✕ breakdown", 11, fill="#222")]
    out.append(_el("rect", x=ax.left, y=ax.top, width=ax.width, height=ax.height, fill="#fafafa", stroke="#bbb"))
    fighting = [i > 0 and not c for i, c in enumerate(rec["ceasefire"])]
    out.append(_shade(ax, xs, fighting, "#f4c7c3", "war"))
    out.append(_shade(ax, xs, rec["ceasefire"], "#9ecae1", "ceasefire"))
    confidence = [c if cf else math.nan for c, cf in zip(rec["confidence"], rec["ceasefire"])]
    out.append(_curve(ax, xs, confidence, "confidence-line", "#08306b", 1.2))
    previous = 0
    for x, violations, breakdowns in zip(xs, rec["violations"], rec["breakdowns"]):
        if violations:
            out.append(_el("path", cls="violation", d=f"M{_fmt(ax.x(x))} {_fmt(ax.top + 14)}l-4 8h8z", fill=VIOLATION))
        if breakdowns > previous:
            out.append(_label(ax.x(x), ax.bottom - 6, "✕", size=14, anchor="middle", fill="#000", cls="breakdown"))
        previous = breakdowns
    out.append(_x_ticks(ax, x_label=False))
    return "".join(out)


def plan_view(model: WarTerminationModel) -> str:
    """The plan's progress: the four steps, confidence against the threshold, ceasefires, violations, breakdowns.

    Args:
        model: The running model.

    Returns:
        An HTML fragment with an SVG diagram.
    """
    rec = record(model)
    width, gap = 128.0, 9.0
    body = [_step_box(model, step, 8.0 + i * (width + gap), width) for i, step in enumerate(Step)]
    body.append(_confidence_bar(model, 150.0, 102.0, 400.0))
    body.append(_timeline(model, rec))
    first = model.first_ceasefire_round
    since = f" (first in round {first})" if first is not None else ""
    subtitle = (
        f"Steps agreed: <b>{len(model.agreed)}/4</b>; ceasefire: <b>{'holding' if model.ceasefire else 'none'}</b>{since}; "
        f"detected violations: <b>{model.violations_detected}</b>; breakdowns: <b>{model.breakdowns}</b>; "
        f"protocol: {html.escape(model.protocol.name)}"
    )
    return _card("plan-view", "The plan's progress", subtitle, _svg("".join(body), 255.0), model)


def costs_view(model: WarTerminationModel) -> str:
    """Each side's cumulative costs over time.

    Args:
        model: The running model.

    Returns:
        An HTML fragment with an SVG chart.
    """
    rec = record(model)
    xs = [float(r) for r in rec["round"]]
    high = 1.1 * max([*rec["cost_russia"], *rec["cost_ukraine"], 0.05])
    ax = Axes(*_x_range(model), 0.0, high)
    body = [
        _shade(ax, xs, rec["ceasefire"], CEASEFIRE_SHADE, "ceasefire"),
        _frame(ax, nice_ticks(0.0, high, 5), "cumulative cost (utility)"),
    ]
    for side, colour in (("russia", RUSSIA), ("ukraine", UKRAINE)):
        body.append(_curve(ax, xs, rec[f"cost_{side}"], f"cost-{side}", colour, 2.2) + _now(ax, xs, rec[f"cost_{side}"], colour))
    body.append(_legend([("Russia", RUSSIA, "line"), ("Ukraine", UKRAINE, "line"), ("ceasefire", CEASEFIRE_SHADE, "box")]))
    subtitle = (
        f"Russia <b>{model.russia.cumulative_cost:.3f}</b>, Ukraine <b>{model.ukraine.cumulative_cost:.3f}</b> "
        f"(aid this round: to Ukraine ${model.ukraine.aid:.2f}bn, to Russia ${model.russia.aid:.2f}bn)"
    )
    return _card("costs-view", "Cumulative costs", subtitle, _svg("".join(body)), model)


def outcome_text(model: WarTerminationModel) -> tuple[str, str]:
    """The outcome so far in a headline and a detail line.

    Args:
        model: The running model.

    Returns:
        ``(headline, detail)``, e.g. ``("Round 12 of 104: war", "...")``.
    """
    round_text = f"Round {model.steps} of {model.max_rounds}"
    outcome = model.outcome
    if outcome is None:
        if model.ceasefire:
            return f"{round_text}: ceasefire", f"steps agreed {len(model.agreed)}/4; {talks_text(model)}"
        held = f"Russia holds {model.battlefield.share:.0%} of the contested territory"
        return f"{round_text}: war", f"{talks_text(model)}; {held}"
    if outcome.kind is OutcomeKind.VICTORY:
        winner = "Russia" if outcome.winner is Side.RUSSIA else "Ukraine"
        return f"{round_text}: victory for {winner}", f"the war ended in round {outcome.rounds} with a military victory"
    if outcome.kind is OutcomeKind.SETTLEMENT:
        return f"{round_text}: settlement", f"all four steps agreed by round {outcome.rounds}"
    if outcome.kind is OutcomeKind.CEASEFIRE:
        return f"{round_text}: ceasefire (frozen conflict)", f"a ceasefire holds at the round limit; steps agreed {len(model.agreed)}/4"
    return f"{round_text}: war at the round limit", "no agreement held at the end"


def _steps_text(steps: Sequence[Step]) -> str:
    numbers = sorted(int(s) for s in steps)
    if len(numbers) == len(Step):
        return "all four steps"
    if len(numbers) == 1:
        return f"step {numbers[0]}"
    return "steps " + ", ".join(str(n) for n in numbers)


def talks_text(model: WarTerminationModel) -> str:
    """What the talks are about, as the protocol set them: e.g. ``talks on step 1`` or ``no talks``.

    Args:
        model: The running model (its outcome not yet known).

    Returns:
        A phrase for the banner.
    """
    parts = []
    agreed_now = [step for step in model.on_table if step in model.agreed]
    if agreed_now:
        parts.append(f"{_steps_text(agreed_now)} agreed this round")
    talking = [step for step in model.on_table if step not in model.agreed]
    if talking:
        parts.append(f"talks on {_steps_text(talking)}")
    waiting = [step for step in Step if waits_for_confidence(model, step)]
    if waiting:
        parts.append(f"{_steps_text(waiting)} waits for confidence ({model.confidence:.2f} of {model.confidence_threshold:.2f})")
    if parts:
        return "; ".join(parts)
    # what the protocol would table next round, were confidence no obstacle
    upcoming = model.protocol.agenda(dataclasses.replace(model.table_state(), confidence=model.confidence_threshold))
    if not upcoming:
        return f"no talks (protocol {model.protocol.name})"
    if model.steps == 0:
        return f"talks on {_steps_text(upcoming)} from round 1"
    return "no talks this round"


def banner_view(model: WarTerminationModel, replay: str = "") -> str:
    """The banner: the outcome so far and the round, coloured by the state of the run.

    Args:
        model: The running model.
        replay: The command line that replays this run (shown in small type).

    Returns:
        An HTML fragment.
    """
    headline, detail = outcome_text(model)
    colour = STATUS_COLOURS.get(model.status, "#333")
    replay_html = (
        f'<div data-testid="replay" style="font-size:11px;opacity:0.85;font-family:monospace">{html.escape(replay)}</div>' if replay else ""
    )
    return (
        f'<div data-testid="banner" data-status="{model.status}" data-round="{model.steps}" '
        f'style="background:{colour};color:white;padding:8px 16px;border-radius:6px;margin:4px 0 8px 0">'
        f'<div style="font-size:22px;font-weight:700">{html.escape(headline)}</div>'
        f'<div style="font-size:13px">{html.escape(detail)}</div>{replay_html}</div>'
    )


# ----------------------------------------------------------------------
# Solara components (Mesa's SolaraViz re-renders them after every Step)
# ----------------------------------------------------------------------
def _component(view: Callable[[WarTerminationModel], str]) -> Callable[[WarTerminationModel], Any]:
    def show(model: WarTerminationModel) -> Any:
        return solara.HTML(tag="div", unsafe_innerHTML=view(model))

    show.__name__ = view.__name__.removesuffix("_view").title().replace("_", "") + "View"
    show.__doc__ = view.__doc__
    return show


Battlefield = _component(battlefield_view)
Bargaining = _component(bargaining_view)
Plan = _component(plan_view)
Costs = _component(costs_view)

VIEWS: tuple[Callable[[WarTerminationModel], Any], ...] = (Battlefield, Bargaining, Plan, Costs)
"""The page's charts, in the order SolaraViz lays them out (two per row)."""
