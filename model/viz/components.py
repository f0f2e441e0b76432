"""The browser page's domain views: light SVG and HTML drawn from a model's per-round record.

Each view is a pure function ``model -> str`` (an HTML fragment with an inline
SVG chart drawn with :mod:`model.viz.svg`) plus a thin Solara component that
shows it, so the views are testable without a browser.

The views read the model's public state (``battlefield``, ``russia``,
``ukraine``, ``agreed``, ``on_table``, ``open_step``, ``confidence``,
``ceasefire``, ``proposal``, ``status``, ``table_state()``, ``third_parties``,
``mediator``, ...), the per-round record its DataCollector keeps
(``model.datacollector.model_vars``, the columns of
:data:`model.record.REPORTERS`) and the page's record of third-party support
(:mod:`model.viz.support`).

Every view that shows terms (the bargaining range, the plan, the third
parties' leans) carries the legend of the issue scale (:func:`issue_scale`);
every time chart says at round 0 what to press (:func:`first_round_hint`).
"""

from __future__ import annotations

import dataclasses
import html
import math
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import Any

import solara

from model.commandline import printable
from model.issues import ISSUE_INDEX, STEP_ISSUES, Step
from model.model import WarTerminationModel
from model.outcome import OutcomeKind, Side
from model.viz.support import support_record
from model.viz.svg import (
    Axes,
    band_path,
    curve,
    document,
    element,
    frame,
    label_at,
    latest_dot,
    legend,
    nice_ticks,
    px,
    shade,
    vline,
    x_ticks,
)

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

STEP_NAMES: dict[Step, tuple[str, str]] = {
    Step.CEASEFIRE: ("Ceasefire", "Ceasefire"),
    Step.STATUS: ("International status", "Intl. status"),
    Step.TERRITORY: ("Territory", "Territory"),
    Step.EUROPEAN_SECURITY: ("European security", "Eur. security"),
}
"""Each step's name, and the short one that fits its box in the plan view (the full name shows on hover)."""


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


def _rounds(rec: dict[str, list[Any]]) -> list[float]:
    """The rounds of the record: a time chart's x values."""
    return [float(r) for r in rec["round"]]


def _round_axes(model: WarTerminationModel, low: float, high: float, **box: float) -> Axes:
    """Axes from round 0 to the round limit (or the round on screen, if later) over ``[low, high]``; ``box`` places them."""
    return Axes(0.0, float(max(model.max_rounds, model.steps, 1)), low, high, **box)


ISSUE_SCALE_TEXT = "0 = Russia's demand, 1 = Ukraine's"
"""What a term's number means, on every issue."""


def issue_scale() -> str:
    """The legend of the issue scale: a bar from Russia's demand (0) to Ukraine's (1), shown wherever terms appear.

    Returns:
        An HTML fragment (``data-testid="issue-scale"``).
    """
    bar = "display:inline-block;width:90px;height:8px;margin:0 6px;vertical-align:middle;"
    bar += f"background:linear-gradient(90deg,{RUSSIA},{UKRAINE})"
    return (
        '<div data-testid="issue-scale" style="font-size:12px;color:#333;margin:2px 0">'
        f'Terms: <b style="color:{RUSSIA}">0 = Russia\'s demand</b><span style="{bar}"></span>'
        f'<b style="color:{UKRAINE}">1 = Ukraine\'s</b> (on every issue)</div>'
    )


FIRST_ROUND_HINT = "Round 0: press Step to play a round (one week), or ▶ Play to run on"


def first_round_hint(model: WarTerminationModel, ax: Axes) -> str:
    """At round 0 of a run, a line across a time chart saying what to press; nothing later.

    Args:
        model: The model.
        ax: The chart's axes.

    Returns:
        An SVG text element, or ``""``.
    """
    if model.steps > 0 or not model.running:
        return ""
    return label_at(
        ax.left + ax.width / 2, ax.top + ax.height / 2 + 26, FIRST_ROUND_HINT, size=12, anchor="middle", fill="#444", cls="hint"
    )


# ----------------------------------------------------------------------
# The views
# ----------------------------------------------------------------------
def battlefield_view(model: WarTerminationModel) -> str:
    """The front and the true balance of power over time, with each side's belief (mean +- 1 sd).

    Args:
        model: The running model.

    Returns:
        The titled chart, its subtitle giving the front, the balance and both beliefs now.
    """
    rec = record(model)
    xs = _rounds(rec)
    ax = _round_axes(model, 0.0, 1.0)
    body = [shade(ax, xs, rec["ceasefire"], CEASEFIRE_SHADE, "ceasefire"), frame(ax, [0, 0.25, 0.5, 0.75, 1.0], "share / probability")]
    shock = int(model.battlefield.shock_round)
    if 0 < shock <= ax.x1 and model.battlefield.shock_size:
        body.append(vline(ax.x(shock), ax.top, ax.bottom, stroke="#999", stroke_dasharray="2 3"))
        body.append(label_at(ax.x(shock) + 3, ax.bottom - 4, "shock", size=9.5))
    for side, colour in (("russia", RUSSIA), ("ukraine", UKRAINE)):
        means, sds = rec[f"belief_{side}"], rec[f"belief_sd_{side}"]
        lows = [max(0.0, m - s) for m, s in zip(means, sds)]
        highs = [min(1.0, m + s) for m, s in zip(means, sds)]
        body.append(element("path", cls=f"band-{side}", d=band_path(ax, xs, lows, highs), fill=colour, fill_opacity=0.15, stroke="none"))
        body.append(curve(ax, xs, means, f"belief-{side}", colour, 1.6) + latest_dot(ax, xs, means, colour, 2.5))
    body.append(curve(ax, xs, rec["mediator_estimate"], "mediator", MEDIATOR, 1.2, "1 2"))
    body.append(curve(ax, xs, rec["balance"], "balance", TRUTH, 2.0, "5 3") + latest_dot(ax, xs, rec["balance"], TRUTH, 2.5))
    body.append(curve(ax, xs, rec["front"], "front", FRONT, 2.8) + latest_dot(ax, xs, rec["front"], FRONT, 3.5))
    keys = [
        ("front (Russian share)", FRONT, "line"),
        ("true balance", TRUTH, "dash"),
        ("Russia's belief", RUSSIA, "band"),
        ("Ukraine's belief", UKRAINE, "band"),
        ("IFG estimate", MEDIATOR, "dash"),
    ]
    body.append(legend(keys))
    body.append(first_round_hint(model, ax))
    front, balance = rec["front"][-1], rec["balance"][-1]
    subtitle = (
        f"Russia holds <b>{front:.0%}</b> of the contested territory and wins an engagement with probability "
        f"<b>{balance:.2f}</b>; Russia believes <b>{model.russia.believed_balance:.2f}</b>, "
        f"Ukraine <b>{model.ukraine.believed_balance:.2f}</b> (bands: ±1 sd; blue columns: ceasefire)"
    )
    return _card("battlefield-view", "Front and balance of power", subtitle, document("".join(body)), model)


def _panel(ax: Axes, xs: Sequence[float], rec: dict[str, list[Any]], side: str, colour: str, x_label: bool) -> str:
    """One side's panel of the bargaining view: its value of war, of the ceasefire and of each proposal."""
    war = rec[f"war_value_{side}"]
    body = [shade(ax, xs, rec["bargaining_range"], RANGE_SHADE, "range")]
    body.append(frame(ax, nice_ticks(ax.y0, ax.y1, 4), "utility / round", "{:.2g}", x_label))
    body.append(curve(ax, xs, war, f"war-{side}", colour, 2.0) + latest_dot(ax, xs, war, colour, 2.5))
    # the value of no agreement differs from that of war only while a ceasefire holds
    reservation = [r if abs(r - w) > 1e-12 else math.nan for r, w in zip(rec[f"reservation_{side}"], war)]
    body.append(curve(ax, xs, reservation, f"reservation-{side}", colour, 1.2, "4 3"))
    dots = [
        element("circle", cx=ax.x(x), cy=ax.y(v), r=2.2, fill=PROPOSAL)
        for x, v in zip(xs, rec[f"proposal_value_{side}"])
        if v is not None and math.isfinite(v)
    ]
    body.append(f'<g class="proposal-{side}">{"".join(dots)}</g>')
    name = "Russia" if side == "russia" else "Ukraine"
    body.append(label_at(ax.left + ax.width - 5, ax.top + 12, name, size=11, anchor="end", fill=colour, font_weight=600))
    return "".join(body)


def _value_range(values: Sequence[object]) -> tuple[float, float]:
    """A y range holding every finite value with a margin (``[0, 1]`` when there is none)."""
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
    xs = _rounds(rec)
    panels = []
    for i, (side, colour) in enumerate((("russia", RUSSIA), ("ukraine", UKRAINE))):
        low, high = _value_range([*rec[f"war_value_{side}"], *rec[f"reservation_{side}"], *rec[f"proposal_value_{side}"]])
        ax = _round_axes(model, low, high, top=26.0 + i * 128.0, height=108.0)
        panels.append(_panel(ax, xs, rec, side, colour, x_label=i == 1))
        if i == 0:
            panels.append(first_round_hint(model, ax))
    keys = [
        ("value of war", MUTED, "line"),
        ("of the ceasefire", MUTED, "dash"),
        ("of the proposal", PROPOSAL, "dot"),
        ("range exists", RANGE_SHADE, "box"),
    ]
    panels.append(legend(keys))
    exists = bool(rec["bargaining_range"][-1])
    if model.proposal:
        terms = ", ".join(f"{html.escape(k.replace('_', ' '))} {v:.2f}" for k, v in model.proposal.items())
        table = f"on the table: {terms}"
    else:
        table = "no proposal on the table this round"
    subtitle = f"Bargaining range this round: <b>{'yes' if exists else 'no'}</b>; {table}"
    return _card("bargaining-view", "Bargaining range", subtitle + issue_scale(), document("".join(panels)), model)


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
    """A step's box in the plan view: its name, its state and its issues (with the agreed terms, once agreed)."""
    state = step_state(model, step)
    style = _STEP_STYLE[state]
    out = [f'<g class="step step-{int(step)} {state.value}">', f"<title>{html.escape(STEP_NAMES[step][0])}</title>"]
    out.append(element("rect", x=x, y=6, width=width, height=78, rx=6, stroke_width=1.6, **style))
    out.append(label_at(x + 8, 24, f"{int(step)} {STEP_NAMES[step][1]}", size=12, fill="#222", font_weight=600))
    out.append(label_at(x + 8, 40, STEP_STATE_TEXT[state], size=11, fill=str(style["stroke"])))
    terms = model.agreed.get(step)
    for k, issue in enumerate(STEP_ISSUES[step]):
        value = f" {terms[ISSUE_INDEX[issue]]:.2f}" if terms is not None else ""
        out.append(label_at(x + 8, 54 + 11 * k, issue.replace("_", " ") + value, size=9.5))
    out.append("</g>")
    return "".join(out)


def confidence_restarts(rec: dict[str, list[Any]]) -> list[tuple[int, str]]:
    """The rounds where confidence restarted at 0, and why: a step agreed, or a ceasefire that broke down.

    Confidence measures a ceasefire's record of compliance toward the next
    step, so each agreed step starts it again (the next step must earn its
    own), and a breakdown voids the agreed steps and starts it again too.

    Args:
        rec: The model's per-round record.

    Returns:
        ``(round, reason)`` pairs, in order.
    """
    out = []
    for i in range(len(rec["round"])):
        # talks open in round 0, so a step may be agreed before any round is played
        breakdowns, agreed = (rec["breakdowns"][i - 1], rec["steps_agreed"][i - 1]) if i else (0, 0)
        if rec["breakdowns"][i] > breakdowns:
            out.append((int(rec["round"][i]), "the ceasefire broke down: the agreed steps are void"))
        elif rec["steps_agreed"][i] > agreed:
            agreed = int(rec["steps_agreed"][i])
            if agreed < len(Step):
                out.append((int(rec["round"][i]), f"step {agreed} agreed: step {agreed + 1} must earn its own"))
    return out


RESTART_TEXT = "↺ confidence restarts at 0: a step agreed (the next must earn its own), or a breakdown (✕)"


def _confidence_bar(model: WarTerminationModel, x: float, y: float, width: float, restarts: Sequence[tuple[int, str]]) -> str:
    """Confidence now as a bar, with the threshold the protocol waits for marked on it (and a restart this round named)."""
    threshold = model.confidence_threshold
    tx = x + width * threshold
    now = [reason for round_, reason in restarts if round_ == model.steps]
    restarted = (
        [label_at(x + width + 8, y + 11, "↺ restarted: " + now[-1].split(":")[0], size=10, fill=UKRAINE, cls="restart-now")] if now else []
    )
    return "".join(
        [
            *restarted,
            label_at(8, y + 11, f"confidence {model.confidence:.2f}", size=11, fill="#222"),
            element("rect", x=x, y=y, width=width, height=14, fill="#f2f2f2", stroke="#bbb"),
            element("rect", cls="confidence", x=x, y=y, width=width * model.confidence, height=14, fill=UKRAINE, fill_opacity=0.6),
            vline(tx, y - 4, y + 18, stroke="#222", stroke_width=2),
            label_at(tx, y + 30, f"threshold {threshold:.2f}", size=9.5, anchor="middle", fill="#222"),
        ]
    )


def _timeline(model: WarTerminationModel, rec: dict[str, list[Any]], restarts: Sequence[tuple[int, str]]) -> str:
    """War or ceasefire each round, confidence while a ceasefire holds, its restarts, violations and breakdowns."""
    xs = _rounds(rec)
    ax = _round_axes(model, 0.0, 1.0, left=44.0, top=168.0, height=60.0)
    out = [label_at(8, 160, "rounds: war (red), ceasefire (blue, line: confidence); ▲ detected violation, ✕ breakdown", 11, fill="#222")]
    out.append(element("rect", x=ax.left, y=ax.top, width=ax.width, height=ax.height, fill="#fafafa", stroke="#bbb"))
    fighting = [i > 0 and not c for i, c in enumerate(rec["ceasefire"])]
    out.append(shade(ax, xs, fighting, "#f4c7c3", "war"))
    out.append(shade(ax, xs, rec["ceasefire"], "#9ecae1", "ceasefire"))
    confidence = [c if cf else math.nan for c, cf in zip(rec["confidence"], rec["ceasefire"])]
    out.append(curve(ax, xs, confidence, "confidence-line", "#08306b", 1.2))
    previous = 0
    for x, violations, breakdowns in zip(xs, rec["violations"], rec["breakdowns"]):
        if violations:
            out.append(element("path", cls="violation", d=f"M{px(ax.x(x))} {px(ax.top + 14)}l-4 8h8z", fill=VIOLATION))
        if breakdowns > previous:
            out.append(label_at(ax.x(x), ax.bottom - 6, "✕", size=14, anchor="middle", fill="#000", cls="breakdown"))
        previous = breakdowns
    for round_, reason in restarts:
        mark = label_at(ax.x(round_), ax.top + ax.height / 2 + 5, "↺", size=14, anchor="middle", fill="#08306b", font_weight=700)
        out.append(
            f'<g class="confidence-restart"><title>round {round_}: {html.escape(reason)}; confidence restarts at 0</title>{mark}</g>'
        )
    out.append(x_ticks(ax, x_label=False))
    out.append(label_at(8, ax.bottom + 34, RESTART_TEXT, size=10.5, fill="#333", cls="restart-legend"))
    return "".join(out)


def plan_view(model: WarTerminationModel) -> str:
    """The plan's progress: the four steps, confidence against the threshold, ceasefires, violations, breakdowns.

    Args:
        model: The running model.

    Returns:
        The titled diagram (step boxes, confidence bar, timeline of rounds), its subtitle counting steps and breakdowns.
    """
    rec = record(model)
    width, gap = 128.0, 9.0
    body = [_step_box(model, step, 8.0 + i * (width + gap), width) for i, step in enumerate(Step)]
    restarts = confidence_restarts(rec)
    body.append(_confidence_bar(model, 150.0, 102.0, 300.0, restarts))
    body.append(_timeline(model, rec, restarts))
    first = model.first_ceasefire_round
    since = f" (first in round {first})" if first is not None else ""
    last = f"; confidence last restarted in round {restarts[-1][0]} ({html.escape(restarts[-1][1])})" if restarts else ""
    subtitle = (
        f"Steps agreed: <b>{len(model.agreed)}/4</b>; ceasefire: <b>{'holding' if model.ceasefire else 'none'}</b>{since}; "
        f"detected violations: <b>{model.violations_detected}</b>; breakdowns: <b>{model.breakdowns}</b>; "
        f"protocol: {html.escape(model.protocol.name)}{last}"
    )
    if model.steps == 0 and model.running:
        subtitle += f"<br>{html.escape(talks_text(model))}: the boxes fill in as steps are tabled and agreed"
    return _card("plan-view", "The plan's progress", subtitle + issue_scale(), document("".join(body), 282.0), model)


def costs_view(model: WarTerminationModel) -> str:
    """Each side's cumulative costs over time.

    Args:
        model: The running model.

    Returns:
        The titled chart, its subtitle giving both sides' costs and aid now.
    """
    rec = record(model)
    xs = _rounds(rec)
    high = 1.1 * max([*rec["cost_russia"], *rec["cost_ukraine"], 0.05])
    ax = _round_axes(model, 0.0, high)
    body = [
        shade(ax, xs, rec["ceasefire"], CEASEFIRE_SHADE, "ceasefire"),
        frame(ax, nice_ticks(0.0, high, 5), "cumulative cost (utility)"),
    ]
    for side, colour in (("russia", RUSSIA), ("ukraine", UKRAINE)):
        body.append(curve(ax, xs, rec[f"cost_{side}"], f"cost-{side}", colour, 2.2) + latest_dot(ax, xs, rec[f"cost_{side}"], colour))
    body.append(legend([("Russia", RUSSIA, "line"), ("Ukraine", UKRAINE, "line"), ("ceasefire", CEASEFIRE_SHADE, "box")]))
    body.append(first_round_hint(model, ax))
    subtitle = (
        f"Russia <b>{model.russia.cumulative_cost:.3f}</b>, Ukraine <b>{model.ukraine.cumulative_cost:.3f}</b> "
        f"(aid this round: to Ukraine ${model.ukraine.aid:.2f}bn, to Russia ${model.russia.aid:.2f}bn)"
    )
    return _card("costs-view", "Cumulative costs", subtitle, document("".join(body)), model)


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
    """Steps for the banner: ``step 2``, ``steps 1, 3`` or ``all four steps``."""
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


START_HINT = "Press Step to play one round (a week), or ▶ Play to run on; move a control, then Reset to start a run with it."
"""What the banner says at round 0, where every chart is still a dot."""


def banner_view(model: WarTerminationModel, replay: str = "") -> str:
    """The banner: the outcome so far and the round, coloured by the state of the run (at round 0, what to press).

    Args:
        model: The running model.
        replay: The command line that replays this run (shown in small type).

    Returns:
        An HTML fragment.
    """
    headline, detail = outcome_text(model)
    colour = STATUS_COLOURS.get(model.status, "#333")
    replay_html = (
        f'<div data-testid="replay" style="font-size:11px;opacity:0.85;font-family:monospace">{html.escape(printable(replay, None))}</div>'
        if replay
        else ""
    )
    if model.steps == 0 and model.running:
        replay_html += f'<div data-testid="first-hint" style="font-size:14px;margin-top:4px"><b>{html.escape(START_HINT)}</b></div>'

    return (
        f'<div data-testid="banner" data-status="{model.status}" data-round="{model.steps}" '
        f'style="background:{colour};color:white;padding:8px 16px;border-radius:6px;margin:4px 0 8px 0">'
        f'<div style="font-size:22px;font-weight:700">{html.escape(headline)}</div>'
        f'<div style="font-size:13px">{html.escape(detail)}</div>{replay_html}</div>'
    )


PARTY_COLOURS: tuple[str, ...] = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)
"""One colour per third party, in the order the scenario lists them."""


def _party_table(model: WarTerminationModel, rec: dict[str, list[Any]], colours: dict[str, str]) -> str:
    """Each active party now: whom it backs, its aid and stance this round, its lean, IFG seat and guarantee."""
    guarantees_on = model.mediator.settings.guarantees
    rows = []
    for party in model.third_parties:
        s = party.settings
        patron = s.patron.value.capitalize() if s.patron is not None else "neither"
        aid, stance = rec[f"aid_{party.code}"][-1], rec[f"stance_{party.code}"][-1]
        guarantor = s.ifg_member and guarantees_on and s.guarantee > 0
        cells = [
            f'<span style="display:inline-block;width:10px;height:10px;background:{colours[party.code]};margin-right:4px"></span>'
            f"{html.escape(s.name)}",
            patron,
            f"{aid:.2f}",
            f"{stance:+.2f}",
            f"{s.lean:.2f}",
            "✓" if s.ifg_member else "",
            f"✓ {s.guarantee:.2f}" if guarantor else (f"({s.guarantee:.2f})" if s.guarantee > 0 else ""),
        ]
        rows.append(f'<tr data-party="{party.code}">' + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    head = ["party", "backs", "aid $bn/round", "stance", "lean", "IFG", "guarantor (commitment)"]
    return (
        '<table class="parties" style="border-collapse:collapse;font-size:12px;width:100%;margin:2px 0">'
        "<tr>"
        + "".join(f'<th style="text-align:left;color:#555;font-weight:600">{h}</th>' for h in head)
        + "</tr>"
        + "".join(rows)
        + "</table>"
    )


def _series_panel(
    ax: Axes, xs: Sequence[float], series: Sequence[tuple[str, Sequence[float], str, str]], y_label: str, x_label: bool
) -> str:
    """One panel of lines over the rounds: ``(name, values, colour, dash)`` each."""
    ticks = [-1.0, 0.0, 1.0] if ax.y0 < 0 else nice_ticks(0.0, ax.y1, 3)
    body = [frame(ax, ticks, y_label, "{:g}", x_label)]
    for name, values, colour, dash in series:
        body.append(curve(ax, xs, values, name, colour, 1.8, dash) + latest_dot(ax, xs, values, colour, 2.5))
    return "".join(body)


def third_party_view(model: WarTerminationModel) -> str:
    """The third parties: each one's aid and stance over time, the pressure on each side, the IFG and its guarantors.

    Aid and stance are read per round from the page's record (:mod:`model.viz.support`),
    not assumed constant; the aid each side received is the model's own record.

    Args:
        model: The running model.

    Returns:
        The titled view: a table of the parties now, and three panels over the rounds (aid per party,
        stance per party, the aid-weighted pressure on each belligerent and, dashed, the political
        voices' push on its acceptance).
    """
    support = support_record(model)
    rec = record(model)
    xs = [float(r) for r in support["round"]]
    colours = {party.code: PARTY_COLOURS[i % len(PARTY_COLOURS)] for i, party in enumerate(model.third_parties)}
    if not model.third_parties:
        body = '<div style="font-size:13px;padding:8px">No third party takes part in this run (<code>third_parties</code> is empty).</div>'
        return _card("third-party-view", "Third parties", "No aid, no pressure, no IFG members.", body, model)
    aid_series = [(f"aid-{code}", support[f"aid_{code}"], colour, "") for code, colour in colours.items()]
    aid_high = 1.15 * max([0.05, *(v for _, values, _, _ in aid_series for v in values)])
    panels = [
        label_at(
            8, 14, "aid to its patron ($bn per round), stance on talks (-1 opposes, +1 pushes), pressure on each side", 10.5, fill="#333"
        )
    ]
    ax = _round_axes(model, 0.0, aid_high, top=24.0, height=74.0)
    panels.append(_series_panel(ax, xs, aid_series, "aid $bn", False))
    panels.append(first_round_hint(model, ax))
    stance_series = [(f"stance-{code}", support[f"stance_{code}"], colour, "") for code, colour in colours.items()]
    ax = _round_axes(model, -1.05, 1.05, top=118.0, height=74.0)
    panels.append(_series_panel(ax, xs, stance_series, "stance", False))
    pressure = [
        ("pressure-russia", support["pressure_russia"], RUSSIA, ""),
        ("pressure-ukraine", support["pressure_ukraine"], UKRAINE, ""),
        ("political-pressure-russia", support["political_pressure_russia"], RUSSIA, "4 3"),
        ("political-pressure-ukraine", support["political_pressure_ukraine"], UKRAINE, "4 3"),
    ]
    ax = _round_axes(model, -1.05, 1.05, top=212.0, height=74.0)
    panels.append(_series_panel(ax, xs, pressure, "pressure", True))
    panels.append(
        legend(
            [("on Russia", RUSSIA, "line"), ("on Ukraine", UKRAINE, "line"), ("dashed: the voices' push on acceptance", "#555", "dash")],
            x=ax.left + 6,
            y=ax.top + 12,
        )
    )
    members = [party.settings.name for party in model.third_parties if party.settings.ifg_member]
    guarantors = [
        party.settings.name
        for party in model.third_parties
        if party.settings.ifg_member and party.settings.guarantee > 0 and model.mediator.settings.guarantees
    ]
    ifg = f"IFG: <b>{html.escape(', '.join(members)) or 'no members'}</b>"
    if not model.protocol.mediated:
        guarantee = f"guarantors: <b>none</b> (no mediator at the table under <code>{html.escape(model.protocol.name)}</code>)"
    elif model.mediator.settings.guarantees:
        guarantee = (
            f"guarantors: <b>{html.escape(', '.join(guarantors)) or 'none'}</b> (credibility {model.mediator.guarantee_credibility:.2f})"
        )
    else:
        guarantee = "guarantors: <b>none</b> (mediator_guarantees off)"
    subtitle = (
        f"{ifg}; {guarantee}; aid received this round: Ukraine <b>${rec['aid_ukraine'][-1]:.2f}bn</b>, "
        f"Russia <b>${rec['aid_russia'][-1]:.2f}bn</b>; pressure now: Russia <b>{support['pressure_russia'][-1]:+.2f}</b>, "
        f"Ukraine <b>{support['pressure_ukraine'][-1]:+.2f}</b> (aid-weighted stance of its patrons); the voices' push on "
        f"acceptance: Russia <b>{support['political_pressure_russia'][-1]:+.2f}</b>, "
        f"Ukraine <b>{support['political_pressure_ukraine'][-1]:+.2f}</b>"
    )
    body = _party_table(model, support, colours) + issue_scale() + document("".join(panels), 318.0)
    return _card("third-party-view", "Third parties", subtitle, body, model)


# ----------------------------------------------------------------------
# Solara components (the page re-renders them after every Step)
# ----------------------------------------------------------------------
def _component(view: Callable[[WarTerminationModel], str], name: str) -> Callable[[WarTerminationModel], Any]:
    """A Solara component named ``name`` that shows ``view(model)``."""

    def show(model: WarTerminationModel) -> Any:
        return solara.HTML(tag="div", unsafe_innerHTML=view(model))

    show.__name__ = show.__qualname__ = name
    show.__doc__ = view.__doc__
    return show


FrontChart = _component(battlefield_view, "FrontChart")
BargainingChart = _component(bargaining_view, "BargainingChart")
PlanChart = _component(plan_view, "PlanChart")
CostsChart = _component(costs_view, "CostsChart")
ThirdPartyChart = _component(third_party_view, "ThirdPartyChart")

VIEW_FUNCTIONS: tuple[Callable[[WarTerminationModel], str], ...] = (
    battlefield_view,
    bargaining_view,
    plan_view,
    costs_view,
    third_party_view,
)
"""The page's views, in the order the page lays them out (two per row where the page is wide enough)."""
VIEWS: tuple[Callable[[WarTerminationModel], Any], ...] = (FrontChart, BargainingChart, PlanChart, CostsChart, ThirdPartyChart)
"""The views as Solara components, in the same order."""
