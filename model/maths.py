"""Pure mathematics of war termination: no model, no agents, no random draws.

The agents gather their inputs, call these functions and act on the answers.
Every function is a function of numbers only, so each can be checked by hand.

Units. Utilities are *flows per round*, normalised so that an actor who gets
its ideal point on every issue receives 1 per round. A value ``V`` of a
stream of flows ``u_t`` discounted by ``delta`` is reported in the same
units, ``V = (1 - delta) * sum_t delta**t * u_t``: a constant flow ``u`` has
value ``u``. This keeps the value of war, of a ceasefire and of a settlement
on one scale with the per-round costs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "Frontier",
    "IssueSide",
    "bargaining_range",
    "beta_from_mean",
    "beta_mean",
    "beta_sd",
    "beta_update",
    "build_frontier",
    "compromise_gain",
    "gamblers_ruin",
    "logit",
    "nash_bargaining_gain",
    "red_line_penalty",
    "shift_beta",
    "sigmoid",
    "terms_for_gain",
    "utility",
    "value_of_war",
]

_EPS = 1e-12


def logit(p: float) -> float:
    """Log-odds of a probability, clipped away from 0 and 1."""
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    return math.log(p / (1.0 - p))


def sigmoid(x: float) -> float:
    """Inverse of :func:`logit`."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


# --------------------------------------------------------------------------
# Beliefs about the balance of power
# --------------------------------------------------------------------------


def beta_from_mean(mean: float, strength: float) -> tuple[float, float]:
    """Beta parameters with a given mean and pseudo-count ``a + b``.

    Args:
        mean: Prior mean of the probability that Russia wins an engagement.
        strength: Pseudo-count ``a + b``: how many engagements the prior is worth.

    Returns:
        ``(a, b)`` with ``a / (a + b) == mean`` and ``a + b == strength``.
    """
    return mean * strength, (1.0 - mean) * strength


def beta_mean(a: float, b: float) -> float:
    """Mean ``a / (a + b)`` of a Beta(a, b) distribution."""
    return a / (a + b)


def beta_sd(a: float, b: float) -> float:
    """Standard deviation of a Beta(a, b) distribution."""
    s = a + b
    return math.sqrt(a * b / (s * s * (s + 1.0)))


def beta_update(a: float, b: float, wins: int, losses: int, memory: float = 1.0) -> tuple[float, float]:
    """Bayesian update of a Beta belief from observed engagements.

    Conjugate Beta-Bernoulli updating (e.g. Gelman et al., *Bayesian Data
    Analysis*, 3rd ed., section 2.4): each engagement Russia wins adds one to
    ``a``, each it loses adds one to ``b``. With ``memory < 1`` the old
    pseudo-counts are first discounted (exponential forgetting), so a belief
    can track a balance of power that drifts.

    Args:
        a: Current pseudo-count of Russian wins.
        b: Current pseudo-count of Russian losses.
        wins: Engagements Russia won this round.
        losses: Engagements Russia lost this round.
        memory: Weight in (0, 1] kept on the old pseudo-counts.

    Returns:
        The posterior ``(a, b)``.
    """
    return memory * a + wins, memory * b + losses


def shift_beta(a: float, b: float, delta_logit: float) -> tuple[float, float]:
    """Move a Beta belief's mean by ``delta_logit`` on the log-odds scale.

    Used for shifts of the balance that both sides see (announced aid,
    rearmament, mobilisation): the mean moves, the confidence (``a + b``)
    stays.

    Args:
        a: Pseudo-count of Russian wins.
        b: Pseudo-count of Russian losses.
        delta_logit: Shift of the mean's log-odds; positive favours Russia.

    Returns:
        The shifted ``(a, b)`` with the same ``a + b``.
    """
    if delta_logit == 0.0:
        return a, b
    strength = a + b
    return beta_from_mean(sigmoid(logit(a / strength) + delta_logit), strength)


# --------------------------------------------------------------------------
# The front as a random walk with absorbing edges
# --------------------------------------------------------------------------


def gamblers_ruin(p: float, position: int, cells: int) -> tuple[float, float]:
    """Probability that Russia reaches the far edge, and the expected duration.

    The classical gambler's-ruin solution (Feller 1968, *An Introduction to
    Probability Theory*, vol. 1, ch. XIV.2-3) for a walk on ``0..cells`` that
    steps up with probability ``p`` and down with ``q = 1 - p``:
    ``P(up edge) = (1 - (q/p)**k) / (1 - (q/p)**N)`` and
    ``E[T] = k/(q-p) - N/(q-p) * P(up edge)``; for ``p == q``, ``k/N`` and
    ``k (N - k)``.

    Args:
        p: Probability that Russia wins an engagement (a step up).
        position: Start position ``k`` (cells Russia holds).
        cells: Number of cells ``N`` of the contested territory.

    Returns:
        ``(P(Russia takes it all), expected number of engagements)``.
    """
    k, n = position, cells
    if k <= 0 or k >= n:
        return (1.0 if k >= n else 0.0), 0.0
    q = 1.0 - p
    if abs(p - q) < 1e-12:
        return k / n, float(k * (n - k))
    r = q / p
    # log-space powers keep large N finite
    win = -math.expm1(k * math.log(r)) / -math.expm1(n * math.log(r))
    duration = k / (q - p) - n / (q - p) * win
    return win, duration


def value_of_war(
    *,
    p: float,
    position: int,
    cells: int,
    discount: float,
    flow_base: float,
    flow_slope: float,
    value_if_ukraine_wins: float,
    value_if_russia_wins: float,
) -> float:
    """Discounted value of fighting on, for one side, in per-round units.

    The front is a random walk on ``0..cells`` (the cells Russia holds) that
    steps up with probability ``p`` each round and is absorbed at the edges
    (Fearon 1995's costly lottery, made dynamic as in Powell 2004 and Smith
    and Stam 2004). While the war goes on the side receives the flow
    ``flow_base + flow_slope * k / cells`` (what it holds, less its cost of
    war); at an edge it receives the winner's terms for ever. The value
    ``h(k)`` of the undiscounted stream solves the linear recurrence

    ``h(k) = phi(k) + delta * (p h(k+1) + q h(k-1))``, ``0 < k < N``,

    with ``h(0) = value_if_ukraine_wins / (1 - delta)`` and
    ``h(N) = value_if_russia_wins / (1 - delta)``. Its solution is a linear
    particular part plus ``C1 lam1**k + C2 lam2**k``, the roots of
    ``delta p lam**2 - lam + delta q = 0``; it is evaluated in a form that
    stays finite for large ``N``. The result is ``(1 - delta) h(k)``.

    Args:
        p: Believed probability that Russia wins an engagement.
        position: Current position ``k`` (cells Russia holds).
        cells: Number of cells ``N``.
        discount: Per-round discount factor ``delta`` in (0, 1).
        flow_base: Flow at ``k = 0`` while fighting (costs already subtracted).
        flow_slope: Change of the flow from ``k = 0`` to ``k = N``.
        value_if_ukraine_wins: Flow for ever after Ukraine takes it all.
        value_if_russia_wins: Flow for ever after Russia takes it all.

    Returns:
        The side's value of war, in per-round units.
    """
    k, n, d = position, cells, discount
    if k <= 0:
        return value_if_ukraine_wins
    if k >= n:
        return value_if_russia_wins
    p = min(max(p, 1e-9), 1.0 - 1e-9)
    q = 1.0 - p
    one_minus_d = 1.0 - d
    slope = flow_slope / n
    a_coef = slope / one_minus_d
    b_coef = (flow_base + d * a_coef * (p - q)) / one_minus_d
    root = math.sqrt(max(1.0 - 4.0 * d * d * p * q, 0.0))
    lam1 = (1.0 + root) / (2.0 * d * p)  # > 1
    lam2 = 2.0 * d * q / (1.0 + root)  # < 1; = (1 - root) / (2 d p) without the cancellation when p is small
    r0 = value_if_ukraine_wins / one_minus_d - b_coef
    rn = value_if_russia_wins / one_minus_d - a_coef * n - b_coef
    log1, log2 = math.log(lam1), math.log(lam2)
    eps1 = math.exp(-n * log1)  # lam1**-N
    eps2 = math.exp(n * log2)  # lam2**N
    c2 = (r0 - eps1 * rn) / (1.0 - eps1 * eps2)
    d1 = rn - c2 * eps2
    h = a_coef * k + b_coef + d1 * math.exp((k - n) * log1) + c2 * math.exp(k * log2)
    return one_minus_d * h


# --------------------------------------------------------------------------
# Utility over the issues
# --------------------------------------------------------------------------


def utility(terms: Sequence[float], ideal: Sequence[float], weights: Sequence[float]) -> float:
    """Salience-weighted utility of a set of terms (per-round flow).

    ``U(x) = sum_j w_j (1 - |x_j - ideal_j|)``, with weights summing to 1:
    the spatial model of negotiation with linear loss (e.g. Bueno de
    Mesquita's expected-utility model; Fearon 1995 uses one issue).

    Args:
        terms: The value of each issue, in [0, 1].
        ideal: The actor's ideal point on each issue.
        weights: The actor's normalised salience of each issue.

    Returns:
        The utility, in [0, 1].
    """
    # fsum, not sum: Python 3.12 changed sum() of floats, and runs must match across versions
    return math.fsum(w * (1.0 - abs(x - i)) for x, i, w in zip(terms, ideal, weights))


def red_line_penalty(term: float, red_line: float, rate: float, ukraine: bool) -> float:
    """Audience cost of agreeing to one territorial term beyond a red line.

    A leader who signs away more than its red line pays ``rate`` per unit
    beyond it, every round the agreement stands (Fearon 1994's audience
    costs, applied to the hardliners' red lines). Ukraine's red line is a
    floor (terms below it cost), Russia's a ceiling (terms above it cost).

    Args:
        term: The agreed value of the issue.
        red_line: The side's red line on it.
        rate: The audience cost per unit beyond the line (per round).
        ukraine: True for Ukraine's floor, False for Russia's ceiling.

    Returns:
        The penalty, never negative.
    """
    beyond = red_line - term if ukraine else term - red_line
    return rate * beyond if beyond > 0.0 else 0.0


@dataclass(frozen=True)
class IssueSide:
    """One side's stake in one issue: ideal point, salience and red line."""

    ideal: float
    weight: float
    red_line: float | None = None
    audience_rate: float = 0.0

    def value(self, term: float, ukraine: bool) -> float:
        """Utility of ``term`` on this issue, less any audience cost."""
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
    issue, splitting it into pieces whose rates fall along the way, so the
    order of one issue's pieces is kept.

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
) -> Frontier:
    """Pareto frontier of the given issues (see :class:`Frontier`).

    Only the stretch between the two ideal points is efficient; an issue on
    which the ideals coincide is fixed there and carries no piece.

    Args:
        issues: Indices of the issues on the table.
        russia: Russia's stake in every issue (indexed like the issue vector).
        ukraine: Ukraine's stake in every issue.

    Returns:
        The frontier.
    """
    raw: list[tuple[float, int, int, float, float, float, float]] = []
    start: dict[int, float] = {}
    for j in issues:
        lo, hi = russia[j].ideal, ukraine[j].ideal
        start[j] = lo
        if lo == hi:
            continue
        cuts = {lo, hi}
        for stake in (russia[j], ukraine[j]):
            if stake.red_line is not None and stake.audience_rate > 0.0 and min(lo, hi) < stake.red_line < max(lo, hi):
                cuts.add(stake.red_line)
        points = sorted(cuts, reverse=lo > hi)
        previous = math.inf
        for n, (a, b) in enumerate(zip(points, points[1:])):
            gain = ukraine[j].value(b, True) - ukraine[j].value(a, True)
            loss = russia[j].value(a, False) - russia[j].value(b, False)
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
        su = surplus_u0 + gain
        sr = surplus_r0 - frontier.loss_at(gain)
        if su <= 0.0 or sr <= 0.0:
            return -math.inf
        return w * math.log(su) + (1.0 - w) * math.log(sr)

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

    def gap(gain: float) -> float:
        return (base_ukraine + gain - reservation_ukraine) - (base_russia - frontier.loss_at(gain) - reservation_russia)

    lo, hi = 0.0, frontier.total_gain
    if gap(lo) >= 0.0:
        return lo
    if gap(hi) <= 0.0:
        return hi
    for _ in range(50):  # gap() is increasing: bisect
        mid = 0.5 * (lo + hi)
        if gap(mid) < 0.0:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)
