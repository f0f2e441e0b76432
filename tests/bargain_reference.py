"""The bargaining as the Python model computed it before the kernels: the reference the kernels must match bit for bit.

A frozen copy of ``model/negotiation.py`` and ``model/proposer.py`` (with
``Belligerent.terms_flow``, ``stakes`` and ``audience_share``) as they stood
when the bargaining moved to :mod:`model.engine.bargain`. Only
``tests/test_engine_bargain.py`` uses it; nothing here is the model's.
A side is a :class:`Side` snapshot: its settings and its audience rate.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from model import maths
from model.agents import BelligerentSettings
from model.issues import TERRITORY_INDICES, WITHDRAWAL, TerritorialForm, withdrawal_limit
from model.maths import issue_loss, red_line_penalty
from model.outcome import Side as SideName

_EPS = 1e-12
CURVED_PIECES = 8
"""Pieces a curved (concave) issue is cut into on the frontier: its chords stand for the curve."""


@dataclass(frozen=True)
class IssueSide:
    """One side's stake in one issue: ideal point, salience, red line and the loss's curvature."""

    ideal: float
    weight: float
    red_line: float | None = None
    audience_rate: float = 0.0
    curvature: float = 0.0

    def value(self, term: float, ukraine: bool) -> float:
        """Utility of ``term`` on this issue, less any audience cost."""
        if self.curvature:
            value = self.weight * (1.0 - issue_loss(abs(term - self.ideal), self.curvature))
        else:
            value = self.weight * (1.0 - abs(term - self.ideal))
        if self.red_line is not None and self.audience_rate > 0.0:
            value -= red_line_penalty(term, self.red_line, self.audience_rate, ukraine)
        return value


@dataclass(frozen=True)
class Frontier:
    """The Pareto frontier of the issues on the table, for Russia and Ukraine.

    On each issue, moving the term from Russia's ideal toward Ukraine's
    trades Russia's utility for Ukraine's. An efficient agreement concedes
    the stretches with the best exchange rate first (the logroll), so the
    frontier is piecewise linear and concave. Red lines put kinks in an
    issue, and a concave (risk-averse) utility curves it, which the
    frontier follows in :data:`CURVED_PIECES` chords; either way an issue is
    split into pieces whose rates fall along the way, so the order of one
    issue's pieces is kept.

    Attributes:
        pieces: ``(issue, from, to)`` for each stretch, in the order conceded.
        gains: Ukraine's cumulative gain at the end of each piece.
        losses: Russia's cumulative loss at the end of each piece.
        start: Each covered issue's value at the frontier's start (Russia's ideal).
    """

    pieces: tuple[tuple[int, float, float], ...]
    gains: tuple[float, ...]
    losses: tuple[float, ...]
    start: dict[int, float]

    @property
    def total_gain(self) -> float:
        """Ukraine's gain when every covered issue is at its ideal."""
        return self.gains[-1] if self.gains else 0.0

    def loss_at(self, gain: float) -> float:
        """Russia's loss on the frontier where Ukraine has gained ``gain``."""
        prev_g, prev_l = 0.0, 0.0
        for g, loss in zip(self.gains, self.losses):
            if gain <= g + _EPS:
                if g - prev_g <= _EPS:
                    return loss
                return prev_l + (loss - prev_l) * (gain - prev_g) / (g - prev_g)
            prev_g, prev_l = g, loss
        return prev_l

    def gain_at_loss(self, loss: float) -> float:
        """Largest gain for Ukraine that costs Russia at most ``loss``."""
        prev_g, prev_l = 0.0, 0.0
        for g, seg_loss in zip(self.gains, self.losses):
            if loss < seg_loss - _EPS:
                if seg_loss - prev_l <= _EPS:
                    return prev_g
                return prev_g + (g - prev_g) * (loss - prev_l) / (seg_loss - prev_l)
            prev_g, prev_l = g, seg_loss
        return prev_g


def build_frontier(
    issues: Sequence[int],
    russia: Sequence[IssueSide],
    ukraine: Sequence[IssueSide],
    limits: Mapping[int, float] | None = None,
) -> Frontier:
    """Pareto frontier of the given issues (see :class:`Frontier`).

    Only the stretch between the two ideal points is efficient; an issue on
    which the ideals coincide is fixed there and carries no piece. An issue
    in ``limits`` cannot go past its limit toward Ukraine's ideal (terms
    that must stay coherent with others, :func:`model.issues.withdrawal_limit`).

    Args:
        issues: Indices of the issues on the table.
        russia: Russia's stake in every issue (indexed like the issue vector).
        ukraine: Ukraine's stake in every issue.
        limits: The furthest term toward Ukraine's ideal of an issue, where there is one.

    Returns:
        The frontier.
    """
    raw: list[tuple[float, int, int, float, float, float, float]] = []
    start: dict[int, float] = {}
    for j in issues:
        lo, hi = russia[j].ideal, ukraine[j].ideal
        if limits and j in limits:
            hi = min(hi, max(lo, limits[j])) if hi > lo else max(hi, min(lo, limits[j]))
        start[j] = lo
        if lo == hi:
            continue
        cuts = {lo, hi}
        if russia[j].curvature or ukraine[j].curvature:
            # a concave utility's frontier is curved: its chords over equal pieces stand for it, and
            # each side gets at least the chord's value at the terms (the curve lies above its chords)
            cuts.update(lo + (hi - lo) * i / CURVED_PIECES for i in range(1, CURVED_PIECES))
        for stake in (russia[j], ukraine[j]):
            if stake.red_line is not None and stake.audience_rate > 0.0 and min(lo, hi) < stake.red_line < max(lo, hi):
                cuts.add(stake.red_line)
        points = sorted(cuts, reverse=lo > hi)
        # each point's value once: every interior point ends one piece and starts the next
        u_values = [ukraine[j].value(x, True) for x in points]
        r_values = [russia[j].value(x, False) for x in points]
        previous = math.inf
        for n, (a, b) in enumerate(zip(points, points[1:])):
            gain = u_values[n + 1] - u_values[n]
            loss = r_values[n] - r_values[n + 1]
            # rates fall along an issue; rounding must not let a later piece sort before an earlier one
            rate = previous = min(previous, math.inf if loss <= _EPS else gain / loss)
            raw.append((-rate, j, n, a, b, gain, loss))
    raw.sort(key=lambda r: (r[0], r[1], r[2]))
    gains: list[float] = []
    losses: list[float] = []
    g = total_loss = 0.0
    for _, _, _, _, _, gain, loss in raw:
        g += gain
        total_loss += loss
        gains.append(g)
        losses.append(total_loss)
    return Frontier(
        pieces=tuple((j, a, b) for _, j, _, a, b, _, _ in raw),
        gains=tuple(gains),
        losses=tuple(losses),
        start=start,
    )


def terms_for_gain(frontier: Frontier, gain: float) -> dict[int, float]:
    """The issue values at the frontier point where Ukraine has gained ``gain``.

    Args:
        frontier: The frontier of the issues on the table.
        gain: Ukraine's gain over Russia's ideal, in [0, total_gain].

    Returns:
        A mapping from each covered issue's index to its value.
    """
    terms = dict(frontier.start)
    prev_g = 0.0
    for (j, a, b), g in zip(frontier.pieces, frontier.gains):
        if gain >= g - _EPS:
            terms[j] = b
        elif gain > prev_g + _EPS and g - prev_g > _EPS:
            terms[j] = a + (b - a) * (gain - prev_g) / (g - prev_g)
            break
        else:
            break
        prev_g = g
    return terms


def bargaining_range(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> tuple[float, float] | None:
    """Fearon's (1995) bargaining range on a multi-issue frontier.

    The range is the set of frontier points that both sides weakly prefer to
    their reservation (no-agreement) values. ``base_*`` are the sides'
    utilities at the frontier's start (every issue on the table at Russia's
    ideal, the others as they stand).

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value.
        reservation_ukraine: Ukraine's no-agreement value.

    Returns:
        ``(lowest, highest)`` gain for Ukraine inside the range, or ``None``
        when no agreement beats both reservation values.
    """
    low = max(0.0, reservation_ukraine - base_ukraine)
    slack = base_russia - reservation_russia
    if slack < -_EPS or low > frontier.total_gain + _EPS:
        return None
    high = frontier.gain_at_loss(max(slack, 0.0))
    if low > high + 1e-9:
        return None
    return low, max(low, high)


def nash_bargaining_gain(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
    weight_ukraine: float = 0.5,
) -> float | None:
    """Asymmetric Nash bargaining solution on the frontier.

    Maximises ``(u_U - d_U)**w * (u_R - d_R)**(1 - w)`` over the bargaining
    range (Nash 1950; the asymmetric form of Kalai 1977, whose weight ``w``
    stands for a biased mediator or a proposer's power). With ``w = 1`` it is
    Ukraine's best point in the range, with ``w = 0`` Russia's. The objective
    is concave along a concave frontier, so the best point of each linear
    segment, clipped to the range, is checked in turn.

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value ``d_R``.
        reservation_ukraine: Ukraine's no-agreement value ``d_U``.
        weight_ukraine: Bargaining weight ``w`` of Ukraine, in [0, 1].

    Returns:
        Ukraine's gain at the solution, or ``None`` if there is no range.
    """
    bounds = bargaining_range(frontier, base_russia, base_ukraine, reservation_russia, reservation_ukraine)
    if bounds is None:
        return None
    low, high = bounds
    w = weight_ukraine
    if high - low <= _EPS or w >= 1.0:
        return high
    if w <= 0.0:
        return low
    surplus_u0 = base_ukraine - reservation_ukraine
    surplus_r0 = base_russia - reservation_russia

    def objective(gain: float) -> float:
        return nash_objective(surplus_u0 + gain, surplus_r0 - frontier.loss_at(gain), w)

    candidates = [low, high]
    prev_g, prev_l = 0.0, 0.0
    for g, loss in zip(frontier.gains, frontier.losses):
        seg_lo, seg_hi = max(prev_g, low), min(g, high)
        if seg_hi > seg_lo and g - prev_g > _EPS:
            slope = (loss - prev_l) / (g - prev_g)
            if slope <= _EPS:
                candidates.append(seg_hi)
            else:
                # first-order condition on this segment, solved for the gain
                r_at_prev = surplus_r0 - prev_l + slope * prev_g
                star = (w * r_at_prev - (1.0 - w) * slope * surplus_u0) / slope
                candidates.append(min(max(star, seg_lo), seg_hi))
        prev_g, prev_l = g, loss
    return max(candidates, key=objective)


def nash_objective(surplus_ukraine: float, surplus_russia: float, weight_ukraine: float) -> float:
    """The log of the asymmetric Nash product ``su**w * sr**(1 - w)`` (Nash 1950; Kalai 1977).

    Args:
        surplus_ukraine: Ukraine's utility over its floor.
        surplus_russia: Russia's utility over its floor.
        weight_ukraine: Ukraine's weight ``w``, in [0, 1]; a side of weight 0 does not count.

    Returns:
        ``w log su + (1 - w) log sr``; minus infinity if a side that counts has no surplus.
    """
    value = 0.0
    for surplus, weight in ((surplus_ukraine, weight_ukraine), (surplus_russia, 1.0 - weight_ukraine)):
        if weight > 0.0:
            if surplus <= 0.0:
                return -math.inf
            value += weight * math.log(surplus)
    return value


def compromise_gain(
    frontier: Frontier,
    base_russia: float,
    base_ukraine: float,
    reservation_russia: float,
    reservation_ukraine: float,
) -> float:
    """The frontier point that leaves both sides equally short of (or above) their reservation values.

    A mediator tables this when there is no bargaining range, so that the
    record always holds a proposal and each side's value of it.

    Args:
        frontier: The frontier of the issues on the table.
        base_russia: Russia's utility at the frontier's start.
        base_ukraine: Ukraine's utility at the frontier's start.
        reservation_russia: Russia's no-agreement value.
        reservation_ukraine: Ukraine's no-agreement value.

    Returns:
        Ukraine's gain at that point, in [0, total_gain].
    """
    # the gap is piecewise linear and increasing along the frontier: find the piece where it changes
    # sign and solve that piece exactly
    offset = (base_ukraine - reservation_ukraine) - (base_russia - reservation_russia)
    if offset >= 0.0:
        return 0.0
    prev_g, prev_gap = 0.0, offset
    for g, loss in zip(frontier.gains, frontier.losses):
        gap = offset + g + loss
        if gap >= 0.0:
            if gap - prev_gap <= _EPS:
                return g
            return prev_g + (g - prev_g) * (-prev_gap) / (gap - prev_gap)
        prev_g, prev_gap = g, gap
    return frontier.total_gain


@dataclass(frozen=True)
class Proposal:
    """The terms a proposer tables.

    Attributes:
        terms: Every issue's value (the issues on the table set, the others as they stand).
        in_range: True if the terms lie in the bargaining range (the Nash point);
            False for the compromise tabled when there is no range.
    """

    terms: list[float]
    in_range: bool


def propose(
    frontier: Frontier,
    start: Sequence[float],
    base_russia: float,
    base_ukraine: float,
    floor_russia: float,
    floor_ukraine: float,
    weight_ukraine: float,
) -> Proposal:
    """The proposal on the frontier: the Nash bargaining point between the floors, or the compromise.

    Args:
        frontier: The frontier of the issues on the table.
        start: Every issue's value at the frontier's start (the issues on the
            table at Russia's ideal, the others as they stand).
        base_russia: Russia's flow of ``start``.
        base_ukraine: Ukraine's flow of ``start``.
        floor_russia: The least flow Russia accepts.
        floor_ukraine: The least flow Ukraine accepts.
        weight_ukraine: Ukraine's weight in the asymmetric Nash solution (the protocol's).

    Returns:
        The proposal.
    """
    args = (frontier, base_russia, base_ukraine, floor_russia, floor_ukraine)
    gain = nash_bargaining_gain(*args, weight_ukraine=weight_ukraine)
    in_range = gain is not None
    if gain is None:
        gain = compromise_gain(*args)
    terms = list(start)
    for j, x in terms_for_gain(frontier, gain).items():
        terms[j] = x
    return Proposal(terms, in_range)


def frontier_start(frontier: Frontier, terms: Sequence[float]) -> list[float]:
    """``terms`` with every issue the frontier covers set to its start (Russia's ideal)."""
    start = list(terms)
    for j, x in frontier.start.items():
        start[j] = x
    return start


# --------------------------------------------------------------------------
# Belligerent.stakes, audience_share, terms_flow
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Side:
    """What the proposer knows of a belligerent: its settings and its audience rate now."""

    settings: BelligerentSettings
    audience_rate: float

    @property
    def ukraine(self) -> bool:
        return self.settings.side is SideName.UKRAINE

    def audience_share(self, form: TerritorialForm | None) -> float:
        if form is TerritorialForm.SOVEREIGNTY:
            return 1.0
        if form is TerritorialForm.AUTONOMY:
            return 0.0 if self.ukraine else 1.0
        return self.settings.unsigned_audience_share

    def stakes(self) -> list[IssueSide]:
        s = self.settings
        rate = self.audience_rate
        return [
            IssueSide(ideal, weight, s.red_line, rate * weight, s.risk_aversion)
            if j in TERRITORY_INDICES
            else IssueSide(ideal, weight, None, 0.0, s.risk_aversion)
            for j, (ideal, weight) in enumerate(zip(s.ideal, s.weights))
        ]

    def terms_flow(self, terms: Sequence[float], forms: Mapping[int, TerritorialForm]) -> float:
        s = self.settings
        flow = maths.utility(terms, s.ideal, s.weights, s.risk_aversion)
        rate = self.audience_rate
        if rate > 0.0:
            for j in TERRITORY_INDICES:
                share = self.audience_share(forms.get(j))
                if share > 0.0:
                    flow -= share * maths.red_line_penalty(terms[j], s.red_line, rate * s.weights[j], self.ukraine)
        return flow


# --------------------------------------------------------------------------
# Proposer.table
# --------------------------------------------------------------------------


def table(
    forms_allowed: Sequence[TerritorialForm],
    autonomy_term: float,
    russia: Side,
    ukraine: Side,
    agenda: Sequence[int],
    now: Sequence[float],
    agreed: Mapping[int, TerritorialForm],
    floors: tuple[float, float],
    weight_ukraine: float,
) -> tuple[Proposal, dict[int, TerritorialForm]]:
    """Proposer.table: the proposal and the forms it leaves."""
    floor_russia, floor_ukraine = floors
    stakes = (russia.stakes(), ukraine.stakes())
    best: tuple[tuple[bool, float, int], Proposal, dict[int, TerritorialForm]] | None = None
    for forms in _settlements(forms_allowed, agenda, agreed):
        fixed = {
            j: autonomy_term if form is TerritorialForm.AUTONOMY else now[j]
            for j, form in forms.items()
            if j in agenda and form is not TerritorialForm.SOVEREIGNTY
        }
        proposal = _coherent_proposal(russia, ukraine, stakes, agenda, fixed, forms, now, floors, weight_ukraine)
        score = 0.0
        if proposal.in_range:
            score = nash_objective(
                ukraine.terms_flow(proposal.terms, forms) - floor_ukraine,
                russia.terms_flow(proposal.terms, forms) - floor_russia,
                weight_ukraine,
            )
        key = (proposal.in_range, score, -len(fixed))
        if best is None or key > best[0]:
            best = (key, proposal, forms)
    assert best is not None
    return best[1], best[2]


def _settlements(
    forms_allowed: Sequence[TerritorialForm], agenda: Sequence[int], agreed: Mapping[int, TerritorialForm]
) -> Iterator[dict[int, TerritorialForm]]:
    territory = [j for j in TERRITORY_INDICES if j in agenda]
    for choice in itertools.product(forms_allowed, repeat=len(territory)):
        yield {**agreed, **dict(zip(territory, choice))}


def _coherent_proposal(
    russia: Side,
    ukraine: Side,
    stakes: tuple[Sequence[IssueSide], Sequence[IssueSide]],
    agenda: Sequence[int],
    fixed: Mapping[int, float],
    forms: Mapping[int, TerritorialForm],
    now: Sequence[float],
    floors: tuple[float, float],
    weight_ukraine: float,
) -> Proposal:
    issues = [j for j in agenda if j not in fixed]
    autonomous = [j for j, form in forms.items() if form is TerritorialForm.AUTONOMY]
    limits: dict[int, float] = {}
    for _ in range(2):
        frontier = build_frontier(issues, *stakes, limits)
        start = frontier_start(frontier, now)
        for j, x in fixed.items():
            start[j] = x
        proposal = propose(frontier, start, russia.terms_flow(start, forms), ukraine.terms_flow(start, forms), *floors, weight_ukraine)
        if WITHDRAWAL not in issues:
            return proposal
        limit = withdrawal_limit(proposal.terms, autonomous)
        if proposal.terms[WITHDRAWAL] <= limit + 1e-12:
            return proposal
        limits = {WITHDRAWAL: limit}
    proposal.terms[WITHDRAWAL] = min(proposal.terms[WITHDRAWAL], withdrawal_limit(proposal.terms, autonomous))
    return proposal
