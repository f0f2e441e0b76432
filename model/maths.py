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

from model.engine import mechanics, state, valuation
from model.engine.jit import for_single_runs

_logit = for_single_runs(valuation.logit)
_sigmoid = for_single_runs(valuation.sigmoid)
_value_of_war = for_single_runs(valuation.value_of_war)
_beta_update = for_single_runs(mechanics.beta_update)
_see_shift = for_single_runs(state.see_shift)
_unresolved_hazard = for_single_runs(mechanics.unresolved_hazard)
_agreement_value = for_single_runs(mechanics.agreement_value)
_acceptance_floor = for_single_runs(mechanics.acceptance_floor)
_self_enforcing_floor = for_single_runs(mechanics.self_enforcing_floor)

__all__ = [
    "beta_from_mean",
    "beta_mean",
    "beta_sd",
    "acceptance_floor",
    "agreement_value",
    "beta_update",
    "front_cells",
    "gamblers_ruin",
    "issue_loss",
    "logit",
    "red_line_penalty",
    "shift_beta",
    "self_enforcing_floor",
    "sigmoid",
    "unresolved_hazard",
    "utility",
    "value_of_war",
]


def logit(p: float) -> float:
    """Log-odds of a probability, clipped away from 0 and 1 (the kernel :func:`model.engine.valuation.logit`)."""
    return _logit(p)


def sigmoid(x: float) -> float:
    """Inverse of :func:`logit` (the kernel :func:`model.engine.valuation.sigmoid`)."""
    return _sigmoid(x)


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
        The posterior ``(a, b)`` (the kernel :func:`model.engine.mechanics.beta_update`).
    """
    return _beta_update(a, b, wins, losses, memory)


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
    row = [a, b]
    _see_shift(row, delta_logit)  # the kernel the round's schedule calls (model.engine.state.see_shift)
    return row[0], row[1]


# --------------------------------------------------------------------------
# The front as a random walk with absorbing edges
# --------------------------------------------------------------------------


def front_cells(volatility: float) -> int:
    """Cells of the contested territory: one engagement moves the front one cell.

    ``N = max(2, round(1 / volatility))``: ``volatility`` is the share of the
    territory one engagement moves, and at least two cells leave the walk
    an interior (assumption: the random walk of Smith and Stam 2004 needs
    one; a single cell would make the first engagement decide the war).

    Args:
        volatility: Share of the contested territory one engagement moves, in (0, 1].

    Returns:
        The number of cells ``N``.
    """
    return max(2, round(1.0 / volatility))


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
    flow_curvature: float = 0.0,
    ends: tuple[int, int] | None = None,
) -> float:
    """Discounted value of fighting on, for one side, in per-round units.

    The front is a random walk on ``0..cells`` (the cells Russia holds) that
    steps up with probability ``p`` each round and is absorbed at the edges
    (Fearon 1995's costly lottery, made dynamic as in Powell 2004 and Smith
    and Stam 2004). While the war goes on the side receives the flow
    ``flow_base + flow_slope * k / cells + flow_curvature * (k / cells)**2``
    (what it holds, less its cost of war; the quadratic term is there when
    the side's utility is concave, :func:`issue_loss`); at an edge it
    receives the winner's terms for ever. The value
    ``h(k)`` of the undiscounted stream solves the linear recurrence

    ``h(k) = phi(k) + delta * (p h(k+1) + q h(k-1))``, ``0 < k < N``,

    with ``h(0) = value_if_ukraine_wins / (1 - delta)`` and
    ``h(N) = value_if_russia_wins / (1 - delta)``. Its solution is a linear
    particular part (quadratic with a quadratic flow) plus ``C1 lam1**k + C2 lam2**k``, the roots of
    ``delta p lam**2 - lam + delta q = 0``; it is evaluated in a form that
    stays finite for large ``N``. The result is ``(1 - delta) h(k)``.

    With war aims the walk is absorbed earlier, at ``ends = (L, U)``
    (``0 <= L < U <= N``): a side has won when the front reaches its aim.
    The walk then runs on ``L..U``; the flow, still a function of Russia's
    share ``k / N``, is re-expressed in the share ``(k - L) / (U - L)`` of
    that walk (substituting ``s = L/N + (U - L)/N t`` in the quadratic), and
    the same solution applies.

    The computation is the kernel :func:`model.engine.valuation.value_of_war`,
    which the compiled runner calls too; the Mesa model calls it
    interpreted (:func:`model.engine.jit.for_single_runs`).

    Args:
        p: Believed probability that Russia wins an engagement.
        position: Current position ``k`` (cells Russia holds).
        cells: Number of cells ``N``.
        discount: Per-round discount factor ``delta`` in (0, 1).
        flow_base: Flow at ``k = 0`` while fighting (costs already subtracted).
        flow_slope: Change of the flow from ``k = 0`` to ``k = N``.
        value_if_ukraine_wins: Flow for ever after Ukraine takes it all.
        value_if_russia_wins: Flow for ever after Russia takes it all.
        flow_curvature: The flow's quadratic coefficient in the share ``k / cells``.
        ends: The absorbing cells ``(L, U)``, the sides' war aims; ``None`` for the edges ``(0, cells)``.

    Returns:
        The side's value of war, in per-round units.
    """
    lower, upper = ends if ends is not None else (0, cells)
    return _value_of_war(
        p, position, cells, discount, flow_base, flow_slope, value_if_ukraine_wins, value_if_russia_wins, flow_curvature, lower, upper
    )


# --------------------------------------------------------------------------
# Utility over the issues
# --------------------------------------------------------------------------


def issue_loss(distance: float, curvature: float) -> float:
    """Loss of a term at ``distance`` from the ideal point: ``(1 - c) d + c d**2``.

    ``c = 0`` is the linear loss of Fearon (1995) and of Bueno de Mesquita's
    expected-utility model; ``c = 1`` is the quadratic loss common in spatial
    models (Enelow and Hinich 1984, *The Spatial Theory of Voting*). A convex
    loss makes utility concave in the terms: the side is risk-averse, values
    a sure compromise above an even gamble between the extremes, and agrees
    interior terms that move with the balance of power instead of corners.

    Args:
        distance: ``|x - ideal|``, in [0, 1].
        curvature: ``c`` in [0, 1].

    Returns:
        The loss, in [0, 1] (1 at the far end of the issue).
    """
    return (1.0 - curvature) * distance + curvature * distance * distance


def utility(terms: Sequence[float], ideal: Sequence[float], weights: Sequence[float], curvature: float = 0.0) -> float:
    """Salience-weighted utility of a set of terms (per-round flow).

    ``U(x) = sum_j w_j (1 - loss(|x_j - ideal_j|))``, with weights summing to
    1 and the loss of :func:`issue_loss`: the spatial model of negotiation
    (linear loss at ``curvature = 0``: ``sum_j w_j (1 - |x_j - ideal_j|)``).

    Args:
        terms: The value of each issue, in [0, 1].
        ideal: The actor's ideal point on each issue.
        weights: The actor's normalised salience of each issue.
        curvature: The loss's curvature (risk aversion), in [0, 1].

    Returns:
        The utility, in [0, 1].
    """
    # fsum, not sum: Python 3.12 changed sum() of floats, and runs must match across versions
    if curvature == 0.0:
        return math.fsum(w * (1.0 - abs(x - i)) for x, i, w in zip(terms, ideal, weights))
    return math.fsum(w * (1.0 - issue_loss(abs(x - i), curvature)) for x, i, w in zip(terms, ideal, weights))


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


# --------------------------------------------------------------------------
# Agreements: their value and the least terms a side accepts
# --------------------------------------------------------------------------


def unresolved_hazard(unresolved_risk: float, open_steps: int, later_steps: int = 3) -> float:
    """Weight of war in the value of a ceasefire that leaves ``open_steps`` later steps unresolved.

    ``h_n = unresolved_risk * n / later_steps``: the bare ceasefire (every
    later step open) carries the whole ``unresolved_risk``, a settlement none.
    Ceasefires that settle more of what the war was about last longer
    (Fortna 2003, *Scraps of Paper?*; Fortna 2004, *Peace Time*); linear in
    the steps left is an assumption, for want of data on partial agreements.

    Args:
        unresolved_risk: The weight with every later step open, in [0, 0.95].
        open_steps: Steps of the plan still unresolved, ``0 .. later_steps``.
        later_steps: Steps after the ceasefire (the plan has three).

    Returns:
        The weight ``h_n`` in [0, unresolved_risk] (the kernel :func:`model.engine.mechanics.unresolved_hazard`).
    """
    return _unresolved_hazard(unresolved_risk, open_steps, later_steps)


def agreement_value(flow: float, inducement: float, open_steps: int, hazard: float, ceasefire_cost: float, war_value: float) -> float:
    """Value of agreements worth ``flow`` a round, in per-round units.

    A settlement (``open_steps == 0``) is worth its flow plus the mediator's
    inducement for ever: ``u + I``. An agreement that leaves steps open is a
    ceasefire: a lottery that holds with weight ``1 - h`` (its flow and the
    inducement, less the cost of standing armies) and collapses into the
    war with weight ``h``: ``(1 - h) (u + I - c_cf) + h V`` (Fortna 2004 on
    fragile ceasefires; the inducement is the mediator's leverage, Beardsley
    2011, *The Mediation Dilemma*).

    Args:
        flow: The side's flow utility of the terms, audience costs included.
        inducement: The mediator's inducement flow while its agreements hold.
        open_steps: Steps still unresolved once these agreements hold.
        hazard: The weight of war, :func:`unresolved_hazard` of ``open_steps``.
        ceasefire_cost: The side's cost of a round of ceasefire.
        war_value: The value of the war a collapse would bring back.

    Returns:
        The agreements' value to the side (the kernel :func:`model.engine.mechanics.agreement_value`).
    """
    return _agreement_value(flow, inducement, open_steps, hazard, ceasefire_cost, war_value)


def acceptance_floor(reservation: float, hazard: float, war_value: float, ceasefire_cost: float, inducement: float) -> float:
    """The least flow of terms that makes an agreement worth a side's reservation value.

    Solves :func:`agreement_value` ``>= d`` for the flow:
    ``u_min = (d - h V) / (1 - h) + c_cf - I`` (Fearon 1995: a side accepts
    any terms at least as good as its no-agreement value). For a settlement
    pass ``hazard = war_value = ceasefire_cost = 0``: ``u_min = d - I``.

    Args:
        reservation: The side's no-agreement value ``d`` (war, or the ceasefire in force).
        hazard: The weight of war ``h`` in the agreement's value, below 1.
        war_value: The value ``V`` of the war a collapse would bring back.
        ceasefire_cost: The side's cost of a round of ceasefire (0 for a settlement).
        inducement: The mediator's inducement flow ``I``.

    Returns:
        The floor ``u_min`` (the kernel :func:`model.engine.mechanics.acceptance_floor`).
    """
    return _acceptance_floor(reservation, hazard, war_value, ceasefire_cost, inducement)


def self_enforcing_floor(resume_value: float, ceasefire_cost: float, inducement: float) -> float:
    """The least flow of terms a side would not itself break: ``R + c_cf - I``.

    A ceasefire is self-enforcing when keeping it, ``u + I - c_cf``, is worth
    at least the value ``R`` of resuming the war once the anticipated shift
    in power has happened (Powell 2006, "War as a Commitment Problem"; the
    commitment problem of Fearon 1995). A side that accepted less would
    defect as soon as the balance moved.

    Args:
        resume_value: The side's value of breaking the ceasefire itself, at the anticipated balance.
        ceasefire_cost: The side's cost of a round of ceasefire.
        inducement: The mediator's inducement flow, lost with the ceasefire.

    Returns:
        The floor (the kernel :func:`model.engine.mechanics.self_enforcing_floor`).
    """
    return _self_enforcing_floor(resume_value, ceasefire_cost, inducement)
